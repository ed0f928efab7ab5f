/* test_check.c: the debug-build checks (check.h). With WT_DEBUG (Debug and sanitizer builds) a
 * broken precondition of a core entry point aborts with its condition and place; without it the
 * checks compile to nothing: their condition is not even evaluated. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "arena.h"
#include "check.h"
#include "runtime.h"
#include "wasi_impl.h"
#include "wt_test_util.h"

static void call_without_store(void)
{
	wt_trap trap;

	wt_call(NULL, NULL, NULL, NULL, &trap);
}

static void arena_null(void)
{
	wt_arena_calloc(NULL, 1, 1);
}

static void release_unheld_fd(void)
{
	wt_fdtable t = {0};

	wt_fdtable_release(&t, 3);
}

static void assert_false_here(void)
{
	WT_ASSERT(1 + 1 == 3);
}

static void test_checks_fire_in_debug_builds(void **state)
{
	(void)state;
	if (!WT_CHECKS_ON)
		skip();
	wt_test_expect_abort(call_without_store,
			     "API check `s != NULL && f != NULL && trap != NULL` failed");
	wt_test_expect_abort(call_without_store, "call.c:");
	wt_test_expect_abort(arena_null, "API check `a != NULL` failed");
	wt_test_expect_abort(release_unheld_fd, "API check `fd < t->n` failed");
	wt_test_expect_abort(assert_false_here, "assertion `1 + 1 == 3` failed (");
	wt_test_expect_abort(assert_false_here, "test_check.c:");
}

static void test_checks_compile_out_in_release_builds(void **state)
{
	int evaluated = 0;

	(void)state;
	WT_ASSERT(++evaluated == 1);
	WT_API_CHECK(++evaluated == 2);
	/* debug: both evaluated (and true); release: neither */
	assert_int_equal(evaluated, WT_CHECKS_ON ? 2 : 0);
#if !WT_CHECKS_ON
	/* a false condition is not even looked at */
	char out[64];
	int status = wt_test_run_child(assert_false_here, out, sizeof out);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(out, "");
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_checks_fire_in_debug_builds),
	    cmocka_unit_test(test_checks_compile_out_in_release_builds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
