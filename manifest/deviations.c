/* deviations.c: the run's deviation log (each request once) and the end-of-run summary. */
#include <stdlib.h>
#include <string.h>

#include "deviations.h"
#include "escape.h"
#include "wasi.h"

struct wt_devlog {
	wt_devlog_entry *entries;
	size_t count, cap, dropped;
	wt_devset *index; /* request -> position in entries */
};

wt_devlog *wt_devlog_new(void)
{
	wt_devlog *log = calloc(1, sizeof *log);

	if (log && !(log->index = wt_devset_new())) {
		free(log);
		return NULL;
	}
	return log;
}

static void entry_fini(wt_devlog_entry *e)
{
	free(e->path), free(e->path2), free(e->host_path), free(e->what), free(e->fix);
	free(e->refused);
}

void wt_devlog_free(wt_devlog *log)
{
	if (!log)
		return;
	for (size_t i = 0; i < log->count; i++)
		entry_fini(&log->entries[i]);
	free(log->entries);
	wt_devset_free(log->index);
	free(log);
}

/* A copy of s[0..len) (NUL added), or of NULL as NULL; sets *ok to 0 when out of memory. */
static char *copy(const char *s, size_t len, int *ok)
{
	char *c;

	if (!s)
		return NULL;
	if (!(c = malloc(len + 1)))
		*ok = 0;
	else
		memcpy(c, s, len), c[len] = '\0';
	return c;
}

static int fill(wt_devlog_entry *e, const wt_devreq *r, const char *fix)
{
	int ok = 1;

	memset(e, 0, sizeof *e);
	e->call = r->call;
	e->rights = r->rights;
	e->path = copy(r->path, r->path_len, &ok), e->path_len = r->path ? r->path_len : 0;
	e->path2 = copy(r->path2, r->path2_len, &ok), e->path2_len = r->path2 ? r->path2_len : 0;
	e->host_path = copy(r->host_path, r->host_path ? strlen(r->host_path) : 0, &ok);
	e->what = copy(r->what, r->what ? strlen(r->what) : 0, &ok);
	fix = fix ? fix + strspn(fix, " ") : NULL;
	e->fix = copy(fix, fix ? strlen(fix) : 0, &ok);
	e->refused = copy(r->refused, r->refused ? strlen(r->refused) : 0, &ok);
	return ok ? 0 : -1;
}

int wt_devlog_add(wt_devlog *log, const wt_devreq *req, const char *fix, wt_devlog_outcome outcome,
		  uint64_t seq)
{
	wt_devlog_entry *e;
	int at;

	if (wt_devset_get(log->index, req, &at)) {
		log->entries[at].count++;
		wt_devtally_add(&log->entries[at].calls, req->call, 1);
		return 0;
	}
	if (log->count == WT_DEVLOG_MAX) {
		log->dropped++;
		return 0;
	}
	if (log->count == log->cap) {
		size_t cap = log->cap ? 2 * log->cap : 16;
		wt_devlog_entry *grown = realloc(log->entries, cap * sizeof *grown);
		if (!grown)
			return WT_NOMEM;
		log->entries = grown, log->cap = cap;
	}
	e = &log->entries[log->count];
	if (fill(e, req, fix) || wt_devset_put(log->index, req, (int)log->count)) {
		entry_fini(e);
		return WT_NOMEM;
	}
	e->outcome = outcome, e->seq = seq, e->count = 1;
	wt_devtally_add(&e->calls, req->call, 1);
	log->count++;
	return 0;
}

size_t wt_devlog_count(const wt_devlog *log)
{
	return log->count;
}

const wt_devlog_entry *wt_devlog_get(const wt_devlog *log, size_t i)
{
	return i < log->count ? &log->entries[i] : NULL;
}

size_t wt_devlog_dropped(const wt_devlog *log)
{
	return log->dropped;
}

wt_devlog_outcome wt_devlog_outcome_of_answer(wt_answer a)
{
	if (a == WT_ANSWER_ALLOW_ALWAYS)
		return WT_DEVLOG_ALLOWED_ALWAYS;
	return wt_devlog_outcome_of_verdict(wt_prompt_verdict(a));
}

wt_devlog_outcome wt_devlog_outcome_of_verdict(wt_verdict v)
{
	switch (v) {
	case WT_ALLOW:
		return WT_DEVLOG_ALLOWED_ONCE;
	case WT_DENY:
		return WT_DEVLOG_DENIED;
	case WT_HIDE:
		return WT_DEVLOG_HIDDEN;
	default:
		return WT_DEVLOG_STOPPED;
	}
}

const char *wt_devlog_outcome_name(wt_devlog_outcome o)
{
	static const char *const names[] = {"allow-once", "allow-always", "deny",
					    "hide",	  "stop",	  "warn"};

	return (unsigned)o < sizeof names / sizeof names[0] ? names[o] : "?";
}

static void put_entry(FILE *f, const wt_devlog_entry *e)
{
	static const char *const heads[] = {"allowed once", "allowed always",  "denied",
					    "hidden",	    "stopped the run", "allowed (warn)"};
	char rights[160];

	wt_escape_fprintf(f, "  %-15s  %s %s", heads[e->outcome], wt_wasi_call_name(e->call),
			  e->what ? e->what : wt_rights_format(e->rights, rights, sizeof rights));
	if (e->path)
		wt_escape_fprintf(f, " %.*s", (int)e->path_len, e->path);
	if (e->path2)
		wt_escape_fprintf(f, " -> %.*s", (int)e->path2_len, e->path2);
	wt_devtally_print(&e->calls, f);
	fputc('\n', f);
	if (e->refused)
		wt_escape_fprintf(f, "                   not asked: refused by %s\n", e->refused);
}

/* The grant lines of the entries not yet allowed always: files (what ==
 * NULL) when files is 1, the others when 0. Returns how many. */
static size_t put_fixes(FILE *f, const wt_devlog *log, int files)
{
	size_t n = 0;

	for (size_t i = 0; i < log->count; i++) {
		const wt_devlog_entry *e = &log->entries[i];
		if (!e->fix || e->outcome == WT_DEVLOG_ALLOWED_ALWAYS || (e->what == NULL) != files)
			continue;
		wt_escape_fprintf(f, "    %s\n", e->fix);
		n++;
	}
	return n;
}

/* The entries that were negotiable (not refused by a deny rule or the ceiling). */
static size_t count_asked(const wt_devlog *log)
{
	size_t n = 0;

	for (size_t i = 0; i < log->count; i++)
		n += !log->entries[i].refused && log->entries[i].outcome != WT_DEVLOG_WARNED;
	return n;
}

static size_t count_fixes(const wt_devlog *log, int files)
{
	size_t n = 0;

	for (size_t i = 0; i < log->count; i++) {
		const wt_devlog_entry *e = &log->entries[i];
		n += e->fix && e->outcome != WT_DEVLOG_ALLOWED_ALWAYS && (e->what == NULL) == files;
	}
	return n;
}

void wt_devlog_summary(const wt_devlog *log, const char *manifest_name, const char *override_name,
		       FILE *f)
{
	const char *man = manifest_name ? manifest_name : "the manifest";
	const char *ovr = override_name ? override_name : "the override file";

	if (!log || !log->count)
		return;
	wt_escape_fprintf(f, "wasi-tofu: %zu request%s outside %s this run:\n", log->count,
			  log->count == 1 ? "" : "s", man);
	for (size_t i = 0; i < log->count; i++)
		put_entry(f, &log->entries[i]);
	if (log->dropped)
		fprintf(f, "  ... and %zu more not listed\n", log->dropped);
	if (count_fixes(log, 1)) {
		wt_escape_fprintf(f,
				  "To allow these file requests on every run, review these lines "
				  "and add\nthem under files: in %s (or the manifest):\n",
				  ovr);
		put_fixes(f, log, 1);
	}
	if (count_fixes(log, 0)) {
		wt_escape_fprintf(f, "To allow the others, add to %s:\n", man);
		put_fixes(f, log, 0);
	}
	if (count_asked(log))
		fputs(
		    "To refuse them on every run without asking: --on-deviation deny (or hide).\n",
		    f);
}
