/* generate.h: recorded runs (their WASI events) -> a minimal capability manifest. */
#ifndef WT_GENERATE_H
#define WT_GENERATE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "gate.h"
#include "manifest.h"
#include "wasi.h"

/* How far generate may widen paths that existed before the run
 * (docs/manifest.md, "How generate builds a manifest"):
 *   EXACT  every such path keeps its own rule;
 *   DIR    (the default) WT_GEN_SIBLINGS or more files of one folder with
 *          the same rights become one rule on the folder's `*`;
 *   TREE   as DIR, then rules with the same rights spread over several
 *          folders below one folder become one rule on the folder's `**`.
 * At every granularity, paths named by a program argument become
 * `${arg:N}` and files the run created become a rule on their folder's
 * `*`: those names change from run to run. */
typedef enum {
	WT_GEN_DIR,
	WT_GEN_EXACT,
	WT_GEN_TREE,
} wt_gen_granularity;

enum { WT_GEN_SIBLINGS = 4 };

/* One recorded run. Every pointer is borrowed for the call. */
typedef struct wt_gen_run {
	int argc;
	const char *const *argv; /* argv[0] is the program name the guest saw */
	const char *cwd;	 /* the guest cwd, canonical; NULL = "/" */
	int nmounts;
	const wt_mount *mounts; /* host folders as recorded */
	int nenv;
	const char *const *env_names;
	const char *module_name;  /* the module's file name, e.g. "build.wasm" */
	const char *sha256;	  /* lowercase hex, or NULL */
	const char *tool_version; /* the wasi-tofu that recorded the run, or NULL */
	int has_exit;		  /* 1: the run ended with exit_code */
	int32_t exit_code;
	/* The calls in order. Event i is at (const char *)events + i * stride,
	 * so an array of any struct that starts with a wt_event (a journal's
	 * calls) is read in place; stride 0 means sizeof(wt_event). A folded
	 * journal line is one event: repeats add no capability. */
	const wt_event *events;
	size_t nevents;
	size_t stride;
	/* The run's fake clocks and random (journal header), so a run
	 * recorded with fakes gets `fake` grants; zero: the host's. */
	wt_wasi_fakes fakes;
} wt_gen_run;

typedef struct wt_gen_options {
	wt_gen_granularity granularity;
	/* Mount host folders are written relative to manifest_dir (absolute,
	 * no symlinks) when both it and host_cwd are set: a relative host is
	 * first made absolute against host_cwd (the folder it was recorded
	 * from). A host that shares only "/" with manifest_dir stays absolute.
	 * NULL: hosts are written as recorded. */
	const char *manifest_dir;
	const char *host_cwd;
} wt_gen_options;

/* Builds the manifest covering every event of runs[0..nruns) (at least
 * one run). The same runs give the same manifest, field by field, so the
 * emitted YAML is the same bytes. Returns 0 with *out (the caller's:
 * wt_manifest_free), WT_INVALID when the runs are of different modules
 * (sha256), WT_NOMEM. */
int wt_generate(const wt_gen_run *runs, size_t nruns, const wt_gen_options *opt, wt_manifest **out,
		wt_error *err);

/* Parses "exact", "dir" or "tree"; returns 0, or -1 for another name. */
int wt_gen_granularity_parse(const char *name, wt_gen_granularity *out);

/* The path of `to` relative to the folder `from` (both absolute and
 * normalised: no `.`, `..` or empty components), such as ".", "out" or
 * "../lib", into buf (size bytes). `to` itself when they share only "/".
 * Returns buf, or NULL when it does not fit. */
char *wt_gen_relpath(const char *from, const char *to, char *buf, size_t size);

#endif
