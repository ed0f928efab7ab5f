/* test_lib_tier.c: wasi_tofu_run_tier reaches the engine: under WASI_TOFU_TIER_JIT the run's
 * functions are compiled (the engine's result, lib_cli.h, counts them), under
 * WASI_TOFU_TIER_INTERP none is; a build without the compiling tier refuses JIT. The code
 * cache's notes go to the run's notices, never to the embedder's stderr. */
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

#include "jit.h"
#include "lib_cli.h"
#include "wt_e2e_util.h"
#include "wt_test_util.h"

static const char wat[] =
    "(module (memory (export \"memory\") 1)\n"
    "  (func $f (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))\n"
    "  (func (export \"_start\") (drop (call $f (i32.const 41)))))\n";

/* A run of the module above with TIER; the functions the compiling tier compiled, or -1 when
 * the tier was refused. */
static int compiled_with(wasi_tofu_tier tier)
{
	static const wt_lib_engine no_cache = {.no_cache = 1};
	uint8_t *bytes;
	size_t size;
	wasi_tofu_run *r;
	int n = -1;

	if (wt_test_wat_bytes(wat, "", &bytes, &size) != 0)
		skip();
	assert_non_null(r = wasi_tofu_run_new_memory(bytes, size, "t.wasm"));
	free(bytes);
	wt_lib_run_engine(r, &no_cache); /* a hit in the code cache would compile nothing */
	if (wasi_tofu_run_tier(r, tier) == WASI_TOFU_OK) {
		assert_int_equal(wasi_tofu_run_exec(r), 0);
		n = (int)wt_lib_run_result(r)->jit.compiled;
	}
	wasi_tofu_run_free(r);
	return n;
}

static void test_lib_tier_reaches_the_engine(void **state)
{
	(void)state;
	assert_int_equal(compiled_with(WASI_TOFU_TIER_INTERP), 0);
	if (wt_jit_available())
		assert_int_equal(compiled_with(WASI_TOFU_TIER_JIT), 2);
	else
		assert_int_equal(compiled_with(WASI_TOFU_TIER_JIT), -1);
	assert_int_equal(compiled_with((wasi_tofu_tier)3), -1);
}

/* Runs r with fd 2 going to the file at path; the exec's status. */
static int exec_stderr_to(wasi_tofu_run *r, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600), saved = dup(2), status;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	status = wasi_tofu_run_exec(r);
	fflush(stderr);
	dup2(saved, 2);
	close(saved), close(fd);
	return status;
}

/* A note of the code cache (here: a mount reaches the cache folder, so the run does not use
 * it) goes to the fd of wasi_tofu_run_notices, and without one nowhere: never to stderr. */
static void test_lib_cache_notes_go_to_the_notices(void **state)
{
	char dir[64], cache[128], path[128], err[128];
	uint8_t *bytes;
	size_t size;
	wasi_tofu_run *r;
	char *text;
	int fd;

	(void)state;
	if (!wt_jit_available() || wt_test_wat_bytes(wat, "", &bytes, &size) != 0)
		skip();
	wt_test_scratch(dir, sizeof dir, "lib-notes");
	snprintf(cache, sizeof cache, "%s/cache", dir);
	assert_int_equal(mkdir(cache, 0700), 0);
	setenv("XDG_CACHE_HOME", cache, 1);
	snprintf(path, sizeof path, "%s/state", dir);
	setenv("XDG_STATE_HOME", path, 1);
	snprintf(path, sizeof path, "%s/notices", dir);
	snprintf(err, sizeof err, "%s/stderr", dir);
	assert_non_null(r = wasi_tofu_run_new_memory(bytes, size, "t.wasm"));
	free(bytes);
	assert_int_equal(wasi_tofu_run_tier(r, WASI_TOFU_TIER_JIT), WASI_TOFU_OK);
	assert_int_equal(wasi_tofu_run_mount(r, cache, "/c", 1), WASI_TOFU_OK);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0);
	wasi_tofu_run_notices(r, fd);
	assert_int_equal(exec_stderr_to(r, err), 0);
	close(fd);
	assert_non_null(text = wt_e2e_slurp(path));
	assert_non_null(strstr(text, "wasi-tofu: note: the code cache is not used: the mount of"));
	free(text);
	wasi_tofu_run_notices(r, -1);
	assert_int_equal(exec_stderr_to(r, err), 0);
	assert_non_null(text = wt_e2e_slurp(err));
	assert_string_equal(text, "");
	free(text);
	wasi_tofu_run_free(r);
	assert_int_equal(wt_e2e_rmtree(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lib_tier_reaches_the_engine),
	    cmocka_unit_test(test_lib_cache_notes_go_to_the_notices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
