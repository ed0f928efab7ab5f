/* settings.c: wasi_tofu_run_tier, wasi_tofu_run_manifest_use and wasi_tofu_run_ceiling: the
 * tier, the manifest's own settings (mounts, env filter, limits, fakes, cwd, override file) and
 * a ceiling, taken as `wasi-tofu run --manifest` takes them (manifest/settings.h, shared with
 * the CLI). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jit.h"
#include "lib_impl.h"
#include "settings.h"

_Static_assert(WASI_TOFU_TIER_AUTO == (int)WT_TIER_AUTO &&
		   WASI_TOFU_TIER_INTERP == (int)WT_TIER_INTERP &&
		   WASI_TOFU_TIER_JIT == (int)WT_TIER_JIT,
	       "wasi_tofu_tier");

int wasi_tofu_run_tier(wasi_tofu_run *r, wasi_tofu_tier tier)
{
	WT_API_CHECK(r != NULL);
	if ((unsigned)tier > WASI_TOFU_TIER_JIT)
		return WASI_TOFU_EUSAGE;
	if (tier == WASI_TOFU_TIER_JIT && !wt_jit_available()) {
		snprintf(r->message, sizeof r->message,
			 "this build has no compiling tier (built without libgccjit)");
		return WASI_TOFU_EUSAGE;
	}
	r->tier = (wt_tier)tier;
	return WASI_TOFU_OK;
}

/* The override file of r's manifest into *override and *opath: the CLI's when it lent it,
 * else read. 0, or a status with the message in r. */
static int load_override(wasi_tofu_run *r, wt_manifest **override, char **opath)
{
	wt_error err;
	int rc = wt_lib_loaded_override(r, override, opath);

	if (rc)
		return rc < 0 ? WASI_TOFU_EINTERNAL : 0; /* the CLI's: not read again */
	wt_error_init(&err);
	if ((rc = wt_settings_load_override(r->manifest_path, override, opath, NULL, NULL, &err)) ==
	    0)
		return 0;
	wt_error_format(&err, *opath, r->message, sizeof r->message);
	free(*opath);
	return wt_status_exit(rc);
}

int wasi_tofu_run_manifest_use(wasi_tofu_run *r, unsigned what)
{
	wt_manifest *override = NULL;
	char *opath = NULL;
	int rc;

	WT_API_CHECK(r != NULL);
	if (!r->manifest || what > WASI_TOFU_USE_ALL ||
	    ((what & WASI_TOFU_USE_OVERRIDE) && !r->manifest_is_file))
		return WASI_TOFU_EUSAGE;
	if ((what & WASI_TOFU_USE_OVERRIDE) && (rc = load_override(r, &override, &opath)))
		return rc;
	wt_lib_manifest_free(r, r->override), free(r->override_path);
	r->override = override, r->override_path = opath;
	r->use = what;
	return WASI_TOFU_OK;
}

int wasi_tofu_run_ceiling(wasi_tofu_run *r, const char *path)
{
	wt_manifest *c = NULL;
	char *copy = NULL;
	wt_error err;

	WT_API_CHECK(r != NULL);
	wt_error_init(&err);
	if (path && !wt_lib_loaded_ceiling(r, path, &c) &&
	    wt_manifest_load_file_kind(WT_MANIFEST_CEILING, path, &c, NULL, NULL, &err)) {
		wt_error_format(&err, path, r->message, sizeof r->message);
		return wt_status_exit(err.code);
	}
	if (path && !(copy = strdup(path))) {
		wt_lib_manifest_free(r, c);
		return WASI_TOFU_EINTERNAL;
	}
	wt_lib_manifest_free(r, r->ceiling), free(r->ceiling_path);
	r->ceiling = c, r->ceiling_path = copy;
	return WASI_TOFU_OK;
}

/* The manifest's mounts in front of the run's. */
static int add_mounts(const wasi_tofu_run *r, wt_wasi_config *w, wt_lib_extra *x)
{
	size_t n = r->manifest->nmounts;

	if (!(x->mounts = calloc(n + (size_t)w->nmounts + 1, sizeof *x->mounts)) ||
	    !(x->hosts = calloc(n + 1, sizeof *x->hosts)))
		return WASI_TOFU_EINTERNAL;
	for (size_t i = 0; i < n; i++) {
		const wt_mmount *mt = &r->manifest->mounts[i];

		if (!(x->hosts[i] = wt_settings_mount_host(r->manifest_path, mt->host)))
			return WASI_TOFU_EINTERNAL;
		x->nhosts++;
		x->mounts[i] =
		    (wt_mount){.host = x->hosts[i], .guest = mt->guest, .readonly = mt->readonly};
	}
	if (w->nmounts) /* (no mount: NULL) */
		memcpy(x->mounts + n, w->mounts, (size_t)w->nmounts * sizeof *x->mounts);
	w->mounts = x->mounts;
	w->nmounts += (int)n;
	return WASI_TOFU_OK;
}

int wt_lib_settings_before(wasi_tofu_run *r, wt_run_config *cfg, wt_lib_extra *x)
{
	if (!r->manifest)
		return WASI_TOFU_OK;
	if (r->use & WASI_TOFU_USE_LIMITS) {
		wt_settings_limits(r->manifest, &cfg->limits, &cfg->timeout);
		wt_settings_fakes(r->manifest, &cfg->wasi.fakes);
	}
	if ((r->use & WASI_TOFU_USE_CWD) && !r->cwd)
		cfg->wasi.cwd = wt_manifest_cwd(r->manifest);
	return (r->use & WASI_TOFU_USE_MOUNTS) ? add_mounts(r, &cfg->wasi, x) : WASI_TOFU_OK;
}

int wt_lib_settings_after(wasi_tofu_run *r, wt_run_config *cfg, wt_lib_extra *x)
{
	if (!r->enforce || !(r->use & WASI_TOFU_USE_ENV))
		return WASI_TOFU_OK;
	if (!(x->env = calloc((size_t)cfg->wasi.nenv + 1, sizeof *x->env)))
		return WASI_TOFU_EINTERNAL;
	if (cfg->wasi.nenv)
		memcpy(x->env, cfg->wasi.env, (size_t)cfg->wasi.nenv * sizeof *x->env);
	cfg->wasi.nenv = wt_settings_filter_env(r->enforce, x->env, cfg->wasi.nenv, NULL, NULL);
	cfg->wasi.env = x->env;
	return WASI_TOFU_OK;
}

void wt_lib_extra_fini(wt_lib_extra *x)
{
	for (size_t i = 0; i < x->nhosts; i++)
		free(x->hosts[i]);
	free(x->hosts), free(x->mounts), free(x->env);
	memset(x, 0, sizeof *x);
}
