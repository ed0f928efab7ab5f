/* cmd.h: what the CLI's files share: parsed RUN-OPTIONS and the subcommands. */
#ifndef WT_CMD_H
#define WT_CMD_H

#include <stdio.h>

#include "escape.h"
#include "run.h"

/* The process exit statuses the CLI uses besides the guest's own code
 * and the tool statuses of error.h. */
enum {
	WT_EXIT_TRAP = 134, /* the guest trapped (128 + SIGABRT, as a crash would) */
};

/* `run` options, parsed from argv. Every string points into argv or into
 * `owned`; wt_cmd_options_fini frees what was allocated. */
typedef struct wt_cmd_options {
	wt_run_config run; /* ready for wt_run: run.wasi points at the arrays below */
	wt_mount *mounts;  /* nmounts entries */
	const char **env;  /* "NAME=VALUE", nenv entries */
	const char **argv; /* the guest's argv: MODULE then its arguments */
	char **owned;	   /* strings made while parsing, nowned entries */
	int nmounts, nenv, argc, nowned;
	int help;		/* --help was given: print the usage, run nothing */
	const char *protect[8]; /* the policy's own files (wt_wasi_config.protect) */
	int nprotect;
} wt_cmd_options;

/* Parses `[RUN-OPTIONS] MODULE [--] [ARGS...]` (argv without "run").
 * Returns 0, or prints a message to stderr and returns 64 (usage) or 70
 * (out of memory). Call wt_cmd_options_fini in either case. */
int wt_cmd_options_parse(int argc, char **argv, wt_cmd_options *o);
void wt_cmd_options_fini(wt_cmd_options *o);

/* Adds a file of the policy (manifest, override, ceiling, journal,
 * report; borrowed, NULL ignored) that the module may neither see nor
 * make, nor remove a folder on the way to. */
void wt_cmd_options_protect(wt_cmd_options *o, const char *path);

/* Prints the RUN-OPTIONS part of the help. */
void wt_cmd_options_usage(FILE *f);

/* The `run` subcommand; returns the process exit status. */
int wt_cmd_run(int argc, char **argv);

/* Prints the `run` help. */
void wt_cmd_run_usage(FILE *f);

/* The process exit status of a run's outcome (as `run` gives it), with
 * the trap or error message printed to stderr. module names the file in
 * messages about it. */
int wt_cmd_run_status(const wt_run_result *res, const char *module);

/* The `record` subcommand and its help. */
int wt_cmd_record(int argc, char **argv);
void wt_cmd_record_usage(FILE *f);

/* `run --manifest M [--on-deviation MODE] [--ceiling FILE]` (manifest_run.c):
 * wanted says whether argv (without "run") has one of those options. */
int wt_cmd_manifest_wanted(int argc, char **argv);
int wt_cmd_manifest_run(int argc, char **argv);

/* manifest_load.c: loads a manifest, its NAME.override.yaml when there is one, and the
 * ceiling (when ceiling_path is not NULL), printing warnings and errors
 * (FILE:LINE:COL) to stderr. Returns 0 or the exit status (65, 66, 70);
 * free all three with wt_manifest_free either way. */
struct wt_manifest;
int wt_cmd_manifest_load(const char *path, const char *ceiling_path, struct wt_manifest **m,
			 struct wt_manifest **override, struct wt_manifest **ceiling);

/* Loads the manifest at path alone (no override, no warnings); an error
 * (FILE:LINE:COL) goes to stderr after "wasi-tofu: " and who ("" or
 * "record: "). Returns 0 or the exit status (65, 66, 70). */
int wt_cmd_manifest_load_one(const char *who, const char *path, struct wt_manifest **m);

/* Prints "N requests outside MANIFEST (K calls):" and then each of e's
 * deviations (one request each, K the calls they stand for), indented:
 * the list of check and of run --manifest, after their own lead
 * (manifest_run.c). */
struct wt_enforce;
void wt_cmd_print_deviations(FILE *f, const char *manifest, const struct wt_enforce *e);

/* `check --manifest M JOURNAL...` (check.c) and `diff OLD NEW` (diff.c). */
int wt_cmd_check(int argc, char **argv);
int wt_cmd_diff(int argc, char **argv);

/* The `journal` subcommand (`journal show FILE`); returns the exit status. */
int wt_cmd_journal(int argc, char **argv);

/* `generate JOURNAL... -o MANIFEST [--granularity G]` (generate.c). */
int wt_cmd_generate(int argc, char **argv);
void wt_cmd_generate_usage(FILE *f);

/* Reads the journals, generates the manifest at granularity (a name of
 * wt_gen_granularity_parse, NULL = the default) and writes it to
 * manifest (through a temporary file and a rename). Messages go to
 * stderr prefixed with "wasi-tofu: <who>: "; returns the exit status. */
int wt_cmd_generate_files(const char *who, const char *const *journals, int njournals,
			  const char *manifest, const char *granularity);

#endif
