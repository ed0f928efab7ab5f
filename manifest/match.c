/* match.c: the pattern trie: build from patterns, look a guest path up in O(its length). */
#include "match.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "grow.h"

enum { NONE = 0 }; /* node 0 is the root, so 0 never names a child */

typedef struct node {
	uint32_t exact; /* rights of patterns ending here */
	uint32_t below; /* rights of a final `**` here: any path strictly below */
	uint32_t star;	/* the `*` child, or NONE */
	uint32_t glob;	/* first glob child (index into globs + 1), or NONE */
} node;

/* A component with a wildcard inside (`*.o`), unescaped, each unescaped `*`
 * written as a NUL byte (no name holds one): the literal pieces between the
 * stars, matched in time linear in the name and the pattern. */
typedef struct glob {
	const char *pat;
	size_t len;
	uint32_t child, next; /* next: index + 1, or NONE */
} glob;

/* A literal edge: parent --component--> child. */
typedef struct edge {
	uint32_t parent, child; /* child NONE: empty slot */
	const char *name;
	size_t len;
} edge;

struct wt_match {
	wt_arena strings;
	node *nodes;
	size_t nnodes, capnodes;
	glob *globs;
	size_t nglobs, capglobs;
	edge *edges; /* open addressing, capacity a power of two */
	size_t nedges, capedges;
	size_t npatterns;
};

wt_match *wt_match_new(void)
{
	wt_match *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	wt_arena_init(&t->strings);
	t->capnodes = 16;
	t->capedges = 64;
	t->nodes = calloc(t->capnodes, sizeof *t->nodes);
	t->edges = calloc(t->capedges, sizeof *t->edges);
	if (!t->nodes || !t->edges) {
		wt_match_free(t);
		return NULL;
	}
	t->nnodes = 1; /* the root */
	return t;
}

void wt_match_free(wt_match *t)
{
	if (!t)
		return;
	wt_arena_fini(&t->strings);
	free(t->nodes);
	free(t->globs);
	free(t->edges);
	free(t);
}

size_t wt_match_count(const wt_match *t)
{
	return t->npatterns;
}

static uint64_t hash(uint32_t parent, const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull ^ parent;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h ^ (h >> 29);
}

/* The slot of edge (parent, name): its own, or the empty one it would take. */
static edge *slot(const wt_match *t, uint32_t parent, const char *name, size_t len)
{
	size_t mask = t->capedges - 1, i = hash(parent, name, len) & mask;

	WT_ASSERT(t->capedges != 0 && (t->capedges & mask) == 0); /* a power of two */
	for (;; i = (i + 1) & mask) {
		edge *e = &t->edges[i];
		if (e->child == NONE ||
		    (e->parent == parent && e->len == len && memcmp(e->name, name, len) == 0))
			return e;
	}
}

static int grow_edges(wt_match *t)
{
	edge *old = t->edges;
	size_t oldcap = t->capedges,
	       cap = wt_grow_cap(oldcap, oldcap + 1, sizeof *old, 64, SIZE_MAX);

	t->edges = cap ? calloc(cap, sizeof *t->edges) : NULL;
	if (!t->edges) {
		t->edges = old;
		return WT_NOMEM;
	}
	t->capedges = cap;
	for (size_t i = 0; i < oldcap; i++) {
		if (old[i].child != NONE)
			*slot(t, old[i].parent, old[i].name, old[i].len) = old[i];
	}
	free(old);
	return 0;
}

static uint32_t new_node(wt_match *t)
{
	if (WT_GROW(&t->nodes, &t->capnodes, t->nnodes + 1, 16))
		return NONE;
	memset(&t->nodes[t->nnodes], 0, sizeof *t->nodes);
	return (uint32_t)t->nnodes++;
}

/* The literal child name of parent, made when missing; NONE when out of memory. */
static uint32_t literal_child(wt_match *t, uint32_t parent, const char *name, size_t len)
{
	edge *e;
	uint32_t child;
	char *copy;

	if ((t->nedges + 1) * 2 > t->capedges && grow_edges(t))
		return NONE;
	e = slot(t, parent, name, len);
	if (e->child != NONE)
		return e->child;
	if (!(copy = wt_arena_strndup(&t->strings, name, len)) || !(child = new_node(t)))
		return NONE;
	e = slot(t, parent, name, len); /* new_node never moves edges, but be plain */
	*e = (edge){parent, child, copy, len};
	t->nedges++;
	return child;
}

static uint32_t star_child(wt_match *t, uint32_t parent)
{
	uint32_t child;

	if (t->nodes[parent].star != NONE)
		return t->nodes[parent].star;
	if (!(child = new_node(t)))
		return NONE;
	t->nodes[parent].star = child;
	return child;
}

static uint32_t glob_child(wt_match *t, uint32_t parent, const char *pat, size_t len)
{
	uint32_t child;
	char *copy;

	for (uint32_t g = t->nodes[parent].glob; g != NONE; g = t->globs[g - 1].next) {
		if (t->globs[g - 1].len == len && memcmp(t->globs[g - 1].pat, pat, len) == 0)
			return t->globs[g - 1].child;
	}
	if (WT_GROW(&t->globs, &t->capglobs, t->nglobs + 1, 16))
		return NONE;
	if (!(copy = wt_arena_strndup(&t->strings, pat, len)) || !(child = new_node(t)))
		return NONE;
	t->globs[t->nglobs] = (glob){copy, len, child, t->nodes[parent].glob};
	t->nodes[parent].glob = (uint32_t)++t->nglobs;
	return child;
}

/* A component without its escapes, into buf (at least len bytes), each
 * unescaped `*` as a NUL; returns the new length, and sets *wild when an
 * unescaped `*` is in it. */
static size_t unescape(const char *s, size_t len, char *buf, int *wild)
{
	size_t n = 0;

	*wild = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len) {
			buf[n++] = s[++i];
		} else if (s[i] == '*') {
			*wild = 1;
			buf[n++] = '\0';
		} else {
			buf[n++] = s[i];
		}
	}
	return n;
}

/* Follows or makes the edge for one pattern component; NONE when out of memory. */
static uint32_t add_component(wt_match *t, uint32_t at, const char *c, size_t len, char *buf)
{
	int wild;
	size_t n;

	if (len == 1 && c[0] == '*')
		return star_child(t, at);
	n = unescape(c, len, buf, &wild);
	return wild ? glob_child(t, at, buf, n) : literal_child(t, at, buf, n);
}

static int add_literal(wt_match *t, uint32_t *at, const char *lit, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t n;
		while (i < len && lit[i] == '/')
			i++;
		for (n = 0; i + n < len && lit[i + n] != '/'; n++)
			;
		if (n && !(*at = literal_child(t, *at, lit + i, n)))
			return WT_NOMEM;
		i += n;
	}
	return 0;
}

int wt_match_add(wt_match *t, const char *literal, size_t lit_len, const char *pattern,
		 uint32_t rights, wt_error *err)
{
	uint32_t at = 0;
	size_t plen = strlen(pattern);
	char *buf = malloc(plen + 1);
	const char *p = pattern;
	int rc = WT_NOMEM;

	if (!buf)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	if (lit_len == 0 && pattern[0] != '/') {
		rc = wt_fail_plain(err, WT_MALFORMED, "pattern '%s' is not absolute", pattern);
		goto fail;
	}
	if (add_literal(t, &at, literal, lit_len))
		goto nomem;
	while (*p == '/') {
		const char *c = p + 1, *end = strchrnul(c, '/');
		size_t n = (size_t)(end - c);
		if (n == 2 && c[0] == '*' && c[1] == '*' && *end == '\0') {
			t->nodes[at].below |= rights;
			goto done;
		}
		if (n && !(at = add_component(t, at, c, n, buf)))
			goto nomem;
		p = end;
	}
	t->nodes[at].exact |= rights;
done:
	t->npatterns++;
	free(buf);
	return 0;
nomem:
	rc = wt_fail_plain(err, WT_NOMEM, "out of memory");
fail:
	free(buf);
	return rc;
}

/* fnmatch for one component (a glob's pattern: pieces between NUL stars):
 * the first piece starts the name, the last ends it, and each piece between
 * is found leftmost after the one before (memmem: linear), which for `*`
 * alone is the same as any placement. */
static int glob_match(const char *p, const char *pend, const char *s, const char *send)
{
	const char *first_end = memchr(p, '\0', (size_t)(pend - p)), *last = pend;
	size_t head = (size_t)(first_end - p), tail;

	while (last[-1] != '\0')
		last--;
	tail = (size_t)(pend - last);
	if ((size_t)(send - s) < head + tail || memcmp(s, p, head) != 0 ||
	    memcmp(send - tail, last, tail) != 0)
		return 0;
	send -= tail;
	s += head;
	for (p = first_end + 1; p < last;) {
		const char *end = memchr(p, '\0', (size_t)(last - p));
		const char *at = memmem(s, (size_t)(send - s), p, (size_t)(end - p));

		if (!at)
			return 0;
		s = at + (end - p);
		p = end + 1;
	}
	return 1;
}

enum { LIVE_INLINE = 64 };

/* The live node set: a small inline array, grown on the heap when needed. */
typedef struct live {
	uint32_t *v;
	size_t n, cap;
	uint32_t inline_v[LIVE_INLINE];
} live;

static int live_push(live *l, uint32_t x)
{
	if (l->n == l->cap) {
		size_t cap = wt_grow_cap(l->cap, l->n + 1, sizeof *l->v, LIVE_INLINE, SIZE_MAX);
		uint32_t *grown =
		    wt_grow_realloc(l->v == l->inline_v ? NULL : l->v, cap, sizeof *grown);
		if (!grown)
			return -1;
		if (l->v == l->inline_v)
			memcpy(grown, l->v, l->n * sizeof *grown);
		l->v = grown, l->cap = cap;
	}
	l->v[l->n++] = x;
	return 0;
}

/* Moves every node of cur one component (c, len) on, into next; adds the
 * `**` rights of cur's nodes to *acc. */
static int step(const wt_match *t, const live *cur, live *next, const char *c, size_t len,
		uint32_t *acc)
{
	next->n = 0;
	for (size_t i = 0; i < cur->n; i++) {
		const node *nd = &t->nodes[cur->v[i]];
		const edge *e = slot(t, cur->v[i], c, len);

		*acc |= nd->below;
		if (e->child != NONE && live_push(next, e->child))
			return -1;
		if (nd->star != NONE && live_push(next, nd->star))
			return -1;
		for (uint32_t g = nd->glob; g != NONE; g = t->globs[g - 1].next) {
			const glob *gl = &t->globs[g - 1];
			if (glob_match(gl->pat, gl->pat + gl->len, c, c + len) &&
			    live_push(next, gl->child))
				return -1;
		}
	}
	return 0;
}

/* The length of the next component of path[0..len) at or after *i (0: none
 * left); *i moves to its start. */
static size_t next_component(const char *path, size_t len, size_t *i)
{
	size_t n = 0;

	while (*i < len && path[*i] == '/')
		++*i;
	while (*i + n < len && path[*i + n] != '/')
		n++;
	return n;
}

int wt_match_reaches(const wt_match *t, const char *path, size_t len)
{
	uint32_t at = 0;

	for (size_t i = 0, n; (n = next_component(path, len, &i)) != 0; i += n) {
		const edge *e = slot(t, at, path + i, n);

		if (e->child == NONE)
			return 0;
		at = e->child;
	}
	return 1;
}

uint32_t wt_match_rights(const wt_match *t, const char *path, size_t len)
{
	live a = {.v = a.inline_v, .cap = LIVE_INLINE}, b = {.v = b.inline_v, .cap = LIVE_INLINE};
	live *cur = &a, *next = &b, *tmp;
	uint32_t acc = 0;
	size_t i = 0;

	cur->v[cur->n++] = 0;
	while (i < len && cur->n) {
		size_t n = next_component(path, len, &i);

		if (n == 0)
			break;
		if (step(t, cur, next, path + i, n, &acc)) {
			acc = 0; /* out of memory: grant nothing */
			cur->n = 0;
			break;
		}
		tmp = cur, cur = next, next = tmp;
		i += n;
	}
	for (size_t k = 0; k < cur->n; k++)
		acc |= t->nodes[cur->v[k]].exact;
	if (a.v != a.inline_v)
		free(a.v);
	if (b.v != b.inline_v)
		free(b.v);
	return acc;
}
