/* devux_pty.c: runs a command on a fresh pseudo-terminal (its controlling terminal, so /dev/tty is
 * the pty) and plays a script of keys and expected output against it; the deviation prompt tests.
 *
 * usage: devux_pty [-t SECONDS] [-o TRANSCRIPT] STEP... -- COMMAND [ARGS...]
 *   type:TEXT   write TEXT to the terminal now (as if typed; \n \r \e \a \\ \xNN understood)
 *   wait:TEXT   read the command's output until TEXT has appeared (since the last wait)
 *   sleep:MS    wait MS milliseconds, reading output
 * Then reads output until the command ends. The transcript (every byte the command wrote to
 * the terminal) goes to TRANSCRIPT. Exit status: the command's; 124 when a wait or the end
 * timed out (default 60 seconds: a bound for a loaded machine (ctest -j8, sanitizers), not a
 * timing), 125 on a usage or system error. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

enum { EXIT_TIMEOUT = 124, EXIT_HARNESS = 125 };

typedef struct session {
	int master;
	pid_t child;
	char *out;	       /* every byte read so far */
	size_t len, cap, mark; /* mark: where the next wait starts looking */
	double deadline;
} session;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Undoes the escapes of a step's TEXT in place; returns its length. */
static size_t unescape(char *s)
{
	size_t n = 0;

	for (char *p = s; *p; p++) {
		char c = *p;

		if (c == '\\' && p[1]) {
			c = *++p;
			if (c == 'n')
				c = '\n';
			else if (c == 'r')
				c = '\r';
			else if (c == 'e')
				c = 27;
			else if (c == 'a')
				c = 7;
			else if (c == 'x' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0)
				c = (char)(hexval(p[1]) * 16 + hexval(p[2])), p += 2;
		}
		s[n++] = c;
	}
	s[n] = 0;
	return n;
}

/* Reads what is there within ms milliseconds; 0, or -1 at the end of output. */
static int pump(session *s, int ms)
{
	struct pollfd pfd = {.fd = s->master, .events = POLLIN};
	char buf[4096];
	ssize_t k;

	if (poll(&pfd, 1, ms) <= 0)
		return 0;
	k = read(s->master, buf, sizeof buf);
	if (k <= 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1; /* EIO: the slave is closed */
	if (s->len + (size_t)k + 1 > s->cap) {
		size_t cap = (s->cap + (size_t)k) * 2;
		char *grown = realloc(s->out, cap);

		if (!grown)
			return -1;
		s->out = grown, s->cap = cap;
	}
	memcpy(s->out + s->len, buf, (size_t)k);
	s->len += (size_t)k;
	s->out[s->len] = 0;
	return 0;
}

static int wait_for(session *s, const char *text, size_t n)
{
	for (;;) {
		if (s->len >= s->mark + n) {
			char *hit = memmem(s->out + s->mark, s->len - s->mark, text, n);

			if (hit) {
				s->mark = (size_t)(hit - s->out) + n;
				return 0;
			}
		}
		if (now() > s->deadline || pump(s, 50) < 0) {
			fprintf(stderr, "devux_pty: did not see \"%s\"\n", text);
			return EXIT_TIMEOUT;
		}
	}
}

static int step(session *s, char *arg)
{
	char *text = strchr(arg, ':');
	size_t n;

	if (!text)
		return EXIT_HARNESS;
	*text++ = 0;
	n = unescape(text);
	if (strcmp(arg, "type") == 0)
		return write(s->master, text, n) == (ssize_t)n ? 0 : EXIT_HARNESS;
	if (strcmp(arg, "wait") == 0)
		return wait_for(s, text, n);
	if (strcmp(arg, "sleep") == 0) {
		double until = now() + atof(text) / 1000;

		while (now() < until)
			pump(s, 10);
		return 0;
	}
	return EXIT_HARNESS;
}

/* The child: a new session whose controlling terminal is the pty's slave. */
static void child(const char *slave_name, char **cmd)
{
	int fd;

	setsid();
	if ((fd = open(slave_name, O_RDWR)) < 0 || ioctl(fd, TIOCSCTTY, 0) < 0)
		_exit(EXIT_HARNESS);
	dup2(fd, 0), dup2(fd, 1), dup2(fd, 2);
	if (fd > 2)
		close(fd);
	execvp(cmd[0], cmd);
	_exit(127);
}

static int start(session *s, char **cmd)
{
	struct winsize ws = {.ws_row = 24, .ws_col = 80};
	char *slave;

	if ((s->master = posix_openpt(O_RDWR | O_NOCTTY)) < 0 || grantpt(s->master) ||
	    unlockpt(s->master) || !(slave = ptsname(s->master)))
		return EXIT_HARNESS;
	ioctl(s->master, TIOCSWINSZ, &ws);
	if ((s->child = fork()) < 0)
		return EXIT_HARNESS;
	if (s->child == 0)
		child(slave, cmd);
	return 0;
}

/* Reads until the terminal is closed (the command ended), then reaps it; its status. */
static int finish(session *s)
{
	int st = 0;
	pid_t done = 0;

	while (now() < s->deadline && pump(s, 50) == 0)
		;
	while (now() < s->deadline && (done = waitpid(s->child, &st, WNOHANG)) == 0)
		usleep(10000);
	if (done <= 0) {
		fprintf(stderr, "devux_pty: the command did not end in time\n");
		kill(s->child, SIGKILL);
		waitpid(s->child, &st, 0);
		return EXIT_TIMEOUT;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	session s = {.master = -1};
	const char *transcript = NULL;
	double limit = 60;
	int i = 1, first, rc = 0;

	for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--"); i += 2) {
		if (strcmp(argv[i], "-t") == 0)
			limit = atof(argv[i + 1]);
		else if (strcmp(argv[i], "-o") == 0)
			transcript = argv[i + 1];
		else
			break;
	}
	first = i;
	while (i < argc && strcmp(argv[i], "--") != 0)
		i++;
	if (i + 1 >= argc) {
		fprintf(stderr, "usage: devux_pty [-t S] [-o FILE] STEP... -- COMMAND [ARGS...]\n");
		return EXIT_HARNESS;
	}
	signal(SIGPIPE, SIG_IGN);
	s.deadline = now() + limit;
	if (start(&s, argv + i + 1))
		return EXIT_HARNESS;
	for (int k = first; k < i && rc == 0; k++)
		rc = step(&s, argv[k]);
	if (rc) {
		kill(s.child, SIGKILL);
		waitpid(s.child, NULL, 0);
	} else {
		rc = finish(&s);
	}
	if (transcript) {
		FILE *f = fopen(transcript, "wb");

		if (f && s.len)
			fwrite(s.out, 1, s.len, f);
		if (f)
			fclose(f);
	}
	free(s.out);
	return rc;
}
