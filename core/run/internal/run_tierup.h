/* run_tierup.h: the `auto` tier in a run (core/run/): the module's cached pieces of compiled code
 * loaded before confinement, the interpreter counting the rest, and a compile child making the
 * functions that turn hot into new pieces for the next run (docs/engine.md, "Tier-up"). */
#ifndef WT_RUN_TIERUP_H
#define WT_RUN_TIERUP_H

#include <stddef.h>
#include <stdint.h>

#include "run.h"

/* Calls and loop back-edges that make a function hot, and how long a run
 * goes before a hot function is sent to the compile child (one that turns
 * hot earlier is asked about again after as many more; a shorter run
 * sends none and never waits for the child). WT_JIT_HOT=N and
 * WT_JIT_WARM_MS=N override them (tests, measurements). */
enum { WT_RUN_HOT = 10000, WT_RUN_WARM_MS = 100 };

/* How often a hot function must be named to the compile child (once at
 * WT_RUN_HOT, again after each WT_RUN_HOT more) before it is compiled:
 * one that a run finds hot only once is lukewarm, its compile (0.05 to
 * over 1 s of GCC) costs more than it saves. WT_JIT_MIN_HEAT=N overrides. */
enum { WT_RUN_MIN_HEAT = 2 };

/* The compile child's CPU budget, in percent of the run's CPU time so far
 * (plus a second): the child may use as much CPU as the run, on a machine
 * with a second core beside it, so a run costs at most twice the
 * interpreter's CPU time and little wall time, and less once its hottest
 * functions are compiled (tierup.h, cpu_share). 50 converged SQLite two runs
 * later (docs/benchmarks.md). WT_JIT_SHARE_PCT=N overrides (0: no budget). */
enum { WT_RUN_SHARE_PCT = 100 };

typedef struct wt_run_tierup wt_run_tierup;

/* After wt_instantiate_begin, before confinement: loads the verified
 * pieces of the module (by the sha256 of its bytes) from the code cache
 * into inst (*jit, freed by the caller after the store), then, unless
 * every defined function is compiled, forks the compile child and sets
 * the store's hot hook. Never fails the run: without the tier, the cache
 * or the child, the run is interpreted. NULL: nothing to end. */
wt_run_tierup *wt_run_tierup_begin(const wt_run_config *cfg, wt_instance *inst, wt_jit **jit);

/* After the guest's last instruction: closes the pipe and waits for the
 * child (at most its grace, WT_TIERUP_GRACE seconds; with abandon, for a
 * run stopped by its time limit, it is told to stop at once); with
 * WT_JIT_STATS a line of figures on stderr. Frees r; NULL is fine. */
void wt_run_tierup_end(wt_run_tierup *r, int abandon);

#endif
