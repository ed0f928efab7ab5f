/* devloc.c: where a deviation points in the policy's files: the rule that almost grants it, the
 * deny rule that refuses it, the key its grant goes under, or line 1 (docs/cli.md, "check"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enforce.h"
#include "match.h"
#include "mint.h"

/* Up to 32 files rules of one file in one trie, rule k of the file with the right bit
 * k % 32 (every instance of its ${arg:N} head): a lookup tells which of them match a path. */
typedef struct loc_group {
	wt_match *t;
} loc_group;

/* The files rules of the manifest [0] and of the override file [1]. */
struct wt_devloc_rules {
	const wt_enforce_config *cfg;
	const wt_manifest *ms[2];
	loc_group *groups[2];
	size_t ngroups[2];
	unsigned char *used[2]; /* rule k of file i granted some right a call needed */
};

const char *wt_devloc_kind_name(wt_devloc_kind kind)
{
	static const char *const names[] = {"none", "rule", "deny", "section", "file"};

	return kind <= WT_DEVLOC_FILE ? names[kind] : "none";
}

void wt_devloc_describe(const wt_devloc *l, char *buf, size_t size)
{
	switch (l->kind) {
	case WT_DEVLOC_RULE:
		snprintf(buf, size, "the files rule on this path, which lacks the rights");
		break;
	case WT_DEVLOC_DENY:
		snprintf(buf, size, "the deny rule that refuses it");
		break;
	case WT_DEVLOC_SECTION:
		snprintf(buf, size, "the %s: key, where its grant goes", l->section);
		break;
	case WT_DEVLOC_FILE:
		snprintf(buf, size, "line 1: the file has no %s: key yet", l->section);
		break;
	default:
		snprintf(buf, size, "line 1: not located");
	}
}

void wt_devloc_section(wt_devloc *loc, const wt_manifest *m, const char *file, const char *key)
{
	wt_mloc at = wt_manifest_key_loc(m, key);

	*loc = (wt_devloc){.kind = at.line ? WT_DEVLOC_SECTION : WT_DEVLOC_FILE,
			   .file = file,
			   .line = at.line ? at.line : 1,
			   .column = at.line ? at.column : 1,
			   .section = key};
}

static int add_file(wt_devloc_rules *l, int i, const wt_manifest *m, wt_error *err)
{
	size_t n = m ? m->nfiles : 0, ng = (n + 31) / 32;

	l->ms[i] = m;
	if (!n)
		return 0;
	if (!(l->groups[i] = calloc(ng, sizeof *l->groups[i])) ||
	    !(l->used[i] = calloc(n, sizeof *l->used[i])))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	for (size_t k = 0; k < n; k++) {
		wt_mrule one = m->files[k];
		loc_group *g = &l->groups[i][k / 32];

		one.rights = 1u << (k % 32); /* a rule granting nothing still names its paths */
		if (!g->t && !(g->t = wt_match_new()))
			return wt_fail_plain(err, WT_NOMEM, "out of memory");
		l->ngroups[i] = k / 32 + 1;
		if (wt_enforce_add_rules(l->cfg, g->t, &one, 1, -1, err))
			return err->code;
	}
	return 0;
}

int wt_devloc_rules_new(const wt_enforce_config *cfg, wt_devloc_rules **out, wt_error *err)
{
	wt_devloc_rules *l = calloc(1, sizeof *l);

	*out = NULL;
	if (!l)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	l->cfg = cfg;
	if (add_file(l, 0, cfg->manifest, err) || add_file(l, 1, cfg->override, err)) {
		wt_devloc_rules_free(l);
		return err->code;
	}
	*out = l;
	return 0;
}

void wt_devloc_rules_free(wt_devloc_rules *l)
{
	if (!l)
		return;
	for (int i = 0; i < 2; i++) {
		for (size_t g = 0; g < l->ngroups[i]; g++)
			wt_match_free(l->groups[i][g].t);
		free(l->groups[i]);
		free(l->used[i]);
	}
	free(l);
}

static const char *file_name(const wt_enforce_config *c, int i)
{
	if (i == 0)
		return c->manifest_name ? c->manifest_name : "the manifest";
	return c->override_name ? c->override_name : "the override file";
}

/* The first rule of file i (in the file's order) whose pattern matches path. */
static const wt_mrule *rule_on(const wt_devloc_rules *l, int i, const char *path, size_t len)
{
	for (size_t g = 0; g < l->ngroups[i]; g++) {
		uint32_t hit = wt_match_rights(l->groups[i][g].t, path, len);

		if (hit)
			return &l->ms[i]->files[g * 32 + (size_t)__builtin_ctz(hit)];
	}
	return NULL;
}

void wt_devloc_rules_use(wt_devloc_rules *l, const char *path, size_t len, uint32_t rights)
{
	for (int i = 0; path && rights && i < 2; i++)
		for (size_t g = 0; g < l->ngroups[i]; g++)
			for (uint32_t hit = wt_match_rights(l->groups[i][g].t, path, len); hit;
			     hit &= hit - 1) {
				size_t k = g * 32 + (size_t)__builtin_ctz(hit);

				if (l->ms[i]->files[k].rights & rights)
					l->used[i][k] = 1;
			}
}

int wt_devloc_rules_used(const wt_devloc_rules *l, int i, size_t k)
{
	return l->used[i] && k < l->ms[i]->nfiles && l->used[i][k];
}

void wt_devloc_file(const wt_devloc_rules *l, const char *path, size_t len, const char *target,
		    wt_devloc *loc)
{
	const wt_enforce_config *c = l->cfg;
	int t = target && c->override_name && strcmp(target, c->override_name) == 0;
	const wt_mrule *r;

	for (int pass = 0; pass < 2; pass++) { /* the file the fix goes into first */
		int i = pass ? !t : t;

		if ((r = rule_on(l, i, path, len)) && r->loc.line) {
			*loc = (wt_devloc){WT_DEVLOC_RULE, file_name(c, i), r->loc.line,
					   r->loc.column, "files"};
			return;
		}
	}
	if (t && !c->override) /* no override file yet: nothing there to point at */
		t = 0;
	wt_devloc_section(loc, t ? c->override : c->manifest, file_name(c, t), "files");
}
