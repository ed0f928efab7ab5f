/* host.h: the host platform layer of the WASI host: files, clocks, randomness, safe resolution. */
#ifndef WT_HOST_H
#define WT_HOST_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/* Every function returns 0 (or a count) on success and a negative host
 * errno on failure, as libuv does; -WT_HOST_ESCAPE (wasi_abi.h) means "the
 * path would leave its mount". Paths given to the resolving functions are
 * canonical paths relative to a mount's root fd ("." is the root): no
 * empty, `.` or `..` components. */

typedef struct wt_host wt_host;

/* walk = 1 forces the component-by-component resolution even where
 * openat2 exists (tests use it). NULL when out of memory. */
wt_host *wt_host_new(int walk);
void wt_host_free(wt_host *h);

/* Blocking calls and stopping. Every call here that can wait on something
 * outside the host's control (poll, read or write on a pipe, terminal or
 * socket, open of a FIFO) is interrupted by a signal (the run's timer
 * sends one to the running thread: core/run/run.c). When one fails with EINTR,
 * the host asks stop(ctx): non-zero means the run is ending, and the call
 * gives up with -EINTR (the interpreter then traps before the guest sees
 * it); zero means the signal was someone else's, and the call is retried
 * (a poll with what is left of its timeout). Without stop (NULL, the
 * default) interrupted calls are always retried. stop is called from the
 * thread that made the call, never from a signal handler. */
void wt_host_set_stop(wt_host *h, int (*stop)(void *ctx), void *ctx);

/* What fstat says, with times in nanoseconds and a WASI file type. */
typedef struct wt_hstat {
	uint64_t dev, ino, nlink, size, atim, mtim, ctim;
	uint8_t type;
} wt_hstat;

uint64_t wt_host_monotonic(void);
int wt_host_clock_get(uint32_t wasi_clock, uint64_t *ns);
int wt_host_clock_res(uint32_t wasi_clock, uint64_t *ns);
int wt_host_random(wt_host *h, void *buf, size_t n);
void wt_host_yield(void);

/* I/O on an open host fd. off < 0: at the current position. */
int wt_host_readv(wt_host *h, int fd, const struct iovec *iov, unsigned n, int64_t off,
		  uint64_t *done);
int wt_host_writev(wt_host *h, int fd, const struct iovec *iov, unsigned n, int64_t off,
		   uint64_t *done);
int wt_host_fstat(wt_host *h, int fd, wt_hstat *st);
int wt_host_seek(int fd, int64_t off, int wasi_whence, uint64_t *pos);
int wt_host_truncate(wt_host *h, int fd, uint64_t size);
int wt_host_sync(wt_host *h, int fd, int data_only);
int wt_host_allocate(int fd, uint64_t off, uint64_t len);
int wt_host_advise(int fd, uint64_t off, uint64_t len, uint8_t wasi_advice);
int wt_host_set_fdflags(int fd, uint16_t wasi_fdflags);
/* Sets times from WASI fstflags on fd (which may be an O_PATH fd), or on
 * fd/name when name is not NULL (follow: follow a final symlink). */
int wt_host_set_times(int fd, const char *name, int follow, uint64_t atim, uint64_t mtim,
		      uint16_t fstflags);
int wt_host_close(wt_host *h, int fd);

/* Opens root/rel without leaving root (openat2 RESOLVE_BENEATH, or a
 * walk with O_NOFOLLOW that expands relative symlinks by hand). flags are
 * open(2)'s; follow = 0 refuses a final symlink (ELOOP, or with O_PATH
 * opens the link itself). Absolute symlinks and symlinks that climb out
 * of root give -WT_HOST_ESCAPE. */
int wt_host_open(wt_host *h, int root, const char *rel, int flags, unsigned mode, int follow,
		 int *out);

/* 1 when rel resolves beneath root without meeting a symlink (a final
 * one counts only when follow) or stops at a missing component before
 * any; 0 when it meets one, or when it cannot tell cheaply (no openat2). */
int wt_host_plain(wt_host *h, int root, const char *rel, int follow);

/* What rel beneath root is, not following a final symlink; for a
 * symlink, link (cap bytes) gets its text, NUL-terminated
 * (-ENAMETOOLONG when it does not fit). link may be NULL. */
int wt_host_lstat(wt_host *h, int root, const char *rel, wt_hstat *st, char *link, size_t cap);

/* Opens the folder holding the last component of rel (beneath root) and
 * points *last at that component. rel is modified (cut at its last
 * slash). *dirfd is root itself when rel has no slash: close it only when
 * it differs from root. */
int wt_host_parent(wt_host *h, int root, char *rel, int *dirfd, const char **last);

/* The *at operations on one component name in an open folder. */
int wt_host_statat(int dirfd, const char *name, int follow, wt_hstat *st);
int wt_host_mkdirat(int dirfd, const char *name);
int wt_host_unlinkat(int dirfd, const char *name, int dir);
int wt_host_renameat(int dir1, const char *name1, int dir2, const char *name2);
/* name1 NULL: dir1 is an O_PATH fd of the (resolved) file to link. */
int wt_host_linkat(int dir1, const char *name1, int dir2, const char *name2);
int wt_host_symlinkat(const char *target, int dirfd, const char *name);
int wt_host_readlinkat(int dirfd, const char *name, char *buf, size_t size, size_t *len);

/* Directory listing with the host's own cookies (0 = the start). */
typedef struct wt_hdir wt_hdir;
typedef struct wt_hdirent {
	uint64_t next, ino;
	const char *name;
	size_t namelen;
	uint8_t type;
} wt_hdirent;
int wt_host_dir_open(int fd, wt_hdir **out);
int wt_host_dir_seek(wt_hdir *d, uint64_t cookie);
/* 1 and *e (valid until the next call), 0 at the end, or -errno. */
int wt_host_dir_next(wt_hdir *d, wt_hdirent *e);
void wt_host_dir_close(wt_hdir *d);

/* poll(2) with a timeout in ns (< 0: none). Returns the ready count. */
int wt_host_poll(const wt_host *h, struct pollfd *fds, unsigned n, int64_t timeout_ns);

#endif
