/* journal_fold.h: the writer's folding: calls in, lines out (repeats and cycles). */
#ifndef WT_JOURNAL_FOLD_H
#define WT_JOURNAL_FOLD_H

#include "journal.h"

/* Takes one line: n == 1 a call line (calls[0], its count the repeats),
 * n > 1 a cycle line (calls[0..n), as wt_journal_call describes them).
 * calls and their strings are valid during the call only. */
typedef void (*wt_journal_fold_emit)(void *ctx, const wt_journal_call *calls, size_t n);

/* A call the folder keeps past its observe(): the event with its own
 * copies of its strings, in buf. */
typedef struct wt_journal_kept {
	wt_event ev;
	char *buf;
	size_t cap;
} wt_journal_kept;

/* The folder. Calls come in one by one; what leaves, in order, is lines.
 *
 *   held      cyclable calls not yet in a line, oldest first (a ring of
 *             WT_JOURNAL_HELD), kept until they are seen not to start a
 *             repeat or a cycle
 *   the fold  the line being folded: `len` calls (elem, each with the
 *             sums of size and done over its calls so far) made `rounds`
 *             times, then `pos` calls of the next round (part: what they
 *             had of their own); len 0: none. While a fold is open
 *             nothing is held.
 *
 * Lines depend on the calls alone (their kinds, fds, paths, results and
 * seqs), never on time, so the same run gives the same lines. */
typedef struct wt_journal_fold {
	wt_journal_fold_emit emit;
	void *ctx;
	int nomem; /* a copy failed: a line lost a string */
	unsigned len, pos;
	uint64_t rounds;
	wt_journal_kept elem[WT_JOURNAL_CYCLE_MAX];
	struct {
		uint64_t time_ns, size, done;
	} part[WT_JOURNAL_CYCLE_MAX];
	wt_journal_kept held[WT_JOURNAL_HELD];
	unsigned head, nheld;
	uint64_t next_seq; /* the seq that folds with the calls before; 0: none yet */
} wt_journal_fold;

void wt_journal_fold_init(wt_journal_fold *f, wt_journal_fold_emit emit, void *ctx);

/* Takes the next call (ev and its strings are borrowed for the call). */
void wt_journal_fold_call(wt_journal_fold *f, const wt_event *ev);

/* Emits every call taken and not yet in a line. */
void wt_journal_fold_flush(wt_journal_fold *f);

/* Frees what f holds (without emitting it). */
void wt_journal_fold_fini(wt_journal_fold *f);

#endif
