/* overlay_wasi.h: the hooks that send a contained mount's WASI calls to its overlay. */
#ifndef WT_OVERLAY_WASI_H
#define WT_OVERLAY_WASI_H

#include "overlay.h"
#include "wasi_impl.h"

/* Gives every writable mount of w its overlay in k (wt_wasi_new, when
 * wt_wasi_config.contain is set). 0 or WT_IO with a message in err. */
int wt_overlay_attach(wt_wasi *w, wt_contain *k, wt_error *err);

/* 1 when call c touches a contained mount (path calls: mount m1 or m2,
 * none read-only; fd calls: the fd's mount) and is not already running
 * inside wt_overlay_call. The act functions ask it first. */
int wt_overlay_wants(const wt_gcall *c);

/* Runs act for call c on the overlay: picks the layer each path resolves
 * in (rewriting c->rel1/rel2 without symlinks when one is on the way),
 * copies up what a write-class call changes, runs act there, then keeps
 * the overlay's record (new names, whiteouts, moves). Returns act's WASI
 * errno, or the overlay's (EEXIST, ENOTEMPTY, EXDEV between mounts ...). */
int wt_overlay_call(wt_gcall *c, const uint64_t *a, wt_gate_step act);

/* The root fd the path calls of this overlay resolve under during the
 * call in progress (the host folder outside wt_overlay_call). */
int wt_overlay_root(const wt_overlay *ov);

/* What rel is in the merged view of a contained mount, not following a
 * final symlink (a symlink's text into link, WT_PATH_MAX + 1 bytes, when
 * link is not NULL). 0 or a negative host errno. */
int wt_overlay_lstat(wt_overlay *ov, const char *rel, wt_hstat *st, char *link);

/* 1 while the overlay holds nothing: the host answers every path. */
int wt_overlay_empty(const wt_overlay *ov);

/* fd_readdir on a folder of a contained mount: the merged listing, taken
 * at cookie 0 and kept in the fd (cookie = index + 1) for the next calls. */
int wt_overlay_readdir(wt_gcall *c);

/* Frees a listing kept in wt_fdent.ovdir; accepts NULL. */
void wt_overlay_dir_free(void *d);

#endif
