/* diff.h: the capability-level difference between two manifests, one plain line per grant. */
#ifndef WT_DIFF_H
#define WT_DIFF_H

#include <stddef.h>

#include "manifest.h"

typedef void (*wt_diff_line_fn)(void *ctx, const char *line);

/* Calls line(ctx, text) once per difference from old to new, in a fixed
 * order: module, mounts, files, deny, absent, refused, env, clocks, random,
 * stdio, exit codes, sockets, limits, on_deviation; within files, by pattern
 * (a plain rule before an `only: new` one) then right. Lines: `+ read /src/x`
 * (granted in new only), `- write /out/x.o` (in old only), `+ write
 * /p/tmp.x (only new)` (a rule with `only: new`), `+ env HOME`, `+ refused
 * path_open /a ENOTCAPABLE`, `~ module sha256 OLD -> NEW` (changed).
 * Returns the number of lines, or (size_t)-1 when out of memory. */
size_t wt_manifest_diff(const wt_manifest *old, const wt_manifest *new_, wt_diff_line_fn line,
			void *ctx);

#endif
