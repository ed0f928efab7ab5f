/* jit_whole_procs.c: the objects of a whole-module compile built by worker processes at once.
 * libgccjit compiles one thing at a time in a process (a lock around each compile), so a
 * machine's cores serve a big module's compile (Yosys: about 14 objects of 2 MiB, some ten
 * minutes of GCC each) only as processes. The workers are forks of the caller, made before
 * self-confinement and before any guest instruction; each takes the next object not yet
 * taken, builds it into the compile's private folder and reports its number on a pipe; the
 * caller keeps and loads each reported object (wt_jit_plan_take), so a compile cut short keeps
 * every object reported before the cut (docs/engine.md, "The compiling tier"). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpus.h"
#include "env.h"
#include "jit_whole.h"

/* GCC's resident memory per byte of function bodies in an object, a little above what was
 * measured (2.6 GB for a 2 MiB object of Yosys, 1.67 GB for SQLite's 1.14 MB), and the most
 * workers of one compile. */
#define GCC_BYTES_PER_BYTE 1536
#define MAX_PROCS 64

/* What a worker leaves for the caller of one object it built (or failed to). */
typedef struct slot {
	int rc;
	wt_jit_stats st;
	wt_error err;
} slot;

/* Shared by the caller and its workers (an anonymous shared mapping). */
typedef struct shared {
	atomic_uint next; /* the next object no worker has taken */
	atomic_int stop;  /* set on a failure: no worker starts another object */
	slot slots[];
} shared;

/* MemAvailable of /proc/meminfo in bytes; 0 when unknown. */
static uint64_t mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[128];
	unsigned long long kb = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return (uint64_t)kb * 1024;
}

uint32_t wt_jit_plan_procs(const wt_jit_plan *p, uint64_t object_bytes)
{
	uint64_t forced = wt_env_u64("WT_JIT_PROCS", 0), n = forced ? forced : wt_cpus_usable();
	if (p->nobj < 2)
		return 1;
	if (!forced) {
		uint64_t mem = mem_available(), each = object_bytes * GCC_BYTES_PER_BYTE;
		if (mem && each && mem / each < n)
			n = mem / each;
	}
	n = n < p->nobj ? n : p->nobj;
	n = n < MAX_PROCS ? n : MAX_PROCS;
	return n > 1 ? (uint32_t)n : 1;
}

/* A worker: objects until none is left or one failed, each reported on wfd once built. It dies
 * with the thread that made it (a caller stopped by a signal leaves no compile behind), stops
 * on SIGINT and SIGTERM as a process of the terminal's group (the caller's handlers are not
 * its own), and ends without the caller's exit handlers. */
static _Noreturn void worker(const wt_jit_plan *p, shared *sh, int wfd, pid_t caller)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != caller)
		_exit(1);
	while (!atomic_load(&sh->stop)) {
		uint32_t k = atomic_fetch_add(&sh->next, 1);
		if (k >= p->nobj)
			break;
		slot *s = &sh->slots[k];
		wt_error_init(&s->err);
		s->rc = wt_jit_plan_build(p, k, &s->st, &s->err);
		if (s->rc)
			atomic_store(&sh->stop, 1);
		if (write(wfd, &k, sizeof k) != (ssize_t)sizeof k)
			_exit(1);
	}
	_exit(0);
}

/* The next object number on fd (4 bytes: a pipe's writes of up to PIPE_BUF bytes are whole);
 * 0 at its end (every worker gone). */
static int next_report(int fd, uint32_t *k)
{
	ssize_t n;
	while ((n = read(fd, k, sizeof *k)) < 0 && errno == EINTR)
		;
	return n == (ssize_t)sizeof *k;
}

/* The first failure of a compile: the lowest object's. */
typedef struct failure {
	uint32_t k;
	int rc;
	wt_error err;
} failure;

static void note_failure(failure *f, uint32_t k, int rc, const wt_error *err)
{
	if (rc && k < f->k)
		*f = (failure){k, rc, *err};
}

/* Takes every object the workers report, until the last worker is gone; marks each in taken. */
static void take_reports(wt_jit_plan *p, shared *sh, int rfd, uint8_t *taken, failure *f)
{
	uint32_t k;
	while (next_report(rfd, &k)) {
		if (k >= p->nobj || taken[k])
			continue;
		taken[k] = 1;
		slot *s = &sh->slots[k];
		wt_error err;
		wt_error_init(&err);
		int rc = s->rc;
		if (rc) {
			wt_jit_plan_drop(p, k);
			err = s->err;
		} else {
			rc = wt_jit_plan_take(p, k, &s->st, &err);
		}
		if (rc)
			atomic_store(&sh->stop, 1);
		note_failure(f, k, rc, &err);
	}
}

static void reap(const pid_t *pids, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
			;
}

/* Forks up to procs workers writing to wfd; how many started. */
static uint32_t start_workers(const wt_jit_plan *p, shared *sh, int rfd, int wfd, pid_t *pids,
			      uint32_t procs)
{
	pid_t caller = getpid();
	uint32_t n = 0;
	for (; n < procs; n++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			close(rfd);
			worker(p, sh, wfd, caller);
		}
		pids[n] = pid;
	}
	return n;
}

int wt_jit_plan_run_procs(wt_jit_plan *p, uint32_t procs, wt_error *err)
{
	size_t size = sizeof(shared) + (size_t)p->nobj * sizeof(slot);
	shared *sh = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint8_t *taken = calloc(p->nobj, 1);
	pid_t *pids = calloc(procs, sizeof *pids);
	failure f = {.k = UINT32_MAX};
	int fds[2], rc;

	if (sh != MAP_FAILED && taken && pids && pipe2(fds, O_CLOEXEC) == 0) {
		uint32_t started = start_workers(p, sh, fds[0], fds[1], pids, procs);
		close(fds[1]);
		take_reports(p, sh, fds[0], taken, &f);
		close(fds[0]);
		reap(pids, started);
	}
	if (f.rc) {
		*err = f.err;
		rc = f.rc;
		for (uint32_t k = 0; k < p->nobj; k++) /* what a dead worker left half-written */
			if (!taken[k])
				wt_jit_plan_drop(p, k);
	} else { /* what no worker reported: none started, or its worker died */
		rc = wt_jit_plan_build_left(p, taken, err);
	}
	if (sh != MAP_FAILED)
		munmap(sh, size);
	free(taken);
	free(pids);
	return rc;
}
