/* overlay_impl.h: the overlays' private state: node tables, layers, copy-up, merged listings. */
#ifndef WT_OVERLAY_IMPL_H
#define WT_OVERLAY_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "host.h"
#include "overlay.h"
#include "path.h"
#include "sha256.h"

/* What the overlay knows at one path below the mount root ("a/b"; the
 * root "." is never a node). Invariant: the parent of every node is an
 * upper folder node (or the root), so a path whose prefix has no node is
 * wholly the host's. */
enum {
	WT_OVN_DIR = 1,	 /* a folder in the upper layer */
	WT_OVN_FILE,	 /* a regular file in the upper layer */
	WT_OVN_LINK,	 /* a symlink in the upper layer */
	WT_OVN_WHITEOUT, /* deleted: the host's entry is hidden */
};

typedef struct wt_ovnode {
	struct wt_ovnode *next; /* hash chain */
	char *key;
	uint32_t len;
	uint8_t kind;	/* WT_OVN_*, or in the seen table the host's WT_FT_* type */
	uint8_t opaque; /* folder: the host folder at this path is hidden */
	uint8_t times;	/* the module set its access or modification time */
	char *origin;	/* the host path it was copied up from (moves with renames); NULL: new */
	uint64_t size, mtim; /* seen table: what the host had when the run first shadowed it */
	uint8_t hashed;	     /* seen table, a regular file: sha holds the host's bytes' SHA-256 */
	uint8_t sha[WT_SHA256_SIZE];
} wt_ovnode;

typedef struct wt_ovmap {
	wt_ovnode **b;
	size_t nb, n;
} wt_ovmap;

wt_ovnode *wt_ovmap_get(const wt_ovmap *m, const char *key, size_t len);
/* The node at key, made (kind 0, no origin) when missing; NULL: no memory. */
wt_ovnode *wt_ovmap_add(wt_ovmap *m, const char *key, size_t len);
void wt_ovmap_del(wt_ovmap *m, const char *key, size_t len);
/* Deletes every node strictly below the folder key. */
void wt_ovmap_drop_under(wt_ovmap *m, const char *key, size_t len);
/* Deletes every whiteout node strictly below the folder key. */
void wt_ovmap_drop_whiteouts(wt_ovmap *m, const char *key, size_t len);
/* Moves the nodes at and below from to the same places below to (nodes
 * at and below to are dropped first). 0 or -ENOMEM. */
int wt_ovmap_move(wt_ovmap *m, const char *from, const char *to);
/* Every node, sorted by key (a malloc'd array; *n its length). */
wt_ovnode **wt_ovmap_sorted(const wt_ovmap *m, size_t *n);
void wt_ovmap_fini(wt_ovmap *m);
int wt_ovnode_set_origin(wt_ovnode *nd, const char *origin);

struct wt_overlay {
	wt_contain *k;
	char *guest; /* canonical guest path of the mount */
	size_t guest_len;
	char *host; /* the host folder as configured */
	int lower;  /* the host folder */
	int upper;  /* the upper layer, in the private folder */
	int layer;  /* the root the call in progress resolves under */
	wt_host *h;
	wt_ovmap nodes, seen;
};

struct wt_contain {
	char *dir; /* the private folder */
	wt_overlay **ov;
	int nov;
	wt_change *changes;
	size_t nchanges;
};

/* One entry of a merged listing. */
typedef struct wt_ovent {
	char *name;
	uint64_t ino;
	uint8_t type;
} wt_ovent;

/* A merged listing of one folder: "." and "..", then the names sorted. */
typedef struct wt_ovdir {
	wt_ovent *e;
	size_t n, cap;
} wt_ovdir;

/* Which layer holds rel by the node table alone. */
enum { WT_OVL_LOWER = 1, WT_OVL_UPPER = 2 };

/* Resolution (overlay_resolve.c). rel points at a buffer of WT_PATH_MAX+1
 * bytes holding a canonical path below the mount root; it may be
 * rewritten to the same entry without symlinks on the way (and without a
 * final symlink when follow). Returns 0 and the layer, or a WASI errno
 * (ENOTCAPABLE for a link out of the mount, ELOOP, ENAMETOOLONG). */
int wt_ovl_resolve(wt_overlay *ov, char *rel, int follow, int *layer);
/* Rewrites rel without symlinks on the way (and the final one when
 * follow), expanding them through the merged view. 0 or a WASI errno. */
int wt_ovl_expand(wt_overlay *ov, char *rel, int follow);
/* The layer of a symlink-free rel by the nodes alone. */
int wt_ovl_layer_of(const wt_overlay *ov, const char *rel);
/* 1 when a proper ancestor of rel hides the host (whiteout, opaque). */
int wt_ovl_hidden(const wt_overlay *ov, const char *rel);
/* lstat of the merged entry at a symlink-free rel: 0, or a negative
 * errno (-ENOENT). With link != NULL a symlink's text goes there
 * (WT_PATH_MAX+1 bytes, NUL-terminated). */
int wt_ovl_lstat(wt_overlay *ov, const char *rel, wt_hstat *st, char *link);
/* lstat of the host entry at rel when the merged view shows it. */
int wt_ovl_lower_lstat(wt_overlay *ov, const char *rel, wt_hstat *st);

/* Copy-up (overlay_copy.c): each returns 0 or a WASI errno. */
enum { WT_OVL_FULL, WT_OVL_EMPTY, WT_OVL_DEEP };
/* Makes sure every folder on the way to rel, and rel itself, is an upper
 * folder (ENOENT, ENOTDIR when the merged view has no folder there). */
int wt_ovl_up_dirs(wt_overlay *ov, const char *rel);
/* Copies the host entry at rel into the upper layer when the merged view
 * shows it there: a file with its bytes (WT_OVL_EMPTY: none), a symlink,
 * a folder empty (WT_OVL_DEEP: with its whole merged tree). Nothing when
 * rel is upper already (except DEEP folders) or missing. */
int wt_ovl_copy_up(wt_overlay *ov, const char *rel, int how);
/* Remembers what the host has at rel, once (the apply check): type,
 * size, mtime; a regular file's SHA-256 is added by its copy-up, which
 * reads the bytes (or, going up empty, hashes them without copying). */
void wt_ovl_see(wt_overlay *ov, const char *rel);
/* Removes name in folder dirfd, a folder with everything below it. 0 or -errno. */
int wt_ovl_rm_tree(int dirfd, const char *name, int depth);
/* 1 when the two open files have the same bytes, 0 if not, -errno. */
int wt_ovl_same_bytes(int a, int b);

/* 1 when the upper entry at rel (a WT_OVN_FILE or _LINK) has the bytes
 * or link text the host has at hrel; 0 if not or when either is missing. */
int wt_ovl_same_as_host(wt_overlay *ov, const char *rel, const char *hrel, uint8_t kind);

/* Merged listings (overlay_dir.c). */
int wt_ovl_list(wt_overlay *ov, const char *rel, wt_ovdir **out);
void wt_ovl_dir_free(wt_ovdir *d);
/* The number of entries other than "." and "..". */
size_t wt_ovl_dir_count(const wt_ovdir *d);

/* "a/b" -> "a" ("." for a name without a slash), into out (WT_PATH_MAX+1). */
void wt_ovl_dirname(const char *rel, char *out);

#endif
