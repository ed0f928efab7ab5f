/* run_cache.h: the code cache in a run (core/run/): whether the run may use it, and opening
 * it (docs/security.md, "The code cache"). */
#ifndef WT_RUN_CACHE_H
#define WT_RUN_CACHE_H

#include "cache.h"
#include "run.h"

/* The code cache for cfg's run, or NULL: with cfg->no_cache (nothing is created), when one of cfg's
 * mounts exposes the cache folder or the key (wt_jit_cache_exposed), or when the cache is refused;
 * the last two with a note on cfg->notes. The run goes on without it either way. The cache's
 * notes go to cfg->notes too, and its size limit is cfg->cache_max when set, else
 * WASI_TOFU_CACHE_MAX's (wt_run_cache_limit, run.h). */
wt_jit_cache *wt_run_cache_open(const wt_run_config *cfg);

/* The compiling tier for cfg's run: through the code cache when the run may
 * use it (wt_jit_cache_compile), else wt_jit_compile_instance. Arguments
 * and return as wt_jit_compile_instance's. */
int wt_run_cache_compile(const wt_run_config *cfg, wt_instance *inst, wt_jit **out,
			 wt_jit_stats *stats, wt_error *err);

#endif
