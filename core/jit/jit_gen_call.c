/* jit_gen_call.c: the translator's calls: direct calls between functions of one object with the
 * interpreter's checks inline, the rest through wt_jit_call; returns. */

#include "jit_gen_impl.h"

/* The slot counts of a function type's params and results. */
static void type_slots(const wt_functype *t, uint32_t *np, uint32_t *nr)
{
	*np = wt_types_slots(t->types, t->nparams);
	*nr = wt_types_slots(t->types + t->nparams, t->nresults);
}

/* *p, p an entry (k, i) of the relocation table of type ptr_t. */
static gcc_jit_rvalue *deref(jf *j, gcc_jit_type *ptr_t, wt_rel_kind k, uint32_t i)
{
	return gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(rel(j, k, i, ptr_t), NULL));
}

static gcc_jit_rvalue *addr_bits(jf *j, gcc_jit_rvalue *p)
{
	return gcc_jit_context_new_bitcast(j->ctx, NULL, p, j->g->t_u64);
}

/* any |= cond, as an int: the checks are or-ed without branches, so that
 * they cost GCC one block rather than one each (docs/engine.md). */
static void or_into(jf *j, gcc_jit_rvalue **any, gcc_jit_rvalue *cond)
{
	gcc_jit_rvalue *c = cast(j, cond, j->g->t_int);
	*any = *any ? bin(j, GCC_JIT_BINARY_OP_BITWISE_OR, j->g->t_int, *any, c) : c;
}

/* A call to a compiled function of the same context: the checks of
 * wt_jit_call inline (depth, first-call compile, value stack, interrupt,
 * C stack), a direct C call when they pass, wt_jit_call (which traps)
 * when one does not. 0 when callee has no compiled function here. */
static int direct_call(jf *j, const uint32_t *w, gcc_jit_rvalue **out)
{
	wt_jitg *g = j->g;
	const wt_funcinst *callee = (const wt_funcinst *)(uintptr_t)wt_code_rd64(w + 3);
	uint32_t cfs;
	gcc_jit_function *cf = j->lookup ? j->lookup(j->lctx, callee, &cfs) : NULL;
	if (!cf)
		return 0;
	uint32_t ci = wt_jg_sym(j, WT_REL_FUNC, (uintptr_t)callee);
	gcc_jit_lvalue *r = local(j, g->t_int);
	gcc_jit_block *slow = new_block(j), *join = new_block(j), *go = new_block(j);
	gcc_jit_rvalue *any = NULL;
	gcc_jit_type *pu32 = gcc_jit_type_get_pointer(g->t_u32);
	gcc_jit_type *pp = gcc_jit_type_get_pointer(g->t_vptr);
	gcc_jit_rvalue *nfp = fp_at(j, w[2]);
	or_into(j, &any,
		cmp(j, GCC_JIT_COMPARISON_GE, deref(j, pu32, WT_REL_STORE, WT_RS_DEPTH),
		    relv(j, WT_REL_STORE, WT_RS_MAX_DEPTH, g->t_u32)));
	or_into(j, &any,
		cmp(j, GCC_JIT_COMPARISON_EQ, deref(j, pp, WT_REL_FUNC_CODE, ci),
		    gcc_jit_context_null(j->ctx, g->t_vptr)));
	or_into(j, &any,
		cmp(j, GCC_JIT_COMPARISON_NE, deref(j, g->t_vint, WT_REL_STORE, WT_RS_INTERRUPT),
		    lit(j, g->t_int, 0)));
	gcc_jit_rvalue *end = bin(j, GCC_JIT_BINARY_OP_PLUS, g->t_u64,
				  addr_bits(j, deref(j, pp, WT_REL_STORE, WT_RS_STACK)),
				  relv(j, WT_REL_STORE, WT_RS_STACK_BYTES, g->t_u64));
	gcc_jit_rvalue *need = bin(j, GCC_JIT_BINARY_OP_PLUS, g->t_u64, addr_bits(j, nfp),
				   lit(j, g->t_u64, (uint64_t)cfs * sizeof(wt_slot)));
	or_into(j, &any, cmp(j, GCC_JIT_COMPARISON_GT, need, end));
	gcc_jit_rvalue *floor = gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(
	    gcc_jit_context_new_cast(
		j->ctx, NULL,
		gcc_jit_lvalue_get_address(
		    gcc_jit_context_new_array_access(
			j->ctx, NULL, gcc_jit_context_new_cast(j->ctx, NULL, j->x, g->t_u8p),
			lit(j, g->t_int, offsetof(wt_jit_ctx, floor))),
		    NULL),
		pp),
	    NULL));
	or_into(j, &any,
		cmp(j, GCC_JIT_COMPARISON_LT,
		    addr_bits(j, gcc_jit_lvalue_get_address(j->tmp, NULL)), addr_bits(j, floor)));
	gcc_jit_block_end_with_conditional(
	    j->cur, NULL, cmp(j, GCC_JIT_COMPARISON_NE, any, lit(j, g->t_int, 0)), slow, go);
	j->cur = go;
	gcc_jit_lvalue *depth =
	    gcc_jit_rvalue_dereference(rel(j, WT_REL_STORE, WT_RS_DEPTH, pu32), NULL);
	gcc_jit_block_add_assignment_op(j->cur, NULL, depth, GCC_JIT_BINARY_OP_PLUS,
					lit(j, g->t_u32, 1));
	gcc_jit_rvalue *args[2] = {j->x, nfp};
	gcc_jit_block_add_assignment(j->cur, NULL, r,
				     gcc_jit_context_new_call(j->ctx, NULL, cf, 2, args));
	gcc_jit_block_add_assignment_op(j->cur, NULL, depth, GCC_JIT_BINARY_OP_MINUS,
					lit(j, g->t_u32, 1));
	gcc_jit_block_end_with_jump(j->cur, NULL, join);
	gcc_jit_type *p[6] = {g->t_vptr, g->t_vptr, g->t_u32, g->t_vptr, g->t_slotp, g->t_slotp};
	gcc_jit_rvalue *a[6] = {j->x,
				rel(j, WT_REL_FUNC, j->fidx, g->t_vptr),
				lit(j, g->t_u32, j->at),
				rel(j, WT_REL_FUNC, ci, g->t_vptr),
				nfp,
				fp_at(j, j->code->frame_size)};
	gcc_jit_block_add_assignment(slow, NULL, r,
				     call(j, cfn(j, WT_RT_CALL, g->t_int, 6, p), 6, a));
	gcc_jit_block_end_with_jump(slow, NULL, join);
	j->cur = join;
	*out = gcc_jit_lvalue_as_rvalue(r);
	return 1;
}

/* Arguments to memory, the call, results back, the memory reloaded. */
void wt_jg_call(jf *j, const uint32_t *w, const wt_functype *t, int indirect)
{
	wt_jitg *g = j->g;
	uint32_t a = w[2], np, nr;
	type_slots(t, &np, &nr);
	for (uint32_t i = 0; i < np; i++)
		gcc_jit_block_add_assignment(j->cur, NULL, fp_lv(j, a + i), slot(j, a + i));
	gcc_jit_rvalue *caller = rel(j, WT_REL_FUNC, j->fidx, g->t_vptr);
	gcc_jit_rvalue *at = lit(j, g->t_u32, j->at);
	gcc_jit_rvalue *nfp = fp_at(j, a), *top = fp_at(j, j->code->frame_size), *r;
	if (indirect) {
		gcc_jit_type *p[8] = {g->t_vptr, g->t_vptr, g->t_u32,	g->t_vptr,
				      g->t_u32,	 g->t_u32,  g->t_slotp, g->t_slotp};
		gcc_jit_rvalue *args[8] = {
		    j->x,
		    caller,
		    at,
		    wt_jg_psym(j, WT_REL_TABLE, w + 4, g->t_vptr),
		    cast(j, slot(j, w[3]), g->t_u32),
		    relv(j, WT_REL_TYPE_ID, wt_jg_sym(j, WT_REL_TYPE_ID, w[6]), g->t_u32),
		    nfp,
		    top};
		r = call(j, cfn(j, WT_RT_CALL_INDIRECT, g->t_int, 8, p), 8, args);
	} else if (direct_call(j, w, &r)) {
		/* r is the direct call's result */
	} else {
		gcc_jit_type *p[6] = {g->t_vptr, g->t_vptr,  g->t_u32,
				      g->t_vptr, g->t_slotp, g->t_slotp};
		gcc_jit_rvalue *args[6] = {
		    j->x, caller, at, wt_jg_psym(j, WT_REL_FUNC, w + 3, g->t_vptr), nfp, top};
		r = call(j, cfn(j, WT_RT_CALL, g->t_int, 6, p), 6, args);
	}
	wt_jg_check_call(j, r);
	for (uint32_t i = 0; i < nr; i++)
		set(j, a + i, gcc_jit_lvalue_as_rvalue(fp_lv(j, a + i)));
	wt_jg_load_mem(j, j->cur);
}

void wt_jg_return(jf *j, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		gcc_jit_block_add_assignment(j->cur, NULL, fp_lv(j, i), slot(j, i));
	gcc_jit_block_end_with_return(j->cur, NULL, lit(j, j->g->t_int, 0));
	j->cur = NULL;
}
