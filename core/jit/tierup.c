/* tierup.c: the compile child: forked before self-confinement, it reads hot function indices from
 * a pipe (untrusted: each one is checked) and compiles them in batches through a callback; once
 * the run has closed the pipe it compiles what is left when that fits its grace (else it finishes
 * a batch about to end, or ends at once). While the run goes on it plans by the run's expected
 * length (the module's recent runs). */
#include "tierup.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "cpus.h"
#include "store.h"

/* WT_TIERUP_GATHER_MS: how long the child waits to fill a batch;
 * DRAIN_MS: at most how long a pick waits for the reader thread to take the
 * names the pipe already holds; STOP: the index that tells it to end at once
 * (no function has it: a module has fewer than 2^32 - 1 functions). */
enum { WT_TIERUP_GATHER_MS = 20, WT_TIERUP_DRAIN_MS = 200 };
#define WT_TIERUP_STOP UINT32_MAX

/* The child's pace: a first guess of the seconds a byte of code takes (then
 * measured: 10 KB a second) and the first batch's most functions (a guess
 * can be far off, more so on a busy machine), how long a
 * batch may take while the run goes on (so that one the run's end finds
 * under way still ends within the grace), and the margin kept when
 * fitting the last batches into the grace. */
#define WT_TIERUP_FIRST_SPB 1e-4
enum { WT_TIERUP_FIRST_BATCH = 4 };
#define WT_TIERUP_BATCH_S 2.0
#define WT_TIERUP_MARGIN_S 0.25
/* How long after the grace the alarm ends a child whose reader thread did
 * not (its listing of a long shot stalled). */
enum { WT_TIERUP_BACKSTOP_S = 2 };
/* The CPU budget's start: seconds the child may take before the run has
 * lasted (a short run's hot set is compiled at once). */
#define WT_TIERUP_ALLOW_S 1.0
/* The CPU budget a batch waits for while the run goes on (at most the
 * allowance: the first batch need not wait). */
#define WT_TIERUP_BATCH_CPU 1.0
/* The body size at which a function's weight is twice its bytes (GCC's
 * time per byte grows with the function: weight()). */
#define WT_TIERUP_BIG_BYTES 32768.0

struct wt_tierup {
	int wfd; /* the pipe's write end, non-blocking */
	/* its read end, kept open in the run: were the child killed, a write
	 * would raise SIGPIPE (an embedder's process need not ignore it); with a
	 * reader left the write fills the pipe and then fails with EAGAIN */
	int rfd;
	pid_t pid;
	uint32_t noted, dropped;
};

/* The child's state: a reader thread takes indices from the pipe, the main
 * thread compiles the waiting functions, hottest first. Each function waits
 * at most once, so nfuncs entries never overflow. */
typedef struct child {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int fd;
	uint32_t first, nfuncs; /* the defined functions: [first, nfuncs) */
	uint16_t *heat;		/* by function index: times named (WT_RUN_HOT more each) */
	uint8_t *taken;		/* by function index: in a batch already */
	uint32_t *wait;		/* the waiting functions, in the order they came */
	uint64_t *keys;		/* scratch for picking the hottest */
	uint32_t nwait;
	uint32_t min_heat; /* named this often at least before it is compiled */
	uint32_t nready;   /* waiting functions named min_heat times */
	int eof;
	double eof_at; /* when the pipe ended (monotonic seconds) */
	unsigned grace;
	double t0;	 /* when the child began (monotonic seconds) */
	double share;	 /* its CPU budget: this share of the run's CPU since t0; 0: none */
	clockid_t run;	 /* the run's CPU clock (the parent's) */
	int run_clock;	 /* whether it could be read: else wall time stands in */
	double run0;	 /* the run's CPU seconds at t0 */
	double spb, cpb; /* its pace: wall and CPU seconds a byte of code took */
	const wt_module *module;
	const wt_tierup_config *cfg;
	uint32_t batches; /* compiled so far */
	uint32_t shot;	  /* the long shot being compiled, or WT_TIERUP_STOP */
	double shot_at;	  /* when it started (monotonic seconds) */
	int set_up;	  /* the setup ran and succeeded */
	int busy;	  /* a batch is under way */
	double batch_at;  /* when it was taken (monotonic seconds) */
	double batch_s;	  /* the wall seconds its pace said it would take */
	int last;	  /* the run has ended: no batch after the one under way */
	int ended;	  /* the reader has seen to the run's end (the child may end) */
	int recorded;	  /* cfg->ran was called */
	/* regrouping: REGROUP_NOT_YET, then REGROUP_AT_END (it did not fit
	 * while the run went on: the end may try), then REGROUP_DONE */
	int regroup;
	int regrouping; /* the batch under way is a regroup */
} child;

enum { REGROUP_NOT_YET, REGROUP_AT_END, REGROUP_DONE };

/* CPU seconds of the child (every thread) and of the programs it waited for
 * (the assembler and linker GCC runs). */
static double child_cpu(void)
{
	struct timespec t;
	struct rusage ru;
	double s = 0;
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) == 0)
		s = (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
	if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
		s += (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
	return s;
}

/* The run's CPU seconds since the child began (its wall seconds where the
 * run's clock cannot be read). */
static double run_cpu(const child *c)
{
	struct timespec t;
	if (c->run_clock && clock_gettime(c->run, &t) == 0)
		return (double)t.tv_sec + (double)t.tv_nsec * 1e-9 - c->run0;
	return wt_clock_seconds() - c->t0;
}

/* CPU seconds the budget leaves the child now: share of the run's CPU
 * seconds since it began, plus WT_TIERUP_ALLOW_S, less what it took (1e9:
 * no budget). Against the run's CPU, not the wall clock: on a busy machine
 * a run's wall time is many times its CPU time. */
static double cpu_left(const child *c)
{
	if (c->share <= 0)
		return 1e9;
	return c->share * run_cpu(c) + WT_TIERUP_ALLOW_S - child_cpu();
}

/* Waits on c->cv (a new index, the end of the pipe) for at most s seconds;
 * 0 when woken, ETIMEDOUT. Called with c->mu held. */
static int wait_for(child *c, double s)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (time_t)s;
	until.tv_nsec += (long)((s - (double)(time_t)s) * 1e9);
	if (until.tv_nsec >= 1000000000L)
		until.tv_sec++, until.tv_nsec -= 1000000000L;
	return pthread_cond_timedwait(&c->cv, &c->mu, &until);
}

/* Waits while the pipe holds names the reader thread has not taken yet (a
 * busy machine can leave it unscheduled after its first read), so that a
 * pick weighs every name written before it; at most DRAIN_MS, as a run
 * naming without pause could keep the pipe from ever being empty. Called
 * with c->mu held. */
static void drain_wait(child *c)
{
	double until = wt_clock_seconds() + WT_TIERUP_DRAIN_MS / 1000.0, now;
	int queued;
	while (!c->eof && ioctl(c->fd, FIONREAD, &queued) == 0 && queued > 0 &&
	       (now = wt_clock_seconds()) < until)
		wait_for(c, until - now);
}

/* Takes one index from the pipe: a defined function not in a batch yet
 * waits, one degree hotter each time it is named (the run names a function
 * again after as many more calls and back-edges); anything else is
 * ignored. Called with c->mu held. */
static void child_take(child *c, uint32_t f)
{
	if (f < c->first || f >= c->nfuncs || c->taken[f])
		return;
	if (c->heat[f] == 0)
		c->wait[c->nwait++] = f;
	if (c->heat[f] < UINT16_MAX && ++c->heat[f] == c->min_heat)
		c->nready++;
}

/* A function's weight for the pace: the bytes of its body, more than in
 * proportion for a big one (GCC's time grows faster than the code: its
 * register allocation and value numbering on a function of 93 KB took
 * 0.28 s a KB, on functions of 1-5 KB 0.05-0.1 s a KB: Yosys,
 * tests/bench/jit-cost). */
static double weight(const child *c, uint32_t f)
{
	double b = (double)c->module->funcs[f].body_size + 1;
	return b * (1 + b / WT_TIERUP_BIG_BYTES);
}

/* Whether f's compile is a long shot: expected to take longer than a batch
 * should while the run goes on (a compile the run's end may cut short). */
static int long_shot(const child *c, uint32_t f)
{
	return c->cpb * weight(c, f) > WT_TIERUP_BATCH_S;
}

/* The wall seconds the ready waiting functions (long shots left out: the
 * grace does not start them) would take at the child's pace, and their CPU
 * seconds in *cpu. Called with c->mu held. */
static double ready_s(const child *c, double *cpu)
{
	double w = 0;
	for (uint32_t i = 0; i < c->nwait; i++) {
		uint32_t f = c->wait[i];
		if (c->heat[f] >= c->min_heat && !long_shot(c, f))
			w += weight(c, f);
	}
	*cpu = w * c->cpb;
	return w * c->spb;
}

/* Seconds left before the run's expected end (cfg->expected) less the
 * margin, by which a batch started now should end; 1e9 without an
 * expectation, or once the run has outlived it. */
static double until_end(const child *c)
{
	double e = c->cfg->expected, t = wt_clock_seconds() - c->t0;
	if (e <= 0 || t >= e)
		return 1e9;
	return e - t - WT_TIERUP_MARGIN_S;
}

/* Lists the long shot under way, if any (so that no later run starts it
 * late again, to lose it again), saying whether it had its chance: started
 * in the run's first half. Called with c->mu held, which it releases. */
static void list_shot(child *c)
{
	uint32_t shot = c->shot;
	int had_its_chance = c->shot_at - c->t0 <= c->eof_at - c->shot_at;
	pthread_mutex_unlock(&c->mu);
	if (shot != WT_TIERUP_STOP && c->cfg->long_shot)
		c->cfg->long_shot(c->cfg->ctx, shot, had_its_chance);
}

/* The child ends without its cleanup: what setup made goes (cfg->discard), with the files of a
 * batch under way. Called with c->mu held. */
static void discard(child *c)
{
	if (c->set_up && c->cfg->discard)
		c->cfg->discard(c->cfg->ctx);
}

/* The child ends, maybe with its batch under way: the long shot listed, a cut regroup
 * recorded, then discard(). Called with c->mu held, which it releases. */
static void end_busy(child *c)
{
	int cut = c->busy && c->set_up && c->regrouping;
	list_shot(c);
	if (cut && c->cfg->regroup_cut)
		c->cfg->regroup_cut(c->cfg->ctx);
	discard(c);
}

/* What the end of the run does (grace()). */
typedef enum { END_CONVERGE, END_FINISH, END_STOP } end_plan;

/* The wall seconds the batch under way should still take by its pace (0:
 * none); one that overran its prediction, as long again as it overran. */
static double busy_left(const child *c, double now)
{
	if (!c->busy)
		return 0;
	double end = c->batch_at + c->batch_s;
	return end >= now ? end - now : now - end;
}

/* Whether the end waits for the child to converge (the batch under way and
 * every ready function fit in the grace and the CPU budget), for the batch
 * under way only (it ends within WT_TIERUP_FINISH_S), or not at all: what
 * is left would take runs more, and waiting for part of it costs every run
 * the grace (Yosys: 3 s of its 16). Called with c->mu held. */
static end_plan plan_end(const child *c)
{
	double now = wt_clock_seconds(), cpu, rest = ready_s(c, &cpu), busy = busy_left(c, now);
	if (busy + rest <= (double)c->grace - WT_TIERUP_MARGIN_S &&
	    (rest == 0 || cpu <= cpu_left(c)))
		return END_CONVERGE;
	return c->busy && busy <= WT_TIERUP_FINISH_S ? END_FINISH : END_STOP;
}

/* The end of the pipe (the run has ended): the run's length is recorded
 * (cfg->ran); then, as plan_end says, the child has c->grace seconds left
 * (to converge, or to finish its batch), or ends at once. When the grace
 * ends with its main thread still compiling, it dies of SIGALRM (the batch
 * is lost); either way it lists a long shot it was on first. An alarm a
 * little later stands behind it. Called with c->mu held, which it
 * releases. */
static void grace(child *c)
{
	c->eof = 1;
	c->eof_at = wt_clock_seconds();
	end_plan plan = plan_end(c);
	c->last = plan == END_FINISH;
	alarm(c->grace + WT_TIERUP_BACKSTOP_S); /* SIGALRM's default action ends the child */
	pthread_cond_broadcast(&c->cv);
	int set_up = c->recorded = c->set_up;
	pthread_mutex_unlock(&c->mu);
	if (set_up && c->cfg->ran)
		c->cfg->ran(c->cfg->ctx, c->eof_at - c->t0);
	pthread_mutex_lock(&c->mu);
	c->ended = 1;
	pthread_cond_broadcast(&c->cv);
	if (getenv("WT_JIT_STATS")) {
		double cpu, rest = ready_s(c, &cpu);
		fprintf(
		    stderr,
		    "wasi-tofu: tier-up: end: the run ended after %.1f s (expected %.1f s); left: "
		    "%.1f s ready, %.1f s under way: ",
		    c->eof_at - c->t0, c->cfg->expected, rest, busy_left(c, c->eof_at));
		if (plan == END_CONVERGE)
			fputs("it fits, compiling it\n", stderr);
		else if (plan == END_FINISH)
			fputs("finishing the batch under way\n", stderr);
		else
			fputs("stopping at once\n", stderr);
	}
	if (plan == END_STOP) {
		end_busy(c);
		_exit(0); /* what it was compiling is lost, as on a stop index */
	}
	double end = c->eof_at + c->grace, now;
	while ((now = wt_clock_seconds()) < end)
		wait_for(c, end - now);
	end_busy(c);
	raise(SIGALRM);
}

/* The reader thread: whole 4-byte indices (a short read keeps its bytes
 * for the next); at the end of the pipe it starts the grace period. */
static void *child_reader(void *arg)
{
	child *c = arg;
	uint8_t buf[1024];
	size_t have = 0;
	for (;;) {
		ssize_t n = read(c->fd, buf + have, sizeof buf - have);
		if (n < 0 && errno == EINTR)
			continue;
		pthread_mutex_lock(&c->mu);
		if (n <= 0) {
			grace(c);
			return NULL;
		}
		have += (size_t)n;
		size_t whole = have / 4 * 4;
		for (size_t i = 0; i < whole; i += 4) {
			uint32_t f;
			memcpy(&f, buf + i, 4);
			if (f == WT_TIERUP_STOP) { /* the run was cut short: so is the child */
				discard(c);
				_exit(0);
			}
			child_take(c, f);
		}
		memmove(buf, buf + whole, have - whole);
		have -= whole;
		pthread_cond_signal(&c->cv);
		pthread_mutex_unlock(&c->mu);
	}
}

/* The child's descriptors: the pipe as fd 3, stdin and stdout (and stderr
 * unless keep_err) on /dev/null, every other one closed. The pipe's fd
 * afterwards, or -1. */
static int child_fds(int rfd, int keep_err)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (rfd < 3 && (rfd = fcntl(rfd, F_DUPFD, 3)) < 0)
		return -1;
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || (!keep_err && dup2(null, 2) < 0))
		return -1;
	if (rfd != 3 && dup2(rfd, 3) < 0)
		return -1;
	if (close_range(4, ~0u, 0) != 0) {
		long max = sysconf(_SC_OPEN_MAX);
		for (long fd = 4; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
			close((int)fd);
	}
	return 3;
}

static int by_key_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Whether an earlier run cut f's compile short (cfg->again). */
static int again(const child *c, uint32_t f)
{
	return c->cfg->again && c->cfg->again[f];
}

/* Moves the hottest waiting functions (the smaller one first among equals:
 * more of them compiled for the same GCC time; first of all those an
 * earlier run cut short, which have the most time at the start of a run;
 * only those named min_heat times) whose weights add up to at most room
 * bytes, at most max of them, to out; while the run goes on, the hottest
 * at least (the budget was not spent) if it fits in hard (what ends before
 * the run's expected end); a long shot only while the run goes on. The
 * rest keep their order. Returns how many. Called with c->mu held. */
static uint32_t pick_hottest(child *c, uint32_t *out, uint32_t max, double room, double hard)
{
	uint32_t n = 0, ready = c->nready;
	double bytes = 0;
	for (uint32_t i = 0; i < c->nwait; i++) { /* heat, then the smaller first */
		uint32_t size = c->module->funcs[c->wait[i]].body_size;
		uint64_t small = size < 0xffffu ? 0xffffu - size : 0;
		uint64_t heat = again(c, c->wait[i]) ? UINT16_MAX : c->heat[c->wait[i]];
		c->keys[i] = heat << 48 | small << 32 | (UINT32_MAX - i);
	}
	qsort(c->keys, c->nwait, sizeof *c->keys, by_key_desc);
	for (uint32_t k = 0; k < ready && n < max; k++) { /* the ready ones lead */
		uint32_t f = c->wait[UINT32_MAX - (uint32_t)c->keys[k]];
		double w = weight(c, f);
		if ((bytes + w > room && (n > 0 || c->eof)) || bytes + w > hard)
			continue; /* a smaller one may fit */
		if (c->eof && long_shot(c, f))
			continue; /* the grace would cut it short */
		bytes += w;
		out[n++] = f;
		c->taken[f] = 1;
		c->nready--;
	}
	uint32_t kept = 0;
	for (uint32_t i = 0; i < c->nwait; i++)
		if (!c->taken[c->wait[i]])
			c->wait[kept++] = c->wait[i];
	c->nwait = kept;
	return n;
}

/* The bytes of code the next batch may hold at the child's pace: while the
 * run goes on, WT_TIERUP_BATCH_S worth, and in *hard what ends before the
 * run's expected end (until_end; 1e300: no bound); once it has ended, what
 * fits in the grace left; and no more than the CPU budget leaves (0 when
 * it is spent). Called with c->mu held. */
static double batch_room(const child *c, double *hard)
{
	double s = WT_TIERUP_BATCH_S, left = cpu_left(c), u = until_end(c);
	*hard = 1e300;
	if (c->eof) {
		s = (double)c->grace - (wt_clock_seconds() - c->eof_at) - WT_TIERUP_MARGIN_S;
	} else if (u < 1e9) {
		*hard = u > 0 ? u / c->spb : 0;
		s = s < u ? s : u;
	}
	double room = s / c->spb;
	if (left <= 0 || room <= 0)
		return 0;
	return room < left / c->cpb ? room : left / c->cpb;
}

/* While the run goes on and the child's CPU budget leaves less than
 * WT_TIERUP_BATCH_CPU, it waits for the budget to grow with the run's CPU
 * time (or the run to end): a batch cut to a sliver of budget would hold
 * one function, and pieces of one function never call each other
 * directly (Lua: 84 pieces of 87 functions, its steady runs slower).
 * Called with c->mu held. */
static void budget_wait(child *c)
{
	double left;
	while (!c->eof && (left = cpu_left(c)) < WT_TIERUP_BATCH_CPU) {
		double wait = (WT_TIERUP_BATCH_CPU - left) / c->share;
		wait_for(c, (wait < 1 ? wait : 1) + 0.001);
	}
}

/* The batch out[0..n) is under way from now: its predicted wall seconds,
 * and whether it is a long shot (one function, while the run goes on).
 * Called with c->mu held. */
static void start_batch(child *c, const uint32_t *out, uint32_t n)
{
	double bytes = 0;
	for (uint32_t k = 0; k < n; k++)
		bytes += weight(c, out[k]);
	c->busy = 1;
	c->batch_at = wt_clock_seconds();
	c->batch_s = bytes * c->spb;
	if (!c->eof && n == 1 && long_shot(c, out[0])) {
		c->shot = out[0];
		c->shot_at = c->batch_at;
	}
}

/* The weight of piece k's functions (cfg->piece_funcs). */
static double piece_weight(const child *c, uint32_t k)
{
	const wt_tierup_config *g = c->cfg;
	double w = 0;
	for (uint32_t i = g->piece_at[k]; i < g->piece_at[k + 1]; i++)
		if (g->piece_funcs[i] >= c->first && g->piece_funcs[i] < c->nfuncs)
			w += weight(c, g->piece_funcs[i]);
	return w;
}

/* The wall seconds a regroup may take from now and, in *cpu, its CPU seconds: while the run
 * goes on, until its expected end for a regroup (cfg->regroup_expected; none without one, or
 * once outlived) and the CPU budget it will have then (the run's CPU going on at its pace so
 * far); after the run, the grace and budget left, but no more than WT_TIERUP_FINISH_S: the end
 * of a run waits that long at most for a batch that only speeds later runs up (a regroup
 * filling the grace made SQLite's converged 1.9 s run wait 1.9 s more). 0: not now. Called
 * with c->mu held. */
static double regroup_room(const child *c, double *cpu)
{
	double now = wt_clock_seconds(), since = now - c->t0, e = c->cfg->regroup_expected;
	*cpu = cpu_left(c);
	if (c->eof) {
		double g = (double)c->grace - (now - c->eof_at) - WT_TIERUP_MARGIN_S;
		return g < WT_TIERUP_FINISH_S ? g : WT_TIERUP_FINISH_S;
	}
	if (e <= 0 || since <= 0 || since + WT_TIERUP_MARGIN_S >= e)
		return 0;
	double u = e - since - WT_TIERUP_MARGIN_S;
	if (c->share > 0)
		*cpu += c->share * u * (run_cpu(c) / since);
	return u;
}

static int by_weight(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Picks the pieces of the regroup into out: the lightest first, while the pace says their
 * compile ends within room wall seconds and cpu CPU seconds. Their count, 0 when fewer than two
 * fit. Called with c->mu held. */
static uint32_t pick_pieces(const child *c, uint32_t *out, double room, double cpu)
{
	uint32_t np = c->cfg->npieces, n = 0;
	double *keyed = malloc(((size_t)np + 1) * 2 * sizeof *keyed), w = 0;
	if (!keyed)
		return 0;
	for (uint32_t k = 0; k < np; k++)
		keyed[2 * k] = piece_weight(c, k), keyed[2 * k + 1] = k;
	qsort(keyed, np, 2 * sizeof *keyed, by_weight);
	for (uint32_t k = 0;
	     k < np && (w + keyed[2 * k]) * c->spb <= room && (w + keyed[2 * k]) * c->cpb <= cpu;
	     k++) {
		w += keyed[2 * k];
		out[n++] = (uint32_t)keyed[2 * k + 1];
	}
	free(keyed);
	return n >= 2 ? n : 0;
}

/* Whether the child may still regroup: it has the callback, enough pieces, and has not done
 * so (or found that none fit after the run). Called with c->mu held. */
static int may_regroup(const child *c)
{
	const wt_tierup_config *g = c->cfg;
	return g->regroup && g->regroup_min && g->npieces >= g->regroup_min && g->npieces >= 2 &&
	       c->regroup != REGROUP_DONE;
}

/* Seconds until the child may consider a regroup while the run goes on (0: now; -1: not
 * before the run's end, nor at all once it compiled a batch in this run). Called with c->mu
 * held. */
static double regroup_wait(const child *c)
{
	if (!may_regroup(c) || c->regroup != REGROUP_NOT_YET || c->batches)
		return -1; /* a run that compiled something has not converged */
	double since = wt_clock_seconds() - c->t0;
	return since >= WT_TIERUP_SETTLE_S ? 0 : WT_TIERUP_SETTLE_S - since;
}

/* With nothing ready, the regroup's pieces into out when it is its time and they fit (else
 * 0): once while the run goes on, WT_TIERUP_SETTLE_S into it, and once after it when they did
 * not fit then (or the run was shorter). Called with c->mu held. */
static uint32_t try_regroup(child *c, uint32_t *out)
{
	double cpu, room;
	uint32_t n;
	if (c->nready || c->last || c->busy || !may_regroup(c) || (!c->eof && regroup_wait(c) != 0))
		return 0;
	room = regroup_room(c, &cpu);
	n = room > 0 ? pick_pieces(c, out, room, cpu) : 0;
	if (getenv("WT_JIT_STATS") && !n && room > 0)
		fprintf(stderr,
			c->eof ? "wasi-tofu: tier-up: regroup: %u pieces, no two fit in the grace "
				 "(%.1f s, %.1f s of CPU left)\n"
			       : "wasi-tofu: tier-up: regroup: %u pieces, no two fit before the "
				 "expected end (%.1f s, %.1f s of CPU left)\n",
			c->cfg->npieces, room, cpu);
	c->regroup = n || c->eof ? REGROUP_DONE : REGROUP_AT_END;
	return n;
}

/* The regroup of pieces out[0..n) is under way from now (as start_batch). Called with c->mu
 * held. */
static void start_regroup(child *c, const uint32_t *out, uint32_t n)
{
	double w = 0;
	for (uint32_t k = 0; k < n; k++)
		w += piece_weight(c, out[k]);
	c->busy = 1;
	c->regrouping = 1;
	c->batch_at = wt_clock_seconds();
	c->batch_s = w * c->spb;
}

/* Takes the hottest waiting functions that batch_room leaves room for into
 * out (at most max; the first batch at most WT_TIERUP_FIRST_BATCH), marked
 * under way; 0 when none waits and the pipe has ended, or the run has ended
 * and none fits in the grace or the budget left, or the end finishes the
 * batch under way only. Blocks while none waits, the budget is spent, or
 * (the run going on) none would end before the run's expected end. With
 * nothing ready, it may instead return a regroup (try_regroup): the
 * numbers of the pieces in out, and *regroup set. */
static uint32_t child_next(child *c, uint32_t *out, uint32_t max, int *regroup)
{
	uint32_t n;
	pthread_mutex_lock(&c->mu);
	*regroup = 0;
	if (!c->batches && max > WT_TIERUP_FIRST_BATCH)
		max = WT_TIERUP_FIRST_BATCH;
	for (;;) {
		while (c->nready == 0 && !c->eof) {
			double until = regroup_wait(c);
			if (until == 0 && (n = try_regroup(c, out)) > 0)
				goto regroup;
			if (until > 0)
				wait_for(c, until);
			else
				pthread_cond_wait(&c->cv, &c->mu);
		}
		if (c->nready < max && !c->eof) {
			/* functions turn hot in bursts: a short wait fills the batch,
			 * and one compile of several costs less than one of each */
			double until = wt_clock_seconds() + WT_TIERUP_GATHER_MS / 1000.0, now;
			while (c->nready < max && !c->eof && (now = wt_clock_seconds()) < until &&
			       wait_for(c, until - now) == 0)
				;
		}
		budget_wait(c);
		drain_wait(c);
		double hard, room = batch_room(c, &hard);
		n = room > 0 && !c->last ? pick_hottest(c, out, max, room, hard) : 0;
		if (n == 0 && c->eof && (n = try_regroup(c, out)) > 0)
			goto regroup;
		if (n > 0 || c->eof)
			break;
		/* none ends before the run's expected end: wait for that end, a
		 * new name (a smaller function may fit), or the run to outlive it */
		double wait = c->cfg->expected - (wt_clock_seconds() - c->t0);
		wait_for(c, wait > 0.001 ? wait : 0.001);
	}
	if (n > 0)
		start_batch(c, out, n);
	pthread_mutex_unlock(&c->mu);
	return n;
regroup:
	*regroup = 1;
	start_regroup(c, out, n);
	pthread_mutex_unlock(&c->mu);
	return n;
}

/* One batch compiled while the run goes on, on a process that may use one
 * CPU only: in a thread of its own, niced (Linux's nice is a thread's, and
 * the assembler and linker GCC starts inherit it), so the guest comes
 * first on its one core; after the run the child's main thread compiles at
 * its own priority, the run waiting on it. Not with more CPUs: the guest
 * has its own, and on a busy machine a niced batch starves behind every
 * other process, past the grace (it could not be made un-niced at the
 * run's end without privilege), so nothing would ever be compiled. */
typedef struct niced {
	wt_tierup_compile_fn fn; /* cfg->compile, or cfg->regroup */
	const wt_tierup_config *cfg;
	wt_instance *inst;
	const uint32_t *funcs;
	uint32_t n;
} niced;

static void *niced_compile(void *arg)
{
	niced *b = arg;
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), WT_TIERUP_NICE);
	b->fn(b->cfg->ctx, b->inst, b->funcs, b->n);
	return NULL;
}

/* Compiles the batch funcs[0..n), or, with regroup, regroups the pieces numbered so. */
static void compile(const wt_tierup_config *cfg, wt_instance *inst, const uint32_t *funcs,
		    uint32_t n, int run_going, int regroup)
{
	niced b = {regroup ? cfg->regroup : cfg->compile, cfg, inst, funcs, n};
	pthread_t th;
	if (run_going && wt_cpus_usable() == 1 && pthread_create(&th, NULL, niced_compile, &b) == 0)
		pthread_join(th, NULL);
	else
		b.fn(cfg->ctx, inst, funcs, n);
}

static _Noreturn void child_main(int rfd, wt_instance *inst, const wt_tierup_config *cfg)
{
	child c = {.first = inst->module->nfunc_imports, .nfuncs = inst->module->nfuncs};
	uint32_t max = cfg->batch ? cfg->batch : WT_TIERUP_BATCH_MAX, n;
	pthread_t reader;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	c.fd = child_fds(rfd, getenv("WT_JIT_STATS") != NULL);
	c.grace = cfg->grace ? cfg->grace : WT_TIERUP_GRACE;
	c.min_heat = cfg->min_heat ? cfg->min_heat : 1;
	c.share = cfg->cpu_share;
	c.t0 = wt_clock_seconds();
	struct timespec rt;
	c.run_clock = clock_getcpuclockid(getppid(), &c.run) == 0 && clock_gettime(c.run, &rt) == 0;
	c.run0 = c.run_clock ? (double)rt.tv_sec + (double)rt.tv_nsec * 1e-9 : 0;
	c.spb = cfg->pace[0] > 0 ? cfg->pace[0] : WT_TIERUP_FIRST_SPB;
	c.cpb = cfg->pace[1] > 0 ? cfg->pace[1] : WT_TIERUP_FIRST_SPB;
	c.module = inst->module;
	c.cfg = cfg;
	c.shot = WT_TIERUP_STOP;
	c.heat = calloc(c.nfuncs + 1, sizeof *c.heat);
	c.taken = calloc(c.nfuncs + 1, 1);
	c.wait = calloc(c.nfuncs + 1, sizeof *c.wait);
	c.keys = calloc(c.nfuncs + 1, sizeof *c.keys);
	uint32_t *batch = calloc(max > cfg->npieces ? max : cfg->npieces, sizeof *batch);
	if (c.fd < 0 || !c.heat || !c.taken || !c.wait || !c.keys || !batch ||
	    pthread_mutex_init(&c.mu, NULL) || pthread_cond_init(&c.cv, NULL) ||
	    pthread_create(&reader, NULL, child_reader, &c))
		_exit(1);
	/* a child whose setup failed still reads to the end of the pipe */
	int first = 1, broken = 0, regroup;
	for (; (n = child_next(&c, batch, max, &regroup)) > 0; first = 0) {
		if (first && cfg->setup && cfg->setup(cfg->ctx))
			broken = 1;
		pthread_mutex_lock(&c.mu);
		c.set_up = !broken;
		c.busy = c.regrouping = !broken;
		c.regrouping &= regroup;
		c.shot = broken ? WT_TIERUP_STOP : c.shot;
		int going = !c.eof;
		pthread_mutex_unlock(&c.mu);
		if (broken)
			continue;
		double t0 = wt_clock_seconds(), cpu0 = child_cpu(), bytes = 0;
		for (uint32_t k = 0; k < n; k++)
			bytes += regroup ? piece_weight(&c, batch[k]) : weight(&c, batch[k]);
		compile(cfg, inst, batch, n, going, regroup);
		pthread_mutex_lock(&c.mu); /* this machine, this module: the guess goes */
		c.shot = WT_TIERUP_STOP;
		c.busy = c.regrouping = 0;
		double w = c.batches ? 0.5 : 1.0;
		c.spb = (1 - w) * c.spb + w * (wt_clock_seconds() - t0) / bytes;
		c.cpb = (1 - w) * c.cpb + w * (child_cpu() - cpu0) / bytes;
		c.batches++;
		pthread_mutex_unlock(&c.mu);
	}
	pthread_mutex_lock(&c.mu); /* the run's end is recorded before the child ends */
	while (!c.ended)
		pthread_cond_wait(&c.cv, &c.mu);
	int record = c.set_up && !c.recorded; /* set up after the run's end */
	pthread_mutex_unlock(&c.mu);
	if (first && cfg->record_always) { /* nothing compiled: set up to record */
		broken = cfg->setup && cfg->setup(cfg->ctx);
		record = !broken;
		first = 0;
	}
	if (record && cfg->ran)
		cfg->ran(cfg->ctx, c.eof_at - c.t0);
	if (cfg->paced && c.batches && !broken)
		cfg->paced(cfg->ctx, (double[2]){c.spb, c.cpb});
	if (cfg->cleanup && !first && !broken)
		cfg->cleanup(cfg->ctx);
	_exit(0); /* no exit handlers: they are the run's */
}

int wt_tierup_start(wt_instance *inst, const wt_tierup_config *cfg, wt_tierup **out, wt_error *err)
{
	wt_tierup *t = calloc(1, sizeof *t);
	int p[2];

	*out = NULL;
	if (!t)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	if (pipe2(p, O_CLOEXEC) != 0) {
		free(t);
		return wt_fail_plain(err, WT_IO, "the compile child: %s", strerror(errno));
	}
	fflush(NULL); /* nothing buffered is written twice */
	t->pid = fork();
	if (t->pid == 0) {
		close(p[1]);
		child_main(p[0], inst, cfg);
	}
	if (t->pid < 0 || fcntl(p[1], F_SETFL, O_NONBLOCK) != 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		if (t->pid > 0)
			waitpid(t->pid, NULL, 0);
		free(t);
		return wt_fail_plain(err, WT_IO, "the compile child: %s", strerror(e));
	}
	t->wfd = p[1];
	t->rfd = p[0];
	*out = t;
	return 0;
}

void wt_tierup_note(wt_tierup *t, uint32_t func_index)
{
	if (!t)
		return;
	if (write(t->wfd, &func_index, sizeof func_index) == (ssize_t)sizeof func_index)
		t->noted++;
	else
		t->dropped++;
}

void wt_tierup_finish(wt_tierup *t, int abandon, wt_tierup_stats *stats)
{
	uint32_t stop = WT_TIERUP_STOP;
	int status = 0;
	if (!t)
		return;
	if (abandon && write(t->wfd, &stop, sizeof stop) != (ssize_t)sizeof stop)
		t->dropped++; /* a full pipe: the child takes its grace */
	close(t->wfd);
	close(t->rfd);
	while (waitpid(t->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (stats)
		*stats = (wt_tierup_stats){t->noted, t->dropped, status};
	free(t);
}
