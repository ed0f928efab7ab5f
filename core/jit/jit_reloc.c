/* jit_reloc.c: the relocation kinds of compiled objects: their table layout, their resolution in
 * an instance, and the symbolic index of the addresses the internal code holds. */
#include <stdlib.h>

#include "jit_impl.h"
#include "jit_reloc.h"

void wt_rel_layout_init(wt_rel_layout *l, const wt_module *m)
{
	uint32_t at = 0, k = 0;
#define WT_REL_X_BASE(kind, n, what) l->base[k++] = at, at += (n);
	WT_REL_KIND_LIST(WT_REL_X_BASE)
#undef WT_REL_X_BASE
	l->base[k] = at;
}

const char *wt_rel_kind_name(wt_rel_kind k)
{
	static const char *const names[WT_REL_KINDS] = {
#define WT_REL_X_NAME(kind, n, what) #kind,
	    WT_REL_KIND_LIST(WT_REL_X_NAME)
#undef WT_REL_X_NAME
	};
	return k < WT_REL_KINDS ? names[k] : "?";
}

static void *store_entry(wt_store *s, uint32_t i)
{
	switch ((wt_rel_store)i) {
	case WT_RS_INTERRUPT:
		return (void *)&s->interrupt;
	case WT_RS_FUEL:
		return &s->fuel;
	case WT_RS_DEPTH:
		return &s->depth;
	case WT_RS_STACK:
		return &s->stack;
	case WT_RS_MAX_DEPTH:
		return (void *)(uintptr_t)s->limits.max_call_depth;
	case WT_RS_STACK_BYTES:
		return (void *)(uintptr_t)((uint64_t)s->limits.max_stack_slots * sizeof(wt_slot));
	default:
		return NULL;
	}
}

static void *rt_entry(uint32_t i)
{
	static void *const fns[WT_RT_COUNT] = {
#define WT_REL_X_FN(n, fn) (void *)fn,
	    WT_REL_RT_LIST(WT_REL_X_FN)
#undef WT_REL_X_FN
	};
	return fns[i];
}

void *wt_rel_resolve(wt_instance *inst, wt_rel_kind k, uint32_t i)
{
	switch (k) {
	case WT_REL_FUNC:
		return inst->funcs[i];
	case WT_REL_FUNC_CODE:
		return &inst->funcs[i]->code;
	case WT_REL_TABLE:
		return inst->tables[i];
	case WT_REL_TABLE_SIZE:
		return &inst->tables[i]->size;
	case WT_REL_MEMORY:
		return inst->memories[i];
	case WT_REL_MEMORY_DATA:
		return &inst->memories[i]->data;
	case WT_REL_MEMORY_SIZE:
		return &inst->memories[i]->size;
	case WT_REL_GLOBAL:
		return &inst->globals[i]->value;
	case WT_REL_GLOBAL_HI:
		return &inst->globals[i]->hi;
	case WT_REL_TYPE_ID:
		return (void *)(uintptr_t)inst->type_ids[i];
	case WT_REL_DATA_DROPPED:
		return &inst->data_dropped[i];
	case WT_REL_ELEM_DROPPED:
		return &inst->elem_dropped[i];
	case WT_REL_INSTANCE:
		return inst;
	case WT_REL_STORE:
		return store_entry(inst->store, i);
	case WT_REL_RT:
		return rt_entry(i);
	case WT_REL_BIN:
		return (void *)wt_jit_bin[i];
	case WT_REL_UN:
		return (void *)wt_jit_un[i];
	case WT_REL_BINT:
		return (void *)wt_jit_bint[i];
	case WT_REL_UNT:
		return (void *)wt_jit_unt[i];
	case WT_REL_VEC:
		return (void *)wt_jit_vec[i];
	default:
		return NULL;
	}
}

/* ---- the symbolic index of an address: one sorted array of (kind, key) ---- */

typedef struct rel_key {
	uint64_t key;
	uint32_t kind, index;
} rel_key;

struct wt_rel_map {
	rel_key *keys;
	uint32_t n;
};

static int key_cmp(const void *pa, const void *pb)
{
	const rel_key *a = pa, *b = pb;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static void add(wt_rel_map *map, wt_rel_kind k, uint64_t key, uint32_t i)
{
	map->keys[map->n++] = (rel_key){key, (uint32_t)k, i};
}

wt_rel_map *wt_rel_map_new(const wt_instance *inst)
{
	const wt_module *m = inst->module;
	wt_rel_map *map = calloc(1, sizeof *map);
	uint64_t n = (uint64_t)m->nfuncs + m->ntables + 2 * (uint64_t)m->nglobals + m->ntypes;
	if (!map || !(map->keys = calloc(n ? n : 1, sizeof *map->keys))) {
		free(map);
		return NULL;
	}
	for (uint32_t i = 0; i < m->nfuncs; i++)
		add(map, WT_REL_FUNC, (uintptr_t)inst->funcs[i], i);
	for (uint32_t i = 0; i < m->ntables; i++)
		add(map, WT_REL_TABLE, (uintptr_t)inst->tables[i], i);
	for (uint32_t i = 0; i < m->nglobals; i++) {
		add(map, WT_REL_GLOBAL, (uintptr_t)&inst->globals[i]->value, i);
		add(map, WT_REL_GLOBAL_HI, (uintptr_t)&inst->globals[i]->hi, i);
	}
	for (uint32_t i = 0; i < m->ntypes; i++)
		add(map, WT_REL_TYPE_ID, inst->type_ids[i], i);
	qsort(map->keys, map->n, sizeof *map->keys, key_cmp);
	return map;
}

void wt_rel_map_free(wt_rel_map *map)
{
	if (!map)
		return;
	free(map->keys);
	free(map);
}

int wt_rel_map_find(const wt_rel_map *map, wt_rel_kind k, uint64_t p, uint32_t *i)
{
	uint32_t lo = 0, hi = map->n;
	rel_key want = {p, (uint32_t)k, 0};
	while (lo < hi) { /* the first entry not below (k, p, 0) */
		uint32_t mid = lo + (hi - lo) / 2;
		if (key_cmp(&map->keys[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == map->n || map->keys[lo].kind != (uint32_t)k || map->keys[lo].key != p)
		return -1;
	*i = map->keys[lo].index;
	return 0;
}
