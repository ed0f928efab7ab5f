/* overlay_resolve.c: which layer answers a path in a contained mount; symlinks through both. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "overlay_impl.h"
#include "wasi_abi.h"

int wt_ovl_layer_of(const wt_overlay *ov, const char *rel)
{
	size_t len = strlen(rel);

	if (ov->nodes.n == 0 || strcmp(rel, ".") == 0)
		return WT_OVL_LOWER;
	for (size_t i = 1; i <= len; i++) {
		const wt_ovnode *nd;

		if (i < len && rel[i] != '/')
			continue;
		if (!(nd = wt_ovmap_get(&ov->nodes, rel, i)))
			return WT_OVL_LOWER; /* no node: nothing deeper either */
		if (nd->kind != WT_OVN_DIR || nd->opaque)
			return WT_OVL_UPPER; /* the upper layer answers, or says ENOENT/ENOTDIR */
	}
	return WT_OVL_UPPER;
}

int wt_ovl_hidden(const wt_overlay *ov, const char *rel)
{
	size_t len = strlen(rel);

	for (size_t i = 1; i < len; i++) {
		const wt_ovnode *nd;

		if (rel[i] != '/')
			continue;
		if (!(nd = wt_ovmap_get(&ov->nodes, rel, i)))
			return 0;
		if (nd->kind != WT_OVN_DIR || nd->opaque)
			return 1;
	}
	return 0;
}

/* 1 when a node on the way to rel (or rel itself when follow) is a
 * symlink of the upper layer. */
static int upper_link_on_way(const wt_overlay *ov, const char *rel, int follow)
{
	size_t len = strlen(rel);

	for (size_t i = 1; i <= len; i++) {
		const wt_ovnode *nd;

		if (i < len && rel[i] != '/')
			continue;
		if (!(nd = wt_ovmap_get(&ov->nodes, rel, i)))
			return 0;
		if (nd->kind == WT_OVN_LINK)
			return i < len || follow;
		if (nd->kind != WT_OVN_DIR)
			return 0;
	}
	return 0;
}

/* 1 when the host resolves rel without meeting a symlink (a final one
 * only counts when follow), 0 when it meets one or cannot tell. */
static int lower_plain(const wt_overlay *ov, const char *rel, int follow)
{
	struct open_how how;
	long fd;

	if (!follow && !strchr(rel, '/'))
		return 1;
	memset(&how, 0, sizeof how);
	how.flags = O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW);
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, ov->lower, rel, &how, sizeof how);
	if (fd >= 0) {
		close((int)fd);
		return 1;
	}
	return errno == ENOENT || errno == ENOTDIR || errno == EACCES;
}

int wt_ovl_lower_lstat(wt_overlay *ov, const char *rel, wt_hstat *st)
{
	int fd, rc;

	if (wt_ovl_hidden(ov, rel))
		return -ENOENT;
	if ((rc = wt_host_open(ov->h, ov->lower, rel, O_PATH, 0, 0, &fd)))
		return rc;
	rc = wt_host_fstat(ov->h, fd, st);
	close(fd);
	return rc;
}

int wt_ovl_lstat(wt_overlay *ov, const char *rel, wt_hstat *st, char *link)
{
	int layer = wt_ovl_layer_of(ov, rel);

	if (layer == WT_OVL_LOWER && wt_ovl_hidden(ov, rel))
		return -ENOENT;
	return wt_host_lstat(ov->h, layer == WT_OVL_UPPER ? ov->upper : ov->lower, rel, st, link,
			     WT_PATH_MAX);
}

int wt_overlay_lstat(wt_overlay *ov, const char *rel, wt_hstat *st, char *link)
{
	return wt_ovl_lstat(ov, rel, st, link);
}

int wt_overlay_empty(const wt_overlay *ov)
{
	return ov->nodes.n == 0;
}

/* Appends "/" and the n bytes of s to the path in buf (len bytes). */
static int append(char *buf, size_t *len, const char *s, size_t n)
{
	size_t need = *len + (*len ? 1 : 0) + n;

	if (need > WT_PATH_MAX)
		return WT_ENAMETOOLONG;
	if (*len)
		buf[(*len)++] = '/';
	memcpy(buf + *len, s, n);
	*len = need;
	buf[need] = '\0';
	return 0;
}

/* The expansion's state: done is symlink-free; rest still to walk. */
typedef struct expand {
	char done[WT_PATH_MAX + 1];
	size_t dlen;
	wt_path_rest rest;
} expand;

/* One component: `..` pops (never above the root), a symlink is
 * expanded, anything else (a missing name too) is appended. */
static int expand_step(wt_overlay *ov, expand *x, const char *name, size_t n, int last, int follow)
{
	char text[WT_PATH_MAX + 1];
	size_t keep = x->dlen;
	wt_hstat st;
	int e;

	if (n == 1 && name[0] == '.')
		return 0;
	if (n == 2 && name[0] == '.' && name[1] == '.') {
		char *slash;

		if (x->dlen == 0)
			return WT_ENOTCAPABLE;
		slash = strrchr(x->done, '/');
		x->dlen = slash ? (size_t)(slash - x->done) : 0;
		x->done[x->dlen] = '\0';
		return 0;
	}
	if ((e = append(x->done, &x->dlen, name, n)))
		return e;
	if (last && !follow)
		return 0;
	if (wt_ovl_lstat(ov, x->done, &st, text) != 0 || st.type != WT_FT_SYMBOLIC_LINK)
		return 0;
	x->dlen = keep;
	x->done[keep] = '\0';
	return wt_path_splice(&x->rest, text);
}

int wt_ovl_expand(wt_overlay *ov, char *rel, int follow)
{
	expand *x = malloc(sizeof *x);
	int e = 0;

	if (!x)
		return WT_ENOMEM;
	x->dlen = 0, x->done[0] = '\0';
	wt_path_rest_init(&x->rest, rel, strlen(rel));
	while (e == 0 && x->rest.pos < x->rest.len) {
		const char *name;
		int last;
		size_t n = wt_path_rest_next(&x->rest, &name, &last);

		if (n > 0)
			e = expand_step(ov, x, name, n, last, follow);
	}
	if (e == 0)
		memcpy(rel, x->dlen ? x->done : ".", x->dlen ? x->dlen + 1 : 2);
	free(x);
	return e;
}

int wt_ovl_resolve(wt_overlay *ov, char *rel, int follow, int *layer)
{
	int e;

	*layer = wt_ovl_layer_of(ov, rel);
	if (ov->nodes.n == 0)
		return 0; /* nothing held back: the host answers as in a direct run */
	if (*layer == WT_OVL_UPPER && !upper_link_on_way(ov, rel, follow))
		return 0;
	if (*layer == WT_OVL_LOWER && lower_plain(ov, rel, follow))
		return 0;
	if ((e = wt_ovl_expand(ov, rel, follow)))
		return e;
	*layer = wt_ovl_layer_of(ov, rel);
	return 0;
}

void wt_ovl_dirname(const char *rel, char *out)
{
	const char *slash = strrchr(rel, '/');
	size_t n = slash ? (size_t)(slash - rel) : 0;

	if (n == 0) {
		memcpy(out, ".", 2);
		return;
	}
	memcpy(out, rel, n);
	out[n] = '\0';
}
