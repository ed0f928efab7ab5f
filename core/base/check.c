/* check.c: what a failed WT_API_CHECK or WT_ASSERT does (check.h). */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>

#include "escape.h"

void wt_check_fail(const char *kind, const char *what, const char *file, int line, const char *func)
{
	fflush(stdout);
	wt_escape_fprintf(stderr, "wasi-tofu: internal error: %s `%s` failed (%s:%d, %s)\n", kind,
			  what, file, line, func);
	abort();
}
