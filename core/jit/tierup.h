/* tierup.h: tier-up in the background: a compile child, forked before self-confinement, hears of
 * the hot functions of a run through a pipe and compiles them in batches for the next run
 * (docs/engine.md, "Tier-up"). */
#ifndef WT_TIERUP_H
#define WT_TIERUP_H

#include <stdint.h>

#include "error.h"
#include "runtime.h"

/* The child's work on one batch of function indices (defined functions of
 * inst, each named once per child, checked against the module): compile
 * them and put what it made where the next run finds it. Runs in the
 * child, on its own copy of the instance as it was when the child was
 * forked. 0, or non-zero (counted, the child goes on). */
typedef int (*wt_tierup_compile_fn)(void *ctx, wt_instance *inst, const uint32_t *funcs,
				    uint32_t n);

typedef struct wt_tierup_config {
	wt_tierup_compile_fn compile;
	void *ctx; /* the callbacks'; used in the child only */
	/* Run in the child before its first batch (a child that gets none
	 * ends at once, which keeps a run with nothing hot cheap), e.g. to
	 * confine it: core/run/run_tierup.c; non-zero: the child compiles
	 * nothing (it still reads the pipe to its end). NULL: nothing. */
	int (*setup)(void *ctx);
	/* Run in the child when it ends normally after setup (not when its
	 * grace ran out). NULL: nothing. */
	void (*cleanup)(void *ctx);
	/* Run in the child when the run's end cuts short a long shot (a batch
	 * of one function, func, whose compile was expected to take longer
	 * than a batch should, started while the run went on): its grace ran
	 * out, or the child stopped at once (below, `grace`); just before the
	 * child ends. had_its_chance: it started in the first half of the run
	 * (the time since the child began), so a run of this length cannot
	 * compile it. core/run/run_tierup.c lists it in the code cache as cut
	 * short once (the next run starts it first: `again`) or, when it had
	 * its chance or was cut short once already, as refused for the next
	 * WT_TIERUP_RETRY_RUNS runs, so that they do not lose its seconds
	 * again. Runs on the child's reader thread while the compile goes on.
	 * NULL: nothing. */
	void (*long_shot)(void *ctx, uint32_t func, int had_its_chance);
	/* The run's expected length: wall seconds from the fork to the end of
	 * the pipe, from the module's recent runs (the code cache's run
	 * record); 0: unknown (a first run). While the run goes on, a batch
	 * (or a long shot) starts only when the child's pace says it ends
	 * WT_TIERUP_MARGIN_S before then: near the end the batches get
	 * smaller, then the child waits for the end (or for the run to outlive
	 * its expected length: then as without it), so that the end finds no
	 * batch under way to lose. */
	double expected;
	/* Run in the child once the run has ended (the end of the pipe; not
	 * on a stop index) and the child's setup ran and succeeded (at the
	 * end, on the reader thread; or, when the first batch came after it,
	 * once the child is done): the run's length (wall seconds from the
	 * fork to the end of the pipe), which the next runs expect. NULL:
	 * nothing. */
	void (*ran)(void *ctx, double seconds);
	/* Non-zero: the run is recorded (ran) even when the child compiled
	 * nothing: it then runs its setup once the run has ended, for that
	 * (core/run/run_tierup.c: while a long shot it refused waits for its
	 * retry, which counts recorded runs). */
	int record_always;
	/* Run in the child when it ends without its cleanup (it stops at
	 * once: the run's end or a stop index; or its grace ran out), after
	 * the setup succeeded, on the reader thread, just before the child
	 * ends, a batch maybe under way: e.g. removes what setup made and the
	 * files the lost batch was writing. NULL: nothing. */
	void (*discard)(void *ctx);
	/* By function index (NULL: none): long shots cut short once by an
	 * earlier run, which go first once they are ready (the earliest start
	 * gives them their best chance). */
	const uint8_t *again;
	uint32_t batch; /* most functions per batch; 0: WT_TIERUP_BATCH_MAX */
	/* Seconds the child may still spend once the run has ended (closed
	 * the pipe), to converge: when its pace says the batch under way and
	 * every function left that is ready (named min_heat times, no long
	 * shot) fit in them (and in its CPU budget), it compiles them, in
	 * batches sized to fit the time left, and ends when they run out or
	 * none fits; a batch that overruns is lost (SIGALRM). Else, when the
	 * batch under way should end within WT_TIERUP_FINISH_S, it finishes
	 * that one and ends; else it ends at once (the batch is lost), so a
	 * run whose hot set is far from compiled does not wait for progress.
	 * 0: WT_TIERUP_GRACE. */
	unsigned grace;
	/* A function is compiled once it was named this many times (each
	 * note after the first: WT_RUN_HOT more calls and back-edges), the
	 * most named first; fewer, and it is left (a lukewarm function costs
	 * more GCC time than it saves). 0: 1. */
	uint32_t min_heat;
	/* The child's CPU budget (its threads and the assembler and linker):
	 * this share of the run's CPU seconds since the fork, plus 1 s (the
	 * wall clock's seconds when the run's CPU clock cannot be read); a batch is
	 * sized to fit it, and with it spent the child waits (the run going on)
	 * or stops (the run ended). A run then costs at most that share more
	 * than the interpreter would, and less as its hot set is compiled.
	 * 0: none. */
	double cpu_share;
	/* Regrouping (docs/engine.md, "Regrouping"): the npieces code objects
	 * the run loaded, piece k's functions piece_funcs[piece_at[k] ..
	 * piece_at[k + 1]). Once per child, when it has nothing to compile (no
	 * function ready WT_TIERUP_SETTLE_S into a run of known expected length,
	 * or once the run has ended) and npieces >= regroup_min (0: never),
	 * the smallest pieces whose functions its pace says it can compile
	 * before regroup_expected (after the run: in the grace left) and
	 * within its CPU budget, two at least, are rebuilt as one object:
	 * regroup(ctx, inst, pieces, n) with their numbers, a batch as any other
	 * (the run's end may cut it short). 0, or non-zero (counted). */
	uint32_t npieces, regroup_min;
	const uint32_t *piece_at, *piece_funcs;
	/* The run's expected length a regroup while it goes on plans by (0:
	 * none: the child waits for the run's end): core/run/run_tierup.c gives
	 * `expected` once the record holds two lengths (the first run, which
	 * compiles most, is longer than a converged one by far: SQLite 21 s,
	 * then 3.4 s; planned by it, a regroup would be cut short). */
	double regroup_expected;
	int (*regroup)(void *ctx, wt_instance *inst, const uint32_t *pieces, uint32_t n);
	/* The child's pace as earlier runs' children measured it (wall and CPU
	 * seconds a unit of weight took; 0: unknown, a first guess): a regroup
	 * (all its compile at once) is planned by it before this child has
	 * measured its own. */
	double pace[2];
	/* Run in the child as it ends normally after setup, when it measured
	 * its pace (a batch or a regroup ended): to keep it for the next runs.
	 * NULL: nothing. */
	void (*paced)(void *ctx, const double pace[2]);
	/* Run when the run's end cuts a regroup short, as long_shot is (so
	 * that the next runs do not lose it again). NULL: nothing. */
	void (*regroup_cut)(void *ctx);
} wt_tierup_config;

enum {
	/* most functions per batch (a batch is sized by the child's pace:
	 * about 2 s of work while the run goes on, what fits in the grace
	 * after; the first holds 4) */
	WT_TIERUP_BATCH_MAX = 64,
	WT_TIERUP_GRACE = 3, /* bounds what the end of a run can wait for */
	WT_TIERUP_NICE = 10, /* a batch's niceness while the run goes on, on one CPU */
	/* runs after the one that refused a long shot that do not start it
	 * (core/run/run_tierup.c); the next one starts it first */
	WT_TIERUP_RETRY_RUNS = 4,
	/* pieces that make a regroup worth its compile (core/run/run_tierup.c) */
	WT_TIERUP_REGROUP_MIN = 3,
};

/* How long a run goes on with no function ready before its child takes the
 * hot set for converged and may regroup (seconds from the fork). */
#define WT_TIERUP_SETTLE_S 1.0

/* The longest the end of a run waits for the batch under way when what is
 * left does not fit in the grace (seconds). */
#define WT_TIERUP_FINISH_S 0.5

/* What the parent saw (the child's figures stay in the child). */
typedef struct wt_tierup_stats {
	uint32_t noted;	  /* indices written to the pipe */
	uint32_t dropped; /* not written: the pipe was full */
	int child_status; /* the child's wait status (waitpid) */
} wt_tierup_stats;

typedef struct wt_tierup wt_tierup;

/* Forks the compile child for inst (instantiated or built, no guest
 * instruction run yet). Call it while the process has one thread and
 * before self-confinement: the child keeps the rights to run the assembler
 * and to write the cache. The child closes every file descriptor but the
 * pipe's read end (stdin and stdout read and write /dev/null; stderr too
 * unless WT_JIT_STATS is set). 0 and *out, or WT_IO / WT_NOMEM in err. */
int wt_tierup_start(wt_instance *inst, const wt_tierup_config *cfg, wt_tierup **out, wt_error *err);

/* Tells the child that function func_index is hot; each further note of it
 * makes it hotter (the child compiles the hottest first). Never blocks:
 * when the pipe is full the index is dropped (and counted). NULL t:
 * nothing. */
void wt_tierup_note(wt_tierup *t, uint32_t func_index);

/* Ends the run's side: closes the pipe and waits for the child, which
 * compiles the functions left for at most cfg->grace seconds when they
 * fit (then it dies: the batch it was on is lost), finishes the batch
 * under way when it ends within WT_TIERUP_FINISH_S, or else ends at once
 * (cfg->grace). With abandon (a run stopped by its
 * time limit must not outlive it), the child is told to stop at once and
 * whatever it was compiling is lost. Frees t; stats may be NULL; NULL t:
 * nothing. System calls: write, close, wait4 (all allowed once confined). */
void wt_tierup_finish(wt_tierup *t, int abandon, wt_tierup_stats *stats);

#endif
