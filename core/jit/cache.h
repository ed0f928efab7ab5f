/* cache.h: the on-disk cache of compiled code: pieces (shared objects made by the compiling
 * tier) kept per module across runs, each verified with an HMAC before it is handed out
 * (docs/security.md, "The code cache"). */
#ifndef WT_JIT_CACHE_H
#define WT_JIT_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "jit.h"

/* The layout of the generated code and of its calls into the runtime: bump it when
 * a piece made by an older build could no longer be loaded as it is. Part of
 * every entry's key, with the tool's version and build id, the CPU features
 * and the compile options. */
enum { WT_JIT_CACHE_LAYOUT = 1 };

/* Bounds: a piece's size and a folder's entries read by one get; the age in
 * seconds after which get removes a temporary piece a dead writer left. */
enum {
	WT_JIT_CACHE_PIECE_MAX = 256u << 20,
	WT_JIT_CACHE_SCAN_MAX = 4096,
	WT_JIT_CACHE_STALE = 3600
};

/* The cache's size limit unless told otherwise (wt_jit_cache_set_limit): the
 * bytes of every piece of every entry. */
#define WT_JIT_CACHE_LIMIT_DEFAULT ((uint64_t)1 << 30)
/* The pieces a put's eviction looks at, at most (the cache's whole folder). */
enum { WT_JIT_CACHE_EVICT_SCAN = 1 << 16 };

typedef struct wt_jit_cache wt_jit_cache;

/* Where the cache lives: dir is the cache folder ($XDG_CACHE_HOME/wasi-tofu,
 * else $HOME/.cache/wasi-tofu), key the per-user secret
 * ($XDG_STATE_HOME/wasi-tofu/cache.key, else $HOME/.local/state/wasi-tofu/cache.key).
 * Each buffer holds size bytes (at least 64). Returns 0, or WT_IO with a
 * message when neither variable is set or a path does not fit. */
int wt_jit_cache_paths(char *dir, char *key, size_t size, wt_error *err);

/* Opens the cache folder dir (NULL: the default of wt_jit_cache_paths),
 * creating it 0700, and the secret (creating 32 random bytes, 0600, when
 * there is none). options names the compile options that shape the code
 * (part of every key; NULL = ""). Refuses, with WT_IO and a message saying
 * why, a folder or key file that is a symlink, is not the user's own, or
 * is writable by group or others, or a key file readable by them. */
int wt_jit_cache_open(const char *dir, const char *options, wt_jit_cache **out, wt_error *err);

/* The cache's size limit in bytes (0: none; the default is
 * WT_JIT_CACHE_LIMIT_DEFAULT): a put that would take the pieces of all
 * entries beyond it first removes the least recently used ones (a get
 * marks the pieces it hands out used). */
void wt_jit_cache_set_limit(wt_jit_cache *c, uint64_t bytes);

/* Where the cache's notes go (a piece refused, an entry refused): the
 * stream, or NULL for nowhere. stderr unless told. */
void wt_jit_cache_set_notes(wt_jit_cache *c, FILE *notes);

/* Adds the shared object at so_path to the entry of the module whose
 * sha256 is module_sha, as one more piece: written to a temporary file
 * in the entry's folder, synced, then renamed into place (readers see
 * the whole piece or none). When the cache would then exceed its limit,
 * the least recently used pieces (of any entry) are removed first: a run
 * that reads one holds its own copy (a sealed memfd), so removing it
 * harms nothing; runs that put at once may overshoot the limit by their
 * pieces. Returns 0, or WT_NOINPUT/WT_IO with a message, or WT_LIMIT
 * for a piece larger than the limit (not kept). */
int wt_jit_cache_put(wt_jit_cache *c, const uint8_t module_sha[32], const char *so_path,
		     wt_error *err);

/* Adds a list of functions of the module that the compiling tier refuses
 * (an op it does not translate, or a long shot no run of its length can
 * compile: core/jit/tierup.h) as one more piece, MAC'ed as the others:
 * WT_JIT_CACHE_REFUSED, then each index as 4 bytes, little-endian (tier-up
 * does not send them to its compile child again). An index with WT_JIT_CACHE_CUT_ONCE set names a
 * long shot cut short once: tier-up compiles it first the next time it is hot. 0 or WT_IO/WT_NOMEM.
 */
#define WT_JIT_CACHE_REFUSED "WTJCNO1\n"
enum { WT_JIT_CACHE_REFUSED_SIZE = 8 };
#define WT_JIT_CACHE_CUT_ONCE 0x80000000u
int wt_jit_cache_put_refused(wt_jit_cache *c, const uint8_t module_sha[32], const uint32_t *funcs,
			     uint32_t n, wt_error *err);

/* What a piece holds: a shared object, or a list of refused functions. */
typedef enum { WT_JIT_PIECE_CODE, WT_JIT_PIECE_REFUSED } wt_jit_piece_kind;

/* Called for each verified piece: fd is a sealed memfd of its bytes (the
 * callee closes it), name its file name in the entry. Non-zero: stop. */
typedef int (*wt_jit_cache_piece_fn)(void *ctx, int fd, wt_jit_piece_kind kind, const char *name);

/* Each verified piece of the module's entry, one at a time (so a caller
 * that loads and closes each holds one fd at a time, however many there
 * are; at most WT_JIT_CACHE_SCAN_MAX names are read). Each is handed out as a sealed
 * memfd (no write, grow, shrink, or new seal) holding the bytes whose HMAC was checked, to be
 * loaded through /proc/self/fd/N. A piece that fails a check is left out, with a note, and
 * removed, as is a temporary piece older than WT_JIT_CACHE_STALE seconds. 0 (a missing entry:
 * no call), or WT_IO with a message. */
int wt_jit_cache_each(wt_jit_cache *c, const uint8_t module_sha[32], wt_jit_cache_piece_fn fn,
		      void *ctx, wt_error *err);

/* Removes the piece of module_sha's entry whose bytes are those of fd (a
 * memfd wt_jit_cache_each handed out): one the loader refused although its
 * MAC holds (made by another version, or for another identity), which would
 * be refused again by every run. 0, or -1 when there was none to remove. */
int wt_jit_cache_drop(wt_jit_cache *c, const uint8_t module_sha[32], int fd);

/* Loads every verified code piece of module sha's entry into inst, one memfd open at a time
 * (each through a /proc/self/fd path no earlier load of the process used); a piece the loader
 * refuses as made for something else (wt_jit_load's WT_MALFORMED) is dropped, with a note.
 * Pieces of another kind go to other(ctx, ...) (NULL: closed). Returns the number loaded.
 * Call it before self-confinement. */
uint32_t wt_jit_cache_load(wt_jit_cache *c, wt_instance *inst, const uint8_t sha[32], wt_jit **out,
			   wt_jit_cache_piece_fn other, void *ctx);

/* The compiling tier through the cache: loads every verified piece of inst's
 * module (a piece the loader refuses is dropped, with a note), then compiles
 * the functions still interpreted (wt_jit_compile_rest: objects of bounded
 * size, each put in the cache as it is made, a failure there a note), so a
 * compile cut short, or the pieces of `auto` runs, leave the next run less to
 * do. Call it before self-confinement. *out and the return as
 * wt_jit_compile_instance's; stats->compiled counts what was compiled now. */
int wt_jit_cache_compile(wt_jit_cache *c, wt_instance *inst, wt_jit **out, wt_jit_stats *stats,
			 wt_error *err);

/* Closes the cache; NULL is fine. */
void wt_jit_cache_close(wt_jit_cache *c);

/* 1 when a host path given to the guest (a --mount) is the cache folder or
 * the key's folder, lies inside one, or contains one: then a run must not
 * use the cache (the guest could write it or read the secret). Both sides
 * are compared once resolved (symlinks, `..`); a path that does not exist
 * yet is resolved through its nearest existing folder. */
int wt_jit_cache_exposed(const char *host_path, const char *dir, const char *key);

#endif
