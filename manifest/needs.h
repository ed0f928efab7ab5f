/* needs.h: what one WASI call needs from a manifest (files and rights, a clock, stdio, ...). */
#ifndef WT_NEEDS_H
#define WT_NEEDS_H

#include <stddef.h>
#include <stdint.h>

#include "gate.h"

typedef enum {
	WT_NEED_NONE,	/* always allowed: args, env (filtered before the run), fd bookkeeping,
			   poll_oneoff, sched_yield, proc_raise */
	WT_NEED_FILE,	/* rights on one or two guest paths */
	WT_NEED_CLOCK,	/* a clock (bit: WT_CLOCK_*) */
	WT_NEED_RANDOM, /* random_get */
	WT_NEED_STDIO,	/* reading or writing fd 0, 1 or 2 (bit: WT_STDIO_*) */
	WT_NEED_EXIT,	/* proc_exit with code */
	WT_NEED_SOCKET, /* a sock_* call on fd */
} wt_need_kind;

/* The one table of docs/manifest.md ("what each call needs"); generate
 * and enforce both use it, so a manifest generated from a journal allows
 * exactly what the journal did. Pointers borrow the event's strings. */
typedef struct wt_need {
	wt_need_kind kind;
	const char *path; /* FILE: the guest path (ev.path, or the fd's ev.fd_path) */
	size_t path_len;
	uint32_t rights;   /* FILE: WT_RIGHT_* needed on path */
	const char *path2; /* FILE: a second guest path (rename and link targets), or NULL */
	size_t path2_len;
	/* FILE: the objects path and path2 reach (wt_event.obj_path), when they
	 * differ from the names: they need the same rights. Else NULL. */
	const char *obj, *obj2;
	size_t obj_len, obj2_len;
	uint32_t rights2; /* FILE: WT_RIGHT_* needed on path2 (WT_RIGHT_CREATE) */
	uint32_t bit;	  /* CLOCK (a mask: poll_oneoff may need several), STDIO */
	int32_t code;	  /* EXIT */
	int32_t fd;	  /* SOCKET, and the fd of fd calls */
} wt_need;

/* Fills *out with what ev needs:
 *  - path calls: ev.rights on ev.path (no rights at all counts as `stat`:
 *    the call still learns whether the path exists); path_rename and
 *    path_link also need `create` on the target ev.path2; the objects
 *    the names reach (ev.obj_path, obj_path2) need the same as the names;
 *  - fd calls with rights (read, write, stat, list, truncate, set-times)
 *    on a file or folder fd: those rights on its guest path ev.fd_path;
 *    reads of the run's stdin and writes of its stdout and stderr
 *    (ev.stdio, whatever fd number they have now): that stream;
 *  - clock_time_get, clock_res_get: the clock; poll_oneoff: the clocks of
 *    its absolute deadlines (ev.clock_mask); random_get: random;
 *    proc_exit: its code; sock_*: the socket fd;
 *  - everything else: nothing. */
void wt_manifest_needs(const wt_event *ev, wt_need *out);

/* What a recorded call (a journal's event, with its result) says about grants: the one
 * table of docs/manifest.md ("What a call that failed grants") that generate and check
 * share, so `check` passes the journals a manifest was generated from.
 *   GRANT    it succeeded: what it needs is granted;
 *   EARLY    refused before any policy was asked (a bad fd or pointer, an fd without the
 *            rights, bad flags, a second path or symlink text that did not decode), or
 *            refused by the policy that recorded it: it needs nothing and grants nothing;
 *   MISSING  the host said ENOENT: the path becomes `absent`;
 *   EXISTS   the host said EEXIST to an exclusive create (path_open with O_CREAT|O_EXCL,
 *            path_create_directory, path_symlink, the new name of path_link): granted
 *            with `only: new`, so the create may happen when the name is free and never
 *            touches what is there;
 *   REFUSED  any other errno from the host after the policy allowed the call (a symlink
 *            out of the mount, a read-only mount, ENOTDIR, EISDIR, ENOTEMPTY, ELOOP,
 *            EXDEV, EACCES, ...): no grant; a `refused` entry answers the same errno
 *            without asking the host. */
typedef enum {
	WT_OUTCOME_GRANT,
	WT_OUTCOME_EARLY,
	WT_OUTCOME_MISSING,
	WT_OUTCOME_EXISTS,
	WT_OUTCOME_REFUSED,
} wt_outcome;

wt_outcome wt_manifest_outcome(const wt_event *ev);

/* The path ev creates exclusively, failing with EEXIST when the name is taken, so what is
 * there is never touched (ev->path, or ev->path2 for path_link's new name); NULL for any
 * other call. */
const char *wt_manifest_exclusive_path(const wt_event *ev);

#endif
