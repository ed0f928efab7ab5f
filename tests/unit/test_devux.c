/* test_devux.c: deviations wired into the manifest policy (asked once per run on a pty, logged,
 * escaped when printed) and wt_manifest_merge (record --update). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "devask.h"
#include "diff.h"
#include "enforce.h"
#include "manifest.h"
#include "merge.h"

static wt_manifest *load(const char *yaml)
{
	wt_manifest *m = NULL;
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_manifest_load(yaml, strlen(yaml), "test.yaml", &m, NULL, NULL, &err),
			 0);
	return m;
}

/* ---- merge ---- */

typedef struct merge_case {
	const char *name;
	const char *old, *recorded;
	const char *diff; /* wt_manifest_diff(old, merged) lines, each ending in '\n' */
} merge_case;

#define HEAD "version: 1\nmodule: {name: t.wasm, sha256: "
#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static const merge_case merge_cases[] = {
    {"same recording: nothing new", HEAD SHA_A "}\nfiles:\n  - {path: /src/a, allow: [read]}\n",
     HEAD SHA_A "}\nfiles:\n  - {path: /src/a, allow: [read]}\n", ""},
    {"a new file", HEAD SHA_A "}\nfiles:\n  - {path: /src/a, allow: [read]}\n",
     HEAD SHA_A "}\nfiles:\n  - {path: /src/a, allow: [read]}\n  - {path: /src/b, allow: [read]}\n",
     "+ read /src/b\n"},
    {"a new right on the same pattern widens it",
     HEAD SHA_A "}\nfiles:\n  - {path: /out/x, allow: [create]}\n",
     HEAD SHA_A "}\nfiles:\n  - {path: /out/x, allow: [create, write]}\n", "+ write /out/x\n"},
    {"a path a wildcard rule covers is not added",
     HEAD SHA_A "}\nfiles:\n  - {path: \"/src/*\", allow: [read, stat]}\n",
     HEAD SHA_A
     "}\nfiles:\n  - {path: /src/c, allow: [read]}\n  - {path: /src/d, allow: [stat, list]}\n",
     "+ list /src/d\n"},
    {"what the recording no longer does stays granted",
     HEAD SHA_A "}\nfiles:\n  - {path: /src/a, allow: [read]}\nenv: [HOME]\nclocks: [monotonic]\n",
     HEAD SHA_A "}\nenv: [PATH]\nclocks: [realtime]\nrandom: true\n",
     "+ env PATH\n+ clock realtime\n+ random\n"},
    {"a changed module: the new pin", HEAD SHA_A "}\nstdio: [stdout]\nexit_codes: [0]\n",
     HEAD SHA_B "}\nstdio: [stdout, stderr]\nexit_codes: [0, 2]\n", NULL},
    {"absent and mounts: the union",
     HEAD SHA_A "}\nmounts:\n  /src: {host: src, mode: ro}\nabsent: [/src/.rc]\n",
     HEAD SHA_A "}\nmounts:\n  /src: {host: src, mode: ro}\n  /out: {host: out, mode: rw}\n"
		"absent: [/src/.rc, /src/.cfg]\n",
     NULL},
    {"a run in the manifest's cwd keeps it",
     HEAD SHA_A "}\nmounts:\n  /src: {host: src, mode: ro}\n  /w: {host: w, mode: ro}\ncwd: /w\n",
     HEAD SHA_A "}\nmounts:\n  /src: {host: src, mode: ro}\n  /w: {host: w, mode: ro}\ncwd: /w\n",
     ""},
    {"a rule only for new entries covers no plain grant",
     HEAD SHA_A "}\nfiles:\n  - {path: \"/p/*\", allow: [write], only: new}\n",
     HEAD SHA_A "}\nfiles:\n  - {path: /p/out, allow: [write]}\n", "+ write /p/out\n"},
    {"a plain rule covers one only for new entries",
     HEAD SHA_A "}\nfiles:\n  - {path: \"/p/*\", allow: [write, create]}\n",
     HEAD SHA_A "}\nfiles:\n  - {path: \"/p/*\", allow: [create], only: new}\n", ""},
    {"a rule only for new entries widens its own kind",
     HEAD SHA_A "}\nfiles:\n  - {path: \"/p/*\", allow: [create], only: new}\n",
     HEAD SHA_A "}\nfiles:\n  - {path: \"/p/*\", allow: [write, create], only: new}\n",
     "+ write /p/* (only new)\n"},
    {"refused: the union, old's errno first",
     HEAD SHA_A "}\nrefused:\n  - {path: /a, call: path_open, errno: ELOOP}\n",
     HEAD SHA_A "}\nrefused:\n  - {path: /a, call: path_open, errno: EIO}\n"
		"  - {path: /b, call: path_open, errno: EIO}\n",
     "+ refused path_open /b EIO\n"},
    {"a run in another cwd (--cwd): the new one",
     HEAD SHA_A "}\nmounts:\n  /src: {host: src, mode: ro}\n  /w: {host: w, mode: ro}\ncwd: /w\n",
     HEAD SHA_A "}\nmounts:\n  /src: {host: src, mode: ro}\n  /w: {host: w, mode: ro}\n",
     "~ cwd /w -> (the first mount)\n"},
};

static void add_line(void *ctx, const char *line)
{
	char **acc = ctx, *grown;

	assert_true(asprintf(&grown, "%s%s\n", *acc, line) >= 0);
	free(*acc);
	*acc = grown;
}

static void test_merge_adds_only_what_is_new(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof merge_cases / sizeof merge_cases[0]; i++) {
		const merge_case *c = &merge_cases[i];
		wt_manifest *old = load(c->old), *rec = load(c->recorded), *merged = NULL;
		char *lines = strdup("");
		wt_error err;

		print_message("case: %s\n", c->name);
		wt_error_init(&err);
		assert_int_equal(wt_manifest_merge(old, rec, &merged, &err), 0);
		assert_true(wt_manifest_diff(old, merged, add_line, &lines) != (size_t)-1);
		if (c->diff)
			assert_string_equal(lines, c->diff);
		/* the merged manifest grants everything both do: nothing of either is missing */
		char *none = strdup("");
		wt_manifest_diff(merged, old, add_line, &none);
		assert_null(strstr(none, "\n+"));
		assert_false(none[0] == '+');
		free(none);
		free(lines);
		wt_manifest_free(old), wt_manifest_free(rec), wt_manifest_free(merged);
	}
}

static void test_merge_keeps_the_new_pin_and_old_choices(void **state)
{
	wt_manifest *old = load(HEAD SHA_A "}\nlimits: {fuel: 1000}\non_deviation: deny\n"
					   "stdio: [stdout]\nexit_codes: [0]\n");
	wt_manifest *rec = load(HEAD SHA_B "}\nstdio: [stderr]\nexit_codes: [2, 0]\n");
	wt_manifest *m = NULL;
	wt_error err;

	(void)state;
	wt_error_init(&err);
	assert_int_equal(wt_manifest_merge(old, rec, &m, &err), 0);
	assert_string_equal(m->sha256, SHA_B);
	assert_int_equal(m->limits.fuel, 1000);
	assert_int_equal(m->on_deviation, WT_ON_DEV_DENY);
	assert_int_equal(m->stdio, WT_STDIO_STDOUT | WT_STDIO_STDERR);
	assert_int_equal(m->nexit_codes, 2);
	assert_int_equal(m->exit_codes[0], 0);
	assert_int_equal(m->exit_codes[1], 2);
	wt_manifest_free(old), wt_manifest_free(rec), wt_manifest_free(m);
}

/* ---- the policy with a devask ---- */

static const char *const strict = "version: 1\nfiles:\n  - {path: /src/a, allow: [read]}\n";

static wt_enforce *policy(const wt_manifest *m, wt_devask *d)
{
	wt_enforce_config cfg = {.manifest = m, .manifest_name = "t.yaml", .devask = d};
	wt_enforce *e = NULL;
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_enforce_new(&cfg, &e, &err), 0);
	return e;
}

static wt_event file_event(wt_wasi_call call, const char *path, uint32_t rights, uint64_t seq)
{
	wt_event ev = {.seq = seq, .call = call, .fd = 3, .rights = rights};

	if (call == WT_WASI_fd_read)
		ev.fd_path = path;
	else
		ev.path = path, ev.path_len = (uint32_t)strlen(path);
	return ev;
}

typedef struct mode_case {
	wt_on_deviation mode;
	wt_verdict verdict;
	const char *outcome;
} mode_case;

static void test_policy_devask_settles_by_mode_and_logs_once(void **state)
{
	static const mode_case cases[] = {
	    {WT_ON_DEV_DENY, WT_DENY, "deny"},
	    {WT_ON_DEV_HIDE, WT_HIDE, "hide"},
	    {WT_ON_DEV_FAIL, WT_STOP, "stop"},
	    {WT_ON_DEV_PROMPT, WT_STOP, "stop"}, /* no terminal: acts as fail */
	};
	wt_manifest *m = load(strict);

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		wt_devask d = {.mode = cases[i].mode, .log = wt_devlog_new()};
		wt_enforce *e = policy(m, &d);
		wt_event ev = file_event(WT_WASI_path_open, "/src/b", WT_RIGHT_READ, 7);

		assert_int_equal(wt_enforce_decide(e, &ev), cases[i].verdict);
		assert_int_equal(wt_enforce_decide(e, &ev), cases[i].verdict);
		assert_int_equal(wt_enforce_stopped(e), cases[i].verdict == WT_STOP);
		assert_int_equal(wt_devlog_count(d.log), 1);
		const wt_devlog_entry *en = wt_devlog_get(d.log, 0);
		assert_int_equal(en->count, 2);
		assert_int_equal(en->seq, 7);
		assert_string_equal(wt_devlog_outcome_name(en->outcome), cases[i].outcome);
		assert_string_equal(en->fix, "- {path: /src/b, allow: [read]}");
		wt_enforce_free(e);
		wt_devlog_free(d.log);
	}
	wt_manifest_free(m);
}

/* The other end of the pty: answers every "> " with answer, counts the
 * questions ("wants to"), and exits with that count when the line is quiet. */
static void answerer(int master, const char *answer)
{
	char buf[4096], seen[8192];
	size_t n = 0;
	int questions = 0;
	struct pollfd p = {.fd = master, .events = POLLIN};

	while (poll(&p, 1, 1500) > 0) {
		ssize_t k = read(master, buf, sizeof buf);

		if (k <= 0)
			break;
		for (ssize_t i = 0; i < k; i++) {
			seen[n++ % sizeof seen] = buf[i];
			if (n >= 2 && seen[(n - 2) % sizeof seen] == '>' &&
			    seen[(n - 1) % sizeof seen] == ' ') {
				questions++;
				if (write(master, answer, strlen(answer)) < 0)
					_exit(100);
			}
		}
	}
	_exit(questions);
}

static int open_pty(int *slave)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);

	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	*slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(*slave >= 0);
	return master;
}

static void test_policy_prompt_asks_once_per_run(void **state)
{
	wt_manifest *m = load(strict);
	int slave, master = open_pty(&slave), st;
	wt_devask d = {.mode = WT_ON_DEV_PROMPT, .log = wt_devlog_new()};
	pid_t pid;
	wt_enforce *e;
	wt_event open_b = file_event(WT_WASI_path_open, "/src/b", WT_RIGHT_READ, 1);
	wt_event read_b = file_event(WT_WASI_fd_read, "/src/b", WT_RIGHT_READ, 2);
	wt_event write_b = file_event(WT_WASI_path_open, "/src/b", WT_RIGHT_WRITE, 3);

	(void)state;
	if ((pid = fork()) == 0)
		answerer(master, "y\n");
	d.prompt = wt_prompt_new_fd(slave, "t.wasm", "t.yaml");
	e = policy(m, &d);
	/* path_open allowed at the prompt; the fd_read and a second open on it are not asked */
	assert_int_equal(wt_enforce_decide(e, &open_b), WT_ALLOW);
	assert_int_equal(wt_enforce_decide(e, &read_b), WT_ALLOW);
	assert_int_equal(wt_enforce_decide(e, &open_b), WT_ALLOW);
	/* another right on the same path is a new question */
	assert_int_equal(wt_enforce_decide(e, &write_b), WT_ALLOW);
	assert_int_equal(wt_devlog_count(d.log), 2);
	assert_string_equal(wt_devlog_outcome_name(wt_devlog_get(d.log, 0)->outcome), "allow-once");
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	wt_enforce_free(e);
	wt_prompt_free(d.prompt);
	wt_devlog_free(d.log);
	close(slave), close(master);
	wt_manifest_free(m);
}

static void test_policy_prompt_stop_stops_the_run(void **state)
{
	wt_manifest *m = load(strict);
	int slave, master = open_pty(&slave), st;
	wt_devask d = {.mode = WT_ON_DEV_PROMPT, .log = wt_devlog_new()};
	pid_t pid;
	wt_enforce *e;
	wt_event ev = file_event(WT_WASI_path_open, "/src/c", WT_RIGHT_READ, 1);
	wt_event clock = {.seq = 2, .call = WT_WASI_clock_time_get, .clock_id = 0};

	(void)state;
	if ((pid = fork()) == 0)
		answerer(master, "s\n");
	d.prompt = wt_prompt_new_fd(slave, "t.wasm", "t.yaml");
	e = policy(m, &d);
	assert_int_equal(wt_enforce_decide(e, &ev), WT_STOP);
	assert_true(wt_enforce_stopped(e));
	assert_int_equal(wt_enforce_decide(e, &clock), WT_STOP); /* not asked again */
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(WEXITSTATUS(st), 1);
	wt_enforce_free(e);
	wt_prompt_free(d.prompt);
	wt_devlog_free(d.log);
	close(slave), close(master);
	wt_manifest_free(m);
}

/* ---- printing ---- */

static void test_print_escapes_guest_paths(void **state)
{
	static const char path[] = "/src/\x1b]0;pwned\x07\x1b[2J\xe2\x80\xae"
				   "x";
	wt_manifest *m = load(strict);
	wt_enforce_config cfg = {.manifest = m, .manifest_name = "t.yaml", .mode = WT_ON_DEV_DENY};
	wt_enforce *e = NULL;
	wt_error err;
	wt_event ev = file_event(WT_WASI_path_open, path, WT_RIGHT_READ, 1);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	wt_error_init(&err);
	assert_int_equal(wt_enforce_new(&cfg, &e, &err), 0);
	assert_int_equal(wt_enforce_decide(e, &ev), WT_DENY);
	assert_int_equal(wt_enforce_count(e), 1);
	wt_enforce_print(e, wt_enforce_get(e, 0), f);
	fclose(f);
	assert_null(memchr(text, 0x1b, len));
	assert_null(memchr(text, 0x07, len));
	assert_null(strstr(text, "\xe2\x80\xae"));
	assert_non_null(
	    strstr(text, "path_open /src/\\x1b]0;pwned\\x07\\x1b[2J\\u202ex wants [read]"));
	free(text);
	wt_enforce_free(e);
	wt_manifest_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_merge_adds_only_what_is_new),
	    cmocka_unit_test(test_merge_keeps_the_new_pin_and_old_choices),
	    cmocka_unit_test(test_policy_devask_settles_by_mode_and_logs_once),
	    cmocka_unit_test(test_policy_prompt_asks_once_per_run),
	    cmocka_unit_test(test_policy_prompt_stop_stops_the_run),
	    cmocka_unit_test(test_print_escapes_guest_paths),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
