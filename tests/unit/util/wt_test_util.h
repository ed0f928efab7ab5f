/* wt_test_util.h: helpers the unit test programs share (linked into each of them). */
#ifndef WT_TEST_UTIL_H
#define WT_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Assembles the WAT text with wat2wasm at test time, in a fresh temporary
 * folder (removed after). args is put on wat2wasm's command line before
 * the input ("--debug-names", "2>/dev/null", or ""). Returns 0 with
 * *bytes (malloc'd, the caller frees) and *size, or -1 when wat2wasm is
 * missing or refuses the text. */
int wt_test_wat_bytes(const char *text, const char *args, uint8_t **bytes, size_t *size);

/* A cmocka group's module, assembled from WAT once for all its tests: wt_test_run_group runs
 * tests[0..n) as one group after assembling g->wat into g->bytes and g->size (the tests read
 * them), and frees them after. Returns cmocka's count of failures (a WAT that does not assemble
 * fails the whole group). */
struct CMUnitTest;
typedef struct wt_test_group {
	const char *wat;
	uint8_t *bytes;
	size_t size;
} wt_test_group;
int wt_test_run_group(const char *name, const struct CMUnitTest *tests, size_t n, wt_test_group *g);

/* A text that grows as it is written (p: NUL-terminated, malloc'd; the caller frees p). */
typedef struct wt_test_text {
	char *p;
	size_t n, cap;
} wt_test_text;

/* Appends printf's output for fmt to t; fails the test when out of memory. */
void wt_test_put(wt_test_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Makes a fresh scratch folder /tmp/wt-NAME-XXXXXX (0700) and puts its path in dir (size
 * bytes); fails the test when it cannot. Remove it with wt_e2e_rmtree (wt_e2e_util.h, the
 * e2e programs' helper: the unit tests link it too). */
void wt_test_scratch(char *dir, size_t size, const char *name);

/* Puts the path of the built fixture NAME (BUILD/fixtures/NAME: the unit test programs are in
 * BUILD/tests/unit) in path (size bytes). Whether it exists is the caller's to ask (a build
 * without fixtures skips). */
void wt_test_fixture(char *path, size_t size, const char *name);

/* Runs fn in a child process with its stderr into out (NUL-terminated, at most size - 1
 * bytes); returns the child's wait status (the child exits 0 when fn returns). */
int wt_test_run_child(void (*fn)(void), char *out, size_t size);
/* Fails the test unless fn, in a child, aborts (SIGABRT) with a debug-build check's message
 * (check.h) that contains want. */
void wt_test_expect_abort(void (*fn)(void), const char *want);

#endif
