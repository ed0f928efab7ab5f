/* generate_impl.h: what the files of generate share: the path table and the two passes. */
#ifndef WT_GENERATE_IMPL_H
#define WT_GENERATE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "generate.h"

/* What is known of one path. In a run's own table (concrete guest
 * paths) the bits say what this run did; in the merged table (paths with
 * arguments replaced by ${arg:N}) they are or'ed over the runs. */
enum {
	WT_GEN_OK = 1u << 0,	  /* a call on it succeeded, or the host said EEXIST */
	WT_GEN_ENOENT = 1u << 1,  /* a call on it got ENOENT before it existed */
	WT_GEN_CREATED = 1u << 2, /* the run created it */
	WT_GEN_ABSENT = 1u << 3,  /* merged table: some run found it missing and never made it */
	WT_GEN_EXISTED = 1u << 4, /* merged table: some run found it there already */
	WT_GEN_PRESENT = 1u << 5, /* run table: there after the last call on it */
	WT_GEN_KEPT = 1u << 6,	  /* merged table: some run created it and left it there */
	WT_GEN_MKDIR = 1u << 7,	  /* created as a folder (path_create_directory) */
	/* merged table: some run created this file directly in the folder of an argument's
	 * path that names neither it nor a folder above it (argdir: the argument) */
	WT_GEN_ARGDIR = 1u << 8,
	WT_GEN_NOARGDIR = 1u << 9, /* merged table: some run created it elsewhere */
};

/* A path's entry. The refusals table (wt_gen_misc.refused) uses the same entries: key is
 * the call (one byte) then the path's merged key, rights the errno. */
typedef struct wt_gen_path {
	const char *key; /* NUL-terminated */
	size_t len;
	uint64_t hash;
	uint32_t rights;     /* WT_RIGHT_* used on it by calls that succeeded (merged table: in
				runs that did not create it) */
	uint32_t crights;    /* merged table: used by the runs that created it */
	uint32_t frights;    /* used by calls that failed (ENOENT, refused): never granted on it */
	uint32_t xrights;    /* used by exclusive creates the host answered EEXIST */
	uint32_t bits;	     /* WT_GEN_* */
	int arg;	     /* merged table: N of a key starting with ${arg:N}, else 0 */
	const char *example; /* merged table, arg keys: the path argument N named first */
	int argdir;	     /* merged table, WT_GEN_ARGDIR: the argument whose folder it is in */
	const char *argex;   /* ... and that argument as the first run gave it */
	size_t index;	     /* pass 2's pattern index: the rule's place */
} wt_gen_path;

/* An open-addressing hash table of paths; keys are borrowed unless the
 * caller copies them. */
typedef struct wt_gen_table {
	wt_gen_path *slots;
	size_t cap, count;
} wt_gen_table;

void wt_gen_table_init(wt_gen_table *t);
void wt_gen_table_fini(wt_gen_table *t);
/* The entry of key[0..len), added (zeroed, key borrowed) when missing;
 * NULL when out of memory. */
wt_gen_path *wt_gen_table_get(wt_gen_table *t, const char *key, size_t len);
/* The entry of key[0..len), or NULL. */
wt_gen_path *wt_gen_table_find(const wt_gen_table *t, const char *key, size_t len);

/* Keys hashed a piece at a time, so a caller trying every prefix of a path
 * hashes the path once: h = wt_gen_hash_more(WT_GEN_HASH_START, head, hlen),
 * then wt_gen_table_find2 with the hash continued over the tail (if any). */
#define WT_GEN_HASH_START 1469598103934665603ull
uint64_t wt_gen_hash_more(uint64_t h, const char *s, size_t len);
/* The entry whose key is head[0..hlen) + tail[0..tlen), h the hash of both; or NULL. */
wt_gen_path *wt_gen_table_find2(const wt_gen_table *t, uint64_t h, const char *head, size_t hlen,
				const char *tail, size_t tlen);

/* Orders paths component by component ('/' before every other byte), so
 * a folder's contents sort together, right after the folder. */
int wt_gen_path_ncmp(const char *a, size_t alen, const char *b, size_t blen);

/* What all runs add to the manifest beside the file rules. */
typedef struct wt_gen_misc {
	uint32_t clocks, stdio;
	int random;
	/* Whether a run with the host's clocks read a clock, a run with the
	 * host's random called random_get; the seed of the first fake run
	 * that called it (seed_set). */
	int real_clocks, real_random, seed_set;
	uint64_t seed;
	size_t nexit, nsock;
	int32_t exits[64];    /* distinct exit codes seen, first 64 */
	int32_t sockets[64];  /* distinct socket fds used, first 64 */
	uint64_t early;	      /* calls refused before any policy was asked (they grant nothing) */
	wt_gen_table refused; /* calls the host refused: (call, merged key) -> errno */
} wt_gen_misc;

/* Pass 1: reads one run's events, classifies every path it touched and
 * merges them into merged (keys copied into arena) and misc. */
int wt_gen_take_run(const wt_gen_run *run, wt_gen_table *merged, wt_gen_misc *misc, wt_arena *arena,
		    wt_error *err);

/* Pass 2: turns the merged table into m's files, absent and refused lists. */
int wt_gen_build_rules(const wt_gen_table *merged, const wt_gen_misc *misc, wt_gen_granularity g,
		       wt_manifest *m, wt_error *err);

#endif
