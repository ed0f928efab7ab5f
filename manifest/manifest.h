/* manifest.h: the capability manifest model (v1), shared by load, emit, match, enforce,
 * generate and diff. docs/manifest.md is the user-facing reference. */
#ifndef WT_MANIFEST_H
#define WT_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"
#include "gate.h"

typedef enum {
	WT_ON_DEV_DEFAULT, /* not set: prompt on a terminal, else fail */
	WT_ON_DEV_FAIL,	   /* refuse the call, stop the run, exit 77 */
	WT_ON_DEV_PROMPT,  /* ask the person at the terminal */
	WT_ON_DEV_DENY,	   /* ENOTCAPABLE, the run goes on */
	WT_ON_DEV_HIDE,	   /* ENOENT, the run goes on */
	WT_ON_DEV_WARN,	   /* complain mode: allowed, reported at the end */
} wt_on_deviation;

/* Clocks granted, as bits: WT_MCLOCK_X = 1 << (WASI clock id). */
enum {
	WT_MCLOCK_REALTIME = 1u << 0,
	WT_MCLOCK_MONOTONIC = 1u << 1,
	WT_MCLOCK_PROCESS = 1u << 2,
	WT_MCLOCK_THREAD = 1u << 3,
};

/* stdio streams, as bits. */
enum {
	WT_STDIO_STDIN = 1u << 0,
	WT_STDIO_STDOUT = 1u << 1,
	WT_STDIO_STDERR = 1u << 2,
};

typedef enum {
	WT_GRANT_NONE, /* not granted */
	WT_GRANT_REAL, /* the host's clock / random source */
	WT_GRANT_FAKE, /* reproducible: a clock advancing a fixed step per read, a seeded stream */
} wt_grant;

/* Where an entry came from in the YAML file (1-based; 0 = generated, not
 * loaded), so messages can name "build.manifest.yaml:12". */
typedef struct wt_mloc {
	unsigned line, column;
} wt_mloc;

/* The number of top-level keys a manifest may have (yaml_load.c's table). */
enum { WT_MANIFEST_NKEYS = 16 };

typedef struct wt_mmount {
	const char *guest; /* absolute guest path */
	const char *host;  /* relative to the manifest's folder, or absolute */
	int readonly;
	wt_mloc loc;
} wt_mmount;

/* A file rule. pattern is a guest path with, optionally:
 *   `*`        one whole path component (any name, no '/'); inside a component
 *              (`*.o`, `lib*.a`) any run of characters but '/';
 *   `\`        escapes the next `*`, `\` or `$` (see wt_manifest_pattern_escape);
 *   `**`       as the last component: any depth below (the folder itself excluded);
 *   `${arg:N}` at the start: the program's argument N (argv[N]) made absolute
 *              against the guest cwd; the rule covers that path and, with a
 *              suffix such as `${arg:2}/` then `**`, what is below it.
 * rights: WT_RIGHT_* bits (gate.h). */
typedef struct wt_mrule {
	const char *pattern;
	uint32_t rights;
	const char *comment; /* one line shown above the rule (generalisations), or NULL */
	wt_mloc loc;
	/* `only: new` (files rules only): the rights hold on the entries the run itself
	 * creates (newset.h), on names that do not exist, and for creating a name
	 * exclusively (the host refuses EEXIST); never on what was there before. */
	int only_new;
} wt_mrule;

/* A call the host refused when the run was recorded (`refused`): enforcement answers
 * the same errno without asking the host, unless a files rule grants the call. */
typedef struct wt_mrefusal {
	const char *pattern; /* the call's (first) path, as a pattern */
	wt_wasi_call call;
	uint16_t error; /* the WASI errno, never 0 */
	wt_mloc loc;
} wt_mrefusal;

typedef struct wt_manifest_limits {
	uint64_t memory; /* bytes; 0 = not set */
	uint64_t fuel;	 /* 0 = not set */
	double time;	 /* wall seconds; 0 = not set */
} wt_manifest_limits;

/* A loaded or generated manifest. Every string and array lives in the
 * arena; wt_manifest_free frees all. */
typedef struct wt_manifest {
	wt_arena arena;
	int version; /* 1 */
	const char *module_name;
	char sha256[65]; /* lowercase hex, "" when not pinned */
	size_t nmounts;
	wt_mmount *mounts;
	size_t nfiles;
	wt_mrule *files;
	size_t nabsent;
	const char **absent; /* guest paths probed and missing at record time */
	size_t nenv;
	const char **env; /* variable names */
	uint32_t clocks;  /* WT_CLOCK_* */
	wt_grant clock_grant;
	wt_grant random;
	uint64_t random_seed; /* WT_GRANT_FAKE */
	uint32_t stdio;	      /* WT_STDIO_* */
	size_t nexit_codes;
	int32_t *exit_codes;
	size_t nsockets;
	const char **sockets;
	wt_manifest_limits limits;
	wt_on_deviation on_deviation;
	size_t nheader;
	const char **header; /* comment lines at the top (runs it came from), without '#' */
	/* Rights refused even where files grant them
	 * (deny beats allow). Generate leaves them empty. */
	size_t ndeny;
	wt_mrule *deny;
	/* The guest working directory of the recorded runs (`cwd:`), the
	 * run's cwd unless --cwd is given; NULL: the first mount's guest path
	 * (or "/"), as for a run without a manifest. `${arg:N}` and relative
	 * paths the module opens resolve against it. */
	const char *cwd;
	wt_mloc cwd_loc;
	size_t nrefused;
	wt_mrefusal
	    *refused; /* calls the host refused at record time: same answer, host not asked */
	/* Where each top-level key is in the file (by wt_manifest_key_loc), {0, 0}
	 * when absent or generated: a message about a grant a key would hold points there. */
	wt_mloc key_locs[WT_MANIFEST_NKEYS];
} wt_manifest;

/* Where the top-level key (e.g. "files", "env", "clocks") is in the file m was loaded
 * from: its line and column, {0, 0} when m has no such key (or was not loaded). */
wt_mloc wt_manifest_key_loc(const wt_manifest *m, const char *key);

/* The guest working directory a manifest gives its runs: `cwd:`, else
 * (a manifest that left the key out) its first mount's guest path, else "/". */
const char *wt_manifest_cwd(const wt_manifest *m);

/* The module's pin (manifest/pin.c): 1 when m pins no sha256 or hex (the module's sha256,
 * lowercase: the run computes it once, as it reads the module) is the pinned one, else 0. */
int wt_manifest_pin_matches(const wt_manifest *m, const char *hex);
/* The same as a check before a run of module (its name in the message) under the manifest
 * manifest_name: 0, or WT_DEVIATION with "MODULE: the module changed: its sha256 HEX does not
 * match the pin PIN in MANIFEST: refusing to run it (...)" in err. */
int wt_manifest_pin_check(const wt_manifest *m, const char *manifest_name, const char *module,
			  const char *hex, wt_error *err);

/* An empty manifest (version 1, nothing granted); NULL when out of memory. */
wt_manifest *wt_manifest_new(void);
void wt_manifest_free(wt_manifest *m);

/* What a manifest may hold at most (docs/manifest.md, "Limits"); past them
 * loading fails with WT_MALFORMED and line:column. No real manifest comes
 * near them: they bound the work a hostile one can ask for. */
enum {
	WT_MANIFEST_DEPTH_MAX = 64, /* collections nested in one another (a manifest uses 4) */
	/* Bytes of a string (pattern, name, host folder): room for a guest path
	 * (WT_PATH_MAX, 4095 bytes) with every byte escaped. A mount point and
	 * cwd, guest paths without escapes, are at most WT_PATH_MAX bytes. */
	WT_MANIFEST_STRING_MAX = 16384,
};

/* Loads YAML text (libyaml). Every error — syntax, unknown key, wrong
 * type, bad pattern, unknown version — is WT_MALFORMED with line:column
 * in err. `source` names the file in messages. Warnings (a rule that can
 * never match, a grant that defeats the sandbox) are written through
 * warn(ctx, line, column, text) when warn is not NULL. */
typedef void (*wt_manifest_warn_fn)(void *ctx, unsigned line, unsigned column, const char *text);
int wt_manifest_load(const char *text, size_t len, const char *source, wt_manifest **out,
		     wt_manifest_warn_fn warn, void *warn_ctx, wt_error *err);
int wt_manifest_load_file(const char *path, wt_manifest **out, wt_manifest_warn_fn warn,
			  void *warn_ctx, wt_error *err);

/* Reads the whole file at path (at most max bytes: WT_MALFORMED past
 * that; WT_NOINPUT when it cannot be opened) into *text (malloc'd,
 * NUL-terminated; *len its length). */
int wt_manifest_read_file(const char *path, size_t max, char **text, size_t *len, wt_error *err);

/* Emits canonical YAML (libyaml's emitter for the data; comments as
 * lines): the same manifest gives the same bytes. *out is malloc'd. */
int wt_manifest_emit(const wt_manifest *m, char **out, size_t *len, wt_error *err);

/* What a file is: a manifest, its override file (NAME.override.yaml: only
 * version, files, absent, env and deny), or a ceiling (--ceiling: every key
 * but module). wt_manifest_load is wt_manifest_load_kind(WT_MANIFEST_FULL). */
typedef enum {
	WT_MANIFEST_FULL,
	WT_MANIFEST_OVERRIDE,
	WT_MANIFEST_CEILING,
} wt_manifest_kind;

int wt_manifest_load_kind(wt_manifest_kind kind, const char *text, size_t len, const char *source,
			  wt_manifest **out, wt_manifest_warn_fn warn, void *warn_ctx,
			  wt_error *err);
int wt_manifest_load_file_kind(wt_manifest_kind kind, const char *path, wt_manifest **out,
			       wt_manifest_warn_fn warn, void *warn_ctx, wt_error *err);

/* Names of the model's enumerations, as the YAML spells them; NULL/0
 * when unknown. wt_manifest_right_bit("set-times", 9) == WT_RIGHT_SET_TIMES. */
uint32_t wt_manifest_right_bit(const char *name, size_t len);
const char *wt_manifest_right_name(uint32_t bit); /* one bit */
const char *wt_manifest_clock_name(uint32_t bit);
const char *wt_manifest_stdio_name(uint32_t bit);
const char *wt_manifest_on_deviation_name(wt_on_deviation mode);
int wt_manifest_on_deviation_parse(const char *name, wt_on_deviation *out); /* 0 or -1 */

/* Checks a file pattern (syntax above, docs/manifest.md): 0, or -1 with
 * the reason in why. */
int wt_manifest_pattern_check(const char *pattern, char *why, size_t size);

/* A guest path as a pattern that matches exactly it: `*`, `\` and a
 * leading `${` are escaped with `\`. Allocated in a; NULL when out of memory. */
char *wt_manifest_pattern_escape(wt_arena *a, const char *path, size_t len);

/* Adds a rule (the strings are copied into m's arena); 0 or WT_NOMEM.
 * wt_manifest_add_mrule copies every field of r but loc. */
int wt_manifest_add_rule(wt_manifest *m, const char *pattern, uint32_t rights, const char *comment,
			 wt_error *err);
int wt_manifest_add_mrule(wt_manifest *m, const wt_mrule *r, wt_error *err);

/* Adds a refusal (pattern copied) unless one for the same pattern and call is there;
 * 0 or WT_NOMEM. */
int wt_manifest_add_refusal(wt_manifest *m, const char *pattern, wt_wasi_call call, uint16_t error,
			    wt_error *err);

/* WASI calls and errnos as a manifest spells them ("path_open", "ENOENT"): the number,
 * or -1 when the name is none (the errno 0 neither). */
int wt_manifest_call_parse(const char *name, size_t len);
int wt_manifest_errno_parse(const char *name, size_t len);
/* "ENOENT" into buf; buf. */
const char *wt_manifest_errno_name(unsigned error, char *buf, size_t size);

#endif
