/* cmd.h: what the CLI's files share: parsed RUN-OPTIONS and the subcommands. */
#ifndef WT_CMD_H
#define WT_CMD_H

#include <stdio.h>

#include "escape.h"
#include "keeper.h"
#include "lib_cli.h"
#include "run.h"

/* The process exit statuses the CLI uses besides the guest's own code
 * and the tool statuses of error.h. */
enum {
	WT_EXIT_TRAP = 134, /* the guest trapped (128 + SIGABRT, as a crash would) */
};

/* Host paths outside the mounts a run's CLI may still touch once confined. */
enum { WT_CMD_CONFINE_PATHS = 8 };

/* `run` options, parsed from argv. Every string points into argv or into
 * `owned`; wt_cmd_options_fini frees what was allocated. */
typedef struct wt_cmd_options {
	wt_run_config run; /* ready for wt_run: run.wasi points at the arrays below */
	wt_mount *mounts;  /* nmounts entries */
	const char **env;  /* "NAME=VALUE", nenv entries */
	const char **argv; /* the guest's argv: MODULE then its arguments */
	char **owned;	   /* strings made while parsing, nowned entries */
	int nmounts, nenv, argc, nowned;
	const char *who;	 /* the subcommand typed, for messages ("run", "record") */
	int help;		 /* --help was given: print the usage, run nothing */
	const char *protect[16]; /* the policy's own files (wt_wasi_config.protect) */
	int nprotect;
	int no_confine, require_confine; /* --no-self-confine, --require-self-confine */
	wt_confine_config confine;	 /* armed by wt_cmd_confine_arm */
	wt_confine_path confine_paths[WT_CMD_CONFINE_PATHS];
} wt_cmd_options;

/* Parses `[RUN-OPTIONS] MODULE [--] [ARGS...]` (argv without "run") for the
 * subcommand who ("run", "record": messages name it). Returns 0, or prints
 * a message to stderr and returns 64 (usage) or 70 (out of memory). Call
 * wt_cmd_options_fini in either case. */
int wt_cmd_options_parse(const char *who, int argc, char **argv, wt_cmd_options *o);
void wt_cmd_options_fini(wt_cmd_options *o);

/* Adds a file of the policy (manifest, override, ceiling, journal,
 * report; borrowed, NULL ignored) that the module may neither see nor
 * make, nor remove a folder on the way to. */
void wt_cmd_options_protect(wt_cmd_options *o, const char *path);

/* SIZE (--max-memory, --journal-max): a positive number of bytes, or with
 * a suffix K M G (also KiB MiB GiB, any case; all powers of 1024). Returns
 * 0, or -1 for anything else or a size above 2^64 - 1. */
int wt_cmd_parse_size(const char *value, uint64_t *out);

/* Prints the RUN-OPTIONS part of the help. */
void wt_cmd_options_usage(FILE *f);

/* Self-confinement (confine.c, docs/security.md). Adds a host path outside
 * the mounts that the CLI still touches once the run has started
 * (WT_CONFINE_* access; path borrowed); at most WT_CMD_CONFINE_PATHS. */
void wt_cmd_confine_add(wt_cmd_options *o, const char *path, unsigned access);
/* Makes o's run confine itself (unless --no-self-confine), with warnings
 * on stderr; apply_later as wt_confine_config says. */
void wt_cmd_confine_arm(wt_cmd_options *o, int apply_later);
/* Creates path (empty, when it does not exist) so that a file written
 * after the run needs no right to create files in its folder. */
void wt_cmd_confine_precreate(const char *path);
/* After a confined run whose exit status is an I/O error (74) or a
 * refused apply (75): a note on stderr naming --no-self-confine, in case
 * the confinement refused what it should not. Returns status. */
int wt_cmd_confine_note(const wt_cmd_options *o, int status);
/* The test hook: nothing in wasi-tofu (confine_hook.c); the e2e tests'
 * build links one that does something wrong once confined. */
void wt_cmd_confine_hook(wt_confine_config *c);

/* A library run (lib/) of the parsed options o: module, arguments, variables, mounts, cwd,
 * limits, fakes, stdio through the public API; the engine settings (o's confinement, trace,
 * protected files, contain, hooks) in *e, which r borrows. NULL when out of memory. */
wasi_tofu_run *wt_cmd_lib_run(const wt_cmd_options *o, wt_lib_engine *e);
/* The same for the module bytes[0..size) the CLI read once, with their sha256 digest (a
 * project's module: hashed once, and what runs is what was hashed); bytes NULL: the file. */
wasi_tofu_run *wt_cmd_lib_run_bytes(const wt_cmd_options *o, wt_lib_engine *e, const uint8_t *bytes,
				    size_t size, const uint8_t *digest);

/* The `run` subcommand; returns the process exit status. */
int wt_cmd_run(int argc, char **argv);

/* Prints the `run` help. */
void wt_cmd_run_usage(FILE *f);

/* The process exit status of a run's outcome (as `run` gives it), with
 * the trap or error message printed to stderr after `wasi-tofu: WHO: `
 * (who: the subcommand typed). module names the file in messages about it. */
int wt_cmd_run_status(const wt_run_result *res, const char *module, const char *who);

/* The `record` subcommand and its help. */
int wt_cmd_record(int argc, char **argv);
void wt_cmd_record_usage(FILE *f);

/* A recording its caller finishes (trust, project_trust.c): the manifest is
 * generated in memory (merged into the old one with --update), shown with
 * the changes --contain held back, and only when accept returns 0 is it
 * written, the changes applied, and commit called. */
struct wt_manifest;
enum { WT_CMD_RECORD_KEEP = 4 };
typedef struct wt_cmd_record_ctl {
	/* old: the manifest --update merges into, or NULL; nchanges: how many
	 * held-back changes were listed. 0 accepts, else the exit status. */
	int (*accept)(void *ctx, const struct wt_manifest *old, const struct wt_manifest *made,
		      int nchanges);
	/* After the manifest is written: the caller's own files, through k (NULL: directly). */
	int (*commit)(void *ctx, const struct wt_manifest *made, wt_keeper *k);
	void *ctx;
	const char *module_name; /* how the journal names the module (NULL: as given) */
	const char *who; /* the subcommand typed, for messages about the run (NULL: "record") */
	const char *keep[WT_CMD_RECORD_KEEP]; /* more files commit writes through the keeper */
	int nkeep;
	const char *protect[WT_CMD_RECORD_KEEP]; /* more files the module may not see */
	int nprotect;
	/* The module as the caller read and hashed it (trust: the hash it showed), or NULL: the
	 * run records these bytes, so what is pinned is what was shown (borrowed). */
	const uint8_t *module_bytes;
	size_t module_size;
	const uint8_t *module_sha256;
} wt_cmd_record_ctl;

/* record with argv (without "record"), finished by ctl when it is not NULL. */
int wt_cmd_record_with(int argc, char **argv, const wt_cmd_record_ctl *ctl);

/* record with argv (without "record"), whose --update MANIFEST is the manifest loaded lends
 * for that path when it lends one (wt_lib_loaded_find): run --manifest's offer to record a
 * changed module again merges into the manifest the run read, which is not read again. */
int wt_cmd_record_loaded(int argc, char **argv, const wt_lib_loaded *loaded);

/* The manifest made from journal for the file manifest, merged into old
 * when old is not NULL (update.c). Returns the exit status; *out owned. */
int wt_cmd_record_generate(const struct wt_manifest *old, const char *manifest, const char *journal,
			   const char *granularity, struct wt_manifest **out);

/* `run --manifest M [--on-deviation MODE] [--ceiling FILE]` (manifest_run.c):
 * wanted says whether argv (without "run") has one of those options, or --help. */
int wt_cmd_manifest_wanted(int argc, char **argv);
int wt_cmd_manifest_run(int argc, char **argv);

/* What `run MODULE` inside a project adds to run --manifest (project_run.c). */
typedef struct wt_cmd_project_ctx {
	const char *project;		 /* the project file (wasi_tofu_run_project's PROJECT) */
	const struct wt_project *loaded; /* that file as the CLI loaded it (lent to the run) */
	const char *module;		 /* project-relative path: names the module in messages */
	struct wt_manifest *ceiling;	 /* the module's ceiling (borrowed), or NULL */
	const char *ceiling_name;	 /* how messages name it */
	const char *protect[4];		 /* the project's own files (borrowed) */
	int nprotect;
	/* The module as read once and hashed before the pin was checked (borrowed): the run
	 * takes these bytes, not the file again. */
	const uint8_t *module_bytes;
	size_t module_size;
	const uint8_t *module_sha256;
} wt_cmd_project_ctx;
int wt_cmd_manifest_run_in(int argc, char **argv, const wt_cmd_project_ctx *pc);

/* manifest_load.c: loads a manifest, its NAME.override.yaml when there is one, and the
 * ceiling (when ceiling_path is not NULL), printing warnings and errors
 * (FILE:LINE:COL, after who: the subcommand) to stderr. Returns 0 or the exit status (65, 66, 70);
 * free all three with wt_manifest_free either way. */
struct wt_manifest;
int wt_cmd_manifest_load(const char *who, const char *path, const char *ceiling_path,
			 struct wt_manifest **m, struct wt_manifest **override,
			 struct wt_manifest **ceiling);

/* Loads the manifest at path alone (no override, no warnings); an error
 * (FILE:LINE:COL) goes to stderr after "wasi-tofu: " and who (the
 * subcommand: "record", "diff"). Returns 0 or the exit status (65, 66, 70). */
int wt_cmd_manifest_load_one(const char *who, const char *path, struct wt_manifest **m);
/* A manifest's warning on stderr: "wasi-tofu: FILE:LINE:COL: warning: TEXT" (ctx: FILE). */
void wt_cmd_manifest_warn(void *ctx, unsigned line, unsigned column, const char *text);

/* Prints "N requests outside MANIFEST (K calls):" and then each of e's
 * deviations (one request each, K the calls they stand for), indented:
 * the list of check and of run --manifest, after their own lead
 * (manifest_run.c). With locate, each ends with where it points in the policy's
 * files: "  at FILE:LINE:COLUMN: PHRASE" (check; --json and --sarif say the same). */
struct wt_enforce;
void wt_cmd_print_deviations(FILE *f, const char *manifest, const struct wt_enforce *e, int locate);

/* `check --manifest M JOURNAL...` (check.c) and `diff OLD NEW` (diff.c). */
int wt_cmd_check(int argc, char **argv);
int wt_cmd_diff(int argc, char **argv);

/* The `journal` subcommand (`journal show FILE`); returns the exit status. */
int wt_cmd_journal(int argc, char **argv);

/* `generate JOURNAL... -o MANIFEST [--granularity G]` (generate.c). */
int wt_cmd_generate(int argc, char **argv);
void wt_cmd_generate_usage(FILE *f);

/* Reads the journals and generates, at granularity (a name of
 * wt_gen_granularity_parse, NULL = the default), the manifest for the file
 * manifest (its folder is where mounts' host paths start) into *out; *nruns
 * (when not NULL) gets how many runs. Messages go to stderr prefixed with
 * "wasi-tofu: <who>: "; returns the exit status. */
struct wt_manifest;
int wt_cmd_generate_manifest(const char *who, const char *const *journals, int njournals,
			     const char *manifest, const char *granularity, int *nruns,
			     struct wt_manifest **out);

/* Writes m to the file manifest, never half of it (wt_keeper_replace: through
 * the keeper k of a self-confined run, or directly when k is NULL). */
int wt_cmd_write_manifest(const char *who, const struct wt_manifest *m, const char *manifest,
			  wt_keeper *k);

/* wt_cmd_generate_manifest, then wt_cmd_write_manifest, and a line saying so. */
int wt_cmd_generate_files(const char *who, const char *const *journals, int njournals,
			  const char *manifest, const char *granularity, wt_keeper *k);

#endif
