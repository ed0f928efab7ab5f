/* settings.c: a manifest's own settings for a run (settings.h). */
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "override.h"

/* One file's warnings, with its path. */
typedef struct warn_ctx {
	wt_settings_warn_fn fn;
	void *ctx;
	const char *file;
} warn_ctx;

static void warn_one(void *ctx, unsigned line, unsigned column, const char *text)
{
	const warn_ctx *w = ctx;

	w->fn(w->ctx, w->file, line, column, text);
}

static int load(wt_manifest_kind kind, const char *path, wt_manifest **out,
		wt_settings_warn_fn warn, void *ctx, const char **failed, wt_error *err)
{
	warn_ctx w = {.fn = warn, .ctx = ctx, .file = path};

	if (wt_manifest_load_file_kind(kind, path, out, warn ? warn_one : NULL, &w, err) == 0)
		return 0;
	*failed = path;
	return err->code;
}

int wt_settings_load_override(const char *path, wt_manifest **override, char **override_path,
			      wt_settings_warn_fn warn, void *ctx, wt_error *err)
{
	const char *failed;

	*override = NULL;
	if (!(*override_path = wt_override_path(path)))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	if (access(*override_path, F_OK) != 0)
		return 0;
	return load(WT_MANIFEST_OVERRIDE, *override_path, override, warn, ctx, &failed, err);
}

int wt_settings_load(const char *path, const char *ceiling_path, wt_manifest **m,
		     wt_manifest **override, wt_manifest **ceiling, char **override_path,
		     wt_settings_warn_fn warn, void *ctx, const char **failed, wt_error *err)
{
	int rc;

	*m = *override = *ceiling = NULL;
	*failed = NULL;
	*override_path = NULL;
	rc = load(WT_MANIFEST_FULL, path, m, warn, ctx, failed, err);
	if (rc == 0 &&
	    (rc = wt_settings_load_override(path, override, override_path, warn, ctx, err)))
		*failed = *override_path;
	if (rc == 0 && ceiling_path)
		rc = load(WT_MANIFEST_CEILING, ceiling_path, ceiling, warn, ctx, failed, err);
	if (rc) {
		wt_manifest_free(*m), wt_manifest_free(*override), wt_manifest_free(*ceiling);
		*m = *override = *ceiling = NULL;
	}
	return rc;
}

char *wt_settings_mount_host(const char *manifest_path, const char *host)
{
	const char *slash = strrchr(manifest_path, '/');
	char *out;

	if (host[0] == '/' || !slash)
		return strdup(host);
	if (asprintf(&out, "%.*s/%s", (int)(slash - manifest_path), manifest_path, host) < 0)
		return NULL;
	return out;
}

int wt_settings_filter_env(const wt_enforce *e, const char **env, int n, const char **dropped,
			   int *ndropped)
{
	int kept = 0, nd = 0;

	for (int i = 0; i < n; i++) {
		if (wt_enforce_env_allowed(e, env[i], strcspn(env[i], "=")))
			env[kept++] = env[i];
		else if (dropped)
			dropped[nd++] = env[i];
	}
	if (ndropped)
		*ndropped = nd;
	return kept;
}

void wt_settings_limits(const wt_manifest *m, wt_store_limits *limits, double *timeout)
{
	if (!limits->fuel)
		limits->fuel = m->limits.fuel;
	if (!limits->max_memory)
		limits->max_memory = m->limits.memory;
	if (*timeout <= 0)
		*timeout = m->limits.time;
}

void wt_settings_fakes(const wt_manifest *m, wt_wasi_fakes *fk)
{
	if (m->clock_grant == WT_GRANT_FAKE)
		fk->fake_clocks = 1;
	if (m->random == WT_GRANT_FAKE && !fk->fake_random) {
		fk->fake_random = 1;
		fk->random_seed = m->random_seed;
	}
}
