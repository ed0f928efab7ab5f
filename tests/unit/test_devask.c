/* test_devask.c: a deviation settled by the run's mode: fail, deny, hide, and prompt through a
 * pseudo-terminal with [a] writing the override file once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devask.h"

static wt_devreq file_req(const char *path, uint32_t rights)
{
	wt_devreq r = {
	    .call = WT_WASI_path_open, .path = path, .path_len = strlen(path), .rights = rights};
	return r;
}

static void test_devask_modes_without_asking(void **state)
{
	static const struct {
		wt_on_deviation mode;
		wt_verdict v;
		wt_devlog_outcome o;
	} rows[] = {
	    {WT_ON_DEV_FAIL, WT_STOP, WT_DEVLOG_STOPPED},
	    {WT_ON_DEV_DENY, WT_DENY, WT_DEVLOG_DENIED},
	    {WT_ON_DEV_HIDE, WT_HIDE, WT_DEVLOG_HIDDEN},
	    {WT_ON_DEV_PROMPT, WT_STOP, WT_DEVLOG_STOPPED}, /* no terminal: fail */
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		wt_devask d = {.mode = rows[i].mode, .log = wt_devlog_new()};
		wt_devreq r = file_req("/etc/shadow", WT_RIGHT_READ);

		assert_int_equal(wt_devask_decide(&d, &r, "/etc/shadow", "  - {x}", 5), rows[i].v);
		assert_int_equal(wt_devask_decide(&d, &r, "/etc/shadow", "  - {x}", 6), rows[i].v);
		assert_int_equal(wt_devlog_count(d.log), 1);
		assert_int_equal(wt_devlog_get(d.log, 0)->outcome, rows[i].o);
		assert_int_equal(wt_devlog_get(d.log, 0)->count, 2);
		wt_devlog_free(d.log);
	}
}

/* A request a deny rule or the ceiling refuses is not negotiable: in prompt mode it is denied
 * without asking (even with a terminal that would answer), and the log keeps why. */
static void test_devask_refused_is_never_asked(void **state)
{
	static const struct {
		wt_on_deviation mode;
		wt_verdict v;
	} rows[] = {
	    {WT_ON_DEV_PROMPT, WT_DENY}, {WT_ON_DEV_FAIL, WT_STOP}, {WT_ON_DEV_HIDE, WT_HIDE}};
	static const char why[] = "the deny rule {path: /etc/shadow, allow: [read]} at o.yaml:3";

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int fds[2];
		wt_devask d = {.mode = rows[i].mode, .log = wt_devlog_new(), .override_path = "o"};
		wt_devreq r = file_req("/etc/shadow", WT_RIGHT_READ);

		assert_int_equal(pipe(fds), 0);
		d.ask = wt_devask_terminal,
		d.ask_ctx =
		    wt_prompt_new_fd(fds[1], "t.wasm", "t.yaml"); /* a question would show */
		r.refused = why;
		assert_int_equal(wt_devask_decide(&d, &r, NULL, NULL, 5), rows[i].v);
		close(fds[1]);
		assert_int_equal(read(fds[0], (char[1]){0}, 1), 0); /* nothing was written */
		close(fds[0]);
		assert_string_equal(wt_devlog_get(d.log, 0)->refused, why);
		assert_int_equal(wt_devlog_get(d.log, 0)->outcome,
				 wt_devlog_outcome_of_verdict(rows[i].v));
		wt_prompt_free(d.ask_ctx);
		wt_devlog_free(d.log);
	}
}

static void test_devask_default_mode(void **state)
{
	assert_int_equal(wt_devask_mode(WT_ON_DEV_HIDE), WT_ON_DEV_HIDE);
	setenv("CI", "1", 1);
	assert_int_equal(wt_devask_mode(WT_ON_DEV_DEFAULT), WT_ON_DEV_FAIL);
	unsetenv("CI");
	assert_int_equal(wt_devask_mode(WT_ON_DEV_DEFAULT),
			 wt_prompt_is_default() ? WT_ON_DEV_PROMPT : WT_ON_DEV_FAIL);
}

typedef struct asking {
	wt_devask *d;
	wt_devreq req;
	const char *pattern;
	wt_verdict v;
} asking;

static void *decide_thread(void *arg)
{
	asking *a = arg;

	a->v =
	    wt_devask_decide(a->d, &a->req, a->pattern, "  - {path: /out/x.o, allow: [create]}", 1);
	return NULL;
}

/* Reads the terminal until marker; the text goes into buf. */
static void read_until(int master, const char *marker, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	while (!strstr(buf, marker)) {
		struct pollfd pf = {.fd = master, .events = POLLIN};
		ssize_t k;

		assert_true(poll(&pf, 1, 5000) == 1);
		assert_true((k = read(master, buf + n, size - 1 - n)) > 0);
		n += (size_t)k;
		buf[n] = '\0';
	}
}

/* One decision answered with the lines in answers (the first after the
 * question, the others after each "ask again"); the question's text in out. */
static wt_verdict answered(int master, asking *a, const char *const *answers, char *out,
			   size_t size)
{
	char again[1024];
	pthread_t th;

	assert_int_equal(pthread_create(&th, NULL, decide_thread, a), 0);
	for (size_t i = 0; answers[i]; i++) {
		if (i == 0)
			read_until(master, "> ", out, size);
		else
			read_until(master, "then Enter: ", again, sizeof again);
		assert_int_equal(write(master, answers[i], strlen(answers[i])),
				 (ssize_t)strlen(answers[i]));
	}
	pthread_join(th, NULL);
	return a->v;
}

static void read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void test_devask_prompt_allow_always_writes_once(void **state)
{
	char dir[] = "/tmp/wt-devask-XXXXXX", path[64], text[1024], out[4096];
	int master, slave;
	wt_devask d = {.mode = WT_ON_DEV_PROMPT, .log = wt_devlog_new()};
	asking a = {.d = &d, .req = file_req("/out/x.o", WT_RIGHT_CREATE), .pattern = "/out/x.o"};
	static const char *const yes_always[] = {"a\n", NULL};

	alarm(20);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/b.override.yaml", dir);
	d.override_path = path;
	master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0 && !grantpt(master) && !unlockpt(master));
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	d.ask = wt_devask_terminal,
	d.ask_ctx = wt_prompt_new_fd(slave, "b.wasm", "b.manifest.yaml");
	assert_int_equal(answered(master, &a, yes_always, out, sizeof out), WT_ALLOW);
	assert_non_null(strstr(out, "[a] allow always"));
	read_file(path, text, sizeof text);
	assert_non_null(
	    strstr(text, "version: 1\nfiles:\n  - {path: /out/x.o, allow: [create]}\n"));
	assert_int_equal(wt_devask_decide(&d, &a.req, a.pattern, NULL, 2),
			 WT_ALLOW); /* not asked */
	read_file(path, out, sizeof out);
	assert_string_equal(out, text); /* not written twice */
	assert_int_equal(wt_devlog_count(d.log), 1);
	assert_int_equal(wt_devlog_get(d.log, 0)->outcome, WT_DEVLOG_ALLOWED_ALWAYS);
	assert_int_equal(wt_devlog_get(d.log, 0)->count, 2);
	unlink(path);
	rmdir(dir);
	wt_prompt_free(d.ask_ctx);
	wt_devlog_free(d.log);
	close(slave);
	close(master);
	alarm(0);
}

/* Without an override file [a] is not offered and not taken. */
static void test_devask_prompt_without_override_file(void **state)
{
	char out[4096];
	int master, slave;
	wt_devask d = {.mode = WT_ON_DEV_PROMPT, .log = wt_devlog_new()};
	asking a = {.d = &d, .req = file_req("/out/x.o", WT_RIGHT_CREATE), .pattern = "/out/x.o"};
	static const char *const answers[] = {"a\n", "y\n", NULL};

	alarm(20);
	master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0 && !grantpt(master) && !unlockpt(master));
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	d.ask = wt_devask_terminal,
	d.ask_ctx = wt_prompt_new_fd(slave, "b.wasm", "b.manifest.yaml");
	assert_int_equal(answered(master, &a, answers, out, sizeof out), WT_ALLOW);
	assert_null(strstr(out, "[a]"));
	assert_int_equal(wt_devlog_get(d.log, 0)->outcome, WT_DEVLOG_ALLOWED_ONCE);
	wt_prompt_free(d.ask_ctx);
	wt_devlog_free(d.log);
	close(slave);
	close(master);
	alarm(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_devask_modes_without_asking),
	    cmocka_unit_test(test_devask_refused_is_never_asked),
	    cmocka_unit_test(test_devask_default_mode),
	    cmocka_unit_test(test_devask_prompt_allow_always_writes_once),
	    cmocka_unit_test(test_devask_prompt_without_override_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
