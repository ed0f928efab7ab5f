/* jit.h: the compiling tier: translates the interpreter's internal code of an instance's functions
 * into machine code with libgccjit, ahead of the run (docs/engine.md, "The compiling tier"). */
#ifndef WT_JIT_H
#define WT_JIT_H

#include <stdint.h>

#include "error.h"
#include "runtime.h"

/* Which tier runs the guest (--tier). */
typedef enum {
	WT_TIER_AUTO = 0, /* the compiled tier when built in and worthwhile, else the interpreter */
	WT_TIER_INTERP,	  /* the interpreter only */
	WT_TIER_JIT,	  /* the compiled tier (an error when the build lacks it) */
} wt_tier;

/* What one compile did (figures for docs and the bench). */
typedef struct wt_jit_stats {
	uint32_t funcs;	     /* defined functions of the instance */
	uint32_t compiled;   /* of which compiled */
	uint32_t fallback;   /* left to the interpreter: an op not supported yet */
	uint64_t code_words; /* internal code words translated */
	double seconds;	     /* wall time of the whole compile */
} wt_jit_stats;

typedef struct wt_jit wt_jit;

/* 1 when this build has the compiling tier (libgccjit). */
int wt_jit_available(void);

/* Whether `auto` compiles a module of code_bytes bytes of function bodies. */
int wt_jit_worthwhile(uint64_t code_bytes);

/* Parses "interp", "auto" or "jit"; 0 or -1. */
int wt_tier_parse(const char *s, wt_tier *out);

/* Compiles the defined functions of inst (instantiated, or built and not
 * yet started) and sets their funcinst->jit; functions with an op the tier
 * does not support stay interpreted. Runs the system assembler and linker:
 * call it before self-confinement. *out keeps the code alive until
 * wt_jit_free (after the store). Returns 0 or a status in err (then no
 * function is changed). stats may be NULL. */
int wt_jit_compile_instance(wt_instance *inst, wt_jit **out, wt_jit_stats *stats, wt_error *err);

/* Frees the code (after the store whose functions point into it). NULL is fine. */
void wt_jit_free(wt_jit *j);

#endif
