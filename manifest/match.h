/* match.h: path patterns compiled to a trie over components; a lookup costs O(path length). */
#ifndef WT_MATCH_H
#define WT_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* A set of patterns (the syntax of manifest.h and docs/manifest.md), each
 * with rights. The trie has, per node: literal children (one hash table
 * for the whole trie, keyed by parent and component), a `*` child, glob
 * children (`*.o`), the rights of patterns that end there, and the rights
 * of a final `**`. A lookup walks the path's components once; the set of
 * live nodes only holds nodes whose patterns all match so far. */
typedef struct wt_match wt_match;

wt_match *wt_match_new(void); /* NULL when out of memory */
void wt_match_free(wt_match *t);

/* Adds a pattern granting rights. literal[0..lit_len), when lit_len > 0,
 * is a canonical guest path taken as is (no wildcards, no escapes: an
 * instantiated ${arg:N}); pattern is then the rest ("" or "/..."). With
 * lit_len == 0, pattern is a whole absolute pattern. Returns 0,
 * WT_MALFORMED (a bad pattern, message in err) or WT_NOMEM. */
int wt_match_add(wt_match *t, const char *literal, size_t lit_len, const char *pattern,
		 uint32_t rights, wt_error *err);

/* The union of the rights of every pattern that matches the canonical
 * guest path path[0..len); 0 when none does. */
uint32_t wt_match_rights(const wt_match *t, const char *path, size_t len);

/* 1 when the canonical guest path path[0..len) is path[0..len) of some
 * pattern's literal start (its components before the first wildcard): for
 * a trie of literal paths, when one of them is that path or below it. */
int wt_match_reaches(const wt_match *t, const char *path, size_t len);

/* The number of patterns added (for messages and tests). */
size_t wt_match_count(const wt_match *t);

#endif
