/* unused.h: the files rules of a manifest and its override file that none of the journals
 * `check` replays used (check --sarif: grants a reviewer may drop; docs/cli.md). */
#ifndef WT_UNUSED_H
#define WT_UNUSED_H

#include <stddef.h>

#include "enforce.h"

typedef struct wt_unused wt_unused;

/* For m's and override's rules (override may be NULL); NULL when out of memory. */
wt_unused *wt_unused_new(const wt_manifest *m, const wt_manifest *override);
void wt_unused_free(wt_unused *u);

/* One journal: begin with its run's config (argv and cwd for ${arg:N}; the same manifest
 * and override), each call it holds, then end. 0 or WT_NOMEM. A rule counts as used when
 * its pattern matches a path a call needed rights on and it grants some of them. */
int wt_unused_begin(wt_unused *u, const wt_enforce_config *cfg, wt_error *err);
void wt_unused_event(wt_unused *u, const wt_event *ev);
void wt_unused_end(wt_unused *u);

/* 1 when rule k of the manifest (i 0) or of the override file (i 1) was used. */
int wt_unused_used(const wt_unused *u, int i, size_t k);

#endif
