/* test_library.c: libwasi-tofu through its public header only, linked to the shared library:
 * the run's outcomes (exit, trap, fuel, a missing module), the argument checks, a manifest
 * enforced (fail stops with 77 and lists the call, deny goes on), from a file and from text,
 * a module from memory, its sha256 (file and memory), the sha256 pin, escaping, a policy callback
 * (allow, deny, hide, stop), the deviations asked of the host, record mode (its journal generated
 * by the CLI, the manifest enforced again through the library), the manifest's own settings and a
 * ceiling, project mode (trusted, changed, new, outside, over its ceiling, replaced after the
 * check), stdout and stderr to a callback, and two runs in two threads at once. WT_CLI is the
 * wasi-tofu binary. WT_FIXTURES is the built fixtures' folder. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <wasi-tofu/wasi-tofu.h>

static char scratch[] = "/tmp/wt-library.XXXXXX";

static wasi_tofu_run *fixture(const char *name)
{
	char path[512];
	wasi_tofu_run *r;

	snprintf(path, sizeof path, "%s/%s", WT_FIXTURES, name);
	r = wasi_tofu_run_new(path);
	assert_non_null(r);
	return r;
}

static void write_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", scratch, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void version(void **state)
{
	assert_string_equal(wasi_tofu_version(), WASI_TOFU_VERSION);
	assert_int_equal(WASI_TOFU_VERSION_NUMBER, WASI_TOFU_VERSION_MAJOR * 10000 +
						       WASI_TOFU_VERSION_MINOR * 100 +
						       WASI_TOFU_VERSION_PATCH);
}

static void bad_arguments(void **state)
{
	wasi_tofu_run *r = fixture("exit_code.wasm");

	assert_null(wasi_tofu_run_new(NULL));
	assert_int_equal(wasi_tofu_run_mount(r, ".", "relative", 1), WASI_TOFU_EUSAGE);
	assert_int_equal(wasi_tofu_run_env(r, "A=B", "c"), WASI_TOFU_EUSAGE);
	assert_int_equal(wasi_tofu_run_env(r, "", "c"), WASI_TOFU_EUSAGE);
	assert_int_equal(wasi_tofu_run_cwd(r, "x"), WASI_TOFU_EUSAGE);
	assert_int_equal(wasi_tofu_run_arg(r, NULL), WASI_TOFU_EUSAGE);
	assert_int_equal(wasi_tofu_run_manifest(r, "/nonexistent/m.yaml", WASI_TOFU_FAIL),
			 WASI_TOFU_ENOINPUT);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_NOT_RUN);
	/* the failed calls left the run as it was: it still runs */
	assert_int_equal(wasi_tofu_run_exec(r), 7);
	wasi_tofu_run_free(r);
	wasi_tofu_run_free(NULL);
}

static void exits_with_its_code(void **state)
{
	wasi_tofu_run *r = fixture("exit_code.wasm");

	assert_int_equal(wasi_tofu_run_exec(r), 7);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_EXITED);
	assert_int_equal(wasi_tofu_run_exit_code(r), 7);
	assert_string_equal(wasi_tofu_run_message(r), "");
	assert_null(wasi_tofu_run_report(r));	    /* no manifest, no report */
	assert_int_equal(wasi_tofu_run_exec(r), 7); /* again: a new run */
	wasi_tofu_run_free(r);
}

static void traps(void **state)
{
	wasi_tofu_run *r = fixture("cli_divzero.wasm");

	assert_int_equal(wasi_tofu_run_exec(r), 134);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_TRAPPED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "integer divide by zero"));
	wasi_tofu_run_free(r);
	r = fixture("cli_loop.wasm");
	wasi_tofu_run_limits(r, 100000, 0, 0);
	assert_int_equal(wasi_tofu_run_exec(r), 134);
	assert_non_null(strstr(wasi_tofu_run_message(r), "fuel exhausted"));
	wasi_tofu_run_free(r);
}

static void missing_module(void **state)
{
	wasi_tofu_run *r = fixture("no-such-module.wasm");

	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_ENOINPUT);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_FAILED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "no-such-module.wasm"));
	wasi_tofu_run_free(r);
}

/* demo.wasm with ./src read-only at /src and ./out at /out, under MANIFEST. */
static wasi_tofu_run *demo(const char *manifest, wasi_tofu_on_deviation mode, int *status)
{
	wasi_tofu_run *r = fixture("demo.wasm");
	char src[512], out[512], path[512];

	snprintf(src, sizeof src, "%s/src", scratch);
	snprintf(out, sizeof out, "%s/out", scratch);
	snprintf(path, sizeof path, "%s/%s", scratch, manifest);
	assert_int_equal(wasi_tofu_run_mount(r, src, "/src", 1), 0);
	assert_int_equal(wasi_tofu_run_mount(r, out, "/out", 0), 0);
	assert_int_equal(wasi_tofu_run_arg(r, "/src"), 0);
	assert_int_equal(wasi_tofu_run_arg(r, "/out"), 0);
	assert_int_equal(wasi_tofu_run_manifest(r, path, mode), 0);
	*status = wasi_tofu_run_exec(r);
	return r;
}

/* The run's report: the deviations report v2 (fits docs/schemas when node is here) holding
 * the path_open of demo.wasm and the texts A and B. */
static void check_report(const wasi_tofu_run *r, const char *a, const char *b)
{
	const char *report = wasi_tofu_run_report(r);
	char path[512], cmd[2048];

	assert_non_null(report);
	assert_non_null(strstr(report, "\"format\": \"wasi-tofu-deviations\""));
	assert_non_null(strstr(report, "\"version\": 2"));
	assert_non_null(strstr(report, "\"call\": \"path_open\""));
	assert_non_null(strstr(report, "\"module\": \"demo.wasm\""));
	assert_non_null(strstr(report, a));
	assert_non_null(strstr(report, b));
	if (!WT_NODE[0])
		return;
	snprintf(path, sizeof path, "%s/report.json", scratch);
	write_file("report.json", report);
	snprintf(cmd, sizeof cmd,
		 "'%s' '%s/tests/e2e/json_schema.mjs' "
		 "'%s/docs/schemas/deviations-report.v2.schema.json' '%s'",
		 WT_NODE, WT_SOURCE, WT_SOURCE, path);
	assert_int_equal(system(cmd), 0);
}

static void manifest_fail_stops(void **state)
{
	int status;
	wasi_tofu_run *r = demo("none.yaml", WASI_TOFU_FAIL, &status);

	assert_int_equal(status, WASI_TOFU_EDEVIATION);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_STOPPED);
	assert_int_equal(wasi_tofu_run_deviation_count(r), 1);
	assert_string_equal(wasi_tofu_deviation_call(r, 0), "path_open");
	assert_non_null(strstr(wasi_tofu_deviation_path(r, 0), "/src/"));
	assert_non_null(wasi_tofu_deviation_fix(r, 0));
	assert_int_equal(wasi_tofu_deviation_count(r, 0), 1);
	assert_null(wasi_tofu_deviation_call(r, 1));
	check_report(r, "\"reason\": \"stopped\"", "\"status\": 77");
	wasi_tofu_run_free(r);
}

static void manifest_deny_goes_on(void **state)
{
	int status;
	wasi_tofu_run *r = demo("none.yaml", WASI_TOFU_DENY, &status);

	/* the read is refused, the module goes on and ends by itself */
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_EXITED);
	assert_int_equal(wasi_tofu_run_deviation_count(r), 1);
	assert_string_equal(wasi_tofu_deviation_call(r, 0), "path_open");
	assert_int_equal(status, (int)wasi_tofu_run_exit_code(r));
	check_report(r, "\"reason\": \"exited\"", "\"verdict\": \"deny\"");
	wasi_tofu_run_free(r);
}

static void manifest_pin(void **state)
{
	int status;
	wasi_tofu_run *r = demo("pinned.yaml", WASI_TOFU_DENY, &status);

	assert_int_equal(status, WASI_TOFU_EDEVIATION);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_STOPPED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "the module changed"));
	wasi_tofu_run_free(r);
}

static void from_memory(void **state)
{
	char path[512];
	static unsigned char bytes[1 << 16];
	size_t n;
	FILE *f;
	wasi_tofu_run *r;

	snprintf(path, sizeof path, "%s/exit_code.wasm", WT_FIXTURES);
	assert_non_null(f = fopen(path, "rb"));
	n = fread(bytes, 1, sizeof bytes, f);
	fclose(f);
	assert_non_null(r = wasi_tofu_run_new_memory(bytes, n, "exit.wasm"));
	memset(bytes, 0, sizeof bytes); /* the run has its own copy */
	assert_int_equal(wasi_tofu_run_exec(r), 7);
	wasi_tofu_run_free(r);
	assert_non_null(r = wasi_tofu_run_new_memory("\0asm\x02\0\0\0", 8, NULL));
	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_EMALFORMED);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_FAILED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "module.wasm"));
	wasi_tofu_run_free(r);
	assert_null(wasi_tofu_run_new_memory(NULL, 0, "x"));
}

static void manifest_from_text(void **state)
{
	static const char none[] = "version: 1\nstdio: [stdout, stderr]\nexit_codes: [0]\n";
	static const char bad[] = "version: 1\nfiles: 3\n";
	wasi_tofu_run *r = fixture("exit_code.wasm");

	assert_int_equal(
	    wasi_tofu_run_manifest_text(r, bad, strlen(bad), "ci.yaml", WASI_TOFU_FAIL),
	    WASI_TOFU_EMALFORMED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "ci.yaml:2:"));
	assert_int_equal(
	    wasi_tofu_run_manifest_text(r, none, strlen(none), "ci.yaml", WASI_TOFU_FAIL), 0);
	/* exit codes are for reviewers, not enforced: the module's own 7, no deviation */
	assert_int_equal(wasi_tofu_run_exec(r), 7);
	assert_int_equal(wasi_tofu_run_deviation_count(r), 0);
	wasi_tofu_run_free(r);
}

static void escapes(void **state)
{
	char out[64];

	assert_int_equal(wasi_tofu_escape("a\x1b[2Jb\\", out, sizeof out),
			 strlen("a\\x1b[2Jb\\\\"));
	assert_string_equal(out, "a\\x1b[2Jb\\\\");
	assert_int_equal(wasi_tofu_escape("\x1b", out, 3), 4); /* never cut inside an escape */
	assert_string_equal(out, "");
}

/* rawwasi.wasm with no mount, ARGS its operations, stdout into scratch/NAME. */
static wasi_tofu_run *rawwasi_bare(const char *const *args, const char *name)
{
	wasi_tofu_run *r = fixture("rawwasi.wasm");
	char path[512];
	int fd;

	snprintf(path, sizeof path, "%s/%s", scratch, name);
	for (; *args; args++)
		assert_int_equal(wasi_tofu_run_arg(r, *args), 0);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0);
	wasi_tofu_run_stdio(r, 0, fd, 2);
	return r;
}

/* The whole of the file NAME in scratch, in a static buffer. */
static const char *slurp(const char *name)
{
	static char buf[8192];
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", scratch, name);
	assert_non_null(f = fopen(path, "rb"));
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* rawwasi.wasm with scratch/tree at /work (read-write), ARGS its operations, stdout into
 * scratch/NAME. */
static wasi_tofu_run *rawwasi(const char *const *args, const char *name)
{
	wasi_tofu_run *r = rawwasi_bare(args, name);
	char tree[512];

	snprintf(tree, sizeof tree, "%s/tree", scratch);
	assert_int_equal(wasi_tofu_run_mount(r, tree, "/work", 0), 0);
	return r;
}

/* The manifest's own mounts (relative to its folder), cwd, env filter and override file, as
 * `run --manifest` takes them; then a ceiling the override exceeds. */
static void manifest_settings(void **state)
{
	static const char *const ops[] = {"read",   "a.txt",
					  "read",   "/work/denied.txt",
					  "read",   "/work/hidden.txt",
					  "getenv", "KEEP",
					  "getenv", "DROP",
					  NULL};
	char manifest[512], ceiling[512];
	wasi_tofu_run *r = rawwasi_bare(ops, "settings.out");
	const char *out;

	snprintf(manifest, sizeof manifest, "%s/step.yaml", scratch);
	snprintf(ceiling, sizeof ceiling, "%s/ceiling.yaml", scratch);
	assert_int_equal(wasi_tofu_run_env(r, "KEEP", "1"), 0);
	assert_int_equal(wasi_tofu_run_env(r, "DROP", "2"), 0);
	assert_int_equal(wasi_tofu_run_manifest_use(r, WASI_TOFU_USE_ALL), WASI_TOFU_EUSAGE);
	assert_int_equal(wasi_tofu_run_manifest(r, manifest, WASI_TOFU_DENY), 0);
	/* none of the settings: no mount (no preopen), so nothing to read */
	assert_int_equal(wasi_tofu_run_exec(r), 0);
	assert_non_null(strstr(slurp("settings.out"), "read a.txt => EBADF\n"));
	assert_int_equal(wasi_tofu_run_manifest_use(r, WASI_TOFU_USE_ALL), 0);
	assert_int_equal(wasi_tofu_run_exec(r), 0);
	out = slurp("settings.out");
	assert_non_null(strstr(out, "read a.txt => ok A\n"));		 /* mount, cwd */
	assert_non_null(strstr(out, "read /work/denied.txt => ok D\n")); /* override */
	assert_non_null(strstr(out, "read /work/hidden.txt => ENOTCAPABLE\n"));
	assert_non_null(strstr(out, "getenv KEEP => ok\n"));
	assert_non_null(strstr(out, "getenv DROP => ENOENT\n"));
	assert_int_equal(wasi_tofu_run_deviation_count(r), 1);
	assert_string_equal(wasi_tofu_deviation_path(r, 0), "/work/hidden.txt");

	assert_int_equal(wasi_tofu_run_ceiling(r, ceiling), 0);
	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_EDEVIATION);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_STOPPED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "/work/denied.txt"));
	assert_int_equal(wasi_tofu_run_ceiling(r, NULL), 0);
	assert_int_equal(wasi_tofu_run_exec(r), 0);
	/* a manifest from text has no override file */
	assert_int_equal(
	    wasi_tofu_run_manifest_text(r, "version: 1\n", 11, "t.yaml", WASI_TOFU_DENY), 0);
	assert_int_equal(wasi_tofu_run_manifest_use(r, WASI_TOFU_USE_OVERRIDE), WASI_TOFU_EUSAGE);
	assert_int_equal(wasi_tofu_run_manifest_use(r, WASI_TOFU_USE_ENV), 0);
	wasi_tofu_run_free(r);
}

/* The module's stdout and stderr, as the output callback got them. */
typedef struct outputs {
	char text[2][512];
	size_t len[2];
	int refuse_stderr;
} outputs;

static int collect(int stream, const void *bytes, size_t size, void *userdata)
{
	outputs *o = userdata;
	int i = stream == WASI_TOFU_STDERR;

	if (i && o->refuse_stderr)
		return 1;
	assert_true(stream == WASI_TOFU_STDOUT || stream == WASI_TOFU_STDERR);
	assert_true(o->len[i] + size < sizeof o->text[i]);
	memcpy(o->text[i] + o->len[i], bytes, size);
	o->len[i] += size;
	return 0;
}

static void output_callback(void **state)
{
	static const char *const ops[] = {"read", "/work/a.txt", "fdwrite", "2", "oops", NULL};
	outputs o = {0};
	wasi_tofu_run *r = rawwasi(ops, "output.out");

	wasi_tofu_run_output(r, collect, &o);
	assert_int_equal(wasi_tofu_run_exec(r), 0);
	assert_string_equal(o.text[0], "read /work/a.txt => ok A\nfdwrite 2 oops => ok\n");
	assert_string_equal(o.text[1], "oops");
	assert_string_equal(slurp("output.out"), ""); /* not the fd */
	/* a callback that refuses: the module's write fails */
	memset(&o, 0, sizeof o);
	o.refuse_stderr = 1;
	assert_int_equal(wasi_tofu_run_exec(r), 0);
	assert_string_equal(o.text[0], "read /work/a.txt => ok A\nfdwrite 2 oops => EIO\n");
	/* NULL: the fd again */
	wasi_tofu_run_output(r, NULL, NULL);
	assert_int_equal(wasi_tofu_run_exec(r), 0);
	assert_non_null(strstr(slurp("output.out"), "read /work/a.txt => ok A\n"));
	wasi_tofu_run_free(r);
}

/* What the policy callback saw of the path calls. */
typedef struct seen {
	int opens, stops;
	char last_path[256];
	uint32_t last_rights;
	wasi_tofu_class last_kind;
} seen;

/* Denies /work/denied.txt and the writes to /work/new.txt, hides /work/hidden.txt, stops at
 * /work/stop.txt; allows the rest. */
static wasi_tofu_verdict judge(const wasi_tofu_event *ev, void *userdata)
{
	seen *s = userdata;

	if (!ev->path) /* writes to new.txt: refused, though opening it was not */
		return strcmp(ev->call, "fd_write") == 0 && ev->fd_path &&
			       strcmp(ev->fd_path, "/work/new.txt") == 0
			   ? WASI_TOFU_VERDICT_DENY
			   : WASI_TOFU_VERDICT_ALLOW;
	if (strcmp(ev->call, "path_open") == 0)
		s->opens++;
	snprintf(s->last_path, sizeof s->last_path, "%s", ev->path);
	s->last_rights = ev->rights;
	s->last_kind = ev->kind;
	if (strcmp(ev->path, "/work/denied.txt") == 0)
		return WASI_TOFU_VERDICT_DENY;
	if (strcmp(ev->path, "/work/hidden.txt") == 0)
		return WASI_TOFU_VERDICT_HIDE;
	if (strcmp(ev->path, "/work/stop.txt") == 0)
		return s->stops++, WASI_TOFU_VERDICT_STOP;
	return WASI_TOFU_VERDICT_ALLOW;
}

/* The questions a manifest's deviations put to the host. */
typedef struct asked {
	int n;
	char paths[8][64];
	int with_fix, read_rights;
} asked;

static wasi_tofu_verdict answer(const wasi_tofu_question *q, void *userdata)
{
	asked *a = userdata;
	const char *p = q->path ? q->path : "";

	if (a->n < 8)
		snprintf(a->paths[a->n], sizeof a->paths[0], "%s", p);
	a->n++;
	a->with_fix += q->fix != NULL;
	a->read_rights += (q->rights & WASI_TOFU_RIGHT_READ) != 0;
	if (strcmp(p, "/work/denied.txt") == 0)
		return WASI_TOFU_VERDICT_DENY;
	if (strcmp(p, "/work/hidden.txt") == 0)
		return WASI_TOFU_VERDICT_HIDE;
	if (strcmp(p, "/work/stop.txt") == 0)
		return WASI_TOFU_VERDICT_STOP;
	return WASI_TOFU_VERDICT_ALLOW;
}

/* wasi_tofu_run_ask: the host answers each deviation, as the CLI's prompt would. */
static void ask_callback(void **state)
{
	static const char manifest[] = "version: 1\nstdio: [stdout]\n";
	static const char *const ops[] = {"read", "/work/a.txt",      "read", "/work/denied.txt",
					  "read", "/work/hidden.txt", "read", "/work/stop.txt",
					  "read", "/work/a.txt",      NULL};
	asked a = {0};
	wasi_tofu_run *r = rawwasi(ops, "ask.out");
	const char *out;

	assert_int_equal(wasi_tofu_run_ask(r, answer, &a), WASI_TOFU_EUSAGE); /* no manifest */
	assert_int_equal(
	    wasi_tofu_run_manifest_text(r, manifest, strlen(manifest), "m.yaml", WASI_TOFU_FAIL),
	    0);
	assert_int_equal(wasi_tofu_run_ask(r, answer, &a), 0);
	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_EDEVIATION);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_STOPPED);
	out = slurp("ask.out");
	assert_non_null(strstr(out, "read /work/a.txt => ok A\n"));
	assert_non_null(strstr(out, "read /work/denied.txt => ENOTCAPABLE\n"));
	assert_non_null(strstr(out, "read /work/hidden.txt => ENOENT\n"));
	assert_null(strstr(out, "read /work/stop.txt => "));
	assert_int_equal(a.n, 4);
	assert_string_equal(a.paths[0], "/work/a.txt");
	assert_string_equal(a.paths[3], "/work/stop.txt");
	assert_int_equal(a.with_fix, 4);
	assert_int_equal(a.read_rights, 4);
	/* the answers are the report's verdicts */
	assert_non_null(strstr(wasi_tofu_run_report(r), "\"verdict\": \"hide\""));
	assert_non_null(strstr(wasi_tofu_run_report(r), "\"verdict\": \"allow-once\""));
	/* NULL: the manifest's mode (fail) again */
	assert_int_equal(wasi_tofu_run_ask(r, NULL, NULL), 0);
	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_EDEVIATION);
	assert_int_equal(wasi_tofu_run_deviation_count(r), 1);
	wasi_tofu_run_free(r);
}

/* What always_answer saw: the last question's override file and host path. */
typedef struct always_seen {
	char always[512], host_path[512];
	int n;
} always_seen;

static wasi_tofu_verdict always_answer(const wasi_tofu_question *q, void *userdata)
{
	always_seen *a = userdata;

	snprintf(a->always, sizeof a->always, "%s", q->always ? q->always : "(null)");
	snprintf(a->host_path, sizeof a->host_path, "%s", q->host_path ? q->host_path : "(null)");
	a->n++;
	return WASI_TOFU_VERDICT_ALLOW_ALWAYS;
}

/* rawwasi.wasm reading /work/a.txt under scratch/NAME.yaml (stdout only), with the manifest's
 * settings USE, every question answered by always_answer into AS (NULL: none asked, the fail
 * mode). */
static wasi_tofu_run *always_run(const char *name, unsigned use, always_seen *as)
{
	static const char *const ops[] = {"read", "/work/a.txt", NULL};
	wasi_tofu_run *r = rawwasi(ops, "always.out");
	char path[512];

	snprintf(path, sizeof path, "%s/%s.yaml", scratch, name);
	assert_int_equal(wasi_tofu_run_manifest(r, path, WASI_TOFU_FAIL), 0);
	assert_int_equal(wasi_tofu_run_manifest_use(r, use), 0);
	if (as)
		assert_int_equal(wasi_tofu_run_ask(r, always_answer, as), 0);
	return r;
}

/* Runs r with its notices to scratch/notices.txt; the status. */
static int exec_noticed(wasi_tofu_run *r)
{
	char path[512];
	int fd, status;

	snprintf(path, sizeof path, "%s/notices.txt", scratch);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0);
	wasi_tofu_run_notices(r, fd);
	status = wasi_tofu_run_exec(r);
	close(fd); /* the run's notices stream was a dup of its own */
	return status;
}

/* WASI_TOFU_VERDICT_ALLOW_ALWAYS: the library writes the grant to the manifest's override file
 * (the question names it), the next run allows the call without asking; without the override
 * file it is allowed once; a grant that cannot be written is allowed once and told on the
 * notices fd. */
static void ask_allow_always(void **state)
{
	always_seen as = {0};
	wasi_tofu_run *r;
	char want[512], path[512];

	write_file("always.yaml", "version: 1\nstdio: [stdout]\n");
	r = always_run("always", WASI_TOFU_USE_OVERRIDE, &as);
	assert_int_equal(exec_noticed(r), 0);
	snprintf(want, sizeof want, "%s/always.override.yaml", scratch);
	assert_int_equal(as.n, 1);
	assert_string_equal(as.always, want);
	assert_non_null(strstr(as.host_path, "/tree/a.txt"));
	assert_non_null(strstr(slurp("always.out"), "read /work/a.txt => ok A\n"));
	assert_non_null(strstr(wasi_tofu_run_report(r), "\"verdict\": \"allow-always\""));
	/* the rule writer's grant: the path is one of the module's arguments */
	assert_non_null(strstr(slurp("always.override.yaml"), "{path: '${arg}', allow: [read]}"));
	assert_string_equal(slurp("notices.txt"), "");
	wasi_tofu_run_free(r);
	/* honoured: the fail mode, nobody asked, no deviation */
	r = always_run("always", WASI_TOFU_USE_OVERRIDE, NULL);
	assert_int_equal(wasi_tofu_run_exec(r), 0);
	assert_int_equal(wasi_tofu_run_deviation_count(r), 0);
	wasi_tofu_run_free(r);

	/* no override file in use: not offered, allowed once, nothing written */
	write_file("once.yaml", "version: 1\nstdio: [stdout]\n");
	memset(&as, 0, sizeof as);
	r = always_run("once", 0, &as);
	assert_int_equal(exec_noticed(r), 0);
	assert_string_equal(as.always, "(null)");
	assert_non_null(strstr(wasi_tofu_run_report(r), "\"verdict\": \"allow-once\""));
	snprintf(path, sizeof path, "%s/once.override.yaml", scratch);
	assert_int_equal(access(path, F_OK), -1);
	wasi_tofu_run_free(r);

	/* the override file cannot be written (a folder stands in its place): allowed once, told */
	write_file("stuck.yaml", "version: 1\nstdio: [stdout]\n");
	r = always_run("stuck", WASI_TOFU_USE_OVERRIDE, &as);
	snprintf(path, sizeof path, "%s/stuck.override.yaml", scratch);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(exec_noticed(r), 0);
	assert_non_null(strstr(wasi_tofu_run_report(r), "\"verdict\": \"allow-once\""));
	assert_non_null(strstr(slurp("notices.txt"), "wasi-tofu: could not add the grant: "));
	assert_non_null(strstr(slurp("notices.txt"), "; allowed this once\n"));
	wasi_tofu_run_free(r);
	rmdir(path);
}

/* WASI_TOFU_WARN, complain mode: the call is made, listed with the verdict "warn". */
static void manifest_warn(void **state)
{
	wasi_tofu_run *r = always_run("once", 0, NULL);
	char path[512];

	snprintf(path, sizeof path, "%s/once.yaml", scratch);
	assert_int_equal(wasi_tofu_run_manifest(r, path, WASI_TOFU_WARN), 0);
	assert_int_equal(wasi_tofu_run_exec(r), 0);
	assert_non_null(strstr(slurp("always.out"), "read /work/a.txt => ok A\n"));
	assert_int_equal(wasi_tofu_run_deviation_count(r), 1);
	assert_non_null(strstr(wasi_tofu_run_report(r), "\"verdict\": \"warn\""));
	assert_int_equal(wasi_tofu_run_manifest(r, path, (wasi_tofu_on_deviation)4),
			 WASI_TOFU_EUSAGE);
	wasi_tofu_run_free(r);
}

static void policy_callback(void **state)
{
	static const char *const ops[] = {"read",
					  "/work/a.txt",
					  "read",
					  "/work/denied.txt",
					  "read",
					  "/work/hidden.txt",
					  "stat",
					  "/work/hidden.txt",
					  "read",
					  "/work/../secret.txt",
					  "read",
					  "/work/up.txt",
					  "write",
					  "/work/new.txt",
					  "hi",
					  "read",
					  "/work/stop.txt",
					  "read",
					  "/work/a.txt",
					  NULL};
	seen s = {0};
	wasi_tofu_run *r = rawwasi(ops, "policy.out");
	const char *out;

	assert_int_equal(wasi_tofu_run_policy(r, judge, &s), 0);
	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_EDEVIATION);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_STOPPED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "/work/stop.txt"));
	out = slurp("policy.out");
	assert_non_null(strstr(out, "read /work/a.txt => ok A\n"));
	assert_non_null(strstr(out, "read /work/denied.txt => ENOTCAPABLE\n"));
	assert_non_null(strstr(out, "read /work/hidden.txt => ENOENT\n"));
	assert_non_null(strstr(out, "stat /work/hidden.txt => ENOENT\n"));
	/* the secret outside the mount: neither through `..` nor through a symlink */
	assert_null(strstr(out, "SECRET"));
	assert_non_null(strstr(out, "read /work/../secret.txt => ENOTCAPABLE\n"));
	assert_non_null(strstr(out, "read /work/up.txt => ENOTCAPABLE\n"));
	assert_non_null(strstr(out, "write /work/new.txt hi => ENOTCAPABLE\n"));
	/* stopped at its path_open: nothing after it ran */
	assert_non_null(strstr(out, "read /work/stop.txt"));
	assert_null(strstr(out, "read /work/stop.txt => "));
	assert_int_equal(s.stops, 1);
	assert_string_equal(s.last_path, "/work/stop.txt");
	assert_int_equal(s.last_kind, WASI_TOFU_CLASS_PATH);
	assert_true(s.last_rights & WASI_TOFU_RIGHT_READ);
	assert_int_equal(wasi_tofu_run_deviation_count(r), 0);
	assert_string_equal(slurp("tree/new.txt"), ""); /* opened, not written */
	/* NULL: permissive again */
	assert_int_equal(wasi_tofu_run_policy(r, NULL, NULL), 0);
	assert_int_equal(wasi_tofu_run_exec(r), 0);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_EXITED);
	out = slurp("policy.out");
	assert_non_null(strstr(out, "read /work/denied.txt => ok D\n"));
	assert_non_null(strstr(out, "read /work/stop.txt => ok S\nread /work/a.txt => ok A\n"));
	assert_string_equal(slurp("tree/new.txt"), "hi");
	wasi_tofu_run_free(r);
}

/* Record, as `wasi-tofu record` would: the CLI's generate takes the journal, and the manifest
 * it makes holds the next run to what was recorded. */
static void record_generate_enforce(void **state)
{
	static const char *const recorded[] = {"read", "/work/a.txt", NULL};
	static const char *const more[] = {"read",	  "/work/a.txt", "write",
					   "/work/a.txt", "B",		 NULL};
	char journal[512], manifest[512], cmd[2048];
	wasi_tofu_run *r = rawwasi(recorded, "record.out");
	const char *out;

	snprintf(journal, sizeof journal, "%s/run.journal", scratch);
	snprintf(manifest, sizeof manifest, "%s/run.yaml", scratch);
	assert_int_equal(wasi_tofu_run_record(r, NULL, 0), WASI_TOFU_EUSAGE);
	assert_int_equal(wasi_tofu_run_record(r, journal, 0), 0);
	assert_int_equal(wasi_tofu_run_exec(r), 0);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_EXITED);
	assert_non_null(strstr(slurp("record.out"), "read /work/a.txt => ok A\n"));
	assert_non_null(strstr(slurp("run.journal"), "\"path_open\""));
	snprintf(cmd, sizeof cmd, "'%s' generate '%s' -o '%s'", WT_CLI, journal, manifest);
	assert_int_equal(system(cmd), 0);
	wasi_tofu_run_free(r);

	r = rawwasi(more, "enforce.out");
	assert_int_equal(wasi_tofu_run_manifest(r, manifest, WASI_TOFU_DENY), 0);
	assert_int_equal(wasi_tofu_run_exec(r), 0);
	out = slurp("enforce.out");
	assert_non_null(strstr(out, "read /work/a.txt => ok A\n"));
	/* the manifest grants reading the file named by an argument, not writing it */
	assert_non_null(strstr(out, "write /work/a.txt B => ENOTCAPABLE\n"));
	assert_int_equal(wasi_tofu_run_deviation_count(r), 1);
	assert_string_equal(wasi_tofu_deviation_path(r, 0), "/work/a.txt");
	wasi_tofu_run_free(r);

	/* a cap the journal reaches: the run is stopped, as record --journal-max */
	r = rawwasi(recorded, "record.out");
	assert_int_equal(wasi_tofu_run_record(r, journal, 100), 0);
	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_EIO);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_STOPPED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "cap"));
	wasi_tofu_run_free(r);
}

/* The sha256 of the file at PATH as hex, by sha256sum. */
static void sha256_of(const char *path, char hex[65])
{
	char cmd[600];
	FILE *f;

	snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
	assert_non_null(f = popen(cmd, "r"));
	assert_int_equal(fscanf(f, "%64s", hex), 1);
	pclose(f);
}

/* wasi_tofu_run_sha256 is sha256sum's hex: for a file, once a run read it (the same whether
 * the module ran to its end or not, and after a manifest's pin refused it); for bytes in memory,
 * from the start, malformed ones too; NULL for a file not read yet or missing. */
static void module_sha256(void **state)
{
	char path[512], want[65], bytes[1 << 16];
	wasi_tofu_run *r = fixture("exit_code.wasm");
	size_t n;
	FILE *f;

	snprintf(path, sizeof path, "%s/exit_code.wasm", WT_FIXTURES);
	sha256_of(path, want);
	assert_null(wasi_tofu_run_sha256(r));
	assert_int_equal(wasi_tofu_run_exec(r), 7);
	assert_string_equal(wasi_tofu_run_sha256(r), want);
	wasi_tofu_run_free(r);
	r = demo("pinned.yaml", WASI_TOFU_DENY, (int *)&n); /* refused by the pin: still hashed */
	snprintf(path, sizeof path, "%s/demo.wasm", WT_FIXTURES);
	sha256_of(path, want);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_STOPPED);
	assert_string_equal(wasi_tofu_run_sha256(r), want);
	wasi_tofu_run_free(r);
	r = fixture("no-such-module.wasm");
	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_ENOINPUT);
	assert_null(wasi_tofu_run_sha256(r));
	wasi_tofu_run_free(r);

	assert_non_null(f = fopen(path, "rb"));
	n = fread(bytes, 1, sizeof bytes, f);
	fclose(f);
	assert_non_null(r = wasi_tofu_run_new_memory(bytes, n, "demo.wasm"));
	assert_string_equal(wasi_tofu_run_sha256(r), want);
	wasi_tofu_run_exec(r);
	assert_string_equal(wasi_tofu_run_sha256(r), want);
	wasi_tofu_run_free(r);
	/* e3b0...: the empty input's; the module is malformed, its hash known all the same */
	assert_non_null(r = wasi_tofu_run_new_memory("", 0, NULL));
	assert_string_equal(wasi_tofu_run_sha256(r),
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_EMALFORMED);
	assert_string_equal(wasi_tofu_run_sha256(r),
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	wasi_tofu_run_free(r);
}

/* scratch/proj: a project whose tools/raw.wasm is trusted, tools/changed.wasm pinned to another
 * sha256, tools/wide.wasm held by a ceiling its manifest exceeds, tools/swap.wasm trusted until
 * it is replaced, tools/new.wasm not in it. */
static void make_project(char hex[65])
{
	static const char *const tools[] = {"raw", "changed", "wide", "swap", "new"};
	char path[512], yaml[2048];

	snprintf(path, sizeof path, "mkdir -p '%s/proj/tree' '%s/proj/tools' '%s/proj/m'", scratch,
		 scratch, scratch);
	assert_int_equal(system(path), 0);
	write_file("proj/tree/a.txt", "A");
	for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++) {
		snprintf(path, sizeof path, "cp '%s/rawwasi.wasm' '%s/proj/tools/%s.wasm'",
			 WT_FIXTURES, scratch, tools[i]);
		assert_int_equal(system(path), 0);
	}
	snprintf(path, sizeof path, "%s/proj/tools/raw.wasm", scratch);
	sha256_of(path, hex);
	snprintf(
	    yaml, sizeof yaml,
	    "version: 1\nmanifests: m\nmodules:\n"
	    "- {path: tools/raw.wasm, manifest: raw.yaml, sha256: %s}\n"
	    "- {path: tools/changed.wasm, manifest: changed.yaml, sha256: %064d}\n"
	    "- {path: tools/wide.wasm, manifest: wide.yaml, sha256: %s, ceiling: narrow.yaml}\n"
	    "- {path: tools/swap.wasm, manifest: swap.yaml, sha256: %s}\n",
	    hex, 0, hex, hex);
	write_file("proj/wasi-tofu.yaml", yaml);
	write_file("proj/m/raw.yaml", "version: 1\nfiles:\n  - {path: /p/**, allow: [read]}\n"
				      "stdio: [stdout]\n");
	write_file("proj/m/changed.yaml", "version: 1\nstdio: [stdout]\n");
	write_file("proj/m/swap.yaml", "version: 1\nstdio: [stdout]\n");
	write_file("proj/m/wide.yaml",
		   "version: 1\nfiles:\n  - {path: /p/**, allow: [read, write]}\n"
		   "stdio: [stdout]\n");
	write_file("proj/narrow.yaml", "version: 1\nfiles:\n  - {path: /p/**, allow: [read]}\n"
				       "stdio: [stdout]\n");
}

static int out_fd = -1;

/* rawwasi.wasm's copy tools/NAME.wasm of scratch/proj with the project at /p, ARGS its
 * operations, stdout into scratch/proj.out, under the project's manifest (deny). */
static wasi_tofu_run *project_run(const char *name, const char *const *args, int *status)
{
	char path[1024], proj[512];
	wasi_tofu_run *r;
	int fd;

	snprintf(proj, sizeof proj, "%s/proj", scratch);
	snprintf(path, sizeof path, "%s/tools/%s.wasm", proj, name);
	assert_non_null(r = wasi_tofu_run_new(path));
	for (; *args; args++)
		assert_int_equal(wasi_tofu_run_arg(r, *args), 0);
	assert_int_equal(wasi_tofu_run_mount(r, proj, "/p", 0), 0);
	snprintf(path, sizeof path, "%s/proj.out", scratch);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0);
	wasi_tofu_run_stdio(r, 0, fd, 2);
	*status = wasi_tofu_run_project(r, proj, NULL, WASI_TOFU_DENY);
	if (out_fd >= 0)
		close(out_fd);
	out_fd = fd; /* borrowed by the run: closed with the next one */
	return r;
}

/* Project mode: a trusted module runs under its manifest (the project file out of its reach);
 * a changed module, a new one, one outside the project, one whose manifest exceeds its ceiling
 * and one replaced after the check are refused, naming the module and the hashes. */
static void project_mode(void **state)
{
	static const char *const ops[] = {"read",  "/p/tree/a.txt", "read", "/p/wasi-tofu.yaml",
					  "write", "/p/tree/a.txt", "B",    NULL};
	char hex[65], want[256], path[512];
	wasi_tofu_run *r;
	int status;

	make_project(hex);
	r = project_run("raw", ops, &status);
	assert_int_equal(status, 0);
	assert_int_equal(wasi_tofu_run_exec(r), 0);
	assert_non_null(strstr(slurp("proj.out"), "read /p/tree/a.txt => ok"));
	assert_null(strstr(slurp("proj.out"), "read /p/wasi-tofu.yaml => ok"));
	assert_null(strstr(slurp("proj.out"), "write /p/tree/a.txt B => ok"));
	assert_int_equal(wasi_tofu_run_deviation_count(r),
			 1); /* the write; the project is hidden */
	assert_non_null(strstr(wasi_tofu_run_report(r), "\"module\": \"tools/raw.wasm\""));
	wasi_tofu_run_free(r);

	r = project_run("changed", ops, &status);
	assert_int_equal(status, WASI_TOFU_EDEVIATION);
	snprintf(want, sizeof want,
		 "tools/changed.wasm changed: its sha256 is %s, the project pins %064d", hex, 0);
	assert_string_equal(wasi_tofu_run_message(r), want);
	assert_int_equal(wasi_tofu_run_exec(r), 0); /* refused: the run stays permissive */
	wasi_tofu_run_free(r);

	r = project_run("new", ops, &status);
	assert_int_equal(status, WASI_TOFU_EDEVIATION);
	snprintf(want, sizeof want, "tools/new.wasm is not trusted in this project (sha256 %s)",
		 hex);
	assert_non_null(strstr(wasi_tofu_run_message(r), want));
	snprintf(path, sizeof path, "%s/exit_code.wasm", WT_FIXTURES);
	assert_int_equal(wasi_tofu_run_project(r, scratch, path, WASI_TOFU_DENY),
			 WASI_TOFU_ENOINPUT); /* no wasi-tofu.yaml in scratch */
	snprintf(path, sizeof path, "%s/proj", scratch);
	assert_int_equal(
	    wasi_tofu_run_project(r, path, WT_FIXTURES "/exit_code.wasm", WASI_TOFU_DENY),
	    WASI_TOFU_EUSAGE);
	assert_non_null(strstr(wasi_tofu_run_message(r), "is not inside the project"));
	wasi_tofu_run_free(r);

	r = project_run("wide", ops, &status);
	assert_int_equal(status, 0);
	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_EDEVIATION);
	assert_int_equal(wasi_tofu_run_outcome(r), WASI_TOFU_STOPPED);
	assert_non_null(strstr(wasi_tofu_run_message(r), "narrow.yaml"));
	assert_non_null(strstr(wasi_tofu_run_message(r), "write"));
	wasi_tofu_run_free(r);

	r = project_run("swap", ops, &status);
	assert_int_equal(status, 0);
	snprintf(path, sizeof path, "printf '\\000\\004\\003abc' >> '%s/proj/tools/swap.wasm'",
		 scratch);
	assert_int_equal(system(path), 0);
	assert_int_equal(wasi_tofu_run_exec(r), WASI_TOFU_EDEVIATION);
	assert_non_null(
	    strstr(wasi_tofu_run_message(r), "tools/swap.wasm changed: its sha256 is "));
	assert_non_null(strstr(wasi_tofu_run_message(r), hex));
	wasi_tofu_run_free(r);
	close(out_fd), out_fd = -1;
}

static void *run_exit_code(void *arg)
{
	wasi_tofu_run *r = arg;
	return (void *)(intptr_t)wasi_tofu_run_exec(r);
}

static void two_threads(void **state)
{
	wasi_tofu_run *a = fixture("exit_code.wasm"), *b = fixture("cli_divzero.wasm");
	pthread_t ta, tb;
	void *sa, *sb;

	assert_int_equal(pthread_create(&ta, NULL, run_exit_code, a), 0);
	assert_int_equal(pthread_create(&tb, NULL, run_exit_code, b), 0);
	pthread_join(ta, &sa), pthread_join(tb, &sb);
	assert_int_equal((intptr_t)sa, 7);
	assert_int_equal((intptr_t)sb, 134);
	wasi_tofu_run_free(a), wasi_tofu_run_free(b);
}

static int setup(void **state)
{
	char dir[600];

	if (!mkdtemp(scratch))
		return -1;
	snprintf(dir, sizeof dir, "%s/src", scratch);
	mkdir(dir, 0755);
	snprintf(dir, sizeof dir, "%s/out", scratch);
	mkdir(dir, 0755);
	write_file("src/project.txt", "name = t\n");
	snprintf(dir, sizeof dir, "%s/tree", scratch);
	mkdir(dir, 0755);
	write_file("secret.txt", "SECRET");
	write_file("tree/a.txt", "A");
	write_file("tree/denied.txt", "D");
	write_file("tree/hidden.txt", "H");
	write_file("tree/stop.txt", "S");
	snprintf(dir, sizeof dir, "%s/tree/up.txt", scratch);
	write_file("step.yaml", "version: 1\nmounts:\n  /work: {host: tree, mode: ro}\nfiles:\n"
				"  - {path: /work/a.txt, allow: [read]}\nenv: [KEEP]\n"
				"stdio: [stdout]\n");
	write_file("step.override.yaml",
		   "version: 1\nfiles:\n  - {path: /work/denied.txt, allow: [read]}\n");
	write_file("ceiling.yaml", "version: 1\nmounts:\n  /work: {host: tree, mode: ro}\nfiles:\n"
				   "  - {path: /work/a.txt, allow: [read]}\nenv: [KEEP]\n"
				   "stdio: [stdout]\n");
	if (symlink("../secret.txt", dir))
		return -1;
	write_file("none.yaml", "version: 1\nstdio: [stdout, stderr]\nexit_codes: [0]\n");
	write_file("pinned.yaml",
		   "version: 1\nmodule: {name: demo.wasm, sha256: "
		   "0000000000000000000000000000000000000000000000000000000000000000}\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(version),
	    cmocka_unit_test(bad_arguments),
	    cmocka_unit_test(exits_with_its_code),
	    cmocka_unit_test(traps),
	    cmocka_unit_test(missing_module),
	    cmocka_unit_test(manifest_fail_stops),
	    cmocka_unit_test(manifest_deny_goes_on),
	    cmocka_unit_test(manifest_pin),
	    cmocka_unit_test(from_memory),
	    cmocka_unit_test(module_sha256),
	    cmocka_unit_test(manifest_from_text),
	    cmocka_unit_test(escapes),
	    cmocka_unit_test(policy_callback),
	    cmocka_unit_test(ask_callback),
	    cmocka_unit_test(ask_allow_always),
	    cmocka_unit_test(manifest_warn),
	    cmocka_unit_test(record_generate_enforce),
	    cmocka_unit_test(manifest_settings),
	    cmocka_unit_test(output_callback),
	    cmocka_unit_test(project_mode),
	    cmocka_unit_test(two_threads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
