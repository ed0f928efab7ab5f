/* diff.c: the `diff` subcommand: the capability difference between two manifests. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diff.h"
#include "manifest.h"
#include "optable.h"

typedef struct diff_args {
	const char *files[3]; /* OLD, NEW; a third is an error */
	int nfiles, help, json;
	json_t *changes; /* --json: {"op", "text"} per line */
} diff_args;

static void usage(FILE *f)
{
	fprintf(f, "usage: wasi-tofu diff [--json] OLD.yaml NEW.yaml\n\n"
		   "Prints what NEW grants that OLD does not (+), what it no longer grants (-)\n"
		   "and what changed (~), one line each; with --json, the same lines as JSON.\n"
		   "Exit status: 0 when they grant the same, 1 when not;\n"
		   "64 usage error; 65 malformed manifest; 66 missing file.\n"
		   "\n"
		   "See man wasi-tofu-diff.\n");
}

static void print_line(void *ctx, const char *line)
{
	diff_args *d = ctx;

	if (!d->json) {
		wt_escape_fprintf(stdout, "%s\n", line);
		return;
	}
	json_array_append_new(d->changes, json_pack("{s:s#, s:s}", "op", line, (size_t)1, "text",
						    line[0] && line[1] ? line + 2 : ""));
}

static int take(void *ctx, const wt_opt *opt, const char *value)
{
	diff_args *d = ctx;

	(void)value;
	if (opt->id == WT_OPT_HELP)
		d->help = 1;
	else if (opt->id == WT_OPT_JSON)
		d->json = 1;
	return 0;
}

/* The --json document, on stdout. */
static int print_json(const diff_args *d)
{
	json_t *doc = json_pack("{s:s, s:i, s:s, s:s, s:O}", "format", "wasi-tofu-diff", "version",
				1, "old", d->files[0], "new", d->files[1], "changes", d->changes);
	int bad = !doc ||
		  json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);

	if (!bad)
		fputc('\n', stdout);
	json_decref(doc);
	return bad;
}

int wt_cmd_diff(int argc, char **argv)
{
	const char *words[4] = {0};
	diff_args d = {0};
	wt_manifest *a = NULL, *b = NULL;
	size_t n;
	int status;

	if (argc > 3)
		return wt_opt_usage_error("diff", "expected two manifests: OLD.yaml NEW.yaml", NULL,
					  NULL);
	if ((status =
		 wt_opt_operands("diff", WT_OPTS_DIFF, argc, argv, take, &d, words, &d.nfiles)))
		return status;
	if (d.help) {
		usage(stdout);
		return 0;
	}
	if (d.nfiles != 2)
		return wt_opt_usage_error("diff", "expected two manifests: OLD.yaml NEW.yaml", NULL,
					  NULL);
	d.files[0] = words[0], d.files[1] = words[1];
	if ((d.json && !(d.changes = json_array())) ||
	    (status = wt_cmd_manifest_load_one("diff", d.files[0], &a)) ||
	    (status = wt_cmd_manifest_load_one("diff", d.files[1], &b)))
		goto done;
	n = wt_manifest_diff(a, b, print_line, &d);
	if (n == (size_t)-1 || (d.json && print_json(&d))) {
		fprintf(stderr, "wasi-tofu: diff: out of memory\n");
		status = wt_status_exit(WT_NOMEM);
	} else {
		status = n ? 1 : 0;
	}
done:
	json_decref(d.changes);
	wt_manifest_free(a);
	wt_manifest_free(b);
	return status;
}
