/* test_run_cache.c: a run with --tier jit through the code cache (core/run/run_cache.c,
 * core/jit/cache_compile.c): the second run of a module compiles nothing and prints the same;
 * a changed piece is not loaded (the run compiles again); --no-cache and a mount over the
 * cache leave it alone; fuel and no fuel are kept apart. */
#include <fcntl.h>
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
#include "run_cache.h"
#include "sha256.h"
#include "wt_e2e_util.h"
#include "wt_test_cache.h"
#include "wt_test_util.h"

static char module[600], root[64], cache[128];

static int setup(void **state)
{
	(void)state;
	wt_test_fixture(module, sizeof module, "tier_mix.wasm");
	wt_test_scratch(root, sizeof root, "run-cache");
	wt_test_cache_home(root);
	snprintf(cache, sizeof cache, "%s/cache/wasi-tofu", root);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(wt_e2e_rmtree(root), 0);
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

/* The pieces in every entry of the cache. */
static int pieces(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "exit $(ls -A %s/*/ 2>/dev/null | grep -c '[.]piece$')", cache);
	return WEXITSTATUS(system(cmd));
}

/* A piece whose MAC holds but which the loader refuses (made by another build or for another
 * identity; here a shared object that is no compiled object) is removed, not kept to be
 * refused by every later run. */
static void test_piece_the_loader_refuses_is_removed(void **state)
{
	char out[256];
	uint8_t sha[32];
	wt_run_config cfg = {0};
	wt_jit_cache *c;
	wt_error err;

	(void)state;
	assert_true(run(cfg, out, sizeof out) > 0);
	assert_int_equal(pieces(), 1);
	wt_error_init(&err);
	assert_non_null(c = wt_run_cache_open(&cfg)); /* the run's own: same options */
	assert_int_equal(wt_sha256_file(module, sha, &(uint64_t){0}, &err), 0);
	assert_int_equal(wt_jit_cache_put(c, sha, WT_TEST_PIECE_SO, &err), 0);
	wt_jit_cache_close(c);
	assert_int_equal(pieces(), 2);
	assert_int_equal(run(cfg, out, sizeof out), 0); /* the good one loads */
	assert_int_equal(pieces(), 1);
}

/* The module_read hook's record of the digest it was given. */
static int saw_digest(void *ctx, const char *path, const uint8_t *bytes, size_t size,
		      const uint8_t sha256[32], wt_error *err)
{
	(void)path, (void)bytes, (void)size, (void)err;
	memcpy(ctx, sha256, 32);
	return 0;
}

/* The pieces the cache has for the module whose digest is sha. */
static uint32_t cached_for(const uint8_t sha[32])
{
	wt_run_config cfg = {0};
	wt_jit_cache *c = wt_run_cache_open(&cfg);
	assert_non_null(c);
	uint32_t n = wt_test_cache_count(c, sha);
	wt_jit_cache_close(c);
	return n;
}

/* One digest per run: the module's sha256 is computed once, as it is read (or given with
 * bytes from memory, as the library does), and every user takes that one: the module_read
 * hook (the pin, the journal) and the code cache's key. A digest given with the bytes is
 * used as it is (here a made-up one, which nothing computed again). */
static void test_one_digest_per_run(void **state)
{
	static const uint8_t given[32] = {0xd1, 0x9e, 0x57};
	uint8_t seen[32] = {0}, truth[32], *bytes;
	uint64_t size;
	wt_run_hooks hooks = {.ctx = seen, .module_read = saw_digest};
	wt_run_config cfg = {.hooks = &hooks};
	char out[256];
	wt_error err;
	FILE *f;

	(void)state;
	assert_true(run(cfg, out, sizeof out) > 0); /* read from the file */
	wt_error_init(&err);
	assert_int_equal(wt_sha256_file(module, truth, &size, &err), 0);
	assert_memory_equal(seen, truth, 32);
	assert_int_equal(cached_for(truth), 1);
	assert_non_null(bytes = malloc(size));
	assert_non_null(f = fopen(module, "rb"));
	assert_int_equal(fread(bytes, 1, size, f), size);
	fclose(f);
	cfg.module_bytes = bytes, cfg.module_size = size, cfg.module_sha256 = given;
	assert_true(run(cfg, out, sizeof out) > 0); /* compiled anew: the entry is given's */
	free(bytes);
	assert_memory_equal(seen, given, 32);
	assert_int_equal(cached_for(given), 1);
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
	    cmocka_unit_test_setup_teardown(test_piece_the_loader_refuses_is_removed, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_one_digest_per_run, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_cache_and_mounts_leave_it_alone, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
