/* vm_nans_portable.h: vm_num.h's add, sub, mul and div as built with -DWT_VM_PORTABLE_NANS (the
 * C operator, its NaNs checked), callable from a test built without it. */
#ifndef WT_VM_NANS_PORTABLE_H
#define WT_VM_NANS_PORTABLE_H

enum { WT_TEST_ADD, WT_TEST_SUB, WT_TEST_MUL, WT_TEST_DIV, WT_TEST_OPS };

float wt_test_portable_f32(int op, float a, float b);
double wt_test_portable_f64(int op, double a, double b);

/* The two functions by op, with vm_num.h as the including file builds it: `storage` f32 and f64
 * (names). Expanded here with the portable build, and in the test with its own. */
#define WT_TEST_NAN_OPS(storage, f32, f64)                     \
	storage float f32(int op, float a, float b)            \
	{                                                      \
		return op == WT_TEST_ADD   ? vm_f32_add(a, b)  \
		       : op == WT_TEST_SUB ? vm_f32_sub(a, b)  \
		       : op == WT_TEST_MUL ? vm_f32_mul(a, b)  \
					   : vm_f32_div(a, b); \
	}                                                      \
	storage double f64(int op, double a, double b)         \
	{                                                      \
		return op == WT_TEST_ADD   ? vm_f64_add(a, b)  \
		       : op == WT_TEST_SUB ? vm_f64_sub(a, b)  \
		       : op == WT_TEST_MUL ? vm_f64_mul(a, b)  \
					   : vm_f64_div(a, b); \
	}

#endif
