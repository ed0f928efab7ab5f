/* store.c: the store: its limits and memory budget, the objects it owns, and interned function
 * types. */
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grow.h"
#include "objects.h"

enum {
	WT_DEFAULT_CALL_DEPTH = 20000,
	WT_DEFAULT_STACK_SLOTS = 1u << 20,
	WT_OBJ_TAG_MASK = 3,
};

/* Registered objects carry their kind in the low two bits of the pointer:
 * every one comes from malloc, aligned for any type. */
_Static_assert(alignof(max_align_t) > WT_OBJ_TAG_MASK, "malloc alignment too small for tags");

wt_store *wt_store_new(const wt_store_limits *limits)
{
	wt_store *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	if (limits)
		s->limits = *limits;
	if (!s->limits.max_memory)
		s->limits.max_memory = (uint64_t)65536 * 65536;
	if (!s->limits.max_call_depth)
		s->limits.max_call_depth = WT_DEFAULT_CALL_DEPTH;
	if (!s->limits.max_stack_slots)
		s->limits.max_stack_slots = WT_DEFAULT_STACK_SLOTS;
	s->fuel = s->limits.fuel;
	atomic_init(&s->interrupt, 0);
	return s;
}

void wt_store_set_hot(wt_store *s, uint32_t threshold, wt_hot_fn fn, void *ctx)
{
	s->hot_hook = fn;
	s->hot_ctx = ctx;
	s->hot_threshold = threshold ? threshold : 1;
}

void wt_object_destroy(void *p, wt_objkind kind)
{
	if (!p)
		return;
	switch (kind) {
	case WT_OBJ_FUNC:
		wt_code_free(((wt_funcinst *)p)->code);
		break;
	case WT_OBJ_TABLE:
		wt_table_destroy(p);
		break;
	case WT_OBJ_MEMORY:
		wt_memory_destroy(p);
		break;
	case WT_OBJ_PLAIN:
		break;
	}
	free(p);
}

void wt_store_free(wt_store *s)
{
	if (!s)
		return;
	for (wt_instance *inst = s->instances, *next; inst; inst = next) {
		next = inst->next;
		wt_instance_destroy(inst);
	}
	for (uint32_t i = 0; i < s->nobjects; i++) {
		uintptr_t tagged = (uintptr_t)s->objects[i];
		wt_object_destroy((void *)(tagged & ~(uintptr_t)WT_OBJ_TAG_MASK),
				  (wt_objkind)(tagged & WT_OBJ_TAG_MASK));
	}
	free(s->objects);
	for (uint32_t i = 0; i < s->ntypes; i++)
		free((void *)s->types[i]);
	free(s->types);
	free(s->type_hash);
	free(s->stack);
	free(s->frames);
	free(s);
}

void wt_store_interrupt(wt_store *s)
{
	atomic_store_explicit(&s->interrupt, 1, memory_order_relaxed);
}

int wt_store_interrupted(const wt_store *s)
{
	return atomic_load_explicit(&s->interrupt, memory_order_relaxed) != 0;
}

uint64_t wt_store_fuel_left(const wt_store *s)
{
	return s->fuel;
}

uint64_t wt_store_memory_used(const wt_store *s)
{
	return s->mem_used;
}

int wt_store_charge(wt_store *s, uint64_t bytes)
{
	if (bytes > s->limits.max_memory - s->mem_used)
		return -1;
	s->mem_used += bytes;
	return 0;
}

void wt_store_uncharge(wt_store *s, uint64_t bytes)
{
	WT_ASSERT(bytes <= s->mem_used); /* given back only what was charged */
	s->mem_used -= bytes < s->mem_used ? bytes : s->mem_used;
}

int wt_store_afford(const wt_store *s, uint64_t bytes, wt_error *err, const char *what, ...)
{
	char text[128];
	va_list ap;

	if (bytes <= s->limits.max_memory - s->mem_used)
		return 0;
	va_start(ap, what);
	vsnprintf(text, sizeof text, what, ap);
	va_end(ap);
	return wt_fail_plain(err, WT_LIMIT,
			     "%s exceeds the memory limit (%llu bytes needed, %llu of %llu left)",
			     text, (unsigned long long)bytes,
			     (unsigned long long)(s->limits.max_memory - s->mem_used),
			     (unsigned long long)s->limits.max_memory);
}

/* Grows an array of elem-sized entries to hold at least need; 0 or -1. */
static int grow_array(void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t ncap = wt_grow_cap(*cap, need, elem, 16, UINT32_MAX);
	void *p = wt_grow_realloc(*arr, ncap, elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = (uint32_t)ncap;
	return 0;
}

int wt_store_track(wt_store *s, void *p, wt_objkind kind)
{
	if (s->nobjects == UINT32_MAX || grow_array((void **)&s->objects, &s->cap_objects,
						    s->nobjects + 1, sizeof *s->objects) != 0) {
		wt_object_destroy(p, kind);
		return WT_NOMEM;
	}
	s->objects[s->nobjects++] = (void *)((uintptr_t)p | (uintptr_t)kind);
	return 0;
}

void *wt_store_own(wt_store *s, void *p)
{
	if (!p)
		return NULL;
	return wt_store_track(s, p, WT_OBJ_PLAIN) == 0 ? p : NULL;
}

/* FNV-1a over the type's shape: counts, then the value types. */
static uint32_t type_hash(const wt_functype *t)
{
	uint32_t h = 2166136261u;
	uint32_t head[2] = {t->nparams, t->nresults};
	const uint8_t *b = (const uint8_t *)head;
	for (size_t i = 0; i < sizeof head; i++)
		h = (h ^ b[i]) * 16777619u;
	for (uint64_t i = 0; i < (uint64_t)t->nparams + t->nresults; i++)
		h = (h ^ t->types[i]) * 16777619u;
	return h;
}

static int type_equal(const wt_functype *a, const wt_functype *b)
{
	if (a->nparams != b->nparams || a->nresults != b->nresults)
		return 0;
	size_t n = (size_t)a->nparams + a->nresults;
	return n == 0 || memcmp(a->types, b->types, n) == 0;
}

/* The slot of type t in the hash: its id, or the empty slot to fill. */
static uint32_t *hash_slot(const wt_store *s, const wt_functype *t, uint32_t h)
{
	uint32_t mask = s->hash_cap - 1;
	WT_ASSERT(s->hash_cap != 0 && (s->hash_cap & mask) == 0);
	for (uint32_t i = h & mask;; i = (i + 1) & mask) {
		uint32_t id = s->type_hash[i];
		if (id == UINT32_MAX || type_equal(s->types[id], t))
			return &s->type_hash[i];
	}
}

/* Keeps the hash at most half full. 0 or -1. */
static int hash_reserve(wt_store *s, uint32_t n)
{
	if ((uint64_t)n * 2 <= s->hash_cap)
		return 0;
	size_t ncap = wt_grow_cap(s->hash_cap, (size_t)s->hash_cap + 1, sizeof *s->type_hash, 64,
				  UINT32_MAX / 2 + 1);
	if (!ncap)
		return -1;
	uint32_t *old = s->type_hash, old_cap = s->hash_cap;
	s->type_hash = malloc((size_t)ncap * sizeof *s->type_hash);
	if (!s->type_hash) {
		s->type_hash = old;
		return -1;
	}
	memset(s->type_hash, 0xFF, (size_t)ncap * sizeof *s->type_hash);
	s->hash_cap = (uint32_t)ncap;
	for (uint32_t i = 0; i < old_cap; i++)
		if (old[i] != UINT32_MAX)
			*hash_slot(s, s->types[old[i]], type_hash(s->types[old[i]])) = old[i];
	free(old);
	return 0;
}

/* A copy of t in one block (the struct, then its value types). */
static wt_functype *type_copy(const wt_functype *t)
{
	size_t n = (size_t)t->nparams + t->nresults;
	if (n > SIZE_MAX - sizeof(wt_functype))
		return NULL;
	wt_functype *c = malloc(sizeof *c + n);
	if (!c)
		return NULL;
	uint8_t *types = (uint8_t *)(c + 1);
	if (n)
		memcpy(types, t->types, n);
	c->nparams = t->nparams;
	c->nresults = t->nresults;
	c->types = types;
	return c;
}

uint32_t wt_store_intern(wt_store *s, const wt_functype *type, const wt_functype **out)
{
	if (s->ntypes == UINT32_MAX - 1 || hash_reserve(s, s->ntypes + 1) != 0)
		return UINT32_MAX;
	uint32_t h = type_hash(type);
	uint32_t *slot = hash_slot(s, type, h);
	if (*slot == UINT32_MAX) {
		if (grow_array((void **)&s->types, &s->cap_types, s->ntypes + 1,
			       sizeof *s->types) != 0)
			return UINT32_MAX;
		wt_functype *copy = type_copy(type);
		if (!copy)
			return UINT32_MAX;
		s->types[s->ntypes] = copy;
		*slot = s->ntypes++;
	}
	if (out)
		*out = s->types[*slot];
	return *slot;
}
