/* vm_bulk.h: the interpreter's bulk memory and table helpers; each checks its bounds before any
 * write. */
#ifndef WT_VM_BULK_H
#define WT_VM_BULK_H

#include <stdint.h>
#include <string.h>

#include "store.h"

/* Each returns 0 or a trap kind. Lengths are checked as 64-bit sums, so a
 * zero-length operation exactly at the end succeeds. */

static int vm_memory_fill(wt_meminst *m, uint32_t d, uint32_t val, uint32_t n)
{
	if ((uint64_t)d + n > m->size)
		return WT_TRAP_MEMORY_OOB;
	memset(m->data + d, (int)(val & 0xFF), n);
	return 0;
}

static int vm_memory_copy(wt_meminst *m, uint32_t d, uint32_t src, uint32_t n)
{
	if ((uint64_t)d + n > m->size || (uint64_t)src + n > m->size)
		return WT_TRAP_MEMORY_OOB;
	memmove(m->data + d, m->data + src, n);
	return 0;
}

static int vm_memory_init(wt_meminst *m, wt_instance *inst, uint32_t seg, uint32_t d, uint32_t src,
			  uint32_t n)
{
	const wt_data *data = &inst->module->datas[seg];
	uint64_t len = inst->data_dropped[seg] ? 0 : data->size;
	if ((uint64_t)src + n > len || (uint64_t)d + n > m->size)
		return WT_TRAP_MEMORY_OOB;
	if (n)
		memcpy(m->data + d, inst->module->bytes + data->bytes_offset + src, n);
	return 0;
}

static int vm_table_get(const wt_tableinst *t, uint32_t i, wt_slot *out)
{
	if (i >= t->size)
		return WT_TRAP_TABLE_OOB;
	*out = t->elems[i];
	return 0;
}

static int vm_table_set(wt_tableinst *t, uint32_t i, wt_slot v)
{
	if (i >= t->size)
		return WT_TRAP_TABLE_OOB;
	t->elems[i] = v;
	return 0;
}

static int vm_table_fill(wt_tableinst *t, uint32_t d, wt_slot v, uint32_t n)
{
	if ((uint64_t)d + n > t->size)
		return WT_TRAP_TABLE_OOB;
	for (uint32_t i = 0; i < n; i++)
		t->elems[d + i] = v;
	return 0;
}

static int vm_table_copy(wt_tableinst *dt, wt_tableinst *st, uint32_t d, uint32_t src, uint32_t n)
{
	if ((uint64_t)d + n > dt->size || (uint64_t)src + n > st->size)
		return WT_TRAP_TABLE_OOB;
	if (n)
		memmove(dt->elems + d, st->elems + src, (size_t)n * sizeof *dt->elems);
	return 0;
}

/* One item of element segment e as a reference value. */
static int vm_elem_item(wt_instance *inst, const wt_elem *e, uint32_t i, wt_slot *out)
{
	wt_error err;
	if (e->func_indices) {
		*out = (wt_slot)(uintptr_t)inst->funcs[e->func_indices[i]];
		return 0;
	}
	wt_error_init(&err);
	if (wt_constexpr_eval(inst, e->exprs[i], out, &err))
		return WT_TRAP_HOST;
	return 0;
}

static int vm_table_init(wt_tableinst *t, wt_instance *inst, uint32_t seg, uint32_t d, uint32_t src,
			 uint32_t n)
{
	const wt_elem *e = &inst->module->elems[seg];
	uint64_t len = inst->elem_dropped[seg] ? 0 : e->count;
	if ((uint64_t)src + n > len || (uint64_t)d + n > t->size)
		return WT_TRAP_TABLE_OOB;
	for (uint32_t i = 0; i < n; i++) {
		int k = vm_elem_item(inst, e, src + i, &t->elems[d + i]);
		if (k)
			return k;
	}
	return 0;
}

#endif
