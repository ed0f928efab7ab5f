/* run_cache.c: the code cache in a run: not with --no-cache, not when a mount reaches the
 * cache folder or the key, and a note when it is refused (docs/security.md, "The code cache"). */
#include <stdio.h>
#include <stdlib.h>

#include "escape.h"
#include "run_cache.h"

/* The first mount of cfg that exposes the cache, or NULL. */
static const char *exposing_mount(const wt_run_config *cfg, const char *dir, const char *key)
{
	for (int i = 0; i < cfg->wasi.nmounts; i++)
		if (wt_jit_cache_exposed(cfg->wasi.mounts[i].host, dir, key))
			return cfg->wasi.mounts[i].host;
	return NULL;
}

/* The compile options that shape the code: the optimisation level (WT_JIT_O,
 * else 1) and whether fuel is charged. */
static void compile_options(const wt_run_config *cfg, char *buf, size_t size)
{
	const char *o = getenv("WT_JIT_O");
	snprintf(buf, size, "O%.8s fuel %d", o ? o : "1", cfg->limits.fuel != 0);
}

wt_jit_cache *wt_run_cache_open(const wt_run_config *cfg)
{
	char dir[4096], key[4096], options[64];
	const char *mount;
	wt_jit_cache *c = NULL;
	wt_error err;

	if (cfg->no_cache)
		return NULL;
	wt_error_init(&err);
	if (wt_jit_cache_paths(dir, key, sizeof dir, &err) == 0 &&
	    (mount = exposing_mount(cfg, dir, key)) != NULL) {
		wt_escape_fprintf(stderr,
				  "wasi-tofu: note: the code cache is not used: the mount of '%s' "
				  "reaches its folder or its key\n",
				  mount);
		return NULL;
	}
	compile_options(cfg, options, sizeof options);
	if (err.code == 0)
		wt_jit_cache_open(dir, options, &c, &err);
	if (!c)
		wt_escape_fprintf(stderr, "wasi-tofu: note: the code cache is not used: %s\n",
				  err.msg);
	return c;
}

int wt_run_cache_compile(const wt_run_config *cfg, wt_instance *inst, wt_jit **out,
			 wt_jit_stats *stats, wt_error *err)
{
	wt_jit_cache *c = wt_run_cache_open(cfg);
	int rc = c ? wt_jit_cache_compile(c, inst, out, stats, err)
		   : wt_jit_compile_instance(inst, out, stats, err);
	wt_jit_cache_close(c);
	return rc;
}
