/* generate.c: the `generate` subcommand: journals -> wt_gen_run -> wt_generate -> MANIFEST. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "optable.h"
#include "generate.h"
#include "grow.h"
#include "journal.h"
#include "manifest.h"

enum { EXIT_USAGE = 64 };

void wt_cmd_generate_usage(FILE *f)
{
	fprintf(f,
		"usage: wasi-tofu generate JOURNAL... -o MANIFEST [--granularity exact|dir|tree]\n"
		"\n"
		"Reduces the journals of recorded runs (`wasi-tofu record`) to one minimal\n"
		"capability manifest (YAML) covering every call they hold: paths named by a\n"
		"program argument become ${arg} (${arg:-o}, ${arg:N} for writes), files a run\n"
		"created become a pattern on their folder (${argdir}/* beside an argument's\n"
		"path), paths probed and missing go to `absent`. Relative mount folders in a\n"
		"journal are taken from the current folder; the manifest writes them relative\n"
		"to its own.\n"
		"\n"
		"  -o, --output MANIFEST    the manifest to write (replaced when it exists)\n"
		"  --granularity G          exact: every path that existed keeps its own rule;\n"
		"                           dir (default): 4 or more files of a folder with the\n"
		"                           same rights become folder/*; tree: as dir, then rules\n"
		"                           alike in several folders below one become folder/**\n"
		"\n"
		"Exit status: 0; 64 usage error; 65 malformed journal (LINE:COLUMN), journals\n"
		"of different modules, or a journal that reached record's --journal-max;\n"
		"66 missing journal; 70 internal error; 74 write error.\n"
		"\n"
		"See man wasi-tofu-generate.\n");
}

static int usage_error(const char *msg, const char *arg)
{
	wt_escape_fprintf(stderr, "wasi-tofu: generate: %s%s\nTry 'wasi-tofu generate --help'.\n",
			  msg, arg);
	return EXIT_USAGE;
}

/* The journals' runs, with what they borrow. */
typedef struct runs {
	wt_journal **journals;
	wt_gen_run *runs;
	void **owned; /* mount arrays and resolved host folders */
	int n, nowned;
	size_t capowned;
} runs;

static void runs_fini(runs *r)
{
	for (int i = 0; i < r->n; i++)
		wt_journal_free(r->journals[i]);
	for (int i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	free(r->journals);
	free(r->runs);
	free(r->owned);
}

/* Keeps p to free with r; 0, or -1 (p freed) when out of memory. */
static int own(runs *r, void *p)
{
	if (WT_GROW(&r->owned, &r->capowned, (size_t)r->nowned + 1, 16)) {
		free(p);
		return -1;
	}
	r->owned[r->nowned++] = p;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The journal's mounts with existing host folders resolved (symlinks
 * too), so they compare with the manifest's resolved folder. */
static const wt_mount *resolved_mounts(const wt_journal_header *h, runs *r)
{
	wt_mount *m;

	if (h->nmounts <= 0)
		return NULL;
	if (!(m = calloc((size_t)h->nmounts, sizeof *m)) || own(r, m))
		return NULL;
	for (int k = 0; k < h->nmounts; k++) {
		char *abs = realpath(h->mounts[k].host, NULL);

		m[k] = h->mounts[k];
		if (abs && own(r, abs) == 0)
			m[k].host = abs;
	}
	return m;
}

static int run_of(const wt_journal *j, runs *r, wt_gen_run *out)
{
	const wt_journal_header *h = &j->header;
	const wt_mount *mounts = resolved_mounts(h, r);

	if (h->nmounts > 0 && !mounts)
		return -1;
	*out = (wt_gen_run){.argc = h->argc,
			    .argv = h->argv,
			    .cwd = h->cwd,
			    .nmounts = h->nmounts,
			    .mounts = mounts,
			    .nenv = h->nenv,
			    .env_names = h->env_names,
			    .module_name = h->module_path ? base_name(h->module_path) : NULL,
			    .sha256 = h->sha256,
			    .tool_version = h->tool_version,
			    .has_exit = j->end.how == WT_JOURNAL_EXIT,
			    .exit_code = (int32_t)j->end.exit_code,
			    .events = j->ncalls ? &j->calls[0].ev : NULL,
			    .nevents = j->ncalls,
			    .stride = sizeof(wt_journal_call),
			    .fakes = h->fakes};
	return 0;
}

static int read_runs(const char *who, const char *const *paths, int n, runs *r)
{
	wt_error err;

	memset(r, 0, sizeof *r);
	if (!(r->journals = calloc((size_t)n, sizeof *r->journals)) ||
	    !(r->runs = calloc((size_t)n, sizeof *r->runs)))
		return wt_status_exit(WT_NOMEM);
	for (; r->n < n; r->n++) {
		wt_journal **j = &r->journals[r->n];

		wt_error_init(&err);
		if (wt_journal_read(paths[r->n], j, &err)) {
			wt_error_print(stderr, who, err.line ? paths[r->n] : NULL, &err);
			return wt_status_exit(err.code);
		}
		if ((*j)->end.how == WT_JOURNAL_CAP) {
			wt_escape_fprintf(
			    stderr,
			    "wasi-tofu: %s: %s: the run was stopped at the journal's cap of %llu "
			    "bytes, so it does not hold the whole run: no manifest is made from "
			    "it; record again with a larger --journal-max\n",
			    who, paths[r->n], (unsigned long long)(*j)->end.journal_max);
			r->n++; /* freed with the others */
			return wt_status_exit(WT_MALFORMED);
		}
		if ((*j)->cut_short)
			wt_escape_fprintf(
			    stderr,
			    "wasi-tofu: %s: %s was cut short: the manifest covers what it holds\n",
			    who, paths[r->n]);
		if (run_of(*j, r, &r->runs[r->n]))
			return wt_status_exit(WT_NOMEM);
	}
	return 0;
}

/* The resolved folder of path (which need not exist yet), malloc'd. */
static char *manifest_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	char *abs = dir ? realpath(dir, NULL) : NULL;

	free(dir);
	return abs;
}

/* The manifest of the runs r, for the manifest file at manifest (host
 * paths of mounts are written relative to its folder), into *out. */
static int generate(const char *who, const runs *r, const char *manifest, wt_gen_granularity g,
		    wt_manifest **out)
{
	char cwd[PATH_MAX];
	wt_gen_options opt = {.granularity = g};
	char *dir = manifest_folder(manifest);
	wt_error err;
	int status = 0;

	opt.manifest_dir = dir;
	opt.host_cwd = getcwd(cwd, sizeof cwd);
	wt_error_init(&err);
	if (wt_generate(r->runs, (size_t)r->n, &opt, out, &err)) {
		wt_error_print(stderr, who, NULL, &err);
		status = wt_status_exit(err.code);
	}
	free(dir);
	return status;
}

int wt_cmd_generate_manifest(const char *who, const char *const *journals, int njournals,
			     const char *manifest, const char *granularity, int *nruns,
			     wt_manifest **out)
{
	wt_gen_granularity g = WT_GEN_DIR;
	runs r;
	int status;

	*out = NULL;
	if (granularity && wt_gen_granularity_parse(granularity, &g))
		return usage_error("--granularity must be exact, dir or tree, not ", granularity);
	status = read_runs(who, journals, njournals, &r);
	if (status == 0)
		status = generate(who, &r, manifest, g, out);
	if (nruns)
		*nruns = r.n;
	runs_fini(&r);
	return status;
}

int wt_cmd_write_manifest(const char *who, const wt_manifest *m, const char *manifest, wt_keeper *k)
{
	char *text = NULL;
	size_t len = 0;
	wt_error err;
	int status = 0;

	wt_error_init(&err);
	if (wt_manifest_emit(m, &text, &len, &err) ||
	    wt_keeper_replace(k, manifest, text, len, &err)) {
		wt_error_prefix(&err, "cannot write the manifest");
		wt_error_print(stderr, who, NULL, &err);
		status = wt_status_exit(err.code);
	}
	free(text);
	return status;
}

int wt_cmd_generate_files(const char *who, const char *const *journals, int njournals,
			  const char *manifest, const char *granularity, wt_keeper *k)
{
	wt_manifest *m = NULL;
	int n = 0, status = wt_cmd_generate_manifest(who, journals, njournals, manifest,
						     granularity, &n, &m);

	if (status == 0 && (status = wt_cmd_write_manifest(who, m, manifest, k)) == 0)
		wt_escape_fprintf(stderr,
				  "wasi-tofu: %s: wrote %s: %zu file rule%s, %zu absent, %zu "
				  "refused, from %d run%s\n",
				  who, manifest, m->nfiles, m->nfiles == 1 ? "" : "s", m->nabsent,
				  m->nrefused, n, n == 1 ? "" : "s");
	wt_manifest_free(m);
	return status;
}

/* generate's options and journals, in any order; after `--` only journals. */
typedef struct gen_args {
	const char **journals;
	const char *manifest, *granularity;
	int n, help;
} gen_args;

static int take(void *ctx, const wt_opt *opt, const char *value)
{
	gen_args *g = ctx;

	if (opt->id == WT_OPT_HELP)
		g->help = 1;
	else if (opt->id == WT_OPT_OUTPUT)
		g->manifest = value;
	else if (opt->id == WT_OPT_GRANULARITY)
		g->granularity = value;
	return 0;
}

int wt_cmd_generate(int argc, char **argv)
{
	gen_args g = {.journals = calloc((size_t)argc + 1, sizeof *g.journals)};
	int status;

	if (!g.journals)
		return wt_status_exit(WT_NOMEM);
	status =
	    wt_opt_operands("generate", WT_OPTS_GENERATE, argc, argv, take, &g, g.journals, &g.n);
	if (status == 0 && g.help)
		wt_cmd_generate_usage(stdout);
	else if (status == 0 && (!g.n || !g.manifest || !*g.manifest))
		status = usage_error(!g.n ? "no JOURNAL given" : "missing -o MANIFEST", "");
	else if (status == 0)
		status = wt_cmd_generate_files("generate", g.journals, g.n, g.manifest,
					       g.granularity, NULL);
	free(g.journals);
	return status;
}
