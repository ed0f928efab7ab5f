/* jit_gen.c: translates one function's internal code into libgccjit statements: slots become
 * locals, branch targets blocks, and every op the statements of its interpreter handler (the
 * ops by family in jit_gen_num.c, jit_gen_mem.c, jit_gen_call.c, jit_gen_ctl.c). */
#include <stdlib.h>

#include "jit_gen_impl.h"

/* The object's relocation table: void *wt_rel[size], internal (read
 * PC-relative), filled by the loader. */
static int new_table(wt_jitg *g, wt_instance *inst)
{
	g->inst = inst;
	wt_rel_layout_init(&g->layout, inst->module);
	uint32_t n = g->layout.base[WT_REL_KINDS];
	g->map = wt_rel_map_new(inst);
	g->used = calloc(n, 1);
	if (!g->map || !g->used)
		return -1;
	gcc_jit_type *t = gcc_jit_context_new_array_type(g->ctx, NULL, g->t_vptr, (int)n);
	g->table = gcc_jit_context_new_global(g->ctx, NULL, GCC_JIT_GLOBAL_INTERNAL, t, "wt_rel");
	return 0;
}

wt_jitg *wt_jitg_new(gcc_jit_context *ctx, wt_instance *inst)
{
	wt_jitg *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->ctx = ctx;
	g->t_void = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_VOID);
	g->t_int = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT);
	g->t_bool = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_BOOL);
	g->t_u32 = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_UINT32_T);
	g->t_u64 = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_UINT64_T);
	g->t_i32 = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT32_T);
	g->t_i64 = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT64_T);
	g->t_f32 = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_FLOAT);
	g->t_f64 = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_DOUBLE);
	g->t_vptr = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_VOID_PTR);
	g->t_slotp = gcc_jit_type_get_pointer(g->t_u64);
	g->t_u8p = gcc_jit_type_get_pointer(gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_UINT8_T));
	g->t_vint = gcc_jit_type_get_pointer(gcc_jit_type_get_volatile(g->t_int));
	for (unsigned sz = 1; sz <= 8; sz *= 2)
		for (int sg = 0; sg < 2; sg++)
			g->mem_t[sz][sg] = gcc_jit_type_get_pointer(mem_type(g, sz, sg));
	gcc_jit_type *u2[2] = {g->t_u64, g->t_u64};
	gcc_jit_type *t2[3] = {g->t_u64, g->t_u64, g->t_slotp};
	gcc_jit_type *t1[2] = {g->t_u64, g->t_slotp};
	g->t_h2 = gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_u64, 2, u2, 0);
	g->t_h1 = gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_u64, 1, u2, 0);
	g->t_ht2 = gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_int, 3, t2, 0);
	g->t_ht1 = gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_int, 2, t1, 0);
	if (new_table(g, inst) != 0) {
		wt_jitg_free(g);
		return NULL;
	}
	return g;
}

void wt_jitg_accesses(const wt_jitg *g, uint64_t *accesses, uint64_t *unchecked)
{
	*accesses = g->checks;
	*unchecked = g->proven;
}

void wt_jitg_free(wt_jitg *g)
{
	if (!g)
		return;
	wt_rel_map_free(g->map);
	free(g->used);
	free(g);
}

gcc_jit_lvalue *wt_jitg_table(wt_jitg *g)
{
	return g->table;
}

uint32_t wt_jitg_relocs(const wt_jitg *g, uint32_t *pairs)
{
	uint32_t n = 0;
	for (uint32_t k = 0; k < WT_REL_KINDS; k++)
		for (uint32_t i = g->layout.base[k]; i < g->layout.base[k + 1]; i++) {
			if (!g->used[i])
				continue;
			if (pairs) {
				pairs[2 * n] = k;
				pairs[2 * n + 1] = i - g->layout.base[k];
			}
			n++;
		}
	return n;
}

int wt_jitg_failed(const wt_jitg *g)
{
	return g->bad;
}

/* The length in words of the op at w. */
static uint32_t op_len(const uint32_t *w)
{
	uint32_t op = (uint32_t)wt_code_rd64(w);
	if (op == WT_V_BR_TABLE)
		return 5 + w[3];
	return wt_vop_table[op].len;
}

int wt_jitg_supported(const wt_code *code)
{
	for (uint32_t at = 0; at < code->nwords; at += op_len(code->words + at)) {
		uint64_t op = wt_code_rd64(code->words + at);
		if (op >= WT_V_COUNT || wt_jg_ops[op].kind == K_NONE)
			return 0;
	}
	return 1;
}

/* The index of what the internal code names by its address or id p, as
 * relocation kind k (FUNC, TABLE, GLOBAL, TYPE_ID). */
uint32_t wt_jg_sym(jf *j, wt_rel_kind k, uint64_t p)
{
	uint32_t i = 0;
	if (k == WT_REL_FUNC) {
		const wt_funcinst *f = (const wt_funcinst *)(uintptr_t)p;
		if (f->instance == j->g->inst && !f->host && j->g->inst->funcs[f->func_index] == f)
			return f->func_index;
	}
	if (wt_rel_map_find(j->g->map, k, p, &i) != 0)
		j->g->bad = 1;
	return i;
}

/* The address operand (P) at w as its entry of kind k (FUNC, TABLE). */
gcc_jit_rvalue *wt_jg_psym(jf *j, wt_rel_kind k, const uint32_t *w, gcc_jit_type *t)
{
	return rel(j, k, wt_jg_sym(j, k, wt_code_rd64(w)), t);
}

static void do_op(jf *j, const uint32_t *w, uint32_t len)
{
	uint32_t op = (uint32_t)wt_code_rd64(w);
	const opinfo *oi = &wt_jg_ops[op];
	switch (oi->kind) {
	case K_BINI:
	case K_CMP:
	case K_BINF:
		wt_jg_binary(j, w, oi);
		return;
	case K_BINT:
		wt_jg_trapping_binary(j, w, oi);
		return;
	case K_UN:
		wt_jg_unary(j, w, oi);
		return;
	case K_UNT:
		wt_jg_trapping_unary(j, w, oi);
		return;
	case K_LOAD:
		wt_jg_load(j, w, oi);
		return;
	case K_STORE:
		wt_jg_store(j, w, oi);
		return;
	case K_BR_IF:
	case K_BR_IFNOT:
		wt_jg_fused(j, w, oi, len);
		return;
	case K_VEC:
		wt_jg_vector(j, op, w);
		return;
	default:
		wt_jg_misc(j, op, w, len);
	}
}

/* Marks the words branches go to, and the words after conditional branches. */
static void mark_blocks(jf *j)
{
	const uint32_t *words = j->code->words;
	uint32_t n = j->code->nwords;
	j->blk[0] = new_block(j);
	for (uint32_t at = 0; at < n;) {
		const uint32_t *w = words + at;
		uint32_t op = (uint32_t)wt_code_rd64(w), len = op_len(w), first = 0, count = 0;
		if (op == WT_V_BR) {
			first = at + 2, count = 1;
		} else if (op == WT_V_BR_IF || op == WT_V_BR_IFNOT) {
			first = at + 3, count = 1;
		} else if (wt_jg_ops[op].kind == K_BR_IF || wt_jg_ops[op].kind == K_BR_IFNOT) {
			first = at + 4, count = 1;
		} else if (op == WT_V_BR_TABLE) {
			first = at + 4, count = w[3] + 1;
		}
		for (uint32_t i = 0; i < count; i++) {
			uint32_t t = wt_jg_target_of(words, first + i);
			if (t < n && !j->blk[t])
				j->blk[t] = new_block(j);
		}
		at += len;
		if (count && at < n && !j->blk[at])
			j->blk[at] = new_block(j);
	}
}

/* The entry: params from the frame, declared locals zeroed, constants set. */
static void entry(jf *j, gcc_jit_block *b)
{
	const wt_code *c = j->code;
	for (uint32_t i = 0; i < c->nparams; i++)
		gcc_jit_block_add_assignment(b, NULL, j->slot[i],
					     gcc_jit_lvalue_as_rvalue(fp_lv(j, i)));
	for (uint32_t i = 0; i < c->nlocals; i++)
		gcc_jit_block_add_assignment(b, NULL, j->slot[c->nparams + i],
					     lit(j, j->g->t_u64, 0));
	for (uint32_t i = 0; i < c->nconsts; i++)
		gcc_jit_block_add_assignment(b, NULL, j->slot[c->const_base + i],
					     lit(j, j->g->t_u64, c->consts[i]));
	wt_jg_load_mem(j, b);
	gcc_jit_block_end_with_jump(b, NULL, j->blk[0]);
}

gcc_jit_function *wt_jitg_declare(wt_jitg *g, const char *name)
{
	gcc_jit_param *params[2] = {gcc_jit_context_new_param(g->ctx, NULL, g->t_vptr, "x"),
				    gcc_jit_context_new_param(g->ctx, NULL, g->t_slotp, "fp")};
	return gcc_jit_context_new_function(g->ctx, NULL, GCC_JIT_FUNCTION_INTERNAL, g->t_int, name,
					    2, params, 0);
}

void wt_jitg_function(wt_jitg *g, wt_funcinst *f, const wt_code *code, gcc_jit_function *fn,
		      wt_jitg_lookup lookup, void *lctx)
{
	jf j = {.g = g,
		.ctx = g->ctx,
		.f = f,
		.code = code,
		.fidx = f->func_index,
		.fn = fn,
		.lookup = lookup,
		.lctx = lctx};
	const wt_module *m = f->instance->module;
	j.mem = m->nmemories != 0;

	j.x = gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 0));
	j.fp = gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 1));
	j.slot = calloc(code->frame_size + 1, sizeof *j.slot);
	j.blk = calloc(code->nwords + 1, sizeof *j.blk);
	j.ext = calloc(code->frame_size + 1, sizeof *j.ext);
	j.ext_gen = calloc(code->frame_size + 1, sizeof *j.ext_gen);
	if (!j.slot || !j.blk || !j.ext || !j.ext_gen)
		goto out;
	if (j.mem)
		j.mem_min = m->memories[0].type.limits.min * 65536; /* pages of 64 KiB */
	char nm[32];
	for (uint32_t i = 0; i < code->frame_size; i++) {
		snprintf(nm, sizeof nm, "s%u", i);
		j.slot[i] = gcc_jit_function_new_local(j.fn, NULL, g->t_u64, nm);
	}
	j.mbase = gcc_jit_function_new_local(j.fn, NULL, g->t_u8p, "mbase");
	j.msize = gcc_jit_function_new_local(j.fn, NULL, g->t_u64, "msize");
	j.tmp = gcc_jit_function_new_local(j.fn, NULL, g->t_u64, "tmp");
	gcc_jit_block *first = new_block(&j);
	mark_blocks(&j);
	entry(&j, first);
	for (uint32_t at = 0; at < code->nwords;) {
		const uint32_t *w = code->words + at;
		uint32_t len = op_len(w);
		if (j.blk[at]) {
			if (j.cur)
				gcc_jit_block_end_with_jump(j.cur, NULL, j.blk[at]);
			j.cur = j.blk[at];
			j.gen++; /* more than one path may reach it */
		} else if (!j.cur) {
			j.cur = new_block(&j); /* unreachable code */
			j.gen++;
		}
		j.at = at;
		do_op(&j, w, len);
		at += len;
	}
	if (j.cur)
		gcc_jit_block_end_with_return(j.cur, NULL, lit(&j, g->t_int, 0));
out:
	free(j.slot);
	free(j.blk);
	free(j.ext);
	free(j.ext_gen);
}
