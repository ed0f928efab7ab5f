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
#define WT_JOURNAL_VERSION 1

enum {
	WT_JOURNAL_BUFFER = 4096,   /* bytes of lines held in memory before a write(2) */
	WT_JOURNAL_FOLD_MAX = 1024, /* calls folded into one line at most */
};

/* One call line: one WASI call, or `count` consecutive identical data
 * calls (see wt_journal_foldable) folded into one. In a folded line
 * ev.seq and ev.time_ns are the first call's, ev.size and ev.done the
 * sums over the calls; the calls' seqs are seq .. seq + count - 1.
 * ev.host_path and ev.host_path2 are never journaled (the header's
 * mounts give them) and read back as NULL. */
typedef struct wt_journal_call {
	wt_event ev;
	uint64_t count; /* >= 1 */
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
	/* Added: the run's fake clocks and random ("fake_clocks", "fake_random":
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
	X(WT_JOURNAL_ERROR, "error")

typedef enum {
#define WT_X_ENUM(name, text) name,
	WT_JOURNAL_HOW_LIST(WT_X_ENUM)
#undef WT_X_ENUM
} wt_journal_how;

typedef struct wt_journal_end {
	wt_journal_how how;
	uint32_t exit_code;  /* WT_JOURNAL_EXIT */
	const char *message; /* trap text, signal name ("SIGINT"), error text */
	uint64_t calls;	     /* WASI calls (folded ones counted one by one) */
	uint64_t lines;	     /* call lines */
	uint64_t errors;     /* calls whose errno was not success */
	uint64_t duration_ns;
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

/* 1 when consecutive identical calls of this kind may be folded (reads,
 * writes, seeks, tells, readdir, syncs, clock reads, random, yields). */
int wt_journal_foldable(wt_wasi_call call);

/* 1 when b may be folded into a (same call, fd, paths, rights, flags,
 * errno, verdict ...; only seq, time and byte counts differ). */
int wt_journal_same(const wt_event *a, const wt_event *b);

/* ---- the writer ---- */

typedef struct wt_journal_writer wt_journal_writer;

/* Creates (or truncates) the file at path, mode 0644, and buffers the
 * header line. Returns 0, or WT_IO / WT_NOMEM with a message. */
int wt_journal_writer_open(const char *path, const wt_journal_header *h, wt_journal_writer **out,
			   wt_error *err);

/* Journals one call (after it happened). Folds it into the pending line
 * when it may; buffers lines and writes them when WT_JOURNAL_BUFFER is
 * full or 100 ms have passed since the last write (by the events' own
 * clock). Never fails: a write error is kept and reported by close. */
void wt_journal_writer_call(wt_journal_writer *w, const wt_event *ev);

/* Writes out the pending line and the buffer now. */
void wt_journal_writer_flush(wt_journal_writer *w);

/* Writes the end line (its calls/lines/errors are the writer's own
 * counts; how, exit_code, message and duration come from end), flushes,
 * closes and frees w. Returns 0 or the first write error (WT_IO). */
int wt_journal_writer_close(wt_journal_writer *w, const wt_journal_end *end, wt_error *err);

/* Frees w without an end line (what a killed run leaves). NULL is fine. */
void wt_journal_writer_abandon(wt_journal_writer *w);

/* ---- the reader ---- */

/* Parses a journal held in memory. A malformed line (bad JSON, a wrong
 * type, an unknown call, right or errno name, a header that is missing
 * or of another format or version) is WT_MALFORMED with line:column. A
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

#endif
