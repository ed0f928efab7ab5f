/* diff.c: the `diff` subcommand: the capability difference between two manifests. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diff.h"
#include "manifest.h"

static void print_line(void *ctx, const char *line)
{
	wt_escape_fprintf(stdout, "%s\n", line);
}

int wt_cmd_diff(int argc, char **argv)
{
	wt_manifest *a = NULL, *b = NULL;
	size_t n;
	int status;

	if (argc == 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		printf(
		    "usage: wasi-tofu diff OLD.yaml NEW.yaml\n\n"
		    "Prints what NEW grants that OLD does not (+), what it no longer grants (-)\n"
		    "and what changed (~), one line each. Exit status: 0 when they grant the\n"
		    "same, 1 when not; 64 usage error; 65 malformed manifest; 66 missing file.\n"
		    "\n"
		    "See man wasi-tofu-diff.\n");
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: wasi-tofu diff OLD.yaml NEW.yaml\n");
		return wt_status_exit(WT_USAGE);
	}
	if ((status = wt_cmd_manifest_load_one("", argv[0], &a)) ||
	    (status = wt_cmd_manifest_load_one("", argv[1], &b)))
		goto done;
	n = wt_manifest_diff(a, b, print_line, NULL);
	if (n == (size_t)-1) {
		fprintf(stderr, "wasi-tofu: out of memory\n");
		status = wt_status_exit(WT_NOMEM);
	} else {
		status = n ? 1 : 0;
	}
done:
	wt_manifest_free(a);
	wt_manifest_free(b);
	return status;
}
