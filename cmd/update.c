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

int wt_cmd_update_begin(wt_cmd_update *u, const char *manifest, const wt_lib_loaded *loaded,
			int nrest, char **rest)
{
	size_t n;
	int status;

	memset(u, 0, sizeof *u);
	if (!(u->old = wt_lib_loaded_find(loaded, manifest)) &&
	    (status = wt_cmd_manifest_load_one("record", manifest, &u->owned_old)))
		return status;
	if (!u->old)
		u->old = u->owned_old;
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
	wt_manifest_free(u->owned_old);
	memset(u, 0, sizeof *u);
}

/* One diff line on stderr, indented, escaped (patterns come from guest paths). */
static void diff_line(void *ctx, const char *line)
{
	(void)ctx;
	wt_escape_fprintf(stderr, "  %s\n", line);
}

/* 1 when the plain pattern (no ${arg:N}: an argument the user typed) names a path in none
 * of m's mounts. */
static int outside_mounts(const wt_manifest *m, const char *pattern)
{
	if (pattern[0] != '/')
		return 0;
	for (size_t i = 0; i < m->nmounts; i++) {
		size_t len = strlen(m->mounts[i].guest);

		if (len == 1 || (strncmp(pattern, m->mounts[i].guest, len) == 0 &&
				 (pattern[len] == '/' || pattern[len] == '\0')))
			return 0;
	}
	return 1;
}

static int has_mount(const wt_manifest *m, const char *guest)
{
	for (size_t i = 0; i < m->nmounts; i++)
		if (!strcmp(m->mounts[i].guest, guest))
			return 1;
	return 0;
}

/* The rights merged's rule i adds to old (merge keeps old's rules first, in order). */
static uint32_t added_rights(const wt_manifest *old, const wt_manifest *merged, size_t i)
{
	return merged->files[i].rights & ~(i < old->nfiles ? old->files[i].rights : 0);
}

/* Takes the rights rule i adds back out; a new rule left with none goes at compact(). */
static void refuse_rule(const wt_manifest *old, wt_manifest *merged, size_t i)
{
	merged->files[i].rights = i < old->nfiles ? old->files[i].rights : 0;
}

/* Drops the rules left without rights. */
static void compact(wt_manifest *m)
{
	size_t k = 0;

	for (size_t i = 0; i < m->nfiles; i++)
		if (m->files[i].rights)
			m->files[k++] = m->files[i];
	m->nfiles = k;
}

static void keep_line(void *ctx, const char *line)
{
	snprintf(ctx, 8192, "%s", line);
}

/* The diff's line for rule i's added rights, "+ P [rights]", into buf[8192]. */
static const char *rule_change(const wt_manifest *old, const wt_manifest *merged, size_t i,
			       char *buf)
{
	wt_manifest one = {0}, none = {0};
	wt_mrule r = merged->files[i];

	r.rights = added_rights(old, merged, i);
	one.files = &r, one.nfiles = 1;
	buf[0] = '\0';
	wt_manifest_diff(&none, &one, keep_line, buf);
	return buf;
}

/* Without a terminal nobody reviews: a rule outside the manifest's mounts (a folder the
 * update's command line mounted) and such a mount are left out, and said so. */
static void leave_out_unreviewed(const wt_manifest *old, wt_manifest *merged)
{
	char line[8192];
	size_t k = 0;

	for (size_t i = 0; i < merged->nfiles; i++) {
		if (!added_rights(old, merged, i) || !outside_mounts(old, merged->files[i].pattern))
			continue;
		wt_escape_fprintf(
		    stderr,
		    "wasi-tofu: record: left out (outside the manifest's mounts; review "
		    "it at a terminal, or add it by hand): %s\n",
		    rule_change(old, merged, i, line));
		refuse_rule(old, merged, i);
	}
	compact(merged);
	for (size_t i = 0; i < merged->nmounts; i++) {
		if (has_mount(old, merged->mounts[i].guest)) {
			merged->mounts[k++] = merged->mounts[i];
			continue;
		}
		wt_escape_fprintf(stderr,
				  "wasi-tofu: record: left out the mount %s (not the manifest's; "
				  "review it at a terminal, or add it by hand)\n",
				  merged->mounts[i].guest);
	}
	merged->nmounts = k;
}

/* At a terminal, as aa-logprof does: each new file rule asked on its own; [k] keeps the
 * manifest as it is (returns 0), else 1. */
static int review_rules(wt_prompt *p, const wt_manifest *old, wt_manifest *merged)
{
	char line[8192];
	int all = 0;

	for (size_t i = 0; i < merged->nfiles && !all; i++) {
		int key;

		if (!added_rights(old, merged, i))
			continue;
		key = wt_prompt_choose(p,
				       "[y] add it  [n] leave it out  [a] add it and all the rest  "
				       "[k] keep the manifest as it is\n",
				       "ynak", "The new recording wants:\n  %s\nAdd this rule?\n",
				       rule_change(old, merged, i, line));
		if (key == 'k' || key == 0)
			return 0;
		if (key == 'n')
			refuse_rule(old, merged, i);
		all = key == 'a';
	}
	compact(merged);
	return 1;
}

/* At a terminal: [w] write or [k] keep the old manifest. */
static int want_write(wt_prompt *p, const char *manifest)
{
	int key = wt_prompt_choose(p, "[w] write them  [k] keep the manifest as it is\n", "wk",
				   "Write these changes to %s?\n", manifest);

	return key == 'w';
}

/* Prints the diff old -> merged; its number of lines, or (size_t)-1. */
static size_t show(const wt_manifest *old, const wt_manifest *merged, const char *manifest,
		   const char *what)
{
	size_t n;

	wt_escape_fprintf(stderr, "wasi-tofu: record: %s %s:\n", what, manifest);
	if ((n = wt_manifest_diff(old, merged, diff_line, NULL)) == 0)
		fprintf(stderr, "  (nothing: the manifest already grants every call)\n");
	return n;
}

/* Diff old -> merged; at a terminal each new rule asked, then the whole; without one, what
 * nobody reviewed left out; then merged written to manifest (when wanted). */
static int show_and_write(const wt_manifest *old, wt_manifest *merged, const char *manifest,
			  wt_keeper *k)
{
	wt_prompt *p = wt_prompt_is_default() ? wt_prompt_open(NULL, manifest) : NULL;
	size_t n;
	int status = 0;

	if (!p)
		leave_out_unreviewed(old, merged);
	n = show(old, merged, manifest, "what the new recording changes in");
	if (n == 0)
		wt_escape_fprintf(stderr, "wasi-tofu: record: %s left as it was\n", manifest);
	if (n == (size_t)-1 || n == 0) {
		wt_prompt_free(p);
		return n ? EXIT_NOMEM : 0;
	}
	if (p && (!review_rules(p, old, merged) ||
		  ((n = show(old, merged, manifest, "to be written to")) && n != (size_t)-1 &&
		   !want_write(p, manifest)))) {
		wt_escape_fprintf(stderr, "wasi-tofu: record: %s left as it was\n", manifest);
		n = 0;
	}
	wt_prompt_free(p);
	if (n == (size_t)-1)
		return EXIT_NOMEM;
	if (n && (status = wt_cmd_write_manifest("record", merged, manifest, k)) == 0)
		wt_escape_fprintf(stderr, "wasi-tofu: record: updated %s (%zu change%s)\n",
				  manifest, n, n == 1 ? "" : "s");
	return status;
}

/* The journal's name as the header shows it: relative to the manifest's folder when it is
 * in it. */
static const char *journal_name(const char *manifest, const char *journal)
{
	const char *slash = strrchr(manifest, '/');
	size_t dir = slash ? (size_t)(slash - manifest) + 1 : 0;

	return strncmp(manifest, journal, dir) == 0 && !strchr(journal + dir, '/') ? journal + dir
										   : journal;
}

int wt_cmd_record_generate(const wt_manifest *old, const char *manifest, const char *journal,
			   const char *granularity, wt_manifest **out)
{
	wt_manifest *rec = NULL;
	wt_error err;
	int status;

	*out = NULL;
	status = wt_cmd_generate_manifest("record", &journal, 1, manifest, granularity, NULL, &rec);
	if (status || !old) {
		*out = rec;
		return status;
	}
	wt_error_init(&err);
	if (wt_manifest_merge(old, rec, out, &err) ||
	    wt_manifest_merge_header(*out, old, rec, journal_name(manifest, journal))) {
		if (!err.code)
			err.code = WT_NOMEM;
		wt_error_print(stderr, "record", NULL, &err);
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

int wt_cmd_offer_rerecord(wt_prompt *p, const char *manifest, const wt_lib_loaded *loaded, int argc,
			  char **argv, int status)
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
	status = wt_cmd_record_loaded(n, args, loaded);
	free(args);
	return status;
}
