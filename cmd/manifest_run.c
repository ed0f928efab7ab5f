/* manifest_run.c: `run --manifest`: load the manifest, its override and a ceiling, pin the module,
 * mount, filter env, enforce, report deviations. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "optable.h"
#include "devask.h"
#include "enforce.h"
#include "escape.h"
#include "override.h"
#include "settings.h"
#include "suggest.h"
#include "update.h"
#include "manifest.h"
#include "sha256.h"

enum { EXIT_USAGE = 64, EXIT_NOMEM = 70, EXIT_DEVIATION = 77 };

/* --manifest, --on-deviation, --ceiling and --report, taken out of argv before the
 * RUN-OPTIONS parser; the manifest's mounts go in front of the rest. */
typedef struct mrun {
	const char *manifest_path, *mode_arg, *ceiling_path, *report_path;
	char **rest;
	int nrest;
	char **owned;
	int nowned;
	wt_manifest *m, *override, *ceiling;
	int changed;		      /* the module's sha256 is not the pin */
	char sha256[WT_SHA256_HEX];   /* the module's, once read ("" before) */
	int help;		      /* --help or -h among the RUN-OPTIONS */
	const wt_cmd_project_ctx *pc; /* run MODULE inside a project, or NULL */
} mrun;

/* The ceiling the manifest must fit: --ceiling's, else the project's. */
static const wt_manifest *ceiling_of(const mrun *r)
{
	return r->ceiling || !r->pc ? r->ceiling : r->pc->ceiling;
}

static const char *ceiling_name_of(const mrun *r)
{
	return r->ceiling || !r->pc ? r->ceiling_path : r->pc->ceiling_name;
}

/* How messages and reports name the module: its project-relative path in a project. */
static const char *module_name(const mrun *r, const wt_cmd_options *o)
{
	const char *slash = strrchr(o->run.module_path, '/');

	if (r->pc)
		return r->pc->module;
	return slash ? slash + 1 : o->run.module_path;
}

/* Takes one of our options (wt_opt_split). */
static int take(void *ctx, const wt_opt *opt, const char *value)
{
	mrun *r = ctx;

	switch (opt->id) {
	case WT_OPT_MANIFEST:
		r->manifest_path = value;
		break;
	case WT_OPT_ON_DEVIATION:
		r->mode_arg = value;
		break;
	case WT_OPT_CEILING:
		r->ceiling_path = value;
		break;
	case WT_OPT_REPORT:
		r->report_path = value;
		break;
	case WT_OPT_HELP:
		r->help = 1;
		break;
	default:
		break;
	}
	return 0;
}

int wt_cmd_manifest_wanted(int argc, char **argv)
{
	for (int i = 0; i < argc && wt_opt_is_option(argv[i]); i++) {
		const wt_opt *opt = wt_opt_lookup(argv[i]);

		if (!opt)
			return 0; /* run's parser says it is unknown */
		if (opt->groups & WT_OPTS_MANIFEST)
			return 1;
		if (wt_opt_takes_next(argv[i]))
			i++;
	}
	return 0;
}

/* Splits argv (see mrun); room is left in rest for the manifest's mounts. */
static int split_args(int argc, char **argv, mrun *r, size_t extra)
{
	if (!(r->rest = calloc((size_t)argc + extra + 1, sizeof *r->rest)) ||
	    !(r->owned = calloc(extra + 1, sizeof *r->owned)))
		return EXIT_NOMEM;
	return wt_opt_split("run", WT_OPTS_MANIFEST | WT_OPTS_HELP, argc, argv, take, r, r->rest,
			    &r->nrest);
}

static int load_all(mrun *r)
{
	return wt_cmd_manifest_load("run", r->manifest_path, r->ceiling_path, &r->m, &r->override,
				    &r->ceiling);
}

/* Warns about a mount of the host's root or home folder. */
static void warn_sandbox(const char *host, const char *guest)
{
	char real[PATH_MAX], home[PATH_MAX];
	const char *h = getenv("HOME");

	if (!realpath(host, real))
		return;
	if (strcmp(real, "/") == 0) {
		wt_error_lead(stderr, "run");
		wt_escape_fprintf(
		    stderr,
		    "warning: mount %s is the host's root folder: the sandbox hides nothing\n",
		    guest);
	} else if (h && realpath(h, home) && strcmp(real, home) == 0) {
		wt_error_lead(stderr, "run");
		wt_escape_fprintf(stderr,
				  "warning: mount %s is the home folder %s: keys and credentials "
				  "are in reach\n",
				  guest, real);
	}
}

/* "--mount" "HOST:GUEST:ro" for each manifest mount, in front of the
 * command line's options (which may add more). */
static int add_mounts(mrun *r)
{
	size_t n = r->m->nmounts;

	memmove(r->rest + 2 * n, r->rest, (size_t)r->nrest * sizeof *r->rest);
	for (size_t i = 0; i < n; i++) {
		const wt_mmount *mt = &r->m->mounts[i];
		char *host = wt_settings_mount_host(r->manifest_path, mt->host), *spec = NULL;

		if (!host ||
		    asprintf(&spec, "%s:%s:%s", host, mt->guest, mt->readonly ? "ro" : "rw") < 0) {
			free(host);
			return EXIT_NOMEM;
		}
		warn_sandbox(host, mt->guest);
		free(host);
		r->owned[r->nowned++] = spec;
		r->rest[2 * i] = "--mount";
		r->rest[2 * i + 1] = spec;
	}
	r->nrest += 2 * (int)n;
	return 0;
}

/* Says which --env variables are not passed and the line that would pass them. */
static void tell_dropped_env(const mrun *r, const char *override_path, char **names, size_t n)
{
	wt_suggest_ctx c = {.manifest = r->m,
			    .override = r->override,
			    .manifest_path = r->manifest_path,
			    .override_path = override_path};
	wt_suggestion s;

	for (size_t i = 0; i < n; i++) {
		wt_error_lead(stderr, "run");
		wt_escape_fprintf(stderr,
				  "--env %s not passed to the module: %s does not list it\n",
				  names[i], r->manifest_path);
	}
	if (wt_suggest_env(&c, (const char *const *)names, n, &s) == 0)
		wt_suggest_print(&s, "pass", stderr);
	wt_suggest_fini(&s);
}

/* Keeps the --env variables whose names the manifest or override lists; tells the others. */
static void filter_env(wt_cmd_options *o, const wt_enforce *e, const mrun *r,
		       const char *override_path)
{
	const char **dropped = calloc((size_t)o->nenv + 1, sizeof *dropped);
	char **names = calloc((size_t)o->nenv + 1, sizeof *names);
	int nd = 0;
	size_t nn = 0;

	o->nenv =
	    wt_settings_filter_env(e, o->env, o->nenv, dropped && names ? dropped : NULL, &nd);
	o->run.wasi.nenv = o->nenv;
	for (int i = 0; i < nd; i++)
		if ((names[nn] = strndup(dropped[i], strcspn(dropped[i], "="))))
			nn++;
	if (nn)
		tell_dropped_env(r, override_path, names, nn);
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names), free(dropped);
}

static int resolve_mode(const mrun *r, wt_on_deviation *mode)
{
	*mode = r->m->on_deviation;
	if (r->mode_arg && wt_manifest_on_deviation_parse(r->mode_arg, mode))
		return wt_opt_usage_error("run", "--on-deviation",
					  "expected fail, deny, hide, prompt or warn, got",
					  r->mode_arg);
	*mode = wt_devask_mode(*mode); /* DEFAULT: prompt on a terminal, else fail */
	return 0;
}

/* The module_read hook: the bytes about to run must have the pinned sha256. */
static int check_pin(void *ctx, const char *path, const uint8_t *bytes, size_t size, wt_error *err)
{
	mrun *r = ctx;
	char hex[WT_SHA256_HEX];
	int rc = wt_manifest_pin_check(r->m, r->manifest_path, path, bytes, size, hex, err);

	memcpy(r->sha256, hex, sizeof r->sha256);
	if (rc == 0)
		return 0;
	if (r->pc) { /* the project's pin matched: the project file and the manifest disagree */
		wt_error_init(err);
		return wt_fail_plain(
		    err, WT_DEVIATION,
		    "%s: its sha256 %s is the project's pin, but %s pins %s: the "
		    "project file and the manifest disagree; not run (see `wasi-tofu "
		    "verify`, then trust the module again)",
		    r->pc->module, hex, r->manifest_path, r->m->sha256);
	}
	r->changed = 1;
	return rc;
}

static const char *guest_cwd(const wt_cmd_options *o)
{
	return o->run.wasi.cwd ? o->run.wasi.cwd : "/";
}

/* The deviation settler (docs/deviations.md): the mode, the prompt on the
 * controlling terminal (prompt mode; none: acts as fail), the log for the
 * summary and --report, the override file [a] writes to. */
static int devask_init(const mrun *r, const wt_cmd_options *o, wt_devask *d)
{
	memset(d, 0, sizeof *d);
	if (resolve_mode(r, &d->mode))
		return EXIT_USAGE;
	d->messages = stderr;
	if (!(d->log = wt_devlog_new()) || !(d->override_path = wt_override_path(r->manifest_path)))
		return EXIT_NOMEM;
	if (d->mode == WT_ON_DEV_PROMPT)
		d->prompt = wt_prompt_open(module_name(r, o), r->manifest_path);
	return 0;
}

static void devask_fini(wt_devask *d)
{
	wt_keeper_stop(d->keeper);
	wt_prompt_free(d->prompt);
	wt_devlog_free(d->log);
	free((char *)d->override_path);
}

static int make_policy(const mrun *r, const wt_cmd_options *o, wt_devask *d, wt_enforce **e)
{
	wt_enforce_config cfg = {.manifest = r->m,
				 .override = r->override,
				 .ceiling = ceiling_of(r),
				 .manifest_name = r->manifest_path,
				 .override_name = d->override_path,
				 .ceiling_name = ceiling_name_of(r),
				 .argc = o->argc,
				 .argv = o->argv,
				 .cwd = guest_cwd(o),
				 .mode = d->mode,
				 .devask = d,
				 .mounts = o->mounts,
				 .nmounts = o->nmounts};
	wt_error err;

	wt_error_init(&err);
	if (wt_enforce_new(&cfg, e, &err) == 0)
		return 0;
	wt_error_print(stderr, "run", NULL, &err);
	return wt_status_exit(err.code);
}

void wt_cmd_print_deviations(FILE *f, const char *manifest, const wt_enforce *e)
{
	size_t n = wt_enforce_count(e);
	unsigned long calls = 0;

	for (size_t i = 0; i < n; i++)
		calls += wt_enforce_get(e, i)->count;
	wt_escape_fprintf(f, "%zu request%s outside %s (%lu call%s):\n", n, n == 1 ? "" : "s",
			  manifest, calls, calls == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  ");
		wt_enforce_print(e, wt_enforce_get(e, i), f);
	}
}

static void report(const mrun *r, const char *who, const wt_enforce *e, const char *how)
{
	if (wt_enforce_count(e) == 0)
		return;
	wt_error_lead(stderr, who);
	if (r->pc) /* several modules in one build: say which one */
		wt_escape_fprintf(stderr, "%s: ", r->pc->module);
	wt_escape_fprintf(stderr, "%s ", how);
	wt_cmd_print_deviations(stderr, r->manifest_path, e);
}

/* Writes --report: the outcome, then every deviation. */
static int write_report(const mrun *r, const wt_cmd_options *o, const wt_devask *d,
			const wt_enforce *e, const wt_run_result *res, int status)
{
	char trap[sizeof res->trap.msg + 128];
	wt_devreport_run run = {.module = module_name(r, o),
				.manifest = r->manifest_path,
				.override = d->override_path,
				.status = status,
				.sha256 = r->sha256[0] ? r->sha256 : NULL,
				.pin = r->m->sha256[0] ? r->m->sha256 : NULL};
	wt_error err;

	wt_devreport_outcome(&run, res, wt_enforce_stopped(e), r->changed, trap, sizeof trap);
	wt_error_init(&err);
	if (wt_devlog_write_report(d->log, &run, r->report_path, &err) == 0)
		return status;
	wt_error_print(stderr, "run", NULL, &err);
	return status ? status : wt_status_exit(err.code);
}

/* What the run refused or allowed outside the manifest: after questions at
 * the terminal, the summary (outcomes and how to make them permanent);
 * else the list of refused calls. Then --report. Returns the status. */
static int tell_deviations(const mrun *r, const wt_cmd_options *o, const wt_devask *d,
			   const wt_enforce *e, const wt_run_result *res, int status)
{
	if (d->prompt || d->mode == WT_ON_DEV_WARN)
		wt_devlog_summary(d->log, o->who, r->manifest_path, d->override_path, stderr);
	else if (wt_enforce_stopped(e))
		report(r, o->who, e, "stopped: the module made");
	else
		report(r, o->who, e, "refused");
	wt_devlog_hidden_summary(d->log, o->who, stderr);
	return r->report_path ? write_report(r, o, d, e, res, status) : status;
}

/* What the CLI touches outside the mounts once the run has started: the
 * --report file (made now, so that writing it needs no right on its
 * folder) and, when the prompt may add a grant ([a]), the override file's
 * folder (written through a temporary file and a rename). The prompt's
 * terminal is open already. */
static void confine(const mrun *r, wt_cmd_options *o, const wt_devask *d)
{
	if (r->report_path) {
		wt_cmd_confine_precreate(r->report_path);
		wt_cmd_confine_add(o, r->report_path, WT_CONFINE_WRITE);
	}
	wt_cmd_confine_arm(o, 0);
}

static int start_keeper(wt_devask *d)
{
	wt_error err;

	wt_error_init(&err);
	if (wt_keeper_start(&d->override_path, 1, &d->keeper, &err) == 0)
		return 0;
	wt_error_print(stderr, "run", NULL, &err);
	return wt_status_exit(err.code);
}

static int run_enforced(mrun *r, wt_cmd_options *o, int argc, char **argv)
{
	wt_run_hooks hooks = {.ctx = r, .module_read = check_pin};
	wt_enforce *e = NULL;
	wt_devask d;
	wt_policy pol;
	wt_lib_engine engine;
	wasi_tofu_run *lib;
	const wt_run_result *res;
	int status;

	if ((status = devask_init(r, o, &d)) || (status = make_policy(r, o, &d, &e))) {
		devask_fini(&d);
		return status;
	}
	wt_cmd_options_protect(o, r->manifest_path);
	wt_cmd_options_protect(o, d.override_path);
	wt_cmd_options_protect(o, r->ceiling_path);
	wt_cmd_options_protect(o, r->report_path);
	for (int i = 0; r->pc && i < r->pc->nprotect; i++)
		wt_cmd_options_protect(o, r->pc->protect[i]);
	wt_settings_fakes(r->m, &o->run.wasi.fakes);
	filter_env(o, e, r, d.override_path);
	wt_settings_limits(r->m, &o->run.limits, &o->run.timeout);
	pol = wt_enforce_policy(e);
	o->run.hooks = &hooks;
	signal(SIGPIPE, SIG_IGN);
	fflush(stdout);
	if (d.prompt && !o->no_confine && /* [a] writes the override file: through a keeper */
	    (status = start_keeper(&d)) != 0) {
		wt_enforce_free(e);
		devask_fini(&d);
		return status;
	}
	confine(r, o, &d);
	if (!(lib = wt_cmd_lib_run(o, &engine))) {
		wt_enforce_free(e);
		devask_fini(&d);
		wt_error_lead(stderr, o->who);
		fprintf(stderr, "out of memory\n");
		return EXIT_NOMEM;
	}
	engine.policy = &pol;
	wasi_tofu_run_exec(lib);
	res = wt_lib_run_result(lib);
	if (wt_enforce_stopped(e))
		status = EXIT_DEVIATION;
	else
		status = wt_cmd_run_status(res, o->run.module_path, o->who);
	status = tell_deviations(r, o, &d, e, res, status);
	wasi_tofu_run_free(lib);
	if (r->changed && d.prompt)
		status = wt_cmd_offer_rerecord(d.prompt, r->manifest_path, argc, argv, status);
	wt_enforce_free(e);
	devask_fini(&d);
	return wt_cmd_confine_note(o, status);
}

static void fini(mrun *r)
{
	for (int i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	free(r->owned);
	free(r->rest);
	wt_manifest_free(r->m);
	wt_manifest_free(r->override);
	wt_manifest_free(r->ceiling);
}

int wt_cmd_manifest_run(int argc, char **argv)
{
	return wt_cmd_manifest_run_in(argc, argv, NULL);
}

int wt_cmd_manifest_run_in(int argc, char **argv, const wt_cmd_project_ctx *pc)
{
	mrun r = {.pc = pc};
	wt_cmd_options o = {0};
	int status = split_args(argc, argv, &r, 0);

	if (status == 0 && r.help) { /* before loading: M may not exist yet */
		wt_cmd_run_usage(stdout);
		fini(&r);
		return 0;
	}
	if (status == 0 && !r.manifest_path)
		status = wt_opt_usage_error(
		    "run", "--on-deviation, --ceiling and --report need --manifest", NULL, NULL);
	if (status == 0)
		status = load_all(&r);
	if (status == 0) { /* again, with room for the mounts */
		free(r.rest), free(r.owned);
		r.rest = NULL, r.owned = NULL, r.nrest = 0;
		status = split_args(argc, argv, &r, 2 * r.m->nmounts);
	}
	if (status == 0)
		status = add_mounts(&r);
	if (status == 0)
		status = wt_cmd_options_parse("run", r.nrest, r.rest, &o);
	if (status == 0 && !o.run.wasi.cwd) /* the recorded cwd, unless --cwd is given */
		o.run.wasi.cwd = wt_manifest_cwd(r.m);
	if (status == 0)
		status = run_enforced(&r, &o, argc, argv);
	wt_cmd_options_fini(&o);
	fini(&r);
	return status;
}
