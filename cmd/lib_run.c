/* lib_run.c: the CLI's runs are library runs (lib/): parsed RUN-OPTIONS become a wasi_tofu_run
 * through the public API, and the engine settings of the CLI alone (self-confinement, the import
 * trace, the policy's files) go through lib_cli.h. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* NAME=VALUE as wasi_tofu_run_env takes it. */
static int add_env(wasi_tofu_run *r, const char *pair)
{
	size_t n = strcspn(pair, "=");
	char *name = strndup(pair, n);
	int status = name ? wasi_tofu_run_env(r, name, pair[n] ? pair + n + 1 : "") : 70;

	free(name);
	return status;
}

static int configure(wasi_tofu_run *r, const wt_cmd_options *o)
{
	const wt_wasi_config *w = &o->run.wasi;
	int status = 0;

	for (int i = 1; status == 0 && i < o->argc; i++)
		status = wasi_tofu_run_arg(r, o->argv[i]);
	for (int i = 0; status == 0 && i < o->nenv; i++)
		status = add_env(r, o->env[i]);
	for (int i = 0; status == 0 && i < o->nmounts; i++)
		status = wasi_tofu_run_mount(r, o->mounts[i].host, o->mounts[i].guest,
					     o->mounts[i].readonly);
	if (status == 0 && w->cwd)
		status = wasi_tofu_run_cwd(r, w->cwd);
	if (status == 0) /* (checked by --tier's parser: JIT only in a build that has it) */
		status = wasi_tofu_run_tier(r, (wasi_tofu_tier)o->run.tier);
	wasi_tofu_run_limits(r, o->run.limits.fuel, o->run.limits.max_memory, o->run.timeout);
	wasi_tofu_run_fakes(r, w->fakes.fake_clocks, w->fakes.fake_random, w->fakes.random_seed);
	wasi_tofu_run_stdio(r, w->stdio_fds[0], w->stdio_fds[1], w->stdio_fds[2]);
	wasi_tofu_run_notices(r, 2); /* the engine's notes (the code cache's) on stderr */
	return status;
}

wasi_tofu_run *wt_cmd_lib_run(const wt_cmd_options *o, wt_lib_engine *e)
{
	return wt_cmd_lib_run_bytes(o, e, NULL, 0, NULL);
}

wasi_tofu_run *wt_cmd_lib_run_bytes(const wt_cmd_options *o, wt_lib_engine *e, const uint8_t *bytes,
				    size_t size, const uint8_t *digest)
{
	wasi_tofu_run *r = bytes ? wt_lib_run_new_hashed(bytes, size, o->run.module_path, digest)
				 : wasi_tofu_run_new(o->run.module_path);

	if (r && configure(r, o) != 0) {
		wasi_tofu_run_free(r);
		return NULL;
	}
	*e = (wt_lib_engine){.confine = o->run.confine,
			     .trace_imports = o->run.wasi.trace_imports,
			     .trace_fd = o->run.wasi.trace_fd,
			     .protect = o->run.wasi.protect,
			     .nprotect = o->run.wasi.nprotect,
			     .contain = o->run.wasi.contain,
			     .no_cache = o->run.no_cache,
			     .cache_max_set = o->run.cache_max_set,
			     .cache_max = o->run.cache_max,
			     .hooks = o->run.hooks};
	if (r)
		wt_lib_run_engine(r, e);
	return r;
}
