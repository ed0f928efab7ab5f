/* gccjit.c: libgccjit loaded on first use (gccjit.h): dlopen once, then dlsym of every function
 * the tier calls. Whatever fails is kept and reported again to every later caller. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define WT_GCCJIT_LOADER
#include "gccjit.h"

wt_gccjit wt_gccjit_fn;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char why[WT_ERROR_MSG_MAX]; /* empty: loaded */

static void load(void)
{
	void *h = dlopen(WT_GCCJIT_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *e;
	if (!h) {
		e = dlerror();
		snprintf(why, sizeof why, "%s", e ? e : WT_GCCJIT_SONAME ": cannot be loaded");
		return;
	}
#define WT_GCCJIT_SYM(f)                                            \
	if (!why[0] && !(*(void **)&wt_gccjit_fn.f = dlsym(h, #f))) \
		snprintf(why, sizeof why, "%s has no %s", WT_GCCJIT_SONAME, #f);
	WT_GCCJIT_FUNCS(WT_GCCJIT_SYM)
	WT_GCCJIT_ASM_FUNCS(WT_GCCJIT_SYM)
#undef WT_GCCJIT_SYM
	if (why[0]) {
		memset(&wt_gccjit_fn, 0, sizeof wt_gccjit_fn);
		dlclose(h);
	}
}

int wt_gccjit_load(wt_error *err)
{
	pthread_once(&once, load);
	if (!why[0])
		return 0;
	return wt_fail_plain(err, WT_INTERNAL, "the compiling tier: libgccjit: %s", why);
}
