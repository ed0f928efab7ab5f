/* devreq.h: one request outside the manifest (a deviation) and a set keyed by it, so the prompt
 * asks once and the log lists once. */
#ifndef WT_DEVREQ_H
#define WT_DEVREQ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gate.h"

/* Where in the policy's files a deviation points (check --sarif, --json and its text, a run's
 * summary and --report; docs/cli.md): the line a reviewer reads to fix it. */
typedef enum {
	WT_DEVLOC_NONE,	   /* not located (out of memory, no file) */
	WT_DEVLOC_RULE,	   /* a files rule whose pattern matches the path but lacks the rights */
	WT_DEVLOC_DENY,	   /* the deny rule that refuses it */
	WT_DEVLOC_SECTION, /* the top-level key the grant goes under (files:, env:, clocks:...) */
	WT_DEVLOC_FILE,	   /* line 1: the file has no such key yet (or does not exist) */
} wt_devloc_kind;

typedef struct wt_devloc {
	wt_devloc_kind kind;
	const char *file; /* borrowed from the config: the manifest, override or ceiling name */
	unsigned line, column; /* 1-based */
	const char *section;   /* the key the grant goes under: "files", "clocks", ... or NULL */
} wt_devloc;

/* What the guest asked for that the manifest does not grant. Borrowed
 * strings; paths may hold any byte but NUL (the length counts). */
typedef struct wt_devreq {
	wt_wasi_call call;
	const char *path; /* the guest path the rights are missing on, or NULL */
	size_t path_len;
	const char *path2; /* rename/link/symlink: the other guest path, or NULL */
	size_t path2_len;
	const char *host_path; /* where path maps on the host, or NULL (shown, not keyed) */
	uint32_t rights;       /* the WT_RIGHT_* bits missing */
	const char *what; /* not a file: "clock realtime", "random", "exit code 3"; else NULL */
	/* Not negotiable: what refuses it whatever the answer ("the deny rule
	 * ... at FILE:LINE", "the ceiling FILE ..."), or NULL. Never asked. */
	const char *refused;
	/* The grant that would allow it (suggest.h, borrowed), or NULL: what [a] writes, what
	 * the log shows with the file to paste it into. Not part of the identity. */
	const struct wt_suggestion *fix;
	/* Where it points in the policy's files (devloc.c, borrowed), or NULL. Not part of the
	 * identity. */
	const wt_devloc *loc;
} wt_devreq;

/* A request from a gate event: call, path, path2, host path and
 * ev->rights. The caller may then narrow rights to what is missing.
 * The strings stay the event's (valid during decide() only). */
void wt_devreq_from_event(const wt_event *ev, wt_devreq *req);

/* The identity of a request: for a file request the rights and the paths,
 * whichever call asks (path_open, path_filestat_get and fd_filestat_get
 * asking "stat" on one path are one request); for others the call's
 * capability class and what. Writes a malloc'd key; 0 or -1 (no memory). */
int wt_devreq_key(const wt_devreq *req, char **key, size_t *len);

/* Which calls made one listed request, and how often: a request is listed
 * once per path and rights (or what), whichever call asked, so "path_open
 * then fd_read twice" is one entry. The first WT_DEVTALLY_KINDS calls by
 * first appearance are counted one by one, any further kind in others. */
enum { WT_DEVTALLY_KINDS = 4 };
typedef struct wt_devtally {
	wt_wasi_call calls[WT_DEVTALLY_KINDS];
	unsigned long counts[WT_DEVTALLY_KINDS];
	unsigned kinds;	      /* entries used in calls/counts */
	unsigned long others; /* calls of kinds past the first WT_DEVTALLY_KINDS */
} wt_devtally;

/* Counts n more calls of call (start from a zeroed tally). */
void wt_devtally_add(wt_devtally *t, wt_wasi_call call, unsigned long n);

/* Writes what the tally holds as a suffix for a listing: nothing for one
 * call, " (3 times)" when one kind made them all, " (3 calls: path_open,
 * fd_read x2)" when several kinds did (", other calls xN" past the kept
 * kinds). */
void wt_devtally_print(const wt_devtally *t, FILE *f);

/* A set of requests, each with an int value. Keys are copied. */
typedef struct wt_devset wt_devset;

wt_devset *wt_devset_new(void); /* NULL when out of memory */
void wt_devset_free(wt_devset *s);

/* 1 and *value when req is in s; 0 when not. */
int wt_devset_get(const wt_devset *s, const wt_devreq *req, int *value);

/* Adds req with value, or sets the value when req is there.
 * 0, or -1 when out of memory. */
int wt_devset_put(wt_devset *s, const wt_devreq *req, int value);

size_t wt_devset_count(const wt_devset *s);

#endif
