/* keeper.h: the policy's own files for a self-confined process: a helper process started before
 * confinement reads and replaces, on request, only the files named when it started. */
#ifndef WT_KEEPER_H
#define WT_KEEPER_H

#include <stddef.h>

#include "error.h"

/* A self-confined process (core/run/confine.h) may write its mounts and little
 * else, but the CLI still writes a manifest or an override file after (or
 * during) the run. Rather than give the confined process rights on those
 * files' folders (where everything else would be writable too), a keeper
 * process is forked before confinement: it keeps the process's rights and
 * serves two requests over a socket — read a file, replace a file (a
 * temporary file in its folder, then a rename) — for the paths given at
 * start only, compared as strings. Everything else is EPERM. So code that
 * took over the confined process can at worst rewrite those files, not
 * anything beside them. */
typedef struct wt_keeper wt_keeper;

/* Forks the keeper of paths[0..n) (borrowed strings; NULL entries are
 * skipped). 0 and *out, or WT_IO / WT_NOMEM with a message in err. */
int wt_keeper_start(const char *const *paths, int n, wt_keeper **out, wt_error *err);

/* Ends the keeper and waits for it; accepts NULL. */
void wt_keeper_stop(wt_keeper *k);

/* Reads the file at path (at most max bytes, WT_MALFORMED past that) into
 * *text (malloc'd, NUL-terminated; *len its length). A missing file reads
 * as empty, with *exists 0. Through the keeper when k is not NULL, else
 * directly. 0, or a status with "PATH: why" in err. */
int wt_keeper_read(wt_keeper *k, const char *path, size_t max, char **text, size_t *len,
		   int *exists, wt_error *err);

/* Replaces the file at path with text[0..len): a temporary file in its
 * folder (the old file's mode, else 0644), fsync, rename over it; never
 * half a file. Through the keeper when k is not NULL, else directly. 0,
 * or WT_IO (WT_NOMEM) with "PATH: why" in err. */
int wt_keeper_replace(wt_keeper *k, const char *path, const char *text, size_t len, wt_error *err);

#endif
