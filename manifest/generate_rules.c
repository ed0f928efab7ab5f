/* generate_rules.c: generate's second pass: merged paths -> the fewest rules, absent, comments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generate_impl.h"
#include "grow.h"
#include "wasi_flags.h"

typedef enum {
	R_EXACT,   /* a path that was there before the run */
	R_ARG,	   /* ${arg:N}[/rest] */
	R_CREATED, /* folder + `*`: files the run created (`only: new` unless the run made it);
		    * `${argdir}/\*` in the folder of an argument's path (argdir, argex) */
	R_DIR,	   /* folder + `*`: WT_GEN_SIBLINGS or more siblings alike */
	R_TREE,	   /* folder + `**`: rules alike in several folders below it */
	R_KEPT,	   /* a path the run created and left there: a later run may write it again */
	R_TAKEN,   /* `only: new`: a name the run created exclusively and found there (EEXIST) */
} rule_kind;

typedef struct grule {
	const char *pattern;
	size_t len;
	uint32_t rights;
	rule_kind kind;
	int arg;	     /* R_ARG: N */
	const char *example; /* R_ARG: the recorded argument; else the first path covered */
	size_t elen;
	size_t count;	   /* paths covered (R_CREATED, R_DIR, R_TREE) */
	size_t probes;	   /* R_CREATED: missing names probed in the folder */
	size_t taken;	   /* R_CREATED: names there already (EEXIST) */
	int argdir;	   /* R_CREATED `${argdir}/\*`: the argument of the first path */
	const char *argex; /* ... as it was recorded */
	int only_new;
	int dropped;
} grule;

typedef struct apath {
	const char *key;
	size_t len;
	uint32_t rights;
	int merged; /* folded into a created folder's rule */
} apath;

typedef struct builder {
	grule *v;
	size_t n, cap;
	wt_gen_table index[2]; /* pattern -> index into v: [0] plain rules, [1] `only: new` */
	const wt_gen_table *merged;
	apath *absent;
	size_t nabsent;
	wt_arena arena; /* patterns and comments until they are copied into the manifest */
	char *scratch;	/* lookups: one pattern at a time */
	size_t scratch_cap;
} builder;

/* ---- small helpers ---- */

/* The length of the arg head "${arg:N}" at the start of p, or 0. */
static size_t arg_head(const char *p, size_t len)
{
	const char *close = len > 5 && strncmp(p, "${arg", 5) == 0 ? memchr(p, '}', len) : NULL;

	return close ? (size_t)(close - p) + 1 : 0;
}

/* The length of p's folder, or -1 when it has none (`${arg:N}`, "/"). */
static long parent_len(const char *p, size_t len)
{
	size_t head = arg_head(p, len);

	for (size_t i = len; i > head; i--)
		if (p[i - 1] == '/')
			return i - 1 == 0 && len == 1 ? -1 : (long)(i - 1);
	return -1;
}

static char *join(wt_arena *a, const char *p, size_t len, const char *tail)
{
	size_t tlen = strlen(tail);
	char *s = wt_arena_calloc(a, 1, len + tlen + 1);

	if (s) {
		memcpy(s, p, len);
		memcpy(s + len, tail, tlen);
	}
	return s;
}

/* p[0..len) + tail in the builder's scratch buffer (valid until the next
 * call); NULL when out of memory. */
static const char *scratch(builder *b, const char *p, size_t len, const char *tail)
{
	size_t tlen = strlen(tail);

	if (WT_GROW(&b->scratch, &b->scratch_cap, len + tlen + 1, 2 * (len + tlen + 1)))
		return NULL;
	memcpy(b->scratch, p, len);
	memcpy(b->scratch + len, tail, tlen + 1);
	return b->scratch;
}

static grule *find_rule(builder *b, const char *pattern, size_t len, int only_new)
{
	wt_gen_path *p = wt_gen_table_find(&b->index[only_new], pattern, len);

	return p ? &b->v[p->index] : NULL;
}

/* The rule of pattern, plain or `only: new`, whichever there is (plain first). */
static grule *find_any(builder *b, const char *pattern, size_t len)
{
	grule *r = find_rule(b, pattern, len, 0);

	return r ? r : find_rule(b, pattern, len, 1);
}

/* The rule of pattern (copied by the caller), rights added; NULL when out of memory. */
static grule *add_rule(builder *b, const char *pattern, size_t len, uint32_t rights, rule_kind kind,
		       int only_new)
{
	wt_gen_path *p;
	grule *r;

	if ((r = find_rule(b, pattern, len, only_new))) {
		r->rights |= rights;
		return r;
	}
	if (WT_GROW(&b->v, &b->cap, b->n + 1, 64))
		return NULL;
	if (!(p = wt_gen_table_get(&b->index[only_new], pattern, len)))
		return NULL;
	p->index = b->n;
	r = &b->v[b->n++];
	memset(r, 0, sizeof *r);
	r->pattern = pattern, r->len = len, r->rights = rights, r->kind = kind;
	r->only_new = only_new;
	return r;
}

/* Keeps the smallest example (the same whatever order paths come in). */
static void note_example(grule *r, const char *p, size_t len)
{
	if (!r->example || wt_gen_path_ncmp(p, len, r->example, r->elen) < 0)
		r->example = p, r->elen = len;
}

/* ---- seeding: one rule or absent entry per merged path ---- */

/* 1 when the folder key[0..len) is one a run made and no run found there: nothing in it
 * was there before the recorded runs, so what is below it is the runs' own. */
static int made_folder(const builder *b, const char *key, size_t len)
{
	const wt_gen_path *f = wt_gen_table_find(b->merged, key, len);
	const uint32_t made = WT_GEN_CREATED | WT_GEN_MKDIR;

	return f && (f->bits & (made | WT_GEN_EXISTED | WT_GEN_ABSENT)) == made;
}

/* An exact rule on e's own path (${arg:N} when an argument names it). */
static int seed_exact(builder *b, const wt_gen_path *e, uint32_t rights, rule_kind kind)
{
	grule *r = add_rule(b, e->key, e->len, rights, e->arg ? R_ARG : kind, kind == R_TAKEN);

	if (!r)
		return -1;
	r->arg = e->arg;
	if (e->arg)
		r->example = e->example;
	return 0;
}

/* 1 when every run that created the file e made it directly in the folder of one of its
 * arguments' paths (argdir_of, generate_events.c), a folder that was there before: then
 * `${argdir}/\*`, `only: new`, follows the argument to its folder (the evidence: the
 * argument, in the rule's comment). Never for a folder the runs made, nor for e's exact
 * name: a file that was there before a run stays out of it. */
static int in_argdir(const wt_gen_path *e, int made)
{
	return !made && (e->bits & (WT_GEN_ARGDIR | WT_GEN_NOARGDIR)) == WT_GEN_ARGDIR;
}

/* A created path: its folder's `*` (`only: new` unless the runs made that folder; the
 * argument's folder, in_argdir), every right used on it, failed calls and taken names
 * included (they act on the runs' own new entries); and, in a folder that was there
 * before, its exact name with the rights that succeeded when a run kept it (a later run
 * may make it again over the last one's) or another run found it there. */
static int seed_created(builder *b, const wt_gen_path *e)
{
	long plen = parent_len(e->key, e->len);
	int made, argdir;
	const char *pat;
	grule *r;

	if (plen < 0) /* ${arg:N} itself: the argument names it */
		return seed_exact(b, e, e->crights | e->rights, R_ARG);
	made = made_folder(b, e->key, (size_t)plen);
	argdir = in_argdir(e, made);
	pat = argdir ? "${argdir}/*" : join(&b->arena, e->key, (size_t)plen, "/*");
	if (!pat || !(r = add_rule(b, pat, strlen(pat), e->crights | e->frights | e->xrights,
				   R_CREATED, !made)))
		return -1;
	r->count++;
	note_example(r, e->key, e->len);
	if (argdir && (!r->argdir || r->example == e->key))
		r->argdir = e->argdir, r->argex = e->argex;
	if (made)
		return 0;
	if (e->bits & WT_GEN_KEPT)
		return seed_exact(b, e, e->crights | e->rights, R_KEPT);
	return e->rights ? seed_exact(b, e, e->rights, R_EXACT) : 0;
}

static int seed_one(builder *b, const wt_gen_path *e)
{
	if (e->bits == WT_GEN_ABSENT) {
		apath *a = &b->absent[b->nabsent++];

		a->key = e->key, a->len = e->len, a->rights = e->frights, a->merged = 0;
		return 0;
	}
	if (e->bits & WT_GEN_CREATED)
		return seed_created(b, e);
	return e->rights ? seed_exact(b, e, e->rights, R_EXACT) : 0;
}

static int cmp_apath(const void *x, const void *y)
{
	const apath *a = x, *b = y;

	return wt_gen_path_ncmp(a->key, a->len, b->key, b->len);
}

static int seed(builder *b, const wt_gen_table *merged)
{
	if (merged->count && !(b->absent = calloc(merged->count, sizeof *b->absent)))
		return -1;
	for (size_t i = 0; i < merged->cap; i++)
		if (merged->slots[i].key && seed_one(b, &merged->slots[i]))
			return -1;
	if (b->nabsent)
		qsort(b->absent, b->nabsent, sizeof *b->absent, cmp_apath);
	return 0;
}

/* Names that were there when a run created them exclusively (EEXIST, not created): in a
 * folder where the runs create, that folder's rule; else an `only: new` rule of their own. */
static int seed_taken(builder *b, const wt_gen_table *merged)
{
	for (size_t i = 0; i < merged->cap; i++) {
		const wt_gen_path *e = &merged->slots[i];
		long plen;
		const char *pat;
		grule *r;

		if (!e->key || !e->xrights || (e->bits & WT_GEN_CREATED))
			continue;
		plen = parent_len(e->key, e->len);
		if (plen >= 0 && !(pat = scratch(b, e->key, (size_t)plen, "/*")))
			return -1;
		if (plen >= 0 && (r = find_any(b, pat, (size_t)plen + 2)) && r->kind == R_CREATED) {
			r->rights |= e->xrights;
			r->taken++;
		} else if (seed_exact(b, e, e->xrights, R_TAKEN)) {
			return -1;
		}
	}
	return 0;
}

/* A missing name probed in a folder where the run creates files is one
 * of the run's own names: the folder's rule covers it. */
static int fold_probes(builder *b)
{
	for (size_t i = 0; i < b->nabsent; i++) {
		apath *a = &b->absent[i];
		long plen = parent_len(a->key, a->len);
		const char *pat;
		grule *r;

		if (plen < 0)
			continue;
		if (!(pat = scratch(b, a->key, (size_t)plen, "/*")))
			return -1;
		if ((r = find_any(b, pat, (size_t)plen + 2)) && r->kind == R_CREATED) {
			r->rights |= a->rights;
			r->probes++;
			a->merged = 1;
		}
	}
	return 0;
}

/* 1 when an absent path lies below folder[0..len) (direct: only right below). */
static int absent_below(const builder *b, const char *folder, size_t len, int direct)
{
	size_t lo = 0, hi = b->nabsent;

	/* absent is sorted with '/' first: names below "folder/" follow it */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const apath *a = &b->absent[mid];

		if (wt_gen_path_ncmp(a->key, a->len, folder, len) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < b->nabsent; lo++) {
		const apath *a = &b->absent[lo];

		if (a->len <= len + 1 || memcmp(a->key, folder, len) != 0 || a->key[len] != '/')
			return 0;
		if (a->merged)
			continue;
		if (!direct || !memchr(a->key + len + 1, '/', a->len - len - 1))
			return 1;
	}
	return 0;
}

/* ---- granularity dir: siblings alike -> one rule on the folder's `*` ---- */

typedef struct item {
	size_t idx;  /* into b->v */
	size_t plen; /* its folder's length */
	const grule *r;
} item;

static int cmp_sibling(const void *x, const void *y)
{
	const item *a = x, *b = y;
	int c = wt_gen_path_ncmp(a->r->pattern, a->plen, b->r->pattern, b->plen);

	if (c)
		return c;
	if (a->r->rights != b->r->rights)
		return a->r->rights < b->r->rights ? -1 : 1;
	return wt_gen_path_ncmp(a->r->pattern, a->r->len, b->r->pattern, b->r->len);
}

/* Merges items[lo, hi) (one folder, the same rights) into the folder's `*`.
 * (b->v may move here: items are read through their index.) */
static int merge_siblings(builder *b, const item *items, size_t lo, size_t hi)
{
	const char *first = b->v[items[lo].idx].pattern;
	size_t plen = items[lo].plen, flen = b->v[items[lo].idx].len;
	uint32_t rights = b->v[items[lo].idx].rights;
	const char *pat;
	char *copy;
	grule *r;

	if (hi - lo < WT_GEN_SIBLINGS || absent_below(b, first, plen, 1))
		return 0;
	if (!(pat = scratch(b, first, plen, "/*")))
		return -1;
	if (find_any(b, pat, plen + 2))
		return 0; /* created files there: never widen their rule */
	if (!(copy = join(&b->arena, first, plen, "/*")) ||
	    !(r = add_rule(b, copy, plen + 2, rights, R_DIR, 0)))
		return -1;
	r->count = hi - lo;
	r->example = first, r->elen = flen;
	for (size_t i = lo; i < hi; i++)
		b->v[items[i].idx].dropped = 1;
	return 0;
}

/* 1 when items a and c are in the same folder with the same rights. */
static int same_group(const builder *b, const item *a, const item *c)
{
	const grule *x = &b->v[a->idx], *y = &b->v[c->idx];

	return a->plen == c->plen && x->rights == y->rights &&
	       memcmp(x->pattern, y->pattern, a->plen) == 0;
}

/* Rights that change what is there: a rule granting any stays on its exact path (or on
 * what the runs created), never widened to names that may hold what was there before. */
enum {
	WRITES = WT_RIGHT_WRITE | WT_RIGHT_CREATE | WT_RIGHT_DELETE | WT_RIGHT_RENAME |
		 WT_RIGHT_LINK | WT_RIGHT_SYMLINK | WT_RIGHT_SET_TIMES | WT_RIGHT_TRUNCATE,
};

/* 1 when r may be widened with rules alike: a plain rule that changes nothing. */
static int widens(const grule *r)
{
	return !r->dropped && !r->only_new && !(r->rights & WRITES);
}

static int merge_dirs(builder *b)
{
	size_t n = 0, total = b->n;
	item *items = malloc((total ? total : 1) * sizeof *items);
	int rc = 0;

	if (!items)
		return -1;
	for (size_t i = 0; i < total; i++) {
		long plen = parent_len(b->v[i].pattern, b->v[i].len);

		if (widens(&b->v[i]) && (b->v[i].kind == R_EXACT || b->v[i].kind == R_ARG) &&
		    plen >= 0)
			items[n++] = (item){i, (size_t)plen, &b->v[i]};
	}
	qsort(items, n, sizeof *items, cmp_sibling); /* before b->v can move */
	for (size_t lo = 0, hi; !rc && lo < n; lo = hi) {
		for (hi = lo + 1; hi < n && same_group(b, &items[lo], &items[hi]); hi++)
			;
		rc = merge_siblings(b, items, lo, hi);
	}
	free(items);
	return rc;
}

/* ---- granularity tree: rules alike in several folders -> the folder's `**` ---- */

static int cmp_tree(const void *x, const void *y)
{
	const grule *a = ((const item *)x)->r, *b = ((const item *)y)->r;

	if (a->rights != b->rights)
		return a->rights < b->rights ? -1 : 1;
	return wt_gen_path_ncmp(a->pattern, a->len, b->pattern, b->len);
}

/* The length of the deepest folder holding both a and b (0: only "/"). */
static size_t common_folder(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen, l = 0;

	while (l < n && a[l] == b[l])
		l++;
	if ((l == alen || a[l] == '/') && (l == blen || b[l] == '/'))
		return l;
	while (l > 0 && a[l - 1] != '/')
		l--;
	return l ? l - 1 : 0;
}

/* The component of p right after its first flen bytes: [*start, end). */
static size_t next_component(const char *p, size_t len, size_t flen, size_t *start)
{
	const char *slash;

	*start = flen < len && p[flen] == '/' ? flen + 1 : flen;
	slash = memchr(p + *start, '/', len - *start);
	return slash ? (size_t)(slash - p) : len;
}

static int tree_range(builder *b, const item *items, size_t lo, size_t hi);

/* Tries each group of items[lo, hi) sharing the component after flen. */
static int tree_split(builder *b, const item *items, size_t lo, size_t hi, size_t flen)
{
	while (lo < hi) {
		const grule *x = &b->v[items[lo].idx];
		size_t xs, xe = next_component(x->pattern, x->len, flen, &xs), next = lo + 1;

		for (; next < hi; next++) {
			const grule *y = &b->v[items[next].idx];
			size_t ys, ye = next_component(y->pattern, y->len, flen, &ys);

			if (xe - xs != ye - ys || memcmp(x->pattern + xs, y->pattern + ys, xe - xs))
				break;
		}
		if (tree_range(b, items, lo, next))
			return -1;
		lo = next;
	}
	return 0;
}

/* Replaces items[lo, hi), all below folder[0..flen), with the folder's `**`. */
static int tree_collapse(builder *b, const item *items, size_t lo, size_t hi, size_t flen)
{
	const grule *first = &b->v[items[lo].idx];
	const char *ex = first->pattern;
	size_t elen = first->len;
	uint32_t rights = first->rights;
	char *pat = join(&b->arena, first->pattern, flen, "/**");
	grule *r;

	if (!pat || !(r = add_rule(b, pat, flen + 3, rights, R_TREE, 0)))
		return -1;
	r->kind = R_TREE;
	r->count += hi - lo;
	note_example(r, ex, elen);
	for (size_t i = lo; i < hi; i++)
		b->v[items[i].idx].dropped = 1;
	return 0;
}

static int tree_range(builder *b, const item *items, size_t lo, size_t hi)
{
	const grule *x, *y;
	size_t flen;
	int deeper = 0;

	if (hi - lo < 2)
		return 0;
	x = &b->v[items[lo].idx], y = &b->v[items[hi - 1].idx];
	flen = common_folder(x->pattern, x->len, y->pattern, y->len);
	if (x->len == flen) /* the folder itself: `**` does not cover it */
		x = &b->v[items[++lo].idx];
	if (hi - lo < 2)
		return 0;
	if (flen == 0 || absent_below(b, x->pattern, flen, 0))
		return tree_split(b, items, lo, hi, flen);
	for (size_t i = lo; i < hi && !deeper; i++) {
		const grule *r = &b->v[items[i].idx];

		deeper = memchr(r->pattern + flen + 1, '/', r->len - flen - 1) != NULL;
	}
	return deeper ? tree_collapse(b, items, lo, hi, flen) : 0; /* one folder: dir's call */
}

static int merge_trees(builder *b)
{
	size_t n = 0, total = b->n;
	item *items = malloc((total ? total : 1) * sizeof *items);
	int rc = 0;

	if (!items)
		return -1;
	for (size_t i = 0; i < total; i++)
		if (widens(&b->v[i]) && parent_len(b->v[i].pattern, b->v[i].len) >= 0)
			items[n++] = (item){i, 0, &b->v[i]};
	qsort(items, n, sizeof *items, cmp_tree); /* before b->v can move */
	for (size_t lo = 0, hi; !rc && lo < n; lo = hi) {
		uint32_t rights = b->v[items[lo].idx].rights;

		for (hi = lo + 1; hi < n && b->v[items[hi].idx].rights == rights; hi++)
			;
		rc = tree_range(b, items, lo, hi);
	}
	free(items);
	return rc;
}

/* ---- minimal: drop a rule another one covers with at least its rights ---- */

/* 1 when the rule p[0..len) + tail (h: the hash of p[0..len)) is kept, not r,
 * grants at least r's rights, and is plain unless r is `only: new` too (a
 * new-only rule covers nothing that was there before). */
static int covered_by(const builder *b, const grule *r, uint64_t h, const char *p, size_t len,
		      const char *tail)
{
	size_t tlen = strlen(tail);
	uint64_t ht = wt_gen_hash_more(h, tail, tlen);

	for (int k = 0; k <= r->only_new; k++) {
		const wt_gen_path *e = wt_gen_table_find2(&b->index[k], ht, p, len, tail, tlen);
		const grule *s = e ? &b->v[e->index] : NULL;

		if (s && s != r && !s->dropped && (s->rights & r->rights) == r->rights)
			return 1;
	}
	return 0;
}

/* Drops r when its folder's `*` or the `**` of a folder above covers it; the
 * prefixes are hashed as the walk goes, so a deep path costs its length. */
static int subsume_one(builder *b, grule *r)
{
	long plen = parent_len(r->pattern, r->len);
	uint64_t h = WT_GEN_HASH_START;

	if (plen < 0)
		return 0;
	if ((r->kind == R_EXACT || r->kind == R_ARG || r->kind == R_KEPT || r->kind == R_TAKEN) &&
	    covered_by(b, r, wt_gen_hash_more(h, r->pattern, (size_t)plen), r->pattern,
		       (size_t)plen, "/*"))
		return r->dropped = 1, 0;
	for (size_t i = 0; i < r->len; i++) {
		if (r->pattern[i] == '/' && covered_by(b, r, h, r->pattern, i, "/**"))
			return r->dropped = 1, 0;
		h = wt_gen_hash_more(h, r->pattern + i, 1);
	}
	return 0;
}

static int subsume(builder *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (!b->v[i].dropped && subsume_one(b, &b->v[i]))
			return -1;
	return 0;
}

/* ---- into the manifest ---- */

/* Appends s[0..len) to buf (at most 60 bytes of it), control bytes as '?'. */
static void put_example(char *buf, size_t size, const char *s, size_t len)
{
	size_t at = strlen(buf), cut = len > 60 ? 57 : len;

	for (size_t i = 0; i < cut && at + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[at++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	buf[at] = '\0';
	if (cut < len && at + 4 < size)
		strcat(buf, "...");
}

/* The last component of r's example (or the part below its folder for `**`). */
static const char *example_tail(const grule *r, size_t *len)
{
	long flen = r->kind == R_TREE ? (long)r->len - 3 : parent_len(r->example, r->elen);

	if (flen < 0 || (size_t)flen + 1 >= r->elen) {
		*len = r->elen;
		return r->example;
	}
	*len = r->elen - (size_t)flen - 1;
	return r->example + flen + 1;
}

/* The rest of a created folder's comment: names probed, names taken, what it grants. */
static void created_counts(const grule *r, char *buf, size_t size)
{
	size_t at = strlen(buf);

	if (r->probes)
		at += (size_t)snprintf(buf + at, size - at, "; %zu missing name%s probed there",
				       r->probes, r->probes == 1 ? "" : "s");
	if (r->taken && at < size)
		at += (size_t)snprintf(buf + at, size - at, "; %zu name%s there already", r->taken,
				       r->taken == 1 ? "" : "s");
	if (r->only_new && at < size)
		snprintf(buf + at, size - at, "; only what a run creates");
}

/* The evidence of an argument rule: which head, which argument it was recorded with. */
static void arg_comment(const grule *r, int plain, char *buf, size_t size)
{
	size_t head = arg_head(r->pattern, r->len);
	int derived = head < r->len && r->pattern[head] != '/';

	if (derived)
		snprintf(buf, size,
			 "named after a path given as an argument (recorded: argument %d, ",
			 r->arg);
	else if (r->pattern[5] == '}')
		snprintf(buf, size,
			 "%s given as an argument, at any position (recorded: argument %d, ",
			 plain ? "a path" : "below a folder", r->arg);
	else if (r->pattern[6] == '-')
		snprintf(buf, size,
			 "%s the path given after %.*s (recorded: ", plain ? "" : "below",
			 (int)(head - 7), r->pattern + 6);
	else
		snprintf(buf, size,
			 "%s argument %d (recorded: ", plain ? "the path named by" : "below",
			 r->arg);
	if (buf[0] == ' ')
		memmove(buf, buf + 1, strlen(buf));
	put_example(buf, size, r->example ? r->example : "", r->example ? strlen(r->example) : 0);
	strncat(buf, ")", size - strlen(buf) - 1);
}

static void comment_of(const grule *r, char *buf, size_t size)
{
	const char *ex;
	size_t elen, plain = r->len == arg_head(r->pattern, r->len);

	buf[0] = '\0';
	switch (r->kind) {
	case R_ARG:
		arg_comment(r, plain, buf, size);
		return;
	case R_CREATED:
		if (r->argdir) {
			snprintf(buf, size,
				 "created by the run beside a path given as an argument, at any "
				 "position, new names each run (recorded: argument %d, ",
				 r->argdir);
			put_example(buf, size, r->argex, strlen(r->argex));
			snprintf(buf + strlen(buf), size - strlen(buf), "; %zu seen, e.g. ",
				 r->count);
			break;
		}
		snprintf(buf, size, "created by the run%s, new names each run (%zu seen, e.g. ",
			 r->only_new ? "" : " in a folder it made", r->count);
		break;
	case R_KEPT:
		snprintf(buf, size,
			 "made by the run and left there: a later run may make it again");
		return;
	case R_TAKEN:
		snprintf(buf, size, "there already when the run created it exclusively (EEXIST)");
		return;
	case R_DIR:
		snprintf(buf, size, "%zu files alike in this folder, %d or more become * (e.g. ",
			 r->count, WT_GEN_SIBLINGS);
		break;
	case R_TREE:
		snprintf(buf, size, "%zu rules alike below this folder, granularity tree (e.g. ",
			 r->count);
		break;
	default:
		return;
	}
	ex = example_tail(r, &elen);
	put_example(buf, size, ex, elen);
	strncat(buf, ")", size - strlen(buf) - 1);
	if (r->kind == R_CREATED)
		created_counts(r, buf, size);
}

/* By path, a plain rule before an `only: new` one on the same pattern. */
static int cmp_rule_ptr(const void *x, const void *y)
{
	const grule *a = *(const grule *const *)x, *b = *(const grule *const *)y;
	int c = wt_gen_path_ncmp(a->pattern, a->len, b->pattern, b->len);

	return c ? c : a->only_new - b->only_new;
}

static int emit_rules(builder *b, wt_manifest *m, wt_error *err)
{
	size_t n = 0;
	const grule **keep = malloc((b->n ? b->n : 1) * sizeof *keep);
	char text[256];
	int rc = 0;

	if (!keep)
		return wt_fail_plain(err, WT_NOMEM, "generate: out of memory");
	for (size_t i = 0; i < b->n; i++)
		if (!b->v[i].dropped)
			keep[n++] = &b->v[i];
	qsort(keep, n, sizeof *keep, cmp_rule_ptr);
	for (size_t i = 0; !rc && i < n; i++) {
		wt_mrule r = {.pattern = keep[i]->pattern,
			      .rights = keep[i]->rights,
			      .only_new = keep[i]->only_new};

		comment_of(keep[i], text, sizeof text);
		r.comment = text[0] ? text : NULL;
		rc = wt_manifest_add_mrule(m, &r, err);
	}
	free(keep);
	return rc;
}

static int emit_absent(builder *b, wt_manifest *m, wt_error *err)
{
	size_t n = 0;

	for (size_t i = 0; i < b->nabsent; i++)
		n += !b->absent[i].merged;
	if (!n)
		return 0;
	if (!(m->absent = wt_arena_calloc(&m->arena, n, sizeof *m->absent)))
		return wt_fail_plain(err, WT_NOMEM, "generate: out of memory");
	for (size_t i = 0; i < b->nabsent; i++) {
		const apath *a = &b->absent[i];
		char *s;

		if (a->merged)
			continue;
		if (!(s = wt_arena_strndup(&m->arena, a->key, a->len)))
			return wt_fail_plain(err, WT_NOMEM, "generate: out of memory");
		m->absent[m->nabsent++] = s;
	}
	return 0;
}

/* ---- refused: calls the host refused, but where a rule or absent already answers ---- */

/* 1 when the refusal r (call byte + merged key) needs no entry: an ENOENT on a path that
 * `absent` answers, or on a path a run created and removed, whose name the created
 * folder's rule covers while it does not exist (the host answers ENOENT again). A call on
 * two paths keeps its entry: its second path may be covered by nothing. */
static int refusal_answered(const builder *b, const wt_gen_path *r)
{
	const wt_gen_path *e = wt_gen_table_find(b->merged, r->key + 1, r->len - 1);
	wt_wasi_call call = (wt_wasi_call)(unsigned char)r->key[0];

	if (!e || r->rights != WT_ENOENT)
		return 0;
	if (e->bits == WT_GEN_ABSENT)
		return 1;
	return (e->bits & WT_GEN_CREATED) && call != WT_WASI_path_rename &&
	       call != WT_WASI_path_link;
}

static int cmp_refusal(const void *x, const void *y)
{
	const wt_gen_path *a = *(const wt_gen_path *const *)x, *b = *(const wt_gen_path *const *)y;
	int c = wt_gen_path_ncmp(a->key + 1, a->len - 1, b->key + 1, b->len - 1);

	return c ? c : (unsigned char)a->key[0] - (unsigned char)b->key[0];
}

static int emit_refused(builder *b, const wt_gen_table *refused, wt_manifest *m, wt_error *err)
{
	const wt_gen_path **v = malloc((refused->count ? refused->count : 1) * sizeof *v);
	size_t n = 0;
	int rc = 0;

	if (!v)
		return wt_fail_plain(err, WT_NOMEM, "generate: out of memory");
	for (size_t i = 0; i < refused->cap; i++)
		if (refused->slots[i].key && !refusal_answered(b, &refused->slots[i]))
			v[n++] = &refused->slots[i];
	qsort(v, n, sizeof *v, cmp_refusal);
	for (size_t i = 0; !rc && i < n; i++)
		rc = wt_manifest_add_refusal(m, v[i]->key + 1,
					     (wt_wasi_call)(unsigned char)v[i]->key[0],
					     (uint16_t)v[i]->rights, err);
	free(v);
	return rc;
}

int wt_gen_build_rules(const wt_gen_table *merged, const wt_gen_misc *misc, wt_gen_granularity g,
		       wt_manifest *m, wt_error *err)
{
	builder b;
	int rc;

	memset(&b, 0, sizeof b);
	b.merged = merged;
	wt_gen_table_init(&b.index[0]);
	wt_gen_table_init(&b.index[1]);
	wt_arena_init(&b.arena);
	rc = seed(&b, merged) || seed_taken(&b, merged) || fold_probes(&b);
	if (!rc && g != WT_GEN_EXACT)
		rc = merge_dirs(&b);
	if (!rc && g == WT_GEN_TREE)
		rc = merge_trees(&b);
	rc = rc || subsume(&b);
	if (rc)
		rc = wt_fail_plain(err, WT_NOMEM, "generate: out of memory");
	else if (!(rc = emit_rules(&b, m, err)) && !(rc = emit_absent(&b, m, err)))
		rc = emit_refused(&b, &misc->refused, m, err);
	free(b.v);
	free(b.absent);
	free(b.scratch);
	wt_gen_table_fini(&b.index[0]);
	wt_gen_table_fini(&b.index[1]);
	wt_arena_fini(&b.arena);
	return rc;
}
