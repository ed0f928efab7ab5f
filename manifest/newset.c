/* newset.c: the guest paths a run created itself: a bounded trie of path components. */
#include "newset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "needs.h"
#include "path.h"
#include "wasi_flags.h"

/* A component's mark. Unmarked components inherit from the nearest marked folder above
 * them: below NEW everything is the run's own, OLD stops that. A LINK (a symlink the run
 * made, with its text) is followed: a path through it is the path it leads to. */
enum { M_NONE, M_NEW, M_LINK, M_OLD };

/* Symlinks followed in one lookup; a path that needs more counts as not new. */
enum { MAX_HOPS = 8 };

/* Node 0 is "/" (never in a hash chain, never a child): 0 doubles as "none". */
typedef struct node {
	uint32_t parent, child, next, prev; /* the tree: first child, siblings */
	uint32_t chain;			    /* hash chain; the free list for a free node */
	uint32_t len, tlen;
	uint64_t hash;
	char *name;
	char *text; /* M_LINK: the symlink's text */
	uint8_t mark, live;
} node;

struct wt_newset {
	node *v;
	size_t n, cap; /* v[0, n) in use or free */
	uint32_t free; /* first free node, 0: none */
	uint32_t *bucket;
	size_t nbucket; /* a power of two */
	size_t live, bytes, max_nodes, max_bytes;
	int gave_up;
};

static uint64_t hash_of(uint32_t parent, const char *name, size_t len)
{
	uint64_t h = 1469598103934665603ull ^ parent;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 31);
}

wt_newset *wt_newset_new(size_t max_nodes, size_t max_bytes)
{
	wt_newset *s = calloc(1, sizeof *s);

	if (!s || !(s->v = calloc(16, sizeof *s->v)) ||
	    !(s->bucket = calloc(16, sizeof *s->bucket))) {
		wt_newset_free(s);
		return NULL;
	}
	s->cap = s->nbucket = 16;
	s->n = 1; /* "/" */
	s->v[0].live = 1;
	s->max_nodes = max_nodes ? max_nodes : WT_NEWSET_MAX_NODES;
	s->max_bytes = max_bytes ? max_bytes : WT_NEWSET_MAX_BYTES;
	return s;
}

void wt_newset_free(wt_newset *s)
{
	if (!s)
		return;
	for (size_t i = 0; s->v && i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].text);
	}
	free(s->v);
	free(s->bucket);
	free(s);
}

size_t wt_newset_count(const wt_newset *s)
{
	return s->live;
}

int wt_newset_gave_up(const wt_newset *s)
{
	return s->gave_up;
}

/* ---- the hash table of (parent, name) ---- */

static uint32_t *slot_of(wt_newset *s, uint64_t hash)
{
	return &s->bucket[hash & (s->nbucket - 1)];
}

static uint32_t find(const wt_newset *s, uint32_t parent, const char *name, size_t len)
{
	uint64_t h = hash_of(parent, name, len);

	for (uint32_t i = s->bucket[h & (s->nbucket - 1)]; i; i = s->v[i].chain) {
		const node *x = &s->v[i];

		if (x->hash == h && x->parent == parent && x->len == len &&
		    memcmp(x->name, name, len) == 0)
			return i;
	}
	return 0;
}

static void unchain(wt_newset *s, uint32_t id)
{
	uint32_t *p = slot_of(s, s->v[id].hash);

	while (*p != id)
		p = &s->v[*p].chain;
	*p = s->v[id].chain;
}

static void chain(wt_newset *s, uint32_t id)
{
	uint32_t *p = slot_of(s, s->v[id].hash);

	s->v[id].chain = *p;
	*p = id;
}

static int grow_buckets(wt_newset *s)
{
	size_t n = s->nbucket * 2;
	uint32_t *b = calloc(n, sizeof *b);

	if (!b)
		return -1;
	free(s->bucket);
	s->bucket = b, s->nbucket = n;
	for (uint32_t i = 1; i < s->n; i++)
		if (s->v[i].live)
			chain(s, i);
	return 0;
}

/* ---- nodes ---- */

static uint32_t new_slot(wt_newset *s)
{
	uint32_t id;

	if (s->free) {
		id = s->free;
		s->free = s->v[id].chain;
		return id;
	}
	if (WT_GROW(&s->v, &s->cap, s->n + 1, 16))
		return 0;
	return (uint32_t)s->n++;
}

static void link_child(wt_newset *s, uint32_t parent, uint32_t id)
{
	node *x = &s->v[id];

	x->parent = parent, x->prev = 0, x->next = s->v[parent].child;
	if (x->next)
		s->v[x->next].prev = id;
	s->v[parent].child = id;
	x->hash = hash_of(parent, x->name, x->len);
	chain(s, id);
}

static void unlink_child(wt_newset *s, uint32_t id)
{
	node *x = &s->v[id];

	unchain(s, id);
	if (x->prev)
		s->v[x->prev].next = x->next;
	else
		s->v[x->parent].child = x->next;
	if (x->next)
		s->v[x->next].prev = x->prev;
}

/* A new unmarked child of parent; 0 past the caps or out of memory. */
static uint32_t add(wt_newset *s, uint32_t parent, const char *name, size_t len)
{
	uint32_t id;
	char *copy;

	if (s->live + 1 > s->max_nodes || len > s->max_bytes - s->bytes)
		return 0;
	if (s->live + 1 > s->nbucket && grow_buckets(s))
		return 0;
	if (!(copy = malloc(len ? len : 1)))
		return 0;
	if (!(id = new_slot(s))) {
		free(copy);
		return 0;
	}
	memcpy(copy, name, len);
	s->v[id] = (node){.name = copy, .len = (uint32_t)len, .live = 1};
	link_child(s, parent, id);
	s->live++, s->bytes += len;
	return id;
}

/* Sets id's mark (text: an M_LINK's, copied; NULL otherwise). 0, or -1 past the caps. */
static int mark(wt_newset *s, uint32_t id, uint8_t m, const char *text, size_t tlen)
{
	char *copy = NULL;

	if (text && (tlen > s->max_bytes - s->bytes || !(copy = malloc(tlen ? tlen : 1))))
		return -1;
	if (copy)
		memcpy(copy, text, tlen);
	s->bytes -= s->v[id].tlen;
	free(s->v[id].text);
	s->v[id].text = copy, s->v[id].tlen = copy ? (uint32_t)tlen : 0;
	s->bytes += s->v[id].tlen;
	s->v[id].mark = m;
	return 0;
}

/* Frees a node without children. */
static void drop(wt_newset *s, uint32_t id)
{
	mark(s, id, M_NONE, NULL, 0);
	unlink_child(s, id);
	s->live--, s->bytes -= s->v[id].len;
	free(s->v[id].name);
	s->v[id] = (node){.chain = s->free};
	s->free = id;
}

/* Frees everything below id (id stays). */
static void drop_below(wt_newset *s, uint32_t id)
{
	uint32_t cur = s->v[id].child;

	while (cur) {
		uint32_t up;

		while (s->v[cur].child)
			cur = s->v[cur].child;
		up = s->v[cur].parent;
		drop(s, cur);
		cur = up == id ? s->v[id].child : up;
	}
}

/* Drops id and then each folder above it that holds nothing marked any more. */
static void prune(wt_newset *s, uint32_t id)
{
	while (id && s->v[id].mark == M_NONE && !s->v[id].child) {
		uint32_t up = s->v[id].parent;

		drop(s, id);
		id = up;
	}
}

/* ---- paths ---- */

/* A guest path as a buffer of its own. */
typedef struct gpath {
	char p[WT_PATH_MAX + 1];
	size_t len;
} gpath;

/* The next component of path[0..len) after *at: [*start, returned end). */
static size_t component(const char *path, size_t len, size_t *at, size_t *start)
{
	const char *slash;

	*start = *at + 1;
	slash = *start < len ? memchr(path + *start, '/', len - *start) : NULL;
	*at = slash ? (size_t)(slash - path) : len;
	return *at;
}

/* The first symlink the run made on g's way (its last component too when follow): its
 * node, and in *start, *end where its component is; 0 when there is none. */
static uint32_t first_link(const wt_newset *s, const gpath *g, int follow, size_t *start,
			   size_t *end)
{
	uint32_t id = 0;

	for (size_t at = 0; at < g->len && g->len > 1;) {
		*end = component(g->p, g->len, &at, start);
		if (!(id = find(s, id, g->p + *start, *end - *start)))
			return 0;
		if (s->v[id].mark == M_LINK && (at < g->len || follow))
			return id;
	}
	return 0;
}

/* g with every symlink the run made on its way replaced by where it leads (the last
 * component too when follow), as the host follows them. -1 when that cannot be told: an
 * absolute text (the host refuses it), more than MAX_HOPS links, too long. */
static int resolve(const wt_newset *s, gpath *g, int follow)
{
	for (int hops = 0;; hops++) {
		size_t start, end, len;
		uint32_t id = first_link(s, g, follow, &start, &end);
		gpath t;

		if (!id)
			return 0;
		if (hops == MAX_HOPS ||
		    wt_path_join(g->p, start > 1 ? start - 1 : 1, (const uint8_t *)s->v[id].text,
				 s->v[id].tlen, 0, t.p, sizeof t.p, &len) ||
		    len + (g->len - end) > WT_PATH_MAX)
			return -1;
		memcpy(t.p + len, g->p + end, g->len - end);
		t.len = len + (g->len - end);
		t.p[t.len] = '\0';
		if (t.len > 1 && t.p[0] == '/' && t.p[1] == '/') /* "/" + "/rest" */
			memmove(t.p, t.p + 1, t.len--);
		*g = t;
	}
}

/* The node of g, created when create (0: "/", or not there, or past the caps). */
static uint32_t node_of(wt_newset *s, const gpath *g, int create)
{
	uint32_t id = 0;

	for (size_t at = 0, start, end; at < g->len && g->len > 1;) {
		uint32_t next;

		end = component(g->p, g->len, &at, &start);
		next = find(s, id, g->p + start, end - start);
		if (!next && (!create || !(next = add(s, id, g->p + start, end - start))))
			return 0;
		id = next;
	}
	return id;
}

/* What the run made of the resolved g (a final LINK only when it was not followed). */
static wt_newness state_of(const wt_newset *s, const gpath *g)
{
	wt_newness state = WT_NEW_NO;
	uint32_t id = 0;

	for (size_t at = 0, start, end; at < g->len && g->len > 1;) {
		end = component(g->p, g->len, &at, &start);
		if (!(id = find(s, id, g->p + start, end - start)))
			break; /* below here nothing is marked: the state above holds */
		if (s->v[id].mark == M_NEW)
			state = WT_NEW_YES;
		else if (s->v[id].mark == M_OLD)
			state = WT_NEW_NO;
		else if (s->v[id].mark == M_LINK)
			return WT_NEW_LINK;
	}
	return state;
}

/* g from a path and its length, resolved; -1 when it cannot be. */
static int take(const wt_newset *s, const char *path, size_t len, int follow, gpath *g)
{
	if (len > WT_PATH_MAX)
		return -1;
	memcpy(g->p, path, len);
	g->p[len] = '\0';
	g->len = len;
	return resolve(s, g, follow);
}

wt_newness wt_newset_get(const wt_newset *s, const char *path, size_t len, int follow)
{
	gpath g;

	if (s->gave_up || take(s, path, len, follow, &g))
		return WT_NEW_NO;
	return state_of(s, &g);
}

/* Makes the resolved g count as want (a LINK with text), with a mark only where what it
 * inherits differs. */
static void set(wt_newset *s, const gpath *g, wt_newness want, const char *text, size_t tlen)
{
	static const uint8_t marks[] = {
	    [WT_NEW_NO] = M_OLD, [WT_NEW_YES] = M_NEW, [WT_NEW_LINK] = M_LINK};
	uint32_t id = node_of(s, g, 0);
	wt_newness inherited;

	if (id)
		mark(s, id, M_NONE, NULL, 0);
	inherited = state_of(s, g);
	if (want == inherited && want != WT_NEW_LINK) {
		prune(s, id);
		return;
	}
	if (!(id = node_of(s, g, 1)) ||
	    mark(s, id, marks[want], want == WT_NEW_LINK ? text : NULL, tlen)) {
		/* not recorded: fine when that leaves it less new than wanted, else give up */
		s->gave_up |= want != WT_NEW_YES && inherited == WT_NEW_YES;
		prune(s, id);
	}
}

/* Moves every child of from under to (to has none: the caller dropped them). */
static void move_children(wt_newset *s, uint32_t from, uint32_t to)
{
	while (s->v[from].child) {
		uint32_t c = s->v[from].child;

		unlink_child(s, c);
		link_child(s, to, c);
	}
}

/* path_rename src -> dst: dst becomes what src was, with everything below it. */
static void rename_path(wt_newset *s, const gpath *src, const gpath *dst)
{
	wt_newness state = state_of(s, src);
	uint32_t from = node_of(s, src, 0), to = node_of(s, dst, 0);
	char *text = NULL;
	size_t tlen = 0;

	if (src->len == dst->len && memcmp(src->p, dst->p, src->len) == 0)
		return;
	if (to)
		drop_below(s, to); /* what the new name held is gone */
	if (from && s->v[from].child) {
		if (!to && !(to = node_of(s, dst, 1))) {
			s->gave_up = 1; /* marks below the old name would be lost */
			return;
		}
		move_children(s, from, to);
	}
	if (state == WT_NEW_LINK && !(text = malloc((tlen = s->v[from].tlen) + 1))) {
		s->gave_up = 1;
		return;
	}
	if (text)
		memcpy(text, s->v[from].text, tlen);
	set(s, dst, state, text, tlen);
	free(text);
	if ((from = node_of(s, src, 0))) {
		mark(s, from, M_NONE, NULL, 0);
		prune(s, from);
	}
}

static void remove_path(wt_newset *s, const gpath *g)
{
	uint32_t id = node_of(s, g, 0);

	if (!id)
		return;
	drop_below(s, id);
	mark(s, id, M_NONE, NULL, 0);
	prune(s, id);
}

/* The length of an event's path (tests may leave the length 0). */
static size_t len_of(const char *p, uint32_t len)
{
	return len ? len : strlen(p);
}

static int follows(const wt_event *ev)
{
	return !!(ev->flags & (WT_LOOKUP_SYMLINK_FOLLOW << 16));
}

/* ev's second path resolved (never following its last component), after its first: -1
 * when it cannot be. */
static int second(const wt_newset *s, const wt_event *ev, gpath *g)
{
	return !ev->path2 || take(s, ev->path2, len_of(ev->path2, ev->path2_len), 0, g);
}

static void learn(wt_newset *s, const wt_event *ev, gpath *g, gpath *g2)
{
	switch (ev->call) {
	case WT_WASI_path_open: /* what it created: where a symlink on the way leads */
		if ((ev->created || wt_manifest_exclusive_path(ev)) && !resolve(s, g, 1))
			set(s, g, WT_NEW_YES, NULL, 0);
		break;
	case WT_WASI_path_create_directory:
		set(s, g, WT_NEW_YES, NULL, 0);
		break;
	case WT_WASI_path_symlink:
		set(s, g, WT_NEW_LINK, ev->path2, ev->path2 ? len_of(ev->path2, ev->path2_len) : 0);
		break;
	case WT_WASI_path_link: /* a hard link is what its source is (a followed link's target) */
		if (second(s, ev, g2) || (follows(ev) && resolve(s, g, 1)))
			s->gave_up = 1;
		else
			set(s, g2, state_of(s, g) == WT_NEW_YES ? WT_NEW_YES : WT_NEW_NO, NULL, 0);
		break;
	case WT_WASI_path_rename:
		if (second(s, ev, g2))
			s->gave_up = 1;
		else
			rename_path(s, g, g2);
		break;
	case WT_WASI_path_unlink_file:
	case WT_WASI_path_remove_directory:
		remove_path(s, g);
		break;
	default:
		break;
	}
}

/* 1 when ev changes or moves an entry that is already there. */
static int moves(const wt_event *ev)
{
	return ev->call == WT_WASI_path_rename || ev->call == WT_WASI_path_link ||
	       ev->call == WT_WASI_path_unlink_file || ev->call == WT_WASI_path_remove_directory;
}

void wt_newset_observe(wt_newset *s, const wt_event *event)
{
	wt_event obj = *event; /* what was made or moved is the object a link led to */
	const wt_event *ev = &obj;
	gpath g, g2;

	if (event->obj_path)
		obj.path = event->obj_path, obj.path_len = event->obj_path_len;
	if (event->obj_path2)
		obj.path2 = event->obj_path2, obj.path2_len = event->obj_path2_len;
	if (s->gave_up || ev->errno_result != 0 || ev->verdict != WT_ALLOW || !ev->path)
		return;
	if (take(s, ev->path, len_of(ev->path, ev->path_len), 0, &g)) {
		s->gave_up |= moves(ev); /* it moved what the set cannot name */
		return;
	}
	learn(s, ev, &g, &g2);
}
