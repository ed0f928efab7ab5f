/* test_library.c: libwasi-tofu through its public header only, linked to the shared library:
 * the run's outcomes (exit, trap, fuel, a missing module), the argument checks, a manifest
 * enforced (fail stops with 77 and lists the call, deny goes on), from a file and from text,
 * a module from memory, the sha256 pin, escaping, a policy callback (allow, deny, hide, stop)
 * and two runs in two threads at once. WT_FIXTURES is the built fixtures' folder. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
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

/* The whole of the file NAME in scratch, in a static buffer. */
static const char *slurp(const char *name)
{
	static char buf[8192];
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", scratch, name);
	assert_non_null(f = fopen(path, "rb"));
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* rawwasi.wasm with scratch/tree at /work (read-write), ARGS its operations, stdout into
 * scratch/NAME. */
static wasi_tofu_run *rawwasi(const char *const *args, const char *name)
{
	wasi_tofu_run *r = fixture("rawwasi.wasm");
	char tree[512], path[512];
	int fd;

	snprintf(tree, sizeof tree, "%s/tree", scratch);
	snprintf(path, sizeof path, "%s/%s", scratch, name);
	assert_int_equal(wasi_tofu_run_mount(r, tree, "/work", 0), 0);
	for (; *args; args++)
		assert_int_equal(wasi_tofu_run_arg(r, *args), 0);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0);
	wasi_tofu_run_stdio(r, 0, fd, 2);
	return r;
}

/* What the policy callback saw of the path calls. */
typedef struct seen {
	int opens, stops;
	char last_path[256];
	uint32_t last_rights;
	wasi_tofu_class last_kind;
} seen;

/* Denies /work/denied.txt and the writes to /work/new.txt, hides /work/hidden.txt, stops at
 * /work/stop.txt; allows the rest. */
static wasi_tofu_verdict judge(const wasi_tofu_event *ev, void *userdata)
{
	seen *s = userdata;

	if (!ev->path) /* writes to new.txt: refused, though opening it was not */
		return strcmp(ev->call, "fd_write") == 0 && ev->fd_path &&
			       strcmp(ev->fd_path, "/work/new.txt") == 0
			   ? WASI_TOFU_VERDICT_DENY
			   : WASI_TOFU_VERDICT_ALLOW;
	if (strcmp(ev->call, "path_open") == 0)
		s->opens++;
	snprintf(s->last_path, sizeof s->last_path, "%s", ev->path);
	s->last_rights = ev->rights;
	s->last_kind = ev->kind;
	if (strcmp(ev->path, "/work/denied.txt") == 0)
		return WASI_TOFU_VERDICT_DENY;
	if (strcmp(ev->path, "/work/hidden.txt") == 0)
		return WASI_TOFU_VERDICT_HIDE;
	if (strcmp(ev->path, "/work/stop.txt") == 0)
		return s->stops++, WASI_TOFU_VERDICT_STOP;
	return WASI_TOFU_VERDICT_ALLOW;
}

static void policy_callback(void **state)
{
	static const char *const ops[] = {"read",
					  "/work/a.txt",
					  "read",
					  "/work/denied.txt",
					  "read",
					  "/work/hidden.txt",
					  "stat",
					  "/work/hidden.txt",
					  "read",
					  "/work/../secret.txt",
					  "read",
					  "/work/up.txt",
					  "write",
					  "/work/new.txt",
					  "hi",
					  "read",
					  "/work/stop.txt",
					  "read",
					  "/work/a.txt",
					  NULL};
	seen s = {0};
	wasi_tofu_run *r = rawwasi(ops, "policy.out");
	const char *out;

	assert_int_equal(wasi_tofu_run_policy(r, judge, &s), 0);
	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_EDEVIATION);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_STOPPED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "/work/stop.txt"));
	out = slurp("policy.out");
	assert_non_null(strstr(out, "read /work/a.txt => ok A\n"));
	assert_non_null(strstr(out, "read /work/denied.txt => ENOTCAPABLE\n"));
	assert_non_null(strstr(out, "read /work/hidden.txt => ENOENT\n"));
	assert_non_null(strstr(out, "stat /work/hidden.txt => ENOENT\n"));
	/* the secret outside the mount: neither through `..` nor through a symlink */
	assert_null(strstr(out, "SECRET"));
	assert_non_null(strstr(out, "read /work/../secret.txt => ENOTCAPABLE\n"));
	assert_non_null(strstr(out, "read /work/up.txt => ENOTCAPABLE\n"));
	assert_non_null(strstr(out, "write /work/new.txt hi => ENOTCAPABLE\n"));
	/* stopped at its path_open: nothing after it ran */
	assert_non_null(strstr(out, "read /work/stop.txt"));
	assert_null(strstr(out, "read /work/stop.txt => "));
	assert_int_equal(s.stops, 1);
	assert_string_equal(s.last_path, "/work/stop.txt");
	assert_int_equal(s.last_kind, WASI_TOFU_CLASS_PATH);
	assert_true(s.last_rights & WASI_TOFU_RIGHT_READ);
	assert_int_equal(wasi_tofu_run_deviation_count(r), 0);
	assert_string_equal(slurp("tree/new.txt"), ""); /* opened, not written */
	/* NULL: permissive again */
	assert_int_equal(wasi_tofu_run_policy(r, NULL, NULL), 0);
	assert_int_equal(wasi_tofu_run_exec(r), 0);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_EXITED);
	out = slurp("policy.out");
	assert_non_null(strstr(out, "read /work/denied.txt => ok D\n"));
	assert_non_null(strstr(out, "read /work/stop.txt => ok S\nread /work/a.txt => ok A\n"));
	assert_string_equal(slurp("tree/new.txt"), "hi");
	wasi_tofu_run_free(r);
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
	snprintf(dir, sizeof dir, "%s/tree", scratch);
	mkdir(dir, 0755);
	write_file("secret.txt", "SECRET");
	write_file("tree/a.txt", "A");
	write_file("tree/denied.txt", "D");
	write_file("tree/hidden.txt", "H");
	write_file("tree/stop.txt", "S");
	snprintf(dir, sizeof dir, "%s/tree/up.txt", scratch);
	if (symlink("../secret.txt", dir))
		return -1;
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
	    cmocka_unit_test(policy_callback),
	    cmocka_unit_test(two_threads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
