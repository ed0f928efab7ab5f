/* jit_gen_lanes.c: inline forms of the integer lane ops on a v128's two 64-bit halves with plain
 * integer arithmetic (lanes within a register): compares, min/max, shifts, abs/neg, bitselect,
 * any_true/all_true, bitmask, extends, and shuffles by their fixed pattern; each gives the bits
 * of its vm_simd_ops.h row. */
#include "jit_gen_vec.h"

/*
 * A half holds 64 / w lanes of w bits (8, 16, 32 or 64). The forms use
 * two constants per lane width: H, each lane's top bit, and LO = ~H, the
 * other bits. No form carries or borrows from one lane into the next:
 *
 *   lane a == b     top of ~(((x & LO) + LO) | x) with x = a ^ b
 *   lane a <u b     top of (~a & b) | (~(a ^ b) & ~d), d = (a | H) - (b & LO)
 *                   (d's top bit: no borrow out of the lane's low bits)
 *   signed          the unsigned compare of a ^ H and b ^ H
 *   top -> lane     (t - (t >> (w - 1))) | t: all ones where t's top bit is
 *   a - b           ((a | H) - (b & LO)) ^ ((a ^ ~b) & H)
 */

typedef gcc_jit_rvalue R;
typedef gcc_jit_lvalue L;

static uint64_t ones(unsigned w)
{
	return w == 64 ? UINT64_MAX : ((uint64_t)1 << w) - 1;
}

/* v in every lane of width w. */
static uint64_t rep(unsigned w, uint64_t v)
{
	return (v & ones(w)) * (UINT64_MAX / ones(w));
}

static uint64_t top(unsigned w)
{
	return rep(w, (uint64_t)1 << (w - 1));
}

static R *op2(jf *j, enum gcc_jit_binary_op o, R *a, R *b)
{
	return bin(j, o, j->g->t_u64, a, b);
}

static R *band(jf *j, R *a, R *b)
{
	return op2(j, GCC_JIT_BINARY_OP_BITWISE_AND, a, b);
}

static R *bor(jf *j, R *a, R *b)
{
	return op2(j, GCC_JIT_BINARY_OP_BITWISE_OR, a, b);
}

static R *bxor(jf *j, R *a, R *b)
{
	return op2(j, GCC_JIT_BINARY_OP_BITWISE_XOR, a, b);
}

static R *bnot(jf *j, R *a)
{
	return gcc_jit_context_new_unary_op(j->ctx, NULL, GCC_JIT_UNARY_OP_BITWISE_NEGATE,
					    j->g->t_u64, a);
}

/* a shifted left by k bits (right when k < 0). */
static R *bshift(jf *j, R *a, int k)
{
	if (k == 0)
		return a;
	return op2(j, k > 0 ? GCC_JIT_BINARY_OP_LSHIFT : GCC_JIT_BINARY_OP_RSHIFT, a,
		   u64c(j, (uint64_t)(k > 0 ? k : -k)));
}

/* Half i (0 low, 1 high) of the v128 at slot s, in a temporary. */
static L *half(jf *j, uint32_t s, uint32_t i)
{
	return keep(j, slot(j, s + i));
}

/* The top bits of the lanes where a == b. */
static R *eq_top(jf *j, unsigned w, L *a, L *b)
{
	uint64_t lo = ~top(w);
	L *x = keep(j, bxor(j, rv(a), rv(b)));
	R *nz =
	    bor(j, op2(j, GCC_JIT_BINARY_OP_PLUS, band(j, rv(x), u64c(j, lo)), u64c(j, lo)), rv(x));
	return band(j, bnot(j, nz), u64c(j, top(w)));
}

/* The top bits of the lanes where a < b, unsigned. */
static R *lt_top(jf *j, unsigned w, L *a, L *b)
{
	uint64_t h = top(w);
	L *d = keep(j, op2(j, GCC_JIT_BINARY_OP_MINUS, bor(j, rv(a), u64c(j, h)),
			   band(j, rv(b), u64c(j, ~h))));
	R *x = band(j, bnot(j, rv(a)), rv(b));
	R *y = band(j, bnot(j, bxor(j, rv(a), rv(b))), bnot(j, rv(d)));
	return band(j, bor(j, x, y), u64c(j, h));
}

/* Each lane all ones where t (top bits only) has its top bit, else 0. */
static R *expand(jf *j, unsigned w, R *t)
{
	L *l = keep(j, t);
	return bor(j, op2(j, GCC_JIT_BINARY_OP_MINUS, rv(l), bshift(j, rv(l), -(int)(w - 1))),
		   rv(l));
}

/* a - b lane by lane. */
static R *lane_sub(jf *j, unsigned w, L *a, L *b)
{
	uint64_t h = top(w);
	R *d =
	    op2(j, GCC_JIT_BINARY_OP_MINUS, bor(j, rv(a), u64c(j, h)), band(j, rv(b), u64c(j, ~h)));
	return bxor(j, d, band(j, bxor(j, rv(a), bnot(j, rv(b))), u64c(j, h)));
}

/* a + b lane by lane. */
static R *lane_add(jf *j, unsigned w, L *a, L *b)
{
	uint64_t h = top(w);
	R *sum = op2(j, GCC_JIT_BINARY_OP_PLUS, band(j, rv(a), u64c(j, ~h)),
		     band(j, rv(b), u64c(j, ~h)));
	return bxor(j, sum, band(j, bxor(j, rv(a), rv(b)), u64c(j, h)));
}

/* Lanes of w bits holding values of nw bits at their bottom: sign-extended. */
static R *sign_fill(jf *j, unsigned w, unsigned nw, L *z)
{
	R *s = band(j, bshift(j, rv(z), -(int)(nw - 1)), u64c(j, rep(w, 1)));
	return bor(j, rv(z), op2(j, GCC_JIT_BINARY_OP_MULT, s, u64c(j, ones(w) ^ ones(nw))));
}

/* ---- compares, min and max ---- */

enum { C_EQ, C_NE, C_LT, C_GT, C_LE, C_GE };

/* The lanes' top bits where a cond b (a, b already biased when signed). */
static R *cmp_top(jf *j, unsigned w, int cond, L *a, L *b)
{
	uint64_t h = top(w);
	switch (cond) {
	case C_EQ:
		return eq_top(j, w, a, b);
	case C_NE:
		return bxor(j, eq_top(j, w, a, b), u64c(j, h));
	case C_LT:
		return lt_top(j, w, a, b);
	case C_GT:
		return lt_top(j, w, b, a);
	case C_LE:
		return bxor(j, lt_top(j, w, b, a), u64c(j, h));
	default: /* C_GE */
		return bxor(j, lt_top(j, w, a, b), u64c(j, h));
	}
}

/* x ^ H when sgn (a signed compare as an unsigned one), in a temporary. */
static L *biased(jf *j, unsigned w, L *x, int sgn)
{
	return sgn ? keep(j, bxor(j, rv(x), u64c(j, top(w)))) : x;
}

static void compare(jf *j, unsigned w, int cond, int sgn, const uint32_t *wd)
{
	R *h[2];
	for (uint32_t i = 0; i < 2; i++) {
		L *a = biased(j, w, half(j, wd[3], i), sgn),
		  *b = biased(j, w, half(j, wd[4], i), sgn);
		h[i] = expand(j, w, cmp_top(j, w, cond, a, b));
	}
	set2(j, wd[2], h[0], h[1]);
}

/* min (max): a's lane where a < b (b < a), else b's: b ^ ((a ^ b) & m). */
static void min_max(jf *j, unsigned w, int max, int sgn, const uint32_t *wd)
{
	R *h[2];
	for (uint32_t i = 0; i < 2; i++) {
		L *a = half(j, wd[3], i), *b = half(j, wd[4], i);
		L *as = biased(j, w, a, sgn), *bs = biased(j, w, b, sgn);
		R *m = expand(j, w, max ? lt_top(j, w, bs, as) : lt_top(j, w, as, bs));
		h[i] = bxor(j, rv(b), band(j, bxor(j, rv(a), rv(b)), m));
	}
	set2(j, wd[2], h[0], h[1]);
}

/* ---- shifts: the count modulo the lane width ---- */

enum { S_SHL, S_SHR_S, S_SHR_U };

/* A 64-bit lane: the plain shift (arithmetic through int64_t). */
static R *shift64(jf *j, int kind, L *a, L *k)
{
	enum gcc_jit_binary_op o =
	    kind == S_SHL ? GCC_JIT_BINARY_OP_LSHIFT : GCC_JIT_BINARY_OP_RSHIFT;
	if (kind != S_SHR_S)
		return op2(j, o, rv(a), rv(k));
	gcc_jit_type *I = j->g->t_i64;
	return cast(j, bin(j, o, I, cast(j, rv(a), I), cast(j, rv(k), I)), j->g->t_u64);
}

/* The half shifted as a whole, then the bits that crossed into another
 * lane cleared (m: the bits each lane keeps); shr_s fills the cleared
 * bits of a negative lane with ones. */
static void shift(jf *j, unsigned w, int kind, const uint32_t *wd)
{
	L *k = keep(j, band(j, slot(j, wd[4]), u64c(j, w - 1)));
	L *m = NULL;
	if (w < 64) {
		R *e = op2(j, kind == S_SHL ? GCC_JIT_BINARY_OP_LSHIFT : GCC_JIT_BINARY_OP_RSHIFT,
			   u64c(j, ones(w)), rv(k));
		m = keep(j, op2(j, GCC_JIT_BINARY_OP_MULT, band(j, e, u64c(j, ones(w))),
				u64c(j, rep(w, 1))));
	}
	R *h[2];
	for (uint32_t i = 0; i < 2; i++) {
		L *a = half(j, wd[3], i);
		if (!m) {
			h[i] = shift64(j, kind, a, k);
			continue;
		}
		enum gcc_jit_binary_op o =
		    kind == S_SHL ? GCC_JIT_BINARY_OP_LSHIFT : GCC_JIT_BINARY_OP_RSHIFT;
		h[i] = band(j, op2(j, o, rv(a), rv(k)), rv(m));
		if (kind == S_SHR_S)
			h[i] = bor(
			    j, h[i],
			    band(j, expand(j, w, band(j, rv(a), u64c(j, top(w)))), bnot(j, rv(m))));
	}
	set2(j, wd[2], h[0], h[1]);
}

/* ---- abs, neg ---- */

static void abs_neg(jf *j, unsigned w, int neg, const uint32_t *wd)
{
	R *h[2];
	for (uint32_t i = 0; i < 2; i++) {
		L *a = half(j, wd[3], i);
		if (neg) {
			h[i] = lane_sub(j, w, keep(j, u64c(j, 0)), a);
			continue;
		}
		/* (a ^ m) - m, m all ones in the negative lanes */
		L *m = keep(j, expand(j, w, band(j, rv(a), u64c(j, top(w)))));
		h[i] = lane_sub(j, w, keep(j, bxor(j, rv(a), rv(m))), m);
	}
	set2(j, wd[2], h[0], h[1]);
}

/* ---- saturating add and sub, avgr_u, popcnt ---- */

/* add_sat/sub_sat (sub; sgn): the wrapped result, then the lanes that
 * overflowed set to the bound: unsigned all ones (add) or 0 (sub); signed
 * the bound on a's side. avgr_u: (a | b) - ((a ^ b) >> 1), which no lane
 * borrows from. */
static R *saturated(jf *j, unsigned w, int sub, int sgn, L *a, L *b)
{
	uint64_t h = top(w);
	L *r = keep(j, sub ? lane_sub(j, w, a, b) : lane_add(j, w, a, b));
	if (!sgn && !sub) {
		R *c = bor(j, band(j, rv(a), rv(b)), band(j, bor(j, rv(a), rv(b)), bnot(j, rv(r))));
		return bor(j, rv(r), expand(j, w, band(j, c, u64c(j, h))));
	}
	if (!sgn)
		return band(j, rv(r), bnot(j, expand(j, w, lt_top(j, w, a, b))));
	R *o = sub ? band(j, bxor(j, rv(a), rv(b)), bxor(j, rv(a), rv(r)))
		   : band(j, bxor(j, rv(a), rv(r)), bxor(j, rv(b), rv(r)));
	L *m = keep(j, expand(j, w, band(j, o, u64c(j, h))));
	R *bound = bxor(j, u64c(j, ~h), expand(j, w, band(j, rv(a), u64c(j, h))));
	return bxor(j, rv(r), band(j, bxor(j, rv(r), bound), rv(m)));
}

static void sat_avgr(jf *j, unsigned w, unsigned i, const uint32_t *wd)
{
	R *h[2];
	for (uint32_t k = 0; k < 2; k++) {
		L *a = half(j, wd[3], k), *b = half(j, wd[4], k);
		if (i < 4) { /* add_sat_s add_sat_u sub_sat_s sub_sat_u */
			h[k] = saturated(j, w, i >= 2, i % 2 == 0, a, b);
			continue;
		}
		R *half_xor =
		    band(j, bshift(j, bxor(j, rv(a), rv(b)), -1), u64c(j, rep(w, ones(w) >> 1)));
		h[k] = op2(j, GCC_JIT_BINARY_OP_MINUS, bor(j, rv(a), rv(b)), half_xor);
	}
	set2(j, wd[2], h[0], h[1]);
}

/* popcnt: the bit count of each byte, by pairs, nibbles, then bytes. */
static void popcnt(jf *j, const uint32_t *wd)
{
	R *h[2];
	for (uint32_t k = 0; k < 2; k++) {
		L *x = half(j, wd[3], k);
		L *p = keep(j, op2(j, GCC_JIT_BINARY_OP_MINUS, rv(x),
				   band(j, bshift(j, rv(x), -1), u64c(j, rep(8, 0x55)))));
		L *q = keep(j, op2(j, GCC_JIT_BINARY_OP_PLUS, band(j, rv(p), u64c(j, rep(8, 0x33))),
				   band(j, bshift(j, rv(p), -2), u64c(j, rep(8, 0x33)))));
		h[k] = band(j, op2(j, GCC_JIT_BINARY_OP_PLUS, rv(q), bshift(j, rv(q), -4)),
			    u64c(j, rep(8, 0x0f)));
	}
	set2(j, wd[2], h[0], h[1]);
}

/* ---- bitselect, tests, bitmask ---- */

static void bitselect(jf *j, const uint32_t *wd)
{
	R *h[2];
	for (uint32_t i = 0; i < 2; i++) {
		L *b = half(j, wd[4], i);
		h[i] =
		    bxor(j, rv(b), band(j, bxor(j, slot(j, wd[3] + i), rv(b)), slot(j, wd[5] + i)));
	}
	set2(j, wd[2], h[0], h[1]);
}

/* The i32 result of a test (0 or 1) from a condition. */
static void set_test(jf *j, uint32_t d, R *cond)
{
	set(j, d, cast(j, cond, j->g->t_u64));
}

/* all_true (w < 128) or any_true (w == 128): no zero lane, a non-zero bit. */
static void test(jf *j, unsigned w, const uint32_t *wd)
{
	if (w == 128) {
		set_test(j, wd[2],
			 cmp(j, GCC_JIT_COMPARISON_NE, bor(j, slot(j, wd[3]), slot(j, wd[3] + 1)),
			     u64c(j, 0)));
		return;
	}
	L *zero = keep(j, u64c(j, 0));
	R *z = bor(j, eq_top(j, w, half(j, wd[3], 0), zero), eq_top(j, w, half(j, wd[3], 1), zero));
	set_test(j, wd[2], cmp(j, GCC_JIT_COMPARISON_EQ, z, u64c(j, 0)));
}

/* bitmask: each lane's top bit moved to its lane's place at the bottom
 * of the half (a bit per lane at 0, w, 2w ...), then gathered by one
 * multiply: lane i's bit lands on bit (w - 1) * n + i, where no other
 * product bit falls, with n = 64 / w lanes. */
static R *gather(jf *j, unsigned w, R *x)
{
	unsigned n = 64 / w;
	uint64_t mul = 0;
	for (unsigned k = 1; k <= n; k++)
		mul |= (uint64_t)1 << ((w - 1) * k);
	R *bits = band(j, bshift(j, x, -(int)(w - 1)), u64c(j, rep(w, 1)));
	return bshift(j, op2(j, GCC_JIT_BINARY_OP_MULT, bits, u64c(j, mul)), -(int)((w - 1) * n));
}

static void bitmask(jf *j, unsigned w, const uint32_t *wd)
{
	R *hi = bshift(j, gather(j, w, slot(j, wd[3] + 1)), (int)(64 / w));
	set(j, wd[2], bor(j, gather(j, w, slot(j, wd[3])), hi));
}

/* ---- extends: lanes of width w/2 to width w ---- */

/* Half h of the result: the narrow lanes of src it holds moved to the
 * bottom of their wide lanes (zero-extended), then for a signed extend
 * the narrow lane's sign copied above it. */
R *wt_jg_lanes_extend_half(jf *j, unsigned w, int sgn, L *src, uint32_t h)
{
	unsigned nw = w / 2, n = 64 / w;
	R *z = NULL;
	for (unsigned i = 0; i < n; i++) {
		int from = (int)((h * n + i) * nw), to = (int)(i * w);
		R *t = band(j, bshift(j, rv(src), to - from), u64c(j, ones(nw) << to));
		z = z ? bor(j, z, t) : t;
	}
	if (!sgn)
		return z;
	return sign_fill(j, w, nw, keep(j, z));
}

void wt_jg_lanes_extend(jf *j, uint32_t d, unsigned w, int sgn, L *src)
{
	set2(j, d, wt_jg_lanes_extend_half(j, w, sgn, src, 0),
	     wt_jg_lanes_extend_half(j, w, sgn, src, 1));
}

static void extend(jf *j, unsigned w, int high, int sgn, const uint32_t *wd)
{
	wt_jg_lanes_extend(j, wd[2], w, sgn, half(j, wd[3], (uint32_t)high));
}

/* extadd_pairwise: each lane of w bits the sum of its two halves' lanes. */
static void extadd(jf *j, unsigned w, int sgn, const uint32_t *wd)
{
	unsigned nw = w / 2;
	uint64_t m = rep(w, ones(nw));
	R *h[2];
	for (uint32_t i = 0; i < 2; i++) {
		L *a = half(j, wd[3], i);
		L *e0 = keep(j, band(j, rv(a), u64c(j, m)));
		L *e1 = keep(j, band(j, bshift(j, rv(a), -(int)nw), u64c(j, m)));
		if (!sgn) {
			h[i] = op2(j, GCC_JIT_BINARY_OP_PLUS, rv(e0), rv(e1));
			continue;
		}
		h[i] = lane_add(j, w, keep(j, sign_fill(j, w, nw, e0)),
				keep(j, sign_fill(j, w, nw, e1)));
	}
	set2(j, wd[2], h[0], h[1]);
}

/* narrow: lanes of w bits (signed) saturated to w / 2 bits, signed (sgn) or
 * unsigned, a's lanes then b's. A lane is out of range when a bit between
 * the narrow lane's top (sgn: its sign) and the wide lane's sign differs
 * from the sign; it then takes the bound on its side. */
static R *saturate(jf *j, unsigned w, int sgn, L *x)
{
	unsigned nw = w / 2;
	uint64_t t = rep(w, ones(w - 1) & ~ones(sgn ? nw - 1 : nw));
	L *neg = keep(j, expand(j, w, band(j, rv(x), u64c(j, top(w)))));
	R *y = band(j, bxor(j, rv(x), rv(neg)), u64c(j, t));
	L *big = keep(j, expand(j, w,
				band(j, op2(j, GCC_JIT_BINARY_OP_PLUS, y, u64c(j, ~top(w))),
				     u64c(j, top(w)))));
	/* the bound: sgn: 0111.. or (negative) 1000..; unsigned: 1111.. or 0 */
	R *bound = sgn ? bxor(j, u64c(j, rep(w, ones(nw - 1))),
			      band(j, rv(neg), u64c(j, rep(w, ones(nw)))))
		       : band(j, bnot(j, rv(neg)), u64c(j, rep(w, ones(nw))));
	R *v = bxor(j, rv(x), band(j, bxor(j, rv(x), bound), rv(big)));
	if (!sgn)
		v = band(j, v, bor(j, bnot(j, rv(neg)), rv(big)));
	return v;
}

/* The low w / 2 bits of each lane of x packed together (32 bits). */
static R *pack(jf *j, unsigned w, L *x)
{
	unsigned nw = w / 2;
	R *p = NULL;
	for (unsigned i = 0; i < 64 / w; i++) {
		R *t = band(j, bshift(j, rv(x), -(int)(i * nw)), u64c(j, ones(nw) << (i * nw)));
		p = p ? bor(j, p, t) : t;
	}
	return p;
}

static void narrow(jf *j, unsigned w, int sgn, const uint32_t *wd)
{
	R *h[2];
	for (uint32_t i = 0; i < 2; i++) {
		uint32_t s = i ? wd[4] : wd[3];
		L *lo = keep(j, saturate(j, w, sgn, half(j, s, 0)));
		L *hi = keep(j, saturate(j, w, sgn, half(j, s, 1)));
		h[i] = bor(j, pack(j, w, lo), bshift(j, pack(j, w, hi), 32));
	}
	set2(j, wd[2], h[0], h[1]);
}

/* ---- shuffle: its 16 lane indices are fixed ---- */

/*
 * Output byte d of a half comes from byte s (0..31) of a's and b's four
 * halves. Two ways to move them, the one with fewer terms taken (a term
 * costs about three operations by shift, four by byte):
 * - by shift: the source half s / 8 shifted by 8 * (d % 8 - s % 8); bytes
 *   taking the same shift of the same half share one shift and mask (the
 *   mask left out where the shift alone leaves only them);
 * - by byte: source byte s, alone, times the sum of 2^(8 d) over the bytes
 *   d it goes to (a byte repeated: clang's zero-extend and splat forms).
 */
static R *by_shift(jf *j, L *src[4], const uint64_t mask[4][15])
{
	R *x = NULL;
	for (int s = 0; s < 4; s++)
		for (int k = -7; k <= 7; k++) {
			uint64_t m = mask[s][k + 7];
			if (!m)
				continue;
			uint64_t kept = k >= 0 ? UINT64_MAX << (8 * k) : UINT64_MAX >> (-8 * k);
			R *t = bshift(j, rv(src[s]), 8 * k);
			if (m != kept)
				t = band(j, t, u64c(j, m));
			x = x ? bor(j, x, t) : t;
		}
	return x;
}

static R *by_byte(jf *j, L *src[4], const uint64_t mul[32])
{
	R *x = NULL;
	for (int s = 0; s < 32; s++) {
		if (!mul[s])
			continue;
		R *t = bshift(j, rv(src[s / 8]), -8 * (s % 8));
		if (s % 8 != 7)
			t = band(j, t, u64c(j, 0xff));
		t = op2(j, GCC_JIT_BINARY_OP_MULT, t, u64c(j, mul[s]));
		x = x ? bor(j, x, t) : t;
	}
	return x;
}

static R *shuffle_half(jf *j, L *src[4], const uint8_t *sh)
{
	uint64_t mask[4][15] = {{0}}, mul[32] = {0};
	unsigned shifts = 0, bytes = 0;
	for (int d = 0; d < 8; d++) {
		unsigned s = sh[d] & 31;
		uint64_t *m = &mask[s / 8][d - (int)(s % 8) + 7];
		shifts += !*m;
		bytes += !mul[s];
		*m |= (uint64_t)0xff << (8 * d);
		mul[s] |= (uint64_t)1 << (8 * d);
	}
	return 4 * bytes < 3 * shifts ? by_byte(j, src, mul) : by_shift(j, src, mask);
}

static void shuffle(jf *j, const uint32_t *wd)
{
	uint8_t sh[16];
	for (int i = 0; i < 16; i++)
		sh[i] = (uint8_t)(wd[5 + i / 4] >> (8 * (i % 4)));
	L *src[4] = {half(j, wd[3], 0), half(j, wd[3], 1), half(j, wd[4], 0), half(j, wd[4], 1)};
	set2(j, wd[2], shuffle_half(j, src, sh), shuffle_half(j, src, sh + 8));
}

/* ---- which ops, by their groups of consecutive rows ---- */

enum { G_CMP, G_CMP64, G_MINMAX, G_SHIFT, G_ABSNEG, G_EXTEND, G_SAT };

static const struct {
	uint16_t first;
	uint8_t n, kind, w;
} groups[] = {
    {WT_V_I8X16_EQ, 10, G_CMP, 8},
    {WT_V_I16X8_EQ, 10, G_CMP, 16},
    {WT_V_I32X4_EQ, 10, G_CMP, 32},
    {WT_V_I64X2_EQ, 6, G_CMP64, 64},
    {WT_V_I8X16_MIN_S, 4, G_MINMAX, 8},
    {WT_V_I16X8_MIN_S, 4, G_MINMAX, 16},
    {WT_V_I32X4_MIN_S, 4, G_MINMAX, 32},
    {WT_V_I8X16_ADD_SAT_S, 5, G_SAT, 8},
    {WT_V_I16X8_ADD_SAT_S, 5, G_SAT, 16},
    {WT_V_I8X16_SHL, 3, G_SHIFT, 8},
    {WT_V_I16X8_SHL, 3, G_SHIFT, 16},
    {WT_V_I32X4_SHL, 3, G_SHIFT, 32},
    {WT_V_I64X2_SHL, 3, G_SHIFT, 64},
    {WT_V_I8X16_ABS, 2, G_ABSNEG, 8},
    {WT_V_I16X8_ABS, 2, G_ABSNEG, 16},
    {WT_V_I32X4_ABS, 2, G_ABSNEG, 32},
    {WT_V_I64X2_ABS, 2, G_ABSNEG, 64},
    {WT_V_I16X8_EXTEND_LOW_I8X16_S, 8, G_EXTEND, 16},
    {WT_V_I32X4_EXTEND_LOW_I16X8_S, 8, G_EXTEND, 32},
    {WT_V_I64X2_EXTEND_LOW_I32X4_S, 8, G_EXTEND, 64},
};

/* The rows' order the groups rely on (vm_simd_ops.h). */
_Static_assert(WT_V_I8X16_GE_U - WT_V_I8X16_EQ == 9 && WT_V_I16X8_GE_U - WT_V_I16X8_EQ == 9 &&
		   WT_V_I32X4_GE_U - WT_V_I32X4_EQ == 9 && WT_V_I64X2_GE_S - WT_V_I64X2_EQ == 5,
	       "compare rows: eq ne, then lt gt le ge (s, u)");
_Static_assert(WT_V_I8X16_MAX_U - WT_V_I8X16_MIN_S == 3 &&
		   WT_V_I16X8_MAX_U - WT_V_I16X8_MIN_S == 3 &&
		   WT_V_I32X4_MAX_U - WT_V_I32X4_MIN_S == 3,
	       "min_s min_u max_s max_u");
_Static_assert(WT_V_I8X16_SHR_U - WT_V_I8X16_SHL == 2 && WT_V_I16X8_SHR_U - WT_V_I16X8_SHL == 2 &&
		   WT_V_I32X4_SHR_U - WT_V_I32X4_SHL == 2 && WT_V_I64X2_SHR_U - WT_V_I64X2_SHL == 2,
	       "shl shr_s shr_u");
_Static_assert(WT_V_I8X16_AVGR_U - WT_V_I8X16_ADD_SAT_S == 4 &&
		   WT_V_I16X8_AVGR_U - WT_V_I16X8_ADD_SAT_S == 4,
	       "add_sat s u, sub_sat s u, avgr_u");
_Static_assert(WT_V_I8X16_NEG - WT_V_I8X16_ABS == 1 && WT_V_I16X8_NEG - WT_V_I16X8_ABS == 1 &&
		   WT_V_I32X4_NEG - WT_V_I32X4_ABS == 1 && WT_V_I64X2_NEG - WT_V_I64X2_ABS == 1,
	       "abs neg");
_Static_assert(WT_V_I16X8_EXTMUL_HIGH_I8X16_U - WT_V_I16X8_EXTEND_LOW_I8X16_S == 7 &&
		   WT_V_I32X4_EXTMUL_HIGH_I16X8_U - WT_V_I32X4_EXTEND_LOW_I16X8_S == 7 &&
		   WT_V_I64X2_EXTMUL_HIGH_I32X4_U - WT_V_I64X2_EXTEND_LOW_I32X4_S == 7,
	       "extend/extmul: low s, low u, high s, high u");

/* A row of a group: i its place in the group. */
static int grouped(jf *j, int kind, unsigned w, unsigned i, const uint32_t *wd)
{
	switch (kind) {
	case G_CMP: /* eq ne, then (lt gt le ge) x (s u) */
		compare(j, w, i < 2 ? (int)i : C_LT + (int)(i - 2) / 2, i < 2 || i % 2 == 0, wd);
		return 1;
	case G_CMP64: /* eq ne lt_s gt_s le_s ge_s */
		compare(j, w, (int)i, 1, wd);
		return 1;
	case G_MINMAX: /* min_s min_u max_s max_u */
		min_max(j, w, i >= 2, i % 2 == 0, wd);
		return 1;
	case G_SHIFT:
		shift(j, w, (int)i, wd);
		return 1;
	case G_ABSNEG:
		abs_neg(j, w, i == 1, wd);
		return 1;
	case G_SAT: /* add_sat_s add_sat_u sub_sat_s sub_sat_u avgr_u */
		sat_avgr(j, w, i, wd);
		return 1;
	default: /* G_EXTEND: extend_low_s, extmul, extend_low_u, extmul, then high */
		if (i % 2)
			return 0;
		extend(j, w, i >= 4, i % 4 == 0, wd);
		return 1;
	}
}

int wt_jg_lanes(jf *j, uint32_t op, const uint32_t *wd)
{
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
		if (op >= groups[g].first && op < groups[g].first + groups[g].n)
			return grouped(j, groups[g].kind, groups[g].w, op - groups[g].first, wd);
	switch (op) {
	case WT_V_I16X8_EXTADD_PAIRWISE_I8X16_S:
	case WT_V_I16X8_EXTADD_PAIRWISE_I8X16_U:
		extadd(j, 16, op == WT_V_I16X8_EXTADD_PAIRWISE_I8X16_S, wd);
		return 1;
	case WT_V_I32X4_EXTADD_PAIRWISE_I16X8_S:
	case WT_V_I32X4_EXTADD_PAIRWISE_I16X8_U:
		extadd(j, 32, op == WT_V_I32X4_EXTADD_PAIRWISE_I16X8_S, wd);
		return 1;
	case WT_V_I8X16_NARROW_I16X8_S:
	case WT_V_I8X16_NARROW_I16X8_U:
		narrow(j, 16, op == WT_V_I8X16_NARROW_I16X8_S, wd);
		return 1;
	case WT_V_I16X8_NARROW_I32X4_S:
	case WT_V_I16X8_NARROW_I32X4_U:
		narrow(j, 32, op == WT_V_I16X8_NARROW_I32X4_S, wd);
		return 1;
	case WT_V_I8X16_POPCNT:
		popcnt(j, wd);
		return 1;
	case WT_V_I8X16_SHUFFLE:
		shuffle(j, wd);
		return 1;
	case WT_V_V128_BITSELECT:
		bitselect(j, wd);
		return 1;
	case WT_V_V128_ANY_TRUE:
		test(j, 128, wd);
		return 1;
	case WT_V_I8X16_ALL_TRUE:
	case WT_V_I16X8_ALL_TRUE:
	case WT_V_I32X4_ALL_TRUE:
	case WT_V_I64X2_ALL_TRUE:
		test(j,
		     op == WT_V_I8X16_ALL_TRUE	 ? 8
		     : op == WT_V_I16X8_ALL_TRUE ? 16
		     : op == WT_V_I32X4_ALL_TRUE ? 32
						 : 64,
		     wd);
		return 1;
	case WT_V_I8X16_BITMASK:
		bitmask(j, 8, wd);
		return 1;
	case WT_V_I16X8_BITMASK:
		bitmask(j, 16, wd);
		return 1;
	case WT_V_I32X4_BITMASK:
		bitmask(j, 32, wd);
		return 1;
	case WT_V_I64X2_BITMASK:
		bitmask(j, 64, wd);
		return 1;
	default:
		return 0;
	}
}
