/* cache_fs.c: the code cache's files: where they live, the checks on its folders and files
 * (no symlink, the user's own, not writable by others), the secret, and whether a mount
 * exposes them (docs/security.md, "The code cache"). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "cache_impl.h"

/* $VAR/tail, else $HOME/home_tail/tail, into buf. */
static int xdg_path(const char *var, const char *home_tail, const char *tail, char *buf,
		    size_t size, wt_error *err)
{
	const char *base = getenv(var), *home = getenv("HOME");
	int n;

	if (base && base[0] == '/')
		n = snprintf(buf, size, "%s/%s", base, tail);
	else if (home && home[0] == '/')
		n = snprintf(buf, size, "%s/%s/%s", home, home_tail, tail);
	else
		return wt_fail_plain(err, WT_IO, "neither %s nor HOME is an absolute path", var);
	if (n < 0 || (size_t)n >= size)
		return wt_fail_plain(err, WT_IO, "the path under %s is too long", var);
	return 0;
}

int wt_jit_cache_paths(char *dir, char *key, size_t size, wt_error *err)
{
	if (dir && xdg_path("XDG_CACHE_HOME", ".cache", "wasi-tofu", dir, size, err))
		return err->code;
	if (key &&
	    xdg_path("XDG_STATE_HOME", ".local/state", "wasi-tofu/cache.key", key, size, err))
		return err->code;
	return 0;
}

int wt_jit_cache_check(const struct stat *st, mode_t type, const char *what, wt_error *err)
{
	if ((st->st_mode & S_IFMT) != type)
		return wt_fail_plain(err, WT_IO, "%s is not a %s", what,
				     type == S_IFDIR ? "folder" : "regular file");
	if (st->st_uid != geteuid())
		return wt_fail_plain(err, WT_IO, "%s belongs to another user (uid %u)", what,
				     (unsigned)st->st_uid);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return wt_fail_plain(err, WT_IO, "%s is writable by group or others (mode %04o)",
				     what, (unsigned)(st->st_mode & 07777));
	return 0;
}

/* mkdir -p of path's folders above its last component, each new one 0700. */
static void make_parents(const char *path)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return;
	for (char *p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		(void)mkdir(buf, 0700);
		*p = '/';
	}
}

/* Opens name beneath dirfd as a folder without following a last symlink. */
static int open_dir(int dirfd, const char *name)
{
	return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int wt_jit_cache_dir(int dirfd, const char *name, int create, wt_error *err)
{
	struct stat st;
	int fd = open_dir(dirfd, name);

	if (fd < 0 && errno == ENOENT && create) {
		if (dirfd == AT_FDCWD)
			make_parents(name);
		if (mkdirat(dirfd, name, 0700) != 0 && errno != EEXIST) {
			wt_fail_plain(err, WT_IO, "cannot create %s: %s", name, strerror(errno));
			return -1;
		}
		fd = open_dir(dirfd, name);
	}
	if (fd < 0) {
		wt_fail_plain(err, WT_IO, "%s: %s", name,
			      errno == ELOOP || errno == ENOTDIR ? "a symlink or not a folder"
								 : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || wt_jit_cache_check(&st, S_IFDIR, name, err)) {
		if (!err->msg[0])
			wt_fail_plain(err, WT_IO, "%s: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Writes a new secret as name beneath dirfd unless one is there already. */
static int make_secret(int dirfd, const char *name, wt_error *err)
{
	uint8_t s[WT_JIT_CACHE_SECRET_SIZE];
	char tmp[64];
	int fd, rc = 0;

	if (wt_jit_cache_random(s, sizeof s) != 0)
		return wt_fail_plain(err, WT_IO, "getrandom: %s", strerror(errno));
	snprintf(tmp, sizeof tmp, ".%s-%ld", name, (long)getpid());
	(void)unlinkat(dirfd, tmp, 0);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return wt_fail_plain(err, WT_IO, "cannot create the cache key: %s",
				     strerror(errno));
	if (write(fd, s, sizeof s) != (ssize_t)sizeof s || fsync(fd) != 0 ||
	    (linkat(dirfd, tmp, dirfd, name, 0) != 0 && errno != EEXIST))
		rc = wt_fail_plain(err, WT_IO, "cannot write the cache key: %s", strerror(errno));
	close(fd);
	(void)unlinkat(dirfd, tmp, 0);
	return rc;
}

/* Checks the open secret file fd and reads it into out. */
static int load_secret(int fd, uint8_t *out, wt_error *err)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return wt_fail_plain(err, WT_IO, "the cache key: %s", strerror(errno));
	if (wt_jit_cache_check(&st, S_IFREG, "the cache key", err))
		return err->code;
	if (st.st_mode & 077)
		return wt_fail_plain(
		    err, WT_IO,
		    "the cache key is readable by group or others (mode %04o, want 0600)",
		    (unsigned)(st.st_mode & 07777));
	if (st.st_size != WT_JIT_CACHE_SECRET_SIZE ||
	    read(fd, out, WT_JIT_CACHE_SECRET_SIZE) != WT_JIT_CACHE_SECRET_SIZE)
		return wt_fail_plain(err, WT_IO, "the cache key is not %d bytes",
				     WT_JIT_CACHE_SECRET_SIZE);
	return 0;
}

/* Reads the checked secret name beneath dirfd; *missing when there is none. */
static int read_secret(int dirfd, const char *name, uint8_t *out, int *missing, wt_error *err)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), rc;

	*missing = fd < 0 && errno == ENOENT;
	if (*missing)
		return WT_IO;
	if (fd < 0)
		return wt_fail_plain(err, WT_IO, "the cache key %s: %s", name,
				     errno == ELOOP ? "a symlink" : strerror(errno));
	rc = load_secret(fd, out, err);
	close(fd);
	return rc;
}

int wt_jit_cache_secret(const char *path, uint8_t out[WT_JIT_CACHE_SECRET_SIZE], wt_error *err)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int dirfd, missing, rc;

	if (!slash || slash == path || (size_t)(slash - path) >= sizeof dir)
		return wt_fail_plain(err, WT_IO, "the cache key %s: not an absolute path", path);
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	if ((dirfd = wt_jit_cache_dir(AT_FDCWD, dir, 1, err)) < 0)
		return err->code;
	rc = read_secret(dirfd, slash + 1, out, &missing, err);
	if (rc && missing && (rc = make_secret(dirfd, slash + 1, err)) == 0)
		rc = read_secret(dirfd, slash + 1, out, &missing, err);
	close(dirfd);
	return rc;
}

/* path resolved (symlinks, `..`), through its nearest existing folder when
 * it does not exist; 0 or -1. */
static int resolve(const char *path, char out[PATH_MAX])
{
	char parent[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (realpath(path, out))
		return 0;
	if ((errno != ENOENT && errno != ENOTDIR) || !slash || !strcmp(slash, "/") ||
	    !strcmp(slash, "/.") || !strcmp(slash, "/.."))
		return -1;
	if (slash == path)
		snprintf(parent, sizeof parent, "/");
	else
		snprintf(parent, sizeof parent, "%.*s", (int)(slash - path), path);
	if (resolve(parent, out) != 0)
		return -1;
	size_t n = strlen(out);
	int w = snprintf(out + n, PATH_MAX - n, "%s%s", n == 1 ? "" : "/", slash + 1);
	return w >= 0 && (size_t)w < PATH_MAX - n ? 0 : -1;
}

/* 1 when the resolved path outer is inner or one of its folders. */
static int contains(const char *outer, const char *inner)
{
	size_t n = strlen(outer);
	return strcmp(outer, "/") == 0 ||
	       (strncmp(outer, inner, n) == 0 && (inner[n] == '\0' || inner[n] == '/'));
}

int wt_jit_cache_exposed(const char *host_path, const char *dir, const char *key)
{
	char m[PATH_MAX], d[PATH_MAX], k[PATH_MAX];
	const char *slash = strrchr(key, '/');

	if (resolve(host_path, m) != 0)
		return 1; /* cannot tell: keep the cache out of it */
	if (resolve(dir, d) != 0 || !slash || slash == key)
		return 1;
	snprintf(k, sizeof k, "%.*s", (int)(slash - key), key);
	char kd[PATH_MAX];
	if (resolve(k, kd) != 0)
		return 1;
	return contains(m, d) || contains(d, m) || contains(m, kd) || contains(kd, m);
}
