/* test_cache.c: the code cache (core/jit/cache*.c) against someone who can write the cache
 * folder: planted, changed, truncated, symlinked or moved pieces are never handed out (and are
 * removed), folders and key files with the wrong owner, mode or type are refused, and a handed
 * out piece is a sealed copy that later changes on disk cannot reach. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache.h"
#include "cache_impl.h"
#include "run_cache.h"
#include "sha256.h"
#include "wt_test_cache.h"

static const uint8_t MODULE[32] = {1, 2, 3};
static const uint8_t OTHER[32] = {9, 9, 9};
static const char PIECE[] = "\177ELF pretend this is a shared object\n";

typedef struct fixture {
	char root[64], dir[128], key[160], so[128], entry[512], piece[640];
} fixture;

static void write_file(const char *path, const void *bytes, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, len), (ssize_t)len);
	close(fd);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char state_home[128];

	snprintf(f->root, sizeof f->root, "/tmp/wt-cache-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	snprintf(f->dir, sizeof f->dir, "%s/cache/wasi-tofu", f->root);
	snprintf(state_home, sizeof state_home, "%s/state", f->root);
	snprintf(f->key, sizeof f->key, "%s/wasi-tofu/cache.key", state_home);
	snprintf(f->so, sizeof f->so, "%s/piece.so", f->root);
	char cache_home[128];
	snprintf(cache_home, sizeof cache_home, "%s/cache", f->root);
	setenv("XDG_CACHE_HOME", cache_home, 1);
	setenv("XDG_STATE_HOME", state_home, 1);
	write_file(f->so, PIECE, sizeof PIECE, 0644);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[256];
	snprintf(cmd, sizeof cmd, "chmod -R u+rwx %s; rm -rf %s", f->root, f->root);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Opens the default cache (it must open) and puts the piece for MODULE; fills the entry
 * folder's and the stored piece's paths. */
static wt_jit_cache *open_and_put(fixture *f)
{
	wt_jit_cache *c;
	wt_error err;
	uint8_t key[32], sha[32];
	char hex[WT_SHA256_HEX];

	wt_error_init(&err);
	assert_int_equal(wt_jit_cache_open(NULL, "O1", &c, &err), 0);
	assert_int_equal(wt_jit_cache_put(c, MODULE, f->so, &err), 0);
	wt_jit_cache_entry(c->salt, MODULE, key);
	snprintf(f->entry, sizeof f->entry, "%s/%s", f->dir, wt_sha256_hex(key, hex));
	wt_sha256((const uint8_t *)PIECE, sizeof PIECE, sha);
	snprintf(f->piece, sizeof f->piece, "%s/%s.piece", f->entry, wt_sha256_hex(sha, hex));
	return c;
}

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static void test_put_then_get_gives_the_bytes_sealed(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	int fds[4];
	uint32_t n;
	char buf[sizeof PIECE + 8];
	struct stat st;
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_test_cache_code(c, MODULE, fds, 4, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(pread(fds[0], buf, sizeof buf, 0), (ssize_t)sizeof PIECE);
	assert_memory_equal(buf, PIECE, sizeof PIECE);
	int seals = fcntl(fds[0], F_GET_SEALS);
	assert_true(seals & F_SEAL_WRITE);
	assert_true(seals & F_SEAL_SHRINK);
	assert_true(seals & F_SEAL_GROW);
	assert_true(seals & F_SEAL_SEAL);
	close(fds[0]);
	assert_int_equal(wt_test_cache_count(c, OTHER), 0); /* another module: a miss */
	assert_int_equal(stat(f->dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(f->key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 32);
	wt_jit_cache_close(c);
	/* a second open reads the same secret: the piece still verifies */
	assert_int_equal(wt_jit_cache_open(f->dir, "O1", &c, &err), 0);
	assert_int_equal(wt_test_cache_count(c, MODULE), 1);
	wt_jit_cache_close(c);
	/* other compile options: another key, a miss */
	assert_int_equal(wt_jit_cache_open(f->dir, "O2", &c, &err), 0);
	assert_int_equal(wt_test_cache_count(c, MODULE), 0);
	wt_jit_cache_close(c);
}

/* A piece written by someone without the secret: header, a MAC made up or made with
 * another key, the bytes. */
static void test_planted_piece_is_refused_and_removed(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	uint8_t file[8 + 32 + sizeof PIECE], other_secret[32] = {7}, key[32];
	char planted[600], forged[600];

	wt_jit_cache_entry(c->salt, MODULE, key);
	memcpy(file, WT_JIT_CACHE_MAGIC, 8);
	memset(file + 8, 0xab, 32);
	memcpy(file + 40, "\177ELF planted code", 18);
	snprintf(planted, sizeof planted, "%s/planted.piece", f->entry);
	write_file(planted, file, sizeof file, 0600);
	wt_jit_cache_mac(other_secret, key, file + 40, sizeof PIECE, file + 8);
	snprintf(forged, sizeof forged, "%s/forged.piece", f->entry);
	write_file(forged, file, sizeof file, 0600);
	assert_int_equal(wt_test_cache_count(c, MODULE), 1); /* the real one only */
	assert_false(exists(planted));
	assert_false(exists(forged));
	assert_true(exists(f->piece));
	wt_jit_cache_close(c);
}

/* The stored piece, changed by the test, is refused and removed. */
static void expect_refused(fixture *f, wt_jit_cache *c)
{
	assert_int_equal(wt_test_cache_count(c, MODULE), 0);
	assert_false(exists(f->piece));
}

static void test_one_byte_changed_is_refused_and_removed(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	int fd = open(f->piece, O_RDWR);
	char b;

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, 50), 1);
	b ^= 1;
	assert_int_equal(pwrite(fd, &b, 1, 50), 1);
	close(fd);
	expect_refused(f, c);
	wt_jit_cache_close(c);
}

static void test_changed_mac_is_refused(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	int fd = open(f->piece, O_RDWR);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "\0", 1, 8), 1);
	close(fd);
	expect_refused(f, c);
	wt_jit_cache_close(c);
}

static void test_truncated_piece_is_refused(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	struct stat st;

	assert_int_equal(stat(f->piece, &st), 0);
	assert_int_equal(truncate(f->piece, st.st_size - 1), 0);
	expect_refused(f, c);
	wt_jit_cache_close(c);
	c = open_and_put(f);
	assert_int_equal(truncate(f->piece, 20), 0); /* inside the header */
	expect_refused(f, c);
	wt_jit_cache_close(c);
}

/* A valid piece of another module moved into this module's entry. */
static void test_piece_of_another_module_is_refused(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	char other_piece[700], here[700];
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_jit_cache_put(c, OTHER, f->so, &err), 0);
	assert_int_equal(wt_test_cache_count(c, OTHER), 1);
	snprintf(other_piece, sizeof other_piece, "%s", f->piece);
	assert_int_equal(unlink(f->piece), 0);
	/* the same bytes under OTHER's entry: find its piece, move it under MODULE's */
	uint8_t key[32];
	char hex[WT_SHA256_HEX], otherdir[300];
	wt_jit_cache_entry(c->salt, OTHER, key);
	snprintf(otherdir, sizeof otherdir, "%s/%s", f->dir, wt_sha256_hex(key, hex));
	snprintf(other_piece, sizeof other_piece, "%s/%s", otherdir, strrchr(f->piece, '/') + 1);
	snprintf(here, sizeof here, "%s/moved.piece", f->entry);
	assert_int_equal(rename(other_piece, here), 0);
	assert_int_equal(wt_test_cache_count(c, MODULE), 0);
	assert_false(exists(here));
	wt_jit_cache_close(c);
}

static void test_symlinked_piece_is_refused(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	char outside[128];

	/* a valid piece, kept outside and linked in */
	snprintf(outside, sizeof outside, "%s/outside.piece", f->root);
	assert_int_equal(rename(f->piece, outside), 0);
	assert_int_equal(symlink(outside, f->piece), 0);
	expect_refused(f, c);
	assert_true(exists(outside)); /* the link goes, not what it points at */
	wt_jit_cache_close(c);
}

static void test_group_writable_piece_is_refused(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);

	assert_int_equal(chmod(f->piece, 0620), 0);
	expect_refused(f, c);
	wt_jit_cache_close(c);
}

static void test_unsafe_entry_folder_is_a_miss(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);

	assert_int_equal(chmod(f->entry, 0770), 0);
	assert_int_equal(wt_test_cache_count(c, MODULE), 0);
	assert_int_equal(chmod(f->entry, 0700), 0);
	assert_int_equal(wt_test_cache_count(c, MODULE), 1);
	wt_jit_cache_close(c);
}

/* Opening must fail with a message holding want. */
static void expect_open_refused(const char *dir, const char *want)
{
	wt_jit_cache *c = (wt_jit_cache *)1;
	wt_error err;

	wt_error_init(&err);
	assert_int_not_equal(wt_jit_cache_open(dir, "O1", &c, &err), 0);
	assert_null(c);
	if (!strstr(err.msg, want))
		fail_msg("expected '%s' in '%s'", want, err.msg);
}

static void test_symlinked_cache_folder_is_refused(void **state)
{
	fixture *f = *state;
	char real[128];

	snprintf(real, sizeof real, "%s/elsewhere", f->root);
	assert_int_equal(mkdir(real, 0700), 0);
	assert_int_equal(mkdir(strcat(strcpy((char[128]){0}, f->root), "/cache"), 0700), 0);
	assert_int_equal(symlink(real, f->dir), 0);
	expect_open_refused(NULL, "symlink");
	expect_open_refused(f->dir, "symlink");
}

static void test_group_writable_cache_folder_is_refused(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);

	wt_jit_cache_close(c);
	assert_int_equal(chmod(f->dir, 0770), 0);
	expect_open_refused(NULL, "writable by group or others");
	assert_int_equal(chmod(f->dir, 0707), 0);
	expect_open_refused(NULL, "writable by group or others");
	assert_int_equal(chmod(f->dir, 0755), 0); /* readable is fine: the MACs stop a reader */
	c = open_and_put(f);
	wt_jit_cache_close(c);
}

static void test_unsafe_key_file_is_refused(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	char real[128];

	wt_jit_cache_close(c);
	assert_int_equal(chmod(f->key, 0644), 0);
	expect_open_refused(NULL, "readable by group or others");
	assert_int_equal(chmod(f->key, 0620), 0);
	expect_open_refused(NULL, "writable by group or others");
	assert_int_equal(chmod(f->key, 0600), 0);
	snprintf(real, sizeof real, "%s/key-elsewhere", f->root);
	assert_int_equal(rename(f->key, real), 0);
	assert_int_equal(symlink(real, f->key), 0);
	expect_open_refused(NULL, "symlink");
	assert_int_equal(unlink(f->key), 0);
	write_file(f->key, "short", 5, 0600);
	expect_open_refused(NULL, "not 32 bytes");
}

/* A new secret (the old one lost or replaced): every old piece is refused. */
static void test_new_secret_refuses_old_pieces(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	wt_error err;

	wt_jit_cache_close(c);
	assert_int_equal(unlink(f->key), 0);
	wt_error_init(&err);
	assert_int_equal(wt_jit_cache_open(NULL, "O1", &c, &err), 0);
	expect_refused(f, c);
	wt_jit_cache_close(c);
}

/* After get, the file on disk changes (or is replaced): the memfd keeps the verified bytes
 * and cannot be written, grown or shrunk. */
static void test_memfd_keeps_the_verified_bytes(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	int fd, disk;
	uint32_t n;
	char buf[sizeof PIECE];
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_test_cache_code(c, MODULE, &fd, 1, &n, &err), 0);
	assert_int_equal(n, 1);
	disk = open(f->piece, O_RDWR);
	assert_true(disk >= 0);
	assert_int_equal(pwrite(disk, "EVIL", 4, 40), 4);
	close(disk);
	assert_int_equal(pwrite(fd, "EVIL", 4, 0), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(ftruncate(fd, 1), -1);
	assert_int_equal(ftruncate(fd, 4096), -1);
	assert_true(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED);
	assert_int_equal(fcntl(fd, F_ADD_SEALS, 0), -1); /* F_SEAL_SEAL: no seal removed or added */
	assert_int_equal(pread(fd, buf, sizeof buf, 0), (ssize_t)sizeof PIECE);
	assert_memory_equal(buf, PIECE, sizeof PIECE);
	close(fd);
	wt_jit_cache_close(c);
}

/* A real shared object through the cache: get, change the file on disk, then load the memfd
 * through /proc/self/fd/N (as the compiling tier does): the verified code runs. */
static void test_piece_loads_from_its_memfd(void **state)
{
	wt_jit_cache *c;
	char path[WT_SHA256_HEX + 16];
	int fd;
	uint32_t n;
	wt_error err;
	uint8_t key[32], sha[32];
	char hex[WT_SHA256_HEX];

	(void)state;
	wt_error_init(&err);
	assert_int_equal(wt_jit_cache_open(NULL, "O1", &c, &err), 0);
	assert_int_equal(wt_jit_cache_put(c, MODULE, WT_TEST_PIECE_SO, &err), 0);
	assert_int_equal(wt_test_cache_code(c, MODULE, &fd, 1, &n, &err), 0);
	assert_int_equal(n, 1);
	/* the stored piece is replaced by garbage after the check */
	wt_jit_cache_entry(c->salt, MODULE, key);
	int dir = openat(c->dirfd, wt_sha256_hex(key, hex), O_RDONLY | O_DIRECTORY);
	int sofd = open(WT_TEST_PIECE_SO, O_RDONLY);
	assert_true(dir >= 0 && sofd >= 0);
	assert_int_equal(wt_sha256_fd(sofd, sha, &(uint64_t){0}), 0);
	close(sofd);
	snprintf(path, sizeof path, "%s.piece", wt_sha256_hex(sha, hex));
	int disk = openat(dir, path, O_WRONLY | O_TRUNC);
	assert_true(disk >= 0);
	assert_int_equal(write(disk, "garbage", 7), 7);
	close(disk);
	close(dir);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		fail_msg("dlopen %s: %s", path, dlerror());
	int (*answer)(void) = (int (*)(void))dlsym(h, "wt_test_piece_answer");
	assert_non_null(answer);
	assert_int_equal(answer(), 42);
	dlclose(h);
	close(fd);
	wt_jit_cache_close(c);
}

static void test_put_leaves_no_temporary_file(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	char cmd[700], fresh[600], stale[600];
	struct timespec old[2] = {{.tv_sec = time(NULL) - WT_JIT_CACHE_STALE - 10},
				  {.tv_sec = time(NULL) - WT_JIT_CACHE_STALE - 10}};

	snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) = 1", f->entry);
	assert_int_equal(system(cmd), 0);
	/* what writers left: one being written now stays, one a dead writer left goes */
	snprintf(fresh, sizeof fresh, "%s/.tmp-0000000000000001", f->entry);
	snprintf(stale, sizeof stale, "%s/.tmp-0000000000000002", f->entry);
	write_file(fresh, "half", 4, 0600);
	write_file(stale, "half", 4, 0600);
	assert_int_equal(utimensat(AT_FDCWD, stale, old, 0), 0);
	assert_int_equal(wt_test_cache_count(c, MODULE), 1);
	assert_true(exists(fresh));
	assert_false(exists(stale));
	wt_jit_cache_close(c);
}

/* Puts len bytes of b for module as a piece; its stored file's path into path. */
static void put_bytes(fixture *f, wt_jit_cache *c, const uint8_t *module, int b, size_t len,
		      char path[700])
{
	uint8_t *bytes = malloc(len), key[32], sha[32];
	char hk[WT_SHA256_HEX], hs[WT_SHA256_HEX];
	wt_error err;

	assert_non_null(bytes);
	memset(bytes, b, len);
	write_file(f->so, bytes, len, 0644);
	wt_error_init(&err);
	assert_int_equal(wt_jit_cache_put(c, module, f->so, &err), 0);
	wt_jit_cache_entry(c->salt, module, key);
	wt_sha256(bytes, len, sha);
	snprintf(path, 700, "%s/%s/%s.piece", f->dir, wt_sha256_hex(key, hk),
		 wt_sha256_hex(sha, hs));
	assert_true(exists(path));
	free(bytes);
}

/* Marks the file at path last used ago seconds before now. */
static void used_ago(const char *path, time_t ago)
{
	struct timespec t[2] = {{.tv_sec = time(NULL) - ago}, {.tv_sec = time(NULL) - ago}};
	assert_int_equal(utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW), 0);
}

enum { BIG = 1000, STORED = BIG + WT_JIT_CACHE_HEADER };

/* A put that would take the cache beyond its limit removes the least recently used pieces,
 * of any entry, first; a get marks what it hands out used. */
static void test_put_evicts_the_least_recently_used(void **state)
{
	fixture *f = *state;
	char a[700], b[700], d[700], e[700];
	wt_jit_cache *c;
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_jit_cache_open(NULL, "O1", &c, &err), 0);
	wt_jit_cache_set_limit(c, 3 * STORED - 1); /* two pieces fit, not three */
	put_bytes(f, c, MODULE, 'a', BIG, a);
	put_bytes(f, c, OTHER, 'b', BIG, b);
	used_ago(a, 200), used_ago(b, 100);		     /* a is the older */
	assert_int_equal(wt_test_cache_count(c, MODULE), 1); /* ... until it is used again */
	put_bytes(f, c, MODULE, 'd', BIG, d);
	assert_true(exists(a));
	assert_false(exists(b));
	assert_true(exists(d));
	assert_int_equal(wt_test_cache_count(c, MODULE), 2);
	assert_int_equal(wt_test_cache_count(c, OTHER), 0);
	wt_jit_cache_set_limit(c, 0); /* no limit: nothing goes */
	put_bytes(f, c, OTHER, 'e', BIG, e);
	assert_true(exists(a) && exists(d) && exists(e));
	wt_jit_cache_close(c);
}

/* The default limit is 1 GiB; a piece larger than the limit is not kept, and removes nothing. */
static void test_piece_larger_than_the_limit_is_not_kept(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	wt_error err;

	assert_int_equal(c->limit, (uint64_t)1 << 30);
	wt_jit_cache_set_limit(c, 100);
	write_file(f->so, (char[BIG]){0}, BIG, 0644);
	wt_error_init(&err);
	assert_int_equal(wt_jit_cache_put(c, OTHER, f->so, &err), WT_LIMIT);
	assert_non_null(strstr(err.msg, "larger than the cache's limit of 100 bytes"));
	assert_true(exists(f->piece));
	assert_int_equal(wt_test_cache_count(c, OTHER), 0);
	wt_jit_cache_close(c);
}

/* Runs that put while others get: every piece handed out is whole, and a piece evicted
 * between a get's listing and its open is a quiet miss, not a refusal. */
static void test_eviction_races_with_readers(void **state)
{
	fixture *f = *state;
	char path[700], notes[4096] = "";
	wt_jit_cache *c;
	wt_error err;
	FILE *log = tmpfile();
	pid_t pid;
	int status;

	assert_non_null(log);
	wt_error_init(&err);
	assert_int_equal(wt_jit_cache_open(NULL, "O1", &c, &err), 0);
	wt_jit_cache_set_limit(c, 2 * STORED); /* a put evicts one of the two */
	put_bytes(f, c, MODULE, 0, BIG, path);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		for (int i = 1; i < 300; i++) {
			uint8_t bytes[BIG];
			memset(bytes, i & 0xff, sizeof bytes), bytes[0] = (uint8_t)(i >> 8);
			write_file(f->so, bytes, BIG, 0644);
			if (wt_jit_cache_put(c, MODULE, f->so, &err) != 0)
				_exit(1);
		}
		_exit(0);
	}
	wt_jit_cache_set_notes(c, log);
	for (int done = 0; !done;) {
		int fds[8];
		uint32_t n = 0;
		done = waitpid(pid, &status, WNOHANG) == pid;
		assert_int_equal(wt_test_cache_code(c, MODULE, fds, 8, &n, &err), 0);
		for (uint32_t i = 0; i < n; i++) {
			struct stat st;
			assert_int_equal(fstat(fds[i], &st), 0);
			assert_int_equal(st.st_size, BIG);
			close(fds[i]);
		}
	}
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	rewind(log);
	notes[fread(notes, 1, sizeof notes - 1, log)] = '\0';
	assert_string_equal(notes, "");
	fclose(log);
	wt_jit_cache_close(c);
}

/* An empty entry folder is removed by a later put once it is old (a put that has just made
 * one is about to write into it). */
static void test_old_empty_entry_is_removed(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	char old[700], fresh[700], path[700];

	snprintf(old, sizeof old, "%s/%064d", f->dir, 1);
	snprintf(fresh, sizeof fresh, "%s/%064d", f->dir, 2);
	assert_int_equal(mkdir(old, 0700), 0);
	assert_int_equal(mkdir(fresh, 0700), 0);
	used_ago(old, WT_JIT_CACHE_STALE + 10);
	put_bytes(f, c, OTHER, 'x', BIG, path);
	assert_false(exists(old));
	assert_true(exists(fresh));
	assert_true(exists(f->piece));
	wt_jit_cache_close(c);
}

/* drop removes the piece whose bytes a memfd of get holds (what the loader refused). */
static void test_drop_removes_the_piece_of_a_memfd(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	uint32_t n;
	int fd;
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_test_cache_code(c, MODULE, &fd, 1, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(wt_jit_cache_drop(c, OTHER, fd), -1); /* another module's entry */
	assert_true(exists(f->piece));
	assert_int_equal(wt_jit_cache_drop(c, MODULE, fd), 0);
	assert_false(exists(f->piece));
	assert_int_equal(wt_jit_cache_drop(c, MODULE, fd), -1);
	close(fd);
	wt_jit_cache_close(c);
}

/* The cache's notes go where it is told: a stream, or nowhere. */
static void test_notes_go_where_told(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	char notes[1024] = "";
	FILE *log = tmpfile();

	assert_non_null(log);
	wt_jit_cache_set_notes(c, log);
	write_file(f->piece, "planted", 7, 0600);
	assert_int_equal(wt_test_cache_count(c, MODULE), 0);
	rewind(log);
	notes[fread(notes, 1, sizeof notes - 1, log)] = '\0';
	assert_non_null(strstr(notes, "wasi-tofu: note: code cache: piece '"));
	assert_non_null(strstr(notes, "refused: no piece header; removed"));
	fclose(log);
	wt_jit_cache_close(c);
}

/* WASI_TOFU_CACHE_MAX: bytes, or K, M, G, T (powers of 1024); empty: 1 GiB; 0: no limit. */
static void test_cache_limit_from_the_environment(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(wt_run_cache_limit(NULL, &v), 0);
	assert_int_equal(v, (uint64_t)1 << 30);
	assert_int_equal(wt_run_cache_limit("", &v), 0);
	assert_int_equal(v, (uint64_t)1 << 30);
	assert_int_equal(wt_run_cache_limit("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(wt_run_cache_limit("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(wt_run_cache_limit("10K", &v), 0);
	assert_int_equal(v, 10240);
	assert_int_equal(wt_run_cache_limit("3G", &v), 0);
	assert_int_equal(v, (uint64_t)3 << 30);
	assert_int_equal(wt_run_cache_limit("2T", &v), 0);
	assert_int_equal(v, (uint64_t)2 << 40);
	v = 7;
	assert_int_equal(wt_run_cache_limit("1.5G", &v), -1);
	assert_int_equal(wt_run_cache_limit("G", &v), -1);
	assert_int_equal(wt_run_cache_limit("-1", &v), -1);
	assert_int_equal(wt_run_cache_limit("10KB", &v), -1);
	assert_int_equal(wt_run_cache_limit("99999999999T", &v), -1);
	assert_int_equal(v, 7);
}

static void test_mount_exposes_the_cache(void **state)
{
	fixture *f = *state;
	char p[256];

	wt_jit_cache_close(open_and_put(f));
	assert_true(wt_jit_cache_exposed(f->dir, f->dir, f->key));   /* the folder */
	assert_true(wt_jit_cache_exposed(f->entry, f->dir, f->key)); /* inside */
	assert_true(wt_jit_cache_exposed(f->root, f->dir, f->key));  /* contains it */
	assert_true(wt_jit_cache_exposed("/", f->dir, f->key));
	snprintf(p, sizeof p, "%s/state", f->root); /* contains the key */
	assert_true(wt_jit_cache_exposed(p, f->dir, f->key));
	snprintf(p, sizeof p, "%s/cache/../cache/wasi-tofu/", f->root);
	assert_true(wt_jit_cache_exposed(p, f->dir, f->key));
	snprintf(p, sizeof p, "%s/link", f->root); /* through a symlink */
	assert_int_equal(symlink(f->dir, p), 0);
	assert_true(wt_jit_cache_exposed(p, f->dir, f->key));
	snprintf(p, sizeof p, "%s/cache-not", f->root); /* a sibling whose name starts alike */
	assert_int_equal(mkdir(p, 0700), 0);
	assert_false(wt_jit_cache_exposed(p, f->dir, f->key));
	assert_false(wt_jit_cache_exposed(f->so, f->dir, f->key));
	snprintf(p, sizeof p, "%s/cache/wasi-tofu-2/new", f->root); /* does not exist */
	assert_false(wt_jit_cache_exposed(p, f->dir, f->key));
}

/* A run's cache: none with no_cache (and nothing created), none when a mount reaches the
 * cache or the key's folder, one otherwise. */
static void test_run_uses_the_cache_unless_told_or_exposed(void **state)
{
	fixture *f = *state;
	char above[128], state_dir[128], elsewhere[128];
	wt_mount m = {.guest = "/m"};
	wt_run_config cfg = {.no_cache = 1, .wasi = {.nmounts = 1, .mounts = &m}};
	wt_jit_cache *c;

	snprintf(elsewhere, sizeof elsewhere, "%s/data", f->root);
	assert_int_equal(mkdir(elsewhere, 0700), 0);
	m.host = elsewhere;
	assert_null(wt_run_cache_open(&cfg));
	assert_false(exists(f->dir));
	assert_false(exists(f->key));
	cfg.no_cache = 0;
	snprintf(above, sizeof above, "%s/cache", f->root); /* holds the cache folder */
	m.host = above;
	assert_null(wt_run_cache_open(&cfg));
	assert_false(exists(f->dir));
	snprintf(state_dir, sizeof state_dir, "%s/state", f->root); /* holds the key */
	m.host = state_dir;
	assert_null(wt_run_cache_open(&cfg));
	assert_false(exists(f->key));
	m.host = elsewhere;
	assert_non_null(c = wt_run_cache_open(&cfg));
	wt_jit_cache_close(c);
	assert_true(exists(f->dir));
	assert_true(exists(f->key));
	m.host = f->dir; /* the folder itself, now that it exists */
	assert_null(wt_run_cache_open(&cfg));
}

/* A regrouped object (wt_jit_cache_put_group) is handed out before every piece, and the pieces
 * by name, whatever the folder's order: a run that finds a group and the pieces it supersedes
 * (a regroup that died between its put and its removals) loads the group's copy of each
 * function, the same one every time. Before: readdir's order. */
typedef struct names {
	int n;
	char name[8][128];
} names;

static int collect_names(void *ctx, int fd, wt_jit_piece_kind kind, const char *name)
{
	names *k = ctx;
	(void)kind;
	if (k->n < 8)
		snprintf(k->name[k->n++], sizeof k->name[0], "%s", name);
	close(fd);
	return 0;
}

static void test_group_is_handed_out_first(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	names k = {0};
	wt_error err;

	wt_error_init(&err);
	for (char b = 'a'; b < 'f';
	     b++) { /* pieces whose names fall on both sides of the group's */
		char piece[] = {'\177', 'E', 'L', 'F', ' ', b, '\n'};
		write_file(f->so, piece, sizeof piece, 0644);
		assert_int_equal(b == 'c' ? wt_jit_cache_put_group(c, MODULE, f->so, &err)
					  : wt_jit_cache_put(c, MODULE, f->so, &err),
				 0);
	}
	assert_int_equal(wt_jit_cache_each(c, MODULE, collect_names, &k, &err), 0);
	assert_int_equal(k.n, 6); /* open_and_put's, four pieces and the group */
	assert_non_null(strstr(k.name[0], WT_JIT_CACHE_GROUP_SUFFIX));
	for (int i = 1; i < k.n; i++) {
		assert_non_null(strstr(k.name[i], WT_JIT_CACHE_PIECE_SUFFIX));
		assert_true(i == 1 || strcmp(k.name[i - 1], k.name[i]) < 0);
	}
	wt_jit_cache_close(c);
}

/* wt_jit_cache_remove takes a piece's name as the cache handed it out, and nothing that could
 * reach outside the entry, a temporary piece or the run record. */
static void test_remove_takes_piece_names_only(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	const char *name = strrchr(f->piece, '/') + 1;
	wt_jit_runs runs = {.count = 1, .n = 1, .ms = {5}};
	char record[700];
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_jit_cache_put_runs(c, MODULE, &runs, &err), 0);
	snprintf(record, sizeof record, "%s/%s", f->entry, WT_JIT_CACHE_RUNS_NAME);
	const char *bad[] = {
	    "", ".", "..", "../x", "a/b", ".tmp-0011223344556677", WT_JIT_CACHE_RUNS_NAME};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(wt_jit_cache_remove(c, MODULE, bad[i]), -1);
	assert_true(exists(f->piece));
	assert_true(exists(record));
	assert_int_equal(wt_jit_cache_remove(c, MODULE, name), 0);
	assert_false(exists(f->piece));
	assert_int_equal(wt_jit_cache_remove(c, MODULE, name), -1);
	wt_jit_cache_close(c);
}

/* A list of refused functions is a piece of its own kind: MAC'ed like code, handed out by
 * wt_jit_cache_each as WT_JIT_PIECE_REFUSED (magic, then the indices little-endian), never as
 * code (the loader would be given a list); one changed byte and it is refused. */
typedef struct kinds {
	int code, refused;
	uint8_t list[64];
	ssize_t len;
	char name[128];
} kinds;

static int tally(void *ctx, int fd, wt_jit_piece_kind kind, const char *name)
{
	kinds *k = ctx;
	if (kind == WT_JIT_PIECE_REFUSED) {
		k->refused++;
		k->len = pread(fd, k->list, sizeof k->list, 0);
		snprintf(k->name, sizeof k->name, "%s", name);
	} else {
		k->code++;
	}
	close(fd);
	return 0;
}

static void test_refused_list_is_a_piece_apart(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	const uint32_t funcs[2] = {5, 0x01020304};
	const uint8_t want[] = {'W', 'T', 'J', 'C', 'N', 'O', '1', '\n', 5, 0, 0, 0, 4, 3, 2, 1};
	kinds k = {0};
	char path[700];
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_jit_cache_put_refused(c, MODULE, funcs, 2, &err), 0);
	assert_int_equal(wt_jit_cache_each(c, MODULE, tally, &k, &err), 0);
	assert_int_equal(k.code, 1);
	assert_int_equal(k.refused, 1);
	assert_int_equal(k.len, (ssize_t)sizeof want);
	assert_memory_equal(k.list, want, sizeof want);
	assert_int_equal(wt_test_cache_count(c, MODULE), 1); /* the code pieces: one */
	/* one byte of the list changed (an index added by hand): refused and removed */
	snprintf(path, sizeof path, "%s/%s", f->entry, k.name);
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 8 + 32 + 8, SEEK_SET), 0);
	assert_int_equal(fputc(6, fp), 6);
	fclose(fp);
	memset(&k, 0, sizeof k);
	assert_int_equal(wt_jit_cache_each(c, MODULE, tally, &k, &err), 0);
	assert_int_equal(k.code, 1);
	assert_int_equal(k.refused, 0);
	assert_false(exists(path));
	wt_jit_cache_close(c);
}

/* The run record: one file per entry (WT_JIT_CACHE_RUNS_NAME), MAC'ed like a piece, handed out
 * as WT_JIT_PIECE_RUNS and never as code, replaced whole by each put; lengths of 0 or over
 * WT_JIT_CACHE_RUN_MAX_MS are left out when read (a record garbled under a valid MAC makes a
 * wrong expectation at worst); a planted or changed one is refused and removed. */
typedef struct record {
	int code, runs;
	wt_jit_runs got;
} record;

static int read_record(void *ctx, int fd, wt_jit_piece_kind kind, const char *name)
{
	record *r = ctx;
	if (kind == WT_JIT_PIECE_RUNS) {
		assert_string_equal(name, WT_JIT_CACHE_RUNS_NAME);
		r->runs++;
		wt_jit_cache_read_runs(fd, &r->got);
	} else {
		r->code += kind == WT_JIT_PIECE_CODE;
	}
	close(fd);
	return 0;
}

static record each_record(wt_jit_cache *c)
{
	record r = {0};
	wt_error err;
	wt_error_init(&err);
	assert_int_equal(wt_jit_cache_each(c, MODULE, read_record, &r, &err), 0);
	return r;
}

static void test_run_record(void **state)
{
	fixture *f = *state;
	wt_jit_cache *c = open_and_put(f);
	wt_jit_runs runs = {0};
	char path[700];
	wt_error err;

	wt_error_init(&err);
	for (int i = 1; i <= 6; i++) /* 1 s .. 6 s: the last four kept, newest first */
		wt_jit_runs_add(&runs, i);
	assert_int_equal(runs.count, 6);
	assert_int_equal(runs.n, WT_JIT_CACHE_RUNS_KEPT);
	assert_int_equal(runs.ms[0], 6000);
	assert_int_equal(runs.ms[3], 3000);
	assert_true(wt_jit_runs_expected(&runs) == 3.0);  /* the shortest kept */
	runs.pace_ns[0] = 40000, runs.pace_ns[1] = 35000; /* the child's pace goes with them */
	assert_int_equal(wt_jit_cache_put_runs(c, MODULE, &runs, &err), 0);
	wt_jit_runs_add(&runs, 0.5); /* a second put replaces the first */
	assert_int_equal(wt_jit_cache_put_runs(c, MODULE, &runs, &err), 0);
	record r = each_record(c);
	assert_int_equal(r.code, 1);
	assert_int_equal(r.runs, 1);
	assert_int_equal(r.got.count, 7);
	assert_int_equal(r.got.n, 4);
	assert_int_equal(r.got.ms[0], 500);
	assert_int_equal(r.got.pace_ns[0], 40000);
	assert_int_equal(r.got.pace_ns[1], 35000);
	assert_true(wt_jit_runs_expected(&r.got) == 0.5);
	/* garbled under a valid MAC: nil and huge lengths are left out */
	wt_jit_runs bad = {.count = UINT32_MAX,
			   .n = 4,
			   .ms = {0, UINT32_MAX, 2500, 0},
			   .pace_ns = {WT_JIT_CACHE_PACE_MAX_NS + 1, 7}};
	assert_int_equal(wt_jit_cache_put_runs(c, MODULE, &bad, &err), 0);
	r = each_record(c);
	assert_int_equal(r.got.pace_ns[0], 0); /* an unlikely pace: unknown */
	assert_int_equal(r.got.pace_ns[1], 7);
	assert_int_equal(r.got.count, UINT32_MAX);
	assert_int_equal(r.got.n, 1);
	assert_true(wt_jit_runs_expected(&r.got) == 2.5);
	wt_jit_runs_add(&r.got, 1); /* the count stays at its most */
	assert_int_equal(r.got.count, UINT32_MAX);
	/* one byte changed: refused and removed; a planted one too */
	snprintf(path, sizeof path, "%s/%s", f->entry, WT_JIT_CACHE_RUNS_NAME);
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 8 + 32 + 12, SEEK_SET), 0);
	assert_int_equal(fputc(1, fp), 1);
	fclose(fp);
	r = each_record(c);
	assert_int_equal(r.runs, 0);
	assert_false(exists(path));
	char planted[8 + 32 + 12] = WT_JIT_CACHE_MAGIC WT_JIT_CACHE_RUNS;
	write_file(path, planted, sizeof planted, 0600);
	r = each_record(c);
	assert_int_equal(r.runs, 0);
	assert_int_equal(r.code, 1);
	assert_false(exists(path));
	wt_jit_cache_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_put_then_get_gives_the_bytes_sealed),
	    T(test_planted_piece_is_refused_and_removed),
	    T(test_one_byte_changed_is_refused_and_removed),
	    T(test_changed_mac_is_refused),
	    T(test_truncated_piece_is_refused),
	    T(test_piece_of_another_module_is_refused),
	    T(test_symlinked_piece_is_refused),
	    T(test_group_writable_piece_is_refused),
	    T(test_unsafe_entry_folder_is_a_miss),
	    T(test_symlinked_cache_folder_is_refused),
	    T(test_group_writable_cache_folder_is_refused),
	    T(test_unsafe_key_file_is_refused),
	    T(test_new_secret_refuses_old_pieces),
	    T(test_memfd_keeps_the_verified_bytes),
	    T(test_piece_loads_from_its_memfd),
	    T(test_put_leaves_no_temporary_file),
	    T(test_put_evicts_the_least_recently_used),
	    T(test_piece_larger_than_the_limit_is_not_kept),
	    T(test_eviction_races_with_readers),
	    T(test_old_empty_entry_is_removed),
	    T(test_drop_removes_the_piece_of_a_memfd),
	    T(test_notes_go_where_told),
	    T(test_cache_limit_from_the_environment),
	    T(test_mount_exposes_the_cache),
	    T(test_run_uses_the_cache_unless_told_or_exposed),
	    T(test_group_is_handed_out_first),
	    T(test_remove_takes_piece_names_only),
	    T(test_refused_list_is_a_piece_apart),
	    T(test_run_record),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
