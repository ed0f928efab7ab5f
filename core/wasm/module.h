/* module.h: the decoded module (WebAssembly 2.0), as decode.c builds it and validate.c checks it.
 */
#ifndef WT_MODULE_H
#define WT_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"

/* Value types, by their binary encoding. */
typedef enum {
	WT_I32 = 0x7F,
	WT_I64 = 0x7E,
	WT_F32 = 0x7D,
	WT_F64 = 0x7C,
	WT_V128 = 0x7B,
	WT_FUNCREF = 0x70,
	WT_EXTERNREF = 0x6F,
} wt_valtype;

/* External kinds, by their binary encoding. */
typedef enum {
	WT_EXTERN_FUNC = 0,
	WT_EXTERN_TABLE = 1,
	WT_EXTERN_MEMORY = 2,
	WT_EXTERN_GLOBAL = 3,
} wt_extern_kind;

/* A function type: params then results in one array (types[0..nparams) are
 * the params, types[nparams..nparams+nresults) the results). */
typedef struct wt_functype {
	uint32_t nparams, nresults;
	const uint8_t *types;
} wt_functype;

/* The value slots n values of these types take: a v128 takes two. */
static inline uint32_t wt_types_slots(const uint8_t *types, uint32_t n)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		k += types[i] == WT_V128 ? 2 : 1;
	return k;
}

typedef struct wt_limits {
	uint64_t min;
	uint64_t max;
	int has_max;
} wt_limits;

typedef struct wt_tabletype {
	uint8_t elem; /* WT_FUNCREF or WT_EXTERNREF */
	wt_limits limits;
} wt_tabletype;

typedef struct wt_memtype {
	wt_limits limits; /* in 64 KiB pages */
} wt_memtype;

typedef struct wt_globaltype {
	uint8_t type;
	uint8_t mut;
} wt_globaltype;

/* A constant expression, kept as the byte range of its instructions
 * (ending with 0x0b) inside the module's bytes; validated at load and
 * evaluated at instantiation. */
typedef struct wt_constexpr {
	uint32_t offset; /* into wt_module.bytes */
	uint32_t size;	 /* including the final 0x0b */
} wt_constexpr;

typedef struct wt_import {
	const char *module; /* NUL-terminated copies (names are valid UTF-8 and */
	const char *name;   /* may contain NUL: use the lengths)                */
	uint32_t module_len, name_len;
	uint8_t kind; /* wt_extern_kind */
	union {
		uint32_t type_index; /* WT_EXTERN_FUNC */
		wt_tabletype table;
		wt_memtype memory;
		wt_globaltype global;
	} desc;
} wt_import;

typedef struct wt_export {
	const char *name; /* NUL-terminated copy; name_len holds the length */
	uint32_t name_len;
	uint8_t kind;
	uint32_t index;
} wt_export;

/* A function of the function index space; imported functions come first. */
typedef struct wt_func {
	uint32_t type_index;
	int imported;
	/* Defined functions only. body_offset/body_size: the whole body entry
	 * (after its size LEB) in wt_module.bytes; code_offset: the first
	 * instruction, after the local declarations. */
	uint32_t body_offset, body_size, code_offset;
	uint32_t nlocals;	    /* declared locals, params excluded */
	const uint8_t *local_types; /* nlocals entries, expanded */
	/* Set by validate.c: the deepest operand stack and control stack the
	 * body reaches; the compiler sizes frames from them. */
	uint32_t max_stack, max_blocks;
	const char *name; /* from the name section, or NULL */
} wt_func;

typedef struct wt_table {
	wt_tabletype type;
	int imported;
} wt_table;

typedef struct wt_memory {
	wt_memtype type;
	int imported;
} wt_memory;

typedef struct wt_global {
	wt_globaltype type;
	int imported;
	wt_constexpr init; /* defined globals only */
} wt_global;

typedef enum {
	WT_SEG_ACTIVE = 0,
	WT_SEG_PASSIVE = 1,
	WT_SEG_DECLARATIVE = 2,
} wt_segmode;

/* An element segment. Items are either function indices (func_indices,
 * from the legacy/index encodings) or constant expressions (exprs). */
typedef struct wt_elem {
	uint8_t mode; /* wt_segmode */
	uint8_t type; /* WT_FUNCREF or WT_EXTERNREF */
	uint32_t table_index;
	wt_constexpr offset; /* active only */
	uint32_t count;
	const uint32_t *func_indices; /* or NULL when exprs is used */
	const wt_constexpr *exprs;    /* or NULL when func_indices is used */
} wt_elem;

typedef struct wt_data {
	uint8_t mode; /* WT_SEG_ACTIVE or WT_SEG_PASSIVE */
	uint32_t memory_index;
	wt_constexpr offset;	     /* active only */
	uint32_t bytes_offset, size; /* the segment's bytes in wt_module.bytes */
} wt_data;

typedef struct wt_custom {
	const char *name;
	uint32_t name_len;
	uint32_t offset, size; /* contents, in wt_module.bytes */
} wt_custom;

/* A decoded module. Every table lives in one arena; wt_module_free frees
 * it all. The module borrows `bytes` (the caller keeps them alive until
 * wt_module_free). */
typedef struct wt_module {
	wt_arena arena;
	const uint8_t *bytes;
	size_t size;

	uint32_t ntypes;
	wt_functype *types;
	uint32_t nimports;
	wt_import *imports;
	uint32_t nfuncs, nfunc_imports; /* index space = imports + defined */
	wt_func *funcs;
	uint32_t ntables, ntable_imports;
	wt_table *tables;
	uint32_t nmemories, nmemory_imports;
	wt_memory *memories;
	uint32_t nglobals, nglobal_imports;
	wt_global *globals;
	uint32_t nexports;
	wt_export *exports;
	int has_start;
	uint32_t start, start_at; /* start_at: byte offset of the start section's index */
	uint32_t nelems;
	wt_elem *elems;
	int has_data_count;
	uint32_t data_count;
	uint32_t ndatas;
	wt_data *datas;
	uint32_t ncustoms;
	wt_custom *customs;
	const char *name; /* module name from the name section, or NULL */

	/* Byte offsets of the entries in `bytes`, for error locations: one
	 * array per kind, indexed like the entries (an imported function,
	 * table, memory or global has its import's offset). NULL when the
	 * decoder did not fill them (a module built by hand). */
	struct {
		uint32_t *imports, *funcs, *tables, *memories, *globals, *exports, *elems, *datas;
	} at;

	/* Set by validate.c: functions referenced outside function bodies
	 * (exports, elements, globals) may be used by ref.func. One byte
	 * per function index. */
	uint8_t *func_declared;

	/* The sha256 of `bytes`, when whoever read them computed it (wt_run does,
	 * once, as the module is read: the pin, the journal, the code cache and
	 * the compiled objects all take it from there); has_sha256 0: not known,
	 * wt_module_sha256 computes it. */
	uint8_t sha256[32];
	int has_sha256;
} wt_module;

/* Decodes bytes[0..size) (borrowed) into *out. On failure returns
 * WT_MALFORMED with the byte offset in err and *out is NULL. Function
 * bodies are split and their locals read, not validated. */
int wt_decode(const uint8_t *bytes, size_t size, wt_module **out, wt_error *err);

/* Validates the whole module (every function body and constant
 * expression). Returns 0 or WT_INVALID / WT_MALFORMED with the byte
 * offset in err. Fills wt_func.max_stack/max_blocks and func_declared. */
int wt_validate(wt_module *m, wt_error *err);

/* Frees the module and everything in its arena. Accepts NULL. */
void wt_module_free(wt_module *m);

/* The sha256 of m's bytes: m->sha256 when it is known, else computed into
 * buf (a module built without it: the tests', the spec harness'). Returns
 * the one that holds it. */
const uint8_t *wt_module_sha256(const wt_module *m, uint8_t buf[32]);

/* The function type of function index `func`. */
static inline const wt_functype *wt_module_functype(const wt_module *m, uint32_t func)
{
	return &m->types[m->funcs[func].type_index];
}

#endif
