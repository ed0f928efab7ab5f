/* gate.h: the one place every WASI call passes through: events, verdicts, policies. */
#ifndef WT_GATE_H
#define WT_GATE_H

#include <stdint.h>

#include "wasi_calls.h"

/* The user-facing rights of the manifest (docs/manifest.md), as bits. X(name, bit, text). */
#define WT_RIGHT_LIST(X)              \
	X(READ, 0, "read")            \
	X(WRITE, 1, "write")          \
	X(CREATE, 2, "create")        \
	X(DELETE, 3, "delete")        \
	X(LIST, 4, "list")            \
	X(STAT, 5, "stat")            \
	X(RENAME, 6, "rename")        \
	X(LINK, 7, "link")            \
	X(SYMLINK, 8, "symlink")      \
	X(READLINK, 9, "readlink")    \
	X(SET_TIMES, 10, "set-times") \
	X(TRUNCATE, 11, "truncate")

enum {
#define WT_X_BIT(name, bit, text) WT_RIGHT_##name = 1u << bit,
	WT_RIGHT_LIST(WT_X_BIT)
#undef WT_X_BIT
};

/* Writes the rights of mask as "read,write" into buf; returns buf. */
char *wt_rights_format(uint32_t mask, char *buf, unsigned size);

typedef enum {
	WT_ALLOW,
	WT_DENY, /* the guest gets ENOTCAPABLE, or the policy's deny_errno */
	WT_HIDE, /* the guest gets ENOENT */
	WT_STOP, /* the run stops (exit 77 in enforce mode) */
} wt_verdict;

/* One WASI call, decoded once from guest memory. Every pointer is owned
 * by the gate and valid during decide() and observe() only. */
typedef struct wt_event {
	uint64_t seq;	  /* 1, 2, 3 ... per run */
	uint64_t time_ns; /* monotonic, since the start of the run */
	wt_wasi_call call;
	int32_t fd;	       /* the fd argument, or -1 */
	const char *fd_path;   /* the fd's canonical guest path, or NULL */
	const char *path;      /* path calls: the resolved canonical guest path */
	const char *host_path; /* path calls: the host path it maps to, or NULL */
	const char *path2;     /* rename/link/symlink: the second guest path */
	const char *host_path2;
	uint32_t path_len, path2_len; /* lengths (paths may hold any byte but NUL) */
	/* Path calls: the guest path of the object the call reaches, with the
	 * symlinks on the way (and a final one the call follows) resolved in
	 * the guest's namespace, when it differs from path (path2); else
	 * NULL. host_path (host_path2) is the object's. */
	const char *obj_path, *obj_path2;
	uint32_t obj_path_len, obj_path2_len;
	uint32_t rights; /* WT_RIGHT_* the operation needs */
	uint32_t flags;	 /* oflags | fdflags << 8 | lookupflags << 16, per call */
	uint64_t rights_base, rights_inheriting; /* WASI rights, path_open */
	uint64_t size;				 /* bytes asked for (iovec total, buffer length) */
	uint64_t done;				 /* bytes done, after the call */
	uint32_t clock_id;			 /* clock calls */
	uint32_t clock_mask;   /* poll_oneoff: the clocks (1 << id) of absolute deadlines */
	uint8_t stdio;	       /* fd calls on the run's stdin, stdout or stderr: WT_EV_STD* */
	int32_t new_fd;	       /* path_open, sock_accept: the new fd, or -1 */
	int32_t exit_code;     /* proc_exit */
	uint16_t errno_result; /* the WASI errno the guest got (after) */
	wt_verdict verdict;    /* what decide() said (after) */
	uint8_t created; /* path_open: 1 when the call created the file (it did not exist before) */
} wt_event;

/* The stdio stream an fd call touches (wt_event.stdio): it follows the
 * open file, not the fd's number (fd_renumber moves it). */
enum { WT_EV_NOSTDIO, WT_EV_STDIN, WT_EV_STDOUT, WT_EV_STDERR };

/* A policy: asked before the host is touched, told the result after. deny_errno, when
 * set, is asked right after a decide() that said WT_DENY: the errno the guest gets instead
 * of ENOTCAPABLE (0 counts as ENOTCAPABLE), so a policy can answer a call the way the host
 * once did without asking it again. */
typedef struct wt_policy {
	wt_verdict (*decide)(void *self, const wt_event *ev);
	void (*observe)(void *self, const wt_event *ev);
	void *self;
	uint16_t (*deny_errno)(void *self, const wt_event *ev);
} wt_policy;

#endif
