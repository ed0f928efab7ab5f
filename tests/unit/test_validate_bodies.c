/* test_validate_bodies.c: the bodies validated on several threads (WT_VALIDATE_THREADS forces a
 * count at any size of code) give what one thread gives: each function's max_stack and
 * max_blocks, and for an invalid module the error of the lowest invalid function, wherever the
 * runs of bodies split. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "module.h"
#include "wt_test_util.h"

enum { FUNCS = 48, MAX_THREADS = 8 };

/* A module of FUNCS functions of growing size and depth, decoded from *bytes (the caller frees
 * both); those whose index is in bad[0..nbad) return an i64 where an i32 is declared. */
static wt_module *module_with(const uint32_t *bad, size_t nbad, uint8_t **bytes)
{
	wt_test_text t = {0};
	wt_test_put(&t, "(module\n");
	for (uint32_t i = 0; i < FUNCS; i++) {
		int invalid = 0;
		for (size_t k = 0; k < nbad; k++)
			invalid |= bad[k] == i;
		wt_test_put(&t, "  (func (param i32) (result i32)");
		for (uint32_t d = 0; d < i % 7 + 1; d++)
			wt_test_put(&t, " (block (result i32) (i32.add (local.get 0)");
		wt_test_put(&t, invalid ? " (i64.const %u)" : " (i32.const %u)", i);
		for (uint32_t d = 0; d < i % 7 + 1; d++)
			wt_test_put(&t, "))");
		wt_test_put(&t, ")\n");
	}
	wt_test_put(&t, ")\n");
	size_t size;
	wt_module *m = NULL;
	wt_error err;
	wt_error_init(&err);
	assert_int_equal(wt_test_wat_bytes(t.p, nbad ? "--no-check" : "", bytes, &size), 0);
	assert_int_equal(wt_decode(*bytes, size, &m, &err), 0);
	free(t.p);
	return m;
}

/* wt_validate of a fresh decode with `threads` threads: its status, its error in *err, each
 * function's max_stack and max_blocks in stack[] and blocks[]. */
static int validate_on(unsigned threads, const uint32_t *bad, size_t nbad, wt_error *err,
		       uint32_t *stack, uint32_t *blocks)
{
	char n[16];
	snprintf(n, sizeof n, "%u", threads);
	setenv("WT_VALIDATE_THREADS", n, 1);
	uint8_t *bytes;
	wt_module *m = module_with(bad, nbad, &bytes);
	wt_error_init(err);
	int rc = wt_validate(m, err);
	for (uint32_t i = 0; i < FUNCS; i++) {
		stack[i] = m->funcs[i].max_stack;
		blocks[i] = m->funcs[i].max_blocks;
	}
	wt_module_free(m);
	free(bytes);
	unsetenv("WT_VALIDATE_THREADS");
	return rc;
}

static void test_valid_module_same_on_every_thread_count(void **state)
{
	(void)state;
	wt_error err;
	uint32_t stack1[FUNCS], blocks1[FUNCS], stack[FUNCS], blocks[FUNCS];
	assert_int_equal(validate_on(1, NULL, 0, &err, stack1, blocks1), 0);
	for (uint32_t i = 0; i < FUNCS; i++) {
		assert_int_equal(blocks1[i], i % 7 + 2); /* the body's own block, then the nest */
		assert_true(stack1[i] >= 2);
	}
	for (unsigned n = 2; n <= MAX_THREADS + 1; n++) {
		assert_int_equal(validate_on(n, NULL, 0, &err, stack, blocks), 0);
		assert_memory_equal(stack, stack1, sizeof stack);
		assert_memory_equal(blocks, blocks1, sizeof blocks);
	}
}

/* The module with bad[] invalid gives, on every thread count, the error one thread gives,
 * which names function `want`. */
static void expect_first(const uint32_t *bad, size_t nbad, uint32_t want)
{
	wt_error err1, err;
	uint32_t stack[FUNCS], blocks[FUNCS];
	char name[64];
	assert_int_equal(validate_on(1, bad, nbad, &err1, stack, blocks), WT_INVALID);
	snprintf(name, sizeof name, "code section, func %u:", want);
	if (!strstr(err1.msg, name))
		fail_msg("one thread: \"%s\", expected func %u", err1.msg, want);
	for (unsigned n = 2; n <= MAX_THREADS + 1; n++) {
		assert_int_equal(validate_on(n, bad, nbad, &err, stack, blocks), WT_INVALID);
		if (strcmp(err.msg, err1.msg) != 0 || err.offset != err1.offset)
			fail_msg("%u threads: \"%s\" at %zu, one thread: \"%s\" at %zu", n, err.msg,
				 err.offset, err1.msg, err1.offset);
	}
}

static void test_lowest_invalid_function_wins(void **state)
{
	(void)state;
	const uint32_t later_first[] = {45, 30, 7}, first[] = {0, 47}, last[] = {FUNCS - 1},
		       neighbours[] = {12, 11};
	expect_first(later_first, 3, 7);
	expect_first(first, 2, 0);
	expect_first(last, 1, FUNCS - 1);
	expect_first(neighbours, 2, 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_module_same_on_every_thread_count),
	    cmocka_unit_test(test_lowest_invalid_function_wins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
