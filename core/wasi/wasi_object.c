/* wasi_object.c: a path call's name -> the object it reaches (links followed in the guest's
 * namespace), and the guarded places of the mounts that no call may remove, replace or see. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overlay_wasi.h"
#include "wasi_impl.h"

/* The walk's state: done is a canonical guest path with no symlink on
 * the way; rest is still to walk. */
typedef struct objwalk {
	char done[WT_PATH_MAX + 1];
	size_t dlen;
	wt_path_rest rest;
} objwalk;

/* What rel of mount m is, not following a final symlink (a contained
 * mount: its merged view); a symlink's text into link. */
static int lstat_in(wt_wasi *w, int m, const char *rel, wt_hstat *st, char *link)
{
	const wt_wmount *mt = &w->mounts[m];

	if (mt->ovl)
		return wt_overlay_lstat(mt->ovl, rel, st, link);
	return wt_host_lstat(w->host, mt->root, rel, st, link, WT_PATH_MAX);
}

/* 1 when mount m answers rel without a symlink on the way (cheap). */
static int plain_in(wt_wasi *w, int m, const char *rel, int follow)
{
	const wt_wmount *mt = &w->mounts[m];

	if (mt->ovl && !wt_overlay_empty(mt->ovl))
		return 0;
	return wt_host_plain(w->host, mt->root, rel, follow);
}

static int is_mount_root(const wt_wasi *w, const char *p, size_t len)
{
	for (int i = 0; i < w->nmounts; i++)
		if (w->mounts[i].guest_len == len && memcmp(w->mounts[i].guest, p, len) == 0)
			return 1;
	return 0;
}

/* `..` from a link's text: one component up, never out of a mount's root
 * (as the host refuses a link that climbs out of its mount). */
static int walk_up(const wt_wasi *w, objwalk *x)
{
	char *slash;

	if (x->dlen <= 1 || is_mount_root(w, x->done, x->dlen))
		return WT_ENOTCAPABLE;
	slash = strrchr(x->done, '/');
	x->dlen = slash == x->done ? 1 : (size_t)(slash - x->done);
	x->done[x->dlen] = '\0';
	return 0;
}

static int walk_down(objwalk *x, const char *name, size_t n)
{
	size_t need = x->dlen + (x->dlen > 1) + n;

	if (need > WT_PATH_MAX)
		return WT_ENAMETOOLONG;
	if (x->dlen > 1)
		x->done[x->dlen++] = '/';
	memcpy(x->done + x->dlen, name, n);
	x->dlen = need;
	x->done[need] = '\0';
	return 0;
}

/* One component: `.` stays, `..` climbs, a name goes down; a symlink met
 * (and a final one when follow) is replaced by its text. *missing when
 * the name does not exist: nothing below it can be a link. */
static int walk_step(wt_wasi *w, objwalk *x, const char *name, size_t n, int last, int follow,
		     int *missing)
{
	char text[WT_PATH_MAX + 1];
	size_t keep = x->dlen;
	wt_hstat st;
	int m, e;

	if (n == 1 && name[0] == '.')
		return 0;
	if (n == 2 && name[0] == '.' && name[1] == '.')
		return walk_up(w, x);
	if ((e = walk_down(x, name, n)) || (last && !follow) || *missing ||
	    is_mount_root(w, x->done, x->dlen))
		return e;
	m = wt_wasi_mount_of(w, x->done, x->dlen);
	if (m < 0)
		return WT_ENOENT;
	if (lstat_in(w, m, x->done + wt_path_rel_offset(w->mounts[m].guest_len, x->dlen), &st,
		     text) != 0) {
		*missing = 1;
		return 0;
	}
	if (st.type != WT_FT_SYMBOLIC_LINK)
		return 0;
	x->dlen = keep;
	x->done[keep] = '\0';
	return wt_path_splice(&x->rest, text);
}

/* Walks the canonical name[0..len) of mount m from the mount's root. */
static int walk(wt_wasi *w, objwalk *x, int m, const char *name, size_t len, int follow)
{
	size_t off = wt_path_rel_offset(w->mounts[m].guest_len, len);
	int missing = 0, last, e = 0;

	memcpy(x->done, w->mounts[m].guest, w->mounts[m].guest_len + 1);
	x->dlen = w->mounts[m].guest_len;
	wt_path_rest_init(&x->rest, name + off, len - off);
	while (e == 0 && x->rest.pos < x->rest.len) {
		const char *comp;
		size_t n = wt_path_rest_next(&x->rest, &comp, &last);

		if (n > 0)
			e = walk_step(w, x, comp, n, last, follow, &missing);
	}
	return e;
}

/* The guard of mount m holding rel (at or below its place) of kind, or NULL. */
static const wt_guard *guard_over(const wt_wmount *mt, const char *rel, size_t len, int kind)
{
	for (int i = 0; i < mt->nguards; i++) {
		const wt_guard *g = &mt->guards[i];

		if (g->kind == kind && len >= g->len && memcmp(rel, g->rel, g->len) == 0 &&
		    (len == g->len || rel[g->len] == '/'))
			return g;
	}
	return NULL;
}

/* Sets path which of c to the object at the canonical guest path p: its
 * mount (a folder that is also another mount's host folder counts as
 * that mount), the part below the root, the host path. */
static int set_object(wt_gcall *c, int which, const char *p, size_t len)
{
	wt_wasi *w = c->w;
	char *obj = which == 1 ? w->obj1 : w->obj2, *rel = which == 1 ? w->rel1 : w->rel2;
	char *host = which == 1 ? w->host1 : w->host2;
	int m = wt_wasi_mount_of(w, p, len);
	size_t off = wt_path_rel_offset(w->mounts[m].guest_len, len);
	const char *r = off < len ? p + off : ".";
	size_t rlen = off < len ? len - off : 1;
	const wt_guard *g = guard_over(&w->mounts[m], r, rlen, WT_GUARD_ALIAS);
	const char *name = which == 1 ? c->ev.path : c->ev.path2;

	if (g) { /* the same folder, reached through the mount that holds it */
		const wt_wmount *to = &w->mounts[g->mount];
		size_t below = rlen - g->len;

		if (to->guest_len + below > WT_PATH_MAX)
			return WT_ENAMETOOLONG;
		memmove(obj + to->guest_len, r + g->len, below);
		memcpy(obj, to->guest, to->guest_len);
		len = to->guest_len + below;
		if (len > 1 && obj[0] == '/' && obj[1] == '/')
			memmove(obj, obj + 1, len--);
		obj[len] = '\0';
		return set_object(c, which, obj, len);
	}
	if (p != obj)
		memmove(obj, p, len + 1);
	memmove(rel, off < len ? obj + off : ".", rlen + 1);
	snprintf(host, sizeof w->host1, "%s/%s", w->mounts[m].host, rel);
	if (which == 1) {
		c->m1 = m, c->rel1 = rel, c->ev.host_path = host;
		c->ro1 = c->ro1 || w->mounts[m].readonly;
		if (len != c->ev.path_len || memcmp(obj, name, len) != 0)
			c->ev.obj_path = obj, c->ev.obj_path_len = (uint32_t)len;
	} else {
		c->m2 = m, c->rel2 = rel, c->ev.host_path2 = host;
		c->ro2 = c->ro2 || w->mounts[m].readonly;
		if (len != c->ev.path2_len || memcmp(obj, name, len) != 0)
			c->ev.obj_path2 = obj, c->ev.obj_path2_len = (uint32_t)len;
	}
	return 0;
}

/* Resolves path which of c (decoded by wt_gate_path) to its object. */
static int resolve(wt_gcall *c, int which, int follow)
{
	wt_wasi *w = c->w;
	int m = which == 1 ? c->m1 : c->m2;
	const char *name = which == 1 ? c->ev.path : c->ev.path2;
	size_t len = which == 1 ? c->ev.path_len : c->ev.path2_len;
	objwalk *x;
	int e;

	if (plain_in(w, m, which == 1 ? c->rel1 : c->rel2, follow)) {
		const wt_wmount *mt = &w->mounts[m];
		const char *rel = which == 1 ? c->rel1 : c->rel2;

		if (!guard_over(mt, rel, strlen(rel), WT_GUARD_ALIAS))
			return 0; /* the object is the name: the gate set it all */
		return set_object(c, which, name, len);
	}
	if (!(x = malloc(sizeof *x)))
		return WT_ENOMEM;
	e = walk(w, x, m, name, len, follow);
	if (e == 0)
		e = set_object(c, which, x->done, x->dlen);
	free(x);
	return e;
}

/* Whether the call follows a final symlink of its first path. */
static int follows(const wt_gcall *c)
{
	int flag = !!(c->ev.flags & (WT_LOOKUP_SYMLINK_FOLLOW << 16));

	switch (c->ev.call) {
	case WT_WASI_path_open:
	case WT_WASI_path_link:
		return flag;
	case WT_WASI_path_filestat_get:
	case WT_WASI_path_filestat_set_times:
		return flag || c->dir1;
	default:
		return 0;
	}
}

/* 1 when the call makes a new entry at path which; 2: it removes or
 * replaces the entry there; 0: it only looks or opens. */
static int changes_entry(const wt_gcall *c, int which)
{
	switch (c->ev.call) {
	case WT_WASI_path_open:
		return (c->ev.flags & WT_OF_CREAT) ? 1 : 0;
	case WT_WASI_path_create_directory:
	case WT_WASI_path_symlink:
		return 1;
	case WT_WASI_path_link:
		return which == 2;
	case WT_WASI_path_rename:
	case WT_WASI_path_unlink_file:
	case WT_WASI_path_remove_directory:
		return 2;
	default:
		return 0;
	}
}

/* 1 when rel of mount m is the mount's root, a guarded place, or a folder
 * on the way to one. */
static int holds_guard(const wt_wmount *mt, const char *rel)
{
	size_t len = strlen(rel);

	if (strcmp(rel, ".") == 0)
		return 1;
	for (int i = 0; i < mt->nguards; i++) {
		const wt_guard *g = &mt->guards[i];

		if (g->len >= len && memcmp(g->rel, rel, len) == 0 &&
		    (g->len == len || g->rel[len] == '/'))
			return 1;
	}
	return 0;
}

/* The guards' answer for path which: a policy file is not there for the
 * module (ENOENT; EACCES to make one), and no mount root, mount point,
 * policy file or folder holding one is removed or replaced (EBUSY). */
static int guard(const wt_gcall *c, int which)
{
	const wt_wmount *mt = &c->w->mounts[which == 1 ? c->m1 : c->m2];
	const char *rel = which == 1 ? c->rel1 : c->rel2;
	int change = changes_entry(c, which);

	if (guard_over(mt, rel, strlen(rel), WT_GUARD_POLICY))
		return change == 1 || (change == 2 && which == 2) ? WT_EACCES : WT_ENOENT;
	if (change == 2 && holds_guard(mt, rel))
		return WT_EBUSY;
	return 0;
}

int wt_wasi_objects(wt_gcall *c)
{
	int two = c->ev.call == WT_WASI_path_rename || c->ev.call == WT_WASI_path_link;
	int e;

	c->ro1 = c->w->mounts[c->m1].readonly;
	if ((e = resolve(c, 1, follows(c))) || (e = guard(c, 1)))
		return e;
	if (!two)
		return 0;
	c->ro2 = c->w->mounts[c->m2].readonly;
	if ((e = resolve(c, 2, 0)) || (e = guard(c, 2)))
		return e;
	return 0;
}

int wt_wasi_hidden_entry(const wt_wasi *w, const wt_fdent *f, const char *name, size_t n)
{
	const wt_wmount *mt;
	size_t off, dlen;

	if (f->mount < 0 || !f->path || !w->mounts[f->mount].npolicy)
		return 0;
	mt = &w->mounts[f->mount];
	off = wt_path_rel_offset(mt->guest_len, f->path_len);
	dlen = off < f->path_len ? f->path_len - off : 0;
	for (int i = 0; i < mt->nguards; i++) {
		const wt_guard *g = &mt->guards[i];

		if (g->kind == WT_GUARD_POLICY && g->len == (dlen ? dlen + 1 : 0) + n &&
		    (!dlen || (memcmp(g->rel, f->path + off, dlen) == 0 && g->rel[dlen] == '/')) &&
		    memcmp(g->rel + (dlen ? dlen + 1 : 0), name, n) == 0)
			return 1;
	}
	return 0;
}

int wt_wasi_stays_inside(wt_wasi *w, int m, const char *path, size_t len)
{
	objwalk *x = malloc(sizeof *x);
	int e;

	if (!x)
		return WT_ENOMEM;
	e = walk(w, x, m, path, len, 1);
	free(x);
	return e == WT_ENOTCAPABLE ? e : 0;
}
