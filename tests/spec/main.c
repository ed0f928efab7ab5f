/* main.c: wt_spec, the spec-testsuite runner: runs one wast2json script in a supervised child
 * process, prints its totals and checks the outcome against the known-failures list. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "script.h"

typedef struct options {
	const char *json;
	const char *known; /* the known-failures list, or NULL */
	char name[256];
	char dir[4096];
	int verbose;
	int jit;	/* --tier jit */
	double timeout; /* seconds one command may run (0 until given: 20, or 120 on the jit tier,
			   whose module commands include GCC's compile of the module) */
} options;

/* How the child ended, as the parent saw it. */
typedef struct ending {
	int signal;    /* killed by this signal (crash), or 0 */
	int timed_out; /* the parent killed it: a command ran too long */
	int status;    /* exit status when it exited */
} ending;

static int usage(void)
{
	fprintf(stderr, "usage: wt_spec [-v] [--name NAME] [--known-failures FILE] "
			"[--timeout SECONDS] [--tier interp|jit] SCRIPT.json\n");
	return 2;
}

/* NAME from .../NAME.json, and the folder holding it. */
static void name_from_path(options *o)
{
	const char *slash = strrchr(o->json, '/');
	const char *base = slash ? slash + 1 : o->json;
	size_t dirlen = slash ? (size_t)(slash - o->json) : 1;
	snprintf(o->dir, sizeof o->dir, "%.*s", (int)dirlen, slash ? o->json : ".");
	if (!o->name[0]) {
		size_t n = strlen(base);
		if (n > 5 && !strcmp(base + n - 5, ".json"))
			n -= 5;
		snprintf(o->name, sizeof o->name, "%.*s", (int)n, base);
	}
}

static int parse_args(int argc, char **argv, options *o)
{
	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int has_value = i + 1 < argc;
		if (!strcmp(a, "-v"))
			o->verbose = 1;
		else if (!strcmp(a, "--name") && has_value)
			snprintf(o->name, sizeof o->name, "%s", argv[++i]);
		else if (!strcmp(a, "--known-failures") && has_value)
			o->known = argv[++i];
		else if (!strcmp(a, "--tier") && has_value)
			o->jit = !strcmp(argv[++i], "jit");
		else if (!strcmp(a, "--timeout") && has_value)
			o->timeout = atof(argv[++i]);
		else if (a[0] != '-' && !o->json)
			o->json = a;
		else
			return -1;
	}
	if (o->timeout == 0)
		o->timeout = o->jit ? 120 : 20;
	if (!o->json || o->timeout <= 0)
		return -1;
	name_from_path(o);
	return 0;
}

/* Whether `name` is a line of the known-failures list ("name  # why"). */
static int is_known_failure(const char *path, const char *name)
{
	char line[512];
	int found = 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "wt_spec: cannot open %s: %s\n", path, strerror(errno));
		return 0;
	}
	while (!found && fgets(line, sizeof line, f)) {
		line[strcspn(line, "#\r\n")] = 0;
		char *s = line + strspn(line, " \t");
		size_t n = strcspn(s, " \t");
		found = n && n == strlen(name) && !memcmp(s, name, n);
	}
	fclose(f);
	return found;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits for the child; kills it when one command runs longer than the
 * timeout. `done_fd` is the read end of a pipe only the child holds open. */
static ending supervise(pid_t pid, int done_fd, const wt_spec_progress *p, double timeout)
{
	ending e = {0, 0, 0};
	unsigned last_cmd = p->cmd;
	double since = now();
	for (;;) {
		struct pollfd pfd = {done_fd, POLLIN, 0};
		if (poll(&pfd, 1, 100) > 0)
			break; /* EOF: the child is ending */
		if (p->cmd != last_cmd) {
			last_cmd = p->cmd;
			since = now();
		} else if (now() - since > timeout) {
			kill(pid, SIGKILL);
			e.timed_out = 1;
			break;
		}
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st) && !e.timed_out)
		e.signal = WTERMSIG(st);
	else if (WIFEXITED(st))
		e.status = WEXITSTATUS(st);
	return e;
}

/* Runs the script in a child process; returns how it ended. */
static int run_child(const wt_spec_script *sc, const options *o, wt_spec_progress *p, ending *e)
{
	int fds[2];
	if (pipe(fds))
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(fds[0]);
		wt_spec_options ro = {o->dir, o->name, o->verbose, stdout, o->jit};
		int rc = wt_spec_run(sc, &ro, p);
		fflush(stdout);
		exit(rc ? 3 : 0);
	}
	close(fds[1]);
	*e = supervise(pid, fds[0], p, o->timeout);
	close(fds[0]);
	return 0;
}

/* Prints how an unfinished run ended; returns 1 (one more failure). */
static unsigned report_abort(const wt_spec_script *sc, const options *o, const wt_spec_progress *p,
			     const ending *e)
{
	const char *cmd = p->cmd < sc->ncmds ? wt_spec_cmd_name(sc->cmds[p->cmd].kind) : "end";
	unsigned left = p->cmd < sc->ncmds ? (unsigned)(sc->ncmds - p->cmd - 1) : 0;
	if (e->timed_out)
		printf("%s.wast:%u: %s: no progress for %g s: killed", o->name, p->line, cmd,
		       o->timeout);
	else if (e->signal)
		printf("%s.wast:%u: %s: crashed (signal %d, %s)", o->name, p->line, cmd, e->signal,
		       strsignal(e->signal));
	else
		printf("%s.wast:%u: %s: the runner exited with status %d", o->name, p->line, cmd,
		       e->status);
	printf("; %u later commands not run\n", left);
	return 1;
}

/* Prints the totals and checks them against the list; the exit status. */
static int judge(const options *o, unsigned passed, unsigned failed, unsigned skipped)
{
	printf("%s: %u passed, %u failed, %u skipped\n", o->name, passed, failed, skipped);
	int listed = o->known && is_known_failure(o->known, o->name);
	if (failed && listed) {
		printf("%s: known failure (listed in %s)\n", o->name, o->known);
		return 0;
	}
	if (!failed && listed) {
		printf("%s: listed as known failure but passes: remove it from the list %s\n",
		       o->name, o->known);
		return 1;
	}
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	options o;
	wt_spec_script sc;
	char msg[512];
	ending e;
	if (parse_args(argc, argv, &o))
		return usage();
	if (wt_spec_script_load(o.json, &sc, msg, sizeof msg)) {
		fprintf(stderr, "wt_spec: %s\n", msg);
		return 1;
	}
	wt_spec_progress *p =
	    mmap(NULL, sizeof *p, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || run_child(&sc, &o, p, &e)) {
		fprintf(stderr, "wt_spec: cannot start the run: %s\n", strerror(errno));
		wt_spec_script_fini(&sc);
		return 1;
	}
	unsigned failed = p->failed;
	if (!p->done || e.status || e.signal || e.timed_out)
		failed += report_abort(&sc, &o, p, &e);
	int rc = judge(&o, p->passed, failed, p->skipped);
	munmap(p, sizeof *p);
	wt_spec_script_fini(&sc);
	return rc;
}
