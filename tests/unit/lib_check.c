/* lib_check.c: the public API's debug-build checks (check.h): a NULL run aborts a WT_DEBUG
 * build of libwasi-tofu with the condition and its place. Linked against the static library
 * (tests/unit/CMakeLists.txt), as an embedding program is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wasi-tofu/wasi-tofu.h"
#include "wt_test_util.h"

static void arg_without_run(void)
{
	wasi_tofu_run_arg(NULL, "x");
}

static void exec_without_run(void)
{
	wasi_tofu_run_exec(NULL);
}

static void message_without_run(void)
{
	wasi_tofu_run_message(NULL);
}

static void test_lib_null_run_aborts(void **state)
{
	(void)state;
	wt_test_expect_abort(arg_without_run, "API check `r != NULL` failed");
	wt_test_expect_abort(arg_without_run, "wasi_tofu_run_arg)");
	wt_test_expect_abort(exec_without_run, "wasi_tofu_run_exec)");
	wt_test_expect_abort(message_without_run, "wasi_tofu_run_message)");
}

static void test_lib_free_takes_null(void **state)
{
	(void)state;
	wasi_tofu_run_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lib_null_run_aborts),
	    cmocka_unit_test(test_lib_free_takes_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
