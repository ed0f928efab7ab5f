/* update.c: `record --update MANIFEST`: merge a new recording into a manifest after showing the
 * capability diff; and the offer to re-record when run --manifest finds the module changed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "diff.h"
#include "merge.h"
#include "update.h"

enum { EXIT_NOMEM = 70 };

/* "HOST:GUEST:ro|rw" for a manifest mount; a relative host is relative to
 * the manifest's folder (as run --manifest takes it). malloc'd or NULL. */
static char *mount_spec(const char *manifest, const wt_mmount *mt)
{
	const char *slash = strrchr(manifest, '/');
	const char *mode = mt->readonly ? "ro" : "rw";
	char *out;
	int n;

	if (mt->host[0] == '/' || !slash)
		n = asprintf(&out, "%s:%s:%s", mt->host, mt->guest, mode);
	else
		n = asprintf(&out, "%.*s/%s:%s:%s", (int)(slash - manifest), manifest, mt->host,
			     mt->guest, mode);
	return n < 0 ? NULL : out;
}

int wt_cmd_update_begin(wt_cmd_update *u, const char *manifest, int nrest, char **rest)
{
	size_t n;
	int status;

	memset(u, 0, sizeof *u);
	if ((status = wt_cmd_manifest_load_one("record: ", manifest, &u->old)))
		return status;
	n = u->old->nmounts;
	if (!(u->args = calloc(2 * n + 2 + (size_t)nrest + 1, sizeof *u->args)) ||
	    !(u->owned = calloc(n + 1, sizeof *u->owned)))
		return EXIT_NOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!(u->owned[u->nowned] = mount_spec(manifest, &u->old->mounts[i])))
			return EXIT_NOMEM;
		u->args[u->nargs++] = "--mount";
		u->args[u->nargs++] = u->owned[u->nowned++];
	}
	/* the manifest's cwd, before rest: a --cwd there comes later and wins */
	u->args[u->nargs++] = "--cwd";
	u->args[u->nargs++] = (char *)wt_manifest_cwd(u->old);
	for (int i = 0; i < nrest; i++)
		u->args[u->nargs++] = rest[i];
	return 0;
}

void wt_cmd_update_fini(wt_cmd_update *u)
{
	for (int i = 0; i < u->nowned; i++)
		free(u->owned[i]);
	free(u->owned);
	free(u->args);
	wt_manifest_free(u->old);
	memset(u, 0, sizeof *u);
}

/* One diff line on stderr, indented, escaped (patterns come from guest paths). */
static void diff_line(void *ctx, const char *line)
{
	(void)ctx;
	wt_escape_fprintf(stderr, "  %s\n", line);
}

/* At a terminal: [w] write or [k] keep the old manifest. Without one: write. */
static int want_write(const char *manifest)
{
	wt_prompt *p = wt_prompt_is_default() ? wt_prompt_open(NULL, manifest) : NULL;
	int key = 'w';

	if (p)
		key = wt_prompt_choose(p, "[w] write them  [k] keep the manifest as it is\n", "wk",
				       "Write these changes to %s?\n", manifest);
	wt_prompt_free(p);
	return key == 'w';
}

/* Diff old -> merged, then write merged to manifest (when wanted). */
static int show_and_write(const wt_manifest *old, const wt_manifest *merged, const char *manifest,
			  wt_keeper *k)
{
	size_t n;
	int status;

	wt_escape_fprintf(stderr, "wasi-tofu: record: what the new recording changes in %s:\n",
			  manifest);
	if ((n = wt_manifest_diff(old, merged, diff_line, NULL)) == (size_t)-1)
		return EXIT_NOMEM;
	if (n == 0) {
		fprintf(stderr, "  (nothing: the manifest already grants every call)\n");
		return 0;
	}
	if (!want_write(manifest)) {
		wt_escape_fprintf(stderr, "wasi-tofu: record: %s left as it was\n", manifest);
		return 0;
	}
	if ((status = wt_cmd_write_manifest("record", merged, manifest, k)) == 0)
		wt_escape_fprintf(stderr, "wasi-tofu: record: updated %s (%zu change%s)\n",
				  manifest, n, n == 1 ? "" : "s");
	return status;
}

int wt_cmd_record_generate(const wt_manifest *old, const char *manifest, const char *journal,
			   const char *granularity, wt_manifest **out)
{
	wt_manifest *rec = NULL;
	char buf[512];
	wt_error err;
	int status;

	*out = NULL;
	status = wt_cmd_generate_manifest("record", &journal, 1, manifest, granularity, NULL, &rec);
	if (status || !old) {
		*out = rec;
		return status;
	}
	wt_error_init(&err);
	if (wt_manifest_merge(old, rec, out, &err)) {
		wt_error_format(&err, NULL, buf, sizeof buf);
		wt_escape_fprintf(stderr, "wasi-tofu: record: %s\n", buf);
		status = wt_status_exit(err.code);
	}
	wt_manifest_free(rec);
	return status;
}

int wt_cmd_update_finish(wt_cmd_update *u, const char *manifest, const char *journal,
			 const char *granularity, wt_keeper *k)
{
	wt_manifest *merged = NULL;
	int status = wt_cmd_record_generate(u->old, manifest, journal, granularity, &merged);

	if (status == 0)
		status = show_and_write(u->old, merged, manifest, k);
	wt_manifest_free(merged);
	return status;
}

/* run's options that record does not take (each with a value). */
static int run_only(const char *a, size_t n)
{
	static const char *const names[] = {"--manifest", "--on-deviation", "--ceiling",
					    "--report"};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strlen(names[i]) == n && strncmp(a, names[i], n) == 0)
			return 1;
	}
	return 0;
}

/* `--update MANIFEST` then argv without run's own options. */
static char **record_argv(const char *manifest, int argc, char **argv, int *n)
{
	char **out = calloc((size_t)argc + 3, sizeof *out);
	int i = 0;

	if (!out)
		return NULL;
	*n = 0;
	out[(*n)++] = "--update";
	out[(*n)++] = (char *)manifest;
	for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0; i++) {
		size_t k = strcspn(argv[i], "=");
		int takes_next = argv[i][k] != '=' && strcmp(argv[i], "--help") &&
				 strcmp(argv[i], "-h") && i + 1 < argc;

		if (run_only(argv[i], k)) {
			i += takes_next;
			continue;
		}
		out[(*n)++] = argv[i];
		if (takes_next)
			out[(*n)++] = argv[++i];
	}
	while (i < argc)
		out[(*n)++] = argv[i++];
	return out;
}

int wt_cmd_offer_rerecord(wt_prompt *p, const char *manifest, int argc, char **argv, int status)
{
	char **args;
	int n,
	    key = wt_prompt_choose(p, "[r] record it again and review the change  [s] stop\n", "rs",
				   "The module is not the one %s was recorded with.\n"
				   "Recording it again runs it with every call its mounts reach\n"
				   "allowed, then shows what it wants beyond the manifest.\n",
				   manifest);

	if (key != 'r')
		return status;
	if (!(args = record_argv(manifest, argc, argv, &n)))
		return EXIT_NOMEM;
	status = wt_cmd_record(n, args);
	free(args);
	return status;
}
