/* wt_test_cache.c: see wt_test_cache.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "wt_test_cache.h"

typedef struct collect {
	int *fds;
	uint32_t max, *n;
} collect;

/* wt_jit_cache_each's callback: keeps the code pieces, up to max. */
static int collect_code(void *ctx, int fd, wt_jit_piece_kind kind, const char *name)
{
	collect *k = ctx;
	(void)name;
	if (kind != WT_JIT_PIECE_CODE) {
		close(fd);
		return 0;
	}
	k->fds[(*k->n)++] = fd;
	return *k->n >= k->max;
}

int wt_test_cache_code(wt_jit_cache *c, const uint8_t module_sha[32], int *fds, uint32_t max,
		       uint32_t *n, wt_error *err)
{
	collect k = {fds, max, n};
	*n = 0;
	if (max == 0)
		return 0;
	int rc = wt_jit_cache_each(c, module_sha, collect_code, &k, err);
	if (rc)
		while (*n > 0)
			close(fds[--*n]);
	return rc;
}

uint32_t wt_test_cache_count(wt_jit_cache *c, const uint8_t module_sha[32])
{
	int fds[8];
	uint32_t n = 0;
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_test_cache_code(c, module_sha, fds, 8, &n, &err), 0);
	for (uint32_t i = 0; i < n; i++)
		close(fds[i]);
	return n;
}

void wt_test_cache_home(const char *dir)
{
	char home[4200];
	snprintf(home, sizeof home, "%s/cache", dir);
	setenv("XDG_CACHE_HOME", home, 1);
	snprintf(home, sizeof home, "%s/state", dir);
	setenv("XDG_STATE_HOME", home, 1);
}
