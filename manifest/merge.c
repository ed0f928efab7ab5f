/* merge.c: record --update: an old manifest plus a newly recorded one, as the union of grants. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "mint.h"

/* A copy of s in m's arena; NULL when out of memory. */
static const char *dup_into(wt_manifest *m, const char *s)
{
	return s ? wt_arena_strndup(&m->arena, s, strlen(s)) : NULL;
}

static int has_str(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i], s) == 0)
			return 1;
	}
	return 0;
}

/* *out = a ∪ b (a first, no repeats), in m's arena. 0 or -1. */
static int union_strs(wt_manifest *m, const char *const *a, size_t na, const char *const *b,
		      size_t nb, const char ***out, size_t *n)
{
	const char **v = wt_arena_calloc(&m->arena, na + nb + 1, sizeof *v);

	*n = 0;
	if (!v)
		return -1;
	for (size_t i = 0; i < na + nb; i++) {
		const char *s = i < na ? a[i] : b[i - na];

		if (has_str(v, *n, s))
			continue;
		if (!(v[(*n)++] = dup_into(m, s)))
			return -1;
	}
	*out = v;
	return 0;
}

static int union_ints(wt_manifest *m, const wt_manifest *a, const wt_manifest *b)
{
	int32_t *v = wt_arena_calloc(&m->arena, a->nexit_codes + b->nexit_codes + 1, sizeof *v);
	size_t n = 0;

	if (!v)
		return -1;
	for (size_t i = 0; i < a->nexit_codes + b->nexit_codes; i++) {
		int32_t c =
		    i < a->nexit_codes ? a->exit_codes[i] : b->exit_codes[i - a->nexit_codes];
		size_t k = 0;

		while (k < n && v[k] != c)
			k++;
		if (k == n)
			v[n++] = c;
	}
	m->exit_codes = v, m->nexit_codes = n;
	return 0;
}

static int union_mounts(wt_manifest *m, const wt_manifest *a, const wt_manifest *b)
{
	wt_mmount *v = wt_arena_calloc(&m->arena, a->nmounts + b->nmounts + 1, sizeof *v);
	size_t n = 0;

	if (!v)
		return -1;
	for (size_t i = 0; i < a->nmounts + b->nmounts; i++) {
		const wt_mmount *mt = i < a->nmounts ? &a->mounts[i] : &b->mounts[i - a->nmounts];
		size_t k = 0;

		while (k < n && strcmp(v[k].guest, mt->guest) != 0)
			k++;
		if (k < n)
			continue; /* old's mount of that guest path stays */
		v[n] = *mt;
		v[n].loc = (wt_mloc){0, 0};
		if (!(v[n].guest = dup_into(m, mt->guest)) || !(v[n].host = dup_into(m, mt->host)))
			return -1;
		n++;
	}
	m->mounts = v, m->nmounts = n;
	return 0;
}

/* old's rules, widened where recorded has the same pattern, then recorded's rules for
 * the rights no rule of old grants already (the same pattern or a wider one: the one
 * coverage diff uses, wt_manifest_rules_cover). */
static int merge_files(wt_manifest *m, const wt_manifest *old, const wt_manifest *rec,
		       wt_error *err)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < old->nfiles; i++)
		rc = wt_manifest_add_mrule(m, &old->files[i], err);
	for (size_t i = 0; rc == 0 && i < rec->nfiles; i++) {
		wt_mrule r = rec->files[i];
		size_t k = 0;

		if (!(r.rights &= ~wt_manifest_rules_cover(old->files, old->nfiles, &r)))
			continue;
		while (k < m->nfiles && (strcmp(m->files[k].pattern, r.pattern) != 0 ||
					 m->files[k].only_new != r.only_new))
			k++;
		if (k < m->nfiles)
			m->files[k].rights |= r.rights;
		else
			rc = wt_manifest_add_mrule(m, &r, err);
	}
	return rc;
}

/* refused: old's, then recorded's for the patterns and calls old does not have. */
static int merge_refused(wt_manifest *m, const wt_manifest *old, const wt_manifest *rec,
			 wt_error *err)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < old->nrefused + rec->nrefused; i++) {
		const wt_mrefusal *r =
		    i < old->nrefused ? &old->refused[i] : &rec->refused[i - old->nrefused];

		rc = wt_manifest_add_refusal(m, r->pattern, r->call, r->error, err);
	}
	return rc;
}

/* header, deny, limits and on_deviation: old's. */
static int keep_old(wt_manifest *m, const wt_manifest *old)
{
	if (union_strs(m, old->header, old->nheader, NULL, 0, &m->header, &m->nheader))
		return -1;
	if (old->ndeny && !(m->deny = wt_arena_calloc(&m->arena, old->ndeny, sizeof *m->deny)))
		return -1;
	for (size_t i = 0; i < old->ndeny; i++) {
		m->deny[i] = old->deny[i];
		m->deny[i].pattern = dup_into(m, old->deny[i].pattern);
		m->deny[i].comment = dup_into(m, old->deny[i].comment);
		if (!m->deny[i].pattern)
			return -1;
	}
	m->ndeny = old->ndeny;
	m->limits = old->limits;
	m->on_deviation = old->on_deviation;
	return 0;
}

static void merge_grants(wt_manifest *m, const wt_manifest *old, const wt_manifest *rec)
{
	m->clocks = old->clocks | rec->clocks;
	m->clock_grant = old->clock_grant != WT_GRANT_NONE ? old->clock_grant : rec->clock_grant;
	m->random = old->random != WT_GRANT_NONE ? old->random : rec->random;
	m->random_seed = old->random != WT_GRANT_NONE ? old->random_seed : rec->random_seed;
	m->stdio = old->stdio | rec->stdio;
}

static int merge_module(wt_manifest *m, const wt_manifest *old, const wt_manifest *rec)
{
	const wt_manifest *from = rec->sha256[0] ? rec : old;

	memcpy(m->sha256, from->sha256, sizeof m->sha256);
	from = rec->module_name ? rec : old;
	return from->module_name && !(m->module_name = dup_into(m, from->module_name)) ? -1 : 0;
}

/* cwd: the one the new run had, as rules relative to it were recorded there
 * (record --update passes the old manifest's, unless --cwd says otherwise),
 * always written. */
static int merge_cwd(wt_manifest *m, const wt_manifest *rec)
{
	return (m->cwd = dup_into(m, wt_manifest_cwd(rec))) ? 0 : -1;
}

int wt_manifest_merge(const wt_manifest *old, const wt_manifest *recorded, wt_manifest **out,
		      wt_error *err)
{
	wt_manifest *m = wt_manifest_new();
	int rc = 0;

	*out = NULL;
	if (!m)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	if (merge_module(m, old, recorded) || union_mounts(m, old, recorded) ||
	    merge_cwd(m, recorded) ||
	    union_strs(m, old->absent, old->nabsent, recorded->absent, recorded->nabsent,
		       &m->absent, &m->nabsent) ||
	    union_strs(m, old->env, old->nenv, recorded->env, recorded->nenv, &m->env, &m->nenv) ||
	    union_strs(m, old->sockets, old->nsockets, recorded->sockets, recorded->nsockets,
		       &m->sockets, &m->nsockets) ||
	    union_ints(m, old, recorded) || keep_old(m, old))
		rc = wt_fail_plain(err, WT_NOMEM, "out of memory");
	if (rc == 0)
		rc = merge_files(m, old, recorded, err);
	if (rc == 0)
		rc = merge_refused(m, old, recorded, err);
	if (rc) {
		wt_manifest_free(m);
		return rc;
	}
	merge_grants(m, old, recorded);
	*out = m;
	return 0;
}

/* 1 when line is a header's run line, "  run N: ...". */
static int run_line(const char *line)
{
	size_t d = strncmp(line, "  run ", 6) == 0 ? strspn(line + 6, "0123456789") : 0;

	return d && line[6 + d] == ':';
}

static size_t count_runs(const wt_manifest *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nheader; i++)
		n += run_line(m->header[i]);
	return n;
}

/* The first header line with its " from N run(s):" made " from total runs:". */
static const char *recount(wt_manifest *m, const char *line, size_t total)
{
	const char *at = strstr(line, " from ");
	char *out;

	if (!at || !strstr(at, " run"))
		return line;
	if (asprintf(&out, "%.*s from %zu run%s:", (int)(at - line), line, total,
		     total == 1 ? "" : "s") < 0)
		return NULL;
	line = dup_into(m, out);
	free(out);
	return line;
}

/* Recorded's run lines numbered after old's, with the journal they are in. */
static int add_runs(wt_manifest *m, const char **h, size_t *n, const wt_manifest *rec, size_t first,
		    const char *journal)
{
	size_t k = first;

	for (size_t i = 0; i < rec->nheader; i++) {
		const char *rest;
		char *line;

		if (!run_line(rec->header[i]))
			continue;
		rest = strchr(rec->header[i], ':');
		if (asprintf(&line, "  run %zu:%s%s%s", ++k, rest + 1, journal ? ", journal " : "",
			     journal ? journal : "") < 0)
			return -1;
		h[(*n)++] = dup_into(m, line);
		free(line);
		if (!h[*n - 1])
			return -1;
	}
	return 0;
}

int wt_manifest_merge_header(wt_manifest *m, const wt_manifest *old, const wt_manifest *rec,
			     const char *journal)
{
	size_t had = count_runs(old), added = count_runs(rec), n = 0, last = 0;
	const char **h = wt_arena_calloc(&m->arena, old->nheader + added + 2, sizeof *h);

	if (!h)
		return WT_NOMEM;
	for (size_t i = 0; i < old->nheader; i++)
		if (run_line(old->header[i]) || i == 0)
			last = i;
	for (size_t i = 0; i < old->nheader; i++) {
		h[n++] =
		    i == 0 ? recount(m, old->header[0], had + added) : dup_into(m, old->header[i]);
		if (!h[n - 1])
			return WT_NOMEM;
		if (i == last && add_runs(m, h, &n, rec, had, journal))
			return WT_NOMEM;
	}
	if (!old->nheader && add_runs(m, h, &n, rec, had, journal))
		return WT_NOMEM;
	m->header = h, m->nheader = n;
	return 0;
}
