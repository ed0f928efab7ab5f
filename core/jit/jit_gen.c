/* jit_gen.c: translates one function's internal code into libgccjit statements: slots become
 * locals, branch targets blocks, and every op the statements of its interpreter handler. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit_gen.h"
#include "jit_impl.h"
#include "jit_reloc.h"

/* Type tags of code.h's lists. */
enum { TY_u32, TY_u64, TY_f32, TY_f64 };

enum {
	K_NONE,
	K_MISC,
	K_BINI,
	K_CMP,
	K_BR_IF,
	K_BR_IFNOT,
	K_BINT,
	K_BINF,
	K_UN,
	K_UNT,
	K_LOAD,
	K_STORE,
};

/* What the translator knows of each op: its shape, operand and result
 * types, the plain op (for _I and fused forms), memory access size. */
typedef struct opinfo {
	uint8_t kind, t, r, imm, msize, msigned;
	uint16_t base;
} opinfo;

#define I_BINI(n, T, R, e)                                        \
	[WT_V_##n] = {K_BINI, TY_##T, TY_##R, 0, 0, 0, WT_V_##n}, \
	[WT_V_##n##_I] = {K_BINI, TY_##T, TY_##R, 1, 0, 0, WT_V_##n},
#define I_CMP(n, T, e)                                                    \
	[WT_V_##n] = {K_CMP, TY_##T, TY_u32, 0, 0, 0, WT_V_##n},          \
	[WT_V_##n##_I] = {K_CMP, TY_##T, TY_u32, 1, 0, 0, WT_V_##n},      \
	[WT_V_BR_IF_##n] = {K_BR_IF, TY_##T, 0, 0, 0, 0, WT_V_##n},       \
	[WT_V_BR_IFNOT_##n] = {K_BR_IFNOT, TY_##T, 0, 0, 0, 0, WT_V_##n}, \
	[WT_V_BR_IF_##n##_I] = {K_BR_IF, TY_##T, 0, 1, 0, 0, WT_V_##n},   \
	[WT_V_BR_IFNOT_##n##_I] = {K_BR_IFNOT, TY_##T, 0, 1, 0, 0, WT_V_##n},
#define I_BINT(n, T, h)                                           \
	[WT_V_##n] = {K_BINT, TY_##T, TY_##T, 0, 0, 0, WT_V_##n}, \
	[WT_V_##n##_I] = {K_BINT, TY_##T, TY_##T, 1, 0, 0, WT_V_##n},
#define I_BINF(n, T, R, e) [WT_V_##n] = {K_BINF, TY_##T, TY_##R, 0, 0, 0, WT_V_##n},
#define I_UN(n, T, R, e) [WT_V_##n] = {K_UN, TY_##T, TY_##R, 0, 0, 0, WT_V_##n},
#define I_UNT(n, T, R, h) [WT_V_##n] = {K_UNT, TY_##T, TY_##R, 0, 0, 0, WT_V_##n},
/* Whether memory type M is signed (int8_t ... uint64_t). */
#define WT_SIGNED(M)                                                                            \
	(__builtin_types_compatible_p(M, int8_t) || __builtin_types_compatible_p(M, int16_t) || \
	 __builtin_types_compatible_p(M, int32_t) || __builtin_types_compatible_p(M, int64_t))
#define I_LOAD(n, R, M, cv) [WT_V_##n] = {K_LOAD, 0, TY_##R, 0, sizeof(M), WT_SIGNED(M), WT_V_##n},
#define I_STORE(n, T, M) [WT_V_##n] = {K_STORE, TY_##T, 0, 0, sizeof(M), 0, WT_V_##n},
#define I_MISC(n, len, traps) [WT_V_##n] = {K_MISC, 0, 0, 0, 0, 0, WT_V_##n},
static const opinfo ops[WT_V_COUNT] = {
    WT_VM_MISC_LIST(I_MISC) WT_VM_BINI_LIST(I_BINI) WT_VM_CMP_LIST(I_CMP) WT_VM_BINT_LIST(I_BINT)
	WT_VM_BINF_LIST(I_BINF) WT_VM_UN_LIST(I_UN) WT_VM_UNT_LIST(I_UNT) WT_VM_LOAD_LIST(I_LOAD)
	    WT_VM_STORE_LIST(I_STORE)};

struct wt_jitg {
	gcc_jit_context *ctx;
	gcc_jit_type *t_void, *t_int, *t_bool, *t_u32, *t_u64, *t_i32, *t_i64, *t_f32, *t_f64;
	gcc_jit_type *t_vptr, *t_slotp, *t_u8p, *t_vint;
	gcc_jit_type *mem_t[9][2]; /* memory access types by size and signedness, align 1 */
	gcc_jit_type *t_h2, *t_h1, *t_ht2, *t_ht1;
	wt_instance *inst;     /* the instance the code is translated from */
	wt_rel_layout layout;  /* of the object's relocation table */
	wt_rel_map *map;       /* addresses of the internal code -> indices */
	gcc_jit_lvalue *table; /* the object's relocation table (void *[]) */
	uint8_t *used;	       /* per entry of the table: used by the code */
	int bad;	       /* an address of the code named nothing of inst */
};

/* One function being translated. */
typedef struct jf {
	wt_jitg *g;
	gcc_jit_context *ctx;
	wt_funcinst *f;
	const wt_code *code;
	uint32_t fidx; /* f's function index */
	int mem;       /* the module has a memory 0 */
	gcc_jit_function *fn;
	gcc_jit_rvalue *x, *fp;
	gcc_jit_lvalue **slot;
	gcc_jit_lvalue *mbase, *msize, *tmp;
	gcc_jit_block **blk; /* per word: the block starting there, or NULL */
	gcc_jit_block *cur;
	uint32_t at; /* word of the op being translated */
	uint32_t ntemps;
	wt_jitg_lookup lookup;
	void *lctx;
} jf;

static gcc_jit_type *mem_type(wt_jitg *g, unsigned size, int sgn)
{
	static const enum gcc_jit_types u[9] = {[1] = GCC_JIT_TYPE_UINT8_T,
						[2] = GCC_JIT_TYPE_UINT16_T,
						[4] = GCC_JIT_TYPE_UINT32_T,
						[8] = GCC_JIT_TYPE_UINT64_T};
	static const enum gcc_jit_types s[9] = {[1] = GCC_JIT_TYPE_INT8_T,
						[2] = GCC_JIT_TYPE_INT16_T,
						[4] = GCC_JIT_TYPE_INT32_T,
						[8] = GCC_JIT_TYPE_INT64_T};
	gcc_jit_type *t = gcc_jit_context_get_type(g->ctx, sgn ? s[size] : u[size]);
	return gcc_jit_type_get_aligned(t, 1);
}

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
		if (op >= WT_V_COUNT || ops[op].kind == K_NONE)
			return 0;
	}
	return 1;
}

/* ---- values ---- */

static gcc_jit_rvalue *lit(jf *j, gcc_jit_type *t, uint64_t v)
{
	return gcc_jit_context_new_rvalue_from_long(j->ctx, t, (long)v);
}

/* Entry (k, i) of the object's relocation table, cast to t (a pointer
 * type; t_vptr: as it is). */
static gcc_jit_rvalue *rel(jf *j, wt_rel_kind k, uint32_t i, gcc_jit_type *t)
{
	wt_jitg *g = j->g;
	uint32_t at = g->layout.base[k] + i;
	g->used[at] = 1;
	gcc_jit_rvalue *e = gcc_jit_lvalue_as_rvalue(gcc_jit_context_new_array_access(
	    j->ctx, NULL, gcc_jit_lvalue_as_rvalue(g->table),
	    gcc_jit_context_new_rvalue_from_long(j->ctx, g->t_int, (long)at)));
	return t == g->t_vptr ? e : gcc_jit_context_new_cast(j->ctx, NULL, e, t);
}

/* A value entry (TYPE_ID, the store's limits) as an integer of type t. */
static gcc_jit_rvalue *relv(jf *j, wt_rel_kind k, uint32_t i, gcc_jit_type *t)
{
	gcc_jit_rvalue *bits =
	    gcc_jit_context_new_bitcast(j->ctx, NULL, rel(j, k, i, j->g->t_vptr), j->g->t_u64);
	return t == j->g->t_u64 ? bits : gcc_jit_context_new_cast(j->ctx, NULL, bits, t);
}

static gcc_jit_rvalue *cast(jf *j, gcc_jit_rvalue *v, gcc_jit_type *t)
{
	return gcc_jit_context_new_cast(j->ctx, NULL, v, t);
}

static gcc_jit_rvalue *slot(jf *j, uint32_t i)
{
	return gcc_jit_lvalue_as_rvalue(j->slot[i]);
}

static gcc_jit_type *ty(jf *j, int tag)
{
	switch (tag) {
	case TY_u32:
		return j->g->t_u32;
	case TY_u64:
		return j->g->t_u64;
	case TY_f32:
		return j->g->t_f32;
	default:
		return j->g->t_f64;
	}
}

/* A slot's bits (u64) as a value of type tag t. */
static gcc_jit_rvalue *as(jf *j, gcc_jit_rvalue *bits, int t)
{
	switch (t) {
	case TY_u32:
		return cast(j, bits, j->g->t_u32);
	case TY_u64:
		return bits;
	case TY_f32:
		return gcc_jit_context_new_bitcast(j->ctx, NULL, cast(j, bits, j->g->t_u32),
						   j->g->t_f32);
	default:
		return gcc_jit_context_new_bitcast(j->ctx, NULL, bits, j->g->t_f64);
	}
}

/* A value of type tag t as slot bits (i32 and f32 zero-extended). */
static gcc_jit_rvalue *bits(jf *j, gcc_jit_rvalue *v, int t)
{
	switch (t) {
	case TY_u32:
		return cast(j, v, j->g->t_u64);
	case TY_u64:
		return v;
	case TY_f32:
		return cast(j, gcc_jit_context_new_bitcast(j->ctx, NULL, v, j->g->t_u32),
			    j->g->t_u64);
	default:
		return gcc_jit_context_new_bitcast(j->ctx, NULL, v, j->g->t_u64);
	}
}

static void set(jf *j, uint32_t d, gcc_jit_rvalue *u64)
{
	gcc_jit_block_add_assignment(j->cur, NULL, j->slot[d], u64);
}

static gcc_jit_rvalue *fp_at(jf *j, uint32_t i)
{
	return gcc_jit_lvalue_get_address(
	    gcc_jit_context_new_array_access(j->ctx, NULL, j->fp, lit(j, j->g->t_int, i)), NULL);
}

static gcc_jit_lvalue *fp_lv(jf *j, uint32_t i)
{
	return gcc_jit_context_new_array_access(j->ctx, NULL, j->fp, lit(j, j->g->t_int, i));
}

static gcc_jit_rvalue *call(jf *j, gcc_jit_rvalue *fnp, int n, gcc_jit_rvalue **args)
{
	return gcc_jit_context_new_call_through_ptr(j->ctx, NULL, fnp, n, args);
}

/* Run-time helper rt of the engine (WT_RT_...), typed from its return and params. */
static gcc_jit_rvalue *cfn(jf *j, wt_rel_rt rt, gcc_jit_type *ret, int n, gcc_jit_type **params)
{
	gcc_jit_type *t = gcc_jit_context_new_function_ptr_type(j->ctx, NULL, ret, n, params, 0);
	return rel(j, WT_REL_RT, rt, t);
}

/* A fresh temporary of type t (libgccjit wants every local named). */
static gcc_jit_lvalue *local(jf *j, gcc_jit_type *t)
{
	char nm[24];
	snprintf(nm, sizeof nm, "t%u", j->ntemps++);
	return gcc_jit_function_new_local(j->fn, NULL, t, nm);
}

/* The index of what the internal code names by its address or id p, as
 * relocation kind k (FUNC, TABLE, GLOBAL, TYPE_ID). */
static uint32_t sym(jf *j, wt_rel_kind k, uint64_t p)
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
static gcc_jit_rvalue *psym(jf *j, wt_rel_kind k, const uint32_t *w, gcc_jit_type *t)
{
	return rel(j, k, sym(j, k, wt_code_rd64(w)), t);
}

/* The global slot operand (P) at w: a global's value or, for a v128
 * global, its high half (a wt_slot *). */
static gcc_jit_rvalue *global_slot(jf *j, const uint32_t *w)
{
	uint32_t i;
	uint64_t p = wt_code_rd64(w);
	if (wt_rel_map_find(j->g->map, WT_REL_GLOBAL_HI, p, &i) == 0)
		return rel(j, WT_REL_GLOBAL_HI, i, j->g->t_slotp);
	return psym(j, WT_REL_GLOBAL, w, j->g->t_slotp);
}

/* ---- blocks, traps, memory ---- */

static gcc_jit_block *new_block(jf *j)
{
	return gcc_jit_function_new_block(j->fn, NULL);
}

/* return wt_jit_trap(x, f, at, tk) from block b. */
static void end_trap(jf *j, gcc_jit_block *b, gcc_jit_rvalue *tk)
{
	wt_jitg *g = j->g;
	gcc_jit_type *p[4] = {g->t_vptr, g->t_vptr, g->t_u32, g->t_int};
	gcc_jit_rvalue *a[4] = {j->x, rel(j, WT_REL_FUNC, j->fidx, g->t_vptr),
				lit(j, g->t_u32, j->at), tk};
	gcc_jit_block_end_with_return(b, NULL, call(j, cfn(j, WT_RT_TRAP, g->t_int, 4, p), 4, a));
}

/* When cond holds, trap with tk; the current block goes on after. */
static void trap_if(jf *j, gcc_jit_rvalue *cond, gcc_jit_rvalue *tk)
{
	gcc_jit_block *t = new_block(j), *go = new_block(j);
	gcc_jit_block_end_with_conditional(j->cur, NULL, cond, t, go);
	end_trap(j, t, tk);
	j->cur = go;
}

/* A helper's result tk: non-zero is a trap of that kind (or -1 from a
 * call, already located: returned as it is). */
static void check_tk(jf *j, gcc_jit_rvalue *tk_call)
{
	gcc_jit_lvalue *tk = local(j, j->g->t_int);
	gcc_jit_block_add_assignment(j->cur, NULL, tk, tk_call);
	trap_if(j,
		gcc_jit_context_new_comparison(j->ctx, NULL, GCC_JIT_COMPARISON_NE,
					       gcc_jit_lvalue_as_rvalue(tk),
					       lit(j, j->g->t_int, 0)),
		gcc_jit_lvalue_as_rvalue(tk));
}

/* A call's result: non-zero returns -1 (the trap is filled). */
static void check_call(jf *j, gcc_jit_rvalue *r)
{
	gcc_jit_block *t = new_block(j), *go = new_block(j);
	gcc_jit_block_end_with_conditional(j->cur, NULL,
					   gcc_jit_context_new_comparison(j->ctx, NULL,
									  GCC_JIT_COMPARISON_NE, r,
									  lit(j, j->g->t_int, 0)),
					   t, go);
	gcc_jit_block_end_with_return(t, NULL, lit(j, j->g->t_int, (uint64_t)-1));
	j->cur = go;
}

static void load_mem(jf *j, gcc_jit_block *b)
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
	trap_if(j,
		gcc_jit_context_new_comparison(j->ctx, NULL, GCC_JIT_COMPARISON_GT, end,
					       gcc_jit_lvalue_as_rvalue(j->msize)),
		lit(j, g->t_int, WT_TRAP_MEMORY_OOB));
	gcc_jit_rvalue *p = gcc_jit_lvalue_get_address(
	    gcc_jit_context_new_array_access(j->ctx, NULL, gcc_jit_lvalue_as_rvalue(j->mbase),
					     gcc_jit_lvalue_as_rvalue(ea)),
	    NULL);
	return cast(j, p, g->mem_t[size][sgn]);
}

/* ---- branches ---- */

/* The block a branch from the op at j->at to word `target` goes to: a
 * backward branch first polls the interrupt, like the interpreter's. */
static gcc_jit_block *dest(jf *j, uint32_t target)
{
	gcc_jit_block *b = j->blk[target];
	if (target > j->at)
		return b;
	wt_jitg *g = j->g;
	gcc_jit_block *p = new_block(j), *t = new_block(j);
	gcc_jit_lvalue *intr =
	    gcc_jit_rvalue_dereference(rel(j, WT_REL_STORE, WT_RS_INTERRUPT, g->t_vint), NULL);
	gcc_jit_block_end_with_conditional(
	    p, NULL,
	    gcc_jit_context_new_comparison(j->ctx, NULL, GCC_JIT_COMPARISON_NE,
					   gcc_jit_lvalue_as_rvalue(intr), lit(j, g->t_int, 0)),
	    t, b);
	gcc_jit_block_add_assignment(t, NULL, intr, lit(j, g->t_int, 0));
	end_trap(j, t, lit(j, g->t_int, WT_TRAP_TIMEOUT));
	return p;
}

static uint32_t target_of(const uint32_t *words, uint32_t w)
{
	return w + (uint32_t)(int32_t)words[w];
}

static void branch_if(jf *j, gcc_jit_rvalue *cond, uint32_t target, uint32_t next)
{
	gcc_jit_block *go = j->blk[next] ? j->blk[next] : new_block(j);
	gcc_jit_block_end_with_conditional(j->cur, NULL, cond, dest(j, target), go);
	j->cur = NULL;
}

/* ---- ops ---- */

static gcc_jit_rvalue *bin(jf *j, enum gcc_jit_binary_op op, gcc_jit_type *t, gcc_jit_rvalue *a,
			   gcc_jit_rvalue *b)
{
	return gcc_jit_context_new_binary_op(j->ctx, NULL, op, t, a, b);
}

static gcc_jit_rvalue *cmp(jf *j, enum gcc_jit_comparison op, gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
	return gcc_jit_context_new_comparison(j->ctx, NULL, op, a, b);
}

/* Integer ops inline (NULL: use the helper). a and b are of type t. */
static gcc_jit_rvalue *int_bin(jf *j, uint32_t op, int t, gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
	gcc_jit_type *T = ty(j, t), *S = t == TY_u32 ? j->g->t_i32 : j->g->t_i64;
	unsigned w = t == TY_u32 ? 31 : 63;
	gcc_jit_rvalue *sh = bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, T, b, lit(j, T, w));
	switch (op) {
	case WT_V_I32_ADD:
	case WT_V_I64_ADD:
		return bin(j, GCC_JIT_BINARY_OP_PLUS, T, a, b);
	case WT_V_I32_SUB:
	case WT_V_I64_SUB:
		return bin(j, GCC_JIT_BINARY_OP_MINUS, T, a, b);
	case WT_V_I32_MUL:
	case WT_V_I64_MUL:
		return bin(j, GCC_JIT_BINARY_OP_MULT, T, a, b);
	case WT_V_I32_AND:
	case WT_V_I64_AND:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, T, a, b);
	case WT_V_I32_OR:
	case WT_V_I64_OR:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_OR, T, a, b);
	case WT_V_I32_XOR:
	case WT_V_I64_XOR:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_XOR, T, a, b);
	case WT_V_I32_SHL:
	case WT_V_I64_SHL:
		return bin(j, GCC_JIT_BINARY_OP_LSHIFT, T, a, sh);
	case WT_V_I32_SHR_U:
	case WT_V_I64_SHR_U:
		return bin(j, GCC_JIT_BINARY_OP_RSHIFT, T, a, sh);
	case WT_V_I32_SHR_S:
	case WT_V_I64_SHR_S:
		return cast(j, bin(j, GCC_JIT_BINARY_OP_RSHIFT, S, cast(j, a, S), cast(j, sh, S)),
			    T);
	case WT_V_I32_ROTL:
	case WT_V_I64_ROTL:
	case WT_V_I32_ROTR:
	case WT_V_I64_ROTR: {
		int left = op == WT_V_I32_ROTL || op == WT_V_I64_ROTL;
		gcc_jit_rvalue *back =
		    bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, T,
			bin(j, GCC_JIT_BINARY_OP_MINUS, T, lit(j, T, 0), sh), lit(j, T, w));
		return bin(
		    j, GCC_JIT_BINARY_OP_BITWISE_OR, T,
		    bin(j, left ? GCC_JIT_BINARY_OP_LSHIFT : GCC_JIT_BINARY_OP_RSHIFT, T, a, sh),
		    bin(j, left ? GCC_JIT_BINARY_OP_RSHIFT : GCC_JIT_BINARY_OP_LSHIFT, T, a, back));
	}
	default:
		return NULL;
	}
}

/* A compare of a and b (type tag t) as a bool; NULL: not inline. */
static gcc_jit_rvalue *compare(jf *j, uint32_t op, int t, gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
	gcc_jit_type *S = t == TY_u32 ? j->g->t_i32 : j->g->t_i64;
	switch (op) {
#define C2(n32, n64, k, sgn)                                                              \
	case WT_V_##n32:                                                                  \
	case WT_V_##n64:                                                                  \
		return sgn ? cmp(j, GCC_JIT_COMPARISON_##k, cast(j, a, S), cast(j, b, S)) \
			   : cmp(j, GCC_JIT_COMPARISON_##k, a, b);
		C2(I32_EQ, I64_EQ, EQ, 0)
		C2(I32_NE, I64_NE, NE, 0)
		C2(I32_LT_S, I64_LT_S, LT, 1)
		C2(I32_LT_U, I64_LT_U, LT, 0)
		C2(I32_GT_S, I64_GT_S, GT, 1)
		C2(I32_GT_U, I64_GT_U, GT, 0)
		C2(I32_LE_S, I64_LE_S, LE, 1)
		C2(I32_LE_U, I64_LE_U, LE, 0)
		C2(I32_GE_S, I64_GE_S, GE, 1)
		C2(I32_GE_U, I64_GE_U, GE, 0)
		C2(F32_EQ, F64_EQ, EQ, 0)
		C2(F32_NE, F64_NE, NE, 0)
		C2(F32_LT, F64_LT, LT, 0)
		C2(F32_GT, F64_GT, GT, 0)
		C2(F32_LE, F64_LE, LE, 0)
		C2(F32_GE, F64_GE, GE, 0)
#undef C2
	default:
		return NULL;
	}
}

/* Float arithmetic inline; NULL: the helper. */
static gcc_jit_rvalue *float_bin(jf *j, uint32_t op, gcc_jit_type *T, gcc_jit_rvalue *a,
				 gcc_jit_rvalue *b)
{
	switch (op) {
	case WT_V_F32_ADD:
	case WT_V_F64_ADD:
		return bin(j, GCC_JIT_BINARY_OP_PLUS, T, a, b);
	case WT_V_F32_SUB:
	case WT_V_F64_SUB:
		return bin(j, GCC_JIT_BINARY_OP_MINUS, T, a, b);
	case WT_V_F32_MUL:
	case WT_V_F64_MUL:
		return bin(j, GCC_JIT_BINARY_OP_MULT, T, a, b);
	case WT_V_F32_DIV:
	case WT_V_F64_DIV:
		return bin(j, GCC_JIT_BINARY_OP_DIVIDE, T, a, b);
	default:
		return NULL;
	}
}

static gcc_jit_rvalue *imm(jf *j, int t, uint32_t k)
{
	return t == TY_u32 ? lit(j, j->g->t_u32, k)
			   : lit(j, j->g->t_u64, (uint64_t)(int64_t)(int32_t)k);
}

/* The helper of op over slot bits (u64 values a and b). */
static gcc_jit_rvalue *helper2(jf *j, uint32_t op, gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
	gcc_jit_rvalue *args[2] = {a, b};
	return call(j, rel(j, WT_REL_BIN, op, j->g->t_h2), 2, args);
}

static void do_binary(jf *j, const uint32_t *w, const opinfo *oi)
{
	gcc_jit_rvalue *a = as(j, slot(j, w[3]), oi->t);
	gcc_jit_rvalue *b = oi->imm ? imm(j, oi->t, w[4]) : as(j, slot(j, w[4]), oi->t);
	gcc_jit_rvalue *r = NULL;
	if (oi->kind == K_CMP || (oi->kind == K_BINF && oi->r == TY_u32 && oi->t >= TY_f32)) {
		gcc_jit_rvalue *c = compare(j, oi->base, oi->t, a, b);
		if (c)
			r = cast(j, c, j->g->t_u64);
	} else if (oi->kind == K_BINI) {
		gcc_jit_rvalue *v = int_bin(j, oi->base, oi->t, a, b);
		if (v)
			r = bits(j, v, oi->r);
	} else if (oi->kind == K_BINF) {
		gcc_jit_rvalue *v = float_bin(j, oi->base, ty(j, oi->t), a, b);
		if (v)
			r = bits(j, v, oi->r);
	}
	if (!r)
		r = helper2(j, oi->base, bits(j, a, oi->t), bits(j, b, oi->t));
	set(j, w[2], r);
}

static void do_trapping_binary(jf *j, const uint32_t *w, const opinfo *oi)
{
	gcc_jit_rvalue *a = slot(j, w[3]);
	gcc_jit_rvalue *b = oi->imm ? bits(j, imm(j, oi->t, w[4]), oi->t) : slot(j, w[4]);
	gcc_jit_rvalue *args[3] = {a, b, gcc_jit_lvalue_get_address(j->tmp, NULL)};
	check_tk(j, call(j, rel(j, WT_REL_BINT, oi->base, j->g->t_ht2), 3, args));
	set(j, w[2], gcc_jit_lvalue_as_rvalue(j->tmp));
}

/* Unary ops inline; NULL: the helper. */
static gcc_jit_rvalue *unary(jf *j, uint32_t op, gcc_jit_rvalue *s)
{
	wt_jitg *g = j->g;
	gcc_jit_rvalue *u32 = cast(j, s, g->t_u32);
	switch (op) {
	case WT_V_I32_EQZ:
		return cast(j, cmp(j, GCC_JIT_COMPARISON_EQ, u32, lit(j, g->t_u32, 0)), g->t_u64);
	case WT_V_I64_EQZ:
		return cast(j, cmp(j, GCC_JIT_COMPARISON_EQ, s, lit(j, g->t_u64, 0)), g->t_u64);
	case WT_V_I32_WRAP_I64:
	case WT_V_I64_EXTEND_I32_U:
		return cast(j, u32, g->t_u64);
	case WT_V_I64_EXTEND_I32_S:
	case WT_V_I64_EXTEND32_S:
		return cast(j, cast(j, s, g->t_i32), g->t_u64);
	case WT_V_I32_EXTEND8_S:
		return cast(j, cast(j, cast(j, s, mem_type(g, 1, 1)), g->t_u32), g->t_u64);
	case WT_V_I32_EXTEND16_S:
		return cast(j, cast(j, cast(j, s, mem_type(g, 2, 1)), g->t_u32), g->t_u64);
	case WT_V_I64_EXTEND8_S:
		return cast(j, cast(j, s, mem_type(g, 1, 1)), g->t_u64);
	case WT_V_I64_EXTEND16_S:
		return cast(j, cast(j, s, mem_type(g, 2, 1)), g->t_u64);
	case WT_V_F32_ABS:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, g->t_u64, s,
			   lit(j, g->t_u64, 0x7FFFFFFFu));
	case WT_V_F32_NEG:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_XOR, g->t_u64, s,
			   lit(j, g->t_u64, 0x80000000u));
	case WT_V_F64_ABS:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_AND, g->t_u64, s,
			   lit(j, g->t_u64, 0x7FFFFFFFFFFFFFFFull));
	case WT_V_F64_NEG:
		return bin(j, GCC_JIT_BINARY_OP_BITWISE_XOR, g->t_u64, s,
			   lit(j, g->t_u64, 0x8000000000000000ull));
	case WT_V_F64_CONVERT_I32_S:
		return bits(j, cast(j, cast(j, s, g->t_i32), g->t_f64), TY_f64);
	case WT_V_F64_CONVERT_I32_U:
		return bits(j, cast(j, u32, g->t_f64), TY_f64);
	case WT_V_F64_CONVERT_I64_S:
		return bits(j, cast(j, cast(j, s, g->t_i64), g->t_f64), TY_f64);
	case WT_V_F32_CONVERT_I32_S:
		return bits(j, cast(j, cast(j, s, g->t_i32), g->t_f32), TY_f32);
	/* F64_PROMOTE_F32 by its helper: GCC folds demote(promote(x)) to x,
	 * which keeps a signalling NaN signalling */
	case WT_V_F32_DEMOTE_F64:
		return bits(j, cast(j, as(j, s, TY_f64), g->t_f32), TY_f32);
	default:
		return NULL;
	}
}

static void do_unary(jf *j, const uint32_t *w, const opinfo *oi)
{
	gcc_jit_rvalue *r = unary(j, oi->base, slot(j, w[3]));
	if (!r) {
		gcc_jit_rvalue *a = slot(j, w[3]);
		r = call(j, rel(j, WT_REL_UN, oi->base, j->g->t_h1), 1, &a);
	}
	set(j, w[2], r);
}

static void do_trapping_unary(jf *j, const uint32_t *w, const opinfo *oi)
{
	gcc_jit_rvalue *args[2] = {slot(j, w[3]), gcc_jit_lvalue_get_address(j->tmp, NULL)};
	check_tk(j, call(j, rel(j, WT_REL_UNT, oi->base, j->g->t_ht1), 2, args));
	set(j, w[2], gcc_jit_lvalue_as_rvalue(j->tmp));
}

static void do_load(jf *j, const uint32_t *w, const opinfo *oi)
{
	wt_jitg *g = j->g;
	gcc_jit_rvalue *p = mem_addr(j, w[3], w[4], oi->msize, oi->msigned);
	gcc_jit_rvalue *v = gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(p, NULL));
	/* widen as C does: signed types sign-extend to the result type first */
	v = cast(j, v, oi->r == TY_u32 ? g->t_u32 : g->t_u64);
	set(j, w[2], cast(j, v, g->t_u64));
}

static void do_store(jf *j, const uint32_t *w, const opinfo *oi)
{
	gcc_jit_rvalue *p = mem_addr(j, w[2], w[4], oi->msize, 0);
	gcc_jit_lvalue *dst = gcc_jit_rvalue_dereference(p, NULL);
	gcc_jit_block_add_assignment(j->cur, NULL, dst,
				     cast(j, slot(j, w[3]), mem_type(j->g, oi->msize, 0)));
}

static void do_fused(jf *j, const uint32_t *w, const opinfo *oi, uint32_t len)
{
	gcc_jit_rvalue *a = as(j, slot(j, w[2]), oi->t);
	gcc_jit_rvalue *b = oi->imm ? imm(j, oi->t, w[3]) : as(j, slot(j, w[3]), oi->t);
	gcc_jit_rvalue *c = compare(j, oi->base, oi->t, a, b);
	if (oi->kind == K_BR_IFNOT)
		c = gcc_jit_context_new_unary_op(j->ctx, NULL, GCC_JIT_UNARY_OP_LOGICAL_NEGATE,
						 j->g->t_bool, c);
	branch_if(j, c, target_of(j->code->words, j->at + 4), j->at + len);
}

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
	uint32_t ci = sym(j, WT_REL_FUNC, (uintptr_t)callee);
	gcc_jit_lvalue *r = local(j, g->t_int);
	gcc_jit_block *slow = new_block(j), *join = new_block(j);
	gcc_jit_type *pu32 = gcc_jit_type_get_pointer(g->t_u32);
	gcc_jit_type *pp = gcc_jit_type_get_pointer(g->t_vptr);
	gcc_jit_rvalue *nfp = fp_at(j, w[2]);
	slow_if(j,
		cmp(j, GCC_JIT_COMPARISON_GE, deref(j, pu32, WT_REL_STORE, WT_RS_DEPTH),
		    relv(j, WT_REL_STORE, WT_RS_MAX_DEPTH, g->t_u32)),
		slow);
	slow_if(j,
		cmp(j, GCC_JIT_COMPARISON_EQ, deref(j, pp, WT_REL_FUNC_CODE, ci),
		    gcc_jit_context_null(j->ctx, g->t_vptr)),
		slow);
	slow_if(j,
		cmp(j, GCC_JIT_COMPARISON_NE, deref(j, g->t_vint, WT_REL_STORE, WT_RS_INTERRUPT),
		    lit(j, g->t_int, 0)),
		slow);
	gcc_jit_rvalue *end = bin(j, GCC_JIT_BINARY_OP_PLUS, g->t_u64,
				  addr_bits(j, deref(j, pp, WT_REL_STORE, WT_RS_STACK)),
				  relv(j, WT_REL_STORE, WT_RS_STACK_BYTES, g->t_u64));
	gcc_jit_rvalue *need = bin(j, GCC_JIT_BINARY_OP_PLUS, g->t_u64, addr_bits(j, nfp),
				   lit(j, g->t_u64, (uint64_t)cfs * sizeof(wt_slot)));
	slow_if(j, cmp(j, GCC_JIT_COMPARISON_GT, need, end), slow);
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
	slow_if(j,
		cmp(j, GCC_JIT_COMPARISON_LT,
		    addr_bits(j, gcc_jit_lvalue_get_address(j->tmp, NULL)), addr_bits(j, floor)),
		slow);
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
static void do_call(jf *j, const uint32_t *w, const wt_functype *t, int indirect)
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
		    psym(j, WT_REL_TABLE, w + 4, g->t_vptr),
		    cast(j, slot(j, w[3]), g->t_u32),
		    relv(j, WT_REL_TYPE_ID, sym(j, WT_REL_TYPE_ID, w[6]), g->t_u32),
		    nfp,
		    top};
		r = call(j, cfn(j, WT_RT_CALL_INDIRECT, g->t_int, 8, p), 8, args);
	} else if (direct_call(j, w, &r)) {
		/* r is the direct call's result */
	} else {
		gcc_jit_type *p[6] = {g->t_vptr, g->t_vptr,  g->t_u32,
				      g->t_vptr, g->t_slotp, g->t_slotp};
		gcc_jit_rvalue *args[6] = {j->x, caller, at, psym(j, WT_REL_FUNC, w + 3, g->t_vptr),
					   nfp,	 top};
		r = call(j, cfn(j, WT_RT_CALL, g->t_int, 6, p), 6, args);
	}
	check_call(j, r);
	for (uint32_t i = 0; i < nr; i++)
		set(j, a + i, gcc_jit_lvalue_as_rvalue(fp_lv(j, a + i)));
	load_mem(j, j->cur);
}

static void do_return(jf *j, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		gcc_jit_block_add_assignment(j->cur, NULL, fp_lv(j, i), slot(j, i));
	gcc_jit_block_end_with_return(j->cur, NULL, lit(j, j->g->t_int, 0));
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
	end_trap(j, t, lit(j, g->t_int, WT_TRAP_FUEL_EXHAUSTED));
	j->cur = go;
	gcc_jit_block_add_assignment_op(j->cur, NULL, fuel, GCC_JIT_BINARY_OP_MINUS,
					gcc_jit_lvalue_as_rvalue(kk));
}

static gcc_jit_rvalue *u32s(jf *j, uint32_t i)
{
	return cast(j, slot(j, i), j->g->t_u32);
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
	check_tk(j, call(j, cfn(j, rt, j->g->t_int, 6, p), 6, a));
}

/* Bulk and table ops: a helper, 0 or a trap kind. */
static void do_bulk(jf *j, uint32_t op, const uint32_t *w)
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
		check_tk(j, call(j, cfn(j, fn, I, 4, p), 4, a));
		return;
	}
	case WT_V_MEMORY_INIT:
		do_init(j, w, rel(j, WT_REL_MEMORY, 0, V), w[5], WT_RT_MEMORY_INIT);
		return;
	case WT_V_TABLE_GET: {
		gcc_jit_type *p[3] = {V, U, g->t_slotp};
		gcc_jit_rvalue *a[3] = {psym(j, WT_REL_TABLE, w + 4, V), u32s(j, w[3]),
					gcc_jit_lvalue_get_address(j->tmp, NULL)};
		check_tk(j, call(j, cfn(j, WT_RT_TABLE_GET, I, 3, p), 3, a));
		set(j, w[2], gcc_jit_lvalue_as_rvalue(j->tmp));
		return;
	}
	case WT_V_TABLE_SET: {
		gcc_jit_type *p[3] = {V, U, L};
		gcc_jit_rvalue *a[3] = {psym(j, WT_REL_TABLE, w + 4, V), u32s(j, w[2]),
					slot(j, w[3])};
		check_tk(j, call(j, cfn(j, WT_RT_TABLE_SET, I, 3, p), 3, a));
		return;
	}
	case WT_V_TABLE_GROW: {
		gcc_jit_type *p[3] = {V, L, U};
		gcc_jit_rvalue *a[3] = {psym(j, WT_REL_TABLE, w + 5, V), slot(j, w[3]),
					u32s(j, w[4])};
		set(j, w[2], call(j, cfn(j, WT_RT_TABLE_GROW, L, 3, p), 3, a));
		return;
	}
	case WT_V_TABLE_FILL: {
		gcc_jit_type *p[4] = {V, U, L, U};
		gcc_jit_rvalue *a[4] = {psym(j, WT_REL_TABLE, w + 5, V), u32s(j, w[2]),
					slot(j, w[3]), u32s(j, w[4])};
		check_tk(j, call(j, cfn(j, WT_RT_TABLE_FILL, I, 4, p), 4, a));
		return;
	}
	case WT_V_TABLE_COPY: {
		gcc_jit_type *p[5] = {V, V, U, U, U};
		gcc_jit_rvalue *a[5] = {psym(j, WT_REL_TABLE, w + 5, V),
					psym(j, WT_REL_TABLE, w + 7, V), u32s(j, w[2]),
					u32s(j, w[3]), u32s(j, w[4])};
		check_tk(j, call(j, cfn(j, WT_RT_TABLE_COPY, I, 5, p), 5, a));
		return;
	}
	case WT_V_TABLE_INIT:
		do_init(j, w, psym(j, WT_REL_TABLE, w + 5, V), w[7], WT_RT_TABLE_INIT);
		return;
	}
}

/* *p = 1, p the entry (k, i) of the relocation table (a uint8_t *). */
static void store_u8(jf *j, wt_rel_kind k, uint32_t i)
{
	gcc_jit_type *t = gcc_jit_context_get_type(j->ctx, GCC_JIT_TYPE_UINT8_T);
	gcc_jit_block_add_assignment(
	    j->cur, NULL,
	    gcc_jit_rvalue_dereference(rel(j, k, i, gcc_jit_type_get_pointer(t)), NULL),
	    lit(j, t, 1));
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
		    j->ctx, v, v, dest(j, target_of(j->code->words, j->at + 4 + i)));
	}
	gcc_jit_block_end_with_switch(j->cur, NULL, u32s(j, w[2]),
				      dest(j, target_of(j->code->words, j->at + 4 + n)), (int)n,
				      cases);
	free(cases);
	j->cur = NULL;
}

static void do_select(jf *j, const uint32_t *w)
{
	gcc_jit_block *t = new_block(j), *e = new_block(j), *go = new_block(j);
	gcc_jit_block_end_with_conditional(
	    j->cur, NULL, cmp(j, GCC_JIT_COMPARISON_NE, u32s(j, w[5]), lit(j, j->g->t_u32, 0)), t,
	    e);
	gcc_jit_block_add_assignment(t, NULL, j->slot[w[2]], slot(j, w[3]));
	gcc_jit_block_add_assignment(e, NULL, j->slot[w[2]], slot(j, w[4]));
	gcc_jit_block_end_with_jump(t, NULL, go);
	gcc_jit_block_end_with_jump(e, NULL, go);
	j->cur = go;
}

static void do_misc(jf *j, uint32_t op, const uint32_t *w, uint32_t len)
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
					    dest(j, target_of(j->code->words, j->at + 2)));
		j->cur = NULL;
		return;
	case WT_V_BR_IF:
	case WT_V_BR_IFNOT:
		branch_if(j,
			  cmp(j, op == WT_V_BR_IF ? GCC_JIT_COMPARISON_NE : GCC_JIT_COMPARISON_EQ,
			      u32s(j, w[2]), lit(j, g->t_u32, 0)),
			  target_of(j->code->words, j->at + 3), next);
		return;
	case WT_V_BR_TABLE:
		do_br_table(j, w);
		return;
	case WT_V_SELECT:
		do_select(j, w);
		return;
	case WT_V_CALL: {
		const wt_funcinst *callee = (const wt_funcinst *)(uintptr_t)wt_code_rd64(w + 3);
		do_call(j, w, callee->type.type, 0);
		return;
	}
	case WT_V_CALL_INDIRECT:
		do_call(j, w, j->g->inst->store->types[w[6]], 1);
		return;
	case WT_V_RET1:
		set(j, 0, slot(j, w[2]));
		do_return(j, 1);
		return;
	case WT_V_RET:
		do_return(j, j->code->nresults);
		return;
	case WT_V_UNREACHABLE:
		end_trap(j, j->cur, lit(j, g->t_int, WT_TRAP_UNREACHABLE));
		j->cur = NULL;
		return;
	case WT_V_GLOBAL_GET:
		set(j, w[2],
		    gcc_jit_lvalue_as_rvalue(
			gcc_jit_rvalue_dereference(global_slot(j, w + 3), NULL)));
		return;
	case WT_V_GLOBAL_SET:
		gcc_jit_block_add_assignment(
		    j->cur, NULL, gcc_jit_rvalue_dereference(global_slot(j, w + 3), NULL),
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
		load_mem(j, j->cur);
		return;
	}
	case WT_V_DATA_DROP:
		store_u8(j, WT_REL_DATA_DROPPED, w[2]);
		return;
	case WT_V_ELEM_DROP:
		store_u8(j, WT_REL_ELEM_DROPPED, w[2]);
		return;
	case WT_V_TABLE_SIZE: {
		uint32_t t = sym(j, WT_REL_TABLE, wt_code_rd64(w + 3));
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
		do_bulk(j, op, w);
	}
}

static void do_op(jf *j, const uint32_t *w, uint32_t len)
{
	uint32_t op = (uint32_t)wt_code_rd64(w);
	const opinfo *oi = &ops[op];
	switch (oi->kind) {
	case K_BINI:
	case K_CMP:
	case K_BINF:
		do_binary(j, w, oi);
		return;
	case K_BINT:
		do_trapping_binary(j, w, oi);
		return;
	case K_UN:
		do_unary(j, w, oi);
		return;
	case K_UNT:
		do_trapping_unary(j, w, oi);
		return;
	case K_LOAD:
		do_load(j, w, oi);
		return;
	case K_STORE:
		do_store(j, w, oi);
		return;
	case K_BR_IF:
	case K_BR_IFNOT:
		do_fused(j, w, oi, len);
		return;
	default:
		do_misc(j, op, w, len);
	}
}

/* ---- the function ---- */

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
		} else if (ops[op].kind == K_BR_IF || ops[op].kind == K_BR_IFNOT) {
			first = at + 4, count = 1;
		} else if (op == WT_V_BR_TABLE) {
			first = at + 4, count = w[3] + 1;
		}
		for (uint32_t i = 0; i < count; i++) {
			uint32_t t = target_of(words, first + i);
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
	load_mem(j, b);
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
	if (!j.slot || !j.blk)
		goto out;
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
		} else if (!j.cur) {
			j.cur = new_block(&j); /* unreachable code */
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
}
