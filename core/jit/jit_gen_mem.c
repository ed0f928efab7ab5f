/* jit_gen_mem.c: the translator's memory, table and global access: bounds-checked loads and
 * stores, bulk and table ops through the interpreter's functions, segment drops. */

#include "jit_gen_impl.h"

void wt_jg_load_mem(jf *j, gcc_jit_block *b)
{
	if (!j->mem)
		return;
	gcc_jit_type *pp = gcc_jit_type_get_pointer(j->g->t_u8p);
	gcc_jit_block_add_assignment(b, NULL, j->mbase,
				     gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(
					 rel(j, WT_REL_MEMORY_DATA, 0, pp), NULL)));
	gcc_jit_block_add_assignment(b, NULL, j->msize,
				     gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(
					 rel(j, WT_REL_MEMORY_SIZE, 0, j->g->t_slotp), NULL)));
}

/* The checked address of an access of size bytes at (u32)slot a + k. */
static gcc_jit_rvalue *mem_addr(jf *j, uint32_t a, uint32_t k, unsigned size, int sgn)
{
	return cast(j, wt_jg_mem_ea(j, a, k, size), j->g->mem_t[size][sgn]);
}

/* Whether an access of the bytes [slot a's u32 value + k, + size) is known in bounds: the
 * slot is a constant inside the memory's declared minimum (a memory never shrinks), or an
 * access on this path, since the slot was last written, reached as far (the check it made
 * holds for every later access with no more bytes past a's value). Else it is noted as
 * checked that far, for the next. */
static int proven(jf *j, uint32_t a, uint32_t k, unsigned size)
{
	const wt_code *c = j->code;
	uint64_t reach = (uint64_t)k + size;
	if (a >= c->const_base && a - c->const_base < c->nconsts)
		return (uint32_t)c->consts[a - c->const_base] + reach <= j->mem_min;
	if (j->ext_gen[a] == j->gen && reach <= j->ext[a])
		return 1;
	j->ext[a] = reach; /* further than known, or nothing known */
	j->ext_gen[a] = j->gen;
	return 0;
}

gcc_jit_rvalue *wt_jg_mem_ea(jf *j, uint32_t a, uint32_t k, unsigned size)
{
	wt_jitg *g = j->g;
	gcc_jit_lvalue *ea = local(j, g->t_u64);
	gcc_jit_block_add_assignment(
	    j->cur, NULL, ea,
	    gcc_jit_context_new_binary_op(j->ctx, NULL, GCC_JIT_BINARY_OP_PLUS, g->t_u64,
					  cast(j, cast(j, slot(j, a), g->t_u32), g->t_u64),
					  lit(j, g->t_u64, k)));
	gcc_jit_rvalue *end =
	    gcc_jit_context_new_binary_op(j->ctx, NULL, GCC_JIT_BINARY_OP_PLUS, g->t_u64,
					  gcc_jit_lvalue_as_rvalue(ea), lit(j, g->t_u64, size));
	g->checks++;
	if (proven(j, a, k, size))
		g->proven++;
	else
		wt_jg_oob_if(j, gcc_jit_context_new_comparison(j->ctx, NULL, GCC_JIT_COMPARISON_GT,
							       end,
							       gcc_jit_lvalue_as_rvalue(j->msize)));
	gcc_jit_rvalue *p = gcc_jit_lvalue_get_address(
	    gcc_jit_context_new_array_access(j->ctx, NULL, gcc_jit_lvalue_as_rvalue(j->mbase),
					     gcc_jit_lvalue_as_rvalue(ea)),
	    NULL);
	return p;
}

void wt_jg_load(jf *j, const uint32_t *w, const opinfo *oi)
{
	wt_jitg *g = j->g;
	gcc_jit_rvalue *p = mem_addr(j, w[3], w[4], oi->msize, oi->msigned);
	gcc_jit_rvalue *v = gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(p, NULL));
	/* widen as C does: signed types sign-extend to the result type first */
	v = cast(j, v, oi->r == TY_u32 ? g->t_u32 : g->t_u64);
	set(j, w[2], cast(j, v, g->t_u64));
}

void wt_jg_store(jf *j, const uint32_t *w, const opinfo *oi)
{
	gcc_jit_rvalue *p = mem_addr(j, w[2], w[4], oi->msize, 0);
	gcc_jit_lvalue *dst = gcc_jit_rvalue_dereference(p, NULL);
	gcc_jit_block_add_assignment(j->cur, NULL, dst,
				     cast(j, slot(j, w[3]), mem_type(j->g, oi->msize, 0)));
}

/* memory.init and table.init: helper rt(dst, instance, segment seg,
 * fp[w[2]], fp[w[3]], fp[w[4]]), 0 or a trap kind. */
static void do_init(jf *j, const uint32_t *w, gcc_jit_rvalue *dst, uint32_t seg, wt_rel_rt rt)
{
	gcc_jit_type *V = j->g->t_vptr, *U = j->g->t_u32;
	gcc_jit_type *p[6] = {V, V, U, U, U, U};
	gcc_jit_rvalue *a[6] = {dst,
				rel(j, WT_REL_INSTANCE, 0, V),
				lit(j, U, seg),
				u32s(j, w[2]),
				u32s(j, w[3]),
				u32s(j, w[4])};
	wt_jg_check_tk(j, call(j, cfn(j, rt, j->g->t_int, 6, p), 6, a));
}

/* Bulk and table ops: a helper, 0 or a trap kind. */
void wt_jg_bulk(jf *j, uint32_t op, const uint32_t *w)
{
	wt_jitg *g = j->g;
	gcc_jit_type *V = g->t_vptr, *U = g->t_u32, *L = g->t_u64, *I = g->t_int;
	switch (op) {
	case WT_V_MEMORY_FILL:
	case WT_V_MEMORY_COPY: {
		gcc_jit_type *p[4] = {V, U, U, U};
		gcc_jit_rvalue *a[4] = {rel(j, WT_REL_MEMORY, 0, V), u32s(j, w[2]), u32s(j, w[3]),
					u32s(j, w[4])};
		wt_rel_rt fn = op == WT_V_MEMORY_FILL ? WT_RT_MEMORY_FILL : WT_RT_MEMORY_COPY;
		wt_jg_check_tk(j, call(j, cfn(j, fn, I, 4, p), 4, a));
		return;
	}
	case WT_V_MEMORY_INIT:
		do_init(j, w, rel(j, WT_REL_MEMORY, 0, V), w[5], WT_RT_MEMORY_INIT);
		return;
	case WT_V_TABLE_GET: {
		gcc_jit_type *p[3] = {V, U, g->t_slotp};
		gcc_jit_rvalue *a[3] = {wt_jg_psym(j, WT_REL_TABLE, w + 4, V), u32s(j, w[3]),
					gcc_jit_lvalue_get_address(j->tmp, NULL)};
		wt_jg_check_tk(j, call(j, cfn(j, WT_RT_TABLE_GET, I, 3, p), 3, a));
		set(j, w[2], gcc_jit_lvalue_as_rvalue(j->tmp));
		return;
	}
	case WT_V_TABLE_SET: {
		gcc_jit_type *p[3] = {V, U, L};
		gcc_jit_rvalue *a[3] = {wt_jg_psym(j, WT_REL_TABLE, w + 4, V), u32s(j, w[2]),
					slot(j, w[3])};
		wt_jg_check_tk(j, call(j, cfn(j, WT_RT_TABLE_SET, I, 3, p), 3, a));
		return;
	}
	case WT_V_TABLE_GROW: {
		gcc_jit_type *p[3] = {V, L, U};
		gcc_jit_rvalue *a[3] = {wt_jg_psym(j, WT_REL_TABLE, w + 5, V), slot(j, w[3]),
					u32s(j, w[4])};
		set(j, w[2], call(j, cfn(j, WT_RT_TABLE_GROW, L, 3, p), 3, a));
		return;
	}
	case WT_V_TABLE_FILL: {
		gcc_jit_type *p[4] = {V, U, L, U};
		gcc_jit_rvalue *a[4] = {wt_jg_psym(j, WT_REL_TABLE, w + 5, V), u32s(j, w[2]),
					slot(j, w[3]), u32s(j, w[4])};
		wt_jg_check_tk(j, call(j, cfn(j, WT_RT_TABLE_FILL, I, 4, p), 4, a));
		return;
	}
	case WT_V_TABLE_COPY: {
		gcc_jit_type *p[5] = {V, V, U, U, U};
		gcc_jit_rvalue *a[5] = {wt_jg_psym(j, WT_REL_TABLE, w + 5, V),
					wt_jg_psym(j, WT_REL_TABLE, w + 7, V), u32s(j, w[2]),
					u32s(j, w[3]), u32s(j, w[4])};
		wt_jg_check_tk(j, call(j, cfn(j, WT_RT_TABLE_COPY, I, 5, p), 5, a));
		return;
	}
	case WT_V_TABLE_INIT:
		do_init(j, w, wt_jg_psym(j, WT_REL_TABLE, w + 5, V), w[7], WT_RT_TABLE_INIT);
		return;
	}
}

/* *p = 1, p the entry (k, i) of the relocation table (a uint8_t *). */
void wt_jg_store_u8(jf *j, wt_rel_kind k, uint32_t i)
{
	gcc_jit_type *t = gcc_jit_context_get_type(j->ctx, GCC_JIT_TYPE_UINT8_T);
	gcc_jit_block_add_assignment(
	    j->cur, NULL,
	    gcc_jit_rvalue_dereference(rel(j, k, i, gcc_jit_type_get_pointer(t)), NULL),
	    lit(j, t, 1));
}

/* The global slot operand (P) at w: a global's value or, for a v128
 * global, its high half (a wt_slot *). */
gcc_jit_rvalue *wt_jg_global_slot(jf *j, const uint32_t *w)
{
	uint32_t i;
	uint64_t p = wt_code_rd64(w);
	if (wt_rel_map_find(j->g->map, WT_REL_GLOBAL_HI, p, &i) == 0)
		return rel(j, WT_REL_GLOBAL_HI, i, j->g->t_slotp);
	return wt_jg_psym(j, WT_REL_GLOBAL, w, j->g->t_slotp);
}
