/* mint.h: what the manifest/ files share among themselves and nobody else uses. */
#ifndef WT_MINT_H
#define WT_MINT_H

#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

/* The capacity an array of n entries grown one at a time has (the next
 * power of two); the loader allocates arrays with it so add_rule can grow. */
size_t wt_manifest_cap(size_t n);

/* One files rule as the YAML line that grants it, "- {path: P, allow: [R]}"
 * (no newline); *out is malloc'd. 0 or WT_NOMEM. */
int wt_manifest_emit_rule(const char *pattern, uint32_t rights, char **out);
/* The same for a whole rule (`only: new` included). */
int wt_manifest_emit_mrule(const wt_mrule *r, char **out);
/* m's keys after files and deny (absent ... sockets) as the YAML lines that hold them (no
 * final newline), as wt_manifest_emit writes them: one grant shown alone ("env: [HOME]",
 * "random: true") when m holds only it. *out is malloc'd. 0 or WT_NOMEM. */
int wt_manifest_emit_keys(const wt_manifest *m, char **out);

/* The rights of r that rules[0..n) grant on every path r matches: a rule whose pattern
 * contains r's (`/src/ *.c` contains `/src/a.c`, `/src/ **` contains `/src/a/ *`: spaces
 * added for C's comments; `${arg:N}`
 * only what starts with the same `${arg:N}`); an `only: new` rule counts for an `only: new`
 * r only. diff and record --update use it: a rule already covered is not new. */
uint32_t wt_manifest_rules_cover(const wt_mrule *rules, size_t n, const wt_mrule *r);

struct wt_enforce_config;

/* How many instances pattern has in a run: a ${arg} or ${arg:-OPT} head one per argument
 * (some name nothing), anything else 1. */
int wt_enforce_instances(const struct wt_enforce_config *c, const char *pattern);

/* Splits pattern into instance k (0 <= k < wt_enforce_instances) of its argument head, made
 * a canonical guest path with the suffix after the head ("${arg}.gz") added, in lit
 * (PATH_MAX+1 bytes at least; *lit_len 0 when there is no head), and the rest. -1 when
 * instance k names no argument of the run. */
int wt_enforce_instantiate(const struct wt_enforce_config *c, const char *pattern, int k, char *lit,
			   size_t *lit_len, const char **rest);

/* Adds rules[0..n) to t, each ${arg:N} instantiated (a rule naming no
 * argument of the run is left out): only the `only: new` rules (only_new
 * 1), only the others (0), or all (-1). 0, WT_MALFORMED or WT_NOMEM. */
struct wt_match;
int wt_enforce_add_rules(const struct wt_enforce_config *c, struct wt_match *t,
			 const wt_mrule *rules, size_t n, int only_new, wt_error *err);

/* Where deviations point (devloc.c). The files rules of a config's manifest and override
 * file, each in a trie of its own; cfg borrowed. 0 or WT_NOMEM. */
typedef struct wt_devloc_rules wt_devloc_rules;
struct wt_devloc;
int wt_devloc_rules_new(const struct wt_enforce_config *cfg, wt_devloc_rules **out, wt_error *err);
void wt_devloc_rules_free(wt_devloc_rules *l);
/* A files deviation on path[0..len) whose grant goes into target (a config's file name):
 * the first rule matching the path (it lacks the rights), in target first, then in the
 * other file; else target's files: key (the manifest's when target is an override file
 * that does not exist); else line 1 of that file. */
void wt_devloc_file(const wt_devloc_rules *l, const char *path, size_t len, const char *target,
		    struct wt_devloc *loc);
/* Marks the rules (of both files) whose pattern matches path[0..len) and that grant some
 * of rights as used; wt_devloc_rules_used(l, i, k): rule k of the manifest (i 0) or the
 * override file (i 1) was. */
void wt_devloc_rules_use(wt_devloc_rules *l, const char *path, size_t len, uint32_t rights);
int wt_devloc_rules_used(const wt_devloc_rules *l, int i, size_t k);
/* The key of m (loaded from file) a grant goes under: its line and column, or line 1 of
 * file (WT_DEVLOC_FILE) when m has no such key or is NULL. */
void wt_devloc_section(struct wt_devloc *loc, const wt_manifest *m, const char *file,
		       const char *key);

/* What no answer at the prompt may allow (refusal.c): the deny rules of the
 * manifest, override and ceiling, and what the ceiling does not grant.
 * cfg is borrowed for the life of the object. 0, WT_MALFORMED or WT_NOMEM. */
typedef struct wt_refusal wt_refusal;
int wt_refusal_new(const struct wt_enforce_config *cfg, wt_refusal **out, wt_error *err);
void wt_refusal_free(wt_refusal *f);

/* 1 when some of rights on the guest path path[0..len) is refused, with
 * why (into why[size]): "the deny rule {path: P, allow: [R]} at FILE:LINE:COLUMN"
 * (the first that refuses one) or "the ceiling FILE, which grants no [R]
 * there"; 0 when none is. */
int wt_refusal_file(const wt_refusal *f, const char *path, size_t len, uint32_t rights, char *why,
		    size_t size, struct wt_devloc *loc);

/* The same for a need that is not a file (a clock, random, stdio, a
 * socket): refused when outside the ceiling. */
struct wt_need;
int wt_refusal_other(const wt_refusal *f, const struct wt_need *n, char *why, size_t size,
		     struct wt_devloc *loc);

#endif
