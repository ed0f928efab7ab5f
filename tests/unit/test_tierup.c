/* test_tierup.c: the compile child (core/jit/tierup.c): the hot functions of a run reach it, each
 * once, nothing else does; it holds no descriptor of the run; a confined run can still talk to it
 * and wait for it; its grace bounds the wait. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "confine.h"
#include "store.h"
#include "tierup.h"
#include "wasi.h"
#include "wt_test_util.h"

static char dir[64], outfile[128];

/* A folder for the one file the child writes. */
static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/wt-tierup-XXXXXX");
	snprintf(outfile, sizeof outfile, "%s/out", mkdtemp(dir) ? dir : "/nonexistent");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(outfile);
	return rmdir(dir);
}

static char *slurp(const char *path)
{
	static char buf[1024];
	FILE *f = fopen(path, "r");
	size_t n = 0;
	buf[0] = '\0';
	if (f) {
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/* The indices in the file, one a line, sorted: "1 2 ". */
static char *indices(const char *path)
{
	static char line[256];
	unsigned v[32], n = 0, len = 0;
	FILE *f = fopen(path, "r");
	while (f && n < 32 && fscanf(f, "%u", &v[n]) == 1)
		n++;
	if (f)
		fclose(f);
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++)
			if (v[j] < v[i]) {
				unsigned t = v[i];
				v[i] = v[j], v[j] = t;
			}
	line[0] = '\0';
	for (unsigned i = 0; i < n; i++)
		len += (unsigned)snprintf(line + len, sizeof line - len, "%u ", v[i]);
	return line;
}

/* Appends base + v[i] for each i, one a line, to the file path. */
static int append(const char *path, const uint32_t *v, uint32_t n, uint32_t base)
{
	FILE *f = fopen(path, "a");
	if (!f)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		fprintf(f, "%u\n", base + v[i]);
	fclose(f);
	return 0;
}

/* The test's compile callback, in the child: appends "f" for each index. */
static int record(void *ctx, wt_instance *inst, const uint32_t *funcs, uint32_t n)
{
	(void)inst;
	return append(ctx, funcs, n, 0);
}

/* The child's open descriptors, "0 1 2 3 " (its directory's own left out). */
static int list_fds(void *ctx, wt_instance *inst, const uint32_t *funcs, uint32_t n)
{
	char line[256] = "";
	size_t len = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	(void)inst, (void)funcs, (void)n;
	if (!d)
		return -1;
	int mine = dirfd(d);
	int fds[64], nfd = 0;
	while ((e = readdir(d)) && nfd < 64)
		if (e->d_name[0] != '.' && atoi(e->d_name) != mine)
			fds[nfd++] = atoi(e->d_name);
	closedir(d);
	for (int i = 0; i < nfd; i++) /* readdir's order is the kernel's: sort */
		for (int j = i + 1; j < nfd; j++)
			if (fds[j] < fds[i]) {
				int t = fds[i];
				fds[i] = fds[j], fds[j] = t;
			}
	for (int i = 0; i < nfd; i++)
		len += (size_t)snprintf(line + len, sizeof line - len, "%d ", fds[i]);
	FILE *f = fopen(ctx, "w");
	if (!f)
		return -1;
	fputs(line, f);
	fclose(f);
	return 0;
}

static int stall(void *ctx, wt_instance *inst, const uint32_t *funcs, uint32_t n)
{
	(void)ctx, (void)inst, (void)funcs, (void)n;
	for (;;)
		pause();
	return 0;
}

/* ---- a module: one import, a hot loop, a leaf called often, a cold function ---- */

static const char hot_wat[] =
    "(module\n"
    " (import \"env\" \"f\" (func $imp))\n"
    " (func $leaf (param i32) (result i32) local.get 0 i32.const 1 i32.add)\n"
    " (func $spin (param i32) (result i32)\n"
    "   loop $l local.get 0 call $leaf drop\n"
    "     local.get 0 i32.const 1 i32.sub local.tee 0 br_if $l end local.get 0)\n"
    " (func $cold (result i32) i32.const 3 call $spin)\n"
    " (func (export \"main\") (result i32) call $cold drop i32.const 5000 call $spin))\n";

static int host_nop(wt_host_call *call, const wt_slot *args, wt_slot *results)
{
	(void)call, (void)args, (void)results;
	return 0;
}

static int resolve(void *ctx, const wt_module *m, const wt_import *imp, wt_extern *out,
		   wt_error *err)
{
	(void)err;
	out->kind = WT_EXTERN_FUNC;
	out->u.func = wt_func_new_host(ctx, &m->types[imp->desc.type_index], host_nop, NULL);
	return out->u.func ? 0 : WT_NOMEM;
}

typedef struct run {
	uint8_t *bytes;
	size_t size;
	wt_module *m;
	wt_store *s;
	wt_instance *inst;
} run;

static void run_load(run *r)
{
	wt_error err;
	memset(r, 0, sizeof *r);
	wt_error_init(&err);
	assert_int_equal(wt_test_wat_bytes(hot_wat, "", &r->bytes, &r->size), 0);
	assert_int_equal(wt_decode(r->bytes, r->size, &r->m, &err), 0);
	assert_int_equal(wt_validate(r->m, &err), 0);
	assert_non_null(r->s = wt_store_new(NULL));
	assert_int_equal(wt_instantiate_begin(r->s, r->m, resolve, r->s, &r->inst, &err), 0);
}

static void run_free(run *r)
{
	wt_store_free(r->s);
	wt_module_free(r->m);
	free(r->bytes);
}

static int on_hot(void *ctx, wt_funcinst *f)
{
	wt_tierup_note(ctx, f->func_index);
	return 1;
}

/* Runs main with the hot hook feeding t (threshold 1000). */
static void run_main(run *r, wt_tierup *t)
{
	wt_trap trap;
	wt_error err;
	wt_extern e;
	wt_slot res = 0;
	wt_error_init(&err);
	wt_store_set_hot(r->s, 1000, on_hot, t);
	assert_int_equal(wt_instantiate_finish(r->inst, &trap, &err), 0);
	assert_int_equal(wt_instance_export(r->inst, "main", 4, &e), 0);
	assert_int_equal(wt_call(r->s, e.u.func, NULL, &res, &trap), 0);
	assert_int_equal(res, 0);
}

/* One run of main with a compile child of cfg; extra, when not NULL,
 * sends more before the end. The parent's figures. */
static wt_tierup_stats run_with(wt_tierup_config cfg, void (*extra)(wt_tierup *t), int abandon)
{
	run r;
	wt_tierup *t = NULL;
	wt_tierup_stats st;
	wt_error err;
	wt_error_init(&err);
	run_load(&r);
	assert_int_equal(wt_tierup_start(r.inst, &cfg, &t, &err), 0);
	run_main(&r, t);
	if (extra)
		extra(t);
	wt_tierup_finish(t, abandon, &st);
	run_free(&r);
	return st;
}

/* What the hook would never send: an import, indices past the module,
 * repeats of $leaf and $spin. */
static void send_junk(wt_tierup *t)
{
	wt_tierup_note(t, 0);
	wt_tierup_note(t, 5);
	wt_tierup_note(t, UINT32_MAX - 1);
	wt_tierup_note(t, 1);
	wt_tierup_note(t, 2);
}

/* The hot functions ($leaf: 5003 calls, $spin: 5000 back-edges) reach the
 * child's callback once each; $cold and main never; and what else comes
 * through the pipe is ignored. */
static void test_tierup_hot_set_arrives_once(void **state)
{
	(void)state;
	wt_tierup_stats st =
	    run_with((wt_tierup_config){.compile = record, .ctx = outfile}, send_junk, 0);
	assert_true(WIFEXITED(st.child_status));
	assert_int_equal(WEXITSTATUS(st.child_status), 0);
	assert_int_equal(st.noted, 7);
	assert_int_equal(st.dropped, 0);
	assert_string_equal(indices(outfile), "1 2 ");
}

/* The child holds no descriptor of the run: only /dev/null on 0..2 and
 * the pipe (3), whatever the run had open. */
static void test_tierup_child_closes_fds(void **state)
{
	int extra = dup(2), extra2 = dup(2);
	(void)state;
	assert_true(extra > 2 && extra2 > 2);
	run_with((wt_tierup_config){.compile = list_fds, .ctx = outfile}, NULL, 0);
	assert_string_equal(slurp(outfile), "0 1 2 3 ");
	close(extra), close(extra2);
}

/* The compile child confined by its setup hook (core/run's Landlock
 * rules for it): it writes beneath the folder it was given, not beside. */
static char beside[160];

static int confine_child(void *ctx)
{
	const char *writable[] = {dir};
	char why[160] = "";
	wt_error err;
	(void)ctx;
	wt_error_init(&err);
	if (wt_confine_compile_child(writable, 1, NULL, why, sizeof why, &err) != 0) {
		FILE *f = fopen(outfile, "w");
		if (f)
			fprintf(f, "confine failed: %s", err.msg), fclose(f);
		return 1;
	}
	return why[0] ? 1 : 0; /* no Landlock: nothing is compiled, the test skips */
}

static int write_both(void *ctx, wt_instance *inst, const uint32_t *funcs, uint32_t n)
{
	FILE *f = fopen(beside, "w");
	int wrote_beside = f != NULL;
	if (f)
		fclose(f);
	if (!(f = fopen(ctx, "w")))
		return -1;
	fprintf(f, "beside %d", wrote_beside);
	fclose(f);
	(void)inst, (void)funcs, (void)n;
	return 0;
}

static void test_tierup_child_confined(void **state)
{
	char other[] = "/tmp/wt-tierup-other-XXXXXX";
	(void)state;
	assert_non_null(mkdtemp(other));
	snprintf(beside, sizeof beside, "%s/x", other);
	wt_tierup_stats st = run_with(
	    (wt_tierup_config){.compile = write_both, .ctx = outfile, .setup = confine_child}, NULL,
	    0);
	unlink(beside);
	rmdir(other);
	assert_true(WIFEXITED(st.child_status));
	assert_int_equal(WEXITSTATUS(st.child_status), 0);
	if (!slurp(outfile)[0])
		skip(); /* no Landlock on this kernel: the setup said no, nothing compiled */
	assert_string_equal(slurp(outfile), "beside 0");
}

/* A child whose setup fails compiles nothing but still drains the pipe:
 * the run's writes after that neither fail nor raise SIGPIPE. */
static int refuse(void *ctx)
{
	(void)ctx;
	return 1;
}

static void notes_after_refusal(wt_tierup *t)
{
	usleep(100 * 1000); /* the child has failed its setup by now, or will */
	for (uint32_t i = 0; i < 20000; i++)
		wt_tierup_note(t, i);
}

static void test_tierup_setup_fails_quietly(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_DFL);
	wt_tierup_stats st =
	    run_with((wt_tierup_config){.compile = record, .ctx = outfile, .setup = refuse},
		     notes_after_refusal, 0);
	assert_true(WIFEXITED(st.child_status));
	assert_int_equal(WEXITSTATUS(st.child_status), 0);
	assert_string_equal(slurp(outfile), "");
	assert_int_equal(st.noted + st.dropped, 20002);
}

/* A child killed from outside (here: it dies on its first batch) does not
 * take the run with it: the run's later writes neither raise SIGPIPE, at
 * its default action, nor block; they fill the pipe, then are dropped. */
static int die(void *ctx)
{
	(void)ctx;
	_exit(9);
}

static void notes_after_death(wt_tierup *t)
{
	siginfo_t si;
	/* the child's only batch ($leaf, $spin) kills it: wait for that
	 * without reaping it (the run's finish does) */
	memset(&si, 0, sizeof si);
	while (waitid(P_ALL, 0, &si, WEXITED | WNOWAIT) != 0 && errno == EINTR)
		;
	for (uint32_t i = 0; i < 20000; i++)
		wt_tierup_note(t, i);
}

/* Runs body in a forked process (what it does there cannot touch the test's own: signal
 * dispositions, confinement); its exit status as waitpid gives it. */
static int status_of(int (*body)(void))
{
	int status;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(body());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static int killed_child_body(void)
{
	signal(SIGPIPE, SIG_DFL);
	wt_tierup_stats st =
	    run_with((wt_tierup_config){.compile = record, .ctx = outfile, .setup = die},
		     notes_after_death, 0);
	return WIFEXITED(st.child_status) && WEXITSTATUS(st.child_status) == 9 &&
		       st.noted + st.dropped == 20002 && st.dropped > 0
		   ? 0
		   : 3;
}

static void test_tierup_killed_child_no_sigpipe(void **state)
{
	int status;
	(void)state;
	status = status_of(killed_child_body);
	assert_false(WIFSIGNALED(status)); /* SIGPIPE before */
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* The hottest waiting function is compiled first: one batch at a time
 * (batch 1); while the first (main, 4) is held on a FIFO, $cold (3) is
 * named once, $leaf (1) three times, $spin (2) twice. */
static char fifo[160];

static int hold_first(void *ctx, wt_instance *inst, const uint32_t *funcs, uint32_t n)
{
	char c;
	if (funcs[0] == 4) {
		int fd = open(fifo, O_RDONLY);
		if (fd < 0 || read(fd, &c, 1) != 1)
			return -1;
		close(fd);
	}
	return record(ctx, inst, funcs, n);
}

/* The order the child compiles in, one batch at a time, when main (4) is
 * named first and held on a FIFO while the rest of names arrive. */
static const char *held_order(const uint32_t *names, size_t n, const uint8_t *again)
{
	wt_tierup_config cfg = {.compile = hold_first, .ctx = outfile, .batch = 1, .again = again};
	wt_tierup *t = NULL;
	wt_tierup_stats st;
	wt_error err;
	run r;
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	wt_error_init(&err);
	run_load(&r);
	assert_int_equal(wt_tierup_start(r.inst, &cfg, &t, &err), 0);
	wt_tierup_note(t, 4);
	int fd = open(fifo, O_WRONLY); /* returns once the child is in its first batch */
	assert_true(fd >= 0);
	for (size_t i = 0; i < n; i++)
		wt_tierup_note(t, names[i]);
	assert_int_equal(write(fd, "g", 1), 1);
	close(fd);
	wt_tierup_finish(t, 0, &st);
	run_free(&r);
	unlink(fifo);
	assert_true(WIFEXITED(st.child_status));
	return slurp(outfile);
}

static void test_tierup_hottest_first(void **state)
{
	const uint32_t names[] = {3, 1, 2, 1, 2, 1};
	(void)state;
	assert_string_equal(held_order(names, sizeof names / sizeof *names, NULL), "4\n1\n2\n3\n");
}

/* Among functions as hot, the smaller is compiled first ($leaf before
 * $spin, named first): more of them for the same GCC time. */
static void test_tierup_smaller_first_among_equals(void **state)
{
	const uint32_t names[] = {2, 1, 2, 1};
	(void)state;
	assert_string_equal(held_order(names, sizeof names / sizeof *names, NULL), "4\n1\n2\n");
}

/* A function an earlier run's end cut short (cfg.again: $spin) goes first,
 * however hot the others are ($leaf, named three times). */
static void test_tierup_cut_short_before_goes_first(void **state)
{
	static const uint8_t again[5] = {[2] = 1};
	const uint32_t names[] = {1, 1, 2, 1};
	(void)state;
	assert_string_equal(held_order(names, sizeof names / sizeof *names, again), "4\n2\n1\n");
}

/* With min_heat 2 a function named once (lukewarm) is never compiled; one
 * named twice or more is. */
static void name_some(wt_tierup *t)
{
	const uint32_t names[] = {1, 2, 3, 2, 3, 3};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		wt_tierup_note(t, names[i]);
}

static void test_tierup_lukewarm_left(void **state)
{
	run r;
	wt_tierup *t = NULL;
	wt_tierup_stats st;
	wt_tierup_config cfg = {.compile = record, .ctx = outfile, .min_heat = 2};
	wt_error err;
	(void)state;
	wt_error_init(&err);
	run_load(&r);
	assert_int_equal(wt_tierup_start(r.inst, &cfg, &t, &err), 0);
	name_some(t);
	wt_tierup_finish(t, 0, &st);
	run_free(&r);
	assert_true(WIFEXITED(st.child_status));
	assert_string_equal(indices(outfile), "2 3 ");
}

/* CPU seconds of this process. */
static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Burns s seconds of this process's CPU. */
static void burn_cpu(double s)
{
	double start = cpu_now();
	while (cpu_now() - start < s)
		;
}

/* The CPU budget bounds the child: at a share of almost nothing it has its
 * first second only, so of four functions whose compile burns 0.6 s of
 * CPU each, one is compiled (then 0.4 s is left, less than its pace), or
 * two (while the run goes on, a batch holds the hottest at least until the
 * budget is spent), and the child stops. */
static int burn(void *ctx, wt_instance *inst, const uint32_t *funcs, uint32_t n)
{
	burn_cpu(0.6);
	return record(ctx, inst, funcs, n);
}

/* Waits (at most 60 s) until the child's file says what. */
static void wait_for_line(const char *what)
{
	for (int i = 0; i < 6000 && !strstr(slurp(outfile), what); i++)
		usleep(10000);
	assert_non_null(strstr(slurp(outfile), what));
}

/* Long shots: $leaf (7 bytes) takes 1.5 s of CPU, so the child expects
 * $spin (21 bytes) to take about 4 s, longer than a batch should while the
 * run goes on (2 s). $spin's compile writes "S 2" when it starts, then
 * takes spin_s seconds (-1: never ends). */
static double spin_s;
/* Whether $leaf's compile sleeps its 1.5 s instead (wall time whatever the
 * load: the pace in wall seconds is known, the one in CPU seconds nil). */
static int leaf_sleeps;

static int burn_long(void *ctx, wt_instance *inst, const uint32_t *funcs, uint32_t n)
{
	if (funcs[0] == 2) {
		FILE *f = fopen(ctx, "a");
		if (f) {
			fputs("S 2\n", f);
			fclose(f);
		}
		while (spin_s < 0)
			pause();
		burn_cpu(spin_s);
	} else if (funcs[0] == 3) { /* $cold: 1.6 s, its pace says 1.3 s */
		FILE *f = fopen(ctx, "a");
		if (f) {
			fputs("S 3\n", f);
			fclose(f);
		}
		usleep(1600 * 1000);
	} else if (leaf_sleeps) {
		usleep(1500 * 1000);
	} else {
		burn_cpu(1.5);
	}
	return record(ctx, inst, funcs, n);
}

static void note_long_shot(void *ctx, uint32_t func, int had_its_chance)
{
	FILE *f = fopen(ctx, "a");
	if (f) {
		fprintf(f, "L %u%s\n", func, had_its_chance ? " had its chance" : "");
		fclose(f);
	}
}

/* The child ended with a batch under way: its files would go. */
static void note_discard(void *ctx)
{
	FILE *f = fopen(ctx, "a");
	if (f) {
		fputs("D\n", f);
		fclose(f);
	}
}

/* Wall seconds (monotonic). */
static double wall_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* $leaf, then (once it is compiled) $spin, named while the run goes on;
 * the run waits until the child is in $spin's compile (started: "S 2") or
 * half a second, then `after` times as long again as the run had lasted
 * when it started, and ends. What the child wrote; its wait status in
 * *status. */
static const char *leaf_then_spin(wt_tierup_config cfg, double after, int *status)
{
	wt_tierup *t = NULL;
	wt_tierup_stats st;
	wt_error err;
	run r;
	cfg.compile = burn_long;
	cfg.long_shot = note_long_shot;
	cfg.discard = note_discard;
	cfg.ctx = outfile;
	cfg.batch = 1;
	wt_error_init(&err);
	run_load(&r);
	double t0 = wall_now();
	assert_int_equal(wt_tierup_start(r.inst, &cfg, &t, &err), 0);
	wt_tierup_note(t, 1);
	wait_for_line("1\n");
	wt_tierup_note(t, 2);
	for (int i = 0; i < 50 && !strstr(slurp(outfile), "S 2"); i++)
		usleep(10000);
	usleep((useconds_t)(after * (wall_now() - t0) * 1e6));
	wt_tierup_finish(t, 0, &st);
	run_free(&r);
	*status = st.child_status;
	return slurp(outfile);
}

/* A long shot the run's end finds under way, predicted to take longer than
 * the grace ($spin: about 4 s, the grace 2 s), is cut short at once (the
 * run does not wait its grace for it: before, the child died of SIGALRM
 * when the grace ran out) and listed before the child ends: started late
 * in the run (it had not its chance: the next run starts it first), or in
 * its first half (the run ran as long again after it started: a run of
 * this length cannot compile it). */
static void test_tierup_long_shot_cut_short_is_listed(void **state)
{
	int status;
	(void)state;
	spin_s = -1;
	const char *out = leaf_then_spin((wt_tierup_config){.grace = 2}, 0, &status);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(out, "1\nS 2\nL 2\nD\n"); /* its files discarded */
}

static void test_tierup_long_shot_had_its_chance(void **state)
{
	int status;
	(void)state;
	spin_s = -1;
	const char *out = leaf_then_spin((wt_tierup_config){.grace = 2}, 1.5, &status);
	assert_true(WIFEXITED(status));
	assert_string_equal(out, "1\nS 2\nL 2 had its chance\nD\n");
}

/* The run's end records its length once (cfg.ran, after the child's
 * setup); with an expected length that the pace says $spin (about 4 s)
 * would outlast, the child does not start it while the run goes on (before:
 * it started it, to be cut short), and the run's end, with nothing left
 * that fits, does not start it either: the child ends at once, what its
 * setup made discarded (before: left behind, a private folder in TMPDIR
 * for every such run). */
static void note_ran(void *ctx, double seconds)
{
	FILE *f = fopen(ctx, "a");
	if (f) {
		fprintf(f, "R %s\n", seconds > 0 && seconds < 60 ? "ok" : "bad");
		fclose(f);
	}
}

static void test_tierup_expected_end_bounds_batches(void **state)
{
	int status;
	(void)state;
	spin_s = 0.1;
	leaf_sleeps = 1;
	/* $leaf takes 1.5 s: the run is expected to end 4 s after the fork,
	 * less than $spin's 4 s after $leaf's end; the run ends at about 2.5 s */
	const char *out = leaf_then_spin(
	    (wt_tierup_config){.grace = 2, .expected = 4, .ran = note_ran}, 0.2, &status);
	leaf_sleeps = 0;
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* the end ends the child at once (what setup made discarded) or its
	 * main thread, done, ends it first (its cleanup) */
	if (strcmp(out, "1\nR ok\nD\n") != 0)
		assert_string_equal(out, "1\nR ok\n");
}

/* The run's end finds $cold's compile (6 bytes: the pace of $leaf says
 * 1.3 s) about 0.3 s from its predicted end, and $spin (4 s) waiting, too
 * long for the grace: the child finishes $cold (it ends within
 * WT_TIERUP_FINISH_S), then ends without starting $spin. */
static void test_tierup_end_finishes_a_batch_about_to_end(void **state)
{
	wt_tierup_config cfg = {.compile = burn_long,
				.ctx = outfile,
				.batch = 1,
				.grace = 2,
				.long_shot = note_long_shot,
				.discard = note_discard};
	wt_tierup *t = NULL;
	wt_tierup_stats st;
	wt_error err;
	run r;
	(void)state;
	leaf_sleeps = 1;
	wt_error_init(&err);
	run_load(&r);
	assert_int_equal(wt_tierup_start(r.inst, &cfg, &t, &err), 0);
	wt_tierup_note(t, 1);
	wait_for_line("1\n");
	wt_tierup_note(t, 3); /* as hot as $spin, smaller: first */
	wt_tierup_note(t, 2);
	wait_for_line("S 3");
	usleep(1000 * 1000);
	wt_tierup_finish(t, 0, &st);
	run_free(&r);
	leaf_sleeps = 0;
	assert_true(WIFEXITED(st.child_status));
	assert_string_equal(slurp(outfile), "1\nS 3\n3\n");
}

/* Past its expected end (the run outlived its history), the child goes on
 * as without one: $spin starts. */
static void test_tierup_outlived_expectation(void **state)
{
	int status;
	(void)state;
	spin_s = 0.1;
	const char *out = leaf_then_spin(
	    (wt_tierup_config){.grace = 60, .expected = 0.5, .ran = note_ran}, 0, &status);
	assert_true(WIFEXITED(status));
	assert_string_equal(out, "1\nS 2\nR ok\n2\n");
}

/* One that ends within the grace is not listed. */
static void test_tierup_long_shot_done_not_listed(void **state)
{
	int status;
	(void)state;
	spin_s = 0.1;
	const char *out = leaf_then_spin((wt_tierup_config){.grace = 60}, 0, &status);
	assert_true(WIFEXITED(status));
	assert_string_equal(out, "1\nS 2\n2\n");
}

static void name_four(wt_tierup *t)
{
	for (uint32_t f = 1; f <= 4; f++)
		wt_tierup_note(t, f);
}

static void test_tierup_cpu_budget(void **state)
{
	(void)state;
	wt_tierup_stats st = run_with(
	    (wt_tierup_config){
		.compile = burn, .ctx = outfile, .batch = 1, .grace = 60, .cpu_share = 0.001},
	    name_four, 0);
	assert_true(WIFEXITED(st.child_status));
	unsigned lines = 0;
	for (const char *p = slurp(outfile); *p; p++)
		lines += *p == '\n';
	assert_in_range(lines, 1, 2);
}

/* A run that confined itself (Landlock and seccomp) after starting the
 * child still tells it of hot functions and waits for it: the filter's
 * allow-list has write, close and wait4, and the child, forked before,
 * is not confined. */
static int confined_run_body(void)
{
	wt_confine_config c = {.layers = WT_CONFINE_ALL};
	wt_wasi_config wc = {.stdio_fds = {0, 1, 2}};
	wt_tierup_config cfg = {.compile = record, .ctx = outfile};
	wt_tierup_stats st;
	wt_tierup *t = NULL;
	wt_wasi *w = NULL;
	wt_error err;
	run r;
	wt_error_init(&err);
	run_load(&r);
	wc.store = r.s;
	if (wt_wasi_new(&wc, &w, &err) || wt_tierup_start(r.inst, &cfg, &t, &err) ||
	    wt_confine_enter(&c, w, &err))
		return 2;
	run_main(&r, t);
	wt_tierup_finish(t, 0, &st);
	return WIFEXITED(st.child_status) && WEXITSTATUS(st.child_status) == 0 ? 0 : 3;
}

static void test_tierup_confined_run(void **state)
{
	int status;
	(void)state;
	status = status_of(confined_run_body);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(indices(outfile), "1 2 ");
}

/* A run cut short (its time limit) abandons the child: it ends at once,
 * not after its grace (the stalled batch would hold the run 60 s), what
 * its setup made discarded (before: left behind). */
static int stall_noted(void *ctx, wt_instance *inst, const uint32_t *funcs, uint32_t n)
{
	FILE *f = fopen(ctx, "a");
	if (f) {
		fputs("S\n", f);
		fclose(f);
	}
	return stall(ctx, inst, funcs, n);
}

/* The run goes on until the child is in its (stalled) batch. */
static void until_stalled(wt_tierup *t)
{
	(void)t;
	wait_for_line("S\n");
}

static void test_tierup_abandon(void **state)
{
	(void)state;
	wt_tierup_config cfg = {
	    .compile = stall_noted, .grace = 60, .discard = note_discard, .ctx = outfile};
	wt_tierup_stats st = run_with(cfg, until_stalled, 1);
	assert_true(WIFEXITED(st.child_status));
	assert_int_equal(WEXITSTATUS(st.child_status), 0);
	assert_string_equal(slurp(outfile), "S\nD\n");
}

/* A batch that never ends does not hold the run: once the pipe is closed
 * the child has `grace` seconds, then SIGALRM ends it, the batch's files
 * discarded first. */
static void test_tierup_grace_bounds_the_wait(void **state)
{
	(void)state;
	wt_tierup_stats st = run_with(
	    (wt_tierup_config){
		.compile = stall, .grace = 1, .discard = note_discard, .ctx = outfile},
	    NULL, 0);
	assert_true(WIFSIGNALED(st.child_status));
	assert_int_equal(WTERMSIG(st.child_status), SIGALRM);
	assert_string_equal(slurp(outfile), "D\n");
}

/* ---- regrouping: the pieces the run loaded, rebuilt as one object when nothing is left ---- */

/* Three pieces of the module's functions ($leaf, $spin, $cold and main), the lightest first. */
static const uint32_t piece_at[] = {0, 1, 2, 4}, piece_funcs[] = {1, 3, 2, 4};

/* The test's regroup callback, in the child: appends 100 + k for each piece k. */
static int record_regroup(void *ctx, wt_instance *inst, const uint32_t *pieces, uint32_t n)
{
	(void)inst;
	return append(ctx, pieces, n, 100);
}

static void note_regroup_cut(void *ctx)
{
	FILE *f = fopen(ctx, "a");
	if (f) {
		fputs("cut\n", f);
		fclose(f);
	}
}

/* A child with nothing to compile (no function named often enough) and pieces. */
static wt_tierup_config regrouping(uint32_t regroup_min)
{
	return (wt_tierup_config){.compile = record,
				  .regroup = record_regroup,
				  .regroup_cut = note_regroup_cut,
				  .ctx = outfile,
				  .min_heat = 1000,
				  .npieces = 3,
				  .piece_at = piece_at,
				  .piece_funcs = piece_funcs,
				  .regroup_min = regroup_min};
}

/* With nothing left to compile, the child regroups every piece the run loaded (here after the
 * run, which is shorter than the settling time: in the grace). Before: pieces stayed apart. */
static void test_tierup_regroup_when_converged(void **state)
{
	(void)state;
	wt_tierup_stats st = run_with(regrouping(3), NULL, 0);
	assert_true(WIFEXITED(st.child_status));
	assert_string_equal(indices(outfile), "100 101 102 ");
}

/* After the run a regroup starts only when its pace says it ends within WT_TIERUP_FINISH_S:
 * one that would fill the grace is left to a later run's middle (the end would wait for it). */
static void test_tierup_regroup_after_the_run_is_short(void **state)
{
	(void)state;
	wt_tierup_config cfg = regrouping(3);
	cfg.pace[0] = cfg.pace[1] = 0.06; /* seconds a byte: the two lightest take over 0.5 s */
	wt_tierup_stats st = run_with(cfg, NULL, 0);
	assert_true(WIFEXITED(st.child_status));
	assert_string_equal(slurp(outfile), "");
	cfg.pace[0] = cfg.pace[1] = 0.0005; /* ~0.05 s: it fits */
	run_with(cfg, NULL, 0);
	assert_string_equal(indices(outfile), "100 101 102 ");
}

/* Fewer pieces than regroup_min (or 0: never) are left as they are. */
static void test_tierup_regroup_needs_enough_pieces(void **state)
{
	(void)state;
	run_with(regrouping(4), NULL, 0);
	run_with(regrouping(0), NULL, 0);
	assert_string_equal(slurp(outfile), "");
}

/* A regroup the end of the grace cuts short is reported (the run lists it, so that the next
 * runs do not lose it again), and the child dies of the alarm as with any batch. */
static void test_tierup_regroup_cut_short_is_listed(void **state)
{
	(void)state;
	wt_tierup_config cfg = regrouping(3);
	cfg.regroup = stall;
	cfg.grace = 1;
	wt_tierup_stats st = run_with(cfg, NULL, 0);
	assert_true(WIFSIGNALED(st.child_status));
	assert_string_equal(slurp(outfile), "cut\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tierup_hot_set_arrives_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_hottest_first, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_smaller_first_among_equals, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_lukewarm_left, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_cpu_budget, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_long_shot_cut_short_is_listed, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_long_shot_had_its_chance, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_long_shot_done_not_listed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_expected_end_bounds_batches, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_outlived_expectation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_end_finishes_a_batch_about_to_end, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_cut_short_before_goes_first, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_child_closes_fds, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_confined_run, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_child_confined, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_setup_fails_quietly, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_killed_child_no_sigpipe, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_grace_bounds_the_wait, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_abandon, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_regroup_when_converged, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_regroup_after_the_run_is_short, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_regroup_needs_enough_pieces, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tierup_regroup_cut_short_is_listed, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
