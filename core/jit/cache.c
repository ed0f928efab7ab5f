/* cache.c: the code cache's entries: a folder per module key holding pieces, each a shared
 * object behind a header with its HMAC; put writes one atomically, get hands out every
 * verified one as a sealed memfd (docs/security.md, "The code cache"). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <nettle/memops.h>
#include <unistd.h>

#include "cache.h"
#include "cache_impl.h"
#include "escape.h"
#include "sha256.h"

int wt_jit_cache_open(const char *dir, const char *options, wt_jit_cache **out, wt_error *err)
{
	char dflt[4096], key[4096];
	wt_jit_cache *c;

	*out = NULL;
	if (wt_jit_cache_paths(dir ? NULL : dflt, key, sizeof key, err))
		return err->code;
	if (!(c = calloc(1, sizeof *c)))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	if ((c->dirfd = wt_jit_cache_dir(AT_FDCWD, dir ? dir : dflt, 1, err)) < 0 ||
	    wt_jit_cache_secret(key, c->secret, err)) {
		wt_jit_cache_close(c);
		return err->code;
	}
	wt_jit_cache_salt(options, c->salt);
	c->limit = WT_JIT_CACHE_LIMIT_DEFAULT;
	c->notes = stderr;
	*out = c;
	return 0;
}

void wt_jit_cache_set_limit(wt_jit_cache *c, uint64_t bytes)
{
	c->limit = bytes;
}

void wt_jit_cache_set_notes(wt_jit_cache *c, FILE *notes)
{
	c->notes = notes;
}

void wt_jit_cache_close(wt_jit_cache *c)
{
	if (!c)
		return;
	if (c->dirfd >= 0)
		close(c->dirfd);
	memset(c->secret, 0, sizeof c->secret);
	free(c);
}

/* The entry's key and folder name (64 hex digits). */
static void entry_name(const wt_jit_cache *c, const uint8_t module_sha[32], uint8_t key[32],
		       char name[WT_SHA256_HEX])
{
	wt_jit_cache_entry(c->salt, module_sha, key);
	wt_sha256_hex(key, name);
}

/* Reads all of fd (a regular file of at most WT_JIT_CACHE_PIECE_MAX bytes) into *out. */
static int read_all(int fd, uint8_t **out, size_t *len, wt_error *err)
{
	struct stat st;
	size_t n = 0;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > WT_JIT_CACHE_PIECE_MAX)
		return wt_fail_plain(err, WT_NOINPUT, "not a regular file of at most %u bytes",
				     (unsigned)WT_JIT_CACHE_PIECE_MAX);
	if (!(*out = malloc((size_t)st.st_size + 1)))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	for (ssize_t r; n <= (size_t)st.st_size; n += (size_t)r)
		if ((r = read(fd, *out + n, (size_t)st.st_size + 1 - n)) <= 0)
			break;
	*len = n;
	if (n != (size_t)st.st_size) {
		free(*out);
		*out = NULL;
		return wt_fail_plain(err, WT_IO, "the file changed while it was read");
	}
	return 0;
}

/* Writes the piece (header with mac, then bytes) as a file beneath entry, named after the
 * bytes' sha256 then suffix (".piece", ".group") through a synced temporary file renamed into
 * place, or, with fixed, named fixed through one renamed over it unsynced (the run record: see
 * cache.h). */
static int write_piece(int entry, const uint8_t mac[32], const uint8_t *bytes, size_t len,
		       const char *fixed, const char *suffix, wt_error *err)
{
	uint8_t rnd[8], sha[32];
	char tmp[32], name[WT_SHA256_HEX + 8];
	int fd, ok;

	if (wt_jit_cache_random(rnd, sizeof rnd) != 0)
		return wt_fail_plain(err, WT_IO, "getrandom: %s", strerror(errno));
	snprintf(tmp, sizeof tmp, ".tmp-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
		 rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	fd = openat(entry, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return wt_fail_plain(err, WT_IO, "cannot create a piece: %s", strerror(errno));
	ok = write(fd, WT_JIT_CACHE_MAGIC, WT_JIT_CACHE_MAGIC_SIZE) == WT_JIT_CACHE_MAGIC_SIZE &&
	     write(fd, mac, WT_JIT_CACHE_MAC_SIZE) == WT_JIT_CACHE_MAC_SIZE &&
	     write(fd, bytes, len) == (ssize_t)len && (fixed || fsync(fd) == 0);
	close(fd);
	if (fixed) {
		snprintf(name, sizeof name, "%s", fixed);
	} else {
		wt_sha256(bytes, len, sha);
		wt_sha256_hex(sha, name);
		strcat(name, suffix);
	}
	if (!ok || renameat(entry, tmp, entry, name) != 0 || (!fixed && fsync(entry) != 0)) {
		int e = errno;
		(void)unlinkat(entry, tmp, 0);
		return wt_fail_plain(err, WT_IO, "cannot write a piece: %s", strerror(e));
	}
	return 0;
}

/* Writes bytes as one more piece of the module's entry, named after them then suffix (fixed:
 * as its file of that name, replaced). */
static int put_bytes(wt_jit_cache *c, const uint8_t module_sha[32], const uint8_t *bytes,
		     size_t len, const char *fixed, const char *suffix, wt_error *err)
{
	uint8_t key[32], mac[WT_JIT_CACHE_MAC_SIZE];
	char name[WT_SHA256_HEX];
	int entry, rc;

	if (c->limit && (uint64_t)len + WT_JIT_CACHE_HEADER > c->limit)
		return wt_fail_plain(
		    err, WT_LIMIT,
		    "a piece of %zu bytes is larger than the cache's limit of %llu "
		    "bytes",
		    len + WT_JIT_CACHE_HEADER, (unsigned long long)c->limit);
	if (!fixed) /* the run record is a few bytes, written at a run's end: no scan */
		wt_jit_cache_evict(c, (uint64_t)len + WT_JIT_CACHE_HEADER);
	entry_name(c, module_sha, key, name);
	if ((entry = wt_jit_cache_dir(c->dirfd, name, 1, err)) < 0)
		return err->code;
	wt_jit_cache_mac(c->secret, key, bytes, len, mac);
	rc = write_piece(entry, mac, bytes, len, fixed, suffix, err);
	close(entry);
	return rc;
}

/* Puts magic (8 bytes) then the n words little-endian, whatever the host, as a piece (fixed: as
 * the entry's file of that name). */
static int put_words(wt_jit_cache *c, const uint8_t module_sha[32], const char *magic,
		     const uint32_t *words, uint32_t n, const char *fixed, wt_error *err)
{
	size_t len = 8 + (size_t)n * 4;
	uint8_t *bytes = malloc(len);
	int rc;

	if (!bytes)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	memcpy(bytes, magic, 8);
	for (uint32_t i = 0; i < n; i++)
		for (int b = 0; b < 4; b++)
			bytes[8 + 4 * i + b] = (uint8_t)(words[i] >> (8 * b));
	rc = put_bytes(c, module_sha, bytes, len, fixed, WT_JIT_CACHE_PIECE_SUFFIX, err);
	free(bytes);
	return rc;
}

int wt_jit_cache_put_refused(wt_jit_cache *c, const uint8_t module_sha[32], const uint32_t *funcs,
			     uint32_t n, wt_error *err)
{
	return put_words(c, module_sha, WT_JIT_CACHE_REFUSED, funcs, n, NULL, err);
}

int wt_jit_cache_put_runs(wt_jit_cache *c, const uint8_t module_sha[32], const wt_jit_runs *runs,
			  wt_error *err)
{
	uint32_t words[3 + WT_JIT_CACHE_RUNS_KEPT],
	    n = runs->n < WT_JIT_CACHE_RUNS_KEPT ? runs->n : WT_JIT_CACHE_RUNS_KEPT;
	words[0] = runs->count;
	words[1] = runs->pace_ns[0];
	words[2] = runs->pace_ns[1];
	memcpy(words + 3, runs->ms, n * sizeof *words);
	return put_words(c, module_sha, WT_JIT_CACHE_RUNS, words, 3 + n, WT_JIT_CACHE_RUNS_NAME,
			 err);
}

void wt_jit_cache_read_runs(int fd, wt_jit_runs *out)
{
	uint8_t b[4 * (3 + WT_JIT_CACHE_RUNS_KEPT)];
	ssize_t got = pread(fd, b, sizeof b, WT_JIT_CACHE_RUNS_SIZE);

	memset(out, 0, sizeof *out);
	for (ssize_t i = 0; i + 4 <= got; i += 4) {
		uint32_t w = (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 | (uint32_t)b[i + 2] << 16 |
			     (uint32_t)b[i + 3] << 24;
		if (i == 0)
			out->count = w;
		else if (i <= 8)
			out->pace_ns[i / 4 - 1] = w <= WT_JIT_CACHE_PACE_MAX_NS ? w : 0;
		else if (w > 0 && w <= WT_JIT_CACHE_RUN_MAX_MS)
			out->ms[out->n++] = w;
	}
}

void wt_jit_runs_add(wt_jit_runs *runs, double seconds)
{
	double ms = seconds * 1000;
	uint32_t n = runs->n < WT_JIT_CACHE_RUNS_KEPT ? runs->n : WT_JIT_CACHE_RUNS_KEPT - 1;
	memmove(runs->ms + 1, runs->ms, n * sizeof *runs->ms);
	runs->ms[0] = ms < 1			     ? 1
		      : ms > WT_JIT_CACHE_RUN_MAX_MS ? WT_JIT_CACHE_RUN_MAX_MS
						     : (uint32_t)ms;
	runs->n = n + 1;
	if (runs->count < UINT32_MAX)
		runs->count++;
}

double wt_jit_runs_expected(const wt_jit_runs *runs)
{
	uint32_t least = 0;
	for (uint32_t i = 0; i < runs->n && i < WT_JIT_CACHE_RUNS_KEPT; i++)
		if (runs->ms[i] && (!least || runs->ms[i] < least))
			least = runs->ms[i];
	return least / 1000.0;
}

/* Puts the shared object at so_path as a piece named after its bytes then suffix. */
static int put_file(wt_jit_cache *c, const uint8_t module_sha[32], const char *so_path,
		    const char *suffix, wt_error *err)
{
	uint8_t *bytes = NULL;
	size_t len = 0;
	int fd = open(so_path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return wt_fail_plain(err, WT_NOINPUT, "%s: %s", so_path, strerror(errno));
	rc = read_all(fd, &bytes, &len, err);
	close(fd);
	if (rc) {
		wt_error_prefix(err, "%s", so_path);
		return rc;
	}
	rc = put_bytes(c, module_sha, bytes, len, NULL, suffix, err);
	free(bytes);
	return rc;
}

int wt_jit_cache_put(wt_jit_cache *c, const uint8_t module_sha[32], const char *so_path,
		     wt_error *err)
{
	return put_file(c, module_sha, so_path, WT_JIT_CACHE_PIECE_SUFFIX, err);
}

int wt_jit_cache_put_group(wt_jit_cache *c, const uint8_t module_sha[32], const char *so_path,
			   wt_error *err)
{
	return put_file(c, module_sha, so_path, WT_JIT_CACHE_GROUP_SUFFIX, err);
}

/* MFD_EXEC (Linux 6.3): the memfd may be mapped executable even where vm.memfd_noexec makes
 * memfds non-executable by default; older kernels refuse the flag, and their memfds are. */
enum { WT_MFD_EXEC = 0x10 };

/* A new memfd that can be sealed and mapped executable, or -1. */
static int new_memfd(void)
{
	int m = memfd_create("wasi-tofu-piece", MFD_CLOEXEC | MFD_ALLOW_SEALING | WT_MFD_EXEC);
	if (m < 0 && errno == EINVAL)
		m = memfd_create("wasi-tofu-piece", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	return m;
}

/* Copies the rest of fd (want bytes) into a new memfd and seals it; the memfd or -1 with *why. */
static int copy_sealed(int fd, size_t want, const char **why)
{
	char buf[65536];
	size_t got = 0;
	ssize_t r;
	int m = new_memfd();

	if (m < 0) {
		*why = "no memfd";
		return -1;
	}
	while ((r = read(fd, buf, sizeof buf)) > 0 && write(m, buf, (size_t)r) == r)
		got += (size_t)r;
	if (r != 0 || got != want) {
		*why = "truncated, or changed while read";
	} else if (fcntl(m, F_ADD_SEALS,
			 F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
		*why = "cannot seal its copy";
	} else {
		return m;
	}
	close(m);
	return -1;
}

/* 0 when the sealed memfd m of len bytes carries the MAC mac for entry key. */
static int check_mac(const wt_jit_cache *c, const uint8_t key[32], int m, size_t len,
		     const uint8_t mac[WT_JIT_CACHE_MAC_SIZE])
{
	uint8_t want[WT_JIT_CACHE_MAC_SIZE];
	void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, m, 0);

	if (p == MAP_FAILED)
		return -1;
	wt_jit_cache_mac(c->secret, key, p, len, want);
	munmap(p, len);
	return memeql_sec(want, mac, sizeof want) ? 0 : -1;
}

/* The piece open as fd, checked (a regular file of the user's, not writable by others, with
 * a header) and copied to a sealed memfd whose bytes are then verified: the memfd, or -1
 * with *why. */
static int verify_piece(const wt_jit_cache *c, const uint8_t key[32], int fd, const char **why)
{
	uint8_t head[WT_JIT_CACHE_HEADER];
	struct stat st;
	wt_error err;
	int m;

	wt_error_init(&err);
	if (fstat(fd, &st) != 0 || wt_jit_cache_check(&st, S_IFREG, "piece", &err)) {
		*why = "not a regular file of the user's, writable by the user alone";
		return -1;
	}
	if (st.st_size <= WT_JIT_CACHE_HEADER ||
	    st.st_size > (off_t)WT_JIT_CACHE_HEADER + WT_JIT_CACHE_PIECE_MAX ||
	    read(fd, head, sizeof head) != (ssize_t)sizeof head ||
	    memcmp(head, WT_JIT_CACHE_MAGIC, WT_JIT_CACHE_MAGIC_SIZE) != 0) {
		*why = "no piece header";
		return -1;
	}
	if ((m = copy_sealed(fd, (size_t)st.st_size - WT_JIT_CACHE_HEADER, why)) < 0)
		return -1;
	if (check_mac(c, key, m, (size_t)st.st_size - WT_JIT_CACHE_HEADER,
		      head + WT_JIT_CACHE_MAGIC_SIZE) != 0) {
		*why = "its MAC does not match (planted or changed)";
		close(m);
		return -1;
	}
	return m;
}

/* Says why the piece name of an entry was refused, and removes it. */
static void refuse(const wt_jit_cache *c, int entry, const char *name, const char *why)
{
	if (c->notes)
		wt_escape_fprintf(c->notes,
				  "wasi-tofu: note: code cache: piece '%s' refused: %s; removed\n",
				  name, why);
	if (unlinkat(entry, name, 0) != 0 && errno == EISDIR)
		(void)unlinkat(entry, name, AT_REMOVEDIR);
}

/* The verified piece name beneath entry, as a memfd, or -1 (refused and removed; or gone
 * since the folder was read: another run's put evicted it). A piece handed out is marked
 * used now (its mtime: the order in which eviction removes pieces). */
static int get_piece(const wt_jit_cache *c, const uint8_t key[32], int entry, const char *name)
{
	const char *why = NULL;
	int fd = openat(entry, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), m = -1;

	if (fd < 0 && errno == ENOENT)
		return -1;
	if (fd < 0)
		why = errno == ELOOP ? "a symlink" : strerror(errno);
	else
		m = verify_piece(c, key, fd, &why);
	if (m >= 0)
		(void)futimens(fd, NULL);
	if (fd >= 0)
		close(fd);
	if (m < 0)
		refuse(c, entry, name, why);
	return m;
}

/* Removes name beneath entry when it is a temporary piece (`.tmp-*`) older
 * than WT_JIT_CACHE_STALE seconds: what a writer that died left behind. */
static void remove_stale(int entry, const char *name)
{
	struct stat st;

	if (strncmp(name, ".tmp-", 5) == 0 && fstatat(entry, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode) && st.st_mtime + WT_JIT_CACHE_STALE < time(NULL))
		(void)unlinkat(entry, name, 0);
}

/* Opens the entry folder name, checked; -1 for a miss (a refused folder with a note). */
static int open_entry(const wt_jit_cache *c, const char *name)
{
	struct stat st;
	wt_error err;
	int fd;

	if (fstatat(c->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return -1;
	wt_error_init(&err);
	if ((fd = wt_jit_cache_dir(c->dirfd, name, 0, &err)) < 0 && c->notes)
		wt_escape_fprintf(c->notes, "wasi-tofu: note: code cache: entry refused: %s\n",
				  err.msg);
	return fd;
}

/* What the verified memfd m holds: a list of refused functions or the run
 * record (each starts with its magic, which no shared object does), else
 * code. */
static wt_jit_piece_kind piece_kind(int m)
{
	char head[WT_JIT_CACHE_REFUSED_SIZE];
	if (pread(m, head, sizeof head, 0) != (ssize_t)sizeof head)
		return WT_JIT_PIECE_CODE;
	if (memcmp(head, WT_JIT_CACHE_REFUSED, sizeof head) == 0)
		return WT_JIT_PIECE_REFUSED;
	if (memcmp(head, WT_JIT_CACHE_RUNS, sizeof head) == 0)
		return WT_JIT_PIECE_RUNS;
	return WT_JIT_PIECE_CODE;
}

/* Whether name is a regrouped object's (WT_JIT_CACHE_GROUP_SUFFIX). */
static int is_group(const char *name)
{
	size_t n = strlen(name), k = strlen(WT_JIT_CACHE_GROUP_SUFFIX);
	return n > k && strcmp(name + n - k, WT_JIT_CACHE_GROUP_SUFFIX) == 0;
}

/* The order in which an entry's pieces are handed out: regrouped objects first, then the
 * others, each by name (the loader keeps the first copy of a function it meets: wt_jit_load). */
static int by_load_order(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int gx = is_group(x), gy = is_group(y);
	return gx != gy ? gy - gx : strcmp(x, y);
}

/* The names of the entry's pieces (at most WT_JIT_CACHE_SCAN_MAX read; temporary ones are left
 * out, and removed when stale), in load order: *names (each and the array freed by the caller),
 * their count, or -1 with errno. */
static int list_pieces(int entry, char ***names)
{
	DIR *dir = fdopendir(dup(entry));
	struct dirent *d;
	int n = 0, scanned = 0;

	*names = NULL;
	if (!dir)
		return -1;
	if (!(*names = calloc(WT_JIT_CACHE_SCAN_MAX, sizeof **names))) {
		closedir(dir);
		return -1;
	}
	while (scanned++ < WT_JIT_CACHE_SCAN_MAX && (d = readdir(dir))) {
		if (d->d_name[0] == '.') /* ., .., and pieces being written */
			remove_stale(entry, d->d_name);
		else if (((*names)[n] = strdup(d->d_name)))
			n++;
	}
	closedir(dir);
	qsort(*names, (size_t)n, sizeof **names, by_load_order);
	return n;
}

int wt_jit_cache_each(wt_jit_cache *c, const uint8_t module_sha[32], wt_jit_cache_piece_fn fn,
		      void *ctx, wt_error *err)
{
	uint8_t key[32];
	char name[WT_SHA256_HEX], **names;
	int entry, n, stop = 0;

	entry_name(c, module_sha, key, name);
	if ((entry = open_entry(c, name)) < 0)
		return 0;
	if ((n = list_pieces(entry, &names)) < 0) {
		close(entry);
		return wt_fail_plain(err, WT_IO, "code cache entry: %s", strerror(errno));
	}
	for (int i = 0; i < n; i++) {
		int m = stop ? -1 : get_piece(c, key, entry, names[i]);
		if (m >= 0)
			stop = fn(ctx, m, piece_kind(m), names[i]);
		free(names[i]);
	}
	free(names);
	close(entry);
	return 0;
}

int wt_jit_cache_remove(wt_jit_cache *c, const uint8_t module_sha[32], const char *name)
{
	uint8_t key[32];
	char entry[WT_SHA256_HEX];
	int dir, rc;

	if (!name[0] || name[0] == '.' || strchr(name, '/') ||
	    strcmp(name, WT_JIT_CACHE_RUNS_NAME) == 0)
		return -1;
	entry_name(c, module_sha, key, entry);
	if ((dir = open_entry(c, entry)) < 0)
		return -1;
	rc = unlinkat(dir, name, 0) == 0 ? 0 : -1;
	close(dir);
	return rc;
}

int wt_jit_cache_drop(wt_jit_cache *c, const uint8_t module_sha[32], int fd)
{
	uint8_t key[32], sha[WT_SHA256_SIZE];
	char entry[WT_SHA256_HEX], name[WT_SHA256_HEX + 8];
	struct stat st;
	void *p;
	int dir, rc;

	if (fstat(fd, &st) != 0 || st.st_size <= 0 ||
	    (p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0)) == MAP_FAILED)
		return -1;
	wt_sha256(p, (size_t)st.st_size, sha); /* a piece is named after its bytes' sha256 */
	munmap(p, (size_t)st.st_size);
	wt_sha256_hex(sha, name);
	size_t at = strlen(name);
	entry_name(c, module_sha, key, entry);
	if ((dir = open_entry(c, entry)) < 0)
		return -1;
	strcpy(name + at, WT_JIT_CACHE_PIECE_SUFFIX);
	rc = unlinkat(dir, name, 0) == 0 ? 0 : -1;
	strcpy(name + at, WT_JIT_CACHE_GROUP_SUFFIX); /* or a regrouped object */
	rc = unlinkat(dir, name, 0) == 0 ? 0 : rc;
	close(dir);
	return rc;
}
