/* test_wasi_e2e.c: the WASI host's escape suite and symlink race, end to end through the CLI:
 * real temp trees with a secret and a canary outside the mounts, compared byte for byte after.
 *
 * `test_wasi_e2e` runs the escape suite; `test_wasi_e2e race` runs the race for
 * WT_RACE_SECONDS (default 10) seconds (CTest: e2e_wasi and e2e_wasi_race, label slow). */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "wt_e2e_util.h"

extern char **environ;

/* The tree of one case: T/outside.txt (the secret), T/canary.txt, T/outside/dir/..., and the
 * mounted folders T/m, T/m2, T/ro, T/rw, T/h. Runs write their output to O (elsewhere). */
static char tree[64], outdir[64], secret[64];

/* The mounted folders the guests may change: the snapshot lists them but does not look in. */
static const char *const writable[] = {"m", "m2", "rw", "h"};

static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static void put(const char *rel, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", tree, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void ln(const char *target, const char *rel)
{
	char p[256];

	snprintf(p, sizeof p, "%s/%s", tree, rel);
	if (symlink(target, p) != 0)
		fail_msg("symlink %s -> %s failed", p, target);
}

static int setup(void **state)
{
	char line[128];

	(void)state;
	strcpy(tree, "/tmp/wt-e2e-wasi-XXXXXX");
	strcpy(outdir, "/tmp/wt-e2e-out-XXXXXX");
	assert_non_null(mkdtemp(tree));
	assert_non_null(mkdtemp(outdir));
	snprintf(secret, sizeof secret, "OUTSIDE-SECRET-%ld", (long)getpid());
	sh("cd '%s' && mkdir -p outside/dir/sub m/sub m/deep m2 ro/sub rw h", tree);
	snprintf(line, sizeof line, "%s\n", secret);
	put("outside.txt", line);
	put("canary.txt", "canary\n");
	snprintf(line, sizeof line, "OUTSIDE the mount: %s\n", secret);
	put("outside/dir/secret.txt", line);
	put("outside/dir/sub/deep.txt", line);
	put("m/inside.txt", "inside\n");
	put("ro/file.txt", "frozen\n");
	put("ro/sub/keep.txt", "keep\n");
	put("rw/mine.txt", "mine\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	wt_e2e_rmtree(outdir);
	return wt_e2e_rmtree(tree);
}

/* A growing text. */
typedef struct text {
	char *s;
	size_t len, cap;
} text;

static void add(text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (t->s && (size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap * 2 + (size_t)n + 256;
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
	t->len += (size_t)n;
}

/* FNV-1a of a file's bytes. */
static uint64_t file_hash(const char *path)
{
	uint64_t h = 1469598103934665603ull;
	unsigned char buf[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		for (size_t i = 0; i < n; i++)
			h = (h ^ buf[i]) * 1099511628211ull;
	fclose(f);
	return h;
}

static int is_writable_mount(const char *rel)
{
	for (size_t i = 0; i < sizeof writable / sizeof writable[0]; i++)
		if (strcmp(rel, writable[i]) == 0)
			return 1;
	return 0;
}

/* One line per entry below dir (sorted): name, type, mode, size, mtime, and the bytes' hash
 * or the link's text. The writable mounts are listed, not entered. */
static void snapshot_dir(text *t, const char *dir, const char *rel)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char path[1024], sub[512], link[512];
		struct stat st;
		ssize_t k;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof path, "%s/%s", dir, name);
		snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", name);
		assert_int_equal(lstat(path, &st), 0);
		if (!*rel && is_writable_mount(name)) {
			add(t, "%s mount\n", sub);
		} else {
			add(t, "%s %o %lld %lld.%09ld", sub, st.st_mode, (long long)st.st_size,
			    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
			if (S_ISREG(st.st_mode))
				add(t, " %016llx", (unsigned long long)file_hash(path));
			if (S_ISLNK(st.st_mode) && (k = readlink(path, link, sizeof link - 1)) >= 0)
				add(t, " -> %.*s", (int)k, link);
			add(t, "\n");
			if (S_ISDIR(st.st_mode))
				snapshot_dir(t, path, sub);
		}
		free(names[i]);
	}
	free(names);
}

/* Everything outside the writable mounts, the tree's own folder included. */
static char *snapshot(void)
{
	text t = {NULL, 0, 0};
	struct stat st;

	assert_int_equal(lstat(tree, &st), 0);
	add(&t, ". %o %lld.%09ld\n", st.st_mode, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	snapshot_dir(&t, tree, "");
	return t.s;
}

static void assert_same(const char *before, const char *after)
{
	if (strcmp(before, after) != 0)
		fail_msg("the tree outside the mounts changed\n---- before:\n%s---- after:\n%s",
			 before, after);
}

static char *slurp(const char *path)
{
	char *body = wt_e2e_slurp(path);

	assert_non_null(body);
	return body;
}

/* Starts the CLI: wasi-tofu run MOUNTS... FIXTURE.wasm ARGS..., stdout and stderr to files
 * in outdir. Returns the pid. */
static pid_t start_cli(const char *const *args, const char *name)
{
	char *argv[32] = {(char *)WT_CLI, (char *)"run"}, out[128], err[128];
	posix_spawn_file_actions_t fa;
	int argc = 2;
	pid_t pid;

	for (int i = 0; args[i]; i++)
		argv[argc++] = (char *)args[i];
	argv[argc] = NULL;
	snprintf(out, sizeof out, "%s/%s.out", outdir, name);
	snprintf(err, sizeof err, "%s/%s.err", outdir, name);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_int_equal(posix_spawn(&pid, WT_CLI, &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* Waits for the CLI; returns its exit status and its stdout (caller frees). */
static int wait_cli(pid_t pid, const char *name, char **out)
{
	char path[128], *err;
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	snprintf(path, sizeof path, "%s/%s.out", outdir, name);
	*out = slurp(path);
	snprintf(path, sizeof path, "%s/%s.err", outdir, name);
	err = slurp(path);
	if (WEXITSTATUS(status) != 0) /* stdio: cmocka's print_error cuts long texts */
		fprintf(stderr, "%s: exit %d\n---- stdout:\n%s---- stderr:\n%s----\n", name,
			WEXITSTATUS(status), *out, err);
	free(err);
	return WEXITSTATUS(status);
}

/* Runs one fixture to its end; checks exit 0 and that no secret reached its output. */
static char *run_fixture(const char *name, const char *const *mounts)
{
	char module[512], *out;
	const char *args[24];
	int n = 0;

	snprintf(module, sizeof module, "%s/%s.wasm", WT_FIXTURES, name);
	for (; mounts[n]; n++)
		args[n] = mounts[n];
	args[n++] = module;
	args[n] = NULL;
	assert_int_equal(wait_cli(start_cli(args, name), name, &out), 0);
	if (strstr(out, secret) || strstr(out, "OUTSIDE"))
		fail_msg("%s: the secret reached the guest:\n%s", name, out);
	return out;
}

static void lay_out_escape_links(void)
{
	char target[256];

	ln("/etc/passwd", "m/abs");
	snprintf(target, sizeof target, "%s/outside.txt", tree);
	ln(target, "m/abs_secret");
	ln("../outside.txt", "m/up");
	ln("..", "m/parent");
	ln("up", "m/chain");
	ln("loop2", "m/loop1");
	ln("loop1", "m/loop2");
	ln("../../outside.txt", "m/deep/up2");
	snprintf(target, sizeof target, "%s/made_abs.txt", tree);
	ln(target, "m/dangle_abs");
	ln("../made_up.txt", "m/dangle_up");
}

/* The escape suite: `..`, absolute and relative links out, chains, loops, a link to the
 * mount's parent, links the guest makes, moves over the edge (wasi_escape); every write-class
 * call on a read-only mount (wasi_readonly); raw calls with absolute paths, NULs and bad
 * pointers (wasi_hostile). Nothing outside the mounts and nothing in the read-only mount may
 * change, and no secret may reach the guests' output. */
static void test_wasi_escape_suite_leaves_outside_untouched(void **state)
{
	char m[128], m2[128], ro[128], rw[128], h[128], *before, *after, *out;
	struct stat st;
	char p[256];

	(void)state;
	lay_out_escape_links();
	snprintf(m, sizeof m, "%s/m:/m", tree);
	snprintf(m2, sizeof m2, "%s/m2:/m2", tree);
	snprintf(ro, sizeof ro, "%s/ro:/ro:ro", tree);
	snprintf(rw, sizeof rw, "%s/rw:/rw", tree);
	snprintf(h, sizeof h, "%s/h:/h", tree);
	before = snapshot();
	out = run_fixture("wasi_escape", (const char *const[]){"--mount", m, "--mount", m2, NULL});
	assert_null(strstr(out, "escaped"));
	assert_non_null(strstr(out, "refused /m/parent/outside.txt"));
	free(out);
	out =
	    run_fixture("wasi_readonly", (const char *const[]){"--mount", ro, "--mount", rw, NULL});
	assert_null(strstr(out, "BAD"));
	free(out);
	out = run_fixture("wasi_hostile", (const char *const[]){"--mount", h, "--cwd", "/", NULL});
	assert_string_equal(out, "ok\n");
	free(out);
	after = snapshot();
	assert_same(before, after);
	/* inside, what must work did: a move between mounts, a file named with a slash kept */
	snprintf(p, sizeof p, "%s/m2/moved.txt", tree);
	assert_int_equal(lstat(p, &st), 0);
	snprintf(p, sizeof p, "%s/m/inside.txt", tree);
	assert_int_equal(lstat(p, &st), 0);
	free(before);
	free(after);
}

/* The host side of the race: swaps T/m/d with symlinks out of the mount (an absolute one and
 * a relative one) by atomic exchange, and by rename + symlink, until told to stop. */
typedef struct racer {
	atomic_int stop;
	long swaps;
	const char *failed; /* what failed on the host side (no cmocka calls in the thread) */
} racer;

/* Swaps a and b twice (back where they were); 0 or -1. */
static int exchange_twice(const char *a, const char *b)
{
	return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0 &&
		       renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0
		   ? 0
		   : -1;
}

static void *race_host(void *arg)
{
	racer *r = arg;
	char d[256], abs_link[256], rel_link[256], away[256], out_dir[256];

	snprintf(d, sizeof d, "%s/m/d", tree);
	snprintf(abs_link, sizeof abs_link, "%s/m/abs_link", tree);
	snprintf(rel_link, sizeof rel_link, "%s/m/rel_link", tree);
	snprintf(away, sizeof away, "%s/m/d.away", tree);
	snprintf(out_dir, sizeof out_dir, "%s/outside/dir", tree);
	while (!atomic_load(&r->stop)) {
		/* d becomes the absolute link and the folder again; then the relative one */
		if (exchange_twice(d, abs_link) || exchange_twice(d, rel_link)) {
			r->failed = "renameat2(RENAME_EXCHANGE)";
			break;
		}
		if (rename(d, away) != 0 || symlink(out_dir, d) != 0 || unlink(d) != 0 ||
		    rename(away, d) != 0) {
			r->failed = "rename + symlink";
			break;
		}
		r->swaps++;
	}
	return NULL;
}

static long count_of(const char *out, const char *word)
{
	const char *p = strstr(out, word);

	return p ? atol(p + strlen(word)) : -1;
}

/* A host process swaps the folder /m/d for a symlink to a folder outside, in a tight loop,
 * while the guest opens, reads, creates and removes through /m/d: it never sees the outside
 * content, and nothing outside changes. */
static void test_wasi_race_swapped_folder_never_leads_out(void **state)
{
	const char *env = getenv("WT_RACE_SECONDS");
	char m[128], target[256], *before, *after, *out, module[512];
	racer r = {0, 0, NULL};
	pthread_t thread;
	pid_t pid;

	(void)state;
	sh("mkdir -p '%s/m/d/sub' && echo inside > '%s/m/d/secret.txt' && echo inside > "
	   "'%s/m/d/sub/deep.txt'",
	   tree, tree, tree);
	snprintf(target, sizeof target, "%s/outside/dir", tree);
	ln(target, "m/abs_link");
	ln("../outside/dir", "m/rel_link");
	snprintf(m, sizeof m, "%s/m:/m", tree);
	snprintf(module, sizeof module, "%s/wasi_race.wasm", WT_FIXTURES);
	before = snapshot();
	pid = start_cli((const char *const[]){"--mount", m, module, env ? env : "10", NULL},
			"wasi_race");
	assert_int_equal(pthread_create(&thread, NULL, race_host, &r), 0);
	assert_int_equal(wait_cli(pid, "wasi_race", &out), 0);
	atomic_store(&r.stop, 1);
	pthread_join(thread, NULL);
	if (r.failed)
		fail_msg("the host side of the race failed: %s", r.failed);
	after = snapshot();
	print_message("host swaps %ld; guest: %s", r.swaps, out);
	if (strstr(out, secret) || strstr(out, "OUTSIDE") || count_of(out, "leaked ") != 0)
		fail_msg("the guest read outside its mount:\n%s", out);
	assert_same(before, after);
	/* the race was run: the guest read inside and was refused outside, many times */
	assert_true(r.swaps > 0);
	assert_true(count_of(out, "inside ") > 0);
	assert_true(count_of(out, "refused ") > 0);
	free(out);
	free(before);
	free(after);
}

int main(int argc, char **argv)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_wasi_escape_suite_leaves_outside_untouched),
	    T(test_wasi_race_swapped_folder_never_leads_out),
	};
#undef T
	if (argc > 1 && strcmp(argv[1], "race") == 0)
		cmocka_set_test_filter("test_wasi_race_*");
	else
		cmocka_set_skip_filter("test_wasi_race_*");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
