/* tierup.c: the compile child: forked before self-confinement, it reads hot function indices from
 * a pipe (untrusted: each one is checked) and compiles them in batches through a callback; once
 * the run has closed the pipe it compiles what is left until its grace runs out. */
#include "tierup.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

/* WT_TIERUP_GATHER_MS: how long the child waits to fill a batch; STOP: the
 * index that tells it to end at once (no function has it: a module has
 * fewer than 2^32 - 1 functions). */
enum { WT_TIERUP_GATHER_MS = 20 };
#define WT_TIERUP_STOP UINT32_MAX

struct wt_tierup {
	int wfd; /* the pipe's write end, non-blocking */
	/* its read end, kept open in the run: were the child killed, a write
	 * would raise SIGPIPE (an embedder's process need not ignore it); with a
	 * reader left the write fills the pipe and then fails with EAGAIN */
	int rfd;
	pid_t pid;
	uint32_t noted, dropped;
};

/* The child's state: a reader thread fills the queue from the pipe, the
 * main thread compiles what is queued. Each index enters the queue at most
 * once, so nfuncs entries never overflow. */
typedef struct child {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int fd;
	uint32_t first, nfuncs; /* the defined functions: [first, nfuncs) */
	uint8_t *seen;		/* by function index */
	uint32_t *queue;
	uint32_t head, tail;
	int eof;
	unsigned grace;
} child;

/* Takes one index from the pipe: a defined function not seen before is
 * queued; anything else is ignored. Called with c->mu held. */
static void child_take(child *c, uint32_t f)
{
	if (f < c->first || f >= c->nfuncs || c->seen[f])
		return;
	c->seen[f] = 1;
	c->queue[c->tail++] = f;
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
			c->eof = 1;
			alarm(c->grace); /* SIGALRM's default action ends the child */
			pthread_cond_signal(&c->cv);
			pthread_mutex_unlock(&c->mu);
			return NULL;
		}
		have += (size_t)n;
		size_t whole = have / 4 * 4;
		for (size_t i = 0; i < whole; i += 4) {
			uint32_t f;
			memcpy(&f, buf + i, 4);
			if (f == WT_TIERUP_STOP)
				_exit(0); /* the run was cut short: so is the child */
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

/* Takes up to max queued indices into out; 0 when the queue is empty and
 * the pipe has ended. Blocks while the queue is empty. */
static uint32_t child_next(child *c, uint32_t *out, uint32_t max)
{
	uint32_t n = 0;
	pthread_mutex_lock(&c->mu);
	while (c->head == c->tail && !c->eof)
		pthread_cond_wait(&c->cv, &c->mu);
	if (c->tail - c->head < max && !c->eof) {
		/* functions turn hot in bursts: a short wait fills the batch, and
		 * one compile of several costs less than one of each */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += WT_TIERUP_GATHER_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L)
			until.tv_sec++, until.tv_nsec -= 1000000000L;
		while (c->tail - c->head < max && !c->eof &&
		       pthread_cond_timedwait(&c->cv, &c->mu, &until) == 0)
			;
	}
	while (n < max && c->head < c->tail)
		out[n++] = c->queue[c->head++];
	pthread_mutex_unlock(&c->mu);
	return n;
}

static _Noreturn void child_main(int rfd, wt_instance *inst, const wt_tierup_config *cfg)
{
	child c = {.first = inst->module->nfunc_imports, .nfuncs = inst->module->nfuncs};
	uint32_t max = cfg->batch ? cfg->batch : WT_TIERUP_BATCH, n;
	pthread_t reader;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	c.fd = child_fds(rfd, getenv("WT_JIT_STATS") != NULL);
	c.grace = cfg->grace ? cfg->grace : WT_TIERUP_GRACE;
	c.seen = calloc(c.nfuncs + 1, 1);
	c.queue = calloc(c.nfuncs + 1, sizeof *c.queue);
	uint32_t *batch = calloc(max, sizeof *batch);
	if (c.fd < 0 || !c.seen || !c.queue || !batch || pthread_mutex_init(&c.mu, NULL) ||
	    pthread_cond_init(&c.cv, NULL) || pthread_create(&reader, NULL, child_reader, &c))
		_exit(1);
	/* a child whose setup failed still reads to the end of the pipe: were
	 * it gone, the run's next write would raise SIGPIPE */
	int first = 1, broken = 0;
	for (; (n = child_next(&c, batch, max)) > 0; first = 0) {
		if (first && cfg->setup && cfg->setup(cfg->ctx))
			broken = 1;
		if (!broken)
			cfg->compile(cfg->ctx, inst, batch, n);
	}
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
