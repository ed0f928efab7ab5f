/* objects.c: host functions, tables and globals made in a store, and their accessors. */
#include <stdlib.h>

#include "objects.h"

wt_funcinst *wt_func_new_host(wt_store *s, const wt_functype *type, wt_host_fn fn, void *data)
{
	const wt_functype *interned;
	uint32_t id = wt_store_intern(s, type, &interned);
	if (id == UINT32_MAX)
		return NULL;
	wt_funcinst *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->type.id = id;
	f->type.type = interned;
	f->host = fn;
	f->host_data = data;
	return wt_store_track(s, f, WT_OBJ_FUNC) == 0 ? f : NULL;
}

const wt_functype *wt_func_type(const wt_funcinst *f)
{
	return f->type.type;
}

/* Tables: the effective maximum is the type's max (else UINT32_MAX),
 * further capped by the store's byte limit (8 bytes an entry). Entries
 * are kept in an array of capacity table_cap(size), which the store's
 * memory budget pays for: a grow whose capacity does not fit fails (-1),
 * after trying the exact size when the rounded-up capacity did not fit. */

static uint32_t table_max(const wt_store *s, const wt_tabletype *type)
{
	uint64_t max = type->limits.has_max ? type->limits.max : UINT32_MAX;
	uint64_t limit = s->limits.max_memory / sizeof(wt_slot);
	if (limit < max)
		max = limit;
	return max > UINT32_MAX ? UINT32_MAX : (uint32_t)max;
}

/* The capacity for n entries: a power of two (at least 8), at most max. */
static uint64_t table_cap(uint64_t n, uint32_t max)
{
	if (n == 0)
		return 0;
	uint64_t cap = 8;
	while (cap < n)
		cap *= 2;
	return cap < max ? cap : max;
}

int wt_table_make(wt_store *s, const wt_tabletype *type, wt_slot init, wt_tableinst **out,
		  wt_error *err)
{
	*out = NULL;
	uint32_t max = table_max(s, type);
	uint64_t min = type->limits.min;
	int rc = wt_store_afford(s, min * sizeof(wt_slot), err, "table of %llu entries",
				 (unsigned long long)min);
	if (rc)
		return rc;
	wt_tableinst *t = calloc(1, sizeof *t);
	if (!t)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	t->type = *type;
	t->type.limits.min = 0;
	t->max = max;
	t->store = s;
	if (wt_table_grow(t, (uint32_t)min, init) < 0) {
		wt_object_destroy(t, WT_OBJ_TABLE);
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	}
	if (wt_store_track(s, t, WT_OBJ_TABLE) != 0)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	*out = t;
	return 0;
}

wt_tableinst *wt_table_new(wt_store *s, const wt_tabletype *type, wt_slot init)
{
	wt_tableinst *t;
	return wt_table_make(s, type, init, &t, NULL) == 0 ? t : NULL;
}

void wt_table_destroy(wt_tableinst *t)
{
	free(t->elems);
	wt_store_uncharge(t->store, (uint64_t)t->cap * sizeof(wt_slot));
}

/* Makes room for at least size entries, trying cap first; 0 or -1. */
static int table_reserve(wt_tableinst *t, uint64_t size, uint64_t cap)
{
	if (cap <= t->cap)
		return 0;
	uint64_t more = (cap - t->cap) * sizeof(wt_slot);
	if (wt_store_charge(t->store, more) != 0)
		return cap > size ? table_reserve(t, size, size) : -1;
	wt_slot *elems = cap <= SIZE_MAX / sizeof(wt_slot)
			     ? realloc(t->elems, (size_t)cap * sizeof(wt_slot))
			     : NULL;
	if (!elems) {
		wt_store_uncharge(t->store, more);
		return -1;
	}
	t->elems = elems;
	t->cap = (uint32_t)cap;
	return 0;
}

int64_t wt_table_grow(wt_tableinst *t, uint32_t delta, wt_slot init)
{
	uint64_t old = t->size, size = old + delta;
	if (size > t->max || table_reserve(t, size, table_cap(size, t->max)) != 0)
		return -1;
	for (uint64_t i = old; i < size; i++)
		t->elems[i] = init;
	t->size = (uint32_t)size;
	t->type.limits.min = size;
	return (int64_t)old;
}

const wt_tabletype *wt_table_type(const wt_tableinst *t)
{
	return &t->type;
}

wt_globalinst *wt_global_new(wt_store *s, const wt_globaltype *type, wt_slot value)
{
	wt_globalinst *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->type = *type;
	g->value = value;
	return wt_store_track(s, g, WT_OBJ_PLAIN) == 0 ? g : NULL;
}

wt_slot wt_global_get(const wt_globalinst *g)
{
	return g->value;
}

void wt_global_get_slots(const wt_globalinst *g, wt_slot *out)
{
	out[0] = g->value;
	if (g->type.type == WT_V128)
		out[1] = g->hi;
}

const wt_globaltype *wt_global_type(const wt_globalinst *g)
{
	return &g->type;
}
