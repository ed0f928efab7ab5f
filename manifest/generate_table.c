/* generate_table.c: generate's hash table of paths and its path order. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "generate_impl.h"
#include "grow.h"

enum { WT_GEN_TABLE_MIN = 64 };

uint64_t wt_gen_hash_more(uint64_t h, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) { /* FNV-1a */
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static uint64_t finish(uint64_t h)
{
	return h ^ (h >> 29);
}

static uint64_t hash_bytes(const char *s, size_t len)
{
	return finish(wt_gen_hash_more(WT_GEN_HASH_START, s, len));
}

void wt_gen_table_init(wt_gen_table *t)
{
	t->slots = NULL;
	t->cap = t->count = 0;
}

void wt_gen_table_fini(wt_gen_table *t)
{
	free(t->slots);
	wt_gen_table_init(t);
}

/* The slot of the key head[0..hlen) + tail[0..tlen) (hash h), or the empty one it would take. */
static wt_gen_path *probe2(wt_gen_path *slots, size_t cap, const char *head, size_t hlen,
			   const char *tail, size_t tlen, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	WT_ASSERT(cap != 0 && (cap & (cap - 1)) == 0); /* a power of two */
	while (slots[i].key) {
		if (slots[i].hash == h && slots[i].len == hlen + tlen &&
		    memcmp(slots[i].key, head, hlen) == 0 &&
		    memcmp(slots[i].key + hlen, tail, tlen) == 0)
			return &slots[i];
		i = (i + 1) & (cap - 1);
	}
	return &slots[i];
}

static wt_gen_path *probe(wt_gen_path *slots, size_t cap, const char *key, size_t len, uint64_t h)
{
	return probe2(slots, cap, key, len, "", 0, h);
}

static int grow(wt_gen_table *t)
{
	size_t cap =
	    wt_grow_cap(t->cap, t->cap + 1, sizeof(wt_gen_path), WT_GEN_TABLE_MIN, SIZE_MAX);
	wt_gen_path *slots;

	if (!cap || !(slots = calloc(cap, sizeof *slots)))
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		const wt_gen_path *p = &t->slots[i];

		if (p->key)
			*probe(slots, cap, p->key, p->len, p->hash) = *p;
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

wt_gen_path *wt_gen_table_find(const wt_gen_table *t, const char *key, size_t len)
{
	wt_gen_path *p;

	if (!t->cap)
		return NULL;
	p = probe(t->slots, t->cap, key, len, hash_bytes(key, len));
	return p->key ? p : NULL;
}

wt_gen_path *wt_gen_table_find2(const wt_gen_table *t, uint64_t h, const char *head, size_t hlen,
				const char *tail, size_t tlen)
{
	wt_gen_path *p;

	if (!t->cap)
		return NULL;
	p = probe2(t->slots, t->cap, head, hlen, tail, tlen, finish(h));
	return p->key ? p : NULL;
}

wt_gen_path *wt_gen_table_get(wt_gen_table *t, const char *key, size_t len)
{
	uint64_t h = hash_bytes(key, len);
	wt_gen_path *p;

	if ((t->count + 1) * 4 > t->cap * 3 && grow(t))
		return NULL;
	p = probe(t->slots, t->cap, key, len, h);
	if (!p->key) {
		memset(p, 0, sizeof *p);
		p->key = key;
		p->len = len;
		p->hash = h;
		t->count++;
	}
	return p;
}

int wt_gen_path_ncmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen, i = 0;
	unsigned char x, y;

	for (uint64_t u, v; i + 8 <= n; i += 8) { /* a word at a time to the first difference */
		memcpy(&u, a + i, 8);
		memcpy(&v, b + i, 8);
		if (u != v)
			break;
	}
	while (i < n && a[i] == b[i])
		i++;
	if (i == n) /* one is a prefix of the other: it sorts first */
		return alen == blen ? 0 : (alen < blen ? -1 : 1);
	x = (unsigned char)a[i], y = (unsigned char)b[i];
	if (x == '/' || y == '/')
		return x == '/' ? -1 : 1;
	return x < y ? -1 : 1;
}
