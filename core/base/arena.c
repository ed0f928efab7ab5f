/* arena.c: a bump allocator of growing chunks. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct wt_arena_chunk {
	wt_arena_chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

enum { WT_ARENA_MIN_CHUNK = 64 * 1024 };

void wt_arena_init(wt_arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void wt_arena_fini(wt_arena *a)
{
	wt_arena_chunk *c = a->head;
	while (c) {
		wt_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}

static wt_arena_chunk *new_chunk(wt_arena *a, size_t need)
{
	size_t cap = need > WT_ARENA_MIN_CHUNK ? need : WT_ARENA_MIN_CHUNK;
	if (a->head && a->head->cap * 2 > cap && a->head->cap < (size_t)16 << 20)
		cap = a->head->cap * 2;
	wt_arena_chunk *c = malloc(sizeof *c + cap);
	if (!c)
		return NULL;
	c->used = 0;
	c->cap = cap;
	c->next = a->head;
	a->head = c;
	return c;
}

void *wt_arena_calloc(wt_arena *a, size_t n, size_t size)
{
	if (size && n > (SIZE_MAX - 16) / size)
		return NULL;
	size_t bytes = (n * size + 15) & ~(size_t)15;
	if (bytes == 0)
		bytes = 16;
	wt_arena_chunk *c = a->head;
	if (!c || c->cap - c->used < bytes) {
		c = new_chunk(a, bytes);
		if (!c)
			return NULL;
	}
	void *p = c->data + c->used;
	c->used += bytes;
	a->total += bytes;
	memset(p, 0, bytes);
	return p;
}

char *wt_arena_strndup(wt_arena *a, const void *s, size_t len)
{
	char *p = wt_arena_calloc(a, len + 1, 1);
	if (p && len)
		memcpy(p, s, len);
	return p;
}
