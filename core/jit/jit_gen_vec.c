/* jit_gen_vec.c: the translator's vector (v128) ops, from vm_simd_ops.h's rows: the dispatch,
 * the inline memory, bitwise, splat and lane forms and those with GCC vector types (the others
 * in jit_gen_lanes.c and jit_gen_vlane.c), and a call of the row's helper (jit_rt_vec.c) for
 * the rest; loads and stores check their address first, as the scalar ones do. */
#include "jit_gen_vec.h"

/*
 * What each shape of vm_simd_ops.h reads and writes, by word of the op:
 * `in` lists the operands in the order of wt_jit_hv's v[] (jit_impl.h):
 * 'V' a v128 slot, 'S' a scalar slot, 'I' an immediate word, 'H' the
 * shuffle's 4 words; each followed by its word's index. `out`: 'V' a v128
 * result at word 2, 'S' a scalar one, 0 none. Memory shapes: the address
 * slot's word and the offset's word (0: not a memory shape).
 */
typedef struct vshape {
	const char *in;
	char out;
	uint8_t addr, off;
} vshape;

enum {
	VS_BIN = 1,
	VS_UN,
	VS_TERN,
	VS_SHIFT,
	VS_SPLAT,
	VS_EXTRACT,
	VS_REPLACE,
	VS_TEST,
	VS_LOAD,
	VS_LOADLANE,
	VS_STORE,
	VS_STORELANE,
	VS_SHUFFLE,
	VS_COUNT
};

static const vshape shapes[VS_COUNT] = {
    [VS_BIN] = {"V3V4", 'V', 0, 0},	  [VS_UN] = {"V3", 'V', 0, 0},
    [VS_TERN] = {"V3V4V5", 'V', 0, 0},	  [VS_SHIFT] = {"V3S4", 'V', 0, 0},
    [VS_SPLAT] = {"S3", 'V', 0, 0},	  [VS_EXTRACT] = {"V3I4", 'S', 0, 0},
    [VS_REPLACE] = {"V3S4I5", 'V', 0, 0}, [VS_TEST] = {"V3", 'S', 0, 0},
    [VS_LOAD] = {"", 'V', 3, 4},	  [VS_LOADLANE] = {"V4I6", 'V', 3, 5},
    [VS_STORE] = {"V3", 0, 2, 4},	  [VS_STORELANE] = {"V3I5", 0, 2, 4},
    [VS_SHUFFLE] = {"V3V4H5", 'V', 0, 0},
};

#define VS_ROW(n, shape, size, ...) [WT_V_##n] = VS_##shape,
static const uint8_t shape_of[WT_V_COUNT] = {WT_VM_SIMD_LIST(VS_ROW)};
#undef VS_ROW

/* The shuffle's 16 lane indices (4 words from w) as two slots' bits. */
static uint64_t shuffle_half(const uint32_t *w, int h)
{
	return (uint64_t)w[2 * h] | (uint64_t)w[2 * h + 1] << 32;
}

static void types(jf *j);

/* The operands as shape s lists them, into x[0..5] (zeros where unused). */
static void operands(jf *j, const vshape *s, const uint32_t *w, gcc_jit_rvalue **x)
{
	uint32_t n = 0;
	for (const char *p = s->in; *p; p += 2) {
		uint32_t k = (uint32_t)(p[1] - '0');
		switch (*p) {
		case 'V':
			x[n++] = slot(j, w[k]);
			x[n++] = slot(j, w[k] + 1);
			break;
		case 'S':
			x[n++] = slot(j, w[k]);
			break;
		case 'I':
			x[n++] = lit(j, j->g->t_u64, w[k]);
			break;
		default: /* 'H' */
			x[n++] = lit(j, j->g->t_u64, shuffle_half(w + k, 0));
			x[n++] = lit(j, j->g->t_u64, shuffle_half(w + k, 1));
		}
	}
	while (n < 6)
		x[n++] = lit(j, j->g->t_u64, 0);
}

/* Any vector op: its address checked (memory shapes), a call of its
 * helper with the operands, the result to the slot(s) at w[2]. */
static void through_helper(jf *j, uint32_t op, const uint32_t *w)
{
	wt_jitg *g = j->g;
	const vshape *s = &shapes[shape_of[op]];
	gcc_jit_rvalue *x[6];
	types(j);
	operands(j, s, w, x);
	if (s->addr)
		x[5] = gcc_jit_context_new_bitcast(
		    j->ctx, NULL, wt_jg_mem_ea(j, w[s->addr], w[s->off], wt_jg_ops[op].msize),
		    g->t_u64);
	gcc_jit_type *p[6] = {g->t_u64, g->t_u64, g->t_u64, g->t_u64, g->t_u64, g->t_u64};
	gcc_jit_type *ft = gcc_jit_context_new_function_ptr_type(j->ctx, NULL, g->t_v2, 6, p, 0);
	gcc_jit_rvalue *r = call(j, rel(j, WT_REL_VEC, op, ft), 6, x);
	if (!s->out) {
		gcc_jit_block_add_eval(j->cur, NULL, r);
		return;
	}
	gcc_jit_lvalue *t = local(j, g->t_v2);
	gcc_jit_block_add_assignment(j->cur, NULL, t, r);
	set(j, w[2], gcc_jit_lvalue_as_rvalue(gcc_jit_lvalue_access_field(t, NULL, g->f_v2[0])));
	if (s->out == 'V')
		set(j, w[2] + 1,
		    gcc_jit_lvalue_as_rvalue(gcc_jit_lvalue_access_field(t, NULL, g->f_v2[1])));
}

/* ---- inline forms of the hot simple ops: a v128 as its two slots ---- */

/* The 8 bytes at p + off of memory (p: a checked uint8_t *). */
static gcc_jit_lvalue *mem64(jf *j, gcc_jit_rvalue *p, uint32_t off)
{
	gcc_jit_rvalue *q = gcc_jit_lvalue_get_address(
	    gcc_jit_context_new_array_access(j->ctx, NULL, p, lit(j, j->g->t_int, off)), NULL);
	return gcc_jit_rvalue_dereference(cast(j, q, j->g->mem_t[8][0]), NULL);
}

/* v128.load and v128.store: the address checked as jit_gen_mem.c's are. */
static void load_store(jf *j, uint32_t op, const uint32_t *w)
{
	if (op == WT_V_V128_LOAD) {
		gcc_jit_lvalue *p = keep(j, wt_jg_mem_ea(j, w[3], w[4], 16));
		set2(j, w[2], rv(mem64(j, rv(p), 0)), rv(mem64(j, rv(p), 8)));
		return;
	}
	gcc_jit_lvalue *p = keep(j, wt_jg_mem_ea(j, w[2], w[4], 16));
	gcc_jit_block_add_assignment(j->cur, NULL, mem64(j, rv(p), 0), slot(j, w[3]));
	gcc_jit_block_add_assignment(j->cur, NULL, mem64(j, rv(p), 8), slot(j, w[3] + 1));
}

/* Bitwise ops, half by half. */
static void bitwise(jf *j, uint32_t op, const uint32_t *w)
{
	gcc_jit_rvalue *h[2];
	gcc_jit_type *U = j->g->t_u64;
	for (uint32_t i = 0; i < 2; i++) {
		gcc_jit_rvalue *a = slot(j, w[3] + i),
			       *b = op == WT_V_V128_NOT ? NULL : slot(j, w[4] + i);
		switch (op) {
		case WT_V_V128_NOT:
			h[i] = gcc_jit_context_new_unary_op(j->ctx, NULL,
							    GCC_JIT_UNARY_OP_BITWISE_NEGATE, U, a);
			break;
		case WT_V_V128_AND:
			h[i] = bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, U, a, b);
			break;
		case WT_V_V128_OR:
			h[i] = bin(j, GCC_JIT_BINARY_OP_BITWISE_OR, U, a, b);
			break;
		case WT_V_V128_XOR:
			h[i] = bin(j, GCC_JIT_BINARY_OP_BITWISE_XOR, U, a, b);
			break;
		default: /* ANDNOT */
			h[i] = bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, U, a,
				   gcc_jit_context_new_unary_op(
				       j->ctx, NULL, GCC_JIT_UNARY_OP_BITWISE_NEGATE, U, b));
		}
	}
	set2(j, w[2], h[0], h[1]);
}

/* Lane bytes of the splat, extract and replace ops. */
static unsigned lane_bytes(uint32_t op)
{
	switch (op) {
	case WT_V_I8X16_SPLAT:
	case WT_V_I8X16_EXTRACT_LANE_S:
	case WT_V_I8X16_EXTRACT_LANE_U:
	case WT_V_I8X16_REPLACE_LANE:
		return 1;
	case WT_V_I16X8_SPLAT:
	case WT_V_I16X8_EXTRACT_LANE_S:
	case WT_V_I16X8_EXTRACT_LANE_U:
	case WT_V_I16X8_REPLACE_LANE:
		return 2;
	case WT_V_I32X4_SPLAT:
	case WT_V_F32X4_SPLAT:
	case WT_V_I32X4_EXTRACT_LANE:
	case WT_V_F32X4_EXTRACT_LANE:
	case WT_V_I32X4_REPLACE_LANE:
	case WT_V_F32X4_REPLACE_LANE:
		return 4;
	default:
		return 8;
	}
}

static uint64_t lane_mask(unsigned bytes)
{
	return bytes == 8 ? UINT64_MAX : ((uint64_t)1 << (8 * bytes)) - 1;
}

/* splat: the lane's bits times 0x0101..., 0x00010001..., 0x0000000100000001. */
static void splat(jf *j, uint32_t op, const uint32_t *w)
{
	unsigned n = lane_bytes(op);
	gcc_jit_type *U = j->g->t_u64;
	gcc_jit_rvalue *x =
	    bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, U, slot(j, w[3]), u64c(j, lane_mask(n)));
	if (n < 8)
		x = bin(j, GCC_JIT_BINARY_OP_MULT, U, x, u64c(j, UINT64_MAX / lane_mask(n)));
	gcc_jit_lvalue *t = keep(j, x);
	set2(j, w[2], rv(t), rv(t));
}

/* extract_lane: the lane's bits shifted down, widened as the row does. */
static void extract(jf *j, uint32_t op, const uint32_t *w)
{
	wt_jitg *g = j->g;
	unsigned n = lane_bytes(op), at = w[4] * n;
	gcc_jit_rvalue *x = bin(j, GCC_JIT_BINARY_OP_RSHIFT, g->t_u64, slot(j, w[3] + at / 8),
				u64c(j, 8 * (at % 8)));
	if (op == WT_V_I8X16_EXTRACT_LANE_S || op == WT_V_I16X8_EXTRACT_LANE_S) {
		gcc_jit_type *s = gcc_jit_context_get_type(j->ctx, n == 1 ? GCC_JIT_TYPE_INT8_T
									  : GCC_JIT_TYPE_INT16_T);
		x = cast(j, cast(j, cast(j, cast(j, x, s), g->t_i32), g->t_u32), g->t_u64);
	} else if (n < 8) {
		x = bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, g->t_u64, x, u64c(j, lane_mask(n)));
	}
	set(j, w[2], x);
}

/* The v128 at slot d becomes the one at slot v with its lane `lane` of n
 * bytes from x's low bits. */
static void put_lane(jf *j, uint32_t d, uint32_t v, gcc_jit_rvalue *x, unsigned n, uint32_t lane)
{
	gcc_jit_type *U = j->g->t_u64;
	unsigned at = lane * n, sh = 8 * (at % 8);
	uint64_t m = lane_mask(n) << sh;
	gcc_jit_rvalue *h[2] = {slot(j, v), slot(j, v + 1)};
	x = bin(j, GCC_JIT_BINARY_OP_LSHIFT, U, x, u64c(j, sh));
	h[at / 8] = bin(j, GCC_JIT_BINARY_OP_BITWISE_OR, U,
			bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, U, h[at / 8], u64c(j, ~m)),
			bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, U, x, u64c(j, m)));
	set2(j, d, h[0], h[1]);
}

static void replace(jf *j, uint32_t op, const uint32_t *w)
{
	put_lane(j, w[2], w[3], slot(j, w[4]), lane_bytes(op), w[5]);
}

/* ---- the other loads and stores: the access size's bytes, checked ---- */

/* The n bytes (1, 2, 4, 8) at p, as an lvalue of their unsigned type. */
static gcc_jit_lvalue *mem_n(jf *j, gcc_jit_rvalue *p, unsigned n)
{
	return gcc_jit_rvalue_dereference(cast(j, p, j->g->mem_t[n][0]), NULL);
}

/* The loaded bytes of a LOAD or LOADLANE op (zero-extended), in a temporary. */
static gcc_jit_lvalue *loaded(jf *j, uint32_t op, uint32_t a, uint32_t k)
{
	unsigned n = wt_jg_ops[op].msize;
	return keep(j, cast(j, rv(mem_n(j, wt_jg_mem_ea(j, a, k, n), n)), j->g->t_u64));
}

/* loadN_splat, load32/64_zero, load8x8/16x4/32x2 _s/_u (consecutive rows). */
static void load_into(jf *j, uint32_t op, const uint32_t *w)
{
	gcc_jit_lvalue *x = loaded(j, op, w[3], w[4]);
	unsigned n = wt_jg_ops[op].msize;
	if (op == WT_V_V128_LOAD32_ZERO || op == WT_V_V128_LOAD64_ZERO) {
		set2(j, w[2], rv(x), u64c(j, 0));
	} else if (op >= WT_V_V128_LOAD8_SPLAT) {
		gcc_jit_lvalue *t =
		    keep(j, n == 8 ? rv(x)
				   : bin(j, GCC_JIT_BINARY_OP_MULT, j->g->t_u64, rv(x),
					 u64c(j, UINT64_MAX / lane_mask(n))));
		set2(j, w[2], rv(t), rv(t));
	} else {
		uint32_t i = op - WT_V_V128_LOAD8X8_S; /* 8x8 s u, 16x4 s u, 32x2 s u */
		wt_jg_lanes_extend(j, w[2], 16u << (i / 2), i % 2 == 0, x);
	}
}
_Static_assert(WT_V_V128_LOAD32X2_U - WT_V_V128_LOAD8X8_S == 5 &&
		   WT_V_V128_LOAD64_SPLAT - WT_V_V128_LOAD8_SPLAT == 3 &&
		   WT_V_V128_LOAD8_SPLAT == WT_V_V128_LOAD32X2_U + 1,
	       "the loads' rows: extends, then splats");

/* v128.loadN_lane: a lane from memory; v128.storeN_lane: a lane to it. */
static void lane_access(jf *j, uint32_t op, const uint32_t *w)
{
	unsigned n = wt_jg_ops[op].msize;
	if (op == WT_V_V128_LOAD8_LANE || op == WT_V_V128_LOAD16_LANE ||
	    op == WT_V_V128_LOAD32_LANE || op == WT_V_V128_LOAD64_LANE) {
		gcc_jit_lvalue *x = loaded(j, op, w[3], w[5]);
		put_lane(j, w[2], w[4], rv(x), n, w[6]);
		return;
	}
	gcc_jit_rvalue *p = wt_jg_mem_ea(j, w[2], w[4], n);
	unsigned at = w[5] * n;
	gcc_jit_rvalue *x = bin(j, GCC_JIT_BINARY_OP_RSHIFT, j->g->t_u64, slot(j, w[3] + at / 8),
				u64c(j, 8 * (at % 8)));
	gcc_jit_block_add_assignment(j->cur, NULL, mem_n(j, p, n),
				     cast(j, x, mem_type(j->g, n, 0)));
}

/* ---- lane arithmetic with GCC's vector types ---- */

enum { VT_U32X4, VT_F32X4, VT_U64X2, VT_F64X2, VT_U8X16, VT_U16X8 };

/* The context's vector, 128-bit and helper result types, made at first use. */
static void types(jf *j)
{
	wt_jitg *g = j->g;
	if (g->t_vec[0])
		return;
	g->t_vec[VT_U32X4] = gcc_jit_type_get_vector(g->t_u32, 4);
	g->t_vec[VT_F32X4] = gcc_jit_type_get_vector(g->t_f32, 4);
	g->t_vec[VT_U64X2] = gcc_jit_type_get_vector(g->t_u64, 2);
	g->t_vec[VT_F64X2] = gcc_jit_type_get_vector(g->t_f64, 2);
	g->t_vec[VT_U8X16] =
	    gcc_jit_type_get_vector(gcc_jit_context_get_type(j->ctx, GCC_JIT_TYPE_UINT8_T), 16);
	g->t_vec[VT_U16X8] =
	    gcc_jit_type_get_vector(gcc_jit_context_get_type(j->ctx, GCC_JIT_TYPE_UINT16_T), 8);
	g->t_u128 = gcc_jit_context_get_type(j->ctx, GCC_JIT_TYPE_UINT128_T);
	g->f_v2[0] = gcc_jit_context_new_field(j->ctx, NULL, g->t_u64, "lo");
	g->f_v2[1] = gcc_jit_context_new_field(j->ctx, NULL, g->t_u64, "hi");
	g->t_v2 = gcc_jit_struct_as_type(
	    gcc_jit_context_new_struct_type(j->ctx, NULL, "wt_jit_v2", 2, g->f_v2));
}

static gcc_jit_type *vtype(jf *j, int k)
{
	types(j);
	return j->g->t_vec[k];
}

/* The v128 of halves lo, hi as a vector of kind k. */
static gcc_jit_rvalue *vof(jf *j, gcc_jit_rvalue *lo, gcc_jit_rvalue *hi, int k)
{
	gcc_jit_rvalue *h[2] = {lo, hi};
	gcc_jit_rvalue *v =
	    gcc_jit_context_new_rvalue_from_vector(j->ctx, NULL, vtype(j, VT_U64X2), 2, h);
	return k == VT_U64X2 ? v : gcc_jit_context_new_bitcast(j->ctx, NULL, v, vtype(j, k));
}

static gcc_jit_rvalue *vget(jf *j, uint32_t s, int k)
{
	return vof(j, slot(j, s), slot(j, s + 1), k);
}

/* A vector's halves (lo, hi) as slot bits, through a 128-bit integer. */
static void vsplit(jf *j, gcc_jit_rvalue *v, gcc_jit_lvalue **lo, gcc_jit_lvalue **hi)
{
	wt_jitg *g = j->g;
	types(j);
	gcc_jit_lvalue *x = keep(j, gcc_jit_context_new_bitcast(j->ctx, NULL, v, g->t_u128));
	*lo = keep(j, cast(j, rv(x), g->t_u64));
	*hi = keep(
	    j, cast(j, bin(j, GCC_JIT_BINARY_OP_RSHIFT, g->t_u128, rv(x), lit(j, g->t_u128, 64)),
		    g->t_u64));
}

/* Whether a half of a float vector result holds a NaN lane: the lane's
 * bits without the sign, plus the largest mantissa, carry into the sign. */
static gcc_jit_rvalue *has_nan(jf *j, gcc_jit_lvalue *h, int f64)
{
	gcc_jit_type *U = j->g->t_u64;
	uint64_t abs = f64 ? 0x7fffffffffffffffull : 0x7fffffff7fffffffull;
	uint64_t man = f64 ? 0x000fffffffffffffull : 0x007fffff007fffffull;
	uint64_t sign = ~abs;
	gcc_jit_rvalue *y =
	    bin(j, GCC_JIT_BINARY_OP_PLUS, U,
		bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, U, rv(h), u64c(j, abs)), u64c(j, man));
	return cmp(j, GCC_JIT_COMPARISON_NE,
		   bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, U, y, u64c(j, sign)), u64c(j, 0));
}

/* add, sub, mul over lanes: the vector op; a float result with a NaN lane
 * takes the helper instead (the rows' NaN rule, vm_simd.h VM_NANS). */
static void lanes(jf *j, uint32_t op, const uint32_t *w, int k, enum gcc_jit_binary_op bop)
{
	gcc_jit_rvalue *r = bin(j, bop, vtype(j, k), vget(j, w[3], k), vget(j, w[4], k));
	gcc_jit_lvalue *lo, *hi;
	vsplit(j, r, &lo, &hi);
	if (k == VT_F32X4 || k == VT_F64X2) {
		gcc_jit_block *slow = new_block(j), *fast = new_block(j), *join = new_block(j);
		gcc_jit_rvalue *nan = gcc_jit_context_new_binary_op(
		    j->ctx, NULL, GCC_JIT_BINARY_OP_LOGICAL_OR, j->g->t_bool,
		    has_nan(j, lo, k == VT_F64X2), has_nan(j, hi, k == VT_F64X2));
		gcc_jit_block_end_with_conditional(j->cur, NULL, nan, slow, fast);
		j->cur = slow;
		through_helper(j, op, w);
		gcc_jit_block_end_with_jump(j->cur, NULL, join);
		j->cur = fast;
		set(j, w[2], rv(lo));
		set(j, w[2] + 1, rv(hi));
		gcc_jit_block_end_with_jump(j->cur, NULL, join);
		j->cur = join;
		return;
	}
	set(j, w[2], rv(lo));
	set(j, w[2] + 1, rv(hi));
}

/* extmul: a's and b's low or high lanes extended (jit_gen_lanes.c), then
 * multiplied: 16- and 32-bit lanes with GCC's vectors, a 64-bit lane (one
 * per half) as it is. The product's low w bits are the row's. */
static void extmul(jf *j, unsigned w, int high, int sgn, const uint32_t *wd)
{
	gcc_jit_lvalue *sa = keep(j, slot(j, wd[3] + (uint32_t)high));
	gcc_jit_lvalue *sb = keep(j, slot(j, wd[4] + (uint32_t)high));
	gcc_jit_lvalue *e[2][2];
	for (uint32_t h = 0; h < 2; h++) {
		e[0][h] = keep(j, wt_jg_lanes_extend_half(j, w, sgn, sa, h));
		e[1][h] = keep(j, wt_jg_lanes_extend_half(j, w, sgn, sb, h));
	}
	gcc_jit_type *U = j->g->t_u64;
	if (w == 64) {
		set2(j, wd[2], bin(j, GCC_JIT_BINARY_OP_MULT, U, rv(e[0][0]), rv(e[1][0])),
		     bin(j, GCC_JIT_BINARY_OP_MULT, U, rv(e[0][1]), rv(e[1][1])));
		return;
	}
	int k = w == 16 ? VT_U16X8 : VT_U32X4;
	gcc_jit_rvalue *r =
	    bin(j, GCC_JIT_BINARY_OP_MULT, vtype(j, k), vof(j, rv(e[0][0]), rv(e[0][1]), k),
		vof(j, rv(e[1][0]), rv(e[1][1]), k));
	gcc_jit_lvalue *lo, *hi;
	vsplit(j, r, &lo, &hi);
	set(j, wd[2], rv(lo));
	set(j, wd[2] + 1, rv(hi));
}

/* The extmul rows: (16, 32, 64-bit lanes) x (low s, low u, high s, high u),
 * each after its extend row. */
static int extmul_op(jf *j, uint32_t op, const uint32_t *w)
{
	static const uint16_t first[3] = {WT_V_I16X8_EXTEND_LOW_I8X16_S,
					  WT_V_I32X4_EXTEND_LOW_I16X8_S,
					  WT_V_I64X2_EXTEND_LOW_I32X4_S};
	for (unsigned g = 0; g < 3; g++) {
		uint32_t i = op - first[g];
		if (op >= first[g] && i < 8 && i % 2) {
			extmul(j, 16u << g, i >= 4, i % 4 == 1, w);
			return 1;
		}
	}
	return 0;
}

/* The ops `lanes` translates: vector kind and operation. */
static const struct {
	uint16_t op;
	uint8_t k;
	enum gcc_jit_binary_op bop;
} lane_ops[] = {
    {WT_V_I8X16_ADD, VT_U8X16, GCC_JIT_BINARY_OP_PLUS},
    {WT_V_I8X16_SUB, VT_U8X16, GCC_JIT_BINARY_OP_MINUS},
    {WT_V_I16X8_ADD, VT_U16X8, GCC_JIT_BINARY_OP_PLUS},
    {WT_V_I16X8_SUB, VT_U16X8, GCC_JIT_BINARY_OP_MINUS},
    {WT_V_I16X8_MUL, VT_U16X8, GCC_JIT_BINARY_OP_MULT},
    {WT_V_I32X4_ADD, VT_U32X4, GCC_JIT_BINARY_OP_PLUS},
    {WT_V_I32X4_SUB, VT_U32X4, GCC_JIT_BINARY_OP_MINUS},
    {WT_V_I32X4_MUL, VT_U32X4, GCC_JIT_BINARY_OP_MULT},
    {WT_V_I64X2_ADD, VT_U64X2, GCC_JIT_BINARY_OP_PLUS},
    {WT_V_I64X2_SUB, VT_U64X2, GCC_JIT_BINARY_OP_MINUS},
    {WT_V_F32X4_ADD, VT_F32X4, GCC_JIT_BINARY_OP_PLUS},
    {WT_V_F32X4_SUB, VT_F32X4, GCC_JIT_BINARY_OP_MINUS},
    {WT_V_F32X4_MUL, VT_F32X4, GCC_JIT_BINARY_OP_MULT},
    {WT_V_F32X4_DIV, VT_F32X4, GCC_JIT_BINARY_OP_DIVIDE},
    {WT_V_F64X2_ADD, VT_F64X2, GCC_JIT_BINARY_OP_PLUS},
    {WT_V_F64X2_SUB, VT_F64X2, GCC_JIT_BINARY_OP_MINUS},
    {WT_V_F64X2_MUL, VT_F64X2, GCC_JIT_BINARY_OP_MULT},
    {WT_V_F64X2_DIV, VT_F64X2, GCC_JIT_BINARY_OP_DIVIDE},
};

/* 1 when op has an inline form (and emits it). */
static int inline_op(jf *j, uint32_t op, const uint32_t *w)
{
	for (size_t i = 0; i < sizeof lane_ops / sizeof lane_ops[0]; i++)
		if (lane_ops[i].op == op) {
			lanes(j, op, w, lane_ops[i].k, lane_ops[i].bop);
			return 1;
		}
	if (wt_jg_lanes(j, op, w) || wt_jg_scalar_lanes(j, op, w) || extmul_op(j, op, w))
		return 1;
	switch (op) {
	case WT_V_V128_LOAD:
	case WT_V_V128_STORE:
		load_store(j, op, w);
		return 1;
	case WT_V_V128_LOAD8X8_S:
	case WT_V_V128_LOAD8X8_U:
	case WT_V_V128_LOAD16X4_S:
	case WT_V_V128_LOAD16X4_U:
	case WT_V_V128_LOAD32X2_S:
	case WT_V_V128_LOAD32X2_U:
	case WT_V_V128_LOAD8_SPLAT:
	case WT_V_V128_LOAD16_SPLAT:
	case WT_V_V128_LOAD32_SPLAT:
	case WT_V_V128_LOAD64_SPLAT:
	case WT_V_V128_LOAD32_ZERO:
	case WT_V_V128_LOAD64_ZERO:
		load_into(j, op, w);
		return 1;
	case WT_V_V128_LOAD8_LANE:
	case WT_V_V128_LOAD16_LANE:
	case WT_V_V128_LOAD32_LANE:
	case WT_V_V128_LOAD64_LANE:
	case WT_V_V128_STORE8_LANE:
	case WT_V_V128_STORE16_LANE:
	case WT_V_V128_STORE32_LANE:
	case WT_V_V128_STORE64_LANE:
		lane_access(j, op, w);
		return 1;
	case WT_V_V128_NOT:
	case WT_V_V128_AND:
	case WT_V_V128_ANDNOT:
	case WT_V_V128_OR:
	case WT_V_V128_XOR:
		bitwise(j, op, w);
		return 1;
	case WT_V_I8X16_SPLAT:
	case WT_V_I16X8_SPLAT:
	case WT_V_I32X4_SPLAT:
	case WT_V_I64X2_SPLAT:
	case WT_V_F32X4_SPLAT:
	case WT_V_F64X2_SPLAT:
		splat(j, op, w);
		return 1;
	case WT_V_I8X16_EXTRACT_LANE_S:
	case WT_V_I8X16_EXTRACT_LANE_U:
	case WT_V_I16X8_EXTRACT_LANE_S:
	case WT_V_I16X8_EXTRACT_LANE_U:
	case WT_V_I32X4_EXTRACT_LANE:
	case WT_V_I64X2_EXTRACT_LANE:
	case WT_V_F32X4_EXTRACT_LANE:
	case WT_V_F64X2_EXTRACT_LANE:
		extract(j, op, w);
		return 1;
	case WT_V_I8X16_REPLACE_LANE:
	case WT_V_I16X8_REPLACE_LANE:
	case WT_V_I32X4_REPLACE_LANE:
	case WT_V_I64X2_REPLACE_LANE:
	case WT_V_F32X4_REPLACE_LANE:
	case WT_V_F64X2_REPLACE_LANE:
		replace(j, op, w);
		return 1;
	default:
		return 0;
	}
}

void wt_jg_vector(jf *j, uint32_t op, const uint32_t *w)
{
	if (!inline_op(j, op, w))
		through_helper(j, op, w);
}
