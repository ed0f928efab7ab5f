/* cache_compile.c: the compiling tier through the code cache: a module's verified pieces are
 * loaded; on a miss its functions are compiled into a private temporary file, kept in the cache
 * and loaded (docs/engine.md, "The code cache"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "cache_impl.h"
#include "code.h"
#include "escape.h"
#include "jit.h"
#include "module.h"
#include "sha256.h"
#include "store.h"

/* The pieces one module may have: one per compile. */
enum { WT_JIT_CACHE_PIECES = 64 };

static double seconds_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A note on the cache's notes stream: what went wrong with the cache; the run goes on. */
static void note(const wt_jit_cache *c, const char *what, const wt_error *err)
{
	if (c->notes)
		wt_escape_fprintf(c->notes, "wasi-tofu: note: code cache: %s: %s\n", what,
				  err->msg);
}

/* Loads the memfd piece fd into inst (through /proc/self/fd/N); a piece the
 * loader refuses as made for something else is dropped from the cache, with a
 * note. 1 when it was loaded. */
static int load_piece(wt_jit_cache *c, wt_instance *inst, const uint8_t sha[32], int fd,
		      wt_jit **out)
{
	char path[64];
	wt_error err;

	wt_error_init(&err);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if (wt_jit_load(inst, sha, path, out, &err) == 0)
		return 1;
	if (err.code == WT_MALFORMED && wt_jit_cache_drop(c, sha, fd) == 0)
		note(c, "a piece was not loaded; removed", &err);
	else
		note(c, "a piece was not loaded", &err);
	return 0;
}

uint32_t wt_jit_cache_load(wt_jit_cache *c, wt_instance *inst, const uint8_t sha[32], uint32_t max,
			   wt_jit **out)
{
	int *fds = calloc(max ? max : 1, sizeof *fds);
	uint32_t n = 0, loaded = 0;
	wt_error err;

	wt_error_init(&err);
	if (!fds)
		return 0;
	if (wt_jit_cache_get(c, sha, fds, max, &n, &err) != 0)
		note(c, "cannot read", &err);
	for (uint32_t i = 0; i < n; i++) {
		loaded += (uint32_t)load_piece(c, inst, sha, fds[i], out);
		close(fds[i]);
	}
	free(fds);
	return loaded;
}

/* Compiles every function of inst into a private temporary folder, keeps the object in
 * the cache (a failure there is a note) and loads it. */
static int compile_put_load(wt_jit_cache *c, wt_instance *inst, const uint8_t sha[32], wt_jit **out,
			    wt_jit_stats *st, wt_error *err)
{
	const char *tmp = getenv("TMPDIR");
	char dir[WT_ERROR_PATH_MAX], so[WT_ERROR_PATH_MAX + 16];
	wt_error perr;
	int rc;

	snprintf(dir, sizeof dir, "%s/wasi-tofu-jit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return wt_fail_plain(err, WT_IO,
				     "cannot create a folder for the compiling tier: %s",
				     strerror(errno));
	snprintf(so, sizeof so, "%s/code.so", dir);
	rc = wt_jit_build(inst, sha, NULL, 0, so, st, err);
	wt_error_init(&perr);
	if (rc == 0 && wt_jit_cache_put(c, sha, so, &perr) != 0)
		note(c, "the code is not kept", &perr);
	if (rc == 0)
		rc = wt_jit_load(inst, sha, so, out, err);
	unlink(so);
	rmdir(dir);
	return rc;
}

int wt_jit_cache_compile(wt_jit_cache *c, wt_instance *inst, wt_jit **out, wt_jit_stats *stats,
			 wt_error *err)
{
	const wt_module *m = inst->module;
	uint8_t buf[WT_SHA256_SIZE];
	const uint8_t *sha = wt_module_sha256(m, buf);
	wt_jit_stats st = {.funcs = m->nfuncs - m->nfunc_imports};
	double t0 = seconds_now();
	uint32_t pieces;
	int rc = 0;

	*out = NULL;
	/* the C stack's floor for compiled calls reads /proc/self/maps and the
	 * stack limit, which confinement forbids: known before it, as a compile
	 * makes it known */
	(void)wt_vm_stack_floor();
	if ((pieces = wt_jit_cache_load(c, inst, sha, WT_JIT_CACHE_PIECES, out)) == 0)
		rc = compile_put_load(c, inst, sha, out, &st, err);
	else if (getenv("WT_JIT_STATS"))
		fprintf(stderr,
			"wasi-tofu: jit: %u functions, 0 compiled, %u pieces from the code "
			"cache, %.3f s\n",
			st.funcs, pieces, seconds_now() - t0);
	if (pieces)
		st.seconds = seconds_now() - t0;
	if (stats)
		*stats = st;
	return rc;
}
