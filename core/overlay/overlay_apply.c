/* overlay_apply.c: a contained run's held-back changes: the list, and writing them to the host. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "overlay_impl.h"
#include "wasi_abi.h"

static char type_char(uint8_t ft)
{
	return ft == WT_FT_DIRECTORY	   ? 'd'
	       : ft == WT_FT_REGULAR_FILE  ? 'f'
	       : ft == WT_FT_SYMBOLIC_LINK ? 'l'
					   : '?';
}

static char kind_char(uint8_t kind)
{
	return kind == WT_OVN_DIR ? 'd' : kind == WT_OVN_FILE ? 'f' : 'l';
}

/* The guest path of rel in ov (malloc'd). */
static char *guest_path(const wt_overlay *ov, const char *rel)
{
	size_t n = ov->guest_len + strlen(rel) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s%s%s", ov->guest, ov->guest_len > 1 ? "/" : "", rel);
	return p;
}

/* 1 when nd was moved by the rename of its parent folder (its origin is
 * the parent's origin plus its own name). */
static int moved_with_parent(const wt_overlay *ov, const wt_ovnode *nd)
{
	char parent[WT_PATH_MAX + 1];
	const wt_ovnode *pn;
	const char *base = strrchr(nd->key, '/');
	size_t pl;

	if (!base || !nd->origin)
		return 0;
	wt_ovl_dirname(nd->key, parent);
	pn = wt_ovmap_get(&ov->nodes, parent, strlen(parent));
	if (!pn || !pn->origin || strcmp(pn->origin, parent) == 0)
		return 0;
	pl = strlen(pn->origin);
	return strncmp(nd->origin, pn->origin, pl) == 0 && strcmp(nd->origin + pl, base) == 0;
}

static int renamed(const wt_overlay *ov, const wt_ovnode *nd)
{
	return nd->kind != WT_OVN_WHITEOUT && nd->origin && strcmp(nd->origin, nd->key) != 0 &&
	       !moved_with_parent(ov, nd);
}

/* Size of the upper entry at rel, or -1. */
static int64_t upper_size(wt_overlay *ov, const char *rel)
{
	wt_hstat st;
	int fd;

	if (wt_host_open(ov->h, ov->upper, rel, O_PATH, 0, 0, &fd))
		return -1;
	if (wt_host_fstat(ov->h, fd, &st))
		st.size = (uint64_t)-1;
	close(fd);
	return (int64_t)st.size;
}

int wt_ovl_same_as_host(wt_overlay *ov, const char *rel, const char *hrel, uint8_t kind)
{
	char a[WT_PATH_MAX + 1], b[WT_PATH_MAX + 1];
	size_t na = 0, nb = 0;
	int fa, fb, same = 0;

	if (kind == WT_OVN_LINK) {
		if (wt_host_open(ov->h, ov->upper, rel, O_PATH, 0, 0, &fa))
			return 0;
		if (wt_host_open(ov->h, ov->lower, hrel, O_PATH, 0, 0, &fb) == 0) {
			same = !wt_host_readlinkat(fa, "", a, sizeof a, &na) &&
			       !wt_host_readlinkat(fb, "", b, sizeof b, &nb) && na == nb &&
			       memcmp(a, b, na) == 0;
			close(fb);
		}
		close(fa);
		return same;
	}
	if (wt_host_open(ov->h, ov->upper, rel, O_RDONLY, 0, 0, &fa))
		return 0;
	if (wt_host_open(ov->h, ov->lower, hrel, O_RDONLY, 0, 0, &fb) == 0) {
		struct stat sa, sb;
		same = fstat(fa, &sa) == 0 && fstat(fb, &sb) == 0 && S_ISREG(sb.st_mode) &&
		       sa.st_size == sb.st_size && wt_ovl_same_bytes(fa, fb) == 1;
		close(fb);
	}
	close(fa);
	return same;
}

static int push(wt_contain *k, wt_change_kind kind, char type, char *path, char *from, int64_t old,
		int64_t new_size)
{
	wt_change *v = realloc(k->changes, (k->nchanges + 1) * sizeof *v);

	if (!v || !path || (from == NULL && kind == WT_CHANGE_RENAMED)) {
		free(path);
		free(from);
		if (v)
			k->changes = v;
		return -ENOMEM;
	}
	k->changes = v;
	v[k->nchanges++] = (wt_change){kind, type, path, from, NULL, old, new_size};
	return 0;
}

/* The host children of the opaque folder rel that the overlay drops. */
static int opaque_deletions(wt_overlay *ov, const char *rel, wt_contain *k)
{
	char child[WT_PATH_MAX + 1];
	wt_hdirent he;
	wt_hdir *hd;
	int fd, rc, e = 0;

	if (wt_host_open(ov->h, ov->lower, rel, O_RDONLY | O_DIRECTORY, 0, 0, &fd))
		return 0;
	rc = wt_host_dir_open(fd, &hd);
	close(fd);
	if (rc)
		return 0;
	while (e == 0 && wt_host_dir_next(hd, &he) > 0) {
		const wt_ovnode *nd;
		wt_hstat st;
		int n = snprintf(child, sizeof child, "%s/%.*s", rel, (int)he.namelen, he.name);

		if (n < 0 || (size_t)n >= sizeof child || strcmp(he.name, ".") == 0 ||
		    strcmp(he.name, "..") == 0)
			continue;
		nd = wt_ovmap_get(&ov->nodes, child, (size_t)n);
		if (nd && nd->kind != WT_OVN_WHITEOUT)
			continue;
		if (wt_host_open(ov->h, ov->lower, child, O_PATH, 0, 0, &fd) == 0) {
			if (wt_host_fstat(ov->h, fd, &st))
				st.size = 0, st.type = WT_FT_UNKNOWN;
			close(fd);
			e = push(k, WT_CHANGE_DELETED, type_char(st.type), guest_path(ov, child),
				 NULL, st.type == WT_FT_DIRECTORY ? -1 : (int64_t)st.size, -1);
		}
	}
	wt_host_dir_close(hd);
	return e;
}

/* 1 when some renamed node came from rel (its whiteout is the rename's). */
static int consumed(wt_overlay *ov, wt_ovnode **v, size_t n, const char *rel)
{
	for (size_t i = 0; i < n; i++)
		if (v[i]->origin && strcmp(v[i]->origin, rel) == 0 && renamed(ov, v[i]))
			return 1;
	return 0;
}

/* The change (if any) one node stands for. */
static int node_change_of(wt_overlay *ov, wt_ovnode **v, size_t n, const wt_ovnode *nd,
			  wt_contain *k)
{
	const wt_ovnode *seen = wt_ovmap_get(&ov->seen, nd->key, nd->len);
	int had = seen && !wt_ovl_hidden(ov, nd->key);
	int64_t size = nd->kind == WT_OVN_DIR ? -1 : upper_size(ov, nd->key);
	int64_t old = had && seen->kind != WT_FT_DIRECTORY ? (int64_t)seen->size : -1;
	char t = kind_char(nd->kind);

	if (nd->kind == WT_OVN_WHITEOUT) {
		if (!had || consumed(ov, v, n, nd->key))
			return 0;
		return push(k, WT_CHANGE_DELETED, type_char(seen->kind), guest_path(ov, nd->key),
			    NULL, old, -1);
	}
	if (renamed(ov, nd))
		return push(k, WT_CHANGE_RENAMED, t, guest_path(ov, nd->key),
			    guest_path(ov, nd->origin), -1, size);
	if (nd->kind == WT_OVN_DIR) {
		if (had && seen->kind == WT_FT_DIRECTORY && nd->opaque)
			return opaque_deletions(ov, nd->key, k);
		if (had && seen->kind == WT_FT_DIRECTORY)
			return nd->times ? push(k, WT_CHANGE_TIMES, t, guest_path(ov, nd->key),
						NULL, -1, -1)
					 : 0;
		return moved_with_parent(ov, nd)
			   ? 0
			   : push(k, WT_CHANGE_CREATED, t, guest_path(ov, nd->key), NULL, -1, -1);
	}
	if (moved_with_parent(ov, nd)) {
		if (wt_ovl_same_as_host(ov, nd->key, nd->origin, nd->kind))
			return 0;
		return push(k, WT_CHANGE_MODIFIED, t, guest_path(ov, nd->key), NULL, -1, size);
	}
	if (!had)
		return push(k, WT_CHANGE_CREATED, t, guest_path(ov, nd->key), NULL, -1, size);
	if (wt_ovl_same_as_host(ov, nd->key, nd->key, nd->kind))
		return nd->times
			   ? push(k, WT_CHANGE_TIMES, t, guest_path(ov, nd->key), NULL, -1, -1)
			   : 0; /* opened for writing, or rewritten with the same bytes */
	return push(k, WT_CHANGE_MODIFIED, t, guest_path(ov, nd->key), NULL, old, size);
}

/* The text of the upper symlink at rel (malloc'd), or NULL. */
static char *link_text(wt_overlay *ov, const char *rel)
{
	char buf[WT_PATH_MAX + 1];
	size_t len = 0;
	int fd, rc;

	if (wt_host_open(ov->h, ov->upper, rel, O_PATH, 0, 0, &fd))
		return NULL;
	rc = wt_host_readlinkat(fd, "", buf, sizeof buf, &len);
	close(fd);
	return rc ? NULL : strndup(buf, len);
}

/* node_change_of, and a symlink's change carries its text (the person
 * deciding whether to apply must see where a new link points). */
static int node_change(wt_overlay *ov, wt_ovnode **v, size_t n, const wt_ovnode *nd, wt_contain *k)
{
	size_t before = k->nchanges;
	int e = node_change_of(ov, v, n, nd, k);

	if (e == 0 && nd->kind == WT_OVN_LINK && k->nchanges > before)
		k->changes[k->nchanges - 1].target = link_text(ov, nd->key);
	return e;
}

int wt_overlay_changes(wt_contain *k, const wt_change **out, size_t *n)
{
	int e = 0;

	for (size_t i = 0; i < k->nchanges; i++) {
		free(k->changes[i].path);
		free(k->changes[i].from);
		free(k->changes[i].target);
	}
	k->nchanges = 0;
	for (int m = 0; e == 0 && m < k->nov; m++) {
		wt_overlay *ov = k->ov[m];
		wt_ovnode **v;
		size_t nv;

		if (!ov)
			continue;
		if (!(v = wt_ovmap_sorted(&ov->nodes, &nv)))
			return -ENOMEM;
		for (size_t i = 0; e == 0 && i < nv; i++)
			e = node_change(ov, v, nv, v[i], k);
		free(v);
	}
	*out = k->changes;
	*n = k->nchanges;
	return e;
}

static void print_size(FILE *f, int64_t old, int64_t new_size)
{
	if (old >= 0 && new_size >= 0)
		fprintf(f, " (%lld -> %lld bytes)", (long long)old, (long long)new_size);
	else if (new_size >= 0)
		fprintf(f, " (%lld bytes)", (long long)new_size);
	else if (old >= 0)
		fprintf(f, " (%lld bytes)", (long long)old);
}

int wt_overlay_print_changes(wt_contain *k, FILE *f)
{
	static const char *const verbs[] = {"created", "modified", "deleted", "renamed",
					    "set-times"};
	const wt_change *v;
	size_t n;
	int rc = wt_overlay_changes(k, &v, &n);

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const char *slash = v[i].type == 'd' ? "/" : "";

		wt_escape_fprintf(f, "  %-8s ", verbs[v[i].kind]);
		if (v[i].kind == WT_CHANGE_RENAMED)
			wt_escape_fprintf(f, "%s%s -> ", v[i].from, slash);
		wt_escape_fprintf(f, "%s%s%s", v[i].path, slash,
				  v[i].type == 'l' ? " (symlink" : "");
		if (v[i].target)
			wt_escape_fprintf(f, " to %s", v[i].target);
		if (v[i].type == 'l')
			fputc(')', f);
		if (v[i].type != 'l')
			print_size(f, v[i].kind == WT_CHANGE_RENAMED ? -1 : v[i].old_size,
				   v[i].new_size);
		fputc('\n', f);
	}
	if (n == 0)
		fprintf(f, "  no changes\n");
	return (int)n;
}
