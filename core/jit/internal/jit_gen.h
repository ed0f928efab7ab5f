/* jit_gen.h: the translator of the compiling tier: one function's internal code (code.h) ->
 * libgccjit statements (jit_gen.c). */
#ifndef WT_JIT_GEN_H
#define WT_JIT_GEN_H

#include "gccjit.h"

#include "code.h"

typedef struct wt_jitg wt_jitg;

/* The types and the relocation table (jit_reloc.h) shared by the
 * functions of one context, compiled from inst's functions; NULL when out
 * of memory. */
wt_jitg *wt_jitg_new(gcc_jit_context *ctx, wt_instance *inst);
void wt_jitg_free(wt_jitg *g);
/* The memory accesses translated so far, and how many of them needed no bounds check. */
void wt_jitg_accesses(const wt_jitg *g, uint64_t *accesses, uint64_t *unchecked);

/* The context's relocation table (void *[size], internal). */
gcc_jit_lvalue *wt_jitg_table(wt_jitg *g);

/* The relocations the translated functions use, as (kind, index) pairs
 * into pairs (when not NULL); returns how many. */
uint32_t wt_jitg_relocs(const wt_jitg *g, uint32_t *pairs);

/* 1 when an address of the internal code named nothing of the instance
 * (the object would be wrong: do not compile it). */
int wt_jitg_failed(const wt_jitg *g);

/* 1 when every op of code (compiled detached: op numbers) is one the
 * translator handles; 0: the function stays interpreted. */
int wt_jitg_supported(const wt_code *code);

/* Declares the internal function `name` (a wt_jit_fn) a body is added to. */
gcc_jit_function *wt_jitg_declare(wt_jitg *g, const char *name);

/* For direct calls: the compiled function of callee in the same context
 * and its frame size, or NULL (then calls go through wt_jit_call). */
typedef gcc_jit_function *(*wt_jitg_lookup)(void *ctx, const wt_funcinst *callee,
					    uint32_t *frame_size);

/* Adds the body of fn (declared) running f's code as code describes it
 * (the same translation as f's own code). */
void wt_jitg_function(wt_jitg *g, wt_funcinst *f, const wt_code *code, gcc_jit_function *fn,
		      wt_jitg_lookup lookup, void *lctx);

#endif
