/* host.c: the host platform layer (libuv, openat2, *at calls); the only file of core with uv.h. */
#include "host.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "wasi_abi.h"

/* Symlinks expanded in one resolution before ELOOP (as Linux's 40). */
enum { MAX_SYMLINKS = 40, MAX_DEPTH = 256, WALK_BUF = 8192 };

struct wt_host {
	uv_loop_t loop;
	int walk;		/* 1: resolve by the component walk (no openat2) */
	int (*stop)(void *ctx); /* see wt_host_set_stop; NULL: never */
	void *stop_ctx;
};

struct wt_hdir {
	DIR *dir;
};

wt_host *wt_host_new(int walk)
{
	wt_host *h = calloc(1, sizeof *h);

	if (!h)
		return NULL;
	if (uv_loop_init(&h->loop) != 0) {
		free(h);
		return NULL;
	}
	h->walk = walk;
	return h;
}

void wt_host_free(wt_host *h)
{
	if (!h)
		return;
	uv_loop_close(&h->loop);
	free(h);
}

void wt_host_set_stop(wt_host *h, int (*stop)(void *ctx), void *ctx)
{
	h->stop = stop;
	h->stop_ctx = ctx;
}

static int neg_errno(void)
{
	return errno ? -errno : -EIO;
}

/* After a call failed: 1 when it should be made again (EINTR, and the
 * run is not ending), else 0 with errno as the call left it. */
static int again(const wt_host *h)
{
	int e = errno;
	int retry = e == EINTR && !(h->stop && h->stop(h->stop_ctx));

	errno = e;
	return retry;
}

static uint8_t mode_type(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG:
		return WT_FT_REGULAR_FILE;
	case S_IFDIR:
		return WT_FT_DIRECTORY;
	case S_IFLNK:
		return WT_FT_SYMBOLIC_LINK;
	case S_IFCHR:
		return WT_FT_CHARACTER_DEVICE;
	case S_IFBLK:
		return WT_FT_BLOCK_DEVICE;
	case S_IFSOCK:
		return WT_FT_SOCKET_STREAM;
	default:
		return WT_FT_UNKNOWN;
	}
}

static uint64_t ts_ns(struct timespec t)
{
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void from_stat(const struct stat *s, wt_hstat *st)
{
	st->dev = s->st_dev;
	st->ino = s->st_ino;
	st->nlink = s->st_nlink;
	st->size = (uint64_t)s->st_size;
	st->atim = ts_ns(s->st_atim);
	st->mtim = ts_ns(s->st_mtim);
	st->ctim = ts_ns(s->st_ctim);
	st->type = mode_type(s->st_mode);
}

uint64_t wt_host_monotonic(void)
{
	return uv_hrtime();
}

static int clock_of(uint32_t wasi_clock, clockid_t *id)
{
	static const clockid_t ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
					CLOCK_THREAD_CPUTIME_ID};

	if (wasi_clock >= sizeof ids / sizeof ids[0])
		return -EINVAL;
	*id = ids[wasi_clock];
	return 0;
}

int wt_host_clock_get(uint32_t wasi_clock, uint64_t *ns)
{
	struct timespec t;
	clockid_t id;

	if (wasi_clock == WT_CLOCK_MONOTONIC) {
		*ns = uv_hrtime();
		return 0;
	}
	if (clock_of(wasi_clock, &id) || clock_gettime(id, &t) != 0)
		return -EINVAL;
	*ns = ts_ns(t);
	return 0;
}

int wt_host_clock_res(uint32_t wasi_clock, uint64_t *ns)
{
	struct timespec t;
	clockid_t id;

	if (clock_of(wasi_clock, &id) || clock_getres(id, &t) != 0)
		return -EINVAL;
	*ns = ts_ns(t);
	return 0;
}

int wt_host_random(wt_host *h, void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n > 0) {
		size_t k = n > 65536 ? 65536 : n;
		int rc = uv_random(&h->loop, NULL, p, k, 0, NULL);
		if (rc < 0)
			return rc;
		p += k;
		n -= k;
	}
	return 0;
}

void wt_host_yield(void)
{
	sched_yield();
}

/* One read or write on fd's buffers (at off, or at the position when off
 * < 0); *done = bytes. Plain system calls, not libuv's synchronous
 * uv_fs_read/uv_fs_write: libuv retries a write interrupted by a signal
 * and loops until every byte is written, so a write into a pipe nobody
 * reads could never be stopped. A short count goes back to the guest, as
 * WASI and POSIX allow. */
static int rw(wt_host *h, int fd, const struct iovec *iov, unsigned n, int64_t off, uint64_t *done,
	      int write)
{
	ssize_t r;

	if (n == 0) { /* nothing to move is a count of 0, and never a wait */
		*done = 0;
		return 0;
	}
	do {
		if (write)
			r = off < 0 ? writev(fd, iov, (int)n) : pwritev(fd, iov, (int)n, off);
		else
			r = off < 0 ? readv(fd, iov, (int)n) : preadv(fd, iov, (int)n, off);
	} while (r < 0 && again(h));
	if (r < 0)
		return neg_errno();
	*done = (uint64_t)r;
	return 0;
}

int wt_host_readv(wt_host *h, int fd, const struct iovec *iov, unsigned n, int64_t off,
		  uint64_t *done)
{
	return rw(h, fd, iov, n, off, done, 0);
}

int wt_host_writev(wt_host *h, int fd, const struct iovec *iov, unsigned n, int64_t off,
		   uint64_t *done)
{
	return rw(h, fd, iov, n, off, done, 1);
}

int wt_host_fstat(wt_host *h, int fd, wt_hstat *st)
{
	struct stat s;

	(void)h;
	if (fstat(fd, &s) != 0)
		return neg_errno();
	from_stat(&s, st);
	return 0;
}

int wt_host_seek(int fd, int64_t off, int wasi_whence, uint64_t *pos)
{
	static const int whence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
	off_t r;

	if (wasi_whence < 0 || wasi_whence > 2)
		return -EINVAL;
	r = lseek(fd, (off_t)off, whence[wasi_whence]);
	if (r < 0)
		return neg_errno();
	*pos = (uint64_t)r;
	return 0;
}

int wt_host_truncate(wt_host *h, int fd, uint64_t size)
{
	uv_fs_t req;
	int rc;

	if (size > INT64_MAX)
		return -EFBIG;
	rc = uv_fs_ftruncate(&h->loop, &req, fd, (int64_t)size, NULL);
	uv_fs_req_cleanup(&req);
	return rc < 0 ? rc : 0;
}

int wt_host_sync(wt_host *h, int fd, int data_only)
{
	uv_fs_t req;
	int rc;

	if (data_only)
		rc = uv_fs_fdatasync(&h->loop, &req, fd, NULL);
	else
		rc = uv_fs_fsync(&h->loop, &req, fd, NULL);
	uv_fs_req_cleanup(&req);
	return rc < 0 ? rc : 0;
}

int wt_host_allocate(int fd, uint64_t off, uint64_t len)
{
	int rc;

	if (off > INT64_MAX || len > INT64_MAX)
		return -EFBIG;
	rc = posix_fallocate(fd, (off_t)off, (off_t)len);
	return rc ? -rc : 0;
}

int wt_host_advise(int fd, uint64_t off, uint64_t len, uint8_t wasi_advice)
{
	static const int advice[] = {POSIX_FADV_NORMAL,	  POSIX_FADV_SEQUENTIAL,
				     POSIX_FADV_RANDOM,	  POSIX_FADV_WILLNEED,
				     POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
	int rc;

	if (wasi_advice > 5)
		return -EINVAL;
	if (off > INT64_MAX || len > INT64_MAX)
		return -EINVAL;
	rc = posix_fadvise(fd, (off_t)off, (off_t)len, advice[wasi_advice]);
	return rc ? -rc : 0;
}

int wt_host_set_fdflags(int fd, uint16_t wasi_fdflags)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return neg_errno();
	fl &= ~(O_APPEND | O_NONBLOCK);
	if (wasi_fdflags & WT_FDF_APPEND)
		fl |= O_APPEND;
	if (wasi_fdflags & WT_FDF_NONBLOCK)
		fl |= O_NONBLOCK;
	return fcntl(fd, F_SETFL, fl) == 0 ? 0 : neg_errno();
}

static struct timespec wasi_time(uint64_t ns, int set, int now)
{
	struct timespec t = {0, UTIME_OMIT};

	if (now) {
		t.tv_nsec = UTIME_NOW;
	} else if (set) {
		t.tv_sec = (time_t)(ns / 1000000000u);
		t.tv_nsec = (long)(ns % 1000000000u);
	}
	return t;
}

int wt_host_set_times(int fd, const char *name, int follow, uint64_t atim, uint64_t mtim,
		      uint16_t fst)
{
	struct timespec t[2];

	if (((fst & WT_FST_ATIM) && (fst & WT_FST_ATIM_NOW)) ||
	    ((fst & WT_FST_MTIM) && (fst & WT_FST_MTIM_NOW)) || fst > 15)
		return -EINVAL;
	t[0] = wasi_time(atim, fst & WT_FST_ATIM, fst & WT_FST_ATIM_NOW);
	t[1] = wasi_time(mtim, fst & WT_FST_MTIM, fst & WT_FST_MTIM_NOW);
	if (!name && futimens(fd, t) == 0)
		return 0;
	if (!name && errno != EBADF)
		return neg_errno();
	if (!name) { /* an O_PATH fd from a resolution: through its proc link */
		char link[64];
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		return utimensat(AT_FDCWD, link, t, 0) == 0 ? 0 : neg_errno();
	}
	return utimensat(fd, name, t, follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0 ? 0 : neg_errno();
}

int wt_host_close(wt_host *h, int fd)
{
	uv_fs_t req;
	int rc = uv_fs_close(&h->loop, &req, fd, NULL);

	uv_fs_req_cleanup(&req);
	return rc < 0 ? rc : 0;
}

/* openat2 beneath root; -ENOSYS when the kernel lacks it. An open that
 * waits (a FIFO without a peer) is interrupted like any blocking call. */
static int open_beneath(const wt_host *h, int root, const char *rel, int flags, unsigned mode,
			int *out)
{
	struct open_how how;
	long fd;

	memset(&how, 0, sizeof how);
	how.flags = (uint64_t)(flags | O_CLOEXEC);
	how.mode = (flags & O_CREAT) ? mode : 0;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	for (int tries = 0; tries < 8;) {
		fd = syscall(SYS_openat2, root, rel, &how, sizeof how);
		if (fd >= 0) {
			*out = (int)fd;
			return 0;
		}
		if (errno == EAGAIN)
			tries++;
		else if (!again(h))
			break;
	}
	if (errno == EXDEV)
		return -WT_HOST_ESCAPE;
	return neg_errno();
}

/* The walk's state: a stack of held folder fds (stack[0] is root, not
 * owned) and the path still to resolve. */
typedef struct walk {
	const wt_host *h;
	int stack[MAX_DEPTH];
	int depth;
	char buf[WALK_BUF];
	size_t pos, end; /* the rest: buf[pos..end) */
	int links;
} walk;

static void walk_release(walk *w)
{
	while (w->depth > 1)
		close(w->stack[--w->depth]);
}

/* Takes the next component of the rest into name; 0 at the end. */
static int walk_next(walk *w, char *name, size_t cap, int *is_last)
{
	size_t start, len;

	while (w->pos < w->end && w->buf[w->pos] == '/')
		w->pos++;
	if (w->pos >= w->end)
		return 0;
	start = w->pos;
	while (w->pos < w->end && w->buf[w->pos] != '/')
		w->pos++;
	len = w->pos - start;
	if (len >= cap)
		return -ENAMETOOLONG;
	memcpy(name, w->buf + start, len);
	name[len] = '\0';
	while (w->pos < w->end && w->buf[w->pos] == '/')
		w->pos++;
	*is_last = w->pos >= w->end;
	return 1;
}

/* Replaces the component just taken by the symlink at cur/name: its
 * target goes in front of the rest. Absolute targets escape. */
static int walk_expand(walk *w, int cur, const char *name, int not_link)
{
	char target[4096];
	ssize_t n = readlinkat(cur, name, target, sizeof target);
	size_t rest = w->end - w->pos;

	if (n < 0)
		return errno == EINVAL ? not_link : neg_errno();
	if (++w->links > MAX_SYMLINKS)
		return -ELOOP;
	if (n == 0)
		return -ENOENT;
	if (target[0] == '/')
		return -WT_HOST_ESCAPE;
	if ((size_t)n + 1 + rest > sizeof w->buf)
		return -ENAMETOOLONG;
	memmove(w->buf + n + 1, w->buf + w->pos, rest);
	memcpy(w->buf, target, (size_t)n);
	w->buf[n] = '/';
	w->pos = 0;
	w->end = (size_t)n + 1 + rest;
	return 0;
}

/* One folder step of the walk: `..` pops, `.` stays, a name is opened
 * with O_NOFOLLOW (a symlink is expanded instead). */
static int walk_dir(walk *w, const char *name)
{
	int cur = w->stack[w->depth - 1], fd;

	if (strcmp(name, ".") == 0)
		return 0;
	if (strcmp(name, "..") == 0) {
		if (w->depth <= 1)
			return -WT_HOST_ESCAPE;
		close(w->stack[--w->depth]);
		return 0;
	}
	fd = openat(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == ENOTDIR || errno == ELOOP))
		return walk_expand(w, cur, name, -ENOTDIR);
	if (fd < 0)
		return neg_errno();
	if (w->depth >= MAX_DEPTH) {
		close(fd);
		return -ENAMETOOLONG;
	}
	w->stack[w->depth++] = fd;
	return 0;
}

/* The last step: open cur/name with O_NOFOLLOW; a symlink is expanded
 * when follow (then the walk goes on), else refused. Returns 1 when an
 * fd is in *out, 0 to go on, or -errno. */
static int walk_last(walk *w, const char *name, int flags, unsigned mode, int follow, int *out)
{
	int cur = w->stack[w->depth - 1], fd;
	struct stat s;

	if (strcmp(name, "..") == 0 || strcmp(name, ".") == 0) {
		int rc = walk_dir(w, name);
		if (rc)
			return rc;
		fd = openat(w->stack[w->depth - 1], ".", flags | O_CLOEXEC, mode);
		return fd < 0 ? neg_errno() : (*out = fd, 1);
	}
	do
		fd = openat(cur, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
	while (fd < 0 && again(w->h));
	/* A final symlink: ELOOP, or ENOTDIR when O_PATH|O_DIRECTORY opened it. */
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR) && follow)
		return walk_expand(w, cur, name, -errno);
	if (fd < 0)
		return neg_errno();
	if ((flags & O_PATH) && follow && fstat(fd, &s) == 0 && S_ISLNK(s.st_mode)) {
		close(fd);
		return walk_expand(w, cur, name, -ELOOP);
	}
	*out = fd;
	return 1;
}

static int open_walk(const wt_host *h, int root, const char *rel, int flags, unsigned mode,
		     int follow, int *out)
{
	walk *w = malloc(sizeof *w);
	char name[256];
	int rc = 0, last = 0;

	if (!w)
		return -ENOMEM;
	w->h = h;
	w->stack[0] = root;
	w->depth = 1;
	w->links = 0;
	w->pos = 0;
	w->end = strlen(rel);
	if (w->end >= sizeof w->buf) {
		free(w);
		return -ENAMETOOLONG;
	}
	memcpy(w->buf, rel, w->end);
	while (rc == 0) {
		rc = walk_next(w, name, sizeof name, &last);
		if (rc == 0) /* nothing left: the path named a folder we hold */
			rc = walk_last(w, ".", flags, mode, follow, out);
		else if (rc > 0)
			rc =
			    last ? walk_last(w, name, flags, mode, follow, out) : walk_dir(w, name);
	}
	walk_release(w);
	free(w);
	return rc < 0 ? rc : 0;
}

int wt_host_open(wt_host *h, int root, const char *rel, int flags, unsigned mode, int follow,
		 int *out)
{
	int rc;

	if (!follow)
		flags |= O_NOFOLLOW;
	if (!h->walk) {
		rc = open_beneath(h, root, rel, flags, mode, out);
		if (rc != -ENOSYS)
			return rc;
		h->walk = 1;
	}
	return open_walk(h, root, rel, flags & ~O_NOFOLLOW, mode, follow, out);
}

int wt_host_plain(wt_host *h, int root, const char *rel, int follow)
{
	struct open_how how;
	struct stat st;
	long fd;

	if (!strchr(rel, '/')) { /* one name: only it can be a link */
		if (!follow || strcmp(rel, ".") == 0)
			return 1;
		if (fstatat(root, rel, &st, AT_SYMLINK_NOFOLLOW) != 0)
			return errno == ENOENT || errno == EACCES;
		return !S_ISLNK(st.st_mode);
	}
	if (h->walk)
		return 0;
	memset(&how, 0, sizeof how);
	how.flags = O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW);
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, root, rel, &how, sizeof how);
	if (fd >= 0) {
		close((int)fd);
		return 1;
	}
	return errno == ENOENT || errno == ENOTDIR || errno == EACCES;
}

int wt_host_lstat(wt_host *h, int root, const char *rel, wt_hstat *st, char *link, size_t cap)
{
	size_t n = 0;
	int fd, rc;

	if ((rc = wt_host_open(h, root, rel, O_PATH, 0, 0, &fd)))
		return rc;
	rc = wt_host_fstat(h, fd, st);
	if (rc == 0 && link && st->type == WT_FT_SYMBOLIC_LINK) {
		rc = wt_host_readlinkat(fd, "", link, cap, &n);
		if (rc == 0 && n >= cap)
			rc = -ENAMETOOLONG;
		link[rc ? 0 : n] = '\0';
	}
	close(fd);
	return rc;
}

int wt_host_parent(wt_host *h, int root, char *rel, int *dirfd, const char **last)
{
	char *slash = strrchr(rel, '/');

	if (!slash) {
		*dirfd = root;
		*last = rel;
		return 0;
	}
	*slash = '\0';
	*last = slash + 1;
	return wt_host_open(h, root, rel, O_PATH | O_DIRECTORY, 0, 1, dirfd);
}

int wt_host_statat(int dirfd, const char *name, int follow, wt_hstat *st)
{
	struct stat s;

	if (fstatat(dirfd, name, &s, follow ? 0 : AT_SYMLINK_NOFOLLOW) != 0)
		return neg_errno();
	from_stat(&s, st);
	return 0;
}

int wt_host_mkdirat(int dirfd, const char *name)
{
	return mkdirat(dirfd, name, 0777) == 0 ? 0 : neg_errno();
}

int wt_host_unlinkat(int dirfd, const char *name, int dir)
{
	return unlinkat(dirfd, name, dir ? AT_REMOVEDIR : 0) == 0 ? 0 : neg_errno();
}

int wt_host_renameat(int dir1, const char *name1, int dir2, const char *name2)
{
	return renameat(dir1, name1, dir2, name2) == 0 ? 0 : neg_errno();
}

int wt_host_linkat(int dir1, const char *name1, int dir2, const char *name2)
{
	char link[64];

	if (name1)
		return linkat(dir1, name1, dir2, name2, 0) == 0 ? 0 : neg_errno();
	/* dir1 is an O_PATH fd of the resolved source: link the file itself. */
	snprintf(link, sizeof link, "/proc/self/fd/%d", dir1);
	return linkat(AT_FDCWD, link, dir2, name2, AT_SYMLINK_FOLLOW) == 0 ? 0 : neg_errno();
}

int wt_host_symlinkat(const char *target, int dirfd, const char *name)
{
	return symlinkat(target, dirfd, name) == 0 ? 0 : neg_errno();
}

int wt_host_readlinkat(int dirfd, const char *name, char *buf, size_t size, size_t *len)
{
	ssize_t n = readlinkat(dirfd, name, buf, size);

	if (n < 0)
		return neg_errno();
	*len = (size_t)n;
	return 0;
}

int wt_host_dir_open(int fd, wt_hdir **out)
{
	wt_hdir *d = malloc(sizeof *d);
	int dup_fd;

	if (!d)
		return -ENOMEM;
	dup_fd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dup_fd < 0) {
		free(d);
		return neg_errno();
	}
	d->dir = fdopendir(dup_fd);
	if (!d->dir) {
		int rc = neg_errno();
		close(dup_fd);
		free(d);
		return rc;
	}
	*out = d;
	return 0;
}

int wt_host_dir_seek(wt_hdir *d, uint64_t cookie)
{
	if (cookie == 0)
		rewinddir(d->dir);
	else if ((uint64_t)telldir(d->dir) != cookie)
		seekdir(d->dir, (long)cookie);
	return 0;
}

int wt_host_dir_next(wt_hdir *d, wt_hdirent *e)
{
	struct dirent *de;
	struct stat s;

	errno = 0;
	de = readdir(d->dir);
	if (!de)
		return errno ? -errno : 0;
	e->next = (uint64_t)telldir(d->dir);
	e->ino = de->d_ino;
	e->name = de->d_name;
	e->namelen = strlen(de->d_name);
	switch (de->d_type) {
	case DT_REG:
		e->type = WT_FT_REGULAR_FILE;
		break;
	case DT_DIR:
		e->type = WT_FT_DIRECTORY;
		break;
	case DT_LNK:
		e->type = WT_FT_SYMBOLIC_LINK;
		break;
	case DT_CHR:
		e->type = WT_FT_CHARACTER_DEVICE;
		break;
	case DT_BLK:
		e->type = WT_FT_BLOCK_DEVICE;
		break;
	case DT_SOCK:
		e->type = WT_FT_SOCKET_STREAM;
		break;
	default:
		e->type = fstatat(dirfd(d->dir), de->d_name, &s, AT_SYMLINK_NOFOLLOW) == 0
			      ? mode_type(s.st_mode)
			      : WT_FT_UNKNOWN;
	}
	return 1;
}

void wt_host_dir_close(wt_hdir *d)
{
	if (!d)
		return;
	closedir(d->dir);
	free(d);
}

int wt_host_poll(const wt_host *h, struct pollfd *fds, unsigned n, int64_t timeout_ns)
{
	uint64_t end = timeout_ns >= 0 ? wt_host_monotonic() + (uint64_t)timeout_ns : 0;
	int rc;

	for (;;) {
		struct timespec t, *tp = NULL;

		if (timeout_ns >= 0) {
			uint64_t now = wt_host_monotonic(), left = end > now ? end - now : 0;
			t.tv_sec = (time_t)(left / 1000000000);
			t.tv_nsec = (long)(left % 1000000000);
			tp = &t;
		}
		rc = ppoll(fds, n, tp, NULL);
		if (rc >= 0 || !again(h))
			break;
	}
	return rc < 0 ? neg_errno() : rc;
}
