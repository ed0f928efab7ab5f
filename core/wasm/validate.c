/* validate.c: validates a decoded module: module-level rules, constant expressions, then every
 * body. */
#include <stdlib.h>
#include <string.h>

#include "instr.h"
#include "validate.h"

enum { MAX_MEMORY_PAGES = 65536 };

/* ---- constant expressions ---- */

static int const_global_get(const wt_module *m, const wt_instr *in, uint8_t *t, wt_error *err)
{
	uint32_t x = in->u.index;
	/* Only imported globals are visible to constant expressions (2.0). */
	if (x >= m->nglobal_imports || x >= m->nglobals)
		return wt_fail(err, WT_INVALID, in->offset, "unknown global %u", x);
	if (m->globals[x].type.mut)
		return wt_fail(err, WT_INVALID, in->offset, "constant expression required");
	*t = m->globals[x].type.type;
	return 0;
}

static int const_instr(wt_module *m, const wt_instr *in, uint8_t *t, wt_error *err)
{
	switch (in->op) {
	case WT_OP_I32_CONST:
		*t = WT_I32;
		return 0;
	case WT_OP_I64_CONST:
		*t = WT_I64;
		return 0;
	case WT_OP_F32_CONST:
		*t = WT_F32;
		return 0;
	case WT_OP_F64_CONST:
		*t = WT_F64;
		return 0;
	case WT_OP_V128_CONST:
		*t = WT_V128;
		return 0;
	case WT_OP_REF_NULL:
		if (!wt_validate_is_ref(in->u.reftype))
			return wt_fail(err, WT_MALFORMED, in->offset, "malformed reference type");
		*t = in->u.reftype;
		return 0;
	case WT_OP_REF_FUNC:
		if (in->u.index >= m->nfuncs)
			return wt_fail(err, WT_INVALID, in->offset, "unknown function %u",
				       in->u.index);
		m->func_declared[in->u.index] = 1; /* declares it for ref.func in bodies */
		*t = WT_FUNCREF;
		return 0;
	case WT_OP_GLOBAL_GET:
		return const_global_get(m, in, t, err);
	default:
		return wt_fail(err, WT_INVALID, in->offset, "constant expression required");
	}
}

/* Validates a constant expression of type `want`; marks the functions it
 * references with ref.func as declared. */
static int check_const(wt_module *m, const wt_constexpr *e, uint8_t want, wt_error *err)
{
	wt_reader r;
	wt_instr in;
	uint32_t count = 0;
	uint8_t top = WT_VAL_UNKNOWN;
	if ((uint64_t)e->offset + e->size > m->size)
		return wt_fail(err, WT_INTERNAL, e->offset, "constant expression out of range");
	r.base = m->bytes;
	r.pos = m->bytes + e->offset;
	r.end = r.pos + e->size;
	for (;;) {
		if (wt_reader_done(&r))
			return wt_fail(err, WT_MALFORMED, wt_reader_offset(&r),
				       "END opcode expected");
		if (wt_instr_read(&r, &in, err))
			return WT_MALFORMED;
		if (in.op == WT_OP_END)
			break;
		if (const_instr(m, &in, &top, err))
			return err->code;
		count++;
	}
	if (count != 1 || top != want)
		return wt_fail(
		    err, WT_INVALID, in.offset,
		    "type mismatch: constant expression must give one %s, got %u value(s)%s%s",
		    wt_validate_typename(want), count, count ? ", the last " : "",
		    count ? wt_validate_typename(top) : "");
	if (!wt_reader_done(&r))
		return wt_fail(err, WT_MALFORMED, wt_reader_offset(&r), "END opcode expected");
	return 0;
}

/* ---- types, imports, tables, memories, globals ---- */

/* Gives an error found in a module entry the entry's byte offset, unless
 * it already has a finer one (an instruction of a constant expression).
 * Returns the error's status. */
static int at_entry(wt_error *err, const uint32_t *at, uint32_t i)
{
	if (at && !err->has_offset && err->code != WT_NOMEM) {
		err->offset = at[i];
		err->has_offset = 1;
	}
	return err->code;
}

static int check_limits(const wt_limits *l, uint64_t range, const char *too_large, wt_error *err)
{
	if (l->min > range || (l->has_max && l->max > range))
		return wt_fail_plain(err, WT_INVALID, "%s", too_large);
	if (l->has_max && l->min > l->max)
		return wt_fail_plain(err, WT_INVALID,
				     "size minimum must not be greater than maximum");
	return 0;
}

static int check_tabletype(const wt_tabletype *t, wt_error *err)
{
	if (!wt_validate_is_ref(t->elem))
		return wt_fail_plain(err, WT_MALFORMED, "malformed reference type");
	return check_limits(&t->limits, UINT32_MAX, "table size must be at most 2^32-1", err);
}

static int check_memtype(const wt_memtype *t, wt_error *err)
{
	return check_limits(&t->limits, MAX_MEMORY_PAGES,
			    "memory size must be at most 65536 pages (4GiB)", err);
}

static int check_imports(const wt_module *m, wt_error *err)
{
	for (uint32_t i = 0; i < m->nimports; i++) {
		const wt_import *im = &m->imports[i];
		int rc = 0;
		if (im->kind == WT_EXTERN_FUNC && im->desc.type_index >= m->ntypes)
			rc = wt_fail_plain(err, WT_INVALID, "unknown type %u", im->desc.type_index);
		else if (im->kind == WT_EXTERN_TABLE)
			rc = check_tabletype(&im->desc.table, err);
		else if (im->kind == WT_EXTERN_MEMORY)
			rc = check_memtype(&im->desc.memory, err);
		if (rc) {
			wt_error_prefix(err, "import section, import %u", i);
			return at_entry(err, m->at.imports, i);
		}
	}
	return 0;
}

static int check_funcs(const wt_module *m, wt_error *err)
{
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
		if (m->funcs[i].type_index >= m->ntypes) {
			wt_fail_plain(err, WT_INVALID, "unknown type %u", m->funcs[i].type_index);
			wt_error_prefix(err, "function section, func %u", i);
			return at_entry(err, m->at.funcs, i);
		}
	return 0;
}

static int check_tables(const wt_module *m, wt_error *err)
{
	for (uint32_t i = m->ntable_imports; i < m->ntables; i++)
		if (check_tabletype(&m->tables[i].type, err)) {
			wt_error_prefix(err, "table section, table %u", i);
			return at_entry(err, m->at.tables, i);
		}
	return 0;
}

static int check_memories(const wt_module *m, wt_error *err)
{
	for (uint32_t i = m->nmemory_imports; i < m->nmemories; i++)
		if (check_memtype(&m->memories[i].type, err)) {
			wt_error_prefix(err, "memory section, memory %u", i);
			return at_entry(err, m->at.memories, i);
		}
	if (m->nmemories > 1) {
		wt_fail_plain(err, WT_INVALID, "multiple memories");
		return at_entry(err, m->at.memories, 1);
	}
	return 0;
}

static int check_globals(wt_module *m, wt_error *err)
{
	for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
		const wt_global *g = &m->globals[i];
		if (check_const(m, &g->init, g->type.type, err)) {
			wt_error_prefix(err, "global section, global %u", i);
			return at_entry(err, m->at.globals, i);
		}
	}
	return 0;
}

/* ---- element and data segments ---- */

static int check_elem_items(wt_module *m, const wt_elem *e, wt_error *err)
{
	for (uint32_t j = 0; j < e->count; j++) {
		if (e->exprs) {
			if (check_const(m, &e->exprs[j], e->type, err))
				return err->code;
		} else if (e->func_indices) {
			uint32_t x = e->func_indices[j];
			if (x >= m->nfuncs)
				return wt_fail_plain(err, WT_INVALID, "unknown function %u", x);
			m->func_declared[x] = 1;
		}
	}
	if (e->func_indices && e->type != WT_FUNCREF)
		return wt_fail_plain(err, WT_INVALID,
				     "type mismatch: function indices in a %s segment",
				     wt_validate_typename(e->type));
	return 0;
}

static int check_elem(wt_module *m, const wt_elem *e, wt_error *err)
{
	if (!wt_validate_is_ref(e->type))
		return wt_fail_plain(err, WT_MALFORMED, "malformed reference type");
	if (e->mode == WT_SEG_ACTIVE) {
		if (e->table_index >= m->ntables)
			return wt_fail_plain(err, WT_INVALID, "unknown table %u", e->table_index);
		if (check_const(m, &e->offset, WT_I32, err))
			return err->code;
		uint8_t tt = m->tables[e->table_index].type.elem;
		if (tt != e->type)
			return wt_fail(err, WT_INVALID, e->offset.offset,
				       "type mismatch: %s segment for a %s table",
				       wt_validate_typename(e->type), wt_validate_typename(tt));
	}
	return check_elem_items(m, e, err);
}

static int check_elems(wt_module *m, wt_error *err)
{
	for (uint32_t i = 0; i < m->nelems; i++)
		if (check_elem(m, &m->elems[i], err)) {
			wt_error_prefix(err, "element section, segment %u", i);
			return at_entry(err, m->at.elems, i);
		}
	return 0;
}

static int check_datas(wt_module *m, wt_error *err)
{
	if (m->has_data_count && m->data_count != m->ndatas)
		return wt_fail_plain(err, WT_MALFORMED,
				     "data count and data section have inconsistent lengths");
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const wt_data *d = &m->datas[i];
		int rc = 0;
		if (d->mode != WT_SEG_ACTIVE)
			continue;
		if (d->memory_index >= m->nmemories)
			rc = wt_fail_plain(err, WT_INVALID, "unknown memory %u", d->memory_index);
		else
			rc = check_const(m, &d->offset, WT_I32, err);
		if (rc) {
			wt_error_prefix(err, "data section, segment %u", i);
			return at_entry(err, m->at.datas, i);
		}
	}
	return 0;
}

/* ---- start and exports ---- */

static int check_start(const wt_module *m, wt_error *err)
{
	if (!m->has_start)
		return 0;
	if (m->start >= m->nfuncs)
		return wt_fail(err, WT_INVALID, m->start_at, "start section: unknown function %u",
			       m->start);
	const wt_functype *ft = wt_module_functype(m, m->start);
	if (ft->nparams || ft->nresults)
		return wt_fail(err, WT_INVALID, m->start_at,
			       "start section: start function must have type [] -> []");
	return 0;
}

static int check_export_index(wt_module *m, const wt_export *ex, wt_error *err)
{
	switch (ex->kind) {
	case WT_EXTERN_FUNC:
		if (ex->index >= m->nfuncs)
			return wt_fail_plain(err, WT_INVALID, "unknown function %u", ex->index);
		m->func_declared[ex->index] = 1;
		return 0;
	case WT_EXTERN_TABLE:
		if (ex->index >= m->ntables)
			return wt_fail_plain(err, WT_INVALID, "unknown table %u", ex->index);
		return 0;
	case WT_EXTERN_MEMORY:
		if (ex->index >= m->nmemories)
			return wt_fail_plain(err, WT_INVALID, "unknown memory %u", ex->index);
		return 0;
	case WT_EXTERN_GLOBAL:
		if (ex->index >= m->nglobals)
			return wt_fail_plain(err, WT_INVALID, "unknown global %u", ex->index);
		return 0;
	}
	return wt_fail_plain(err, WT_MALFORMED, "malformed export kind");
}

static int compare_export_names(const void *pa, const void *pb)
{
	const wt_export *a = *(const wt_export *const *)pa, *b = *(const wt_export *const *)pb;
	if (a->name_len != b->name_len)
		return a->name_len < b->name_len ? -1 : 1;
	return memcmp(a->name, b->name, a->name_len);
}

/* Export names must be unique: sorts pointers to the exports and looks at
 * neighbours (n log n; the one allocation is freed here). */
static int check_export_names(const wt_module *m, wt_error *err)
{
	const wt_export **sorted;
	int rc = 0;
	if (m->nexports < 2)
		return 0;
	sorted = malloc((size_t)m->nexports * sizeof *sorted);
	if (!sorted)
		return wt_fail_plain(err, WT_NOMEM, "out of memory checking export names");
	for (uint32_t i = 0; i < m->nexports; i++)
		sorted[i] = &m->exports[i];
	qsort(sorted, m->nexports, sizeof *sorted, compare_export_names);
	for (uint32_t i = 1; i < m->nexports; i++)
		if (compare_export_names(&sorted[i - 1], &sorted[i]) == 0) {
			const wt_export *dup =
			    sorted[i - 1] > sorted[i] ? sorted[i - 1] : sorted[i];
			rc = wt_fail_plain(
			    err, WT_INVALID, "export section: duplicate export name \"%.*s\"",
			    (int)(dup->name_len > 64 ? 64 : dup->name_len), dup->name);
			at_entry(err, m->at.exports, (uint32_t)(dup - m->exports));
			break;
		}
	free(sorted);
	return rc;
}

static int check_exports(wt_module *m, wt_error *err)
{
	for (uint32_t i = 0; i < m->nexports; i++)
		if (check_export_index(m, &m->exports[i], err)) {
			wt_error_prefix(err, "export section, export %u", i);
			return at_entry(err, m->at.exports, i);
		}
	return check_export_names(m, err);
}

/* ---- the whole module ---- */

/* The offset of the first section with id `id` (its id byte), or 0 when
 * there is none. The module was decoded, so its section headers are sound. */
static size_t section_offset(const wt_module *m, uint8_t id)
{
	wt_reader r;
	const uint8_t *skip;
	wt_reader_init(&r, m->bytes, m->size);
	if (wt_read_bytes(&r, 8, &skip, NULL))
		return 0;
	while (!wt_reader_done(&r)) {
		size_t at = wt_reader_offset(&r);
		uint8_t sid;
		uint32_t size;
		if (wt_read_u8(&r, &sid, NULL) || wt_read_u32(&r, &size, NULL) ||
		    wt_read_bytes(&r, size, &skip, NULL))
			return 0;
		if (sid == id)
			return at;
	}
	return 0;
}

/* Module-level rules in the order the sections come. Each rule locates
 * its errors at the offending entry (wt_module.at); the sections (first
 * present wins) locate the rest: a module built by hand without entry
 * offsets, and the data count's mismatch, which belongs to no entry. */
typedef struct module_rule {
	int (*check)(wt_module *m, wt_error *err);
	uint8_t sections[2];
} module_rule;

static int rule_imports(wt_module *m, wt_error *err)
{
	return check_imports(m, err);
}
static int rule_funcs(wt_module *m, wt_error *err)
{
	return check_funcs(m, err);
}
static int rule_tables(wt_module *m, wt_error *err)
{
	return check_tables(m, err);
}
static int rule_memories(wt_module *m, wt_error *err)
{
	return check_memories(m, err);
}
static int rule_start(wt_module *m, wt_error *err)
{
	return check_start(m, err);
}

static const module_rule module_rules[] = {
    {rule_imports, {2, 2}},  {rule_funcs, {3, 3}},    {rule_tables, {4, 2}},
    {rule_memories, {5, 2}}, {check_globals, {6, 6}}, {check_elems, {9, 9}},
    {check_datas, {11, 12}}, {rule_start, {8, 8}},    {check_exports, {7, 7}},
};

static int check_module_rules(wt_module *m, wt_error *err)
{
	for (size_t i = 0; i < sizeof module_rules / sizeof module_rules[0]; i++) {
		const module_rule *rule = &module_rules[i];
		if (!rule->check(m, err))
			continue;
		if (!err->has_offset && err->code != WT_NOMEM) {
			size_t at = section_offset(m, rule->sections[0]);
			err->offset = at ? at : section_offset(m, rule->sections[1]);
			err->has_offset = 1;
		}
		return err->code;
	}
	return 0;
}

/* A body that is malformed outranks any validation error: look for one. */
static int find_malformed_body(wt_vctx *c, wt_error *err)
{
	for (uint32_t i = c->m->nfunc_imports; i < c->m->nfuncs; i++)
		if (wt_validate_skim_func(c, i, err)) {
			wt_error_prefix(err, "code section, func %u", i);
			return WT_MALFORMED;
		}
	return 0;
}

int wt_validate(wt_module *m, wt_error *err)
{
	wt_error local;
	wt_vctx *c = NULL;
	int rc;
	if (!err) {
		wt_error_init(&local);
		err = &local;
	}
	m->func_declared = wt_arena_calloc(&m->arena, m->nfuncs, 1);
	c = malloc(sizeof *c);
	if (!m->func_declared || !c) {
		rc = wt_fail_plain(err, WT_NOMEM, "out of memory validating the module");
		goto fail;
	}
	if ((rc = wt_validate_ctx_init(c, m, err)) != 0)
		goto fail;
	rc = check_module_rules(m, err);
	if (rc == 0)
		rc = wt_validate_bodies(c, err);
	if (rc == WT_INVALID) {
		wt_error skim;
		wt_error_init(&skim);
		if (find_malformed_body(c, &skim)) {
			*err = skim;
			rc = WT_MALFORMED;
		}
	}
fail:
	if (c)
		wt_validate_ctx_fini(c);
	free(c);
	return rc;
}
