/* test_vm_nans.c: the interpreter's float add, sub, mul and div give the documented NaN bits
 * (docs/engine.md, "Semantics notes") on both of their builds: the one of this file (on x86-64
 * the instruction in an asm statement) and the portable one (-DWT_VM_PORTABLE_NANS, the C
 * operator with a check: util/vm_nans_portable.c), which no other test builds. Every pair of
 * operands from a set of numbers, infinities, zeros and NaNs with distinct payloads (quiet and
 * signalling, both signs) in both orders: both builds agree bit for bit, and a NaN operand gives
 * the first NaN operand, quieted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vm_nans_portable.h"
#include "vm_num.h"

static const uint32_t f32_bits[] = {
    0x00000000u, 0x80000000u, 0x3f800000u, 0xc0490fdbu, 0x7f800000u, 0xff800000u, 0x00000001u,
    0x7fc00000u, 0xffc00000u, 0x7fc12345u, 0xffd0f00du, 0x7f800001u, 0xff8abcdeu, 0x7fa00000u,
};

static const uint64_t f64_bits[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xc00921fb54442d18ull,
    0x7ff0000000000000ull, 0xfff0000000000000ull, 0x0000000000000001ull, 0x7ff8000000000000ull,
    0xfff8000000000000ull, 0x7ff8123456789abcull, 0xfffc0ffee0ddf00dull, 0x7ff0000000000001ull,
    0xfff4abcdef012345ull, 0x7ff4000000000000ull,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static float f32_of(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

static uint32_t bits32(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u;
}

static double f64_of(uint64_t u)
{
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

static uint64_t bits64(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return u;
}

static int nan32(uint32_t u)
{
	return (u & 0x7f800000u) == 0x7f800000u && (u & 0x007fffffu);
}

static int nan64(uint64_t u)
{
	return (u & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (u & 0x000fffffffffffffull);
}

WT_TEST_NAN_OPS(static, native_f32, native_f64)

static void test_f32_builds_agree_on_the_rule(void **state)
{
	(void)state;
	for (int op = 0; op < WT_TEST_OPS; op++)
		for (size_t i = 0; i < N(f32_bits); i++)
			for (size_t k = 0; k < N(f32_bits); k++) {
				uint32_t a = f32_bits[i], b = f32_bits[k];
				uint32_t n = bits32(native_f32(op, f32_of(a), f32_of(b)));
				uint32_t p = bits32(wt_test_portable_f32(op, f32_of(a), f32_of(b)));
				if (n != p)
					fail_msg(
					    "f32 op %d on %08x, %08x: %08x here, %08x portable", op,
					    a, b, n, p);
				if (nan32(a) || nan32(b))
					assert_int_equal(p, (nan32(a) ? a : b) | 0x00400000u);
			}
}

static void test_f64_builds_agree_on_the_rule(void **state)
{
	(void)state;
	for (int op = 0; op < WT_TEST_OPS; op++)
		for (size_t i = 0; i < N(f64_bits); i++)
			for (size_t k = 0; k < N(f64_bits); k++) {
				uint64_t a = f64_bits[i], b = f64_bits[k];
				uint64_t n = bits64(native_f64(op, f64_of(a), f64_of(b)));
				uint64_t p = bits64(wt_test_portable_f64(op, f64_of(a), f64_of(b)));
				if (n != p)
					fail_msg("f64 op %d on %016llx, %016llx: %016llx here, "
						 "%016llx portable",
						 op, (unsigned long long)a, (unsigned long long)b,
						 (unsigned long long)n, (unsigned long long)p);
				if (nan64(a) || nan64(b))
					assert_int_equal(p, (nan64(a) ? a : b) |
								0x0008000000000000ull);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_f32_builds_agree_on_the_rule),
	    cmocka_unit_test(test_f64_builds_agree_on_the_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
