/* run.c: the run pipeline: module file -> decode -> validate -> instantiate with WASI -> _start. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grow.h"
#include "run_cache.h"
#include "run_tierup.h"
#include "sha256.h"
#include "store.h"

/* A wall-clock limit: a thread that sleeps until the deadline (or until
 * the run ends), then interrupts the store and, so that no system call of
 * the host can outlive the deadline, sends WT_RUN_SIGNAL to the thread
 * running the guest every WT_RUN_RESIGNAL_NS until the run ends. The
 * signal's handler does nothing and is installed without SA_RESTART, so a
 * blocked call (poll, read, write, open of a FIFO) fails with EINTR and the
 * host gives up on it (wt_host_set_stop); sending it again covers a signal
 * that arrived just before the call began. SIGURG is ignored by default,
 * so one that comes late does no harm. */
#define WT_RUN_SIGNAL SIGURG
enum { WT_RUN_RESIGNAL_NS = 10 * 1000 * 1000 };

typedef struct run_timer {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct timespec deadline; /* CLOCK_MONOTONIC */
	wt_store *store;
	pthread_t runner; /* the thread that runs the guest */
	struct sigaction old_action;
	sigset_t old_mask;
	int done;
	int started;
	pthread_t thread;
} run_timer;

/* The module's bytes, read into memory. Never mapped: functions are
 * compiled lazily from these bytes after validation, and a mapping of a
 * file the guest can write (a module inside a writable mount) would let
 * it change its own code after it was validated. */
typedef struct module_file {
	uint8_t *bytes;
	size_t size;
	uint8_t sha256[32]; /* of bytes: the run's one digest of the module */
} module_file;

/* Largest module we accept (the format's sizes are 32-bit). */
#define WT_RUN_MAX_MODULE ((uint64_t)UINT32_MAX)

static void module_file_release(module_file *mf)
{
	free(mf->bytes);
	memset(mf, 0, sizeof *mf);
}

/* Reads fd to its end into a buffer of at least `hint` bytes (the size
 * fstat gave, so a regular file takes one read), growing it for pipes
 * and files that grow meanwhile; 0 or a status. */
static int read_stream(int fd, size_t hint, module_file *mf, wt_error *err)
{
	size_t cap = 0;
	for (;;) {
		if (mf->size == cap && cap >= WT_RUN_MAX_MODULE)
			return wt_fail_plain(err, WT_MALFORMED, "module larger than 4 GiB");
		if (mf->size == cap &&
		    WT_GROW(&mf->bytes, &cap, cap + 1, hint + 1 > 64 * 1024 ? hint + 1 : 64 * 1024))
			return wt_fail_plain(err, WT_NOMEM, "out of memory for the module");
		ssize_t n = read(fd, mf->bytes + mf->size, cap - mf->size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return wt_fail_plain(err, WT_IO, "cannot read: %s", strerror(errno));
		if (n == 0)
			return 0;
		mf->size += (size_t)n;
	}
}

/* Reads the module file at path to its end (a regular file in one read;
 * a pipe or /dev/stdin as it comes). *mf is the caller's, released with
 * module_file_release after the module is freed (the decoded module
 * borrows the bytes). */
static int read_module(const char *path, module_file *mf, wt_error *err)
{
	struct stat st;
	int rc = 0, fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(mf, 0, sizeof *mf);
	if (fd < 0)
		return wt_fail_plain(err, WT_NOINPUT, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = wt_fail_plain(err, WT_NOINPUT, "cannot stat: %s", strerror(errno));
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = wt_fail_plain(err, WT_NOINPUT, "not a regular file");
		goto done;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > WT_RUN_MAX_MODULE) {
		rc = wt_fail_plain(err, WT_MALFORMED, "module larger than 4 GiB");
		goto done;
	}
	rc = read_stream(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, mf, err);
	if (rc == 0)
		wt_sha256(mf->bytes, mf->size, mf->sha256);
done:
	close(fd);
	if (rc)
		module_file_release(mf);
	return rc;
}

/* A module given as bytes (wt_run_config.module_bytes): copied, as a file is read. */
static int copy_module(const wt_run_config *cfg, module_file *mf, wt_error *err)
{
	if ((uint64_t)cfg->module_size > WT_RUN_MAX_MODULE)
		return wt_fail_plain(err, WT_MALFORMED, "module larger than 4 GiB");
	if (!(mf->bytes = malloc(cfg->module_size ? cfg->module_size : 1)))
		return wt_fail_plain(err, WT_NOMEM, "out of memory for the module");
	memcpy(mf->bytes, cfg->module_bytes, cfg->module_size);
	mf->size = cfg->module_size;
	if (cfg->module_sha256)
		memcpy(mf->sha256, cfg->module_sha256, sizeof mf->sha256);
	else
		wt_sha256(mf->bytes, mf->size, mf->sha256);
	return 0;
}

/* t moved on by ns (0 <= ns < 1 s). */
static struct timespec timespec_after(struct timespec t, long ns)
{
	t.tv_nsec += ns;
	while (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

static void *timer_main(void *arg)
{
	run_timer *t = arg;
	struct timespec next;
	int rc = 0;

	pthread_mutex_lock(&t->mu);
	while (!t->done && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&t->cv, &t->mu, &t->deadline);
	while (!t->done) {
		wt_store_interrupt(t->store);
		pthread_kill(t->runner, WT_RUN_SIGNAL);
		clock_gettime(CLOCK_MONOTONIC, &next);
		next = timespec_after(next, WT_RUN_RESIGNAL_NS);
		pthread_cond_timedwait(&t->cv, &t->mu, &next);
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

static void on_run_signal(int signo)
{
	(void)signo;
}

/* Installs the do-nothing handler (no SA_RESTART) and unblocks the signal
 * in this thread, keeping what was there for signals_restore. */
static void signals_take(run_timer *t)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_run_signal;
	sigaction(WT_RUN_SIGNAL, &sa, &t->old_action);
	sigemptyset(&set);
	sigaddset(&set, WT_RUN_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &set, &t->old_mask);
}

/* After the timer thread has ended, so no signal comes any more (one it
 * sent last was delivered when pthread_join returned). */
static void signals_restore(run_timer *t)
{
	pthread_sigmask(SIG_SETMASK, &t->old_mask, NULL);
	sigaction(WT_RUN_SIGNAL, &t->old_action, NULL);
}

/* Starts the timer thread with every signal blocked, so that signals for
 * the process (SIGINT, SIGTERM) reach the thread running the guest and
 * interrupt what it waits for. 0 or an errno. */
static int timer_spawn(run_timer *t)
{
	sigset_t all, mine;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &mine);
	rc = pthread_create(&t->thread, NULL, timer_main, t);
	pthread_sigmask(SIG_SETMASK, &mine, NULL);
	return rc;
}

/* Starts the timer when seconds > 0. Returns 0 or WT_INTERNAL. */
static int timer_start(run_timer *t, wt_store *store, double seconds, wt_error *err)
{
	pthread_condattr_t attr;
	double whole = floor(seconds);

	memset(t, 0, sizeof *t);
	if (seconds <= 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &t->deadline);
	t->deadline.tv_sec += (time_t)whole;
	t->deadline = timespec_after(t->deadline, (long)((seconds - whole) * 1e9));
	t->store = store;
	t->runner = pthread_self();
	pthread_mutex_init(&t->mu, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&t->cv, &attr);
	pthread_condattr_destroy(&attr);
	signals_take(t);
	t->started = 1;
	if (timer_spawn(t) != 0) {
		t->started = 0;
		signals_restore(t);
		pthread_cond_destroy(&t->cv);
		pthread_mutex_destroy(&t->mu);
		return wt_fail_plain(err, WT_INTERNAL, "cannot start the timeout thread");
	}
	return 0;
}

/* Stops the timer (if it runs) and waits for its thread. */
static void timer_stop(run_timer *t)
{
	if (!t->started)
		return;
	pthread_mutex_lock(&t->mu);
	t->done = 1;
	pthread_cond_signal(&t->cv);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->thread, NULL);
	signals_restore(t);
	pthread_cond_destroy(&t->cv);
	pthread_mutex_destroy(&t->mu);
	t->started = 0;
}

/* Checks that m exports `_start` as a function of type [] -> [] before
 * anything of it runs. */
static int check_command(const wt_module *m, wt_error *err)
{
	for (uint32_t i = 0; i < m->nexports; i++) {
		const wt_export *e = &m->exports[i];
		const wt_functype *ft;

		if (e->name_len != 6 || memcmp(e->name, "_start", 6) != 0)
			continue;
		if (e->kind != WT_EXTERN_FUNC)
			return wt_fail_plain(err, WT_UNLINKABLE, "export _start is not a function");
		ft = wt_module_functype(m, e->index);
		if (ft->nparams != 0 || ft->nresults != 0)
			return wt_fail_plain(err, WT_UNLINKABLE,
					     "_start must take no parameters and return nothing");
		return 0;
	}
	return wt_fail_plain(err, WT_UNLINKABLE,
			     "no _start function exported (not a WASI command module)");
}

/* Charges the module's bytes and its decoded tables (both live as long
 * as the store) to the store's memory budget; 0 or WT_LIMIT. */
static int charge_module(wt_store *s, const wt_module *m, size_t size, wt_error *err)
{
	uint64_t bytes = (uint64_t)size + m->arena.total;
	int rc = wt_store_afford(s, bytes, err, "the module (%zu bytes, %zu decoded)", size,
				 m->arena.total);
	if (rc == 0)
		wt_store_charge(s, bytes);
	return rc;
}

/* Turns a trap into the result: proc_exit is an exit, the rest traps. */
static void set_trap(wt_run_result *res, const wt_trap *trap)
{
	if (trap->kind == WT_TRAP_EXIT) {
		res->outcome = WT_RUN_EXITED;
		res->exit_code = (uint32_t)trap->exit_code;
		return;
	}
	res->outcome = WT_RUN_TRAPPED;
	res->trap = *trap;
	if (trap->func_name) {
		snprintf(res->func_name, sizeof res->func_name, "%s", trap->func_name);
		res->trap.func_name = res->func_name;
	}
}

/* Applies the segments, runs the start function and calls _start; the
 * instance is built (wt_instantiate_begin). */
static int run_instance(wt_store *s, wt_instance *inst, double timeout, wt_run_result *res)
{
	wt_extern start;
	run_timer timer;
	int rc;

	if (timer_start(&timer, s, timeout, &res->err))
		return res->err.code;
	rc = wt_instantiate_finish(inst, &res->trap, &res->err);
	if (rc > 0) {
		res->err_in_module = 1;
		goto done;
	}
	if (rc < 0) {
		set_trap(res, &res->trap);
		rc = 0;
		goto done;
	}
	if (wt_instance_export(inst, "_start", 6, &start) != 0 || start.kind != WT_EXTERN_FUNC) {
		rc = wt_fail_plain(&res->err, WT_INTERNAL, "_start vanished after instantiation");
		goto done;
	}
	res->outcome = WT_RUN_EXITED;
	res->exit_code = 0;
	if (wt_call(s, start.u.func, NULL, NULL, &res->trap) != 0)
		set_trap(res, &res->trap);
	rc = 0;
done:
	timer_stop(&timer);
	return rc;
}

/* The bytes of the module's function bodies. */
static uint64_t code_bytes(const wt_module *m)
{
	uint64_t n = 0;
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
		n += m->funcs[i].body_size;
	return n;
}

/* The compiling tier, when cfg->tier asks for it. `jit` compiles every
 * function now (through the code cache); `auto` loads what the cache has
 * for the module and tiers up in the background (run_tierup.h), or stays
 * the interpreter when the tier is absent or not worthwhile. */
static int compile_tier(const wt_run_config *cfg, wt_instance *inst, wt_jit **jit,
			wt_run_tierup **tu, wt_run_result *res)
{
	if (cfg->tier == WT_TIER_INTERP)
		return 0;
	if (cfg->tier == WT_TIER_AUTO) {
		if (wt_jit_available() && wt_jit_worthwhile(code_bytes(inst->module)))
			*tu = wt_run_tierup_begin(cfg, inst, jit);
		return 0;
	}
	int rc = wt_run_cache_compile(cfg, inst, jit, &res->jit, &res->err);
	res->err_in_module = 0;
	return rc;
}

int wt_run(const wt_run_config *cfg, wt_run_result *res)
{
	module_file mf = {0};
	wt_module *m = NULL;
	wt_store *s = NULL;
	wt_wasi *w = NULL;
	wt_instance *inst = NULL;
	wt_jit *jit = NULL;
	wt_run_tierup *tu = NULL;
	wt_wasi_config wcfg = cfg->wasi;
	const wt_run_hooks *hk = cfg->hooks;
	int rc;

	memset(res, 0, sizeof *res);
	wt_error_init(&res->err);
	res->outcome = WT_RUN_FAILED;
	res->err_in_module = 1;
	if ((rc = cfg->module_bytes ? copy_module(cfg, &mf, &res->err)
				    : read_module(cfg->module_path, &mf, &res->err)))
		goto fail;
	if (hk && hk->module_read &&
	    (rc = hk->module_read(hk->ctx, cfg->module_path, mf.bytes, mf.size, mf.sha256,
				  &res->err))) {
		res->err_in_module = 0;
		goto fail;
	}
	if ((rc = wt_decode(mf.bytes, mf.size, &m, &res->err)))
		goto fail;
	memcpy(m->sha256, mf.sha256, sizeof m->sha256);
	m->has_sha256 = 1;
	if ((rc = wt_validate(m, &res->err)))
		goto fail;
	if ((rc = check_command(m, &res->err)))
		goto fail;
	res->err_in_module = 0;
	s = wt_store_new(&cfg->limits);
	if (!s) {
		rc = wt_fail_plain(&res->err, WT_NOMEM, "cannot create the store");
		goto fail;
	}
	if ((rc = charge_module(s, m, mf.size, &res->err))) {
		res->err_in_module = 1;
		goto fail;
	}
	if (hk && hk->store)
		hk->store(hk->ctx, s);
	wcfg.store = s;
	if ((rc = wt_wasi_new(&wcfg, &w, &res->err)))
		goto fail;
	if ((rc = wt_instantiate_begin(s, m, wt_wasi_resolve, w, &inst, &res->err))) {
		res->err_in_module = 1;
		goto fail;
	}
	if ((rc = compile_tier(cfg, inst, &jit, &tu, res)))
		goto fail;
	if (cfg->confine && (rc = wt_confine_enter(cfg->confine, w, &res->err)))
		goto fail;
	rc = run_instance(s, inst, cfg->timeout, res);
fail:
	wt_run_tierup_end(tu, res->outcome == WT_RUN_TRAPPED && res->trap.kind == WT_TRAP_TIMEOUT);
	if (rc)
		res->outcome = WT_RUN_FAILED;
	wt_wasi_free(w);
	if (s && hk && hk->store)
		hk->store(hk->ctx, NULL);
	wt_store_free(s);
	wt_jit_free(jit); /* after the store: its functions point into the code */
	wt_module_free(m);
	module_file_release(&mf); /* after the module: it borrows the bytes */
	return rc;
}
