/* overlay.h: contained runs: writable mounts get a copy-on-write overlay in a private folder. */
#ifndef WT_OVERLAY_H
#define WT_OVERLAY_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"

/* A contained run (`record --contain`, docs/security.md "Contained runs"):
 * the module reads the host files of its mounts, but every write-class
 * call on a writable mount lands in an overlay kept in a private folder
 * (mode 0700) that wt_overlay_contain_new makes. The caller owns the
 * wt_contain, gives it to wt_wasi_new (wt_wasi_config.contain), and after
 * the run lists the held-back changes and applies or drops them. */
typedef struct wt_contain wt_contain;
typedef struct wt_overlay wt_overlay; /* the overlay of one mount */

/* Makes the private folder under tmpdir (NULL: $TMPDIR, else /tmp).
 * Returns 0 or WT_IO / WT_NOMEM with a message in err. */
int wt_overlay_contain_new(const char *tmpdir, wt_contain **out, wt_error *err);
/* Removes the private folder with everything in it; accepts NULL. */
void wt_overlay_contain_free(wt_contain *k);
/* The private folder (for messages and tests). */
const char *wt_overlay_contain_dir(const wt_contain *k);

/* The overlay of mount number index (made on the first call): guest is
 * its canonical guest path, host its host folder as configured (both
 * copied), lower_root an fd of the host folder (duplicated, not taken).
 * Returns 0 or a negative errno. */
int wt_overlay_mount(wt_contain *k, int index, const char *guest, const char *host, int lower_root,
		     wt_overlay **out);

typedef enum {
	WT_CHANGE_CREATED,
	WT_CHANGE_MODIFIED,
	WT_CHANGE_DELETED,
	WT_CHANGE_RENAMED,
	WT_CHANGE_TIMES, /* same content, times set by the module */
} wt_change_kind;

/* One held-back change. Sizes are -1 where there is none (a folder, the
 * new side of a deletion). */
typedef struct wt_change {
	wt_change_kind kind;
	char type;	  /* 'f' file, 'd' folder, 'l' symlink, '?' other */
	char *path;	  /* the guest path (renamed: the new one) */
	char *from;	  /* renamed: the old guest path; else NULL */
	char *target;	  /* a symlink the overlay holds: its text as written; else NULL */
	int64_t old_size; /* modified, deleted, renamed: what the host had */
	int64_t new_size; /* created, modified, renamed: what the overlay has */
} wt_change;

/* The held-back changes of every overlay, by mount and then by path.
 * *out stays valid until the next call or wt_overlay_contain_free.
 * Returns 0 or a negative errno. */
int wt_overlay_changes(wt_contain *k, const wt_change **out, size_t *n);

/* Prints the change list, one change a line ("  created /out/a.o (12
 * bytes)"), or "no changes". Returns the number of changes, or -errno. */
int wt_overlay_print_changes(wt_contain *k, FILE *f);

/* Writes the held-back changes to the host, beneath each mount's root.
 * Before a host entry is replaced or deleted it must still be what the
 * run saw (type, size, mtime, a regular file's SHA-256; a folder's
 * entries each checked too); a created entry must still be absent. An
 * entry that fails this is left alone and named on report. Returns the
 * number of entries refused (0: everything applied), or -errno. */
int wt_overlay_apply(wt_contain *k, FILE *report);

#endif
