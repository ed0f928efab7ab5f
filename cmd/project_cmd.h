/* project_cmd.h: what the project commands share (init, run MODULE, trust, status, verify):
 * finding and loading the project, its paths, the module's pin and ceiling (docs/project.md). */
#ifndef WT_CMD_PROJECT_CMD_H
#define WT_CMD_PROJECT_CMD_H

#include "keeper.h"
#include "manifest.h"
#include "project.h"

/* A found and loaded project. */
typedef struct wt_cmd_project {
	char *file; /* the project file, absolute */
	char *root; /* its folder, absolute and canonical */
	wt_project *p;
	const char *who; /* the subcommand typed, for its messages */
} wt_cmd_project;

/* Takes `--project FILE` (or `--project=FILE`) out of the options before
 * the first non-option of argv, in place; *file gets FILE or NULL.
 * Returns the new argc, or -1 (message on stderr) when FILE is missing. */
int wt_cmd_project_option(const char *who, int argc, char **argv, const char **file);

/* The project file: file when not NULL, else the nearest wasi-tofu.yaml
 * at or above the cwd. malloc'd absolute path, or NULL when there is none. */
char *wt_cmd_project_locate(const char *file);

/* Locates (as above) and loads the project for the subcommand who. Returns 0;
 * 1 when there is none (message on stderr naming where it looked); or the exit
 * status (65 with FILE:LINE:COL, 66, 70) after a message. Close it either way. */
int wt_cmd_project_open(const char *who, const char *file, wt_cmd_project *out);
void wt_cmd_project_close(wt_cmd_project *cp);

/* The project-relative path of the host path `path` (its folder must
 * exist), malloc'd; NULL when it is outside the project's root. */
char *wt_cmd_project_rel(const wt_cmd_project *cp, const char *path);
/* root/rel, malloc'd (NULL when out of memory). */
char *wt_cmd_project_abs(const wt_cmd_project *cp, const char *rel);
/* The manifest file of m (root/manifests/NAME), malloc'd. */
char *wt_cmd_project_manifest(const wt_cmd_project *cp, const wt_pmodule *m);

/* The sha256 of the file at path as hex; 0, or the exit status (66, 74). */
int wt_cmd_project_hash(const char *path, char hex[65]);
/* Reads the module file at path once into *bytes (malloc'd; *size bytes) and hashes them
 * once: digest and hex. The run takes these bytes, so the pin checked is of what runs.
 * 0, or the exit status (66, 74, 65 past 4 GiB). */
int wt_cmd_project_read(const char *path, uint8_t **bytes, size_t *size, uint8_t digest[32],
			char hex[65]);

/* Writes the project file, never half of it (through the keeper k of a
 * self-confined run, or directly when k is NULL). 0 or the exit status. */
int wt_cmd_project_save(const wt_cmd_project *cp, wt_keeper *k);

/* The ceiling m's manifest must fit: the project's ceiling file, extended
 * by m's own (both optional; wt_manifest_merge). *out NULL when there is
 * none; *name says which files, for messages (malloc'd). Returns 0 or the
 * exit status after a message (65 with FILE:LINE:COL, 66, 70). */
int wt_cmd_project_ceiling(const wt_cmd_project *cp, const wt_pmodule *m, wt_manifest **out,
			   char **name);

/* 0 when the manifest (and its override file, NULL: none) fits the ceiling (NULL: always), else 77
 * with "MANIFEST grants X, which the ceiling C does not allow" in msg. argv (the guest's, argc
 * entries) instantiates ${arg:N}; with none (verify) such a rule grants nothing and is checked when
 * a run gives it one. */
int wt_cmd_project_fits(const wt_manifest *manifest, const wt_manifest *override,
			const char *manifest_name, const wt_manifest *ceiling,
			const char *ceiling_name, int argc, char *const *argv, char *msg,
			size_t size);

/* The project commands (each takes argv without its own name). */
int wt_cmd_init(int argc, char **argv);
int wt_cmd_trust(int argc, char **argv);
int wt_cmd_status(int argc, char **argv);
int wt_cmd_verify(int argc, char **argv);

/* `run` without --manifest: 1 when it runs inside a project (--project
 * given, or a project found at or above the cwd whose root holds MODULE). */
int wt_cmd_project_wanted(int argc, char **argv);
int wt_cmd_project_run(int argc, char **argv);

#endif
