/* journal.c: the `journal` subcommand: `journal show FILE` prints a journal's summary. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
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
		   "66 missing file; 70 internal error.\n"
		   "\n"
		   "See man wasi-tofu-journal.\n");
}

static int show(const char *path)
{
	wt_journal *j = NULL;
	wt_error err;
	char buf[512];

	wt_error_init(&err);
	if (wt_journal_read(path, &j, &err) == 0 && wt_journal_show(j, stdout, &err) == 0) {
		if (j->cut_short)
			wt_escape_fprintf(
			    stderr, "wasi-tofu: journal: %s was cut short (no end line)\n", path);
		wt_journal_free(j);
		return 0;
	}
	wt_journal_free(j);
	wt_error_format(&err, err.line ? path : NULL, buf, sizeof buf);
	wt_escape_fprintf(stderr, "wasi-tofu: journal: %s\n", buf);
	return wt_status_exit(err.code);
}

int wt_cmd_journal(int argc, char **argv)
{
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc != 2 || strcmp(argv[0], "show") != 0) {
		usage(stderr);
		return wt_status_exit(WT_USAGE);
	}
	return show(argv[1]);
}
