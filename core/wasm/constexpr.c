/* constexpr.c: evaluates validated constant expressions (inits, offsets, element items). */
#include <string.h>

#include "instr.h"
#include "store.h"

enum { WT_CONST_STACK = 8 };

/* One instruction's value (v[1]: a v128's high half), pushed on the small
 * stack. 0 or a status. */
static int eval_instr(const wt_instance *inst, const wt_instr *in, wt_slot *v, wt_error *err)
{
	const wt_module *m = inst->module;
	switch (in->op) {
	case WT_OP_V128_CONST:
		memcpy(&v[0], in->u.v128, 8);
		memcpy(&v[1], in->u.v128 + 8, 8);
		return 0;
	case WT_OP_I32_CONST:
	case WT_OP_F32_CONST:
		*v = in->u.i32;
		return 0;
	case WT_OP_I64_CONST:
	case WT_OP_F64_CONST:
		*v = in->u.i64;
		return 0;
	case WT_OP_REF_NULL:
		*v = 0;
		return 0;
	case WT_OP_REF_FUNC:
		if (in->u.index >= m->nfuncs || !inst->funcs || !inst->funcs[in->u.index])
			break;
		*v = (wt_slot)(uintptr_t)inst->funcs[in->u.index];
		return 0;
	case WT_OP_GLOBAL_GET:
		if (in->u.index >= m->nglobals || !inst->globals || !inst->globals[in->u.index])
			break;
		v[0] = inst->globals[in->u.index]->value;
		v[1] = inst->globals[in->u.index]->hi;
		return 0;
	default:
		break;
	}
	return wt_fail(err, WT_INVALID, in->offset, "constant expression required");
}

int wt_constexpr_eval(const wt_instance *inst, wt_constexpr e, wt_slot *out, wt_error *err)
{
	wt_slot v[2];
	if (wt_constexpr_eval_slots(inst, e, v, err))
		return err->code;
	*out = v[0];
	return 0;
}

int wt_constexpr_eval_slots(const wt_instance *inst, wt_constexpr e, wt_slot *out, wt_error *err)
{
	const wt_module *m = inst->module;
	if (e.offset > m->size || e.size > m->size - e.offset)
		return wt_fail(err, WT_INVALID, e.offset, "constant expression out of the module");
	wt_reader r;
	wt_reader_init(&r, m->bytes, m->size);
	r.pos = m->bytes + e.offset;
	r.end = r.pos + e.size;
	wt_slot stack[WT_CONST_STACK][2];
	unsigned depth = 0;
	wt_instr in = {.op = WT_OP_NOP};
	while (!wt_reader_done(&r)) {
		if (wt_instr_read(&r, &in, err))
			return WT_MALFORMED;
		if (in.op == WT_OP_END)
			break;
		if (depth == WT_CONST_STACK)
			return wt_fail(err, WT_INVALID, in.offset, "constant expression too deep");
		if (eval_instr(inst, &in, stack[depth++], err))
			return WT_INVALID;
	}
	if (in.op != WT_OP_END || depth != 1)
		return wt_fail(err, WT_INVALID, e.offset, "type mismatch in constant expression");
	out[0] = stack[0][0];
	out[1] = stack[0][1];
	return 0;
}

int wt_elem_item(const wt_instance *inst, const wt_elem *e, uint32_t i, wt_slot *out, wt_error *err)
{
	const wt_module *m = inst->module;
	if (i >= e->count)
		return wt_fail_plain(err, WT_INTERNAL, "element item %u of %u", i, e->count);
	if (e->exprs)
		return wt_constexpr_eval(inst, e->exprs[i], out, err);
	uint32_t f = e->func_indices[i];
	if (f >= m->nfuncs || !inst->funcs[f])
		return wt_fail_plain(err, WT_INVALID, "unknown function %u", f);
	*out = (wt_slot)(uintptr_t)inst->funcs[f];
	return 0;
}
