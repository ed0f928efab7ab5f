/* run.h: runs the commands of one spec script against the engine and counts the outcomes. */
#ifndef WT_SPEC_RUN_H
#define WT_SPEC_RUN_H

#include <stdio.h>

#include "script.h"

/* What the supervising process sees of a run (it lives in memory shared
 * with the child that runs the script): the command under way and the
 * counts so far. */
typedef struct wt_spec_progress {
	volatile unsigned cmd;	/* index of the command running (or ncmds when done) */
	volatile unsigned line; /* its line in the .wast */
	volatile unsigned passed, failed, skipped;
	volatile int done; /* the run reached its end */
} wt_spec_progress;

typedef struct wt_spec_options {
	const char *dir;  /* the folder of the .json, which holds the .wasm files */
	const char *name; /* the script's name for messages ("i32") */
	int verbose;	  /* print notes (message differences) and spectest.print* calls */
	FILE *out;	  /* where failures and notes go */
	int jit;	  /* compile every module with the compiling tier (--tier jit) */
} wt_spec_options;

/* Runs every command of sc in one fresh store, printing each failure as
 * "NAME.wast:LINE: COMMAND: what differed". Updates *p as it goes.
 * Returns 0, or -1 when the runner itself could not start (no store). */
int wt_spec_run(const wt_spec_script *sc, const wt_spec_options *opt, wt_spec_progress *p);

#endif
