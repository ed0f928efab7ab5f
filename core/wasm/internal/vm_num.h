/* vm_num.h: the interpreter's numeric helpers: slot access, rotations, division, float
 * arithmetic's NaNs, min/max, truncation. */
#ifndef WT_VM_NUM_H
#define WT_VM_NUM_H

#include <stdint.h>
#include <string.h>

#include "runtime.h"

/* The C types of the type tags. */
typedef uint32_t vm_u32;
typedef uint64_t vm_u64;
typedef float vm_f32;
typedef double vm_f64;

/* Slot access by type tag (u32, u64, f32, f64), as code.h's lists name
 * them. Every write fills the whole 64-bit slot (i32 and f32 bits
 * zero-extended), as wt_slot promises. */
static inline uint32_t vm_ld_u32(const wt_slot *fp, uint32_t i)
{
	return (uint32_t)fp[i];
}

static inline uint64_t vm_ld_u64(const wt_slot *fp, uint32_t i)
{
	return fp[i];
}

static inline float vm_ld_f32(const wt_slot *fp, uint32_t i)
{
	uint32_t bits = (uint32_t)fp[i];
	float f;
	memcpy(&f, &bits, sizeof f);
	return f;
}

static inline double vm_ld_f64(const wt_slot *fp, uint32_t i)
{
	double d;
	memcpy(&d, &fp[i], sizeof d);
	return d;
}

static inline void vm_st_u32(wt_slot *fp, uint32_t i, uint32_t v)
{
	fp[i] = v;
}

static inline void vm_st_u64(wt_slot *fp, uint32_t i, uint64_t v)
{
	fp[i] = v;
}

static inline void vm_st_f32(wt_slot *fp, uint32_t i, float v)
{
	uint32_t bits;
	memcpy(&bits, &v, sizeof bits);
	fp[i] = bits;
}

static inline void vm_st_f64(wt_slot *fp, uint32_t i, double v)
{
	memcpy(&fp[i], &v, sizeof v);
}

/* An immediate operand word as a value of the type (i64: sign-extended). */
static inline uint32_t vm_imm_u32(uint32_t w)
{
	return w;
}

static inline uint64_t vm_imm_u64(uint32_t w)
{
	return (uint64_t)(int64_t)(int32_t)w;
}

static inline uint32_t vm_rotl32(uint32_t a, uint32_t b)
{
	b &= 31;
	return (a << b) | (a >> ((32 - b) & 31));
}

static inline uint32_t vm_rotr32(uint32_t a, uint32_t b)
{
	b &= 31;
	return (a >> b) | (a << ((32 - b) & 31));
}

static inline uint64_t vm_rotl64(uint64_t a, uint64_t b)
{
	b &= 63;
	return (a << b) | (a >> ((64 - b) & 63));
}

static inline uint64_t vm_rotr64(uint64_t a, uint64_t b)
{
	b &= 63;
	return (a >> b) | (a << ((64 - b) & 63));
}

/* Division and remainder: 0 and *r, or the trap kind. */
static inline int vm_i32_div_s(uint32_t a, uint32_t b, uint32_t *r)
{
	if (b == 0)
		return WT_TRAP_DIV_ZERO;
	if (a == 0x80000000u && b == 0xFFFFFFFFu)
		return WT_TRAP_INT_OVERFLOW;
	*r = (uint32_t)((int32_t)a / (int32_t)b);
	return 0;
}

static inline int vm_i32_div_u(uint32_t a, uint32_t b, uint32_t *r)
{
	if (b == 0)
		return WT_TRAP_DIV_ZERO;
	*r = a / b;
	return 0;
}

static inline int vm_i32_rem_s(uint32_t a, uint32_t b, uint32_t *r)
{
	if (b == 0)
		return WT_TRAP_DIV_ZERO;
	*r = b == 0xFFFFFFFFu ? 0 : (uint32_t)((int32_t)a % (int32_t)b);
	return 0;
}

static inline int vm_i32_rem_u(uint32_t a, uint32_t b, uint32_t *r)
{
	if (b == 0)
		return WT_TRAP_DIV_ZERO;
	*r = a % b;
	return 0;
}

static inline int vm_i64_div_s(uint64_t a, uint64_t b, uint64_t *r)
{
	if (b == 0)
		return WT_TRAP_DIV_ZERO;
	if (a == 0x8000000000000000ull && b == UINT64_MAX)
		return WT_TRAP_INT_OVERFLOW;
	*r = (uint64_t)((int64_t)a / (int64_t)b);
	return 0;
}

static inline int vm_i64_div_u(uint64_t a, uint64_t b, uint64_t *r)
{
	if (b == 0)
		return WT_TRAP_DIV_ZERO;
	*r = a / b;
	return 0;
}

static inline int vm_i64_rem_s(uint64_t a, uint64_t b, uint64_t *r)
{
	if (b == 0)
		return WT_TRAP_DIV_ZERO;
	*r = b == UINT64_MAX ? 0 : (uint64_t)((int64_t)a % (int64_t)b);
	return 0;
}

static inline int vm_i64_rem_u(uint64_t a, uint64_t b, uint64_t *r)
{
	if (b == 0)
		return WT_TRAP_DIV_ZERO;
	*r = a % b;
	return 0;
}

/* The NaN of an op on a and b of which one is a NaN: a's when a is one,
 * else b's, quieted (the quiet bit set; sign and payload kept). Not left
 * to the hardware: it returns its first source's NaN, and which operand a
 * compiler makes the first source is a register-allocation accident that
 * differs between the interpreter and the compiling tier, whose C compiler
 * also folds constants (NaN + NaN gives the second) and rewrites
 * x - (-NaN) as x + NaN. Both tiers take this, so their bits agree. */
#define WT_VM_NAN2(name, F, U, quiet)     \
	static inline F name(F a, F b)    \
	{                                 \
		U x;                      \
		if (a == a)               \
			a = b;            \
		memcpy(&x, &a, sizeof x); \
		x |= (quiet);             \
		memcpy(&a, &x, sizeof a); \
		return a;                 \
	}
WT_VM_NAN2(vm_f32_nan2, float, uint32_t, 0x00400000u)
WT_VM_NAN2(vm_f64_nan2, double, uint64_t, 0x0008000000000000ull)
#undef WT_VM_NAN2

/* add, sub, mul, div with that rule on both tiers (docs/engine.md, "Semantics notes"). On
 * x86-64 the instruction itself in an asm statement, a in the destination (AVX: the first
 * source) register: SSE's own NaN rule is this one, and the compiler can no longer swap a and
 * b. Elsewhere (or with -DWT_VM_PORTABLE_NANS) the C operator, and when its result is a NaN
 * and an operand was one, vm_*_nan2 (a NaN made from numbers, inf - inf or 0 * inf, is the
 * hardware's default NaN on both tiers): a compare and a branch never taken on numbers. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(WT_VM_PORTABLE_NANS)
#ifdef __AVX__
#define WT_VM_ARITH(name, F, nan2, op, ins)                                 \
	static inline F name(F a, F b)                                      \
	{                                                                   \
		F r;                                                        \
		__asm__("v" ins " %2, %1, %0" : "=x"(r) : "x"(a), "xm"(b)); \
		return r;                                                   \
	}
#else
#define WT_VM_ARITH(name, F, nan2, op, ins)                 \
	static inline F name(F a, F b)                      \
	{                                                   \
		__asm__(ins " %1, %0" : "+x"(a) : "xm"(b)); \
		return a;                                   \
	}
#endif
#else
#define WT_VM_ARITH(name, F, nan2, op, ins)                            \
	static inline F name(F a, F b)                                 \
	{                                                              \
		F r = a op b;                                          \
		if (__builtin_expect(r != r, 0) && (a != a || b != b)) \
			return nan2(a, b);                             \
		return r;                                              \
	}
#endif
WT_VM_ARITH(vm_f32_add, float, vm_f32_nan2, +, "addss")
WT_VM_ARITH(vm_f32_sub, float, vm_f32_nan2, -, "subss")
WT_VM_ARITH(vm_f32_mul, float, vm_f32_nan2, *, "mulss")
WT_VM_ARITH(vm_f32_div, float, vm_f32_nan2, /, "divss")
WT_VM_ARITH(vm_f64_add, double, vm_f64_nan2, +, "addsd")
WT_VM_ARITH(vm_f64_sub, double, vm_f64_nan2, -, "subsd")
WT_VM_ARITH(vm_f64_mul, double, vm_f64_nan2, *, "mulsd")
WT_VM_ARITH(vm_f64_div, double, vm_f64_nan2, /, "divsd")
#undef WT_VM_ARITH

/* min/max: NaN if either is NaN (vm_*_nan2); -0 < +0 (on equal values min
 * ORs the bits, so -0 wins; max ANDs them, so +0 wins). U: the same-width
 * bits. */
#define WT_VM_MINMAX(name, F, U, nan2, bitop, cmp) \
	static inline F name(F a, F b)             \
	{                                          \
		if (a != a || b != b)              \
			return nan2(a, b);         \
		if (a == b) {                      \
			U x, y;                    \
			memcpy(&x, &a, sizeof x);  \
			memcpy(&y, &b, sizeof y);  \
			x bitop y;                 \
			memcpy(&a, &x, sizeof a);  \
			return a;                  \
		}                                  \
		return a cmp b ? a : b;            \
	}
WT_VM_MINMAX(vm_f32_min, float, uint32_t, vm_f32_nan2, |=, <)
WT_VM_MINMAX(vm_f32_max, float, uint32_t, vm_f32_nan2, &=, >)
WT_VM_MINMAX(vm_f64_min, double, uint64_t, vm_f64_nan2, |=, <)
WT_VM_MINMAX(vm_f64_max, double, uint64_t, vm_f64_nan2, &=, >)

/* Rounding: a NaN in gives a quiet NaN out (libm may return a
 * signalling one unchanged). */
#define WT_VM_ROUND(name, F, fn)               \
	static inline F name(F a)              \
	{                                      \
		return a != a ? a + a : fn(a); \
	}
WT_VM_ROUND(vm_f32_ceil, float, __builtin_ceilf)
WT_VM_ROUND(vm_f32_floor, float, __builtin_floorf)
WT_VM_ROUND(vm_f32_trunc, float, __builtin_truncf)
WT_VM_ROUND(vm_f32_rint, float, __builtin_rintf)
WT_VM_ROUND(vm_f64_ceil, double, __builtin_ceil)
WT_VM_ROUND(vm_f64_floor, double, __builtin_floor)
WT_VM_ROUND(vm_f64_trunc, double, __builtin_trunc)
WT_VM_ROUND(vm_f64_rint, double, __builtin_rint)
#undef WT_VM_ROUND

/* Trapping truncations: the bounds are exclusive and exact in the source
 * type (lo < a < hi). */
#define WT_VM_TRUNC(name, F, R, lo, hi)                    \
	static inline int name(F a, R *r)                  \
	{                                                  \
		if (a != a)                                \
			return WT_TRAP_INVALID_CONVERSION; \
		if (!(a > (lo) && a < (hi)))               \
			return WT_TRAP_INT_OVERFLOW;       \
		*r = (R)a;                                 \
		return 0;                                  \
	}
WT_VM_TRUNC(vm_trunc_i32_f32_s_raw, float, int32_t, -2147483904.0f, 2147483648.0f)
WT_VM_TRUNC(vm_trunc_i32_f64_s_raw, double, int32_t, -2147483649.0, 2147483648.0)
WT_VM_TRUNC(vm_trunc_i32_f32_u, float, uint32_t, -1.0f, 4294967296.0f)
WT_VM_TRUNC(vm_trunc_i32_f64_u, double, uint32_t, -1.0, 4294967296.0)
WT_VM_TRUNC(vm_trunc_i64_f32_s_raw, float, int64_t, -9223373136366403584.0f, 9223372036854775808.0f)
WT_VM_TRUNC(vm_trunc_i64_f64_s_raw, double, int64_t, -9223372036854777856.0, 9223372036854775808.0)
WT_VM_TRUNC(vm_trunc_i64_f32_u, float, uint64_t, -1.0f, 18446744073709551616.0f)
WT_VM_TRUNC(vm_trunc_i64_f64_u, double, uint64_t, -1.0, 18446744073709551616.0)
#undef WT_VM_TRUNC

static inline int vm_trunc_i32_f32_s(float a, uint32_t *r)
{
	int32_t v = 0;
	int k = vm_trunc_i32_f32_s_raw(a, &v);
	*r = (uint32_t)v;
	return k;
}

static inline int vm_trunc_i32_f64_s(double a, uint32_t *r)
{
	int32_t v = 0;
	int k = vm_trunc_i32_f64_s_raw(a, &v);
	*r = (uint32_t)v;
	return k;
}

static inline int vm_trunc_i64_f32_s(float a, uint64_t *r)
{
	int64_t v = 0;
	int k = vm_trunc_i64_f32_s_raw(a, &v);
	*r = (uint64_t)v;
	return k;
}

static inline int vm_trunc_i64_f64_s(double a, uint64_t *r)
{
	int64_t v = 0;
	int k = vm_trunc_i64_f64_s_raw(a, &v);
	*r = (uint64_t)v;
	return k;
}

/* Saturating truncations: NaN -> 0, out of range -> the nearest bound. */
#define WT_VM_SAT(name, F, R, S, lo, hi, rmin, rmax) \
	static inline R name(F a)                    \
	{                                            \
		if (a != a)                          \
			return 0;                    \
		if (!(a > (lo)))                     \
			return (R)(rmin);            \
		if (!(a < (hi)))                     \
			return (R)(rmax);            \
		return (R)(S)a;                      \
	}
WT_VM_SAT(vm_sat_i32_f32_s, float, uint32_t, int32_t, -2147483904.0f, 2147483648.0f, INT32_MIN,
	  INT32_MAX)
WT_VM_SAT(vm_sat_i32_f64_s, double, uint32_t, int32_t, -2147483649.0, 2147483648.0, INT32_MIN,
	  INT32_MAX)
WT_VM_SAT(vm_sat_i32_f32_u, float, uint32_t, uint32_t, -1.0f, 4294967296.0f, 0, UINT32_MAX)
WT_VM_SAT(vm_sat_i32_f64_u, double, uint32_t, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)
WT_VM_SAT(vm_sat_i64_f32_s, float, uint64_t, int64_t, -9223373136366403584.0f,
	  9223372036854775808.0f, INT64_MIN, INT64_MAX)
WT_VM_SAT(vm_sat_i64_f64_s, double, uint64_t, int64_t, -9223372036854777856.0,
	  9223372036854775808.0, INT64_MIN, INT64_MAX)
WT_VM_SAT(vm_sat_i64_f32_u, float, uint64_t, uint64_t, -1.0f, 18446744073709551616.0f, 0,
	  UINT64_MAX)
WT_VM_SAT(vm_sat_i64_f64_u, double, uint64_t, uint64_t, -1.0, 18446744073709551616.0, 0, UINT64_MAX)
#undef WT_VM_SAT

#endif
