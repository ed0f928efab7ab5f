/* jit_gen_num.c: the translator's numeric ops: integer and float arithmetic and compares inline,
 * the rest through the helpers of jit_rt.c; the fused compare-branches. */

#include "jit_gen_impl.h"

#define I_BINI(n, T, R, e)                                        \
	[WT_V_##n] = {K_BINI, TY_##T, TY_##R, 0, 0, 0, WT_V_##n}, \
	[WT_V_##n##_I] = {K_BINI, TY_##T, TY_##R, 1, 0, 0, WT_V_##n},
#define I_CMP(n, T, e)                                                    \
	[WT_V_##n] = {K_CMP, TY_##T, TY_u32, 0, 0, 0, WT_V_##n},          \
	[WT_V_##n##_I] = {K_CMP, TY_##T, TY_u32, 1, 0, 0, WT_V_##n},      \
	[WT_V_BR_IF_##n] = {K_BR_IF, TY_##T, 0, 0, 0, 0, WT_V_##n},       \
	[WT_V_BR_IFNOT_##n] = {K_BR_IFNOT, TY_##T, 0, 0, 0, 0, WT_V_##n}, \
	[WT_V_BR_IF_##n##_I] = {K_BR_IF, TY_##T, 0, 1, 0, 0, WT_V_##n},   \
	[WT_V_BR_IFNOT_##n##_I] = {K_BR_IFNOT, TY_##T, 0, 1, 0, 0, WT_V_##n},
#define I_BINT(n, T, h)                                           \
	[WT_V_##n] = {K_BINT, TY_##T, TY_##T, 0, 0, 0, WT_V_##n}, \
	[WT_V_##n##_I] = {K_BINT, TY_##T, TY_##T, 1, 0, 0, WT_V_##n},
#define I_BINF(n, T, R, e) [WT_V_##n] = {K_BINF, TY_##T, TY_##R, 0, 0, 0, WT_V_##n},
#define I_UN(n, T, R, e) [WT_V_##n] = {K_UN, TY_##T, TY_##R, 0, 0, 0, WT_V_##n},
#define I_UNT(n, T, R, h) [WT_V_##n] = {K_UNT, TY_##T, TY_##R, 0, 0, 0, WT_V_##n},
/* Whether memory type M is signed (int8_t ... uint64_t). */
#define WT_SIGNED(M)                                                                            \
	(__builtin_types_compatible_p(M, int8_t) || __builtin_types_compatible_p(M, int16_t) || \
	 __builtin_types_compatible_p(M, int32_t) || __builtin_types_compatible_p(M, int64_t))
#define I_LOAD(n, R, M, cv) [WT_V_##n] = {K_LOAD, 0, TY_##R, 0, sizeof(M), WT_SIGNED(M), WT_V_##n},
#define I_STORE(n, T, M) [WT_V_##n] = {K_STORE, TY_##T, 0, 0, sizeof(M), 0, WT_V_##n},
#define I_MISC(n, len, traps) [WT_V_##n] = {K_MISC, 0, 0, 0, 0, 0, WT_V_##n},
#define I_VEC(n, shape, size, ...) [WT_V_##n] = {K_VEC, 0, 0, 0, size, 0, WT_V_##n},
const opinfo wt_jg_ops[WT_V_COUNT] = {
    WT_VM_MISC_LIST(I_MISC) WT_VM_BINI_LIST(I_BINI) WT_VM_CMP_LIST(I_CMP) WT_VM_BINT_LIST(I_BINT)
	WT_VM_BINF_LIST(I_BINF) WT_VM_UN_LIST(I_UN) WT_VM_UNT_LIST(I_UNT) WT_VM_LOAD_LIST(I_LOAD)
	    WT_VM_STORE_LIST(I_STORE) WT_VM_SIMD_LIST(I_VEC)};

/* Integer ops inline (NULL: use the helper). a and b are of type t. */
static gcc_jit_rvalue *int_bin(jf *j, uint32_t op, int t, gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
	gcc_jit_type *T = ty(j, t), *S = t == TY_u32 ? j->g->t_i32 : j->g->t_i64;
	unsigned w = t == TY_u32 ? 31 : 63;
	gcc_jit_rvalue *sh = bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, T, b, lit(j, T, w));
	switch (op) {
	case WT_V_I32_ADD:
	case WT_V_I64_ADD:
		return bin(j, GCC_JIT_BINARY_OP_PLUS, T, a, b);
	case WT_V_I32_SUB:
	case WT_V_I64_SUB:
		return bin(j, GCC_JIT_BINARY_OP_MINUS, T, a, b);
	case WT_V_I32_MUL:
	case WT_V_I64_MUL:
		return bin(j, GCC_JIT_BINARY_OP_MULT, T, a, b);
	case WT_V_I32_AND:
	case WT_V_I64_AND:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, T, a, b);
	case WT_V_I32_OR:
	case WT_V_I64_OR:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_OR, T, a, b);
	case WT_V_I32_XOR:
	case WT_V_I64_XOR:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_XOR, T, a, b);
	case WT_V_I32_SHL:
	case WT_V_I64_SHL:
		return bin(j, GCC_JIT_BINARY_OP_LSHIFT, T, a, sh);
	case WT_V_I32_SHR_U:
	case WT_V_I64_SHR_U:
		return bin(j, GCC_JIT_BINARY_OP_RSHIFT, T, a, sh);
	case WT_V_I32_SHR_S:
	case WT_V_I64_SHR_S:
		return cast(j, bin(j, GCC_JIT_BINARY_OP_RSHIFT, S, cast(j, a, S), cast(j, sh, S)),
			    T);
	case WT_V_I32_ROTL:
	case WT_V_I64_ROTL:
	case WT_V_I32_ROTR:
	case WT_V_I64_ROTR: {
		int left = op == WT_V_I32_ROTL || op == WT_V_I64_ROTL;
		gcc_jit_rvalue *back =
		    bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, T,
			bin(j, GCC_JIT_BINARY_OP_MINUS, T, lit(j, T, 0), sh), lit(j, T, w));
		return bin(
		    j, GCC_JIT_BINARY_OP_BITWISE_OR, T,
		    bin(j, left ? GCC_JIT_BINARY_OP_LSHIFT : GCC_JIT_BINARY_OP_RSHIFT, T, a, sh),
		    bin(j, left ? GCC_JIT_BINARY_OP_RSHIFT : GCC_JIT_BINARY_OP_LSHIFT, T, a, back));
	}
	default:
		return NULL;
	}
}

/* A compare of a and b (type tag t) as a bool; NULL: not inline. */
static gcc_jit_rvalue *compare(jf *j, uint32_t op, int t, gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
	gcc_jit_type *S = t == TY_u32 ? j->g->t_i32 : j->g->t_i64;
	switch (op) {
#define C2(n32, n64, k, sgn)                                                              \
	case WT_V_##n32:                                                                  \
	case WT_V_##n64:                                                                  \
		return sgn ? cmp(j, GCC_JIT_COMPARISON_##k, cast(j, a, S), cast(j, b, S)) \
			   : cmp(j, GCC_JIT_COMPARISON_##k, a, b);
		C2(I32_EQ, I64_EQ, EQ, 0)
		C2(I32_NE, I64_NE, NE, 0)
		C2(I32_LT_S, I64_LT_S, LT, 1)
		C2(I32_LT_U, I64_LT_U, LT, 0)
		C2(I32_GT_S, I64_GT_S, GT, 1)
		C2(I32_GT_U, I64_GT_U, GT, 0)
		C2(I32_LE_S, I64_LE_S, LE, 1)
		C2(I32_LE_U, I64_LE_U, LE, 0)
		C2(I32_GE_S, I64_GE_S, GE, 1)
		C2(I32_GE_U, I64_GE_U, GE, 0)
		C2(F32_EQ, F64_EQ, EQ, 0)
		C2(F32_NE, F64_NE, NE, 0)
		C2(F32_LT, F64_LT, LT, 0)
		C2(F32_GT, F64_GT, GT, 0)
		C2(F32_LE, F64_LE, LE, 0)
		C2(F32_GE, F64_GE, GE, 0)
#undef C2
	default:
		return NULL;
	}
}

/* Float add, sub, mul, div with vm_num.h's NaN rule (the first operand's NaN when it is one,
 * else the second's, quieted) rather than GCC's, which picks the hardware's first source as it
 * pleases (add and mul commute) and folds and rewrites constant NaNs (NaN + NaN folds to the
 * second, x - (-NaN) becomes x + NaN). On x86-64 the SSE instruction itself in an asm
 * statement, a in the destination register: SSE's own NaN rule is that one, at no cost.
 * Elsewhere (and with -DWT_VM_PORTABLE_NANS) the operator, checked. */
#if defined(__x86_64__) && defined(LIBGCCJIT_HAVE_ASM_STATEMENTS) && !defined(WT_VM_PORTABLE_NANS)
#define WT_JG_SSE_NANS 1
#else
/* cond as a bool the branch predictor takes to be false (__builtin_expect). */
static gcc_jit_rvalue *unlikely(jf *j, gcc_jit_rvalue *cond)
{
	gcc_jit_function *expect = gcc_jit_context_get_builtin_function(j->ctx, "__builtin_expect");
	gcc_jit_type *L = gcc_jit_context_get_type(j->ctx, GCC_JIT_TYPE_LONG);
	gcc_jit_rvalue *args[2] = {cast(j, cond, L), lit(j, L, 0)};
	return cmp(j, GCC_JIT_COMPARISON_NE,
		   gcc_jit_context_new_call(j->ctx, NULL, expect, 2, args), lit(j, L, 0));
}

/* Whether slot bits s (u64) are a NaN's of type tag t (TY_f32: the low 32 bits). */
static gcc_jit_rvalue *is_nan_bits(jf *j, int t, gcc_jit_rvalue *s)
{
	gcc_jit_type *U = j->g->t_u64;
	uint64_t abs = t == TY_f32 ? 0x7fffffffu : 0x7fffffffffffffffull;
	uint64_t inf = t == TY_f32 ? 0x7f800000u : 0x7ff0000000000000ull;
	return cmp(j, GCC_JIT_COMPARISON_GT,
		   bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, U, s, lit(j, U, abs)), lit(j, U, inf));
}

/* The result r of a float op (add, sub, mul, div) of type tag t on a and b, with vm_num.h's NaN
 * rule when they are a NaN's: a's NaN if a is one, else b's, quieted (else r: a NaN made from
 * numbers). Not left to GCC, which picks the hardware's first source, and folds and rewrites
 * constant NaNs, its own way. Numbers take only the check; the rule is inline integer code, as a
 * call would make GCC keep every float live across it in memory. */
static gcc_jit_rvalue *nan_checked(jf *j, int t, gcc_jit_rvalue *r, gcc_jit_rvalue *a,
				   gcc_jit_rvalue *b)
{
	gcc_jit_type *U = j->g->t_u64, *F = ty(j, t);
	gcc_jit_rvalue *q = lit(j, U, t == TY_f32 ? 0x00400000u : 0x0008000000000000ull);
	gcc_jit_rvalue *ab = bits(j, a, t), *bb = bits(j, b, t);
	/* the value stays a float through the join (as u64 bits it would cross to a general
	 * register and back at every op) */
	gcc_jit_lvalue *v = local(j, F);
	gcc_jit_rvalue *vr = gcc_jit_lvalue_as_rvalue(v);
	gcc_jit_block_add_assignment(j->cur, NULL, v, r);
	gcc_jit_block *slow = new_block(j), *not_a = new_block(j), *take_a = new_block(j),
		      *take_b = new_block(j), *join = new_block(j);
	gcc_jit_block_end_with_conditional(
	    j->cur, NULL, unlikely(j, cmp(j, GCC_JIT_COMPARISON_NE, vr, vr)), slow, join);
	gcc_jit_block_end_with_conditional(slow, NULL, is_nan_bits(j, t, ab), take_a, not_a);
	gcc_jit_block_end_with_conditional(not_a, NULL, is_nan_bits(j, t, bb), take_b, join);
	gcc_jit_block_add_assignment(take_a, NULL, v,
				     as(j, bin(j, GCC_JIT_BINARY_OP_BITWISE_OR, U, ab, q), t));
	gcc_jit_block_end_with_jump(take_a, NULL, join);
	gcc_jit_block_add_assignment(take_b, NULL, v,
				     as(j, bin(j, GCC_JIT_BINARY_OP_BITWISE_OR, U, bb, q), t));
	gcc_jit_block_end_with_jump(take_b, NULL, join);
	j->cur = join;
	return vr;
}

#endif

/* Float add, sub, mul, div inline (a and b of type tag t); NULL: not one of them. */
static gcc_jit_rvalue *float_bin(jf *j, uint32_t op, int t, gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
	int k;
	switch (op) {
	case WT_V_F32_ADD:
	case WT_V_F64_ADD:
		k = 0;
		break;
	case WT_V_F32_SUB:
	case WT_V_F64_SUB:
		k = 1;
		break;
	case WT_V_F32_MUL:
	case WT_V_F64_MUL:
		k = 2;
		break;
	case WT_V_F32_DIV:
	case WT_V_F64_DIV:
		k = 3;
		break;
	default:
		return NULL;
	}
#ifdef WT_JG_SSE_NANS
	static const char *const sse[2][4] = {
	    {"addss %1, %0", "subss %1, %0", "mulss %1, %0", "divss %1, %0"},
	    {"addsd %1, %0", "subsd %1, %0", "mulsd %1, %0", "divsd %1, %0"}};
	gcc_jit_lvalue *v = local(j, ty(j, t));
	gcc_jit_block_add_assignment(j->cur, NULL, v, a);
	gcc_jit_extended_asm *x = gcc_jit_block_add_extended_asm(j->cur, NULL, sse[t == TY_f64][k]);
	gcc_jit_extended_asm_add_output_operand(x, NULL, "+x", v);
	gcc_jit_extended_asm_add_input_operand(x, NULL, "xm", b);
	return gcc_jit_lvalue_as_rvalue(v);
#else
	static const enum gcc_jit_binary_op bop[4] = {
	    GCC_JIT_BINARY_OP_PLUS, GCC_JIT_BINARY_OP_MINUS, GCC_JIT_BINARY_OP_MULT,
	    GCC_JIT_BINARY_OP_DIVIDE};
	return nan_checked(j, t, bin(j, bop[k], ty(j, t), a, b), a, b);
#endif
}

static gcc_jit_rvalue *imm(jf *j, int t, uint32_t k)
{
	return t == TY_u32 ? lit(j, j->g->t_u32, k)
			   : lit(j, j->g->t_u64, (uint64_t)(int64_t)(int32_t)k);
}

/* The helper of op over slot bits (u64 values a and b). */
static gcc_jit_rvalue *helper2(jf *j, uint32_t op, gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
	gcc_jit_rvalue *args[2] = {a, b};
	return call(j, rel(j, WT_REL_BIN, op, j->g->t_h2), 2, args);
}

void wt_jg_binary(jf *j, const uint32_t *w, const opinfo *oi)
{
	gcc_jit_rvalue *a = as(j, slot(j, w[3]), oi->t);
	gcc_jit_rvalue *b = oi->imm ? imm(j, oi->t, w[4]) : as(j, slot(j, w[4]), oi->t);
	gcc_jit_rvalue *r = NULL;
	if (oi->kind == K_CMP || (oi->kind == K_BINF && oi->r == TY_u32 && oi->t >= TY_f32)) {
		gcc_jit_rvalue *c = compare(j, oi->base, oi->t, a, b);
		if (c)
			r = cast(j, c, j->g->t_u64);
	} else if (oi->kind == K_BINI) {
		gcc_jit_rvalue *v = int_bin(j, oi->base, oi->t, a, b);
		if (v)
			r = bits(j, v, oi->r);
	} else if (oi->kind == K_BINF) {
		gcc_jit_rvalue *v = float_bin(j, oi->base, oi->t, a, b);
		if (v)
			r = bits(j, v, oi->r);
	}
	if (!r)
		r = helper2(j, oi->base, bits(j, a, oi->t), bits(j, b, oi->t));
	set(j, w[2], r);
}

void wt_jg_trapping_binary(jf *j, const uint32_t *w, const opinfo *oi)
{
	gcc_jit_rvalue *a = slot(j, w[3]);
	gcc_jit_rvalue *b = oi->imm ? bits(j, imm(j, oi->t, w[4]), oi->t) : slot(j, w[4]);
	gcc_jit_rvalue *args[3] = {a, b, gcc_jit_lvalue_get_address(j->tmp, NULL)};
	wt_jg_check_tk(j, call(j, rel(j, WT_REL_BINT, oi->base, j->g->t_ht2), 3, args));
	set(j, w[2], gcc_jit_lvalue_as_rvalue(j->tmp));
}

/* Unary ops inline; NULL: the helper. */
static gcc_jit_rvalue *unary(jf *j, uint32_t op, gcc_jit_rvalue *s)
{
	wt_jitg *g = j->g;
	gcc_jit_rvalue *u32 = cast(j, s, g->t_u32);
	switch (op) {
	case WT_V_I32_EQZ:
		return cast(j, cmp(j, GCC_JIT_COMPARISON_EQ, u32, lit(j, g->t_u32, 0)), g->t_u64);
	case WT_V_I64_EQZ:
		return cast(j, cmp(j, GCC_JIT_COMPARISON_EQ, s, lit(j, g->t_u64, 0)), g->t_u64);
	case WT_V_I32_WRAP_I64:
	case WT_V_I64_EXTEND_I32_U:
		return cast(j, u32, g->t_u64);
	case WT_V_I64_EXTEND_I32_S:
	case WT_V_I64_EXTEND32_S:
		return cast(j, cast(j, s, g->t_i32), g->t_u64);
	case WT_V_I32_EXTEND8_S:
		return cast(j, cast(j, cast(j, s, mem_type(g, 1, 1)), g->t_u32), g->t_u64);
	case WT_V_I32_EXTEND16_S:
		return cast(j, cast(j, cast(j, s, mem_type(g, 2, 1)), g->t_u32), g->t_u64);
	case WT_V_I64_EXTEND8_S:
		return cast(j, cast(j, s, mem_type(g, 1, 1)), g->t_u64);
	case WT_V_I64_EXTEND16_S:
		return cast(j, cast(j, s, mem_type(g, 2, 1)), g->t_u64);
	case WT_V_F32_ABS:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, g->t_u64, s,
			   lit(j, g->t_u64, 0x7FFFFFFFu));
	case WT_V_F32_NEG:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_XOR, g->t_u64, s,
			   lit(j, g->t_u64, 0x80000000u));
	case WT_V_F64_ABS:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, g->t_u64, s,
			   lit(j, g->t_u64, 0x7FFFFFFFFFFFFFFFull));
	case WT_V_F64_NEG:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_XOR, g->t_u64, s,
			   lit(j, g->t_u64, 0x8000000000000000ull));
	case WT_V_F64_CONVERT_I32_S:
		return bits(j, cast(j, cast(j, s, g->t_i32), g->t_f64), TY_f64);
	case WT_V_F64_CONVERT_I32_U:
		return bits(j, cast(j, u32, g->t_f64), TY_f64);
	case WT_V_F64_CONVERT_I64_S:
		return bits(j, cast(j, cast(j, s, g->t_i64), g->t_f64), TY_f64);
	case WT_V_F32_CONVERT_I32_S:
		return bits(j, cast(j, cast(j, s, g->t_i32), g->t_f32), TY_f32);
	/* F64_PROMOTE_F32 by its helper: GCC folds demote(promote(x)) to x,
	 * which keeps a signalling NaN signalling */
	case WT_V_F32_DEMOTE_F64:
		return bits(j, cast(j, as(j, s, TY_f64), g->t_f32), TY_f32);
	default:
		return NULL;
	}
}

void wt_jg_unary(jf *j, const uint32_t *w, const opinfo *oi)
{
	gcc_jit_rvalue *r = unary(j, oi->base, slot(j, w[3]));
	if (!r) {
		gcc_jit_rvalue *a = slot(j, w[3]);
		r = call(j, rel(j, WT_REL_UN, oi->base, j->g->t_h1), 1, &a);
	}
	set(j, w[2], r);
}

void wt_jg_trapping_unary(jf *j, const uint32_t *w, const opinfo *oi)
{
	gcc_jit_rvalue *args[2] = {slot(j, w[3]), gcc_jit_lvalue_get_address(j->tmp, NULL)};
	wt_jg_check_tk(j, call(j, rel(j, WT_REL_UNT, oi->base, j->g->t_ht1), 2, args));
	set(j, w[2], gcc_jit_lvalue_as_rvalue(j->tmp));
}

void wt_jg_fused(jf *j, const uint32_t *w, const opinfo *oi, uint32_t len)
{
	gcc_jit_rvalue *a = as(j, slot(j, w[2]), oi->t);
	gcc_jit_rvalue *b = oi->imm ? imm(j, oi->t, w[3]) : as(j, slot(j, w[3]), oi->t);
	gcc_jit_rvalue *c = compare(j, oi->base, oi->t, a, b);
	if (oi->kind == K_BR_IFNOT)
		c = gcc_jit_context_new_unary_op(j->ctx, NULL, GCC_JIT_UNARY_OP_LOGICAL_NEGATE,
						 j->g->t_bool, c);
	wt_jg_branch_if(j, c, wt_jg_target_of(j->code->words, j->at + 4), j->at + len);
}
