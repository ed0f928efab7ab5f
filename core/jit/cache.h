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

/* A piece's file name is its bytes' sha256 in hex, then one of these: a piece as a batch made
 * it, or a regrouped object (the functions of several pieces rebuilt as one: docs/engine.md,
 * "Regrouping"), which wt_jit_cache_each hands out before the others. */
#define WT_JIT_CACHE_PIECE_SUFFIX ".piece"
#define WT_JIT_CACHE_GROUP_SUFFIX ".group"

/* wt_jit_cache_put of a regrouped object: named with WT_JIT_CACHE_GROUP_SUFFIX. Put it before
 * removing the pieces it supersedes (wt_jit_cache_remove), so that a run sees one or the
 * other, or both (then it loads the group's copy of each function). */
int wt_jit_cache_put_group(wt_jit_cache *c, const uint8_t module_sha[32], const char *so_path,
			   wt_error *err);

/* Removes the piece named name (as wt_jit_cache_each handed it out) from module_sha's entry:
 * one a regrouped object supersedes. A name with a slash, a leading dot or the run record's
 * is refused. 0, or -1 when there was none to remove. */
int wt_jit_cache_remove(wt_jit_cache *c, const uint8_t module_sha[32], const char *name);

/* Adds a list of functions of the module that the compiling tier refuses
 * as one more piece, MAC'ed as the others: WT_JIT_CACHE_REFUSED, then 4-byte
 * words, little-endian (tier-up does not send them to its compile child):
 * - an index alone: a function the tier does not translate (an op it
 *   leaves to the interpreter), refused for good;
 * - an index with WT_JIT_CACHE_CUT_ONCE set: a long shot (core/jit/tierup.h)
 *   cut short once: tier-up compiles it first the next time it is hot;
 * - an index with WT_JIT_CACHE_LONG_SHOT set, then a word: a long shot no
 *   run of its length could compile, refused by the run of that number
 *   (wt_jit_runs.count + 1 then): refused for the WT_TIERUP_RETRY_RUNS
 *   runs after it, then tried again (first), as one cut short once.
 * - WT_JIT_CACHE_REGROUP (both flags; no index), then a word: a regroup
 *   (docs/engine.md, "Regrouping") the end of the run of that number cut
 *   short: the WT_TIERUP_RETRY_RUNS runs after it do not regroup.
 * funcs are the words as they go. 0 or WT_IO/WT_NOMEM. */
#define WT_JIT_CACHE_REFUSED "WTJCNO1\n"
enum { WT_JIT_CACHE_REFUSED_SIZE = 8 };
#define WT_JIT_CACHE_CUT_ONCE 0x80000000u
#define WT_JIT_CACHE_LONG_SHOT 0x40000000u
#define WT_JIT_CACHE_REGROUP (WT_JIT_CACHE_CUT_ONCE | WT_JIT_CACHE_LONG_SHOT)
int wt_jit_cache_put_refused(wt_jit_cache *c, const uint8_t module_sha[32], const uint32_t *funcs,
			     uint32_t n, wt_error *err);

/* The entry's run record: the module's recent runs under `auto`, which its
 * compile child plans by (core/jit/tierup.h, `expected`). One file per
 * entry, WT_JIT_CACHE_RUNS_NAME, replaced whole by each run that records
 * one (a temporary file renamed over it; not synced: a torn one fails its
 * MAC and is removed, which costs the history only). Its bytes, under the
 * header and MAC of a piece: WT_JIT_CACHE_RUNS, then 4-byte words,
 * little-endian: the number of runs recorded so far, the compile child's
 * pace (wall, then CPU, nanoseconds a unit of weight took: core/jit/tierup.c;
 * 0: not measured), then the lengths of the last WT_JIT_CACHE_RUNS_KEPT
 * runs at most, in milliseconds (wall time from the fork of the compile
 * child to the run's end), newest first. Read back, a length of 0 or over
 * WT_JIT_CACHE_RUN_MAX_MS and a pace over WT_JIT_CACHE_PACE_MAX_NS are left
 * out, and words past the kept ones are ignored: a garbled record makes at
 * worst a wrong expectation, which costs compile time, nothing else. */
#define WT_JIT_CACHE_RUNS "WTJCRUN2"
#define WT_JIT_CACHE_RUNS_NAME "runs"
enum { WT_JIT_CACHE_RUNS_SIZE = 8, WT_JIT_CACHE_RUNS_KEPT = 4 };
#define WT_JIT_CACHE_RUN_MAX_MS (7u * 24 * 3600 * 1000)
/* a millisecond a byte: slower than any compile measured (Yosys's worst: 0.28 ms) */
#define WT_JIT_CACHE_PACE_MAX_NS 1000000u

typedef struct wt_jit_runs {
	uint32_t count;			     /* runs recorded so far */
	uint32_t n;			     /* lengths kept */
	uint32_t ms[WT_JIT_CACHE_RUNS_KEPT]; /* newest first */
	uint32_t pace_ns[2];		     /* the child's pace, wall and CPU; 0: unknown */
} wt_jit_runs;

/* Writes runs as the entry's run record. 0 or WT_IO/WT_NOMEM. */
int wt_jit_cache_put_runs(wt_jit_cache *c, const uint8_t module_sha[32], const wt_jit_runs *runs,
			  wt_error *err);

/* Reads the verified run record fd (a memfd handed out as
 * WT_JIT_PIECE_RUNS) into out, checked as said above. */
void wt_jit_cache_read_runs(int fd, wt_jit_runs *out);

/* Adds one run of the given length (seconds) to runs: counted, and kept
 * first (the oldest leaves when WT_JIT_CACHE_RUNS_KEPT are kept). */
void wt_jit_runs_add(wt_jit_runs *runs, double seconds);

/* The length the module's next run is expected to have, in seconds: the
 * shortest of the kept ones (runs get shorter as their hot code is
 * compiled; planning for a shorter run loses less than for a longer one).
 * 0: none kept. */
double wt_jit_runs_expected(const wt_jit_runs *runs);

/* What a piece holds: a shared object, a list of refused functions, or the
 * entry's run record. */
typedef enum { WT_JIT_PIECE_CODE, WT_JIT_PIECE_REFUSED, WT_JIT_PIECE_RUNS } wt_jit_piece_kind;

/* Called for each verified piece: fd is a sealed memfd of its bytes (the
 * callee closes it), name its file name in the entry. Non-zero: stop. */
typedef int (*wt_jit_cache_piece_fn)(void *ctx, int fd, wt_jit_piece_kind kind, const char *name);

/* Each verified piece of the module's entry, one at a time (so a caller
 * that loads and closes each holds one fd at a time, however many there
 * are; at most WT_JIT_CACHE_SCAN_MAX names are read), regrouped objects
 * first, then the others, each by name. Each is handed out as a sealed
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

/* Called for each code piece loaded: its name and its object's functions (borrowed). */
typedef void (*wt_jit_cache_loaded_fn)(void *ctx, const char *name, const uint32_t *funcs,
				       uint32_t n);

/* Loads every verified code piece of module sha's entry into inst, in wt_jit_cache_each's
 * order (a function's first copy is kept), one memfd open at a time (each through a
 * /proc/self/fd path no earlier load of the process used); a piece the loader refuses as made
 * for something else (wt_jit_load's WT_MALFORMED) is dropped, with a note, and so is one
 * whose every function came compiled already (superseded: a crash between a regroup's put and
 * its removals leaves such pieces). Each piece loaded goes to loaded(ctx, ...) (NULL:
 * nothing), pieces of another kind to other(ctx, ...) (NULL: closed). Returns the number
 * loaded. Call it before self-confinement. */
uint32_t wt_jit_cache_load(wt_jit_cache *c, wt_instance *inst, const uint8_t sha[32], wt_jit **out,
			   wt_jit_cache_piece_fn other, wt_jit_cache_loaded_fn loaded, void *ctx);

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
