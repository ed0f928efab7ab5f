/* journal_fold.c: the writer's folding: repeats of a call and cycles of 2-4 calls into lines. */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "journal_fold.h"

/* A run of this many identical calls opens a repeat: no cycle of at
 * most WT_JOURNAL_CYCLE_MAX calls (not all alike) made twice holds one,
 * so a shorter run waits in case it is part of a cycle. */
enum { REPEAT_AT = WT_JOURNAL_CYCLE_MAX };

/* ---- kept calls ---- */

/* Copies n bytes of s (no NUL inside) to *p, NUL-terminated; moves *p on. */
static const char *copy_string(char **p, const char *s, size_t n)
{
	char *out = *p;

	memcpy(out, s, n);
	out[n] = '\0';
	*p += n + 1;
	return out;
}

/* Copies ev into k, its strings into k's buffer (grown when needed). */
static void keep(wt_journal_fold *f, wt_journal_kept *k, const wt_event *ev)
{
	size_t n1 = ev->fd_path ? strlen(ev->fd_path) : 0;
	size_t need = (ev->fd_path ? n1 + 1 : 0) + (ev->path ? ev->path_len + 1u : 0) +
		      (ev->path2 ? ev->path2_len + 1u : 0);
	char *p;

	k->ev = *ev;
	k->ev.host_path = k->ev.host_path2 = NULL;
	if (WT_GROW(&k->buf, &k->cap, need, 256)) {
		f->nomem = 1;
		k->ev.fd_path = k->ev.path = k->ev.path2 = NULL;
		k->ev.path_len = k->ev.path2_len = 0;
		return;
	}
	p = k->buf;
	if (ev->fd_path)
		k->ev.fd_path = copy_string(&p, ev->fd_path, n1);
	if (ev->path)
		k->ev.path = copy_string(&p, ev->path, ev->path_len);
	if (ev->path2)
		k->ev.path2 = copy_string(&p, ev->path2, ev->path2_len);
}

static void swap_kept(wt_journal_kept *a, wt_journal_kept *b)
{
	wt_journal_kept t = *a;

	*a = *b;
	*b = t;
}

static int same(const wt_journal_kept *a, const wt_journal_kept *b)
{
	return wt_journal_same(&a->ev, &b->ev);
}

/* ---- lines out ---- */

/* A call line: ev (its size and done already the sums) made count times. */
static void emit_repeat(wt_journal_fold *f, const wt_event *ev, uint64_t count)
{
	wt_journal_call c = {*ev, count, 1, 0};

	f->emit(f->ctx, &c, 1);
}

/* The fold's line: a call line for a repeat, a cycle line for a cycle. */
static void emit_fold(wt_journal_fold *f)
{
	wt_journal_call c[WT_JOURNAL_CYCLE_MAX];

	if (f->len == 1) {
		emit_repeat(f, &f->elem[0].ev, f->rounds);
		return;
	}
	for (unsigned k = 0; k < f->len; k++) {
		c[k] = (wt_journal_call){f->elem[k].ev, f->rounds, f->len, k};
		c[k].ev.time_ns = f->elem[0].ev.time_ns;
	}
	f->emit(f->ctx, c, f->len);
}

/* ---- held calls ---- */

static wt_journal_kept *held_at(wt_journal_fold *f, unsigned i)
{
	return &f->held[(f->head + i) % WT_JOURNAL_HELD];
}

static void push_held(wt_journal_fold *f, const wt_event *ev)
{
	keep(f, held_at(f, f->nheld), ev);
	f->nheld++;
}

/* The calls held at i .. i + n - 1 are one call made n times. */
static int held_run(wt_journal_fold *f, unsigned i, unsigned n)
{
	for (unsigned k = 1; k < n; k++)
		if (!same(held_at(f, i), held_at(f, i + k)))
			return 0;
	return 1;
}

/* How many of the oldest n held calls are the oldest one made over. */
static unsigned front_run(wt_journal_fold *f, unsigned n)
{
	unsigned run = 1;

	while (run < n && same(held_at(f, 0), held_at(f, run)))
		run++;
	return run;
}

/* Emits the oldest n held calls, a run of identical ones as one line. */
static void emit_held(wt_journal_fold *f, unsigned n)
{
	while (n > 0) {
		wt_event ev = held_at(f, 0)->ev;
		unsigned run = front_run(f, n);

		for (unsigned k = 1; k < run; k++) {
			ev.size += held_at(f, k)->ev.size;
			ev.done += held_at(f, k)->ev.done;
		}
		emit_repeat(f, &ev, run);
		f->head = (f->head + run) % WT_JOURNAL_HELD;
		f->nheld -= run;
		n -= run;
	}
}

/* The n held calls from i are one cycle of n calls that is not a
 * shorter cycle made several times. */
static int primitive(wt_journal_fold *f, unsigned i, unsigned n)
{
	for (unsigned d = 1; d < n; d++) {
		unsigned k = 0;

		if (n % d != 0)
			continue;
		while (k + d < n && same(held_at(f, i + k), held_at(f, i + k + d)))
			k++;
		if (k + d == n)
			return 0; /* a cycle of d calls, made n / d times */
	}
	return 1;
}

/* The newest 2 * len held calls are a cycle of len calls made twice. */
static int held_cycle(wt_journal_fold *f, unsigned len)
{
	unsigned from = f->nheld - 2 * len;

	for (unsigned k = len; k-- > 0;)
		if (!same(held_at(f, from + k), held_at(f, from + len + k)))
			return 0;
	return primitive(f, from, len);
}

/* Opens the fold on the newest len * rounds held calls (a cycle of len
 * calls made rounds times); the older ones go out as lines first. */
static void open_from_held(wt_journal_fold *f, unsigned len, unsigned rounds)
{
	emit_held(f, f->nheld - len * rounds);
	for (unsigned k = 0; k < len; k++) {
		wt_journal_kept *e = &f->elem[k];

		swap_kept(e, held_at(f, k));
		for (unsigned r = 1; r < rounds; r++) {
			e->ev.size += held_at(f, k + r * len)->ev.size;
			e->ev.done += held_at(f, k + r * len)->ev.done;
		}
	}
	f->nheld = 0;
	f->len = len;
	f->rounds = rounds;
	f->pos = 0;
}

/* After a call was held: a repeat or a cycle at the end of the held
 * calls opens the fold; else, when they are as many as can be held, the
 * oldest leave (a run of them as one line). */
static void find_fold(wt_journal_fold *f)
{
	unsigned n = f->nheld;

	if (n >= REPEAT_AT && held_run(f, n - REPEAT_AT, REPEAT_AT)) {
		open_from_held(f, 1, REPEAT_AT);
		return;
	}
	for (unsigned len = 2; len <= WT_JOURNAL_CYCLE_MAX; len++) {
		if (n >= 2 * len && held_cycle(f, len)) {
			open_from_held(f, len, 2);
			return;
		}
	}
	if (n == WT_JOURNAL_HELD)
		emit_held(f, front_run(f, n));
}

/* ---- the fold ---- */

/* Emits the fold's line; the calls of its last, incomplete round are
 * held again (they may start something else). */
static void close_fold(wt_journal_fold *f)
{
	unsigned pos = f->pos;

	for (unsigned k = 0; k < pos; k++) { /* the incomplete round is not the line's */
		f->elem[k].ev.size -= f->part[k].size;
		f->elem[k].ev.done -= f->part[k].done;
	}
	emit_fold(f);
	for (unsigned k = 0; k < pos; k++) {
		wt_event ev = f->elem[k].ev;

		ev.seq += f->rounds * f->len;
		ev.time_ns = f->part[k].time_ns;
		ev.size = f->part[k].size;
		ev.done = f->part[k].done;
		push_held(f, &ev);
	}
	f->len = f->pos = 0;
	f->rounds = 0;
}

/* Takes ev into the fold when it is the call the fold expects next. */
static int absorb(wt_journal_fold *f, const wt_event *ev)
{
	wt_journal_kept *e = &f->elem[f->pos];

	if (!wt_journal_same(&e->ev, ev))
		return 0;
	e->ev.size += ev->size;
	e->ev.done += ev->done;
	f->part[f->pos].time_ns = ev->time_ns;
	f->part[f->pos].size = ev->size;
	f->part[f->pos].done = ev->done;
	if (++f->pos < f->len)
		return 1;
	f->pos = 0;
	if (++f->rounds * f->len + f->len > WT_JOURNAL_FOLD_MAX)
		close_fold(f);
	return 1;
}

void wt_journal_fold_init(wt_journal_fold *f, wt_journal_fold_emit emit, void *ctx)
{
	memset(f, 0, sizeof *f);
	f->emit = emit;
	f->ctx = ctx;
}

void wt_journal_fold_call(wt_journal_fold *f, const wt_event *ev)
{
	if (f->next_seq && ev->seq != f->next_seq)
		wt_journal_fold_flush(f); /* nothing folds across a gap in the seqs */
	f->next_seq = ev->seq + 1;
	if (f->len && absorb(f, ev))
		return;
	if (f->len)
		close_fold(f);
	if (wt_journal_cyclable(ev->call) && !ev->path && !ev->path2) {
		push_held(f, ev);
		find_fold(f);
		return;
	}
	emit_held(f, f->nheld);
	if (!wt_journal_foldable(ev->call)) {
		emit_repeat(f, ev, 1);
		return;
	}
	keep(f, &f->elem[0], ev);
	f->len = 1;
	f->rounds = 1;
}

void wt_journal_fold_flush(wt_journal_fold *f)
{
	if (f->len)
		close_fold(f);
	emit_held(f, f->nheld);
}

void wt_journal_fold_fini(wt_journal_fold *f)
{
	for (unsigned k = 0; k < WT_JOURNAL_CYCLE_MAX; k++)
		free(f->elem[k].buf);
	for (unsigned k = 0; k < WT_JOURNAL_HELD; k++)
		free(f->held[k].buf);
	memset(f, 0, sizeof *f);
}
