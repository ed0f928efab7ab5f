/* decode.h: internal to the decoder (decode*.c): the decoder state and one reader per section. */
#ifndef WT_DECODE_H
#define WT_DECODE_H

#include <stdint.h>

#include "module.h"
#include "reader.h"

/* Per-function cap on declared locals (params excluded), and a module-wide
 * cap on expanded local types so a small module cannot make us allocate
 * gigabytes (each body may declare many locals in a few bytes). */
enum { WT_MAX_LOCALS = 50000, WT_MAX_MODULE_LOCALS = 1 << 26 };

/* Cap on the function index space (as in the major engines): a defined
 * function costs a few input bytes but a wt_func of ~60 bytes; likewise
 * an empty custom section takes 3 bytes and ~60 in the arena. */
enum { WT_MAX_FUNCS = 1000000, WT_MAX_CUSTOMS = 100000 };

typedef struct wt_decoder {
	wt_module *m;
	uint32_t ndefined_funcs;	   /* from the function section */
	int has_code;			   /* a code section was read */
	int has_data;			   /* a data section was read */
	uint64_t total_locals;		   /* expanded locals over all bodies */
	int has_names;			   /* the first "name" custom section: */
	uint32_t names_offset, names_size; /* its contents, parsed at the end */
} wt_decoder;

/* Section readers: each reads the whole contents of its section from s
 * (a sub-reader over exactly the section) and fills d->m. They return 0 or
 * WT_MALFORMED (WT_NOMEM, WT_LIMIT) recorded in err with the offset; the
 * caller checks that the section is used up. */
int wt_decode_types(wt_decoder *d, wt_reader *s, wt_error *err);
int wt_decode_imports(wt_decoder *d, wt_reader *s, wt_error *err);
int wt_decode_functions(wt_decoder *d, wt_reader *s, wt_error *err);
int wt_decode_tables(wt_decoder *d, wt_reader *s, wt_error *err);
int wt_decode_memories(wt_decoder *d, wt_reader *s, wt_error *err);
int wt_decode_globals(wt_decoder *d, wt_reader *s, wt_error *err);
int wt_decode_exports(wt_decoder *d, wt_reader *s, wt_error *err);
int wt_decode_start(wt_decoder *d, wt_reader *s, wt_error *err);
int wt_decode_elems(wt_decoder *d, wt_reader *s, wt_error *err);
int wt_decode_datacount(wt_decoder *d, wt_reader *s, wt_error *err);
int wt_decode_code(wt_decoder *d, wt_reader *s, wt_error *err);
int wt_decode_datas(wt_decoder *d, wt_reader *s, wt_error *err);

/* Builds the index spaces of functions, tables, memories and globals whose
 * sections were absent (imports only). Idempotent. */
int wt_decode_spaces(wt_decoder *d, wt_error *err);

/* Applies the "name" custom section found earlier (module and function
 * names). A malformed name section is ignored: it never fails the module;
 * only running out of memory does. */
int wt_decode_names(wt_decoder *d, wt_error *err);

/* Shared small readers (decode_types.c). */
int wt_decode_count(wt_reader *s, uint32_t *n, wt_error *err);
int wt_decode_valtype(wt_reader *s, uint8_t *out, wt_error *err);
int wt_decode_reftype(wt_reader *s, uint8_t *out, wt_error *err);
int wt_decode_constexpr(wt_reader *s, wt_constexpr *out, wt_error *err);
/* An array of n entry offsets (wt_module.at), zeroed, in the module's arena; NULL when out of
 * memory. */
uint32_t *wt_decode_at_array(wt_module *m, uint32_t n);
int wt_decode_name_copy(wt_decoder *d, wt_reader *s, const char **out, uint32_t *len,
			wt_error *err);

#endif
