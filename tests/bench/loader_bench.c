/* loader_bench.c: times the manifest and journal readers on inputs of about a given size, each
 * shape once at that size and once at a quarter of it, and prints how the time grows.
 *
 * usage: loader-bench [--size BYTES] [--only NAME[,NAME...]] [--write DIR]
 *   Shapes (loader_shapes.c): the shapes that make a naive reader quadratic (comment lines,
 * nesting, many rules, long paths...) and realistic big ones. A manifest is loaded (its own kind),
 *   then, when it loads, built into the enforce policy, emitted and diffed against itself;
 *   a journal is read, generated from (granularity tree), emitted and the result loaded back.
 *   Columns: ms reading (load or parse) at the size; ms for all of it at the size and at a
 *   quarter of it; growth = t(size) / (4 t(size/4)):
 *   about 1 when the work is linear, about 4 when it is quadratic. --write DIR also writes
 *   each input at the full size as DIR/NAME.yaml or DIR/NAME.jsonl, for timing the CLI.
 *   Default size: 1 MiB. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diff.h"
#include "enforce.h"
#include "generate.h"
#include "journal.h"
#include "loader_shapes.h"
#include "manifest.h"

typedef struct outcome {
	double ms, load_ms; /* everything; reading alone */
	char status[64];
} outcome;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void no_warn(void *ctx, unsigned line, unsigned column, const char *text)
{
	(void)line, (void)column, (void)text;
	++*(size_t *)ctx;
}

static void no_line(void *ctx, const char *line)
{
	(void)ctx, (void)line;
}

static void rejected(outcome *o, const wt_error *err)
{
	snprintf(o->status, sizeof o->status, "%d at %u:%u", wt_status_exit(err->code), err->line,
		 err->column);
}

/* Policy, emit, diff: what run --manifest, record --update and diff do after loading. */
static void use_manifest(const wt_manifest *m, wt_manifest_kind kind, outcome *o)
{
	static const char *const argv[] = {"build.wasm", "/src/in.txt"};
	wt_manifest *empty = wt_manifest_new();
	wt_enforce_config cfg = {.manifest = kind == WT_MANIFEST_FULL ? m : empty,
				 .override = kind == WT_MANIFEST_OVERRIDE ? m : NULL,
				 .ceiling = kind == WT_MANIFEST_CEILING ? m : NULL,
				 .argc = 2,
				 .argv = argv,
				 .cwd = "/src",
				 .mode = WT_ON_DEV_FAIL};
	wt_enforce *e = NULL;
	wt_error err;
	char *text = NULL;
	size_t len;

	wt_error_init(&err);
	if (wt_enforce_new(&cfg, &e, &err) && err.code != WT_DEVIATION)
		snprintf(o->status, sizeof o->status, "enforce: %s", wt_status_name(err.code));
	wt_enforce_free(e);
	wt_error_init(&err);
	if (wt_manifest_emit(m, &text, &len, &err))
		snprintf(o->status, sizeof o->status, "emit: %s", wt_status_name(err.code));
	free(text);
	wt_manifest_diff(m, m, no_line, NULL);
	wt_manifest_free(empty);
}

static void run_manifest(const wt_shape *s, const char *text, size_t len, outcome *o)
{
	wt_manifest *m = NULL;
	size_t warnings = 0;
	wt_error err;

	double t0 = now();

	wt_error_init(&err);
	if (wt_manifest_load_kind(s->kind, text, len, s->name, &m, no_warn, &warnings, &err)) {
		rejected(o, &err);
		return;
	}
	o->load_ms = now() - t0;
	snprintf(o->status, sizeof o->status, "ok, %zu rules", m->nfiles);
	use_manifest(m, s->kind, o);
	wt_manifest_free(m);
}

/* Journal -> generate -> emit -> load: what `generate` does, and the manifest it writes read back.
 */
static void run_journal(const char *text, size_t len, outcome *o)
{
	wt_gen_options opt = {.granularity = WT_GEN_TREE};
	wt_journal *j = NULL;
	wt_manifest *m = NULL, *back = NULL;
	char *yaml = NULL;
	size_t ylen;
	wt_error err;

	double t0 = now();

	wt_error_init(&err);
	if (wt_journal_parse(text, len, &j, &err)) {
		rejected(o, &err);
		return;
	}
	o->load_ms = now() - t0;
	wt_gen_run run = {.argc = j->header.argc,
			  .argv = j->header.argv,
			  .cwd = j->header.cwd,
			  .nmounts = j->header.nmounts,
			  .mounts = j->header.mounts,
			  .nenv = j->header.nenv,
			  .env_names = j->header.env_names,
			  .module_name = "build.wasm",
			  .sha256 = j->header.sha256,
			  .events = j->ncalls ? &j->calls[0].ev : NULL,
			  .nevents = j->ncalls,
			  .stride = sizeof(wt_journal_call)};
	if (wt_generate(&run, 1, &opt, &m, &err) || wt_manifest_emit(m, &yaml, &ylen, &err) ||
	    wt_manifest_load(yaml, ylen, "generated", &back, NULL, NULL, &err))
		rejected(o, &err);
	else
		snprintf(o->status, sizeof o->status, "ok, %zu rules", m->nfiles);
	free(yaml);
	wt_manifest_free(back);
	wt_manifest_free(m);
	wt_journal_free(j);
}

static outcome measure(const wt_shape *s, size_t size, const char *write_dir)
{
	wt_shape_buf b = {0};
	outcome o = {0};
	double t0;

	wt_shape_make(s, &b, size);
	if (write_dir) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof path, "%s/%s.%s", write_dir, s->name,
			 s->input == WT_SHAPE_JOURNAL ? "jsonl" : "yaml");
		if ((f = fopen(path, "w"))) {
			fwrite(b.p, 1, b.n, f);
			fclose(f);
		}
	}
	t0 = now();
	if (s->input == WT_SHAPE_JOURNAL)
		run_journal(b.p, b.n, &o);
	else
		run_manifest(s, b.p, b.n, &o);
	o.ms = now() - t0;
	if (o.load_ms == 0)
		o.load_ms = o.ms;
	wt_shape_buf_free(&b);
	return o;
}

static int wanted(const char *only, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = only; p && *p;) {
		const char *end = strchrnul(p, ',');

		if ((size_t)(end - p) == n && strncmp(p, name, n) == 0)
			return 1;
		p = *end ? end + 1 : end;
	}
	return only == NULL;
}

int main(int argc, char **argv)
{
	size_t size = 1 << 20;
	const char *only = NULL, *write_dir = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--size") == 0 && i + 1 < argc)
			size = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else if (strcmp(argv[i], "--write") == 0 && i + 1 < argc)
			write_dir = argv[++i];
		else {
			fprintf(stderr, "usage: loader-bench [--size BYTES] [--only NAMES] "
					"[--write DIR]\n");
			return 64;
		}
	}
	printf("%-14s %-36s %9s %9s %9s %6s  %s\n", "shape", "input", "read ms", "all ms",
	       "all ms/4", "growth", "outcome");
	for (const wt_shape *s = wt_shapes; s->name; s++) {
		outcome quarter, full;

		if (!wanted(only, s->name))
			continue;
		quarter = measure(s, size / 4, NULL);
		full = measure(s, size, write_dir);
		printf("%-14s %-36s %9.1f %9.1f %9.1f %6.2f  %s\n", s->name, s->what, full.load_ms,
		       full.ms, quarter.ms, quarter.ms > 0 ? full.ms / (4 * quarter.ms) : 0.0,
		       full.status);
		fflush(stdout);
	}
	return 0;
}
