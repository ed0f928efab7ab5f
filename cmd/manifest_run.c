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
	char *override_path;	      /* M's override file (it may not exist) */
	wt_on_deviation mode;	      /* --on-deviation's or M's, resolved (wt_devask_mode) */
	wt_prompt *prompt;	      /* prompt mode: the terminal, or NULL: none (acts as fail) */
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

/* Tells the --env variables the manifest and its override do not list: the library keeps them
 * from the module (WASI_TOFU_USE_ENV). */
static void tell_filtered_env(const wt_cmd_options *o, const mrun *r)
{
	char **names = calloc((size_t)o->nenv + 1, sizeof *names);
	size_t nn = 0;

	for (int i = 0; names && i < o->nenv; i++) {
		size_t len = strcspn(o->env[i], "=");

		if (!wt_enforce_env_listed(r->m, r->override, o->env[i], len) &&
		    (names[nn] = strndup(o->env[i], len)))
			nn++;
	}
	if (nn)
		tell_dropped_env(r, r->override_path, names, nn);
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
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

static const char *guest_cwd(const wt_cmd_options *o, const mrun *r)
{
	return o->run.wasi.cwd ? o->run.wasi.cwd : wt_manifest_cwd(r->m);
}

/* The deviation settler's setup (docs/deviations.md): the mode, the override file [a] writes
 * to, the prompt on the controlling terminal (prompt mode; none: acts as fail). */
static int settle_init(mrun *r, const wt_cmd_options *o)
{
	if (resolve_mode(r, &r->mode))
		return EXIT_USAGE;
	if (!(r->override_path = wt_override_path(r->manifest_path)))
		return EXIT_NOMEM;
	if (r->mode == WT_ON_DEV_PROMPT)
		r->prompt = wt_prompt_open(module_name(r, o), r->manifest_path);
	return 0;
}

/* The manifest and its override within the ceiling, told before anything else of the run (the
 * library checks it again when it makes the policy). */
static int check_ceiling(const mrun *r, const wt_cmd_options *o)
{
	wt_enforce_config cfg = {.manifest = r->m,
				 .override = r->override,
				 .ceiling = ceiling_of(r),
				 .manifest_name = r->manifest_path,
				 .override_name = r->override_path,
				 .ceiling_name = ceiling_name_of(r),
				 .argc = o->argc,
				 .argv = o->argv,
				 .cwd = guest_cwd(o, r),
				 .mounts = o->mounts,
				 .nmounts = o->nmounts};
	wt_error err;

	wt_error_init(&err);
	if (!cfg.ceiling || wt_enforce_check_ceiling(&cfg, &err) == 0)
		return 0;
	wt_error_print(stderr, "run", NULL, &err);
	return wt_status_exit(err.code);
}

/* The terminal's answer to the library's question (wasi_tofu_run_ask; USERDATA the prompt). */
static wasi_tofu_verdict ask_terminal(const wasi_tofu_question *q, void *userdata)
{
	wt_devreq req = {.path = q->path,
			 .path_len = q->path ? strlen(q->path) : 0,
			 .path2 = q->path2,
			 .path2_len = q->path2 ? strlen(q->path2) : 0,
			 .host_path = q->host_path,
			 .rights = q->rights,
			 .what = q->what};

	if (wt_wasi_call_of_name(q->call, &req.call))
		return WASI_TOFU_VERDICT_STOP;
	switch (wt_devask_terminal(userdata, &req, q->fix, q->always)) {
	case WT_ANSWER_ALLOW_ONCE:
		return WASI_TOFU_VERDICT_ALLOW;
	case WT_ANSWER_ALLOW_ALWAYS:
		return WASI_TOFU_VERDICT_ALLOW_ALWAYS;
	case WT_ANSWER_DENY:
	case WT_ANSWER_DENY_ALL:
		return WASI_TOFU_VERDICT_DENY;
	case WT_ANSWER_HIDE:
		return WASI_TOFU_VERDICT_HIDE;
	default:
		return WASI_TOFU_VERDICT_STOP;
	}
}

/* The run's policy through the public API: the manifest (a project's module: its project's),
 * its settings but the mounts (given as --mount), a --ceiling, the terminal's questions. */
static int use_manifest(const mrun *r, const wt_cmd_options *o, wasi_tofu_run *lib)
{
	static const unsigned use = WASI_TOFU_USE_ALL & ~WASI_TOFU_USE_MOUNTS;
	wasi_tofu_on_deviation mode = r->mode == WT_ON_DEV_DENY	  ? WASI_TOFU_DENY
				      : r->mode == WT_ON_DEV_HIDE ? WASI_TOFU_HIDE
				      : r->mode == WT_ON_DEV_WARN ? WASI_TOFU_WARN
								  : WASI_TOFU_FAIL;
	int status = r->pc ? wasi_tofu_run_project(lib, r->pc->project, o->run.module_path, mode)
			   : wasi_tofu_run_manifest(lib, r->manifest_path, mode);

	if (status == 0)
		status = wasi_tofu_run_manifest_use(lib, use);
	if (status == 0 && r->ceiling_path)
		status = wasi_tofu_run_ceiling(lib, r->ceiling_path);
	if (status == 0 && r->mode == WT_ON_DEV_PROMPT)
		status = wasi_tofu_run_ask(lib, ask_terminal, r->prompt);
	wasi_tofu_run_notices(lib, 2); /* a grant [a] could not write */
	if (status) {
		wt_error_lead(stderr, o->who);
		wt_escape_fprintf(stderr, "%s\n", wasi_tofu_run_message(lib));
	}
	return status;
}

/* "  at FILE:LINE:COLUMN: PHRASE" for d's location, when it has one. */
static void print_location(FILE *f, const wt_deviation *d)
{
	char what[256];

	if (d->loc.kind == WT_DEVLOC_NONE || !d->loc.file)
		return;
	wt_devloc_describe(&d->loc, what, sizeof what);
	wt_escape_fprintf(f, "  at %s:%u:%u: %s\n", d->loc.file, d->loc.line, d->loc.column, what);
}

void wt_cmd_print_deviations(FILE *f, const char *manifest, const wt_enforce *e, int locate)
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
		if (locate)
			print_location(f, wt_enforce_get(e, i));
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
	wt_cmd_print_deviations(stderr, r->manifest_path, e, 0);
}

/* Writes --report: the outcome, then every deviation. */
static int write_report(const mrun *r, const wt_cmd_options *o, const wt_devlog *log,
			const wt_enforce *e, const wt_run_result *res, int status)
{
	char trap[sizeof res->trap.msg + 128];
	wt_devreport_run run = {.module = module_name(r, o),
				.manifest = r->manifest_path,
				.override = r->override_path,
				.status = status,
				.sha256 = r->sha256[0] ? r->sha256 : NULL,
				.pin = r->m->sha256[0] ? r->m->sha256 : NULL};
	wt_error err;

	wt_devreport_outcome(&run, res, wt_enforce_stopped(e), r->changed, trap, sizeof trap);
	wt_error_init(&err);
	if (wt_devlog_write_report(log, &run, r->report_path, &err) == 0)
		return status;
	wt_error_print(stderr, "run", NULL, &err);
	return status ? status : wt_status_exit(err.code);
}

/* What the run refused or allowed outside the manifest: after questions at
 * the terminal, the summary (outcomes and how to make them permanent);
 * else the list of refused calls. Then --report. Returns the status. */
static int tell_deviations(const mrun *r, const wt_cmd_options *o, const wt_devlog *log,
			   const wt_enforce *e, const wt_run_result *res, int status)
{
	if (r->prompt || r->mode == WT_ON_DEV_WARN)
		wt_devlog_summary(log, o->who, r->manifest_path, r->override_path, stderr);
	else if (wt_enforce_stopped(e))
		report(r, o->who, e, "stopped: the module made");
	else
		report(r, o->who, e, "refused");
	wt_devlog_hidden_summary(log, o->who, stderr);
	return r->report_path ? write_report(r, o, log, e, res, status) : status;
}

/* What the CLI touches outside the mounts once the run has started: the
 * --report file (made now, so that writing it needs no right on its
 * folder) and, when the prompt may add a grant ([a]), the override file's
 * folder (written through a temporary file and a rename). The prompt's
 * terminal is open already. */
static void confine(const mrun *r, wt_cmd_options *o)
{
	if (r->report_path) {
		wt_cmd_confine_precreate(r->report_path);
		wt_cmd_confine_add(o, r->report_path, WT_CONFINE_WRITE);
	}
	wt_cmd_confine_arm(o, 0);
}

/* After the run: whether the module changed (its sha256 is not M's pin; a project's module whose
 * pins disagree is not "changed": the library says so), and its sha256 for the report. */
static void note_module(mrun *r, const wasi_tofu_run *lib)
{
	const char *hex = wasi_tofu_run_sha256(lib);

	snprintf(r->sha256, sizeof r->sha256, "%s", hex ? hex : "");
	r->changed = !r->pc && hex && r->m->sha256[0] && strcmp(hex, r->m->sha256) != 0;
}

/* Runs lib and tells how it went: the status. */
static int exec_and_tell(mrun *r, wt_cmd_options *o, wasi_tofu_run *lib)
{
	const wt_run_result *res;
	const wt_enforce *e;
	int status;

	wasi_tofu_run_exec(lib);
	res = wt_lib_run_result(lib);
	if (!(e = wt_lib_run_enforce(lib))) /* the policy could not be made: not run */
		return wt_cmd_run_status(res, o->run.module_path, o->who);
	note_module(r, lib);
	if (wt_enforce_stopped(e))
		status = EXIT_DEVIATION;
	else
		status = wt_cmd_run_status(res, o->run.module_path, o->who);
	return tell_deviations(r, o, wt_lib_run_devlog(lib), e, res, status);
}

static int run_enforced(mrun *r, wt_cmd_options *o, int argc, char **argv)
{
	wt_lib_loaded loaded;
	wt_lib_engine engine;
	wasi_tofu_run *lib;
	int status;

	if ((status = settle_init(r, o)) || (status = check_ceiling(r, o)))
		return status;
	wt_cmd_options_protect(o, r->report_path);
	for (int i = 0; r->pc && i < r->pc->nprotect; i++)
		wt_cmd_options_protect(o, r->pc->protect[i]);
	tell_filtered_env(o, r);
	signal(SIGPIPE, SIG_IGN);
	fflush(stdout);
	confine(r, o);
	if (!(lib = r->pc ? wt_cmd_lib_run_bytes(o, &engine, r->pc->module_bytes,
						 r->pc->module_size, r->pc->module_sha256)
			  : wt_cmd_lib_run(o, &engine))) {
		wt_error_lead(stderr, o->who);
		fprintf(stderr, "out of memory\n");
		return EXIT_NOMEM;
	}
	/* the files checked above are the ones enforced: each is read once */
	loaded = (wt_lib_loaded){.manifest_path = r->manifest_path,
				 .manifest = r->m,
				 .override_path = r->override_path,
				 .override = r->override,
				 .ceiling_path = r->ceiling_path,
				 .ceiling = r->ceiling,
				 .project_path = r->pc ? r->pc->project : NULL,
				 .project = r->pc ? r->pc->loaded : NULL,
				 .project_ceiling = r->pc ? r->pc->ceiling : NULL,
				 .project_ceiling_name = r->pc ? r->pc->ceiling_name : NULL};
	engine.loaded = &loaded;
	if ((status = use_manifest(r, o, lib)) == 0)
		status = exec_and_tell(r, o, lib);
	wasi_tofu_run_free(lib);
	if (r->changed && r->prompt)
		status =
		    wt_cmd_offer_rerecord(r->prompt, r->manifest_path, &loaded, argc, argv, status);
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
	free(r->override_path);
	wt_prompt_free(r->prompt);
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
	if (status == 0)
		status = run_enforced(&r, &o, argc, argv);
	wt_cmd_options_fini(&o);
	fini(&r);
	return status;
}
