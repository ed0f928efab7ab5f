/* test_confine.c: self-confinement (core/run/confine*.c): each kernel layer alone and both, on a
 * real tree with a secret outside the mounts. Confinement lasts for the life of a process, so every
 * case confines a forked child that then does one wrong (or one right) thing; the parent reads how
 * it went: 0 done, an errno, or killed by a signal. Each wrong thing is also done unconfined, and
 * must succeed there: the test shows the confinement, not a broken probe. */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "confine.h"
#include "overlay.h"
#include "runtime.h"
#include "wasi.h"

enum { KILLED = 1000 }; /* an outcome KILLED + N: the child died of signal N */

/* A tree: rw/ and ro/ are mounted, outside/secret is not; a WASI host
 * on the mounts, optionally contained (writes held in an overlay). */
typedef struct tree {
	char dir[64], path[256];
	wt_store *store;
	wt_wasi *w;
	wt_contain *k;
} tree;

static const char *at(tree *t, const char *rel)
{
	snprintf(t->path, sizeof t->path, "%s/%s", t->dir, rel);
	return t->path;
}

static void put(tree *t, const char *rel, const char *text)
{
	FILE *f = fopen(at(t, rel), "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void tree_open(tree *t, int contain)
{
	static wt_mount mounts[2];
	static char rw[128], ro[128];
	wt_wasi_config cfg = {.nmounts = 2, .mounts = mounts, .stdio_fds = {0, 1, 2}};
	wt_error err;

	memset(t, 0, sizeof *t);
	strcpy(t->dir, "/tmp/wt-confine.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	for (const char *d = "rw\0ro\0outside\0"; *d; d += strlen(d) + 1)
		assert_int_equal(mkdir(at(t, d), 0755), 0);
	put(t, "outside/secret", "the secret\n");
	put(t, "ro/file", "read me\n");
	put(t, "rw/file", "old\n");
	snprintf(rw, sizeof rw, "%s/rw", t->dir);
	snprintf(ro, sizeof ro, "%s/ro", t->dir);
	mounts[0] = (wt_mount){.host = rw, .guest = "/rw"};
	mounts[1] = (wt_mount){.host = ro, .guest = "/ro", .readonly = 1};
	wt_error_init(&err);
	if (contain)
		assert_int_equal(wt_overlay_contain_new(t->dir, &t->k, &err), 0);
	cfg.contain = t->k;
	assert_non_null(t->store = wt_store_new(NULL));
	cfg.store = t->store;
	if (wt_wasi_new(&cfg, &t->w, &err) != 0)
		fail_msg("wt_wasi_new: %s", err.msg);
}

static void tree_close(tree *t)
{
	char cmd[128];

	wt_wasi_free(t->w);
	wt_store_free(t->store);
	wt_overlay_contain_free(t->k);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

/* One wrong (or right) thing: 0 when it went through, else -1 with errno. */
typedef int (*probe)(tree *t, const char *arg);

/* Runs probe in a child confined by cfg (NULL: not confined); returns 0,
 * the errno it failed with, or KILLED + the signal. */
static int outcome(tree *t, const wt_confine_config *cfg, probe p, const char *arg)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int saved = dup(2); /* the SIGSYS message is test_..._says_why's */
		wt_error err;

		dup2(open("/dev/null", O_WRONLY | O_CLOEXEC), 2);
		wt_error_init(&err);
		if (cfg && wt_confine_enter(cfg, t->w, &err) != 0) {
			dprintf(saved, "wt_confine_enter: %s\n", err.msg);
			_exit(100);
		}
		_exit(p(t, arg) == 0 ? 0 : errno);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		return KILLED + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int read_file(tree *t, const char *rel)
{
	int fd = open(at(t, rel), O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -1 : close(fd);
}

static int write_file(tree *t, const char *rel)
{
	int fd = open(at(t, rel), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	return fd < 0 ? -1 : close(fd);
}

static int rename_in(tree *t, const char *rel)
{
	char from[256];

	snprintf(from, sizeof from, "%s", at(t, rel));
	if (mkdirat(AT_FDCWD, at(t, "rw/sub"), 0755) != 0 && errno != EEXIST)
		return -1;
	return rename(from, at(t, "rw/sub/moved"));
}

static int remove_file(tree *t, const char *rel)
{
	return unlink(at(t, rel));
}

static int connect_tcp(tree *t, const char *arg)
{
	struct sockaddr_in sa = {
	    .sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int rc, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	if (rc < 0 && errno == ECONNREFUSED)
		rc = 0; /* it reached the network */
	close(fd);
	return rc;
}

static int exec_true(tree *t, const char *arg)
{
	char *argv[] = {"true", NULL};

	return execv("/bin/true", argv);
}

static int ptrace_parent(tree *t, const char *arg)
{
	return (int)ptrace(PTRACE_SEIZE, getppid(), NULL, NULL);
}

static int map_exec(tree *t, const char *arg)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? -1 : munmap(p, 4096);
}

static int fork_process(tree *t, const char *arg)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	return pid < 0 ? -1 : (int)waitpid(pid, NULL, 0) < 0 ? -1 : 0;
}

static const wt_confine_config landlock = {.layers = WT_CONFINE_LANDLOCK};
static const wt_confine_config seccomp = {.layers = WT_CONFINE_SECCOMP};
static const wt_confine_config both = {.layers = WT_CONFINE_ALL};

/* The sanitizer build's filter (core/run/confine_seccomp.c) lets LeakSanitizer
 * clone and ptrace. */
#ifdef WT_TEST_SANITIZE
static const int sanitizer_build = 1;
#else
static const int sanitizer_build = 0;
#endif

static int setup(void **state)
{
	if (wt_confine_landlock_abi() < 2 || seccomp_api_get() < 1) {
		print_message("test_confine: skipped: no Landlock ABI 2 or no seccomp\n");
		exit(0);
	}
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* Asserts that p(arg) gives want confined by cfg, and then that it goes
 * through unconfined. */
static void stopped(tree *t, const wt_confine_config *cfg, probe p, const char *arg, int want)
{
	assert_int_equal(outcome(t, cfg, p, arg), want);
	assert_int_equal(outcome(t, NULL, p, arg), 0);
}

static void test_confine_landlock_files_outside_the_mounts(void **state)
{
	tree t;

	tree_open(&t, 0);
	stopped(&t, &landlock, read_file, "outside/secret", EACCES);
	stopped(&t, &landlock, write_file, "outside/new", EACCES);
	stopped(&t, &landlock, remove_file, "outside/secret", EACCES);
	tree_close(&t);
}

static void test_confine_landlock_readonly_mount_reads_only(void **state)
{
	tree t;

	tree_open(&t, 0);
	assert_int_equal(outcome(&t, &landlock, read_file, "ro/file"), 0);
	stopped(&t, &landlock, write_file, "ro/file", EACCES);
	stopped(&t, &landlock, write_file, "ro/new", EACCES);
	stopped(&t, &landlock, remove_file, "ro/file", EACCES);
	tree_close(&t);
}

static void test_confine_landlock_writable_mount_keeps_every_call(void **state)
{
	tree t;

	tree_open(&t, 0);
	assert_int_equal(outcome(&t, &both, read_file, "rw/file"), 0);
	assert_int_equal(outcome(&t, &both, write_file, "rw/new"), 0);
	assert_int_equal(outcome(&t, &both, rename_in, "rw/new"), 0); /* between folders: REFER */
	assert_int_equal(outcome(&t, &both, remove_file, "rw/file"), 0);
	tree_close(&t);
}

static void test_confine_landlock_no_tcp(void **state)
{
	tree t;

	tree_open(&t, 0);
	stopped(&t, &landlock, connect_tcp, NULL, wt_confine_landlock_abi() >= 4 ? EACCES : 0);
	tree_close(&t);
}

static void test_confine_landlock_no_ptrace_out(void **state)
{
	tree t;

	tree_open(&t, 0);
	stopped(&t, &landlock, ptrace_parent, NULL, EPERM);
	tree_close(&t);
}

/* The paths the CLI adds: a file it may write, a folder it replaces files in. */
static void test_confine_landlock_cli_paths(void **state)
{
	tree t;
	char file[256], folder[256];
	wt_confine_path paths[2] = {{file, WT_CONFINE_WRITE}, {folder, WT_CONFINE_REPLACE}};
	wt_confine_config cfg = {.layers = WT_CONFINE_LANDLOCK, .paths = paths, .npaths = 2};

	tree_open(&t, 0);
	mkdir(at(&t, "out"), 0755);
	put(&t, "report.json", "");
	snprintf(file, sizeof file, "%s", at(&t, "report.json"));
	snprintf(folder, sizeof folder, "%s", at(&t, "out"));
	assert_int_equal(outcome(&t, &cfg, write_file, "report.json"), 0);
	assert_int_equal(outcome(&t, &cfg, read_file, "report.json"), EACCES);
	assert_int_equal(outcome(&t, &cfg, write_file, "out/m.yaml.tmp"), 0);
	assert_int_equal(outcome(&t, &cfg, write_file, "outside/new"), EACCES);
	tree_close(&t);
}

/* A contained run's writable mount: read-only to the process unless the
 * changes may be applied; the private folder is writable either way. */
static void test_confine_landlock_contained_mounts(void **state)
{
	wt_confine_config later = {.layers = WT_CONFINE_LANDLOCK, .apply_later = 1};
	tree t;
	char upper[256];

	tree_open(&t, 1);
	snprintf(upper, sizeof upper, "%s/m0/x", wt_overlay_contain_dir(t.k) + strlen(t.dir) + 1);
	stopped(&t, &landlock, write_file, "rw/new", EACCES);
	assert_int_equal(outcome(&t, &landlock, read_file, "rw/file"), 0);
	assert_int_equal(outcome(&t, &landlock, write_file, upper), 0);
	assert_int_equal(outcome(&t, &later, write_file, "rw/new"), 0);
	tree_close(&t);
}

/* A sanitizer build lets LeakSanitizer clone its helper (CLONE_VM) and
 * ptrace; Landlock still refuses a ptrace out of the process. */
static void test_confine_seccomp_stops_calls_a_run_never_makes(void **state)
{
	tree t;

	tree_open(&t, 0);
	stopped(&t, &seccomp, connect_tcp, NULL, KILLED + SIGSYS);
	stopped(&t, &seccomp, exec_true, NULL, KILLED + SIGSYS);
	stopped(&t, &seccomp, map_exec, NULL, KILLED + SIGSYS);
	stopped(&t, &seccomp, fork_process, NULL, KILLED + SIGSYS);
	stopped(&t, &both, ptrace_parent, NULL, sanitizer_build ? EPERM : KILLED + SIGSYS);
	tree_close(&t);
}

static void *thread_main(void *arg)
{
	return arg;
}

/* The --timeout timer is a thread made after confinement. */
static int make_thread(tree *t, const char *arg)
{
	pthread_t th;
	void *out = NULL;

	errno = pthread_create(&th, NULL, thread_main, (void *)arg);
	if (errno)
		return -1;
	pthread_join(th, &out);
	return out == arg ? 0 : -1;
}

static void test_confine_seccomp_keeps_threads(void **state)
{
	tree t;

	tree_open(&t, 0);
	assert_int_equal(outcome(&t, &both, make_thread, "x"), 0);
	tree_close(&t);
}

/* The file a child's stderr went to, read back. */
static void read_back(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
}

/* A stopped call says which it was and how to check without confinement. */
static void test_confine_seccomp_says_why(void **state)
{
	FILE *f = tmpfile();
	char buf[1024], want[64];
	tree t;
	pid_t pid;
	int status;

	tree_open(&t, 0);
	assert_non_null(f);
	if ((pid = fork()) == 0) {
		wt_error err;

		dup2(fileno(f), 2);
		if (wt_confine_enter(&seccomp, t.w, &err) == 0)
			exec_true(&t, NULL);
		_exit(100);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS);
	read_back(f, buf, sizeof buf);
	snprintf(want, sizeof want, "stopped system call %d,", (int)SYS_execve);
	assert_non_null(strstr(buf, want));
	assert_non_null(strstr(buf, "--no-self-confine"));
	fclose(f);
	tree_close(&t);
}

/* A kernel without Landlock (made here by a filter that fails its calls
 * with ENOSYS): one warning line and the run goes on, or with require an
 * error. Returns the child's status; its stderr goes to f. */
static int without_landlock(tree *t, int require, FILE *f)
{
	wt_confine_config cfg = {.layers = WT_CONFINE_LANDLOCK, .require = require, .warnings = f};
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		wt_error err;
		int rc;

		seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(landlock_create_ruleset), 0);
		if (seccomp_load(ctx) != 0)
			_exit(101);
		wt_error_init(&err);
		rc = wt_confine_enter(&cfg, t->w, &err);
		if (rc)
			fprintf(f, "error %d: %s\n", rc, err.msg);
		fflush(f);
		_exit(read_file(t, "outside/secret") == 0 ? 0 : 102);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WEXITSTATUS(status);
}

static void test_confine_without_landlock_warns_or_fails(void **state)
{
	FILE *f = tmpfile();
	char buf[1024];
	tree t;

	tree_open(&t, 0);
	assert_int_equal(without_landlock(&t, 0, f), 0);
	read_back(f, buf, sizeof buf);
	assert_non_null(
	    strstr(buf, "warning: self-confinement: Landlock: the kernel has no Landlock"));
	assert_non_null(strstr(buf, "--no-self-confine"));
	assert_ptr_equal(strchr(buf, '\n'), buf + strlen(buf) - 1); /* one line */
	fclose(f);
	f = tmpfile();
	assert_int_equal(without_landlock(&t, 1, f), 0);
	read_back(f, buf, sizeof buf);
	assert_non_null(strstr(buf, "error 8: self-confinement: Landlock"));
	assert_non_null(strstr(buf, "--require-self-confine"));
	fclose(f);
	tree_close(&t);
}

/* layers 0 (--no-self-confine): nothing is confined, the hook still runs. */
static void count_call(void *ctx)
{
	(*(int *)ctx)++;
}

static void test_confine_off_confines_nothing(void **state)
{
	int calls = 0;
	wt_confine_config off = {.confined = count_call, .ctx = &calls};
	tree t;
	wt_error err;

	tree_open(&t, 0);
	assert_int_equal(outcome(&t, &off, read_file, "outside/secret"), 0);
	assert_int_equal(outcome(&t, &off, exec_true, NULL), 0);
	assert_int_equal(wt_confine_enter(&off, t.w, &err), 0);
	assert_int_equal(calls, 1);
	tree_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_confine_landlock_files_outside_the_mounts),
	    cmocka_unit_test(test_confine_landlock_readonly_mount_reads_only),
	    cmocka_unit_test(test_confine_landlock_writable_mount_keeps_every_call),
	    cmocka_unit_test(test_confine_landlock_no_tcp),
	    cmocka_unit_test(test_confine_landlock_no_ptrace_out),
	    cmocka_unit_test(test_confine_landlock_cli_paths),
	    cmocka_unit_test(test_confine_landlock_contained_mounts),
	    cmocka_unit_test(test_confine_seccomp_stops_calls_a_run_never_makes),
	    cmocka_unit_test(test_confine_seccomp_keeps_threads),
	    cmocka_unit_test(test_confine_seccomp_says_why),
	    cmocka_unit_test(test_confine_without_landlock_warns_or_fails),
	    cmocka_unit_test(test_confine_off_confines_nothing),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
