/* deviations.h: the run's log of requests outside the manifest: each listed once, the summary
 * printed at the end, the --report JSON for CI (docs/deviations.md). */
#ifndef WT_DEVIATIONS_H
#define WT_DEVIATIONS_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "devreq.h"
#include "error.h"
#include "prompt.h"
#include "run.h"

/* What became of a request. */
typedef enum {
	WT_DEVLOG_ALLOWED_ONCE,	  /* allowed this run (prompt [y]) */
	WT_DEVLOG_ALLOWED_ALWAYS, /* allowed, grant written to the override file (prompt [a]) */
	WT_DEVLOG_DENIED,	  /* ENOTCAPABLE (deny mode, prompt [n] or [d]) */
	WT_DEVLOG_HIDDEN,	  /* ENOENT (hide mode, prompt [h]) */
	WT_DEVLOG_STOPPED,	  /* the run stopped on it (fail mode, prompt [s], no terminal) */
	WT_DEVLOG_WARNED,	  /* allowed by complain mode (--on-deviation warn) */
} wt_devlog_outcome;

/* One request; repeats are counted. Strings are owned by the log. */
typedef struct wt_devlog_entry {
	wt_wasi_call call;
	char *path; /* or NULL; path_len bytes, any but NUL */
	size_t path_len;
	char *path2; /* or NULL */
	size_t path2_len;
	char *host_path; /* or NULL */
	uint32_t rights;
	char *what;	     /* not a file ("clock realtime"), or NULL */
	char *fix;	     /* the line of YAML that would grant it, or NULL */
	char *fix_file;	     /* the file it goes into (suggest.h), or NULL */
	const char *fix_key; /* its top-level key ("files", "clocks", ...), or NULL */
	int fix_has_key;     /* that file has the key already */
	char *refused;	     /* the deny rule or ceiling that refuses it, or NULL */
	wt_devloc loc;	     /* where it points (WT_DEVLOC_NONE: not located); its file
				is loc_file */
	char *loc_file;
	wt_devlog_outcome outcome; /* of the first time */
	uint64_t seq;		   /* the event's sequence number, the first time */
	unsigned long count;
	wt_devtally calls; /* added: which calls make up count (devreq.h) */
} wt_devlog_entry;

typedef struct wt_devlog wt_devlog;

enum { WT_DEVLOG_MAX = 10000 }; /* distinct requests kept; more are counted as dropped */

wt_devlog *wt_devlog_new(void); /* NULL when out of memory */
void wt_devlog_free(wt_devlog *log);

/* Logs req (strings copied, its location too) with the line that would grant it (fix, may
 * be NULL; leading spaces dropped). A request already logged (devreq.h
 * identity) only counts again; its first outcome stays. 0 or WT_NOMEM. */
int wt_devlog_add(wt_devlog *log, const wt_devreq *req, const char *fix, wt_devlog_outcome outcome,
		  uint64_t seq);

/* A path an `absent` entry hid (ENOENT, host not asked) though it exists now: the module may
 * fail in a way nobody can explain, so the run tells it. Listed once per path. */
typedef struct wt_devlog_hidden {
	char *path; /* path_len bytes */
	size_t path_len;
	char *entry; /* the absent entry (pattern) that hid it */
	char *file;  /* the manifest or override file that holds it */
	unsigned long count;
} wt_devlog_hidden;

/* Notes path[0..len) hidden by entry of file (copied); a repeat counts. 0 or WT_NOMEM. At
 * most WT_DEVLOG_MAX paths are kept. */
int wt_devlog_hide(wt_devlog *log, const char *path, size_t len, const char *entry,
		   const char *file);
size_t wt_devlog_hidden_count(const wt_devlog *log);
const wt_devlog_hidden *wt_devlog_hidden_get(const wt_devlog *log, size_t i);

/* "wasi-tofu: WHO: N paths exist now but an absent entry hid them ..." (who: the
 * subcommand typed, may be NULL) and one line each, on f (nothing when none). */
void wt_devlog_hidden_summary(const wt_devlog *log, const char *who, FILE *f);

size_t wt_devlog_count(const wt_devlog *log);
const wt_devlog_entry *wt_devlog_get(const wt_devlog *log, size_t i); /* NULL past the end */
size_t wt_devlog_dropped(const wt_devlog *log);

/* The outcome of a prompt answer, or of a verdict given without asking
 * (modes deny, hide, fail): ALLOW -> ALLOWED_ONCE, DENY -> DENIED, HIDE ->
 * HIDDEN, STOP -> STOPPED. */
wt_devlog_outcome wt_devlog_outcome_of_answer(wt_answer a);
wt_devlog_outcome wt_devlog_outcome_of_verdict(wt_verdict v);

/* "allow-once", "allow-always", "deny", "hide", "stop", "warn": the report's verdicts. */
const char *wt_devlog_outcome_name(wt_devlog_outcome o);

/* Prints the end-of-run summary (nothing when the log is empty), its
 * heading after `wasi-tofu: WHO: ` (who: the subcommand typed, may be NULL): what was
 * allowed once, allowed always, denied, hidden or stopped the run, every
 * guest string escaped (escape.h), then how to make it permanent: the
 * lines to add under files: in override_name (file grants) or to the
 * manifest (other grants). Names may be NULL. */
void wt_devlog_summary(const wt_devlog *log, const char *who, const char *manifest_name,
		       const char *override_name, FILE *f);

/* The file a deviation's suggested rule (fix) goes in, or NULL without a
 * fix: the rule writer's choice (fix_file, suggest.h) when it made one, else
 * a file rule (file_rule: 1) in the override file and the others in the
 * manifest. The one place that decides it, for the report, check --json and
 * --sarif. override may be NULL (then the manifest). */
const char *wt_devlog_target(const char *fix, const char *fix_file, int file_rule,
			     const char *manifest, const char *override);

/* What the report says of the run as a whole (docs/deviations.md,
 * "outcome"). Strings are borrowed; NULL ones are reported as null. */
typedef struct wt_devreport_run {
	const char *module;   /* the module's file name */
	const char *manifest; /* the manifest's path */
	const char *override; /* the override file's path, or NULL */
	int status;	      /* the exit status wasi-tofu gives */
	const char *reason;   /* "exited", "trapped", "stopped", "module-changed", "failed" */
	int has_exit_code;    /* the module ended with an exit code of its own */
	long long exit_code;
	const char *message; /* the trap or error message, or NULL */
	const char *sha256;  /* the module's sha256 (hex), or NULL when not read */
	const char *pin;     /* the manifest's pin (hex), or NULL when it has none */
} wt_devreport_run;

enum { WT_DEVREPORT_VERSION = 3 };

/* Where l points as JSON, {"file", "line", "column", "kind", "section"} (the report and check
 * --json give it alike): a new reference, NULL when not located or out of memory. */
json_t *wt_devloc_json(const wt_devloc *l);

/* The report as JSON (docs/deviations.md): a new reference, NULL when
 * out of memory. Paths that are not UTF-8 go as "<key>_b64". */
json_t *wt_devlog_json(const wt_devlog *log, const wt_devreport_run *run);

/* How the run ended, into run (status given): reason, exit_code, message. stopped: a
 * deviation stopped it; changed: the module is not the pinned one. The trap's text goes to
 * trap[0..size), which run->message may point at. */
void wt_devreport_outcome(wt_devreport_run *run, const wt_run_result *res, int stopped, int changed,
			  char *trap, size_t size);

/* wt_devlog_json as the report's text (2-space indent, ASCII): malloc'd, NULL when out of
 * memory. */
char *wt_devlog_report_text(const wt_devlog *log, const wt_devreport_run *run);

/* Writes wt_devlog_json to path (--report FILE.json), replacing it.
 * 0, WT_IO or WT_NOMEM. */
int wt_devlog_write_report(const wt_devlog *log, const wt_devreport_run *run, const char *path,
			   wt_error *err);

#endif
