/* vm_simd.h: the v128 value, its lane helpers and the handler shapes of vm_simd_ops.h (included
 * by vm.c inside its dispatch loop's file only). */
#ifndef WT_VM_SIMD_H
#define WT_VM_SIMD_H

#include <stdint.h>
#include <string.h>

#include "runtime.h"
#include "vm_num.h"

/* The handler bodies come in two forms (WT_VEC in vm_simd_ops.h): GCC and
 * Clang vector extensions, which the compiler maps to the host's vector
 * instructions (SSE2 on x86-64), and plain C over the lanes, used without
 * GNU C or with -DWT_VM_PLAIN_LANES (the switch-dispatch test build). */
#if defined(__GNUC__) && !defined(WT_VM_PLAIN_LANES)
#define WT_VM_VECTOR 1
#define WT_VEC(vector, ...) vector
#define WT_VEC_TYPE(name, T) typedef T name __attribute__((vector_size(16)));
WT_VEC_TYPE(wt_vu8, uint8_t)
WT_VEC_TYPE(wt_vi8, int8_t)
WT_VEC_TYPE(wt_vu16, uint16_t)
WT_VEC_TYPE(wt_vi16, int16_t)
WT_VEC_TYPE(wt_vu32, uint32_t)
WT_VEC_TYPE(wt_vi32, int32_t)
WT_VEC_TYPE(wt_vu64, uint64_t)
WT_VEC_TYPE(wt_vi64, int64_t)
WT_VEC_TYPE(wt_vf32, float)
WT_VEC_TYPE(wt_vf64, double)
#undef WT_VEC_TYPE
#else
#define WT_VM_VECTOR 0
#define WT_VEC(vector, ...) __VA_ARGS__
#endif

/* A v128 in two consecutive slots, low half first; lanes are numbered
 * from the low bytes up (the host is little-endian, as WebAssembly is). */
typedef union wt_v128 {
	uint8_t u8[16];
	int8_t i8[16];
	uint16_t u16[8];
	int16_t i16[8];
	uint32_t u32[4];
	int32_t i32[4];
	uint64_t u64[2];
	int64_t i64[2];
	float f32[4];
	double f64[2];
#if WT_VM_VECTOR
	wt_vu8 vu8;
	wt_vi8 vi8;
	wt_vu16 vu16;
	wt_vi16 vi16;
	wt_vu32 vu32;
	wt_vi32 vi32;
	wt_vu64 vu64;
	wt_vi64 vi64;
	wt_vf32 vf32;
	wt_vf64 vf64;
#endif
} wt_v128;

_Static_assert(sizeof(wt_v128) == 2 * sizeof(wt_slot), "a v128 takes two slots");

static inline wt_v128 vm_v128_ld(const wt_slot *fp, uint32_t i)
{
	wt_v128 v;
	memcpy(&v, fp + i, sizeof v);
	return v;
}

static inline void vm_v128_st(wt_slot *fp, uint32_t i, const wt_v128 *v)
{
	memcpy(fp + i, v, sizeof *v);
}

/* v clamped to [lo, hi] (saturating arithmetic and narrowing). */
static inline int64_t vm_sat(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

#define FOR(n) for (int i = 0; i < (n); i++)

/* The lanes of float add and mul whose result is a NaN take a's NaN when
 * a's lane is one, else b's, quieted (else the NaN the operation made).
 * The instruction returns its first source's NaN, and which operand the
 * compiler makes the first source changes from one compile of a body to
 * another: this makes the interpreter and the compiling tier's helpers
 * (core/jit/jit_rt_vec.c, the same rows) agree bit for bit. */
#define VM_NANS(r, a, b, n, F, U, quiet)                           \
	do {                                                       \
		int any_ = 0;                                      \
		FOR(n) any_ |= r.F[i] != r.F[i];                   \
		if (any_)                                          \
			FOR(n) if (r.F[i] != r.F[i])               \
			{                                          \
				if (a.F[i] != a.F[i])              \
					r.U[i] = a.U[i] | (quiet); \
				else if (b.F[i] != b.F[i])         \
					r.U[i] = b.U[i] | (quiet); \
			}                                          \
	} while (0)
#define VM_NANS_F32(r, a, b) VM_NANS(r, a, b, 4, f32, u32, 0x00400000u)
#define VM_NANS_F64(r, a, b) VM_NANS(r, a, b, 2, f64, u64, 0x0008000000000000ull)

/* The handler of each shape (see vm_simd_ops.h): reads every operand
 * before it writes its result, like every handler. Memory shapes check
 * the effective address + size against the memory's size first. */
#define WT_SIMD_EA(slot, off, size)                         \
	uint64_t ea = (uint64_t)(uint32_t)fp[slot] + (off); \
	if (WT_UNLIKELY(ea + (size) > msize)) {             \
		tk = WT_TRAP_MEMORY_OOB;                    \
		goto trap;                                  \
	}                                                   \
	uint8_t *m = mbase + ea;

#define WT_SIMD_BIN(size, ...)                                           \
	wt_v128 a = vm_v128_ld(fp, ip[3]), b = vm_v128_ld(fp, ip[4]), r; \
	__VA_ARGS__;                                                     \
	vm_v128_st(fp, ip[2], &r);                                       \
	ip += 5;
#define WT_SIMD_UN(size, ...)                 \
	wt_v128 a = vm_v128_ld(fp, ip[3]), r; \
	__VA_ARGS__;                          \
	vm_v128_st(fp, ip[2], &r);            \
	ip += 4;
#define WT_SIMD_TERN(size, ...)                                                                  \
	wt_v128 a = vm_v128_ld(fp, ip[3]), b = vm_v128_ld(fp, ip[4]), c = vm_v128_ld(fp, ip[5]), \
		r;                                                                               \
	__VA_ARGS__;                                                                             \
	vm_v128_st(fp, ip[2], &r);                                                               \
	ip += 6;
#define WT_SIMD_SHIFT(size, ...)              \
	wt_v128 a = vm_v128_ld(fp, ip[3]), r; \
	uint32_t n = (uint32_t)fp[ip[4]];     \
	__VA_ARGS__;                          \
	vm_v128_st(fp, ip[2], &r);            \
	ip += 5;
#define WT_SIMD_SPLAT(size, ...)   \
	wt_slot x = fp[ip[3]];     \
	wt_v128 r;                 \
	__VA_ARGS__;               \
	vm_v128_st(fp, ip[2], &r); \
	ip += 4;
#define WT_SIMD_EXTRACT(size, ...)         \
	wt_v128 a = vm_v128_ld(fp, ip[3]); \
	uint32_t L = ip[4];                \
	wt_slot x;                         \
	__VA_ARGS__;                       \
	fp[ip[2]] = x;                     \
	ip += 5;
#define WT_SIMD_REPLACE(size, ...)         \
	wt_v128 r = vm_v128_ld(fp, ip[3]); \
	wt_slot x = fp[ip[4]];             \
	uint32_t L = ip[5];                \
	__VA_ARGS__;                       \
	vm_v128_st(fp, ip[2], &r);         \
	ip += 6;
#define WT_SIMD_TEST(size, ...)            \
	wt_v128 a = vm_v128_ld(fp, ip[3]); \
	uint32_t x;                        \
	__VA_ARGS__;                       \
	fp[ip[2]] = x;                     \
	ip += 4;
#define WT_SIMD_LOAD(size, ...)        \
	WT_SIMD_EA(ip[3], ip[4], size) \
	wt_v128 r;                     \
	__VA_ARGS__;                   \
	vm_v128_st(fp, ip[2], &r);     \
	ip += 5;
#define WT_SIMD_LOADLANE(size, ...)        \
	WT_SIMD_EA(ip[3], ip[5], size)     \
	wt_v128 r = vm_v128_ld(fp, ip[4]); \
	uint32_t L = ip[6];                \
	__VA_ARGS__;                       \
	vm_v128_st(fp, ip[2], &r);         \
	ip += 7;
#define WT_SIMD_STORE(size, ...)           \
	WT_SIMD_EA(ip[2], ip[4], size)     \
	wt_v128 a = vm_v128_ld(fp, ip[3]); \
	__VA_ARGS__;                       \
	ip += 5;
#define WT_SIMD_STORELANE(size, ...)       \
	WT_SIMD_EA(ip[2], ip[4], size)     \
	wt_v128 a = vm_v128_ld(fp, ip[3]); \
	uint32_t L = ip[5];                \
	__VA_ARGS__;                       \
	ip += 6;
#define WT_SIMD_SHUFFLE(size, ...)                                       \
	wt_v128 a = vm_v128_ld(fp, ip[3]), b = vm_v128_ld(fp, ip[4]), r; \
	const uint8_t *sh = (const uint8_t *)(ip + 5);                   \
	__VA_ARGS__;                                                     \
	vm_v128_st(fp, ip[2], &r);                                       \
	ip += 9;

#endif
