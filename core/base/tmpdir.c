/* tmpdir.c: private temporary folders (mkdtemp beneath $TMPDIR). */
#include "tmpdir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wt_tmpdir_new(char *dir, size_t cap, wt_error *err)
{
	const char *tmp = getenv("TMPDIR");
	int n = snprintf(dir, cap, "%s/wasi-tofu-jit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (n < 0 || (size_t)n >= cap)
		return wt_fail_plain(err, WT_IO, "the temporary folder's path is too long");
	if (!mkdtemp(dir))
		return wt_fail_plain(err, WT_IO,
				     "cannot create a folder for the compiling tier: %s",
				     strerror(errno));
	return 0;
}
