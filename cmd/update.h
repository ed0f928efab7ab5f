/* update.h: `record --update MANIFEST` and the offer to re-record a changed module (update.c). */
#ifndef WT_CMD_UPDATE_H
#define WT_CMD_UPDATE_H

#include "keeper.h"
#include "lib_cli.h"
#include "manifest.h"
#include "prompt.h"

/* What record --update keeps between the start and the end of the run. */
typedef struct wt_cmd_update {
	const wt_manifest *old; /* the manifest being updated: owned_old, or the CLI's (lent) */
	wt_manifest *owned_old;
	char **args; /* "--mount" SPEC for each of its mounts, "--cwd" CWD, the rest */
	int nargs;
	char **owned; /* the specs */
	int nowned;
} wt_cmd_update;

/* Takes manifest as loaded lends it (wt_lib_loaded_find: run --manifest read it once), else
 * loads it (errors on stderr); puts its mounts (hosts relative to its folder) and its cwd
 * (when it has one) in front of rest[0..nrest) in u->args, as run --manifest does: a --cwd in
 * rest wins. Returns 0 or the exit status (64, 65, 66, 70). Call wt_cmd_update_fini either
 * way. */
int wt_cmd_update_begin(wt_cmd_update *u, const char *manifest, const wt_lib_loaded *loaded,
			int nrest, char **rest);

/* After the recorded run: generates a manifest from journal (in memory),
 * merges it into u->old (wt_manifest_merge), prints the capability diff
 * on stderr and writes MANIFEST (through the keeper k, or directly when
 * NULL): at a terminal only when the person answers [w]. Returns 0 or the
 * exit status (65, 70, 74, or generate's). */
int wt_cmd_update_finish(wt_cmd_update *u, const char *manifest, const char *journal,
			 const char *granularity, wt_keeper *k);

void wt_cmd_update_fini(wt_cmd_update *u);

/* run --manifest found the module changed (sha256 not the pin) and there
 * is a terminal (p): asks whether to record it again; on [r] runs
 * `record --update MANIFEST` with the run's own options and arguments
 * (argv without --manifest, --on-deviation, --ceiling and --report), merging into the
 * manifest the run read (loaded), and returns its status; else returns status. */
int wt_cmd_offer_rerecord(wt_prompt *p, const char *manifest, const wt_lib_loaded *loaded, int argc,
			  char **argv, int status);

#endif
