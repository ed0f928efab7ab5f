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

static wt_manifest *load_kind(wt_manifest_kind kind, const char *yaml)
{
	wt_manifest *m = NULL;
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(
	    wt_manifest_load_kind(kind, yaml, strlen(yaml), "test.yaml", &m, NULL, NULL, &err), 0);
	return m;
}

static wt_manifest *load(const char *yaml)
{
	return load_kind(WT_MANIFEST_FULL, yaml);
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
     "+ /src/b [read]\n"},
    {"a new right on the same pattern widens it",
     HEAD SHA_A "}\nfiles:\n  - {path: /out/x, allow: [create]}\n",
     HEAD SHA_A "}\nfiles:\n  - {path: /out/x, allow: [create, write]}\n", "+ /out/x [write]\n"},
    {"a path a wildcard rule covers is not added",
     HEAD SHA_A "}\nfiles:\n  - {path: \"/src/*\", allow: [read, stat]}\n",
     HEAD SHA_A
     "}\nfiles:\n  - {path: /src/c, allow: [read]}\n  - {path: /src/d, allow: [stat, list]}\n",
     "+ /src/d [list]\n"},
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
     HEAD SHA_A "}\nfiles:\n  - {path: /p/out, allow: [write]}\n", "+ /p/out [write]\n"},
    {"a plain rule covers one only for new entries",
     HEAD SHA_A "}\nfiles:\n  - {path: \"/p/*\", allow: [write, create]}\n",
     HEAD SHA_A "}\nfiles:\n  - {path: \"/p/*\", allow: [create], only: new}\n", ""},
    {"a rule only for new entries widens its own kind",
     HEAD SHA_A "}\nfiles:\n  - {path: \"/p/*\", allow: [create], only: new}\n",
     HEAD SHA_A "}\nfiles:\n  - {path: \"/p/*\", allow: [write, create], only: new}\n",
     "+ /p/* [write] (only new)\n"},
    {"refused: the union, old's errno first",
     HEAD SHA_A "}\nrefused:\n  - {path: /a, call: path_open, errno: ELOOP}\n",
     HEAD SHA_A "}\nrefused:\n  - {path: /a, call: path_open, errno: EIO}\n"
		"  - {path: /b, call: path_open, errno: EIO}\n",
     "+ refused path_open /b EIO\n"},
    {"a run in another cwd (--cwd): the new one",
     HEAD SHA_A "}\nmounts:\n  /src: {host: src, mode: ro}\n  /w: {host: w, mode: ro}\ncwd: /w\n",
     HEAD SHA_A "}\nmounts:\n  /src: {host: src, mode: ro}\n  /w: {host: w, mode: ro}\n",
     "~ cwd /w -> /src\n"},
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

/* The other end of the pty: answers the i-th "> " with keys[i] and Enter
 * (the last key for the rest), and exits with the number of questions when
 * the line is quiet; 101 when offer_a is 0 and a question offered [a]. */
static void answerer_of(int master, const char *keys, int offer_a)
{
	static char seen[1 << 16];
	size_t n = 0, nkeys = strlen(keys);
	int questions = 0;
	struct pollfd p = {.fd = master, .events = POLLIN};

	while (poll(&p, 1, 1500) > 0 && n < sizeof seen) {
		ssize_t k = read(master, seen + n, sizeof seen - n);

		if (k <= 0)
			break;
		for (ssize_t i = 0; i < k; i++, n++) {
			size_t at = (size_t)questions < nkeys ? (size_t)questions : nkeys - 1;
			char answer[2] = {keys[at], '\n'};

			if (n >= 1 && seen[n - 1] == '>' && seen[n] == ' ') {
				questions++;
				if (write(master, answer, 2) < 0)
					_exit(100);
			}
		}
	}
	_exit(!offer_a && memmem(seen, n, "[a]", 3) ? 101 : questions);
}

static void answerer(int master, const char *keys)
{
	answerer_of(master, keys, 1);
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
		answerer(master, "y");
	d.ask = wt_devask_terminal, d.ask_ctx = wt_prompt_new_fd(slave, "t.wasm", "t.yaml");
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
	wt_prompt_free(d.ask_ctx);
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
		answerer(master, "s");
	d.ask = wt_devask_terminal, d.ask_ctx = wt_prompt_new_fd(slave, "t.wasm", "t.yaml");
	e = policy(m, &d);
	assert_int_equal(wt_enforce_decide(e, &ev), WT_STOP);
	assert_true(wt_enforce_stopped(e));
	assert_int_equal(wt_enforce_decide(e, &clock), WT_STOP); /* not asked again */
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(WEXITSTATUS(st), 1);
	wt_enforce_free(e);
	wt_prompt_free(d.ask_ctx);
	wt_devlog_free(d.log);
	close(slave), close(master);
	wt_manifest_free(m);
}

/* A prompt-mode policy on a fresh pty whose other end answerer_of(keys, offer_a) plays. */
typedef struct asked {
	int master, slave;
	pid_t pid;
	wt_devask d;
} asked;

static void asked_start(asked *q, const char *keys, int offer_a)
{
	q->master = open_pty(&q->slave);
	if ((q->pid = fork()) == 0)
		answerer_of(q->master, keys, offer_a);
	q->d = (wt_devask){.mode = WT_ON_DEV_PROMPT, .log = wt_devlog_new()};
	q->d.ask = wt_devask_terminal,
	q->d.ask_ctx = wt_prompt_new_fd(q->slave, "t.wasm", "t.yaml");
}

/* Ends the session; the number of questions asked (101: [a] was offered). */
static int asked_end(asked *q)
{
	int st;

	wt_prompt_free(q->d.ask_ctx);
	wt_devlog_free(q->d.log);
	close(q->slave);
	assert_int_equal(waitpid(q->pid, &st, 0), q->pid);
	close(q->master);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static const wt_devlog_entry *logged(const wt_devask *d, const char *path)
{
	for (size_t i = 0; i < wt_devlog_count(d->log); i++) {
		const wt_devlog_entry *en = wt_devlog_get(d->log, i);
		if (en->path && strcmp(en->path, path) == 0)
			return en;
	}
	fail_msg("%s not logged", path);
	return NULL;
}

/* What a deny rule or the ceiling refuses is refused at once in prompt mode: no question, so
 * no [a]; the log says which rule or file refuses it. What both allow is still asked. */
static void test_policy_prompt_never_asks_what_deny_or_ceiling_refuse(void **state)
{
	wt_manifest *m = load(strict), *o = NULL, *ce = NULL;
	wt_error err;
	asked q;
	wt_enforce *e = NULL;
	wt_event secret = file_event(WT_WASI_path_open, "/src/secret", WT_RIGHT_READ, 1);
	wt_event write_b = file_event(WT_WASI_path_open, "/src/b", WT_RIGHT_WRITE, 2);
	wt_event clock = {.seq = 3, .call = WT_WASI_clock_time_get, .clock_id = 0};
	wt_event read_c = file_event(WT_WASI_path_open, "/src/c", WT_RIGHT_READ, 4);

	(void)state;
	wt_error_init(&err);
	o = load_kind(WT_MANIFEST_OVERRIDE, "deny:\n  - {path: /src/secret, allow: [read]}\n");
	ce = load_kind(WT_MANIFEST_CEILING,
		       "version: 1\nfiles:\n  - {path: \"/src/**\", allow: [read]}\n");
	asked_start(&q, "y", 0);
	wt_enforce_config cfg = {.manifest = m,
				 .override = o,
				 .ceiling = ce,
				 .manifest_name = "t.yaml",
				 .override_name = "o.yaml",
				 .ceiling_name = "c.yaml",
				 .devask = &q.d};
	q.d.override_path = "o.yaml"; /* [a] could be offered: it must not be, for these */
	assert_int_equal(wt_enforce_new(&cfg, &e, &err), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(wt_enforce_decide(e, &secret), WT_DENY);  /* deny: o.yaml */
		assert_int_equal(wt_enforce_decide(e, &write_b), WT_DENY); /* ceiling: read only */
		assert_int_equal(wt_enforce_decide(e, &clock), WT_DENY);   /* ceiling: no clocks */
	}
	assert_false(wt_enforce_stopped(e));
	assert_non_null(strstr(logged(&q.d, "/src/secret")->refused,
			       "the deny rule {path: /src/secret, allow: [read]} at o.yaml:2"));
	assert_null(logged(&q.d, "/src/secret")->fix);
	assert_string_equal(logged(&q.d, "/src/b")->refused,
			    "the ceiling c.yaml, which grants no [write] there");
	assert_string_equal(wt_devlog_outcome_name(logged(&q.d, "/src/b")->outcome), "deny");
	assert_int_equal(logged(&q.d, "/src/secret")->count, 3);
	wt_enforce_free(e);
	assert_int_equal(asked_end(&q), 0); /* not one question, and so no [a] */
	/* within the manifest's deny rules and the ceiling, the prompt still asks */
	asked_start(&q, "y", 1);
	cfg.devask = &q.d;
	assert_int_equal(wt_enforce_new(&cfg, &e, &err), 0);
	assert_int_equal(wt_enforce_decide(e, &read_c), WT_ALLOW);
	wt_enforce_free(e);
	assert_int_equal(asked_end(&q), 1);
	wt_manifest_free(ce), wt_manifest_free(o), wt_manifest_free(m);
}

/* An open allowed once covers the fd's reads: one question for 100 reads and another open of
 * the same path and rights. A request answered once is not asked again by another call:
 * [n] to path_filestat_get's stat also answers fd_filestat_get's stat on that path. */
static void test_policy_prompt_one_question_per_path_and_rights(void **state)
{
	wt_manifest *m = load(strict);
	asked q;
	wt_enforce *e;
	wt_event open_b = file_event(WT_WASI_path_open, "/src/b", WT_RIGHT_READ, 1);
	wt_event read_b = file_event(WT_WASI_fd_read, "/src/b", WT_RIGHT_READ, 2);
	wt_event stat_b = file_event(WT_WASI_path_filestat_get, "/src/b", WT_RIGHT_STAT, 3);
	wt_event fstat_b = file_event(WT_WASI_fd_read, "/src/b", WT_RIGHT_STAT, 4);

	(void)state;
	fstat_b.call = WT_WASI_fd_filestat_get;
	asked_start(&q, "yn", 1);
	e = policy(m, &q.d);
	assert_int_equal(wt_enforce_decide(e, &open_b), WT_ALLOW);
	for (int i = 0; i < 100; i++)
		assert_int_equal(wt_enforce_decide(e, &read_b), WT_ALLOW);
	assert_int_equal(wt_enforce_decide(e, &open_b), WT_ALLOW);
	assert_int_equal(wt_enforce_decide(e, &stat_b), WT_DENY);
	for (int i = 0; i < 100; i++)
		assert_int_equal(wt_enforce_decide(e, &fstat_b), WT_DENY);
	assert_int_equal(wt_devlog_count(q.d.log), 2);
	wt_enforce_free(e);
	assert_int_equal(asked_end(&q), 2);
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
	    cmocka_unit_test(test_policy_prompt_never_asks_what_deny_or_ceiling_refuse),
	    cmocka_unit_test(test_policy_prompt_one_question_per_path_and_rights),
	    cmocka_unit_test(test_print_escapes_guest_paths),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
