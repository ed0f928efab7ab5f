/* jit_reloc.h: the relocations of a compiled object: every address of this process the generated
 * code uses, named by kind and index, laid out in the object's table and resolved at load. */
#ifndef WT_JIT_RELOC_H
#define WT_JIT_RELOC_H

#include <stdint.h>

#include "store.h"

/*
 * The generated code holds no address of the process that compiled it:
 * each one is an entry of the object's table `wt_rel` (void *[total]),
 * read where the code needs it. Entry base[kind] + index holds what the
 * kind names for that index in the instance the object is loaded into:
 *
 *   X(kind, entries per instance, what entry i holds)
 */
#define WT_REL_KIND_LIST(X)                                                                \
	X(FUNC, m->nfuncs, "the wt_funcinst of function i (imported or defined)")          \
	X(FUNC_CODE, m->nfuncs, "&funcs[i]->code (a direct call checks it is compiled)")   \
	X(TABLE, m->ntables, "the wt_tableinst of table i")                                \
	X(TABLE_SIZE, m->ntables, "&tables[i]->size")                                      \
	X(MEMORY, m->nmemories, "the wt_meminst of memory i")                              \
	X(MEMORY_DATA, m->nmemories, "&memories[i]->data")                                 \
	X(MEMORY_SIZE, m->nmemories, "&memories[i]->size")                                 \
	X(GLOBAL, m->nglobals, "&globals[i]->value")                                       \
	X(GLOBAL_HI, m->nglobals, "&globals[i]->hi (the high half of a v128)")             \
	X(TYPE_ID, m->ntypes, "the store's id of module type i (a value, not an address)") \
	X(DATA_DROPPED, m->ndatas, "&data_dropped[i]")                                     \
	X(ELEM_DROPPED, m->nelems, "&elem_dropped[i]")                                     \
	X(INSTANCE, 1, "the instance")                                                     \
	X(STORE, WT_RS_COUNT, "a field of the store or a limit (wt_rel_store)")            \
	X(RT, WT_RT_COUNT, "a run-time helper of jit_impl.h (wt_rel_rt)")                  \
	X(BIN, WT_V_COUNT, "the helper of binary op i (wt_jit_bin)")                       \
	X(UN, WT_V_COUNT, "the helper of unary op i (wt_jit_un)")                          \
	X(BINT, WT_V_COUNT, "the helper of trapping binary op i (wt_jit_bint)")            \
	X(UNT, WT_V_COUNT, "the helper of trapping unary op i (wt_jit_unt)")               \
	X(VEC, WT_V_COUNT, "the helper of vector op i (wt_jit_vec)")

typedef enum wt_rel_kind {
#define WT_REL_X_ENUM(k, n, what) WT_REL_##k,
	WT_REL_KIND_LIST(WT_REL_X_ENUM)
#undef WT_REL_X_ENUM
	    WT_REL_KINDS
} wt_rel_kind;

/* The entries of kind STORE: addresses of the store's fields, and its
 * limits as values (the code compares against them). */
typedef enum wt_rel_store {
	WT_RS_INTERRUPT,   /* &store->interrupt */
	WT_RS_FUEL,	   /* &store->fuel */
	WT_RS_DEPTH,	   /* &store->depth */
	WT_RS_STACK,	   /* &store->stack */
	WT_RS_MAX_DEPTH,   /* limits.max_call_depth */
	WT_RS_STACK_BYTES, /* limits.max_stack_slots * sizeof(wt_slot) */
	WT_RS_COUNT
} wt_rel_store;

/* The entries of kind RT: jit_impl.h's helpers. */
#define WT_REL_RT_LIST(X)                      \
	X(TRAP, wt_jit_trap)                   \
	X(CALL, wt_jit_call)                   \
	X(CALL_INDIRECT, wt_jit_call_indirect) \
	X(MEMORY_FILL, wt_jit_memory_fill)     \
	X(MEMORY_COPY, wt_jit_memory_copy)     \
	X(MEMORY_INIT, wt_jit_memory_init)     \
	X(MEMORY_GROW, wt_jit_memory_grow)     \
	X(TABLE_GET, wt_jit_table_get)         \
	X(TABLE_SET, wt_jit_table_set)         \
	X(TABLE_GROW, wt_jit_table_grow)       \
	X(TABLE_FILL, wt_jit_table_fill)       \
	X(TABLE_COPY, wt_jit_table_copy)       \
	X(TABLE_INIT, wt_jit_table_init)

typedef enum wt_rel_rt {
#define WT_REL_X_RT(n, fn) WT_RT_##n,
	WT_REL_RT_LIST(WT_REL_X_RT)
#undef WT_REL_X_RT
	    WT_RT_COUNT
} wt_rel_rt;

/* Where each kind's entries start in the table of an object for module
 * m; base[WT_REL_KINDS] is the table's size. */
typedef struct wt_rel_layout {
	uint32_t base[WT_REL_KINDS + 1];
} wt_rel_layout;

void wt_rel_layout_init(wt_rel_layout *l, const wt_module *m);

/* The number of entries of kind k (base[k + 1] - base[k]). */
static inline uint32_t wt_rel_count(const wt_rel_layout *l, wt_rel_kind k)
{
	return l->base[k + 1] - l->base[k];
}

/* The name of kind k ("FUNC"), for messages and docs. */
const char *wt_rel_kind_name(wt_rel_kind k);

/* What entry (k, i) holds in inst (i < wt_rel_count). */
void *wt_rel_resolve(wt_instance *inst, wt_rel_kind k, uint32_t i);

/* The symbolic index of an address or id the internal code holds (code.h
 * P and k operands), for the translator: built once per object. */
typedef struct wt_rel_map wt_rel_map;

wt_rel_map *wt_rel_map_new(const wt_instance *inst);
void wt_rel_map_free(wt_rel_map *map);

/* The index i with (k, i) resolving to p in the instance the map was made
 * for: k is FUNC (a wt_funcinst *), TABLE (a wt_tableinst *), GLOBAL (a
 * global's &value), GLOBAL_HI (its &hi) or TYPE_ID (p is the id). 0, or -1 when p is none. */
int wt_rel_map_find(const wt_rel_map *map, wt_rel_kind k, uint64_t p, uint32_t *i);

#endif
