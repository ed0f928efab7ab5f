/* jit_rt_vec.c: the vector (v128) op helpers the compiling tier's code calls, one per row of
 * vm_simd_ops.h, made from the same bodies as the interpreter's handlers (vm_simd.h's lanes). */
#include <string.h>

#include "jit_impl.h"
#include "vm_simd.h"

/*
 * Each helper's body reads its operands from v[] and writes its result
 * there (the layout of jit_impl.h's wt_jit_hv), reading every operand
 * first, as the interpreter's handlers do; m is the checked effective
 * address of a memory shape (the caller compared it with the memory's
 * size). GCC keeps v[] in registers.
 */
static inline wt_v128 jv_ld(const uint64_t *v)
{
	wt_v128 r;
#if WT_VM_VECTOR
	/* built in registers: two 64-bit stores read back as one 128-bit load
	 * would stall on store forwarding */
	r.vu64 = (wt_vu64){v[0], v[1]};
#else
	memcpy(&r, v, sizeof r);
#endif
	return r;
}

static inline void jv_st(uint64_t *v, const wt_v128 *r)
{
	memcpy(v, r, sizeof *r);
}

#define JV_BIN(...)                                \
	wt_v128 a = jv_ld(v), b = jv_ld(v + 2), r; \
	__VA_ARGS__;                               \
	jv_st(v, &r);
#define JV_UN(...)               \
	wt_v128 a = jv_ld(v), r; \
	__VA_ARGS__;             \
	jv_st(v, &r);
#define JV_TERN(...)                                                 \
	wt_v128 a = jv_ld(v), b = jv_ld(v + 2), c = jv_ld(v + 4), r; \
	__VA_ARGS__;                                                 \
	jv_st(v, &r);
#define JV_SHIFT(...)                \
	wt_v128 a = jv_ld(v), r;     \
	uint32_t n = (uint32_t)v[2]; \
	__VA_ARGS__;                 \
	jv_st(v, &r);
#define JV_SPLAT(...)     \
	wt_slot x = v[0]; \
	wt_v128 r;        \
	__VA_ARGS__;      \
	jv_st(v, &r);
#define JV_EXTRACT(...)              \
	wt_v128 a = jv_ld(v);        \
	uint32_t L = (uint32_t)v[2]; \
	wt_slot x;                   \
	__VA_ARGS__;                 \
	v[0] = x;
#define JV_REPLACE(...)              \
	wt_v128 r = jv_ld(v);        \
	wt_slot x = v[2];            \
	uint32_t L = (uint32_t)v[3]; \
	__VA_ARGS__;                 \
	jv_st(v, &r);
#define JV_TEST(...)          \
	wt_v128 a = jv_ld(v); \
	uint32_t x;           \
	__VA_ARGS__;          \
	v[0] = x;
#define JV_LOAD(...) \
	wt_v128 r;   \
	__VA_ARGS__; \
	jv_st(v, &r);
#define JV_LOADLANE(...)             \
	wt_v128 r = jv_ld(v);        \
	uint32_t L = (uint32_t)v[2]; \
	__VA_ARGS__;                 \
	jv_st(v, &r);
#define JV_STORE(...)         \
	wt_v128 a = jv_ld(v); \
	__VA_ARGS__;
#define JV_STORELANE(...)            \
	wt_v128 a = jv_ld(v);        \
	uint32_t L = (uint32_t)v[2]; \
	__VA_ARGS__;
#define JV_SHUFFLE(...)                            \
	wt_v128 a = jv_ld(v), b = jv_ld(v + 2), r; \
	uint8_t sh[16];                            \
	memcpy(sh, v + 4, sizeof sh);              \
	__VA_ARGS__;                               \
	jv_st(v, &r);

/* The helper: operands in six registers (a memory shape's checked address
 * in the last), the result's two halves returned in two. */
#define JV_HELPER(n, shape, size, ...)                                                           \
	static wt_jit_v2 jv_##n(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4, \
				uint64_t x5)                                                     \
	{                                                                                        \
		uint64_t v[6] = {x0, x1, x2, x3, x4, x5};                                        \
		uint8_t *m = (uint8_t *)(uintptr_t)x5;                                           \
		(void)m;                                                                         \
		JV_##shape(__VA_ARGS__) return (wt_jit_v2){v[0], v[1]};                          \
	}
WT_VM_SIMD_LIST(JV_HELPER)
#undef JV_HELPER

#define JV_ENTRY(n, shape, size, ...) [WT_V_##n] = jv_##n,
const wt_jit_hv wt_jit_vec[WT_V_COUNT] = {WT_VM_SIMD_LIST(JV_ENTRY)};
#undef JV_ENTRY
