/* test_grow.c: the checked grow-array: doubling, the first size, and sizes that would
 * overflow failing cleanly with the array untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grow.h"
#include "wt_fail_alloc.h"

static void test_grow_cap_doubles_from_first(void **state)
{
	(void)state;
	assert_int_equal(wt_grow_cap(0, 1, 4, 16, SIZE_MAX), 16);
	assert_int_equal(wt_grow_cap(16, 17, 4, 16, SIZE_MAX), 32);
	assert_int_equal(wt_grow_cap(16, 100, 4, 16, SIZE_MAX), 100); /* never less than need */
	assert_int_equal(wt_grow_cap(0, 1, 4, 0, SIZE_MAX), 1);
	assert_int_equal(wt_grow_cap(10, 11, 4, 16, 15), 15); /* doubling stops at max */
	assert_int_equal(wt_grow_cap(10, 16, 4, 16, 15), 0);  /* need past max */
}

static void test_grow_cap_overflow_is_zero(void **state)
{
	size_t elem = 24, most = SIZE_MAX / elem;

	(void)state;
	/* need entries whose bytes do not fit in a size_t */
	assert_int_equal(wt_grow_cap(16, most + 1, elem, 16, SIZE_MAX), 0);
	assert_int_equal(wt_grow_cap(0, SIZE_MAX, 2, 16, SIZE_MAX), 0);
	/* doubling past the largest array stops at it: count * elem still fits */
	size_t cap = wt_grow_cap(most / 2 + 1, most / 2 + 2, elem, 16, SIZE_MAX);
	assert_int_equal(cap, most);
	assert_true(cap <= SIZE_MAX / elem);
	/* a capacity already past what fits */
	assert_int_equal(wt_grow_cap(most + 1, most + 2, elem, 16, SIZE_MAX), 0);
}

static void test_grow_realloc_overflow_is_null(void **state)
{
	char *keep = malloc(8);

	(void)state;
	assert_non_null(keep);
	memcpy(keep, "intact!", 8);
	assert_null(wt_grow_realloc(keep, SIZE_MAX / 2 + 1, 2));
	assert_null(wt_grow_realloc(keep, SIZE_MAX / 8 + 1, 16));
	assert_null(wt_grow_realloc(keep, 0, 16)); /* wt_grow_cap's failure passes through */
	assert_string_equal(keep, "intact!");	   /* still the caller's, still readable */
	free(keep);
}

static void test_grow_doubles_and_keeps_entries(void **state)
{
	uint64_t *v = NULL;
	size_t cap = 0;

	(void)state;
	for (size_t n = 0; n < 1000; n++) {
		assert_int_equal(WT_GROW(&v, &cap, n + 1, 8), 0);
		assert_true(cap >= n + 1);
		v[n] = n * 7;
	}
	assert_int_equal(cap, 1024); /* 8, 16, ..., 1024 */
	for (size_t n = 0; n < 1000; n++)
		assert_int_equal(v[n], n * 7);
	assert_int_equal(WT_GROW(&v, &cap, 10, 8), 0); /* room already: nothing moves */
	assert_int_equal(cap, 1024);
	free(v);
}

static void test_grow_overflow_fails_cleanly(void **state)
{
	uint64_t *v = NULL, *before;
	size_t cap = 0;

	(void)state;
	assert_int_equal(WT_GROW(&v, &cap, 4, 4), 0);
	v[3] = 42;
	before = v;
	assert_int_equal(WT_GROW(&v, &cap, SIZE_MAX / sizeof *v + 1, 4), -1);
	assert_int_equal(WT_GROW(&v, &cap, SIZE_MAX, 4), -1);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 4);
	assert_int_equal(v[3], 42);
	free(v);
}

static void test_grow_out_of_memory_keeps_array(void **state)
{
#if WT_FAILALLOC
	int *v = NULL, *before;
	size_t cap = 0;
	long live;

	(void)state;
	assert_int_equal(WT_GROW(&v, &cap, 1, 2), 0);
	v[0] = 7;
	before = v;
	live = live_blocks;
	fail_countdown = 0;
	assert_int_equal(WT_GROW(&v, &cap, 3, 2), -1);
	fail_countdown = -1;
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 2);
	assert_int_equal(v[0], 7);
	assert_int_equal(live_blocks, live);
	free(v);
#else
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grow_cap_doubles_from_first),
	    cmocka_unit_test(test_grow_cap_overflow_is_zero),
	    cmocka_unit_test(test_grow_realloc_overflow_is_null),
	    cmocka_unit_test(test_grow_doubles_and_keeps_entries),
	    cmocka_unit_test(test_grow_overflow_fails_cleanly),
	    cmocka_unit_test(test_grow_out_of_memory_keeps_array),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
