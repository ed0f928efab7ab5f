/* deviations.c: the run's deviation log (each request once) and the end-of-run summary. */
#include <stdlib.h>
#include <string.h>

#include "deviations.h"
#include "error.h"
#include "escape.h"
#include "grow.h"
#include "suggest.h"
#include "wasi.h"

struct wt_devlog {
	wt_devlog_entry *entries;
	size_t count, cap, dropped;
	wt_devlog_hidden *hidden;
	size_t nhidden, caphidden;
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
	free(e->refused), free(e->fix_file), free(e->loc_file);
}

void wt_devlog_free(wt_devlog *log)
{
	if (!log)
		return;
	for (size_t i = 0; i < log->count; i++)
		entry_fini(&log->entries[i]);
	for (size_t i = 0; i < log->nhidden; i++)
		free(log->hidden[i].path), free(log->hidden[i].entry), free(log->hidden[i].file);
	free(log->hidden);
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
	if (r->fix && r->fix->file) {
		e->fix_file = copy(r->fix->file, strlen(r->fix->file), &ok);
		e->fix_key = r->fix->key, e->fix_has_key = r->fix->has_key;
	}
	if (r->loc && r->loc->kind != WT_DEVLOC_NONE && r->loc->file) {
		e->loc = *r->loc;
		e->loc.file = e->loc_file = copy(r->loc->file, strlen(r->loc->file), &ok);
	}
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
	if (WT_GROW(&log->entries, &log->cap, log->count + 1, 16))
		return WT_NOMEM;
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

int wt_devlog_hide(wt_devlog *log, const char *path, size_t len, const char *entry,
		   const char *file)
{
	wt_devlog_hidden *h;
	int ok = 1;

	for (size_t i = 0; i < log->nhidden; i++) {
		h = &log->hidden[i];
		if (h->path_len == len && !memcmp(h->path, path, len)) {
			h->count++;
			return 0;
		}
	}
	if (log->nhidden == WT_DEVLOG_MAX)
		return 0;
	if (WT_GROW(&log->hidden, &log->caphidden, log->nhidden + 1, 8))
		return WT_NOMEM;
	h = &log->hidden[log->nhidden];
	h->path = copy(path, len, &ok), h->path_len = len;
	h->entry = copy(entry, strlen(entry), &ok);
	h->file = copy(file ? file : "the manifest", strlen(file ? file : "the manifest"), &ok);
	h->count = 1;
	if (!ok) {
		free(h->path), free(h->entry), free(h->file);
		return WT_NOMEM;
	}
	log->nhidden++;
	return 0;
}

size_t wt_devlog_hidden_count(const wt_devlog *log)
{
	return log->nhidden;
}

const wt_devlog_hidden *wt_devlog_hidden_get(const wt_devlog *log, size_t i)
{
	return i < log->nhidden ? &log->hidden[i] : NULL;
}

void wt_devlog_hidden_summary(const wt_devlog *log, const char *who, FILE *f)
{
	if (!log || !log->nhidden)
		return;
	wt_error_lead(f, who);
	wt_escape_fprintf(f,
			  "%zu path%s exist%s now but %s hidden from the module (ENOENT) by an "
			  "absent entry:\n",
			  log->nhidden, log->nhidden == 1 ? "" : "s", log->nhidden == 1 ? "s" : "",
			  log->nhidden == 1 ? "was" : "were");
	for (size_t i = 0; i < log->nhidden; i++) {
		const wt_devlog_hidden *h = &log->hidden[i];

		wt_escape_fprintf(f, "  %.*s: hidden by the absent entry %s in %s",
				  (int)h->path_len, h->path, h->entry, h->file);
		if (h->count > 1)
			fprintf(f, " (%lu times)", h->count);
		fputc('\n', f);
	}
	fputs("  if the module needs them now, remove those entries (or grant the paths under "
	      "files:)\n",
	      f);
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

/* Whether e's grant line is still to be added: files (what == NULL) when files is 1. */
static int open_fix(const wt_devlog_entry *e, int files)
{
	return e->fix && e->outcome != WT_DEVLOG_ALLOWED_ALWAYS && (e->what == NULL) == files;
}

/* The file grants, as the text to paste into their file (suggest.h): "files:" when the
 * file has none, then the lines. */
static void put_file_fixes(FILE *f, const wt_devlog *log, const char *ovr)
{
	const wt_devlog_entry *first = NULL;

	for (size_t i = 0; i < log->count && !first; i++)
		if (open_fix(&log->entries[i], 1))
			first = &log->entries[i];
	if (!first)
		return;
	if (first->fix_file)
		ovr = first->fix_file;
	if (first->fix_has_key || !first->fix_key)
		wt_escape_fprintf(f,
				  "To allow these file requests on every run, review these lines "
				  "and add\nthem under files: in %s:\n",
				  ovr);
	else
		wt_escape_fprintf(f,
				  "To allow these file requests on every run, review these lines "
				  "and add\nthem to %s:\n    files:\n",
				  ovr);
	for (size_t i = 0; i < log->count; i++)
		if (open_fix(&log->entries[i], 1))
			wt_escape_fprintf(f, "      %s\n", log->entries[i].fix);
}

/* The other grants, each with where it goes. */
static void put_other_fixes(FILE *f, const wt_devlog *log, const char *man)
{
	for (size_t i = 0; i < log->count; i++) {
		const wt_devlog_entry *e = &log->entries[i];

		if (!open_fix(e, 0))
			continue;
		if (e->fix_key && e->fix_has_key)
			wt_escape_fprintf(f, "To allow %s, replace the %s: line of %s with:\n",
					  e->what, e->fix_key, e->fix_file ? e->fix_file : man);
		else
			wt_escape_fprintf(f, "To allow %s, add this line to %s:\n", e->what,
					  e->fix_file ? e->fix_file : man);
		wt_escape_fprintf(f, "    %s\n", e->fix);
	}
}

/* The entries that were negotiable (not refused by a deny rule or the ceiling). */
static size_t count_asked(const wt_devlog *log)
{
	size_t n = 0;

	for (size_t i = 0; i < log->count; i++)
		n += !log->entries[i].refused && log->entries[i].outcome != WT_DEVLOG_WARNED;
	return n;
}

void wt_devlog_summary(const wt_devlog *log, const char *who, const char *manifest_name,
		       const char *override_name, FILE *f)
{
	const char *man = manifest_name ? manifest_name : "the manifest";
	const char *ovr = override_name ? override_name : "the override file";

	if (!log || !log->count)
		return;
	wt_error_lead(f, who);
	wt_escape_fprintf(f, "%zu request%s outside %s this run:\n", log->count,
			  log->count == 1 ? "" : "s", man);
	for (size_t i = 0; i < log->count; i++)
		put_entry(f, &log->entries[i]);
	if (log->dropped)
		fprintf(f, "  ... and %zu more not listed\n", log->dropped);
	put_file_fixes(f, log, ovr);
	put_other_fixes(f, log, man);
	if (count_asked(log))
		fputs(
		    "To refuse them on every run without asking: --on-deviation deny (or hide).\n",
		    f);
}
