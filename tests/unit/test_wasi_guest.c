/* test_wasi_guest.c: the WASI host under real guest programs (fixtures/c/wasi_*.c and
 * fixtures/wat/wasi_*.wat) run through wt_run, on temp folder trees laid out per case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"
#include "wt_e2e_util.h"
#include "wt_test_util.h"

static char tmp[64];

static int setup(void **state)
{
	(void)state;
	wt_test_scratch(tmp, sizeof tmp, "guest");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(wt_e2e_rmtree(tmp), 0);
	return 0;
}

static void sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

/* Runs fixture name with mounts and cwd; stdout goes to out (a file in
 * tmp), returned NUL-terminated in buf. Returns the exit code, or -1 for
 * anything but an exit. */
static int run_fixture(const char *name, const wt_mount *mounts, int nmounts, const char *cwd,
		       int argc, const char *const *argv, int nenv, const char *const *env,
		       char *buf, size_t size)
{
	char module[600], out[128];
	wt_run_config cfg;
	wt_run_result res;
	int fd;
	ssize_t n;

	snprintf(out, sizeof out, "%s.wasm", name);
	wt_test_fixture(module, sizeof module, out);
	if (access(module, R_OK) != 0)
		skip(); /* fixtures not built (WT_BUILD_FIXTURES=OFF) */
	snprintf(out, sizeof out, "%s/stdout.txt", tmp);
	fd = open(out, O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	memset(&cfg, 0, sizeof cfg);
	cfg.module_path = module;
	cfg.wasi.argc = argc, cfg.wasi.argv = argv;
	cfg.wasi.nenv = nenv, cfg.wasi.env = env;
	cfg.wasi.nmounts = nmounts, cfg.wasi.mounts = mounts, cfg.wasi.cwd = cwd;
	cfg.wasi.stdio_fds[0] = -1, cfg.wasi.stdio_fds[1] = fd, cfg.wasi.stdio_fds[2] = 2;
	wt_run(&cfg, &res);
	n = pread(fd, buf, size - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	if (res.outcome == WT_RUN_FAILED)
		fail_msg("%s: run failed: %s", name, res.err.msg);
	return res.outcome == WT_RUN_EXITED ? (int)res.exit_code : -1;
}

static void test_guest_files_stdio_dirent_stat_rename_symlink(void **state)
{
	static const char *const argv[] = {"wasi_files", "one", "two words"};
	static const char *const env[] = {"GREETING=hi there", "EXPECT_CWD=/work/area"};
	char host[128], out[4096];
	wt_mount m[1];
	int rc;

	(void)state;
	snprintf(host, sizeof host, "%s/work", tmp);
	sh("mkdir -p '%s/area'", host);
	m[0] = (wt_mount){host, "/work", 0};
	rc = run_fixture("wasi_files", m, 1, "/work/area", 3, argv, 2, env, out, sizeof out);
	if (rc != 0)
		fail_msg("exit %d:\n%s", rc, out);
	assert_non_null(strstr(out, "ok relative and absolute name one file"));
	assert_null(strstr(out, "FAIL"));
}

static void test_guest_escapes_refused(void **state)
{
	char host[128], out[8192];
	wt_mount m[1];
	int rc;

	(void)state;
	snprintf(host, sizeof host, "%s/m", tmp);
	sh("mkdir -p '%s/sub' '%s/deep' && echo secret > '%s/outside.txt' && echo in > "
	   "'%s/inside.txt'",
	   host, host, tmp, host);
	sh("cd '%s' && ln -s /etc/passwd abs && ln -s ../outside.txt up && ln -s .. parent && "
	   "ln -s up chain && ln -s loop2 loop1 && ln -s loop1 loop2 && ln -s ../../outside.txt "
	   "deep/up2",
	   host);
	m[0] = (wt_mount){host, "/m", 0};
	rc = run_fixture("wasi_escape", m, 1, "/m", 0, NULL, 0, NULL, out, sizeof out);
	if (rc != 0)
		fail_msg("exit %d:\n%s", rc, out);
	assert_null(strstr(out, "escaped"));
	/* nothing was made or changed outside the mount */
	sh("test ! -e '%s/stolen.txt' && test ! -e '%s/linked.txt' && test ! -e '%s/newdir' && "
	   "grep -q secret '%s/outside.txt' && test ! -L '%s/mine'",
	   tmp, tmp, tmp, tmp, host);
}

static void test_guest_readonly_mount_refuses_every_write(void **state)
{
	char ro[128], rw[128], out[4096];
	wt_mount m[2];
	int rc;

	(void)state;
	snprintf(ro, sizeof ro, "%s/ro", tmp);
	snprintf(rw, sizeof rw, "%s/rw", tmp);
	sh("mkdir -p '%s/sub' '%s' && echo frozen > '%s/file.txt' && echo mine > '%s/mine.txt'", ro,
	   rw, ro, rw);
	m[0] = (wt_mount){ro, "/ro", 1};
	m[1] = (wt_mount){rw, "/rw", 0};
	rc = run_fixture("wasi_readonly", m, 2, "/", 0, NULL, 0, NULL, out, sizeof out);
	if (rc != 0)
		fail_msg("exit %d:\n%s", rc, out);
	assert_null(strstr(out, "BAD"));
	sh("test \"$(ls '%s' | tr '\\n' ' ')\" = 'file.txt sub ' && grep -qx frozen '%s/file.txt' "
	   "&& test -f '%s/mine.txt' && test ! -e '%s/taken.txt'",
	   ro, ro, rw, rw);
}

static void test_guest_raw_hostile_calls(void **state)
{
	char host[128], out[256];
	wt_mount m[1];
	int rc;

	(void)state;
	snprintf(host, sizeof host, "%s/h", tmp);
	sh("mkdir -p '%s'", host);
	m[0] = (wt_mount){host, "/h", 0};
	rc = run_fixture("wasi_hostile", m, 1, "/", 0, NULL, 0, NULL, out, sizeof out);
	if (rc != 0)
		fail_msg("check %d failed", rc);
	assert_string_equal(out, "ok\n");
	sh("test -d '%s/newdir'", host);
}

/* Every preview1 call, raw, with its error paths (fixtures/c/wasi_calls.c); 300 arguments
 * and 200 variables. */
static void test_guest_every_call_and_its_errors(void **state)
{
	enum { NARGS = 300, NENV = 200 };
	static char arg_text[NARGS][16], env_text[NENV][32];
	const char *argv[NARGS], *env[NENV];
	char host[128], out[8192];
	wt_mount m[1];
	int rc;

	(void)state;
	for (int i = 0; i < NARGS; i++)
		snprintf(arg_text[i], sizeof arg_text[i], "arg-%d", i), argv[i] = arg_text[i];
	for (int i = 0; i < NENV; i++)
		snprintf(env_text[i], sizeof env_text[i], "VAR_%d=value %d", i, i),
		    env[i] = env_text[i];
	snprintf(host, sizeof host, "%s/w", tmp);
	sh("mkdir -p '%s/sub' && printf hello > '%s/file.txt' && cd '%s/sub' && for i in $(seq -w "
	   "0 "
	   "19); do : > entry-$i; done",
	   host, host, host);
	m[0] = (wt_mount){host, "/w", 0};
	rc = run_fixture("wasi_calls", m, 1, "/", NARGS, argv, NENV, env, out, sizeof out);
	if (rc != 0)
		fail_msg("exit %d:\n%s", rc, out);
	assert_non_null(strstr(out, "ok "));
	assert_null(strstr(out, "BAD"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_guest_files_stdio_dirent_stat_rename_symlink),
	    T(test_guest_escapes_refused),
	    T(test_guest_readonly_mount_refuses_every_write),
	    T(test_guest_raw_hostile_calls),
	    T(test_guest_every_call_and_its_errors),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
