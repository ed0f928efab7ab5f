/* test_wasi.c: the WASI host through its gate: calls on a real memory and a temp folder tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"
#include "store.h"
#include "wasi_impl.h"

/* Guest memory layout of the tests (one 64 KiB page):
 *   0x0100  iovec arrays
 *   0x0200  result words (nwritten, fd, sizes)
 *   0x0400  structs (fdstat, filestat, prestat, events)
 *   0x1000  path strings
 *   0x2000  data buffers
 *   0x8000  subscriptions */
enum { IOV = 0x100, RES = 0x200, ST = 0x400, STR = 0x1000, BUF = 0x2000, SUB = 0x8000 };

typedef struct harness {
	char dir[64]; /* the temp folder: data/ (rw mount), ro/ (ro mount), outside.txt */
	char data[96], ro[96];
	wt_store *store;
	wt_meminst *mem;
	wt_module mod;
	wt_meminst *mems[1];
	wt_instance inst;
	wt_wasi *w;
	wt_trap trap;
	int out_pipe[2];
	wt_mount mounts[2];
	/* what the fake policy saw and says */
	wt_verdict verdict;
	uint16_t deny_errno; /* what a WT_DENY answers (0: ENOTCAPABLE) */
	wt_wasi_call only;   /* the verdict applies to this call */
	int decided, observed;
	wt_event last;
	char last_path[WT_PATH_MAX + 1], last_host[2 * WT_PATH_MAX + 2];
	wt_policy policy;
} harness;

static void write_file(const char *dir, const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void link_at(const char *dir, const char *name, const char *target)
{
	char p[256];

	snprintf(p, sizeof p, "%s/%s", dir, name);
	assert_int_equal(symlink(target, p), 0);
}

static wt_verdict fake_decide(void *self, const wt_event *ev)
{
	harness *h = self;

	h->decided++;
	return ev->call == h->only ? h->verdict : WT_ALLOW;
}

static uint16_t fake_deny_errno(void *self, const wt_event *ev)
{
	(void)ev;
	return ((const harness *)self)->deny_errno;
}

static void fake_observe(void *self, const wt_event *ev)
{
	harness *h = self;

	h->observed++;
	h->last = *ev;
	snprintf(h->last_path, sizeof h->last_path, "%s", ev->path ? ev->path : "");
	snprintf(h->last_host, sizeof h->last_host, "%s", ev->host_path ? ev->host_path : "");
}

static void make_tree(harness *h)
{
	char p[256];

	snprintf(h->dir, sizeof h->dir, "/tmp/wt-wasi-XXXXXX");
	assert_non_null(mkdtemp(h->dir));
	snprintf(h->data, sizeof h->data, "%s/data", h->dir);
	snprintf(h->ro, sizeof h->ro, "%s/ro", h->dir);
	assert_int_equal(mkdir(h->data, 0755), 0);
	assert_int_equal(mkdir(h->ro, 0755), 0);
	snprintf(p, sizeof p, "%s/sub", h->data);
	assert_int_equal(mkdir(p, 0755), 0);
	write_file(h->dir, "outside.txt", "secret");
	write_file(h->data, "sub/file.txt", "hello");
	write_file(h->ro, "file.txt", "frozen");
	link_at(h->data, "abs", "/etc/passwd");
	link_at(h->data, "up", "../outside.txt");
	link_at(h->data, "in", "sub/file.txt");
	link_at(h->data, "loop1", "loop2");
	link_at(h->data, "loop2", "loop1");
	link_at(h->data, "parent", "..");
	link_at(h->data, "chain", "in");
	link_at(h->data, "subup", "sub/../../outside.txt");
}

static int setup_with(void **state, const char *cwd, int with_policy)
{
	harness *h = calloc(1, sizeof *h);
	wt_memtype mt = {{1, 1, 1}};
	static const char *const argv[] = {"prog", "one", "two"};
	static const char *const env[] = {"HOME=/data", "LANG=C"};
	wt_wasi_config cfg;
	wt_error err;

	assert_non_null(h);
	make_tree(h);
	h->store = wt_store_new(NULL);
	assert_non_null(h->store);
	h->mem = wt_memory_new(h->store, &mt);
	assert_non_null(h->mem);
	h->mod.nmemories = 1;
	h->mems[0] = h->mem;
	h->inst.module = &h->mod;
	h->inst.memories = h->mems;
	h->inst.store = h->store;
	assert_int_equal(pipe(h->out_pipe), 0);
	h->mounts[0] = (wt_mount){h->data, "/data", 0};
	h->mounts[1] = (wt_mount){h->ro, "/ro", 1};
	h->policy = (wt_policy){fake_decide, fake_observe, h, fake_deny_errno};
	h->only = WT_WASI_CALL_COUNT;
	memset(&cfg, 0, sizeof cfg);
	cfg.argc = 3, cfg.argv = argv, cfg.nenv = 2, cfg.env = env;
	cfg.nmounts = 2, cfg.mounts = h->mounts, cfg.cwd = cwd;
	cfg.stdio_fds[0] = 0, cfg.stdio_fds[1] = h->out_pipe[1], cfg.stdio_fds[2] = 2;
	cfg.policy = with_policy ? &h->policy : NULL;
	cfg.store = h->store;
	wt_error_init(&err);
	if (wt_wasi_new(&cfg, &h->w, &err) != 0)
		fail_msg("wt_wasi_new: %s", err.msg);
	*state = h;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, "/", 1);
}

static int setup_cwd(void **state)
{
	return setup_with(state, "/data/sub", 1);
}

static int teardown(void **state)
{
	harness *h = *state;
	char cmd[128];

	wt_wasi_free(h->w);
	wt_store_free(h->store);
	close(h->out_pipe[0]);
	close(h->out_pipe[1]);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", h->dir);
	assert_int_equal(system(cmd), 0);
	free(h);
	return 0;
}

/* Calls a WASI function through the gate; returns its errno, or -1 when
 * the run was ended (h->trap says how). */
static int call(harness *h, wt_wasi_call id, int n, ...)
{
	wt_slot args[12] = {0};
	wt_host_call hc = {h->store, &h->inst, &h->w->binds[id], &h->trap};
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		args[i] = va_arg(ap, uint64_t);
	va_end(ap);
	if (wt_gate_call(&hc, args, args) != 0)
		return -1;
	return (int)args[0];
}

static uint8_t *at(harness *h, uint32_t addr)
{
	return wt_memory_span(h->mem, addr, 1);
}

/* Puts s (len bytes, or strlen) at STR; returns its length. */
static uint64_t put_str(harness *h, const char *s, size_t len)
{
	if (!len)
		len = strlen(s);
	memcpy(at(h, STR), s, len);
	return len;
}

static void put_iov(harness *h, uint32_t i, uint32_t buf, uint32_t len)
{
	wt_put32(at(h, IOV + 8 * i), buf);
	wt_put32(at(h, IOV + 8 * i + 4), len);
}

#define U(x) ((uint64_t)(x))

/* path_open of the string at STR on dirfd; the new fd in *fd. */
static int open_path(harness *h, uint32_t dirfd, const char *path, size_t len, uint32_t oflags,
		     uint64_t base, uint32_t *fd)
{
	uint64_t n = put_str(h, path, len);
	int e = call(h, WT_WASI_path_open, 9, U(dirfd), U(1), U(STR), n, U(oflags), base,
		     U(WT_WR_ALL), U(0), U(RES));

	if (fd)
		*fd = wt_le32(at(h, RES));
	return e;
}

static void test_wasi_fd_write_reaches_stdout(void **state)
{
	harness *h = *state;
	char got[32] = {0};

	memcpy(at(h, BUF), "hello, ", 7);
	memcpy(at(h, BUF + 100), "world\n", 6);
	put_iov(h, 0, BUF, 7);
	put_iov(h, 1, BUF + 100, 6);
	assert_int_equal(call(h, WT_WASI_fd_write, 4, U(1), U(IOV), U(2), U(RES)), 0);
	assert_int_equal(wt_le32(at(h, RES)), 13);
	assert_int_equal(read(h->out_pipe[0], got, sizeof got), 13);
	assert_string_equal(got, "hello, world\n");
	assert_int_equal(h->last.call, WT_WASI_fd_write);
	assert_int_equal(h->last.size, 13);
	assert_int_equal(h->last.done, 13);
	assert_int_equal(h->last.rights, WT_RIGHT_WRITE);
}

static void test_wasi_hostile_pointers_fault(void **state)
{
	harness *h = *state;
	uint64_t end = wt_memory_size(h->mem);

	/* the iovec array, an iovec's buffer, the result word: all out of bounds */
	assert_int_equal(call(h, WT_WASI_fd_write, 4, U(1), end - 4, U(1), U(RES)), WT_EFAULT);
	put_iov(h, 0, (uint32_t)end - 2, 4);
	assert_int_equal(call(h, WT_WASI_fd_write, 4, U(1), U(IOV), U(1), U(RES)), WT_EFAULT);
	put_iov(h, 0, 0xfffffff0u, 0x20);
	assert_int_equal(call(h, WT_WASI_fd_write, 4, U(1), U(IOV), U(1), U(RES)), WT_EFAULT);
	put_iov(h, 0, BUF, 1);
	assert_int_equal(call(h, WT_WASI_fd_write, 4, U(1), U(IOV), U(1), end - 3), WT_EFAULT);
	/* an absurd iovec count: EINVAL, nothing allocated for it */
	assert_int_equal(call(h, WT_WASI_fd_write, 4, U(1), U(IOV), U(1) << 30, U(RES)), WT_EINVAL);
	assert_int_equal(call(h, WT_WASI_fd_read, 4, U(0), U(IOV), U(0xffffffff), U(RES)),
			 WT_EINVAL);
	assert_int_equal(call(h, WT_WASI_args_sizes_get, 2, end - 2, U(RES)), WT_EFAULT);
	assert_int_equal(call(h, WT_WASI_fd_fdstat_get, 2, U(1), end - 8), WT_EFAULT);
	assert_int_equal(call(h, WT_WASI_random_get, 2, U(BUF), end), WT_EFAULT);
	assert_int_equal(call(h, WT_WASI_path_open, 9, U(3), U(0), end - 1, U(8), U(0), U(0), U(0),
			      U(0), U(RES)),
			 WT_EFAULT);
	/* a decode failure never reaches the policy, but is observed */
	assert_int_equal(h->decided, 0);
	assert_int_equal(h->observed, 10);
	assert_int_equal(h->last.errno_result, WT_EFAULT);
}

typedef struct open_case {
	const char *path;
	size_t len;
	uint32_t oflags;
	int expect;
} open_case;

static const open_case open_cases[] = {
    {"sub/file.txt", 0, 0, 0},
    {"./sub/../sub/file.txt", 0, 0, 0},
    {"in", 0, 0, 0},			   /* a relative symlink inside */
    {"chain", 0, 0, 0},			   /* a chain of them */
    {"/etc/passwd", 0, 0, WT_ENOTCAPABLE}, /* absolute path on a dirfd */
    {"/data/sub/file.txt", 0, 0, WT_ENOTCAPABLE},
    {"a\0b", 3, 0, WT_EINVAL},	   /* embedded NUL */
    {"\xff\xfe", 0, 0, WT_EILSEQ}, /* invalid UTF-8 */
    {"", 0, 0, WT_ENOENT},
    {"sub", 0, WT_OF_DIRECTORY | WT_OF_CREAT, WT_EINVAL},
    {"../outside.txt", 0, 0, WT_ENOTCAPABLE},
    {"sub/../../outside.txt", 0, 0, WT_ENOTCAPABLE},
    {"abs", 0, 0, WT_ENOTCAPABLE}, /* absolute symlink */
    {"up", 0, 0, WT_ENOTCAPABLE},  /* relative symlink out */
    {"subup", 0, 0, WT_ENOTCAPABLE},
    {"parent/outside.txt", 0, 0, WT_ENOTCAPABLE}, /* symlink to the mount's parent */
    {"loop1", 0, 0, WT_ELOOP},
    {"missing", 0, 0, WT_ENOENT},
    {"sub/file.txt/x", 0, 0, WT_ENOTDIR},
};

static void run_open_cases(harness *h)
{
	for (size_t i = 0; i < sizeof open_cases / sizeof open_cases[0]; i++) {
		const open_case *t = &open_cases[i];
		uint32_t fd = 0;
		int e = open_path(h, 3, t->path, t->len, t->oflags, WT_WR_FD_READ, &fd);

		if (e != t->expect)
			fail_msg("open '%s': errno %d (%s), expected %d", t->path, e,
				 wt_wasi_errno_name((unsigned)e), t->expect);
		if (e == 0) {
			put_iov(h, 0, BUF, 64);
			assert_int_equal(call(h, WT_WASI_fd_read, 4, U(fd), U(IOV), U(1), U(RES)),
					 0);
			assert_int_equal(wt_le32(at(h, RES)), 5);
			assert_memory_equal(at(h, BUF), "hello", 5);
			assert_int_equal(call(h, WT_WASI_fd_close, 1, U(fd)), 0);
		}
	}
}

/* A read of nothing reads nothing and answers 0, as a write of nothing
 * does (and as read(2) of 0 bytes). */
static void test_wasi_zero_length_read_is_zero(void **state)
{
	harness *h = *state;
	uint32_t fd = 0;

	assert_int_equal(open_path(h, 3, "sub/file.txt", 12, 0, WT_WR_FD_READ, &fd), 0);
	put_iov(h, 0, BUF, 0);
	wt_put32(at(h, RES), 99);
	assert_int_equal(call(h, WT_WASI_fd_read, 4, U(fd), U(IOV), U(1), U(RES)), 0);
	assert_int_equal(wt_le32(at(h, RES)), 0);
	wt_put32(at(h, RES), 99);
	assert_int_equal(call(h, WT_WASI_fd_read, 4, U(fd), U(IOV), U(0), U(RES)), 0);
	assert_int_equal(wt_le32(at(h, RES)), 0);
	put_iov(h, 0, BUF, 64);
	assert_int_equal(call(h, WT_WASI_fd_read, 4, U(fd), U(IOV), U(1), U(RES)), 0);
	assert_int_equal(wt_le32(at(h, RES)), 5); /* nothing was taken before */
	assert_int_equal(call(h, WT_WASI_fd_close, 1, U(fd)), 0);
}

static void test_wasi_open_escapes_refused(void **state)
{
	run_open_cases(*state);
}

/* The same table with the component walk instead of openat2. */
static void test_wasi_open_escapes_refused_by_walk(void **state)
{
	harness *h = *state;

	wt_host_free(h->w->host);
	h->w->host = wt_host_new(1);
	assert_non_null(h->w->host);
	run_open_cases(h);
}

static void test_wasi_open_event_is_canonical(void **state)
{
	harness *h = *state;
	uint32_t fd;
	char host[256];

	assert_int_equal(open_path(h, 3, "sub/./x/../file.txt", 0, 0,
				   WT_WR_FD_READ | WT_WR_FD_FILESTAT_GET, &fd),
			 0);
	assert_string_equal(h->last_path, "/data/sub/file.txt");
	snprintf(host, sizeof host, "%s/sub/file.txt", h->data);
	assert_string_equal(h->last_host, host);
	assert_int_equal(h->last.new_fd, (int32_t)fd);
	assert_int_equal(h->last.rights, WT_RIGHT_READ);
	/* calls on the new fd carry its canonical path */
	assert_int_equal(call(h, WT_WASI_fd_filestat_get, 2, U(fd), U(ST)), 0);
	assert_string_equal(h->last.fd_path, "/data/sub/file.txt");
	assert_int_equal(at(h, ST)[16], WT_FT_REGULAR_FILE);
	assert_int_equal(wt_le64(at(h, ST + 32)), 5);
}

/* Without a mount at "/", the root is a read-only folder holding only the
 * ways to the mounts: /etc/passwd is nowhere, not under a mount. */
static void test_wasi_root_answers_outside_the_mounts(void **state)
{
	harness *h = *state;
	uint32_t fd;

	assert_int_equal(call(h, WT_WASI_fd_prestat_dir_name, 3, U(5), U(BUF), U(1)), 0);
	assert_memory_equal(at(h, BUF), "/", 1);
	assert_int_equal(open_path(h, 5, "etc/passwd", 0, 0, WT_WR_FD_READ, &fd), WT_ENOENT);
	assert_string_equal(h->last_path, "/etc/passwd");
	assert_int_equal(open_path(h, 5, "data/sub/file.txt", 0, 0, WT_WR_FD_READ, &fd), 0);
	assert_string_equal(h->last_path, "/data/sub/file.txt");
	assert_int_equal(open_path(h, 5, "x", 0, WT_OF_CREAT, WT_WR_FD_WRITE, &fd), WT_EROFS);
	assert_int_equal(
	    call(h, WT_WASI_path_create_directory, 3, U(5), U(STR), put_str(h, "d", 0)), WT_EROFS);
	assert_int_equal(
	    call(h, WT_WASI_path_remove_directory, 3, U(5), U(STR), put_str(h, "data", 0)),
	    WT_EBUSY);
}

/* Answers as the specification's tests and Linux give them. */
static void test_wasi_answers_as_specified(void **state)
{
	harness *h = *state;
	uint32_t fd;
	uint64_t n;

	/* a folder opened with the fd_write right: EISDIR */
	assert_int_equal(
	    open_path(h, 3, "sub", 0, WT_OF_DIRECTORY, WT_WR_FD_WRITE | WT_WR_FD_READDIR, &fd),
	    WT_EISDIR);
	/* a hard link's new name with a slash: ENOENT when free, EEXIST when taken */
	n = put_str(h, "sub/file.txt", 0);
	memcpy(at(h, BUF), "fresh/", 6);
	assert_int_equal(call(h, WT_WASI_path_link, 7, U(3), U(0), U(STR), n, U(3), U(BUF), U(6)),
			 WT_ENOENT);
	memcpy(at(h, BUF), "sub/", 4);
	assert_int_equal(call(h, WT_WASI_path_link, 7, U(3), U(0), U(STR), n, U(3), U(BUF), U(4)),
			 WT_EEXIST);
	/* proc_raise: ignored by default, no stop, none; a terminating one ends the run */
	assert_int_equal(call(h, WT_WASI_proc_raise, 1, U(16)), 0);	    /* SIGCHLD */
	assert_int_equal(call(h, WT_WASI_proc_raise, 1, U(19)), WT_ENOSYS); /* SIGTSTP */
	assert_int_equal(call(h, WT_WASI_proc_raise, 1, U(0)), WT_ENOSYS);
	assert_int_equal(call(h, WT_WASI_proc_raise, 1, U(99)), WT_EINVAL);
	assert_int_equal(call(h, WT_WASI_proc_raise, 1, U(6)), -1); /* SIGABRT */
	assert_int_equal(h->trap.kind, WT_TRAP_SIGNAL);
	assert_int_equal(h->trap.exit_code, 6);
	assert_string_equal(h->trap.msg, "SIGABRT");
}

static void test_wasi_cwd_is_a_dot_preopen(void **state)
{
	harness *h = *state;
	uint32_t fd;

	/* 3 = /data, 4 = /ro, 5 = the root "/", 6 = "." for the cwd /data/sub */
	assert_int_equal(call(h, WT_WASI_fd_prestat_get, 2, U(5), U(ST)), 0);
	assert_int_equal(wt_le32(at(h, ST + 4)), 1);
	assert_int_equal(call(h, WT_WASI_fd_prestat_dir_name, 3, U(5), U(BUF), U(1)), 0);
	assert_memory_equal(at(h, BUF), "/", 1);
	assert_int_equal(call(h, WT_WASI_fd_prestat_get, 2, U(6), U(ST)), 0);
	assert_int_equal(wt_le32(at(h, ST + 4)), 1);
	assert_int_equal(call(h, WT_WASI_fd_prestat_dir_name, 3, U(6), U(BUF), U(1)), 0);
	assert_memory_equal(at(h, BUF), ".", 1);
	assert_int_equal(call(h, WT_WASI_fd_prestat_get, 2, U(7), U(ST)), WT_EBADF);
	/* guest.txt from the cwd and /data/sub/guest.txt are one file */
	assert_int_equal(open_path(h, 6, "file.txt", 0, 0, WT_WR_FD_READ, &fd), 0);
	assert_string_equal(h->last_path, "/data/sub/file.txt");
	assert_int_equal(open_path(h, 3, "sub/file.txt", 0, 0, WT_WR_FD_READ, &fd), 0);
	assert_string_equal(h->last_path, "/data/sub/file.txt");
	/* a folder fd is a capability for what lies below it: `..` may not
	 * climb above it, not even inside its mount (RESOLVE_BENEATH) */
	assert_int_equal(open_path(h, 6, "../sub/file.txt", 0, 0, WT_WR_FD_READ, &fd),
			 WT_ENOTCAPABLE);
	assert_int_equal(open_path(h, 6, "../../ro/file.txt", 0, 0, WT_WR_FD_READ, &fd),
			 WT_ENOTCAPABLE);
	assert_int_equal(open_path(h, 3, "sub/x/../../sub/file.txt", 0, 0, WT_WR_FD_READ, &fd), 0);
	assert_int_equal(open_path(h, 3, "sub/../../data/sub/file.txt", 0, 0, WT_WR_FD_READ, &fd),
			 WT_ENOTCAPABLE);
}

static void assert_ro_unchanged(harness *h)
{
	char p[256], got[16] = {0};
	struct stat st;
	FILE *f;

	snprintf(p, sizeof p, "%s/file.txt", h->ro);
	f = fopen(p, "r");
	assert_non_null(f);
	assert_int_equal(fread(got, 1, sizeof got, f), 6);
	fclose(f);
	assert_string_equal(got, "frozen");
	snprintf(p, sizeof p, "%s/new", h->ro);
	assert_int_not_equal(lstat(p, &st), 0);
}

static void test_wasi_readonly_mount_refuses_writes(void **state)
{
	harness *h = *state;
	uint64_t n;

	assert_int_equal(open_path(h, 4, "new", 0, WT_OF_CREAT, WT_WR_FD_READ, NULL), WT_EROFS);
	assert_int_equal(open_path(h, 4, "file.txt", 0, WT_OF_TRUNC, WT_WR_FD_READ, NULL),
			 WT_EROFS);
	assert_int_equal(open_path(h, 4, "file.txt", 0, 0, WT_WR_FD_WRITE, NULL), WT_EROFS);
	n = put_str(h, "new", 0);
	assert_int_equal(call(h, WT_WASI_path_create_directory, 3, U(4), U(STR), n), WT_EROFS);
	assert_int_equal(call(h, WT_WASI_path_symlink, 5, U(STR), n, U(4), U(STR), n), WT_EROFS);
	n = put_str(h, "file.txt", 0);
	assert_int_equal(call(h, WT_WASI_path_unlink_file, 3, U(4), U(STR), n), WT_EROFS);
	assert_int_equal(call(h, WT_WASI_path_remove_directory, 3, U(4), U(STR), n), WT_EROFS);
	assert_int_equal(call(h, WT_WASI_path_filestat_set_times, 7, U(4), U(0), U(STR), n, U(0),
			      U(0), U(WT_FST_MTIM_NOW)),
			 WT_EROFS);
	assert_int_equal(call(h, WT_WASI_path_rename, 6, U(4), U(STR), n, U(4), U(STR), U(3)),
			 WT_EROFS);
	assert_int_equal(call(h, WT_WASI_path_rename, 6, U(4), U(STR), n, U(3), U(STR), n),
			 WT_EROFS);
	assert_int_equal(call(h, WT_WASI_path_link, 7, U(4), U(0), U(STR), n, U(3), U(STR), U(3)),
			 WT_EROFS);
	assert_int_equal(call(h, WT_WASI_path_link, 7, U(3), U(0), U(STR), U(3), U(4), U(STR), n),
			 WT_EROFS);
	assert_ro_unchanged(h);
}

static void test_wasi_readonly_fd_refuses_writes(void **state)
{
	harness *h = *state;
	uint32_t fd;

	assert_int_equal(open_path(h, 4, "file.txt", 0, 0, WT_WR_FD_READ, &fd), 0);
	put_iov(h, 0, BUF, 3);
	assert_int_equal(call(h, WT_WASI_fd_write, 4, U(fd), U(IOV), U(1), U(RES)), WT_ENOTCAPABLE);
	/* rights the fd holds but the mount forbids: EROFS */
	h->w->fds.ents[fd].base |= WT_WR_FD_WRITE | WT_WR_FD_FILESTAT_SET_SIZE;
	assert_int_equal(call(h, WT_WASI_fd_write, 4, U(fd), U(IOV), U(1), U(RES)), WT_EROFS);
	assert_int_equal(call(h, WT_WASI_fd_filestat_set_size, 2, U(fd), U(0)), WT_EROFS);
	assert_ro_unchanged(h);
}

static void test_wasi_rights_only_shrink(void **state)
{
	harness *h = *state;
	uint32_t fd, fd2;

	assert_int_equal(open_path(h, 3, "sub/file.txt", 0, 0, WT_WR_FD_READ | WT_WR_FD_SEEK, &fd),
			 0);
	assert_int_equal(call(h, WT_WASI_fd_fdstat_set_rights, 3, U(fd), U(WT_WR_FD_SEEK), U(0)),
			 0);
	put_iov(h, 0, BUF, 4);
	assert_int_equal(call(h, WT_WASI_fd_read, 4, U(fd), U(IOV), U(1), U(RES)), WT_ENOTCAPABLE);
	assert_int_equal(
	    call(h, WT_WASI_fd_fdstat_set_rights, 3, U(fd), U(WT_WR_FD_SEEK | WT_WR_FD_READ), U(0)),
	    WT_ENOTCAPABLE);
	/* a folder whose inheriting rights lack FD_WRITE opens files without it */
	assert_int_equal(
	    open_path(h, 3, "sub", 0, WT_OF_DIRECTORY, WT_WR_ALL & ~WT_WR_FD_WRITE, &fd), 0);
	assert_int_equal(call(h, WT_WASI_fd_fdstat_set_rights, 3, U(fd), U(WT_WR_DIR),
			      U(WT_WR_FD_READ | WT_WR_PATH_OPEN)),
			 0);
	assert_int_equal(open_path(h, fd, "file.txt", 0, 0, WT_WR_FD_READ | WT_WR_FD_WRITE, &fd2),
			 0);
	assert_int_equal(call(h, WT_WASI_fd_fdstat_get, 2, U(fd2), U(ST)), 0);
	assert_int_equal(wt_le64(at(h, ST + 8)), WT_WR_FD_READ);
	assert_int_equal(call(h, WT_WASI_fd_write, 4, U(fd2), U(IOV), U(1), U(RES)),
			 WT_ENOTCAPABLE);
}

static void test_wasi_policy_verdicts(void **state)
{
	harness *h = *state;
	uint32_t fd;

	h->only = WT_WASI_path_open;
	h->verdict = WT_DENY;
	assert_int_equal(open_path(h, 3, "sub/file.txt", 0, 0, WT_WR_FD_READ, &fd), WT_ENOTCAPABLE);
	assert_int_equal(h->last.verdict, WT_DENY);
	h->deny_errno = WT_ENOTDIR; /* the policy answers as the host once did */
	assert_int_equal(open_path(h, 3, "sub/file.txt", 0, 0, WT_WR_FD_READ, &fd), WT_ENOTDIR);
	assert_int_equal(h->last.errno_result, WT_ENOTDIR);
	h->deny_errno = 0;
	h->verdict = WT_HIDE;
	assert_int_equal(open_path(h, 3, "sub/file.txt", 0, 0, WT_WR_FD_READ, &fd), WT_ENOENT);
	assert_int_equal(h->w->fds.n, 6); /* nothing was opened */
	h->verdict = WT_STOP;
	assert_int_equal(open_path(h, 3, "sub/file.txt", 0, 0, WT_WR_FD_READ, &fd), -1);
	assert_int_equal(h->trap.kind, WT_TRAP_HOST);
	assert_non_null(strstr(h->trap.msg, "path_open"));
	assert_non_null(strstr(h->trap.msg, "/data/sub/file.txt"));
	assert_int_equal(h->observed, 4);
	assert_int_equal(h->last.seq, 4);
}

/* The probe `only: new` rules use: beneath the mount, a final symlink not followed. */
static void test_wasi_probe_names_entries(void **state)
{
	static const struct {
		const char *path;
		int want;
	} cases[] = {
	    {"/data/sub/file.txt", 1},
	    {"/data/sub", 1},
	    {"/data", 1},
	    {"/data/abs", 1}, /* the link itself, never /etc/passwd */
	    {"/data/nothing", 0},
	    {"/data/sub/file.txt/x", 0},
	    {"/data/parent/outside.txt", -1},
	    {"/data/abs/x", -1},
	    {"/elsewhere/x", -1},
	    {"/ro/file.txt", 1},
	};
	harness *h = *state;
	wt_probe *p = wt_probe_new(h->mounts, 2);

	assert_non_null(p);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (wt_probe_exists(p, cases[i].path, strlen(cases[i].path)) != cases[i].want)
			fail_msg("%s: expected %d", cases[i].path, cases[i].want);
	wt_probe_free(p);
}

static void test_wasi_proc_exit_ends_the_run(void **state)
{
	harness *h = *state;

	assert_int_equal(call(h, WT_WASI_proc_exit, 1, U(7)), -1);
	assert_int_equal(h->trap.kind, WT_TRAP_EXIT);
	assert_int_equal(h->trap.exit_code, 7);
	assert_int_equal(h->last.exit_code, 7);
}

static void test_wasi_args_env_clock_random(void **state)
{
	harness *h = *state;
	uint64_t t1, t2;

	assert_int_equal(call(h, WT_WASI_args_sizes_get, 2, U(RES), U(RES + 4)), 0);
	assert_int_equal(wt_le32(at(h, RES)), 3);
	assert_int_equal(wt_le32(at(h, RES + 4)), 13);
	assert_int_equal(call(h, WT_WASI_args_get, 2, U(RES), U(BUF)), 0);
	assert_int_equal(wt_le32(at(h, RES + 4)), BUF + 5);
	assert_string_equal((char *)at(h, BUF + 5), "one");
	assert_int_equal(call(h, WT_WASI_environ_sizes_get, 2, U(RES), U(RES + 4)), 0);
	assert_int_equal(wt_le32(at(h, RES)), 2);
	assert_int_equal(call(h, WT_WASI_environ_get, 2, U(RES), U(BUF)), 0);
	assert_string_equal((char *)at(h, wt_le32(at(h, RES + 4))), "LANG=C");
	assert_int_equal(call(h, WT_WASI_clock_time_get, 3, U(1), U(0), U(RES)), 0);
	t1 = wt_le64(at(h, RES));
	assert_int_equal(call(h, WT_WASI_clock_time_get, 3, U(1), U(0), U(RES)), 0);
	t2 = wt_le64(at(h, RES));
	assert_true(t2 >= t1 && t1 > 0);
	assert_int_equal(h->last.clock_id, 1);
	assert_int_equal(call(h, WT_WASI_clock_time_get, 3, U(9), U(0), U(RES)), WT_EINVAL);
	assert_int_equal(call(h, WT_WASI_clock_res_get, 2, U(0), U(RES)), 0);
	assert_true(wt_le64(at(h, RES)) > 0);
	memset(at(h, BUF), 0, 64);
	assert_int_equal(call(h, WT_WASI_random_get, 2, U(BUF), U(64)), 0);
	assert_int_equal(h->last.done, 64);
	assert_true(memcmp(at(h, BUF), at(h, BUF + 64), 64) != 0);
	assert_int_equal(call(h, WT_WASI_sched_yield, 0), 0);
	assert_int_equal(call(h, WT_WASI_proc_raise, 1, U(27)), 0); /* SIGWINCH: ignored */
}

static void test_wasi_sockets_only_preopened(void **state)
{
	harness *h = *state;

	assert_int_equal(call(h, WT_WASI_sock_accept, 3, U(3), U(0), U(RES)), WT_ENOTSOCK);
	assert_int_equal(call(h, WT_WASI_sock_shutdown, 2, U(1), U(2)), WT_ENOTSOCK);
	assert_int_equal(call(h, WT_WASI_sock_send, 5, U(99), U(IOV), U(0), U(0), U(RES)),
			 WT_EBADF);
	assert_int_equal(call(h, WT_WASI_sock_recv, 6, U(99), U(IOV), U(0), U(0), U(RES), U(RES)),
			 WT_EBADF);
}

static void test_wasi_poll_clocks(void **state)
{
	harness *h = *state;
	uint8_t *s = at(h, SUB);
	uint64_t now;

	memset(s, 0, 2 * WT_SUBSCRIPTION_SIZE);
	wt_put64(s, 42);
	s[8] = WT_EVENTTYPE_CLOCK;
	wt_put32(s + 16, WT_CLOCK_MONOTONIC);
	wt_put64(s + 24, 1000000); /* 1 ms */
	assert_int_equal(call(h, WT_WASI_poll_oneoff, 4, U(SUB), U(ST), U(1), U(RES)), 0);
	assert_int_equal(wt_le32(at(h, RES)), 1);
	assert_int_equal(wt_le64(at(h, ST)), 42);
	assert_int_equal(at(h, ST)[10], WT_EVENTTYPE_CLOCK);
	/* an absolute time in the past, and a regular file: both ready at once */
	assert_int_equal(call(h, WT_WASI_clock_time_get, 3, U(0), U(0), U(RES)), 0);
	now = wt_le64(at(h, RES));
	wt_put32(s + 16, WT_CLOCK_REALTIME);
	wt_put64(s + 24, now - 1000);
	wt_put16(s + 40, WT_SUBCLOCK_ABSTIME);
	assert_int_equal(call(h, WT_WASI_poll_oneoff, 4, U(SUB), U(ST), U(1), U(RES)), 0);
	assert_int_equal(wt_le32(at(h, RES)), 1);
	assert_int_equal(call(h, WT_WASI_poll_oneoff, 4, U(SUB), U(ST), U(0), U(RES)), WT_EINVAL);
	assert_int_equal(call(h, WT_WASI_poll_oneoff, 4, U(SUB), U(ST), U(1) << 20, U(RES)),
			 WT_EINVAL);
}

static void test_wasi_poll_fds(void **state)
{
	harness *h = *state;
	uint8_t *s = at(h, SUB);
	uint32_t fd;

	/* fd 1 is a pipe with room: writable now; a file is always ready; a
	 * closed fd is an event with EBADF, not a failed call */
	assert_int_equal(open_path(h, 3, "sub/file.txt", 0, 0, WT_WR_FD_READ, &fd), 0);
	memset(s, 0, 3 * WT_SUBSCRIPTION_SIZE);
	s[8] = WT_EVENTTYPE_FD_WRITE;
	wt_put32(s + 16, 1);
	wt_put64(s + 48, 7);
	s[48 + 8] = WT_EVENTTYPE_FD_READ;
	wt_put32(s + 48 + 16, fd);
	wt_put64(s + 96, 9);
	s[96 + 8] = WT_EVENTTYPE_FD_READ;
	wt_put32(s + 96 + 16, 77);
	assert_int_equal(call(h, WT_WASI_poll_oneoff, 4, U(SUB), U(ST), U(3), U(RES)), 0);
	assert_int_equal(wt_le32(at(h, RES)), 3);
	for (int i = 0; i < 3; i++) {
		uint64_t ud = wt_le64(at(h, ST + 32 * i));
		uint16_t err = wt_le16(at(h, ST + 32 * i + 8));

		assert_int_equal(err, ud == 9 ? WT_EBADF : 0);
	}
	/* the read end of an empty pipe is not ready: a 1 ms clock fires */
	h->w->fds.ents[1].host = h->out_pipe[0];
	s[8] = WT_EVENTTYPE_FD_READ;
	memset(s + 48, 0, WT_SUBSCRIPTION_SIZE);
	wt_put64(s + 48, 5);
	s[48 + 8] = WT_EVENTTYPE_CLOCK;
	wt_put32(s + 48 + 16, WT_CLOCK_MONOTONIC);
	wt_put64(s + 48 + 24, 1000000);
	assert_int_equal(call(h, WT_WASI_poll_oneoff, 4, U(SUB), U(ST), U(2), U(RES)), 0);
	assert_int_equal(wt_le32(at(h, RES)), 1);
	assert_int_equal(wt_le64(at(h, ST)), 5);
	h->w->fds.ents[1].host = h->out_pipe[1];
}

static void test_wasi_readdir_lists_and_resumes(void **state)
{
	harness *h = *state;
	uint32_t fd, used, off = 0;
	int seen = 0;
	uint64_t cookie = 0;

	assert_int_equal(open_path(h, 3, "sub", 0, WT_OF_DIRECTORY, WT_WR_FD_READDIR, &fd), 0);
	/* a buffer of one entry at a time: the cookies carry the listing on */
	for (int round = 0; round < 10; round++) {
		assert_int_equal(
		    call(h, WT_WASI_fd_readdir, 5, U(fd), U(BUF), U(40), cookie, U(RES)), 0);
		used = wt_le32(at(h, RES));
		if (used < WT_DIRENT_SIZE)
			break;
		off = wt_le32(at(h, BUF + 16));
		if (off == 8 && memcmp(at(h, BUF + 24), "file.txt", 8) == 0) {
			seen++;
			assert_int_equal(at(h, BUF + 20)[0], WT_FT_REGULAR_FILE);
		}
		cookie = wt_le64(at(h, BUF));
	}
	assert_int_equal(seen, 1);
	assert_int_equal(h->last.rights, WT_RIGHT_LIST);
}

static void test_wasi_guest_symlinks_stay_inside(void **state)
{
	harness *h = *state;
	uint64_t n;
	uint32_t fd;

	memcpy(at(h, BUF), "mylink", 6);
	n = put_str(h, "/etc/passwd", 0);
	assert_int_equal(call(h, WT_WASI_path_symlink, 5, U(STR), n, U(3), U(BUF), U(6)),
			 WT_ENOTCAPABLE);
	n = put_str(h, "sub/../../outside.txt", 0);
	assert_int_equal(call(h, WT_WASI_path_symlink, 5, U(STR), n, U(3), U(BUF), U(6)),
			 WT_ENOTCAPABLE);
	n = put_str(h, "sub/file.txt", 0);
	assert_int_equal(call(h, WT_WASI_path_symlink, 5, U(STR), n, U(3), U(BUF), U(6)), 0);
	assert_string_equal(h->last_path, "/data/mylink");
	assert_int_equal(open_path(h, 3, "mylink", 0, 0, WT_WR_FD_READ, &fd), 0);
	n = put_str(h, "mylink", 0);
	assert_int_equal(call(h, WT_WASI_path_readlink, 6, U(3), U(STR), n, U(BUF), U(64), U(RES)),
			 0);
	assert_int_equal(wt_le32(at(h, RES)), 12);
	assert_memory_equal(at(h, BUF), "sub/file.txt", 12);
	/* not following the final link: ELOOP, as O_NOFOLLOW */
	n = put_str(h, "mylink", 0);
	assert_int_equal(call(h, WT_WASI_path_open, 9, U(3), U(0), U(STR), n, U(0),
			      U(WT_WR_FD_READ), U(0), U(0), U(RES)),
			 WT_ELOOP);
}

static void test_wasi_rename_link_unlink_stay_inside(void **state)
{
	harness *h = *state;
	uint64_t n, n2;

	n = put_str(h, "sub/file.txt", 0);
	memcpy(at(h, BUF), "../escaped", 10);
	assert_int_equal(call(h, WT_WASI_path_rename, 6, U(3), U(STR), n, U(3), U(BUF), U(10)),
			 WT_ENOTCAPABLE);
	assert_int_equal(call(h, WT_WASI_path_link, 7, U(3), U(0), U(STR), n, U(3), U(BUF), U(10)),
			 WT_ENOTCAPABLE);
	n2 = put_str(h, "../outside.txt", 0);
	assert_int_equal(call(h, WT_WASI_path_unlink_file, 3, U(3), U(STR), n2), WT_ENOTCAPABLE);
	/* inside the mount they work */
	n = put_str(h, "sub/file.txt", 0);
	memcpy(at(h, BUF), "moved.txt", 9);
	assert_int_equal(call(h, WT_WASI_path_rename, 6, U(3), U(STR), n, U(3), U(BUF), U(9)), 0);
	assert_string_equal(h->last.path2, "/data/moved.txt");
	n = put_str(h, "moved.txt", 0);
	memcpy(at(h, BUF), "linked.txt", 10);
	assert_int_equal(call(h, WT_WASI_path_link, 7, U(3), U(0), U(STR), n, U(3), U(BUF), U(10)),
			 0);
	assert_int_equal(call(h, WT_WASI_path_filestat_get, 5, U(3), U(0), U(STR), n, U(ST)), 0);
	assert_int_equal(wt_le64(at(h, ST + 24)), 2);
	assert_int_equal(call(h, WT_WASI_path_unlink_file, 3, U(3), U(STR), n), 0);
	n = put_str(h, "newdir", 0);
	assert_int_equal(call(h, WT_WASI_path_create_directory, 3, U(3), U(STR), n), 0);
	assert_int_equal(call(h, WT_WASI_path_remove_directory, 3, U(3), U(STR), n), 0);
	assert_int_equal(call(h, WT_WASI_path_filestat_get, 5, U(3), U(0), U(STR), n, U(ST)),
			 WT_ENOENT);
}

/* One path call on fd 3 (/data) with the path at STR and, for rename,
 * link and symlink, a second string at BUF. */
typedef struct slash_case {
	wt_wasi_call call;
	const char *path, *path2;
	uint32_t oflags;
	int expect;
} slash_case;

static const slash_case slash_cases[] = {
    {WT_WASI_path_unlink_file, "sub/file.txt/", NULL, 0, WT_ENOTDIR},
    {WT_WASI_path_unlink_file, "sub/file.txt/.", NULL, 0, WT_ENOTDIR},
    {WT_WASI_path_unlink_file, "in/", NULL, 0, WT_ENOTDIR}, /* a link to a file */
    {WT_WASI_path_unlink_file, "sub/", NULL, 0, WT_EISDIR},
    {WT_WASI_path_unlink_file, "nothing/", NULL, 0, WT_ENOENT},
    {WT_WASI_path_open, "sub/file.txt/", NULL, 0, WT_ENOTDIR},
    {WT_WASI_path_open, "in/", NULL, 0, WT_ENOTDIR},
    {WT_WASI_path_open, "sub/", NULL, 0, 0},
    {WT_WASI_path_open, "sub/.", NULL, 0, 0},
    {WT_WASI_path_open, "new/", NULL, WT_OF_CREAT, WT_EISDIR},
    {WT_WASI_path_filestat_get, "sub/file.txt/", NULL, 0, WT_ENOTDIR},
    {WT_WASI_path_filestat_get, "sub/", NULL, 0, 0},
    {WT_WASI_path_filestat_get, "abs/", NULL, 0, WT_ENOTCAPABLE}, /* follows: still beneath */
    {WT_WASI_path_filestat_set_times, "sub/file.txt/", NULL, 0, WT_ENOTDIR},
    {WT_WASI_path_filestat_set_times, "parent/", NULL, 0, WT_ENOTCAPABLE},
    {WT_WASI_path_readlink, "in/", NULL, 0, WT_ENOTDIR},
    {WT_WASI_path_readlink, "sub/", NULL, 0, WT_EINVAL},
    {WT_WASI_path_rename, "sub/file.txt/", "moved", 0, WT_ENOTDIR},
    {WT_WASI_path_rename, "sub/file.txt", "moved/", 0, WT_ENOTDIR},
    {WT_WASI_path_link, "sub/file.txt/", "hard", 0, WT_ENOTDIR},
    {WT_WASI_path_link, "sub/", "hard", 0, WT_EPERM},
    {WT_WASI_path_symlink, "newlink/", "sub", 0, WT_ENOENT},
    {WT_WASI_path_symlink, "in/", "sub", 0, WT_EEXIST},
    {WT_WASI_path_create_directory, "made/", NULL, 0, 0},
    {WT_WASI_path_remove_directory, "made/", NULL, 0, 0},
    {WT_WASI_path_remove_directory, "in/", NULL, 0, WT_ENOTDIR},
    {WT_WASI_path_rename, "sub/", "sub2/", 0, 0},
    {WT_WASI_path_rename, "sub2", "sub", 0, 0},
};

static int slash_call(harness *h, const slash_case *t)
{
	uint64_t n = put_str(h, t->path, 0), n2 = t->path2 ? strlen(t->path2) : 0;

	memcpy(at(h, BUF), t->path2 ? t->path2 : "", n2);
	switch (t->call) {
	case WT_WASI_path_open:
		return open_path(h, 3, t->path, 0, t->oflags, WT_WR_FD_READ, NULL);
	case WT_WASI_path_filestat_get:
		return call(h, t->call, 5, U(3), U(0), U(STR), n, U(ST));
	case WT_WASI_path_filestat_set_times:
		return call(h, t->call, 7, U(3), U(0), U(STR), n, U(0), U(0), U(WT_FST_MTIM_NOW));
	case WT_WASI_path_readlink:
		return call(h, t->call, 6, U(3), U(STR), n, U(BUF + 512), U(64), U(RES));
	case WT_WASI_path_rename:
		return call(h, t->call, 6, U(3), U(STR), n, U(3), U(BUF), n2);
	case WT_WASI_path_link:
		return call(h, t->call, 7, U(3), U(0), U(STR), n, U(3), U(BUF), n2);
	case WT_WASI_path_symlink: /* path2 is the text, path the new link */
		return call(h, t->call, 5, U(BUF), n2, U(3), U(STR), n);
	default:
		return call(h, t->call, 3, U(3), U(STR), n);
	}
}

static void run_slash_cases(harness *h)
{
	char p[256];
	struct stat st;

	for (size_t i = 0; i < sizeof slash_cases / sizeof slash_cases[0]; i++) {
		const slash_case *t = &slash_cases[i];
		int e = slash_call(h, t);

		if (e != t->expect)
			fail_msg("%s '%s': errno %d (%s), expected %d", wt_wasi_call_name(t->call),
				 t->path, e, wt_wasi_errno_name((unsigned)e), t->expect);
	}
	/* nothing that a slash named was removed, moved or linked */
	snprintf(p, sizeof p, "%s/sub/file.txt", h->data);
	assert_int_equal(lstat(p, &st), 0);
	assert_int_equal(st.st_nlink, 1);
	snprintf(p, sizeof p, "%s/in", h->data);
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	snprintf(p, sizeof p, "%s/moved", h->data);
	assert_int_not_equal(lstat(p, &st), 0);
}

static void test_wasi_trailing_slash_names_a_folder(void **state)
{
	run_slash_cases(*state);
}

static void test_wasi_trailing_slash_names_a_folder_by_walk(void **state)
{
	harness *h = *state;

	wt_host_free(h->w->host);
	h->w->host = wt_host_new(1);
	assert_non_null(h->w->host);
	run_slash_cases(h);
}

/* A final symlink below a folder is followed to its target (not to its
 * folder), by openat2 and by the walk. */
static void test_wasi_follow_final_symlink_in_a_folder(void **state)
{
	harness *h = *state;
	uint64_t n;

	link_at(h->data, "sub/lnk", "file.txt");
	link_at(h->data, "sub/dirlnk", ".");
	for (int walk = 0; walk < 2; walk++) {
		wt_host_free(h->w->host);
		h->w->host = wt_host_new(walk);
		n = put_str(h, "sub/lnk", 0);
		assert_int_equal(call(h, WT_WASI_path_filestat_get, 5, U(3),
				      U(WT_LOOKUP_SYMLINK_FOLLOW), U(STR), n, U(ST)),
				 0);
		assert_int_equal(at(h, ST)[16], WT_FT_REGULAR_FILE);
		assert_int_equal(wt_le64(at(h, ST + 32)), 5);
		assert_int_equal(call(h, WT_WASI_path_filestat_set_times, 7, U(3),
				      U(WT_LOOKUP_SYMLINK_FOLLOW), U(STR), n, U(0),
				      U(7000000000ull), U(WT_FST_MTIM)),
				 0);
		assert_int_equal(
		    call(h, WT_WASI_path_filestat_get, 5, U(3), U(0), U(STR), n, U(ST)), 0);
		assert_int_equal(at(h, ST)[16], WT_FT_SYMBOLIC_LINK);
		/* a parent folder reached through a final symlink of its own */
		n = put_str(h, "sub/dirlnk/newdir", 0);
		assert_int_equal(call(h, WT_WASI_path_create_directory, 3, U(3), U(STR), n), 0);
		assert_int_equal(call(h, WT_WASI_path_remove_directory, 3, U(3), U(STR), n), 0);
	}
	n = put_str(h, "sub/file.txt", 0);
	assert_int_equal(call(h, WT_WASI_path_filestat_get, 5, U(3), U(0), U(STR), n, U(ST)), 0);
	assert_int_equal(wt_le64(at(h, ST + 48)), 7000000000ull);
}

/* ev.created: set when path_open made the file, not when it was there. */
static void test_wasi_open_reports_created(void **state)
{
	harness *h = *state;
	char p[256];
	struct stat st;
	uint32_t fd;

	assert_int_equal(open_path(h, 3, "fresh", 0, WT_OF_CREAT, WT_WR_FD_WRITE, &fd), 0);
	assert_int_equal(h->last.created, 1);
	assert_int_equal(open_path(h, 3, "fresh", 0, WT_OF_CREAT, WT_WR_FD_WRITE, &fd), 0);
	assert_int_equal(h->last.created, 0);
	assert_int_equal(
	    open_path(h, 3, "fresh", 0, WT_OF_CREAT | WT_OF_TRUNC, WT_WR_FD_WRITE, &fd), 0);
	assert_int_equal(h->last.created, 0);
	assert_int_equal(open_path(h, 3, "fresh", 0, WT_OF_CREAT | WT_OF_EXCL, WT_WR_FD_WRITE, &fd),
			 WT_EEXIST);
	assert_int_equal(h->last.created, 0);
	assert_int_equal(
	    open_path(h, 3, "fresh2", 0, WT_OF_CREAT | WT_OF_EXCL, WT_WR_FD_WRITE, &fd), 0);
	assert_int_equal(h->last.created, 1);
	assert_int_equal(open_path(h, 3, "sub/file.txt", 0, 0, WT_WR_FD_READ, &fd), 0);
	assert_int_equal(h->last.created, 0);
	/* a dangling link inside the mount: its target is made, and created */
	link_at(h->data, "dangling", "sub/made.txt");
	assert_int_equal(open_path(h, 3, "dangling", 0, WT_OF_CREAT, WT_WR_FD_WRITE, &fd), 0);
	assert_int_equal(h->last.created, 1);
	snprintf(p, sizeof p, "%s/sub/made.txt", h->data);
	assert_int_equal(stat(p, &st), 0);
	/* a dangling link out of the mount makes nothing */
	link_at(h->data, "dangling_out", "../made_outside.txt");
	assert_int_equal(open_path(h, 3, "dangling_out", 0, WT_OF_CREAT, WT_WR_FD_WRITE, &fd),
			 WT_ENOTCAPABLE);
	assert_int_equal(h->last.created, 0);
	snprintf(p, sizeof p, "%s/made_outside.txt", h->dir);
	assert_int_not_equal(lstat(p, &st), 0);
}

/* A rename or hard link keeps a symlink's text: one made deep inside
 * must not be moved up to where it points out of the mount. */
static void test_wasi_moved_symlinks_stay_inside(void **state)
{
	harness *h = *state;
	char p[256];
	struct stat st;
	uint64_t n, n2;

	n = put_str(h, "../../outside.txt", 0);
	memcpy(at(h, BUF), "sub/deep", 8);
	assert_int_equal(call(h, WT_WASI_path_create_directory, 3, U(3), U(BUF), U(8)), 0);
	memcpy(at(h, BUF), "sub/deep/l", 10);
	assert_int_equal(call(h, WT_WASI_path_symlink, 5, U(STR), n, U(3), U(BUF), U(10)), 0);
	n = put_str(h, "sub/deep/l", 0);
	memcpy(at(h, BUF), "l", 1);
	assert_int_equal(call(h, WT_WASI_path_rename, 6, U(3), U(STR), n, U(3), U(BUF), U(1)),
			 WT_ENOTCAPABLE);
	assert_int_equal(call(h, WT_WASI_path_link, 7, U(3), U(0), U(STR), n, U(3), U(BUF), U(1)),
			 WT_ENOTCAPABLE);
	memcpy(at(h, BUF), "sub/l", 5);
	assert_int_equal(call(h, WT_WASI_path_rename, 6, U(3), U(STR), n, U(3), U(BUF), U(5)),
			 WT_ENOTCAPABLE);
	/* deeper, or level, is fine; so is a host link moved where it stays in */
	memcpy(at(h, BUF), "sub/deep/l2", 11);
	assert_int_equal(call(h, WT_WASI_path_rename, 6, U(3), U(STR), n, U(3), U(BUF), U(11)), 0);
	n2 = put_str(h, "up", 0);
	memcpy(at(h, BUF), "up2", 3);
	assert_int_equal(call(h, WT_WASI_path_rename, 6, U(3), U(STR), n2, U(3), U(BUF), U(3)),
			 WT_ENOTCAPABLE); /* it already points out */
	n2 = put_str(h, "in", 0);
	memcpy(at(h, BUF), "in2", 3);
	assert_int_equal(call(h, WT_WASI_path_rename, 6, U(3), U(STR), n2, U(3), U(BUF), U(3)), 0);
	/* a plain file moves anywhere */
	n2 = put_str(h, "sub/file.txt", 0);
	memcpy(at(h, BUF), "top.txt", 7);
	assert_int_equal(call(h, WT_WASI_path_link, 7, U(3), U(0), U(STR), n2, U(3), U(BUF), U(7)),
			 0);
	snprintf(p, sizeof p, "%s/l", h->data);
	assert_int_not_equal(lstat(p, &st), 0);
	snprintf(p, sizeof p, "%s/sub/deep/l2", h->data);
	assert_int_equal(lstat(p, &st), 0);
}

static void test_wasi_fd_calls(void **state)
{
	harness *h = *state;
	uint32_t fd;

	assert_int_equal(open_path(h, 3, "f", 0, WT_OF_CREAT,
				   WT_WR_FD_READ | WT_WR_FD_WRITE | WT_WR_FD_SEEK | WT_WR_FD_TELL |
				       WT_WR_FD_FILESTAT_SET_SIZE | WT_WR_FD_ALLOCATE |
				       WT_WR_FD_SYNC | WT_WR_FD_DATASYNC | WT_WR_FD_ADVISE |
				       WT_WR_FD_FILESTAT_SET_TIMES | WT_WR_FD_FDSTAT_SET_FLAGS |
				       WT_WR_FD_FILESTAT_GET,
				   &fd),
			 0);
	memcpy(at(h, BUF), "abcdef", 6);
	put_iov(h, 0, BUF, 6);
	assert_int_equal(call(h, WT_WASI_fd_pwrite, 5, U(fd), U(IOV), U(1), U(10), U(RES)), 0);
	assert_int_equal(call(h, WT_WASI_fd_tell, 2, U(fd), U(RES)), 0);
	assert_int_equal(wt_le64(at(h, RES)), 0);
	assert_int_equal(call(h, WT_WASI_fd_seek, 4, U(fd), U(-2), U(WT_WHENCE_END), U(RES)), 0);
	assert_int_equal(wt_le64(at(h, RES)), 14);
	assert_int_equal(call(h, WT_WASI_fd_seek, 4, U(fd), U(0), U(7), U(RES)), WT_EINVAL);
	put_iov(h, 0, BUF + 100, 10);
	assert_int_equal(call(h, WT_WASI_fd_pread, 5, U(fd), U(IOV), U(1), U(12), U(RES)), 0);
	assert_int_equal(wt_le32(at(h, RES)), 4);
	assert_memory_equal(at(h, BUF + 100), "cdef", 4);
	assert_int_equal(call(h, WT_WASI_fd_filestat_set_size, 2, U(fd), U(3)), 0);
	assert_int_equal(call(h, WT_WASI_fd_filestat_get, 2, U(fd), U(ST)), 0);
	assert_int_equal(wt_le64(at(h, ST + 32)), 3);
	assert_int_equal(call(h, WT_WASI_fd_allocate, 3, U(fd), U(0), U(100)), 0);
	assert_int_equal(call(h, WT_WASI_fd_advise, 4, U(fd), U(0), U(0), U(1)), 0);
	assert_int_equal(call(h, WT_WASI_fd_sync, 1, U(fd)), 0);
	assert_int_equal(call(h, WT_WASI_fd_datasync, 1, U(fd)), 0);
	assert_int_equal(call(h, WT_WASI_fd_filestat_set_times, 4, U(fd), U(5000000000ull), U(0),
			      U(WT_FST_ATIM)),
			 0);
	assert_int_equal(call(h, WT_WASI_fd_filestat_get, 2, U(fd), U(ST)), 0);
	assert_int_equal(wt_le64(at(h, ST + 40)), 5000000000ull);
	assert_int_equal(call(h, WT_WASI_fd_fdstat_set_flags, 2, U(fd), U(WT_FDF_APPEND)), 0);
	assert_int_equal(call(h, WT_WASI_fd_fdstat_get, 2, U(fd), U(ST)), 0);
	assert_int_equal(wt_le16(at(h, ST + 2)), WT_FDF_APPEND);
	/* renumber onto fd 1: the file is now fd 1 */
	assert_int_equal(call(h, WT_WASI_fd_renumber, 2, U(fd), U(1)), 0);
	assert_int_equal(call(h, WT_WASI_fd_fdstat_get, 2, U(fd), U(ST)), WT_EBADF);
	assert_int_equal(call(h, WT_WASI_fd_filestat_get, 2, U(1), U(ST)), 0);
	assert_int_equal(wt_le64(at(h, ST + 32)), 100);
	assert_int_equal(call(h, WT_WASI_fd_close, 1, U(1)), 0);
	assert_int_equal(call(h, WT_WASI_fd_close, 1, U(1)), WT_EBADF);
}

/* Every call's name names it back (the CLI's prompt reads the library's questions by name). */
static void test_wasi_call_of_name(void **state)
{
	wt_wasi_call c;

	(void)state;
	for (unsigned i = 0; i < WT_WASI_CALL_COUNT; i++) {
		assert_int_equal(wt_wasi_call_of_name(wt_wasi_call_name((wt_wasi_call)i), &c), 0);
		assert_int_equal(c, i);
	}
	assert_int_equal(wt_wasi_call_of_name("no_such_call", &c), -1);
	assert_int_equal(wt_wasi_call_of_name(NULL, &c), -1);
}

static void test_wasi_errno_table(void **state)
{
	(void)state;
	assert_int_equal(wt_wasi_errno(ENOENT), WT_ENOENT);
	assert_int_equal(wt_wasi_errno(-ENOENT), WT_ENOENT);
	assert_int_equal(wt_wasi_errno(-EXDEV), WT_EXDEV);
	assert_int_equal(wt_wasi_errno(-EROFS), WT_EROFS);
	assert_int_equal(wt_wasi_errno(-WT_HOST_ESCAPE), WT_ENOTCAPABLE);
	assert_int_equal(wt_wasi_errno(0), WT_ESUCCESS);
	assert_int_equal(wt_wasi_errno(-100000), WT_EIO);
	assert_string_equal(wt_wasi_errno_name(WT_ENOTCAPABLE), "NOTCAPABLE");
}

static void test_wasi_rights_format(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(wt_rights_format(WT_RIGHT_READ | WT_RIGHT_SET_TIMES, buf, sizeof buf),
			    "read,set-times");
	assert_string_equal(wt_rights_format(0, buf, sizeof buf), "");
	assert_string_equal(wt_rights_format(WT_RIGHT_READ | WT_RIGHT_WRITE, buf, 8), "read");
}

/* A module with one import of each given name and signature. */
static int resolve_one(harness *h, const char *name, const uint8_t *types, uint32_t np, uint32_t nr)
{
	wt_functype ft = {np, nr, types};
	wt_module m;
	wt_import imp;
	wt_extern ext;
	wt_error err;

	memset(&m, 0, sizeof m);
	memset(&imp, 0, sizeof imp);
	m.ntypes = 1;
	m.types = &ft;
	imp.module = "wasi_snapshot_preview1";
	imp.module_len = 22;
	imp.name = name;
	imp.name_len = (uint32_t)strlen(name);
	imp.kind = WT_EXTERN_FUNC;
	wt_error_init(&err);
	return wt_wasi_resolve(h->w, &m, &imp, &ext, &err);
}

static void test_wasi_resolve_by_name_and_signature(void **state)
{
	harness *h = *state;
	static const uint8_t iiii_i[] = {WT_I32, WT_I32, WT_I32, WT_I32, WT_I32};
	static const uint8_t i_[] = {WT_I32};
	static const uint8_t iIii_i[] = {WT_I32, WT_I64, WT_I32, WT_I32, WT_I32};

	assert_int_equal(resolve_one(h, "fd_write", iiii_i, 4, 1), 0);
	assert_non_null(h->w->funcs[WT_WASI_fd_write]);
	assert_int_equal(resolve_one(h, "proc_exit", i_, 1, 0), 0);
	assert_int_equal(resolve_one(h, "fd_seek", iIii_i, 4, 1), 0);
	assert_int_equal(resolve_one(h, "fd_seek", iiii_i, 4, 1), WT_UNLINKABLE);
	assert_int_equal(resolve_one(h, "fd_write", iiii_i, 3, 1), WT_UNLINKABLE);
	assert_int_equal(resolve_one(h, "fd_writ", iiii_i, 4, 1), WT_UNLINKABLE);
	assert_int_equal(resolve_one(h, "proc_exit", iiii_i, 1, 1), WT_UNLINKABLE);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_wasi_zero_length_read_is_zero),
	    T(test_wasi_root_answers_outside_the_mounts),
	    T(test_wasi_answers_as_specified),
	    T(test_wasi_fd_write_reaches_stdout),
	    T(test_wasi_hostile_pointers_fault),
	    T(test_wasi_open_escapes_refused),
	    T(test_wasi_open_escapes_refused_by_walk),
	    T(test_wasi_open_event_is_canonical),
	    cmocka_unit_test_setup_teardown(test_wasi_cwd_is_a_dot_preopen, setup_cwd, teardown),
	    T(test_wasi_readonly_mount_refuses_writes),
	    T(test_wasi_readonly_fd_refuses_writes),
	    T(test_wasi_rights_only_shrink),
	    T(test_wasi_policy_verdicts),
	    T(test_wasi_probe_names_entries),
	    T(test_wasi_proc_exit_ends_the_run),
	    T(test_wasi_args_env_clock_random),
	    T(test_wasi_sockets_only_preopened),
	    T(test_wasi_poll_clocks),
	    T(test_wasi_poll_fds),
	    T(test_wasi_readdir_lists_and_resumes),
	    T(test_wasi_guest_symlinks_stay_inside),
	    T(test_wasi_rename_link_unlink_stay_inside),
	    T(test_wasi_fd_calls),
	    T(test_wasi_trailing_slash_names_a_folder),
	    T(test_wasi_trailing_slash_names_a_folder_by_walk),
	    T(test_wasi_follow_final_symlink_in_a_folder),
	    T(test_wasi_open_reports_created),
	    T(test_wasi_moved_symlinks_stay_inside),
	    T(test_wasi_resolve_by_name_and_signature),
	    cmocka_unit_test(test_wasi_errno_table),
	    cmocka_unit_test(test_wasi_call_of_name),
	    cmocka_unit_test(test_wasi_rights_format),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
