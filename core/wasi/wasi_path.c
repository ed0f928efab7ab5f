/* wasi_path.c: the WASI path calls: open, stat, mkdir, rmdir, unlink, rename, link, symlink,
 * readlink. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "overlay_wasi.h"
#include "wasi_impl.h"

/* EROFS when path which (1 or 2) is read-only: its name's mount or its
 * object's is (wt_wasi_objects). Every write-class call asks. */
static int readonly(const wt_gcall *c, int which)
{
	return (which == 1 ? c->ro1 : c->ro2) ? WT_EROFS : 0;
}

/* The root a path of mount m resolves under: in a contained mount, the
 * layer its overlay chose for the call in progress. */
static int root_of(const wt_gcall *c, int m)
{
	return c->w->mounts[m].ovl ? wt_overlay_root(c->w->mounts[m].ovl) : c->w->mounts[m].root;
}

/* Opens the folder holding the last component of rel in mount m. rel
 * stays whole (*last points into it). */
static int open_parent(wt_gcall *c, int m, char *rel, int *dir, const char **last)
{
	char *slash = strrchr(rel, '/');
	int rc = wt_host_parent(c->w->host, root_of(c, m), rel, dir, last);

	if (slash)
		*slash = '/';
	return rc ? wt_wasi_errno(rc) : 0;
}

static void close_parent(const wt_gcall *c, int m, int dir)
{
	if (dir != root_of(c, m))
		close(dir);
}

/* Resolves the whole of rel in mount m, following a final symlink, to an
 * O_PATH fd (closed by the caller); a folder only when dir. */
static int open_path(wt_gcall *c, int m, const char *rel, int dir, int *fd)
{
	int rc = wt_host_open(c->w->host, root_of(c, m), rel, O_PATH | (dir ? O_DIRECTORY : 0), 0,
			      1, fd);

	return rc ? wt_wasi_errno(rc) : 0;
}

/* 0 when rel in mount m is a folder (a final symlink followed beneath the
 * mount when follow, else it is no folder), or ENOTDIR, ENOENT ... The
 * check for paths that ended in a slash (wt_gcall.dir1). */
static int is_folder(wt_gcall *c, int m, const char *rel, int follow)
{
	int fd,
	    rc = wt_host_open(c->w->host, root_of(c, m), rel, O_PATH | O_DIRECTORY, 0, follow, &fd);

	if (rc)
		return wt_wasi_errno(rc);
	close(fd);
	return 0;
}

/* 0 when the entry last in folder dir is no symlink, or one whose text
 * may lie at rel of mount m, where it is moved or linked to
 * (wt_wasi_link_ok); else ENOTCAPABLE. A rename or hard link of a symlink
 * keeps its text, so a link made deep inside could otherwise be moved up
 * to point out. */
static int link_stays_inside(wt_gcall *c, int dir, const char *last, int m, const char *rel)
{
	char text[WT_PATH_MAX + 2];
	size_t len;

	if (wt_host_readlinkat(dir, last, text, sizeof text - 1, &len) != 0)
		return 0; /* no symlink (or none at all: the call itself says so) */
	text[len] = '\0';
	return len <= WT_PATH_MAX ? wt_wasi_link_ok(c, m, rel, text) : WT_ENOTCAPABLE;
}

/* Decodes (fd, path, len) as path 1 needing rights; user: its user-facing rights. */
static int dec_path1(wt_gcall *c, uint64_t fd, uint64_t ptr, uint64_t len, uint64_t rights,
		     uint32_t user)
{
	c->ev.rights = user;
	return wt_gate_path(c, 1, fd, ptr, len, rights);
}

int wt_wasi_dec_path_create_directory(wt_gcall *c, const uint64_t *a)
{
	return dec_path1(c, a[0], a[1], a[2], WT_WR_PATH_CREATE_DIRECTORY, WT_RIGHT_CREATE);
}

int wt_wasi_act_path_create_directory(wt_gcall *c, const uint64_t *a)
{
	const char *last;
	int dir, e = readonly(c, 1);

	if (wt_overlay_wants(c))
		return wt_overlay_call(c, a, wt_wasi_act_path_create_directory);
	if (e || (e = open_parent(c, c->m1, c->rel1, &dir, &last)))
		return e;
	e = wt_wasi_errno(wt_host_mkdirat(dir, last));
	close_parent(c, c->m1, dir);
	return e;
}

int wt_wasi_dec_path_filestat_get(wt_gcall *c, const uint64_t *a)
{
	int e = dec_path1(c, a[0], a[2], a[3], WT_WR_PATH_FILESTAT_GET, WT_RIGHT_STAT);

	c->ev.flags = (uint32_t)(a[1] & 0xffff) << 16;
	if (e)
		return e;
	return (c->out = wt_gate_span(c, a[4], WT_FILESTAT_SIZE)) ? 0 : WT_EFAULT;
}

int wt_wasi_act_path_filestat_get(wt_gcall *c, const uint64_t *a)
{
	const char *last;
	wt_hstat st = {0};
	int fd, rc = 0, e;

	if (wt_overlay_wants(c))
		return wt_overlay_call(c, a, wt_wasi_act_path_filestat_get);
	/* Not following first; only a final symlink to follow costs more. A
	 * path that ended in a slash names a folder, following a final link. */
	if (!c->dir1) {
		if ((e = open_parent(c, c->m1, c->rel1, &fd, &last)))
			return e;
		rc = wt_host_statat(fd, last, 0, &st);
		close_parent(c, c->m1, fd);
	}
	if (c->dir1 || (rc == 0 && st.type == WT_FT_SYMBOLIC_LINK &&
			(c->ev.flags & (WT_LOOKUP_SYMLINK_FOLLOW << 16)))) {
		if ((e = open_path(c, c->m1, c->rel1, c->dir1, &fd)))
			return e;
		rc = wt_host_fstat(c->w->host, fd, &st);
		close(fd);
	}
	if (rc)
		return wt_wasi_errno(rc);
	wt_wasi_write_filestat(c->out, &st);
	return 0;
}

int wt_wasi_dec_path_filestat_set_times(wt_gcall *c, const uint64_t *a)
{
	c->ev.flags = (uint32_t)(a[1] & 0xffff) << 16 | (uint16_t)a[6];
	c->a64 = a[4], c->b64 = a[5], c->a32 = (uint16_t)a[6];
	return dec_path1(c, a[0], a[2], a[3], WT_WR_PATH_FILESTAT_SET_TIMES, WT_RIGHT_SET_TIMES);
}

int wt_wasi_act_path_filestat_set_times(wt_gcall *c, const uint64_t *a)
{
	int follow = !!(c->ev.flags & (WT_LOOKUP_SYMLINK_FOLLOW << 16));
	const char *last;
	wt_hstat st = {0};
	int dir, fd, rc, e = readonly(c, 1);

	if (wt_overlay_wants(c))
		return wt_overlay_call(c, a, wt_wasi_act_path_filestat_set_times);
	if (e)
		return e;
	if (!c->dir1) {
		if ((e = open_parent(c, c->m1, c->rel1, &dir, &last)))
			return e;
		rc = wt_host_statat(dir, last, 0, &st);
		if (rc == 0 && !(follow && st.type == WT_FT_SYMBOLIC_LINK))
			rc = wt_host_set_times(dir, last, 0, c->a64, c->b64, (uint16_t)c->a32);
		close_parent(c, c->m1, dir);
		if (rc || !(follow && st.type == WT_FT_SYMBOLIC_LINK))
			return rc ? wt_wasi_errno(rc) : 0;
	}
	/* A final symlink to follow, or a folder named with a slash: resolve
	 * it inside the mount first. */
	if ((e = open_path(c, c->m1, c->rel1, c->dir1, &fd)))
		return e;
	rc = wt_host_set_times(fd, NULL, 0, c->a64, c->b64, (uint16_t)c->a32);
	close(fd);
	return rc ? wt_wasi_errno(rc) : 0;
}

int wt_wasi_dec_path_link(wt_gcall *c, const uint64_t *a)
{
	/* (old_fd, old_flags, old_path, old_len, new_fd, new_path, new_len) */
	int e = dec_path1(c, a[0], a[2], a[3], WT_WR_PATH_LINK_SOURCE, WT_RIGHT_LINK);

	c->ev.flags = (uint32_t)(a[1] & 0xffff) << 16;
	if (e == 0)
		e = wt_gate_path(c, 2, a[4], a[5], a[6], WT_WR_PATH_LINK_TARGET);
	return e;
}

int wt_wasi_act_path_link(wt_gcall *c, const uint64_t *a)
{
	int follow = !!(c->ev.flags & (WT_LOOKUP_SYMLINK_FOLLOW << 16));
	const char *last1 = NULL, *last2;
	int d1 = -1, d2, e, rc;

	if (wt_overlay_wants(c))
		return wt_overlay_call(c, a, wt_wasi_act_path_link);
	if ((e = readonly(c, 1)) || (e = readonly(c, 2)))
		return e;
	if (c->dir1 || c->dir2) {
		e = is_folder(c, c->m1, c->rel1, follow);
		if (e == 0) /* no hard link to a folder */
			return WT_EPERM;
		if (e != WT_ENOTDIR || c->dir1) /* "file/" names no file */
			return e;
		/* "new/" for a file: EEXIST when the name is taken, else ENOENT (Linux) */
		return (e = is_folder(c, c->m2, c->rel2, 0)) == WT_ENOENT ? e : WT_EEXIST;
	}
	if (follow)
		e = open_path(c, c->m1, c->rel1, 0, &d1);
	else
		e = open_parent(c, c->m1, c->rel1, &d1, &last1);
	if (e)
		return e;
	if ((follow || (e = link_stays_inside(c, d1, last1, c->m2, c->rel2)) == 0) &&
	    (e = open_parent(c, c->m2, c->rel2, &d2, &last2)) == 0) {
		rc = wt_host_linkat(d1, last1, d2, last2);
		e = rc ? wt_wasi_errno(rc) : 0;
		close_parent(c, c->m2, d2);
	}
	if (follow)
		close(d1);
	else
		close_parent(c, c->m1, d1);
	return e;
}

/* WASI oflags and fdflags as open(2) flags. */
static int host_flags(uint32_t oflags, uint32_t fdflags, int write)
{
	int fl = (oflags & WT_OF_DIRECTORY) ? O_RDONLY | O_DIRECTORY : write ? O_RDWR : O_RDONLY;

	if (oflags & WT_OF_CREAT)
		fl |= O_CREAT;
	if (oflags & WT_OF_EXCL)
		fl |= O_EXCL;
	if (oflags & WT_OF_TRUNC)
		fl |= O_TRUNC;
	if (fdflags & WT_FDF_APPEND)
		fl |= O_APPEND;
	if (fdflags & WT_FDF_NONBLOCK)
		fl |= O_NONBLOCK;
	if (fdflags & WT_FDF_DSYNC)
		fl |= O_DSYNC;
	if (fdflags & (WT_FDF_SYNC | WT_FDF_RSYNC))
		fl |= O_SYNC;
	return fl;
}

#define WT_WR_OPEN_WRITES (WT_WR_FD_WRITE | WT_WR_FD_ALLOCATE | WT_WR_FD_FILESTAT_SET_SIZE)

/* The user-facing rights of an open. */
static uint32_t open_rights(uint32_t oflags, uint64_t base)
{
	uint32_t r = 0;

	if (base & (WT_WR_FD_READ | WT_WR_FD_READDIR))
		r |= (oflags & WT_OF_DIRECTORY) ? WT_RIGHT_LIST : WT_RIGHT_READ;
	if (base & WT_WR_OPEN_WRITES)
		r |= WT_RIGHT_WRITE;
	if (oflags & WT_OF_CREAT)
		r |= WT_RIGHT_CREATE;
	if (oflags & WT_OF_TRUNC)
		r |= WT_RIGHT_TRUNCATE;
	return r;
}

int wt_wasi_dec_path_open(wt_gcall *c, const uint64_t *a)
{
	uint32_t oflags = (uint16_t)a[4], fdflags = (uint16_t)a[7];
	uint64_t need = WT_WR_PATH_OPEN;
	int e;

	/* (fd, dirflags, path, len, oflags, base, inheriting, fdflags, out) */
	c->ev.flags = oflags | fdflags << 8 | (uint32_t)(a[1] & 0xffff) << 16;
	c->ev.rights_base = a[5];
	c->ev.rights_inheriting = a[6];
	c->ev.rights = open_rights(oflags, a[5]);
	if (oflags & WT_OF_CREAT)
		need |= WT_WR_PATH_CREATE_FILE;
	if (oflags & WT_OF_TRUNC)
		need |= WT_WR_PATH_FILESTAT_SET_SIZE;
	if ((e = wt_gate_path(c, 1, a[0], a[2], a[3], need)))
		return e;
	if ((oflags & ~15u) || (fdflags & ~31u))
		return WT_EINVAL;
	if ((oflags & WT_OF_DIRECTORY) && (oflags & (WT_OF_CREAT | WT_OF_TRUNC)))
		return WT_EINVAL;
	return (c->out = wt_gate_span(c, a[8], 4)) ? 0 : WT_EFAULT;
}

/* Adds the opened host fd to the table with rights no wider than the
 * folder's inheriting rights (and, once its type is known, than the type
 * allows: wt_wasi_fd_type). */
static int add_opened(wt_gcall *c, int host, int is_dir)
{
	const wt_fdent *dir = c->f;
	uint64_t base = c->ev.rights_base & dir->inheriting;
	uint64_t inh = c->ev.rights_inheriting & dir->inheriting;
	wt_fdent *f;
	uint32_t fd;
	int e;

	const char *path = c->ev.obj_path ? c->ev.obj_path : c->ev.path;
	uint32_t len = c->ev.obj_path ? c->ev.obj_path_len : c->ev.path_len;

	if ((e = wt_wasi_add_fd(c->w, host, WT_FT_UNKNOWN, c->m1, path, len, base, inh, &fd)))
		return e;
	f = &c->w->fds.ents[fd];
	f->fdflags = (uint16_t)(c->ev.flags >> 8);
	f->type_known = 0;
	if (is_dir) /* O_DIRECTORY opened a folder: known without a stat */
		wt_wasi_fd_learn_type(f, WT_FT_DIRECTORY);
	c->f = NULL; /* the table may have moved */
	c->ev.new_fd = (int32_t)fd;
	wt_put32(c->out, fd);
	return 0;
}

/* Opens c->rel1 with the open(2) flags fl and sets ev.created. O_CREAT
 * without O_EXCL is first tried as O_CREAT|O_EXCL (success: created) and,
 * when the name exists, again without O_CREAT (not created): no stat and
 * no window between "did it exist" and the open. When the name is gone
 * by the second try (removed meanwhile, or a dangling symlink, which
 * O_EXCL never follows), the open as asked is made last and counts as
 * created. */
static int open_created(wt_gcall *c, int fl, int follow, int *host)
{
	wt_host *h = c->w->host;
	int root = root_of(c, c->m1), rc;

	if (!(fl & O_CREAT) || (fl & O_EXCL)) {
		rc = wt_host_open(h, root, c->rel1, fl, 0666, follow, host);
		c->ev.created = rc == 0 && (fl & O_CREAT);
		return rc;
	}
	rc = wt_host_open(h, root, c->rel1, fl | O_EXCL, 0666, follow, host);
	if (rc != -EEXIST) {
		c->ev.created = rc == 0;
		return rc;
	}
	rc = wt_host_open(h, root, c->rel1, fl & ~O_CREAT, 0666, follow, host);
	if (rc != -ENOENT)
		return rc;
	rc = wt_host_open(h, root, c->rel1, fl, 0666, follow, host);
	c->ev.created = rc == 0;
	return rc;
}

int wt_wasi_act_path_open(wt_gcall *c, const uint64_t *a)
{
	uint32_t oflags = c->ev.flags & 0xff, fdflags = (c->ev.flags >> 8) & 0xff;
	int follow = !!(c->ev.flags & (WT_LOOKUP_SYMLINK_FOLLOW << 16));
	uint64_t base = c->ev.rights_base & c->f->inheriting;
	int write = (base & WT_WR_OPEN_WRITES) || (oflags & WT_OF_TRUNC);
	int dir = (oflags & WT_OF_DIRECTORY) || c->dir1;
	int host, rc, e;

	if (wt_overlay_wants(c))
		return wt_overlay_call(c, a, wt_wasi_act_path_open);
	if (c->ro1 &&
	    ((oflags & (WT_OF_CREAT | WT_OF_TRUNC)) || (c->ev.rights_base & WT_WR_OPEN_WRITES)))
		return WT_EROFS;
	if (c->dir1 && (oflags & WT_OF_CREAT)) /* "x/" cannot be created as a file */
		return WT_EISDIR;
	rc = open_created(c, host_flags(oflags, fdflags, write) | (dir ? O_DIRECTORY : 0), follow,
			  &host);
	if (rc)
		return wt_wasi_errno(rc);
	if (dir && (c->ev.rights_base & WT_WR_FD_WRITE)) { /* a folder is not written to */
		close(host);
		return WT_EISDIR;
	}
	if ((e = add_opened(c, host, dir)))
		close(host);
	return e;
}

int wt_wasi_dec_path_readlink(wt_gcall *c, const uint64_t *a)
{
	int e = dec_path1(c, a[0], a[1], a[2], WT_WR_PATH_READLINK, WT_RIGHT_READLINK);

	if (e)
		return e;
	c->buf_len = (uint32_t)a[4];
	c->ev.size = c->buf_len;
	if (!(c->buf = wt_gate_span(c, a[3], c->buf_len)) || !(c->out = wt_gate_span(c, a[5], 4)))
		return WT_EFAULT;
	return 0;
}

int wt_wasi_act_path_readlink(wt_gcall *c, const uint64_t *a)
{
	const char *last;
	size_t len = 0;
	int dir, rc, e;

	if (wt_overlay_wants(c))
		return wt_overlay_call(c, a, wt_wasi_act_path_readlink);
	if (c->dir1) /* "link/" follows the link: a folder is no symlink */
		return (e = is_folder(c, c->m1, c->rel1, 1)) ? e : WT_EINVAL;
	if ((e = open_parent(c, c->m1, c->rel1, &dir, &last)))
		return e;
	rc = wt_host_readlinkat(dir, last, (char *)c->buf, c->buf_len, &len);
	close_parent(c, c->m1, dir);
	if (rc)
		return wt_wasi_errno(rc);
	c->ev.done = len;
	wt_put32(c->out, (uint32_t)len);
	return 0;
}

/* rmdir and unlink: one component removed from its folder. */
static int remove_entry(wt_gcall *c, int dir_flag)
{
	const char *last;
	int dir, e = readonly(c, 1);

	if (e)
		return e;
	if (c->dir1 && !dir_flag) /* unlink("x/"): never removes the file x */
		return (e = is_folder(c, c->m1, c->rel1, 0)) ? e : WT_EISDIR;
	if ((e = open_parent(c, c->m1, c->rel1, &dir, &last)))
		return e;
	e = wt_wasi_errno(wt_host_unlinkat(dir, last, dir_flag));
	close_parent(c, c->m1, dir);
	return e;
}

int wt_wasi_dec_path_remove_directory(wt_gcall *c, const uint64_t *a)
{
	return dec_path1(c, a[0], a[1], a[2], WT_WR_PATH_REMOVE_DIRECTORY, WT_RIGHT_DELETE);
}

int wt_wasi_act_path_remove_directory(wt_gcall *c, const uint64_t *a)
{
	if (wt_overlay_wants(c))
		return wt_overlay_call(c, a, wt_wasi_act_path_remove_directory);
	return remove_entry(c, 1);
}

int wt_wasi_dec_path_unlink_file(wt_gcall *c, const uint64_t *a)
{
	return dec_path1(c, a[0], a[1], a[2], WT_WR_PATH_UNLINK_FILE, WT_RIGHT_DELETE);
}

int wt_wasi_act_path_unlink_file(wt_gcall *c, const uint64_t *a)
{
	if (wt_overlay_wants(c))
		return wt_overlay_call(c, a, wt_wasi_act_path_unlink_file);
	return remove_entry(c, 0);
}

int wt_wasi_dec_path_rename(wt_gcall *c, const uint64_t *a)
{
	int e = dec_path1(c, a[0], a[1], a[2], WT_WR_PATH_RENAME_SOURCE, WT_RIGHT_RENAME);

	return e ? e : wt_gate_path(c, 2, a[3], a[4], a[5], WT_WR_PATH_RENAME_TARGET);
}

int wt_wasi_act_path_rename(wt_gcall *c, const uint64_t *a)
{
	const char *last1, *last2;
	int d1, d2, e;

	if (wt_overlay_wants(c))
		return wt_overlay_call(c, a, wt_wasi_act_path_rename);
	if ((e = readonly(c, 1)) || (e = readonly(c, 2)))
		return e;
	if ((c->dir1 || c->dir2) && (e = is_folder(c, c->m1, c->rel1, 0)))
		return e; /* "a/" or "b/": only a folder moves */
	if ((e = open_parent(c, c->m1, c->rel1, &d1, &last1)))
		return e;
	if ((e = link_stays_inside(c, d1, last1, c->m2, c->rel2)) == 0 &&
	    (e = wt_wasi_tree_links_ok(c, d1, last1, c->m2, c->rel2)) == 0 &&
	    (e = open_parent(c, c->m2, c->rel2, &d2, &last2)) == 0) {
		e = wt_wasi_errno(wt_host_renameat(d1, last1, d2, last2));
		close_parent(c, c->m2, d2);
	}
	close_parent(c, c->m1, d1);
	return e;
}

int wt_wasi_dec_path_symlink(wt_gcall *c, const uint64_t *a)
{
	uint32_t len = (uint32_t)a[1];
	const uint8_t *t;
	int e;

	/* (old_path, old_len, fd, new_path, new_len): old_path is the text. */
	if ((e = dec_path1(c, a[2], a[3], a[4], WT_WR_PATH_SYMLINK, WT_RIGHT_SYMLINK)))
		return e;
	if (!(t = wt_gate_span(c, a[0], len)))
		return WT_EFAULT;
	if (len > WT_PATH_MAX)
		return WT_ENAMETOOLONG;
	if (memchr(t, 0, len))
		return WT_EINVAL;
	if (!wt_path_utf8_ok(t, len))
		return WT_EILSEQ;
	memcpy(c->w->path2, t, len);
	c->w->path2[len] = '\0';
	c->ev.path2 = c->w->path2;
	c->ev.path2_len = len;
	return len ? 0 : WT_ENOENT;
}

int wt_wasi_act_path_symlink(wt_gcall *c, const uint64_t *a)
{
	const char *last;
	int dir, e = readonly(c, 1);

	if (wt_overlay_wants(c))
		return wt_overlay_call(c, a, wt_wasi_act_path_symlink);
	if (e)
		return e;
	if ((e = wt_wasi_link_ok(c, c->m1, c->rel1, c->ev.path2)))
		return e;
	if (c->dir1) { /* "link/": a symlink is no folder (EEXIST when the name is taken) */
		e = is_folder(c, c->m1, c->rel1, 0);
		return e == 0 || e == WT_ENOTDIR ? WT_EEXIST : e;
	}
	if ((e = open_parent(c, c->m1, c->rel1, &dir, &last)))
		return e;
	e = wt_wasi_errno(wt_host_symlinkat(c->ev.path2, dir, last));
	close_parent(c, c->m1, dir);
	return e;
}
