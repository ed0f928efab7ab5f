/* generate_bench.c: times the manifest generator on a synthetic run of N events (default
 * 1,000,000).
 *
 * usage: generate-bench [-n EVENTS] [--unfolded] [--journal FILE]
 *   Builds a build step's worth of events in memory: many reads and writes on open files,
 *   sources opened across a tree, config reads, missing-file probes, a cache of created files,
 *   clocks, random and stdout. Times wt_generate (and the YAML emit) on them, best of 3. With
 *   --journal, also writes them as a journal (the profiler's writer) and times reading it back
 *   and generating from it, as `wasi-tofu generate` does. The target is 2 s for 1,000,000 events.
 *   --unfolded makes the worst case for the journal: no two consecutive calls alike, so each
 *   event is a line of its own (distinct paths, fds taking turns), for timing the whole
 *   `wasi-tofu generate` command on the journal it writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "generate.h"
#include "journal.h"
#include "manifest.h"
#include "wasi_abi.h"

enum { RUNS = 3, SOURCES = 20000, CACHE = 5000 };

typedef struct synth {
	wt_event *ev;
	size_t n, cap;
	char **names; /* every path string, freed at the end */
	size_t nnames;
} synth;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *name(synth *s, const char *fmt, unsigned a, unsigned b)
{
	char buf[128];

	snprintf(buf, sizeof buf, fmt, a, b);
	return s->names[s->nnames++] = strdup(buf);
}

static wt_event *push(synth *s, wt_wasi_call call)
{
	wt_event *e = &s->ev[s->n];

	memset(e, 0, sizeof *e);
	e->seq = s->n + 1;
	e->time_ns = (s->n + 1) * 1000;
	e->call = call;
	e->fd = -1;
	e->new_fd = -1;
	s->n++;
	return e;
}

static void open_read(synth *s, const char *path, unsigned reads)
{
	wt_event *e = push(s, WT_WASI_path_open);

	e->fd = 3, e->path = path, e->path_len = (uint32_t)strlen(path), e->rights = WT_RIGHT_READ;
	e->new_fd = 7;
	for (unsigned i = 0; i < reads && s->n < s->cap; i++) {
		e = push(s, WT_WASI_fd_read);
		e->fd = 7, e->fd_path = path, e->rights = WT_RIGHT_READ, e->size = e->done = 4096;
	}
}

static void create_write(synth *s, const char *path, unsigned writes)
{
	wt_event *e = push(s, WT_WASI_path_open);

	e->fd = 4, e->path = path, e->path_len = (uint32_t)strlen(path);
	e->rights = WT_RIGHT_CREATE | WT_RIGHT_WRITE, e->flags = WT_OF_CREAT | WT_OF_EXCL;
	e->created = 1, e->new_fd = 8;
	for (unsigned i = 0; i < writes && s->n < s->cap; i++) {
		e = push(s, WT_WASI_fd_write);
		e->fd = 8, e->fd_path = path, e->rights = WT_RIGHT_WRITE, e->size = e->done = 512;
	}
}

/* n events: the mix of a compiler-like build step. */
static void build(synth *s, size_t n)
{
	unsigned i = 0;

	s->cap = n;
	s->ev = calloc(n, sizeof *s->ev);
	s->names = calloc(SOURCES * 2 + CACHE + 16, sizeof *s->names);
	if (!s->ev || !s->names)
		exit(70);
	open_read(s, name(s, "/src/build.cfg", 0, 0), 4);
	while (s->n + 64 < n) {
		unsigned k = i++;

		if (k < SOURCES) {
			open_read(s, name(s, "/src/pkg%u/mod%u.c", k % 200, k), 12);
			if (k % 10 == 0) { /* a probe of a header that is not there */
				wt_event *e = push(s, WT_WASI_path_filestat_get);

				e->path = name(s, "/src/pkg%u/missing%u.h", k % 200, k);
				e->path_len = (uint32_t)strlen(e->path);
				e->errno_result = WT_ENOENT;
			}
		} else if (k < SOURCES + CACHE) {
			create_write(s, name(s, "/out/cache/%08x%08x.o", k * 2654435761u, k), 24);
		} else {
			wt_event *e = push(s, k % 3 ? WT_WASI_fd_write : WT_WASI_clock_time_get);

			e->fd = 1, e->rights = WT_RIGHT_WRITE, e->clock_id = 1;
			if (k % 7 == 0)
				push(s, WT_WASI_random_get)->size = 16;
		}
	}
}

/* n events of which no two consecutive ones fold: open a distinct source, read it, write a
 * line to stdout, read it again, close it; every tenth source also probes a missing header. */
static void build_unfolded(synth *s, size_t n)
{
	unsigned k = 0;

	s->cap = n;
	s->ev = calloc(n, sizeof *s->ev);
	s->names = calloc(n / 5 * 2 + 16, sizeof *s->names);
	if (!s->ev || !s->names)
		exit(70);
	while (s->n + 8 < n) {
		const char *path = name(s, "/src/pkg%u/mod%u.c", k % 200, k);
		int32_t fd = 5 + (int32_t)(k % 8);
		wt_event *e = push(s, WT_WASI_path_open);

		e->fd = 3, e->fd_path = "/src", e->path = path,
		e->path_len = (uint32_t)strlen(path);
		e->rights = WT_RIGHT_READ, e->new_fd = fd;
		for (int r = 0; r < 3; r++) {
			e = push(s, r == 1 ? WT_WASI_fd_write : WT_WASI_fd_read);
			e->fd = r == 1 ? 1 : fd, e->fd_path = r == 1 ? NULL : path;
			e->rights = r == 1 ? WT_RIGHT_WRITE : WT_RIGHT_READ;
			e->size = 4096, e->done = r == 2 ? 0 : 100 + k % 3000;
		}
		e = push(s, WT_WASI_fd_close);
		e->fd = fd, e->fd_path = path;
		if (k++ % 10 == 0) {
			e = push(s, WT_WASI_path_filestat_get);
			e->fd = 3, e->fd_path = "/src";
			e->path = name(s, "/src/pkg%u/missing%u.h", k % 200, k);
			e->path_len = (uint32_t)strlen(e->path);
			e->rights = WT_RIGHT_STAT, e->errno_result = WT_ENOENT;
		}
	}
}

static double time_generate(const wt_gen_run *run, size_t *nrules, size_t *bytes)
{
	double best = 1e9;

	for (int r = 0; r < RUNS; r++) {
		wt_manifest *m = NULL;
		char *text = NULL;
		wt_error err;
		double t0 = now(), t;

		wt_error_init(&err);
		if (wt_generate(run, 1, NULL, &m, &err) ||
		    wt_manifest_emit(m, &text, bytes, &err)) {
			fprintf(stderr, "generate-bench: %s\n", err.msg);
			exit(70);
		}
		t = now() - t0;
		best = t < best ? t : best;
		*nrules = m->nfiles;
		wt_manifest_free(m);
		free(text);
	}
	return best;
}

static void bench_journal(const char *path, const synth *s, const wt_gen_run *mem)
{
	static const char *const argv[] = {"build.wasm"};
	wt_journal_header h = {.version = WT_JOURNAL_VERSION,
			       .tool_version = WT_VERSION,
			       .module_path = "build.wasm",
			       .argc = 1,
			       .argv = argv,
			       .cwd = "/src",
			       .start = "2000-01-01T00:00:00.000Z"};
	wt_journal_end end = {.how = WT_JOURNAL_EXIT};
	wt_journal_writer *w = NULL;
	wt_journal *j = NULL;
	wt_gen_run run = *mem;
	size_t nrules = 0, bytes = 0;
	wt_error err;
	double t0, t1, tg;

	memset(h.sha256, '0', 64);
	wt_error_init(&err);
	if (wt_journal_writer_open(path, &h, &w, &err))
		goto fail;
	wt_journal_writer_set_max(w, 0); /* -n may ask for more than record's cap */
	for (size_t i = 0; i < s->n; i++)
		wt_journal_writer_call(w, &s->ev[i]);
	if (wt_journal_writer_close(w, &end, &err))
		goto fail;
	t0 = now();
	if (wt_journal_read(path, &j, &err))
		goto fail;
	t1 = now();
	run.events = &j->calls[0].ev, run.nevents = j->ncalls, run.stride = sizeof *j->calls;
	tg = time_generate(&run, &nrules, &bytes);
	printf("journal %s: %zu lines, read in %.3f s; generate from it %.3f s (%zu rules)\n", path,
	       j->ncalls, t1 - t0, tg, nrules);
	wt_journal_free(j);
	return;
fail:
	fprintf(stderr, "generate-bench: %s: %s\n", path, err.msg);
	exit(74);
}

int main(int argc, char **argv)
{
	static const char *const guest_argv[] = {"build.wasm", "--release"};
	size_t n = 1000000, nrules = 0, bytes = 0;
	const char *journal = NULL;
	int unfolded = 0;
	synth s = {0};
	wt_gen_run run = {.argc = 2,
			  .argv = guest_argv,
			  .cwd = "/src",
			  .module_name = "build.wasm",
			  .tool_version = WT_VERSION};
	double t;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			n = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--journal") == 0 && i + 1 < argc)
			journal = argv[++i];
		else if (strcmp(argv[i], "--unfolded") == 0)
			unfolded = 1;
		else {
			fprintf(
			    stderr,
			    "usage: generate-bench [-n EVENTS] [--unfolded] [--journal FILE]\n");
			return 64;
		}
	}
	if (n < 1000)
		n = 1000;
	if (unfolded)
		build_unfolded(&s, n);
	else
		build(&s, n);
	run.events = s.ev, run.nevents = s.n;
	t = time_generate(&run, &nrules, &bytes);
	printf("generate: %zu events -> %zu rules, %zu bytes of YAML in %.3f s (best of %d); "
	       "target 2 s per 1,000,000 events: %s\n",
	       s.n, nrules, bytes, t, RUNS, t * 1e6 / (double)s.n <= 2.0 ? "met" : "MISSED");
	if (journal)
		bench_journal(journal, &s, &run);
	for (size_t i = 0; i < s.nnames; i++)
		free(s.names[i]);
	free(s.names);
	free(s.ev);
	return 0;
}
