/* diff.c: old manifest vs new: one line per added, removed or changed grant. */
#include "diff.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint.h"
#include "wasi.h"

/* A side of the files (or deny) comparison: patterns sorted, rights merged. */
typedef struct prule {
	const char *pattern;
	uint32_t rights;
	int only_new;
} prule;

typedef struct out {
	wt_diff_line_fn line;
	void *ctx;
	size_t n;
} out;

static void emit(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(out *o, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	o->line(o->ctx, buf);
	o->n++;
}

/* By pattern, then plain rules before `only: new` ones: the two are different grants. */
static int by_pattern(const void *a, const void *b)
{
	const prule *x = a, *y = b;
	int c = strcmp(x->pattern, y->pattern);

	return c ? c : x->only_new - y->only_new;
}

/* The rules sorted by pattern with one entry per pattern; NULL when out of memory. */
static prule *merged(const wt_mrule *rules, size_t n, size_t *count)
{
	prule *p = malloc((n ? n : 1) * sizeof *p);
	size_t k = 0;

	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++)
		p[i] = (prule){rules[i].pattern, rules[i].rights, rules[i].only_new};
	qsort(p, n, sizeof *p, by_pattern);
	for (size_t i = 0; i < n; i++) {
		if (k && by_pattern(&p[k - 1], &p[i]) == 0)
			p[k - 1].rights |= p[i].rights;
		else
			p[k++] = p[i];
	}
	*count = k;
	return p;
}

/* The rights of r that rules[0..n) (the other side) grant already, by pattern containment. */
/* One side of the comparison: its rules merged and sorted by pattern (same-pattern lookups
 * by binary search), and its rules with a wildcard (the only ones that cover another
 * pattern), so a comparison costs the number of wildcard rules, not of all rules. */
typedef struct side {
	const prule *p;
	size_t n;
	wt_mrule *wild;
	size_t nwild;
} side;

static int make_side(side *s, const prule *p, size_t n, const wt_mrule *rules, size_t nr)
{
	s->p = p, s->n = n, s->nwild = 0;
	if (!(s->wild = malloc((nr ? nr : 1) * sizeof *s->wild)))
		return -1;
	for (size_t i = 0; i < nr; i++)
		if (strchr(rules[i].pattern, '*'))
			s->wild[s->nwild++] = rules[i];
	return 0;
}

/* The rights of r that side s grants already: its rules of the same pattern (a plain rule
 * covers an `only: new` one, not the reverse), then its wider rules. */
static uint32_t cover(const side *s, const prule *r)
{
	wt_mrule m = {.pattern = r->pattern, .rights = r->rights, .only_new = r->only_new};
	size_t lo = 0, hi = s->n;
	uint32_t have = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(s->p[mid].pattern, r->pattern) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < s->n && !strcmp(s->p[lo].pattern, r->pattern); lo++)
		if (!s->p[lo].only_new || r->only_new)
			have |= s->p[lo].rights;
	if (r->rights & ~have)
		have |= wt_manifest_rules_cover(s->wild, s->nwild, &m);
	return have & r->rights;
}

/* "read, write": the rights as a manifest writes them. */
static const char *rights_text(uint32_t rights, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t b = 1; b; b <<= 1)
		if ((rights & b) && wt_manifest_right_name(b) && n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
					      wt_manifest_right_name(b));
	return buf;
}

/* One line for one rule: `+ P [rights]`, `- P [rights]` or `~ P [was] -> [now]`. */
static void rule_line(out *o, char sign, const char *prefix, const prule *r, uint32_t was,
		      uint32_t now)
{
	char a[160], b[160];

	if (sign == '~')
		emit(o, "~ %s%s [%s] -> [%s]%s", prefix, r->pattern, rights_text(was, a, sizeof a),
		     rights_text(now, b, sizeof b), r->only_new ? " (only new)" : "");
	else
		emit(o, "%c %s%s [%s]%s", sign, prefix, r->pattern,
		     rights_text(sign == '+' ? now : was, a, sizeof a),
		     r->only_new ? " (only new)" : "");
}

/* One line per rule whose rights the other side does not grant: what a rule of the other
 * side covers (the same pattern, or a wider one: `/src/` + `**` covers /src/a.c) is no change. */
static int diff_rules(out *o, const char *prefix, const wt_mrule *ra, size_t na, const wt_mrule *rb,
		      size_t nb)
{
	size_t ca, cb, i = 0, j = 0;
	prule *a = merged(ra, na, &ca), *b = merged(rb, nb, &cb);
	side sa = {0}, sb = {0};

	if (!a || !b || make_side(&sa, a, ca, ra, na) || make_side(&sb, b, cb, rb, nb)) {
		free(a), free(b), free(sa.wild), free(sb.wild);
		return -1;
	}
	while (i < ca || j < cb) {
		int c = i == ca ? 1 : j == cb ? -1 : by_pattern(&a[i], &b[j]);
		uint32_t gone = c <= 0 ? a[i].rights & ~cover(&sb, &a[i]) : 0;
		uint32_t added = c >= 0 ? b[j].rights & ~cover(&sa, &b[j]) : 0;

		if (c == 0 && gone && added)
			rule_line(o, '~', prefix, &a[i], a[i].rights, b[j].rights);
		else if (gone)
			rule_line(o, '-', prefix, &a[i], gone, 0);
		else if (added)
			rule_line(o, '+', prefix, &b[j], 0, added);
		i += c <= 0, j += c >= 0;
	}
	free(a), free(b), free(sa.wild), free(sb.wild);
	return 0;
}

static const wt_mrefusal *find_refusal(const wt_manifest *m, const wt_mrefusal *r)
{
	for (size_t i = 0; i < m->nrefused; i++) {
		if (m->refused[i].call == r->call && strcmp(m->refused[i].pattern, r->pattern) == 0)
			return &m->refused[i];
	}
	return NULL;
}

/* refused: by pattern and call; a changed errno is one `~` line. */
static void diff_refused(out *o, const wt_manifest *a, const wt_manifest *b)
{
	char x[32], y[32];

	for (size_t i = 0; i < a->nrefused; i++) {
		const wt_mrefusal *r = &a->refused[i], *s = find_refusal(b, r);

		wt_manifest_errno_name(r->error, x, sizeof x);
		if (!s)
			emit(o, "- refused %s %s %s", wt_wasi_call_name(r->call), r->pattern, x);
		else if (s->error != r->error)
			emit(o, "~ refused %s %s %s -> %s", wt_wasi_call_name(r->call), r->pattern,
			     x, wt_manifest_errno_name(s->error, y, sizeof y));
	}
	for (size_t i = 0; i < b->nrefused; i++) {
		const wt_mrefusal *s = &b->refused[i];

		if (!find_refusal(a, s))
			emit(o, "+ refused %s %s %s", wt_wasi_call_name(s->call), s->pattern,
			     wt_manifest_errno_name(s->error, x, sizeof x));
	}
}

/* A list of names sorted (then by place), so lookups cost O(log n), not O(n). */
typedef struct placed {
	const char *s;
	size_t i; /* its place in the list */
} placed;

static int by_name(const void *x, const void *y)
{
	const placed *a = x, *b = y;
	int c = strcmp(a->s, b->s);

	return c ? c : (a->i > b->i) - (a->i < b->i);
}

/* v[0..n) sorted; NULL when out of memory. */
static placed *sorted(const char *const *v, size_t n)
{
	placed *p = malloc((n ? n : 1) * sizeof *p);

	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++)
		p[i] = (placed){v[i], i};
	qsort(p, n, sizeof *p, by_name);
	return p;
}

/* The first entry named s, or NULL. */
static const placed *lookup(const placed *p, size_t n, const char *s)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(p[mid].s, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(p[lo].s, s) == 0 ? &p[lo] : NULL;
}

/* The names of v that w lacks, each once, in v's order, as `SIGN KIND NAME`. */
static void names_only_in(out *o, char sign, const char *kind, const char *const *v,
			  const placed *sv, size_t nv, const placed *sw, size_t nw)
{
	for (size_t i = 0; i < nv; i++) {
		if (lookup(sv, nv, v[i])->i == i && !lookup(sw, nw, v[i]))
			emit(o, "%c %s %s", sign, kind, v[i]);
	}
}

static int diff_names(out *o, const char *kind, const char *const *a, size_t na,
		      const char *const *b, size_t nb)
{
	placed *sa = sorted(a, na), *sb = sorted(b, nb);

	if (sa && sb) {
		names_only_in(o, '-', kind, a, sa, na, sb, nb);
		names_only_in(o, '+', kind, b, sb, nb, sa, na);
	}
	free(sa), free(sb);
	return sa && sb ? 0 : -1;
}

static void diff_bits(out *o, const char *kind, uint32_t a, uint32_t b,
		      const char *(*name_of)(uint32_t))
{
	for (uint32_t bit = 1; bit && name_of(bit); bit <<= 1) {
		if ((a ^ b) & bit)
			emit(o, "%c %s %s", b & bit ? '+' : '-', kind, name_of(bit));
	}
}

static const char *grant_name(wt_grant g)
{
	return g == WT_GRANT_FAKE ? "fake" : g == WT_GRANT_REAL ? "real" : "none";
}

/* The mounts' guest paths, sorted; NULL when out of memory. */
static placed *sorted_mounts(const wt_manifest *m)
{
	const char **guests = malloc((m->nmounts ? m->nmounts : 1) * sizeof *guests);
	placed *p;

	if (!guests)
		return NULL;
	for (size_t i = 0; i < m->nmounts; i++)
		guests[i] = m->mounts[i].guest;
	p = sorted(guests, m->nmounts);
	free(guests);
	return p;
}

static const wt_mmount *find_mount(const wt_manifest *m, const placed *sm, const char *guest)
{
	const placed *p = lookup(sm, m->nmounts, guest);

	return p ? &m->mounts[p->i] : NULL;
}

static int diff_mounts(out *o, const wt_manifest *a, const wt_manifest *b)
{
	placed *sa = sorted_mounts(a), *sb = sorted_mounts(b);

	if (!sa || !sb) {
		free(sa), free(sb);
		return -1;
	}
	for (size_t i = 0; i < a->nmounts; i++) {
		const wt_mmount *x = &a->mounts[i], *y = find_mount(b, sb, x->guest);
		if (!y) {
			emit(o, "- mount %s %s (host %s)", x->guest, x->readonly ? "ro" : "rw",
			     x->host);
			continue;
		}
		if (x->readonly != y->readonly)
			emit(o, "~ mount %s %s -> %s", x->guest, x->readonly ? "ro" : "rw",
			     y->readonly ? "ro" : "rw");
		if (strcmp(x->host, y->host) != 0)
			emit(o, "~ mount %s host %s -> %s", x->guest, x->host, y->host);
	}
	for (size_t i = 0; i < b->nmounts; i++) {
		const wt_mmount *y = &b->mounts[i];
		if (!find_mount(a, sa, y->guest))
			emit(o, "+ mount %s %s (host %s)", y->guest, y->readonly ? "ro" : "rw",
			     y->host);
	}
	free(sa), free(sb);
	return 0;
}

static void diff_module(out *o, const wt_manifest *a, const wt_manifest *b)
{
	const char *na = a->module_name ? a->module_name : "",
		   *nb = b->module_name ? b->module_name : "";

	if (strcmp(na, nb) != 0)
		emit(o, "~ module name %s -> %s", *na ? na : "(none)", *nb ? nb : "(none)");
	if (strcmp(a->sha256, b->sha256) != 0)
		emit(o, "~ module sha256 %.12s%s -> %.12s%s", a->sha256[0] ? a->sha256 : "(none)",
		     a->sha256[0] ? ".." : "", b->sha256[0] ? b->sha256 : "(none)",
		     b->sha256[0] ? ".." : "");
}

static void diff_random(out *o, const wt_manifest *a, const wt_manifest *b)
{
	if (a->random == b->random &&
	    (a->random != WT_GRANT_FAKE || a->random_seed == b->random_seed))
		return;
	if (a->random == WT_GRANT_NONE || b->random == WT_GRANT_NONE)
		emit(o, "%c random", b->random == WT_GRANT_NONE ? '-' : '+');
	else if (a->random != b->random)
		emit(o, "~ random %s -> %s", grant_name(a->random), grant_name(b->random));
	else
		emit(o, "~ random seed %" PRIu64 " -> %" PRIu64, a->random_seed, b->random_seed);
}

static void diff_clocks(out *o, const wt_manifest *a, const wt_manifest *b)
{
	uint32_t ca = a->clock_grant == WT_GRANT_NONE ? 0 : a->clocks;
	uint32_t cb = b->clock_grant == WT_GRANT_NONE ? 0 : b->clocks;

	diff_bits(o, "clock", ca, cb, wt_manifest_clock_name);
	if (ca && cb && a->clock_grant != b->clock_grant)
		emit(o, "~ clocks %s -> %s", grant_name(a->clock_grant),
		     grant_name(b->clock_grant));
}

/* Exit codes as text, so diff_names compares them; at most 64 of each. */
static int diff_exit(out *o, const wt_manifest *a, const wt_manifest *b)
{
	enum { MAX = 64 };
	char ta[MAX][12], tb[MAX][12];
	const char *sa[MAX], *sb[MAX];
	size_t na = a->nexit_codes < MAX ? a->nexit_codes : MAX;
	size_t nb = b->nexit_codes < MAX ? b->nexit_codes : MAX;

	for (size_t i = 0; i < na; i++)
		snprintf(ta[i], sizeof ta[i], "%d", (int)a->exit_codes[i]), sa[i] = ta[i];
	for (size_t i = 0; i < nb; i++)
		snprintf(tb[i], sizeof tb[i], "%d", (int)b->exit_codes[i]), sb[i] = tb[i];
	return diff_names(o, "exit_code", sa, na, sb, nb);
}

static void diff_limits(out *o, const wt_manifest_limits *a, const wt_manifest_limits *b)
{
	if (a->memory != b->memory)
		emit(o, "~ limit memory %" PRIu64 " -> %" PRIu64, a->memory, b->memory);
	if (a->fuel != b->fuel)
		emit(o, "~ limit fuel %" PRIu64 " -> %" PRIu64, a->fuel, b->fuel);
	if (a->time != b->time)
		emit(o, "~ limit time %g -> %g", a->time, b->time);
}

size_t wt_manifest_diff(const wt_manifest *a, const wt_manifest *b, wt_diff_line_fn line, void *ctx)
{
	out o = {line, ctx, 0};

	diff_module(&o, a, b);
	if (diff_mounts(&o, a, b))
		return (size_t)-1;
	if (strcmp(wt_manifest_cwd(a), wt_manifest_cwd(b)) != 0)
		emit(&o, "~ cwd %s -> %s", wt_manifest_cwd(a), wt_manifest_cwd(b));
	if (diff_rules(&o, "", a->files, a->nfiles, b->files, b->nfiles) ||
	    diff_rules(&o, "deny ", a->deny, a->ndeny, b->deny, b->ndeny) ||
	    diff_names(&o, "absent", a->absent, a->nabsent, b->absent, b->nabsent))
		return (size_t)-1;
	diff_refused(&o, a, b);
	if (diff_names(&o, "env", a->env, a->nenv, b->env, b->nenv))
		return (size_t)-1;
	diff_clocks(&o, a, b);
	diff_random(&o, a, b);
	diff_bits(&o, "stdio", a->stdio, b->stdio, wt_manifest_stdio_name);
	if (diff_exit(&o, a, b) ||
	    diff_names(&o, "socket", a->sockets, a->nsockets, b->sockets, b->nsockets))
		return (size_t)-1;
	diff_limits(&o, &a->limits, &b->limits);
	if (a->on_deviation != b->on_deviation)
		emit(&o, "~ on_deviation %s -> %s", wt_manifest_on_deviation_name(a->on_deviation),
		     wt_manifest_on_deviation_name(b->on_deviation));
	return o.n;
}
