/* store.h: the runtime's internal objects (store, instances, functions, tables, memories,
 * globals), shared by instantiate.c, the compiler and the interpreter. Not for
 * code outside core/: it uses runtime.h. */
#ifndef WT_STORE_H
#define WT_STORE_H

#include <stdatomic.h>
#include <stdint.h>

#include "module.h"
#include "runtime.h"

/* A function type interned in the store: two structurally equal types
 * have the same id, so call_indirect and import matching compare ids. */
typedef struct wt_typeref {
	uint32_t id;
	const wt_functype *type; /* owned by the store */
} wt_typeref;

/* The compiled form of one defined function; compile.c owns its layout
 * (see code.h). NULL until the function's first call. */
typedef struct wt_code wt_code;

/* A function of the compiling tier (core/jit/): runs the body of a
 * function whose frame the caller has checked and set up (code.h). */
typedef struct wt_jit_ctx wt_jit_ctx;
typedef int (*wt_jit_fn)(wt_jit_ctx *x, wt_slot *fp);

struct wt_funcinst {
	wt_typeref type;
	wt_instance *instance; /* the defining instance; NULL for host functions */
	uint32_t func_index;   /* index in that instance's module */
	wt_code *code;	       /* defined functions, compiled lazily */
	wt_host_fn host;       /* host functions */
	void *host_data;
	wt_jit_fn jit; /* its compiled body, when the compiling tier made one */
	uint8_t hot;   /* the store's hot hook took it (never called again) */
};

struct wt_tableinst {
	wt_tabletype type; /* limits.min is the current size */
	wt_slot *elems;	   /* size entries; 0 = null */
	uint32_t size;
	uint32_t max;	 /* effective maximum (type max, else UINT32_MAX) */
	uint32_t cap;	 /* entries allocated (and charged to the store) */
	wt_store *store; /* whose memory budget pays for the entries */
};

struct wt_meminst {
	wt_memtype type; /* limits.min is the current size in pages */
	uint8_t *data;
	uint64_t size;	    /* bytes = pages * 65536 */
	uint64_t max_pages; /* effective maximum: type max, store limit, 65536 */
	wt_store *store;    /* whose memory budget pays for the pages */
};

struct wt_globalinst {
	wt_globaltype type;
	wt_slot value;
	wt_slot hi; /* v128 only: the high 64 bits (value holds the low ones) */
};

struct wt_instance {
	wt_store *store;
	const wt_module *module;
	wt_funcinst **funcs;	 /* module->nfuncs */
	wt_tableinst **tables;	 /* module->ntables */
	wt_meminst **memories;	 /* module->nmemories */
	wt_globalinst **globals; /* module->nglobals */
	uint32_t *type_ids;	 /* module->ntypes: interned ids of the module's types */
	uint8_t *elem_dropped;	 /* module->nelems */
	uint8_t *data_dropped;	 /* module->ndatas */
	uint64_t charged;	 /* bytes of the above charged to the store */
	wt_instance *next;	 /* the store's list */
};

/* One interpreter frame on the store's frame stack (no C recursion). The
 * layout of the rest of the interpreter state is the VM's (vm.c). */
typedef struct wt_frame wt_frame;

/* Called for a defined function whose interpreted calls plus loop
 * back-edges reach the store's hot threshold (core/run's tier-up: it
 * tells the compile child). 1: taken, the hook never hears of f again;
 * 0: not yet (too early in the run), ask again after as many more. It
 * must not change what the guest sees. */
typedef int (*wt_hot_fn)(void *ctx, wt_funcinst *f);

struct wt_store {
	wt_store_limits limits;
	_Atomic int interrupt; /* set by wt_store_interrupt */
	uint64_t fuel;	       /* left, when limits.fuel != 0 */
	uint64_t mem_used;     /* bytes charged against limits.max_memory */

	/* Interned function types. */
	uint32_t ntypes, cap_types;
	const wt_functype **types;
	uint32_t *type_hash; /* open addressing: type ids, UINT32_MAX = empty */
	uint32_t hash_cap;   /* a power of two, or 0 */

	/* Everything allocated in the store, freed by wt_store_free. */
	wt_instance *instances;
	void **objects; /* funcinsts, tables, memories, globals, type copies */
	uint32_t nobjects, cap_objects;

	/* The interpreter's stacks, allocated on first call. */
	wt_slot *stack;	    /* limits.max_stack_slots slots */
	wt_frame *frames;   /* limits.max_call_depth frames */
	uint32_t depth;	    /* frames in use (re-entrant calls nest) */
	wt_slot *stack_top; /* first free slot for a nested wt_call */

	/* Hotness (wt_store_set_hot): each function's code counts down from
	 * hot_threshold; NULL hook: no function ever reaches 0 in practice. */
	wt_hot_fn hot_hook;
	void *hot_ctx;
	uint32_t hot_threshold;
};

/* Sets the hot hook: fn(ctx, f) is called for a defined function each
 * time its interpreted calls plus loop back-edges reach threshold (at
 * least) more, until it returns 1; functions compiled from then on count.
 * NULL fn: none. */
void wt_store_set_hot(wt_store *s, uint32_t threshold, wt_hot_fn fn, void *ctx);

/* Interns a function type; returns its id, or UINT32_MAX when out of
 * memory. The type is copied on first sight. */
uint32_t wt_store_intern(wt_store *s, const wt_functype *type, const wt_functype **out);

/* Registers p as owned by the store (freed with free() by wt_store_free);
 * returns p, or NULL (and frees p) when out of memory. */
void *wt_store_own(wt_store *s, void *p);

/* Gives back bytes charged with wt_store_charge (when what they paid for
 * is freed before the store). */
void wt_store_uncharge(wt_store *s, uint64_t bytes);

/* 0 when bytes fit in what is left of the store's memory budget; else
 * WT_LIMIT with a message naming `what` (a printf format and its
 * arguments: "table of 5 entries"). Charges nothing. */
int wt_store_afford(const wt_store *s, uint64_t bytes, wt_error *err, const char *what, ...)
    __attribute__((format(printf, 4, 5)));

/* Grows a memory by delta pages; returns the old size in pages or -1. */
int64_t wt_memory_grow(wt_meminst *m, uint64_t delta);

/* Grows a table by delta entries filled with init; returns the old size
 * or -1. */
int64_t wt_table_grow(wt_tableinst *t, uint32_t delta, wt_slot init);

/* Evaluates a validated constant expression of instance inst (whose
 * globals and funcs are already set up) into *out. */
int wt_constexpr_eval(const wt_instance *inst, wt_constexpr e, wt_slot *out, wt_error *err);
/* The same, into out[0] and out[1] (the high half of a v128; else unspecified). */
int wt_constexpr_eval_slots(const wt_instance *inst, wt_constexpr e, wt_slot *out, wt_error *err);

/* Evaluates item i of element segment e of inst (a function index or a
 * constant expression) into a reference slot (0 = null, else the address
 * of a wt_funcinst, or an externref value). For table.init and
 * instantiation. 0 or a status in err. */
int wt_elem_item(const wt_instance *inst, const wt_elem *e, uint32_t i, wt_slot *out,
		 wt_error *err);

/* Compiles function f (a defined function) into f->code; 0 or a status
 * (WT_NOMEM, WT_LIMIT) in err. Called by the VM on first call. */
int wt_compile(wt_funcinst *f, wt_error *err);

/* The same translation into *out, not attached to f, with op numbers in
 * place of handler addresses (for the compiling tier, which reads it);
 * its charges are given back. 0 or a status in err. */
int wt_compile_detached(wt_funcinst *f, wt_code **out, wt_error *err);

/* Frees a compiled function. Accepts NULL. */
void wt_code_free(wt_code *code);

#endif
