/* runtime.h: the engine's public API: store, instances, calls, traps, host functions. */
#ifndef WT_RUNTIME_H
#define WT_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "module.h"

/* Traps: the guest's own result space (never a tool status, never a WASI
 * errno). X(name, message). WT_TRAP_EXIT is not an error: a host function
 * (proc_exit) ends the run with an exit code. WT_TRAP_HOST: a host
 * function stopped the run (e.g. a policy said stop); its message is in
 * wt_trap.msg. WT_TRAP_SIGNAL: the module raised a signal whose default
 * action ends a process (proc_raise); exit_code is its host number, msg
 * its name. */
#define WT_TRAP_LIST(X)                                                \
	X(WT_TRAP_NONE, "no trap")                                     \
	X(WT_TRAP_UNREACHABLE, "unreachable")                          \
	X(WT_TRAP_MEMORY_OOB, "out of bounds memory access")           \
	X(WT_TRAP_TABLE_OOB, "out of bounds table access")             \
	X(WT_TRAP_UNDEFINED_ELEMENT, "undefined element")              \
	X(WT_TRAP_UNINITIALIZED_ELEMENT, "uninitialized element")      \
	X(WT_TRAP_INDIRECT_TYPE, "indirect call type mismatch")        \
	X(WT_TRAP_DIV_ZERO, "integer divide by zero")                  \
	X(WT_TRAP_INT_OVERFLOW, "integer overflow")                    \
	X(WT_TRAP_INVALID_CONVERSION, "invalid conversion to integer") \
	X(WT_TRAP_STACK_EXHAUSTED, "call stack exhausted")             \
	X(WT_TRAP_FUEL_EXHAUSTED, "fuel exhausted")                    \
	X(WT_TRAP_TIMEOUT, "time limit exceeded")                      \
	X(WT_TRAP_MEMORY_LIMIT, "memory limit exceeded")               \
	X(WT_TRAP_EXIT, "exit")                                        \
	X(WT_TRAP_HOST, "stopped by the host")                         \
	X(WT_TRAP_SIGNAL, "terminated by a signal")

typedef enum {
#define WT_X_ENUM(name, text) name,
	WT_TRAP_LIST(WT_X_ENUM)
#undef WT_X_ENUM
} wt_trap_kind;

/* The spec's wording of a trap ("integer divide by zero"). */
const char *wt_trap_message(wt_trap_kind kind);

typedef struct wt_trap {
	wt_trap_kind kind;
	uint32_t func_index;   /* the function that trapped, in its module */
	const char *func_name; /* from the name section, or NULL */
	uint32_t code_offset;  /* byte offset in the module of the instruction */
	int exit_code;	       /* WT_TRAP_EXIT */
	char msg[256];	       /* WT_TRAP_HOST: why the host stopped the run */
} wt_trap;

/* Formats a trap for people: "integer divide by zero in function 3 <fac>
 * at 0x1f2" (or "exit 3"). Always terminated. */
void wt_trap_format(const wt_trap *trap, char *buf, size_t size);

/* A value slot: every WebAssembly value is 64 bits in the engine, except
 * v128, which takes two consecutive slots (its low 64 bits first, lanes in
 * little-endian order) in every array of values: wt_call's args and
 * results, a host function's args and results, wt_global_get_slots. i32
 * is zero-extended; floats are their bit
 * patterns (NaN payloads kept); a reference is 0 for null, else the
 * address of a wt_funcinst (funcref) or the host's non-zero value
 * (externref). */
typedef uint64_t wt_slot;

typedef struct wt_value {
	uint8_t type; /* wt_valtype */
	wt_slot bits;
} wt_value;

typedef struct wt_store wt_store;
typedef struct wt_instance wt_instance;
typedef struct wt_funcinst wt_funcinst;
typedef struct wt_tableinst wt_tableinst;
typedef struct wt_meminst wt_meminst;
typedef struct wt_globalinst wt_globalinst;

/* An external value: what an import receives and an export gives. */
typedef struct wt_extern {
	uint8_t kind; /* wt_extern_kind */
	union {
		wt_funcinst *func;
		wt_tableinst *table;
		wt_meminst *memory;
		wt_globalinst *global;
	} u;
} wt_extern;

/* What a host function sees while it runs. */
typedef struct wt_host_call {
	wt_store *store;
	wt_instance *caller; /* the instance whose code called */
	void *data;	     /* the host's pointer given to wt_func_new_host */
	wt_trap *trap;	     /* to end the run: fill and return non-zero */
} wt_host_call;

/* A host function: args[0..nparams) in, results written to
 * results[0..nresults) (results may alias args). Returns 0 to continue;
 * non-zero after filling call->trap (kind WT_TRAP_EXIT with exit_code for
 * proc_exit, WT_TRAP_HOST with msg to stop the run). */
typedef int (*wt_host_fn)(wt_host_call *call, const wt_slot *args, wt_slot *results);

/* Limits of a store. A zero field takes the default.
 *
 * max_memory is one budget for everything the store holds for its guests
 * that their modules can make grow: every linear memory's committed pages,
 * every table's entries, each instance's own arrays, function and global
 * blocks, and the compiled code of each function (charged as it is
 * compiled). A memory.grow or table.grow past it returns -1, a table or
 * memory made over it fails with WT_LIMIT, and code that cannot be
 * compiled within it traps with WT_TRAP_MEMORY_LIMIT. The interpreter's
 * value and frame stacks (sized by the two limits below, not by the
 * guest) are not charged. An embedder may charge more (wt_store_charge).
 *
 * fuel also pays for the work of bulk operations: memory.fill, .copy and
 * .init one unit per 8 bytes (rounded up), table.fill, .copy, .init and
 * .grow one unit per entry; charged before the operation does anything. */
typedef struct wt_store_limits {
	uint64_t fuel;		  /* instructions budget; 0 = unlimited */
	uint64_t max_memory;	  /* bytes for the whole store; 0 = 4 GiB */
	uint32_t max_call_depth;  /* frames; default 20000 */
	uint32_t max_stack_slots; /* value stack slots; default 1M */
} wt_store_limits;

/* The store owns every instance and every function, table, memory and
 * global made in it; wt_store_free frees them all. */
wt_store *wt_store_new(const wt_store_limits *limits);
void wt_store_free(wt_store *s);

/* Asks the running code to stop with WT_TRAP_TIMEOUT at its next check
 * (call, loop back-edge, or return from a host function). Safe to call
 * from a signal handler or another thread. A host function blocked in a
 * system call only sees it when a signal interrupts that call (core/run/run.c
 * sends one for its timeout; wt_host_set_stop). */
void wt_store_interrupt(wt_store *s);

/* 1 while an interrupt is pending (asked, not yet turned into a trap). */
int wt_store_interrupted(const wt_store *s);

/* Fuel left (meaningful when a fuel limit was set). */
uint64_t wt_store_fuel_left(const wt_store *s);

/* Bytes charged against the store's memory budget so far. */
uint64_t wt_store_memory_used(const wt_store *s);

/* Charges bytes the embedder holds for the store's guest (e.g. the
 * module's bytes and decoded tables) against its memory budget: 0, or -1
 * (nothing charged) when they do not fit in what is left. */
int wt_store_charge(wt_store *s, uint64_t bytes);

/* Resolves one import. Fills *out and returns 0, or returns
 * WT_UNLINKABLE with a message in err ("unknown import", "incompatible
 * import type"). The instantiator checks the type of what is returned. */
typedef int (*wt_resolver)(void *ctx, const wt_module *m, const wt_import *imp, wt_extern *out,
			   wt_error *err);

/* Instantiates m (which must outlive the store and have passed
 * wt_validate): resolves and type-checks imports, allocates memories,
 * tables and globals, applies active element and data segments, runs the
 * start function. Returns 0 and *out; or a tool status in err
 * (WT_UNLINKABLE, WT_NOMEM, WT_LIMIT); or, when a segment or the start
 * function traps, returns WT_OK-but-trapped: *out is NULL, the function
 * returns -1 and *trap says why. */
int wt_instantiate(wt_store *s, const wt_module *m, wt_resolver resolve, void *ctx,
		   wt_instance **out, wt_trap *trap, wt_error *err);

/* wt_instantiate in two steps: wt_instantiate_begin does everything
 * before the first guest-visible effect (imports resolved and checked,
 * memories, tables and globals made; the instance is then the store's) and
 * returns 0 and *out or a status in err; wt_instantiate_finish applies the
 * segments and runs the start function, with wt_instantiate's results (0,
 * a status, or -1 and *trap). The compiling tier runs between them, before
 * self-confinement (core/jit/jit.h). */
int wt_instantiate_begin(wt_store *s, const wt_module *m, wt_resolver resolve, void *ctx,
			 wt_instance **out, wt_error *err);
int wt_instantiate_finish(wt_instance *inst, wt_trap *trap, wt_error *err);

/* Looks up an export by name (length-delimited); 0 and *out, or -1. */
int wt_instance_export(const wt_instance *inst, const char *name, size_t len, wt_extern *out);

/* The instance's memory 0, or NULL. */
wt_meminst *wt_instance_memory(const wt_instance *inst);
const wt_module *wt_instance_module(const wt_instance *inst);

/* Calls f with args (their count and types must match f's type; the
 * caller checks with wt_func_type; a v128 takes two slots of args and of
 * results, see wt_slot). Returns 0 with results filled, or -1
 * with *trap filled. Re-entrant from host functions. */
int wt_call(wt_store *s, wt_funcinst *f, const wt_slot *args, wt_slot *results, wt_trap *trap);

/* The type of a function instance (owned by the store). */
const wt_functype *wt_func_type(const wt_funcinst *f);

/* Host objects, for imports (the WASI layer, the spec runner's
 * "spectest" module). Each returns NULL when out of memory or over a
 * limit. The type is copied. */
wt_funcinst *wt_func_new_host(wt_store *s, const wt_functype *type, wt_host_fn fn, void *data);
wt_tableinst *wt_table_new(wt_store *s, const wt_tabletype *type, wt_slot init);
wt_meminst *wt_memory_new(wt_store *s, const wt_memtype *type);
wt_globalinst *wt_global_new(wt_store *s, const wt_globaltype *type, wt_slot value);

wt_slot wt_global_get(const wt_globalinst *g);
/* The global's value as slots: out[0], and out[1] (the high half) for a v128. */
void wt_global_get_slots(const wt_globalinst *g, wt_slot *out);
const wt_globaltype *wt_global_type(const wt_globalinst *g);
const wt_tabletype *wt_table_type(const wt_tableinst *t); /* limits.min = current size */
const wt_memtype *wt_memory_type(const wt_meminst *m);	  /* limits.min = current pages */

/* Guest memory: the one bounds-checked span function. Returns a pointer
 * to mem[addr..addr+len) or NULL when any byte is out of bounds. The
 * pointer is valid until the memory grows (i.e. until guest code runs). */
uint8_t *wt_memory_span(wt_meminst *m, uint64_t addr, uint64_t len);
uint64_t wt_memory_size(const wt_meminst *m); /* bytes */

#endif
