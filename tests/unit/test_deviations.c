/* test_deviations.c: the deviation log: each request once, the end-of-run summary, the --report
 * JSON for CI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deviations.h"

static wt_devreq file_req(wt_wasi_call call, const char *path, uint32_t rights)
{
	wt_devreq r = {.call = call, .path = path, .path_len = strlen(path), .rights = rights};
	return r;
}

/* A run: path_open create twice (then path_filestat_get, same class), a
 * read of an ssh key denied, a probe hidden, a clock (located at the clocks:
 * key, in a file name the log must copy), a non-UTF-8 path. */
static wt_devlog *sample(void)
{
	char file[] = "build.manifest.yaml";
	wt_devloc at = {WT_DEVLOC_SECTION, file, 9, 1, "clocks"};
	wt_devlog *log = wt_devlog_new();
	wt_devreq create = file_req(WT_WASI_path_open, "/out/cache/x.o", WT_RIGHT_CREATE);
	wt_devreq ssh = file_req(WT_WASI_path_open, "/home/u/.ssh/id_rsa", WT_RIGHT_READ);
	wt_devreq probe = file_req(WT_WASI_path_filestat_get, "/src/.config", WT_RIGHT_STAT);
	wt_devreq clock = {.call = WT_WASI_clock_time_get, .what = "clock realtime", .loc = &at};
	wt_devreq bad = {.call = WT_WASI_path_open,
			 .path = "/out/\xff\x1b.o",
			 .path_len = 9,
			 .rights = WT_RIGHT_WRITE};

	assert_non_null(log);
	create.host_path = "/work/p/out/cache/x.o";
	assert_int_equal(wt_devlog_add(log, &create, "  - {path: /out/cache/x.o, allow: [create]}",
				       WT_DEVLOG_ALLOWED_ONCE, 7),
			 0);
	assert_int_equal(wt_devlog_add(log, &create, "  - {path: /out/cache/x.o, allow: [create]}",
				       WT_DEVLOG_ALLOWED_ONCE, 9),
			 0);
	create.call = WT_WASI_path_filestat_get;
	assert_int_equal(wt_devlog_add(log, &create, NULL, WT_DEVLOG_ALLOWED_ONCE, 11), 0);
	assert_int_equal(wt_devlog_add(log, &ssh, "  - {path: /home/u/.ssh/id_rsa, allow: [read]}",
				       WT_DEVLOG_DENIED, 12),
			 0);
	assert_int_equal(wt_devlog_add(log, &probe, "  - {path: /src/.config, allow: [stat]}",
				       WT_DEVLOG_HIDDEN, 13),
			 0);
	assert_int_equal(
	    wt_devlog_add(log, &clock, "clocks: [... realtime]", WT_DEVLOG_ALLOWED_ONCE, 14), 0);
	memset(file, 'x', sizeof file - 1);
	assert_int_equal(wt_devlog_add(log, &bad, "  - {path: \"/out/\\xFF\\e.o\", allow: [write]}",
				       WT_DEVLOG_STOPPED, 15),
			 0);
	return log;
}

static void test_devlog_lists_each_request_once(void **state)
{
	wt_devlog *log = sample();
	const wt_devlog_entry *e = wt_devlog_get(log, 0);

	assert_int_equal(wt_devlog_count(log), 5);
	assert_int_equal(e->count, 3);
	assert_int_equal(e->seq, 7);
	assert_int_equal(e->call, WT_WASI_path_open);
	assert_string_equal(e->fix, "- {path: /out/cache/x.o, allow: [create]}");
	assert_string_equal(e->host_path, "/work/p/out/cache/x.o");
	assert_int_equal(wt_devlog_get(log, 1)->count, 1);
	assert_null(wt_devlog_get(log, 5));
	assert_int_equal(wt_devlog_dropped(log), 0);
	wt_devlog_free(log);
}

static void test_devlog_other_rights_other_entry(void **state)
{
	wt_devlog *log = wt_devlog_new();
	wt_devreq a = file_req(WT_WASI_path_open, "/a", WT_RIGHT_READ), b = a, c = a;

	b.rights = WT_RIGHT_WRITE;
	c.path = "/a/", c.path_len = 3;
	assert_int_equal(wt_devlog_add(log, &a, NULL, WT_DEVLOG_DENIED, 1), 0);
	assert_int_equal(wt_devlog_add(log, &b, NULL, WT_DEVLOG_DENIED, 2), 0);
	assert_int_equal(wt_devlog_add(log, &c, NULL, WT_DEVLOG_DENIED, 3), 0);
	assert_int_equal(wt_devlog_add(log, &a, NULL, WT_DEVLOG_HIDDEN, 4), 0);
	assert_int_equal(wt_devlog_count(log), 3);
	assert_int_equal(wt_devlog_get(log, 0)->outcome, WT_DEVLOG_DENIED); /* the first stays */
	assert_int_equal(wt_devlog_get(log, 0)->count, 2);
	wt_devlog_free(log);
}

/* A guest making endless distinct requests costs bounded memory. */
static void test_devlog_is_bounded(void **state)
{
	wt_devlog *log = wt_devlog_new();
	char path[32];

	for (int i = 0; i < WT_DEVLOG_MAX + 25; i++) {
		wt_devreq r;
		snprintf(path, sizeof path, "/tmp/f%d", i);
		r = file_req(WT_WASI_path_open, path, WT_RIGHT_READ);
		assert_int_equal(wt_devlog_add(log, &r, NULL, WT_DEVLOG_DENIED, (uint64_t)i), 0);
	}
	assert_int_equal(wt_devlog_count(log), WT_DEVLOG_MAX);
	assert_int_equal(wt_devlog_dropped(log), 25);
	assert_string_equal(wt_devlog_get(log, 9999)->path, "/tmp/f9999");
	wt_devlog_free(log);
}

static void test_devlog_outcomes(void **state)
{
	static const struct {
		wt_answer a;
		wt_devlog_outcome o;
		const char *name;
	} rows[] = {
	    {WT_ANSWER_ALLOW_ONCE, WT_DEVLOG_ALLOWED_ONCE, "allow-once"},
	    {WT_ANSWER_ALLOW_ALWAYS, WT_DEVLOG_ALLOWED_ALWAYS, "allow-always"},
	    {WT_ANSWER_DENY, WT_DEVLOG_DENIED, "deny"},
	    {WT_ANSWER_DENY_ALL, WT_DEVLOG_DENIED, "deny"},
	    {WT_ANSWER_HIDE, WT_DEVLOG_HIDDEN, "hide"},
	    {WT_ANSWER_STOP, WT_DEVLOG_STOPPED, "stop"},
	    {WT_ANSWER_NONE, WT_DEVLOG_STOPPED, "stop"},
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_int_equal(wt_devlog_outcome_of_answer(rows[i].a), rows[i].o);
		assert_string_equal(wt_devlog_outcome_name(rows[i].o), rows[i].name);
	}
	assert_int_equal(wt_devlog_outcome_of_verdict(WT_HIDE), WT_DEVLOG_HIDDEN);
	assert_int_equal(wt_devlog_outcome_of_verdict(WT_STOP), WT_DEVLOG_STOPPED);
}

static void assert_entry(json_t *e, const char *call, const char *path_key, const char *path,
			 const char *verdict, json_int_t count, const char *fix)
{
	assert_string_equal(json_string_value(json_object_get(e, "call")), call);
	if (path_key)
		assert_string_equal(json_string_value(json_object_get(e, path_key)), path);
	assert_string_equal(json_string_value(json_object_get(e, "verdict")), verdict);
	assert_int_equal(json_integer_value(json_object_get(e, "count")), count);
	assert_string_equal(json_string_value(json_object_get(e, "fix")), fix);
}

/* The clock's location: the clocks: key of the manifest, as it was when logged. */
static void assert_location(json_t *l)
{
	assert_string_equal(json_string_value(json_object_get(l, "file")), "build.manifest.yaml");
	assert_int_equal(json_integer_value(json_object_get(l, "line")), 9);
	assert_int_equal(json_integer_value(json_object_get(l, "column")), 1);
	assert_string_equal(json_string_value(json_object_get(l, "kind")), "section");
	assert_string_equal(json_string_value(json_object_get(l, "section")), "clocks");
}

static void check_report(json_t *j)
{
	json_t *list = json_object_get(j, "deviations"), *rights;

	assert_string_equal(json_string_value(json_object_get(j, "format")),
			    "wasi-tofu-deviations");
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 3);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(j, "outcome"), "status")), 77);
	assert_string_equal(json_string_value(json_object_get(j, "module")), "build.wasm");
	assert_string_equal(json_string_value(json_object_get(j, "manifest")),
			    "build.manifest.yaml");
	assert_int_equal(json_array_size(list), 5);
	assert_entry(json_array_get(list, 0), "path_open", "path", "/out/cache/x.o", "allow-once",
		     3, "- {path: /out/cache/x.o, allow: [create]}");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(list, 0), "host_path")),
	    "/work/p/out/cache/x.o");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "first_seq")),
			 7);
	/* file rules go to the override file, the others to the manifest */
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "target")),
			    "build.manifest.override.yaml");
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 3), "target")),
			    "build.manifest.yaml");
	rights = json_object_get(json_array_get(list, 1), "rights");
	assert_int_equal(json_array_size(rights), 1);
	assert_string_equal(json_string_value(json_array_get(rights, 0)), "read");
	assert_entry(json_array_get(list, 1), "path_open", "path", "/home/u/.ssh/id_rsa", "deny", 1,
		     "- {path: /home/u/.ssh/id_rsa, allow: [read]}");
	assert_entry(json_array_get(list, 2), "path_filestat_get", "path", "/src/.config", "hide",
		     1, "- {path: /src/.config, allow: [stat]}");
	assert_entry(json_array_get(list, 3), "clock_time_get", "what", "clock realtime",
		     "allow-once", 1, "clocks: [... realtime]");
	assert_null(json_object_get(json_array_get(list, 3), "rights"));
	assert_location(json_object_get(json_array_get(list, 3), "location"));
	assert_null(json_object_get(json_array_get(list, 0), "location")); /* not located */
	assert_entry(json_array_get(list, 4), "path_open", "path_b64", "L291dC//Gy5v", "stop", 1,
		     "- {path: \"/out/\\xFF\\e.o\", allow: [write]}");
	assert_int_equal(json_integer_value(json_object_get(j, "dropped")), 0);
}

static void test_devlog_json(void **state)
{
	wt_devlog *log = sample();
	wt_devreport_run run = {.module = "build.wasm",
				.manifest = "build.manifest.yaml",
				.override = "build.manifest.override.yaml",
				.status = 77,
				.reason = "stopped"};
	json_t *j = wt_devlog_json(log, &run);

	assert_non_null(j);
	check_report(j);
	json_decref(j);
	wt_devlog_free(log);
}

static void test_devlog_report_file(void **state)
{
	char path[] = "/tmp/wt-report-XXXXXX";
	int fd = mkstemp(path);
	wt_devlog *log = sample();
	json_error_t jerr;
	wt_error err;
	json_t *j;
	wt_devreport_run run = {.module = "build.wasm",
				.manifest = "build.manifest.yaml",
				.override = "build.manifest.override.yaml",
				.status = 77,
				.reason = "stopped"};

	assert_true(fd >= 0);
	close(fd);
	wt_error_init(&err);
	assert_int_equal(wt_devlog_write_report(log, &run, path, &err), 0);
	j = json_load_file(path, 0, &jerr);
	assert_non_null(j);
	check_report(j);
	json_decref(j);
	assert_int_equal(wt_devlog_write_report(log, &run, "/nonexistent/dir/r.json", &err), WT_IO);
	assert_non_null(strstr(err.msg, "/nonexistent/dir/r.json"));
	unlink(path);
	wt_devlog_free(log);
}

static char *summary_of(const wt_devlog *log)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	wt_devlog_summary(log, "run", "build.manifest.yaml", "build.override.yaml", f);
	fclose(f);
	return text;
}

static void test_devlog_summary(void **state)
{
	wt_devlog *log = sample();
	char *s = summary_of(log);

	assert_non_null(
	    strstr(s, "wasi-tofu: run: 5 requests outside build.manifest.yaml this run:\n"));
	assert_non_null(
	    strstr(s, "  allowed once     path_open create /out/cache/x.o (3 calls: path_open x2, "
		      "path_filestat_get)\n"));
	assert_non_null(strstr(s, "  denied           path_open read /home/u/.ssh/id_rsa\n"));
	assert_non_null(strstr(s, "  hidden           path_filestat_get stat /src/.config\n"));
	assert_non_null(strstr(s, "  allowed once     clock_time_get clock realtime\n"));
	assert_non_null(strstr(s, "  stopped the run  path_open write /out/\\xff\\x1b.o\n"));
	assert_null(strchr(s, '\x1b'));
	assert_non_null(strstr(s, "review these lines and add\nthem under files: in "
				  "build.override.yaml:\n"
				  "      - {path: /out/cache/x.o, allow: [create]}\n"));
	assert_non_null(strstr(s, "To allow clock realtime, add this line to build.manifest.yaml:\n"
				  "    clocks: [... realtime]\n"));
	free(s);
	wt_devlog_free(log);
}

/* Grants already written ([a]) are not offered again; an empty run prints nothing. */
static void test_devlog_summary_skips_written_grants(void **state)
{
	wt_devlog *log = wt_devlog_new();
	wt_devreq r = file_req(WT_WASI_path_open, "/out/z", WT_RIGHT_CREATE);
	char *s = summary_of(log);

	assert_string_equal(s, "");
	free(s);
	assert_int_equal(wt_devlog_add(log, &r, "  - {path: /out/z, allow: [create]}",
				       WT_DEVLOG_ALLOWED_ALWAYS, 1),
			 0);
	s = summary_of(log);
	assert_non_null(strstr(s, "  allowed always   path_open create /out/z\n"));
	assert_null(strstr(s, "- {path: /out/z"));
	free(s);
	wt_devlog_free(log);
}

/* A request listed once says which calls made it; kinds past the kept ones are summed. */
static void test_devlog_summary_names_the_calls(void **state)
{
	static const wt_wasi_call calls[] = {
	    WT_WASI_path_open,
	    WT_WASI_path_filestat_get,
	    WT_WASI_path_open,
	    WT_WASI_path_readlink,
	    WT_WASI_path_unlink_file,
	    WT_WASI_path_filestat_set_times,
	    WT_WASI_path_remove_directory,
	};
	wt_devlog *log = wt_devlog_new();
	wt_devreq r = file_req(WT_WASI_path_open, "/src/.env", WT_RIGHT_READ);
	char *s;

	assert_non_null(log);
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		r.call = calls[i];
		assert_int_equal(wt_devlog_add(log, &r, NULL, WT_DEVLOG_DENIED, i + 1), 0);
	}
	assert_int_equal(wt_devlog_count(log), 1);
	assert_int_equal(wt_devlog_get(log, 0)->count, 7);
	s = summary_of(log);
	assert_non_null(
	    strstr(s, "  denied           path_open read /src/.env (7 calls: path_open x2, "
		      "path_filestat_get, path_readlink, path_unlink_file, other calls "
		      "x2)\n"));
	free(s);
	wt_devlog_free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_devlog_lists_each_request_once),
	    cmocka_unit_test(test_devlog_other_rights_other_entry),
	    cmocka_unit_test(test_devlog_is_bounded),
	    cmocka_unit_test(test_devlog_outcomes),
	    cmocka_unit_test(test_devlog_json),
	    cmocka_unit_test(test_devlog_report_file),
	    cmocka_unit_test(test_devlog_summary),
	    cmocka_unit_test(test_devlog_summary_names_the_calls),
	    cmocka_unit_test(test_devlog_summary_skips_written_grants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
