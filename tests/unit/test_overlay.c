/* test_overlay.c: contained mounts: every scenario runs on a direct and a contained tree; the guest
 * must see the same, the contained host must not change, and --apply must end as the direct run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "overlay.h"
#include "store.h"
#include "wasi_impl.h"

/* Guest memory (one page): 0x100 iovecs, 0x200 results, 0x400 filestat,
 * 0x1000 path 1, 0x1800 path 2, 0x2000 data. */
enum { IOV = 0x100, RES = 0x200, ST = 0x400, STR = 0x1000, STR2 = 0x1800, BUF = 0x2000 };
enum { ROOT = 3, LISTBUF = 40 }; /* the mount's preopen; a small readdir buffer (cookies) */
#define U(x) ((uint64_t)(x))

typedef enum {
	OPEN_W,
	READ,
	STAT,
	STATM,
	UNLINK,
	RMDIR,
	MKDIR,
	RENAME,
	TRUNC,
	LIST,
	SYMLINK,
	READLINK,
	TIMES,
	END
} op;

typedef struct step {
	op op;
	const char *path, *arg; /* arg: text to write, rename target, symlink text */
	uint64_t n;		/* truncate size, mtime */
} step;

typedef struct tree {
	char dir[64], data[96];
	wt_store *store;
	wt_meminst *mem;
	wt_module mod;
	wt_meminst *mems[1];
	wt_instance inst;
	wt_wasi *w;
	wt_trap trap;
	wt_mount mount;
	wt_contain *k;
	char log[8192];
} tree;

static void put(const char *dir, const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	assert_non_null(f = fopen(p, "w"));
	fputs(text, f);
	fclose(f);
}

/* The tree every scenario starts from. */
static void make_tree(tree *t)
{
	char p[256];

	snprintf(t->dir, sizeof t->dir, "/tmp/wt-ovl-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->data, sizeof t->data, "%s/data", t->dir);
	assert_int_equal(mkdir(t->data, 0755), 0);
	for (const char *const *d = (const char *const[]){"dir", "dir/sub", "empty", NULL}; *d;
	     d++) {
		snprintf(p, sizeof p, "%s/%s", t->data, *d);
		assert_int_equal(mkdir(p, 0755), 0);
	}
	put(t->dir, "outside.txt", "secret");
	put(t->data, "a.txt", "alpha");
	put(t->data, "b.txt", "bravo bravo");
	put(t->data, "stale.o", "stale");
	put(t->data, "dir/x.txt", "x");
	put(t->data, "dir/sub/y.txt", "yy");
	snprintf(p, sizeof p, "%s/link", t->data);
	assert_int_equal(symlink("dir", p), 0);
	snprintf(p, sizeof p, "%s/up", t->data);
	assert_int_equal(symlink("../outside.txt", p), 0);
}

static void tree_open(tree *t, int contain)
{
	wt_memtype mt = {{1, 1, 1}};
	static const char *const argv[] = {"prog"};
	wt_wasi_config cfg;
	wt_error err;

	memset(t, 0, sizeof *t);
	make_tree(t);
	assert_non_null(t->store = wt_store_new(NULL));
	assert_non_null(t->mem = wt_memory_new(t->store, &mt));
	t->mod.nmemories = 1;
	t->mems[0] = t->mem;
	t->inst.module = &t->mod;
	t->inst.memories = t->mems;
	t->inst.store = t->store;
	t->mount = (wt_mount){t->data, "/data", 0};
	wt_error_init(&err);
	if (contain)
		assert_int_equal(wt_overlay_contain_new(NULL, &t->k, &err), 0);
	memset(&cfg, 0, sizeof cfg);
	cfg.argc = 1, cfg.argv = argv, cfg.nmounts = 1, cfg.mounts = &t->mount;
	cfg.cwd = "/";
	cfg.stdio_fds[0] = cfg.stdio_fds[1] = cfg.stdio_fds[2] = -1;
	cfg.store = t->store;
	cfg.contain = t->k;
	if (wt_wasi_new(&cfg, &t->w, &err) != 0)
		fail_msg("wt_wasi_new: %s", err.msg);
}

static void tree_close(tree *t)
{
	char cmd[160];

	wt_wasi_free(t->w);
	wt_store_free(t->store);
	wt_overlay_contain_free(t->k);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

static int call(tree *t, wt_wasi_call id, int n, ...)
{
	wt_slot args[12] = {0};
	wt_host_call hc = {t->store, &t->inst, &t->w->binds[id], &t->trap};
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		args[i] = va_arg(ap, uint64_t);
	va_end(ap);
	assert_int_equal(wt_gate_call(&hc, args, args), 0);
	return (int)args[0];
}

static uint8_t *at(tree *t, uint32_t addr)
{
	return wt_memory_span(t->mem, addr, 1);
}

static uint64_t str(tree *t, uint32_t where, const char *s)
{
	memcpy(at(t, where), s, strlen(s));
	return strlen(s);
}

static int open_at(tree *t, const char *path, uint32_t oflags, uint64_t rights, uint32_t *fd)
{
	uint64_t n = str(t, STR, path);
	int e = call(t, WT_WASI_path_open, 9, U(ROOT), U(1), U(STR), n, U(oflags), rights,
		     U(WT_WR_ALL), U(0), U(RES));

	*fd = wt_le32(at(t, RES));
	return e;
}

static void logf_(tree *t, const char *fmt, ...)
{
	size_t len = strlen(t->log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->log + len, sizeof t->log - len, fmt, ap);
	va_end(ap);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Logs the names in sorted order (hosts list in their own order). */
static void log_names(tree *t, char **names, size_t n)
{
	qsort(names, n, sizeof *names, by_str);
	for (size_t i = 0; i < n; i++) {
		logf_(t, " %s", names[i]);
		free(names[i]);
	}
}

/* A whole listing through a small buffer, so the cookies carry it on. */
static int list(tree *t, uint32_t fd)
{
	uint64_t cookie = 0;
	int e = 0, rounds = 0;
	char *names[64];
	size_t nn = 0;

	for (;;) {
		uint32_t used, off = 0;
		uint64_t next = cookie;

		if ((e = call(t, WT_WASI_fd_readdir, 5, U(fd), U(BUF), U(LISTBUF), cookie,
			      U(RES)))) {
			log_names(t, names, nn);
			return e;
		}
		used = wt_le32(at(t, RES));
		while (off + WT_DIRENT_SIZE <= used) {
			uint32_t nl = wt_le32(at(t, BUF + off + 16));
			if (off + WT_DIRENT_SIZE + nl > used)
				break;
			next = wt_le64(at(t, BUF + off));
			if (nn < 64)
				names[nn++] =
				    strndup((char *)at(t, BUF + off + WT_DIRENT_SIZE), nl);
			off += WT_DIRENT_SIZE + nl;
		}
		if (used < LISTBUF || ++rounds > 100) {
			log_names(t, names, nn);
			return 0;
		}
		cookie = next;
	}
}

static int do_read(tree *t, const char *path)
{
	uint32_t fd;
	int e = open_at(t, path, 0, WT_WR_FD_READ, &fd);

	if (e)
		return e;
	wt_put32(at(t, IOV), BUF), wt_put32(at(t, IOV + 4), 256);
	if ((e = call(t, WT_WASI_fd_read, 4, U(fd), U(IOV), U(1), U(RES))) == 0)
		logf_(t, " '%.*s'", (int)wt_le32(at(t, RES)), (char *)at(t, BUF));
	call(t, WT_WASI_fd_close, 1, U(fd));
	return e;
}

static int do_write(tree *t, const char *path, const char *text)
{
	uint32_t fd;
	int e = open_at(t, path, WT_OF_CREAT | WT_OF_TRUNC, WT_WR_FD_WRITE, &fd);

	if (e)
		return e;
	wt_put32(at(t, IOV), BUF), wt_put32(at(t, IOV + 4), (uint32_t)str(t, BUF, text));
	e = call(t, WT_WASI_fd_write, 4, U(fd), U(IOV), U(1), U(RES));
	call(t, WT_WASI_fd_close, 1, U(fd));
	return e;
}

static int do_stat(tree *t, const char *path, int with_mtime)
{
	uint64_t n = str(t, STR, path);
	int e = call(t, WT_WASI_path_filestat_get, 5, U(ROOT), U(1), U(STR), n, U(ST));

	if (e == 0 && at(t, ST)[16] == WT_FT_DIRECTORY)
		logf_(t, " dir");
	else if (e == 0)
		logf_(t, " type %u size %llu", at(t, ST)[16],
		      (unsigned long long)wt_le64(at(t, ST + 32)));
	if (e == 0 && with_mtime)
		logf_(t, " mtime %llu", (unsigned long long)wt_le64(at(t, ST + 48)));
	return e;
}

static int do_trunc(tree *t, const char *path, uint64_t size)
{
	uint32_t fd;
	int e = open_at(t, path, 0, WT_WR_FD_FILESTAT_SET_SIZE | WT_WR_FD_WRITE, &fd);

	if (e)
		return e;
	e = call(t, WT_WASI_fd_filestat_set_size, 2, U(fd), size);
	call(t, WT_WASI_fd_close, 1, U(fd));
	return e;
}

static int do_list(tree *t, const char *path)
{
	uint32_t fd;
	int e = open_at(t, path, WT_OF_DIRECTORY, WT_WR_FD_READDIR, &fd);

	if (e)
		return e;
	e = list(t, fd);
	call(t, WT_WASI_fd_close, 1, U(fd));
	return e;
}

static int do_step(tree *t, const step *s)
{
	uint64_t n = s->path ? str(t, STR, s->path) : 0, n2 = s->arg ? str(t, STR2, s->arg) : 0;

	switch (s->op) {
	case OPEN_W:
		return do_write(t, s->path, s->arg);
	case READ:
		return do_read(t, s->path);
	case STAT:
		return do_stat(t, s->path, 0);
	case STATM:
		return do_stat(t, s->path, 1);
	case UNLINK:
		return call(t, WT_WASI_path_unlink_file, 3, U(ROOT), U(STR), n);
	case RMDIR:
		return call(t, WT_WASI_path_remove_directory, 3, U(ROOT), U(STR), n);
	case MKDIR:
		return call(t, WT_WASI_path_create_directory, 3, U(ROOT), U(STR), n);
	case RENAME:
		return call(t, WT_WASI_path_rename, 6, U(ROOT), U(STR), n, U(ROOT), U(STR2), n2);
	case TRUNC:
		return do_trunc(t, s->path, s->n);
	case LIST:
		return do_list(t, s->path);
	case SYMLINK:
		return call(t, WT_WASI_path_symlink, 5, U(STR2), n2, U(ROOT), U(STR), n);
	case READLINK: {
		int e =
		    call(t, WT_WASI_path_readlink, 6, U(ROOT), U(STR), n, U(BUF), U(256), U(RES));
		if (e == 0)
			logf_(t, " -> '%.*s'", (int)wt_le32(at(t, RES)), (char *)at(t, BUF));
		return e;
	}
	case TIMES:
		return call(t, WT_WASI_path_filestat_set_times, 7, U(ROOT), U(0), U(STR), n, s->n,
			    s->n, U(WT_FST_ATIM | WT_FST_MTIM));
	default:
		return -1;
	}
}

static void run_steps(tree *t, const step *steps)
{
	for (const step *s = steps; s->op != END; s++) {
		size_t len = strlen(t->log);
		snprintf(t->log + len, sizeof t->log - len, "%d %s:", s->op,
			 s->path ? s->path : "");
		logf_(t, " -> %d\n", do_step(t, s));
	}
}

/* Names, types, sizes, modes, link texts and bytes of every entry below dir. */
static char *snapshot(const char *dir)
{
	char cmd[512], *out = calloc(1, 65536);
	size_t n = 0, k;
	FILE *p;

	snprintf(cmd, sizeof cmd,
		 "cd '%s' && find . -printf '%%p %%y %%s %%m %%l\\n' | grep -v '^\\. ' | sort && "
		 "find . -type f -exec sha256sum {} + | sort",
		 dir);
	assert_non_null(out);
	assert_non_null(p = popen(cmd, "r"));
	while ((k = fread(out + n, 1, 65535 - n, p)) > 0)
		n += k;
	pclose(p);
	return out;
}

/* Runs steps directly and contained: the same log; the contained host
 * unchanged; after apply, the contained host equals the direct one. */
static void check_scenario(const step *steps)
{
	tree direct, contained;
	char *before, *after, *applied, *want;
	const wt_change *ch;
	size_t n;

	tree_open(&direct, 0);
	run_steps(&direct, steps);
	tree_open(&contained, 1);
	before = snapshot(contained.dir);
	run_steps(&contained, steps);
	assert_string_equal(contained.log, direct.log);
	after = snapshot(contained.dir);
	assert_string_equal(after, before);
	assert_int_equal(wt_overlay_changes(contained.k, &ch, &n), 0);
	assert_int_equal(wt_overlay_apply(contained.k, stderr), 0);
	applied = snapshot(contained.data);
	want = snapshot(direct.data);
	assert_string_equal(applied, want);
	free(before), free(after), free(applied), free(want);
	tree_close(&direct);
	tree_close(&contained);
}

static const step write_then_read[] = {{OPEN_W, "a.txt", "new bytes", 0},
				       {READ, "a.txt", 0, 0},
				       {STAT, "a.txt", 0, 0},
				       {READ, "b.txt", 0, 0},
				       {OPEN_W, "c.txt", "fresh", 0},
				       {READ, "c.txt", 0, 0},
				       {OPEN_W, "dir/sub/z.txt", "deep", 0},
				       {READ, "dir/sub/z.txt", 0, 0},
				       {END, 0, 0, 0}};

static const step delete_then_stat[] = {{UNLINK, "stale.o", 0, 0}, {STAT, "stale.o", 0, 0},
					{READ, "stale.o", 0, 0},   {UNLINK, "stale.o", 0, 0},
					{LIST, ".", 0, 0},	   {OPEN_W, "stale.o", "again", 0},
					{READ, "stale.o", 0, 0},   {UNLINK, "dir", 0, 0},
					{RMDIR, "a.txt", 0, 0},	   {UNLINK, "dir/sub/y.txt", 0, 0},
					{RMDIR, "dir/sub", 0, 0},  {STAT, "dir/sub", 0, 0},
					{LIST, "dir", 0, 0},	   {END, 0, 0, 0}};

static const step rename_tree[] = {{OPEN_W, "dir/sub/new.txt", "n", 0},
				   {UNLINK, "dir/x.txt", 0, 0},
				   {RENAME, "dir", "moved", 0},
				   {STAT, "dir", 0, 0},
				   {LIST, "moved", 0, 0},
				   {READ, "moved/sub/y.txt", 0, 0},
				   {READ, "moved/sub/new.txt", 0, 0},
				   {STAT, "moved/x.txt", 0, 0},
				   {LIST, "moved/sub", 0, 0},
				   {STAT, "link/sub", 0, 0},
				   {MKDIR, "dir", 0, 0},
				   {LIST, "dir", 0, 0},
				   {RENAME, "moved/sub", "dir/s2", 0},
				   {LIST, "dir/s2", 0, 0},
				   {RENAME, "a.txt", "b.txt", 0},
				   {READ, "b.txt", 0, 0},
				   {STAT, "a.txt", 0, 0},
				   {RENAME, "moved", "empty", 0},
				   {LIST, "empty", 0, 0},
				   {RENAME, "b.txt", "empty", 0},
				   {END, 0, 0, 0}};

static const step readdir_changes[] = {{OPEN_W, "n1", "1", 0},	{MKDIR, "n2", 0, 0},
				       {UNLINK, "a.txt", 0, 0}, {RMDIR, "empty", 0, 0},
				       {LIST, ".", 0, 0},	{RMDIR, "dir", 0, 0},
				       {MKDIR, "b.txt", 0, 0},	{MKDIR, "empty", 0, 0},
				       {LIST, "empty", 0, 0},	{OPEN_W, "link/via", "v", 0},
				       {LIST, "dir", 0, 0},	{SYMLINK, "l2", "dir/sub", 0},
				       {READLINK, "l2", 0, 0},	{LIST, "l2", 0, 0},
				       {LIST, ".", 0, 0},	{END, 0, 0, 0}};

static const step truncate_steps[] = {{TRUNC, "b.txt", 0, 3},
				      {READ, "b.txt", 0, 0},
				      {TRUNC, "a.txt", 0, 0},
				      {STAT, "a.txt", 0, 0},
				      {TRUNC, "dir/x.txt", 0, 9},
				      {STAT, "dir/x.txt", 0, 0},
				      {TIMES, "stale.o", 0, 1000000000},
				      {STATM, "stale.o", 0, 0},
				      {END, 0, 0, 0}};

static const step escapes[] = {{READ, "up", 0, 0},
			       {OPEN_W, "up", "x", 0},
			       {SYMLINK, "l3", "../outside.txt", 0},
			       {RENAME, "up", "dir/up2", 0},
			       {OPEN_W, "link/../../outside.txt", "x", 0},
			       {READLINK, "up", 0, 0},
			       {END, 0, 0, 0}};

static void test_overlay_write_then_read(void **state)
{
	(void)state;
	check_scenario(write_then_read);
}

static void test_overlay_delete_then_stat(void **state)
{
	(void)state;
	check_scenario(delete_then_stat);
}

static void test_overlay_rename_tree(void **state)
{
	(void)state;
	check_scenario(rename_tree);
}

static void test_overlay_readdir_after_changes(void **state)
{
	(void)state;
	check_scenario(readdir_changes);
}

static void test_overlay_truncate(void **state)
{
	(void)state;
	check_scenario(truncate_steps);
}

static void test_overlay_escapes_refused(void **state)
{
	(void)state;
	check_scenario(escapes);
}

/* The change list names what the run did, each once, by kind. */
static void test_overlay_changes_listed(void **state)
{
	static const step steps[] = {{UNLINK, "stale.o", 0, 0},
				     {OPEN_W, "a.txt", "longer text", 0},
				     {OPEN_W, "new.o", "n", 0},
				     {RENAME, "dir", "moved", 0},
				     {MKDIR, "obj", 0, 0},
				     {OPEN_W, "b.txt", "bravo bravo", 0},
				     {END, 0, 0, 0}};
	static const struct {
		wt_change_kind kind;
		const char *path, *from;
		int64_t old, new_size;
	} want[] = {
	    {WT_CHANGE_MODIFIED, "/data/a.txt", NULL, 5, 11},
	    {WT_CHANGE_RENAMED, "/data/moved", "/data/dir", -1, -1},
	    {WT_CHANGE_CREATED, "/data/new.o", NULL, -1, 1},
	    {WT_CHANGE_CREATED, "/data/obj", NULL, -1, -1},
	    {WT_CHANGE_DELETED, "/data/stale.o", NULL, 5, -1},
	};
	const wt_change *ch;
	size_t n;
	tree t;

	(void)state;
	tree_open(&t, 1);
	run_steps(&t, steps);
	assert_int_equal(wt_overlay_changes(t.k, &ch, &n), 0);
	assert_int_equal(n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ch[i].kind, want[i].kind);
		assert_string_equal(ch[i].path, want[i].path);
		if (want[i].from)
			assert_string_equal(ch[i].from, want[i].from);
		assert_int_equal(ch[i].old_size, want[i].old);
		assert_int_equal(ch[i].new_size, want[i].new_size);
	}
	tree_close(&t);
}

/* A host file changed after the run saw it is left alone, and counted. */
static void test_overlay_apply_refuses_changed_host(void **state)
{
	static const step steps[] = {{OPEN_W, "a.txt", "mine", 0},
				     {UNLINK, "b.txt", 0, 0},
				     {OPEN_W, "c.txt", "new", 0},
				     {END, 0, 0, 0}};
	char p[160], got[64] = {0};
	FILE *f;
	tree t;

	(void)state;
	tree_open(&t, 1);
	run_steps(&t, steps);
	put(t.data, "a.txt", "theirs, longer");
	put(t.data, "b.txt", "changed too");
	assert_int_equal(wt_overlay_apply(t.k, stderr), 2);
	snprintf(p, sizeof p, "%s/a.txt", t.data);
	assert_non_null(f = fopen(p, "r"));
	assert_true(fread(got, 1, sizeof got - 1, f) > 0);
	fclose(f);
	assert_string_equal(got, "theirs, longer");
	snprintf(p, sizeof p, "%s/b.txt", t.data);
	assert_int_equal(access(p, F_OK), 0);
	snprintf(p, sizeof p, "%s/c.txt", t.data);
	assert_int_equal(access(p, F_OK), 0);
	tree_close(&t);
}

/* Rewrites dir/name with text, then gives it back its times: only the
 * bytes (and the ctime) differ from what the run saw. */
static void put_keep_times(const char *dir, const char *name, const char *text)
{
	struct timespec t[2];
	struct stat s;
	char p[256];

	snprintf(p, sizeof p, "%s/%s", dir, name);
	assert_int_equal(stat(p, &s), 0);
	put(dir, name, text);
	t[0] = s.st_atim, t[1] = s.st_mtim;
	assert_int_equal(utimensat(AT_FDCWD, p, t, AT_SYMLINK_NOFOLLOW), 0);
}

static void assert_file_text(const char *dir, const char *name, const char *want)
{
	char p[256], got[64] = {0};
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	assert_non_null(f = fopen(p, "r"));
	assert_true(fread(got, 1, sizeof got - 1, f) > 0);
	fclose(f);
	assert_string_equal(got, want);
}

/* A host file rewritten between the run and apply with the same size and
 * its mtime restored is caught by its SHA-256: whether the run copied it
 * up with its bytes, replaced it (O_TRUNC), deleted it, or deleted or
 * renamed the folder holding it. The host keeps its bytes. */
static void test_overlay_apply_refuses_same_size_same_mtime(void **state)
{
	static const struct {
		step steps[4];
		const char *file, *text;
		int refused; /* the file, and the folder it keeps */
	} cases[] = {
	    {{{TRUNC, "a.txt", 0, 3}, {END, 0, 0, 0}}, "a.txt", "ALPHA", 1},
	    {{{TIMES, "a.txt", 0, 1000000000}, {END, 0, 0, 0}}, "a.txt", "ALPHA", 1},
	    {{{OPEN_W, "a.txt", "mine", 0}, {END, 0, 0, 0}}, "a.txt", "alphA", 1},
	    {{{UNLINK, "b.txt", 0, 0}, {END, 0, 0, 0}}, "b.txt", "BRAVO BRAVO", 1},
	    {{{UNLINK, "dir/sub/y.txt", 0, 0}, {RMDIR, "dir/sub", 0, 0}, {END, 0, 0, 0}},
	     "dir/sub/y.txt",
	     "YY",
	     2},
	    {{{RENAME, "dir", "moved", 0}, {END, 0, 0, 0}}, "dir/x.txt", "X", 2},
	};
	tree t;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tree_open(&t, 1);
		run_steps(&t, cases[i].steps);
		put_keep_times(t.data, cases[i].file, cases[i].text);
		assert_int_equal(wt_overlay_apply(t.k, stderr), cases[i].refused);
		assert_file_text(t.data, cases[i].file, cases[i].text);
		tree_close(&t);
	}
}

/* The private folder is 0700 and gone after free. */
static void test_overlay_private_folder(void **state)
{
	wt_contain *k;
	wt_error err;
	struct stat s;
	char dir[256];

	(void)state;
	wt_error_init(&err);
	assert_int_equal(wt_overlay_contain_new(NULL, &k, &err), 0);
	snprintf(dir, sizeof dir, "%s", wt_overlay_contain_dir(k));
	assert_int_equal(stat(dir, &s), 0);
	assert_int_equal(s.st_mode & 0777, 0700);
	wt_overlay_contain_free(k);
	assert_int_not_equal(stat(dir, &s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_overlay_write_then_read),
	    cmocka_unit_test(test_overlay_delete_then_stat),
	    cmocka_unit_test(test_overlay_rename_tree),
	    cmocka_unit_test(test_overlay_readdir_after_changes),
	    cmocka_unit_test(test_overlay_truncate),
	    cmocka_unit_test(test_overlay_escapes_refused),
	    cmocka_unit_test(test_overlay_changes_listed),
	    cmocka_unit_test(test_overlay_apply_refuses_changed_host),
	    cmocka_unit_test(test_overlay_apply_refuses_same_size_same_mtime),
	    cmocka_unit_test(test_overlay_private_folder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
