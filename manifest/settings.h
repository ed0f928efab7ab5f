/* settings.h: a manifest's own settings for a run, taken as `run --manifest` takes them (the CLI
 * and libwasi-tofu both): the manifest with its override file and a ceiling, its mounts (hosts
 * relative to its folder), its env filter, limits, fake clocks and random. */
#ifndef WT_SETTINGS_H
#define WT_SETTINGS_H

#include "enforce.h"
#include "error.h"
#include "manifest.h"
#include "runtime.h"
#include "wasi.h"

/* Called for each warning of a file loaded: FILE is its path. */
typedef void (*wt_settings_warn_fn)(void *ctx, const char *file, unsigned line, unsigned column,
				    const char *text);

/* Loads the manifest PATH, its override file when that exists, and CEILING_PATH when not NULL,
 * into *m, *override, *ceiling (NULL when not loaded). *override_path is the override file's
 * path (wt_override_path; malloc'd, the caller's, also when it does not exist and on failure;
 * NULL when out of memory). WARN may be NULL. On failure all three are NULL, err holds the
 * message and *failed the path of the file it is about (NULL when out of memory). Returns 0
 * or err's code. */
int wt_settings_load(const char *path, const char *ceiling_path, wt_manifest **m,
		     wt_manifest **override, wt_manifest **ceiling, char **override_path,
		     wt_settings_warn_fn warn, void *ctx, const char **failed, wt_error *err);

/* Loads the override file of the manifest PATH into *override when it exists (else NULL).
 * *override_path as wt_settings_load's. Returns 0 or err's code (the file is *override_path). */
int wt_settings_load_override(const char *path, wt_manifest **override, char **override_path,
			      wt_settings_warn_fn warn, void *ctx, wt_error *err);

/* A manifest mount's host folder: a relative one is relative to the manifest's folder.
 * malloc'd, NULL when out of memory. */
char *wt_settings_mount_host(const char *manifest_path, const char *host);

/* Keeps the variables of env[0..n) ("NAME=VALUE") whose names the manifest or its override
 * lists (in order, at the front) and returns how many; the others go to dropped[0..*ndropped)
 * (room for n) when dropped is not NULL. */
int wt_settings_filter_env(const wt_enforce *e, const char **env, int n, const char **dropped,
			   int *ndropped);

/* The manifest's limits where none is set (0). */
void wt_settings_limits(const wt_manifest *m, wt_store_limits *limits, double *timeout);

/* The manifest's fake grants: reproducible clocks, a seeded random stream (a fake random
 * already set keeps its own seed). */
void wt_settings_fakes(const wt_manifest *m, wt_wasi_fakes *fk);

#endif
