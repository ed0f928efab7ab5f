/* test_match.c: the pattern trie: literal, `*`, component globs, `**`, escapes, instantiated
 * prefixes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <fnmatch.h>

#include "gate.h"
#include "match.h"

enum {
	R = WT_RIGHT_READ,
	W = WT_RIGHT_WRITE,
	C = WT_RIGHT_CREATE,
	L = WT_RIGHT_LIST,
	S = WT_RIGHT_STAT,
	D = WT_RIGHT_DELETE
};

static const struct {
	const char *pattern;
	uint32_t rights;
} rules[] = {
    {"/src/build.zon", R},
    {"/src/src/**", R | L},
    {"/out/*.o", C | W},
    {"/out/*", S},
    {"/", L},
    {"/a/*/c", D},
    {"/a/b/c", R},
    {"/lib*.a/x", W},
    {"/esc/\\*", R},
    {"/esc/\\\\", W},
    {"/x/*a*b*", S},
    {"/deep/**", S},
    {"/deep/q/**", R},
};

static const struct {
	const char *path;
	uint32_t want;
} checks[] = {
    {"/src/build.zon", R},
    {"/src/build.zo", 0},
    {"/src/build.zon/x", 0},
    {"/src/src", 0}, /* `**` excludes the folder itself */
    {"/src/src/a.c", R | L},
    {"/src/src/a/b/c/d.c", R | L},
    {"/out/x.o", C | W | S},
    {"/out/x.c", S},
    {"/out/.o", C | W | S},
    {"/out/sub/x.o", 0},
    {"/", L},
    {"/a/b/c", D | R},
    {"/a/zz/c", D},
    {"/a/b", 0},
    {"/libfoo.a/x", W},
    {"/lib.a/x", W},
    {"/libfoo.b/x", 0},
    {"/esc/*", R},
    {"/esc/a", 0},
    {"/esc/\\", W},
    {"/x/ab", S},
    {"/x/zazbz", S},
    {"/x/ba", 0},
    {"/deep/q", S},
    {"/deep/q/r", S | R},
    {"/nowhere", 0},
};

static wt_match *make(void)
{
	wt_match *t = wt_match_new();

	assert_non_null(t);
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		assert_int_equal(wt_match_add(t, NULL, 0, rules[i].pattern, rules[i].rights, NULL),
				 0);
	assert_int_equal(wt_match_count(t), sizeof rules / sizeof rules[0]);
	return t;
}

static void test_match_table(void **state)
{
	wt_match *t = make();

	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		uint32_t got = wt_match_rights(t, checks[i].path, strlen(checks[i].path));
		if (got != checks[i].want)
			fail_msg("%s: got %#x, want %#x", checks[i].path, got, checks[i].want);
	}
	wt_match_free(t);
}

static void test_match_literal_prefix(void **state)
{
	wt_match *t = wt_match_new();

	/* ${arg:1} = "/in/a*b.txt": the argument is taken literally */
	assert_int_equal(wt_match_add(t, "/in/a*b.txt", 11, "", R, NULL), 0);
	assert_int_equal(wt_match_add(t, "/out/dir", 8, "/**", W, NULL), 0);
	assert_int_equal(wt_match_rights(t, "/in/a*b.txt", 11), R);
	assert_int_equal(wt_match_rights(t, "/in/aXb.txt", 11), 0);
	assert_int_equal(wt_match_rights(t, "/out/dir/x/y", 12), W);
	assert_int_equal(wt_match_rights(t, "/out/dir", 8), 0);
	wt_match_free(t);
}

static void test_match_many_rules_grow(void **state)
{
	wt_match *t = wt_match_new();
	char path[64];

	for (int i = 0; i < 5000; i++) {
		snprintf(path, sizeof path, "/d%d/f%d", i % 37, i);
		assert_int_equal(wt_match_add(t, NULL, 0, path, 1u << (i % 12), NULL), 0);
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(path, sizeof path, "/d%d/f%d", i % 37, i);
		assert_int_equal(wt_match_rights(t, path, strlen(path)), 1u << (i % 12));
		snprintf(path, sizeof path, "/d%d/f%d", (i + 1) % 37, i);
		assert_int_equal(wt_match_rights(t, path, strlen(path)), 0);
	}
	wt_match_free(t);
}

static void test_match_rejects_relative(void **state)
{
	wt_match *t = wt_match_new();
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_match_add(t, NULL, 0, "rel/x", R, &err), WT_MALFORMED);
	wt_match_free(t);
}

/* Component globs against fnmatch: random patterns of `a`, `b`, `*` and `\*`
 * on random names of `a`, `b` and `*`, long ones included. */
static void test_match_globs_agree_with_fnmatch(void **state)
{
	static const char *const pieces[] = {"a", "b", "*", "\\*", "ab", "ba"};
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	char pat[256], name[256], path[300];

	for (int round = 0; round < 20000; round++) {
		wt_match *t = wt_match_new();
		size_t np = 0, nn = 0;
		int want, stars = 0;

		for (int k = (int)(seed % 12) + 1; k > 0; k--) {
			const char *p = pieces[(seed >> 8) % 6];
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			if (np && p[0] == '*' && pat[np - 1] == '*' &&
			    (np < 2 || pat[np - 2] != '\\'))
				continue; /* `**` inside a component is no pattern */
			stars += p[0] == '*';
			np += (size_t)snprintf(pat + np, sizeof pat - np, "%s", p);
		}
		if (!stars || (np == 1 && pat[0] == '*')) {
			wt_match_free(t);
			continue; /* a glob has a `*` and is not the whole-component `*` */
		}
		for (int k = (int)((seed >> 20) % 40); k > 0; k--) {
			name[nn++] = "ab*"[(seed >> 33) % 3];
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		}
		name[nn] = '\0';
		snprintf(path, sizeof path, "/d/%s", pat);
		assert_int_equal(wt_match_add(t, NULL, 0, path, R, NULL), 0);
		snprintf(path, sizeof path, "/d/%s", name);
		want = fnmatch(pat, name, 0) == 0 ? R : 0;
		if ((int)wt_match_rights(t, path, strlen(path)) != want)
			fail_msg("pattern '%s', name '%s': fnmatch says %d", pat, name, want);
		wt_match_free(t);
	}
}

/* A glob of 2000 `*` against a 4000-byte name: a match and a miss. */
static void test_match_long_globs(void **state)
{
	static char pat[5000], name[5000];
	wt_match *t = wt_match_new();
	size_t n = 0;

	n += (size_t)snprintf(pat, sizeof pat, "/d/");
	for (int i = 0; i < 2000; i++)
		n += (size_t)snprintf(pat + n, sizeof pat - n, "*a");
	assert_int_equal(wt_match_add(t, NULL, 0, pat, R, NULL), 0);
	memset(name, 'a', 4003);
	memcpy(name, "/d/", 3);
	assert_int_equal(wt_match_rights(t, name, 4003), R);
	name[4002] = 'b';
	assert_int_equal(wt_match_rights(t, name, 4003), 0);
	name[4002] = 'a';
	assert_int_equal(wt_match_rights(t, name, 2003), R); /* 2000 `a`: each star empty */
	assert_int_equal(wt_match_rights(t, name, 2002), 0); /* 1999: one too few */
	wt_match_free(t);
}

/* wt_match_reaches: a path on the way to (or at) a literal pattern. */
static void test_match_reaches(void **state)
{
	wt_match *t = wt_match_new();

	assert_int_equal(wt_match_add(t, "/src/lib", 8, "", R, NULL), 0);
	assert_int_equal(wt_match_add(t, "/out", 4, "/**", W, NULL), 0);
	assert_int_equal(wt_match_reaches(t, "/", 1), 1);
	assert_int_equal(wt_match_reaches(t, "/src", 4), 1);
	assert_int_equal(wt_match_reaches(t, "/src/lib", 8), 1);
	assert_int_equal(wt_match_reaches(t, "/out", 4), 1);
	assert_int_equal(wt_match_reaches(t, "/src/lib/x", 10), 0);
	assert_int_equal(wt_match_reaches(t, "/sr", 3), 0);
	assert_int_equal(wt_match_reaches(t, "/out/x", 6), 0);
	wt_match_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match_table),
	    cmocka_unit_test(test_match_literal_prefix),
	    cmocka_unit_test(test_match_many_rules_grow),
	    cmocka_unit_test(test_match_rejects_relative),
	    cmocka_unit_test(test_match_globs_agree_with_fnmatch),
	    cmocka_unit_test(test_match_long_globs),
	    cmocka_unit_test(test_match_reaches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
