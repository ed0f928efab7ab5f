/* test_enforce.c: the manifest policy's decide() over synthetic events: every grant is needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <unistd.h>

#include "enforce.h"
#include "manifest.h"
#include "mint.h"
#include "newset.h"
#include "wasi_flags.h"

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
    {"stdio", "stdin", 15},
    {"sockets", "\"4\"", 16},
    {"files", "{path: /out/l1, allow: [read]}", 17},	 /* the name: a link */
    {"files", "{path: /src/secret, allow: [read]}", 17}, /* the object it leads to */
    {"files", "{path: /out/r, allow: [rename]}", 18},
    {"files", "{path: /out/d/n, allow: [create]}", 18},
    {"files", "{path: /out/real/n, allow: [create]}", 18}, /* /out/d is a link to real */
    {"clocks", "thread", 19},
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
    EV(fd_read, .fd = 9, .stdio = WT_EV_STDIN, .rights = WT_RIGHT_READ), /* stdin renumbered */
    EV(sock_send, .fd = 4),
    EV(path_open, .fd = 4, .path = "/out/l1", .obj_path = "/src/secret", .rights = WT_RIGHT_READ),
    EV(path_rename, .fd = 4, .path = "/out/r", .path2 = "/out/d/n", .obj_path2 = "/out/real/n",
       .rights = WT_RIGHT_RENAME),
    EV(poll_oneoff, .clock_mask = 1u << 3), /* an absolute deadline on the thread clock */
};

enum { NEVENTS = sizeof events / sizeof events[0] };

/* Calls that need nothing from any manifest: writing the run's own stdout
 * and stderr and the exit code are not enforced (docs/manifest.md). */
static const wt_event neutral[] = {
    EV(fd_write, .fd = 1, .rights = WT_RIGHT_WRITE),
    EV(fd_write, .fd = 2, .rights = WT_RIGHT_WRITE),
    EV(proc_exit, .exit_code = 3),
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
				 "grant\n  to allow it, add these lines to t.yaml:\n"
				 "    files:\n      - {path: /src/extra.txt, allow: [read]}\n");
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
	    {"files:\n  - {path: /src/a.c, allow: [write]}\n", 0,
	     "m.yaml:3:5: grants [write] on /src/a.c"},
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
	    {"files:\n  - {path: \"/tmp/*\", allow: [write], only: new}\n", 1, NULL},
	    {"files:\n  - {path: /tmp/x, allow: [write]}\n", 0, "[write] on /tmp/x"},
	};
	static const char *const ceiling_yaml =
	    "version: 1\nmounts:\n  /src: {host: ., mode: ro}\n  /out: {host: out, mode: ro}\n"
	    "files:\n  - {path: \"/src/**\", allow: [read, stat, list]}\n"
	    "  - {path: \"/out/*.o\", allow: [write, create]}\n"
	    "  - {path: /tmp/in.bin, allow: [read]}\n"
	    "  - {path: \"/tmp/*\", allow: [write, create], only: new}\n"
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
		 "/src/secrets.env, allow: [read,stat]} at t.override.yaml:3:5\n"
		 "path_open /src/made wants [create], refused by the ceiling c.yaml, which grants "
		 "no [create] there\n"
		 "random_get: random, refused by the ceiling c.yaml, which does not grant it\n");
	wt_enforce_free(e);
	wt_manifest_free(ce), wt_manifest_free(o), wt_manifest_free(m);
}

/* One step of a replayed run: the call, and what the policy must say to it. After each
 * step the policy is told the call succeeded (observe), as a journal would say. */
typedef struct step {
	wt_event ev;
	wt_verdict want;
} step;

enum { EXCL = WT_OF_CREAT | WT_OF_EXCL, FOLLOW = WT_LOOKUP_SYMLINK_FOLLOW << 16 };

#define R_ WT_RIGHT_READ
#define W_ WT_RIGHT_WRITE
#define C_ WT_RIGHT_CREATE
#define D_ WT_RIGHT_DELETE
#define T_ WT_RIGHT_TRUNCATE

/* Replays steps[0..n) under the manifest yaml, in deny mode. */
static void replay(const char *yaml, const step *steps, size_t n)
{
	wt_manifest *m = load(yaml, WT_MANIFEST_FULL);
	wt_enforce *e = policy(m, NULL, WT_ON_DEV_DENY);

	for (size_t i = 0; i < n; i++) {
		wt_verdict v = wt_enforce_decide(e, &steps[i].ev);

		if (v != steps[i].want)
			fail_msg("step %zu (%s %s): verdict %d, expected %d", i,
				 wt_wasi_call_name(steps[i].ev.call),
				 steps[i].ev.path ? steps[i].ev.path : steps[i].ev.fd_path, (int)v,
				 (int)steps[i].want);
		wt_enforce_observe(e, &steps[i].ev);
	}
	wt_enforce_free(e);
	wt_manifest_free(m);
}

/* `only: new`: the rights hold on what the run creates (and on names that do not exist,
 * and for exclusive creates), never on what was there: the project's Makefile. */
static void test_enforce_only_new_spares_what_was_there(void **state)
{
	static const step steps[] = {
	    {EV(path_open, .path = "/p/Makefile", .rights = W_ | T_), WT_DENY},
	    {EV(path_unlink_file, .path = "/p/Makefile", .rights = D_), WT_DENY},
	    {EV(path_open, .path = "/p/Makefile", .flags = WT_OF_CREAT, .rights = C_ | W_),
	     WT_DENY},
	    {EV(path_open, .path = "/p/Makefile", .flags = EXCL, .rights = C_ | W_,
		.errno_result = WT_EEXIST),
	     WT_ALLOW}, /* the host refuses it: the name is taken */
	    {EV(path_open, .path = "/p/tmp.1", .flags = EXCL, .rights = C_ | W_, .created = 1),
	     WT_ALLOW},
	    {EV(fd_write, .fd = 5, .fd_path = "/p/tmp.1", .rights = W_), WT_ALLOW},
	    {EV(path_rename, .path = "/p/tmp.1", .path2 = "/p/out", .rights = WT_RIGHT_RENAME),
	     WT_ALLOW},
	    {EV(path_open, .path = "/p/out", .rights = W_ | T_), WT_ALLOW},
	    {EV(path_open, .path = "/p/tmp.1", .rights = R_, .errno_result = WT_ENOENT), WT_ALLOW},
	    {EV(path_rename, .path = "/p/Makefile", .path2 = "/p/mk", .rights = WT_RIGHT_RENAME),
	     WT_DENY},
	    {EV(path_open, .path = "/p/mk", .rights = W_), WT_DENY}, /* renamed in: not new */
	    {EV(path_unlink_file, .path = "/p/out", .rights = D_), WT_ALLOW},
	    {EV(path_open, .path = "/p/out", .rights = W_), WT_DENY}, /* gone: forgotten */
	};

	(void)state;
	replay("version: 1\nfiles:\n"
	       "  - {path: \"/p/*\", allow: [read, write, create, delete, rename, truncate], "
	       "only: new}\n",
	       steps, sizeof steps / sizeof steps[0]);
}

/* Folders the run makes: what is below them is the run's own, wherever they move; what is
 * moved into them from outside is not. Symlinks the run makes lead where their text says.
 */
static void test_enforce_only_new_follows_folders_and_links(void **state)
{
	static const step steps[] = {
	    {EV(path_create_directory, .path = "/p/d", .rights = C_), WT_ALLOW},
	    {EV(path_open, .path = "/p/d/x", .flags = WT_OF_CREAT, .rights = C_ | W_, .created = 1),
	     WT_ALLOW},
	    {EV(path_rename, .path = "/p/d", .path2 = "/p/e", .rights = WT_RIGHT_RENAME), WT_ALLOW},
	    {EV(path_open, .path = "/p/e/x", .rights = W_ | T_), WT_ALLOW},
	    {EV(path_open, .path = "/p/e/y", .rights = W_), WT_ALLOW}, /* below a made folder */
	    {EV(path_rename, .path = "/p/Makefile", .path2 = "/p/e/mk", .rights = WT_RIGHT_RENAME),
	     WT_DENY},
	    {EV(path_open, .path = "/p/e/mk", .rights = W_), WT_DENY},
	    {EV(path_symlink, .path = "/p/l", .path2 = "Makefile", .rights = WT_RIGHT_SYMLINK),
	     WT_ALLOW},
	    {EV(path_open, .path = "/p/l", .flags = FOLLOW, .rights = W_), WT_DENY},
	    {EV(path_readlink, .path = "/p/l", .rights = WT_RIGHT_READLINK), WT_DENY},
	    {EV(path_unlink_file, .path = "/p/l", .rights = D_), WT_ALLOW},
	    {EV(path_symlink, .path = "/p/up", .path2 = ".", .rights = WT_RIGHT_SYMLINK), WT_ALLOW},
	    {EV(path_open, .path = "/p/up/Makefile", .rights = W_), WT_DENY},
	    {EV(path_open, .path = "/p/up/e/x", .rights = W_), WT_ALLOW},
	    {EV(path_symlink, .path = "/p/lx", .path2 = "e/x", .rights = WT_RIGHT_SYMLINK),
	     WT_ALLOW},
	    {EV(path_open, .path = "/p/lx", .flags = FOLLOW, .rights = W_), WT_ALLOW},
	    {EV(path_link, .path = "/p/e/x", .path2 = "/p/hx", .rights = WT_RIGHT_LINK), WT_ALLOW},
	    {EV(path_open, .path = "/p/hx", .rights = W_), WT_ALLOW},
	    {EV(path_remove_directory, .path = "/p/e", .rights = D_), WT_ALLOW},
	    {EV(path_open, .path = "/p/e/x", .rights = W_), WT_DENY}, /* forgotten with e */
	};

	(void)state;
	replay("version: 1\nfiles:\n"
	       "  - {path: \"/p/**\", allow: [write, create, delete, rename, link, symlink, "
	       "truncate], only: new}\n",
	       steps, sizeof steps / sizeof steps[0]);
}

/* The object a followed link made is what is new, also through a link that was there
 * before the run (/p/l -> real): the fd's calls go to it. */
static void test_enforce_only_new_tracks_the_object(void **state)
{
	static const step steps[] = {
	    {EV(path_open, .path = "/p/l", .obj_path = "/p/real", .flags = FOLLOW | WT_OF_CREAT,
		.rights = C_ | W_, .created = 1),
	     WT_ALLOW},
	    {EV(fd_write, .fd = 5, .fd_path = "/p/real", .rights = W_), WT_ALLOW},
	    {EV(fd_write, .fd = 6, .fd_path = "/p/Makefile", .rights = W_), WT_DENY},
	};

	(void)state;
	replay("version: 1\nfiles:\n"
	       "  - {path: \"/p/*\", allow: [write, create, symlink], only: new}\n",
	       steps, sizeof steps / sizeof steps[0]);
}

/* In a live run the host's tree says whether a name exists: a file there is not new. */
static void test_enforce_only_new_asks_the_host(void **state)
{
	char dir[] = "/tmp/wt-enforce-XXXXXX", path[64];
	const wt_mount mounts[] = {{dir, "/p", 0}};
	wt_manifest *m = load("version: 1\nfiles:\n"
			      "  - {path: \"/p/*\", allow: [write, create, rename, stat, truncate],"
			      " only: new}\n",
			      WT_MANIFEST_FULL);
	wt_enforce_config cfg = {
	    .manifest = m, .mode = WT_ON_DEV_DENY, .mounts = mounts, .nmounts = 1};
	const wt_event over = EV(path_open, .path = "/p/Makefile",
				 .flags = WT_OF_CREAT | WT_OF_TRUNC, .rights = C_ | W_ | T_);
	const wt_event fresh = EV(path_open, .path = "/p/new.txt",
				  .flags = WT_OF_CREAT | WT_OF_TRUNC, .rights = C_ | W_ | T_);
	const wt_event onto = EV(path_rename, .path = "/p/new.txt", .path2 = "/p/Makefile",
				 .rights = WT_RIGHT_RENAME);
	const wt_event probe = EV(path_filestat_get, .path = "/p/none", .rights = WT_RIGHT_STAT);
	wt_enforce *e = NULL;
	wt_error err;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/Makefile", dir);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	wt_error_init(&err);
	assert_int_equal(wt_enforce_new(&cfg, &e, &err), 0);
	assert_int_equal(wt_enforce_decide(e, &over), WT_DENY);
	assert_int_equal(wt_enforce_decide(e, &fresh), WT_ALLOW);
	assert_int_equal(wt_enforce_decide(e, &onto), WT_DENY);
	assert_int_equal(wt_enforce_decide(e, &probe), WT_ALLOW);
	assert_int_equal(wt_enforce_count(e), 2);
	wt_enforce_free(e);
	wt_manifest_free(m);
	unlink(path);
	rmdir(dir);
}

/* `refused`: the call is answered with the recorded errno, the host not asked, no
 * deviation; another call on the path is not; a files grant wins. */
static void test_enforce_refused_answers_as_recorded(void **state)
{
	wt_manifest *m =
	    load("version: 1\nfiles:\n  - {path: /p/Makefile, allow: [read]}\nrefused:\n"
		 "  - {path: /m/up, call: path_open, errno: ENOTCAPABLE}\n"
		 "  - {path: /p/Makefile, call: path_remove_directory, errno: ENOTDIR}\n"
		 "  - {path: /p/Makefile, call: path_open, errno: EACCES}\n",
		 WT_MANIFEST_FULL);
	wt_enforce *e = policy(m, NULL, WT_ON_DEV_FAIL);
	wt_policy pol = wt_enforce_policy(e);
	const wt_event up = EV(path_open, .path = "/m/up", .rights = R_);
	const wt_event rmdir_ = EV(path_remove_directory, .path = "/p/Makefile", .rights = D_);
	const wt_event read_ = EV(path_open, .path = "/p/Makefile", .rights = R_);
	const wt_event unlink_ = EV(path_unlink_file, .path = "/p/Makefile", .rights = D_);

	(void)state;
	assert_int_equal(wt_enforce_decide(e, &up), WT_DENY);
	assert_int_equal(pol.deny_errno(e, &up), WT_ENOTCAPABLE);
	assert_int_equal(wt_enforce_decide(e, &rmdir_), WT_DENY);
	assert_int_equal(pol.deny_errno(e, &rmdir_), WT_ENOTDIR);
	assert_int_equal(wt_enforce_decide(e, &read_), WT_ALLOW);
	assert_int_equal(wt_enforce_count(e), 0);
	assert_int_equal(wt_enforce_decide(e, &unlink_), WT_STOP);
	assert_int_equal(pol.deny_errno(e, &unlink_), 0);
	assert_int_equal(wt_enforce_count(e), 1);
	wt_enforce_free(e);
	wt_manifest_free(m);
}

static wt_event created(const char *path)
{
	return (wt_event){.call = WT_WASI_path_open, .path = path, .flags = EXCL, .created = 1};
}

/* The set holds at most its cap: past it a new entry is not new; when an entry that must
 * stop being new cannot be recorded, nothing is new any more. A million files created and
 * removed leave it empty. */
/* ${argdir}: the folder of each argument's path, made absolute; an argument whose folder is
 * "/" (or that gives no path) gives nothing. */
static void test_enforce_argdir_is_each_arguments_folder(void **state)
{
	static const char *const args[] = {"tool", "/data/a/x.bin", "/top.bin", "-o", "rel/y"};
	static const char *const want[] = {"/data/a", NULL, NULL, "/w/rel"};
	wt_enforce_config cfg = {.argc = 5, .argv = args, .cwd = "/w"};
	char lit[4096 + 1];
	size_t len;
	const char *rest;

	(void)state;
	assert_int_equal(wt_enforce_instances(&cfg, "${argdir}/*"), 4);
	for (int k = 0; k < 4; k++) {
		int rc = wt_enforce_instantiate(&cfg, "${argdir}/*", k, lit, &len, &rest);

		if (!want[k]) {
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(len, strlen(want[k]));
		assert_memory_equal(lit, want[k], len);
		assert_string_equal(rest, "/*");
	}
}

static void test_enforce_newset_bounds(void **state)
{
	wt_newset *s = wt_newset_new(4, 64);
	wt_event mk = EV(path_create_directory, .path = "/p/n");
	wt_event in = EV(path_rename, .path = "/p/old", .path2 = "/p/n/old");
	char name[32];

	(void)state;
	assert_non_null(s);
	wt_newset_observe(s, &mk);
	for (int i = 0; i < 8; i++) {
		wt_event ev;

		snprintf(name, sizeof name, "/q/f%d", i);
		ev = created(name);
		wt_newset_observe(s, &ev);
		assert_int_equal(wt_newset_get(s, name, strlen(name), 1),
				 i < 1 ? WT_NEW_YES : WT_NEW_NO); /* /p, /p/n, /q, /q/f0: 4 */
		assert_true(wt_newset_count(s) <= 4);
	}
	assert_int_equal(wt_newset_get(s, "/p/n/x", 6, 1), WT_NEW_YES);
	wt_newset_observe(s, &in); /* needs a mark "not new" below /p/n: no room */
	assert_true(wt_newset_gave_up(s));
	assert_int_equal(wt_newset_get(s, "/p/n/old", 8, 1), WT_NEW_NO);
	assert_int_equal(wt_newset_get(s, "/p/n/x", 6, 1), WT_NEW_NO);
	wt_newset_free(s);

	assert_non_null(s = wt_newset_new(0, 0));
	for (int i = 0; i < 1000000; i++) {
		wt_event ev;

		snprintf(name, sizeof name, "/t/%d", i);
		ev = created(name);
		wt_newset_observe(s, &ev);
	}
	assert_true(wt_newset_count(s) <= WT_NEWSET_MAX_NODES);
	assert_int_equal(wt_newset_get(s, "/t/10", 5, 1), WT_NEW_YES);
	assert_int_equal(wt_newset_get(s, "/t/999999", 9, 1), WT_NEW_NO); /* past the cap */
	for (int i = 0; i < 1000000; i++) {
		wt_event ev = EV(path_unlink_file, .path = name);

		snprintf(name, sizeof name, "/t/%d", i);
		wt_newset_observe(s, &ev);
	}
	assert_int_equal(wt_newset_count(s), 0);
	assert_false(wt_newset_gave_up(s));
	wt_newset_free(s);
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
	    cmocka_unit_test(test_enforce_only_new_spares_what_was_there),
	    cmocka_unit_test(test_enforce_only_new_follows_folders_and_links),
	    cmocka_unit_test(test_enforce_only_new_tracks_the_object),
	    cmocka_unit_test(test_enforce_only_new_asks_the_host),
	    cmocka_unit_test(test_enforce_refused_answers_as_recorded),
	    cmocka_unit_test(test_enforce_argdir_is_each_arguments_folder),
	    cmocka_unit_test(test_enforce_newset_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
