/* wasi_poll.c: poll_oneoff: clock subscriptions (relative and absolute) and fd readiness. */
#include <stdlib.h>
#include <string.h>

#include "wasi_impl.h"

/* What one poll_oneoff works with. */
typedef struct poller {
	wt_gcall *c;
	struct pollfd *pfds;
	uint32_t *pfd_sub; /* subscription index of each pollfd */
	unsigned npfds;
	uint32_t nevents;
	int64_t wait_ns;   /* the earliest clock, or -1 */
	int64_t *clock_ns; /* per subscription: relative deadline, or -1 */
} poller;

static void add_event(poller *p, uint32_t sub, uint16_t error, uint8_t type, uint64_t nbytes,
		      uint16_t flags)
{
	const uint8_t *s = p->c->buf + (size_t)sub * WT_SUBSCRIPTION_SIZE;
	uint8_t *e = p->c->out + (size_t)p->nevents * WT_EVENT_SIZE;

	memset(e, 0, WT_EVENT_SIZE);
	wt_put64(e, wt_le64(s));
	wt_put16(e + 8, error);
	e[10] = type;
	wt_put64(e + 16, nbytes);
	wt_put16(e + 24, flags);
	p->nevents++;
}

/* A clock's value for a deadline: a fake clock is looked at, not stepped. */
static int clock_now(wt_wasi *w, uint32_t id, uint64_t *now)
{
	if (w->fakes.clocks)
		return wt_fakes_clock_peek(&w->fakes, id, now);
	return wt_host_clock_get(id, now);
}

static void take_clock(poller *p, uint32_t i, const uint8_t *s)
{
	uint32_t id = wt_le32(s + 16);
	uint64_t timeout = wt_le64(s + 24), now;
	uint16_t flags = wt_le16(s + 40);

	if (clock_now(p->c->w, id, &now) != 0) {
		add_event(p, i, WT_EINVAL, WT_EVENTTYPE_CLOCK, 0, 0);
		return;
	}
	if (flags & WT_SUBCLOCK_ABSTIME)
		timeout = timeout > now ? timeout - now : 0;
	if (timeout > INT64_MAX)
		timeout = INT64_MAX;
	p->clock_ns[i] = (int64_t)timeout;
	if (p->wait_ns < 0 || (int64_t)timeout < p->wait_ns)
		p->wait_ns = (int64_t)timeout;
}

/* Files and folders are always ready; other fds are polled. */
static void take_fd(poller *p, uint32_t i, const uint8_t *s, uint8_t type)
{
	wt_fdent *f = wt_fdtable_get(&p->c->w->fds, wt_le32(s + 16));
	uint8_t ft = f ? wt_wasi_fd_type(p->c->w, f) : 0;

	if (!f) {
		add_event(p, i, WT_EBADF, type, 0, 0);
	} else if (!(f->base & WT_WR_POLL_FD_READWRITE) && ft != WT_FT_REGULAR_FILE) {
		add_event(p, i, WT_ENOTCAPABLE, type, 0, 0);
	} else if (ft == WT_FT_REGULAR_FILE || ft == WT_FT_DIRECTORY) {
		add_event(p, i, 0, type, 0, 0);
	} else {
		p->pfds[p->npfds].fd = f->host;
		p->pfds[p->npfds].events = type == WT_EVENTTYPE_FD_READ ? POLLIN : POLLOUT;
		p->pfds[p->npfds].revents = 0;
		p->pfd_sub[p->npfds++] = i;
	}
}

static void collect_fds(poller *p)
{
	for (unsigned k = 0; k < p->npfds; k++) {
		short r = p->pfds[k].revents;
		uint32_t i = p->pfd_sub[k];
		uint8_t type = p->c->buf[(size_t)i * WT_SUBSCRIPTION_SIZE + 8];

		if (r & POLLNVAL)
			add_event(p, i, WT_EBADF, type, 0, 0);
		else if (r & POLLERR)
			add_event(p, i, WT_EIO, type, 0, 0);
		else if (r)
			add_event(p, i, 0, type, 0, (r & POLLHUP) ? WT_EVRW_HANGUP : 0);
	}
}

/* The clocks due after elapsed ns; at least the earliest one. */
static void collect_clocks(poller *p, uint64_t elapsed)
{
	for (uint32_t i = 0; i < p->c->a32; i++)
		if (p->clock_ns[i] >= 0 && (uint64_t)p->clock_ns[i] <= elapsed)
			add_event(p, i, 0, WT_EVENTTYPE_CLOCK, 0, 0);
	for (uint32_t i = 0; i < p->c->a32 && p->nevents == 0; i++)
		if (p->clock_ns[i] == p->wait_ns)
			add_event(p, i, 0, WT_EVENTTYPE_CLOCK, 0, 0);
}

/* Waits for the fds and the earliest clock. With fake clocks the fds are
 * only looked at (when a clock is subscribed), and when none is ready the
 * fake clocks move on by the earliest wait instead of the run sleeping. */
static int wait_events(poller *p)
{
	int fake = p->c->w->fakes.clocks;
	int64_t timeout = p->nevents || (fake && p->wait_ns >= 0) ? 0 : p->wait_ns;
	uint64_t start = wt_host_monotonic();

	if (p->npfds || (p->nevents == 0 && p->wait_ns >= 0 && !fake)) {
		int r = wt_host_poll(p->c->w->host, p->pfds, p->npfds, timeout);
		if (r < 0)
			return wt_wasi_errno(r);
	}
	collect_fds(p);
	if (p->nevents || p->wait_ns < 0)
		return 0;
	if (fake) {
		wt_fakes_sleep(&p->c->w->fakes, (uint64_t)p->wait_ns);
		collect_clocks(p, (uint64_t)p->wait_ns);
	} else {
		collect_clocks(p, wt_host_monotonic() - start);
	}
	return 0;
}

/* The clocks (1 << id) that subscriptions wait on until an absolute
 * time: such a wait tells the clock's value, so the policy is asked for
 * them (a relative wait tells nothing of any clock). */
static uint32_t abs_clocks(const uint8_t *subs, uint32_t n)
{
	uint32_t mask = 0;

	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *s = subs + (size_t)i * WT_SUBSCRIPTION_SIZE;
		uint32_t id = wt_le32(s + 16);

		if (s[8] == WT_EVENTTYPE_CLOCK && (wt_le16(s + 40) & WT_SUBCLOCK_ABSTIME) &&
		    id < 32)
			mask |= 1u << id;
	}
	return mask;
}

int wt_wasi_dec_poll_oneoff(wt_gcall *c, const uint64_t *a)
{
	uint32_t n = (uint32_t)a[2];

	c->a32 = n;
	c->ev.size = n;
	if (n == 0 || n > WT_POLL_MAX)
		return WT_EINVAL;
	if (!(c->buf = wt_gate_span(c, a[0], (uint64_t)n * WT_SUBSCRIPTION_SIZE)) ||
	    !(c->out = wt_gate_span(c, a[1], (uint64_t)n * WT_EVENT_SIZE)) ||
	    !(c->out2 = wt_gate_span(c, a[3], 4)))
		return WT_EFAULT;
	c->ev.clock_mask = abs_clocks(c->buf, n);
	return 0;
}

int wt_wasi_act_poll_oneoff(wt_gcall *c, const uint64_t *a)
{
	uint32_t n = c->a32;
	poller p = {c, NULL, NULL, 0, 0, -1, NULL};
	int rc = 0;

	p.pfds = malloc(n * sizeof *p.pfds);
	p.pfd_sub = malloc(n * sizeof *p.pfd_sub);
	p.clock_ns = malloc(n * sizeof *p.clock_ns);
	if (!p.pfds || !p.pfd_sub || !p.clock_ns) {
		rc = WT_ENOMEM;
		goto done;
	}
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *s = c->buf + (size_t)i * WT_SUBSCRIPTION_SIZE;
		uint8_t tag = s[8];

		p.clock_ns[i] = -1;
		if (tag == WT_EVENTTYPE_CLOCK)
			take_clock(&p, i, s);
		else if (tag == WT_EVENTTYPE_FD_READ || tag == WT_EVENTTYPE_FD_WRITE)
			take_fd(&p, i, s, tag);
		else
			add_event(&p, i, WT_EINVAL, tag, 0, 0);
	}
	if ((rc = wait_events(&p)))
		goto done;
	wt_put32(c->out2, p.nevents);
	c->ev.done = p.nevents;
done:
	free(p.pfds);
	free(p.pfd_sub);
	free(p.clock_ns);
	return rc;
}
