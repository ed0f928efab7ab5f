/* overlay_copy.c: copy-up: host entries into the upper layer before the guest changes them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "overlay_impl.h"
#include "wasi_abi.h"

enum { MAX_DEPTH = 512, CHUNK = 65536 };

void wt_ovl_see(wt_overlay *ov, const char *rel)
{
	wt_ovnode *nd;
	wt_hstat st;

	if (wt_ovmap_get(&ov->seen, rel, strlen(rel)) || wt_ovl_lower_lstat(ov, rel, &st) != 0)
		return;
	if (!(nd = wt_ovmap_add(&ov->seen, rel, strlen(rel))))
		return;
	nd->kind = st.type;
	nd->size = st.size;
	nd->mtim = st.mtim;
}

/* Opens the upper folder holding rel; *last points at rel's last name. */
static int upper_parent(wt_overlay *ov, const char *rel, int *dirfd, const char **last)
{
	char parent[WT_PATH_MAX + 1];
	const char *slash = strrchr(rel, '/');

	*last = slash ? slash + 1 : rel;
	wt_ovl_dirname(rel, parent);
	return wt_host_open(ov->h, ov->upper, parent, O_PATH | O_DIRECTORY, 0, 0, dirfd);
}

/* Makes the upper folder rel as a copy of the host folder (mode, times). */
static int make_dir(wt_overlay *ov, const char *rel, const char *origin)
{
	const char *last;
	wt_ovnode *nd;
	struct stat s;
	int dirfd, rc, lfd;

	if ((rc = upper_parent(ov, rel, &dirfd, &last)))
		return wt_wasi_errno(rc);
	s.st_mode = 0755;
	if (origin &&
	    wt_host_open(ov->h, ov->lower, origin, O_PATH | O_DIRECTORY, 0, 0, &lfd) == 0) {
		fstat(lfd, &s);
		close(lfd);
	}
	rc = mkdirat(dirfd, last, (s.st_mode & 07777) | 0700) == 0 || errno == EEXIST ? 0 : -errno;
	close(dirfd);
	if (rc)
		return wt_wasi_errno(rc);
	if (!(nd = wt_ovmap_add(&ov->nodes, rel, strlen(rel))))
		return WT_ENOMEM;
	nd->kind = WT_OVN_DIR;
	return wt_ovnode_set_origin(nd, origin) ? WT_ENOMEM : 0;
}

int wt_ovl_up_dirs(wt_overlay *ov, const char *rel)
{
	size_t len = strlen(rel);
	char buf[WT_PATH_MAX + 1];
	wt_hstat st;

	if (strcmp(rel, ".") == 0)
		return 0;
	for (size_t i = 1; i <= len; i++) {
		const wt_ovnode *nd;
		int rc, e;

		if (i < len && rel[i] != '/')
			continue;
		memcpy(buf, rel, i);
		buf[i] = '\0';
		if ((nd = wt_ovmap_get(&ov->nodes, buf, i))) {
			if (nd->kind == WT_OVN_DIR)
				continue;
			return nd->kind == WT_OVN_WHITEOUT ? WT_ENOENT : WT_ENOTDIR;
		}
		if ((rc = wt_ovl_lower_lstat(ov, buf, &st)))
			return wt_wasi_errno(rc);
		if (st.type != WT_FT_DIRECTORY)
			return WT_ENOTDIR;
		wt_ovl_see(ov, buf);
		if ((e = make_dir(ov, buf, buf)))
			return e;
	}
	return 0;
}

/* Copies the bytes of in to out, hashing them into ctx unless NULL. 0 or -errno. */
static int copy_bytes(int in, int out, struct sha256_ctx *ctx)
{
	char *buf = malloc(CHUNK);
	ssize_t n;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	while (rc == 0 && (n = read(in, buf, CHUNK)) != 0) {
		if (n < 0) {
			rc = errno == EINTR ? 0 : -errno;
			continue;
		}
		if (ctx)
			sha256_update(ctx, (size_t)n, (const uint8_t *)buf);
		for (ssize_t off = 0, w; rc == 0 && off<n; off += w> 0 ? w : 0)
			if ((w = write(out, buf + off, (size_t)(n - off))) < 0 && errno != EINTR)
				rc = -errno;
	}
	free(buf);
	return rc;
}

/* Copies in to out (nothing when empty) and, the first time the run
 * shadows this host file, keeps the SHA-256 of its bytes in the seen
 * table: of the bytes copied, or read for the hash alone when empty. */
static int copy_hashed(wt_overlay *ov, const char *rel, int in, int out, int empty)
{
	wt_ovnode *seen = wt_ovmap_get(&ov->seen, rel, strlen(rel));
	struct sha256_ctx ctx;
	uint64_t size;
	int rc;

	if (!seen || seen->kind != WT_FT_REGULAR_FILE || seen->hashed)
		return empty ? 0 : copy_bytes(in, out, NULL);
	if (empty) {
		rc = -wt_sha256_fd(in, seen->sha, &size);
	} else {
		sha256_init(&ctx);
		if ((rc = copy_bytes(in, out, &ctx)) == 0)
			sha256_digest(&ctx, WT_SHA256_SIZE, seen->sha);
	}
	seen->hashed = rc == 0;
	return rc;
}

/* A regular file: its bytes (unless empty), mode and times. */
static int copy_file(wt_overlay *ov, const char *rel, int empty)
{
	struct timespec t[2];
	const char *last;
	struct stat s;
	int in, out = -1, dirfd, rc;

	if ((rc = wt_host_open(ov->h, ov->lower, rel, O_RDONLY, 0, 0, &in)))
		return wt_wasi_errno(rc);
	if (fstat(in, &s) != 0 || (rc = upper_parent(ov, rel, &dirfd, &last))) {
		close(in);
		return rc ? wt_wasi_errno(rc) : WT_EIO;
	}
	out = openat(dirfd, last, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     (s.st_mode & 07777) | 0600);
	close(dirfd);
	rc = out < 0 ? -errno : copy_hashed(ov, rel, in, out, empty);
	if (out >= 0) {
		t[0] = s.st_atim, t[1] = s.st_mtim;
		fchmod(out, s.st_mode & 07777);
		futimens(out, t);
		close(out);
	}
	close(in);
	return rc ? wt_wasi_errno(rc) : 0;
}

/* A symlink with the same text. */
static int copy_link(wt_overlay *ov, const char *rel)
{
	char text[WT_PATH_MAX + 1];
	const char *last;
	wt_hstat st;
	int dirfd, rc = wt_ovl_lstat(ov, rel, &st, text);

	if (rc || (rc = upper_parent(ov, rel, &dirfd, &last)))
		return wt_wasi_errno(rc);
	rc = wt_host_symlinkat(text, dirfd, last);
	close(dirfd);
	return rc ? wt_wasi_errno(rc) : 0;
}

static int add_node(wt_overlay *ov, const char *rel, uint8_t kind)
{
	wt_ovnode *nd = wt_ovmap_add(&ov->nodes, rel, strlen(rel));

	if (!nd)
		return WT_ENOMEM;
	nd->kind = kind;
	return wt_ovnode_set_origin(nd, rel) ? WT_ENOMEM : 0;
}

/* Copies every merged entry below the upper folder rel into it, and
 * makes rel opaque (the host folder then adds nothing). */
static int copy_tree(wt_overlay *ov, const char *rel, int depth)
{
	char child[WT_PATH_MAX + 1];
	wt_ovdir *d = NULL;
	wt_ovnode *nd;
	int e;

	if (depth > MAX_DEPTH)
		return WT_ELOOP;
	if ((e = wt_ovl_list(ov, rel, &d)))
		return e;
	for (size_t i = 0; e == 0 && i < d->n; i++) {
		int n;

		if (strcmp(d->e[i].name, ".") == 0 || strcmp(d->e[i].name, "..") == 0)
			continue;
		n = snprintf(child, sizeof child, "%s/%s", rel, d->e[i].name);

		if (n < 0 || (size_t)n >= sizeof child)
			e = WT_ENAMETOOLONG;
		else if (d->e[i].type == WT_FT_DIRECTORY)
			e = (e = wt_ovl_up_dirs(ov, child)) ? e : copy_tree(ov, child, depth + 1);
		else
			e = wt_ovl_copy_up(ov, child, WT_OVL_FULL);
	}
	wt_ovl_dir_free(d);
	if (e == 0 && (nd = wt_ovmap_get(&ov->nodes, rel, strlen(rel)))) {
		/* whiteouts below are covered by the opaque folder now */
		wt_ovmap_drop_whiteouts(&ov->nodes, rel, strlen(rel));
		nd->opaque = 1;
	}
	return e;
}

int wt_ovl_copy_up(wt_overlay *ov, const char *rel, int how)
{
	char parent[WT_PATH_MAX + 1];
	wt_hstat st;
	int e, rc;

	if (strcmp(rel, ".") == 0)
		return how == WT_OVL_DEEP ? copy_tree(ov, rel, 0) : 0;
	if (wt_ovl_layer_of(ov, rel) == WT_OVL_UPPER) {
		const wt_ovnode *nd = wt_ovmap_get(&ov->nodes, rel, strlen(rel));
		return how == WT_OVL_DEEP && nd && nd->kind == WT_OVN_DIR ? copy_tree(ov, rel, 0)
									  : 0;
	}
	if ((rc = wt_ovl_lower_lstat(ov, rel, &st)))
		return rc == -ENOENT ? 0 : wt_wasi_errno(rc);
	wt_ovl_dirname(rel, parent);
	if ((e = wt_ovl_up_dirs(ov, parent)))
		return e;
	wt_ovl_see(ov, rel);
	switch (st.type) {
	case WT_FT_DIRECTORY:
		if ((e = wt_ovl_up_dirs(ov, rel)))
			return e;
		return how == WT_OVL_DEEP ? copy_tree(ov, rel, 0) : 0;
	case WT_FT_REGULAR_FILE:
		e = copy_file(ov, rel, how == WT_OVL_EMPTY);
		return e ? e : add_node(ov, rel, WT_OVN_FILE);
	case WT_FT_SYMBOLIC_LINK:
		e = copy_link(ov, rel);
		return e ? e : add_node(ov, rel, WT_OVN_LINK);
	default:
		return WT_EACCES; /* devices, fifos, sockets are not copied */
	}
}

int wt_ovl_rm_tree(int parent, const char *name, int depth)
{
	struct dirent *de;
	struct stat s;
	DIR *d;
	int fd, rc = 0;

	if (fstatat(parent, name, &s, AT_SYMLINK_NOFOLLOW) != 0)
		return -errno;
	if (!S_ISDIR(s.st_mode))
		return unlinkat(parent, name, 0) == 0 ? 0 : -errno;
	if (depth > MAX_DEPTH)
		return -ELOOP;
	if ((fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -errno;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return -errno;
	}
	while (rc == 0 && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rc = wt_ovl_rm_tree(dirfd(d), de->d_name, depth + 1);
	closedir(d);
	if (rc == 0 && unlinkat(parent, name, AT_REMOVEDIR) != 0)
		rc = -errno;
	return rc;
}

int wt_ovl_same_bytes(int a, int b)
{
	char *x = malloc(2 * CHUNK);
	ssize_t n, m;
	int same = 1;

	if (!x)
		return -ENOMEM;
	while (same == 1) {
		n = read(a, x, CHUNK);
		m = n > 0 ? read(b, x + CHUNK, (size_t)n) : read(b, x + CHUNK, 1);
		if (n < 0 || m < 0)
			same = -errno;
		else if (n != m || memcmp(x, x + CHUNK, (size_t)n) != 0)
			same = 0;
		else if (n == 0)
			break;
	}
	free(x);
	return same;
}
