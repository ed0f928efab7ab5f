/* check.c: the `check` subcommand: would the journaled runs pass under a manifest? */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_json.h"
#include "cmd.h"
#include "optable.h"
#include "enforce.h"
#include "journal.h"
#include "manifest.h"
#include "override.h"
#include "wasi_flags.h"
#include "needs.h"

enum { EXIT_DEVIATION = 77 };

typedef struct check_args {
	const char *manifest, *ceiling;
	char *override; /* the override file's name (wt_override_path), for messages */
	const char **journals;
	int njournals;
	int help, json;	   /* --help, --json */
	const char *sarif; /* --sarif FILE */
	json_t *jlist;	   /* --json: one object per journal */
	json_t *slog;	   /* --sarif: the SARIF log */
	wt_unused *unused; /* the grants the journals used */
} check_args;

/* The text's note for g: "FILE:LINE:COLUMN: note: ..." on stdout. */
static int print_unused(void *ctx, const wt_unused_grant *g)
{
	const check_args *a = ctx;
	char *text = wt_unused_message(g);

	if (!text)
		return -1;
	wt_escape_fprintf(stdout, "%s:%u:%u: note: %s\n", g->file ? a->override : a->manifest,
			  g->loc.line ? g->loc.line : 1, g->loc.column ? g->loc.column : 1, text);
	free(text);
	return 0;
}

/* --json (or the text's notes) on stdout, --sarif to its file, after the last journal. */
static int write_outputs(const check_args *a, int status)
{
	const char *const files[2] = {a->manifest, a->override};
	json_t *doc;
	int bad = 0;

	if (!a->json)
		bad = wt_unused_each(a->unused, print_unused, (void *)a) != 0;
	if (a->json) {
		doc = json_pack("{s:s, s:i, s:s, s:i, s:O, s:o}", "format", "wasi-tofu-check",
				"version", WT_CHECK_JSON_VERSION, "manifest", a->manifest, "status",
				status, "journals", a->jlist, "unused",
				wt_unused_json(a->unused, files));
		bad = !doc ||
		      json_dumpf(doc, stdout,
				 JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII) != 0;
		if (!bad)
			fputc('\n', stdout);
		json_decref(doc);
	}
	if (a->sarif && json_dump_file(a->slog, a->sarif,
				       JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII)) {
		wt_escape_fprintf(stderr, "wasi-tofu: check: --sarif %s: cannot write: %s\n",
				  a->sarif, strerror(errno));
		return status ? status : wt_status_exit(WT_IO);
	}
	return bad ? wt_status_exit(WT_NOMEM) : status;
}

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: wasi-tofu check --manifest MANIFEST [--ceiling FILE] [--json] [--sarif FILE]\n"
	    "                       JOURNAL...\n"
	    "\n"
	    "Replays the WASI calls of recorded runs (journals of `record`) against\n"
	    "MANIFEST (and NAME.override.yaml beside it) without running anything: each\n"
	    "call outside it is listed with the line that would allow it and the place\n"
	    "it points to (at FILE:LINE:COLUMN).\n"
	    "\n"
	    "  --json                   the result as JSON on stdout\n"
	    "  --sarif FILE             also write FILE, SARIF 2.1.0: one result per\n"
	    "                           deviation, at the line it points to, for review\n"
	    "\n"
	    "Exit status: 0 when every call is allowed; 77 when some are not, or a grant\n"
	    "is outside the ceiling; 64 usage error; 65 malformed manifest or journal;\n"
	    "66 missing file.\n"
	    "\n"
	    "See man wasi-tofu-check.\n");
}

static int take(void *ctx, const wt_opt *opt, const char *value)
{
	check_args *a = ctx;

	if (opt->id == WT_OPT_HELP)
		a->help = 1;
	else if (opt->id == WT_OPT_MANIFEST)
		a->manifest = value;
	else if (opt->id == WT_OPT_CEILING)
		a->ceiling = value;
	else if (opt->id == WT_OPT_JSON)
		a->json = 1;
	else if (opt->id == WT_OPT_SARIF)
		a->sarif = value;
	return 0;
}

/* Options and journals in any order; after `--` only journals. */
static int parse(int argc, char **argv, check_args *a)
{
	int rc = wt_opt_operands("check", WT_OPTS_CHECK, argc, argv, take, a, a->journals,
				 &a->njournals);

	if (rc)
		return rc;
	if (a->help)
		return 0;
	if (!a->manifest)
		return wt_opt_usage_error("check", "missing --manifest", NULL, NULL);
	if (a->njournals == 0)
		return wt_opt_usage_error("check", "missing JOURNAL", NULL, NULL);
	return 0;
}

/* Checks one journal; returns 0 (all allowed), 77, or a tool status. */
static int check_one(const char *path, const check_args *a, wt_manifest *const ms[3])
{
	wt_journal *j = NULL;
	wt_enforce *e = NULL;
	wt_error err;
	int status = 0;

	wt_error_init(&err);
	if (wt_journal_read(path, &j, &err)) {
		wt_error_print(stderr, "check", path, &err);
		return wt_status_exit(err.code);
	}
	if (j->cut_short)
		wt_escape_fprintf(
		    stderr,
		    "wasi-tofu: check: %s: cut short (no end line); checking its %zu calls\n", path,
		    j->ncalls);
	if (j->end.how == WT_JOURNAL_CAP)
		wt_escape_fprintf(stderr,
				  "wasi-tofu: check: %s: stopped at the journal's cap: the run's "
				  "last %llu calls are "
				  "not in it; checking the others\n",
				  path, (unsigned long long)j->end.unjournaled);
	wt_enforce_config cfg = {.manifest = ms[0],
				 .override = ms[1],
				 .ceiling = ms[2],
				 .manifest_name = a->manifest,
				 .override_name = a->override,
				 .ceiling_name = a->ceiling,
				 .argc = j->header.argc,
				 .argv = j->header.argv,
				 .cwd = j->header.cwd,
				 .mode = WT_ON_DEV_DENY};
	if (wt_enforce_new(&cfg, &e, &err)) {
		wt_error_print(stderr, "check", NULL, &err);
		status = wt_status_exit(err.code);
		goto done;
	}
	if (wt_unused_begin(a->unused, &cfg, j->header.env_names, j->header.nenv, &err)) {
		wt_error_print(stderr, "check", NULL, &err);
		status = wt_status_exit(err.code);
		goto done;
	}
	for (size_t i = 0; i < j->ncalls; i++) {
		/* calls refused before any policy was asked need nothing (as in generate) */
		if (wt_manifest_outcome(&j->calls[i].ev) != WT_OUTCOME_EARLY)
			wt_enforce_decide_folded(e, &j->calls[i].ev, j->calls[i].count);
		wt_enforce_observe(e, &j->calls[i].ev);
		wt_unused_event(a->unused, &j->calls[i].ev);
	}
	wt_unused_end(a->unused);
	status = wt_enforce_count(e) ? EXIT_DEVIATION : 0;
	if (status && !a->json) {
		wt_escape_fprintf(stdout, "%s: ", path);
		wt_cmd_print_deviations(stdout, a->manifest, e, 1);
	}
	if ((a->json && json_array_append_new(
			    a->jlist, json_pack("{s:s, s:o}", "journal", path, "deviations",
						wt_enforce_json(e, a->manifest, a->override)))) ||
	    (a->slog && wt_sarif_add(a->slog, e, path, a->manifest, a->override)))
		status = wt_status_exit(WT_NOMEM);
done:
	wt_enforce_free(e);
	wt_journal_free(j);
	return status;
}

/* --sarif: a note for each grant no journal used. 0, or -1 out of memory. */
static int add_unused(const check_args *a)
{
	const char *const files[2] = {a->manifest, a->override};

	return wt_sarif_add_unused(a->slog, a->unused, files);
}

int wt_cmd_check(int argc, char **argv)
{
	check_args a = {0};
	wt_manifest *ms[3] = {NULL, NULL, NULL};
	int status, worst = 0;

	if (!(a.journals = calloc((size_t)argc + 1, sizeof *a.journals)))
		return wt_status_exit(WT_NOMEM);
	if ((status = parse(argc, argv, &a)) == 0 && a.help) {
		usage(stdout);
		goto done;
	}
	if (status ||
	    (status = wt_cmd_manifest_load("check", a.manifest, a.ceiling, &ms[0], &ms[1], &ms[2])))
		goto done;
	if (!(a.override = wt_override_path(a.manifest))) {
		status = wt_status_exit(WT_NOMEM);
		goto done;
	}
	a.jlist = a.json ? json_array() : NULL;
	a.slog = a.sarif ? wt_sarif_new() : NULL;
	a.unused = wt_unused_new(ms[0], ms[1]);
	if ((a.json && !a.jlist) || (a.sarif && !a.slog) || !a.unused) {
		status = wt_status_exit(WT_NOMEM);
		goto done;
	}
	for (int i = 0; i < a.njournals; i++) {
		status = check_one(a.journals[i], &a, ms);
		if (status && status != EXIT_DEVIATION)
			goto done; /* a tool error wins */
		worst = worst ? worst : status;
	}
	if (a.slog && add_unused(&a)) {
		status = wt_status_exit(WT_NOMEM);
		goto done;
	}
	status = write_outputs(&a, worst);
done:
	json_decref(a.jlist);
	json_decref(a.slog);
	wt_unused_free(a.unused);
	for (int i = 0; i < 3; i++)
		wt_manifest_free(ms[i]);
	free(a.journals);
	free(a.override);
	return status;
}
