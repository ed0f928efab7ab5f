/* wasi_misc.c: the WASI calls that touch no file: args, environ, clocks, random, proc, sched, poll,
 * sock. */
#include <stdlib.h>
#include <string.h>

#include "wasi_impl.h"

/* Sizes: the count and the bytes (with NULs) of a string vector. */
static int dec_sizes(wt_gcall *c, const uint64_t *a)
{
	if (!(c->out = wt_gate_span(c, a[0], 4)) || !(c->out2 = wt_gate_span(c, a[1], 4)))
		return WT_EFAULT;
	return 0;
}

/* A vector of pointers at a[0] and the strings at a[1]. */
static int dec_vector(wt_gcall *c, const uint64_t *a, int n, uint32_t size)
{
	if (!(c->out = wt_gate_span(c, a[0], (uint64_t)n * 4)))
		return WT_EFAULT;
	if (!(c->buf = wt_gate_span(c, a[1], size)))
		return WT_EFAULT;
	c->a32 = (uint32_t)a[1];
	c->ev.size = size;
	return 0;
}

static int write_vector(wt_gcall *c, int n, const char *const *v)
{
	uint32_t off = 0;

	for (int i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;

		wt_put32(c->out + 4 * i, c->a32 + off);
		memcpy(c->buf + off, v[i], len);
		off += (uint32_t)len;
	}
	c->ev.done = off;
	return 0;
}

int wt_wasi_dec_args_get(wt_gcall *c, const uint64_t *a)
{
	return dec_vector(c, a, c->w->argc, c->w->args_size);
}

int wt_wasi_act_args_get(wt_gcall *c, const uint64_t *a)
{
	return write_vector(c, c->w->argc, c->w->argv);
}

int wt_wasi_dec_args_sizes_get(wt_gcall *c, const uint64_t *a)
{
	return dec_sizes(c, a);
}

int wt_wasi_act_args_sizes_get(wt_gcall *c, const uint64_t *a)
{
	wt_put32(c->out, (uint32_t)c->w->argc);
	wt_put32(c->out2, c->w->args_size);
	return 0;
}

int wt_wasi_dec_environ_get(wt_gcall *c, const uint64_t *a)
{
	return dec_vector(c, a, c->w->nenv, c->w->env_size);
}

int wt_wasi_act_environ_get(wt_gcall *c, const uint64_t *a)
{
	return write_vector(c, c->w->nenv, c->w->env);
}

int wt_wasi_dec_environ_sizes_get(wt_gcall *c, const uint64_t *a)
{
	return dec_sizes(c, a);
}

int wt_wasi_act_environ_sizes_get(wt_gcall *c, const uint64_t *a)
{
	wt_put32(c->out, (uint32_t)c->w->nenv);
	wt_put32(c->out2, c->w->env_size);
	return 0;
}

static int dec_clock(wt_gcall *c, uint64_t id, uint64_t out)
{
	c->ev.clock_id = (uint32_t)id;
	if ((uint32_t)id > WT_CLOCK_THREAD_CPUTIME)
		return WT_EINVAL;
	if (!(c->out = wt_gate_span(c, out, 8)))
		return WT_EFAULT;
	return 0;
}

int wt_wasi_dec_clock_res_get(wt_gcall *c, const uint64_t *a)
{
	return dec_clock(c, a[0], a[1]);
}

int wt_wasi_act_clock_res_get(wt_gcall *c, const uint64_t *a)
{
	uint64_t ns;
	int rc;

	if (c->w->fakes.clocks) {
		wt_put64(c->out, wt_fakes_clock_res(&c->w->fakes));
		return 0;
	}
	rc = wt_host_clock_res(c->ev.clock_id, &ns);

	if (rc)
		return wt_wasi_errno(rc);
	wt_put64(c->out, ns);
	return 0;
}

int wt_wasi_dec_clock_time_get(wt_gcall *c, const uint64_t *a)
{
	return dec_clock(c, a[0], a[2]);
}

int wt_wasi_act_clock_time_get(wt_gcall *c, const uint64_t *a)
{
	uint64_t ns;
	int rc;

	if (c->w->fakes.clocks) {
		if (wt_fakes_clock_read(&c->w->fakes, c->ev.clock_id, &ns))
			return WT_EINVAL;
		wt_put64(c->out, ns);
		return 0;
	}
	rc = wt_host_clock_get(c->ev.clock_id, &ns);

	if (rc)
		return wt_wasi_errno(rc);
	wt_put64(c->out, ns);
	return 0;
}

int wt_wasi_dec_random_get(wt_gcall *c, const uint64_t *a)
{
	c->buf_len = (uint32_t)a[1];
	c->ev.size = c->buf_len;
	if (!(c->buf = wt_gate_span(c, a[0], c->buf_len)))
		return WT_EFAULT;
	return 0;
}

int wt_wasi_act_random_get(wt_gcall *c, const uint64_t *a)
{
	int rc = 0;

	if (c->w->fakes.random)
		wt_fakes_random(&c->w->fakes, c->buf, c->buf_len);
	else
		rc = wt_host_random(c->w->host, c->buf, c->buf_len);
	if (rc)
		return wt_wasi_errno(rc);
	c->ev.done = c->buf_len;
	return 0;
}

int wt_wasi_dec_proc_exit(wt_gcall *c, const uint64_t *a)
{
	c->ev.exit_code = (int32_t)(uint32_t)a[0];
	return 0;
}

int wt_wasi_act_proc_exit(wt_gcall *c, const uint64_t *a)
{
	c->stop = WT_STOP_EXIT;
	return 0;
}

int wt_wasi_dec_proc_raise(wt_gcall *c, const uint64_t *a)
{
	c->a32 = (uint32_t)a[0];
	c->ev.flags = c->a32; /* the WASI signal, for the journal */
	return 0;
}

/* The WASI signals (their numbers index the table), their host numbers
 * and what a process does by default when one is raised. */
enum { SIG_TERM, SIG_IGNORE, SIG_STOP };
static const struct {
	const char *name;
	int host, action;
} wasi_signals[] = {
    {"", 0, SIG_STOP},		 {"SIGHUP", 1, SIG_TERM},
    {"SIGINT", 2, SIG_TERM},	 {"SIGQUIT", 3, SIG_TERM},
    {"SIGILL", 4, SIG_TERM},	 {"SIGTRAP", 5, SIG_TERM},
    {"SIGABRT", 6, SIG_TERM},	 {"SIGBUS", 7, SIG_TERM},
    {"SIGFPE", 8, SIG_TERM},	 {"SIGKILL", 9, SIG_TERM},
    {"SIGUSR1", 10, SIG_TERM},	 {"SIGSEGV", 11, SIG_TERM},
    {"SIGUSR2", 12, SIG_TERM},	 {"SIGPIPE", 13, SIG_TERM},
    {"SIGALRM", 14, SIG_TERM},	 {"SIGTERM", 15, SIG_TERM},
    {"SIGCHLD", 17, SIG_IGNORE}, {"SIGCONT", 18, SIG_IGNORE},
    {"SIGSTOP", 19, SIG_STOP},	 {"SIGTSTP", 20, SIG_STOP},
    {"SIGTTIN", 21, SIG_STOP},	 {"SIGTTOU", 22, SIG_STOP},
    {"SIGURG", 23, SIG_IGNORE},	 {"SIGXCPU", 24, SIG_TERM},
    {"SIGXFSZ", 25, SIG_TERM},	 {"SIGVTALRM", 26, SIG_TERM},
    {"SIGPROF", 27, SIG_TERM},	 {"SIGWINCH", 28, SIG_IGNORE},
    {"SIGPOLL", 29, SIG_TERM},	 {"SIGPWR", 30, SIG_TERM},
    {"SIGSYS", 31, SIG_TERM},
};

/* A signal's default action, as the specification has it: the run ends
 * (a trap naming the signal, exit 128 + its number) for those that end a
 * process; nothing happens for those ignored by default; a stop cannot
 * suspend the sandbox, and signal 0 is none: ENOSYS. */
int wt_wasi_act_proc_raise(wt_gcall *c, const uint64_t *a)
{
	if (c->a32 >= sizeof wasi_signals / sizeof wasi_signals[0])
		return WT_EINVAL;
	switch (wasi_signals[c->a32].action) {
	case SIG_TERM:
		c->stop = WT_STOP_SIGNAL;
		c->ev.exit_code = wasi_signals[c->a32].host;
		return 0;
	case SIG_IGNORE:
		return 0;
	default:
		return WT_ENOSYS;
	}
}

const char *wt_wasi_signal_name(uint32_t wasi_signal)
{
	return wasi_signal < sizeof wasi_signals / sizeof wasi_signals[0]
		   ? wasi_signals[wasi_signal].name
		   : "";
}

int wt_wasi_dec_sched_yield(wt_gcall *c, const uint64_t *a)
{
	return 0;
}

int wt_wasi_act_sched_yield(wt_gcall *c, const uint64_t *a)
{
	wt_host_yield();
	return 0;
}

/* Sockets: only preopened sockets could exist, and none is preopened, so
 * an fd is either not open (EBADF) or not a socket (ENOTSOCK). */
static int dec_sock(wt_gcall *c, uint64_t fd)
{
	int e = wt_gate_fd(c, fd, 0);

	if (e)
		return e;
	uint8_t type = wt_wasi_fd_type(c->w, c->f);

	if (type != WT_FT_SOCKET_STREAM && type != WT_FT_SOCKET_DGRAM)
		return WT_ENOTSOCK;
	return 0;
}

int wt_wasi_dec_sock_accept(wt_gcall *c, const uint64_t *a)
{
	int e = dec_sock(c, a[0]);

	if (e)
		return e;
	if (!(c->out = wt_gate_span(c, a[2], 4)))
		return WT_EFAULT;
	return (c->f->base & WT_WR_SOCK_ACCEPT) ? 0 : WT_ENOTCAPABLE;
}

int wt_wasi_act_sock_accept(wt_gcall *c, const uint64_t *a)
{
	return WT_ENOTSUP; /* no listening socket can be preopened yet */
}

int wt_wasi_dec_sock_recv(wt_gcall *c, const uint64_t *a)
{
	int e = dec_sock(c, a[0]);

	if (e || (e = wt_gate_iovecs(c, a[1], a[2])))
		return e;
	if (!(c->out = wt_gate_span(c, a[4], 4)) || !(c->out2 = wt_gate_span(c, a[5], 2)))
		return WT_EFAULT;
	c->ev.flags = (uint32_t)a[3];
	return (c->f->base & WT_WR_FD_READ) ? 0 : WT_ENOTCAPABLE;
}

int wt_wasi_act_sock_recv(wt_gcall *c, const uint64_t *a)
{
	uint64_t done;
	int rc;

	if (c->ev.flags & ~3u)
		return WT_EINVAL;
	if (c->ev.flags)
		return WT_ENOTSUP; /* PEEK and WAITALL need recv(2) */
	rc = wt_host_readv(c->w->host, c->f->host, c->w->iov, c->niov, -1, &done);
	if (rc)
		return wt_wasi_errno(rc);
	c->ev.done = done;
	wt_put32(c->out, (uint32_t)done);
	wt_put16(c->out2, 0);
	return 0;
}

int wt_wasi_dec_sock_send(wt_gcall *c, const uint64_t *a)
{
	int e = dec_sock(c, a[0]);

	if (e || (e = wt_gate_iovecs(c, a[1], a[2])))
		return e;
	if (!(c->out = wt_gate_span(c, a[4], 4)))
		return WT_EFAULT;
	c->ev.flags = (uint32_t)a[3];
	return (c->f->base & WT_WR_FD_WRITE) ? 0 : WT_ENOTCAPABLE;
}

int wt_wasi_act_sock_send(wt_gcall *c, const uint64_t *a)
{
	uint64_t done;
	int rc = wt_host_writev(c->w->host, c->f->host, c->w->iov, c->niov, -1, &done);

	if (rc)
		return wt_wasi_errno(rc);
	c->ev.done = done;
	wt_put32(c->out, (uint32_t)done);
	return 0;
}

int wt_wasi_dec_sock_shutdown(wt_gcall *c, const uint64_t *a)
{
	int e = dec_sock(c, a[0]);

	if (e)
		return e;
	c->ev.flags = (uint32_t)a[1];
	return (c->f->base & WT_WR_SOCK_SHUTDOWN) ? 0 : WT_ENOTCAPABLE;
}

int wt_wasi_act_sock_shutdown(wt_gcall *c, const uint64_t *a)
{
	return WT_ENOTSUP; /* no socket that could be shut down is preopened yet */
}
