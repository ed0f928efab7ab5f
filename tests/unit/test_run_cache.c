/* test_run_cache.c: a run with --tier jit through the code cache (core/run/run_cache.c,
 * core/jit/cache_compile.c): the second run of a module compiles nothing and prints the same;
 * a changed piece is not loaded (the run compiles again); --no-cache and a mount over the
 * cache leave it alone; fuel and no fuel are kept apart. */
#include <fcntl.h>
#include <libgen.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "run.h"

static char module[600], root[64], cache[128];

static int setup(void **state)
{
	char exe[512], home[128];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	(void)state;
	assert_true(n > 0);
	exe[n] = '\0';
	snprintf(module, sizeof module, "%s/../../fixtures/tier_mix.wasm", dirname(exe));
	snprintf(root, sizeof root, "/tmp/wt-run-cache-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(home, sizeof home, "%s/cache", root);
	setenv("XDG_CACHE_HOME", home, 1);
	snprintf(home, sizeof home, "%s/state", root);
	setenv("XDG_STATE_HOME", home, 1);
	snprintf(cache, sizeof cache, "%s/cache/wasi-tofu", root);
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* Runs the module on the compiling tier with cfg's extras; its stdout into out; the
 * number of functions compiled. */
static uint32_t run(wt_run_config cfg, char *out, size_t size)
{
	char path[128];
	wt_run_result res;
	int fd;
	ssize_t n;

	if (access(module, R_OK) != 0 || !wt_jit_available())
		skip(); /* fixtures not built, or a build without the compiling tier */
	snprintf(path, sizeof path, "%s/stdout", root);
	assert_true((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) >= 0);
	cfg.module_path = module;
	cfg.tier = WT_TIER_JIT;
	cfg.wasi.cwd = "/";
	cfg.wasi.stdio_fds[0] = -1, cfg.wasi.stdio_fds[1] = fd, cfg.wasi.stdio_fds[2] = 2;
	wt_run(&cfg, &res);
	if (res.outcome != WT_RUN_EXITED || res.exit_code != 0)
		fail_msg("the run failed: outcome %d, exit %u: %s", res.outcome, res.exit_code,
			 res.err.msg);
	assert_true((n = pread(fd, out, size - 1, 0)) > 0);
	out[n] = '\0';
	close(fd);
	return res.jit.compiled;
}

/* The number of names in folder path (0 when it does not exist). */
static int names(const char *path)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "exit $(ls -A %s 2>/dev/null | wc -l)", path);
	return WEXITSTATUS(system(cmd));
}

static void test_second_run_compiles_nothing(void **state)
{
	char first[256], second[256];

	(void)state;
	assert_true(run((wt_run_config){0}, first, sizeof first) > 0);
	assert_int_equal(names(cache), 1); /* one entry */
	assert_int_equal(run((wt_run_config){0}, second, sizeof second), 0);
	assert_string_equal(first, second);
	/* with fuel: other code (it counts), another entry */
	assert_true(run((wt_run_config){.limits = {.fuel = 1u << 30}}, second, sizeof second) > 0);
	assert_string_equal(first, second);
	assert_int_equal(names(cache), 2);
	assert_int_equal(run((wt_run_config){.limits = {.fuel = 1u << 30}}, second, sizeof second),
			 0);
}

static void test_changed_piece_is_compiled_again(void **state)
{
	char first[256], second[256], cmd[300];

	(void)state;
	assert_true(run((wt_run_config){0}, first, sizeof first) > 0);
	/* one byte of every stored piece changed, near its end */
	snprintf(
	    cmd, sizeof cmd,
	    "for f in %s/*/*.piece; do printf x | dd of=$f bs=1 seek=$(($(stat -c %%s $f) - 40)) "
	    "conv=notrunc 2>/dev/null; done",
	    cache);
	assert_int_equal(system(cmd), 0);
	assert_true(run((wt_run_config){0}, second, sizeof second) > 0);
	assert_string_equal(first, second);
	assert_int_equal(run((wt_run_config){0}, second, sizeof second), 0); /* kept anew */
}

static void test_no_cache_and_mounts_leave_it_alone(void **state)
{
	char out[256], above[128];
	wt_mount m = {.host = above, .guest = "/c"};

	(void)state;
	assert_true(run((wt_run_config){.no_cache = 1}, out, sizeof out) > 0);
	assert_true(run((wt_run_config){.no_cache = 1}, out, sizeof out) > 0);
	assert_int_equal(names(cache), 0);
	snprintf(above, sizeof above, "%s/cache", root);
	assert_int_equal(mkdir(above, 0700), 0);
	wt_run_config cfg = {.wasi = {.nmounts = 1, .mounts = &m}};
	assert_true(run(cfg, out, sizeof out) > 0);
	assert_true(run(cfg, out, sizeof out) > 0);
	assert_int_equal(names(cache), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_second_run_compiles_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_changed_piece_is_compiled_again, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_cache_and_mounts_leave_it_alone, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
