/* journal_write.c: the journal writer: a line buffer flushed with write(2), folding, header/end. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal_json.h"

enum { FLUSH_AFTER_NS = 100 * 1000 * 1000 };

struct wt_journal_writer {
	int fd;
	int io_errno;		 /* the first write error, or 0 */
	wt_journal_call pending; /* the line being folded, valid when has_pending */
	int has_pending;
	char *fd_path; /* pending's own copy of its fd_path */
	uint64_t calls, lines, errors;
	uint64_t last_flush_ns; /* the events' clock at the last write */
	size_t used;
	char buf[WT_JOURNAL_BUFFER];
};

/* Writes all of p[0..n); keeps the first error. */
static void write_all(wt_journal_writer *w, const char *p, size_t n)
{
	while (n > 0 && !w->io_errno) {
		ssize_t k = write(w->fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			w->io_errno = errno;
			return;
		}
		p += k;
		n -= (size_t)k;
	}
}

static void flush_buffer(wt_journal_writer *w)
{
	write_all(w, w->buf, w->used);
	w->used = 0;
}

/* Appends a JSON object as one line: into the buffer when it fits
 * (written out first when it does not), else written on its own. */
static void put_line(wt_journal_writer *w, json_t *o)
{
	size_t room = sizeof w->buf - w->used, n;
	char *big;

	if (!o) {
		w->io_errno = w->io_errno ? w->io_errno : ENOMEM;
		return;
	}
	n = json_dumpb(o, w->buf + w->used, room, WT_JOURNAL_JSON_FLAGS);
	if (n + 1 > room) {
		flush_buffer(w);
		n = json_dumpb(o, w->buf, sizeof w->buf, WT_JOURNAL_JSON_FLAGS);
	}
	if (n + 1 <= sizeof w->buf - w->used) {
		w->used += n;
		w->buf[w->used++] = '\n';
	} else if ((big = json_dumps(o, WT_JOURNAL_JSON_FLAGS))) {
		write_all(w, big, strlen(big));
		write_all(w, "\n", 1);
		free(big);
	} else {
		w->io_errno = w->io_errno ? w->io_errno : ENOMEM;
	}
	json_decref(o);
}

/* Moves the pending line into the buffer. */
static void emit_pending(wt_journal_writer *w)
{
	if (!w->has_pending)
		return;
	put_line(w, wt_journal_call_json(&w->pending));
	w->lines++;
	w->has_pending = 0;
	free(w->fd_path);
	w->fd_path = NULL;
}

/* Starts a pending line from ev; the event's strings are copied (they
 * live only during the call). Paths only come with calls that never
 * fold, so only fd_path is kept. */
static void start_pending(wt_journal_writer *w, const wt_event *ev)
{
	w->pending.ev = *ev;
	w->pending.count = 1;
	w->pending.ev.host_path = w->pending.ev.host_path2 = NULL;
	w->fd_path = ev->fd_path ? strdup(ev->fd_path) : NULL;
	if (ev->fd_path && !w->fd_path) {
		w->io_errno = w->io_errno ? w->io_errno : ENOMEM;
		w->pending.ev.fd_path = NULL;
	} else {
		w->pending.ev.fd_path = w->fd_path;
	}
	w->has_pending = 1;
}

static int folds_into_pending(const wt_journal_writer *w, const wt_event *ev)
{
	const wt_journal_call *p = &w->pending;

	return w->has_pending && p->count < WT_JOURNAL_FOLD_MAX &&
	       p->ev.seq + p->count == ev->seq && !ev->path && !ev->path2 &&
	       wt_journal_same(&p->ev, ev);
}

void wt_journal_writer_call(wt_journal_writer *w, const wt_event *ev)
{
	wt_journal_call one;

	w->calls++;
	w->errors += ev->errno_result != 0;
	if (folds_into_pending(w, ev)) {
		w->pending.count++;
		w->pending.ev.size += ev->size;
		w->pending.ev.done += ev->done;
	} else {
		emit_pending(w);
		if (wt_journal_foldable(ev->call) && !ev->path && !ev->path2) {
			start_pending(w, ev);
		} else {
			one.ev = *ev;
			one.ev.host_path = one.ev.host_path2 = NULL;
			one.count = 1;
			put_line(w, wt_journal_call_json(&one));
			w->lines++;
		}
	}
	if (ev->time_ns - w->last_flush_ns >= FLUSH_AFTER_NS && w->used) {
		flush_buffer(w);
		w->last_flush_ns = ev->time_ns;
	}
}

void wt_journal_writer_flush(wt_journal_writer *w)
{
	emit_pending(w);
	flush_buffer(w);
}

int wt_journal_writer_open(const char *path, const wt_journal_header *h, wt_journal_writer **out,
			   wt_error *err)
{
	wt_journal_writer *w = calloc(1, sizeof *w);

	*out = NULL;
	if (!w)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd < 0) {
		free(w);
		return wt_fail_plain(err, WT_IO, "%s: cannot create the journal: %s", path,
				     strerror(errno));
	}
	put_line(w, wt_journal_header_json(h));
	/* The header goes to disk at once: a killed run still leaves it. */
	flush_buffer(w);
	*out = w;
	return 0;
}

static void free_writer(wt_journal_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	free(w->fd_path);
	free(w);
}

int wt_journal_writer_close(wt_journal_writer *w, const wt_journal_end *end, wt_error *err)
{
	wt_journal_end e = *end;
	int io;

	emit_pending(w);
	e.calls = w->calls;
	e.lines = w->lines;
	e.errors = w->errors;
	put_line(w, wt_journal_end_json(&e));
	flush_buffer(w);
	if (!w->io_errno && close(w->fd) != 0)
		w->io_errno = errno;
	w->fd = -1;
	io = w->io_errno;
	free_writer(w);
	if (io)
		return wt_fail_plain(err, WT_IO, "cannot write the journal: %s", strerror(io));
	return 0;
}

void wt_journal_writer_abandon(wt_journal_writer *w)
{
	if (w)
		free_writer(w);
}
