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
 * further capped so the entries fit in the store's per-memory byte limit:
 * a guest cannot make the host allocate more for a table than for a
 * memory. Entries are kept in an array of capacity table_cap(size). */

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
	if (type->limits.min > max)
		return wt_fail_plain(err, WT_LIMIT, "table of %llu entries exceeds the limit of %u",
				     (unsigned long long)type->limits.min, max);
	wt_tableinst *t = calloc(1, sizeof *t);
	if (!t)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	t->type = *type;
	t->type.limits.min = 0;
	t->max = max;
	if (wt_table_grow(t, (uint32_t)type->limits.min, init) < 0) {
		free(t);
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

int64_t wt_table_grow(wt_tableinst *t, uint32_t delta, wt_slot init)
{
	uint64_t old = t->size, size = old + delta;
	if (size > t->max)
		return -1;
	uint64_t cap = table_cap(size, t->max);
	if (cap > table_cap(old, t->max)) {
		if (cap > SIZE_MAX / sizeof(wt_slot))
			return -1;
		wt_slot *elems = realloc(t->elems, (size_t)cap * sizeof(wt_slot));
		if (!elems)
			return -1;
		t->elems = elems;
	}
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

const wt_globaltype *wt_global_type(const wt_globalinst *g)
{
	return &g->type;
}
