/* gate.c: the one place every WASI call passes through: decode once, decide, act, observe. */
#include "gate.h"

#include <stdio.h>
#include <string.h>

#include "wasi_impl.h"

static const wt_gate_step decoders[] = {
#define WT_X_DEC(name, sig, cls) wt_wasi_dec_##name,
    WT_WASI_CALL_LIST(WT_X_DEC)
#undef WT_X_DEC
};

static const wt_gate_step acts[] = {
#define WT_X_ACT(name, sig, cls) wt_wasi_act_##name,
    WT_WASI_CALL_LIST(WT_X_ACT)
#undef WT_X_ACT
};

static const unsigned char call_class[] = {
#define WT_X_CLASS(name, sig, cls) WT_CLASS_##cls,
    WT_WASI_CALL_LIST(WT_X_CLASS)
#undef WT_X_CLASS
};

static const char *const right_names[] = {
#define WT_X_NAME(name, bit, text) [bit] = text,
    WT_RIGHT_LIST(WT_X_NAME)
#undef WT_X_NAME
};

char *wt_rights_format(uint32_t mask, char *buf, unsigned size)
{
	size_t len = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (unsigned bit = 0; bit < sizeof right_names / sizeof right_names[0]; bit++) {
		int n;

		if (!(mask & (1u << bit)))
			continue;
		n = snprintf(buf + len, size - len, "%s%s", len ? "," : "", right_names[bit]);
		if (n < 0 || (size_t)n >= size - len) { /* never a cut name */
			buf[len] = '\0';
			break;
		}
		len += (size_t)n;
	}
	return buf;
}

uint8_t *wt_gate_span(wt_gcall *c, uint64_t addr, uint64_t len)
{
	if (!c->mem)
		return NULL;
	return wt_memory_span(c->mem, addr & 0xffffffffu, len);
}

int wt_gate_fd(wt_gcall *c, uint64_t fd, uint64_t rights)
{
	wt_fdent *f = wt_fdtable_get(&c->w->fds, (uint32_t)fd);

	c->ev.fd = (int32_t)(uint32_t)fd;
	if (!f)
		return WT_EBADF;
	c->f = f;
	c->ev.fd_path = f->path;
	c->ev.stdio = f->stdio;
	if ((f->base & rights) != rights)
		return WT_ENOTCAPABLE;
	return 0;
}

int wt_gate_iovecs(wt_gcall *c, uint64_t addr, uint64_t n)
{
	const uint8_t *v;
	uint64_t total = 0;
	uint32_t k = 0;

	n &= 0xffffffffu;
	if (n > WT_IOV_MAX)
		return WT_EINVAL;
	if (!(v = wt_gate_span(c, addr, n * WT_IOVEC_SIZE)))
		return WT_EFAULT;
	for (uint32_t i = 0; i < n && total < WT_RW_MAX; i++) {
		uint32_t base = wt_le32(v + i * 8), len = wt_le32(v + i * 8 + 4);
		uint8_t *p;

		if (len == 0)
			continue;
		if (!(p = wt_gate_span(c, base, len)))
			return WT_EFAULT;
		if (total + len > WT_RW_MAX)
			len = (uint32_t)(WT_RW_MAX - total);
		c->w->iov[k].iov_base = p;
		c->w->iov[k].iov_len = len;
		total += len;
		k++;
	}
	c->niov = k;
	c->ev.size = total;
	return 0;
}

/* 1 when the guest's path ends in a slash or a `.` component: as in
 * POSIX, it then names a folder (normalisation drops the slash, so the
 * call files check it: wt_gcall.dir1, dir2). */
static int names_folder(const uint8_t *p, size_t n)
{
	return n > 0 && (p[n - 1] == '/' || (p[n - 1] == '.' && (n == 1 || p[n - 2] == '/')));
}

/* Fills the event's fields for path number which (1 or 2). */
static void set_event_path(wt_gcall *c, int which, const char *canon, size_t len, int m, char *rel)
{
	wt_wasi *w = c->w;
	char *host = which == 1 ? w->host1 : w->host2;

	snprintf(host, sizeof w->host1, "%s/%s", w->mounts[m].host, rel);
	if (which == 1) {
		c->ev.path = canon, c->ev.path_len = (uint32_t)len, c->ev.host_path = host;
		c->m1 = m, c->rel1 = rel;
	} else {
		c->ev.path2 = canon, c->ev.path2_len = (uint32_t)len, c->ev.host_path2 = host;
		c->m2 = m, c->rel2 = rel;
	}
}

int wt_gate_path(wt_gcall *c, int which, uint64_t dirfd, uint64_t ptr, uint64_t len,
		 uint64_t rights)
{
	wt_wasi *w = c->w;
	wt_fdent *f = wt_fdtable_get(&w->fds, (uint32_t)dirfd);
	char *canon = which == 1 ? w->path1 : w->path2, *rel = which == 1 ? w->rel1 : w->rel2;
	const uint8_t *p;
	size_t clen, off;
	int e, m;

	if (which == 1) {
		if ((e = wt_gate_fd(c, dirfd, 0)))
			return e;
	} else if (!(c->f2 = f)) {
		return WT_EBADF;
	}
	if (!f->path || wt_wasi_fd_type(w, f) != WT_FT_DIRECTORY)
		return WT_ENOTDIR;
	if ((f->base & rights) != rights)
		return WT_ENOTCAPABLE;
	len &= 0xffffffffu;
	if (!(p = wt_gate_span(c, ptr, len)))
		return WT_EFAULT;
	if (len > WT_PATH_MAX)
		return WT_ENAMETOOLONG;
	e = wt_path_join(f->path, f->path_len, p, len, 0, canon, WT_PATH_MAX + 1, &clen);
	if (e)
		return e;
	/* A folder fd is a capability for what lies below it: `..` may not
	 * climb above its folder (nor, then, out of its mount). */
	if (!wt_path_stays_below(p, len) ||
	    !wt_path_within(w->mounts[f->mount].guest, w->mounts[f->mount].guest_len, canon, clen))
		return WT_ENOTCAPABLE;
	m = wt_wasi_mount_of(w, canon, clen);
	off = wt_path_rel_offset(w->mounts[m].guest_len, clen);
	if (off < clen)
		memcpy(rel, canon + off, clen - off + 1);
	else
		memcpy(rel, ".", 2);
	set_event_path(c, which, canon, clen, m, rel);
	*(which == 1 ? &c->dir1 : &c->dir2) = (uint8_t)names_folder(p, len);
	return 0;
}

/* Ends the run for a policy's WT_STOP: the trap names the call and path. */
static int stop_run(wt_host_call *hc, const wt_gcall *c)
{
	memset(hc->trap, 0, sizeof *hc->trap);
	hc->trap->kind = WT_TRAP_HOST;
	snprintf(hc->trap->msg, sizeof hc->trap->msg, "the policy stopped the run at %s%s%s",
		 wt_wasi_call_name(c->ev.call), c->ev.path ? " " : "",
		 c->ev.path ? c->ev.path : "");
	return 1;
}

/* Ends the run for proc_exit (its code) or proc_raise (the signal). */
static int exit_run(wt_host_call *hc, const wt_gcall *c)
{
	memset(hc->trap, 0, sizeof *hc->trap);
	hc->trap->kind = c->stop == WT_STOP_SIGNAL ? WT_TRAP_SIGNAL : WT_TRAP_EXIT;
	hc->trap->exit_code = c->ev.exit_code;
	if (c->stop == WT_STOP_SIGNAL) {
		hc->trap->func_index = UINT32_MAX;
		snprintf(hc->trap->msg, sizeof hc->trap->msg, "%s", wt_wasi_signal_name(c->a32));
	}
	return 1;
}

int wt_gate_call(wt_host_call *hc, const wt_slot *args, wt_slot *results)
{
	wt_wasi_bind *b = hc->data;
	wt_wasi *w = b->w;
	wt_policy *pol = w->policy;
	wt_gcall c;
	int e;

	memset(&c, 0, sizeof c);
	c.w = w;
	c.mem = hc->caller ? wt_instance_memory(hc->caller) : NULL;
	c.ev.seq = ++w->seq;
	c.ev.time_ns = wt_host_monotonic() - w->start_ns;
	c.ev.call = b->call;
	c.ev.fd = -1;
	c.ev.new_fd = -1;
	c.m1 = c.m2 = -1;
	e = decoders[b->call](&c, args);
	if (e == 0 && call_class[b->call] == WT_CLASS_PATH)
		e = wt_wasi_objects(&c);
	if (e == 0) {
		c.ev.verdict = pol && pol->decide ? pol->decide(pol->self, &c.ev) : WT_ALLOW;
		switch (c.ev.verdict) {
		case WT_ALLOW:
			e = acts[b->call](&c, args);
			break;
		case WT_HIDE:
			e = WT_ENOENT;
			break;
		case WT_DENY:
			e = pol->deny_errno ? pol->deny_errno(pol->self, &c.ev) : 0;
			e = e ? e : WT_ENOTCAPABLE;
			break;
		case WT_STOP:
		default:
			e = WT_ENOTCAPABLE;
			break;
		}
	}
	c.ev.errno_result = (uint16_t)e;
	if (pol && pol->observe)
		pol->observe(pol->self, &c.ev);
	if (c.stop)
		return exit_run(hc, &c);
	/* A refused proc_exit cannot return to the guest either. */
	if (c.ev.verdict == WT_STOP || b->call == WT_WASI_proc_exit)
		return stop_run(hc, &c);
	results[0] = (uint32_t)e;
	return 0;
}
