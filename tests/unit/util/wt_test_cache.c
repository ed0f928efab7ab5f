/* wt_test_cache.c: see wt_test_cache.h. */
#include <unistd.h>

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
