/* jit_gen_ctl.c: the translator's control ops: traps, branches (backward ones poll the
 * interrupt), br_table, select, fuel, and the dispatch of the other MISC ops. */
#include <stdlib.h>

#include "jit_gen_impl.h"

/* return wt_jit_trap(x, f, at, tk) from block b. */
static void end_trap_at(jf *j, gcc_jit_block *b, gcc_jit_rvalue *at, gcc_jit_rvalue *tk)
{
	wt_jitg *g = j->g;
	gcc_jit_type *p[4] = {g->t_vptr, g->t_vptr, g->t_u32, g->t_int};
	gcc_jit_rvalue *a[4] = {j->x, rel(j, WT_REL_FUNC, j->fidx, g->t_vptr), at, tk};
	gcc_jit_block_end_with_return(b, NULL, call(j, cfn(j, WT_RT_TRAP, g->t_int, 4, p), 4, a));
}

/* When cond holds, trap out of bounds. Every site of the function goes to
 * one trap block, its location in a local: one call for them all rather
 * than one per access, fewer blocks and calls for GCC to compile (the
 * bounds checks were a third of its time on sqlite: docs/engine.md). */
void wt_jg_oob_if(jf *j, gcc_jit_rvalue *cond)
{
	if (!j->oob) {
		j->oob_at = local(j, j->g->t_u32);
		j->oob = new_block(j);
		end_trap_at(j, j->oob, gcc_jit_lvalue_as_rvalue(j->oob_at),
			    lit(j, j->g->t_int, WT_TRAP_MEMORY_OOB));
	}
	gcc_jit_block *go = new_block(j);
	gcc_jit_block_add_assignment(j->cur, NULL, j->oob_at, lit(j, j->g->t_u32, j->at));
	gcc_jit_block_end_with_conditional(j->cur, NULL, cond, j->oob, go);
	j->cur = go;
}

/* The function's shared trap block, after the location and the kind tk
 * of this trap are set in block b. */
static gcc_jit_block *trap_block(jf *j, gcc_jit_block *b, gcc_jit_rvalue *tk)
{
	if (!j->trap) {
		j->trap_at = local(j, j->g->t_u32);
		j->trap_tk = local(j, j->g->t_int);
		j->trap = new_block(j);
		end_trap_at(j, j->trap, gcc_jit_lvalue_as_rvalue(j->trap_at),
			    gcc_jit_lvalue_as_rvalue(j->trap_tk));
	}
	gcc_jit_block_add_assignment(b, NULL, j->trap_at, lit(j, j->g->t_u32, j->at));
	gcc_jit_block_add_assignment(b, NULL, j->trap_tk, tk);
	return j->trap;
}

/* Block b ends in the trap tk. */
static void goto_trap(jf *j, gcc_jit_block *b, gcc_jit_rvalue *tk)
{
	gcc_jit_block_end_with_jump(b, NULL, trap_block(j, b, tk));
}

/* When cond holds, trap with tk; the current block goes on after. */
void wt_jg_trap_if(jf *j, gcc_jit_rvalue *cond, gcc_jit_rvalue *tk)
{
	gcc_jit_block *go = new_block(j);
	gcc_jit_block_end_with_conditional(j->cur, NULL, cond, trap_block(j, j->cur, tk), go);
	j->cur = go;
}

/* A helper's result tk: non-zero is a trap of that kind (or -1 from a
 * call, already located: returned as it is). */
void wt_jg_check_tk(jf *j, gcc_jit_rvalue *tk_call)
{
	gcc_jit_lvalue *tk = local(j, j->g->t_int);
	gcc_jit_block_add_assignment(j->cur, NULL, tk, tk_call);
	wt_jg_trap_if(j,
		      gcc_jit_context_new_comparison(j->ctx, NULL, GCC_JIT_COMPARISON_NE,
						     gcc_jit_lvalue_as_rvalue(tk),
						     lit(j, j->g->t_int, 0)),
		      gcc_jit_lvalue_as_rvalue(tk));
}

/* A call's result: non-zero returns -1 (the trap is filled), through the
 * function's one block that does. */
void wt_jg_check_call(jf *j, gcc_jit_rvalue *r)
{
	if (!j->fail) {
		j->fail = new_block(j);
		gcc_jit_block_end_with_return(j->fail, NULL, lit(j, j->g->t_int, (uint64_t)-1));
	}
	gcc_jit_block *go = new_block(j);
	gcc_jit_block_end_with_conditional(j->cur, NULL,
					   gcc_jit_context_new_comparison(j->ctx, NULL,
									  GCC_JIT_COMPARISON_NE, r,
									  lit(j, j->g->t_int, 0)),
					   j->fail, go);
	j->cur = go;
}

/* The address of the store's interrupt flag, made opaque in block b so that the flag is read
 * again on every pass: libgccjit 12 drops `volatile` from a dereference (no TREE_THIS_VOLATILE
 * on its INDIRECT_REF), so GCC hoisted the read out of a loop and a loop that polls nothing
 * else never saw --timeout. An empty asm statement that may change the pointer (arch-neutral,
 * no instruction) makes the load one GCC cannot hoist; without asm statements, the dereference
 * alone (GCC 13's libgccjit keeps `volatile`). */
static gcc_jit_rvalue *fresh_interrupt(jf *j, gcc_jit_block *b)
{
	wt_jitg *g = j->g;
	gcc_jit_lvalue *at = local(j, g->t_vint);
	gcc_jit_block_add_assignment(b, NULL, at, rel(j, WT_REL_STORE, WT_RS_INTERRUPT, g->t_vint));
#ifdef LIBGCCJIT_HAVE_ASM_STATEMENTS
	gcc_jit_extended_asm *a = gcc_jit_block_add_extended_asm(b, NULL, "");
	gcc_jit_extended_asm_set_volatile_flag(a, 1);
	gcc_jit_extended_asm_add_output_operand(a, NULL, "+r", at);
#endif
	return gcc_jit_lvalue_as_rvalue(at);
}

/* The block a branch from the op at j->at to word `target` goes to: a
 * backward branch first polls the interrupt, like the interpreter's. */
static gcc_jit_block *dest(jf *j, uint32_t target)
{
	gcc_jit_block *b = j->blk[target];
	if (target > j->at)
		return b;
	wt_jitg *g = j->g;
	gcc_jit_block *p = new_block(j), *t = new_block(j);
	gcc_jit_lvalue *intr = gcc_jit_rvalue_dereference(fresh_interrupt(j, p), NULL);
	gcc_jit_block_end_with_conditional(
	    p, NULL,
	    gcc_jit_context_new_comparison(j->ctx, NULL, GCC_JIT_COMPARISON_NE,
					   gcc_jit_lvalue_as_rvalue(intr), lit(j, g->t_int, 0)),
	    t, b);
	gcc_jit_block_add_assignment(t, NULL, intr, lit(j, g->t_int, 0));
	goto_trap(j, t, lit(j, g->t_int, WT_TRAP_TIMEOUT));
	return p;
}

uint32_t wt_jg_target_of(const uint32_t *words, uint32_t w)
{
	return w + (uint32_t)(int32_t)words[w];
}

void wt_jg_branch_if(jf *j, gcc_jit_rvalue *cond, uint32_t target, uint32_t next)
{
	gcc_jit_block *go = j->blk[next] ? j->blk[next] : new_block(j);
	gcc_jit_block_end_with_conditional(j->cur, NULL, cond, dest(j, target), go);
	j->cur = NULL;
}

static void do_fuel(jf *j, gcc_jit_rvalue *k)
{
	wt_jitg *g = j->g;
	gcc_jit_lvalue *fuel =
	    gcc_jit_rvalue_dereference(rel(j, WT_REL_STORE, WT_RS_FUEL, g->t_slotp), NULL);

	gcc_jit_lvalue *kk = local(j, g->t_u64);
	gcc_jit_block_add_assignment(j->cur, NULL, kk, k);
	gcc_jit_block *t = new_block(j), *go = new_block(j);
	gcc_jit_block_end_with_conditional(j->cur, NULL,
					   cmp(j, GCC_JIT_COMPARISON_LT,
					       gcc_jit_lvalue_as_rvalue(fuel),
					       gcc_jit_lvalue_as_rvalue(kk)),
					   t, go);
	gcc_jit_block_add_assignment(t, NULL, fuel, lit(j, g->t_u64, 0));
	goto_trap(j, t, lit(j, g->t_int, WT_TRAP_FUEL_EXHAUSTED));
	j->cur = go;
	gcc_jit_block_add_assignment_op(j->cur, NULL, fuel, GCC_JIT_BINARY_OP_MINUS,
					gcc_jit_lvalue_as_rvalue(kk));
}

static void do_br_table(jf *j, const uint32_t *w)
{
	uint32_t n = w[3];
	gcc_jit_case **cases = calloc(n ? n : 1, sizeof *cases);
	if (!cases)
		return;
	for (uint32_t i = 0; i < n; i++) {
		gcc_jit_rvalue *v = lit(j, j->g->t_u32, i);
		cases[i] = gcc_jit_context_new_case(
		    j->ctx, v, v, dest(j, wt_jg_target_of(j->code->words, j->at + 4 + i)));
	}
	gcc_jit_block_end_with_switch(j->cur, NULL, u32s(j, w[2]),
				      dest(j, wt_jg_target_of(j->code->words, j->at + 4 + n)),
				      (int)n, cases);
	free(cases);
	j->cur = NULL;
}

static void do_select(jf *j, const uint32_t *w)
{
	gcc_jit_block *t = new_block(j), *e = new_block(j), *go = new_block(j);
	gcc_jit_block_end_with_conditional(
	    j->cur, NULL, cmp(j, GCC_JIT_COMPARISON_NE, u32s(j, w[5]), lit(j, j->g->t_u32, 0)), t,
	    e);
	assign(j, t, w[2], slot(j, w[3]));
	assign(j, e, w[2], slot(j, w[4]));
	gcc_jit_block_end_with_jump(t, NULL, go);
	gcc_jit_block_end_with_jump(e, NULL, go);
	j->cur = go;
}

void wt_jg_misc(jf *j, uint32_t op, const uint32_t *w, uint32_t len)
{
	wt_jitg *g = j->g;
	uint32_t next = j->at + len;
	switch (op) {
	case WT_V_COPY:
		set(j, w[2], slot(j, w[3]));
		return;
	case WT_V_CONST:
		set(j, w[2], lit(j, g->t_u64, wt_code_rd64(w + 3)));
		return;
	case WT_V_BR:
		gcc_jit_block_end_with_jump(j->cur, NULL,
					    dest(j, wt_jg_target_of(j->code->words, j->at + 2)));
		j->cur = NULL;
		return;
	case WT_V_BR_IF:
	case WT_V_BR_IFNOT:
		wt_jg_branch_if(
		    j,
		    cmp(j, op == WT_V_BR_IF ? GCC_JIT_COMPARISON_NE : GCC_JIT_COMPARISON_EQ,
			u32s(j, w[2]), lit(j, g->t_u32, 0)),
		    wt_jg_target_of(j->code->words, j->at + 3), next);
		return;
	case WT_V_BR_TABLE:
		do_br_table(j, w);
		return;
	case WT_V_SELECT:
		do_select(j, w);
		return;
	case WT_V_CALL: {
		const wt_funcinst *callee = (const wt_funcinst *)(uintptr_t)wt_code_rd64(w + 3);
		wt_jg_call(j, w, callee->type.type, 0);
		return;
	}
	case WT_V_CALL_INDIRECT:
		wt_jg_call(j, w, j->g->inst->store->types[w[6]], 1);
		return;
	case WT_V_RET1:
		set(j, 0, slot(j, w[2]));
		wt_jg_return(j, 1);
		return;
	case WT_V_RET:
		wt_jg_return(j, j->code->nresults);
		return;
	case WT_V_UNREACHABLE:
		goto_trap(j, j->cur, lit(j, g->t_int, WT_TRAP_UNREACHABLE));
		j->cur = NULL;
		return;
	case WT_V_GLOBAL_GET:
		set(j, w[2],
		    gcc_jit_lvalue_as_rvalue(
			gcc_jit_rvalue_dereference(wt_jg_global_slot(j, w + 3), NULL)));
		return;
	case WT_V_GLOBAL_SET:
		gcc_jit_block_add_assignment(
		    j->cur, NULL, gcc_jit_rvalue_dereference(wt_jg_global_slot(j, w + 3), NULL),
		    slot(j, w[2]));
		return;
	case WT_V_MEMORY_SIZE:
		set(j, w[2],
		    bin(j, GCC_JIT_BINARY_OP_RSHIFT, g->t_u64, gcc_jit_lvalue_as_rvalue(j->msize),
			lit(j, g->t_u64, 16)));
		return;
	case WT_V_MEMORY_GROW: {
		gcc_jit_type *p[2] = {g->t_vptr, g->t_u32};
		gcc_jit_rvalue *a[2] = {rel(j, WT_REL_MEMORY, 0, g->t_vptr), u32s(j, w[3])};
		set(j, w[2], call(j, cfn(j, WT_RT_MEMORY_GROW, g->t_u64, 2, p), 2, a));
		wt_jg_load_mem(j, j->cur);
		return;
	}
	case WT_V_DATA_DROP:
		wt_jg_store_u8(j, WT_REL_DATA_DROPPED, w[2]);
		return;
	case WT_V_ELEM_DROP:
		wt_jg_store_u8(j, WT_REL_ELEM_DROPPED, w[2]);
		return;
	case WT_V_TABLE_SIZE: {
		uint32_t t = wt_jg_sym(j, WT_REL_TABLE, wt_code_rd64(w + 3));
		gcc_jit_rvalue *p =
		    rel(j, WT_REL_TABLE_SIZE, t, gcc_jit_type_get_pointer(g->t_u32));

		set(j, w[2],
		    cast(j, gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(p, NULL)),
			 g->t_u64));
		return;
	}
	case WT_V_FUEL:
		do_fuel(j, lit(j, g->t_u64, w[2]));
		return;
	case WT_V_FUEL_N: {
		uint32_t k = w[3];
		gcc_jit_rvalue *n = cast(j, u32s(j, w[2]), g->t_u64);
		n = bin(j, GCC_JIT_BINARY_OP_PLUS, g->t_u64, n, lit(j, g->t_u64, (1u << k) - 1));
		do_fuel(j, bin(j, GCC_JIT_BINARY_OP_RSHIFT, g->t_u64, n, lit(j, g->t_u64, k)));
		return;
	}
	default:
		wt_jg_bulk(j, op, w);
	}
}
