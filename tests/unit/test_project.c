/* test_project.c: the project file model (manifest/project*.c): load with line:column errors,
 * emit and load back, manifest names, paths that would leave the project, the caps summary. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "project.h"

static wt_project *load_ok(const char *text)
{
	wt_project *p = NULL;
	wt_error err;

	wt_error_init(&err);
	if (wt_project_load(text, strlen(text), &p, &err))
		fail_msg("unexpected error %u:%u: %s", err.line, err.column, err.msg);
	return p;
}

static void test_project_load_full(void **state)
{
	wt_project *p = load_ok("version: 1\n"
				"manifests: policy/m\n"
				"ceiling: policy/ceiling.yaml\n"
				"modules:\n"
				"  - path: tools/gen.wasm\n"
				"    sha256: "
				"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
				"    ceiling: policy/gen.yaml\n"
				"  - {path: vendor/dep/build.wasm, manifest: dep.yaml}\n");

	(void)state;
	assert_string_equal(p->manifests, "policy/m");
	assert_string_equal(p->ceiling, "policy/ceiling.yaml");
	assert_int_equal(p->nmodules, 2);
	assert_string_equal(p->modules[0].manifest, "gen.yaml");
	assert_string_equal(p->modules[0].ceiling, "policy/gen.yaml");
	assert_int_equal(p->modules[0].loc.line, 5);
	assert_string_equal(p->modules[1].manifest, "dep.yaml");
	assert_string_equal(p->modules[1].sha256, "");
	assert_ptr_equal(wt_project_find(p, "vendor/dep/build.wasm"), &p->modules[1]);
	assert_null(wt_project_find(p, "vendor/dep"));
	wt_project_free(p);
}

static void test_project_load_defaults(void **state)
{
	wt_project *p = load_ok("version: 1\nmodules:\n");

	(void)state;
	assert_string_equal(p->manifests, WT_PROJECT_MANIFESTS);
	assert_null(p->ceiling);
	assert_int_equal(p->nmodules, 0);
	wt_project_free(p);
}

/* Malformed project files: the line:column and a part of the message. */
static const struct {
	const char *text;
	unsigned line, column;
	const char *part;
} bad[] = {
    {"", 1, 1, "empty project file"},
    {"version: 1\nmodules: [\n", 3, 1, ""},
    {"modules: []\n", 1, 1, "no version"},
    {"version: 2\n", 1, 10, "expected 1"},
    {"version: 1\nextra: 1\n", 2, 1, "unknown key 'extra'"},
    {"version: 1\nmanifests: ../m\n", 2, 12, "`..` component leaves the project"},
    {"version: 1\nmanifests: /etc\n", 2, 12, "an absolute path"},
    {"version: 1\nmanifests: a//b\n", 2, 12, "empty or `.` component"},
    {"version: 1\nmanifests: a/./b\n", 2, 12, "empty or `.` component"},
    {"version: 1\nmanifests: a/\n", 2, 12, "trailing"},
    {"version: 1\nmodules:\n  - path: a/../../x.wasm\n", 3, 11, "leaves the project"},
    {"version: 1\nmodules:\n  - manifest: m.yaml\n", 3, 5, "without path"},
    {"version: 1\nmodules:\n  - {path: a.wasm, sha256: ABC}\n", 3, 28, "64 lowercase hex"},
    {"version: 1\nmodules:\n  - {path: a.wasm, pin: x}\n", 3, 20, "unknown key 'pin'"},
    {"version: 1\nmodules:\n  - {path: a.wasm}\n  - {path: a.wasm}\n", 4, 5,
     "listed twice (line 3)"},
    {"version: 1\nmodules:\n  - {path: a/x.wasm, manifest: m.yaml}\n  - {path: b.wasm, manifest: "
     "m.yaml}\n",
     4, 5, "b.wasm and a/x.wasm (line 3) share the manifest m.yaml"},
    {"version: 1\nmodules: {a: 1}\n", 2, 10, "modules: expected a sequence"},
    {"version: 1\nmodules:\n  - x\n", 3, 5, "expected a mapping"},
    {"- 1\n", 1, 1, "expected a mapping"},
};

static void test_project_load_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		wt_project *p = NULL;
		wt_error err;

		wt_error_init(&err);
		if (wt_project_load(bad[i].text, strlen(bad[i].text), &p, &err) != WT_MALFORMED ||
		    err.line != bad[i].line || err.column != bad[i].column ||
		    !strstr(err.msg, bad[i].part))
			fail_msg("case %zu: got %u:%u: %s", i, err.line, err.column, err.msg);
		assert_null(p);
	}
}

/* Two modules with the same file name: the second gets the whole path as its manifest's name. */
static void test_project_manifest_names(void **state)
{
	wt_project *p = wt_project_new();
	wt_pmodule *a, *b, *c;

	(void)state;
	assert_non_null(a = wt_project_add(p, "tools/build.wasm"));
	assert_non_null(b = wt_project_add(p, "vendor/dep/build.wasm"));
	assert_non_null(c = wt_project_add(p, "gen"));
	assert_string_equal(a->manifest, "build.yaml");
	assert_string_equal(b->manifest, "vendor-dep-build.yaml");
	assert_string_equal(c->manifest, "gen.yaml");
	assert_null(wt_project_add(p, "../x.wasm"));
	assert_null(wt_project_add(p, "/abs.wasm"));
	wt_project_free(p);
}

/* emit then load gives the same project; growing past the first capacity keeps the entries. */
static void test_project_emit_round_trip(void **state)
{
	wt_project *p = wt_project_new(), *q;
	char *text = NULL, path[32];
	size_t len = 0;
	wt_error err;

	(void)state;
	p->ceiling = "c.yaml";
	for (int i = 0; i < 20; i++) {
		snprintf(path, sizeof path, "m/%d: odd #name.wasm", i);
		wt_pmodule *m = wt_project_add(p, path);
		assert_non_null(m);
		if (i % 2)
			memset(m->sha256, 'a', 64);
	}
	wt_error_init(&err);
	assert_int_equal(wt_project_emit(p, &text, &len, &err), 0);
	assert_int_equal(wt_project_load(text, len, &q, &err), 0);
	assert_int_equal(q->nmodules, 20);
	for (size_t i = 0; i < 20; i++) {
		assert_string_equal(q->modules[i].path, p->modules[i].path);
		assert_string_equal(q->modules[i].manifest, p->modules[i].manifest);
		assert_string_equal(q->modules[i].sha256, p->modules[i].sha256);
	}
	assert_string_equal(q->ceiling, "c.yaml");
	free(text);
	wt_project_free(p);
	wt_project_free(q);
}

/* The summary: folders without those below them, arguments kept, wildcards dropped. */
static void test_project_caps(void **state)
{
	static const char text[] = "version: 1\n"
				   "files:\n"
				   "  - {path: /src/a/b.txt, allow: [read]}\n"
				   "  - {path: '/src/**', allow: [read, list]}\n"
				   "  - {path: /src/x/*/y.c, allow: [read]}\n"
				   "  - {path: /data, allow: [list]}\n"
				   "  - {path: '${arg:2}/*', allow: [create, write]}\n"
				   "  - {path: /out/gen/z.h, allow: [write]}\n"
				   "env: [HOME]\n"
				   "clocks: [monotonic]\n"
				   "random: true\n";
	wt_manifest *m = NULL;
	wt_error err;
	json_t *caps;
	char *s;

	(void)state;
	wt_error_init(&err);
	assert_int_equal(wt_manifest_load(text, sizeof text - 1, "t", &m, NULL, NULL, &err), 0);
	caps = wt_project_caps(m);
	s = json_dumps(caps, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s,
			    "{\"read\":[\"/src\",\"/data\"],\"write\":[\"${arg:2}\",\"/out/gen\"],"
			    "\"env\":[\"HOME\"],\"clocks\":[\"monotonic\"],\"random\":true,"
			    "\"sockets\":[]}");
	free(s);
	json_decref(caps);
	wt_manifest_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_project_load_full),
	    cmocka_unit_test(test_project_load_defaults),
	    cmocka_unit_test(test_project_load_malformed),
	    cmocka_unit_test(test_project_manifest_names),
	    cmocka_unit_test(test_project_emit_round_trip),
	    cmocka_unit_test(test_project_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
