/* cache_compile.c: the compiling tier through the code cache: a module's verified pieces are
 * loaded; on a miss its functions are compiled into a private temporary file, kept in the cache
 * and loaded (docs/engine.md, "The code cache"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "cache_impl.h"
#include "clock.h"
#include "code.h"
#include "escape.h"
#include "jit.h"
#include "module.h"
#include "sha256.h"
#include "store.h"

/* A note on the cache's notes stream: what went wrong with the cache; the run goes on. */
static void note(const wt_jit_cache *c, const char *what, const wt_error *err)
{
	if (c->notes)
		wt_escape_fprintf(c->notes, "wasi-tofu: note: code cache: %s: %s\n", what,
				  err->msg);
}

/* The path the k-th piece (from 1) a process loads is loaded by: its memfd, fd, as
 * /proc/self/fd/fd, spelt with k in binary ("./" a 0, "../fd/" a 1) before the number. Each
 * memfd is closed once loaded, so the next one gets the same number, and dlopen hands back the
 * object it loaded by a path already (wt_jit_load refuses that as "loaded already"): a path of
 * its own for each keeps one fd open at a time. */
static void piece_path(char *buf, size_t size, int fd, uint32_t k)
{
	size_t n = (size_t)snprintf(buf, size, "/proc/self/fd/");
	int top = 31;
	while (top > 0 && !(k >> top & 1))
		top--;
	for (int b = top; b >= 0 && n + 8 < size; b--)
		n += (size_t)snprintf(buf + n, size - n, "%s", k >> b & 1 ? "../fd/" : "./");
	snprintf(buf + n, size - n, "%d", fd);
}

typedef struct loading {
	wt_jit_cache *c;
	wt_instance *inst;
	const uint8_t *sha;
	wt_jit **out;
	wt_jit_cache_piece_fn other;
	wt_jit_cache_loaded_fn loaded_fn;
	void *ctx;
	uint32_t loaded;
} loading;

/* A code piece name just loaded as the newest object of *l->out: one that set no function (a
 * regrouped object loaded first has them all) is unloaded and removed; else handed on. */
static void loaded_one(loading *l, const char *name)
{
	const uint32_t *funcs;
	uint32_t fresh, n = wt_jit_newest(*l->out, &funcs, &fresh);

	if (n > 0 && fresh == 0) {
		wt_jit_drop_newest(l->out);
		(void)wt_jit_cache_remove(l->c, l->sha, name);
		return;
	}
	l->loaded++;
	if (l->loaded_fn)
		l->loaded_fn(l->ctx, name, funcs, n);
}

/* wt_jit_cache_each's callback: loads a code piece (a piece the loader refuses as made for
 * something else is dropped from the cache, with a note), hands the others on. */
static int load_one(void *ctx, int fd, wt_jit_piece_kind kind, const char *name)
{
	static _Atomic uint32_t loads; /* pieces this process has loaded: their paths */
	loading *l = ctx;
	char path[320];
	wt_error err;

	if (kind != WT_JIT_PIECE_CODE) {
		if (l->other)
			return l->other(l->ctx, fd, kind, name);
		close(fd);
		return 0;
	}
	piece_path(path, sizeof path, fd, ++loads);
	wt_error_init(&err);
	if (wt_jit_load(l->inst, l->sha, path, l->out, &err) == 0)
		loaded_one(l, name);
	else if (err.code == WT_MALFORMED && wt_jit_cache_drop(l->c, l->sha, fd) == 0)
		note(l->c, "a piece was not loaded; removed", &err);
	else
		note(l->c, "a piece was not loaded", &err);
	close(fd);
	return 0;
}

uint32_t wt_jit_cache_load(wt_jit_cache *c, wt_instance *inst, const uint8_t sha[32], wt_jit **out,
			   wt_jit_cache_piece_fn other, wt_jit_cache_loaded_fn loaded, void *ctx)
{
	loading l = {c, inst, sha, out, other, loaded, ctx, 0};
	wt_error err;

	wt_error_init(&err);
	if (wt_jit_cache_each(c, sha, load_one, &l, &err) != 0)
		note(c, "cannot read", &err);
	return l.loaded;
}

typedef struct keeping {
	wt_jit_cache *c;
	const uint8_t *sha;
} keeping;

/* wt_jit_compile_rest's keeper: each object into the cache as it is made (a failure there is a
 * note), so a compile cut short keeps what it made. */
static void keep_one(void *ctx, const char *so)
{
	keeping *k = ctx;
	wt_error err;
	wt_error_init(&err);
	if (wt_jit_cache_put(k->c, k->sha, so, &err) != 0)
		note(k->c, "the code is not kept", &err);
}

int wt_jit_cache_compile(wt_jit_cache *c, wt_instance *inst, wt_jit **out, wt_jit_stats *stats,
			 wt_error *err)
{
	const wt_module *m = inst->module;
	uint8_t buf[WT_SHA256_SIZE];
	const uint8_t *sha = wt_module_sha256(m, buf);
	wt_jit_stats st = {.funcs = m->nfuncs - m->nfunc_imports};
	double t0 = wt_clock_seconds();
	uint32_t pieces;
	int rc = 0;

	*out = NULL;
	/* the C stack's floor for compiled calls reads /proc/self/maps and the
	 * stack limit, which confinement forbids: known before it, as a compile
	 * makes it known */
	(void)wt_vm_stack_floor();
	pieces = wt_jit_cache_load(c, inst, sha, out, NULL, NULL, NULL);
	rc = wt_jit_compile_rest(inst, sha, 0, keep_one, &(keeping){c, sha}, out, &st, err);
	if (getenv("WT_JIT_STATS"))
		fprintf(stderr,
			"wasi-tofu: jit: %u functions, %u compiled now in %u objects, %u pieces "
			"from the code cache, %u interpreted, %.3f s\n",
			st.funcs, st.compiled, st.objects, pieces, st.fallback,
			wt_clock_seconds() - t0);
	st.seconds = wt_clock_seconds() - t0;
	if (stats)
		*stats = st;
	return rc;
}
