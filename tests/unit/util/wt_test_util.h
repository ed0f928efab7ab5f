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

#endif
