/* test_prompt.c: the deviation prompt: terminal escapes, the question's text, answers read
 * through a real pseudo-terminal (typed-ahead input dropped), the memo, no terminal -> fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "prompt.h"

enum { GUARD_SECONDS = 20 }; /* SIGALRM ends a test that would hang */

/* ---- wt_escape_for_terminal ---- */

#define S(lit) lit, sizeof(lit) - 1

static const struct {
	const char *in;
	size_t len;
	const char *out;
} escapes[] = {
    {S("/src/build.zon"), "/src/build.zon"},
    {S("a\\b"), "a\\\\b"},
    {S("\x1b[2J\x1b]0;owned\x07"), "\\x1b[2J\\x1b]0;owned\\x07"},
    {S("line\nnext\r\t"), "line\\x0anext\\x0d\\x09"},
    {S("nul\0after"), "nul\\x00after"},
    {S("del\x7f"), "del\\x7f"},
    {S("\xc2\x85\xc2\x9b"), "\\u0085\\u009b"}, /* C1 NEL, CSI as UTF-8 */
    {S("\x9b"
       "31m"),
     "\\x9b31m"},					  /* a raw C1 byte: not UTF-8 */
    {S("evil\xe2\x80\xaetxt.exe"), "evil\\u202etxt.exe"}, /* RIGHT-TO-LEFT OVERRIDE */
    {S("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"), "\\u202a\\u202b\\u202c\\u202d"},
    {S("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"), "\\u2066\\u2067\\u2068\\u2069"},
    {S("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c"), "\\u200e\\u200f\\u061c"},
    {S("\xe2\x80\xa8\xe2\x80\xa9"), "\\u2028\\u2029"},
    {S("caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac/\xf0\x9f\x93\xa6"),
     "caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac/\xf0\x9f\x93\xa6"}, /* kept */
    {S("\xc0\xaf"), "\\xc0\\xaf"},			       /* overlong '/' */
    {S("\xed\xa0\x80"), "\\xed\\xa0\\x80"},		       /* a surrogate */
    {S("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"},	       /* above U+10FFFF */
    {S("\xe2\x80"), "\\xe2\\x80"},			       /* cut short */
    {S("\xe2(x"), "\\xe2(x"},				       /* a bad continuation */
    {S("\xff\xfe"), "\\xff\\xfe"},
};

static void test_escape_table(void **state)
{
	for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
		char out[128];
		size_t need =
		    wt_escape_for_terminal(escapes[i].in, escapes[i].len, out, sizeof out);
		char *dup = wt_escape_for_terminal_dup(escapes[i].in, escapes[i].len);

		assert_string_equal(out, escapes[i].out);
		assert_int_equal(need, strlen(escapes[i].out));
		assert_non_null(dup);
		assert_string_equal(dup, escapes[i].out);
		free(dup);
	}
}

/* A short buffer holds a prefix that ends between escapes, never inside one. */
static void test_escape_truncates_whole_escapes(void **state)
{
	static const size_t sizes[] = {0, 1, 2, 4, 5, 6, 7};
	static const char *const want[] = {"", "", "a", "a", "a", "a\\x1b", "a\\x1bb"};

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char out[16] = "untouched";
		size_t need = wt_escape_for_terminal("a\x1b"
						     "bc",
						     4, out, sizes[i]);

		assert_int_equal(need, 7);
		if (sizes[i])
			assert_string_equal(out, want[i]);
		else
			assert_string_equal(out, "untouched");
	}
}

/* No escaped output holds a byte a terminal acts on. */
static void test_escape_output_is_inert(void **state)
{
	char in[256], out[2048];

	for (int i = 0; i < 256; i++)
		in[i] = (char)i;
	wt_escape_for_terminal(in, sizeof in, out, sizeof out);
	for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
		assert_true(*p >= 0x20);
		assert_true(*p != 0x7f);
		assert_true(*p < 0x80); /* every lone byte >= 0x80 is invalid UTF-8 */
	}
}

/* What wt_escape_fprintf(fmt, ...) wrote. */
static char *tprintf(int *rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *tprintf(int *rc, const char *fmt, ...)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	va_list ap;

	assert_non_null(f);
	va_start(ap, fmt);
	*rc = wt_escape_vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	return text;
}

/* The format's own text is kept; every string argument is escaped, padded by columns. */
static void test_escape_fprintf_escapes_arguments_only(void **state)
{
	static const char cr[] = "/p/.git/hooks/x\r\x1b[2Kcreated /p/ok";
	const char *unknown = "ab%qc";
	int rc;
	char *t;

	t = tprintf(&rc, "  created %s\n", "/p/.git/hooks/x\r\x1b[2Kcreated /p/ok");
	assert_int_equal(rc, 0);
	assert_string_equal(t, "  created /p/.git/hooks/x\\x0d\\x1b[2Kcreated /p/ok\n");
	free(t);
	t = tprintf(&rc, "[%-8s|%6s|%.*s|%c|%c]", "\xc3\xa9t\xc3\xa9", "\x1b", 3, cr, 'q', 27);
	assert_int_equal(rc, 0);
	assert_string_equal(t, "[\xc3\xa9t\xc3\xa9     |  \\x1b|/p/|q|\\x1b]");
	free(t);
	t = tprintf(&rc, "%zu %d %llu %5.2f %x %ld %-3d| %%", (size_t)7, -3, 1ULL << 40, 2.5, 255u,
		    -9L, 4);
	assert_int_equal(rc, 0);
	assert_string_equal(t, "7 -3 1099511627776  2.50 ff -9 4  | %");
	free(t);
	t = tprintf(&rc, "%*d|%-*s|", -4, 1, 3, "a");
	assert_string_equal(t, "1   |a  |");
	free(t);
	t = tprintf(&rc, unknown, 1); /* a conversion it does not know: stops there */
	assert_int_equal(rc, -1);
	assert_string_equal(t, "ab");
	free(t);
}

/* ---- the question ---- */

static wt_devreq file_req(const char *path, uint32_t rights)
{
	wt_devreq r = {
	    .call = WT_WASI_path_open, .path = path, .path_len = strlen(path), .rights = rights};
	return r;
}

static void assert_lines_fit(const char *text)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t cols = 0;

		assert_non_null(nl);
		for (const char *q = p; q < nl; q++)
			cols += ((unsigned char)*q & 0xc0) != 0x80;
		assert_true(cols <= 80);
		p = nl + 1;
	}
}

static void test_format_names_everything(void **state)
{
	wt_devreq r = file_req("/out/cache/x.o", WT_RIGHT_CREATE);
	char *q;

	r.host_path = "/home/me/proj/out/cache/x.o";
	q = wt_prompt_format("build.wasm", "build.manifest.yaml", &r,
			     "  - {path: /out/cache/x.o, allow: [create]}");
	assert_non_null(q);
	assert_non_null(strstr(q, "build.wasm wants to create /out/cache/x.o (path_open), which "
				  "build.manifest.yaml\n  does not grant.\n"));
	assert_non_null(strstr(q, "  host path: /home/me/proj/out/cache/x.o\n"));
	assert_non_null(strstr(
	    q, "  the line that grants it:\n    - {path: /out/cache/x.o, allow: [create]}\n"));
	assert_lines_fit(q);
	assert_lines_fit(wt_prompt_choices(1));
	assert_non_null(strstr(wt_prompt_choices(1), "[a] allow always"));
	free(q);
}

static void test_format_escapes_and_wraps_hostile_paths(void **state)
{
	char path[600];
	wt_devreq r;
	char *q;

	strcpy(path, "/src/\x1b]0;pwned\x07/\xe2\x80\xaegpj.exe/");
	for (size_t n = strlen(path); n < 500; n++)
		path[n] = 'a' + (char)(n % 26);
	path[500] = '\0';
	r = file_req(path, WT_RIGHT_READ | WT_RIGHT_LIST | WT_RIGHT_STAT);
	r.host_path = "/h/\x1b[2J";
	q = wt_prompt_format("m\x1b.wasm", "x\nm.yaml", &r, NULL);
	assert_non_null(q);
	assert_null(strchr(q, '\x1b'));
	assert_null(strchr(q, '\x07'));
	assert_null(strstr(q, "\xe2\x80\xae"));
	assert_non_null(
	    strstr(q, "m\\x1b.wasm wants to read, list and stat\n  /src/\\x1b]0;pwned\\x07/"));
	assert_non_null(strstr(q, "\\u202egpj.exe"));
	assert_non_null(strstr(q, "x\\x0am.yaml"));
	assert_non_null(strstr(q, "\\x1b[2J"));
	assert_lines_fit(q);
	free(q);
}

static void test_format_other_requests(void **state)
{
	wt_devreq r = {.call = WT_WASI_clock_time_get, .what = "clock realtime"};
	char *q = wt_prompt_format("gen.wasm", "gen.manifest.yaml", &r, "clocks: [... realtime]");

	assert_non_null(q);
	assert_non_null(strstr(q, "gen.wasm wants to use clock realtime (clock_time_get), which"));
	assert_null(strstr(wt_prompt_choices(0), "[a]"));
	assert_lines_fit(wt_prompt_choices(0));
	free(q);
}

static void test_parse_table(void **state)
{
	static const struct {
		const char *line;
		int can_always;
		wt_answer want;
	} rows[] = {
	    {"y", 1, WT_ANSWER_ALLOW_ONCE}, {"a", 1, WT_ANSWER_ALLOW_ALWAYS},
	    {"a", 0, WT_ANSWER_NONE},	    {"n", 1, WT_ANSWER_DENY},
	    {"h", 1, WT_ANSWER_HIDE},	    {"d", 1, WT_ANSWER_DENY_ALL},
	    {"s", 1, WT_ANSWER_STOP},	    {"Y", 1, WT_ANSWER_ALLOW_ONCE},
	    {"yes", 1, WT_ANSWER_NONE},	    {"", 1, WT_ANSWER_NONE},
	    {" y", 1, WT_ANSWER_NONE},	    {"q", 1, WT_ANSWER_NONE},
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(
		    wt_prompt_parse(rows[i].line, strlen(rows[i].line), rows[i].can_always),
		    rows[i].want);
	assert_int_equal(wt_prompt_parse("\0", 1, 1), WT_ANSWER_NONE);
}

static void test_verdicts(void **state)
{
	assert_int_equal(wt_prompt_verdict(WT_ANSWER_ALLOW_ONCE), WT_ALLOW);
	assert_int_equal(wt_prompt_verdict(WT_ANSWER_ALLOW_ALWAYS), WT_ALLOW);
	assert_int_equal(wt_prompt_verdict(WT_ANSWER_DENY), WT_DENY);
	assert_int_equal(wt_prompt_verdict(WT_ANSWER_DENY_ALL), WT_DENY);
	assert_int_equal(wt_prompt_verdict(WT_ANSWER_HIDE), WT_HIDE);
	assert_int_equal(wt_prompt_verdict(WT_ANSWER_STOP), WT_STOP);
	assert_int_equal(wt_prompt_verdict(WT_ANSWER_NONE), WT_STOP);
	assert_string_equal(wt_prompt_answer_name(WT_ANSWER_DENY_ALL), "deny-all");
}

/* ---- through a pseudo-terminal ---- */

typedef struct pty {
	int master, slave;
} pty;

static void pty_open(pty *t)
{
	t->master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(t->master >= 0);
	assert_int_equal(grantpt(t->master), 0);
	assert_int_equal(unlockpt(t->master), 0);
	t->slave = open(ptsname(t->master), O_RDWR | O_NOCTTY);
	assert_true(t->slave >= 0);
}

static void pty_close(pty *t)
{
	close(t->slave);
	close(t->master);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Bytes waiting in the terminal's input queue (what the prompt could read). */
static int pending(int slave)
{
	int n = -1;

	assert_int_equal(ioctl(slave, FIONREAD, &n), 0);
	return n;
}

static void wait_pending(int slave, int nonzero)
{
	for (int i = 0; i < 5000 && (pending(slave) > 0) != nonzero; i++)
		sleep_ms(1);
	assert_int_equal(pending(slave) > 0, nonzero);
}

/* Reads what the prompt wrote until marker shows up; the text read so far goes into buf. */
static void read_until(int master, const char *marker, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	while (!strstr(buf, marker)) {
		struct pollfd pf = {.fd = master, .events = POLLIN};
		ssize_t k;

		assert_true(poll(&pf, 1, 5000) == 1);
		k = read(master, buf + n, size - 1 - n);
		assert_true(k > 0);
		n += (size_t)k;
		buf[n] = '\0';
		assert_true(n < size - 1);
	}
}

static void type(int master, const char *s)
{
	assert_int_equal(write(master, s, strlen(s)), (ssize_t)strlen(s));
}

typedef struct asking {
	wt_prompt *p;
	wt_devreq req;
	const char *fix;
	wt_answer answer;
	int repeat;
} asking;

static void *ask_thread(void *arg)
{
	asking *a = arg;

	a->answer = wt_prompt_ask(a->p, &a->req, a->fix, &a->repeat);
	return NULL;
}

static wt_prompt *prompt_on(pty *t)
{
	wt_prompt *p;

	pty_open(t);
	p = wt_prompt_new_fd(t->slave, "build.wasm", "build.manifest.yaml");
	assert_non_null(p);
	return p;
}

static void test_prompt_drops_typed_ahead_input(void **state)
{
	pty t;
	asking a = {.req = file_req("/out/cache/x.o", WT_RIGHT_CREATE)};
	pthread_t th;
	char out[4096];

	alarm(GUARD_SECONDS);
	a.p = prompt_on(&t);
	type(t.master, "y\n"); /* typed before the question appears */
	wait_pending(t.slave, 1);
	assert_int_equal(pthread_create(&th, NULL, ask_thread, &a), 0);
	read_until(t.master, "> ", out, sizeof out);
	assert_non_null(strstr(out, "build.wasm wants to create /out/cache/x.o (path_open)"));
	assert_non_null(strstr(out, "[s] stop the run"));
	assert_int_equal(pending(t.slave), 0); /* the "y" is gone */
	type(t.master, "n\n");
	pthread_join(th, NULL);
	assert_int_equal(a.answer, WT_ANSWER_DENY);
	assert_int_equal(a.repeat, 0);
	wt_prompt_free(a.p);
	pty_close(&t);
	alarm(0);
}

/* Before the question: the reset of every mode a module could hide text with, then a fresh
 * line at the bottom of the screen; the question follows it. */
static void test_prompt_resets_the_terminal_first(void **state)
{
	static const char *const parts[] = {
	    "\x1b\\",	 "\x0f",    "\x1b(B",	"\x1b[0m",     "\x1b]104", "\x1b]110", "\x1b]111",
	    "\x1b[?25h", "\x1b[4l", "\x1b[?7h", "\x1b[?1049l", "\x1b[?6l", "\x1b[r"};
	pty t;
	asking a = {.req = file_req("/src/a", WT_RIGHT_READ)};
	pthread_t th;
	char out[4096], *q;

	alarm(GUARD_SECONDS);
	unsetenv("TERM");
	a.p = prompt_on(&t);
	assert_int_equal(pthread_create(&th, NULL, ask_thread, &a), 0);
	read_until(t.master, "> ", out, sizeof out);
	assert_int_equal(out[0], '\x18'); /* CAN first: a sequence left open ends there */
	q = strstr(out, "build.wasm wants to read /src/a");
	assert_non_null(q);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		char *at = strstr(out, parts[i]);
		assert_true(at && at < q);
	}
	assert_non_null(strstr(out, "\x1b[999;1H\r\nbuild.wasm wants to read /src/a"));
	type(t.master, "n\n");
	pthread_join(th, NULL);
	assert_int_equal(a.answer, WT_ANSWER_DENY);
	setenv("TERM", "dumb", 1); /* a terminal without modes: a fresh line only */
	a.req = file_req("/src/b", WT_RIGHT_READ);
	assert_int_equal(pthread_create(&th, NULL, ask_thread, &a), 0);
	read_until(t.master, "> ", out, sizeof out);
	assert_null(strchr(out, '\x1b'));
	assert_non_null(strstr(out, "\r\nbuild.wasm wants to read /src/b"));
	type(t.master, "n\n");
	pthread_join(th, NULL);
	unsetenv("TERM");
	wt_prompt_free(a.p);
	pty_close(&t);
	alarm(0);
}

typedef struct choosing {
	wt_prompt *p;
	int key;
} choosing;

static void *choose_thread(void *arg)
{
	choosing *c = arg;

	c->key = wt_prompt_choose(c->p, "[a] apply  [d] discard\n", "ad", "Apply changes to %s?\n",
				  "/out/\x1b[8m");
	return NULL;
}

/* The other questions (apply, update, re-record) are asked the same way: a line typed before
 * the question is dropped, and the question is shown after the reset. */
static void test_prompt_choose_drops_typed_ahead_input(void **state)
{
	pty t;
	choosing c = {0};
	pthread_t th;
	char out[4096];

	alarm(GUARD_SECONDS);
	c.p = prompt_on(&t);
	type(t.master, "a\n"); /* "type a + Enter", asked for by the module before the question */
	wait_pending(t.slave, 1);
	assert_int_equal(pthread_create(&th, NULL, choose_thread, &c), 0);
	read_until(t.master, "> ", out, sizeof out);
	assert_non_null(strstr(out, "\x1b[0m"));
	assert_non_null(strstr(out, "Apply changes to /out/\\x1b[8m?\r\n[a] apply  [d] discard"));
	assert_int_equal(pending(t.slave), 0); /* the "a" is gone */
	type(t.master, "d\n");
	pthread_join(th, NULL);
	assert_int_equal(c.key, 'd');
	wt_prompt_free(c.p);
	pty_close(&t);
	alarm(0);
}

/* A key without Enter is not an answer; a wrong line asks again. */
static void test_prompt_needs_key_and_enter(void **state)
{
	pty t;
	asking a = {.req = file_req("/src/a", WT_RIGHT_READ)};
	pthread_t th;
	struct termios raw, after;
	char out[4096];

	alarm(GUARD_SECONDS);
	a.p = prompt_on(&t);
	tcgetattr(t.slave, &raw);
	cfmakeraw(&raw); /* the prompt must not read byte by byte even from a raw terminal */
	tcsetattr(t.slave, TCSANOW, &raw);
	assert_int_equal(pthread_create(&th, NULL, ask_thread, &a), 0);
	read_until(t.master, "> ", out, sizeof out);
	type(t.master, "y");
	sleep_ms(50);
	type(t.master, "es\n"); /* the line is "yes": not one key */
	read_until(t.master, "Please type one key", out, sizeof out);
	type(t.master, "h\n");
	pthread_join(th, NULL);
	assert_int_equal(a.answer, WT_ANSWER_HIDE);
	tcgetattr(t.slave, &after);
	assert_int_equal(after.c_lflag & (ICANON | ECHO), 0); /* restored to raw */
	wt_prompt_free(a.p);
	pty_close(&t);
	alarm(0);
}

static wt_answer converse(pty *t, asking *a, const char *answer)
{
	pthread_t th;
	char out[4096];

	a->repeat = -1;
	assert_int_equal(pthread_create(&th, NULL, ask_thread, a), 0);
	read_until(t->master, "> ", out, sizeof out);
	type(t->master, answer);
	pthread_join(th, NULL);
	return a->answer;
}

/* Nothing was written to the terminal (the answer came from the memo). */
static void assert_silent(pty *t)
{
	struct pollfd pf = {.fd = t->master, .events = POLLIN};

	assert_int_equal(poll(&pf, 1, 50), 0);
}

static void test_prompt_asks_once_per_request(void **state)
{
	pty t;
	asking a = {.req = file_req("/out/x.o", WT_RIGHT_CREATE)};
	wt_devreq same = file_req("/out/x.o", WT_RIGHT_CREATE), other = same;
	char out[4096];
	int repeat = -1;

	alarm(GUARD_SECONDS);
	a.p = prompt_on(&t);
	assert_int_equal(converse(&t, &a, "a\n"), WT_ANSWER_ALLOW_ALWAYS);
	assert_int_equal(a.repeat, 0);
	read_until(t.master, "\n", out, sizeof out); /* the echo of the answer */
	same.call = WT_WASI_path_filestat_get;	     /* same class, path and rights */
	assert_int_equal(wt_prompt_ask(a.p, &same, NULL, &repeat), WT_ANSWER_ALLOW_ALWAYS);
	assert_int_equal(repeat, 1);
	assert_silent(&t);
	other.rights = WT_RIGHT_WRITE; /* other rights: a new question */
	a.req = other;
	assert_int_equal(converse(&t, &a, "y\n"), WT_ANSWER_ALLOW_ONCE);
	assert_int_equal(a.repeat, 0);
	wt_prompt_free(a.p);
	pty_close(&t);
	alarm(0);
}

static void test_prompt_deny_all_and_stop_stick(void **state)
{
	static const struct {
		const char *key;
		wt_answer want;
	} rows[] = {{"d\n", WT_ANSWER_DENY_ALL}, {"s\n", WT_ANSWER_STOP}};

	alarm(GUARD_SECONDS);
	for (size_t i = 0; i < 2; i++) {
		pty t;
		asking a = {.req = file_req("/etc/passwd", WT_RIGHT_READ)};
		wt_devreq later = file_req("/home/u/.ssh/id_rsa", WT_RIGHT_READ);
		int repeat = 0;
		char out[4096];

		a.p = prompt_on(&t);
		assert_int_equal(converse(&t, &a, rows[i].key), rows[i].want);
		read_until(t.master, "\n", out, sizeof out);
		assert_int_equal(wt_prompt_ask(a.p, &later, NULL, &repeat), rows[i].want);
		assert_int_equal(repeat, 1);
		assert_silent(&t);
		wt_prompt_free(a.p);
		pty_close(&t);
	}
	alarm(0);
}

/* The terminal goes away (hang up): no answer, and never a wait. */
static void test_prompt_eof_is_no_answer(void **state)
{
	pty t;
	asking a = {.req = file_req("/x", WT_RIGHT_READ)};
	pthread_t th;
	char out[4096];
	int repeat;

	alarm(GUARD_SECONDS);
	a.p = prompt_on(&t);
	assert_int_equal(pthread_create(&th, NULL, ask_thread, &a), 0);
	read_until(t.master, "> ", out, sizeof out);
	type(t.master, "\x04"); /* ^D on an empty line: end of input */
	pthread_join(th, NULL);
	assert_int_equal(a.answer, WT_ANSWER_NONE);
	assert_int_equal(wt_prompt_verdict(a.answer), WT_STOP);
	assert_int_equal(wt_prompt_ask(a.p, &a.req, NULL, &repeat), WT_ANSWER_STOP);
	wt_prompt_free(a.p);
	pty_close(&t);
	alarm(0);
}

/* ---- no terminal ---- */

static void test_prompt_ci_env_means_no_prompt(void **state)
{
	wt_devreq r = file_req("/x", WT_RIGHT_READ);
	int repeat = 0;

	alarm(GUARD_SECONDS);
	setenv("CI", "true", 1);
	assert_null(wt_prompt_open("m.wasm", "m.manifest.yaml"));
	assert_int_equal(wt_prompt_is_default(), 0);
	assert_int_equal(wt_prompt_ask(NULL, &r, NULL, &repeat), WT_ANSWER_NONE);
	assert_int_equal(repeat, 1);
	unsetenv("CI");
	alarm(0);
}

/* Runs body in a child in a new session (so /dev/tty is its own business)
 * and returns its exit status; the guard kills a child that waits. */
static int in_new_session(int (*body)(int arg), int arg)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(5);
		if (setsid() < 0)
			_exit(90);
		_exit(body(arg));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int no_tty_body(int arg)
{
	wt_devreq r = file_req("/x", WT_RIGHT_READ);
	wt_prompt *p;

	unsetenv("CI");
	if ((p = wt_prompt_open("m.wasm", "m.yaml")))
		return 1;
	return wt_prompt_ask(p, &r, NULL, NULL) == WT_ANSWER_NONE ? 0 : 2;
}

static void test_prompt_without_terminal_fails_at_once(void **state)
{
	assert_int_equal(in_new_session(no_tty_body, 0), 0);
}

/* With a controlling terminal (a pty slave opened by a session leader),
 * wt_prompt_open asks on /dev/tty. */
static int ctty_body(int slave_name_fd)
{
	char name[128];
	ssize_t n = read(slave_name_fd, name, sizeof name - 1);
	wt_devreq r = file_req("/out/y", WT_RIGHT_WRITE);
	wt_prompt *p;
	int fd;

	if (n <= 0)
		return 3;
	name[n] = '\0';
	unsetenv("CI");
	if ((fd = open(name, O_RDWR)) < 0) /* becomes the controlling terminal */
		return 4;
	if (!(p = wt_prompt_open("m.wasm", "m.yaml")))
		return 5;
	n = wt_prompt_ask(p, &r, NULL, NULL);
	wt_prompt_free(p);
	return n == WT_ANSWER_DENY ? 0 : 6;
}

static void test_prompt_open_uses_controlling_terminal(void **state)
{
	pty t;
	int pipefd[2], status;
	pid_t pid;
	char out[4096];

	alarm(GUARD_SECONDS);
	pty_open(&t);
	assert_int_equal(pipe(pipefd), 0);
	assert_true((size_t)write(pipefd[1], ptsname(t.master), strlen(ptsname(t.master))) > 0);
	close(pipefd[1]);
	pid = fork(); /* the parent keeps the slave open (O_NOCTTY) so the master reads no EIO */
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(10);
		close(t.master);
		close(t.slave);
		if (setsid() < 0)
			_exit(90);
		_exit(ctty_body(pipefd[0]));
	}
	close(pipefd[0]);
	read_until(t.master, "> ", out, sizeof out);
	assert_non_null(strstr(out, "m.wasm wants to write /out/y (path_open)"));
	type(t.master, "n\n");
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	pty_close(&t);
	alarm(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape_table),
	    cmocka_unit_test(test_escape_truncates_whole_escapes),
	    cmocka_unit_test(test_escape_output_is_inert),
	    cmocka_unit_test(test_escape_fprintf_escapes_arguments_only),
	    cmocka_unit_test(test_format_names_everything),
	    cmocka_unit_test(test_format_escapes_and_wraps_hostile_paths),
	    cmocka_unit_test(test_format_other_requests),
	    cmocka_unit_test(test_parse_table),
	    cmocka_unit_test(test_verdicts),
	    cmocka_unit_test(test_prompt_drops_typed_ahead_input),
	    cmocka_unit_test(test_prompt_resets_the_terminal_first),
	    cmocka_unit_test(test_prompt_choose_drops_typed_ahead_input),
	    cmocka_unit_test(test_prompt_needs_key_and_enter),
	    cmocka_unit_test(test_prompt_asks_once_per_request),
	    cmocka_unit_test(test_prompt_deny_all_and_stop_stick),
	    cmocka_unit_test(test_prompt_eof_is_no_answer),
	    cmocka_unit_test(test_prompt_ci_env_means_no_prompt),
	    cmocka_unit_test(test_prompt_without_terminal_fails_at_once),
	    cmocka_unit_test(test_prompt_open_uses_controlling_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
