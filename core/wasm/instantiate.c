/* instantiate.c: the WebAssembly 2.0 instantiation algorithm: imports, objects, segments, start. */
#include <stdlib.h>
#include <string.h>

#include "objects.h"

/* calloc that never returns NULL for a zero count (0 elements: 1 byte). */
static void *alloc_array(uint32_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

void wt_instance_destroy(wt_instance *inst)
{
	if (!inst)
		return;
	const wt_module *m = inst->module;
	if (inst->funcs && m->nfuncs > m->nfunc_imports && inst->funcs[m->nfunc_imports]) {
		wt_funcinst *block = inst->funcs[m->nfunc_imports];
		for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++)
			wt_code_free(block[i].code);
		free(block);
	}
	if (inst->globals && m->nglobals > m->nglobal_imports)
		free(inst->globals[m->nglobal_imports]);
	free(inst->funcs);
	free(inst->tables);
	free(inst->memories);
	free(inst->globals);
	free(inst->type_ids);
	free(inst->elem_dropped);
	free(inst->data_dropped);
	wt_store_uncharge(inst->store, inst->charged);
	free(inst);
}

/* What an instance of m holds outside the store's objects, charged to
 * the store's memory budget: the instance, its index arrays, and the
 * blocks of its defined functions and globals. */
static uint64_t instance_bytes(const wt_module *m)
{
	uint64_t ptrs = (uint64_t)m->nfuncs + m->ntables + m->nmemories + m->nglobals;
	return sizeof(wt_instance) + ptrs * sizeof(void *) +
	       (uint64_t)m->ntypes * sizeof(uint32_t) + m->nelems + m->ndatas +
	       (uint64_t)(m->nfuncs - m->nfunc_imports) * sizeof(wt_funcinst) +
	       (uint64_t)(m->nglobals - m->nglobal_imports) * sizeof(wt_globalinst);
}

/* A new instance with its index arrays (all entries NULL), not yet in the
 * store's list. */
static wt_instance *instance_alloc(wt_store *s, const wt_module *m)
{
	wt_instance *inst = calloc(1, sizeof *inst);
	if (!inst)
		return NULL;
	inst->store = s;
	inst->module = m;
	inst->funcs = alloc_array(m->nfuncs, sizeof *inst->funcs);
	inst->tables = alloc_array(m->ntables, sizeof *inst->tables);
	inst->memories = alloc_array(m->nmemories, sizeof *inst->memories);
	inst->globals = alloc_array(m->nglobals, sizeof *inst->globals);
	inst->type_ids = alloc_array(m->ntypes, sizeof *inst->type_ids);
	inst->elem_dropped = alloc_array(m->nelems, 1);
	inst->data_dropped = alloc_array(m->ndatas, 1);
	if (!inst->funcs || !inst->tables || !inst->memories || !inst->globals || !inst->type_ids ||
	    !inst->elem_dropped || !inst->data_dropped) {
		wt_instance_destroy(inst);
		return NULL;
	}
	return inst;
}

static int intern_types(wt_instance *inst, wt_error *err)
{
	const wt_module *m = inst->module;
	for (uint32_t i = 0; i < m->ntypes; i++) {
		inst->type_ids[i] = wt_store_intern(inst->store, &m->types[i], NULL);
		if (inst->type_ids[i] == UINT32_MAX)
			return wt_fail_plain(err, WT_NOMEM, "out of memory interning types");
	}
	return 0;
}

/* Limits subtyping: the actual object's limits fit the declared ones. */
static int limits_match(uint64_t min, int has_max, uint64_t max, const wt_limits *want)
{
	if (min < want->min)
		return 0;
	return !want->has_max || (has_max && max <= want->max);
}

/* 1 when ext (already of the import's kind) has the declared type. */
static int import_type_matches(const wt_instance *inst, const wt_import *imp, const wt_extern *ext)
{
	const wt_module *m = inst->module;
	switch (imp->kind) {
	case WT_EXTERN_FUNC:
		return imp->desc.type_index < m->ntypes &&
		       ext->u.func->type.id == inst->type_ids[imp->desc.type_index];
	case WT_EXTERN_TABLE: {
		const wt_tableinst *t = ext->u.table;
		return t->type.elem == imp->desc.table.elem &&
		       limits_match(t->size, t->type.limits.has_max, t->type.limits.max,
				    &imp->desc.table.limits);
	}
	case WT_EXTERN_MEMORY: {
		const wt_meminst *mem = ext->u.memory;
		return limits_match(mem->type.limits.min, mem->type.limits.has_max,
				    mem->type.limits.max, &imp->desc.memory.limits);
	}
	case WT_EXTERN_GLOBAL:
		return ext->u.global->type.type == imp->desc.global.type &&
		       ext->u.global->type.mut == imp->desc.global.mut;
	}
	return 0;
}

/* Resolves an import and checks its type; 0, WT_UNLINKABLE, or the
 * resolver's own status (e.g. WT_NOMEM). */
static int resolve_import(wt_instance *inst, const wt_import *imp, wt_resolver resolve, void *ctx,
			  wt_extern *ext, wt_error *err)
{
	int nm = (int)imp->module_len, nn = (int)imp->name_len;
	memset(ext, 0, sizeof *ext);
	int rc = resolve ? resolve(ctx, inst->module, imp, ext, err) : WT_UNLINKABLE;
	if (rc) {
		wt_fail_plain(err, WT_UNLINKABLE, "unknown import \"%.*s\" \"%.*s\"", nm,
			      imp->module, nn, imp->name);
		return rc > 0 ? rc : WT_UNLINKABLE;
	}
	if (ext->kind != imp->kind || !ext->u.func || !import_type_matches(inst, imp, ext))
		return wt_fail_plain(err, WT_UNLINKABLE,
				     "incompatible import type for \"%.*s\" \"%.*s\"", nm,
				     imp->module, nn, imp->name);
	return 0;
}

static int link_imports(wt_instance *inst, wt_resolver resolve, void *ctx, wt_error *err)
{
	const wt_module *m = inst->module;
	uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
	for (uint32_t i = 0; i < m->nimports; i++) {
		const wt_import *imp = &m->imports[i];
		wt_extern ext;
		int rc = resolve_import(inst, imp, resolve, ctx, &ext, err);
		if (rc)
			return rc;
		int in_range = 0;
		switch (imp->kind) {
		case WT_EXTERN_FUNC:
			if ((in_range = nf < m->nfunc_imports))
				inst->funcs[nf++] = ext.u.func;
			break;
		case WT_EXTERN_TABLE:
			if ((in_range = nt < m->ntable_imports))
				inst->tables[nt++] = ext.u.table;
			break;
		case WT_EXTERN_MEMORY:
			if ((in_range = nm < m->nmemory_imports))
				inst->memories[nm++] = ext.u.memory;
			break;
		case WT_EXTERN_GLOBAL:
			if ((in_range = ng < m->nglobal_imports))
				inst->globals[ng++] = ext.u.global;
			break;
		}
		if (!in_range)
			return wt_fail_plain(err, WT_INTERNAL, "import %u outside its index space",
					     i);
	}
	return 0;
}

static int make_funcs(wt_instance *inst, wt_error *err)
{
	const wt_module *m = inst->module;
	uint32_t ndef = m->nfuncs - m->nfunc_imports;
	if (!ndef)
		return 0;
	wt_funcinst *block = calloc(ndef, sizeof *block);
	if (!block)
		return wt_fail_plain(err, WT_NOMEM, "out of memory for %u functions", ndef);
	for (uint32_t i = 0; i < ndef; i++) {
		uint32_t index = m->nfunc_imports + i;
		uint32_t id = inst->type_ids[m->funcs[index].type_index];
		block[i].type.id = id;
		block[i].type.type = inst->store->types[id];
		block[i].instance = inst;
		block[i].func_index = index;
		inst->funcs[index] = &block[i];
	}
	return 0;
}

static int make_tables_and_memories(wt_instance *inst, wt_error *err)
{
	const wt_module *m = inst->module;
	int rc = 0;
	for (uint32_t i = m->ntable_imports; i < m->ntables && !rc; i++)
		rc = wt_table_make(inst->store, &m->tables[i].type, 0, &inst->tables[i], err);
	for (uint32_t i = m->nmemory_imports; i < m->nmemories && !rc; i++)
		rc = wt_memory_make(inst->store, &m->memories[i].type, &inst->memories[i], err);
	return rc;
}

/* Defined globals, initialised in order (an init may read imported
 * globals, already in place). */
static int make_globals(wt_instance *inst, wt_error *err)
{
	const wt_module *m = inst->module;
	uint32_t ndef = m->nglobals - m->nglobal_imports;
	if (!ndef)
		return 0;
	wt_globalinst *block = calloc(ndef, sizeof *block);
	if (!block)
		return wt_fail_plain(err, WT_NOMEM, "out of memory for %u globals", ndef);
	for (uint32_t i = 0; i < ndef; i++) {
		uint32_t index = m->nglobal_imports + i;
		block[i].type = m->globals[index].type;
		wt_slot v[2] = {0, 0};
		int rc = wt_constexpr_eval_slots(inst, m->globals[index].init, v, err);
		block[i].value = v[0];
		block[i].hi = block[i].type.type == WT_V128 ? v[1] : 0;
		inst->globals[index] = &block[i]; /* the first one hands the block to inst */
		if (rc)
			return rc;
	}
	return 0;
}

static void fill_trap(wt_trap *trap, wt_trap_kind kind, uint32_t offset)
{
	memset(trap, 0, sizeof *trap);
	trap->kind = kind;
	trap->func_index = UINT32_MAX;
	trap->code_offset = offset;
}

/* Applies active element segment i (table.init semantics) and drops it.
 * 0, -1 with *trap, or a status. */
static int apply_elem(wt_instance *inst, uint32_t i, wt_trap *trap, wt_error *err)
{
	const wt_elem *e = &inst->module->elems[i];
	wt_slot offset;
	int rc = wt_constexpr_eval(inst, e->offset, &offset, err);
	if (rc)
		return rc;
	wt_tableinst *t = inst->tables[e->table_index];
	uint32_t at = (uint32_t)offset;
	if (at > t->size || e->count > t->size - at) {
		fill_trap(trap, WT_TRAP_TABLE_OOB, e->offset.offset);
		return -1;
	}
	for (uint32_t j = 0; j < e->count && !rc; j++)
		rc = wt_elem_item(inst, e, j, &t->elems[at + j], err);
	if (rc)
		return rc;
	inst->elem_dropped[i] = 1;
	return 0;
}

/* Applies active data segment i (memory.init semantics) and drops it. */
static int apply_data(wt_instance *inst, uint32_t i, wt_trap *trap, wt_error *err)
{
	const wt_module *m = inst->module;
	const wt_data *d = &m->datas[i];
	wt_slot offset;
	int rc = wt_constexpr_eval(inst, d->offset, &offset, err);
	if (rc)
		return rc;
	if (d->bytes_offset > m->size || d->size > m->size - d->bytes_offset)
		return wt_fail(err, WT_INTERNAL, d->bytes_offset, "data segment out of the module");
	uint8_t *dst = wt_memory_span(inst->memories[d->memory_index], (uint32_t)offset, d->size);
	if (!dst) {
		fill_trap(trap, WT_TRAP_MEMORY_OOB, d->offset.offset);
		return -1;
	}
	if (d->size)
		memcpy(dst, m->bytes + d->bytes_offset, d->size);
	inst->data_dropped[i] = 1;
	return 0;
}

/* Element segments, then data segments, in order; declarative element
 * segments are dropped. Effects before a trap stay (WebAssembly 2.0). */
static int apply_segments(wt_instance *inst, wt_trap *trap, wt_error *err)
{
	const wt_module *m = inst->module;
	for (uint32_t i = 0; i < m->nelems; i++) {
		if (m->elems[i].mode == WT_SEG_DECLARATIVE)
			inst->elem_dropped[i] = 1;
		if (m->elems[i].mode != WT_SEG_ACTIVE)
			continue;
		if (m->elems[i].table_index >= m->ntables)
			return wt_fail_plain(err, WT_INTERNAL, "unknown table in element %u", i);
		int rc = apply_elem(inst, i, trap, err);
		if (rc)
			return rc;
	}
	for (uint32_t i = 0; i < m->ndatas; i++) {
		if (m->datas[i].mode != WT_SEG_ACTIVE)
			continue;
		if (m->datas[i].memory_index >= m->nmemories)
			return wt_fail_plain(err, WT_INTERNAL, "unknown memory in data %u", i);
		int rc = apply_data(inst, i, trap, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* Everything before the first guest-visible effect; on failure the
 * caller destroys the unlisted instance (store objects made so far stay
 * in the store until it is freed). */
static int build(wt_instance *inst, wt_resolver resolve, void *ctx, wt_error *err)
{
	int rc = intern_types(inst, err);
	if (!rc)
		rc = link_imports(inst, resolve, ctx, err);
	if (!rc)
		rc = make_funcs(inst, err);
	if (!rc)
		rc = make_tables_and_memories(inst, err);
	if (!rc)
		rc = make_globals(inst, err);
	return rc;
}

int wt_instantiate_begin(wt_store *s, const wt_module *m, wt_resolver resolve, void *ctx,
			 wt_instance **out, wt_error *err)
{
	*out = NULL;
	uint64_t bytes = instance_bytes(m);
	int rc = wt_store_afford(s, bytes, err, "an instance of %u functions", m->nfuncs);
	if (rc)
		return rc;
	wt_instance *inst = instance_alloc(s, m);
	if (!inst)
		return wt_fail_plain(err, WT_NOMEM, "out of memory for an instance");
	wt_store_charge(s, bytes);
	inst->charged = bytes;
	rc = build(inst, resolve, ctx, err);
	if (rc) {
		wt_instance_destroy(inst);
		return rc;
	}
	inst->next = s->instances;
	s->instances = inst;
	*out = inst;
	return 0;
}

int wt_instantiate_finish(wt_instance *inst, wt_trap *trap, wt_error *err)
{
	const wt_module *m = inst->module;
	fill_trap(trap, WT_TRAP_NONE, 0);
	int rc = apply_segments(inst, trap, err);
	if (rc)
		return rc;
	if (m->has_start) {
		wt_slot none[1];
		if (m->start >= m->nfuncs)
			return wt_fail_plain(err, WT_INTERNAL, "unknown start function");
		if (wt_call(inst->store, inst->funcs[m->start], none, none, trap) != 0)
			return -1;
	}
	return 0;
}

int wt_instantiate(wt_store *s, const wt_module *m, wt_resolver resolve, void *ctx,
		   wt_instance **out, wt_trap *trap, wt_error *err)
{
	wt_instance *inst;
	*out = NULL;
	fill_trap(trap, WT_TRAP_NONE, 0);
	int rc = wt_instantiate_begin(s, m, resolve, ctx, &inst, err);
	if (rc == 0)
		rc = wt_instantiate_finish(inst, trap, err);
	if (rc == 0)
		*out = inst;
	return rc;
}

int wt_instance_export(const wt_instance *inst, const char *name, size_t len, wt_extern *out)
{
	const wt_module *m = inst->module;
	for (uint32_t i = 0; i < m->nexports; i++) {
		const wt_export *e = &m->exports[i];
		if (e->name_len != len || memcmp(e->name, name, len) != 0)
			continue;
		out->kind = e->kind;
		switch (e->kind) {
		case WT_EXTERN_FUNC:
			out->u.func = e->index < m->nfuncs ? inst->funcs[e->index] : NULL;
			break;
		case WT_EXTERN_TABLE:
			out->u.table = e->index < m->ntables ? inst->tables[e->index] : NULL;
			break;
		case WT_EXTERN_MEMORY:
			out->u.memory = e->index < m->nmemories ? inst->memories[e->index] : NULL;
			break;
		case WT_EXTERN_GLOBAL:
			out->u.global = e->index < m->nglobals ? inst->globals[e->index] : NULL;
			break;
		default:
			return -1;
		}
		return out->u.func ? 0 : -1;
	}
	return -1;
}

wt_meminst *wt_instance_memory(const wt_instance *inst)
{
	return inst->module->nmemories ? inst->memories[0] : NULL;
}

const wt_module *wt_instance_module(const wt_instance *inst)
{
	return inst->module;
}
