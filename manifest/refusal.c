/* refusal.c: what no answer at the prompt can allow: requests a deny rule or the ceiling refuses,
 * each named with the rule or file that refuses it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enforce.h"
#include "grow.h"
#include "match.h"
#include "mint.h"
#include "needs.h"

/* One deny rule, alone in its trie, and the file it is in. */
typedef struct deny_rule {
	wt_match *t;
	const wt_mrule *rule;
	const char *file;
} deny_rule;

struct wt_refusal {
	const wt_enforce_config *cfg;
	deny_rule *denies;
	size_t ndenies;
	wt_match *ceiling; /* the ceiling's file grants, or NULL without a ceiling */
};

static int add_denies(wt_refusal *f, const wt_manifest *m, const char *file, wt_error *err)
{
	deny_rule *grown;

	if (!m || !m->ndeny)
		return 0;
	if (!(grown = wt_grow_realloc(f->denies, f->ndenies + m->ndeny, sizeof *grown)))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	f->denies = grown;
	for (size_t i = 0; i < m->ndeny; i++) {
		deny_rule *d = &f->denies[f->ndenies];

		*d = (deny_rule){wt_match_new(), &m->deny[i], file};
		if (!d->t)
			return wt_fail_plain(err, WT_NOMEM, "out of memory");
		f->ndenies++;
		if (wt_enforce_add_rules(f->cfg, d->t, d->rule, 1, -1, err))
			return err->code;
	}
	return 0;
}

static int build(wt_refusal *f, wt_error *err)
{
	const wt_enforce_config *c = f->cfg;
	const wt_manifest *ce = c->ceiling;

	if (add_denies(f, c->manifest, c->manifest_name ? c->manifest_name : "the manifest", err) ||
	    add_denies(f, c->override, c->override_name ? c->override_name : "the override file",
		       err) ||
	    add_denies(f, ce, c->ceiling_name ? c->ceiling_name : "the ceiling", err))
		return err->code;
	if (!ce)
		return 0;
	if (!(f->ceiling = wt_match_new()))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	return wt_enforce_add_rules(c, f->ceiling, ce->files, ce->nfiles, -1, err);
}

int wt_refusal_new(const wt_enforce_config *cfg, wt_refusal **out, wt_error *err)
{
	wt_refusal *f = calloc(1, sizeof *f);
	int rc;

	*out = NULL;
	if (!f)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	f->cfg = cfg;
	if ((rc = build(f, err))) {
		wt_refusal_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

void wt_refusal_free(wt_refusal *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->ndenies; i++)
		wt_match_free(f->denies[i].t);
	free(f->denies);
	wt_match_free(f->ceiling);
	free(f);
}

static const char *ceiling_name(const wt_refusal *f)
{
	return f->cfg->ceiling_name ? f->cfg->ceiling_name : "file";
}

int wt_refusal_file(const wt_refusal *f, const char *path, size_t len, uint32_t rights, char *why,
		    size_t size, wt_devloc *loc)
{
	char names[160];
	uint32_t out;

	for (size_t i = 0; i < f->ndenies; i++) {
		const deny_rule *d = &f->denies[i];
		uint32_t hit = wt_match_rights(d->t, path, len) & rights;

		if (!hit)
			continue;
		snprintf(why, size, "the deny rule {path: %s, allow: [%s]} at %s:%u:%u",
			 d->rule->pattern, wt_rights_format(d->rule->rights, names, sizeof names),
			 d->file, d->rule->loc.line, d->rule->loc.column);
		if (loc)
			*loc = (wt_devloc){WT_DEVLOC_DENY, d->file, d->rule->loc.line,
					   d->rule->loc.column, "deny"};
		return 1;
	}
	if (!f->ceiling || !(out = rights & ~wt_match_rights(f->ceiling, path, len)))
		return 0;
	if (loc)
		wt_devloc_section(loc, f->cfg->ceiling, ceiling_name(f), "files");
	snprintf(why, size, "the ceiling %s, which grants no [%s] there", ceiling_name(f),
		 wt_rights_format(out, names, sizeof names));
	return 1;
}

static int has_name(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0)
			return 1;
	}
	return 0;
}

/* The key a grant of n (not a file need) goes under. */
static const char *key_of(const wt_need *n)
{
	switch (n->kind) {
	case WT_NEED_CLOCK:
		return "clocks";
	case WT_NEED_RANDOM:
		return "random";
	case WT_NEED_STDIO:
		return "stdio";
	case WT_NEED_SOCKET:
		return "sockets";
	default:
		return "exit_codes";
	}
}

/* 1 when the ceiling ce grants what n (not a file need) asks for. */
static int ceiling_grants(const wt_manifest *ce, const wt_need *n)
{
	char num[16];

	switch (n->kind) {
	case WT_NEED_CLOCK:
		return ce->clock_grant != WT_GRANT_NONE && (ce->clocks & n->bit);
	case WT_NEED_RANDOM:
		return ce->random != WT_GRANT_NONE;
	case WT_NEED_STDIO:
		return (ce->stdio & n->bit) != 0;
	case WT_NEED_SOCKET:
		snprintf(num, sizeof num, "%d", (int)n->fd);
		return has_name(ce->sockets, ce->nsockets, num);
	default:
		return 1; /* exit codes and the rest: a ceiling does not limit them */
	}
}

int wt_refusal_other(const wt_refusal *f, const wt_need *n, char *why, size_t size, wt_devloc *loc)
{
	if (!f->cfg->ceiling || ceiling_grants(f->cfg->ceiling, n))
		return 0;
	if (loc)
		wt_devloc_section(loc, f->cfg->ceiling, ceiling_name(f), key_of(n));
	snprintf(why, size, "the ceiling %s, which does not grant it", ceiling_name(f));
	return 1;
}
