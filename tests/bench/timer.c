/* timer.c: runs one command and reports its wall time, peak RSS and exit status, for run.sh.
 *
 * Usage: bench-timer [-t SECONDS] [-c] REPORT CMD [ARGS...]
 *
 * Runs CMD (stdin, stdout and stderr inherited), waits for it and writes one line to the file
 * REPORT: "<wall seconds> <peak RSS in KiB> <status>". Wall time is CLOCK_MONOTONIC from just
 * before fork to the child's exit, so it includes process start-up; peak RSS is the child's
 * ru_maxrss from wait4. status is the exit code, 128 + signal for a killed child, 124 when
 * the -t limit ran out (the child is then killed), 127 when CMD could not be started. With -c
 * a fourth field follows: the child's CPU seconds (user + system, all its threads), which
 * says more than wall time on a machine shared with other work. The timer exits with the same
 * status. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits for SIGCHLD at most limit seconds (0: forever); returns 0, or -1 when the time ran out. */
static int await_child(const sigset_t *chld, double limit)
{
	if (limit <= 0)
		return sigwaitinfo(chld, NULL) < 0 && errno != EINTR ? -1 : 0;
	double deadline = now() + limit;
	for (;;) {
		double left = deadline - now();
		if (left <= 0)
			return -1;
		struct timespec ts = {(time_t)left, (long)((left - (double)(time_t)left) * 1e9)};
		if (sigtimedwait(chld, NULL, &ts) >= 0)
			return 0;
		if (errno != EINTR && errno != EAGAIN)
			return -1;
	}
}

static int status_of(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : 70;
}

int main(int argc, char **argv)
{
	double limit = 0;
	int first = 1, cpu = 0;
	for (;;) {
		if (argc - first > 1 && strcmp(argv[first], "-t") == 0) {
			limit = atof(argv[first + 1]);
			first += 2;
		} else if (argc - first > 0 && strcmp(argv[first], "-c") == 0) {
			cpu = 1;
			first++;
		} else {
			break;
		}
	}
	if (argc - first < 2) {
		fprintf(stderr, "usage: bench-timer [-t SECONDS] [-c] REPORT CMD [ARGS...]\n");
		return 64;
	}
	signal(SIGCHLD, SIG_DFL); /* an inherited SIG_IGN would reap the child for us */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	double start = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench-timer: fork");
		return 70;
	}
	if (pid == 0) {
		sigprocmask(SIG_UNBLOCK, &chld, NULL);
		execvp(argv[first + 1], argv + first + 1);
		fprintf(stderr, "bench-timer: %s: %s\n", argv[first + 1], strerror(errno));
		_exit(127);
	}
	int timed_out = await_child(&chld, limit) != 0, wstatus = 0;
	if (timed_out)
		kill(pid, SIGKILL);
	struct rusage ru;
	while (wait4(pid, &wstatus, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("bench-timer: wait4");
			return 70;
		}
	double wall = now() - start;
	int status = timed_out ? 124 : status_of(wstatus);
	FILE *report = fopen(argv[first], "w");
	if (!report) {
		perror(argv[first]);
		return 73;
	}
	if (cpu)
		fprintf(report, "%.6f %ld %d %.6f\n", wall, ru.ru_maxrss, status,
			(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	else
		fprintf(report, "%.6f %ld %d\n", wall, ru.ru_maxrss, status);
	fclose(report);
	return status;
}
