/* cache_evict.c: the code cache's size limit: before a put, the pieces of every entry are
 * counted and, when the new one would not fit, the least recently used are removed (a get marks
 * what it hands out used: its mtime). Readers copy a piece into a sealed memfd before they use
 * it, so removing one another run is reading takes nothing from that run (docs/security.md,
 * "The code cache"). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "cache_impl.h"
#include "sha256.h"

/* One piece seen (the run record counts as one): its entry (an index into the scan's names),
 * name, size and last use. */
typedef struct piece_ref {
	struct timespec used;
	uint64_t size;
	uint32_t entry;
	char name[WT_SHA256_HEX + 8];
} piece_ref;

typedef struct cache_scan {
	piece_ref *v;
	size_t n, cap;
	char (*entries)[WT_SHA256_HEX];
	uint32_t nentries, ecap;
	uint64_t total;
} cache_scan;

/* 1 when name is 64 lowercase hex digits followed by suffix. */
static int hex_name(const char *name, const char *suffix)
{
	size_t i = 0;
	while (i < 64 && ((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
		i++;
	return i == 64 && strcmp(name + 64, suffix) == 0;
}

/* Adds the piece name of the scan's last entry. -1 when out of memory or over the bound. */
static int add_piece(cache_scan *s, const char *name, const struct stat *st)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		piece_ref *v;
		if (cap > WT_JIT_CACHE_EVICT_SCAN || !(v = realloc(s->v, cap * sizeof *v)))
			return -1;
		s->v = v, s->cap = cap;
	}
	piece_ref *p = &s->v[s->n++];
	p->used = st->st_mtim;
	p->size = (uint64_t)st->st_size;
	p->entry = s->nentries - 1;
	memcpy(p->name, name, strlen(name) + 1); /* a checked name (hex_name): it fits */
	s->total += p->size;
	return 0;
}

/* Adds the entry folder name; -1 when out of memory. */
static int add_entry(cache_scan *s, const char *name)
{
	if (s->nentries == s->ecap) {
		uint32_t cap = s->ecap ? 2 * s->ecap : 64;
		char(*e)[WT_SHA256_HEX] = realloc(s->entries, cap * sizeof *e);
		if (!e)
			return -1;
		s->entries = e, s->ecap = cap;
	}
	memcpy(s->entries[s->nentries++], name, WT_SHA256_HEX);
	return 0;
}

/* Counts the pieces of the entry folder name (checked as get checks it); removes it when it
 * is empty and has not changed for WT_JIT_CACHE_STALE seconds (a put that has just made it
 * is about to write into it). -1 when the scan's bound is reached. */
static int scan_entry(const wt_jit_cache *c, cache_scan *s, const char *name)
{
	wt_error err;
	struct stat st;
	struct dirent *d;
	int fd, files = 0, rc = 0;
	DIR *dir;

	wt_error_init(&err);
	if ((fd = wt_jit_cache_dir(c->dirfd, name, 0, &err)) < 0)
		return 0;
	if (add_entry(s, name) != 0 || !(dir = fdopendir(fd))) {
		close(fd);
		return -1;
	}
	while (rc == 0 && (d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		files++;
		if ((hex_name(d->d_name, ".piece") || !strcmp(d->d_name, WT_JIT_CACHE_RUNS_NAME)) &&
		    fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
			rc = add_piece(s, d->d_name, &st);
	}
	if (files == 0 && fstat(fd, &st) == 0 && st.st_mtime + WT_JIT_CACHE_STALE < time(NULL))
		(void)unlinkat(c->dirfd, name, AT_REMOVEDIR); /* fails unless still empty */
	closedir(dir);
	return rc;
}

/* Every piece of the cache into s (at most WT_JIT_CACHE_EVICT_SCAN). */
static void scan_cache(const wt_jit_cache *c, cache_scan *s)
{
	int fd = openat(c->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *d;

	if (!dir) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((d = readdir(dir)))
		if (hex_name(d->d_name, "") && scan_entry(c, s, d->d_name) != 0)
			break;
	closedir(dir);
}

/* Least recently used first. */
static int by_use(const void *a, const void *b)
{
	const struct timespec *x = &((const piece_ref *)a)->used,
			      *y = &((const piece_ref *)b)->used;
	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? -1 : 1;
	return (x->tv_nsec > y->tv_nsec) - (x->tv_nsec < y->tv_nsec);
}

/* Removes the piece p (gone already is fine: another run evicted it too). */
static void remove_piece(const wt_jit_cache *c, const cache_scan *s, const piece_ref *p)
{
	int fd =
	    openat(c->dirfd, s->entries[p->entry], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	(void)unlinkat(fd, p->name, 0);
	close(fd);
}

void wt_jit_cache_evict(wt_jit_cache *c, uint64_t size)
{
	cache_scan s = {0};

	if (!c->limit)
		return;
	scan_cache(c, &s);
	if (s.n)
		qsort(s.v, s.n, sizeof *s.v, by_use);
	for (size_t i = 0; i < s.n && s.total + size > c->limit; i++) {
		remove_piece(c, &s, &s.v[i]);
		s.total -= s.v[i].size;
	}
	free(s.v);
	free(s.entries);
}
