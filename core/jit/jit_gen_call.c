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

/* Goes to `slow` when cond holds, else on in a new current block. */
static void slow_if(jf *j, gcc_jit_rvalue *cond, gcc_jit_block *slow)
{
	gcc_jit_block *go = new_block(j);
	gcc_jit_block_end_with_conditional(j->cur, NULL, cond, slow, go);
	j->cur = go;
}

/* *any |= v, v a signed 64-bit value negative exactly when its check fails: or-ed, the checks
 * are one sign test (docs/engine.md, "The inline checks, one test"). */
static void or_into(jf *j, gcc_jit_rvalue **any, gcc_jit_rvalue *v)
{
	*any = *any ? bin(j, GCC_JIT_BINARY_OP_BITWISE_OR, j->g->t_i64, *any, v) : v;
}

/* Goes to `slow` when *any (or-ed checks) is negative; *any is emptied. */
static void slow_if_any(jf *j, gcc_jit_rvalue **any, gcc_jit_block *slow)
{
	slow_if(j, cmp(j, GCC_JIT_COMPARISON_LT, *any, lit(j, j->g->t_i64, 0)), slow);
	*any = NULL;
}

/* -1 when cond holds, else 0 (signed 64-bit). */
static gcc_jit_rvalue *minus_if(jf *j, gcc_jit_rvalue *cond)
{
	return gcc_jit_context_new_unary_op(j->ctx, NULL, GCC_JIT_UNARY_OP_MINUS, j->g->t_i64,
					    cast(j, cast(j, cond, j->g->t_int), j->g->t_i64));
}

/* a - b of two addresses (or sizes) as a signed 64-bit value: negative when a < b (both below
 * 2^63, as user-space addresses are). */
static gcc_jit_rvalue *room(jf *j, gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
	return cast(j, bin(j, GCC_JIT_BINARY_OP_MINUS, j->g->t_u64, a, b), j->g->t_i64);
}

/* *(t *)((uint8_t *)p + off): a field of a run-time structure at p. */
static gcc_jit_lvalue *field(jf *j, gcc_jit_rvalue *p, size_t off, gcc_jit_type *t)
{
	gcc_jit_rvalue *a = gcc_jit_lvalue_get_address(
	    gcc_jit_context_new_array_access(j->ctx, NULL,
					     gcc_jit_context_new_cast(j->ctx, NULL, p, j->g->t_u8p),
					     lit(j, j->g->t_int, (uint32_t)off)),
	    NULL);
	return gcc_jit_rvalue_dereference(
	    gcc_jit_context_new_cast(j->ctx, NULL, a, gcc_jit_type_get_pointer(t)), NULL);
}

static gcc_jit_rvalue *fieldv(jf *j, gcc_jit_rvalue *p, size_t off, gcc_jit_type *t)
{
	return gcc_jit_lvalue_as_rvalue(field(j, p, off, t));
}

static gcc_jit_rvalue *is_null(jf *j, gcc_jit_rvalue *p)
{
	return cmp(j, GCC_JIT_COMPARISON_EQ, p,
		   gcc_jit_context_null(j->ctx, gcc_jit_rvalue_get_type(p)));
}

/* The store's call depth of one call: where it is and its value before the call, read once by
 * the checks and written back after the call (a call leaves the depth as it found it). */
typedef struct depth {
	gcc_jit_lvalue *at, *was;
} depth;

/* The checks of the callee's part of wt_jit_call, inline: call depth, the callee's internal code
 * made (code, NULL before its first call; code NULL: known made), room on the value stack for
 * its frame (fs slots; NULL: read from code), interrupt, C stack floor. Each is a signed value
 * negative exactly when it fails, all or-ed into one test (two when fs is read from code, which
 * is only once it is known not NULL); when any fails, slow, whose wt_jit_call makes them again
 * in the interpreter's order and traps with its message. Leaves the depth in *d. */
static void enter_checks(jf *j, gcc_jit_rvalue *code, gcc_jit_rvalue *fs, gcc_jit_rvalue *nfp,
			 gcc_jit_block *slow, depth *d)
{
	wt_jitg *g = j->g;
	gcc_jit_type *pu32 = gcc_jit_type_get_pointer(g->t_u32);
	gcc_jit_type *pp = gcc_jit_type_get_pointer(g->t_vptr);
	gcc_jit_rvalue *any = NULL;
	if (code) {
		or_into(j, &any, minus_if(j, is_null(j, code)));
		if (!fs) { /* read from code: only once it is known not NULL */
			slow_if_any(j, &any, slow);
			fs = cast(j, fieldv(j, code, offsetof(wt_code, frame_size), g->t_u32),
				  g->t_u64);
		}
	}
	d->at = local(j, pu32);
	d->was = local(j, g->t_u32);
	gcc_jit_block_add_assignment(j->cur, NULL, d->at, rel(j, WT_REL_STORE, WT_RS_DEPTH, pu32));
	gcc_jit_block_add_assignment(j->cur, NULL, d->was,
				     gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(
					 gcc_jit_lvalue_as_rvalue(d->at), NULL)));
	/* max_call_depth - 1 - depth: both 32-bit, exact in 64 */
	or_into(j, &any,
		bin(j, GCC_JIT_BINARY_OP_MINUS, g->t_i64,
		    cast(j, relv(j, WT_REL_STORE, WT_RS_MAX_DEPTH, g->t_u32), g->t_i64),
		    bin(j, GCC_JIT_BINARY_OP_PLUS, g->t_i64,
			cast(j, gcc_jit_lvalue_as_rvalue(d->was), g->t_i64), lit(j, g->t_i64, 1))));
	gcc_jit_rvalue *end = bin(j, GCC_JIT_BINARY_OP_PLUS, g->t_u64,
				  addr_bits(j, deref(j, pp, WT_REL_STORE, WT_RS_STACK)),
				  relv(j, WT_REL_STORE, WT_RS_STACK_BYTES, g->t_u64));
	gcc_jit_rvalue *need =
	    bin(j, GCC_JIT_BINARY_OP_PLUS, g->t_u64, addr_bits(j, nfp),
		bin(j, GCC_JIT_BINARY_OP_MULT, g->t_u64, fs, lit(j, g->t_u64, sizeof(wt_slot))));
	or_into(j, &any, room(j, end, need));
	or_into(j, &any,
		minus_if(j, cmp(j, GCC_JIT_COMPARISON_NE,
				deref(j, g->t_vint, WT_REL_STORE, WT_RS_INTERRUPT),
				lit(j, g->t_int, 0))));
	gcc_jit_rvalue *floor = fieldv(j, j->x, offsetof(wt_jit_ctx, floor), g->t_vptr);
	or_into(
	    j, &any,
	    room(j, addr_bits(j, gcc_jit_lvalue_get_address(j->tmp, NULL)), addr_bits(j, floor)));
	slow_if_any(j, &any, slow);
}

/* The call itself once the checks passed: depth up, r = the call, depth back, on to join. */
static void checked_call(jf *j, const depth *d, gcc_jit_lvalue *r, gcc_jit_rvalue *the_call,
			 gcc_jit_block *join)
{
	gcc_jit_lvalue *at = gcc_jit_rvalue_dereference(gcc_jit_lvalue_as_rvalue(d->at), NULL);
	gcc_jit_rvalue *was = gcc_jit_lvalue_as_rvalue(d->was);
	gcc_jit_block_add_assignment(
	    j->cur, NULL, at,
	    bin(j, GCC_JIT_BINARY_OP_PLUS, j->g->t_u32, was, lit(j, j->g->t_u32, 1)));
	gcc_jit_block_add_assignment(j->cur, NULL, r, the_call);
	gcc_jit_block_add_assignment(j->cur, NULL, at, was);
	gcc_jit_block_end_with_jump(j->cur, NULL, join);
}

/* The type of a compiled body: int (*)(wt_jit_ctx *, wt_slot *). */
static gcc_jit_type *body_ptr_t(jf *j)
{
	gcc_jit_type *p[2] = {j->g->t_vptr, j->g->t_slotp};
	return gcc_jit_context_new_function_ptr_type(j->ctx, NULL, j->g->t_int, 2, p, 0);
}

/* A call to a defined function callee (funcinst rvalue) through its compiled body read at run
 * time: when it has one and the checks pass, a call through the pointer, else slow. */
static void call_through(jf *j, gcc_jit_lvalue *r, gcc_jit_rvalue *callee, gcc_jit_rvalue *nfp,
			 gcc_jit_block *slow, gcc_jit_block *join)
{
	gcc_jit_type *fpt = body_ptr_t(j);
	gcc_jit_lvalue *fnp = local(j, fpt);
	gcc_jit_block_add_assignment(j->cur, NULL, fnp,
				     fieldv(j, callee, offsetof(wt_funcinst, jit), fpt));
	slow_if(j, is_null(j, gcc_jit_lvalue_as_rvalue(fnp)), slow);
	depth d;
	enter_checks(j, fieldv(j, callee, offsetof(wt_funcinst, code), j->g->t_vptr), NULL, nfp,
		     slow, &d);
	gcc_jit_rvalue *args[2] = {j->x, nfp};
	checked_call(j, &d, r, call(j, gcc_jit_lvalue_as_rvalue(fnp), 2, args), join);
}

/* wt_jit_call(x, caller, at, callee, nfp, top): the slow path of a direct call. */
static gcc_jit_rvalue *rt_call(jf *j, gcc_jit_rvalue *callee, gcc_jit_rvalue *nfp)
{
	wt_jitg *g = j->g;
	gcc_jit_type *p[6] = {g->t_vptr, g->t_vptr, g->t_u32, g->t_vptr, g->t_slotp, g->t_slotp};
	gcc_jit_rvalue *a[6] = {j->x,
				rel(j, WT_REL_FUNC, j->fidx, g->t_vptr),
				lit(j, g->t_u32, j->at),
				callee,
				nfp,
				fp_at(j, j->code->frame_size)};
	return call(j, cfn(j, WT_RT_CALL, g->t_int, 6, p), 6, a);
}

/* A direct call (CALL, w). To a function of this object: the checks inline and a direct C
 * call. To another defined function: its compiled body, if it has one at run time (another
 * piece of the code cache, loaded before the run), through its pointer after the same checks.
 * Host functions and every failed check: wt_jit_call (which also traps). */
static gcc_jit_rvalue *direct_call(jf *j, const uint32_t *w, gcc_jit_rvalue *nfp)
{
	wt_jitg *g = j->g;
	const wt_funcinst *callee = (const wt_funcinst *)(uintptr_t)wt_code_rd64(w + 3);
	gcc_jit_rvalue *callee_p = wt_jg_psym(j, WT_REL_FUNC, w + 3, g->t_vptr);
	if (callee->host)
		return rt_call(j, callee_p, nfp);
	uint32_t cfs;
	gcc_jit_function *cf = j->lookup ? j->lookup(j->lctx, callee, &cfs) : NULL;
	gcc_jit_lvalue *r = local(j, g->t_int);
	gcc_jit_block *slow = new_block(j), *join = new_block(j);
	if (cf) {
		/* a call of the function to itself: its code is made (every way into a compiled
		 * body makes it first, and it is never unmade) */
		gcc_jit_rvalue *code = NULL;
		if (callee != j->f) {
			uint32_t ci = wt_jg_sym(j, WT_REL_FUNC, (uintptr_t)callee);
			code = deref(j, gcc_jit_type_get_pointer(g->t_vptr), WT_REL_FUNC_CODE, ci);
		}
		depth d;
		enter_checks(j, code, lit(j, g->t_u64, cfs), nfp, slow, &d);
		gcc_jit_rvalue *args[2] = {j->x, nfp};
		checked_call(j, &d, r, gcc_jit_context_new_call(j->ctx, NULL, cf, 2, args), join);
	} else {
		call_through(j, r, callee_p, nfp, slow, join);
	}
	gcc_jit_block_add_assignment(slow, NULL, r, rt_call(j, callee_p, nfp));
	gcc_jit_block_end_with_jump(slow, NULL, join);
	j->cur = join;
	return gcc_jit_lvalue_as_rvalue(r);
}

/* CALL_INDIRECT (w): the interpreter's table checks (index, null, type), then the callee's
 * compiled body through its pointer as in direct_call; wt_jit_call_indirect when any check
 * fails or the callee has no compiled body (it checks again, traps or runs it). */
static gcc_jit_rvalue *indirect_call(jf *j, const uint32_t *w, gcc_jit_rvalue *nfp)
{
	wt_jitg *g = j->g;
	gcc_jit_rvalue *table = wt_jg_psym(j, WT_REL_TABLE, w + 4, g->t_vptr);
	gcc_jit_rvalue *i = cast(j, slot(j, w[3]), g->t_u32);
	gcc_jit_rvalue *type =
	    relv(j, WT_REL_TYPE_ID, wt_jg_sym(j, WT_REL_TYPE_ID, w[6]), g->t_u32);
	gcc_jit_lvalue *r = local(j, g->t_int), *callee = local(j, g->t_vptr);
	gcc_jit_block *slow = new_block(j), *join = new_block(j);
	slow_if(j,
		cmp(j, GCC_JIT_COMPARISON_GE, i,
		    fieldv(j, table, offsetof(wt_tableinst, size), g->t_u32)),
		slow);
	gcc_jit_rvalue *elems = fieldv(j, table, offsetof(wt_tableinst, elems), g->t_slotp);
	gcc_jit_rvalue *elem =
	    gcc_jit_lvalue_as_rvalue(gcc_jit_context_new_array_access(j->ctx, NULL, elems, i));
	gcc_jit_block_add_assignment(j->cur, NULL, callee,
				     gcc_jit_context_new_bitcast(j->ctx, NULL, elem, g->t_vptr));
	slow_if(j, is_null(j, gcc_jit_lvalue_as_rvalue(callee)), slow);
	slow_if(j,
		cmp(j, GCC_JIT_COMPARISON_NE,
		    fieldv(j, gcc_jit_lvalue_as_rvalue(callee),
			   offsetof(wt_funcinst, type) + offsetof(wt_typeref, id), g->t_u32),
		    type),
		slow);
	call_through(j, r, gcc_jit_lvalue_as_rvalue(callee), nfp, slow, join);
	gcc_jit_type *p[8] = {g->t_vptr, g->t_vptr, g->t_u32,	g->t_vptr,
			      g->t_u32,	 g->t_u32,  g->t_slotp, g->t_slotp};
	gcc_jit_rvalue *args[8] = {j->x,
				   rel(j, WT_REL_FUNC, j->fidx, g->t_vptr),
				   lit(j, g->t_u32, j->at),
				   table,
				   i,
				   type,
				   nfp,
				   fp_at(j, j->code->frame_size)};
	gcc_jit_block_add_assignment(slow, NULL, r,
				     call(j, cfn(j, WT_RT_CALL_INDIRECT, g->t_int, 8, p), 8, args));
	gcc_jit_block_end_with_jump(slow, NULL, join);
	j->cur = join;
	return gcc_jit_lvalue_as_rvalue(r);
}

/* Arguments to memory, the call, results back, the memory reloaded. */
void wt_jg_call(jf *j, const uint32_t *w, const wt_functype *t, int indirect)
{
	uint32_t a = w[2], np, nr;
	type_slots(t, &np, &nr);
	for (uint32_t i = 0; i < np; i++)
		gcc_jit_block_add_assignment(j->cur, NULL, fp_lv(j, a + i), slot(j, a + i));
	gcc_jit_rvalue *nfp = fp_at(j, a);
	gcc_jit_rvalue *r = indirect ? indirect_call(j, w, nfp) : direct_call(j, w, nfp);
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
