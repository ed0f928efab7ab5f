/* record.c: the `record` subcommand: run permissively, journal every WASI call, handle signals. */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "optable.h"
#include "generate.h"
#include "overlay.h"
#include "override.h"
#include "prompt.h"
#include "record.h"
#include "update.h"

/* EXIT_JOURNAL_CAP: the journal could not be written in full (sysexits'
 * EX_IOERR, as when it cannot be written at all): docs/cli.md. */
enum { EXIT_USAGE = 64, EXIT_NOMEM = 70, EXIT_JOURNAL_CAP = 74, EXIT_APPLY = 75 };

/* What a signal handler can reach: it can be given nothing else. The
 * store is published by the run's store hook and cleared before it is
 * freed; the first SIGINT/SIGTERM is remembered for the end line. */
static _Atomic(wt_store *) signal_store;
static volatile sig_atomic_t signal_seen;

/* -o and --journal, taken out of argv before the RUN-OPTIONS parser. */
typedef struct record_args {
	const char *manifest;
	const char *journal;
	const char *granularity;     /* --granularity, for generate */
	const char *update;	     /* --update MANIFEST: merge into it (update.c) */
	const char *journal_max_arg; /* --journal-max SIZE, as given */
	uint64_t journal_max;
	wt_cmd_update *upd;
	char **rest; /* argv without them, for wt_cmd_options_parse */
	int nrest;
	char *journal_owned;
	char *override;		      /* the manifest's override file: the module may not make it */
	int contain, apply, discard;  /* --contain, --apply, --discard */
	int keep_failed;	      /* --keep-failed: a manifest even from a failed run */
	int help;		      /* --help */
	const wt_cmd_record_ctl *ctl; /* a recording its caller accepts (trust), or NULL */
	wt_manifest *generated;	      /* ctl: the manifest made from the run, not yet written */
} record_args;

/* The subcommand typed, which messages about the recording name: trust's own, or record. */
static const char *who_of(const record_args *ra)
{
	return ra->ctl && ra->ctl->who ? ra->ctl->who : "record";
}

void wt_cmd_record_usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: wasi-tofu record [RUN-OPTIONS] -o MANIFEST [--journal FILE] MODULE [--] "
	    "[ARGS...]\n"
	    "       wasi-tofu record [RUN-OPTIONS] --update MANIFEST [--journal FILE] MODULE [--] "
	    "[ARGS...]\n"
	    "\n"
	    "Runs MODULE as `run` would, allowing every call the mounts reach, and writes a\n"
	    "journal of every WASI call (JSON Lines, man 5 wasi-tofu-journal) to FILE, by default\n"
	    "NAME.journal.jsonl beside MANIFEST (NAME: MANIFEST without .yaml/.yml), then\n"
	    "generates MANIFEST from it (as `wasi-tofu generate`). The folder of MANIFEST\n"
	    "must exist.\n"
	    "\n");
	wt_cmd_options_usage(f);
	fprintf(
	    f, "  -o, --output MANIFEST    the manifest to make (required)\n"
	       "  --journal FILE           where the journal goes\n"
	       "  --journal-max SIZE       stop the run when its journal would pass SIZE bytes\n"
	       "                           (K M G / KiB MiB GiB; default 256M); no manifest\n"
	       "                           is made then, and the status is 74\n"
	       "  --granularity G          exact, dir (default) or tree: see `generate --help`\n"
	       "  --contain                hold back every write to a writable mount in a\n"
	       "                           private overlay; list the changes at the end\n"
	       "  --apply                  with --contain: write the changes to the host\n"
	       "  --discard                with --contain: drop them without asking\n"
	       "  --update MANIFEST        record again with MANIFEST's mounts and merge what the\n"
	       "                           run did into it: the capability diff is shown first,\n"
	       "                           and at a terminal written only when you answer [w]\n"
	       "  --keep-failed            make (or update) the manifest even when the run failed\n"
	       "                           (a non-zero exit, a trap, a signal); without it, a\n"
	       "                           failed run leaves only its journal, with a warning\n"
	       "\n"
	       "Exit status: as `run` (the module's own code, 134 on a trap, 64/65/66/70);\n"
	       "128+N when signal N (SIGINT, SIGTERM) stopped the run; 74 when the journal\n"
	       "cannot be written, or reached --journal-max and stopped the run; 75 when\n"
	       "--contain could not apply every held-back change.\n"
	       "\n"
	       "See man wasi-tofu-record.\n");
}

static int usage_error(const char *msg, const char *arg)
{
	wt_escape_fprintf(stderr, "wasi-tofu: record: %s%s\nTry 'wasi-tofu record --help'.\n", msg,
			  arg);
	return EXIT_USAGE;
}

/* Takes one of record's own options (wt_opt_split). */
static int take(void *ctx, const wt_opt *opt, const char *value)
{
	record_args *ra = ctx;
	const char **slot = opt->id == WT_OPT_OUTPUT	    ? &ra->manifest
			    : opt->id == WT_OPT_JOURNAL	    ? &ra->journal
			    : opt->id == WT_OPT_GRANULARITY ? &ra->granularity
			    : opt->id == WT_OPT_UPDATE	    ? &ra->update
			    : opt->id == WT_OPT_JOURNAL_MAX ? &ra->journal_max_arg
							    : NULL;
	int *flag = opt->id == WT_OPT_CONTAIN	    ? &ra->contain
		    : opt->id == WT_OPT_APPLY	    ? &ra->apply
		    : opt->id == WT_OPT_DISCARD	    ? &ra->discard
		    : opt->id == WT_OPT_KEEP_FAILED ? &ra->keep_failed
		    : opt->id == WT_OPT_HELP	    ? &ra->help
						    : NULL;

	if (slot)
		*slot = value;
	if (flag)
		*flag = 1;
	return 0;
}

/* Takes record's own options (-o, --journal, --contain ...) out of the
 * options before MODULE; the RUN-OPTIONS and the rest go to ra->rest. */
static int split_args(int argc, char **argv, const wt_cmd_record_ctl *ctl, record_args *ra)
{
	memset(ra, 0, sizeof *ra);
	ra->ctl = ctl;
	if (!(ra->rest = calloc((size_t)argc + 1, sizeof *ra->rest)))
		return EXIT_NOMEM;
	return wt_opt_split(who_of(ra), WT_OPTS_RECORD | WT_OPTS_HELP, argc, argv, take, ra,
			    ra->rest, &ra->nrest);
}

/* The folder part of path ("." when there is none), in a fresh string. */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* MANIFEST without .yaml/.yml, plus ".journal.jsonl"; with keep (record --update), the
 * first of NAME.journal.jsonl, NAME.journal.2.jsonl, NAME.journal.3.jsonl ... that does not
 * exist, so the journals of earlier runs stay beside the new one. */
static char *default_journal(const char *manifest, int keep)
{
	size_t n = strlen(manifest);
	char *out = malloc(n + sizeof ".journal.jsonl" + 24);

	if (!out)
		return NULL;
	if (n > 5 && strcmp(manifest + n - 5, ".yaml") == 0)
		n -= 5;
	else if (n > 4 && strcmp(manifest + n - 4, ".yml") == 0)
		n -= 4;
	memcpy(out, manifest, n);
	strcpy(out + n, ".journal.jsonl");
	for (unsigned k = 2; keep && access(out, F_OK) == 0 && k < 100000; k++)
		sprintf(out + n, ".journal.%u.jsonl", k);
	return out;
}

/* -o is required and its folder must exist; the journal defaults to
 * beside it. */
static int check_outputs(record_args *ra)
{
	wt_gen_granularity g;
	struct stat st;
	char *dir;
	int ok;

	if (ra->update && ra->manifest && strcmp(ra->update, ra->manifest) != 0)
		return usage_error("-o and --update name different manifests: ", ra->manifest);
	if (ra->update)
		ra->manifest = ra->update;
	if (!ra->manifest || !*ra->manifest)
		return usage_error("missing -o MANIFEST", "");
	if ((ra->apply || ra->discard) && !ra->contain)
		return usage_error(ra->apply ? "--apply" : "--discard", " needs --contain");
	if (ra->apply && ra->discard)
		return usage_error("--apply and --discard", " exclude each other");
	if (ra->granularity && wt_gen_granularity_parse(ra->granularity, &g))
		return usage_error("--granularity must be exact, dir or tree, not ",
				   ra->granularity);
	ra->journal_max = WT_JOURNAL_MAX_DEFAULT;
	if (ra->journal_max_arg && wt_cmd_parse_size(ra->journal_max_arg, &ra->journal_max))
		return usage_error(
		    "--journal-max: expected a size such as 1048576, 64M or 1GiB, not ",
		    ra->journal_max_arg);
	if (!(dir = folder_of(ra->manifest)))
		return EXIT_NOMEM;
	ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	if (!ok) {
		wt_error_lead(stderr, who_of(ra));
		wt_escape_fprintf(stderr, "%s: no such folder for the manifest\n", dir);
	}
	free(dir);
	if (!ok)
		return wt_status_exit(WT_NOINPUT);
	if (!ra->journal &&
	    !(ra->journal = ra->journal_owned = default_journal(ra->manifest, ra->update != NULL)))
		return EXIT_NOMEM;
	if (!(ra->override = wt_override_path(ra->manifest)))
		return EXIT_NOMEM;
	return 0;
}

static void on_signal(int signo)
{
	wt_store *s = atomic_load(&signal_store);

	if (!signal_seen)
		signal_seen = signo;
	if (s)
		wt_store_interrupt(s);
}

/* The store hook: publishes the store to the handler (the library gives it to the recorder,
 * for the journal's cap); a signal that came before the store existed stops the run at its
 * first check. */
static void publish_store(void *ctx, wt_store *s)
{
	atomic_store(&signal_store, s);
	if (s && signal_seen)
		wt_store_interrupt(s);
}

/* SIGINT and SIGTERM stop the run (a second one kills: SA_RESETHAND). */
static void set_signals(int install)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = install ? on_signal : SIG_DFL;
	sa.sa_flags = install ? SA_RESETHAND : 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* At a terminal: asks whether to apply, as every question is asked (prompt.h: the controlling
 * terminal, reset first, typed-ahead keys dropped, one key and Enter); 1 for [a]. Elsewhere
 * (CI, pipes, no controlling terminal): 0. */
static int ask_apply(void)
{
	wt_prompt *p = wt_prompt_is_default() ? wt_prompt_open(NULL, NULL) : NULL;
	int key =
	    wt_prompt_choose(p, "[a] apply these changes to the host  [d] discard them\n", "ad",
			     "wasi-tofu: record: the changes above are held back; the host "
			     "is unchanged.\n");

	wt_prompt_free(p);
	return key == 'a';
}

/* After a contained run: lists the held-back changes, then applies them
 * (--apply, or yes at the terminal) or drops them. Returns 0, or
 * EXIT_APPLY when some change was refused. */
static int contain_end(wt_contain *k, const record_args *ra)
{
	int n, refused;

	fprintf(stderr, "wasi-tofu: record: changes held back by --contain:\n");
	if ((n = wt_overlay_print_changes(k, stderr)) < 0) {
		wt_escape_fprintf(stderr, "wasi-tofu: record: cannot list the changes: %s\n",
				  strerror(-n));
		return EXIT_APPLY;
	}
	if (n == 0 || !(ra->apply || (!ra->discard && ask_apply()))) {
		if (n)
			fprintf(stderr, "wasi-tofu: record: discarded; the host is unchanged\n");
		return 0;
	}
	refused = wt_overlay_apply(k, stderr);
	if (refused < 0)
		wt_escape_fprintf(stderr, "wasi-tofu: record: apply failed: %s\n",
				  strerror(-refused));
	else if (refused)
		fprintf(stderr, "wasi-tofu: record: applied, except %d entries changed meanwhile\n",
			refused);
	else
		fprintf(stderr, "wasi-tofu: record: applied to the host\n");
	return refused ? EXIT_APPLY : 0;
}

/* What the CLI touches outside the mounts once the run has started: the
 * journal (read by generate), the terminal (the questions of
 * --contain and --update). A contained run's writable mounts keep their
 * write rights only when the changes may be applied. */
static void confine(wt_cmd_options *o, const record_args *ra)
{
	int tty = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
	int asks = ra->update || (ra->contain && !ra->apply && !ra->discard);

	wt_cmd_confine_add(o, ra->journal, WT_CONFINE_READ);
	if (tty && (asks || ra->ctl))
		wt_cmd_confine_add(o, "/dev/tty", WT_CONFINE_TERMINAL);
	wt_cmd_confine_arm(o, ra->apply || ra->ctl || (!ra->discard && tty));
}

/* Says that the journal reached its cap and stopped the run. */
static void say_capped(const record_args *ra)
{
	wt_error_lead(stderr, who_of(ra));
	wt_escape_fprintf(
	    stderr,
	    "%s reached the journal's cap of %llu bytes (--journal-max): "
	    "the run was stopped and no manifest was made; record again with a larger "
	    "--journal-max SIZE\n",
	    ra->journal, (unsigned long long)ra->journal_max);
}

/* Says that the run failed (status, the exit status it gives) and that
 * no manifest was made from it: a manifest of a failed run grants what the
 * failure needed, not what the tool needs. */
static void say_failed(const record_args *ra, const wt_cmd_options *o, int status)
{
	wt_escape_fprintf(stderr,
			  "wasi-tofu: record: warning: the run failed (exit status %d): %s was "
			  "not %s; the journal %s is kept. Fix the run and record again, or "
			  "pass --keep-failed to make the manifest from this run anyway\n",
			  status, ra->manifest, ra->upd ? "updated" : "written", ra->journal);
	if (o->nmounts == 0)
		fprintf(stderr, "wasi-tofu: record: note: no folder was mounted, so the module "
				"could open no file: give its folders with --mount HOST:GUEST\n");
}

/* Says that the run reached for files with no folder mounted (n path
 * calls failed) and that no manifest was made from it. */
static void say_unmounted(const record_args *ra, uint64_t n)
{
	wt_escape_fprintf(stderr,
			  "wasi-tofu: record: warning: no folder was mounted and the module's "
			  "%llu path call%s failed: %s was not written; the journal %s is kept. "
			  "Mount its folders with --mount HOST:GUEST and record again, or pass "
			  "--keep-failed to make the manifest from this run anyway\n",
			  (unsigned long long)n, n == 1 ? "" : "s", ra->manifest, ra->journal);
}

/* After the run, with the journal complete: generates or updates the
 * manifest; returns generate's or update's status. */
static int make_manifest(record_args *ra, wt_keeper *keeper)
{
	if (ra->ctl)
		return wt_cmd_record_generate(ra->upd ? ra->upd->old : NULL, ra->manifest,
					      ra->journal, ra->granularity, &ra->generated);
	if (ra->upd)
		return wt_cmd_update_finish(ra->upd, ra->manifest, ra->journal, ra->granularity,
					    keeper);
	return wt_cmd_generate_files("record", &ra->journal, 1, ra->manifest, ra->granularity,
				     keeper);
}

/* The status of the run and its journal, after wt_record_finish (rc its
 * result); makes the manifest when the journal holds the whole run. */
static int run_end(wt_record *r, const wt_run_result *res, int signo, int rc, const wt_error *err,
		   record_args *ra, const wt_cmd_options *o, wt_keeper *keeper)
{
	int status;

	if (!rc && wt_record_capped(r)) {
		say_capped(ra);
		return EXIT_JOURNAL_CAP;
	}
	status = signo ? 128 + signo : wt_cmd_run_status(res, o->run.module_path, o->who);
	if (rc) {
		wt_error_lead(stderr, who_of(ra));
		wt_escape_fprintf(stderr, "%s: %s\n", ra->journal, err->msg);
		return wt_status_exit(err->code);
	}
	if (status && !ra->keep_failed && !ra->ctl && wt_record_started(r)) {
		say_failed(ra, o, status);
		return status;
	}
	if (!status && !ra->keep_failed && !ra->ctl && o->nmounts == 0 &&
	    wt_record_path_failures(r)) {
		say_unmounted(ra, wt_record_path_failures(r));
		return wt_status_exit(WT_NOINPUT);
	}
	if (wt_record_started(r) || res->outcome != WT_RUN_FAILED) {
		/* the run's own status comes first; a manifest not written shows when it was 0 */
		int gen = make_manifest(ra, keeper);

		if (status && gen == 0 && !ra->ctl) { /* ctl: nothing is written yet */
			wt_error_lead(stderr, who_of(ra));
			wt_escape_fprintf(stderr,
					  "warning: --keep-failed: %s is made from a run that "
					  "failed (exit status %d)\n",
					  ra->manifest, status);
		}
		status = status ? status : gen;
	}
	return status;
}

/* ctl's end (trust): the held-back changes and the manifest are shown, and
 * the caller accepts both or neither: the manifest written through the
 * keeper, the changes applied, the caller's own files written. */
static int ctl_end(wt_contain *k, record_args *ra, wt_keeper *keeper, int status)
{
	int n = 0, refused;

	if (status || !ra->generated) {
		wt_error_lead(stderr, ra->ctl->who);
		fprintf(stderr,
			"the recorded run did not succeed (status %d): nothing "
			"trusted, the host is unchanged\n",
			status);
		return status ? status : 70;
	}
	if (k) {
		wt_error_lead(stderr, ra->ctl->who);
		fprintf(stderr, "the files it would change (held back):\n");
		if ((n = wt_overlay_print_changes(k, stderr)) < 0)
			return EXIT_APPLY;
	}
	if ((status = ra->ctl->accept(ra->ctl->ctx, ra->upd ? ra->upd->old : NULL, ra->generated,
				      n)) != 0)
		return status;
	if ((status = wt_cmd_write_manifest("trust", ra->generated, ra->manifest, keeper)))
		return status;
	refused = n ? wt_overlay_apply(k, stderr) : 0;
	if (refused) {
		wt_error_lead(stderr, ra->ctl->who);
		fprintf(stderr, "some changes could not be applied (%d)\n", refused);
	}
	status = ra->ctl->commit(ra->ctl->ctx, ra->generated, keeper);
	return status ? status : refused ? EXIT_APPLY : 0;
}

/* The keeper of the manifest (and of ctl's own files). */
static int start_keeper(const record_args *ra, wt_keeper **keeper, wt_error *err)
{
	const char *paths[1 + WT_CMD_RECORD_KEEP] = {ra->manifest};
	int n = 1;

	for (int i = 0; ra->ctl && i < ra->ctl->nkeep; i++)
		paths[n++] = ra->ctl->keep[i];
	return wt_keeper_start(paths, n, keeper, err);
}

/* The library run of o in record mode, with the CLI's hooks and journal name; NULL when out of
 * memory. */
static wasi_tofu_run *record_lib_run(wt_cmd_options *o, const record_args *ra,
				     const wt_run_hooks *hooks, wt_lib_engine *e)
{
	const wt_cmd_record_ctl *c = ra->ctl;
	wasi_tofu_run *r =
	    c && c->module_bytes
		? wt_cmd_lib_run_bytes(o, e, c->module_bytes, c->module_size, c->module_sha256)
		: wt_cmd_lib_run(o, e);

	if (r && wasi_tofu_run_record(r, ra->journal, ra->journal_max) != 0) {
		wasi_tofu_run_free(r);
		return NULL;
	}
	e->hooks = hooks;
	e->journal_module = ra->ctl ? ra->ctl->module_name : NULL;
	e->signo = &signal_seen;
	return r;
}

/* The recorded run and its end: the journal completed, the manifest made. */
static int recorded(wasi_tofu_run *r, record_args *ra, const wt_cmd_options *o, wt_keeper *keeper)
{
	const wt_run_result *res;
	const wt_error *err;
	wt_record *rec;
	int status, signo, rc;

	set_signals(1);
	status = wasi_tofu_run_exec(r);
	set_signals(0);
	signo = signal_seen;
	res = wt_lib_run_result(r);
	if (!(rec = wt_lib_run_recorder(r, &rc, &err))) { /* no recorder: out of memory */
		wt_error_lead(stderr, who_of(ra));
		wt_escape_fprintf(stderr, "%s\n", wasi_tofu_run_message(r));
		return status;
	}
	return run_end(rec, res, signo, rc, err, ra, o, keeper);
}

/* Runs the module under the record policy; returns the exit status. */
static int record_run(wt_cmd_options *o, record_args *ra)
{
	wt_run_hooks hooks = {.store = publish_store};
	wt_lib_engine engine;
	wasi_tofu_run *r;
	wt_contain *k = NULL;
	wt_keeper *keeper = NULL;
	wt_error err;
	int status;

	wt_error_init(&err);
	if (ra->contain && wt_overlay_contain_new(NULL, &k, &err)) {
		wt_error_lead(stderr, who_of(ra));
		wt_escape_fprintf(stderr, "%s\n", err.msg);
		return wt_status_exit(err.code);
	}
	o->run.wasi.contain = k;
	wt_cmd_options_protect(o, ra->manifest);
	wt_cmd_options_protect(o, ra->journal);
	wt_cmd_options_protect(o, ra->override);
	for (int i = 0; ra->ctl && i < ra->ctl->nprotect; i++)
		wt_cmd_options_protect(o, ra->ctl->protect[i]);
	signal(SIGPIPE, SIG_IGN);
	fflush(stdout);
	/* the manifest is written after the run: by a keeper when confined */
	if (!o->no_confine && start_keeper(ra, &keeper, &err)) {
		wt_error_lead(stderr, who_of(ra));
		wt_escape_fprintf(stderr, "%s\n", err.msg);
		wt_overlay_contain_free(k);
		return wt_status_exit(err.code);
	}
	confine(o, ra);
	if (!(r = record_lib_run(o, ra, &hooks, &engine))) {
		wt_error_lead(stderr, who_of(ra));
		fprintf(stderr, "out of memory\n");
		status = wt_status_exit(WT_NOMEM);
	} else {
		status = recorded(r, ra, o, keeper);
	}
	if (ra->ctl)
		status = ctl_end(k, ra, keeper, status);
	else if (k) {
		int held = contain_end(k, ra);
		status = status ? status : held;
	}
	wt_keeper_stop(keeper);
	wasi_tofu_run_free(r);
	wt_overlay_contain_free(k);
	return wt_cmd_confine_note(o, status);
}

/* record with argv, finished by ctl (or NULL), --update taking its manifest from loaded (or
 * NULL). */
static int record_main(int argc, char **argv, const wt_cmd_record_ctl *ctl,
		       const wt_lib_loaded *loaded)
{
	wt_cmd_options o;
	wt_cmd_update u = {0};
	record_args ra;
	int status = split_args(argc, argv, ctl, &ra);
	char **own_rest = ra.rest;

	memset(&o, 0, sizeof o);
	if (status == 0 && ra.help) { /* before loading: --update's manifest may not exist */
		wt_cmd_record_usage(stdout);
		free(own_rest);
		return 0;
	}
	if (status == 0 && ra.update &&
	    (status = wt_cmd_update_begin(&u, ra.update, loaded, ra.nrest, ra.rest)) == 0) {
		ra.upd = &u; /* the manifest's mounts in front of the options */
		ra.rest = u.args, ra.nrest = u.nargs;
	}
	if (status == 0)
		status = wt_cmd_options_parse(who_of(&ra), ra.nrest, ra.rest, &o);
	if (status == 0 && (status = check_outputs(&ra)) == 0)
		status = record_run(&o, &ra);
	wt_cmd_options_fini(&o);
	wt_cmd_update_fini(&u);
	free(own_rest);
	free(ra.journal_owned);
	free(ra.override);
	wt_manifest_free(ra.generated);
	return status;
}

int wt_cmd_record(int argc, char **argv)
{
	return record_main(argc, argv, NULL, NULL);
}

int wt_cmd_record_with(int argc, char **argv, const wt_cmd_record_ctl *ctl)
{
	return record_main(argc, argv, ctl, NULL);
}

int wt_cmd_record_loaded(int argc, char **argv, const wt_lib_loaded *loaded)
{
	return record_main(argc, argv, NULL, loaded);
}
