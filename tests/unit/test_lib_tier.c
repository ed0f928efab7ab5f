/* test_lib_tier.c: wasi_tofu_run_tier reaches the engine: under WASI_TOFU_TIER_JIT the run's
 * functions are compiled (the engine's result, lib_cli.h, counts them), under
 * WASI_TOFU_TIER_INTERP none is; a build without the compiling tier refuses JIT. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "jit.h"
#include "lib_cli.h"
#include "wt_test_util.h"

static const char wat[] =
    "(module (memory (export \"memory\") 1)\n"
    "  (func $f (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))\n"
    "  (func (export \"_start\") (drop (call $f (i32.const 41)))))\n";

/* A run of the module above with TIER; the functions the compiling tier compiled, or -1 when
 * the tier was refused. */
static int compiled_with(wasi_tofu_tier tier)
{
	static const wt_lib_engine no_cache = {.no_cache = 1};
	uint8_t *bytes;
	size_t size;
	wasi_tofu_run *r;
	int n = -1;

	if (wt_test_wat_bytes(wat, "", &bytes, &size) != 0)
		skip();
	assert_non_null(r = wasi_tofu_run_new_memory(bytes, size, "t.wasm"));
	free(bytes);
	wt_lib_run_engine(r, &no_cache); /* a hit in the code cache would compile nothing */
	if (wasi_tofu_run_tier(r, tier) == WASI_TOFU_OK) {
		assert_int_equal(wasi_tofu_run_exec(r), 0);
		n = (int)wt_lib_run_result(r)->jit.compiled;
	}
	wasi_tofu_run_free(r);
	return n;
}

static void test_lib_tier_reaches_the_engine(void **state)
{
	(void)state;
	assert_int_equal(compiled_with(WASI_TOFU_TIER_INTERP), 0);
	if (wt_jit_available())
		assert_int_equal(compiled_with(WASI_TOFU_TIER_JIT), 2);
	else
		assert_int_equal(compiled_with(WASI_TOFU_TIER_JIT), -1);
	assert_int_equal(compiled_with((wasi_tofu_tier)3), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lib_tier_reaches_the_engine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
