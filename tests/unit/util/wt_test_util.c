/* wt_test_util.c: helpers the unit test programs share: WAT assembled at test time, scratch
 * folders, the built fixtures' paths, children that must abort. */
#include <libgen.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "wt_test_util.h"

/* Reads the whole file at path into a malloc'd buffer; 0 or -1. */
static int read_file(const char *path, uint8_t **bytes, size_t *size)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	rewind(f);
	*bytes = malloc(*size ? *size : 1);
	assert_non_null(*bytes);
	assert_int_equal(fread(*bytes, 1, *size, f), *size);
	fclose(f);
	return 0;
}

int wt_test_wat_bytes(const char *text, const char *args, uint8_t **bytes, size_t *size)
{
	char dir[] = "/tmp/wt-test-wat-XXXXXX", src[64], bin[64], cmd[512];
	FILE *f;
	int rc = -1;

	if (!mkdtemp(dir))
		return -1;
	snprintf(src, sizeof src, "%s/m.wat", dir);
	snprintf(bin, sizeof bin, "%s/m.wasm", dir);
	f = fopen(src, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_true((size_t)snprintf(cmd, sizeof cmd, "wat2wasm %s %s -o %s", args, src, bin) <
		    sizeof cmd);
	if (system(cmd) == 0)
		rc = read_file(bin, bytes, size);
	unlink(bin);
	unlink(src);
	rmdir(dir);
	return rc;
}

static wt_test_group *group; /* the group wt_test_run_group runs */

static int group_setup(void **state)
{
	(void)state;
	return wt_test_wat_bytes(group->wat, "", &group->bytes, &group->size);
}

static int group_teardown(void **state)
{
	(void)state;
	free(group->bytes);
	group->bytes = NULL;
	return 0;
}

int wt_test_run_group(const char *name, const struct CMUnitTest *tests, size_t n, wt_test_group *g)
{
	group = g;
	return _cmocka_run_group_tests(name, tests, n, group_setup, group_teardown);
}

int wt_test_run_child(void (*fn)(void), char *out, size_t size)
{
	int fds[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], out + got, size - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

void wt_test_expect_abort(void (*fn)(void), const char *want)
{
	char out[4096];
	int status = wt_test_run_child(fn, out, sizeof out);

	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		fail_msg("expected an abort (\"%s\"), got status 0x%x: %s", want, status, out);
	if (!strstr(out, "wasi-tofu: internal error: ") || !strstr(out, want))
		fail_msg("expected \"%s\" in: %s", want, out);
}

void wt_test_scratch(char *dir, size_t size, const char *name)
{
	assert_true((size_t)snprintf(dir, size, "/tmp/wt-%s-XXXXXX", name) < size);
	assert_non_null(mkdtemp(dir));
}

void wt_test_fixture(char *path, size_t size, const char *name)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	assert_true(n > 0);
	exe[n] = '\0';
	assert_true((size_t)snprintf(path, size, "%s/../../fixtures/%s", dirname(exe), name) <
		    size);
}

void wt_test_put(wt_test_text *t, const char *fmt, ...)
{
	va_list ap;
	if (!t->p) {
		assert_non_null(t->p = malloc(t->cap = 256));
		t->n = 0;
	}
	for (;;) {
		va_start(ap, fmt);
		int k = vsnprintf(t->p + t->n, t->cap - t->n, fmt, ap);
		va_end(ap);
		assert_true(k >= 0);
		if ((size_t)k < t->cap - t->n) {
			t->n += (size_t)k;
			return;
		}
		t->cap = t->cap * 2 + (size_t)k + 1;
		assert_non_null(t->p = realloc(t->p, t->cap));
	}
}
