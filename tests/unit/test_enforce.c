/* test_enforce.c: the manifest policy's decide() over synthetic events: every grant is needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "enforce.h"
#include "manifest.h"

/* One grant of the test manifest: its section and its text there. */
typedef struct grant {
	const char *section; /* "files" (a rule line) or a flow list key, or "random" */
	const char *text;
	int event; /* the event (index into events) that needs it */
} grant;

static const grant grants[] = {
    {"files", "{path: /src/in.txt, allow: [read]}", 0},
    {"files", "{path: \"/out/*.o\", allow: [create, write]}", 1},
    {"files", "{path: \"/src/lib/**\", allow: [list]}", 2},
    {"files", "{path: /src/old, allow: [rename]}", 3},
    {"files", "{path: /src/new, allow: [create]}", 3},
    {"files", "{path: \"${arg:1}\", allow: [read]}", 4},
    {"files", "{path: /src/link, allow: [readlink]}", 5},
    {"files", "{path: /src, allow: [stat]}", 6},
    {"files", "{path: /out/log, allow: [truncate]}", 7},
    {"files", "{path: /out/gone, allow: [delete]}", 8},
    {"files", "{path: /out/ln, allow: [symlink]}", 9},
    {"files", "{path: /src/in.txt, allow: [link]}", 10},
    {"files", "{path: /out/hard, allow: [create]}", 10},
    {"files", "{path: /out/t, allow: [set-times]}", 11},
    {"clocks", "monotonic", 12},
    {"clocks", "realtime", 13},
    {"random", "true", 14},
    {"stdio", "stdout", 15},
    {"stdio", "stdin", 16},
    {"stdio", "stderr", 17},
    {"exit_codes", "3", 18},
    {"sockets", "\"4\"", 19},
    {"files", "{path: /out/l1, allow: [read]}", 20},	 /* the name: a link */
    {"files", "{path: /src/secret, allow: [read]}", 20}, /* the object it leads to */
    {"files", "{path: /out/r, allow: [rename]}", 21},
    {"files", "{path: /out/d/n, allow: [create]}", 21},
    {"files", "{path: /out/real/n, allow: [create]}", 21}, /* /out/d is a link to real */
    {"clocks", "thread", 22},
};

enum { NGRANTS = sizeof grants / sizeof grants[0] };

#define EV(c, ...)                               \
	{                                        \
		.call = WT_WASI_##c, __VA_ARGS__ \
	}

static const wt_event events[] = {
    EV(path_open, .fd = 3, .path = "/src/in.txt", .rights = WT_RIGHT_READ),
    EV(path_open, .fd = 4, .path = "/out/x.o", .rights = WT_RIGHT_CREATE | WT_RIGHT_WRITE),
    EV(fd_readdir, .fd = 5, .fd_path = "/src/lib/sub", .rights = WT_RIGHT_LIST),
    EV(path_rename, .fd = 3, .path = "/src/old", .path2 = "/src/new", .rights = WT_RIGHT_RENAME),
    EV(path_open, .fd = 3, .path = "/src/data/in.bin", .rights = WT_RIGHT_READ),
    EV(path_readlink, .fd = 3, .path = "/src/link", .rights = WT_RIGHT_READLINK),
    EV(path_filestat_get, .fd = 3, .path = "/src", .rights = 0),
    EV(fd_filestat_set_size, .fd = 6, .fd_path = "/out/log", .rights = WT_RIGHT_TRUNCATE),
    EV(path_unlink_file, .fd = 4, .path = "/out/gone", .rights = WT_RIGHT_DELETE),
    EV(path_symlink, .fd = 4, .path = "/out/ln", .path2 = "../src/in.txt",
       .rights = WT_RIGHT_SYMLINK),
    EV(path_link, .fd = 3, .path = "/src/in.txt", .path2 = "/out/hard", .rights = WT_RIGHT_LINK),
    EV(path_filestat_set_times, .fd = 4, .path = "/out/t", .rights = WT_RIGHT_SET_TIMES),
    EV(clock_time_get, .clock_id = 1),
    EV(clock_res_get, .clock_id = 0),
    EV(random_get, .size = 16),
    EV(fd_write, .fd = 1, .rights = WT_RIGHT_WRITE),
    EV(fd_read, .fd = 9, .stdio = WT_EV_STDIN, .rights = WT_RIGHT_READ), /* stdin renumbered */
    EV(fd_write, .fd = 2, .rights = WT_RIGHT_WRITE),
    EV(proc_exit, .exit_code = 3),
    EV(sock_send, .fd = 4),
    EV(path_open, .fd = 4, .path = "/out/l1", .obj_path = "/src/secret", .rights = WT_RIGHT_READ),
    EV(path_rename, .fd = 4, .path = "/out/r", .path2 = "/out/d/n", .obj_path2 = "/out/real/n",
       .rights = WT_RIGHT_RENAME),
    EV(poll_oneoff, .clock_mask = 1u << 3), /* an absolute deadline on the thread clock */
};

enum { NEVENTS = sizeof events / sizeof events[0] };

/* Calls that need nothing from any manifest. */
static const wt_event neutral[] = {
    EV(args_get),
    EV(args_sizes_get),
    EV(environ_get),
    EV(environ_sizes_get),
    EV(fd_close, .fd = 3),
    EV(fd_seek, .fd = 3),
    EV(sched_yield),
    EV(poll_oneoff),
    EV(fd_prestat_get, .fd = 3),
    EV(fd_fdstat_get, .fd = 1),
};

static const char *const argv[] = {"tool", "data/in.bin"};

/* The test manifest's YAML without grant `skip` (-1: with every grant). */
static char *yaml_without(int skip)
{
	static const char *const flows[] = {"clocks", "stdio", "exit_codes", "sockets"};
	char *out = calloc(1, 8192);

	strcat(out, "version: 1\nmounts:\n  /src: {host: ., mode: ro}\n"
		    "  /out: {host: out, mode: rw}\nfiles:\n");
	for (int i = 0; i < NGRANTS; i++) {
		if (i != skip && strcmp(grants[i].section, "files") == 0)
			strcat(strcat(strcat(out, "  - "), grants[i].text), "\n");
	}
	for (size_t f = 0; f < sizeof flows / sizeof flows[0]; f++) {
		strcat(strcat(out, flows[f]), ": [");
		for (int i = 0, first = 1; i < NGRANTS; i++) {
			if (i == skip || strcmp(grants[i].section, flows[f]) != 0)
				continue;
			strcat(strcat(out, first ? "" : ", "), grants[i].text);
			first = 0;
		}
		strcat(out, "]\n");
	}
	for (int i = 0; i < NGRANTS; i++) {
		if (i != skip && strcmp(grants[i].section, "random") == 0)
			strcat(strcat(out, "random: "), "true\n");
	}
	return out;
}

static wt_manifest *load(const char *yaml, wt_manifest_kind kind)
{
	wt_manifest *m = NULL;
	wt_error err;

	wt_error_init(&err);
	if (wt_manifest_load_kind(kind, yaml, strlen(yaml), "t", &m, NULL, NULL, &err))
		fail_msg("%u:%u: %s\n%s", err.line, err.column, err.msg, yaml);
	return m;
}

static wt_enforce *policy(const wt_manifest *m, const wt_manifest *o, wt_on_deviation mode)
{
	wt_enforce_config cfg = {.manifest = m,
				 .override = o,
				 .manifest_name = "t.yaml",
				 .argc = 2,
				 .argv = argv,
				 .cwd = "/src",
				 .mode = mode};
	wt_enforce *e = NULL;
	wt_error err;

	wt_error_init(&err);
	if (wt_enforce_new(&cfg, &e, &err))
		fail_msg("enforce: %s", err.msg);
	return e;
}

static void test_enforce_full_manifest_allows_every_event(void **state)
{
	char *yaml = yaml_without(-1);
	wt_manifest *m = load(yaml, WT_MANIFEST_FULL);
	wt_enforce *e = policy(m, NULL, WT_ON_DEV_FAIL);

	for (int i = 0; i < NEVENTS; i++) {
		if (wt_enforce_decide(e, &events[i]) != WT_ALLOW)
			fail_msg("event %d (%s) refused", i, events[i].path ? events[i].path : "");
	}
	assert_int_equal(wt_enforce_count(e), 0);
	assert_int_equal(wt_enforce_stopped(e), 0);
	wt_enforce_free(e);
	wt_manifest_free(m);
	free(yaml);
}

/* Removing any one grant makes exactly the calls that need it fail. */
static void test_enforce_every_grant_is_needed(void **state)
{
	for (int g = 0; g < NGRANTS; g++) {
		char *yaml = yaml_without(g);
		wt_manifest *m = load(yaml, WT_MANIFEST_FULL);

		for (int i = 0; i < NEVENTS; i++) {
			wt_enforce *e = policy(m, NULL, WT_ON_DEV_FAIL);
			wt_verdict v = wt_enforce_decide(e, &events[i]);
			int needs = 0;

			for (int k = 0; k < NGRANTS; k++)
				needs |= k == g && grants[k].event == i;
			if ((v != WT_ALLOW) != needs || (wt_enforce_count(e) == 1) != needs)
				fail_msg(
				    "without grant %d (%s), event %d: verdict %d, %zu deviations",
				    g, grants[g].text, i, v, wt_enforce_count(e));
			if (needs)
				assert_int_equal(wt_enforce_stopped(e), 1);
			wt_enforce_free(e);
		}
		wt_manifest_free(m);
		free(yaml);
	}
}

static void test_enforce_neutral_calls_need_nothing(void **state)
{
	wt_manifest *m = load("version: 1\n", WT_MANIFEST_FULL);
	wt_enforce *e = policy(m, NULL, WT_ON_DEV_FAIL);

	for (size_t i = 0; i < sizeof neutral / sizeof neutral[0]; i++)
		assert_int_equal(wt_enforce_decide(e, &neutral[i]), WT_ALLOW);
	for (int i = 0; i < NEVENTS; i++)
		assert_int_not_equal(wt_enforce_decide(e, &events[i]), WT_ALLOW);
	assert_int_equal(wt_enforce_count(e), NEVENTS);
	wt_enforce_free(e);
	wt_manifest_free(m);
}

static void test_enforce_modes(void **state)
{
	static const struct {
		wt_on_deviation mode;
		wt_verdict verdict;
		int stopped;
	} modes[] = {
	    {WT_ON_DEV_FAIL, WT_STOP, 1},   {WT_ON_DEV_DEFAULT, WT_STOP, 1},
	    {WT_ON_DEV_PROMPT, WT_STOP, 1}, {WT_ON_DEV_DENY, WT_DENY, 0},
	    {WT_ON_DEV_HIDE, WT_HIDE, 0},
	};
	wt_manifest *m = load("version: 1\n", WT_MANIFEST_FULL);

	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		wt_enforce *e = policy(m, NULL, modes[i].mode);
		assert_int_equal(wt_enforce_decide(e, &events[0]), modes[i].verdict);
		assert_int_equal(wt_enforce_decide(e, &events[0]), modes[i].verdict);
		assert_int_equal(wt_enforce_stopped(e), modes[i].stopped);
		assert_int_equal(wt_enforce_count(e), 1); /* a repeat is counted, not listed */
		assert_int_equal(wt_enforce_get(e, 0)->count, 2);
		wt_enforce_free(e);
	}
	wt_manifest_free(m);
}

static void test_enforce_message_names_call_path_rights_and_line(void **state)
{
	wt_manifest *m = load("version: 1\n", WT_MANIFEST_FULL);
	wt_enforce *e = policy(m, NULL, WT_ON_DEV_FAIL);
	wt_event ev = EV(path_open, .fd = 3, .path = "/src/extra.txt", .rights = WT_RIGHT_READ);
	char buf[1024] = {0};
	FILE *f = fmemopen(buf, sizeof buf - 1, "w");

	assert_int_equal(wt_enforce_decide(e, &ev), WT_STOP);
	wt_enforce_print(e, wt_enforce_get(e, 0), f);
	fclose(f);
	assert_string_equal(buf, "path_open /src/extra.txt wants [read], which t.yaml does not "
				 "grant\n  to allow it, add under files:\n"
				 "  - {path: /src/extra.txt, allow: [read]}\n");
	wt_enforce_free(e);
	wt_manifest_free(m);
}

/* One path's refused calls are listed once, saying which calls they were. */
static void test_enforce_listing_counts_calls_per_kind(void **state)
{
	static const struct {
		size_t n;
		wt_wasi_call calls[3];
		uint64_t folded[3]; /* calls per entry (a folded journal line), 0 = 1 */
		const char *suffix; /* after "does not grant" */
	} cases[] = {
	    {1, {WT_WASI_path_open}, {0}, "\n"},
	    {3, {WT_WASI_path_open, WT_WASI_path_open, WT_WASI_path_open}, {0}, " (3 times)\n"},
	    {3,
	     {WT_WASI_path_open, WT_WASI_fd_read, WT_WASI_fd_read},
	     {0},
	     " (3 calls: path_open, fd_read x2)\n"},
	    {2,
	     {WT_WASI_path_open, WT_WASI_fd_read},
	     {1, 5},
	     " (6 calls: path_open, fd_read x5)\n"},
	    {1, {WT_WASI_fd_read}, {4}, " (4 times)\n"},
	};
	wt_manifest *m = load("version: 1\n", WT_MANIFEST_FULL);

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		wt_enforce *e = policy(m, NULL, WT_ON_DEV_DENY);
		char buf[1024] = {0}, *tail;
		FILE *f = fmemopen(buf, sizeof buf - 1, "w");

		for (size_t k = 0; k < cases[i].n; k++) {
			wt_event ev =
			    EV(fd_read, .fd = 7, .fd_path = "/src/.env", .rights = WT_RIGHT_READ);
			ev.call = cases[i].calls[k];
			if (ev.call == WT_WASI_path_open)
				ev.fd = 3, ev.path = "/src/.env", ev.path_len = 9;
			assert_int_equal(wt_enforce_decide_folded(e, &ev, cases[i].folded[k]),
					 WT_DENY);
		}
		assert_int_equal(wt_enforce_count(e), 1);
		wt_enforce_print(e, wt_enforce_get(e, 0), f);
		fclose(f);
		tail = strstr(buf, "does not grant");
		if (!tail || strncmp(tail + strlen("does not grant"), cases[i].suffix,
				     strlen(cases[i].suffix)) != 0)
			fail_msg("case %zu: got '%s'", i, buf);
		wt_enforce_free(e);
	}
	wt_manifest_free(m);
}

static void test_enforce_absent_hides_without_deviation(void **state)
{
	wt_manifest *m = load("version: 1\nabsent: [/src/.config/tool.ini, \"/src/cache/**\"]\n"
			      "files:\n  - {path: /src/cache/made, allow: [create]}\n",
			      WT_MANIFEST_FULL);
	wt_enforce *e = policy(m, NULL, WT_ON_DEV_FAIL);
	wt_event probe = EV(path_filestat_get, .path = "/src/.config/tool.ini", .rights = 0);
	wt_event deep = EV(path_open, .path = "/src/cache/a/b", .rights = WT_RIGHT_READ);
	wt_event made = EV(path_open, .path = "/src/cache/made", .rights = WT_RIGHT_CREATE);

	assert_int_equal(wt_enforce_decide(e, &probe), WT_HIDE);
	assert_int_equal(wt_enforce_decide(e, &deep), WT_HIDE);
	assert_int_equal(wt_enforce_decide(e, &made), WT_ALLOW); /* a grant wins over absent */
	assert_int_equal(wt_enforce_count(e), 0);
	assert_int_equal(wt_enforce_stopped(e), 0);
	wt_enforce_free(e);
	wt_manifest_free(m);
}

static void test_enforce_override_adds_and_deny_wins(void **state)
{
	wt_manifest *m = load("version: 1\nenv: [HOME]\nfiles:\n"
			      "  - {path: \"/src/**\", allow: [read, stat]}\n",
			      WT_MANIFEST_FULL);
	wt_manifest *o = load("files:\n  - {path: /out/extra, allow: [write]}\n"
			      "deny:\n  - {path: /src/secrets.env, allow: [read]}\nenv: [CC]\n",
			      WT_MANIFEST_OVERRIDE);
	wt_enforce *e = policy(m, o, WT_ON_DEV_DENY);
	wt_event secret = EV(path_open, .path = "/src/secrets.env", .rights = WT_RIGHT_READ);
	wt_event stat = EV(path_filestat_get, .path = "/src/secrets.env", .rights = WT_RIGHT_STAT);
	wt_event other = EV(path_open, .path = "/src/main.c", .rights = WT_RIGHT_READ);
	wt_event extra = EV(path_open, .path = "/out/extra", .rights = WT_RIGHT_WRITE);

	assert_int_equal(wt_enforce_decide(e, &secret), WT_DENY);
	assert_int_equal(wt_enforce_decide(e, &stat), WT_ALLOW);
	assert_int_equal(wt_enforce_decide(e, &other), WT_ALLOW);
	assert_int_equal(wt_enforce_decide(e, &extra), WT_ALLOW);
	assert_true(wt_enforce_env_allowed(e, "HOME", 4));
	assert_true(wt_enforce_env_allowed(e, "CC", 2));
	assert_false(wt_enforce_env_allowed(e, "PATH", 4));
	assert_false(wt_enforce_env_allowed(e, "HOM", 3));
	wt_enforce_free(e);
	wt_manifest_free(o);
	wt_manifest_free(m);
}

static void test_enforce_ceiling(void **state)
{
	static const struct {
		const char *manifest;
		int ok;
		const char *msg;
	} cases[] = {
	    {"files:\n  - {path: /src/a.c, allow: [read]}\n", 1, NULL},
	    {"files:\n  - {path: \"/src/x/*.c\", allow: [read, stat]}\n", 1, NULL},
	    {"files:\n  - {path: \"/out/*.o\", allow: [write]}\n", 1, NULL},
	    {"files:\n  - {path: /out/a.o, allow: [write]}\n", 1, NULL},
	    {"files:\n  - {path: \"/out/*\", allow: [write]}\n", 0, "[write] on /out/*"},
	    {"files:\n  - {path: \"/src/**\", allow: [read]}\n", 1, NULL},
	    {"files:\n  - {path: \"/**\", allow: [read]}\n", 0, "[read] on /**"},
	    {"files:\n  - {path: /src/a.c, allow: [write]}\n", 0, "[write] on /src/a.c (line 3)"},
	    {"files:\n  - {path: /etc/passwd, allow: [read]}\n", 0, "/etc/passwd"},
	    {"files:\n  - {path: \"${arg:1}\", allow: [read]}\n", 1, NULL},
	    {"files:\n  - {path: \"${arg:2}\", allow: [read]}\n", 0, "${arg:2}"},
	    {"env: [HOME]\n", 1, NULL},
	    {"env: [AWS_SECRET]\n", 0, "the variable AWS_SECRET"},
	    {"clocks: [monotonic]\n", 1, NULL},
	    {"clocks: [realtime]\n", 0, "the clock realtime"},
	    {"random: true\n", 0, "random"},
	    {"stdio: [stdin]\n", 0, "stdio stdin"},
	    {"mounts:\n  /src: {host: ., mode: ro}\n", 1, NULL},
	    {"mounts:\n  /out: {host: ., mode: rw}\n", 0, "the mount /out (rw)"},
	    {"mounts:\n  /home: {host: ~, mode: ro}\n", 0, "the mount /home (ro)"},
	};
	static const char *const ceiling_yaml =
	    "version: 1\nmounts:\n  /src: {host: ., mode: ro}\n  /out: {host: out, mode: ro}\n"
	    "files:\n  - {path: \"/src/**\", allow: [read, stat, list]}\n"
	    "  - {path: \"/out/*.o\", allow: [write, create]}\n"
	    "  - {path: /tmp/in.bin, allow: [read]}\n"
	    "env: [HOME, CC]\nclocks: [monotonic]\nstdio: [stdout, stderr]\n";
	static const char *const args[] = {"tool", "/tmp/in.bin", "/etc/shadow"};
	wt_manifest *ce = load(ceiling_yaml, WT_MANIFEST_CEILING);

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char yaml[512];
		wt_manifest *m;
		wt_enforce *e = NULL;
		wt_error err;
		wt_enforce_config cfg = {.manifest_name = "m.yaml",
					 .ceiling_name = "c.yaml",
					 .argc = 3,
					 .argv = args,
					 .mode = WT_ON_DEV_FAIL};
		int rc;

		snprintf(yaml, sizeof yaml, "version: 1\n%s", cases[i].manifest);
		m = load(yaml, WT_MANIFEST_FULL);
		cfg.manifest = m, cfg.ceiling = ce;
		wt_error_init(&err);
		rc = wt_enforce_new(&cfg, &e, &err);
		if ((rc == 0) != cases[i].ok ||
		    (rc && (rc != WT_DEVIATION || !strstr(err.msg, cases[i].msg) ||
			    !strstr(err.msg, "c.yaml"))))
			fail_msg("case %zu: rc %d: %s", i, rc, err.msg);
		wt_enforce_free(e);
		wt_manifest_free(m);
	}
	wt_manifest_free(ce);
}

/* What a deny rule or the ceiling refuses is listed with what refuses it, and without a line
 * to add (no grant could allow it). */
static void test_enforce_refusal_names_the_deny_rule_or_ceiling(void **state)
{
	wt_manifest *m =
	    load("version: 1\nfiles:\n  - {path: \"/src/**\", allow: [read]}\n", WT_MANIFEST_FULL);
	wt_manifest *o =
	    load("version: 1\ndeny:\n  - {path: /src/secrets.env, allow: [read, stat]}\n",
		 WT_MANIFEST_OVERRIDE);
	wt_manifest *ce = load("version: 1\nfiles:\n  - {path: \"/src/**\", allow: [read, list]}\n",
			       WT_MANIFEST_CEILING);
	wt_enforce_config cfg = {.manifest = m,
				 .override = o,
				 .ceiling = ce,
				 .manifest_name = "t.yaml",
				 .override_name = "t.override.yaml",
				 .ceiling_name = "c.yaml",
				 .mode = WT_ON_DEV_DENY};
	wt_event secret =
	    EV(path_open, .fd = 3, .path = "/src/secrets.env", .rights = WT_RIGHT_READ);
	wt_event made = EV(path_open, .fd = 3, .path = "/src/made", .rights = WT_RIGHT_CREATE);
	wt_event rnd = EV(random_get, .fd = -1);
	wt_enforce *e = NULL;
	wt_error err;
	char buf[2048] = {0};
	FILE *f = fmemopen(buf, sizeof buf - 1, "w");

	wt_error_init(&err);
	assert_int_equal(wt_enforce_new(&cfg, &e, &err), 0);
	assert_int_equal(wt_enforce_decide(e, &secret), WT_DENY);
	assert_int_equal(wt_enforce_decide(e, &made), WT_DENY);
	assert_int_equal(wt_enforce_decide(e, &rnd), WT_DENY);
	assert_int_equal(wt_enforce_count(e), 3);
	for (size_t i = 0; i < 3; i++)
		wt_enforce_print(e, wt_enforce_get(e, i), f);
	fclose(f);
	assert_string_equal(
	    buf, "path_open /src/secrets.env wants [read], refused by the deny rule {path: "
		 "/src/secrets.env, allow: [read,stat]} at t.override.yaml:3\n"
		 "path_open /src/made wants [create], refused by the ceiling c.yaml, which grants "
		 "no [create] there\n"
		 "random_get: random, refused by the ceiling c.yaml, which does not grant it\n");
	wt_enforce_free(e);
	wt_manifest_free(ce), wt_manifest_free(o), wt_manifest_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_enforce_full_manifest_allows_every_event),
	    cmocka_unit_test(test_enforce_every_grant_is_needed),
	    cmocka_unit_test(test_enforce_neutral_calls_need_nothing),
	    cmocka_unit_test(test_enforce_modes),
	    cmocka_unit_test(test_enforce_message_names_call_path_rights_and_line),
	    cmocka_unit_test(test_enforce_listing_counts_calls_per_kind),
	    cmocka_unit_test(test_enforce_absent_hides_without_deviation),
	    cmocka_unit_test(test_enforce_override_adds_and_deny_wins),
	    cmocka_unit_test(test_enforce_ceiling),
	    cmocka_unit_test(test_enforce_refusal_names_the_deny_rule_or_ceiling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
