/* project_run.c: `run MODULE` inside a project (its manifest enforced, its pin checked, first use
 * and a changed module asked about or refused) and `trust` (record contained, accept, pin). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "optable.h"
#include "diff.h"
#include "project_cmd.h"
#include "prompt.h"

enum { EXIT_USAGE = 64, EXIT_NOMEM = 70, EXIT_UNTRUSTED = 77 };

/* One run or trust of a module of the project. */
typedef struct prun {
	wt_cmd_project cp;
	const char *project_opt; /* --project FILE, or NULL */
	char **args;		 /* RUN-OPTIONS MODULE ARGS (argv without ours), NULL-ended */
	int nargs, mi;		 /* mi: MODULE's index in args */
	char **targs;		 /* args without run's own options: for trust (record) */
	int ntargs;
	int yes;	   /* trust --yes */
	char *rel;	   /* MODULE, project-relative */
	wt_pmodule *m;	   /* its entry, or NULL */
	char *manifest;	   /* its manifest file, absolute (m set) */
	char *manifests;   /* the manifests folder, absolute */
	char *ceilings[2]; /* the ceiling files, absolute, or NULL */
	char hex[65];	   /* the module file's sha256 */
	uint8_t *bytes;	   /* the module file, read once: hashed, then run */
	size_t size;
	uint8_t digest[32];
	wt_manifest *ceiling;
	char *ceiling_name;
	const char *who; /* "run" or "trust" */
} prun;

/* The index of MODULE among args: after the options (each takes a value
 * but the flags) and an optional `--`; nargs when there is none. */
static int module_index(int nargs, char **args)
{
	int i = 0;

	for (; i < nargs && args[i][0] == '-' && strcmp(args[i], "--") != 0; i++)
		if (wt_opt_takes_next(args[i]))
			i++;
	return i < nargs && strcmp(args[i], "--") == 0 ? i + 1 : i;
}

int wt_cmd_project_wanted(int argc, char **argv)
{
	char **copy = calloc((size_t)argc + 1, sizeof *copy);
	const char *file = NULL;
	wt_cmd_project cp = {0};
	int n, mi, yes = 0;
	char *rel = NULL;

	if (!copy)
		return 0;
	memcpy(copy, argv, (size_t)argc * sizeof *copy);
	n = wt_cmd_project_option("run", argc, copy, &file);
	mi = n < 0 ? 0 : module_index(n, copy);
	for (int i = 0; i < mi && i < n; i++)
		if (strncmp(copy[i], "--manifest", 10) == 0 && strchr("=", copy[i][10]))
			n = -2; /* run --manifest: the single-manifest workflow */
	if (n == -2)
		yes = 0;
	else if (n < 0 || file)
		yes = 1;
	else if (mi < n && (cp.file = wt_cmd_project_locate(NULL))) {
		cp.root = strndup(cp.file, (size_t)(strrchr(cp.file, '/') - cp.file));
		yes = cp.root && (rel = wt_cmd_project_rel(&cp, copy[mi])) != NULL;
	}
	free(rel);
	free(copy);
	wt_cmd_project_close(&cp);
	return yes;
}

/* run's options that trust (a recording) does not take, each with a value. */
static int run_only(const char *a)
{
	static const char *const names[] = {"--on-deviation", "--report", "--ceiling"};
	size_t n = strcspn(a, "=");

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == n && strncmp(a, names[i], n) == 0)
			return a[n] == '=' ? 1 : 2;
	return 0;
}

/* r->targs: r->args without run_only options. */
static int trust_args(prun *r)
{
	if (!(r->targs = calloc((size_t)r->nargs + 1, sizeof *r->targs)))
		return EXIT_NOMEM;
	for (int i = 0; i < r->nargs; i++) {
		int skip = i < r->mi ? run_only(r->args[i]) : 0;

		if (skip)
			i += skip - 1;
		else
			r->targs[r->ntargs++] = r->args[i];
	}
	return 0;
}

/* Takes --project and (trust) --yes out of argv into r->args. */
static int split(prun *r, int argc, char **argv, int trust)
{
	int k = 0, n;

	if (!(r->args = calloc((size_t)argc + 1, sizeof *r->args)))
		return EXIT_NOMEM;
	memcpy(r->args, argv, (size_t)argc * sizeof *r->args);
	if ((n = wt_cmd_project_option(r->who, argc, r->args, &r->project_opt)) < 0)
		return EXIT_USAGE;
	r->mi = module_index(n, r->args);
	for (int i = 0; i < n; i++) {
		if (trust && i < r->mi &&
		    (!strcmp(r->args[i], "--yes") || !strcmp(r->args[i], "-y")))
			r->yes = 1;
		else
			r->args[k++] = r->args[i];
	}
	r->args[k] = NULL;
	r->nargs = k;
	r->mi = module_index(k, r->args);
	return trust_args(r);
}

/* The project's paths for m (added to the project when it is not there). */
static int paths(prun *r)
{
	wt_project *p = r->cp.p;

	if (!r->m && !(r->m = wt_project_add(p, r->rel)))
		return EXIT_NOMEM;
	if (!(r->manifest = wt_cmd_project_manifest(&r->cp, r->m)) ||
	    !(r->manifests = wt_cmd_project_abs(&r->cp, p->manifests)))
		return EXIT_NOMEM;
	if (p->ceiling && !(r->ceilings[0] = wt_cmd_project_abs(&r->cp, p->ceiling)))
		return EXIT_NOMEM;
	if (r->m->ceiling && !(r->ceilings[1] = wt_cmd_project_abs(&r->cp, r->m->ceiling)))
		return EXIT_NOMEM;
	return wt_cmd_project_ceiling(&r->cp, r->m, &r->ceiling, &r->ceiling_name);
}

/* Opens the project and finds MODULE in it. */
static int begin(prun *r, int argc, char **argv, int trust)
{
	int rc;

	r->who = trust ? "trust" : "run";
	if ((rc = split(r, argc, argv, trust)))
		return rc;
	if (r->mi >= r->nargs) {
		wt_escape_fprintf(stderr, "wasi-tofu: %s: missing MODULE\n", r->who);
		return EXIT_USAGE;
	}
	if ((rc = wt_cmd_project_open(r->who, r->project_opt, &r->cp)))
		return rc == 1 ? EXIT_USAGE : rc;
	if (!(r->rel = wt_cmd_project_rel(&r->cp, r->args[r->mi]))) {
		wt_escape_fprintf(stderr, "wasi-tofu: %s: %s is not inside the project %s\n",
				  r->who, r->args[r->mi], r->cp.root);
		return EXIT_USAGE;
	}
	r->m = wt_project_find(r->cp.p, r->rel);
	if ((rc = wt_cmd_project_read(r->args[r->mi], &r->bytes, &r->size, r->digest, r->hex))) {
		wt_escape_fprintf(stderr, "wasi-tofu: %s: %s: cannot read the module\n", r->who,
				  r->args[r->mi]);
		return rc;
	}
	return r->m ? paths(r) : 0;
}

static void end(prun *r)
{
	wt_cmd_project_close(&r->cp);
	free(r->args);
	free(r->targs);
	free(r->rel);
	free(r->manifest);
	free(r->manifests);
	free(r->ceilings[0]);
	free(r->ceilings[1]);
	free(r->ceiling_name);
	wt_manifest_free(r->ceiling);
	free(r->bytes);
}

/* The project's own files: the module may neither see nor make them. */
static int protect_list(const prun *r, const char **out)
{
	int n = 0;

	out[n++] = r->cp.file;
	out[n++] = r->manifests;
	for (int i = 0; i < 2; i++)
		if (r->ceilings[i])
			out[n++] = r->ceilings[i];
	return n;
}

/* a, quoted for a POSIX shell when it needs it. */
static void put_arg(FILE *f, const char *a)
{
	if (*a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "_-./:=+,@%") == strlen(a)) {
		wt_escape_fprintf(f, " %s", a);
		return;
	}
	fputs(" '", f);
	for (const char *c = a; *c; c++) {
		if (*c == '\'')
			fputs("'\\''", f);
		else
			wt_escape_fprintf(f, "%.1s", c);
	}
	fputc('\'', f);
}

/* "wasi-tofu trust [--project F] ARGS...": the command that trusts it. */
static void put_trust_command(FILE *f, const prun *r)
{
	fputs("  wasi-tofu trust", f);
	if (r->project_opt) {
		fputs(" --project", f);
		put_arg(f, r->project_opt);
	}
	for (int i = 0; i < r->ntargs; i++)
		put_arg(f, r->targs[i]);
	fputc('\n', f);
}

/* The exit status 77 when nobody may be asked (CI, no terminal). */
static int refuse_unasked(const prun *r, const char *old_pin)
{
	char why[WT_ERROR_PATH_MAX + 256];

	wt_project_untrusted_format(why, sizeof why, r->rel, r->hex, old_pin);
	wt_error_lead(stderr, r->who);
	wt_escape_fprintf(stderr, "%s; not run (CI or no terminal: nobody to ask). %s with:\n", why,
			  old_pin ? "Review it, then record it again and accept the capability "
				    "diff"
				  : "Trust it");
	put_trust_command(stderr, r);
	return EXIT_UNTRUSTED;
}

static int trust_flow(prun *r);

/* At a terminal: first use or a changed module; asks once before any run. */
static int ask_first(prun *r, int changed)
{
	wt_prompt *p = wt_prompt_open(r->rel, NULL);
	int key;

	if (changed)
		key = wt_prompt_choose(
		    p, "[r] record it again, contained, and review the capability diff\n[s] stop\n",
		    "rs",
		    "%s changed: its sha256 is %s, the project pins %s.\n"
		    "Recording it again runs it contained: its writes are held back\n"
		    "until you accept what it did.\n",
		    r->rel, r->hex, r->m->sha256);
	else
		key = wt_prompt_choose(
		    p,
		    "[t] trust it: run it contained, then review what it did\n[n] do not run it\n",
		    "tn",
		    "%s (sha256 %s) is new to this project: no manifest says what it may do.\n",
		    r->rel, r->hex);
	wt_prompt_free(p);
	if (key == 'r' || key == 't')
		return trust_flow(r);
	wt_error_lead(stderr, r->who);
	wt_escape_fprintf(stderr, "%s not run\n", r->rel);
	return EXIT_UNTRUSTED;
}

static int run_enforced(prun *r)
{
	wt_cmd_project_ctx pc = {.project = r->cp.file,
				 .loaded = r->cp.p,
				 .module = r->rel,
				 .ceiling = r->ceiling,
				 .ceiling_name = r->ceiling_name,
				 .module_bytes = r->bytes,
				 .module_size = r->size,
				 .module_sha256 = r->digest};
	char **argv = calloc((size_t)r->nargs + 3, sizeof *argv);
	int status;

	if (!argv)
		return EXIT_NOMEM;
	pc.nprotect = protect_list(r, pc.protect);
	argv[0] = "--manifest";
	argv[1] = r->manifest;
	memcpy(argv + 2, r->args, (size_t)r->nargs * sizeof *argv);
	status = wt_cmd_manifest_run_in(r->nargs + 2, argv, &pc);
	free(argv);
	return status;
}

int wt_cmd_project_run(int argc, char **argv)
{
	prun r = {0};
	int status = begin(&r, argc, argv, 0), changed;
	wt_project_trust trust;

	if (status) {
		end(&r);
		return status;
	}
	trust = wt_project_trusted(r.m, r.manifest, r.hex);
	changed = trust == WT_PROJECT_CHANGED;
	if (trust == WT_PROJECT_TRUSTED)
		status = run_enforced(&r);
	else if (!wt_prompt_is_default())
		status = refuse_unasked(&r, changed ? r.m->sha256 : NULL);
	else
		status = r.m || (status = paths(&r)) == 0 ? ask_first(&r, changed) : status;
	end(&r);
	return status;
}

/* ---- trust: a contained recording, accepted whole or not at all ---- */

static void diff_line(void *ctx, const char *line)
{
	(void)ctx;
	wt_escape_fprintf(stderr, "  %s\n", line);
}

/* What the run showed it needs: the manifest, or the diff against the old one. */
static int show(const prun *r, const wt_manifest *old, const wt_manifest *made)
{
	char *text = NULL;
	size_t len = 0;
	wt_error err;

	if (old) {
		wt_error_lead(stderr, r->who);
		wt_escape_fprintf(stderr, "%s: the capability diff against %s/%s:\n", r->rel,
				  r->cp.p->manifests, r->m->manifest);
		if (wt_manifest_diff(old, made, diff_line, NULL) == 0)
			fprintf(stderr,
				"  (nothing new: the manifest already grants every call)\n");
		return 0;
	}
	wt_error_init(&err);
	if (wt_manifest_emit(made, &text, &len, &err))
		return EXIT_NOMEM;
	wt_error_lead(stderr, r->who);
	wt_escape_fprintf(stderr, "%s: the manifest it needs (%s/%s):\n", r->rel,
			  r->cp.p->manifests, r->m->manifest);
	for (char *line = text, *nl; *line; line = nl + 1) {
		nl = strchrnul(line, '\n');
		wt_escape_fprintf(stderr, "  | %.*s\n", (int)(nl - line), line);
		if (!*nl)
			break;
	}
	free(text);
	return 0;
}

static int accept(void *ctx, const wt_manifest *old, const wt_manifest *made, int nchanges)
{
	prun *r = ctx;
	char msg[1024];
	wt_prompt *p;
	int key;

	(void)nchanges;
	if (show(r, old, made))
		return EXIT_NOMEM;
	if (wt_cmd_project_fits(made, NULL, r->m->manifest, r->ceiling, r->ceiling_name,
				r->nargs - r->mi, r->args + r->mi, msg, sizeof msg)) {
		wt_error_lead(stderr, r->who);
		wt_escape_fprintf(stderr,
				  "%s: refused: %s: nothing trusted, the host is "
				  "unchanged\n",
				  r->rel, msg);
		return EXIT_UNTRUSTED;
	}
	if (r->yes)
		return 0;
	p = wt_prompt_open(r->rel, NULL);
	key = wt_prompt_choose(p,
			       "[a] accept: save the manifest, pin the module, apply the changes\n"
			       "[r] refuse: keep nothing\n",
			       "ar", "Trust %s with what it did above?\n", r->rel);
	wt_prompt_free(p);
	if (key == 'a')
		return 0;
	wt_error_lead(stderr, r->who);
	wt_escape_fprintf(stderr, "%s not trusted: nothing saved, the host is unchanged\n", r->rel);
	return EXIT_UNTRUSTED;
}

static int commit(void *ctx, const wt_manifest *made, wt_keeper *k)
{
	prun *r = ctx;
	int status;

	memcpy(r->m->sha256, made->sha256[0] ? made->sha256 : r->hex, sizeof r->m->sha256);
	if ((status = wt_cmd_project_save(&r->cp, k)))
		return status;
	wt_error_lead(stderr, r->who);
	wt_escape_fprintf(stderr, "trusted %s: manifest %s/%s, pin sha256 %s\n", r->rel,
			  r->cp.p->manifests, r->m->manifest, r->m->sha256);
	return 0;
}

/* mkdir -p of the manifests folder (inside the project: made by the CLI, not the module). */
static void make_folder(const char *path)
{
	char *copy = strdup(path);

	for (char *s = copy ? copy + 1 : NULL; s && *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(copy, 0777);
		*s = '/';
	}
	if (copy)
		mkdir(copy, 0777);
	free(copy);
}

static int trust_flow(prun *r)
{
	wt_cmd_record_ctl ctl = {.accept = accept, .commit = commit, .ctx = r, .nkeep = 1};
	char **argv = calloc((size_t)r->ntargs + 4, sizeof *argv);
	int status, n = 0;

	if (!argv)
		return EXIT_NOMEM;
	ctl.keep[0] = r->cp.file;
	ctl.module_name = r->rel;
	ctl.who = r->who;
	ctl.module_bytes = r->bytes, ctl.module_size = r->size, ctl.module_sha256 = r->digest;
	ctl.nprotect = protect_list(r, ctl.protect);
	make_folder(r->manifests);
	argv[n++] = "--contain";
	argv[n++] = access(r->manifest, F_OK) == 0 ? "--update" : "-o";
	argv[n++] = r->manifest;
	memcpy(argv + n, r->targs, (size_t)r->ntargs * sizeof *argv);
	status = wt_cmd_record_with(n + r->ntargs, argv, &ctl);
	free(argv);
	return status;
}

static int trust_usage(void)
{
	fprintf(stdout,
		"usage: wasi-tofu trust [RUN-OPTIONS] [--project FILE] [--yes] MODULE [--] "
		"[ARGS...]\n"
		"\n"
		"First use of a module of the project: runs it contained (as\n"
		"record --contain), shows the manifest made from the run (or, for a module with\n"
		"one, the capability diff) and the changes held back, checks the ceiling, and\n"
		"on [a] (or --yes) saves the manifest, applies the changes and pins the module's\n"
		"sha256 in wasi-tofu.yaml. Without a terminal, --yes is required.\n"
		"\n");
	wt_cmd_options_usage(stdout);
	fprintf(stdout, "\nExit status: 0 trusted; 77 refused (by you or the ceiling), or no "
			"terminal\nand no --yes; the module's own status when its run failed; "
			"64 65 66 70.\n\nSee man wasi-tofu-trust.\n");
	return 0;
}

int wt_cmd_trust(int argc, char **argv)
{
	prun r = {0};
	int status;

	for (int i = 0; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return trust_usage();
		if (wt_opt_takes_next(argv[i])) /* its value: `--fuel 5 --help` */
			i++;
	}
	status = begin(&r, argc, argv, 1);

	if (status == 0 && !r.m)
		status = paths(&r);
	if (status == 0 && !r.yes && !wt_prompt_is_default()) {
		wt_escape_fprintf(
		    stderr,
		    "wasi-tofu: trust: %s: no terminal to ask (or CI is set): nothing "
		    "run; add --yes to accept what the contained run does\n",
		    r.rel);
		status = EXIT_UNTRUSTED;
	}
	if (status == 0)
		status = trust_flow(&r);
	end(&r);
	return status;
}
