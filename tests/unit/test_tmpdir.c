/* test_tmpdir.c: the compiling tier's private temporary folders (core/base/tmpdir.c): each is
 * named for its process, and a new one sweeps away what a gone process of this user left there
 * untouched for an hour, and nothing else: not a live process's folder, not a fresh one, not a
 * link, not a folder of another name; links inside a swept folder are removed, never followed
 * (the file a link points at outlives the sweep). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"
#include "wt_test_util.h"

static char base[256];

/* The PID of a process that has ended (and been waited for). */
static long gone_pid(void)
{
	pid_t p = fork();
	assert_true(p >= 0);
	if (p == 0)
		_exit(0);
	assert_int_equal(waitpid(p, NULL, 0), p);
	return (long)p;
}

/* path's times set `age` seconds back. */
static void set_age(const char *path, long age)
{
	struct timeval t[2];
	gettimeofday(&t[0], NULL);
	t[0].tv_sec -= age;
	t[1] = t[0];
	assert_int_equal(utimes(path, t), 0);
}

/* base/name made a folder holding a file, its times set `age` seconds back; its path. */
static const char *folder(const char *name, long age)
{
	static char path[512];
	char file[600];
	snprintf(path, sizeof path, "%s/%s", base, name);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(file, sizeof file, "%s/code-0.so", path);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	set_age(path, age);
	return path;
}

static int exists(const char *name)
{
	char path[512];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", base, name);
	return lstat(path, &st) == 0;
}

static void test_only_what_a_gone_process_left_is_swept(void **state)
{
	(void)state;
	char gone[64], fresh[64], live[64], link[64], target[512], inside[600];
	long dead = gone_pid();
	wt_test_scratch(base, sizeof base, "tmpdir_sweep");
	setenv("TMPDIR", base, 1);
	snprintf(gone, sizeof gone, "wasi-tofu-jit-%ld-abcdef", dead);
	snprintf(fresh, sizeof fresh, "wasi-tofu-jit-%ld-fresh1", dead);
	snprintf(live, sizeof live, "wasi-tofu-jit-%ld-alive1", (long)getppid());
	snprintf(link, sizeof link, "wasi-tofu-jit-%ld-link01", dead);
	folder(gone, 2 * WT_TMPDIR_STALE_S);
	folder(fresh, 60);
	folder(live, 2 * WT_TMPDIR_STALE_S);
	folder("wasi-tofu-other", 2 * WT_TMPDIR_STALE_S);
	/* a link named as a stale folder, and a link inside the stale folder, to a kept file */
	snprintf(target, sizeof target, "%s/kept", base);
	FILE *f = fopen(target, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(inside, sizeof inside, "%s/%s/link", base, gone);
	assert_int_equal(symlink(target, inside), 0);
	char lpath[512];
	snprintf(lpath, sizeof lpath, "%s/%s", base, link);
	assert_int_equal(symlink(base, lpath), 0);
	snprintf(inside, sizeof inside, "%s/%s", base, gone); /* the link's creation touched it */
	set_age(inside, 2 * WT_TMPDIR_STALE_S);

	assert_int_equal(wt_tmpdir_sweep(), 1);
	assert_false(exists(gone));
	assert_true(exists(fresh));
	assert_true(exists(live));
	assert_true(exists("wasi-tofu-other"));
	assert_true(exists(link));
	assert_true(exists("kept"));
	assert_int_equal(wt_tmpdir_sweep(), 0);
	unsetenv("TMPDIR");
	wt_tmpdir_remove(base);
}

static void test_a_new_folder_is_named_for_its_process(void **state)
{
	(void)state;
	char dir[512], want[512];
	wt_error err;
	struct stat st;
	wt_error_init(&err);
	wt_test_scratch(base, sizeof base, "tmpdir_new");
	setenv("TMPDIR", base, 1);
	assert_int_equal(wt_tmpdir_new(dir, sizeof dir, &err), 0);
	snprintf(want, sizeof want, "%s/wasi-tofu-jit-%ld-", base, (long)getpid());
	assert_int_equal(strncmp(dir, want, strlen(want)), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	wt_tmpdir_remove(dir);
	assert_int_not_equal(stat(dir, &st), 0);
	unsetenv("TMPDIR");
	wt_tmpdir_remove(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_only_what_a_gone_process_left_is_swept),
	    cmocka_unit_test(test_a_new_folder_is_named_for_its_process),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
