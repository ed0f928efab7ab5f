/* decode_types.c: the type, import, function, table, memory, global, export and start sections. */
#include <string.h>

#include "decode.h"
#include "instr.h"

static int nomem(wt_reader *s, wt_error *err)
{
	return wt_fail(err, WT_NOMEM, wt_reader_offset(s), "out of memory");
}

/* A vector length: every entry takes at least one byte, so a count larger
 * than the bytes left is malformed, and never reaches an allocation. */
int wt_decode_count(wt_reader *s, uint32_t *n, wt_error *err)
{
	size_t at = wt_reader_offset(s);
	if (wt_read_u32(s, n, err))
		return WT_MALFORMED;
	if (*n > wt_reader_left(s))
		return wt_fail(err, WT_MALFORMED, at,
			       "unexpected end: count %u exceeds the %zu bytes left", *n,
			       wt_reader_left(s));
	return 0;
}

static int is_valtype(uint8_t t)
{
	return (t >= WT_V128 && t <= WT_I32) || t == WT_FUNCREF || t == WT_EXTERNREF;
}

int wt_decode_valtype(wt_reader *s, uint8_t *out, wt_error *err)
{
	size_t at = wt_reader_offset(s);
	if (wt_read_u8(s, out, err))
		return WT_MALFORMED;
	if (!is_valtype(*out))
		return wt_fail(err, WT_MALFORMED, at, "malformed value type 0x%02x", *out);
	return 0;
}

int wt_decode_reftype(wt_reader *s, uint8_t *out, wt_error *err)
{
	size_t at = wt_reader_offset(s);
	if (wt_read_u8(s, out, err))
		return WT_MALFORMED;
	if (*out != WT_FUNCREF && *out != WT_EXTERNREF)
		return wt_fail(err, WT_MALFORMED, at, "malformed reference type 0x%02x", *out);
	return 0;
}

/* Finds the end of a constant expression: the first `end` at nesting depth
 * 0. Which instructions are allowed is the validator's question. */
int wt_decode_constexpr(wt_reader *s, wt_constexpr *out, wt_error *err)
{
	size_t start = wt_reader_offset(s);
	uint32_t depth = 0;
	wt_instr in;
	for (;;) {
		if (wt_reader_done(s))
			return wt_fail(
			    err, WT_MALFORMED, wt_reader_offset(s),
			    "unexpected end of constant expression (END opcode expected)");
		if (wt_instr_read(s, &in, err))
			return WT_MALFORMED;
		if (in.op == WT_OP_BLOCK || in.op == WT_OP_LOOP || in.op == WT_OP_IF)
			depth++;
		else if (in.op == WT_OP_END && depth-- == 0)
			break;
	}
	out->offset = (uint32_t)start;
	out->size = (uint32_t)(wt_reader_offset(s) - start);
	return 0;
}

/* A name (UTF-8 checked), copied NUL-terminated into the module's arena. */
int wt_decode_name_copy(wt_decoder *d, wt_reader *s, const char **out, uint32_t *len, wt_error *err)
{
	const uint8_t *bytes;
	if (wt_read_name(s, &bytes, len, err))
		return WT_MALFORMED;
	*out = wt_arena_strndup(&d->m->arena, bytes, *len);
	return *out ? 0 : nomem(s, err);
}

/* Reads n value types at s into dst (n already checked against the input). */
static int read_valtypes(wt_reader *s, uint32_t n, uint8_t *dst, wt_error *err)
{
	for (uint32_t i = 0; i < n; i++)
		if (wt_decode_valtype(s, &dst[i], err))
			return WT_MALFORMED;
	return 0;
}

static int read_functype(wt_decoder *d, wt_reader *s, wt_functype *ft, wt_error *err)
{
	size_t at = wt_reader_offset(s);
	uint8_t form;
	uint32_t np, nr;
	if (wt_read_u8(s, &form, err))
		return WT_MALFORMED;
	if (form & 0x80) /* the form is a one-byte signed LEB128 */
		return wt_fail(err, WT_MALFORMED, at, "integer representation too long");
	if (form != 0x60)
		return wt_fail(err, WT_MALFORMED, at, "malformed function type form 0x%02x", form);
	if (wt_decode_count(s, &np, err))
		return WT_MALFORMED;
	/* Value types are one byte each: the results count follows them. */
	wt_reader results = *s;
	results.pos += np;
	if (wt_decode_count(&results, &nr, err))
		return WT_MALFORMED;
	uint8_t *types = wt_arena_calloc(&d->m->arena, (size_t)np + nr, 1);
	if (!types)
		return nomem(s, err);
	if (read_valtypes(s, np, types, err))
		return WT_MALFORMED;
	s->pos = results.pos;
	if (read_valtypes(s, nr, types + np, err))
		return WT_MALFORMED;
	ft->nparams = np;
	ft->nresults = nr;
	ft->types = types;
	return 0;
}

int wt_decode_types(wt_decoder *d, wt_reader *s, wt_error *err)
{
	wt_module *m = d->m;
	if (wt_decode_count(s, &m->ntypes, err))
		return WT_MALFORMED;
	m->types = wt_arena_calloc(&m->arena, m->ntypes, sizeof *m->types);
	if (!m->types)
		return nomem(s, err);
	for (uint32_t i = 0; i < m->ntypes; i++) {
		int rc = read_functype(d, s, &m->types[i], err);
		if (rc) {
			wt_error_prefix(err, "type %u", i);
			return rc;
		}
	}
	return 0;
}

static int read_limits(wt_reader *s, wt_limits *l, wt_error *err)
{
	size_t at = wt_reader_offset(s);
	uint8_t flags;
	uint32_t min, max = 0;
	if (wt_read_u8(s, &flags, err))
		return WT_MALFORMED;
	if (flags & 0x80) /* the flags are a one-byte LEB128 */
		return wt_fail(err, WT_MALFORMED, at, "integer representation too long");
	if (flags > 1)
		return wt_fail(err, WT_MALFORMED, at, "integer too large: limits flags 0x%02x",
			       flags);
	if (wt_read_u32(s, &min, err) || (flags == 1 && wt_read_u32(s, &max, err)))
		return WT_MALFORMED;
	l->min = min;
	l->max = max;
	l->has_max = flags == 1;
	return 0;
}

static int read_tabletype(wt_reader *s, wt_tabletype *t, wt_error *err)
{
	return wt_decode_reftype(s, &t->elem, err) || read_limits(s, &t->limits, err) ? WT_MALFORMED
										      : 0;
}

static int read_globaltype(wt_reader *s, wt_globaltype *g, wt_error *err)
{
	if (wt_decode_valtype(s, &g->type, err))
		return WT_MALFORMED;
	size_t at = wt_reader_offset(s);
	if (wt_read_u8(s, &g->mut, err))
		return WT_MALFORMED;
	if (g->mut > 1)
		return wt_fail(err, WT_MALFORMED, at, "malformed mutability 0x%02x", g->mut);
	return 0;
}

static int read_import_desc(wt_module *m, wt_reader *s, wt_import *im, wt_error *err)
{
	size_t at = wt_reader_offset(s);
	if (wt_read_u8(s, &im->kind, err))
		return WT_MALFORMED;
	switch (im->kind) {
	case WT_EXTERN_FUNC:
		if (++m->nfunc_imports > WT_MAX_FUNCS)
			return wt_fail(err, WT_LIMIT, at, "too many functions (more than %u)",
				       (unsigned)WT_MAX_FUNCS);
		return wt_read_u32(s, &im->desc.type_index, err);
	case WT_EXTERN_TABLE:
		m->ntable_imports++;
		return read_tabletype(s, &im->desc.table, err);
	case WT_EXTERN_MEMORY:
		m->nmemory_imports++;
		return read_limits(s, &im->desc.memory.limits, err);
	case WT_EXTERN_GLOBAL:
		m->nglobal_imports++;
		return read_globaltype(s, &im->desc.global, err);
	}
	return wt_fail(err, WT_MALFORMED, at, "malformed import kind 0x%02x", im->kind);
}

int wt_decode_imports(wt_decoder *d, wt_reader *s, wt_error *err)
{
	wt_module *m = d->m;
	if (wt_decode_count(s, &m->nimports, err))
		return WT_MALFORMED;
	m->imports = wt_arena_calloc(&m->arena, m->nimports, sizeof *m->imports);
	m->at.imports = wt_decode_at_array(m, m->nimports);
	if (!m->imports || !m->at.imports)
		return nomem(s, err);
	for (uint32_t i = 0; i < m->nimports; i++) {
		wt_import *im = &m->imports[i];
		m->at.imports[i] = (uint32_t)wt_reader_offset(s);
		int rc = wt_decode_name_copy(d, s, &im->module, &im->module_len, err);
		if (!rc)
			rc = wt_decode_name_copy(d, s, &im->name, &im->name_len, err);
		if (!rc)
			rc = read_import_desc(m, s, im, err);
		if (rc) {
			wt_error_prefix(err, "import %u", i);
			return rc;
		}
	}
	return 0;
}

uint32_t *wt_decode_at_array(wt_module *m, uint32_t n)
{
	return wt_arena_calloc(&m->arena, n ? n : 1, sizeof(uint32_t));
}

/* Fills the imported entries of the index space of `kind`, just built,
 * and their offsets in at. */
static void fill_imports(wt_module *m, uint8_t kind, uint32_t *at)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < m->nimports; i++) {
		const wt_import *im = &m->imports[i];
		if (im->kind != kind)
			continue;
		at[n] = m->at.imports ? m->at.imports[i] : 0;
		if (kind == WT_EXTERN_FUNC)
			m->funcs[n] = (wt_func){.type_index = im->desc.type_index, .imported = 1};
		else if (kind == WT_EXTERN_TABLE)
			m->tables[n] = (wt_table){.type = im->desc.table, .imported = 1};
		else if (kind == WT_EXTERN_MEMORY)
			m->memories[n] = (wt_memory){.type = im->desc.memory, .imported = 1};
		else
			m->globals[n] = (wt_global){.type = im->desc.global, .imported = 1};
		n++;
	}
}

/* Builds the index space of `kind`: its imports first, then `ndefined`
 * entries for the module's own definitions. */
static int build_space(wt_decoder *d, uint8_t kind, uint32_t ndefined, wt_error *err)
{
	wt_module *m = d->m;
	wt_arena *a = &m->arena;
	void *p = NULL;
	uint32_t imported[4] = {m->nfunc_imports, m->ntable_imports, m->nmemory_imports,
				m->nglobal_imports};
	if (ndefined > UINT32_MAX - imported[kind])
		return wt_fail(err, WT_LIMIT, 0, "index space too large");
	switch (kind) {
	case WT_EXTERN_FUNC:
		m->nfuncs = m->nfunc_imports + ndefined;
		p = m->funcs = wt_arena_calloc(a, m->nfuncs, sizeof *m->funcs);
		break;
	case WT_EXTERN_TABLE:
		m->ntables = m->ntable_imports + ndefined;
		p = m->tables = wt_arena_calloc(a, m->ntables, sizeof *m->tables);
		break;
	case WT_EXTERN_MEMORY:
		m->nmemories = m->nmemory_imports + ndefined;
		p = m->memories = wt_arena_calloc(a, m->nmemories, sizeof *m->memories);
		break;
	case WT_EXTERN_GLOBAL:
		m->nglobals = m->nglobal_imports + ndefined;
		p = m->globals = wt_arena_calloc(a, m->nglobals, sizeof *m->globals);
		break;
	}
	uint32_t **at[4] = {&m->at.funcs, &m->at.tables, &m->at.memories, &m->at.globals};
	*at[kind] = wt_decode_at_array(m, imported[kind] + ndefined);
	if (!p || !*at[kind])
		return wt_fail(err, WT_NOMEM, 0, "out of memory");
	fill_imports(m, kind, *at[kind]);
	return 0;
}

int wt_decode_spaces(wt_decoder *d, wt_error *err)
{
	wt_module *m = d->m;
	void *built[4] = {m->funcs, m->tables, m->memories, m->globals};
	for (uint8_t kind = 0; kind < 4; kind++)
		if (!built[kind] && build_space(d, kind, 0, err))
			return WT_NOMEM;
	return 0;
}

int wt_decode_functions(wt_decoder *d, wt_reader *s, wt_error *err)
{
	wt_module *m = d->m;
	uint32_t n;
	size_t at = wt_reader_offset(s);
	int rc = wt_decode_count(s, &n, err);
	if (!rc && (uint64_t)m->nfunc_imports + n > WT_MAX_FUNCS)
		rc = wt_fail(err, WT_LIMIT, at, "too many functions (more than %u)",
			     (unsigned)WT_MAX_FUNCS);
	if (!rc)
		rc = build_space(d, WT_EXTERN_FUNC, n, err);
	if (rc)
		return rc;
	d->ndefined_funcs = n;
	for (uint32_t i = 0; i < n; i++) {
		m->at.funcs[m->nfunc_imports + i] = (uint32_t)wt_reader_offset(s);
		if (wt_read_u32(s, &m->funcs[m->nfunc_imports + i].type_index, err))
			return WT_MALFORMED;
	}
	return 0;
}

int wt_decode_tables(wt_decoder *d, wt_reader *s, wt_error *err)
{
	wt_module *m = d->m;
	uint32_t n;
	int rc = wt_decode_count(s, &n, err);
	if (!rc)
		rc = build_space(d, WT_EXTERN_TABLE, n, err);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < n; i++) {
		m->at.tables[m->ntable_imports + i] = (uint32_t)wt_reader_offset(s);
		if (read_tabletype(s, &m->tables[m->ntable_imports + i].type, err))
			return WT_MALFORMED;
	}
	return 0;
}

int wt_decode_memories(wt_decoder *d, wt_reader *s, wt_error *err)
{
	wt_module *m = d->m;
	uint32_t n;
	int rc = wt_decode_count(s, &n, err);
	if (!rc)
		rc = build_space(d, WT_EXTERN_MEMORY, n, err);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < n; i++) {
		m->at.memories[m->nmemory_imports + i] = (uint32_t)wt_reader_offset(s);
		if (read_limits(s, &m->memories[m->nmemory_imports + i].type.limits, err))
			return WT_MALFORMED;
	}
	return 0;
}

int wt_decode_globals(wt_decoder *d, wt_reader *s, wt_error *err)
{
	wt_module *m = d->m;
	uint32_t n;
	int rc = wt_decode_count(s, &n, err);
	if (!rc)
		rc = build_space(d, WT_EXTERN_GLOBAL, n, err);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < n; i++) {
		wt_global *g = &m->globals[m->nglobal_imports + i];
		m->at.globals[m->nglobal_imports + i] = (uint32_t)wt_reader_offset(s);
		if (read_globaltype(s, &g->type, err) || wt_decode_constexpr(s, &g->init, err)) {
			wt_error_prefix(err, "global %u", m->nglobal_imports + i);
			return WT_MALFORMED;
		}
	}
	return 0;
}

int wt_decode_exports(wt_decoder *d, wt_reader *s, wt_error *err)
{
	wt_module *m = d->m;
	if (wt_decode_count(s, &m->nexports, err))
		return WT_MALFORMED;
	m->exports = wt_arena_calloc(&m->arena, m->nexports, sizeof *m->exports);
	m->at.exports = wt_decode_at_array(m, m->nexports);
	if (!m->exports || !m->at.exports)
		return nomem(s, err);
	for (uint32_t i = 0; i < m->nexports; i++) {
		wt_export *ex = &m->exports[i];
		m->at.exports[i] = (uint32_t)wt_reader_offset(s);
		int rc = wt_decode_name_copy(d, s, &ex->name, &ex->name_len, err);
		if (rc)
			return rc;
		size_t at = wt_reader_offset(s);
		if (wt_read_u8(s, &ex->kind, err))
			return WT_MALFORMED;
		if (ex->kind > WT_EXTERN_GLOBAL)
			return wt_fail(err, WT_MALFORMED, at, "malformed export kind 0x%02x",
				       ex->kind);
		if (wt_read_u32(s, &ex->index, err))
			return WT_MALFORMED;
	}
	return 0;
}

int wt_decode_start(wt_decoder *d, wt_reader *s, wt_error *err)
{
	d->m->has_start = 1;
	d->m->start_at = (uint32_t)wt_reader_offset(s);
	return wt_read_u32(s, &d->m->start, err);
}
