/* jit_none.c: the compiling tier of a build without libgccjit: absent (--tier jit is an error,
 * auto runs the interpreter). */
#include "jit.h"

int wt_jit_available(void)
{
	return 0;
}

int wt_jit_compile_instance(wt_instance *inst, wt_jit **out, wt_jit_stats *stats, wt_error *err)
{
	(void)inst;
	*out = NULL;
	if (stats)
		*stats = (wt_jit_stats){0};
	return wt_fail_plain(err, WT_INTERNAL,
			     "this build has no compiling tier (built without libgccjit)");
}

void wt_jit_free(wt_jit *j)
{
	(void)j;
}
