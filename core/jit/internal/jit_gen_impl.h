/* jit_gen_impl.h: the translator's insides (jit_gen*.c): the state of one function's
 * translation, the small value helpers, and what each part of the translator gives the others.
 * Private to core/jit/. */
#ifndef WT_JIT_GEN_IMPL_H
#define WT_JIT_GEN_IMPL_H

#include "gccjit.h"
#include <stddef.h>
#include <stdio.h>

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
	K_VEC,
};

/* What the translator knows of each op: its shape, operand and result
 * types, the plain op (for _I and fused forms), memory access size. */
typedef struct opinfo {
	uint8_t kind, t, r, imm, msize, msigned;
	uint16_t base;
} opinfo;

struct wt_jitg {
	gcc_jit_context *ctx;
	gcc_jit_type *t_void, *t_int, *t_bool, *t_u32, *t_u64, *t_i32, *t_i64, *t_f32, *t_f64;
	gcc_jit_type *t_vptr, *t_slotp, *t_u8p, *t_vint;
	gcc_jit_type *mem_t[9][2]; /* memory access types by size and signedness, align 1 */
	gcc_jit_type *t_h2, *t_h1, *t_ht2, *t_ht1;
	gcc_jit_type
	    *t_vec[6]; /* u32x4 f32x4 u64x2 f64x2 u8x16 u16x8 (jit_gen_vec.c, at first use) */
	gcc_jit_type *t_u128;
	gcc_jit_type *t_v2; /* struct wt_jit_v2 (a vector helper's result) */
	gcc_jit_field *f_v2[2];
	wt_instance *inst;	 /* the instance the code is translated from */
	wt_rel_layout layout;	 /* of the object's relocation table */
	wt_rel_map *map;	 /* addresses of the internal code -> indices */
	gcc_jit_lvalue *table;	 /* the object's relocation table (void *[]) */
	uint8_t *used;		 /* per entry of the table: used by the code */
	int bad;		 /* an address of the code named nothing of inst */
	uint64_t checks, proven; /* memory accesses translated; of which needed no check */
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
	/* the function's shared exits, made when first needed: the trap of
	 * kind trap_tk at trap_at, the out-of-bounds trap at oob_at, return -1 */
	gcc_jit_lvalue *trap_at, *trap_tk, *oob_at;
	gcc_jit_block *trap, *oob, *fail;
	uint32_t at; /* word of the op being translated */
	uint32_t ntemps;
	/* Bounds checks this path has made (jit_gen_mem.c): per slot, how many bytes past its
	 * value an access has shown to be in bounds, valid while ext_gen[slot] == gen (a slot's
	 * write, or a block more than one path reaches, ends it); the memory's declared minimum */
	uint64_t *ext, mem_min;
	uint32_t *ext_gen, gen;
	wt_jitg_lookup lookup;
	void *lctx;
} jf;

/* What the translator knows of each op (jit_gen_num.c). */
extern const opinfo wt_jg_ops[WT_V_COUNT];

/* ---- values (one line or a few of libgccjit each) ---- */

static inline gcc_jit_type *mem_type(wt_jitg *g, unsigned size, int sgn)
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

static inline gcc_jit_rvalue *lit(jf *j, gcc_jit_type *t, uint64_t v)
{
	return gcc_jit_context_new_rvalue_from_long(j->ctx, t, (long)v);
}

/* Entry (k, i) of the object's relocation table, cast to t (a pointer
 * type; t_vptr: as it is). */
static inline gcc_jit_rvalue *rel(jf *j, wt_rel_kind k, uint32_t i, gcc_jit_type *t)
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
static inline gcc_jit_rvalue *relv(jf *j, wt_rel_kind k, uint32_t i, gcc_jit_type *t)
{
	gcc_jit_rvalue *bits =
	    gcc_jit_context_new_bitcast(j->ctx, NULL, rel(j, k, i, j->g->t_vptr), j->g->t_u64);
	return t == j->g->t_u64 ? bits : gcc_jit_context_new_cast(j->ctx, NULL, bits, t);
}

static inline gcc_jit_rvalue *cast(jf *j, gcc_jit_rvalue *v, gcc_jit_type *t)
{
	return gcc_jit_context_new_cast(j->ctx, NULL, v, t);
}

static inline gcc_jit_rvalue *slot(jf *j, uint32_t i)
{
	return gcc_jit_lvalue_as_rvalue(j->slot[i]);
}

static inline gcc_jit_type *ty(jf *j, int tag)
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
static inline gcc_jit_rvalue *as(jf *j, gcc_jit_rvalue *bits, int t)
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
static inline gcc_jit_rvalue *bits(jf *j, gcc_jit_rvalue *v, int t)
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

/* Slot d = u64 in block b: the only way a slot is written once the function is entered, so
 * that what is known of the slot's old value (ext, jit_gen_mem.c) goes with it. */
static inline void assign(jf *j, gcc_jit_block *b, uint32_t d, gcc_jit_rvalue *u64)
{
	gcc_jit_block_add_assignment(b, NULL, j->slot[d], u64);
	j->ext_gen[d] = 0;
}

static inline void set(jf *j, uint32_t d, gcc_jit_rvalue *u64)
{
	assign(j, j->cur, d, u64);
}

static inline gcc_jit_rvalue *fp_at(jf *j, uint32_t i)
{
	return gcc_jit_lvalue_get_address(
	    gcc_jit_context_new_array_access(j->ctx, NULL, j->fp, lit(j, j->g->t_int, i)), NULL);
}

static inline gcc_jit_lvalue *fp_lv(jf *j, uint32_t i)
{
	return gcc_jit_context_new_array_access(j->ctx, NULL, j->fp, lit(j, j->g->t_int, i));
}

static inline gcc_jit_rvalue *call(jf *j, gcc_jit_rvalue *fnp, int n, gcc_jit_rvalue **args)
{
	return gcc_jit_context_new_call_through_ptr(j->ctx, NULL, fnp, n, args);
}

/* Run-time helper rt of the engine (WT_RT_...), typed from its return and params. */
static inline gcc_jit_rvalue *cfn(jf *j, wt_rel_rt rt, gcc_jit_type *ret, int n,
				  gcc_jit_type **params)
{
	gcc_jit_type *t = gcc_jit_context_new_function_ptr_type(j->ctx, NULL, ret, n, params, 0);
	return rel(j, WT_REL_RT, rt, t);
}

/* A fresh temporary of type t (libgccjit wants every local named). */
static inline gcc_jit_lvalue *local(jf *j, gcc_jit_type *t)
{
	char nm[24];
	snprintf(nm, sizeof nm, "t%u", j->ntemps++);
	return gcc_jit_function_new_local(j->fn, NULL, t, nm);
}

static inline gcc_jit_block *new_block(jf *j)
{
	return gcc_jit_function_new_block(j->fn, NULL);
}

static inline gcc_jit_rvalue *bin(jf *j, enum gcc_jit_binary_op op, gcc_jit_type *t,
				  gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
	return gcc_jit_context_new_binary_op(j->ctx, NULL, op, t, a, b);
}

static inline gcc_jit_rvalue *cmp(jf *j, enum gcc_jit_comparison op, gcc_jit_rvalue *a,
				  gcc_jit_rvalue *b)
{
	return gcc_jit_context_new_comparison(j->ctx, NULL, op, a, b);
}

static inline gcc_jit_rvalue *u32s(jf *j, uint32_t i)
{
	return cast(j, slot(j, i), j->g->t_u32);
}

/* ---- what the parts give each other ---- */

/* jit_gen.c: the index of what the internal code names by its address or
 * id p, as relocation kind k (FUNC, TABLE, GLOBAL, TYPE_ID); and the
 * address operand (P) at w as its table entry of kind k, cast to t. */
uint32_t wt_jg_sym(jf *j, wt_rel_kind k, uint64_t p);
gcc_jit_rvalue *wt_jg_psym(jf *j, wt_rel_kind k, const uint32_t *w, gcc_jit_type *t);

/* jit_gen_num.c: numeric ops (code.h's BIN, CMP, BINT, BINF, UN, UNT
 * lists) and the fused compare-branches; w is the op's words. */
void wt_jg_binary(jf *j, const uint32_t *w, const opinfo *oi);
void wt_jg_trapping_binary(jf *j, const uint32_t *w, const opinfo *oi);
void wt_jg_unary(jf *j, const uint32_t *w, const opinfo *oi);
void wt_jg_trapping_unary(jf *j, const uint32_t *w, const opinfo *oi);
void wt_jg_fused(jf *j, const uint32_t *w, const opinfo *oi, uint32_t len);

/* jit_gen_mem.c: memory 0's base and size into their locals (at the
 * entry, after calls and memory.grow); loads, stores, bulk and table ops,
 * segment drops, global slots. */
void wt_jg_load_mem(jf *j, gcc_jit_block *b);
gcc_jit_rvalue *wt_jg_mem_ea(jf *j, uint32_t a, uint32_t k, unsigned size); /* uint8_t *, checked */
void wt_jg_load(jf *j, const uint32_t *w, const opinfo *oi);
void wt_jg_store(jf *j, const uint32_t *w, const opinfo *oi);
void wt_jg_bulk(jf *j, uint32_t op, const uint32_t *w);
void wt_jg_store_u8(jf *j, wt_rel_kind k, uint32_t i);
gcc_jit_rvalue *wt_jg_global_slot(jf *j, const uint32_t *w);

/* jit_gen_vec.c: the vector ops of vm_simd_ops.h (K_VEC). */
void wt_jg_vector(jf *j, uint32_t op, const uint32_t *w);

/* jit_gen_call.c: CALL and CALL_INDIRECT (t: the callee's type), returns. */
void wt_jg_call(jf *j, const uint32_t *w, const wt_functype *t, int indirect);
void wt_jg_return(jf *j, uint32_t n);

/* jit_gen_ctl.c: traps, branches and the other ops of code.h's MISC list. */
void wt_jg_trap_if(jf *j, gcc_jit_rvalue *cond, gcc_jit_rvalue *tk);
void wt_jg_oob_if(jf *j, gcc_jit_rvalue *cond);
void wt_jg_check_tk(jf *j, gcc_jit_rvalue *tk_call);
void wt_jg_check_call(jf *j, gcc_jit_rvalue *r);
uint32_t wt_jg_target_of(const uint32_t *words, uint32_t w);
void wt_jg_branch_if(jf *j, gcc_jit_rvalue *cond, uint32_t target, uint32_t next);
void wt_jg_misc(jf *j, uint32_t op, const uint32_t *w, uint32_t len);

#endif
