/* wt_test_cache.h: the code cache's pieces as a test wants them, through wt_jit_cache_each (the
 * loaders' way): the code pieces' memfds in an array. */
#ifndef WT_TEST_CACHE_H
#define WT_TEST_CACHE_H

#include <stdint.h>

#include "cache.h"

/* The verified code pieces of the module's entry, at most max, each as its sealed memfd in fds
 * (the caller closes them); pieces of other kinds are closed. *n counts them (0: a miss).
 * Returns wt_jit_cache_each's status (then no fd is left open). */
int wt_test_cache_code(wt_jit_cache *c, const uint8_t module_sha[32], int *fds, uint32_t max,
		       uint32_t *n, wt_error *err);

/* The number of verified code pieces of the module's entry (at most 8; fails the test on an
 * error). */
uint32_t wt_test_cache_count(wt_jit_cache *c, const uint8_t module_sha[32]);

/* Points the code cache and its secret at folders beneath dir (XDG_CACHE_HOME=dir/cache,
 * XDG_STATE_HOME=dir/state), as a test's own cache. */
void wt_test_cache_home(const char *dir);

#endif
