/* test_limits.c: end-to-end: the run's limits hold against hostile modules, through the built CLI.
 *
 * --max-memory bounds the whole module (its memory, tables and the engine's own structures):
 * the child's peak RSS (from wait4) must stay far below what the module asks for. --fuel stops
 * a huge bulk operation before it writes a byte. --timeout ends a run whatever the module is
 * blocked in: a sleep of 2^64-1 ns, a poll or a read of a pipe nobody writes to, a write into a
 * pipe nobody reads, the open of a FIFO nobody opens; a recorded run still gets its journal's
 * end line. Each run is watched by this harness: one that
 * has not ended after WATCHDOG_SECONDS is killed and fails its case (a generous bound on a run
 * that must end by itself, not a measure of speed); ctest's TIMEOUT backs the watchdog up.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "wt_e2e_util.h"

extern char **environ;

enum { WATCHDOG_SECONDS = 30, MIB = 1024 /* KiB */ };

/* What the child's stdin or stdout is. */
typedef enum {
	IO_NULL,      /* /dev/null (stdin), a file in scratch (stdout) */
	IO_PIPE_IDLE, /* a pipe whose other end this harness holds and never uses */
} io_kind;

/* One run of the CLI and what it must give. "@F/" in args stands for the built fixtures
 * folder and "@T/" for this run's scratch folder. */
typedef struct limit_case {
	const char *name;
	const char *args[16]; /* after "wasi-tofu"; NULL-terminated */
	io_kind in, out;
	int status;		 /* expected exit status */
	const char *err_has;	 /* stderr contains */
	long max_rss_kib;	 /* the child's peak RSS must stay below; 0 = no check */
	const char *journal;	 /* this journal's last line ... */
	const char *journal_end; /* ... contains this */
} limit_case;

static const limit_case cases[] = {
    /* Ten tables of 256 MiB each (2.5 GiB) under a budget of 256 MiB for everything: the
     * module does not start, and nothing of that size was ever allocated. */
    {"ten_tables_over_budget",
     {"run", "--max-memory", "256M", "@F/limit_tables.wasm"},
     .status = 70,
     .err_has = "table of 33554432 entries exceeds the memory limit",
     .max_rss_kib = 64 * MIB},
    /* Twenty grows of 64 MiB (ten tables, one memory): the first three fit in 256 MiB with
     * the module's own structures, every later one returns -1 to the module, which exits
     * with the count. */
    {"grows_share_one_budget",
     {"run", "--max-memory", "256M", "@F/limit_grow.wasm"},
     .status = 3,
     .max_rss_kib = 320 * MIB},
    {"grows_record_same_budget",
     {"record", "--max-memory", "256M", "-o", "@T/grow.yaml", "@F/limit_grow.wasm"},
     .status = 3,
     .max_rss_kib = 320 * MIB},
    /* memory.fill of 1 GiB costs 2^27 fuel: with 10^6 it traps before writing, so the
     * gigabyte is never touched. */
    {"fill_pays_fuel_first",
     {"run", "--fuel", "1000000", "@F/limit_fill.wasm"},
     .status = 134,
     .err_has = "wasi-tofu: run: trap: fuel exhausted",
     .max_rss_kib = 64 * MIB},
    /* Each of these would block forever; --timeout 1 must end it with the timeout trap. */
    {"timeout_sleep_forever",
     {"run", "--timeout", "1", "@F/timeout_sleep.wasm"},
     .status = 134,
     .err_has = "wasi-tofu: run: trap: time limit exceeded"},
    {"timeout_poll_idle_stdin",
     {"run", "--timeout", "1", "@F/timeout_pollfd.wasm"},
     .in = IO_PIPE_IDLE,
     .status = 134,
     .err_has = "wasi-tofu: run: trap: time limit exceeded"},
    {"timeout_read_idle_stdin",
     {"run", "--timeout", "1", "@F/timeout_read.wasm"},
     .in = IO_PIPE_IDLE,
     .status = 134,
     .err_has = "wasi-tofu: run: trap: time limit exceeded"},
    {"timeout_write_full_stdout",
     {"run", "--timeout", "1", "@F/timeout_write.wasm"},
     .out = IO_PIPE_IDLE,
     .status = 134,
     .err_has = "wasi-tofu: run: trap: time limit exceeded"},
    {"timeout_open_lonely_fifo",
     {"run", "--timeout", "1", "--mount", "@T/fifo:/m", "@F/timeout_fifo.wasm"},
     .status = 134,
     .err_has = "wasi-tofu: run: trap: time limit exceeded"},
    {"timeout_open_lonely_fifo_contained",
     {"record", "--contain", "--timeout", "1", "-o", "@T/contain.yaml", "--mount", "@T/fifo:/m",
      "@F/timeout_fifo.wasm"},
     .status = 134,
     .err_has = "wasi-tofu: record: trap: time limit exceeded"},
    {"timeout_manifest_limit",
     {"run", "--manifest", "@T/timeout.yaml", "@F/timeout_sleep.wasm"},
     .status = 134,
     .err_has = "wasi-tofu: run: trap: time limit exceeded"},
    /* Recorded: the journal still ends with the trap. */
    {"timeout_record_read_journal_ends",
     {"record", "--timeout", "1", "-o", "@T/read.yaml", "--journal", "@T/read.jsonl",
      "@F/timeout_read.wasm"},
     .in = IO_PIPE_IDLE,
     .status = 134,
     .err_has = "wasi-tofu: record: trap: time limit exceeded",
     .journal = "@T/read.jsonl",
     .journal_end = "\"end\":\"trap\",\"message\":\"time limit exceeded"},
    {"timeout_record_fifo_journal_ends",
     {"record", "--timeout", "0.5", "-o", "@T/fifo.yaml", "--journal", "@T/fifo.jsonl", "--mount",
      "@T/fifo:/m", "@F/timeout_fifo.wasm"},
     .status = 134,
     .err_has = "wasi-tofu: record: trap: time limit exceeded",
     .journal = "@T/fifo.jsonl",
     .journal_end = "\"end\":\"trap\",\"message\":\"time limit exceeded"},
};

static char scratch[64];

/* A manifest whose only limit is a wall time of 1 s (and the module's pin). */
static const char timeout_manifest[] = "version: 1\n"
				       "module: {name: timeout_sleep.wasm}\n"
				       "limits: {time: 1}\n";

static int setup_scratch(void **state)
{
	char path[128];
	FILE *f;

	strcpy(scratch, "/tmp/wt-limits-XXXXXX");
	if (!mkdtemp(scratch))
		return -1;
	snprintf(path, sizeof path, "%s/fifo", scratch);
	if (mkdir(path, 0755) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/fifo/fifo", scratch);
	if (mkfifo(path, 0600) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/timeout.yaml", scratch);
	if (!(f = fopen(path, "w")))
		return -1;
	fputs(timeout_manifest, f);
	return fclose(f);
}

static int teardown_scratch(void **state)
{
	return wt_e2e_rmtree(scratch);
}

/* The whole of a file, "" when it cannot be read; caller frees. */
static char *slurp(const char *path)
{
	char *text = wt_e2e_slurp(path);

	return text ? text : strdup("");
}

/* Plans the child's stdio stream fd. For a pipe, *keep is the harness's end (held, never used,
 * closed after the run) and *drop the child's end (closed once the child has it). */
static void plan_io(posix_spawn_file_actions_t *fa, int fd, io_kind kind, const char *file,
		    int *keep, int *drop)
{
	int p[2];

	*keep = *drop = -1;
	if (kind == IO_NULL) {
		if (fd == 0)
			posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0);
		else
			posix_spawn_file_actions_addopen(fa, fd, file, O_WRONLY | O_CREAT | O_TRUNC,
							 0644);
		return;
	}
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	*drop = p[fd == 0 ? 0 : 1];
	*keep = p[fd == 0 ? 1 : 0];
	posix_spawn_file_actions_adddup2(fa, *drop, fd);
}

static void close_if_open(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* Waits for pid under the watchdog; fills *status and *ru. 0, or -1 when the watchdog had to
 * kill it. */
static int watch(pid_t pid, int *status, struct rusage *ru)
{
	struct timespec tick = {0, 10 * 1000 * 1000};

	for (long waited = 0; waited < WATCHDOG_SECONDS * 100L; waited++) {
		pid_t got = wait4(pid, status, WNOHANG, ru);
		if (got == pid)
			return 0;
		assert_true(got == 0 || (got < 0 && errno == EINTR));
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	wait4(pid, status, 0, ru);
	return -1;
}

/* The last line of the journal at path contains want. */
static void check_journal_end(const char *path, const char *want)
{
	char *text = slurp(path), *last;
	size_t n = strlen(text);

	while (n > 0 && text[n - 1] == '\n')
		text[--n] = '\0';
	last = strrchr(text, '\n');
	last = last ? last + 1 : text;
	if (!strstr(last, want))
		fail_msg("%s: last line lacks [%s]: %s", path, want, last);
	free(text);
}

static void test_limit_case(void **state)
{
	const limit_case *c = *state;
	char *argv[20] = {WT_CLI}, out[128], err[128], *e;
	int argc = 1, status, keep_in, keep_out, drop_in, drop_out;
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	pid_t pid;

	for (int i = 0; c->args[i]; i++)
		argv[argc++] = wt_e2e_expand(c->args[i], WT_FIXTURES, scratch);
	snprintf(out, sizeof out, "%s/stdout", scratch);
	snprintf(err, sizeof err, "%s/stderr", scratch);
	posix_spawn_file_actions_init(&fa);
	plan_io(&fa, 0, c->in, NULL, &keep_in, &drop_in);
	plan_io(&fa, 1, c->out, out, &keep_out, &drop_out);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_int_equal(posix_spawn(&pid, WT_CLI, &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close_if_open(drop_in);
	close_if_open(drop_out);
	if (watch(pid, &status, &ru) != 0)
		fail_msg("%s: still running after %d s: killed", c->name, WATCHDOG_SECONDS);
	close_if_open(keep_in);
	close_if_open(keep_out);
	e = slurp(err);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != c->status)
		fail_msg("%s: status %d, want %d; stderr:\n%s", c->name, WEXITSTATUS(status),
			 c->status, e);
	if (c->err_has && !strstr(e, c->err_has))
		fail_msg("%s: stderr lacks [%s]:\n%s", c->name, c->err_has, e);
	if (c->max_rss_kib && ru.ru_maxrss >= c->max_rss_kib)
		fail_msg("%s: peak RSS %ld KiB, must stay below %ld KiB", c->name, ru.ru_maxrss,
			 c->max_rss_kib);
	if (c->journal) {
		char *path = wt_e2e_expand(c->journal, WT_FIXTURES, scratch);
		check_journal_end(path, c->journal_end);
		free(path);
	}
	for (int i = 1; i < argc; i++)
		free(argv[i]);
	free(e);
}

int main(void)
{
	enum { N = sizeof cases / sizeof cases[0] };
	struct CMUnitTest tests[N];
	static char names[N][96];

	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "test_limits_%s", cases[i].name);
		tests[i] =
		    (struct CMUnitTest){names[i], test_limit_case, NULL, NULL, (void *)&cases[i]};
	}
	return _cmocka_run_group_tests("e2e_limits", tests, N, setup_scratch, teardown_scratch);
}
