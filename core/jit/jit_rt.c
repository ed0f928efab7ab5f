/* jit_rt.c: the run-time side of the compiling tier: calls, traps, bulk ops and the op helpers the
 * generated code calls. */
#include <stdatomic.h>
#include <string.h>

#include "jit_impl.h"
#include "vm_bulk.h"
#include "vm_num.h"

/* Slot bits <-> values by type tag, as vm_num.h stores them. */
static inline vm_u32 jl_u32(uint64_t s)
{
	return (uint32_t)s;
}
static inline vm_u64 jl_u64(uint64_t s)
{
	return s;
}
static inline vm_f32 jl_f32(uint64_t s)
{
	return vm_ld_f32(&s, 0);
}
static inline vm_f64 jl_f64(uint64_t s)
{
	return vm_ld_f64(&s, 0);
}
#define JS(T, v)                        \
	({                              \
		wt_slot s_ = 0;         \
		vm_st_##T(&s_, 0, (v)); \
		s_;                     \
	})

#define H_BIN(n, T, R, e)                                \
	static uint64_t jh_##n(uint64_t sa, uint64_t sb) \
	{                                                \
		vm_##T a = jl_##T(sa), b = jl_##T(sb);   \
		return JS(R, (e));                       \
	}
#define H_CMP(n, T, e)                                   \
	static uint64_t jh_##n(uint64_t sa, uint64_t sb) \
	{                                                \
		vm_##T a = jl_##T(sa), b = jl_##T(sb);   \
		return (uint32_t)(e);                    \
	}
#define H_UN(n, T, R, e)                    \
	static uint64_t jh_##n(uint64_t sa) \
	{                                   \
		vm_##T a = jl_##T(sa);      \
		return JS(R, (e));          \
	}
#define H_BINT(n, T, h)                                            \
	static int jh_##n(uint64_t sa, uint64_t sb, uint64_t *out) \
	{                                                          \
		vm_##T r = 0;                                      \
		int tk = h(jl_##T(sa), jl_##T(sb), &r);            \
		*out = JS(T, r);                                   \
		return tk;                                         \
	}
#define H_UNT(n, T, R, h)                             \
	static int jh_##n(uint64_t sa, uint64_t *out) \
	{                                             \
		vm_##R r = 0;                         \
		int tk = h(jl_##T(sa), &r);           \
		*out = JS(R, r);                      \
		return tk;                            \
	}
WT_VM_BINI_LIST(H_BIN)
WT_VM_CMP_LIST(H_CMP)
WT_VM_BINF_LIST(H_BIN)
WT_VM_UN_LIST(H_UN)
WT_VM_BINT_LIST(H_BINT)
WT_VM_UNT_LIST(H_UNT)

#define R_BIN(n, T, R, e) [WT_V_##n] = jh_##n,
#define R_CMP(n, T, e) [WT_V_##n] = jh_##n,
#define R_BINT(n, T, h) [WT_V_##n] = jh_##n,
const wt_jit_h2 wt_jit_bin[WT_V_COUNT] = {WT_VM_BINI_LIST(R_BIN) WT_VM_CMP_LIST(R_CMP)
					      WT_VM_BINF_LIST(R_BIN)};
const wt_jit_h1 wt_jit_un[WT_V_COUNT] = {WT_VM_UN_LIST(R_BIN)};
const wt_jit_ht2 wt_jit_bint[WT_V_COUNT] = {WT_VM_BINT_LIST(R_BINT)};
const wt_jit_ht1 wt_jit_unt[WT_V_COUNT] = {WT_VM_UNT_LIST(R_BIN)};

int wt_jit_trap(wt_jit_ctx *x, wt_funcinst *f, uint32_t at, int tk)
{
	x->trap->kind = (wt_trap_kind)tk;
	wt_vm_locate(x->trap, f, f->code, at);
	return -1;
}

static int stack_low(const wt_jit_ctx *x)
{
	char here;
	return x->floor && (const char *)&here < x->floor;
}

static int poll_interrupt(wt_store *s)
{
	if (atomic_load_explicit(&s->interrupt, memory_order_relaxed)) {
		atomic_store_explicit(&s->interrupt, 0, memory_order_relaxed);
		return WT_TRAP_TIMEOUT;
	}
	return 0;
}

/* The callee's part of a call, in the interpreter's order of checks. */
static int enter(wt_jit_ctx *x, wt_funcinst *caller, uint32_t at, wt_funcinst *callee, wt_slot *nfp)
{
	wt_store *s = x->s;
	int tk, r;
	if (s->depth >= s->limits.max_call_depth || stack_low(x))
		return wt_jit_trap(x, caller, at, WT_TRAP_STACK_EXHAUSTED);
	if (!callee->code && (tk = wt_vm_compile(callee, x->trap)) != 0)
		return wt_jit_trap(x, caller, at, tk);
	wt_code *nc = callee->code;
	if (nfp + nc->frame_size > s->stack + s->limits.max_stack_slots)
		return wt_jit_trap(x, caller, at, WT_TRAP_STACK_EXHAUSTED);
	if ((tk = poll_interrupt(s)) != 0)
		return wt_jit_trap(x, caller, at, tk);
	s->depth++;
	if (callee->jit) {
		r = callee->jit(x, nfp);
	} else {
		wt_vm_frame_init(nc, nfp);
		r = wt_vm_run_body(s, callee, nfp, x->trap);
	}
	s->depth--;
	return r;
}

int wt_jit_call(wt_jit_ctx *x, wt_funcinst *caller, uint32_t at, wt_funcinst *callee, wt_slot *nfp,
		wt_slot *top)
{
	if (!callee->host)
		return enter(x, caller, at, callee, nfp);
	if (wt_vm_host_call(x->s, callee, caller->instance, nfp, top, x->s->depth, x->trap) == 0)
		return 0;
	if (x->trap->kind != WT_TRAP_EXIT)
		wt_vm_locate(x->trap, caller, caller->code, at);
	return -1;
}

int wt_jit_call_indirect(wt_jit_ctx *x, wt_funcinst *caller, uint32_t at, wt_tableinst *t,
			 uint32_t i, uint32_t type, wt_slot *nfp, wt_slot *top)
{
	if (i >= t->size)
		return wt_jit_trap(x, caller, at, WT_TRAP_UNDEFINED_ELEMENT);
	wt_funcinst *callee = (wt_funcinst *)(uintptr_t)t->elems[i];
	if (!callee)
		return wt_jit_trap(x, caller, at, WT_TRAP_UNINITIALIZED_ELEMENT);
	if (callee->type.id != type)
		return wt_jit_trap(x, caller, at, WT_TRAP_INDIRECT_TYPE);
	return wt_jit_call(x, caller, at, callee, nfp, top);
}

/* ---- bulk and table ops ---- */

int wt_jit_memory_fill(wt_meminst *m, uint32_t d, uint32_t v, uint32_t n)
{
	return vm_memory_fill(m, d, v, n);
}

int wt_jit_memory_copy(wt_meminst *m, uint32_t d, uint32_t s, uint32_t n)
{
	return vm_memory_copy(m, d, s, n);
}

int wt_jit_memory_init(wt_meminst *m, wt_instance *inst, uint32_t seg, uint32_t d, uint32_t s,
		       uint32_t n)
{
	return vm_memory_init(m, inst, seg, d, s, n);
}

uint64_t wt_jit_memory_grow(wt_meminst *m, uint32_t delta)
{
	return (uint32_t)wt_memory_grow(m, delta);
}

int wt_jit_table_get(wt_tableinst *t, uint32_t i, uint64_t *out)
{
	return vm_table_get(t, i, out);
}

int wt_jit_table_set(wt_tableinst *t, uint32_t i, uint64_t v)
{
	return vm_table_set(t, i, v);
}

uint64_t wt_jit_table_grow(wt_tableinst *t, uint64_t init, uint32_t delta)
{
	return (uint32_t)wt_table_grow(t, delta, init);
}

int wt_jit_table_fill(wt_tableinst *t, uint32_t d, uint64_t v, uint32_t n)
{
	return vm_table_fill(t, d, v, n);
}

int wt_jit_table_copy(wt_tableinst *dt, wt_tableinst *st, uint32_t d, uint32_t s, uint32_t n)
{
	return vm_table_copy(dt, st, d, s, n);
}

int wt_jit_table_init(wt_tableinst *t, wt_instance *inst, uint32_t seg, uint32_t d, uint32_t s,
		      uint32_t n)
{
	return vm_table_init(t, inst, seg, d, s, n);
}
