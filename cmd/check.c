/* check.c: the `check` subcommand: would the journaled runs pass under a manifest? */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "enforce.h"
#include "journal.h"
#include "manifest.h"
#include "override.h"
#include "wasi_flags.h"
#include "needs.h"

enum { EXIT_USAGE = 64, EXIT_DEVIATION = 77 };

typedef struct check_args {
	const char *manifest, *ceiling;
	char *override; /* the override file's name (wt_override_path), for messages */
	char **journals;
	int njournals;
} check_args;

static void usage(FILE *f)
{
	fprintf(f, "usage: wasi-tofu check --manifest MANIFEST [--ceiling FILE] JOURNAL...\n"
		   "\n"
		   "Replays the WASI calls of recorded runs (journals of `record`) against\n"
		   "MANIFEST (and NAME.override.yaml beside it) without running anything: each\n"
		   "call outside it is listed with the line that would allow it.\n"
		   "\n"
		   "Exit status: 0 when every call is allowed; 77 when some are not, or a grant\n"
		   "is outside the ceiling; 64 usage error; 65 malformed manifest or journal;\n"
		   "66 missing file.\n"
		   "\n"
		   "See man wasi-tofu-check.\n");
}

static int usage_error(const char *msg, const char *arg)
{
	wt_escape_fprintf(stderr, "wasi-tofu: check: %s%s\nTry 'wasi-tofu check --help'.\n", msg,
			  arg);
	return EXIT_USAGE;
}

static int parse(int argc, char **argv, check_args *a)
{
	for (int i = 0; i < argc; i++) {
		const char *s = argv[i], **slot = NULL;
		size_t n = strcspn(s, "=");

		if (n == 10 && strncmp(s, "--manifest", n) == 0)
			slot = &a->manifest;
		else if (n == 9 && strncmp(s, "--ceiling", n) == 0)
			slot = &a->ceiling;
		if (slot && s[n] == '=')
			*slot = s + n + 1;
		else if (slot && i + 1 < argc)
			*slot = argv[++i];
		else if (slot)
			return usage_error("missing value for ", s);
		else if (s[0] == '-' && s[1] && strcmp(s, "--") != 0)
			return usage_error("unknown option ", s);
		else if (strcmp(s, "--") != 0)
			a->journals[a->njournals++] = argv[i];
	}
	if (!a->manifest)
		return usage_error("missing --manifest", "");
	if (a->njournals == 0)
		return usage_error("missing JOURNAL", "");
	return 0;
}

/* Checks one journal; returns 0 (all allowed), 77, or a tool status. */
static int check_one(const char *path, const check_args *a, wt_manifest *const ms[3])
{
	wt_journal *j = NULL;
	wt_enforce *e = NULL;
	wt_error err;
	char buf[1024];
	int status = 0;

	wt_error_init(&err);
	if (wt_journal_read(path, &j, &err)) {
		wt_error_format(&err, path, buf, sizeof buf);
		wt_escape_fprintf(stderr, "wasi-tofu: %s\n", buf);
		return wt_status_exit(err.code);
	}
	if (j->cut_short)
		wt_escape_fprintf(
		    stderr, "wasi-tofu: %s: cut short (no end line); checking its %zu calls\n",
		    path, j->ncalls);
	if (j->end.how == WT_JOURNAL_CAP)
		wt_escape_fprintf(
		    stderr,
		    "wasi-tofu: %s: stopped at the journal's cap: the run's last %llu calls are "
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
		wt_escape_fprintf(stderr, "wasi-tofu: %s\n", err.msg);
		status = wt_status_exit(err.code);
		goto done;
	}
	for (size_t i = 0; i < j->ncalls; i++) {
		/* calls refused before any policy was asked need nothing (as in generate) */
		if (wt_manifest_outcome(&j->calls[i].ev) != WT_OUTCOME_EARLY)
			wt_enforce_decide_folded(e, &j->calls[i].ev, j->calls[i].count);
		wt_enforce_observe(e, &j->calls[i].ev);
	}
	if (wt_enforce_count(e)) {
		status = EXIT_DEVIATION;
		wt_escape_fprintf(stdout, "%s: ", path);
		wt_cmd_print_deviations(stdout, a->manifest, e);
	}
done:
	wt_enforce_free(e);
	wt_journal_free(j);
	return status;
}

int wt_cmd_check(int argc, char **argv)
{
	check_args a = {0};
	wt_manifest *ms[3] = {NULL, NULL, NULL};
	int status, worst = 0;

	if (argc == 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (!(a.journals = calloc((size_t)argc + 1, sizeof *a.journals)))
		return wt_status_exit(WT_NOMEM);
	if ((status = parse(argc, argv, &a)) ||
	    (status = wt_cmd_manifest_load(a.manifest, a.ceiling, &ms[0], &ms[1], &ms[2])))
		goto done;
	if (!(a.override = wt_override_path(a.manifest))) {
		status = wt_status_exit(WT_NOMEM);
		goto done;
	}
	for (int i = 0; i < a.njournals; i++) {
		status = check_one(a.journals[i], &a, ms);
		if (status && status != EXIT_DEVIATION)
			goto done; /* a tool error wins */
		worst = worst ? worst : status;
	}
	status = worst;
done:
	for (int i = 0; i < 3; i++)
		wt_manifest_free(ms[i]);
	free(a.journals);
	free(a.override);
	return status;
}
