/* test_host.c: the host layer's blocking calls against a run that must stop (host.c,
 * wt_host_set_stop).
 *
 * Each test blocks the test's thread in a host call that would wait forever (a poll or read of
 * an idle pipe, a write into a full one, the open of a FIFO nobody opens) while a helper thread
 * interrupts it with a signal whose handler does nothing (no SA_RESTART), as core/run/run.c's timer
 * does. When the stop callback says the run is ending the call must give up with -EINTR; when
 * it does not, the signal was someone else's and the call must go on. A call that never gives
 * up hangs the test, which ctest's TIMEOUT turns into a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "host.h"

/* The helper thread and the stop flag it raises. */
typedef struct poker {
	pthread_t target, thread;
	_Atomic int stopping; /* what the stop callback answers */
	_Atomic int done;     /* the blocked call has returned */
	int raise_stop;	      /* raise `stopping` before signalling */
	int feed_fd;	      /* >= 0: after one signal, write a byte here and stop signalling */
} poker;

static void on_signal(int signo)
{
	(void)signo;
}

static int stop_cb(void *ctx)
{
	return atomic_load(&((poker *)ctx)->stopping);
}

static void nap_ms(long ms)
{
	struct timespec t = {0, ms * 1000 * 1000};
	nanosleep(&t, NULL);
}

/* Signals the target every 10 ms until its call returns (or, with a feed fd, once, then
 * makes the call's wait end by itself). */
static void *poke(void *arg)
{
	poker *p = arg;

	nap_ms(30);
	if (p->raise_stop)
		atomic_store(&p->stopping, 1);
	while (!atomic_load(&p->done)) {
		pthread_kill(p->target, SIGURG);
		if (p->feed_fd >= 0) {
			nap_ms(30);
			if (write(p->feed_fd, "x", 1) != 1)
				abort(); /* no cmocka assertion outside the test's thread */
			return NULL;
		}
		nap_ms(10);
	}
	return NULL;
}

static void poker_start(poker *p, wt_host *h, int raise_stop, int feed_fd)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	assert_int_equal(sigaction(SIGURG, &sa, NULL), 0);
	atomic_init(&p->stopping, 0);
	atomic_init(&p->done, 0);
	p->raise_stop = raise_stop;
	p->feed_fd = feed_fd;
	p->target = pthread_self();
	wt_host_set_stop(h, stop_cb, p);
	assert_int_equal(pthread_create(&p->thread, NULL, poke, p), 0);
}

static void poker_join(poker *p)
{
	atomic_store(&p->done, 1);
	pthread_join(p->thread, NULL);
	signal(SIGURG, SIG_DFL);
}

static void test_host_poll_gives_up_when_stopping(void **state)
{
	wt_host *h = wt_host_new(0);
	int p[2];
	poker pk;

	assert_int_equal(pipe(p), 0);
	struct pollfd pfd = {p[0], POLLIN, 0};
	poker_start(&pk, h, 1, -1);
	assert_int_equal(wt_host_poll(h, &pfd, 1, -1), -EINTR);
	poker_join(&pk);
	/* A clock wait alone (no fds) as poll_oneoff makes it: 2^63-1 ns. */
	poker_start(&pk, h, 1, -1);
	assert_int_equal(wt_host_poll(h, NULL, 0, INT64_MAX), -EINTR);
	poker_join(&pk);
	close(p[0]);
	close(p[1]);
	wt_host_free(h);
}

/* A signal that is not a stop: the poll goes on and sees the byte written after it. */
static void test_host_poll_retries_other_signals(void **state)
{
	wt_host *h = wt_host_new(0);
	int p[2];
	poker pk;

	assert_int_equal(pipe(p), 0);
	struct pollfd pfd = {p[0], POLLIN, 0};
	poker_start(&pk, h, 0, p[1]);
	assert_int_equal(wt_host_poll(h, &pfd, 1, -1), 1);
	assert_true(pfd.revents & POLLIN);
	poker_join(&pk);
	close(p[0]);
	close(p[1]);
	wt_host_free(h);
}

static void test_host_read_gives_up_when_stopping(void **state)
{
	wt_host *h = wt_host_new(0);
	char buf[16];
	struct iovec iov = {buf, sizeof buf};
	uint64_t done = 0;
	int p[2];
	poker pk;

	assert_int_equal(pipe(p), 0);
	poker_start(&pk, h, 1, -1);
	assert_int_equal(wt_host_readv(h, p[0], &iov, 1, -1, &done), -EINTR);
	poker_join(&pk);
	/* Not stopping: the read waits through the signal and gets the byte. */
	poker_start(&pk, h, 0, p[1]);
	assert_int_equal(wt_host_readv(h, p[0], &iov, 1, -1, &done), 0);
	assert_int_equal(done, 1);
	poker_join(&pk);
	close(p[0]);
	close(p[1]);
	wt_host_free(h);
}

static void test_host_write_full_pipe_gives_up(void **state)
{
	wt_host *h = wt_host_new(0);
	static char block[65536];
	struct iovec iov = {block, sizeof block};
	uint64_t done = 0;
	int p[2];
	poker pk;

	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	while (write(p[1], block, sizeof block) > 0)
		;
	assert_int_equal(fcntl(p[1], F_SETFL, 0), 0);
	poker_start(&pk, h, 1, -1);
	assert_int_equal(wt_host_writev(h, p[1], &iov, 1, -1, &done), -EINTR);
	poker_join(&pk);
	close(p[0]);
	close(p[1]);
	wt_host_free(h);
}

/* open(2) of a FIFO waits for a peer; both resolvers (openat2, the walk). */
static void test_host_open_fifo_gives_up(void **state)
{
	char dir[] = "/tmp/wt-host-XXXXXX", path[64];
	int root, fd = -1;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	root = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(root >= 0);
	for (int walk = 0; walk < 2; walk++) {
		wt_host *h = wt_host_new(walk);
		poker pk;

		poker_start(&pk, h, 1, -1);
		assert_int_equal(wt_host_open(h, root, "fifo", O_RDONLY, 0, 1, &fd), -EINTR);
		poker_join(&pk);
		wt_host_free(h);
	}
	close(root);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_host_poll_gives_up_when_stopping),
	    cmocka_unit_test(test_host_poll_retries_other_signals),
	    cmocka_unit_test(test_host_read_gives_up_when_stopping),
	    cmocka_unit_test(test_host_write_full_pipe_gives_up),
	    cmocka_unit_test(test_host_open_fifo_gives_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
