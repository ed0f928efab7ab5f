/* run_tierup.c: the `auto` tier in a run: cached pieces loaded before confinement, hot functions
 * counted by the interpreter and sent, once the run has lasted, to a compile child that builds
 * them into a piece and puts it in the code cache. */
#include "run_tierup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "code.h"
#include "confine.h"
#include "escape.h"
#include "grow.h"
#include "run_cache.h"
#include "sha256.h"
#include "store.h"
#include "tierup.h"
#include "tmpdir.h"

/* How often a hot function is named to the child: once when it turns hot
 * and again after each WT_RUN_HOT more calls and back-edges, up to this
 * many times; the child compiles the most named first. */
enum { HEAT_MAX = 64 };

struct wt_run_tierup {
	const wt_run_config *cfg;
	wt_instance *inst;
	uint8_t sha[32];
	wt_tierup *child;
	double t0;		/* when the guest was about to start (monotonic seconds) */
	double warm;		/* seconds before hot functions are sent */
	uint32_t loaded_pieces; /* pieces loaded */
	uint32_t pieces;	/* of which listed for a regroup (loaded_piece) */
	uint32_t loaded;	/* functions they made compiled */
	uint32_t hot;		/* functions found hot and sent */
	uint32_t early;		/* hook calls declined: before warm */
	uint32_t refused;	/* functions the cache says the tier refuses */
	/* by function index: times named to the child, or HEAT_MAX for one
	 * never to send (refused) */
	uint8_t *named;
	uint8_t *again; /* by function index: a long shot cut short once */
	/* by function index, while the pieces load: the number of the run that
	 * refused it as a long shot (the latest), 0: none */
	uint32_t *shot_run;
	wt_jit_runs runs; /* the entry's run record */
	/* the code pieces loaded (what a regroup rebuilds): their names and
	 * functions, piece k's piece_funcs[piece_at[k] .. piece_at[k + 1]) */
	char **piece_names;
	uint32_t *piece_at, *piece_funcs, nfuncs_listed;
	size_t cap_names, cap_at, cap_funcs;
	uint32_t regroup_cut; /* the last run that had a regroup cut short, 0: none */
	uint32_t run_no;      /* this run's number: runs.count + 1 */
	uint32_t shots;	      /* long shots refused by the last runs (shots_refused) */
	/* the child's */
	wt_jit_cache *cache;
	char tmp[4096]; /* its private temporary folder (TMPDIR for GCC) */
};

static long env_num(const char *name, long dflt)
{
	const char *v = getenv(name);
	return v && *v ? strtol(v, NULL, 10) : dflt;
}

/* In the child, before the first index: the cache (opened anew: the run's
 * descriptors are closed here), a private temporary folder for GCC, and
 * Landlock: write only there and in the cache folder. */
static int child_setup(void *ctx)
{
	wt_run_tierup *r = ctx;
	char dir[4096], key[4096], why[160] = "";
	wt_error err;

	wt_error_init(&err);
	if (wt_jit_cache_paths(dir, key, sizeof dir, &err) != 0 ||
	    wt_tmpdir_new(r->tmp, sizeof r->tmp, &err) != 0 || setenv("TMPDIR", r->tmp, 1) != 0 ||
	    !(r->cache = wt_run_cache_open(r->cfg)))
		return -1;
	const char *writable[] = {dir, r->tmp};
	return wt_confine_compile_child(writable, 2, r->tmp, why, sizeof why, &err);
}

static void child_cleanup(void *ctx)
{
	wt_run_tierup *r = ctx;
	rmdir(r->tmp);
	wt_jit_cache_close(r->cache);
}

/* In the child, ending without its cleanup (stopped at once, or out of
 * grace), maybe with a batch under way: its private temporary folder goes,
 * with what GCC, the assembler and the linker were writing there (a run of
 * a module that does not converge ends so every time; before, a stopped
 * run's folder was left in TMPDIR). */
static void child_discard(void *ctx)
{
	wt_run_tierup *r = ctx;
	wt_tmpdir_remove(r->tmp);
}

/* The child's work on one batch: the functions the tier refuses are
 * remembered in the cache (the next runs do not send them); the others
 * become a piece in the private folder, then in the cache. */
static int compile_batch(void *ctx, wt_instance *inst, const uint32_t *funcs, uint32_t n)
{
	wt_run_tierup *r = ctx;
	wt_jit_stats st = {0};
	uint32_t *ok = malloc(((size_t)n + 1) * 2 * sizeof *ok), *no = ok + n + 1, nok = 0, nno = 0;
	char so[4200];
	wt_error err;
	int rc = 0;

	wt_error_init(&err);
	if (!ok)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		if (wt_jit_translatable(inst, funcs[i]))
			ok[nok++] = funcs[i];
		else
			no[nno++] = funcs[i];
	}
	if (nno)
		rc = wt_jit_cache_put_refused(r->cache, r->sha, no, nno, &err);
	snprintf(so, sizeof so, "%s/piece.so", r->tmp);
	if (nok && rc == 0)
		rc = wt_jit_build(inst, r->sha, ok, nok, so, &st, &err);
	/* a batch of nothing the tier translates makes no piece: an empty one
	 * would be loaded, and added again, every run */
	if (nok && rc == 0 && st.compiled > 0)
		rc = wt_jit_cache_put(r->cache, r->sha, so, &err);
	if (rc && getenv("WT_JIT_STATS"))
		wt_escape_fprintf(
		    stderr, "wasi-tofu: tier-up: a batch of %u functions failed: %s\n", n, err.msg);
	else if (getenv("WT_JIT_STATS"))
		fprintf(stderr, "wasi-tofu: tier-up: child: %u compiled, %u refused, %.2f s\n",
			st.compiled, nno, st.seconds);
	unlink(so);
	free(ok);
	return rc;
}

/* The functions of pieces[0..n) in index order, each once, into funcs (room for every defined
 * function); their count. */
static uint32_t group_funcs(const wt_run_tierup *r, const uint32_t *pieces, uint32_t n,
			    uint32_t *funcs, uint8_t *in)
{
	const wt_module *m = r->inst->module;
	uint32_t count = 0;
	for (uint32_t k = 0; k < n; k++)
		for (uint32_t i = r->piece_at[pieces[k]]; i < r->piece_at[pieces[k] + 1]; i++)
			in[r->piece_funcs[i]] = 1; /* defined functions: wt_jit_load checked */
	for (uint32_t f = m->nfunc_imports; f < m->nfuncs; f++)
		if (in[f])
			funcs[count++] = f;
	return count;
}

/* Puts the object so (nf functions, all compiled) in the cache as the group of pieces[0..n),
 * then removes those pieces: a run sees the pieces, both (it loads the group's copies) or the
 * group, never neither. 0 or a status in err. */
static int put_group(wt_run_tierup *r, const char *so, const uint32_t *pieces, uint32_t n,
		     uint32_t *removed, wt_error *err)
{
	int rc = wt_jit_cache_put_group(r->cache, r->sha, so, err);
	*removed = 0;
	for (uint32_t k = 0; rc == 0 && k < n; k++)
		if (wt_jit_cache_remove(r->cache, r->sha, r->piece_names[pieces[k]]) == 0)
			++*removed;
	return rc;
}

/* The child's regroup (core/jit/tierup.h): the functions of pieces[0..n) built as one object,
 * put in the cache in their place. */
static int regroup(void *ctx, wt_instance *inst, const uint32_t *pieces, uint32_t n)
{
	wt_run_tierup *r = ctx;
	uint32_t nf = inst->module->nfuncs, *funcs = malloc(((size_t)nf + 1) * sizeof *funcs),
		 count, removed = 0;
	uint8_t *in = calloc((size_t)nf + 1, 1);
	wt_jit_stats st = {0};
	char so[4200];
	wt_error err;
	int rc = -1;

	wt_error_init(&err);
	snprintf(so, sizeof so, "%s/group.so", r->tmp);
	if (funcs && in) {
		count = group_funcs(r, pieces, n, funcs, in);
		rc = wt_jit_build(inst, r->sha, funcs, count, so, &st, &err);
		if (rc == 0 && st.compiled != count)
			rc = wt_fail_plain(&err, WT_INTERNAL, "%u of its %u functions compiled",
					   st.compiled, count);
		if (rc == 0)
			rc = put_group(r, so, pieces, n, &removed, &err);
		if (getenv("WT_JIT_STATS") && rc)
			wt_escape_fprintf(stderr, "wasi-tofu: tier-up: regroup: failed: %s\n",
					  err.msg);
		else if (getenv("WT_JIT_STATS"))
			fprintf(stderr,
				"wasi-tofu: tier-up: regroup: %u of %u pieces (%u functions) into "
				"one object, %.2f s; %u pieces removed\n",
				n, r->pieces, count, st.seconds, removed);
	}
	unlink(so);
	free(funcs);
	free(in);
	return rc;
}

/* The child's regroup cut short by the run's end: listed, so that the next
 * WT_TIERUP_RETRY_RUNS runs do not start it again. */
static void regroup_cut(void *ctx)
{
	wt_run_tierup *r = ctx;
	uint32_t listed[2] = {WT_JIT_CACHE_REGROUP, r->run_no};
	wt_error err;
	wt_error_init(&err);
	if (wt_jit_cache_put_refused(r->cache, r->sha, listed, 2, &err) == 0 &&
	    getenv("WT_JIT_STATS"))
		fputs("wasi-tofu: tier-up: regroup: cut short by the run's end; listed\n", stderr);
}

/* The child's long shot cut short (core/jit/tierup.h): listed as cut short
 * once, so that the next run starts it first, or, when it had its chance
 * or was cut short before, as refused by this run, so that the next
 * WT_TIERUP_RETRY_RUNS runs do not start it again. */
static void long_shot(void *ctx, uint32_t f, int had_its_chance)
{
	wt_run_tierup *r = ctx;
	wt_error err;
	int refuse = r->again[f] || had_its_chance;
	uint32_t listed[2] = {refuse ? f | WT_JIT_CACHE_LONG_SHOT : f | WT_JIT_CACHE_CUT_ONCE,
			      r->run_no};
	wt_error_init(&err);
	if (wt_jit_cache_put_refused(r->cache, r->sha, listed, refuse ? 2 : 1, &err) &&
	    getenv("WT_JIT_STATS"))
		wt_escape_fprintf(stderr, "wasi-tofu: tier-up: a long shot not listed: %s\n",
				  err.msg);
	else if (getenv("WT_JIT_STATS"))
		fprintf(stderr,
			refuse ? "wasi-tofu: tier-up: a long shot cut short, refused: "
				 "function %u (%u bytes)\n"
			       : "wasi-tofu: tier-up: a long shot cut short once: function %u "
				 "(%u bytes)\n",
			f, r->inst->module->funcs[f].body_size);
}

/* Refuses f: never sent. */
static void refuse_func(wt_run_tierup *r, uint32_t f)
{
	if (r->named[f] < HEAT_MAX) {
		r->named[f] = HEAT_MAX;
		r->refused++;
	}
}

/* A verified list of refused functions (WT_JIT_CACHE_REFUSED, then 4-byte
 * words: core/jit/cache.h): an index alone is never sent; one with
 * WT_JIT_CACHE_CUT_ONCE is a long shot cut short once, which the child
 * compiles first; one with WT_JIT_CACHE_LONG_SHOT, then the number of the
 * run that refused it, waits for shots_refused. Indices that are no
 * defined function of the module are ignored. */
static void note_refused(wt_run_tierup *r, int fd)
{
	const wt_module *m = r->inst->module;
	uint8_t buf[4096];
	off_t at = WT_JIT_CACHE_REFUSED_SIZE;
	ssize_t got;
	uint32_t shot = UINT32_MAX; /* a long shot whose run number comes next */
	int cut = 0;		    /* a regroup cut short: its run number comes next */

	while ((got = pread(fd, buf, sizeof buf, at)) >= 4) {
		for (ssize_t i = 0; i + 4 <= got; i += 4) {
			uint32_t w = (uint32_t)buf[i] | (uint32_t)buf[i + 1] << 8 |
				     (uint32_t)buf[i + 2] << 16 | (uint32_t)buf[i + 3] << 24;
			uint32_t f = w & ~(WT_JIT_CACHE_CUT_ONCE | WT_JIT_CACHE_LONG_SHOT);
			int defined = f >= m->nfunc_imports && f < m->nfuncs;
			if (shot != UINT32_MAX) {
				if (w > r->shot_run[shot])
					r->shot_run[shot] = w;
				shot = UINT32_MAX;
			} else if (cut) {
				r->regroup_cut = w > r->regroup_cut ? w : r->regroup_cut;
				cut = 0;
			} else if ((w & WT_JIT_CACHE_REGROUP) == WT_JIT_CACHE_REGROUP) {
				cut = 1;
			} else if (w & WT_JIT_CACHE_LONG_SHOT) {
				shot = defined ? f : m->nfuncs; /* nfuncs: a slot of none */
			} else if (defined && (w & WT_JIT_CACHE_CUT_ONCE)) {
				r->again[f] = 1;
			} else if (defined && !(w & WT_JIT_CACHE_CUT_ONCE)) {
				refuse_func(r, f);
			}
		}
		at += got / 4 * 4;
	}
}

/* Once every piece is read: a long shot refused by run k is refused by
 * runs k+1 .. k+WT_TIERUP_RETRY_RUNS; later (or when the record's count
 * is below k: the record was lost or is garbled) it is tried again, first,
 * as one cut short once (cut short again, it is refused again). */
static void shots_refused(wt_run_tierup *r)
{
	const wt_module *m = r->inst->module;
	for (uint32_t f = m->nfunc_imports; f < m->nfuncs; f++) {
		uint32_t k = r->shot_run[f];
		if (!k)
			continue;
		if (r->run_no > k && r->run_no - k <= WT_TIERUP_RETRY_RUNS) {
			refuse_func(r, f);
			r->shots++;
		} else {
			r->again[f] = 1;
		}
	}
}

/* wt_jit_cache_load's callback for pieces that are not code: a list of refused functions. */
static int other_piece(void *ctx, int fd, wt_jit_piece_kind kind, const char *name)
{
	(void)name;
	wt_run_tierup *r = ctx;
	if (kind == WT_JIT_PIECE_REFUSED)
		note_refused(r, fd);
	else if (kind == WT_JIT_PIECE_RUNS)
		wt_jit_cache_read_runs(fd, &r->runs);
	close(fd);
	return 0;
}

/* wt_jit_cache_load's callback for each code piece loaded: its name and functions kept, for a
 * regroup. A piece that cannot be kept is left out of it. */
static void loaded_piece(void *ctx, const char *name, const uint32_t *funcs, uint32_t n)
{
	wt_run_tierup *r = ctx;
	uint32_t k = r->pieces;

	if (WT_GROW(&r->piece_names, &r->cap_names, k + 1, 16) ||
	    WT_GROW(&r->piece_at, &r->cap_at, k + 2, 16) ||
	    WT_GROW(&r->piece_funcs, &r->cap_funcs, (size_t)r->nfuncs_listed + n, 256) ||
	    !(r->piece_names[k] = strdup(name)))
		return;
	memcpy(r->piece_funcs + r->nfuncs_listed, funcs, n * sizeof *funcs);
	r->piece_at[k] = r->nfuncs_listed;
	r->nfuncs_listed += n;
	r->piece_at[k + 1] = r->nfuncs_listed;
	r->pieces++;
}

/* Frees the lists of loaded pieces. */
static void free_pieces(wt_run_tierup *r)
{
	for (uint32_t k = 0; k < r->pieces && r->piece_names; k++)
		free(r->piece_names[k]);
	free(r->piece_names);
	free(r->piece_at);
	free(r->piece_funcs);
}

/* Loads the module's verified pieces from the cache, however many; 0, or
 * -1 when the run may not use the cache (then nothing is compiled for a
 * later run). */
static int load_pieces(wt_run_tierup *r, wt_jit **jit)
{
	wt_jit_cache *cache = wt_run_cache_open(r->cfg);

	if (!cache)
		return -1;
	r->loaded_pieces =
	    wt_jit_cache_load(cache, r->inst, r->sha, jit, other_piece, loaded_piece, r);
	wt_jit_cache_close(cache);
	r->run_no = r->runs.count < UINT32_MAX ? r->runs.count + 1 : UINT32_MAX;
	shots_refused(r);
	return 0;
}

/* Defined functions of inst still interpreted and worth sending (not
 * refused); r->loaded counts the compiled ones. */
static uint32_t interpreted(wt_run_tierup *r)
{
	const wt_module *m = r->inst->module;
	uint32_t left = 0;
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
		if (r->inst->funcs[i]->jit)
			r->loaded++;
		else if (r->named[i] < HEAT_MAX)
			left++;
	}
	return left;
}

/* The store's hot hook: too early in the run, declined (the interpreter
 * asks again after as many more calls and back-edges: a function that is
 * hot only while a short run starts is never sent); else named to the
 * child, and declined again until it was named HEAT_MAX times (each time
 * one degree hotter); a refused function is taken and never named. */
static int on_hot(void *ctx, wt_funcinst *f)
{
	wt_run_tierup *r = ctx;
	if (f->instance != r->inst || r->named[f->func_index] >= HEAT_MAX)
		return 1;
	if (wt_clock_seconds() - r->t0 < r->warm) {
		r->early++;
		return 0;
	}
	if (r->named[f->func_index]++ == 0)
		r->hot++;
	wt_tierup_note(r->child, f->func_index);
	return r->named[f->func_index] >= HEAT_MAX;
}

/* In the child as it ends: the pace it measured replaces the record's (its run is in it
 * already, when it was recorded). */
static void paced(void *ctx, const double pace[2])
{
	wt_run_tierup *r = ctx;
	wt_error err;
	wt_error_init(&err);
	for (int i = 0; i < 2; i++)
		r->runs.pace_ns[i] = pace[i] * 1e9 < WT_JIT_CACHE_PACE_MAX_NS
					 ? (uint32_t)(pace[i] * 1e9)
					 : WT_JIT_CACHE_PACE_MAX_NS;
	if (wt_jit_cache_put_runs(r->cache, r->sha, &r->runs, &err) && getenv("WT_JIT_STATS"))
		wt_escape_fprintf(stderr, "wasi-tofu: tier-up: the pace not recorded: %s\n",
				  err.msg);
}

/* In the child, at the run's end: its length joins the entry's run record. */
static void ran(void *ctx, double seconds)
{
	wt_run_tierup *r = ctx;
	wt_error err;
	wt_error_init(&err);
	wt_jit_runs_add(&r->runs, seconds);
	if (wt_jit_cache_put_runs(r->cache, r->sha, &r->runs, &err) && getenv("WT_JIT_STATS"))
		wt_escape_fprintf(stderr, "wasi-tofu: tier-up: the run not recorded: %s\n",
				  err.msg);
}

wt_run_tierup *wt_run_tierup_begin(const wt_run_config *cfg, wt_instance *inst, wt_jit **jit)
{
	wt_run_tierup *r = calloc(1, sizeof *r);
	wt_tierup_config tc = {.compile = compile_batch,
			       .setup = child_setup,
			       .cleanup = child_cleanup,
			       .long_shot = long_shot,
			       .ran = ran,
			       .discard = child_discard,
			       .paced = paced,
			       .regroup = regroup,
			       .regroup_cut = regroup_cut};
	wt_error err;

	if (!r)
		return NULL;
	r->cfg = cfg;
	r->inst = inst;
	uint8_t buf[32];
	memcpy(r->sha, wt_module_sha256(inst->module, buf), sizeof r->sha);
	r->warm = (double)env_num("WT_JIT_WARM_MS", WT_RUN_WARM_MS) / 1000.0;
	tc.ctx = r;
	tc.min_heat = (uint32_t)env_num("WT_JIT_MIN_HEAT", WT_RUN_MIN_HEAT);
	tc.cpu_share = (double)env_num("WT_JIT_SHARE_PCT", WT_RUN_SHARE_PCT) / 100.0;
	tc.grace = (unsigned)env_num("WT_JIT_GRACE", WT_TIERUP_GRACE);
	wt_error_init(&err);
	int ok = (r->named = calloc(inst->module->nfuncs + 1, 1)) &&
		 (r->again = calloc(inst->module->nfuncs + 1, 1)) &&
		 (r->shot_run = calloc(inst->module->nfuncs + 1, sizeof *r->shot_run)) &&
		 load_pieces(r, jit) == 0;
	free(r->shot_run); /* read by load_pieces only */
	r->shot_run = NULL;
	if (!ok) {
		free_pieces(r);
		free(r->named); /* no cache: nothing to load or to make */
		free(r->again);
		free(r);
		return NULL;
	}
	tc.expected = wt_jit_runs_expected(&r->runs);
	tc.pace[0] = r->runs.pace_ns[0] * 1e-9;
	tc.pace[1] = r->runs.pace_ns[1] * 1e-9;
	/* compiled calls check the C stack against a floor that is read from
	 * /proc/self/maps and the stack limit, which confinement forbids */
	if (r->loaded_pieces)
		(void)wt_vm_stack_floor();
	tc.again = r->again;
	tc.npieces = r->piece_at ? r->pieces : 0;
	tc.piece_at = r->piece_at;
	tc.piece_funcs = r->piece_funcs;
	tc.regroup_min = (uint32_t)env_num("WT_JIT_REGROUP_MIN", WT_TIERUP_REGROUP_MIN);
	if (r->regroup_cut && r->run_no > r->regroup_cut &&
	    r->run_no - r->regroup_cut <= WT_TIERUP_RETRY_RUNS)
		tc.regroup_min = 0; /* a recent run lost it: not again yet */
	tc.regroup_expected = r->runs.n >= 2 ? tc.expected : 0;
	/* while a refused long shot waits for its retry, every run is recorded
	 * (the retry counts them), even one with nothing else to compile; and while the pieces may
	 * be regrouped, so that the expected length a regroup plans by is a converged run's (a run
	 * that compiled nothing was not recorded before) */
	tc.record_always = r->shots > 0 || (tc.regroup_min && r->pieces >= tc.regroup_min);
	if ((interpreted(r) == 0 && !r->shots) ||
	    wt_tierup_start(inst, &tc, &r->child, &err) != 0) {
		r->child = NULL;
		return r;
	}
	wt_store_set_hot(inst->store, (uint32_t)env_num("WT_JIT_HOT", WT_RUN_HOT), on_hot, r);
	r->t0 = wt_clock_seconds();
	return r;
}

void wt_run_tierup_end(wt_run_tierup *r, int abandon)
{
	wt_tierup_stats st = {0};
	double t = wt_clock_seconds();

	if (!r)
		return;
	wt_store_set_hot(r->inst->store, 0, NULL, NULL);
	wt_tierup_finish(r->child, abandon, &st);
	if (getenv("WT_JIT_STATS"))
		fprintf(stderr,
			"wasi-tofu: tier-up: %u pieces loaded, %u functions compiled, %u refused, "
			"%u hot, %u sent, %u dropped, %u too early (first %.0f ms), waited %.1f "
			"ms; run %u (expected %.1f s)\n",
			r->loaded_pieces, r->loaded, r->refused, r->hot, st.noted, st.dropped,
			r->early, r->warm * 1000, (wt_clock_seconds() - t) * 1000, r->run_no,
			wt_jit_runs_expected(&r->runs));
	free_pieces(r);
	free(r->named);
	free(r->again);
	free(r);
}
