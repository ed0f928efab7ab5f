/* probe.h: whether a guest path names an entry in the run's mounts, asked without touching it. */
#ifndef WT_PROBE_H
#define WT_PROBE_H

#include <stddef.h>

#include "wasi.h"

typedef struct wt_probe wt_probe;

/* A probe over the run's mounts (host folders as the WASI host opens them; borrowed for
 * the life of the probe). Each folder is opened here, once: make the probe before the run
 * confines the process. NULL when out of memory. */
wt_probe *wt_probe_new(const wt_mount *mounts, int nmounts);
void wt_probe_free(wt_probe *p);

/* 1 when the canonical guest path path[0..len) names an entry (a final symlink is not
 * followed: the link is the entry), 0 when it does not (ENOENT, or a folder on the way
 * is a file), -1 when that cannot be told (no mount holds it, a symlink on the way leaves
 * the mount, no permission, ...). Resolved beneath the mount's folder as the WASI host
 * resolves paths (core/wasi/internal/host.h); nothing is opened but an O_PATH fd, closed at once.
 */
int wt_probe_exists(wt_probe *p, const char *path, size_t len);

#endif
