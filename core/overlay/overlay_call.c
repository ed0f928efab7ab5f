/* overlay_call.c: the WASI calls of a contained mount: pick the layer, copy up, keep the nodes. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "overlay_impl.h"
#include "wasi_impl.h"

#define WT_WR_OPEN_WRITES (WT_WR_FD_WRITE | WT_WR_FD_ALLOCATE | WT_WR_FD_FILESTAT_SET_SIZE)

/* What prepare learnt for finish. */
typedef struct plan {
	wt_overlay *ov1, *ov2;
	int had1;     /* the merged view showed a host entry at rel1 before the call */
	int whiteout; /* rel1 (creates) was a whiteout before the call */
} plan;

int wt_overlay_attach(wt_wasi *w, wt_contain *k, wt_error *err)
{
	for (int i = 0; i < w->nmounts; i++) {
		wt_wmount *m = &w->mounts[i];
		int rc;

		if (m->readonly)
			continue; /* read-only mounts stay read-only: nothing to hold back */
		if ((rc = wt_overlay_mount(k, i, m->guest, m->host, m->root, &m->ovl)))
			return wt_fail_plain(err, WT_IO, "mount %s: cannot make its overlay: %s",
					     m->guest, strerror(-rc));
	}
	return 0;
}

static wt_overlay *ov_of(const wt_gcall *c, int m)
{
	return m >= 0 ? c->w->mounts[m].ovl : NULL;
}

static int is_path_call(wt_wasi_call call)
{
	return call != WT_WASI_fd_readdir && call != WT_WASI_fd_filestat_set_times;
}

int wt_overlay_wants(const wt_gcall *c)
{
	if (c->in_overlay)
		return 0;
	if (!is_path_call(c->ev.call))
		return c->f && ov_of(c, c->f->mount) != NULL;
	if ((c->m1 >= 0 && c->ro1) || (c->m2 >= 0 && c->ro2))
		return 0; /* EROFS from the call itself */
	return ov_of(c, c->m1) || ov_of(c, c->m2);
}

int wt_overlay_root(const wt_overlay *ov)
{
	return ov->layer;
}

static int follows(const wt_gcall *c)
{
	return !!(c->ev.flags & (WT_LOOKUP_SYMLINK_FOLLOW << 16));
}

/* A read-class call: the layer that answers rel1. */
static int prep_read(wt_overlay *ov, wt_gcall *c, int follow)
{
	int layer, e = wt_ovl_resolve(ov, c->rel1, follow, &layer);

	ov->layer = layer == WT_OVL_UPPER ? ov->upper : ov->lower;
	return e;
}

/* 1 when the merged view shows a host entry at rel (not an upper one). */
static int lower_has(wt_overlay *ov, const char *rel)
{
	wt_hstat st;

	return wt_ovl_layer_of(ov, rel) == WT_OVL_LOWER && wt_ovl_lower_lstat(ov, rel, &st) == 0;
}

/* 1 when the host had an entry at rel that the merged view hides now or
 * that the call at hand replaces (it was seen, and no ancestor hides it). */
static int host_had(wt_overlay *ov, const char *rel)
{
	return wt_ovmap_get(&ov->seen, rel, strlen(rel)) && !wt_ovl_hidden(ov, rel);
}

/* A call that makes a new name at rel (mkdir, symlink, link target):
 * its folder goes up; a name the host shows there is EEXIST. */
static int prep_create(wt_overlay *ov, char *rel, plan *p)
{
	char parent[WT_PATH_MAX + 1];
	const wt_ovnode *nd;
	int e;

	if ((e = wt_ovl_expand(ov, rel, 0)))
		return e;
	wt_ovl_dirname(rel, parent);
	if ((e = wt_ovl_up_dirs(ov, parent)))
		return e;
	if (lower_has(ov, rel))
		return WT_EEXIST;
	nd = wt_ovmap_get(&ov->nodes, rel, strlen(rel));
	p->whiteout = nd && nd->kind == WT_OVN_WHITEOUT;
	ov->layer = ov->upper;
	return 0;
}

static int prep_write_open(wt_overlay *ov, wt_gcall *c)
{
	uint32_t oflags = c->ev.flags & 0xff;
	char parent[WT_PATH_MAX + 1];
	int e;

	ov->layer = ov->upper;
	if (c->dir1 && (oflags & WT_OF_CREAT))
		return 0; /* EISDIR from the call */
	if ((e = wt_ovl_expand(ov, c->rel1, follows(c))))
		return e;
	wt_ovl_dirname(c->rel1, parent);
	if ((e = wt_ovl_up_dirs(ov, parent)))
		return e;
	return wt_ovl_copy_up(ov, c->rel1, (oflags & WT_OF_TRUNC) ? WT_OVL_EMPTY : WT_OVL_FULL);
}

static int prep_open(wt_overlay *ov, wt_gcall *c)
{
	uint32_t oflags = c->ev.flags & 0xff;
	uint64_t base = c->ev.rights_base & c->f->inheriting;

	if (!(oflags & WT_OF_DIRECTORY) &&
	    ((oflags & (WT_OF_CREAT | WT_OF_TRUNC)) || (base & WT_WR_OPEN_WRITES)))
		return prep_write_open(ov, c);
	return prep_read(ov, c, follows(c) || c->dir1);
}

/* rmdir and unlink: the entry goes up empty (the call removes it there);
 * a folder must be empty in the merged view. */
static int prep_remove(wt_overlay *ov, wt_gcall *c, int dir, plan *p)
{
	wt_ovdir *d = NULL;
	wt_hstat st;
	int e;

	ov->layer = ov->upper;
	if ((e = wt_ovl_expand(ov, c->rel1, 0)))
		return e;
	if (wt_ovl_lstat(ov, c->rel1, &st, NULL) != 0)
		return 0; /* ENOENT (or ENOTDIR) from the call */
	if (dir && st.type != WT_FT_DIRECTORY)
		return WT_ENOTDIR; /* never an empty stand-in that the call would leave behind */
	if (dir && strcmp(c->rel1, ".") != 0) {
		if ((e = wt_ovl_list(ov, c->rel1, &d)))
			return e;
		e = wt_ovl_dir_count(d) ? WT_ENOTEMPTY : 0;
		wt_ovl_dir_free(d);
		if (e)
			return e;
	}
	p->had1 = lower_has(ov, c->rel1) || host_had(ov, c->rel1);
	if (st.type == WT_FT_DIRECTORY)
		return wt_ovl_copy_up(ov, c->rel1, WT_OVL_EMPTY);
	return wt_ovl_copy_up(ov, c->rel1,
			      st.type == WT_FT_REGULAR_FILE ? WT_OVL_EMPTY : WT_OVL_FULL);
}

/* rename: the source goes up whole (a folder with its tree), the target
 * too when the host shows one (so the call's own checks see it). */
static int prep_rename(wt_gcall *c, plan *p)
{
	wt_overlay *ov = p->ov1;
	char parent[WT_PATH_MAX + 1];
	int e;

	if (p->ov1 != p->ov2)
		return WT_EXDEV; /* each mount has its own overlay */
	ov->layer = ov->upper;
	if ((e = wt_ovl_expand(ov, c->rel1, 0)) || (e = wt_ovl_expand(ov, c->rel2, 0)))
		return e;
	if (strcmp(c->rel1, ".") == 0 || strcmp(c->rel2, ".") == 0)
		return 0; /* EBUSY/EINVAL... from the call, on the upper root */
	p->had1 = lower_has(ov, c->rel1) || host_had(ov, c->rel1);
	if ((e = wt_ovl_copy_up(ov, c->rel1, WT_OVL_DEEP)))
		return e;
	wt_ovl_dirname(c->rel2, parent);
	if ((e = wt_ovl_up_dirs(ov, parent)))
		return e;
	return wt_ovl_copy_up(ov, c->rel2, WT_OVL_DEEP);
}

static int prep_link(wt_gcall *c, plan *p)
{
	int e;

	if (p->ov1 != p->ov2)
		return WT_EXDEV;
	if ((e = wt_ovl_expand(p->ov1, c->rel1, follows(c))))
		return e;
	if ((e = wt_ovl_copy_up(p->ov1, c->rel1, WT_OVL_FULL)))
		return e;
	return prep_create(p->ov2, c->rel2, p);
}

static int prep_set_times(wt_overlay *ov, wt_gcall *c)
{
	int e;

	ov->layer = ov->upper;
	if ((e = wt_ovl_expand(ov, c->rel1, follows(c) || c->dir1)))
		return e;
	return wt_ovl_copy_up(ov, c->rel1, WT_OVL_FULL);
}

/* The fd's path below its mount root, into rel. */
static int fd_rel(const wt_gcall *c, char *rel)
{
	const wt_wmount *m = &c->w->mounts[c->f->mount];
	size_t off = wt_path_rel_offset(m->guest_len, c->f->path_len);

	if (!c->f->path)
		return WT_EBADF;
	if (off < c->f->path_len)
		memcpy(rel, c->f->path + off, c->f->path_len - off + 1);
	else
		memcpy(rel, ".", 2);
	return 0;
}

/* fd_filestat_set_times on an fd of the host: the file goes up and the
 * fd is switched to the upper copy (same number, same position). */
static int prep_fd_times(wt_overlay *ov, wt_gcall *c)
{
	char rel[WT_PATH_MAX + 1];
	struct stat a, b;
	int layer, fd, nfd, fl, rc, e;

	if ((e = fd_rel(c, rel)) || (e = wt_ovl_resolve(ov, rel, 1, &layer)))
		return e;
	if (fstat(c->f->host, &a) != 0)
		return WT_EBADF;
	if (layer == WT_OVL_UPPER && wt_host_open(ov->h, ov->upper, rel, O_PATH, 0, 1, &fd) == 0) {
		rc = fstat(fd, &b);
		close(fd);
		if (rc == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return 0; /* already the upper file */
	}
	if ((e = wt_ovl_copy_up(ov, rel, WT_OVL_FULL)))
		return e;
	if (wt_ovl_layer_of(ov, rel) != WT_OVL_UPPER)
		return WT_ENOENT; /* the name is gone: nothing to change but the host's file */
	fl = fcntl(c->f->host, F_GETFL);
	fl = S_ISDIR(a.st_mode) ? O_RDONLY | O_DIRECTORY : fl & (O_ACCMODE | O_APPEND | O_NONBLOCK);
	if ((rc = wt_host_open(ov->h, ov->upper, rel, fl, 0, 1, &nfd)))
		return wt_wasi_errno(rc);
	lseek(nfd, lseek(c->f->host, 0, SEEK_CUR), SEEK_SET);
	rc = dup3(nfd, c->f->host, O_CLOEXEC) < 0 ? -errno : 0;
	close(nfd);
	return rc ? wt_wasi_errno(rc) : 0;
}

static int prepare(wt_gcall *c, plan *p)
{
	wt_overlay *ov = p->ov1;

	switch (c->ev.call) {
	case WT_WASI_path_open:
		return prep_open(ov, c);
	case WT_WASI_path_filestat_get:
		return prep_read(ov, c, follows(c) || c->dir1);
	case WT_WASI_path_readlink:
		return prep_read(ov, c, c->dir1);
	case WT_WASI_path_create_directory:
	case WT_WASI_path_symlink:
		return prep_create(ov, c->rel1, p);
	case WT_WASI_path_remove_directory:
		return prep_remove(ov, c, 1, p);
	case WT_WASI_path_unlink_file:
		return prep_remove(ov, c, 0, p);
	case WT_WASI_path_rename:
		return prep_rename(c, p);
	case WT_WASI_path_link:
		return prep_link(c, p);
	case WT_WASI_path_filestat_set_times:
		return prep_set_times(ov, c);
	case WT_WASI_fd_filestat_set_times:
		return prep_fd_times(ov, c);
	default:
		return 0;
	}
}

/* A node for a new name made by the call (no origin: created). */
static void made(wt_overlay *ov, const char *rel, uint8_t kind, int opaque)
{
	wt_ovnode *nd = wt_ovmap_add(&ov->nodes, rel, strlen(rel));

	if (!nd)
		return;
	if (nd->kind == WT_OVN_WHITEOUT || nd->kind == 0)
		wt_ovnode_set_origin(nd, NULL);
	nd->kind = kind;
	nd->opaque = (uint8_t)opaque;
}

/* The entry at rel is gone: a whiteout when the host has one there. */
static void removed(wt_overlay *ov, const char *rel, int had)
{
	wt_ovnode *nd;

	wt_ovmap_drop_under(&ov->nodes, rel, strlen(rel));
	if (!had) {
		wt_ovmap_del(&ov->nodes, rel, strlen(rel));
		return;
	}
	if ((nd = wt_ovmap_add(&ov->nodes, rel, strlen(rel)))) {
		nd->kind = WT_OVN_WHITEOUT;
		nd->opaque = 0;
		wt_ovnode_set_origin(nd, NULL);
	}
}

static void finish_rename(wt_gcall *c, plan *p)
{
	wt_overlay *ov = p->ov1;
	wt_ovnode *nd;

	if (strcmp(c->rel1, c->rel2) == 0)
		return;
	wt_ovmap_move(&ov->nodes, c->rel1, c->rel2);
	if ((nd = wt_ovmap_get(&ov->nodes, c->rel2, strlen(c->rel2))) && nd->kind == WT_OVN_DIR &&
	    host_had(ov, c->rel2))
		nd->opaque = 1;
	removed(ov, c->rel1, p->had1);
}

/* The module set the times of the entry of the call (now in the upper
 * layer): --apply sets them on the host too. */
static void times_set(wt_gcall *c, wt_overlay *ov)
{
	char rel[WT_PATH_MAX + 1];
	wt_ovnode *nd;

	if (c->ev.call == WT_WASI_fd_filestat_set_times
		? fd_rel(c, rel) != 0
		: snprintf(rel, sizeof rel, "%s", c->rel1) < 0)
		return;
	if ((nd = wt_ovmap_get(&ov->nodes, rel, strlen(rel))))
		nd->times = 1;
}

static void finish(wt_gcall *c, plan *p)
{
	wt_overlay *ov = p->ov1;

	switch (c->ev.call) {
	case WT_WASI_path_open:
		if (c->ev.created)
			made(ov, c->rel1, WT_OVN_FILE, 0);
		break;
	case WT_WASI_path_create_directory:
		made(ov, c->rel1, WT_OVN_DIR, p->whiteout);
		break;
	case WT_WASI_path_symlink:
		made(ov, c->rel1, WT_OVN_LINK, 0);
		break;
	case WT_WASI_path_link:
		made(p->ov2, c->rel2, WT_OVN_FILE, 0);
		break;
	case WT_WASI_path_remove_directory:
	case WT_WASI_path_unlink_file:
		removed(ov, c->rel1, p->had1);
		break;
	case WT_WASI_path_rename:
		finish_rename(c, p);
		break;
	case WT_WASI_path_filestat_set_times:
	case WT_WASI_fd_filestat_set_times:
		times_set(c, ov);
		break;
	default:
		break;
	}
}

int wt_overlay_call(wt_gcall *c, const uint64_t *a, wt_gate_step act)
{
	plan p;
	int e;

	memset(&p, 0, sizeof p);
	if (is_path_call(c->ev.call)) {
		p.ov1 = ov_of(c, c->m1);
		p.ov2 = c->m2 >= 0 ? ov_of(c, c->m2) : p.ov1;
	} else {
		p.ov1 = p.ov2 = ov_of(c, c->f->mount);
	}
	if (!p.ov1 || !p.ov2)
		return WT_EXDEV; /* a rename or link between a contained and another mount */
	e = prepare(c, &p);
	if (e == 0) {
		c->in_overlay = 1;
		e = act(c, a);
		c->in_overlay = 0;
		if (e == 0)
			finish(c, &p);
	}
	p.ov1->layer = p.ov1->lower;
	p.ov2->layer = p.ov2->lower;
	return e;
}

/* Copies as much of one entry (header, then name) as fits. */
static uint32_t put_entry(uint8_t *dst, uint32_t room, uint64_t next, const wt_ovent *e)
{
	uint8_t head[WT_DIRENT_SIZE] = {0};
	uint32_t n = room < WT_DIRENT_SIZE ? room : WT_DIRENT_SIZE, m;
	size_t len = strlen(e->name);

	wt_put64(head, next);
	wt_put64(head + 8, e->ino);
	wt_put32(head + 16, (uint32_t)len);
	head[20] = e->type;
	memcpy(dst, head, n);
	m = room - n < len ? room - n : (uint32_t)len;
	memcpy(dst + n, e->name, m);
	return n + m;
}

int wt_overlay_readdir(wt_gcall *c)
{
	wt_overlay *ov = ov_of(c, c->f->mount);
	char rel[WT_PATH_MAX + 1];
	uint32_t used = 0;
	wt_ovdir *d = c->f->ovdir;
	int layer, e;

	if (c->a64 == 0 || !d) { /* a listing is taken at cookie 0 and kept for the next calls */
		wt_ovl_dir_free(d);
		c->f->ovdir = NULL;
		if ((e = fd_rel(c, rel)) || (e = wt_ovl_resolve(ov, rel, 1, &layer)) ||
		    (e = wt_ovl_list(ov, rel, &d)))
			return e;
		c->f->ovdir = d;
	}
	for (uint64_t i = c->a64; i < d->n && used < c->buf_len; i++)
		if (!wt_wasi_hidden_entry(c->w, c->f, d->e[i].name, strlen(d->e[i].name)))
			used += put_entry(c->buf + used, c->buf_len - used, i + 1, &d->e[i]);
	c->ev.done = used;
	wt_put32(c->out, used);
	return 0;
}

void wt_overlay_dir_free(void *d)
{
	wt_ovl_dir_free(d);
}
