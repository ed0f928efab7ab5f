/* test_manifest.c: manifest YAML load (errors with line:column, warnings) and emit (round trip). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diff.h"
#include "manifest.h"
#include "wasi_flags.h"

/* Collected warnings: "LINE:COL: text" lines. */
typedef struct warnings {
	char text[4096];
	int n;
} warnings;

static void collect(void *ctx, unsigned line, unsigned column, const char *text)
{
	warnings *w = ctx;
	size_t len = strlen(w->text);

	snprintf(w->text + len, sizeof w->text - len, "%u:%u: %s\n", line, column, text);
	w->n++;
}

#define HEX64 "9f2c000000000000000000000000000000000000000000000000000000000001"

static wt_manifest *load_ok(const char *yaml, warnings *w)
{
	wt_manifest *m = NULL;
	wt_error err;

	wt_error_init(&err);
	if (wt_manifest_load(yaml, strlen(yaml), "t.yaml", &m, collect, w, &err) != 0)
		fail_msg("load failed: %u:%u: %s", err.line, err.column, err.msg);
	return m;
}

static const char *const example =
    "# Capability manifest for build.wasm\n"
    "version: 1\n"
    "module: { name: build.wasm, sha256: "
    "9f2c000000000000000000000000000000000000000000000000000000000001 }\n"
    "mounts:\n"
    "  /src: { host: ., mode: ro }\n"
    "  /out: { host: out, mode: rw }\n"
    "files:\n"
    "  - { path: /src/build.zon, allow: [read] }\n"
    "  - { path: \"/src/src/**\",  allow: [read, list, stat] }\n"
    "  # objects: many files\n"
    "  - { path: \"/out/*.o\",     allow: [create, write] }\n"
    "  - { path: \"${arg:2}\",     allow: [read] }\n"
    "absent: [/src/.config/tool.ini]\n"
    "env: [HOME, ZIG_GLOBAL_CACHE_DIR]\n"
    "clocks: [monotonic]\n"
    "random: true\n"
    "stdio: [stdout, stderr]\n"
    "exit_codes: [0]\n"
    "limits: { memory: 67108864, fuel: 1000, time: 2.5 }\n"
    "on_deviation: fail\n";

static void test_load_design_example(void **state)
{
	warnings w = {0};
	wt_manifest *m = load_ok(example, &w);

	assert_int_equal(w.n, 0);
	assert_int_equal(m->version, 1);
	assert_string_equal(m->module_name, "build.wasm");
	assert_string_equal(m->sha256,
			    "9f2c000000000000000000000000000000000000000000000000000000000001");
	assert_int_equal(m->nmounts, 2);
	assert_string_equal(m->mounts[1].guest, "/out");
	assert_string_equal(m->mounts[1].host, "out");
	assert_int_equal(m->mounts[0].readonly, 1);
	assert_int_equal(m->mounts[1].readonly, 0);
	assert_int_equal(m->nfiles, 4);
	assert_string_equal(m->files[1].pattern, "/src/src/**");
	assert_int_equal(m->files[1].rights, WT_RIGHT_READ | WT_RIGHT_LIST | WT_RIGHT_STAT);
	assert_int_equal(m->files[1].loc.line, 9);
	assert_string_equal(m->files[2].comment, "objects: many files");
	assert_null(m->files[0].comment);
	assert_int_equal(m->nabsent, 1);
	assert_int_equal(m->nenv, 2);
	assert_string_equal(m->env[1], "ZIG_GLOBAL_CACHE_DIR");
	assert_int_equal(m->clocks, WT_MCLOCK_MONOTONIC);
	assert_int_equal(m->clock_grant, WT_GRANT_REAL);
	assert_int_equal(m->random, WT_GRANT_REAL);
	assert_int_equal(m->stdio, WT_STDIO_STDOUT | WT_STDIO_STDERR);
	assert_int_equal(m->nexit_codes, 1);
	assert_int_equal(m->limits.memory, 67108864);
	assert_int_equal(m->limits.fuel, 1000);
	assert_true(m->limits.time == 2.5);
	assert_int_equal(m->on_deviation, WT_ON_DEV_FAIL);
	assert_int_equal(m->nheader, 1);
	assert_string_equal(m->header[0], "Capability manifest for build.wasm");
	wt_manifest_free(m);
}

/* A manifest using every field, with strings that need quoting. */
static wt_manifest *every_field(void)
{
	static const char *const env[] = {"HOME", "true", "A B", "123"};
	static const char *const absent[] = {"/src/.config/tool.ini", "/src/has: colon"};
	static const char *const header[] = {"Capability manifest for x.wasm", "",
					     "second line: with colon"};
	static const char *const sockets[] = {"3"};
	static int32_t codes[] = {0, 1, -1, 255};
	static wt_mmount mounts[] = {{"/src", ".", 1, {0, 0}},
				     {"/out dir", "../out #1", 0, {0, 0}}};
	static const struct {
		const char *pattern, *comment;
		uint32_t rights;
	} rules[] = {
	    {"/src/build.zon", NULL, WT_RIGHT_READ},
	    {"/src/src/**", "generalises 12 files", WT_RIGHT_READ | WT_RIGHT_LIST | WT_RIGHT_STAT},
	    {"/out/*.o", NULL, WT_RIGHT_CREATE | WT_RIGHT_WRITE | WT_RIGHT_TRUNCATE},
	    {"${arg:2}", NULL, WT_RIGHT_READ},
	    {"${arg:3}/**", NULL, WT_RIGHT_SET_TIMES | WT_RIGHT_RENAME},
	    {"/src/a \"quoted\" 'name'", NULL, WT_RIGHT_READLINK},
	    {"/src/\\*star\\\\", NULL, WT_RIGHT_SYMLINK | WT_RIGHT_LINK | WT_RIGHT_DELETE},
	    {"/src/ünï cödé/#hash", "a comment\nwith a line break", WT_RIGHT_STAT},
	    {"/src/- dash", NULL, WT_RIGHT_STAT},
	};
	wt_manifest *m = wt_manifest_new();

	assert_non_null(m);
	m->module_name = "x.wasm";
	strcpy(m->sha256, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	m->mounts = mounts, m->nmounts = 2;
	m->cwd = "/src/sub dir: x";
	wt_mrule fresh = {.pattern = "/out/*",
			  .rights = WT_RIGHT_CREATE | WT_RIGHT_DELETE,
			  .comment = "created by the run",
			  .only_new = 1};

	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		assert_int_equal(wt_manifest_add_rule(m, rules[i].pattern, rules[i].rights,
						      rules[i].comment, NULL),
				 0);
	assert_int_equal(wt_manifest_add_mrule(m, &fresh, NULL), 0);
	assert_int_equal(
	    wt_manifest_add_refusal(m, "/src/up", WT_WASI_path_open, WT_ENOTCAPABLE, NULL), 0);
	assert_int_equal(wt_manifest_add_refusal(m, "${arg:1}/x y", WT_WASI_path_remove_directory,
						 WT_ENOTEMPTY, NULL),
			 0);
	assert_int_equal(wt_manifest_add_refusal(m, "/src/up", WT_WASI_path_open, WT_EACCES, NULL),
			 0); /* the same path and call: the first stays */
	assert_int_equal(m->nrefused, 2);
	m->absent = (const char **)absent, m->nabsent = 2;
	m->env = (const char **)env, m->nenv = 4;
	m->clocks = WT_MCLOCK_MONOTONIC | WT_MCLOCK_REALTIME;
	m->clock_grant = WT_GRANT_FAKE;
	m->random = WT_GRANT_FAKE;
	m->random_seed = UINT64_MAX;
	m->stdio = WT_STDIO_STDIN | WT_STDIO_STDERR;
	m->exit_codes = codes, m->nexit_codes = 4;
	m->sockets = (const char **)sockets, m->nsockets = 1;
	m->limits = (wt_manifest_limits){1u << 26, 123456789, 0.1};
	m->on_deviation = WT_ON_DEV_HIDE;
	m->header = (const char **)header, m->nheader = 3;
	return m;
}

static void assert_same_strings(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
}

static void assert_same_rules(const wt_mrule *a, size_t na, const wt_mrule *b, size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		char flat[256];
		assert_string_equal(a[i].pattern, b[i].pattern);
		assert_int_equal(a[i].rights, b[i].rights);
		assert_int_equal(a[i].only_new, b[i].only_new);
		if (!a[i].comment) {
			assert_null(b[i].comment);
			continue;
		}
		snprintf(flat, sizeof flat, "%s", a[i].comment); /* a line break becomes a space */
		for (char *p = flat; *p; p++)
			*p = *p == '\n' ? ' ' : *p;
		assert_non_null(b[i].comment);
		assert_string_equal(flat, b[i].comment);
	}
}

static void assert_same(const wt_manifest *a, const wt_manifest *b)
{
	assert_int_equal(a->version, b->version);
	if (a->module_name)
		assert_string_equal(a->module_name, b->module_name);
	else
		assert_null(b->module_name);
	assert_string_equal(a->sha256, b->sha256);
	assert_int_equal(a->nmounts, b->nmounts);
	for (size_t i = 0; i < a->nmounts; i++) {
		assert_string_equal(a->mounts[i].guest, b->mounts[i].guest);
		assert_string_equal(a->mounts[i].host, b->mounts[i].host);
		assert_int_equal(a->mounts[i].readonly, b->mounts[i].readonly);
	}
	assert_same_rules(a->files, a->nfiles, b->files, b->nfiles);
	assert_same_rules(a->deny, a->ndeny, b->deny, b->ndeny);
	assert_same_strings(a->absent, a->nabsent, b->absent, b->nabsent);
	assert_int_equal(a->nrefused, b->nrefused);
	for (size_t i = 0; i < a->nrefused; i++) {
		assert_string_equal(a->refused[i].pattern, b->refused[i].pattern);
		assert_int_equal(a->refused[i].call, b->refused[i].call);
		assert_int_equal(a->refused[i].error, b->refused[i].error);
	}
	assert_same_strings(a->env, a->nenv, b->env, b->nenv);
	assert_same_strings(a->sockets, a->nsockets, b->sockets, b->nsockets);
	assert_same_strings(a->header, a->nheader, b->header, b->nheader);
	assert_int_equal(a->clocks, b->clocks);
	assert_int_equal(a->clock_grant, b->clock_grant);
	assert_int_equal(a->random, b->random);
	assert_int_equal(a->random_seed, b->random_seed);
	assert_int_equal(a->stdio, b->stdio);
	assert_int_equal(a->nexit_codes, b->nexit_codes);
	assert_memory_equal(a->exit_codes, b->exit_codes, a->nexit_codes * sizeof(int32_t));
	assert_int_equal(a->limits.memory, b->limits.memory);
	assert_int_equal(a->limits.fuel, b->limits.fuel);
	assert_true(a->limits.time == b->limits.time);
	assert_int_equal(a->on_deviation, b->on_deviation);
	if (a->cwd)
		assert_string_equal(a->cwd, b->cwd);
	else
		assert_null(b->cwd);
}

/* manifest -> YAML -> manifest is exact, and YAML -> manifest -> YAML gives the same bytes. */
static void round_trip(wt_manifest *m)
{
	char *yaml = NULL, *again = NULL;
	size_t len, len2;
	wt_manifest *back = NULL;
	warnings w = {0};
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_manifest_emit(m, &yaml, &len, &err), 0);
	assert_int_equal(strlen(yaml), len);
	if (wt_manifest_load(yaml, len, "rt.yaml", &back, collect, &w, &err))
		fail_msg("reload: %u:%u: %s\n%s", err.line, err.column, err.msg, yaml);
	assert_same(m, back);
	assert_int_equal(wt_manifest_emit(back, &again, &len2, &err), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(yaml, again, len);
	free(yaml);
	free(again);
	wt_manifest_free(back);
}

static void test_emit_round_trip_every_field(void **state)
{
	wt_manifest *m = every_field();

	round_trip(m);
	wt_manifest_free(m);
}

static void test_emit_round_trip_variants(void **state)
{
	wt_manifest *m = every_field();

	/* real clocks and random, no limits, default mode, no module name */
	m->clock_grant = WT_GRANT_REAL;
	m->random = WT_GRANT_REAL, m->random_seed = 0;
	m->limits = (wt_manifest_limits){0, 0, 0};
	m->on_deviation = WT_ON_DEV_DEFAULT;
	m->module_name = NULL;
	m->cwd = NULL;
	round_trip(m);
	m->clocks = 0, m->clock_grant = WT_GRANT_NONE, m->random = WT_GRANT_NONE;
	m->nheader = 0, m->nfiles = 0, m->nmounts = 0, m->sha256[0] = '\0';
	round_trip(m);
	wt_manifest_free(m);
	m = wt_manifest_new(); /* the empty manifest */
	round_trip(m);
	wt_manifest_free(m);
}

static void test_emit_is_deterministic_and_readable(void **state)
{
	wt_manifest *m = load_ok(example, &(warnings){0});
	char *a, *b;
	size_t la, lb;

	assert_int_equal(wt_manifest_emit(m, &a, &la, NULL), 0);
	assert_int_equal(wt_manifest_emit(m, &b, &lb, NULL), 0);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_non_null(strstr(a, "# Capability manifest for build.wasm\nversion: 1\n"));
	assert_non_null(strstr(a, "files:\n  - {path: /src/build.zon, allow: [read]}\n"));
	assert_non_null(
	    strstr(a, "  # objects: many files\n  - {path: /out/*.o, allow: [write, create]}\n"));
	assert_non_null(strstr(a, "  - {path: '${arg:2}', allow: [read]}\n"));
	assert_non_null(strstr(a, "absent:\n  - /src/.config/tool.ini\nenv: [HOME, "));
	assert_non_null(strstr(a, "mounts:\n  /src: {host: ., mode: ro}\n"));
	assert_non_null(strstr(a, "clocks: [monotonic]\nrandom: true\n"));
	assert_null(strstr(a, "cwd:"));
	free(a);
	free(b);

	m->cwd = "/src/sub";
	assert_int_equal(wt_manifest_emit(m, &a, &la, NULL), 0);
	assert_non_null(strstr(a, "  /out: {host: out, mode: rw}\ncwd: /src/sub\nfiles:\n"));
	free(a);
	wt_manifest_free(m);
	m = load_ok("version: 1\nfiles:\n  - {path: '/p/*', allow: [create, write], only: new}\n"
		    "refused:\n  - {path: /p/Makefile, call: path_unlink_file, errno: EISDIR}\n",
		    &(warnings){0});
	assert_int_equal(wt_manifest_emit(m, &a, &la, NULL), 0);
	assert_non_null(strstr(a, "files:\n  - {path: /p/*, allow: [write, create], only: new}\n"
				  "refused:\n  - {path: /p/Makefile, call: path_unlink_file, "
				  "errno: EISDIR}\n"));
	free(a);
	wt_manifest_free(m);
}

typedef struct bad_case {
	const char *yaml;
	unsigned line, column;
	const char *msg;
} bad_case;

static const bad_case bad[] = {
    {"version: 1\nfiles: [", 3, 1, "did not find expected node content"},
    {"version: 2\n", 1, 10, "unknown version 2"},
    {"version: one\n", 1, 10, "expected an integer"},
    {"files: []\n", 1, 1, "missing 'version: 1'"},
    {"", 1, 1, "empty manifest"},
    {"- a\n", 1, 1, "manifest: expected a mapping, got a sequence"},
    {"version: 1\nfrobs: 3\n", 2, 1, "unknown key 'frobs'"},
    {"version: 1\nversion: 1\n", 2, 1, "'version' given twice"},
    {"version: 1\nfiles: {a: b}\n", 2, 8, "files: expected a sequence, got a mapping"},
    {"version: 1\nfiles:\n  - {path: /a, allow: [read, fly]}\n", 3, 30, "unknown right 'fly'"},
    {"version: 1\nfiles:\n  - {path: a/b, allow: [read]}\n", 3, 12, "bad pattern 'a/b'"},
    {"version: 1\nfiles:\n  - {path: /a/**/b, allow: [read]}\n", 3, 12, "'**' may only be"},
    {"version: 1\nfiles:\n  - {path: /a/../b, allow: [read]}\n", 3, 12, "'..' are not"},
    {"version: 1\nfiles:\n  - {path: /a//b, allow: [read]}\n", 3, 12, "empty component"},
    {"version: 1\nfiles:\n  - {path: '${arg:x}', allow: [read]}\n", 3, 12, "${arg:N}"},
    {"version: 1\nfiles:\n  - {path: /a, allow: []}\n", 3, 23, "at least one right"},
    {"version: 1\nfiles:\n  - {path: /a}\n", 3, 5, "needs both path and allow"},
    {"version: 1\nfiles:\n  - {path: /a, allow: [read], why: x}\n", 3, 31, "unknown key 'why'"},
    {"version: 1\nmodule: {sha256: abc}\n", 2, 18, "64 lowercase hex"},
    {"version: 1\nmounts:\n  src: {host: .}\n", 3, 3, "not a canonical absolute"},
    {"version: 1\nmounts:\n  /src: {host: ., mode: rx}\n", 3, 25, "expected ro or rw"},
    {"version: 1\nmounts:\n  /src: {mode: ro}\n", 3, 9, "missing host"},
    {"version: 1\nenv: [A=1]\n", 2, 7, "without '='"},
    {"version: 1\ncwd: src\n", 2, 6, "cwd: 'src' is not a canonical absolute guest path"},
    {"version: 1\ncwd: /src/../x\n", 2, 6, "not a canonical absolute guest path"},
    {"version: 1\ncwd: /src/*\n", 2, 6, "no wildcards"},
    {"version: 1\ncwd: [/src]\n", 2, 6, "cwd: expected a scalar"},
    {"version: 1\ncwd: /a\ncwd: /a\n", 3, 1, "'cwd' given twice"},
    {"version: 1\nclocks: [sundial]\n", 2, 10, "unknown name 'sundial'"},
    {"version: 1\nrandom: maybe\n", 2, 9, "random: expected true"},
    {"version: 1\nstdio: stdout\n", 2, 8, "stdio: expected a sequence"},
    {"version: 1\nexit_codes: [x]\n", 2, 14, "expected an integer"},
    {"version: 1\nlimits: {time: -1}\n", 2, 16, "positive number"},
    {"version: 1\non_deviation: explode\n", 2, 15, "expected fail, prompt, deny or hide"},
    {"version: 1\n---\nversion: 1\n", 3, 1, "one YAML document"},
    {"version: 1\nfiles: [{path: \"/a\\0b\", allow: [read]}]\n", 2, 16, "NUL"},
    {"version: 1\nkey: &a [1]\nother: *b\n", 3, 8, "allows no aliases"},
    {"version: 1\nfiles:\n  - {path: /a, allow: [read], only: old}\n", 3, 37, "only: expected new"},
    {"version: 1\nfiles:\n  - {path: /a, allow: [read], only: [new]}\n", 3, 37, "expected new"},
    {"version: 1\ndeny:\n  - {path: /a, allow: [read], only: new}\n", 3, 37,
     "deny: a rule here has no 'only'"},
    {"version: 1\nrefused:\n  - {path: /a, call: path_fly, errno: ENOENT}\n", 3, 22,
     "unknown call 'path_fly'"},
    {"version: 1\nrefused:\n  - {path: /a, call: path_open, errno: ENOPE}\n", 3, 40,
     "unknown errno 'ENOPE'"},
    {"version: 1\nrefused:\n  - {path: /a, call: path_open, errno: ESUCCESS}\n", 3, 40,
     "unknown errno"},
    {"version: 1\nrefused:\n  - {path: /a, call: path_open}\n", 3, 5, "needs path, call and errno"},
    {"version: 1\nrefused:\n  - {path: /a, call: path_open, errno: EIO, why: x}\n", 3, 45,
     "refused: unknown key 'why'"},
    {"version: 1\nrefused:\n  - {path: a/b, call: path_open, errno: EIO}\n", 3, 12,
     "bad pattern 'a/b'"},
    {"version: 1\nrefused: [/a]\n", 2, 11, "refused entry: expected a mapping"},
};

static void test_load_errors_have_line_and_column(void **state)
{
	int fails = 0;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		wt_manifest *m = NULL;
		wt_error err;
		int rc;

		wt_error_init(&err);
		rc = wt_manifest_load(bad[i].yaml, strlen(bad[i].yaml), "t.yaml", &m, NULL, NULL,
				      &err);
		if (rc != WT_MALFORMED || !strstr(err.msg, bad[i].msg) || err.line != bad[i].line ||
		    err.column != bad[i].column)
			print_error("case %zu (%s): rc %d at %u:%u: %s\n", i, bad[i].yaml, rc,
				    err.line, err.column, err.msg),
			    fails++;
		assert_int_equal(wt_status_exit(err.code), 65);
		assert_null(m);
	}
	assert_int_equal(fails, 0);
}

/* Every top-level key's line:column is kept (check points a deviation at the key its grant
 * goes under); a key the file lacks is {0, 0}, as is every key of a generated manifest. */
static void test_load_key_locations(void **state)
{
	static const struct {
		const char *key;
		unsigned line, column;
	} want[] = {{"version", 2, 1}, {"module", 3, 1},  {"mounts", 4, 1},  {"files", 7, 1},
		    {"absent", 13, 1}, {"env", 14, 1},	  {"clocks", 15, 1}, {"random", 16, 1},
		    {"stdio", 17, 1},  {"limits", 19, 1}, {"deny", 0, 0},    {"sockets", 0, 0},
		    {"nonsense", 0, 0}};
	warnings w = {0};
	wt_manifest *m = load_ok(example, &w), *empty = wt_manifest_new();

	(void)state;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		wt_mloc at = wt_manifest_key_loc(m, want[i].key);

		if (at.line != want[i].line || at.column != want[i].column)
			fail_msg("%s: at %u:%u, want %u:%u", want[i].key, at.line, at.column,
				 want[i].line, want[i].column);
	}
	assert_int_equal(wt_manifest_key_loc(empty, "files").line, 0);
	assert_int_equal(wt_manifest_key_loc(NULL, "files").line, 0);
	wt_manifest_free(m);
	wt_manifest_free(empty);
}

static void test_load_warnings(void **state)
{
	static const char *const yaml = "version: 1\n"
					"mounts:\n"
					"  /src: { host: /, mode: ro }\n"
					"  /out: { host: out, mode: rw }\n"
					"files:\n"
					"  - { path: /etc/passwd, allow: [read] }\n"
					"  - { path: /src/.git/hooks/x, allow: [write] }\n"
					"  - { path: /src/.gitignore, allow: [write] }\n"
					"  - { path: \"/*/x\", allow: [read] }\n"
					"  - { path: \"/**\", allow: [stat] }\n"
					"  - { path: \"${arg:1}\", allow: [read] }\n"
					"absent: [/nowhere/x]\n"
					"cwd: /srcx\n";
	warnings w = {0};
	wt_manifest *m = load_ok(yaml, &w);

	assert_int_equal(w.n, 4); /* absent: the synthetic root answers outside the mounts */
	assert_non_null(strstr(w.text, "13:6: cwd '/srcx' is in no mount"));
	assert_non_null(strstr(w.text, "3:9: mounting the host's root folder /"));
	assert_non_null(strstr(w.text, "6:5: '/etc/passwd' is outside every mount"));
	assert_non_null(strstr(w.text, "7:5: write access to a .git folder"));
	assert_null(strstr(w.text, "/nowhere/x"));
	wt_manifest_free(m);
}

static void test_load_kinds(void **state)
{
	static const char *const over = "files:\n  - {path: /src/x, allow: [read]}\n"
					"deny:\n  - {path: /src/secret, allow: [read]}\n"
					"env: [CC]\n";
	wt_manifest *m = NULL;
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_manifest_load_kind(WT_MANIFEST_OVERRIDE, over, strlen(over), "o", &m,
					       NULL, NULL, &err),
			 0);
	assert_int_equal(m->ndeny, 1);
	assert_string_equal(m->deny[0].pattern, "/src/secret");
	wt_manifest_free(m);
	m = NULL;
	assert_int_equal(wt_manifest_load_kind(WT_MANIFEST_OVERRIDE, "clocks: [realtime]\n", 19,
					       "o", &m, NULL, NULL, &err),
			 WT_MALFORMED);
	assert_non_null(strstr(err.msg, "'clocks' is not allowed in an override file"));
	wt_error_init(&err);
	assert_int_equal(wt_manifest_load_kind(WT_MANIFEST_CEILING, "version: 1\nmodule: {}\n", 22,
					       "c", &m, NULL, NULL, &err),
			 WT_MALFORMED);
	assert_non_null(strstr(err.msg, "'module' is not allowed in a ceiling"));
	wt_error_init(&err);
	assert_int_equal(wt_manifest_load_kind(WT_MANIFEST_OVERRIDE, "cwd: /src\n", 10, "o", &m,
					       NULL, NULL, &err),
			 WT_MALFORMED);
	assert_non_null(strstr(err.msg, "'cwd' is not allowed in an override file"));
	wt_error_init(&err);
	assert_int_equal(wt_manifest_load_kind(WT_MANIFEST_OVERRIDE, "refused: []\n", 12, "o", &m,
					       NULL, NULL, &err),
			 WT_MALFORMED);
	assert_non_null(strstr(err.msg, "'refused' is not allowed in an override file"));
}

/* Loads yaml as kind and checks it fails with 65 at line:column with msg. */
static int fails_at(wt_manifest_kind kind, const char *yaml, size_t len, unsigned line,
		    unsigned column, const char *msg)
{
	wt_manifest *m = NULL;
	wt_error err;
	int rc;

	wt_error_init(&err);
	rc = wt_manifest_load_kind(kind, yaml, len, "t.yaml", &m, NULL, NULL, &err);
	wt_manifest_free(m);
	if (rc == WT_MALFORMED && wt_status_exit(err.code) == 65 && err.line == line &&
	    err.column == column && strstr(err.msg, msg))
		return 1;
	print_error("%.200s: rc %d at %u:%u: %s\n", yaml, rc, err.line, err.column, err.msg);
	return 0;
}

/* A key given twice in any mapping of a manifest, an override file or a
 * ceiling: 65 at the second one. */
static void test_load_duplicate_keys_everywhere(void **state)
{
	static const struct {
		wt_manifest_kind kind;
		const char *yaml;
		unsigned line, column;
		const char *msg;
	} cases[] = {
	    {WT_MANIFEST_FULL, "version: 1\nenv: []\nenv: []\n", 3, 1, "'env' given twice"},
	    {WT_MANIFEST_FULL, "version: 1\nmodule: {name: a, name: b}\n", 2, 19,
	     "module: 'name' given twice"},
	    {WT_MANIFEST_FULL, "version: 1\nmodule:\n  sha256: " HEX64 "\n  sha256: " HEX64 "\n", 4,
	     3, "module: 'sha256' given twice"},
	    {WT_MANIFEST_FULL, "version: 1\nmounts:\n  /a: {host: a, host: b}\n", 3, 17,
	     "mount: 'host' given twice"},
	    {WT_MANIFEST_FULL, "version: 1\nmounts:\n  /a: {host: a, mode: ro, mode: rw}\n", 3, 27,
	     "mount: 'mode' given twice"},
	    {WT_MANIFEST_FULL, "version: 1\nmounts:\n  /a: {host: a}\n  /a: {host: b}\n", 4, 3,
	     "mount /a given twice"},
	    {WT_MANIFEST_FULL, "version: 1\nfiles:\n  - {path: /a, path: /b, allow: [read]}\n", 3,
	     16, "rule: 'path' given twice"},
	    {WT_MANIFEST_FULL,
	     "version: 1\nfiles:\n  - path: /a\n    allow: [read]\n    allow: [write]\n", 5, 5,
	     "rule: 'allow' given twice"},
	    {WT_MANIFEST_FULL, "version: 1\ndeny:\n  - {path: /a, allow: [read], allow: [read]}\n",
	     3, 31, "rule: 'allow' given twice"},
	    {WT_MANIFEST_FULL, "version: 1\nlimits: {fuel: 1, fuel: 2}\n", 2, 19,
	     "limits: 'fuel' given twice"},
	    {WT_MANIFEST_FULL, "version: 1\nlimits: {memory: 1, memory: 2}\n", 2, 21,
	     "limits: 'memory' given twice"},
	    {WT_MANIFEST_FULL, "version: 1\nlimits: {time: 1, time: 2}\n", 2, 19,
	     "limits: 'time' given twice"},
	    {WT_MANIFEST_FULL, "version: 1\nclocks: {real: [monotonic], real: []}\n", 2, 9,
	     "clocks: expected"},
	    {WT_MANIFEST_FULL, "version: 1\nrandom: {fake: 1, fake: 2}\n", 2, 9,
	     "random: expected"},
	    {WT_MANIFEST_OVERRIDE, "files:\n  - {path: /a, allow: [read], path: /b}\n", 2, 31,
	     "rule: 'path' given twice"},
	    {WT_MANIFEST_OVERRIDE, "deny: []\ndeny: []\n", 2, 1, "'deny' given twice"},
	    {WT_MANIFEST_CEILING, "version: 1\nmounts:\n  /a: {host: a, host: a}\n", 3, 17,
	     "mount: 'host' given twice"},
	    {WT_MANIFEST_CEILING, "version: 1\nlimits: {fuel: 1, fuel: 1}\n", 2, 19,
	     "limits: 'fuel' given twice"},
	    /* a NUL inside a key does not end it: "name\0x" is not "name" */
	    {WT_MANIFEST_FULL, "version: 1\nmodule: {\"name\\0x\": a}\n", 2, 10,
	     "module: unknown key"},
	};
	int fails = 0;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		fails += !fails_at(cases[i].kind, cases[i].yaml, strlen(cases[i].yaml),
				   cases[i].line, cases[i].column, cases[i].msg);
	assert_int_equal(fails, 0);
}

/* A growing text. */
typedef struct text {
	char *p;
	size_t n;
} text;

static void append(text *t, const char *s, size_t times)
{
	size_t k = strlen(s);

	t->p = realloc(t->p, t->n + k * times + 1);
	assert_non_null(t->p);
	for (size_t i = 0; i < times; i++, t->n += k)
		memcpy(t->p + t->n, s, k);
	t->p[t->n] = '\0';
}

/* The documented limits: nesting depth, string and guest path length, aliases. */
static void test_load_limits(void **state)
{
	text t = {0};
	wt_manifest *m;

	append(&t, "version: 1\nfiles: ", 1);
	append(&t, "[", WT_MANIFEST_DEPTH_MAX + 100000);
	assert_true(fails_at(WT_MANIFEST_FULL, t.p, t.n, 2, 7 + WT_MANIFEST_DEPTH_MAX,
			     "nested deeper than 64 levels"));
	t.n = 0;
	append(&t, "version: 1\nfiles:\n", 1);
	append(&t, "- ", WT_MANIFEST_DEPTH_MAX + 1);
	append(&t, "x\n", 1);
	assert_true(fails_at(WT_MANIFEST_FULL, t.p, t.n, 3, 2 * WT_MANIFEST_DEPTH_MAX - 1,
			     "nested deeper"));
	t.n = 0;
	append(&t, "version: 1\nfiles: ", 1);
	append(&t, "{a: ", WT_MANIFEST_DEPTH_MAX - 1); /* 64 levels with the root: not too deep */
	append(&t, "x", 1);
	append(&t, "}", WT_MANIFEST_DEPTH_MAX - 1);
	assert_true(fails_at(WT_MANIFEST_FULL, t.p, t.n, 2, 8, "files: expected a sequence"));

	t.n = 0;
	append(&t, "version: 1\nfiles:\n  - {path: /", 1);
	append(&t, "a", WT_MANIFEST_STRING_MAX - 1);
	append(&t, ", allow: [read]}\n", 1);
	m = load_ok(t.p, &(warnings){0});
	assert_int_equal(strlen(m->files[0].pattern), WT_MANIFEST_STRING_MAX);
	wt_manifest_free(m);
	t.n -= strlen(", allow: [read]}\n");
	append(&t, "a, allow: [read]}\n", 1);
	assert_true(fails_at(WT_MANIFEST_FULL, t.p, t.n, 3, 12, "longer than 16384 bytes"));
	t.n = 0;
	append(&t, "version: 1\nenv: [", 1);
	append(&t, "N", WT_MANIFEST_STRING_MAX + 1);
	append(&t, "]\n", 1);
	assert_true(fails_at(WT_MANIFEST_FULL, t.p, t.n, 2, 7, "env: longer than 16384 bytes"));
	t.n = 0;
	append(&t, "version: 1\nmounts:\n  ? /", 1); /* a key of over 1024 bytes: explicit */
	append(&t, "m", 4095);
	append(&t, "\n  : {host: .}\n", 1);
	assert_true(fails_at(WT_MANIFEST_FULL, t.p, t.n, 3, 5, "longer than 4095 bytes"));
	t.n = 0;
	append(&t, "version: 1\ncwd: /", 1);
	append(&t, "c", 4095);
	assert_true(fails_at(WT_MANIFEST_FULL, t.p, t.n, 2, 6, "cwd: longer than 4095 bytes"));
	free(t.p);

	assert_true(fails_at(WT_MANIFEST_FULL,
			     "version: 1\nfiles:\n  - &r {path: /a, allow: [read]}\n  - *r\n", 58,
			     4, 5, "alias *r: a manifest allows no aliases"));
	assert_true(fails_at(WT_MANIFEST_OVERRIDE, "files: &f []\ndeny: *f\n", 22, 2, 7,
			     "allows no aliases"));
}

/* Comment lines are found by libyaml's line numbers: CR, NEL, LS and PS end
 * lines too, a BOM is not part of the first. */
static void test_load_comments_on_any_line_break(void **state)
{
	static const struct {
		const char *yaml;
		const char *header, *rule;
	} cases[] = {
	    {"# h\rversion: 1\rfiles:\r  # c\r  - {path: /a, allow: [read]}\r", "h", "c"},
	    {"# h\r\nversion: 1\r\nfiles:\r\n  # c\r\n  - {path: /a, allow: [read]}\r\n", "h", "c"},
	    {"\xef\xbb\xbf# h\nversion: 1\nfiles:\n  # c\xc2\x85  - {path: /a, allow: [read]}\n",
	     "h", "c"},
	    {"# h\xe2\x80\xa8version: 1\xe2\x80\xa9"
	     "files:\n  # x\n  # c\n  - {path: /a, allow: [read]}\n",
	     "h", "c"},
	    {"version: 1\nfiles:\n  - {path: /a, allow: [read]}\n", NULL, NULL},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		wt_manifest *m = load_ok(cases[i].yaml, &(warnings){0});

		assert_int_equal(m->nheader, cases[i].header ? 1 : 0);
		if (cases[i].header)
			assert_string_equal(m->header[0], cases[i].header);
		assert_int_equal(m->nfiles, 1);
		if (cases[i].rule)
			assert_string_equal(m->files[0].comment, cases[i].rule);
		else
			assert_null(m->files[0].comment);
		wt_manifest_free(m);
	}
}

/* A comment holding what libyaml takes as a line break (LS, PS, NEL) or
 * refuses (C1 controls, bytes that are not UTF-8) cannot add a grant or
 * spoil the file: the emitted manifest loads back with the same rules. */
static void test_emit_comment_cannot_break_out(void **state)
{
	static const char *const comments[] = {
	    "x\xe2\x80\xa8  - {path: /**, allow: [write]}",
	    "x\xe2\x80\xa9  - {path: /**, allow: [write]}",
	    "x\xc2\x85  - {path: /**, allow: [write]}",
	    "bad \x80\xff\xc0\xaf bytes, C1 \xc2\x9b[2J, DEL \x7f, \xef\xbf\xbe",
	    "kept: caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x90\xa2\ttab",
	};

	for (size_t i = 0; i < sizeof comments / sizeof comments[0]; i++) {
		wt_manifest *m = wt_manifest_new(), *back = NULL;
		wt_error err;
		char *yaml;
		size_t len;

		assert_int_equal(
		    wt_manifest_add_rule(m, "/src/a", WT_RIGHT_READ, comments[i], NULL), 0);
		m->header = (const char **)&comments[i];
		m->nheader = 1;
		assert_int_equal(wt_manifest_emit(m, &yaml, &len, NULL), 0);
		wt_error_init(&err);
		if (wt_manifest_load(yaml, len, "t.yaml", &back, NULL, NULL, &err))
			fail_msg("comment %zu: %u:%u: %s\n%s", i, err.line, err.column, err.msg,
				 yaml);
		assert_int_equal(back->nfiles, 1);
		assert_string_equal(back->files[0].pattern, "/src/a");
		assert_int_equal(back->nheader, 1);
		if (i == 4) {
			assert_string_equal(back->files[0].comment, comments[i]);
			assert_string_equal(back->header[0], comments[i]);
		}
		free(yaml);
		wt_manifest_free(back);
		m->header = NULL;
		wt_manifest_free(m);
	}
}

static void test_pattern_check_and_escape(void **state)
{
	static const struct {
		const char *pattern;
		int ok;
	} cases[] = {
	    {"/", 1},
	    {"/a", 1},
	    {"/a/*", 1},
	    {"/a/*.o", 1},
	    {"/a/**", 1},
	    {"/**", 1},
	    {"${arg:0}", 1},
	    {"${arg:12}/**", 1},
	    {"/a\\*b", 1},
	    {"a", 0},
	    {"", 0},
	    {"/a/", 0},
	    {"/a/**/b", 0},
	    {"/a/b**", 0},
	    {"${arg:}", 0},
	    {"${arg:1}x", 1},
	    {"${arg}", 1},
	    {"${arg}.gz/a", 1},
	    {"${arg:-o}", 1},
	    {"${arg:--out}.x", 1},
	    {"${arg:-}", 0},
	    {"${arg}*.o", 0},
	    {"${arg:o}", 0},
	    {"/a/./b", 0},
	    {"/a\\b", 0},
	    {"/a\\", 0},
	    {"${arg:1", 0},
	    {"${argdir}", 1},
	    {"${argdir}/*", 1},
	    {"${argdir}.old", 0},
	    {"${argdirs}/*", 0},
	};
	char why[128];
	wt_arena a;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = wt_manifest_pattern_check(cases[i].pattern, why, sizeof why);
		if ((rc == 0) != cases[i].ok)
			fail_msg("pattern '%s': rc %d (%s)", cases[i].pattern, rc, why);
	}
	wt_arena_init(&a);
	assert_string_equal(wt_manifest_pattern_escape(&a, "/a*b\\c$d", 8), "/a\\*b\\\\c$d");
	assert_string_equal(wt_manifest_pattern_escape(&a, "${x}", 4), "\\${x}");
	wt_arena_fini(&a);
}

static void add_line(void *ctx, const char *line)
{
	strcat(strcat(ctx, line), "\n");
}

static void test_diff_lines(void **state)
{
	static const struct {
		const char *old, *new_, *lines;
	} cases[] = {
	    {"", "", ""},
	    {"files:\n  - {path: /a, allow: [read]}\n  - {path: /a, allow: [stat]}\n",
	     "files:\n  - {path: /a, allow: [stat, read]}\n", ""},
	    {"files:\n  - {path: '/out/*.o', allow: [write]}\n",
	     "files:\n  - {path: /src/secrets.env, allow: [read]}\n",
	     "- /out/*.o [write]\n+ /src/secrets.env [read]\n"},
	    {"files:\n  - {path: /a, allow: [read, write]}\n",
	     "files:\n  - {path: /a, allow: [read, create]}\n",
	     "~ /a [read, write] -> [read, create]\n"},
	    {"env: [A, B]\n", "env: [B, C]\n", "- env A\n+ env C\n"},
	    {"env: [A, B, A, D]\n", "env: [C, B, C, D]\n", "- env A\n+ env C\n"},
	    {"module: {sha256: 9f2c000000000000000000000000000000000000000000000000000000000000}\n",
	     "module: {sha256: 1a2b000000000000000000000000000000000000000000000000000000000000}\n",
	     "~ module sha256 9f2c00000000.. -> 1a2b00000000..\n"},
	    {"mounts:\n  /out: {host: out, mode: ro}\n  /x: {host: x}\n",
	     "mounts:\n  /out: {host: o2, mode: rw}\n  /y: {host: y}\n",
	     "~ mount /out ro -> rw\n~ mount /out host out -> o2\n- mount /x ro (host x)\n"
	     "+ mount /y ro (host y)\n"},
	    {"clocks: [monotonic]\nrandom: true\nstdio: [stdout]\nexit_codes: [0]\n",
	     "clocks: {fake: [monotonic, realtime]}\nstdio: [stderr]\nexit_codes: [0, 3]\n",
	     "+ clock realtime\n~ clocks real -> fake\n- random\n- stdio stdout\n+ stdio stderr\n"
	     "+ exit_code 3\n"},
	    {"deny:\n  - {path: /s, allow: [read]}\nabsent: [/x]\n", "on_deviation: deny\n",
	     "- deny /s [read]\n- absent /x\n~ on_deviation default -> deny\n"},
	    {"limits: {fuel: 10}\n", "limits: {fuel: 20, time: 1.5}\n",
	     "~ limit fuel 10 -> 20\n~ limit time 0 -> 1.5\n"},
	    {"cwd: /src\n", "cwd: /src\n", ""},
	    {"", "cwd: /src/sub\n", "~ cwd / -> /src/sub\n"},
	    {"cwd: /a\n", "cwd: /b\n", "~ cwd /a -> /b\n"},
	    {"files:\n  - {path: '/p/*', allow: [write]}\n",
	     "files:\n  - {path: '/p/*', allow: [write], only: new}\n", "- /p/* [write]\n"},
	    {"files:\n  - {path: '/p/*', allow: [write, create], only: new}\n",
	     "files:\n  - {path: '/p/*', allow: [create], only: new}\n"
	     "  - {path: /p/out, allow: [write]}\n",
	     "- /p/* [write] (only new)\n+ /p/out [write]\n"},
	    {"refused:\n  - {path: /a, call: path_open, errno: ENOTCAPABLE}\n"
	     "  - {path: /b, call: path_open, errno: EIO}\n",
	     "refused:\n  - {path: /a, call: path_open, errno: ELOOP}\n"
	     "  - {path: /c, call: path_unlink_file, errno: EISDIR}\n",
	     "~ refused path_open /a ENOTCAPABLE -> ELOOP\n- refused path_open /b EIO\n"
	     "+ refused path_unlink_file /c EISDIR\n"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char a[512], b[512], lines[1024] = "";
		wt_manifest *ma, *mb;
		size_t n, want = 0;

		snprintf(a, sizeof a, "version: 1\n%s", cases[i].old);
		snprintf(b, sizeof b, "version: 1\n%s", cases[i].new_);
		ma = load_ok(a, &(warnings){0});
		mb = load_ok(b, &(warnings){0});
		n = wt_manifest_diff(ma, mb, add_line, lines);
		for (const char *p = cases[i].lines; *p; p++)
			want += *p == '\n';
		if (strcmp(lines, cases[i].lines) != 0 || n != want)
			fail_msg("case %zu: got %zu lines:\n%s", i, n, lines);
		wt_manifest_free(ma);
		wt_manifest_free(mb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_design_example),
	    cmocka_unit_test(test_emit_round_trip_every_field),
	    cmocka_unit_test(test_emit_round_trip_variants),
	    cmocka_unit_test(test_emit_is_deterministic_and_readable),
	    cmocka_unit_test(test_load_errors_have_line_and_column),
	    cmocka_unit_test(test_load_warnings),
	    cmocka_unit_test(test_load_key_locations),
	    cmocka_unit_test(test_load_kinds),
	    cmocka_unit_test(test_load_duplicate_keys_everywhere),
	    cmocka_unit_test(test_load_limits),
	    cmocka_unit_test(test_load_comments_on_any_line_break),
	    cmocka_unit_test(test_emit_comment_cannot_break_out),
	    cmocka_unit_test(test_pattern_check_and_escape),
	    cmocka_unit_test(test_diff_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
