/* enforce.h: the manifest policy: every WASI call decided from a manifest, its override and a
 * ceiling, deviations kept for the report. */
#ifndef WT_ENFORCE_H
#define WT_ENFORCE_H

#include <stdio.h>

#include "devreq.h"
#include "gate.h"
#include "manifest.h"
#include "wasi.h"

typedef struct wt_enforce_config {
	const wt_manifest *manifest; /* required */
	const wt_manifest *override; /* NAME.override.yaml, or NULL */
	const wt_manifest *ceiling;  /* --ceiling, or NULL */
	const char *manifest_name;   /* named in messages, e.g. "build.manifest.yaml" */
	const char *override_name;   /* the override file's name, for messages, or NULL */
	const char *ceiling_name;
	int argc; /* the run's argv, for ${arg:N} */
	const char *const *argv;
	const char *cwd;      /* the guest cwd arguments are relative to; NULL = "/" */
	wt_on_deviation mode; /* FAIL, DENY or HIDE; PROMPT and DEFAULT act as FAIL */
	/* When set, every deviation is settled by
	 * wt_devask_decide (its mode, prompt, log and override file) instead
	 * of by mode; borrowed for the life of the policy. NULL: by mode. */
	struct wt_devask *devask;
	/* The run's mounts (the manifest's and the command line's, host folders as the WASI
	 * host opens them), borrowed: an `only: new` rule asks whether a name exists there.
	 * NULL (check, tests): the event itself says (its ENOENT, its `created`). */
	const wt_mount *mounts;
	int nmounts;
} wt_enforce_config;

/* "rule", "deny", "section", "file" or "none". */
const char *wt_devloc_kind_name(wt_devloc_kind kind);
/* What l points at, one phrase ("the files rule on this path, which lacks the rights",
 * "the clocks: key, where its grant goes", "line 1: the file has no files: key yet"). */
void wt_devloc_describe(const wt_devloc *l, char *buf, size_t size);

/* One kind of refused call (repeats are counted, not listed again). */
typedef struct wt_deviation {
	wt_wasi_call call;
	int32_t fd;
	char *path;	 /* the guest path asked for, or NULL */
	uint32_t rights; /* the file rights that were missing */
	char *what;	 /* "clock realtime", "exit code 3", ... or NULL for files */
	char *fix;	 /* the line of YAML that would allow it, or NULL (refused) */
	char *fix_where; /* where to paste it: "add these lines to F:" (suggest.h) */
	char *fix_file;	 /* the file F it goes into, or NULL */
	char *fix_block; /* the exact text to paste, each line indented by 4 */
	char *refused; /* what refuses it whatever the answer (a deny rule, the ceiling), or NULL */
	unsigned long count;
	wt_devtally calls; /* added: which calls make up count: "path_open, fd_read x2" */
	wt_devloc loc;	   /* where it points in the policy's files (devloc.c) */
} wt_deviation;

typedef struct wt_enforce wt_enforce;

/* Builds the policy: instantiates ${arg:N} against argv, compiles the
 * patterns (files, override files, deny, absent) into tries, and checks
 * every grant against the ceiling. Returns 0, WT_DEVIATION (a grant
 * outside the ceiling, message in err), WT_MALFORMED or WT_NOMEM. The
 * manifests are borrowed for the life of the policy. */
int wt_enforce_new(const wt_enforce_config *cfg, wt_enforce **out, wt_error *err);
void wt_enforce_free(wt_enforce *e);

/* Every grant of the manifest and override within cfg->ceiling (required):
 * 0, or WT_DEVIATION naming the first grant outside it (ceiling.c; also
 * for verify and trust, with no run: a ${arg:N} rule then grants nothing). */
int wt_enforce_check_ceiling(const wt_enforce_config *cfg, wt_error *err);

/* The wt_policy to hand to the host (decide() records deviations). */
wt_policy wt_enforce_policy(wt_enforce *e);

/* The verdict for ev (the same decide() the policy uses). */
wt_verdict wt_enforce_decide(wt_enforce *e, const wt_event *ev);

/* As wt_enforce_decide for count identical calls (a folded journal
 * line, `check`): a deviation counts count calls, not one. */
wt_verdict wt_enforce_decide_folded(wt_enforce *e, const wt_event *ev, uint64_t count);

/* Tells the policy what a call did (the policy's observe(); check calls it with each
 * journaled call after deciding it): `only: new` rules follow what the run creates,
 * moves and removes. */
void wt_enforce_observe(wt_enforce *e, const wt_event *ev);

size_t wt_enforce_count(const wt_enforce *e);
const wt_deviation *wt_enforce_get(const wt_enforce *e, size_t i);

/* 1 when a deviation stopped the run (mode fail, or the prompt said stop): exit 77. */
int wt_enforce_stopped(const wt_enforce *e);

/* Writes one deviation as the CLI shows it (several lines), prefix first on each; guest
 * paths go through wt_escape_for_terminal. */
void wt_enforce_print(const wt_enforce *e, const wt_deviation *d, FILE *f);

/* The env names the manifest and override grant; 1 when name is one. */
int wt_enforce_env_allowed(const wt_enforce *e, const char *name, size_t len);
/* The same from the manifest M and its OVERRIDE (or NULL), before a policy is made. */
int wt_enforce_env_listed(const wt_manifest *m, const wt_manifest *override, const char *name,
			  size_t len);

#endif
