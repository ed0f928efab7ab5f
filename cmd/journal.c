/* journal.c: the `journal` subcommand: `journal show FILE` prints a journal's summary. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "optable.h"
#include "journal.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: wasi-tofu journal show FILE\n"
		   "\n"
		   "Prints a summary of a journal written by `wasi-tofu record`: how the run\n"
		   "ended, the calls by kind, each guest path with the rights used and the errors\n"
		   "met, env names, clocks, random bytes and stdio. A journal cut short (the run\n"
		   "was killed) is read as far as it goes, and said so.\n"
		   "\n"
		   "Exit status: 0; 64 usage error; 65 malformed journal (with LINE:COLUMN);\n"
		   "66 missing file; 70 internal error.\n");
}

static int show(const char *path)
{
	wt_journal *j = NULL;
	wt_error err;

	wt_error_init(&err);
	if (wt_journal_read(path, &j, &err) == 0 && wt_journal_show(j, stdout, &err) == 0) {
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

int wt_cmd_journal(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const wt_opt *opt = wt_opt_is_option(argv[i]) ? wt_opt_lookup(argv[i]) : NULL;

		if (opt && opt->id == WT_OPT_HELP) {
			usage(stdout);
			return 0;
		}
		if (wt_opt_is_option(argv[i]))
			return wt_opt_usage_error("journal", argv[i], "unknown option", NULL);
	}
	if (argc < 1 || strcmp(argv[0], "show") != 0)
		return wt_opt_usage_error("journal", "expected `journal show FILE`", NULL, NULL);
	if (argc != 2)
		return wt_opt_usage_error("journal", "show", "expected one FILE", NULL);
	return show(argv[1]);
}
