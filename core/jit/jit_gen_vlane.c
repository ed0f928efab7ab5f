/* jit_gen_vlane.c: inline forms of the vector ops the translator computes lane by lane with
 * scalar arithmetic: float compares, pmin/pmax, i32 to float conversions, float abs/neg,
 * i64x2.mul and i32x4.dot_i16x8_s; each gives the bits of its vm_simd_ops.h row. */
#include "jit_gen_vec.h"

/* Float abs and neg: the sign bits cleared or flipped, half by half. */
static void sign_bits(jf *j, uint32_t op, const uint32_t *w)
{
	int f64 = op == WT_V_F64X2_ABS || op == WT_V_F64X2_NEG;
	int neg = op == WT_V_F32X4_NEG || op == WT_V_F64X2_NEG;
	uint64_t sign = f64 ? 0x8000000000000000ull : 0x8000000080000000ull;
	gcc_jit_rvalue *h[2];
	for (uint32_t i = 0; i < 2; i++)
		h[i] = neg ? bin(j, GCC_JIT_BINARY_OP_BITWISE_XOR, j->g->t_u64, slot(j, w[3] + i),
				 u64c(j, sign))
			   : bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, j->g->t_u64, slot(j, w[3] + i),
				 u64c(j, ~sign));
	set2(j, w[2], h[0], h[1]);
}

/* Float lanes, by half: a half's lanes of a and b, f64 or f32 (two). */
typedef gcc_jit_rvalue *(*flane_fn)(jf *j, int f64, gcc_jit_rvalue *x, gcc_jit_rvalue *y,
				    const void *arg);

/* Each half of the v128 at w[2] from its lanes of a (w[3]) and b (w[4]):
 * fn gives a lane's result bits from the lanes' bits. */
static void per_flane(jf *j, int f64, const uint32_t *w, flane_fn fn, const void *arg)
{
	gcc_jit_type *U = j->g->t_u64;
	gcc_jit_rvalue *h[2];
	for (uint32_t i = 0; i < 2; i++) {
		gcc_jit_lvalue *a = keep(j, slot(j, w[3] + i)), *b = keep(j, slot(j, w[4] + i));
		h[i] = NULL;
		for (unsigned l = 0; l < (f64 ? 1u : 2u); l++) {
			gcc_jit_rvalue *x = rv(a), *y = rv(b);
			if (l) {
				x = bin(j, GCC_JIT_BINARY_OP_RSHIFT, U, x, u64c(j, 32));
				y = bin(j, GCC_JIT_BINARY_OP_RSHIFT, U, y, u64c(j, 32));
			}
			gcc_jit_rvalue *t = fn(j, f64, x, y, arg);
			if (!f64)
				t = bin(j, GCC_JIT_BINARY_OP_LSHIFT, U,
					bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, U, t,
					    u64c(j, 0xffffffffu)),
					u64c(j, 32 * l));
			h[i] = h[i] ? bin(j, GCC_JIT_BINARY_OP_BITWISE_OR, U, h[i], t) : t;
		}
	}
	set2(j, w[2], h[0], h[1]);
}

/* All ones where x c y, as floats (C's compares: false with a NaN, but
 * ne true; -0 equals +0). */
static gcc_jit_rvalue *fmask(jf *j, int f64, enum gcc_jit_comparison c, gcc_jit_rvalue *x,
			     gcc_jit_rvalue *y)
{
	gcc_jit_rvalue *t =
	    cmp(j, c, as(j, x, f64 ? TY_f64 : TY_f32), as(j, y, f64 ? TY_f64 : TY_f32));
	return bin(j, GCC_JIT_BINARY_OP_MINUS, j->g->t_u64, u64c(j, 0), cast(j, t, j->g->t_u64));
}

static gcc_jit_rvalue *fcmp_lane(jf *j, int f64, gcc_jit_rvalue *x, gcc_jit_rvalue *y,
				 const void *arg)
{
	return fmask(j, f64, *(const enum gcc_jit_comparison *)arg, x, y);
}

/* pmin: b < a ? b : a; pmax: a < b ? b : a (bits; arg: pmax). */
static gcc_jit_rvalue *pminmax_lane(jf *j, int f64, gcc_jit_rvalue *x, gcc_jit_rvalue *y,
				    const void *arg)
{
	gcc_jit_type *U = j->g->t_u64;
	gcc_jit_lvalue *a = keep(j, x), *b = keep(j, y);
	gcc_jit_rvalue *m = *(const int *)arg ? fmask(j, f64, GCC_JIT_COMPARISON_LT, rv(a), rv(b))
					      : fmask(j, f64, GCC_JIT_COMPARISON_LT, rv(b), rv(a));
	return bin(j, GCC_JIT_BINARY_OP_BITWISE_XOR, U, rv(a),
		   bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, U,
		       bin(j, GCC_JIT_BINARY_OP_BITWISE_XOR, U, rv(a), rv(b)), m));
}

/* f32x4 and f64x2 compares (rows eq ne lt gt le ge). */
static void fcompare(jf *j, uint32_t op, const uint32_t *w)
{
	static const enum gcc_jit_comparison cond[6] = {
	    GCC_JIT_COMPARISON_EQ, GCC_JIT_COMPARISON_NE, GCC_JIT_COMPARISON_LT,
	    GCC_JIT_COMPARISON_GT, GCC_JIT_COMPARISON_LE, GCC_JIT_COMPARISON_GE};
	int f64 = op >= WT_V_F64X2_EQ;
	per_flane(j, f64, w, fcmp_lane, &cond[op - (f64 ? WT_V_F64X2_EQ : WT_V_F32X4_EQ)]);
}
_Static_assert(WT_V_F32X4_GE - WT_V_F32X4_EQ == 5 && WT_V_F64X2_EQ == WT_V_F32X4_GE + 1 &&
		   WT_V_F64X2_GE - WT_V_F64X2_EQ == 5,
	       "float compare rows: eq ne lt gt le ge, f32x4 then f64x2");

static void pminmax(jf *j, uint32_t op, const uint32_t *w)
{
	static const int max[2] = {0, 1};
	per_flane(j, op == WT_V_F64X2_PMIN || op == WT_V_F64X2_PMAX, w, pminmax_lane,
		  &max[op == WT_V_F32X4_PMAX || op == WT_V_F64X2_PMAX]);
}

/* i32 lane bits x (u64, high bits ignored) converted to a float's bits:
 * C's conversions, rounding to nearest as the rows' do. */
static gcc_jit_rvalue *from_i32(jf *j, gcc_jit_rvalue *x, int sgn, int f64)
{
	wt_jitg *g = j->g;
	gcc_jit_rvalue *i = cast(j, cast(j, x, g->t_u32), sgn ? g->t_i32 : g->t_u32);
	return bits(j, cast(j, i, f64 ? g->t_f64 : g->t_f32), f64 ? TY_f64 : TY_f32);
}

/* f32x4.convert_i32x4_s/u, f64x2.convert_low_i32x4_s/u. */
static void convert(jf *j, uint32_t op, const uint32_t *w)
{
	gcc_jit_type *U = j->g->t_u64;
	int sgn = op == WT_V_F32X4_CONVERT_I32X4_S || op == WT_V_F64X2_CONVERT_LOW_I32X4_S;
	gcc_jit_rvalue *h[2];
	if (op == WT_V_F64X2_CONVERT_LOW_I32X4_S || op == WT_V_F64X2_CONVERT_LOW_I32X4_U) {
		gcc_jit_lvalue *a = keep(j, slot(j, w[3]));
		h[0] = from_i32(j, rv(a), sgn, 1);
		h[1] = from_i32(j, bin(j, GCC_JIT_BINARY_OP_RSHIFT, U, rv(a), u64c(j, 32)), sgn, 1);
		set2(j, w[2], h[0], h[1]);
		return;
	}
	for (uint32_t i = 0; i < 2; i++) {
		gcc_jit_lvalue *a = keep(j, slot(j, w[3] + i));
		gcc_jit_rvalue *hi =
		    from_i32(j, bin(j, GCC_JIT_BINARY_OP_RSHIFT, U, rv(a), u64c(j, 32)), sgn, 0);
		h[i] = bin(j, GCC_JIT_BINARY_OP_BITWISE_OR, U, from_i32(j, rv(a), sgn, 0),
			   bin(j, GCC_JIT_BINARY_OP_LSHIFT, U, hi, u64c(j, 32)));
	}
	set2(j, w[2], h[0], h[1]);
}

/* i64x2.mul: a lane per half, multiplied as it is. */
static void mul64(jf *j, const uint32_t *w)
{
	gcc_jit_type *U = j->g->t_u64;
	set2(j, w[2], bin(j, GCC_JIT_BINARY_OP_MULT, U, slot(j, w[3]), slot(j, w[4])),
	     bin(j, GCC_JIT_BINARY_OP_MULT, U, slot(j, w[3] + 1), slot(j, w[4] + 1)));
}

/* i32x4.dot_i16x8_s: per 32-bit lane, the two products of its 16-bit
 * lanes (sign-extended in 64 bits: (v ^ 0x8000) - 0x8000) added. */
static gcc_jit_rvalue *sext16_at(jf *j, gcc_jit_lvalue *x, unsigned at)
{
	gcc_jit_type *U = j->g->t_u64;
	gcc_jit_rvalue *v =
	    bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, U,
		bin(j, GCC_JIT_BINARY_OP_RSHIFT, U, rv(x), u64c(j, at)), u64c(j, 0xffff));
	return bin(j, GCC_JIT_BINARY_OP_MINUS, U,
		   bin(j, GCC_JIT_BINARY_OP_BITWISE_XOR, U, v, u64c(j, 0x8000)), u64c(j, 0x8000));
}

static void dot(jf *j, const uint32_t *w)
{
	gcc_jit_type *U = j->g->t_u64;
	gcc_jit_rvalue *h[2];
	for (uint32_t i = 0; i < 2; i++) {
		gcc_jit_lvalue *a = keep(j, slot(j, w[3] + i)), *b = keep(j, slot(j, w[4] + i));
		h[i] = NULL;
		for (unsigned l = 0; l < 2; l++) {
			gcc_jit_rvalue *p0 = bin(j, GCC_JIT_BINARY_OP_MULT, U,
						 sext16_at(j, a, 32 * l), sext16_at(j, b, 32 * l));
			gcc_jit_rvalue *p1 =
			    bin(j, GCC_JIT_BINARY_OP_MULT, U, sext16_at(j, a, 32 * l + 16),
				sext16_at(j, b, 32 * l + 16));
			gcc_jit_rvalue *t =
			    bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, U,
				bin(j, GCC_JIT_BINARY_OP_PLUS, U, p0, p1), u64c(j, 0xffffffffu));
			if (l)
				t = bin(j, GCC_JIT_BINARY_OP_LSHIFT, U, t, u64c(j, 32));
			h[i] = h[i] ? bin(j, GCC_JIT_BINARY_OP_BITWISE_OR, U, h[i], t) : t;
		}
	}
	set2(j, w[2], h[0], h[1]);
}

int wt_jg_scalar_lanes(jf *j, uint32_t op, const uint32_t *w)
{
	if (op >= WT_V_F32X4_EQ && op <= WT_V_F64X2_GE) {
		fcompare(j, op, w);
		return 1;
	}
	switch (op) {
	case WT_V_I32X4_DOT_I16X8_S:
		dot(j, w);
		return 1;
	case WT_V_I64X2_MUL:
		mul64(j, w);
		return 1;
	case WT_V_F32X4_CONVERT_I32X4_S:
	case WT_V_F32X4_CONVERT_I32X4_U:
	case WT_V_F64X2_CONVERT_LOW_I32X4_S:
	case WT_V_F64X2_CONVERT_LOW_I32X4_U:
		convert(j, op, w);
		return 1;
	case WT_V_F32X4_PMIN:
	case WT_V_F32X4_PMAX:
	case WT_V_F64X2_PMIN:
	case WT_V_F64X2_PMAX:
		pminmax(j, op, w);
		return 1;
	case WT_V_F32X4_ABS:
	case WT_V_F32X4_NEG:
	case WT_V_F64X2_ABS:
	case WT_V_F64X2_NEG:
		sign_bits(j, op, w);
		return 1;
	default:
		return 0;
	}
}
