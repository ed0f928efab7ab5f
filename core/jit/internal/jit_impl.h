/* jit_impl.h: what the compiling tier's generated code calls (jit_rt.c) and the translator
 * (jit_gen.c) names; private to core/jit/. */
#ifndef WT_JIT_IMPL_H
#define WT_JIT_IMPL_H

#include <stdint.h>

#include "code.h"

/* Op helpers over slot bits, one per scalar op of code.h's lists, made from
 * the same expressions as the interpreter's handlers (the _I forms use the
 * plain op's helper with the immediate as a slot). NULL: not that shape. */
typedef uint64_t (*wt_jit_h2)(uint64_t a, uint64_t b);
typedef uint64_t (*wt_jit_h1)(uint64_t a);
typedef int (*wt_jit_ht2)(uint64_t a, uint64_t b, uint64_t *r); /* 0 or a trap kind */
typedef int (*wt_jit_ht1)(uint64_t a, uint64_t *r);
extern const wt_jit_h2 wt_jit_bin[WT_V_COUNT]; /* BINI, CMP, BINF rows */
extern const wt_jit_h1 wt_jit_un[WT_V_COUNT];
extern const wt_jit_ht2 wt_jit_bint[WT_V_COUNT];
extern const wt_jit_ht1 wt_jit_unt[WT_V_COUNT];

/* The helper of each vector op of vm_simd_ops.h (jit_rt_vec.c; NULL for the
 * other ops): operands x0..x5, named v[0..5] below by shape, and the result
 * returned (a v128 as its halves, a scalar in lo):
 *   BIN a:v[0..1] b:v[2..3]       UN a:v[0..1]          TERN a, b, c:v[4..5]
 *   SHIFT a, n:v[2]               SPLAT x:v[0]          EXTRACT a, L:v[2] -> x
 *   REPLACE a, x:v[2], L:v[3]     TEST a -> x           SHUFFLE a, b, sh:v[4..5]
 *   LOAD                          LOADLANE a, L:v[2]    STORE a   STORELANE a, L:v[2]
 * a memory shape's checked address (uint8_t *) is v[5]. */
typedef struct wt_jit_v2 {
	uint64_t lo, hi;
} wt_jit_v2;
typedef wt_jit_v2 (*wt_jit_hv)(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4,
			       uint64_t x5);
extern const wt_jit_hv wt_jit_vec[WT_V_COUNT];

/* Fills x->trap (kind tk, located at word `at` of f's code); returns -1. */
int wt_jit_trap(wt_jit_ctx *x, wt_funcinst *f, uint32_t at, int tk);

/* A call from word `at` of caller: the interpreter's checks at a call
 * (depth, first-call compile, value stack, interrupt), then the callee's
 * compiled body, its interpreted one, or the host function. Its frame is
 * at nfp (arguments in place); top is the end of the caller's frame.
 * 0, or -1 with x->trap filled and located. */
int wt_jit_call(wt_jit_ctx *x, wt_funcinst *caller, uint32_t at, wt_funcinst *callee, wt_slot *nfp,
		wt_slot *top);

/* call_indirect: entry i of table t, checked against type id `type`. */
int wt_jit_call_indirect(wt_jit_ctx *x, wt_funcinst *caller, uint32_t at, wt_tableinst *t,
			 uint32_t i, uint32_t type, wt_slot *nfp, wt_slot *top);

/* Bulk and table ops: 0 or a trap kind (vm_bulk.h). */
int wt_jit_memory_fill(wt_meminst *m, uint32_t d, uint32_t v, uint32_t n);
int wt_jit_memory_copy(wt_meminst *m, uint32_t d, uint32_t s, uint32_t n);
int wt_jit_memory_init(wt_meminst *m, wt_instance *inst, uint32_t seg, uint32_t d, uint32_t s,
		       uint32_t n);
uint64_t wt_jit_memory_grow(wt_meminst *m, uint32_t delta);
int wt_jit_table_get(wt_tableinst *t, uint32_t i, uint64_t *out);
int wt_jit_table_set(wt_tableinst *t, uint32_t i, uint64_t v);
uint64_t wt_jit_table_grow(wt_tableinst *t, uint64_t init, uint32_t delta);
int wt_jit_table_fill(wt_tableinst *t, uint32_t d, uint64_t v, uint32_t n);
int wt_jit_table_copy(wt_tableinst *dt, wt_tableinst *st, uint32_t d, uint32_t s, uint32_t n);
int wt_jit_table_init(wt_tableinst *t, wt_instance *inst, uint32_t seg, uint32_t d, uint32_t s,
		      uint32_t n);

#endif
