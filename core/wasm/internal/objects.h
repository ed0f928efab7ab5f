/* objects.h: private to the runtime's object files (store, memory, objects, instantiate). */
#ifndef WT_OBJECTS_H
#define WT_OBJECTS_H

#include "store.h"

/* What wt_store_free must do with a registered object besides free(). */
typedef enum {
	WT_OBJ_PLAIN = 0,  /* free() only (globals, host functions, wt_store_own) */
	WT_OBJ_FUNC = 1,   /* a wt_funcinst: wt_code_free(code) first */
	WT_OBJ_TABLE = 2,  /* a wt_tableinst: its elems too */
	WT_OBJ_MEMORY = 3, /* a wt_meminst: its mapping too */
} wt_objkind;

/* Registers p (of kind) as owned by the store. Returns 0; or WT_NOMEM
 * after destroying p as wt_store_free would. */
int wt_store_track(wt_store *s, void *p, wt_objkind kind);

/* Frees one object of a kind (accepts NULL). */
void wt_object_destroy(void *p, wt_objkind kind);

/* Makes a memory / table owned by the store. 0, or WT_LIMIT (the
 * minimum does not fit in what is left of the store's memory budget) or
 * WT_NOMEM with err filled. */
int wt_memory_make(wt_store *s, const wt_memtype *type, wt_meminst **out, wt_error *err);
int wt_table_make(wt_store *s, const wt_tabletype *type, wt_slot init, wt_tableinst **out,
		  wt_error *err);

/* The memory's reserved span and its release (memory.c); a table's
 * entries. Each gives back what the store's budget paid. */
void wt_memory_destroy(wt_meminst *m);
void wt_table_destroy(wt_tableinst *t);

/* Frees an instance and what it alone owns (its arrays, its defined
 * functions and globals; tables and memories are store objects). */
void wt_instance_destroy(wt_instance *inst);

#endif
