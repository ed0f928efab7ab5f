/* journal.h: the journal of a recorded run: its model, the writer and the reader. */
#ifndef WT_JOURNAL_H
#define WT_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "error.h"
#include "gate.h"
#include "sha256.h"
#include "wasi.h"

/* docs/journal.md is the reference of the format. */
#define WT_JOURNAL_FORMAT "wasi-tofu-journal"
#define WT_JOURNAL_VERSION 2 /* the version written; the reader takes 1 and 2 */

/* The default cap of a journal's size (record --journal-max). */
#define WT_JOURNAL_MAX_DEFAULT ((uint64_t)256 << 20)

enum {
	WT_JOURNAL_BUFFER = 4096,		    /* bytes of lines held before a write(2) */
	WT_JOURNAL_FOLD_MAX = 1024,		    /* calls folded into one line at most */
	WT_JOURNAL_CYCLE_MAX = 4,		    /* calls in the cycle of a cycle line */
	WT_JOURNAL_HELD = 2 * WT_JOURNAL_CYCLE_MAX, /* calls held back to find a cycle */
	WT_JOURNAL_END_ROOM = 4096,		    /* bytes kept under the cap for the end */
};

/* One call line, or one call of a cycle line (docs/journal.md, "Folding").
 *
 * A call line is one WASI call, or `count` consecutive identical calls
 * (wt_journal_foldable) folded into one: ev.seq and ev.time_ns are the
 * first call's, ev.size and ev.done the sums over the calls, whose seqs
 * are seq .. seq + count - 1. cycle is 1 and pos 0.
 *
 * A cycle line is a cycle of `cycle` (2 .. WT_JOURNAL_CYCLE_MAX) calls
 * made `count` times over, e.g. fd_seek, fd_read, fd_seek, fd_read ...
 * It reads back as `cycle` entries, one per call of the cycle in order
 * (pos 0 .. cycle - 1), each with the same count and cycle: entry pos
 * stands for the calls seq, seq + cycle, seq + 2 * cycle ... (its ev.seq
 * is the first of them, ev.time_ns the line's first call's), with
 * ev.size and ev.done the sums over them. In array order the entries of
 * a journal come in the order of their first calls, each with how many
 * calls it stands for; replayed (a cycle line's entries taken in turn,
 * count times over) they give every call in order.
 *
 * ev.host_path and ev.host_path2 are never journaled (the header's
 * mounts give them) and read back as NULL. */
typedef struct wt_journal_call {
	wt_event ev;
	uint64_t count; /* >= 1 */
	uint32_t cycle; /* 1 (0 is taken as 1 by the writer), or the calls in a cycle line */
	uint32_t pos;	/* 0 .. cycle - 1: this call's place in its cycle */
} wt_journal_call;

/* The header line: what ran and how. Strings are NUL-terminated. */
typedef struct wt_journal_header {
	int version;
	const char *tool_version;
	const char *module_path;
	uint64_t module_size;
	char sha256[WT_SHA256_HEX]; /* lowercase hex */
	int argc;
	const char *const *argv;
	int nenv;
	const char *const *env_names; /* names only: values are never journaled */
	int nmounts;
	const wt_mount *mounts;
	const char *cwd;   /* the guest working directory */
	const char *start; /* UTC, "2024-05-01T12:34:56.789Z" */
	/* The run's fake clocks and random ("fake_clocks", "fake_random":
	 * SEED); only fake_clocks, fake_random and random_seed are journaled.
	 * Zero: the host's clocks and random. */
	wt_wasi_fakes fakes;
} wt_journal_header;

/* How the run ended: the end line. WT_JOURNAL_CUT: there was none. */
#define WT_JOURNAL_HOW_LIST(X)         \
	X(WT_JOURNAL_CUT, "cut")       \
	X(WT_JOURNAL_EXIT, "exit")     \
	X(WT_JOURNAL_TRAP, "trap")     \
	X(WT_JOURNAL_SIGNAL, "signal") \
	X(WT_JOURNAL_ERROR, "error")   \
	X(WT_JOURNAL_CAP, "cap")

typedef enum {
#define WT_X_ENUM(name, text) name,
	WT_JOURNAL_HOW_LIST(WT_X_ENUM)
#undef WT_X_ENUM
} wt_journal_how;

typedef struct wt_journal_end {
	wt_journal_how how;
	uint32_t exit_code;  /* WT_JOURNAL_EXIT */
	const char *message; /* trap text, signal name ("SIGINT"), error text, the cap */
	uint64_t calls;	     /* WASI calls (folded ones counted one by one) */
	uint64_t lines;	     /* call lines */
	uint64_t errors;     /* calls whose errno was not success */
	uint64_t duration_ns;
	uint64_t journal_max; /* WT_JOURNAL_CAP: the cap, in bytes */
	uint64_t unjournaled; /* WT_JOURNAL_CAP: calls made that the journal does not hold */
} wt_journal_end;

/* A journal read back. Every string lives in arena. */
typedef struct wt_journal {
	wt_journal_header header;
	wt_journal_call *calls;
	size_t ncalls;
	wt_journal_end end; /* end.how == WT_JOURNAL_CUT when there was no end line */
	int cut_short;	    /* 1: no end line, or a last line cut mid-way */
	unsigned nlines;    /* complete lines used */
	wt_arena arena;
} wt_journal;

/* Names, for the JSON form and for people. Each returns NULL for a value
 * without a name. */
const char *wt_journal_how_name(wt_journal_how how);
const char *wt_journal_verdict_name(wt_verdict v);
/* "success", "ENOENT", ... from a WASI errno. */
const char *wt_journal_errno_name(unsigned e, char *buf, size_t size);
const char *wt_journal_clock_name(uint32_t id);
/* "stdin", "stdout", "stderr" for WT_EV_STD* (gate.h); "" for none. */
const char *wt_journal_stdio_name(uint8_t stdio);
/* The WT_EV_STD* of a name: 0 and *out, or -1. */
int wt_journal_stdio_parse(const char *s, size_t n, uint8_t *out);

/* 1 when consecutive identical calls of this kind may be folded into
 * one line: the data calls of wt_journal_cyclable and every path call. */
int wt_journal_foldable(wt_wasi_call call);

/* 1 when calls of this kind may make up a cycle line: calls on an fd's
 * data or metadata, clocks, random, yields and polls (no path call). */
int wt_journal_cyclable(wt_wasi_call call);

/* 1 when b may be folded into a (same call, fd, paths, rights, flags,
 * errno, verdict ...; only seq, time and byte counts differ). */
int wt_journal_same(const wt_event *a, const wt_event *b);

/* ---- the writer ---- */

typedef struct wt_journal_writer wt_journal_writer;

/* Creates (or truncates) the file at path, mode 0644, and buffers the
 * header line. Returns 0, or WT_IO / WT_NOMEM with a message. */
int wt_journal_writer_open(const char *path, const wt_journal_header *h, wt_journal_writer **out,
			   wt_error *err);

/* Caps the journal at max bytes (0: no cap). A writer starts with
 * WT_JOURNAL_MAX_DEFAULT. Call lines are written while they leave
 * WT_JOURNAL_END_ROOM bytes under the cap for the end line; the first
 * that does not caps the writer (wt_journal_writer_capped): from then on
 * nothing but the end line is written, and that says "cap". The header
 * is always written: only a header bigger than max - WT_JOURNAL_END_ROOM
 * lets the journal pass max (by its end line). */
void wt_journal_writer_set_max(wt_journal_writer *w, uint64_t max);

/* Journals one call (after it happened). Folds it with the calls before
 * it when it may (repeats and cycles, journal_fold.c); buffers lines and
 * writes them when WT_JOURNAL_BUFFER is full or 100 ms have passed since
 * the last write (by the events' own clock). A write error is kept and
 * reported by close. Returns 0, or 1 when the writer is capped (this
 * call, and every call from now on, is not journaled). */
int wt_journal_writer_call(wt_journal_writer *w, const wt_event *ev);

/* Writes out the calls held for folding and the buffer now (this may
 * cap the writer). */
void wt_journal_writer_flush(wt_journal_writer *w);

/* 1 once a line did not fit under the cap. */
int wt_journal_writer_capped(const wt_journal_writer *w);

/* Writes the end line (its calls/lines/errors are the writer's own
 * counts; how, exit_code, message and duration come from end, except
 * that a capped writer always writes the "cap" end line with its own
 * message, journal_max and unjournaled), flushes, closes and frees w.
 * Returns 0 or the first write error (WT_IO). */
int wt_journal_writer_close(wt_journal_writer *w, const wt_journal_end *end, wt_error *err);

/* Frees w without an end line (what a killed run leaves). NULL is fine. */
void wt_journal_writer_abandon(wt_journal_writer *w);

/* ---- the reader ---- */

/* Parses a journal held in memory (version 1 or 2). A malformed line
 * (bad JSON, a wrong type, an unknown call, right or errno name, a
 * header that is missing or of another format or version, a cycle line
 * or "cap" end in a version 1 journal) is WT_MALFORMED with line:column. A
 * last line without its newline that does not parse is taken as cut
 * short, not as an error. *out is the caller's (wt_journal_free). */
int wt_journal_parse(const char *bytes, size_t len, wt_journal **out, wt_error *err);

/* The same for a file: WT_NOINPUT when it cannot be read. */
int wt_journal_read(const char *path, wt_journal **out, wt_error *err);

void wt_journal_free(wt_journal *j);

/* ---- the summary (`wasi-tofu journal show`) ---- */

/* Prints a readable summary of j to out: how the run ended, calls by
 * kind, each guest path with the rights used and the errors met, env
 * names, clocks, random bytes, stdio. Returns 0 or WT_NOMEM. */
int wt_journal_show(const wt_journal *j, FILE *out, wt_error *err);

/* The summary as JSON for `journal show --json` (show_json.c; schema in
 * docs/schemas/journal-summary.v1.schema.json): a new reference, NULL when
 * out of memory. path names the journal. */
struct json_t;
struct json_t *wt_journal_show_json(const wt_journal *j, const char *path);

#endif
