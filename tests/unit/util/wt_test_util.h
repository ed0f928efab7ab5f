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

/* Runs fn in a child process with its stderr into out (NUL-terminated, at most size - 1
 * bytes); returns the child's wait status (the child exits 0 when fn returns). */
int wt_test_run_child(void (*fn)(void), char *out, size_t size);
/* Fails the test unless fn, in a child, aborts (SIGABRT) with a debug-build check's message
 * (check.h) that contains want. */
void wt_test_expect_abort(void (*fn)(void), const char *want);

#endif
