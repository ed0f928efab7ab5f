/* jit_gen.h: the translator of the compiling tier: one function's internal code (code.h) ->
 * libgccjit statements (jit_gen.c). */
#ifndef WT_JIT_GEN_H
#define WT_JIT_GEN_H

#include <libgccjit.h>

#include "code.h"

typedef struct wt_jitg wt_jitg;

/* The types and helper pointers shared by the functions of one context. */
wt_jitg *wt_jitg_new(gcc_jit_context *ctx);
void wt_jitg_free(wt_jitg *g);

/* 1 when every op of code (compiled detached: op numbers) is one the
 * translator handles; 0: the function stays interpreted. */
int wt_jitg_supported(const wt_code *code);

/* Declares the exported function `name` (a wt_jit_fn) a body is added to. */
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
