/* overlay_write.c: --apply: the held-back changes written to the host, each checked first. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "overlay_impl.h"
#include "wasi_abi.h"

enum { MAX_DEPTH = 512 };

/* One apply pass over one overlay. */
typedef struct applier {
	wt_overlay *ov;
	FILE *report;
	int refused;
	wt_ovmap skip; /* keys left alone (changed on the host) */
} applier;

static void refuse(applier *ap, const char *rel, const char *why)
{
	wt_ovmap_add(&ap->skip, rel, strlen(rel));
	ap->refused++;
	wt_escape_fprintf(ap->report, "wasi-tofu: apply: %s%s%s: %s; left alone\n", ap->ov->guest,
			  ap->ov->guest_len > 1 ? "/" : "", rel, why);
}

/* lstat of the host's entry at rel now: 0, or -errno (-ENOENT). */
static int host_lstat(applier *ap, const char *rel, wt_hstat *st)
{
	int fd, rc = wt_host_open(ap->ov->h, ap->ov->lower, rel, O_PATH, 0, 0, &fd);

	if (rc)
		return rc;
	rc = wt_host_fstat(ap->ov->h, fd, st);
	close(fd);
	return rc;
}

/* 1 when the host file at rel still has the bytes whose hash the run kept. */
static int same_hash(applier *ap, const char *rel, const wt_ovnode *seen)
{
	uint8_t sha[WT_SHA256_SIZE];
	uint64_t size;
	int fd, same;

	if (!seen->hashed || wt_host_open(ap->ov->h, ap->ov->lower, rel, O_RDONLY, 0, 0, &fd))
		return 0;
	same = wt_sha256_fd(fd, sha, &size) == 0 && size == seen->size &&
	       memcmp(sha, seen->sha, WT_SHA256_SIZE) == 0;
	close(fd);
	return same;
}

/* 1 when the host's entry at rel is still the one the run saw: type, then
 * size and mtime, then for a regular file the SHA-256 of its bytes. */
static int unchanged(applier *ap, const char *rel)
{
	const wt_ovnode *seen = wt_ovmap_get(&ap->ov->seen, rel, strlen(rel));
	wt_hstat st;

	if (!seen || host_lstat(ap, rel, &st) != 0 || st.type != seen->kind)
		return 0;
	if (st.type == WT_FT_DIRECTORY)
		return 1;
	if (st.size != seen->size || st.mtim != seen->mtim)
		return 0;
	return st.type != WT_FT_REGULAR_FILE || same_hash(ap, rel, seen);
}

static int had(const applier *ap, const wt_ovnode *nd)
{
	return wt_ovmap_get(&ap->ov->seen, nd->key, nd->len) && !wt_ovl_hidden(ap->ov, nd->key);
}

/* Opens the host folder holding rel; *last points at its name. */
static int host_parent(applier *ap, const char *rel, int *dirfd, const char **last)
{
	char parent[WT_PATH_MAX + 1];
	const char *slash = strrchr(rel, '/');

	*last = slash ? slash + 1 : rel;
	wt_ovl_dirname(rel, parent);
	return wt_host_open(ap->ov->h, ap->ov->lower, parent, O_PATH | O_DIRECTORY, 0, 0, dirfd);
}

static void remove_host(applier *ap, const char *rel, int depth);

/* Removes the host entries inside the folder rel, each one checked first. */
static void remove_children(applier *ap, const char *rel, int depth)
{
	char *child = malloc(WT_PATH_MAX + 1); /* on the heap: this recurses */
	wt_hdirent he;
	wt_hdir *hd = NULL;
	int fd, rc = -ENOMEM;

	if (child &&
	    wt_host_open(ap->ov->h, ap->ov->lower, rel, O_RDONLY | O_DIRECTORY, 0, 0, &fd) == 0) {
		rc = wt_host_dir_open(fd, &hd);
		close(fd);
	}
	while (rc == 0 && wt_host_dir_next(hd, &he) > 0) {
		int n = snprintf(child, WT_PATH_MAX + 1, "%s/%.*s", rel, (int)he.namelen, he.name);

		if (n < 0 || n > WT_PATH_MAX || strcmp(he.name, ".") == 0 ||
		    strcmp(he.name, "..") == 0)
			continue;
		if (unchanged(ap, child))
			remove_host(ap, child, depth + 1);
		else
			refuse(ap, child, "changed on the host since the run saw it");
	}
	if (hd)
		wt_host_dir_close(hd);
	free(child);
}

/* Removes the host entry rel, which the caller checked; a folder's
 * entries are checked and removed one by one first (one that changed on
 * the host keeps its folder). */
static void remove_host(applier *ap, const char *rel, int depth)
{
	const char *last;
	wt_hstat st;
	int dirfd, rc;

	if (host_lstat(ap, rel, &st) != 0)
		return; /* gone already */
	if (st.type == WT_FT_DIRECTORY) {
		if (depth > MAX_DEPTH) {
			refuse(ap, rel, strerror(ELOOP));
			return;
		}
		remove_children(ap, rel, depth);
	}
	if ((rc = host_parent(ap, rel, &dirfd, &last)) == 0) {
		int flags = st.type == WT_FT_DIRECTORY ? AT_REMOVEDIR : 0;
		rc = unlinkat(dirfd, last, flags) ? -errno : 0;
		close(dirfd);
	}
	if (rc && rc != -ENOENT)
		refuse(ap, rel, strerror(-rc));
}

/* The host children of an opaque folder that the overlay does not keep. */
static void clear_opaque(applier *ap, const char *rel)
{
	char child[WT_PATH_MAX + 1];
	wt_hdirent he;
	wt_hdir *hd;
	int fd, rc;

	if (wt_host_open(ap->ov->h, ap->ov->lower, rel, O_RDONLY | O_DIRECTORY, 0, 0, &fd))
		return;
	rc = wt_host_dir_open(fd, &hd);
	close(fd);
	if (rc)
		return;
	while (wt_host_dir_next(hd, &he) > 0) {
		const wt_ovnode *nd;
		int n = snprintf(child, sizeof child, "%s/%.*s", rel, (int)he.namelen, he.name);

		if (n < 0 || (size_t)n >= sizeof child || strcmp(he.name, ".") == 0 ||
		    strcmp(he.name, "..") == 0)
			continue;
		nd = wt_ovmap_get(&ap->ov->nodes, child, (size_t)n);
		if (nd && nd->kind != WT_OVN_WHITEOUT)
			continue;
		if (unchanged(ap, child))
			remove_host(ap, child, 0);
		else
			refuse(ap, child, "changed on the host since the run saw it");
	}
	wt_host_dir_close(hd);
}

/* Pass 1: what the overlay deletes or replaces with another type. */
static void delete_pass(applier *ap, wt_ovnode **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const wt_ovnode *nd = v[i];
		const wt_ovnode *seen = wt_ovmap_get(&ap->ov->seen, nd->key, nd->len);
		int replaced;

		if (!had(ap, nd))
			continue;
		replaced = nd->kind == WT_OVN_WHITEOUT ||
			   (seen->kind == WT_FT_DIRECTORY) != (nd->kind == WT_OVN_DIR);
		if (!replaced && !(nd->kind == WT_OVN_DIR && nd->opaque))
			continue;
		if (!unchanged(ap, nd->key))
			refuse(ap, nd->key, "changed on the host since the run saw it");
		else if (replaced)
			remove_host(ap, nd->key, 0);
		else
			clear_opaque(ap, nd->key);
	}
}

/* 1 when a key on the way to rel (or rel) was left alone. */
static int skipped(const applier *ap, const char *rel)
{
	size_t len = strlen(rel);

	for (size_t i = 1; ap->skip.n && i <= len; i++)
		if ((i == len || rel[i] == '/') && wt_ovmap_get(&ap->skip, rel, i))
			return 1;
	return 0;
}

/* Copies the upper file rel to a temporary name beside the host's, then
 * renames it over the host's name. */
static int write_file(applier *ap, const char *rel)
{
	char tmp[64];
	struct timespec t[2];
	const char *last;
	struct stat s;
	int in, out, dirfd, rc;

	if ((rc = wt_host_open(ap->ov->h, ap->ov->upper, rel, O_RDONLY, 0, 0, &in)))
		return rc;
	if (fstat(in, &s) != 0 || (rc = host_parent(ap, rel, &dirfd, &last))) {
		close(in);
		return rc ? rc : -EIO;
	}
	snprintf(tmp, sizeof tmp, ".wasi-tofu-apply.%ld.%ld", (long)getpid(), (long)s.st_ino);
	out = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	rc = out < 0 ? -errno : 0;
	if (out >= 0) {
		char buf[65536];
		ssize_t k;
		while (rc == 0 && (k = read(in, buf, sizeof buf)) > 0)
			if (write(out, buf, (size_t)k) != k)
				rc = -EIO;
		t[0] = s.st_atim, t[1] = s.st_mtim;
		if (rc == 0 && (fchmod(out, s.st_mode & 07777) || futimens(out, t)))
			rc = -errno;
		close(out);
		if (rc == 0 && renameat(dirfd, tmp, dirfd, last) != 0)
			rc = -errno;
		if (rc)
			unlinkat(dirfd, tmp, 0);
	}
	close(dirfd);
	close(in);
	return rc;
}

static int write_link(applier *ap, const char *rel)
{
	char text[WT_PATH_MAX + 1];
	const char *last;
	size_t n = 0;
	int fd, dirfd, rc;

	if ((rc = wt_host_open(ap->ov->h, ap->ov->upper, rel, O_PATH, 0, 0, &fd)))
		return rc;
	rc = wt_host_readlinkat(fd, "", text, WT_PATH_MAX, &n);
	close(fd);
	text[n] = '\0';
	if (rc || (rc = host_parent(ap, rel, &dirfd, &last)))
		return rc;
	unlinkat(dirfd, last, 0);
	rc = wt_host_symlinkat(text, dirfd, last);
	close(dirfd);
	return rc;
}

static int make_dir(applier *ap, const wt_ovnode *nd)
{
	const char *last;
	wt_hstat st;
	struct stat s;
	int fd, dirfd, rc;

	if (host_lstat(ap, nd->key, &st) == 0)
		return st.type == WT_FT_DIRECTORY ? 0 : -EEXIST;
	if ((rc = wt_host_open(ap->ov->h, ap->ov->upper, nd->key, O_PATH, 0, 0, &fd)))
		return rc;
	rc = fstat(fd, &s) ? -errno : 0;
	close(fd);
	if (rc || (rc = host_parent(ap, nd->key, &dirfd, &last)))
		return rc;
	rc = mkdirat(dirfd, last, s.st_mode & 07777) == 0 ? 0 : -errno;
	close(dirfd);
	return rc;
}

/* Gives the host entry rel the access and modification times of the
 * upper one (the module set them). */
static int copy_times(applier *ap, const char *rel)
{
	struct timespec t[2];
	const char *last;
	struct stat s;
	int fd, dirfd, rc;

	if ((rc = wt_host_open(ap->ov->h, ap->ov->upper, rel, O_PATH, 0, 0, &fd)))
		return rc;
	rc = fstat(fd, &s) ? -errno : 0;
	close(fd);
	if (rc || (rc = host_parent(ap, rel, &dirfd, &last)))
		return rc;
	t[0] = s.st_atim, t[1] = s.st_mtim;
	rc = utimensat(dirfd, last, t, AT_SYMLINK_NOFOLLOW) ? -errno : 0;
	close(dirfd);
	return rc;
}

/* Pass 2: folders, files and links of the upper layer, parents first. */
static void write_pass(applier *ap, wt_ovnode **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const wt_ovnode *nd = v[i];
		wt_hstat st;
		int rc = 0;

		if (nd->kind == WT_OVN_WHITEOUT || skipped(ap, nd->key))
			continue;
		if (nd->kind == WT_OVN_DIR) {
			rc = make_dir(ap, nd);
			if (rc == 0 && nd->times)
				rc = copy_times(ap, nd->key);
		} else if (had(ap, nd)) {
			int same = unchanged(ap, nd->key);
			if (same && wt_ovl_same_as_host(ap->ov, nd->key, nd->key, nd->kind)) {
				rc = nd->times ? copy_times(ap, nd->key) : 0;
				if (rc)
					refuse(ap, nd->key, strerror(-rc));
				continue; /* the same bytes: nothing to write */
			}
			if (!same && host_lstat(ap, nd->key, &st) != -ENOENT) {
				refuse(ap, nd->key, "changed on the host since the run saw it");
				continue;
			}
			rc = nd->kind == WT_OVN_LINK ? write_link(ap, nd->key)
						     : write_file(ap, nd->key);
		} else if (host_lstat(ap, nd->key, &st) == 0) {
			refuse(ap, nd->key, "made on the host since the run started");
			continue;
		} else {
			rc = nd->kind == WT_OVN_LINK ? write_link(ap, nd->key)
						     : write_file(ap, nd->key);
		}
		if (rc)
			refuse(ap, nd->key, strerror(-rc));
	}
}

int wt_overlay_apply(wt_contain *k, FILE *report)
{
	int refused = 0;

	for (int m = 0; m < k->nov; m++) {
		applier ap = {k->ov[m], report, 0, {0}};
		wt_ovnode **v;
		size_t n;

		if (!ap.ov)
			continue;
		if (!(v = wt_ovmap_sorted(&ap.ov->nodes, &n)))
			return -ENOMEM;
		delete_pass(&ap, v, n);
		write_pass(&ap, v, n);
		free(v);
		wt_ovmap_fini(&ap.skip);
		refused += ap.refused;
	}
	return refused;
}
