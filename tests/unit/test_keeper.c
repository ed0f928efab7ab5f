/* test_keeper.c: the policy files' keeper: reads and replaces the files it was started with, and
 * nothing else, from a process that confined itself after starting it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "confine.h"
#include "keeper.h"

static char dir[64], mine[128], other[128];

static int setup(void **state)
{
	FILE *f;

	(void)state;
	snprintf(dir, sizeof dir, "/tmp/wt-keeper-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(mine, sizeof mine, "%s/m.yaml", dir);
	snprintf(other, sizeof other, "%s/other.txt", dir);
	if (!(f = fopen(other, "w")))
		return -1;
	fputs("keep me\n", f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* Read and replace through the keeper, and direct (NULL): the same files. */
static void test_keeper_reads_and_replaces_its_files(void **state)
{
	const char *paths[] = {mine};
	wt_keeper *k = NULL;
	wt_keeper *ways[2];
	wt_error err;
	char *text;
	size_t len;
	int exists;

	(void)state;
	wt_error_init(&err);
	assert_int_equal(wt_keeper_start(paths, 1, &k, &err), 0);
	ways[0] = k, ways[1] = NULL;
	for (int w = 0; w < 2; w++) {
		unlink(mine);
		assert_int_equal(wt_keeper_read(ways[w], mine, 1024, &text, &len, &exists, &err),
				 0);
		assert_int_equal(exists, 0); /* missing reads as empty */
		assert_int_equal(len, 0);
		free(text);
		assert_int_equal(wt_keeper_replace(ways[w], mine, "version: 1\n", 11, &err), 0);
		assert_string_equal(slurp(mine), "version: 1\n");
		assert_int_equal(wt_keeper_read(ways[w], mine, 1024, &text, &len, &exists, &err),
				 0);
		assert_int_equal(exists, 1);
		assert_string_equal(text, "version: 1\n");
		free(text);
		assert_int_equal(wt_keeper_read(ways[w], mine, 4, &text, &len, &exists, &err),
				 WT_MALFORMED); /* larger than asked */
	}
	wt_keeper_stop(k);
}

/* The keeper serves no other path, whatever the confined process asks. */
static void test_keeper_refuses_other_paths(void **state)
{
	const char *paths[] = {mine};
	wt_keeper *k = NULL;
	wt_error err;
	char *text = NULL;
	size_t len;
	int exists;

	(void)state;
	wt_error_init(&err);
	assert_int_equal(wt_keeper_start(paths, 1, &k, &err), 0);
	assert_int_not_equal(wt_keeper_replace(k, other, "pwned\n", 6, &err), 0);
	assert_non_null(strstr(err.msg, "not a file of the policy"));
	wt_error_init(&err);
	assert_int_not_equal(wt_keeper_read(k, other, 1024, &text, &len, &exists, &err), 0);
	wt_error_init(&err);
	assert_int_not_equal(wt_keeper_replace(k, "/tmp/../etc/passwd", "x", 1, &err), 0);
	assert_string_equal(slurp(other), "keep me\n");
	wt_keeper_stop(k);
}

/* A child that confines itself with no right on the folder still writes
 * the manifest through a keeper it started before, and cannot write the
 * file beside it. */
static void test_keeper_writes_for_a_confined_process(void **state)
{
	const char *paths[] = {mine};
	pid_t pid;
	int status;

	(void)state;
	unlink(mine);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		wt_confine_config c = {.layers = WT_CONFINE_LANDLOCK, .require = 1};
		wt_wasi_config wc = {.stdio_fds = {0, 1, 2}}; /* no mounts */
		wt_store *s = wt_store_new(NULL);
		wt_keeper *k = NULL;
		wt_wasi *w = NULL;
		wt_error err;
		FILE *f;
		int bad = 0;

		wt_error_init(&err);
		wc.store = s;
		if (!s || wt_wasi_new(&wc, &w, &err) || wt_keeper_start(paths, 1, &k, &err) ||
		    wt_confine_enter(&c, w, &err))
			_exit(2);
		bad |= wt_keeper_replace(k, mine, "files: []\n", 10, &err) != 0;
		if ((f = fopen(other, "w"))) /* Landlock: no right beside it */
			bad = 1, fclose(f);
		wt_keeper_stop(k);
		_exit(bad);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 2)
		skip(); /* no Landlock on this kernel */
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(slurp(mine), "files: []\n");
	assert_string_equal(slurp(other), "keep me\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_keeper_reads_and_replaces_its_files, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_keeper_refuses_other_paths, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_keeper_writes_for_a_confined_process, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
