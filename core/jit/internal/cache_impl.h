/* cache_impl.h: the code cache's private pieces (core/jit/cache*.c): the checked folders and
 * files, the secret, the entry key and the pieces' MAC. */
#ifndef WT_JIT_CACHE_IMPL_H
#define WT_JIT_CACHE_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "error.h"

enum { WT_JIT_CACHE_SECRET_SIZE = 32, WT_JIT_CACHE_MAC_SIZE = 32 };

/* A piece on disk: this header, then the shared object's bytes. The MAC is
 * HMAC-SHA256(secret, entry key || bytes). */
#define WT_JIT_CACHE_MAGIC "WTJCPC1\n"
enum { WT_JIT_CACHE_MAGIC_SIZE = 8, WT_JIT_CACHE_HEADER = 8 + WT_JIT_CACHE_MAC_SIZE };

struct wt_jit_cache {
	int dirfd; /* the cache folder, checked */
	uint8_t secret[WT_JIT_CACHE_SECRET_SIZE];
	uint8_t salt[32]; /* sha256 of version, build id, layout, CPU features, options */
	uint64_t limit;	  /* the pieces' bytes at most (0: no limit) */
	FILE *notes;	  /* where notes go, or NULL */
};

/* Makes room for a piece of size bytes (its header included) under the
 * cache's limit: removes the least recently used pieces of every entry
 * (cache_evict.c), and empty entry folders older than WT_JIT_CACHE_STALE. */
void wt_jit_cache_evict(wt_jit_cache *c, uint64_t size);

/* 0 when st (of what, a name for the message) is of type (S_IFDIR,
 * S_IFREG), the user's own and not writable by group or others; else
 * WT_IO with a message naming what. */
int wt_jit_cache_check(const struct stat *st, mode_t type, const char *what, wt_error *err);

/* Opens the folder name beneath dirfd (AT_FDCWD: name is a path; its last
 * component is not followed), creating it 0700 when it is missing and
 * create is set, and checks it. The fd, or -1 with err filled. */
int wt_jit_cache_dir(int dirfd, const char *name, int create, wt_error *err);

/* The secret at path (its folder is made 0700 when missing): read, or made
 * from getrandom when there is none. 0 or WT_IO with a message. */
int wt_jit_cache_secret(const char *path, uint8_t out[WT_JIT_CACHE_SECRET_SIZE], wt_error *err);

/* The salt of every key made by this build on this CPU with these options. */
void wt_jit_cache_salt(const char *options, uint8_t out[32]);

/* An entry's key (its folder's name is its hex): sha256(salt || module_sha). */
void wt_jit_cache_entry(const uint8_t salt[32], const uint8_t module_sha[32], uint8_t out[32]);

/* A piece's MAC: HMAC-SHA256 keyed with the secret over the entry key, then
 * the bytes. */
void wt_jit_cache_mac(const uint8_t secret[WT_JIT_CACHE_SECRET_SIZE], const uint8_t entry[32],
		      const uint8_t *bytes, size_t len, uint8_t out[WT_JIT_CACHE_MAC_SIZE]);

/* Writes len random bytes; 0 or -1 (errno). */
int wt_jit_cache_random(uint8_t *out, size_t len);

#endif
