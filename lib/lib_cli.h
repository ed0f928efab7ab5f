/* lib_cli.h: what the CLI gives a library run beyond the public API (never installed): the
 * engine settings an embedding host has no business with (self-confinement, the import trace
 * of the tests, more protected files, a contained run, its own hooks), and the engine's view
 * of the result, so that its messages stay its own. The policy itself (run --manifest's, its
 * questions and grants) is the public API's. */
#ifndef WT_LIB_CLI_H
#define WT_LIB_CLI_H

#include <signal.h>

#include "run.h"
#include "wasi-tofu/wasi-tofu.h"

/* The policy files the CLI loaded and checked (run --manifest): the run takes them as they
 * are instead of reading the files again (wasi_tofu_run_manifest of manifest_path,
 * wasi_tofu_run_manifest_use's override file of that manifest, wasi_tofu_run_ceiling of
 * ceiling_path, wasi_tofu_run_project's project file and ceilings), so that the policy it
 * enforces is the one the CLI checked. Borrowed: the CLI
 * frees them after the run object. */
struct wt_manifest;
struct wt_project;
typedef struct wt_lib_loaded {
	const char *manifest_path;
	const struct wt_manifest *manifest;
	const char *override_path;	    /* the manifest's override file (it may not exist) */
	const struct wt_manifest *override; /* NULL: the file did not exist */
	const char *ceiling_path;	    /* --ceiling, or NULL */
	const struct wt_manifest *ceiling;
	/* run MODULE in a project: the project file (by its absolute path) and the module's
	 * ceilings merged (NULL: none) with their name, as the CLI loaded them */
	const char *project_path;
	const struct wt_project *project;
	const struct wt_manifest *project_ceiling;
	const char *project_ceiling_name;
} wt_lib_loaded;

/* The manifest l lends for path (the CLI read it as path), or NULL (l may be NULL): the one
 * rule by which a run, and record --update after run --manifest, take a manifest the CLI read. */
const struct wt_manifest *wt_lib_loaded_find(const wt_lib_loaded *l, const char *path);

typedef struct wt_lib_engine {
	const wt_confine_config *confine; /* NULL: none */
	int trace_imports, trace_fd;	  /* wt_wasi_config's */
	const char *const *protect;	  /* more of the policy's files */
	int nprotect;
	struct wt_contain *contain; /* a contained run (record --contain), or NULL */
	int no_cache;		    /* --no-cache (run.h's wt_run_config.no_cache) */
	int cache_max_set;	    /* --cache-max given: the cache's size limit is cache_max */
	uint64_t cache_max;
	/* Called after the run's own hooks (record's, the pin's), or NULL. */
	const wt_run_hooks *hooks;
	/* Record mode: how the journal names the module (NULL: as given), and the signal that
	 * stopped the run (read after it; 0: none), for the journal's end line. */
	const char *journal_module;
	const volatile sig_atomic_t *signo;
	const wt_lib_loaded *loaded; /* the policy files the CLI loaded, or NULL */
} wt_lib_engine;

/* A run of the module bytes[0..size) (copied) named name, as wasi_tofu_run_new_memory makes
 * one, with the sha256 the caller made as it read them (digest; NULL: hashed here): not hashed
 * again, the pins are checked against it, and the bytes it is of are the ones that run (a
 * project's module: hashed once). NULL when out of memory or without bytes. */
wasi_tofu_run *wt_lib_run_new_hashed(const void *bytes, size_t size, const char *name,
				     const uint8_t digest[32]);

/* Gives r the engine settings E (borrowed until r is freed or this is called again; NULL:
 * none). */
void wt_lib_run_engine(wasi_tofu_run *r, const wt_lib_engine *e);

/* The engine's result of r's last run; a failure before the module ran (the manifest's policy
 * could not be made: a ceiling exceeded) is told as a failed run. */
const wt_run_result *wt_lib_run_result(const wasi_tofu_run *r);

/* Under a manifest: the last run's policy, with its deviations, and the settler's log of what
 * was done with each (for the CLI's list, summary and --report file); NULL when the last run
 * had no manifest or its policy could not be made. Valid until the next run or free. */
const struct wt_enforce *wt_lib_run_enforce(const wasi_tofu_run *r);
const struct wt_devlog *wt_lib_run_devlog(const wasi_tofu_run *r);

/* Record mode: the last run's recorder (NULL when none was made), valid until the next run
 * or free; *rc and *err are wt_record_finish's. */
struct wt_record *wt_lib_run_recorder(const wasi_tofu_run *r, int *rc, const wt_error **err);

#endif
