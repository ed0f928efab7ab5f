/* test_path.c: canonical guest paths: join, normalise, refuse, and the mount prefix rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "path.h"
#include "wasi_abi.h"

typedef struct join_case {
	const char *base;
	const char *path;
	size_t len; /* 0: strlen(path) */
	int abs_ok;
	int expect_errno;
	const char *expect;
} join_case;

static const join_case join_cases[] = {
    {"/root", "guest.txt", 0, 0, 0, "/root/guest.txt"},
    {"/", "/root/guest.txt", 0, 1, 0, "/root/guest.txt"},
    {"/root", "./a/./b/", 0, 0, 0, "/root/a/b"},
    {"/root", "a//b///c", 0, 0, 0, "/root/a/b/c"},
    {"/root", "..", 0, 0, 0, "/"},
    {"/root", "../../../../etc/passwd", 0, 0, 0, "/etc/passwd"},
    {"/src", "a/../../src2/x", 0, 0, 0, "/src2/x"},
    {"/", "..", 0, 0, 0, "/"},
    {"/", ".", 0, 0, 0, "/"},
    {"/a/b", "c/../../d", 0, 0, 0, "/a/d"},
    {"/src", "/etc/passwd", 0, 0, WT_ENOTCAPABLE, NULL},
    {"/src", "", 0, 0, WT_ENOENT, NULL},
    {"/src", "a\0b", 3, 0, WT_EINVAL, NULL},
    {"/src", "\xff", 0, 0, WT_EILSEQ, NULL},
    {"/src", "\xc0\xaf", 0, 0, WT_EILSEQ, NULL},	 /* overlong '/' */
    {"/src", "\xed\xa0\x80", 0, 0, WT_EILSEQ, NULL},	 /* a surrogate */
    {"/src", "\xf4\x90\x80\x80", 0, 0, WT_EILSEQ, NULL}, /* past U+10FFFF */
    {"/src", "caf\xc3\xa9", 0, 0, 0, "/src/caf\xc3\xa9"},
    {"/src", "\xf0\x9f\x98\x80.txt", 0, 0, 0, "/src/\xf0\x9f\x98\x80.txt"},
};

static void test_path_join_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof join_cases / sizeof join_cases[0]; i++) {
		const join_case *t = &join_cases[i];
		size_t len = t->len ? t->len : strlen(t->path), out_len = 0;
		char out[WT_PATH_MAX + 1];
		int e = wt_path_join(t->base, strlen(t->base), (const uint8_t *)t->path, len,
				     t->abs_ok, out, sizeof out, &out_len);

		if (e != t->expect_errno)
			fail_msg("case %zu (%s): errno %d, expected %d", i, t->path, e,
				 t->expect_errno);
		if (t->expect) {
			assert_string_equal(out, t->expect);
			assert_int_equal(out_len, strlen(t->expect));
		}
	}
}

static void test_path_join_never_truncates(void **state)
{
	static char longp[WT_PATH_MAX + 10];
	char out[WT_PATH_MAX + 1];
	size_t out_len;

	(void)state;
	memset(longp, 'a', sizeof longp - 1);
	assert_int_equal(
	    wt_path_join("/", 1, (const uint8_t *)longp, WT_PATH_MAX, 0, out, sizeof out, &out_len),
	    WT_ENAMETOOLONG);
	/* Exactly the limit fits: "/" + 4094 bytes. */
	assert_int_equal(wt_path_join("/", 1, (const uint8_t *)longp, WT_PATH_MAX - 1, 0, out,
				      sizeof out, &out_len),
			 0);
	assert_int_equal(out_len, WT_PATH_MAX);
	/* A small buffer is refused, not filled with a cut path. */
	assert_int_equal(wt_path_join("/src", 4, (const uint8_t *)"abcdef", 6, 0, out, 8, &out_len),
			 WT_ENAMETOOLONG);
	/* `..` cancels length: a long path that shrinks back fits. */
	assert_int_equal(
	    wt_path_join("/", 1, (const uint8_t *)"x/../y", 6, 0, out, sizeof out, &out_len), 0);
	assert_string_equal(out, "/y");
}

typedef struct within_case {
	const char *prefix, *path;
	int expect;
	size_t rel; /* expected offset of the part below */
} within_case;

static void test_path_within_components(void **state)
{
	static const within_case cases[] = {
	    {"/src", "/src", 1, 4},   {"/src", "/src/a/b", 1, 5}, {"/src", "/srcx", 0, 0},
	    {"/src", "/sr", 0, 0},    {"/", "/anything", 1, 1},	  {"/", "/", 1, 1},
	    {"/a/b", "/a/b/c", 1, 5}, {"/a/b", "/a", 0, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const within_case *t = &cases[i];
		size_t pl = strlen(t->prefix), l = strlen(t->path);

		assert_int_equal(wt_path_within(t->prefix, pl, t->path, l), t->expect);
		if (t->expect)
			assert_int_equal(wt_path_rel_offset(pl, l), t->rel);
	}
}

static void test_path_utf8_validation(void **state)
{
	(void)state;
	assert_true(wt_path_utf8_ok((const uint8_t *)"", 0));
	assert_true(wt_path_utf8_ok((const uint8_t *)"\xe2\x82\xac", 3));
	assert_false(wt_path_utf8_ok((const uint8_t *)"\xe2\x82", 2));	   /* cut short */
	assert_false(wt_path_utf8_ok((const uint8_t *)"\xe0\x80\x80", 3)); /* overlong */
	assert_false(wt_path_utf8_ok((const uint8_t *)"\x80", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_path_join_table),
	    cmocka_unit_test(test_path_join_never_truncates),
	    cmocka_unit_test(test_path_within_components),
	    cmocka_unit_test(test_path_utf8_validation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
