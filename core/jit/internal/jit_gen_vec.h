/* jit_gen_vec.h: what the translator's vector files share (jit_gen_vec.c: the dispatch, helper
 * calls, memory and GCC vector forms; jit_gen_lanes.c: lane logic on 64-bit halves;
 * jit_gen_vlane.c: lane by lane): a v128 as the values of its two slots. Private to core/jit/. */
#ifndef WT_JIT_GEN_VEC_H
#define WT_JIT_GEN_VEC_H

#include "jit_gen_impl.h"

static inline gcc_jit_rvalue *u64c(jf *j, uint64_t v)
{
	return lit(j, j->g->t_u64, v);
}

static inline gcc_jit_rvalue *rv(gcc_jit_lvalue *l)
{
	return gcc_jit_lvalue_as_rvalue(l);
}

/* A temporary holding v (so a result is computed before any slot is
 * written, and a value used twice is computed once: an rvalue is never
 * used in two places). */
static inline gcc_jit_lvalue *keep(jf *j, gcc_jit_rvalue *v)
{
	gcc_jit_lvalue *t = local(j, gcc_jit_rvalue_get_type(v));
	gcc_jit_block_add_assignment(j->cur, NULL, t, v);
	return t;
}

/* The v128 at slot d becomes (lo, hi): both read before either is written. */
static inline void set2(jf *j, uint32_t d, gcc_jit_rvalue *lo, gcc_jit_rvalue *hi)
{
	gcc_jit_lvalue *l = keep(j, lo), *h = keep(j, hi);
	set(j, d, rv(l));
	set(j, d + 1, rv(h));
}

/* jit_gen_lanes.c (lanes within a half), jit_gen_vlane.c (lane by lane):
 * 1 when op has an inline form there (and emits it). */
int wt_jg_lanes(jf *j, uint32_t op, const uint32_t *w);
int wt_jg_scalar_lanes(jf *j, uint32_t op, const uint32_t *w);

/* jit_gen_lanes.c: the v128 at slot d becomes the lanes of w / 2 bits of
 * src (one half's bits) extended to w bits, signed when sgn. */
void wt_jg_lanes_extend(jf *j, uint32_t d, unsigned w, int sgn, gcc_jit_lvalue *src);
/* ... and half h (0, 1) of that v128. */
gcc_jit_rvalue *wt_jg_lanes_extend_half(jf *j, unsigned w, int sgn, gcc_jit_lvalue *src,
					uint32_t h);

#endif
