/* test_library.c: libwasi-tofu through its public header only, linked to the shared library:
 * the run's outcomes (exit, trap, fuel, a missing module), the argument checks, a manifest
 * enforced (fail stops with 77 and lists the call, deny goes on), from a file and from text,
 * a module from memory, the sha256 pin, escaping,
 * and two runs in two threads at once. WT_FIXTURES is the built fixtures' folder. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <wasi-tofu/wasi-tofu.h>

static char scratch[] = "/tmp/wt-library.XXXXXX";

static wasi_tofu_run *fixture(const char *name)
{
	char path[512];
	wasi_tofu_run *r;

	snprintf(path, sizeof path, "%s/%s", WT_FIXTURES, name);
	r = wasi_tofu_run_new(path);
	assert_non_null(r);
	return r;
}

static void write_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", scratch, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void version(void **state)
{
	assert_string_equal(wasi_tofu_version(), WASI_TOFU_VERSION);
	assert_int_equal(WASI_TOFU_VERSION_NUMBER, WASI_TOFU_VERSION_MAJOR * 10000 +
						       WASI_TOFU_VERSION_MINOR * 100 +
						       WASI_TOFU_VERSION_PATCH);
}

static void bad_arguments(void **state)
{
	wasi_tofu_run *r = fixture("exit_code.wasm");

	assert_null(wasi_tofu_run_new(NULL));
	assert_int_equal(wasi_tofu_run_mount(r, ".", "relative", 1), WASI_TOFU_EUSAGE);
	assert_int_equal(wasi_tofu_run_env(r, "A=B", "c"), WASI_TOFU_EUSAGE);
	assert_int_equal(wasi_tofu_run_env(r, "", "c"), WASI_TOFU_EUSAGE);
	assert_int_equal(wasi_tofu_run_cwd(r, "x"), WASI_TOFU_EUSAGE);
	assert_int_equal(wasi_tofu_run_arg(r, NULL), WASI_TOFU_EUSAGE);
	assert_int_equal(wasi_tofu_run_manifest(r, "/nonexistent/m.yaml", WASI_TOFU_FAIL),
			 WASI_TOFU_ENOINPUT);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_NOT_RUN);
	/* the failed calls left the run as it was: it still runs */
	assert_int_equal(wasi_tofu_run_exec(r), 7);
	wasi_tofu_run_free(r);
	wasi_tofu_run_free(NULL);
}

static void exits_with_its_code(void **state)
{
	wasi_tofu_run *r = fixture("exit_code.wasm");

	assert_int_equal(wasi_tofu_run_exec(r), 7);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_EXITED);
	assert_int_equal(wasi_tofu_run_exit_code(r), 7);
	assert_string_equal(wasi_tofu_run_message(r), "");
	assert_int_equal(wasi_tofu_run_exec(r), 7); /* again: a new run */
	wasi_tofu_run_free(r);
}

static void traps(void **state)
{
	wasi_tofu_run *r = fixture("cli_divzero.wasm");

	assert_int_equal(wasi_tofu_run_exec(r), 134);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_TRAPPED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "integer divide by zero"));
	wasi_tofu_run_free(r);
	r = fixture("cli_loop.wasm");
	wasi_tofu_run_limits(r, 100000, 0, 0);
	assert_int_equal(wasi_tofu_run_exec(r), 134);
	assert_non_null(strstr(wasi_tofu_run_message(r), "fuel exhausted"));
	wasi_tofu_run_free(r);
}

static void missing_module(void **state)
{
	wasi_tofu_run *r = fixture("no-such-module.wasm");

	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_ENOINPUT);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_FAILED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "no-such-module.wasm"));
	wasi_tofu_run_free(r);
}

/* demo.wasm with ./src read-only at /src and ./out at /out, under MANIFEST. */
static wasi_tofu_run *demo(const char *manifest, wasi_tofu_on_deviation mode, int *status)
{
	wasi_tofu_run *r = fixture("demo.wasm");
	char src[512], out[512], path[512];

	snprintf(src, sizeof src, "%s/src", scratch);
	snprintf(out, sizeof out, "%s/out", scratch);
	snprintf(path, sizeof path, "%s/%s", scratch, manifest);
	assert_int_equal(wasi_tofu_run_mount(r, src, "/src", 1), 0);
	assert_int_equal(wasi_tofu_run_mount(r, out, "/out", 0), 0);
	assert_int_equal(wasi_tofu_run_arg(r, "/src"), 0);
	assert_int_equal(wasi_tofu_run_arg(r, "/out"), 0);
	assert_int_equal(wasi_tofu_run_manifest(r, path, mode), 0);
	*status = wasi_tofu_run_exec(r);
	return r;
}

static void manifest_fail_stops(void **state)
{
	int status;
	wasi_tofu_run *r = demo("none.yaml", WASI_TOFU_FAIL, &status);

	assert_int_equal(status, WASI_TOFU_EDEVIATION);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_STOPPED);
	assert_int_equal(wasi_tofu_run_deviation_count(r), 1);
	assert_string_equal(wasi_tofu_deviation_call(r, 0), "path_open");
	assert_non_null(strstr(wasi_tofu_deviation_path(r, 0), "/src/"));
	assert_non_null(wasi_tofu_deviation_fix(r, 0));
	assert_int_equal(wasi_tofu_deviation_count(r, 0), 1);
	assert_null(wasi_tofu_deviation_call(r, 1));
	wasi_tofu_run_free(r);
}

static void manifest_deny_goes_on(void **state)
{
	int status;
	wasi_tofu_run *r = demo("none.yaml", WASI_TOFU_DENY, &status);

	/* the read is refused, the module goes on and ends by itself */
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_EXITED);
	assert_int_equal(wasi_tofu_run_deviation_count(r), 1);
	assert_string_equal(wasi_tofu_deviation_call(r, 0), "path_open");
	wasi_tofu_run_free(r);
}

static void manifest_pin(void **state)
{
	int status;
	wasi_tofu_run *r = demo("pinned.yaml", WASI_TOFU_DENY, &status);

	assert_int_equal(status, WASI_TOFU_EDEVIATION);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_STOPPED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "the module changed"));
	wasi_tofu_run_free(r);
}

static void from_memory(void **state)
{
	char path[512];
	static unsigned char bytes[1 << 16];
	size_t n;
	FILE *f;
	wasi_tofu_run *r;

	snprintf(path, sizeof path, "%s/exit_code.wasm", WT_FIXTURES);
	assert_non_null(f = fopen(path, "rb"));
	n = fread(bytes, 1, sizeof bytes, f);
	fclose(f);
	assert_non_null(r = wasi_tofu_run_new_memory(bytes, n, "exit.wasm"));
	memset(bytes, 0, sizeof bytes); /* the run has its own copy */
	assert_int_equal(wasi_tofu_run_exec(r), 7);
	wasi_tofu_run_free(r);
	assert_non_null(r = wasi_tofu_run_new_memory("\0asm\x02\0\0\0", 8, NULL));
	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_EMALFORMED);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_FAILED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "module.wasm"));
	wasi_tofu_run_free(r);
	assert_null(wasi_tofu_run_new_memory(NULL, 0, "x"));
}

static void manifest_from_text(void **state)
{
	static const char none[] = "version: 1\nstdio: [stdout, stderr]\nexit_codes: [0]\n";
	static const char bad[] = "version: 1\nfiles: 3\n";
	wasi_tofu_run *r = fixture("exit_code.wasm");

	assert_int_equal(
	    wasi_tofu_run_manifest_text(r, bad, strlen(bad), "ci.yaml", WASI_TOFU_FAIL),
	    WASI_TOFU_EMALFORMED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "ci.yaml:2:"));
	assert_int_equal(
	    wasi_tofu_run_manifest_text(r, none, strlen(none), "ci.yaml", WASI_TOFU_FAIL), 0);
	/* exit codes are for reviewers, not enforced: the module's own 7, no deviation */
	assert_int_equal(wasi_tofu_run_exec(r), 7);
	assert_int_equal(wasi_tofu_run_deviation_count(r), 0);
	wasi_tofu_run_free(r);
}

static void escapes(void **state)
{
	char out[64];

	assert_int_equal(wasi_tofu_escape("a\x1b[2Jb\\", out, sizeof out),
			 strlen("a\\x1b[2Jb\\\\"));
	assert_string_equal(out, "a\\x1b[2Jb\\\\");
	assert_int_equal(wasi_tofu_escape("\x1b", out, 3), 4); /* never cut inside an escape */
	assert_string_equal(out, "");
}

static void *run_exit_code(void *arg)
{
	wasi_tofu_run *r = arg;
	return (void *)(intptr_t)wasi_tofu_run_exec(r);
}

static void two_threads(void **state)
{
	wasi_tofu_run *a = fixture("exit_code.wasm"), *b = fixture("cli_divzero.wasm");
	pthread_t ta, tb;
	void *sa, *sb;

	assert_int_equal(pthread_create(&ta, NULL, run_exit_code, a), 0);
	assert_int_equal(pthread_create(&tb, NULL, run_exit_code, b), 0);
	pthread_join(ta, &sa), pthread_join(tb, &sb);
	assert_int_equal((intptr_t)sa, 7);
	assert_int_equal((intptr_t)sb, 134);
	wasi_tofu_run_free(a), wasi_tofu_run_free(b);
}

static int setup(void **state)
{
	char dir[600];

	if (!mkdtemp(scratch))
		return -1;
	snprintf(dir, sizeof dir, "%s/src", scratch);
	mkdir(dir, 0755);
	snprintf(dir, sizeof dir, "%s/out", scratch);
	mkdir(dir, 0755);
	write_file("src/project.txt", "name = t\n");
	write_file("none.yaml", "version: 1\nstdio: [stdout, stderr]\nexit_codes: [0]\n");
	write_file("pinned.yaml",
		   "version: 1\nmodule: {name: demo.wasm, sha256: "
		   "0000000000000000000000000000000000000000000000000000000000000000}\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(version),
	    cmocka_unit_test(bad_arguments),
	    cmocka_unit_test(exits_with_its_code),
	    cmocka_unit_test(traps),
	    cmocka_unit_test(missing_module),
	    cmocka_unit_test(manifest_fail_stops),
	    cmocka_unit_test(manifest_deny_goes_on),
	    cmocka_unit_test(manifest_pin),
	    cmocka_unit_test(from_memory),
	    cmocka_unit_test(manifest_from_text),
	    cmocka_unit_test(escapes),
	    cmocka_unit_test(two_threads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
