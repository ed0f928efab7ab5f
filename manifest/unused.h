/* unused.h: the grants of a manifest and its override file that none of the journals `check`
 * replays used (check's notes: grants a reviewer may drop; docs/cli.md). */
#ifndef WT_UNUSED_H
#define WT_UNUSED_H

#include <stddef.h>

#include "enforce.h"

typedef struct wt_unused wt_unused;

/* For m's and override's grants (override may be NULL); NULL when out of memory. */
wt_unused *wt_unused_new(const wt_manifest *m, const wt_manifest *override);
void wt_unused_free(wt_unused *u);

/* One journal: begin with its run's config (argv and cwd for ${arg:N}; the same manifest
 * and override) and the env names the run was given (the journal's header), each call it
 * holds, then end. 0 or WT_NOMEM. A files rule counts as used when its pattern matches a path
 * a call needed rights on and it grants some of them; an env name when the run was given
 * it; a clock, random, stdin or a socket when a call needed it. */
int wt_unused_begin(wt_unused *u, const wt_enforce_config *cfg, const char *const *env, int nenv,
		    wt_error *err);
void wt_unused_event(wt_unused *u, const wt_event *ev);
void wt_unused_end(wt_unused *u);

/* One grant no journal used. The module's own output and exit codes (stdout, stderr,
 * exit_codes) grant nothing (docs/manifest.md) and are never one. */
typedef struct wt_unused_grant {
	int file;	  /* 0: the manifest, 1: the override file */
	const char *key;  /* "files", "env", "clocks", "random", "stdio" (stdin) or "sockets" */
	const char *text; /* the grant as YAML alone: "{path: P, allow: [R]}", "env: [HOME]" */
	wt_mloc loc;	  /* a files rule's own place, else its key's; {0, 0}: not loaded */
} wt_unused_grant;

/* What a note says of g: "GRANT grants what none of the checked runs used: drop it, or keep
 * it for the runs that need it" (malloc'd; NULL when out of memory). */
char *wt_unused_message(const wt_unused_grant *g);

/* Calls fn(ctx, g) for each grant no journal used: the manifest's, then the override file's,
 * each by key (files rule by rule, env name by name, the clocks, random, stdin, socket by
 * socket). Returns 0, fn's first non-zero return, or -1 when out of memory. */
int wt_unused_each(const wt_unused *u, int (*fn)(void *ctx, const wt_unused_grant *g), void *ctx);

#endif
