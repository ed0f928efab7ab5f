/* run_cache.c: the code cache in a run: not with --no-cache, not when a mount reaches the
 * cache folder or the key, and a note when it is refused; its notes go to the run's, its size
 * limit is --cache-max's, else WASI_TOFU_CACHE_MAX's (docs/security.md, "The code cache"). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int wt_run_cache_limit(const char *value, uint64_t *out)
{
	static const char units[] = "KMGT";
	char *end;
	unsigned long long n;
	const char *u = units;

	if (!value || !*value) {
		*out = WT_JIT_CACHE_LIMIT_DEFAULT;
		return 0;
	}
	errno = 0;
	n = strtoull(value, &end, 10);
	if (errno || end == value || *value == '-')
		return -1;
	if (*end && (end[1] || !(u = strchr(units, *end))))
		return -1;
	for (int shift = *end ? 10 * (int)(u - units + 1) : 0; shift > 0; shift -= 10) {
		if (n > (ULLONG_MAX >> 10))
			return -1;
		n <<= 10;
	}
	*out = n;
	return 0;
}

/* Gives the open cache c the run's notes stream and its limit: --cache-max's, else
 * WASI_TOFU_CACHE_MAX's (a value that is not a size is a note, and the default). */
static void configure(const wt_run_config *cfg, wt_jit_cache *c)
{
	const char *v = cfg->cache_max_set ? NULL : getenv("WASI_TOFU_CACHE_MAX");
	uint64_t limit = cfg->cache_max_set ? cfg->cache_max : WT_JIT_CACHE_LIMIT_DEFAULT;

	wt_jit_cache_set_notes(c, cfg->notes);
	if (v && wt_run_cache_limit(v, &limit) != 0 && cfg->notes)
		wt_escape_fprintf(cfg->notes,
				  "wasi-tofu: note: code cache: WASI_TOFU_CACHE_MAX='%s' is not a "
				  "size (bytes, or a number with K, M, G or T): the limit is 1G\n",
				  v);
	wt_jit_cache_set_limit(c, limit);
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
		if (cfg->notes)
			wt_escape_fprintf(
			    cfg->notes,
			    "wasi-tofu: note: the code cache is not used: the mount of "
			    "'%s' reaches its folder or its key\n",
			    mount);
		return NULL;
	}
	compile_options(cfg, options, sizeof options);
	if (err.code == 0)
		wt_jit_cache_open(dir, options, &c, &err);
	if (c)
		configure(cfg, c);
	else if (cfg->notes)
		wt_escape_fprintf(cfg->notes, "wasi-tofu: note: the code cache is not used: %s\n",
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
