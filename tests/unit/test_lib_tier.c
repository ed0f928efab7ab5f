/* test_lib_tier.c: wasi_tofu_run_tier reaches the engine: under WASI_TOFU_TIER_JIT the run's
 * functions are compiled (the engine's result, lib_cli.h, counts them), under
 * WASI_TOFU_TIER_INTERP none is; a build without the compiling tier refuses JIT. Under AUTO, a
 * run whose compile child is killed from outside ends normally, SIGPIPE at its default. The
 * code cache's notes go to the run's notices, never to the embedder's stderr. */
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

/* A module that says "x" on stdout, reads a byte from stdin, then makes $spin hot (1000
 * back-edges): the hot hook writes to the compile child after the test killed it. */
static const char killed_wat[] =
    "(module\n"
    "  (import \"wasi_snapshot_preview1\" \"fd_write\"\n"
    "    (func $write (param i32 i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"fd_read\"\n"
    "    (func $read (param i32 i32 i32 i32) (result i32)))\n"
    "  (memory (export \"memory\") 1)\n"
    "  (data (i32.const 0) \"x\")\n"
    "  (func $spin (param i32)\n"
    "    (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))\n"
    "  (func (export \"_start\")\n"
    "    (i32.store (i32.const 16) (i32.const 0)) (i32.store (i32.const 20) (i32.const 1))\n"
    "    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 32)))\n"
    "    (drop (call $read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 32)))\n"
    "    (call $spin (i32.const 1000))))\n";

static int to_guest[2], from_guest[2], killed;

/* The process's only child (the run's compile child), or -1. */
static pid_t only_child(void)
{
	char path[64];
	long pid = -1;
	snprintf(path, sizeof path, "/proc/self/task/%ld/children", (long)getpid());
	FILE *f = fopen(path, "r");
	if (f && fscanf(f, "%ld", &pid) != 1)
		pid = -1;
	if (f)
		fclose(f);
	return (pid_t)pid;
}

/* Once the module has spoken, kills the compile child, waits until it is dead (not reaped:
 * the run's end does that), then lets the module go on. */
static void *killer(void *arg)
{
	char c;
	siginfo_t si;
	(void)arg;
	if (read(from_guest[0], &c, 1) == 1) {
		pid_t child = only_child();
		if (child > 0 && kill(child, SIGKILL) == 0 &&
		    waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT) == 0)
			killed = 1;
	}
	if (write(to_guest[1], "y", 1) != 1)
		return NULL;
	return NULL;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* In a process of its own (it would die of SIGPIPE before): 0 when the run ended with exit
 * code 0, 2 when there was no compile child to kill, else 3. */
static int killed_child_run(void)
{
	char cache[] = "/tmp/wt-lib-tier-XXXXXX", state[160];
	pthread_t th;
	uint8_t *bytes;
	size_t size;
	wasi_tofu_run *r;
	int rc = 3;

	signal(SIGPIPE, SIG_DFL);
	if (!mkdtemp(cache) || pipe(to_guest) || pipe(from_guest) ||
	    wt_test_wat_bytes(killed_wat, "", &bytes, &size) != 0)
		return 3;
	snprintf(state, sizeof state, "%s/state", cache);
	setenv("XDG_CACHE_HOME", cache, 1); /* a private cache: nothing of this module is in it */
	setenv("XDG_STATE_HOME", state, 1);
	setenv("WT_JIT_HOT", "100", 1);
	setenv("WT_JIT_WARM_MS", "0", 1);
	if (!(r = wasi_tofu_run_new_memory(bytes, size, "t.wasm")))
		return 3;
	wasi_tofu_run_stdio(r, to_guest[0], from_guest[1], 2);
	wasi_tofu_run_tier(r, WASI_TOFU_TIER_AUTO);
	if (pthread_create(&th, NULL, killer, NULL) != 0)
		return 3;
	if (wasi_tofu_run_exec(r) == 0 && wasi_tofu_run_outcome(r) == WASI_TOFU_EXITED &&
	    wasi_tofu_run_exit_code(r) == 0)
		rc = 0;
	pthread_join(th, NULL);
	wasi_tofu_run_free(r);
	free(bytes);
	nftw(cache, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	return rc == 0 && !killed ? 2 : rc;
}

static void test_lib_tier_killed_child(void **state)
{
	int status;
	pid_t pid;
	(void)state;
	if (!wt_jit_available())
		skip(); /* no tier-up, no child */
	assert_true((pid = fork()) >= 0);
	if (pid == 0)
		_exit(killed_child_run());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_false(WIFSIGNALED(status)); /* SIGPIPE, before */
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
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
	    cmocka_unit_test(test_lib_tier_killed_child),
	    cmocka_unit_test(test_lib_cache_notes_go_to_the_notices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
