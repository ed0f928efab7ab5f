/* confine_hook.c: the self-confinement test hook, linked into wasi-tofu-hooked (never into
 * wasi-tofu): WASI_TOFU_TEST_ESCAPE=WHAT makes the host do one wrong thing right after it
 * confined itself, before the guest runs, and say on stderr how it went.
 *   read:PATH      open PATH for reading        write:PATH  create PATH and write to it
 *   connect:PORT   a TCP connection to 127.0.0.1:PORT
 *   exec:PATH      execve PATH (a shell: "-c 'echo confine-hook: exec ran'")
 *   ptrace:PID     PTRACE_SEIZE the process PID (detached when this one exits)
 * The guest cannot reach this: it reads the host's environment, which the guest never sets. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmd.h"

static void report(const char *what, int rc)
{
	if (rc < 0)
		fprintf(stderr, "confine-hook: %s: refused: %s\n", what, strerror(errno));
	else
		fprintf(stderr, "confine-hook: %s: done\n", what);
}

static int do_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	if (write(fd, "escaped\n", 8) != 8) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int do_connect(const char *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port))};
	int rc, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	if (rc < 0 && errno == ECONNREFUSED)
		rc = 0; /* the call reached the network: nothing stopped it */
	close(fd);
	return rc;
}

static int do_exec(const char *path)
{
	char *argv[] = {(char *)path, "-c", "echo confine-hook: exec ran >&2", NULL};

	return execv(path, argv);
}

static void escape(void *ctx)
{
	const char *what = ctx, *arg = strchr(what, ':');
	int rc;

	if (!arg)
		return;
	arg++;
	if (strncmp(what, "read:", 5) == 0)
		rc = open(arg, O_RDONLY | O_CLOEXEC);
	else if (strncmp(what, "write:", 6) == 0)
		rc = do_write(arg);
	else if (strncmp(what, "connect:", 8) == 0)
		rc = do_connect(arg);
	else if (strncmp(what, "exec:", 5) == 0)
		rc = do_exec(arg);
	else if (strncmp(what, "ptrace:", 7) == 0)
		rc = (int)ptrace(PTRACE_SEIZE, (pid_t)atoi(arg), NULL, NULL);
	else
		return;
	report(what, rc);
}

void wt_cmd_confine_hook(wt_confine_config *c)
{
	const char *what = getenv("WASI_TOFU_TEST_ESCAPE");

	if (what && *what) {
		c->confined = escape;
		c->ctx = (void *)what;
	}
}
