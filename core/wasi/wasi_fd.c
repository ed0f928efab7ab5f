/* wasi_fd.c: the WASI calls on an open fd: read, write, seek, stat, sync, readdir, close, renumber.
 */
#include <errno.h>
#include <string.h>

#include "overlay_wasi.h"
#include "wasi_impl.h"

/* EROFS when fd belongs to a read-only mount. */
static int readonly(const wt_gcall *c)
{
	return c->f->mount >= 0 && c->w->mounts[c->f->mount].readonly ? WT_EROFS : 0;
}

static int host_result(int rc)
{
	return rc ? wt_wasi_errno(rc) : 0;
}

int wt_wasi_dec_fd_advise(wt_gcall *c, const uint64_t *a)
{
	c->a64 = a[1], c->b64 = a[2], c->a32 = (uint32_t)a[3];
	return wt_gate_fd(c, a[0], WT_WR_FD_ADVISE);
}

int wt_wasi_act_fd_advise(wt_gcall *c, const uint64_t *a)
{
	return host_result(wt_host_advise(c->f->host, c->a64, c->b64, (uint8_t)c->a32));
}

int wt_wasi_dec_fd_allocate(wt_gcall *c, const uint64_t *a)
{
	c->a64 = a[1], c->b64 = a[2];
	c->ev.rights = WT_RIGHT_WRITE;
	c->ev.size = a[2];
	return wt_gate_fd(c, a[0], WT_WR_FD_ALLOCATE);
}

int wt_wasi_act_fd_allocate(wt_gcall *c, const uint64_t *a)
{
	int e = readonly(c);

	return e ? e : host_result(wt_host_allocate(c->f->host, c->a64, c->b64));
}

int wt_wasi_dec_fd_close(wt_gcall *c, const uint64_t *a)
{
	return wt_gate_fd(c, a[0], 0);
}

int wt_wasi_act_fd_close(wt_gcall *c, const uint64_t *a)
{
	int rc = c->f->owned ? wt_host_close(c->w->host, c->f->host) : 0;

	c->ev.fd_path = NULL; /* the entry's path goes with it */
	wt_fdtable_release(&c->w->fds, (uint32_t)c->ev.fd);
	c->f = NULL;
	return host_result(rc);
}

int wt_wasi_dec_fd_datasync(wt_gcall *c, const uint64_t *a)
{
	return wt_gate_fd(c, a[0], WT_WR_FD_DATASYNC);
}

int wt_wasi_act_fd_datasync(wt_gcall *c, const uint64_t *a)
{
	return host_result(wt_host_sync(c->w->host, c->f->host, 1));
}

int wt_wasi_dec_fd_sync(wt_gcall *c, const uint64_t *a)
{
	return wt_gate_fd(c, a[0], WT_WR_FD_SYNC);
}

int wt_wasi_act_fd_sync(wt_gcall *c, const uint64_t *a)
{
	return host_result(wt_host_sync(c->w->host, c->f->host, 0));
}

int wt_wasi_dec_fd_fdstat_get(wt_gcall *c, const uint64_t *a)
{
	int e = wt_gate_fd(c, a[0], 0);

	if (e)
		return e;
	return (c->out = wt_gate_span(c, a[1], WT_FDSTAT_SIZE)) ? 0 : WT_EFAULT;
}

int wt_wasi_act_fd_fdstat_get(wt_gcall *c, const uint64_t *a)
{
	memset(c->out, 0, WT_FDSTAT_SIZE);
	c->out[0] = wt_wasi_fd_type(c->w, c->f);
	wt_put16(c->out + 2, c->f->fdflags);
	wt_put64(c->out + 8, c->f->base);
	wt_put64(c->out + 16, c->f->inheriting);
	return 0;
}

int wt_wasi_dec_fd_fdstat_set_flags(wt_gcall *c, const uint64_t *a)
{
	c->a32 = (uint16_t)a[1];
	c->ev.flags = c->a32 << 8;
	return wt_gate_fd(c, a[0], WT_WR_FD_FDSTAT_SET_FLAGS);
}

int wt_wasi_act_fd_fdstat_set_flags(wt_gcall *c, const uint64_t *a)
{
	uint16_t flags = (uint16_t)c->a32;
	int rc;

	if (flags & ~(WT_FDF_APPEND | WT_FDF_NONBLOCK | WT_FDF_DSYNC | WT_FDF_RSYNC | WT_FDF_SYNC))
		return WT_EINVAL;
	if ((flags ^ c->f->fdflags) & (WT_FDF_DSYNC | WT_FDF_RSYNC | WT_FDF_SYNC))
		return WT_ENOTSUP; /* Linux cannot change them on an open fd */
	if ((rc = wt_host_set_fdflags(c->f->host, flags)))
		return wt_wasi_errno(rc);
	c->f->fdflags = flags;
	return 0;
}

int wt_wasi_dec_fd_fdstat_set_rights(wt_gcall *c, const uint64_t *a)
{
	c->ev.rights_base = a[1];
	c->ev.rights_inheriting = a[2];
	return wt_gate_fd(c, a[0], 0);
}

/* Rights only shrink. */
int wt_wasi_act_fd_fdstat_set_rights(wt_gcall *c, const uint64_t *a)
{
	if ((c->ev.rights_base & ~c->f->base) || (c->ev.rights_inheriting & ~c->f->inheriting))
		return WT_ENOTCAPABLE;
	c->f->base = c->ev.rights_base;
	c->f->inheriting = c->ev.rights_inheriting;
	return 0;
}

int wt_wasi_dec_fd_filestat_get(wt_gcall *c, const uint64_t *a)
{
	int e = wt_gate_fd(c, a[0], WT_WR_FD_FILESTAT_GET);

	c->ev.rights = WT_RIGHT_STAT;
	if (e)
		return e;
	return (c->out = wt_gate_span(c, a[1], WT_FILESTAT_SIZE)) ? 0 : WT_EFAULT;
}

int wt_wasi_act_fd_filestat_get(wt_gcall *c, const uint64_t *a)
{
	wt_hstat st;
	int rc = wt_host_fstat(c->w->host, c->f->host, &st);

	if (rc)
		return wt_wasi_errno(rc);
	if (c->f->mount < 0) /* stdio: the type it was given */
		st.type = c->f->type;
	wt_wasi_fd_learn_type(c->f, st.type);
	wt_wasi_write_filestat(c->out, &st);
	return 0;
}

int wt_wasi_dec_fd_filestat_set_size(wt_gcall *c, const uint64_t *a)
{
	c->a64 = a[1];
	c->ev.size = a[1];
	c->ev.rights = WT_RIGHT_TRUNCATE;
	return wt_gate_fd(c, a[0], WT_WR_FD_FILESTAT_SET_SIZE);
}

int wt_wasi_act_fd_filestat_set_size(wt_gcall *c, const uint64_t *a)
{
	int e = readonly(c);

	return e ? e : host_result(wt_host_truncate(c->w->host, c->f->host, c->a64));
}

int wt_wasi_dec_fd_filestat_set_times(wt_gcall *c, const uint64_t *a)
{
	c->a64 = a[1], c->b64 = a[2], c->a32 = (uint16_t)a[3];
	c->ev.flags = c->a32;
	c->ev.rights = WT_RIGHT_SET_TIMES;
	return wt_gate_fd(c, a[0], WT_WR_FD_FILESTAT_SET_TIMES);
}

int wt_wasi_act_fd_filestat_set_times(wt_gcall *c, const uint64_t *a)
{
	int e = readonly(c);

	if (e)
		return e;
	if (wt_overlay_wants(c))
		return wt_overlay_call(c, a, wt_wasi_act_fd_filestat_set_times);
	return host_result(
	    wt_host_set_times(c->f->host, NULL, 0, c->a64, c->b64, (uint16_t)c->a32));
}

/* fd, iovs, iovs_len, [offset], result pointer. */
static int dec_rw(wt_gcall *c, const uint64_t *a, uint64_t rights, uint32_t user, int has_off)
{
	int e = wt_gate_fd(c, a[0], rights);

	c->ev.rights = user;
	if (e || (e = wt_gate_iovecs(c, a[1], a[2])))
		return e;
	c->a64 = has_off ? a[3] : 0;
	return (c->out = wt_gate_span(c, a[has_off ? 4 : 3], 4)) ? 0 : WT_EFAULT;
}

/* fd_write on the run's stdout or stderr, to the config's stdio_write (wasi.h). */
static int write_stdio(wt_gcall *c, uint64_t *done)
{
	for (uint32_t i = 0; i < c->niov; i++) {
		const struct iovec *v = &c->w->iov[i];

		if (v->iov_len &&
		    c->w->stdio_write(c->w->stdio_ctx, c->f->stdio, v->iov_base, v->iov_len) != 0)
			return *done ? 0 : EIO;
		*done += v->iov_len;
	}
	return 0;
}

static int to_stdio_write(const wt_gcall *c, int write, int64_t off)
{
	return write && off < 0 && c->w->stdio_write &&
	       (c->f->stdio == WT_EV_STDOUT || c->f->stdio == WT_EV_STDERR);
}

static int act_rw(wt_gcall *c, int write, int64_t off)
{
	uint64_t done = 0;
	int rc;

	if (write && (rc = readonly(c)))
		return rc;
	if (to_stdio_write(c, write, off))
		rc = write_stdio(c, &done);
	else if (write)
		rc = wt_host_writev(c->w->host, c->f->host, c->w->iov, c->niov, off, &done);
	else
		rc = wt_host_readv(c->w->host, c->f->host, c->w->iov, c->niov, off, &done);
	if (rc)
		return wt_wasi_errno(rc);
	c->ev.done = done;
	wt_put32(c->out, (uint32_t)done);
	return 0;
}

int wt_wasi_dec_fd_read(wt_gcall *c, const uint64_t *a)
{
	return dec_rw(c, a, WT_WR_FD_READ, WT_RIGHT_READ, 0);
}

int wt_wasi_act_fd_read(wt_gcall *c, const uint64_t *a)
{
	return act_rw(c, 0, -1);
}

int wt_wasi_dec_fd_pread(wt_gcall *c, const uint64_t *a)
{
	return dec_rw(c, a, WT_WR_FD_READ | WT_WR_FD_SEEK, WT_RIGHT_READ, 1);
}

int wt_wasi_act_fd_pread(wt_gcall *c, const uint64_t *a)
{
	return c->a64 > INT64_MAX ? WT_EINVAL : act_rw(c, 0, (int64_t)c->a64);
}

int wt_wasi_dec_fd_write(wt_gcall *c, const uint64_t *a)
{
	return dec_rw(c, a, WT_WR_FD_WRITE, WT_RIGHT_WRITE, 0);
}

int wt_wasi_act_fd_write(wt_gcall *c, const uint64_t *a)
{
	return act_rw(c, 1, -1);
}

int wt_wasi_dec_fd_pwrite(wt_gcall *c, const uint64_t *a)
{
	return dec_rw(c, a, WT_WR_FD_WRITE | WT_WR_FD_SEEK, WT_RIGHT_WRITE, 1);
}

int wt_wasi_act_fd_pwrite(wt_gcall *c, const uint64_t *a)
{
	return c->a64 > INT64_MAX ? WT_EINVAL : act_rw(c, 1, (int64_t)c->a64);
}

int wt_wasi_dec_fd_prestat_get(wt_gcall *c, const uint64_t *a)
{
	int e = wt_gate_fd(c, a[0], 0);

	if (e)
		return e;
	if (!c->f->preopen)
		return WT_EBADF;
	return (c->out = wt_gate_span(c, a[1], WT_PRESTAT_SIZE)) ? 0 : WT_EFAULT;
}

int wt_wasi_act_fd_prestat_get(wt_gcall *c, const uint64_t *a)
{
	memset(c->out, 0, WT_PRESTAT_SIZE);
	c->out[0] = WT_PREOPENTYPE_DIR;
	wt_put32(c->out + 4, (uint32_t)strlen(c->f->prestat));
	return 0;
}

int wt_wasi_dec_fd_prestat_dir_name(wt_gcall *c, const uint64_t *a)
{
	int e = wt_gate_fd(c, a[0], 0);

	if (e)
		return e;
	if (!c->f->preopen)
		return WT_EBADF;
	c->buf_len = (uint32_t)a[2];
	return (c->buf = wt_gate_span(c, a[1], c->buf_len)) ? 0 : WT_EFAULT;
}

int wt_wasi_act_fd_prestat_dir_name(wt_gcall *c, const uint64_t *a)
{
	size_t len = strlen(c->f->prestat);

	if (c->buf_len < len)
		return WT_ENAMETOOLONG;
	memcpy(c->buf, c->f->prestat, len);
	return 0;
}

int wt_wasi_dec_fd_readdir(wt_gcall *c, const uint64_t *a)
{
	int e = wt_gate_fd(c, a[0], WT_WR_FD_READDIR);

	c->ev.rights = WT_RIGHT_LIST;
	if (e)
		return e;
	c->buf_len = (uint32_t)a[2];
	c->a64 = a[3];
	c->ev.size = c->buf_len;
	if (!(c->buf = wt_gate_span(c, a[1], c->buf_len)) || !(c->out = wt_gate_span(c, a[4], 4)))
		return WT_EFAULT;
	return wt_wasi_fd_type(c->w, c->f) == WT_FT_DIRECTORY ? 0 : WT_ENOTDIR;
}

/* Copies as much of one entry (header, then name) as fits; returns the
 * bytes written. */
static uint32_t put_dirent(uint8_t *dst, uint32_t room, const wt_hdirent *e)
{
	uint8_t head[WT_DIRENT_SIZE] = {0};
	uint32_t n = room < WT_DIRENT_SIZE ? room : WT_DIRENT_SIZE, m;

	wt_put64(head, e->next);
	wt_put64(head + 8, e->ino);
	wt_put32(head + 16, (uint32_t)e->namelen);
	head[20] = e->type;
	memcpy(dst, head, n);
	m = room - n < e->namelen ? room - n : (uint32_t)e->namelen;
	memcpy(dst + n, e->name, m);
	return n + m;
}

int wt_wasi_act_fd_readdir(wt_gcall *c, const uint64_t *a)
{
	uint32_t used = 0;
	wt_hdirent e;
	int rc;

	if (wt_overlay_wants(c))
		return wt_overlay_readdir(c);
	if (!c->f->dir && (rc = wt_host_dir_open(c->f->host, &c->f->dir)))
		return wt_wasi_errno(rc);
	wt_host_dir_seek(c->f->dir, c->a64);
	while (used < c->buf_len && (rc = wt_host_dir_next(c->f->dir, &e)) > 0)
		if (!wt_wasi_hidden_entry(c->w, c->f, e.name, e.namelen))
			used += put_dirent(c->buf + used, c->buf_len - used, &e);
	if (rc < 0)
		return wt_wasi_errno(rc);
	c->ev.done = used;
	wt_put32(c->out, used);
	return 0;
}

int wt_wasi_dec_fd_renumber(wt_gcall *c, const uint64_t *a)
{
	int e = wt_gate_fd(c, a[0], 0);

	c->ev.new_fd = (int32_t)(uint32_t)a[1];
	if (e)
		return e;
	return wt_fdtable_get(&c->w->fds, (uint32_t)a[1]) ? 0 : WT_EBADF;
}

int wt_wasi_act_fd_renumber(wt_gcall *c, const uint64_t *a)
{
	uint32_t from = (uint32_t)c->ev.fd, to = (uint32_t)c->ev.new_fd;
	wt_fdent *t = wt_fdtable_get(&c->w->fds, to);
	int rc = 0;

	if (from == to)
		return 0;
	if (t->owned)
		rc = wt_host_close(c->w->host, t->host);
	c->ev.fd_path = NULL;
	wt_fdtable_release(&c->w->fds, to);
	wt_fdtable_move(&c->w->fds, from, to);
	c->f = NULL;
	return host_result(rc);
}

int wt_wasi_dec_fd_seek(wt_gcall *c, const uint64_t *a)
{
	int64_t off = (int64_t)a[1];
	uint32_t whence = (uint8_t)a[2];
	uint64_t need = off == 0 && whence == WT_WHENCE_CUR ? WT_WR_FD_TELL : WT_WR_FD_SEEK;
	int e = wt_gate_fd(c, a[0], need);

	c->a64 = a[1], c->a32 = whence;
	if (e)
		return e;
	if (whence > WT_WHENCE_END)
		return WT_EINVAL;
	return (c->out = wt_gate_span(c, a[3], 8)) ? 0 : WT_EFAULT;
}

int wt_wasi_act_fd_seek(wt_gcall *c, const uint64_t *a)
{
	uint64_t pos;
	int rc = wt_host_seek(c->f->host, (int64_t)c->a64, (int)c->a32, &pos);

	if (rc)
		return wt_wasi_errno(rc);
	wt_put64(c->out, pos);
	return 0;
}

int wt_wasi_dec_fd_tell(wt_gcall *c, const uint64_t *a)
{
	int e = wt_gate_fd(c, a[0], WT_WR_FD_TELL);

	if (e)
		return e;
	return (c->out = wt_gate_span(c, a[1], 8)) ? 0 : WT_EFAULT;
}

int wt_wasi_act_fd_tell(wt_gcall *c, const uint64_t *a)
{
	uint64_t pos;
	int rc = wt_host_seek(c->f->host, 0, WT_WHENCE_CUR, &pos);

	if (rc)
		return wt_wasi_errno(rc);
	wt_put64(c->out, pos);
	return 0;
}
