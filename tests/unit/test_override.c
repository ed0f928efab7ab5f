/* test_override.c: [a] allow always: one grant appended to NAME.override.yaml, the file after is
 * the file before plus exactly the grant's line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manifest.h"
#include "override.h"

static void test_override_path_table(void **state)
{
	static const char *const rows[][2] = {
	    {"build.manifest.yaml", "build.override.yaml"},
	    {"ci/build.manifest.yaml", "ci/build.override.yaml"},
	    {"/a.b/tool.yml", "/a.b/tool.override.yaml"},
	    {"gen.yaml", "gen.override.yaml"},
	    {"dir.manifest/x", "dir.manifest/x.override.yaml"},
	    {"d/.manifest.yaml", "d/.manifest.override.yaml"},
	    {"d/.yaml", "d/.yaml.override.yaml"},
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char *p = wt_override_path(rows[i][0]);
		assert_non_null(p);
		assert_string_equal(p, rows[i][1]);
		free(p);
	}
}

/* Appends and checks the result; the inserted text is returned. */
static const struct {
	const char *name, *before, *pattern;
	uint32_t rights;
	const char *after;
} appends[] = {
    {"after the last item", "version: 1\nfiles:\n  - {path: /src/a, allow: [read]}\n", "/out/x.o",
     WT_RIGHT_CREATE,
     "version: 1\nfiles:\n  - {path: /src/a, allow: [read]}\n  - {path: /out/x.o, allow: "
     "[create]}\n"},
    {"indentless list, a comment, a key after",
     "version: 1\nfiles:\n- {path: /a, allow: [read]}  # why\n# note\nenv: [HOME]\n", "/out/x.o",
     WT_RIGHT_CREATE | WT_RIGHT_WRITE,
     "version: 1\nfiles:\n- {path: /a, allow: [read]}  # why\n- {path: /out/x.o, allow: [write, "
     "create]}\n# note\nenv: [HOME]\n"},
    {"a multi-line item", "files:\n  - path: /a\n    allow:\n      - read\n\nenv: [HOME]\n", "/b",
     WT_RIGHT_STAT,
     "files:\n  - path: /a\n    allow:\n      - read\n  - {path: /b, allow: [stat]}\n\nenv: "
     "[HOME]\n"},
    {"no files key", "version: 1\nenv: [HOME]\n", "/b", WT_RIGHT_READ,
     "version: 1\nenv: [HOME]\nfiles:\n  - {path: /b, allow: [read]}\n"},
    {"no final newline", "version: 1\nfiles:\n  - {path: /a, allow: [read]}", "/b", WT_RIGHT_READ,
     "version: 1\nfiles:\n  - {path: /a, allow: [read]}\n  - {path: /b, allow: [read]}\n"},
    {"a new file", "", "/out/**", WT_RIGHT_CREATE,
     "# Grants added at the wasi-tofu prompt ([a] allow always), one line each.\n"
     "# Review them; move them into the manifest, or delete the lines you do not want.\n"
     "version: 1\nfiles:\n  - {path: /out/**, allow: [create]}\n"},
    {"only comments", "# mine", "/x", WT_RIGHT_READ,
     "# mine\n# Grants added at the wasi-tofu prompt ([a] allow always), one line each.\n"
     "# Review them; move them into the manifest, or delete the lines you do not want.\n"
     "version: 1\nfiles:\n  - {path: /x, allow: [read]}\n"},
};

/* after must be before with one whole line (or, for an empty or
 * comment-only file, one block of lines) inserted. */
static void assert_only_insertion(const char *before, const char *after)
{
	size_t lb = strlen(before), la = strlen(after), pre = 0, suf = 0;

	while (pre < lb && before[pre] == after[pre])
		pre++;
	while (suf < lb - pre && before[lb - 1 - suf] == after[la - 1 - suf])
		suf++;
	assert_int_equal(pre + suf, lb); /* every byte of before is kept, in order */
}

static void test_override_append_table(void **state)
{
	for (size_t i = 0; i < sizeof appends / sizeof appends[0]; i++) {
		wt_error err;
		char *out;
		size_t len;
		int added = -1;
		wt_manifest *m;

		wt_error_init(&err);
		print_message("%s\n", appends[i].name);
		assert_int_equal(wt_override_append_rule(appends[i].before,
							 strlen(appends[i].before),
							 appends[i].pattern, appends[i].rights,
							 &out, &len, &added, &err),
				 0);
		assert_int_equal(added, 1);
		assert_string_equal(out, appends[i].after);
		assert_int_equal(len, strlen(out));
		assert_only_insertion(appends[i].before, out);
		assert_int_equal(wt_manifest_load_kind(WT_MANIFEST_OVERRIDE, out, len, "o", &m,
						       NULL, NULL, &err),
				 0);
		assert_string_equal(m->files[m->nfiles - 1].pattern, appends[i].pattern);
		assert_int_equal(m->files[m->nfiles - 1].rights, appends[i].rights);
		wt_manifest_free(m);
		free(out);
	}
}

/* Patterns that need quoting come out of libyaml quoted and read back equal. */
static void test_override_append_quotes_through_libyaml(void **state)
{
	static const char *const patterns[] = {
	    "/out/we ird: #x.o", "/out/\\*star",	   "/out/yes",
	    "/out/'q\"",	 "/out/\xc3\xa9t\xc3\xa9", "/out/tab\there",
	};

	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		const char *before = "version: 1\nfiles:\n  - {path: /a, allow: [read]}\n";
		wt_manifest *m;
		wt_error err;
		char *out;
		size_t len;
		int added;

		wt_error_init(&err);
		assert_int_equal(wt_override_append_rule(before, strlen(before), patterns[i],
							 WT_RIGHT_READ, &out, &len, &added, &err),
				 0);
		assert_only_insertion(before, out);
		assert_int_equal(strchr(out + strlen(before), '\n') - out,
				 (long)len - 1); /* one line */
		assert_int_equal(wt_manifest_load_kind(WT_MANIFEST_OVERRIDE, out, len, "o", &m,
						       NULL, NULL, &err),
				 0);
		assert_int_equal(m->nfiles, 2);
		assert_string_equal(m->files[1].pattern, patterns[i]);
		wt_manifest_free(m);
		free(out);
	}
}

static void test_override_append_already_granted(void **state)
{
	const char *before = "version: 1\nfiles:\n  - {path: /a, allow: [read, stat]}\n";
	wt_error err;
	char *out;
	size_t len;
	int added = -1;

	wt_error_init(&err);
	assert_int_equal(wt_override_append_rule(before, strlen(before), "/a", WT_RIGHT_STAT, &out,
						 &len, &added, &err),
			 0);
	assert_int_equal(added, 0);
	assert_string_equal(out, before);
	free(out);
}

static void test_override_append_refuses(void **state)
{
	static const struct {
		const char *text, *msg;
	} rows[] = {
	    {"version: 1\nfiles: [{path: /a, allow: [read]}]\n", "not a block list"},
	    {"version: 1\nfiles: [\n", ""},
	    {"version: 1\nmounts: {/src: {host: ., mode: ro}}\n", "not allowed in an override"},
	    {"- a\n- b\n", ""},
	    {"version: 1\nfiles:\n  - {path: /a, allow: [fly]}\n", ""},
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		wt_error err;
		char *out = (char *)"x";
		size_t len;
		int added = -1;

		wt_error_init(&err);
		assert_int_equal(wt_override_append_rule(rows[i].text, strlen(rows[i].text), "/b",
							 WT_RIGHT_READ, &out, &len, &added, &err),
				 WT_MALFORMED);
		assert_null(out);
		assert_int_equal(added, 0);
		assert_non_null(strstr(err.msg, rows[i].msg));
	}
}

static void read_all(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* On disk: created, then appended to twice; the mode stays; the second
 * text is the first plus the second grant's line. */
static void test_override_file_round_trip(void **state)
{
	char dir[] = "/tmp/wt-override-XXXXXX", path[64], first[1024], second[1024];
	const char *line = "  - {path: /out/y, allow: [write]}\n";
	struct stat st;
	wt_error err;
	int added = -1;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/build.override.yaml", dir);
	wt_error_init(&err);
	assert_int_equal(wt_override_add_rule(NULL, path, "/out/x", WT_RIGHT_CREATE, &added, &err),
			 0);
	assert_int_equal(added, 1);
	read_all(path, first, sizeof first);
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(wt_override_add_rule(NULL, path, "/out/y", WT_RIGHT_WRITE, &added, &err),
			 0);
	read_all(path, second, sizeof second);
	assert_int_equal(strlen(second), strlen(first) + strlen(line));
	assert_memory_equal(second, first, strlen(first));
	assert_string_equal(second + strlen(first), line);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(wt_override_add_rule(NULL, path, "/out/y", WT_RIGHT_WRITE, &added, &err),
			 0);
	assert_int_equal(added, 0); /* already there: the file is not touched */
	read_all(path, first, sizeof first);
	assert_string_equal(first, second);
	unlink(path);
	assert_int_equal(rmdir(dir), 0); /* no temporary file left behind */
}

static void test_override_file_broken_is_left_alone(void **state)
{
	char dir[] = "/tmp/wt-override-XXXXXX", path[64], text[256];
	const char *broken = "version: 1\nfiles: [\n";
	FILE *f;
	wt_error err;
	int added = -1;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/x.override.yaml", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs(broken, f);
	fclose(f);
	wt_error_init(&err);
	assert_int_equal(wt_override_add_rule(NULL, path, "/a", WT_RIGHT_READ, &added, &err),
			 WT_MALFORMED);
	assert_int_equal(added, 0);
	assert_non_null(strstr(err.msg, path));
	read_all(path, text, sizeof text);
	assert_string_equal(text, broken);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_override_path_table),
	    cmocka_unit_test(test_override_append_table),
	    cmocka_unit_test(test_override_append_quotes_through_libyaml),
	    cmocka_unit_test(test_override_append_already_granted),
	    cmocka_unit_test(test_override_append_refuses),
	    cmocka_unit_test(test_override_file_round_trip),
	    cmocka_unit_test(test_override_file_broken_is_left_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
