/* test_generate.c: recorded events -> rules, absent and the rest; enforce allows each run. */
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
#include "generate.h"
#include "manifest.h"
#include "needs.h"
#include "wasi.h"
#include "wasi_abi.h"
#include "wasi_flags.h"

#include "wt_fail_alloc.h"

enum {
	ENOENT_ = WT_ENOENT,
	EBADF_ = WT_EBADF,
	EEXIST_ = WT_EEXIST,
	ENOTCAP_ = WT_ENOTCAPABLE,
	OF_CREAT = WT_OF_CREAT,
	OF_EXCL = WT_OF_EXCL,
	OF_TRUNC = WT_OF_TRUNC
};

#define EV(c, ...)                               \
	{                                        \
		.call = WT_WASI_##c, __VA_ARGS__ \
	}
#define EVS(...)                                   \
	.events = (const wt_event[]){__VA_ARGS__}, \
	.nevents = sizeof((const wt_event[]){__VA_ARGS__}) / sizeof(wt_event)
#define ARGV(...)                                   \
	.argv = (const char *const[]){__VA_ARGS__}, \
	.argc = sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)

#define R_ WT_RIGHT_READ
#define W_ WT_RIGHT_WRITE
#define C_ WT_RIGHT_CREATE

typedef struct want_rule {
	const char *pattern;
	const char *rights;  /* as wt_rights_format writes them */
	const char *comment; /* a part of the comment, or NULL for none */
	int only_new;
} want_rule;

typedef struct want_refusal {
	const char *pattern;
	wt_wasi_call call;
	uint16_t error;
} want_refusal;

typedef struct gen_case {
	const char *name;
	wt_gen_granularity g;
	const char *const *argv;
	int argc;
	const char *cwd;
	const wt_event *events;
	size_t nevents;
	want_rule rules[8];
	const char *absent[4];
	want_refusal refused[4];
} gen_case;

static const gen_case cases[] = {
    {"created with O_EXCL and kept: the folder's * for new entries, and its name",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/out/cache/a1b2", .flags = OF_CREAT | OF_EXCL, .rights = C_ | W_),
	 EV(fd_write, .fd = 4, .fd_path = "/out/cache/a1b2", .rights = W_)),
     {{"/out/cache/*", "write,create", "created by the run", 1},
      {"/out/cache/a1b2", "write,create", "made by the run and left there"}}},
    {"missing, then created: the folder's *",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_filestat_get, .path = "/out/o.tmp", .errno_result = ENOENT_),
	 EV(path_open, .path = "/out/o.tmp", .flags = OF_CREAT | OF_TRUNC,
	    .rights = C_ | W_ | WT_RIGHT_TRUNCATE)),
     {{"/out/*", "write,create,stat,truncate", "e.g. o.tmp", 1},
      {"/out/o.tmp", "write,create,truncate", "made by the run"}}},
    {"the host says created",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/out/x.o", .flags = OF_CREAT, .rights = C_ | W_, .created = 1)),
     {{"/out/*", "write,create", "1 seen", 1}, {"/out/x.o", "write,create", "made by the run"}}},
    {"O_CREAT of a file that was there: exact",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/out/log", .flags = OF_CREAT, .rights = C_ | W_)),
     {{"/out/log", "write,create", NULL}}},
    {"a file read: exact",
     WT_GEN_DIR,
     ARGV("t"),
     "/src",
     EVS(EV(path_open, .path = "/src/build.zon", .rights = R_),
	 EV(fd_read, .fd = 4, .fd_path = "/src/build.zon", .rights = R_, .size = 10)),
     {{"/src/build.zon", "read", NULL}}},
    {"arguments, relative and absolute",
     WT_GEN_DIR,
     ARGV("t", "--in", "data/in.txt", "-o", "/out/r.bin"),
     "/src",
     EVS(EV(path_open, .path = "/src/data/in.txt", .rights = R_),
	 EV(path_open, .path = "/out/r.bin", .flags = OF_CREAT | OF_TRUNC, .created = 1,
	    .rights = C_ | W_ | WT_RIGHT_TRUNCATE),
	 EV(fd_write, .fd = 5, .fd_path = "/out/r.bin", .rights = W_)),
     {{"${arg:-o}", "write,create,truncate", "the path given after -o (recorded: /out/r.bin)"},
      {"${arg}", "read",
       "a path given as an argument, at any position (recorded: argument 2, data/in.txt)"}}},
    {"below an argument folder",
     WT_GEN_DIR,
     ARGV("t", "proj/"),
     "/src",
     EVS(EV(path_open, .path = "/src/proj/a.c", .rights = R_),
	 EV(path_open, .path = "/src/proj/sub/b.c", .rights = R_),
	 EV(fd_readdir, .fd = 4, .fd_path = "/src/proj", .rights = WT_RIGHT_LIST)),
     {{"${arg}", "list", "a path given as an argument, at any position (recorded: argument 1"},
      {"${arg}/a.c", "read",
       "below a folder given as an argument, at any position (recorded: "
       "argument 1, proj/)"},
      {"${arg}/sub/b.c", "read", "below a folder given as an argument"}}},
    {"probed and missing: absent",
     WT_GEN_DIR,
     ARGV("t"),
     "/src",
     EVS(EV(path_filestat_get, .path = "/src/.toolrc", .errno_result = ENOENT_),
	 EV(path_open, .path = "/src/.cfg", .rights = R_, .errno_result = ENOENT_)),
     {{NULL}},
     {"/src/.cfg", "/src/.toolrc"}},
    {"start-up calls are quiet",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(args_sizes_get), EV(args_get), EV(environ_sizes_get), EV(environ_get),
	 EV(fd_prestat_get, .fd_path = "/src"), EV(fd_prestat_dir_name, .fd_path = "/src"),
	 EV(fd_prestat_get, .fd = 4, .errno_result = EBADF_), EV(fd_fdstat_get, .fd = 1)),
     {{NULL}}},
    {"4 siblings alike: the folder's *",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/src/src/a.c", .rights = R_),
	 EV(path_open, .path = "/src/src/b.c", .rights = R_),
	 EV(path_open, .path = "/src/src/c.c", .rights = R_),
	 EV(path_open, .path = "/src/src/d.c", .rights = R_),
	 EV(path_open, .path = "/src/src/e.h", .rights = R_ | WT_RIGHT_STAT)),
     {{"/src/src/*", "read", "4 files alike in this folder"}, {"/src/src/e.h", "read,stat", NULL}}},
    {"granularity exact keeps siblings",
     WT_GEN_EXACT,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/src/src/a.c", .rights = R_),
	 EV(path_open, .path = "/src/src/b.c", .rights = R_),
	 EV(path_open, .path = "/src/src/c.c", .rights = R_),
	 EV(path_open, .path = "/src/src/d.c", .rights = R_)),
     {{"/src/src/a.c", "read", NULL},
      {"/src/src/b.c", "read", NULL},
      {"/src/src/c.c", "read", NULL},
      {"/src/src/d.c", "read", NULL}}},
    {"3 siblings stay exact",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/src/a", .rights = R_),
	 EV(path_open, .path = "/src/b", .rights = R_),
	 EV(path_open, .path = "/src/c", .rights = R_)),
     {{"/src/a", "read", NULL}, {"/src/b", "read", NULL}, {"/src/c", "read", NULL}}},
    {"a missing sibling keeps siblings exact",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/s/a", .rights = R_), EV(path_open, .path = "/s/b", .rights = R_),
	 EV(path_open, .path = "/s/c", .rights = R_), EV(path_open, .path = "/s/d", .rights = R_),
	 EV(path_open, .path = "/s/.rc", .rights = R_, .errno_result = ENOENT_)),
     {{"/s/a", "read", NULL},
      {"/s/b", "read", NULL},
      {"/s/c", "read", NULL},
      {"/s/d", "read", NULL}},
     {"/s/.rc"}},
    {"granularity tree: several folders",
     WT_GEN_TREE,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/src/a/x.c", .rights = R_),
	 EV(path_open, .path = "/src/b/y.c", .rights = R_),
	 EV(path_open, .path = "/out/z", .rights = W_)),
     {{"/out/z", "write", NULL}, {"/src/**", "read", "2 rules alike below this folder"}}},
    {"granularity dir: no tree",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/src/a/x.c", .rights = R_),
	 EV(path_open, .path = "/src/b/y.c", .rights = R_)),
     {{"/src/a/x.c", "read", NULL}, {"/src/b/y.c", "read", NULL}}},
    {"granularity tree stops above a missing path",
     WT_GEN_TREE,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/src/a/x.c", .rights = R_),
	 EV(path_open, .path = "/src/a/z/w.c", .rights = R_),
	 EV(path_open, .path = "/src/b/y.c", .rights = R_),
	 EV(path_filestat_get, .path = "/src/c/.z", .errno_result = ENOENT_)),
     {{"/src/a/**", "read", "granularity tree"}, {"/src/b/y.c", "read", NULL}},
     {"/src/c/.z"}},
    {"a missing name where the run creates: the folder's *",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_filestat_get, .path = "/out/cache/index", .errno_result = ENOENT_),
	 EV(path_open, .path = "/out/cache/f1", .flags = OF_CREAT | OF_EXCL, .rights = C_ | W_)),
     {{"/out/cache/*", "write,create,stat", "1 missing name probed there", 1},
      {"/out/cache/f1", "write,create", "made by the run"}}},
    {"a file that was there keeps its own rule beside the created folder's",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/out/x1", .flags = OF_CREAT | OF_EXCL, .rights = C_ | W_),
	 EV(path_unlink_file, .path = "/out/x1", .rights = WT_RIGHT_DELETE),
	 EV(path_open, .path = "/out/y", .rights = W_)),
     {{"/out/*", "write,create,delete", "created by the run", 1}, {"/out/y", "write", NULL}}},
    {"wildcards in a name are escaped",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/src/a*b", .rights = R_),
	 EV(path_open, .path = "/src/\\x", .rights = R_)),
     {{"/src/\\\\x", "read", NULL}, {"/src/a\\*b", "read", NULL}}},
    {"rename of a temporary file",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/out/t.tmp", .flags = OF_CREAT | OF_EXCL, .rights = C_ | W_),
	 EV(path_rename, .path = "/out/t.tmp", .path2 = "/out/t", .rights = WT_RIGHT_RENAME)),
     {{"/out/*", "write,create,rename", "2 seen", 1}, {"/out/t", "create", "made by the run"}}},
    {"a folder made: its parent's * for new entries, plain * in it",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_create_directory, .path = "/out/cache", .rights = C_),
	 EV(path_open, .path = "/out/cache/k", .flags = OF_CREAT | OF_EXCL, .rights = C_ | W_)),
     {{"/out/*", "create", "e.g. cache", 1},
      {"/out/cache", "create", "made by the run"},
      {"/out/cache/*", "write,create",
       "in a folder it made, new names each run (1 seen, e.g. k)"}}},
    {"a temporary in a folder that was there: only new entries, nothing by name",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/p/Makefile", .rights = R_),
	 EV(path_open, .path = "/p/tmp.1a", .flags = OF_CREAT | OF_EXCL, .rights = C_ | W_),
	 EV(fd_write, .fd = 4, .fd_path = "/p/tmp.1a", .rights = W_),
	 EV(path_unlink_file, .path = "/p/tmp.1a", .rights = WT_RIGHT_DELETE)),
     {{"/p/*", "write,create,delete", "only what a run creates", 1},
      {"/p/Makefile", "read", NULL}}},
    {"a write and a truncate the fd's rights refused grant nothing",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/p/Makefile", .rights = R_),
	 EV(fd_read, .fd = 4, .fd_path = "/p/Makefile", .rights = R_),
	 EV(fd_write, .fd = 4, .fd_path = "/p/Makefile", .rights = W_, .errno_result = ENOTCAP_),
	 EV(fd_filestat_set_size, .fd = 4, .fd_path = "/p/Makefile", .rights = WT_RIGHT_TRUNCATE,
	    .errno_result = ENOTCAP_)),
     {{"/p/Makefile", "read", NULL}}},
    {"bad fds and pointers grant nothing",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_filestat_get, .path = "/p/x", .rights = WT_RIGHT_STAT, .errno_result = WT_EFAULT),
	 EV(path_rename, .path = "/p/a", .rights = WT_RIGHT_RENAME, .errno_result = ENOTCAP_),
	 EV(path_open, .path = "/p/b", .rights = W_, .flags = 0x30, .errno_result = WT_EINVAL),
	 EV(fd_write, .fd = 9, .fd_path = "/p/c", .rights = W_, .errno_result = EBADF_)),
     {{NULL}}},
    {"EEXIST to an exclusive create: that name, for new entries only",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_create_directory, .path = "/out", .rights = C_, .errno_result = EEXIST_),
	 EV(path_open, .path = "/p/Makefile", .flags = OF_CREAT | OF_EXCL, .rights = C_ | W_,
	    .errno_result = EEXIST_)),
     {{"/out", "create", "there already", 1}, {"/p/Makefile", "write,create", "there already", 1}}},
    {"EEXIST where the run creates: the folder's rule",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/p/t.1", .flags = OF_CREAT | OF_EXCL, .rights = C_ | W_,
	    .errno_result = EEXIST_),
	 EV(path_open, .path = "/p/t.2", .flags = OF_CREAT | OF_EXCL, .rights = C_ | W_),
	 EV(path_unlink_file, .path = "/p/t.2", .rights = WT_RIGHT_DELETE)),
     {{"/p/*", "write,create,delete", "1 name there already", 1}}},
    {"what the host refused after the policy: refused, not granted",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/m/up", .rights = R_, .errno_result = ENOTCAP_),
	 EV(path_remove_directory, .path = "/m/Makefile", .rights = WT_RIGHT_DELETE,
	    .errno_result = WT_ENOTDIR),
	 EV(path_open, .path = "/ro/x", .rights = C_ | W_, .flags = OF_CREAT,
	    .errno_result = WT_EROFS),
	 EV(path_filestat_get, .path = "/m/Makefile", .rights = WT_RIGHT_STAT)),
     {{"/m/Makefile", "stat", NULL}},
     {NULL},
     {{"/m/Makefile", WT_WASI_path_remove_directory, WT_ENOTDIR},
      {"/m/up", WT_WASI_path_open, WT_ENOTCAPABLE},
      {"/ro/x", WT_WASI_path_open, WT_EROFS}}},
    {"a name linked or renamed from a file that was there is no new entry",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_link, .path = "/w/f", .path2 = "/w/h", .rights = WT_RIGHT_LINK),
	 EV(path_rename, .path = "/w/h", .path2 = "/w/r", .rights = WT_RIGHT_RENAME),
	 EV(path_open, .path = "/w/r", .rights = W_)),
     {{"/w/f", "link", NULL}, {"/w/h", "create,rename", NULL}, {"/w/r", "write,create", NULL}}},
    {"files written that were there are never widened",
     WT_GEN_TREE,
     ARGV("t"),
     "/",
     EVS(EV(path_open, .path = "/s/a", .rights = W_), EV(path_open, .path = "/s/b", .rights = W_),
	 EV(path_open, .path = "/s/c", .rights = W_), EV(path_open, .path = "/s/d", .rights = W_),
	 EV(path_open, .path = "/s/e/f", .rights = W_)),
     {{"/s/a", "write", NULL},
      {"/s/b", "write", NULL},
      {"/s/c", "write", NULL},
      {"/s/d", "write", NULL},
      {"/s/e/f", "write", NULL}}},
    {"ENOENT on a rename whose source is there: refused, no rename",
     WT_GEN_DIR,
     ARGV("t"),
     "/",
     EVS(EV(path_filestat_get, .path = "/w/a", .rights = WT_RIGHT_STAT),
	 EV(path_rename, .path = "/w/a", .path2 = "/w/no/b", .rights = WT_RIGHT_RENAME,
	    .errno_result = ENOENT_)),
     {{"/w/a", "stat", NULL}},
     {NULL},
     {{"/w/a", WT_WASI_path_rename, WT_ENOENT}}},
};

static wt_gen_run run_of(const gen_case *c)
{
	return (wt_gen_run){.argc = c->argc,
			    .argv = c->argv,
			    .cwd = c->cwd,
			    .module_name = "t.wasm",
			    .tool_version = "0.1.0",
			    .events = c->events,
			    .nevents = c->nevents};
}

/* The run passes, as `check` replays it: every event the policy is asked about (not one
 * refused before it) is allowed, or answered as the host answered it (ENOENT for absent
 * paths, the errno of a `refused` entry), with what each call did told after it. */
static void check_enforced(const char *name, const wt_manifest *m, const wt_gen_run *run)
{
	wt_enforce_config cfg = {.manifest = m,
				 .manifest_name = "m.yaml",
				 .argc = run->argc,
				 .argv = run->argv,
				 .cwd = run->cwd,
				 .mode = WT_ON_DEV_DENY};
	wt_enforce *e = NULL;
	wt_policy pol;
	wt_error err;

	wt_error_init(&err);
	if (wt_enforce_new(&cfg, &e, &err))
		fail_msg("%s: enforce: %s", name, err.msg);
	pol = wt_enforce_policy(e);
	for (size_t i = 0; i < run->nevents; i++) {
		const wt_event *ev = &run->events[i];
		wt_verdict v = WT_ALLOW;

		if (wt_manifest_outcome(ev) != WT_OUTCOME_EARLY)
			v = wt_enforce_decide(e, ev);
		if (v != WT_ALLOW && !(v == WT_HIDE && ev->errno_result == ENOENT_) &&
		    !(v == WT_DENY && pol.deny_errno(e, ev) == ev->errno_result))
			fail_msg("%s: event %zu refused (verdict %d)", name, i, (int)v);
		wt_enforce_observe(e, ev);
	}
	if (wt_enforce_count(e))
		fail_msg("%s: %zu deviations, the first on %s", name, wt_enforce_count(e),
			 wt_enforce_get(e, 0)->path ? wt_enforce_get(e, 0)->path : "(no path)");
	wt_enforce_free(e);
}

static void check_rules(const gen_case *c, const wt_manifest *m)
{
	size_t n = 0, na = 0;
	char rights[128];

	while (n < 8 && c->rules[n].pattern)
		n++;
	while (na < 4 && c->absent[na])
		na++;
	if (m->nfiles != n) {
		for (size_t i = 0; i < m->nfiles; i++)
			print_message("  got %s [%s]%s\n", m->files[i].pattern,
				      wt_rights_format(m->files[i].rights, rights, sizeof rights),
				      m->files[i].only_new ? " only new" : "");
		fail_msg("%s: %zu rules, expected %zu", c->name, m->nfiles, n);
	}
	for (size_t i = 0; i < n; i++) {
		const wt_mrule *r = &m->files[i];

		if (strcmp(r->pattern, c->rules[i].pattern) != 0 ||
		    strcmp(wt_rights_format(r->rights, rights, sizeof rights),
			   c->rules[i].rights) ||
		    r->only_new != c->rules[i].only_new) {
			for (size_t j = 0; j < m->nfiles; j++)
				print_message(
				    "  got %s [%s]%s\n", m->files[j].pattern,
				    wt_rights_format(m->files[j].rights, rights, sizeof rights),
				    m->files[j].only_new ? " only new" : "");
			wt_rights_format(r->rights, rights, sizeof rights);
			fail_msg("%s: rule %zu is %s [%s]%s, expected %s [%s]%s", c->name, i,
				 r->pattern, rights, r->only_new ? " only new" : "",
				 c->rules[i].pattern, c->rules[i].rights,
				 c->rules[i].only_new ? " only new" : "");
		}
		if (!c->rules[i].comment)
			assert_null(r->comment);
		else if (!r->comment || !strstr(r->comment, c->rules[i].comment))
			fail_msg("%s: comment of %s: '%s', expected '%s' in it", c->name,
				 r->pattern, r->comment ? r->comment : "(none)",
				 c->rules[i].comment);
	}
	assert_int_equal(m->nabsent, na);
	for (size_t i = 0; i < na; i++)
		assert_string_equal(m->absent[i], c->absent[i]);
	for (n = 0; n < 4 && c->refused[n].pattern;)
		n++;
	assert_int_equal(m->nrefused, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(m->refused[i].pattern, c->refused[i].pattern);
		assert_int_equal(m->refused[i].call, c->refused[i].call);
		assert_int_equal(m->refused[i].error, c->refused[i].error);
	}
}

static void test_generate_rules_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const gen_case *c = &cases[i];
		wt_gen_run run = run_of(c);
		wt_gen_options opt = {.granularity = c->g};
		wt_manifest *m = NULL;
		wt_error err;

		wt_error_init(&err);
		if (wt_generate(&run, 1, &opt, &m, &err))
			fail_msg("%s: %s", c->name, err.msg);
		check_rules(c, m);
		check_enforced(c->name, m, &run);
		wt_manifest_free(m);
	}
}

/* The "arguments" case again, enforced with other arguments: the same
 * manifest fits; a file the run never touched does not. */
static void test_generate_args_fit_other_runs(void **state)
{
	static const char *const later_argv[] = {"t", "--in", "other/two.txt", "-o", "/out/q.bin"};
	const gen_case *c = &cases[5];
	wt_gen_run run = run_of(c);
	wt_manifest *m = NULL;
	wt_enforce_config cfg = {
	    .argc = 5, .argv = later_argv, .cwd = "/src", .mode = WT_ON_DEV_DENY};
	const wt_event ok[] = {
	    EV(path_open, .path = "/src/other/two.txt", .rights = R_),
	    EV(path_open, .path = "/out/q.bin", .flags = OF_CREAT | OF_TRUNC,
	       .rights = C_ | W_ | WT_RIGHT_TRUNCATE),
	};
	const wt_event bad = EV(path_open, .path = "/src/data/in.txt", .rights = R_);
	wt_enforce *e = NULL;
	wt_error err;

	(void)state;
	wt_error_init(&err);
	assert_int_equal(wt_generate(&run, 1, NULL, &m, &err), 0);
	cfg.manifest = m;
	assert_int_equal(wt_enforce_new(&cfg, &e, &err), 0);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(wt_enforce_decide(e, &ok[i]), WT_ALLOW);
	assert_int_not_equal(wt_enforce_decide(e, &bad), WT_ALLOW);
	wt_enforce_free(e);
	wt_manifest_free(m);
}

/* A file created with a new name the next run is covered; one more read is not. */
static void test_generate_created_names_fit_other_runs(void **state)
{
	const gen_case *c = &cases[0];
	wt_gen_run run = run_of(c);
	wt_manifest *m = NULL;
	wt_enforce_config cfg = {.argc = c->argc, .argv = c->argv, .mode = WT_ON_DEV_DENY};
	const wt_event next = EV(path_open, .path = "/out/cache/ffee", .flags = OF_CREAT | OF_EXCL,
				 .rights = C_ | W_);
	const wt_event more = EV(path_open, .path = "/out/cache/ffee", .rights = R_);
	wt_enforce *e = NULL;
	wt_error err;

	(void)state;
	wt_error_init(&err);
	assert_int_equal(wt_generate(&run, 1, NULL, &m, &err), 0);
	cfg.manifest = m;
	assert_int_equal(wt_enforce_new(&cfg, &e, &err), 0);
	assert_int_equal(wt_enforce_decide(e, &next), WT_ALLOW);
	assert_int_not_equal(wt_enforce_decide(e, &more), WT_ALLOW);
	wt_enforce_free(e);
	wt_manifest_free(m);
}

/* A later run under what a build with a temporary in /p was granted: new temporaries and
 * the outputs again; never the Makefile that was there (not written, truncated, removed,
 * renamed over, reached through a symlink the run makes). */
static void test_generate_temporaries_spare_what_was_there(void **state)
{
	static const wt_event recorded[] = {
	    EV(path_open, .path = "/p/Makefile", .rights = R_),
	    EV(path_open, .path = "/p/tmp.1a", .flags = OF_CREAT | OF_EXCL, .rights = C_ | W_,
	       .created = 1),
	    EV(path_symlink, .path = "/p/tmp.1a.l", .path2 = "tmp.1a", .rights = WT_RIGHT_SYMLINK),
	    EV(path_unlink_file, .path = "/p/tmp.1a.l", .rights = WT_RIGHT_DELETE),
	    EV(path_rename, .path = "/p/tmp.1a", .path2 = "/p/tmp.1b", .rights = WT_RIGHT_RENAME),
	    EV(path_unlink_file, .path = "/p/tmp.1b", .rights = WT_RIGHT_DELETE),
	    EV(path_open, .path = "/p/out.txt", .flags = OF_CREAT | OF_TRUNC,
	       .rights = C_ | W_ | WT_RIGHT_TRUNCATE, .created = 1),
	};
	static const struct {
		wt_event ev;
		int allowed;
	} later[] = {
	    {EV(path_open, .path = "/p/tmp.9z", .flags = OF_CREAT | OF_EXCL, .rights = C_ | W_,
		.created = 1),
	     1},
	    {EV(path_rename, .path = "/p/tmp.9z", .path2 = "/p/tmp.9y", .rights = WT_RIGHT_RENAME),
	     1},
	    {EV(path_unlink_file, .path = "/p/tmp.9y", .rights = WT_RIGHT_DELETE), 1},
	    {EV(path_open, .path = "/p/out.txt", .flags = OF_CREAT | OF_TRUNC,
		.rights = C_ | W_ | WT_RIGHT_TRUNCATE),
	     1},
	    {EV(path_open, .path = "/p/Makefile", .flags = OF_CREAT | OF_TRUNC,
		.rights = C_ | W_ | WT_RIGHT_TRUNCATE),
	     0},
	    {EV(path_open, .path = "/p/Makefile", .rights = W_), 0},
	    {EV(path_unlink_file, .path = "/p/Makefile", .rights = WT_RIGHT_DELETE), 0},
	    {EV(path_open, .path = "/p/tmp.8", .flags = OF_CREAT | OF_EXCL, .rights = C_ | W_,
		.created = 1),
	     1},
	    {EV(path_rename, .path = "/p/tmp.8", .path2 = "/p/Makefile", .rights = WT_RIGHT_RENAME),
	     0},
	    {EV(path_symlink, .path = "/p/tmp.l", .path2 = "Makefile", .rights = WT_RIGHT_SYMLINK),
	     1},
	    {EV(path_open, .path = "/p/tmp.l", .flags = WT_LOOKUP_SYMLINK_FOLLOW << 16,
		.rights = W_),
	     0},
	};
	wt_gen_run run = {.argc = 1,
			  .argv = (const char *const[]){"t"},
			  .events = recorded,
			  .nevents = sizeof recorded / sizeof recorded[0]};
	char dir[] = "/tmp/wt-generate-XXXXXX", mk[64], link[64];
	const wt_mount mounts[] = {{dir, "/p", 0}};
	wt_enforce_config cfg = {
	    .argc = 1, .argv = run.argv, .mode = WT_ON_DEV_DENY, .mounts = mounts, .nmounts = 1};
	wt_manifest *m = NULL;
	wt_enforce *e = NULL;
	wt_error err;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir)); /* the later run's tree: the Makefile is there */
	snprintf(mk, sizeof mk, "%s/Makefile", dir);
	assert_non_null(f = fopen(mk, "w"));
	fclose(f);
	snprintf(link, sizeof link, "%s/tmp.l", dir); /* and the symlink its call 9 makes */
	assert_int_equal(symlink("Makefile", link), 0);
	wt_error_init(&err);
	assert_int_equal(wt_generate(&run, 1, NULL, &m, &err), 0);
	check_enforced("the recorded run", m, &run);
	cfg.manifest = m;
	assert_int_equal(wt_enforce_new(&cfg, &e, &err), 0);
	for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
		wt_event ev = later[i].ev;

		ev.verdict = wt_enforce_decide(e, &ev); /* as the gate tells observe() */
		if ((ev.verdict == WT_ALLOW) != later[i].allowed)
			fail_msg("later call %zu (%s): verdict %d", i, ev.path, (int)ev.verdict);
		wt_enforce_observe(e, &ev);
	}
	wt_enforce_free(e);
	wt_manifest_free(m);
	unlink(link);
	unlink(mk);
	rmdir(dir);
}

/* A file one run created and removed while another found it there and wrote it: the
 * second run's write is granted on the name, the first run's on new entries only. */
static void test_generate_created_here_there_before_elsewhere(void **state)
{
	static const wt_event made[] = {
	    EV(path_open, .path = "/out/x", .flags = OF_CREAT | OF_EXCL, .rights = C_ | W_,
	       .created = 1),
	    EV(path_unlink_file, .path = "/out/x", .rights = WT_RIGHT_DELETE),
	};
	static const wt_event found[] = {EV(path_open, .path = "/out/x", .rights = W_)};
	wt_gen_run runs[2] = {
	    {.argc = 1, .argv = (const char *const[]){"t"}, .events = made, .nevents = 2},
	    {.argc = 1, .argv = (const char *const[]){"t"}, .events = found, .nevents = 1},
	};
	wt_manifest *m = NULL;
	wt_error err;

	(void)state;
	wt_error_init(&err);
	assert_int_equal(wt_generate(runs, 2, NULL, &m, &err), 0);
	assert_int_equal(m->nfiles, 2);
	assert_string_equal(m->files[0].pattern, "/out/*");
	assert_true(m->files[0].only_new);
	assert_string_equal(m->files[1].pattern, "/out/x");
	assert_int_equal(m->files[1].rights, W_);
	assert_false(m->files[1].only_new);
	check_enforced("run 1", m, &runs[0]);
	check_enforced("run 2", m, &runs[1]);
	wt_manifest_free(m);
}

static const wt_event run_a[] = {
    EV(path_open, .path = "/src/a", .rights = R_),
    EV(fd_write, .fd = 1, .rights = W_),
    EV(clock_time_get, .clock_id = 1),
    EV(proc_exit, .exit_code = 2),
};
static const wt_event run_b[] = {
    EV(path_open, .path = "/src/b", .rights = R_),
    EV(path_filestat_get, .path = "/src/a", .errno_result = ENOENT_), /* gone in this run */
    EV(path_filestat_get, .path = "/src/.rc", .errno_result = ENOENT_),
    EV(fd_write, .fd = 2, .rights = W_),
    EV(fd_read, .fd = 0, .rights = R_),
    EV(random_get, .size = 8),
    EV(clock_time_get, .clock_id = 0),
};
static const char *const argv_a[] = {"build.wasm", "--release"};
static const char *const argv_b[] = {"build.wasm", "--debug", "a b"};
static const char *const env_a[] = {"PATH", "HOME"};
static const char *const env_b[] = {"HOME", "CC"};
static const wt_mount mounts_a[] = {{"src", "/src", 1}, {"out", "/out", 1}};
static const wt_mount mounts_b[] = {{"out", "/out", 0}};

static void two_runs(wt_gen_run runs[2])
{
	runs[0] = (wt_gen_run){.argc = 2,
			       .argv = argv_a,
			       .cwd = "/src",
			       .nmounts = 2,
			       .mounts = mounts_a,
			       .nenv = 2,
			       .env_names = env_a,
			       .module_name = "build.wasm",
			       .sha256 = "ab12",
			       .tool_version = "0.1.0",
			       .events = run_a,
			       .nevents = 4};
	runs[1] = (wt_gen_run){.argc = 3,
			       .argv = argv_b,
			       .cwd = "/src",
			       .nmounts = 1,
			       .mounts = mounts_b,
			       .nenv = 2,
			       .env_names = env_b,
			       .module_name = "build.wasm",
			       .sha256 = "ab12",
			       .tool_version = "0.1.0",
			       .has_exit = 1,
			       .exit_code = 0,
			       .events = run_b,
			       .nevents = 7};
}

static void test_generate_merges_runs(void **state)
{
	wt_gen_run runs[2];
	wt_manifest *m = NULL;
	wt_error err;

	(void)state;
	two_runs(runs);
	wt_error_init(&err);
	assert_int_equal(wt_generate(runs, 2, NULL, &m, &err), 0);
	assert_int_equal(m->nfiles, 2);
	assert_string_equal(m->files[0].pattern, "/src/a");
	assert_int_equal(m->files[0].rights, R_); /* the stat that found it missing: refused */
	assert_string_equal(m->files[1].pattern, "/src/b");
	assert_int_equal(m->nabsent, 1);
	assert_string_equal(m->absent[0], "/src/.rc");
	assert_int_equal(m->nrefused, 1);
	assert_string_equal(m->refused[0].pattern, "/src/a");
	assert_int_equal(m->refused[0].call, WT_WASI_path_filestat_get);
	assert_int_equal(m->refused[0].error, WT_ENOENT);
	assert_int_equal(m->nenv, 3);
	assert_string_equal(m->env[0], "CC");
	assert_string_equal(m->env[1], "HOME");
	assert_string_equal(m->env[2], "PATH");
	assert_int_equal(m->clocks, WT_MCLOCK_REALTIME | WT_MCLOCK_MONOTONIC);
	assert_int_equal(m->clock_grant, WT_GRANT_REAL);
	assert_int_equal(m->random, WT_GRANT_REAL);
	assert_int_equal(m->stdio, WT_STDIO_STDIN | WT_STDIO_STDOUT | WT_STDIO_STDERR);
	assert_int_equal(m->nexit_codes, 2);
	assert_int_equal(m->exit_codes[0], 0);
	assert_int_equal(m->exit_codes[1], 2);
	assert_int_equal(m->nmounts, 2); /* in the order of the runs */
	assert_string_equal(m->mounts[0].guest, "/src");
	assert_int_equal(m->mounts[0].readonly, 1);
	assert_string_equal(m->mounts[1].guest, "/out");
	assert_int_equal(m->mounts[1].readonly, 0); /* rw in run 2 */
	assert_string_equal(m->module_name, "build.wasm");
	assert_string_equal(m->sha256, "ab12");
	assert_string_equal(m->cwd, "/src"); /* always written: both ran there */
	assert_int_equal(m->nheader, 5);
	assert_non_null(strstr(m->header[4], "`refused` lists 1 call"));
	assert_non_null(strstr(m->header[0], "from 2 runs"));
	assert_string_equal(m->header[1],
			    "  run 1: build.wasm --release (recorded by wasi-tofu 0.1.0)");
	assert_string_equal(m->header[2],
			    "  run 2: build.wasm --debug 'a b' (recorded by wasi-tofu 0.1.0)");
	check_enforced("run 1", m, &runs[0]);
	check_enforced("run 2", m, &runs[1]);
	wt_manifest_free(m);
}

/* The manifest's cwd and its clocks and random, from the runs' cwds and fakes (journal
 * headers): a cwd all runs had, unless it is the default; fake grants (and the seed) when
 * every run that read a clock or random had fake ones. */
static void test_generate_cwd_and_fakes(void **state)
{
	static const wt_wasi_fakes real = {0}, clocks = {.fake_clocks = 1},
				   both = {.fake_clocks = 1, .fake_random = 1, .random_seed = 42},
				   seed7 = {.fake_random = 1, .random_seed = 7};
	static const struct {
		const char *cwd_a, *cwd_b; /* NULL: "/" */
		const wt_wasi_fakes *fk_a, *fk_b;
		const char *cwd;
		wt_grant clocks, random;
		uint64_t seed;
	} rows[] = {
	    {"/src", "/src", &real, &real, "/src", WT_GRANT_REAL, WT_GRANT_REAL, 0},
	    {"/src/sub", "/src/sub", &real, &real, "/src/sub", WT_GRANT_REAL, WT_GRANT_REAL, 0},
	    {"/out", "/out", &real, &real, "/out", WT_GRANT_REAL, WT_GRANT_REAL, 0},
	    {"/src/sub", "/src", &real, &real, NULL, WT_GRANT_REAL, WT_GRANT_REAL, 0},
	    {NULL, NULL, &real, &real, "/", WT_GRANT_REAL, WT_GRANT_REAL, 0},
	    {"/src", "/src", &both, &both, "/src", WT_GRANT_FAKE, WT_GRANT_FAKE, 42},
	    {"/src", "/src", &clocks, &both, "/src", WT_GRANT_FAKE, WT_GRANT_FAKE, 42},
	    {"/src", "/src", &both, &clocks, "/src", WT_GRANT_FAKE, WT_GRANT_REAL, 0},
	    {"/src", "/src", &real, &both, "/src", WT_GRANT_REAL, WT_GRANT_FAKE, 42},
	    {"/src", "/src", &seed7, &both, "/src", WT_GRANT_REAL, WT_GRANT_FAKE, 42},
	    {"/src", "/src", &both, &seed7, "/src", WT_GRANT_REAL, WT_GRANT_FAKE, 7},
	};

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		wt_gen_run runs[2];
		wt_manifest *m = NULL;
		wt_error err;
		char *yaml = NULL, *again = NULL;
		size_t len, len2;
		wt_manifest *back = NULL;

		two_runs(runs); /* run a reads a clock; run b a clock and random */
		runs[0].cwd = rows[i].cwd_a, runs[1].cwd = rows[i].cwd_b;
		runs[0].fakes = *rows[i].fk_a, runs[1].fakes = *rows[i].fk_b;
		runs[0].sha256 = runs[1].sha256 = NULL; /* "ab12" is no pin the loader takes */
		wt_error_init(&err);
		assert_int_equal(wt_generate(runs, 2, NULL, &m, &err), 0);
		if (rows[i].cwd)
			assert_string_equal(m->cwd, rows[i].cwd);
		else
			assert_null(m->cwd);
		assert_int_equal(m->clock_grant, rows[i].clocks);
		assert_int_equal(m->random, rows[i].random);
		assert_int_equal(m->random_seed, rows[i].seed);
		/* what the loader reads back of it is the same */
		assert_int_equal(wt_manifest_emit(m, &yaml, &len, &err), 0);
		assert_int_equal(wt_manifest_load(yaml, len, "g.yaml", &back, NULL, NULL, &err), 0);
		assert_int_equal(back->clock_grant, rows[i].clocks);
		assert_int_equal(back->random, rows[i].random);
		assert_int_equal(back->random_seed, rows[i].seed);
		assert_int_equal(!back->cwd, !rows[i].cwd);
		assert_int_equal(wt_manifest_emit(back, &again, &len2, &err), 0);
		assert_int_equal(len, len2);
		assert_memory_equal(yaml, again, len);
		free(yaml);
		free(again);
		wt_manifest_free(back);
		wt_manifest_free(m);
	}
}

static char *emit_of(const wt_gen_run *runs, size_t n, size_t *len)
{
	wt_manifest *m = NULL;
	char *text = NULL;
	wt_error err;

	wt_error_init(&err);
	if (wt_generate(runs, n, NULL, &m, &err) || wt_manifest_emit(m, &text, len, &err))
		fail_msg("generate/emit: %s", err.msg);
	wt_manifest_free(m);
	return text;
}

static void test_generate_deterministic(void **state)
{
	wt_gen_run runs[2];
	size_t len1, len2;
	char *a, *b;

	(void)state;
	two_runs(runs);
	a = emit_of(runs, 2, &len1);
	b = emit_of(runs, 2, &len2);
	assert_int_equal(len1, len2);
	assert_memory_equal(a, b, len1);
	assert_null(strstr(a, "T0")); /* no time stamp anywhere */
	free(a);
	free(b);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		wt_gen_run run = run_of(&cases[i]);

		a = emit_of(&run, 1, &len1);
		b = emit_of(&run, 1, &len2);
		assert_int_equal(len1, len2);
		assert_memory_equal(a, b, len1);
		free(a);
		free(b);
	}
}

/* The emitted YAML loads back to the same rules. */
static void test_generate_emit_loads_back(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		wt_gen_run run = run_of(&cases[i]);
		wt_manifest *m = NULL, *back = NULL;
		char *text = NULL;
		size_t len;
		wt_error err;

		wt_error_init(&err);
		assert_int_equal(wt_generate(&run, 1, NULL, &m, &err), 0);
		assert_int_equal(wt_manifest_emit(m, &text, &len, &err), 0);
		if (wt_manifest_load(text, len, "gen.yaml", &back, NULL, NULL, &err))
			fail_msg("%s: %s\n%s", cases[i].name, err.msg, text);
		assert_int_equal(back->nfiles, m->nfiles);
		for (size_t k = 0; k < m->nfiles; k++) {
			assert_string_equal(back->files[k].pattern, m->files[k].pattern);
			assert_int_equal(back->files[k].rights, m->files[k].rights);
		}
		assert_int_equal(back->nabsent, m->nabsent);
		free(text);
		wt_manifest_free(m);
		wt_manifest_free(back);
	}
}

static void test_generate_refuses_other_modules(void **state)
{
	wt_gen_run runs[2];
	wt_manifest *m = NULL;
	wt_error err;

	(void)state;
	two_runs(runs);
	runs[1].sha256 = "cd34";
	wt_error_init(&err);
	assert_int_equal(wt_generate(runs, 2, NULL, &m, &err), WT_INVALID);
	assert_null(m);
	assert_non_null(strstr(err.msg, "different modules"));
	assert_int_equal(wt_generate(runs, 0, NULL, &m, &err), WT_INVALID);
}

/* A journal may hold anything: a path the gate would never make is an
 * error, never a rule that cannot load. */
static void test_generate_refuses_bad_paths(void **state)
{
	static const char *const bad[] = {"", "rel/a", "/a//b", "/a/./b", "/a/../b", "/a/"};
	wt_error err;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		wt_event ev = EV(path_open, .seq = 9, .path = bad[i], .rights = R_);
		wt_gen_run run = {.argc = 1, .argv = argv_a, .events = &ev, .nevents = 1};
		wt_manifest *m = NULL;

		wt_error_init(&err);
		assert_int_equal(wt_generate(&run, 1, NULL, &m, &err), WT_MALFORMED);
		assert_null(m);
		assert_non_null(strstr(err.msg, "call 9 (path_open)"));
	}
	{
		wt_gen_run run = {.argc = 1, .argv = argv_a, .cwd = "src"};
		wt_manifest *m = NULL;

		assert_int_equal(wt_generate(&run, 1, NULL, &m, &err), WT_MALFORMED);
	}
}

/* A mount, cwd or env name a manifest cannot hold (found by the fuzzers: a
 * journal mounting /s*, an env name with '=') is an error, not a manifest
 * that does not load. */
static void test_generate_refuses_what_a_manifest_cannot_hold(void **state)
{
	static const char *const bad[] = {"/s*", "/a\\b", "/a/../b", "src", "/a/"};
	wt_error err;

	(void)state;
	for (size_t i = 0; i < 2 * sizeof bad / sizeof bad[0]; i++) {
		const char *p = bad[i / 2];
		wt_mount mt = {.guest = i % 2 ? "/src" : p, .host = "."};
		wt_gen_run run = {.argc = 1,
				  .argv = argv_a,
				  .nmounts = 1,
				  .mounts = &mt,
				  .cwd = i % 2 ? p : "/src"};
		wt_manifest *m = NULL;

		wt_error_init(&err);
		assert_int_equal(wt_generate(&run, 1, NULL, &m, &err), WT_MALFORMED);
		assert_null(m);
		assert_non_null(strstr(err.msg, "cannot be written in a manifest"));
	}
	/* an env name with '=' or none (found by fuzz_journal) */
	for (size_t i = 0; i < 2; i++) {
		const char *env[] = {"HOME", i ? "" : "A=1"};
		wt_gen_run run = {.argc = 1, .argv = argv_a, .nenv = 2, .env_names = env};
		wt_manifest *m = NULL;

		wt_error_init(&err);
		assert_int_equal(wt_generate(&run, 1, NULL, &m, &err), WT_MALFORMED);
		assert_null(m);
		assert_non_null(strstr(err.msg, "env name"));
	}
}

/* A journal's calls are read in place: a struct starting with an event. */
static void test_generate_reads_with_stride(void **state)
{
	struct call {
		wt_event ev;
		uint64_t count;
	} calls[2] = {{EV(path_open, .path = "/src/a", .rights = R_), 1},
		      {EV(fd_read, .fd = 4, .fd_path = "/src/b", .rights = R_), 7}};
	wt_gen_run run = {.argc = 1,
			  .argv = argv_a,
			  .events = &calls[0].ev,
			  .nevents = 2,
			  .stride = sizeof calls[0]};
	wt_manifest *m = NULL;
	wt_error err;

	(void)state;
	wt_error_init(&err);
	assert_int_equal(wt_generate(&run, 1, NULL, &m, &err), 0);
	assert_int_equal(m->nfiles, 2);
	assert_string_equal(m->files[1].pattern, "/src/b");
	wt_manifest_free(m);
}

/* Every allocation of a generate, failed in turn: WT_NOMEM, nothing kept. */
static void test_generate_every_allocation_failure(void **state)
{
#if WT_FAILALLOC
	const size_t picks[] = {0, 5, 6, 9, 13, 15, 16, 19, 20};
	wt_gen_run runs[2 + sizeof picks / sizeof picks[0]];
	size_t nruns = 2;
	long n, before;

	(void)state;
	two_runs(runs);
	for (size_t i = 0; i < sizeof picks / sizeof picks[0]; i++)
		runs[nruns++] = run_of(&cases[picks[i]]);
	for (size_t i = 2; i < nruns; i++)
		runs[i].sha256 = "ab12";
	for (n = 0;; n++) {
		wt_gen_options opt = {
		    .granularity = WT_GEN_TREE, .manifest_dir = "/p", .host_cwd = "/p"};
		wt_manifest *m = NULL;
		wt_error err;
		int rc;

		wt_error_init(&err);
		before = live_blocks;
		fail_countdown = n;
		rc = wt_generate(runs, nruns, &opt, &m, &err);
		fail_countdown = -1;
		if (rc == 0) {
			wt_manifest_free(m);
			assert_int_equal(live_blocks, before);
			break;
		}
		if (rc != WT_NOMEM || m || live_blocks != before)
			fail_msg("allocation %ld failed: status %d, %ld blocks kept", n, rc,
				 live_blocks - before);
	}
	assert_true(n > 20); /* it did fail real allocations */
#else
	(void)state;
	skip();
#endif
}

typedef struct rel_case {
	const char *from, *to, *expect;
} rel_case;

static void test_generate_relpath_table(void **state)
{
	static const rel_case rels[] = {
	    {"/home/u/p", "/home/u/p", "."},
	    {"/home/u/p", "/home/u/p/out", "out"},
	    {"/home/u/p", "/home/u/p/a/b", "a/b"},
	    {"/home/u/p", "/home/u/lib", "../lib"},
	    {"/home/u/p", "/home/u", ".."},
	    {"/home/u/p/q", "/home/v", "../../../v"},
	    {"/home/u/p", "/home/u/pp", "../pp"},
	    {"/home/u/p", "/tmp/x", "/tmp/x"},
	    {"/", "/tmp/x", "/tmp/x"},
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof rels / sizeof rels[0]; i++) {
		const char *got = wt_gen_relpath(rels[i].from, rels[i].to, buf, sizeof buf);

		assert_non_null(got);
		assert_string_equal(got, rels[i].expect);
	}
	assert_null(wt_gen_relpath("/a", "/a/very/long/path", buf, 4));
}

static void test_generate_mount_hosts(void **state)
{
	static const wt_mount mounts[] = {{".", "/src", 1},
					  {"out", "/out", 0},
					  {"/home/u/lib", "/lib", 1},
					  {"/tmp/t", "/tmp", 0}};
	wt_gen_run run = {.argc = 1, .argv = argv_a, .nmounts = 4, .mounts = mounts};
	wt_gen_options opt = {.manifest_dir = "/home/u/p", .host_cwd = "/home/u/p"};
	wt_manifest *m = NULL;
	wt_error err;

	(void)state;
	wt_error_init(&err);
	assert_int_equal(wt_generate(&run, 1, &opt, &m, &err), 0);
	assert_int_equal(m->nmounts, 4);
	assert_string_equal(m->mounts[0].guest, "/src");
	assert_string_equal(m->mounts[0].host, ".");
	assert_string_equal(m->mounts[1].host, "out");
	assert_string_equal(m->mounts[2].host, "../lib");
	assert_string_equal(m->mounts[3].host, "/tmp/t");
	wt_manifest_free(m);
	opt.host_cwd = "/home/u";
	assert_int_equal(wt_generate(&run, 1, &opt, &m, &err), 0);
	assert_string_equal(m->mounts[0].host, "..");
	wt_manifest_free(m);
}

static void test_generate_granularity_names(void **state)
{
	wt_gen_granularity g;

	(void)state;
	assert_int_equal(wt_gen_granularity_parse("exact", &g), 0);
	assert_int_equal(g, WT_GEN_EXACT);
	assert_int_equal(wt_gen_granularity_parse("dir", &g), 0);
	assert_int_equal(g, WT_GEN_DIR);
	assert_int_equal(wt_gen_granularity_parse("tree", &g), 0);
	assert_int_equal(g, WT_GEN_TREE);
	assert_int_equal(wt_gen_granularity_parse("deep", &g), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_generate_rules_table),
	    cmocka_unit_test(test_generate_args_fit_other_runs),
	    cmocka_unit_test(test_generate_created_names_fit_other_runs),
	    cmocka_unit_test(test_generate_temporaries_spare_what_was_there),
	    cmocka_unit_test(test_generate_created_here_there_before_elsewhere),
	    cmocka_unit_test(test_generate_merges_runs),
	    cmocka_unit_test(test_generate_cwd_and_fakes),
	    cmocka_unit_test(test_generate_deterministic),
	    cmocka_unit_test(test_generate_emit_loads_back),
	    cmocka_unit_test(test_generate_refuses_other_modules),
	    cmocka_unit_test(test_generate_reads_with_stride),
	    cmocka_unit_test(test_generate_refuses_bad_paths),
	    cmocka_unit_test(test_generate_refuses_what_a_manifest_cannot_hold),
	    cmocka_unit_test(test_generate_every_allocation_failure),
	    cmocka_unit_test(test_generate_relpath_table),
	    cmocka_unit_test(test_generate_mount_hosts),
	    cmocka_unit_test(test_generate_granularity_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
