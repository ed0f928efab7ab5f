/* wasi_impl.h: the WASI host's private state: fd table, mounts, the gate's call frame. */
#ifndef WT_WASI_IMPL_H
#define WT_WASI_IMPL_H

#include <stdint.h>
#include <sys/uio.h>

#include "fakes.h"
#include "host.h"
#include "path.h"
#include "wasi.h"
#include "wasi_abi.h"

/* Bounds on what a guest may ask for in one call. */
enum {
	WT_IOV_MAX = 1024,	/* iovecs per read/write (as IOV_MAX) */
	WT_FD_MAX = 65536,	/* open fds */
	WT_POLL_MAX = 4096,	/* subscriptions per poll_oneoff */
	WT_RW_MAX = 0x7ffff000, /* bytes per read/write (as Linux) */
};

/* Rights of a folder: every path right, listing, and no data rights. */
#define WT_WR_DIR                                                                             \
	(WT_WR_ALL & ~(WT_WR_FD_READ | WT_WR_FD_SEEK | WT_WR_FD_TELL | WT_WR_FD_WRITE |       \
		       WT_WR_FD_ALLOCATE | WT_WR_FD_FILESTAT_SET_SIZE | WT_WR_SOCK_SHUTDOWN | \
		       WT_WR_SOCK_ACCEPT | WT_WR_POLL_FD_READWRITE))

/* One guest fd. A free slot has host == -1. */
typedef struct wt_fdent {
	int host;	    /* host fd */
	uint8_t type;	    /* WT_FT_* */
	uint8_t owned;	    /* 1: the host fd is closed with the guest's */
	uint8_t preopen;    /* 1: fd_prestat_get describes it */
	uint8_t type_known; /* 0: path_open did not stat; see wt_wasi_fd_type */
	uint8_t stdio;	    /* WT_EV_STD* (gate.h): the run's own stdin, stdout or stderr */
	uint16_t fdflags;   /* WT_FDF_* */
	int mount;	    /* index in wt_wasi.mounts, -1 for stdio */
	uint64_t base, inheriting;
	char *path; /* canonical guest path (owned), NULL for stdio */
	uint32_t path_len;
	const char *prestat; /* the name fd_prestat_dir_name gives */
	wt_hdir *dir;	     /* fd_readdir's state, or NULL */
	void *ovdir;	     /* fd_readdir's merged listing in a contained mount, or NULL */
} wt_fdent;

/* A dense fd table: slots [0, n) in use or free, lowest free first. */
typedef struct wt_fdtable {
	wt_fdent *ents;
	uint32_t n, cap;
} wt_fdtable;

/* A free slot for a new fd (lowest number); 0 and *fd, or a WASI errno
 * (EMFILE past WT_FD_MAX, ENOMEM). The slot stays free until its host
 * field is set. */
int wt_fdtable_alloc(wt_fdtable *t, uint32_t *fd);
/* The entry of fd, or NULL when fd is not open. */
static inline wt_fdent *wt_fdtable_get(wt_fdtable *t, uint32_t fd)
{
	return fd < t->n && t->ents[fd].host >= 0 ? &t->ents[fd] : NULL;
}
/* Frees the slot's own memory (path, listing) and marks it free; the
 * caller closes the host fd. */
void wt_fdtable_release(wt_fdtable *t, uint32_t fd);
/* Moves the entry of from onto to (which must be free) and frees from. */
void wt_fdtable_move(wt_fdtable *t, uint32_t from, uint32_t to);
void wt_fdtable_fini(wt_fdtable *t);

/* A guarded place of a mount (wasi_object.c), below its root:
 * - WT_GUARD_POINT: another mount's guest path lies here;
 * - WT_GUARD_ALIAS: another mount's host folder is this folder: what is
 *   below it is that mount's (its guest path, its read-only flag);
 * - WT_GUARD_POLICY: a file of the policy (manifest, override, journal
 *   ...): the module can neither see it nor make it.
 * No call removes or replaces a guarded place, the folders on the way to
 * it, or the mount's root (EBUSY). */
enum { WT_GUARD_POINT, WT_GUARD_ALIAS, WT_GUARD_POLICY };
typedef struct wt_guard {
	char *rel; /* canonical, below the mount root (owned) */
	size_t len;
	int kind;
	int mount; /* WT_GUARD_ALIAS, WT_GUARD_POINT: the other mount */
} wt_guard;

/* A mount as the host holds it. */
typedef struct wt_wmount {
	char *guest; /* canonical guest path (owned) */
	size_t guest_len;
	const char *host; /* as configured (borrowed) */
	int root;	  /* host fd of the folder */
	int readonly;
	struct wt_overlay *ovl; /* contained runs: the mount's overlay (overlay_wasi.h), or NULL */
	wt_guard *guards;
	int nguards, npolicy; /* npolicy: how many are WT_GUARD_POLICY */
} wt_wmount;

typedef struct wt_wasi_bind {
	wt_wasi *w;
	wt_wasi_call call;
} wt_wasi_bind;

struct wt_wasi {
	wt_host *host;
	wt_store *store;
	wt_policy *policy; /* NULL: whatever the mounts allow */
	int nmounts;
	wt_wmount *mounts;
	wt_fdtable fds;
	int argc, nenv;
	const char *const *argv, *const *env;
	uint32_t args_size, env_size; /* bytes with the NULs */
	uint64_t seq, start_ns;
	wt_fakes fakes; /* fake clocks and random, when the config asks */
	int trace_fd;	/* -1: off; else each import call writes its name here */
	int (*stdio_write)(void *ctx, int stream, const void *bytes, size_t len); /* or NULL */
	void *stdio_ctx;
	wt_funcinst *funcs[WT_WASI_CALL_COUNT];
	wt_wasi_bind binds[WT_WASI_CALL_COUNT];
	/* Scratch of the call in progress (calls never nest). */
	struct iovec iov[WT_IOV_MAX];
	char path1[WT_PATH_MAX + 1], path2[WT_PATH_MAX + 1];
	char rel1[WT_PATH_MAX + 1], rel2[WT_PATH_MAX + 1];
	char host1[2 * WT_PATH_MAX + 2], host2[2 * WT_PATH_MAX + 2];
	char obj1[WT_PATH_MAX + 1], obj2[WT_PATH_MAX + 1];
	char *root_dir; /* the synthetic root's folder name (wasi_root.c; gone), or NULL */
};

/* One call in flight: the event, and what the decoder took from guest
 * memory for the act step (pointers into guest memory are already
 * bounds-checked spans). */
typedef struct wt_gcall {
	wt_event ev;
	wt_wasi *w;
	wt_meminst *mem;
	wt_fdent *f, *f2;    /* the fd arguments' entries */
	uint32_t niov;	     /* w->iov[0..niov) */
	uint8_t *out, *out2; /* result spans */
	uint8_t *buf;	     /* a guest buffer span */
	uint32_t buf_len;
	uint64_t a64, b64;  /* offsets, sizes, times, cookies */
	uint32_t a32, b32;  /* whence, advice, flags, counts */
	int m1, m2;	    /* the mounts of path and path2 */
	char *rel1, *rel2;  /* path and path2 below their mount roots */
	uint8_t dir1, dir2; /* path or path2 ended in "/" or "/.": it must name a folder */
	uint8_t ro1, ro2;   /* path or path2 is read-only: its name's or its object's mount is */
	int stop; /* end the run after observe: WT_STOP_EXIT (proc_exit), WT_STOP_SIGNAL */
	uint8_t in_overlay; /* 1: inside wt_overlay_call (the act runs on the chosen layer) */
} wt_gcall;

enum { WT_STOP_EXIT = 1, WT_STOP_SIGNAL = 2 };

/* The decode and act steps of every call: each returns 0 or a WASI
 * errno. decode reads the arguments and guest memory once; act touches
 * the host and writes results. */
typedef int (*wt_gate_step)(wt_gcall *c, const uint64_t *a);
#define WT_X_DECL(name, sig, cls)                               \
	int wt_wasi_dec_##name(wt_gcall *c, const uint64_t *a); \
	int wt_wasi_act_##name(wt_gcall *c, const uint64_t *a);
WT_WASI_CALL_LIST(WT_X_DECL)
#undef WT_X_DECL

/* Runs one call through the gate: decode, decide, act, observe. The one
 * host function behind every WASI import (data is a wt_wasi_bind). */
int wt_gate_call(wt_host_call *hc, const wt_slot *args, wt_slot *results);

/* Decoding helpers (gate.c). Each returns 0 or a WASI errno. */
uint8_t *wt_gate_span(wt_gcall *c, uint64_t addr, uint64_t len);
/* Looks up fd (c->f, ev.fd, ev.fd_path) and checks it holds rights. */
int wt_gate_fd(wt_gcall *c, uint64_t fd, uint64_t rights);
/* Reads n iovecs at addr into w->iov (bounded by WT_IOV_MAX and
 * WT_RW_MAX in total); ev.size is the total. */
int wt_gate_iovecs(wt_gcall *c, uint64_t addr, uint64_t n);
/* Resolves the guest path (ptr, len) against the folder fd dirfd, which
 * must hold rights: the canonical path (ev.path / path2), its mount, the
 * part below the mount root and the host path. which: 1 or 2. */
int wt_gate_path(wt_gcall *c, int which, uint64_t dirfd, uint64_t ptr, uint64_t len,
		 uint64_t rights);

/* Resolves the paths of a path call (after its decoder) to the objects
 * they reach: each symlink on the way, and a final one the call follows,
 * is followed in the guest's namespace from the mount that holds it (a
 * link's text may not leave that mount: ENOTCAPABLE), so m1/rel1 (m2/rel2)
 * and the host paths name the object, and ev.obj_path (obj_path2) its
 * guest path when it differs from the name. Then the mounts' guards
 * (wt_guard) answer ENOENT, EACCES or EBUSY. 0 or a WASI errno. */
int wt_wasi_objects(wt_gcall *c);
/* 0 when a symlink with this text may lie at rel of mount m (made, moved
 * or hard-linked there): its text is relative, climbs only with leading
 * `..` no higher than the mount's root, and read from its folder through
 * the links already there it stays inside the mount. Else ENOTCAPABLE. */
int wt_wasi_link_ok(wt_gcall *c, int m, const char *rel, const char *text);
/* wt_wasi_link_ok for every symlink below the folder name in dir, as if
 * the folder lay at rel of mount m (a folder renamed there). */
int wt_wasi_tree_links_ok(wt_gcall *c, int dir, const char *name, int m, const char *rel);
/* 0 when the canonical guest path[0..len) of mount m, read with the links
 * on the way followed, stays inside the mounts; else ENOTCAPABLE. */
int wt_wasi_stays_inside(wt_wasi *w, int m, const char *path, size_t len);
/* The synthetic root (wasi_root.c): needed when there are mounts and none
 * is at "/". wt_wasi_root_new makes its private empty folder (*dir
 * malloc'd, in $TMPDIR); once it is mounted (its fd open) at "/",
 * read-only, wt_wasi_root_opened removes it from the host: the fd stays a
 * folder that holds nothing and never will, and nothing is left behind. */
int wt_wasi_root_needed(const wt_wasi_config *cfg);
int wt_wasi_root_new(char **dir, wt_error *err);
void wt_wasi_root_opened(const char *dir);
/* Finds the guarded places of every mount (wt_guard): 0, or WT_USAGE for
 * one host folder mounted read-only and writable, WT_NOMEM. */
int wt_wasi_guards(wt_wasi *w, const wt_wasi_config *cfg, wt_error *err);
void wt_wasi_guards_free(wt_wmount *mt);
/* 1 when the entry name[0..n) of the folder fd f is a policy file the
 * module does not see (fd_readdir leaves it out). */
int wt_wasi_hidden_entry(const wt_wasi *w, const wt_fdent *f, const char *name, size_t n);

/* The name of a WASI signal ("SIGABRT"), "" for none or an unknown one. */
const char *wt_wasi_signal_name(uint32_t wasi_signal);

/* Shared by the call files. */
/* The fd's file type. path_open does not stat what it opens: the first
 * call that needs the type asks the host once, and then narrows the
 * rights to what that type can use. */
uint8_t wt_wasi_fd_type(wt_wasi *w, wt_fdent *f);
/* Records the type of f learned from a stat (and narrows its rights). */
void wt_wasi_fd_learn_type(wt_fdent *f, uint8_t type);
/* The mount holding the canonical guest path p (longest prefix; a later
 * mount wins a tie), or -1. */
int wt_wasi_mount_of(const wt_wasi *w, const char *p, size_t len);
const char *wt_wasi_call_name(wt_wasi_call call);
int wt_wasi_add_fd(wt_wasi *w, int host, uint8_t type, int mount, const char *path, size_t path_len,
		   uint64_t base, uint64_t inheriting, uint32_t *fd);
void wt_wasi_write_filestat(uint8_t *out, const wt_hstat *st);

#endif
