/* journal.c: the `journal` subcommand: `journal show FILE` prints a journal's summary. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "optable.h"
#include "journal.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: wasi-tofu journal show [--json] FILE\n"
		   "\n"
		   "Prints a summary of a journal written by `wasi-tofu record`: how the run\n"
		   "ended, the calls by kind, each guest path with the rights used and the errors\n"
		   "met, env names, clocks, random bytes and stdio. A journal cut short (the run\n"
		   "was killed) is read as far as it goes, and said so. With --json: the\n"
		   "module, the run's header and end, the calls by kind, as JSON.\n"
		   "\n"
		   "Exit status: 0; 64 usage error; 65 malformed journal (with LINE:COLUMN);\n"
		   "66 missing file; 70 internal error.\n"
		   "\n"
		   "See man wasi-tofu-journal.\n");
}

/* Prints the summary of the journal at path (as JSON with json). */
static int show(const char *path, int json)
{
	wt_journal *j = NULL;
	json_t *doc = NULL;
	wt_error err;
	int bad;

	wt_error_init(&err);
	if (wt_journal_read(path, &j, &err) == 0 && json) {
		doc = wt_journal_show_json(j, path);
		bad = !doc || json_dumpf(doc, stdout,
					 JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
		json_decref(doc);
		wt_journal_free(j);
		if (bad)
			fprintf(stderr, "wasi-tofu: journal: out of memory\n");
		else
			fputc('\n', stdout);
		return bad ? wt_status_exit(WT_NOMEM) : 0;
	}
	if (err.code == WT_OK && wt_journal_show(j, stdout, &err) == 0) {
		if (j->cut_short)
			wt_escape_fprintf(
			    stderr, "wasi-tofu: journal: %s was cut short (no end line)\n", path);
		wt_journal_free(j);
		return 0;
	}
	wt_journal_free(j);
	wt_error_print(stderr, "journal", err.line ? path : NULL, &err);
	return wt_status_exit(err.code);
}

static int take(void *ctx, const wt_opt *opt, const char *value)
{
	int *flags = ctx; /* [0] --help, [1] --json */

	(void)value;
	flags[opt->id == WT_OPT_JSON] = 1;
	return 0;
}

int wt_cmd_journal(int argc, char **argv)
{
	const char *words[3];
	int flags[2] = {0, 0}, n = 0, status;

	if (argc > 3)
		return wt_opt_usage_error("journal", "show", "expected one FILE", NULL);
	if ((status =
		 wt_opt_operands("journal", WT_OPTS_JOURNAL, argc, argv, take, flags, words, &n)))
		return status;
	if (flags[0]) {
		usage(stdout);
		return 0;
	}
	if (n < 1 || strcmp(words[0], "show") != 0)
		return wt_opt_usage_error("journal", "expected `journal show FILE`", NULL, NULL);
	if (n != 2)
		return wt_opt_usage_error("journal", "show", "expected one FILE", NULL);
	return show(words[1], flags[1]);
}
