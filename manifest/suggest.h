/* suggest.h: the one rule writer: a request outside the manifest (a file right on a path, a
 * clock, random, a stdio stream, an exit code, a socket, an env name) turned into THE grant
 * that allows it, with generate's patterns (${arg:N}, a created file's folder `*` or
 * `${argdir}/\*` with `only: new`), the exact YAML to paste and the file to paste it into. The
 * deviation message, the summary, the report, the prompt's [a] and generate all use it
 * (docs/manifest.md, "Suggested rules"). */
#ifndef WT_SUGGEST_H
#define WT_SUGGEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "manifest.h"
#include "needs.h"

/* What a suggestion is made against. All borrowed; any may be NULL/0. */
typedef struct wt_suggest_ctx {
	int argc; /* the run's argv, for ${arg:N} */
	const char *const *argv;
	const char *cwd;	     /* the guest cwd arguments are relative to; NULL = "/" */
	const wt_manifest *manifest; /* the grants a key suggestion extends (clocks, stdio...) */
	const wt_manifest *override; /* the override file as loaded, or NULL (none yet) */
	const char *manifest_path;   /* where clocks, random, stdio, exit codes, sockets go */
	const char *override_path;   /* where files and env go; NULL: the manifest */
} wt_suggest_ctx;

/* One suggested grant. Strings are malloc'd (wt_suggest_fini). */
typedef struct wt_suggestion {
	char *pattern;	  /* files: the rule's pattern (escaped, ${arg:N}); NULL otherwise */
	uint32_t rights;  /* files: the rights */
	int only_new;	  /* files: `only: new` (a name the run creates) */
	int arg;	  /* files: N when the pattern starts with ${arg:N}, else 0 */
	const char *key;  /* the top-level key: "files", "env", "clocks", "random", "stdio",
			     "exit_codes", "sockets" */
	char *line;	  /* one line of YAML: "- {path: ..., allow: [...]}" (files) or the key
			     with its whole new value, "clocks: [monotonic, realtime]" */
	const char *file; /* the file to paste it into (borrowed from the context) */
	int has_key;	  /* 1: that file already has the key: files: the line goes under
			     it; others: the line replaces the key's line */
} wt_suggestion;

/* The pattern generate writes for the guest path path[0..len) of a run with rights on it
 * (docs/manifest.md, "Arguments"): when an argument's path (wt_suggest_arg_value, made
 * absolute against cwd) names the path or a folder above it (the deepest, the lowest N on a
 * tie; "/" never counts), its head: ${arg} (any position) when the rights change nothing,
 * else ${arg:-o} for an option's value, else ${arg:N}; then the rest. Else, when the path is
 * an argument's path plus a suffix in its last component, ${arg}SUFFIX ("${arg}.gz"). Else
 * the path escaped (wt_manifest_pattern_escape). *arg gets N or 0. In a. */
char *wt_suggest_pattern(wt_arena *a, int argc, const char *const *argv, const char *cwd,
			 const char *path, size_t len, uint32_t rights, int *arg);

/* The text argument n gives an argument head (docs/manifest.md): opt NULL, `${arg}`: argv[n]
 * unless it starts with '-', then the VALUE of "-x=VALUE" (none for another option); opt
 * "-o" (optlen bytes), `${arg:-o}`: argv[n] when argv[n-1] is "-o", the VALUE of
 * "-o=VALUE". NULL when argument n gives none. */
const char *wt_suggest_arg_value(int argc, const char *const *argv, int n, const char *opt,
				 size_t optlen);

/* 1 when rights change what is there (write, create, delete, rename, link, symlink,
 * set-times, truncate). */
int wt_suggest_writes(uint32_t rights);

/* The key for argument n: its head (as wt_suggest_pattern chooses it by writes; derived:
 * ${arg}) then rest[0..len) escaped. In a. */
char *wt_suggest_key(wt_arena *a, int argc, const char *const *argv, int n, int writes, int derived,
		     const char *rest, size_t len);

/* The rule for rights on path[0..len): is_new says the name does not exist and the
 * request creates it: then, unless an argument names the path itself, the rule is its
 * folder's `*` with `only: new` (what generate writes for a created file), `${argdir}/\*`
 * when that folder is an argument's path's folder. 0 or WT_NOMEM. */
int wt_suggest_file(const wt_suggest_ctx *c, const char *path, size_t len, uint32_t rights,
		    int is_new, wt_suggestion *s);

/* The grant for a need that is not a file (n->kind CLOCK, RANDOM, STDIO, EXIT, SOCKET): the
 * key's whole value, the manifest's plus what is asked (fake clocks stay fake). 0, or
 * WT_NOMEM, or WT_INVALID for a kind without a key. */
int wt_suggest_need(const wt_suggest_ctx *c, const wt_need *n, wt_suggestion *s);

/* The env grant that lets --env NAME through for names[0..count): `env: [...]` in the
 * override file (its names, then these). 0 or WT_NOMEM. */
int wt_suggest_env(const wt_suggest_ctx *c, const char *const *names, size_t count,
		   wt_suggestion *s);

/* Writes "  to allow it, WHERE" (lead: "allow", "pass", ...) and the block to paste,
 * indented by 4, every line escaped (escape.h). */
void wt_suggest_print(const wt_suggestion *s, const char *lead, FILE *f);
/* The same from a kept where line and block (wt_suggest_where, wt_suggest_block(s, 4)). */
void wt_suggest_print_block(const char *where, const char *block, const char *lead, FILE *f);

void wt_suggest_fini(wt_suggestion *s);

/* Where to paste it and how, one line without a newline: "add these lines to F:" (the file
 * lacks the key: the block holds it), "add this line under files: in F:" or "replace the
 * clocks: line of F with:". */
void wt_suggest_where(const wt_suggestion *s, char *buf, size_t size);

/* The exact text to paste (lines ending in '\n', indented by indent spaces each): the
 * key line first when the file lacks the key (files:), then the line. malloc'd. */
char *wt_suggest_block(const wt_suggestion *s, size_t indent);

#endif
