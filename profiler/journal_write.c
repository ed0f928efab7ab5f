/* journal_write.c: the journal writer: a line buffer flushed with write(2), the cap, header/end. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal_fold.h"
#include "journal_json.h"

enum { FLUSH_AFTER_NS = 100 * 1000 * 1000 };

struct wt_journal_writer {
	int fd;
	int io_errno; /* the first write error, or 0 */
	int capped;   /* a call line did not fit under max: none is written any more */
	uint64_t max; /* the cap in bytes, 0: none */
	uint64_t bytes;
	uint64_t calls, lines, errors;
	uint64_t journaled;	/* calls in the lines written */
	uint64_t last_flush_ns; /* the events' clock at the last write */
	wt_journal_fold fold;
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

static void no_memory(wt_journal_writer *w)
{
	w->io_errno = w->io_errno ? w->io_errno : ENOMEM;
}

/* Appends a JSON object (taken) as one line: into the buffer when it
 * fits (written out first when it does not), else written on its own.
 * A call line (capped_by_max) that would leave less than
 * WT_JOURNAL_END_ROOM bytes under the cap is not written: the writer is
 * capped. Returns 0 when the line was written. */
static int put_line(wt_journal_writer *w, json_t *o, int capped_by_max)
{
	size_t room = sizeof w->buf - w->used, n;
	char *big = NULL;

	if (!o) {
		no_memory(w);
		return -1;
	}
	n = json_dumpb(o, w->buf + w->used, room, WT_JOURNAL_JSON_FLAGS);
	if (n + 1 > room) {
		flush_buffer(w);
		n = json_dumpb(o, w->buf, sizeof w->buf, WT_JOURNAL_JSON_FLAGS);
		if (n + 1 > sizeof w->buf && !(big = json_dumps(o, WT_JOURNAL_JSON_FLAGS)))
			no_memory(w);
	}
	json_decref(o);
	if (capped_by_max && w->max &&
	    (w->max < WT_JOURNAL_END_ROOM || w->bytes + n + 1 > w->max - WT_JOURNAL_END_ROOM)) {
		w->capped = 1;
		free(big);
		return -1;
	}
	if (big) {
		write_all(w, big, n);
		write_all(w, "\n", 1);
		free(big);
	} else if (n + 1 <= sizeof w->buf - w->used) {
		w->used += n;
		w->buf[w->used++] = '\n';
	} else {
		return -1; /* out of memory for a line too long for the buffer */
	}
	w->bytes += n + 1;
	return 0;
}

/* The folder's output (journal_fold.h): one call or cycle line. */
static void put_calls(void *ctx, const wt_journal_call *c, size_t n)
{
	wt_journal_writer *w = ctx;

	if (w->capped)
		return;
	if (put_line(w, n == 1 ? wt_journal_call_json(c) : wt_journal_cycle_json(c, n), 1))
		return;
	w->lines++;
	w->journaled += c[0].count * n;
}

int wt_journal_writer_call(wt_journal_writer *w, const wt_event *ev)
{
	w->calls++;
	w->errors += ev->errno_result != 0;
	if (w->capped)
		return 1;
	wt_journal_fold_call(&w->fold, ev);
	if (ev->time_ns - w->last_flush_ns >= FLUSH_AFTER_NS && w->used) {
		flush_buffer(w);
		w->last_flush_ns = ev->time_ns;
	}
	return w->capped;
}

void wt_journal_writer_flush(wt_journal_writer *w)
{
	if (!w->capped)
		wt_journal_fold_flush(&w->fold);
	flush_buffer(w);
}

int wt_journal_writer_capped(const wt_journal_writer *w)
{
	return w->capped;
}

void wt_journal_writer_set_max(wt_journal_writer *w, uint64_t max)
{
	w->max = max;
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
	w->max = WT_JOURNAL_MAX_DEFAULT;
	wt_journal_fold_init(&w->fold, put_calls, w);
	put_line(w, wt_journal_header_json(h), 0);
	/* The header goes to disk at once: a killed run still leaves it. */
	flush_buffer(w);
	*out = w;
	return 0;
}

static void free_writer(wt_journal_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	wt_journal_fold_fini(&w->fold);
	free(w);
}

int wt_journal_writer_close(wt_journal_writer *w, const wt_journal_end *end, wt_error *err)
{
	wt_journal_end e = *end;
	int io;

	wt_journal_writer_flush(w);
	if (w->fold.nomem)
		no_memory(w);
	if (w->capped) {
		e.how = WT_JOURNAL_CAP;
		e.exit_code = 0;
		e.message =
		    "stopped: the next line would have passed the journal's cap (--journal-max)";
		e.journal_max = w->max;
		e.unjournaled = w->calls - w->journaled;
	}
	e.calls = w->calls;
	e.lines = w->lines;
	e.errors = w->errors;
	put_line(w, wt_journal_end_json(&e), 0);
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
