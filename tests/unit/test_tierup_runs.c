/* test_tierup_runs.c: tier-up across runs (core/run/run_tierup.c): each `auto` run whose compile
 * child worked records its length in the code cache's run record (what the next child plans
 * by), and a long shot refused by a run is refused by the next WT_TIERUP_RETRY_RUNS runs only,
 * then tried again. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "module.h"
#include "run.h"
#include "run_cache.h"
#include "sha256.h"
#include "tierup.h"
#include "wt_e2e_util.h"
#include "wt_test_util.h"

static char module[600], root[64];
static uint8_t sha[32];

static int setup(void **state)
{
	char dir[128];
	(void)state;
	wt_test_fixture(module, sizeof module, "tier_mix.wasm");
	wt_test_scratch(root, sizeof root, "tierup-runs");
	snprintf(dir, sizeof dir, "%s/cache", root);
	setenv("XDG_CACHE_HOME", dir, 1);
	snprintf(dir, sizeof dir, "%s/state", root);
	setenv("XDG_STATE_HOME", dir, 1);
	/* hot at 100 calls and back-edges from the first instant: the fixture is short */
	setenv("WT_JIT_HOT", "100", 1);
	setenv("WT_JIT_WARM_MS", "0", 1);
	setenv("WT_JIT_STATS", "1", 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(wt_e2e_rmtree(root), 0);
	return 0;
}

/* One `auto` run of the fixture (in a child process: its stderr is the test's to read). */
static void run_auto(void)
{
	wt_run_config cfg = {0};
	wt_run_result res;
	cfg.module_path = module;
	cfg.tier = WT_TIER_AUTO;
	cfg.wasi.cwd = "/";
	cfg.wasi.stdio_fds[0] = -1, cfg.wasi.stdio_fds[1] = -1, cfg.wasi.stdio_fds[2] = -1;
	wt_run(&cfg, &res);
	if (res.outcome != WT_RUN_EXITED || res.exit_code != 0)
		exit(3);
}

/* The tier-up line of one run: "N refused" as a number (-1: no line). */
static int refused_in_a_run(void)
{
	static char err[8192];
	int status = wt_test_run_child(run_auto, err, sizeof err);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	unsigned pieces, compiled, refused;
	for (const char *line = strstr(err, "wasi-tofu: tier-up: "); line;
	     line = strstr(line + 1, "wasi-tofu: tier-up: "))
		if (sscanf(line, "wasi-tofu: tier-up: %u pieces loaded, %u functions compiled, %u",
			   &pieces, &compiled, &refused) == 3)
			return (int)refused;
	fprintf(stderr, "no tier-up line in: %s\n", err);
	return -1;
}

/* The cache as the runs open it. */
static wt_jit_cache *open_cache(void)
{
	wt_run_config cfg = {0};
	wt_jit_cache *c;
	wt_error err;
	wt_error_init(&err);
	assert_int_equal(wt_sha256_file(module, sha, &(uint64_t){0}, &err), 0);
	assert_non_null(c = wt_run_cache_open(&cfg));
	return c;
}

static int read_record(void *ctx, int fd, wt_jit_piece_kind kind, const char *name)
{
	(void)name;
	if (kind == WT_JIT_PIECE_RUNS)
		wt_jit_cache_read_runs(fd, ctx);
	close(fd);
	return 0;
}

static wt_jit_runs record(void)
{
	wt_jit_runs runs = {0};
	wt_jit_cache *c = open_cache();
	wt_error err;
	wt_error_init(&err);
	assert_int_equal(wt_jit_cache_each(c, sha, read_record, &runs, &err), 0);
	wt_jit_cache_close(c);
	return runs;
}

/* A run whose child compiled records its length and the child's pace: the first makes the
 * record, the next adds to it (before: no record, every run planned as a first). */
static void test_runs_are_recorded(void **state)
{
	(void)state;
	if (access(module, R_OK) != 0 || !wt_jit_available())
		skip();
	assert_int_equal(refused_in_a_run(), 0);
	wt_jit_runs r = record();
	assert_int_equal(r.count, 1);
	assert_int_equal(r.n, 1);
	assert_true(wt_jit_runs_expected(&r) > 0);
	/* with the child's pace, which the next child starts from (a regroup is planned by it) */
	assert_true(r.pace_ns[0] > 0 && r.pace_ns[1] > 0);
	/* the second run compiles what the first left, if anything: a record only then */
	refused_in_a_run();
	assert_in_range(record().count, 1, 2);
}

/* A defined function of the fixture: its last. */
static uint32_t last_function(void)
{
	uint8_t *bytes = NULL;
	size_t size = 0;
	wt_module *m = NULL;
	wt_error err;
	FILE *f = fopen(module, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = (size_t)ftell(f);
	rewind(f);
	assert_non_null(bytes = malloc(size));
	assert_int_equal(fread(bytes, 1, size, f), size);
	fclose(f);
	wt_error_init(&err);
	assert_int_equal(wt_decode(bytes, size, &m, &err), 0);
	uint32_t last = m->nfuncs - 1;
	assert_true(last >= m->nfunc_imports);
	wt_module_free(m);
	free(bytes);
	return last;
}

/* Plants what a run numbered `by` left when it refused a long shot, and a record of `count`
 * runs. */
static void plant(uint32_t by, uint32_t count)
{
	uint32_t words[2] = {last_function() | WT_JIT_CACHE_LONG_SHOT, by};
	wt_jit_runs runs = {.count = count, .n = 1, .ms = {60000}};
	wt_jit_cache *c = open_cache();
	wt_error err;
	wt_error_init(&err);
	assert_int_equal(wt_jit_cache_put_refused(c, sha, words, 2, &err), 0);
	assert_int_equal(wt_jit_cache_put_runs(c, sha, &runs, &err), 0);
	wt_jit_cache_close(c);
}

/* Refused by run 1: runs 2 .. 1 + WT_TIERUP_RETRY_RUNS do not send it; the next one does
 * (before: refused for good); and one whose record was lost (a count below the run that
 * refused it) too. */
static void test_refused_long_shot_is_tried_again(void **state)
{
	(void)state;
	if (access(module, R_OK) != 0 || !wt_jit_available())
		skip();
	plant(1, 1); /* this run is number 2 */
	assert_int_equal(refused_in_a_run(), 1);
	plant(1, WT_TIERUP_RETRY_RUNS); /* number 1 + WT_TIERUP_RETRY_RUNS */
	assert_int_equal(refused_in_a_run(), 1);
	plant(1, WT_TIERUP_RETRY_RUNS + 1);
	assert_int_equal(refused_in_a_run(), 0);
	plant(5, 2); /* the record lost since run 5 refused it */
	assert_int_equal(refused_in_a_run(), 0);
}

/* Once the module's hot code is compiled, a run whose child has nothing to compile still
 * counts while a refused long shot waits for its retry (before: such runs were not recorded,
 * so the count stood still and the refusal never ran out). */
static void test_refusal_runs_out_with_nothing_else_to_compile(void **state)
{
	(void)state;
	if (access(module, R_OK) != 0 || !wt_jit_available())
		skip();
	uint32_t count = 0;
	for (int i = 0; i < 6 && (i < 2 || record().count != count); i++) {
		count = record().count; /* until a run compiles nothing more */
		refused_in_a_run();
	}
	count = record().count;
	plant(count, count); /* refused by the last run */
	for (uint32_t i = 1; i <= WT_TIERUP_RETRY_RUNS; i++) {
		assert_int_equal(refused_in_a_run(), 1);
		assert_int_equal(record().count, count + i);
	}
	assert_int_equal(refused_in_a_run(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_runs_are_recorded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refused_long_shot_is_tried_again, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusal_runs_out_with_nothing_else_to_compile,
					    setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
