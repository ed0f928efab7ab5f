/* ceiling.c: checks that a manifest and its override grant nothing outside a ceiling file. */
#include <stdlib.h>
#include <string.h>

#include "enforce.h"
#include "mint.h"

enum { PATH_CAP = 4096, MAX_COMPONENTS = 512 };

/* A pattern as its components (pointers into the pattern, escapes kept). */
typedef struct comps {
	const char *c[MAX_COMPONENTS];
	size_t len[MAX_COMPONENTS];
	size_t n;
} comps;

static int split(const char *p, comps *out)
{
	out->n = 0;
	while (*p == '/') {
		const char *end = strchrnul(p + 1, '/');
		if (end > p + 1) {
			if (out->n == MAX_COMPONENTS)
				return -1;
			out->c[out->n] = p + 1;
			out->len[out->n++] = (size_t)(end - p - 1);
		}
		p = end;
	}
	return 0;
}

static int is_dstar(const char *c, size_t len)
{
	return len == 2 && c[0] == '*' && c[1] == '*';
}

static int has_wild(const char *c, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (c[i] == '\\')
			i++;
		else if (c[i] == '*')
			return 1;
	}
	return 0;
}

/* 1 when the escaped literal components a and b name the same name. */
static int same_literal(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	while (i < alen && j < blen) {
		i += a[i] == '\\' && i + 1 < alen;
		j += b[j] == '\\' && j + 1 < blen;
		if (a[i++] != b[j++])
			return 0;
	}
	return i == alen && j == blen;
}

/* The component glob g (escapes kept) against the literal l (escapes kept). */
static int glob_covers(const char *g, const char *gend, const char *l, const char *lend)
{
	if (g == gend)
		return l == lend;
	if (*g == '*') {
		for (const char *s = l;; s += (*s == '\\' && s + 1 < lend) + 1) {
			if (glob_covers(g + 1, gend, s, lend))
				return 1;
			if (s >= lend)
				return 0;
		}
	}
	if (l == lend)
		return 0;
	if (*g == '\\' && g + 1 < gend)
		g++;
	if (*l == '\\' && l + 1 < lend)
		l++;
	return *g == *l && glob_covers(g + 1, gend, l + 1, lend);
}

/* 1 when ceiling component c covers every name pattern component p covers. */
static int covers(const char *c, size_t clen, const char *p, size_t plen)
{
	if (is_dstar(p, plen))
		return 0;
	if (clen == 1 && c[0] == '*')
		return 1;
	if (!has_wild(c, clen))
		return !has_wild(p, plen) && same_literal(c, clen, p, plen);
	if (has_wild(p, plen))
		return clen == plen && memcmp(c, p, clen) == 0;
	return glob_covers(c, c + clen, p, p + plen);
}

/* 1 when every path pattern p matches, ceiling pattern c matches too. */
static int contained(const comps *p, const comps *c)
{
	int cdeep = c->n && is_dstar(c->c[c->n - 1], c->len[c->n - 1]);
	size_t fixed = cdeep ? c->n - 1 : c->n;

	if (cdeep ? p->n < c->n : p->n != c->n)
		return 0;
	for (size_t i = 0; i < fixed; i++) {
		if (!covers(c->c[i], c->len[i], p->c[i], p->len[i]))
			return 0;
	}
	return 1;
}

/* p as components, a ${arg:N} head kept as a first component of its own (compared only
 * with the same head); -1 when too many. */
static int split_as_written(const char *p, comps *out)
{
	const char *close = strncmp(p, "${arg", 5) == 0 ? strchrnul(strchr(p, '}'), '/') - 1 : NULL;

	if (!close)
		return split(p, out);
	if (split(close + 1, out) || out->n == MAX_COMPONENTS)
		return -1;
	memmove(out->c + 1, out->c, out->n * sizeof *out->c);
	memmove(out->len + 1, out->len, out->n * sizeof *out->len);
	out->c[0] = p, out->len[0] = (size_t)(close + 1 - p), out->n++;
	return 0;
}

uint32_t wt_manifest_rules_cover(const wt_mrule *rules, size_t n, const wt_mrule *r)
{
	comps p, c;
	uint32_t have = 0;

	if (split_as_written(r->pattern, &p))
		return 0;
	for (size_t i = 0; i < n && (r->rights & ~have); i++) {
		if (!(rules[i].rights & r->rights & ~have) || (rules[i].only_new && !r->only_new))
			continue;
		if (!strchr(rules[i].pattern, '*')) { /* a literal covers its own pattern only */
			if (!strcmp(rules[i].pattern, r->pattern))
				have |= rules[i].rights;
			continue;
		}
		if (split_as_written(rules[i].pattern, &c))
			continue;
		if (contained(&p, &c))
			have |= rules[i].rights;
	}
	return have & r->rights;
}

/* The pattern with ${arg:N} replaced by the escaped argument, into out. */
static int full_pattern(const wt_enforce_config *cfg, const char *pattern, int k, char *out,
			size_t cap, const char **why)
{
	char lit[PATH_CAP];
	size_t len, n = 0;
	const char *rest;

	if (wt_enforce_instantiate(cfg, pattern, k, lit, &len, &rest))
		return *why = "names no argument of this run", -1;
	for (size_t i = 0; i < len && n + 2 < cap; i++) {
		if (lit[i] == '*' || lit[i] == '\\')
			out[n++] = '\\';
		out[n++] = lit[i];
	}
	if (n + strlen(rest) + 1 > cap)
		return *why = "too long", -1;
	strcpy(out + n, rest);
	return 0;
}

/* The rights of instance p of a rule (rights) that no instance of a ceiling rule covers (a
 * ceiling's `only: new` rule covers only `only: new` rules). */
static uint32_t uncovered_one(const wt_enforce_config *cfg, const comps *p, uint32_t left,
			      int only_new)
{
	const wt_manifest *ce = cfg->ceiling;
	char cfull[PATH_CAP];
	const char *why;
	comps c;

	for (size_t i = 0; i < ce->nfiles && left; i++) {
		if (!(ce->files[i].rights & left) || (ce->files[i].only_new && !only_new))
			continue;
		for (int k = 0; k < wt_enforce_instances(cfg, ce->files[i].pattern); k++)
			if (!full_pattern(cfg, ce->files[i].pattern, k, cfull, sizeof cfull,
					  &why) &&
			    !split(cfull, &c) && contained(p, &c))
				left &= ~ce->files[i].rights;
	}
	return left;
}

/* The rights of rule r that no ceiling rule covers, on any of its instances. */
static uint32_t uncovered(const wt_enforce_config *cfg, const wt_mrule *r, wt_error *err)
{
	char full[PATH_CAP];
	uint32_t left = 0;
	const char *why;
	comps p;

	(void)err;
	for (int k = 0; k < wt_enforce_instances(cfg, r->pattern); k++) {
		if (full_pattern(cfg, r->pattern, k, full, sizeof full, &why))
			continue; /* an instance naming no argument grants nothing */
		left |=
		    split(full, &p) ? r->rights : uncovered_one(cfg, &p, r->rights, r->only_new);
	}
	return left;
}

static int outside(wt_error *err, const wt_enforce_config *cfg, const char *from, const char *what)
{
	return wt_fail_plain(err, WT_DEVIATION, "%s grants %s, which the ceiling %s does not allow",
			     from, what, cfg->ceiling_name ? cfg->ceiling_name : "file");
}

/* m's files rules within the ceiling; from names m in the message, file is its path (or
 * NULL): a rule that breaks it is named at FILE:LINE:COLUMN (a generated manifest, trust's,
 * has no lines). */
static int check_rules(const wt_enforce_config *cfg, const wt_manifest *m, const char *from,
		       const char *file, wt_error *err)
{
	char rights[160], what[PATH_CAP + 200], where[PATH_CAP + 48];

	for (size_t i = 0; i < m->nfiles; i++) {
		const wt_mrule *r = &m->files[i];
		uint32_t left = uncovered(cfg, r, err);

		if (!left)
			continue;
		snprintf(what, sizeof what, "[%s] on %s",
			 wt_rights_format(left, rights, sizeof rights), r->pattern);
		if (r->loc.line && file) /* FILE:LINE:COLUMN: grants ... */
			snprintf(where, sizeof where, "%s:%u:%u:", file, r->loc.line,
				 r->loc.column);
		else if (r->loc.line) /* a file without a name here: its line */
			snprintf(what + strlen(what), sizeof what - strlen(what), " (line %u)",
				 r->loc.line);
		return outside(err, cfg, r->loc.line && file ? where : from, what);
	}
	return 0;
}

static int name_in(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0)
			return 1;
	}
	return 0;
}

static int check_names(const wt_enforce_config *cfg, const char *const *names, size_t n,
		       const char *const *top, size_t ntop, const char *kind, const char *from,
		       wt_error *err)
{
	char what[512];

	for (size_t i = 0; i < n; i++) {
		if (name_in(top, ntop, names[i]))
			continue;
		snprintf(what, sizeof what, "%s %.400s", kind, names[i]);
		return outside(err, cfg, from, what);
	}
	return 0;
}

static int check_mounts(const wt_enforce_config *cfg, const wt_manifest *m, const char *from,
			wt_error *err)
{
	const wt_manifest *ce = cfg->ceiling;
	char what[512];

	for (size_t i = 0; i < m->nmounts; i++) {
		size_t j = 0;

		while (j < ce->nmounts && strcmp(ce->mounts[j].guest, m->mounts[i].guest) != 0)
			j++;
		if (j < ce->nmounts && (m->mounts[i].readonly || !ce->mounts[j].readonly))
			continue;
		snprintf(what, sizeof what, "the mount %.400s (%s)", m->mounts[i].guest,
			 m->mounts[i].readonly ? "ro" : "rw");
		return outside(err, cfg, from, what);
	}
	return 0;
}

/* clocks, random and stdio of m within the ceiling. */
static int check_others(const wt_enforce_config *cfg, const wt_manifest *m, const char *from,
			wt_error *err)
{
	const wt_manifest *ce = cfg->ceiling;
	uint32_t clocks = ce->clock_grant == WT_GRANT_NONE ? 0 : ce->clocks;
	uint32_t mine = m->clock_grant == WT_GRANT_NONE ? 0 : m->clocks;
	char what[64];

	if (mine & ~clocks) {
		snprintf(what, sizeof what, "the clock %s",
			 wt_manifest_clock_name(mine & ~clocks & (0u - (mine & ~clocks))));
		return outside(err, cfg, from, what);
	}
	if (m->random != WT_GRANT_NONE && ce->random == WT_GRANT_NONE)
		return outside(err, cfg, from, "random");
	if (m->stdio & ~ce->stdio) {
		snprintf(
		    what, sizeof what, "stdio %s",
		    wt_manifest_stdio_name(m->stdio & ~ce->stdio & (0u - (m->stdio & ~ce->stdio))));
		return outside(err, cfg, from, what);
	}
	return check_names(cfg, m->sockets, m->nsockets, ce->sockets, ce->nsockets, "socket", from,
			   err);
}

int wt_enforce_check_ceiling(const wt_enforce_config *cfg, wt_error *err)
{
	const wt_manifest *ce = cfg->ceiling, *m = cfg->manifest, *o = cfg->override;
	const char *mname = cfg->manifest_name ? cfg->manifest_name : "the manifest";

	if (check_rules(cfg, m, mname, mname, err) || check_mounts(cfg, m, mname, err) ||
	    check_names(cfg, m->env, m->nenv, ce->env, ce->nenv, "the variable", mname, err) ||
	    check_others(cfg, m, mname, err))
		return err->code;
	if (o && (check_rules(cfg, o, "the override file", cfg->override_name, err) ||
		  check_names(cfg, o->env, o->nenv, ce->env, ce->nenv, "the variable",
			      "the override file", err)))
		return err->code;
	return 0;
}
