/* vm.c: runs compiled code; the one dispatch loop (computed goto, or a switch without GNU C). */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "code.h"
#include "vm_bulk.h"
#include "vm_num.h"
#include "vm_simd.h"

#if defined(__GNUC__) && !defined(WT_VM_SWITCH)
#define WT_VM_THREADED 1
#else
#define WT_VM_THREADED 0
#endif

/* The dispatch: the only macros here that transfer control. */
#if WT_VM_THREADED
#define CASE(name) L_##name:
#define NEXT() goto *(void *)(uintptr_t)wt_code_rd64(ip)
#else
#define CASE(name) case WT_V_##name:
#define NEXT() goto dispatch
#endif

#define WT_LIKELY(x) __builtin_expect(!!(x), 1)
#define WT_UNLIKELY(x) __builtin_expect(!!(x), 0)

static inline void *vm_ptr(const uint32_t *w)
{
	return (void *)(uintptr_t)wt_code_rd64(w);
}

/* The cheap check at function entry and loop back-edges: 0 or a trap.
 * Fuel is charged by FUEL ops, which the compiler emits only when the
 * store has a fuel limit. */
static inline int vm_poll(wt_store *s)
{
	if (WT_UNLIKELY(atomic_load_explicit(&s->interrupt, memory_order_relaxed))) {
		atomic_store_explicit(&s->interrupt, 0, memory_order_relaxed);
		return WT_TRAP_TIMEOUT;
	}
	return 0;
}

/* Hotness: a function's code counts its interpreted calls and loop
 * back-edges down from the store's hot threshold (compile.c); at 0 the
 * store's hot hook hears of the function, and again after as many more
 * until it takes it. Without a hook the count starts at UINT32_MAX, and
 * reaching 0 costs one call here. */
__attribute__((noinline)) static void vm_hot(wt_store *s, wt_code *code)
{
	wt_funcinst *f = code->func;
	code->hot_left = UINT32_MAX;
	if (f->hot || !s->hot_hook)
		return;
	if (s->hot_hook(s->hot_ctx, f))
		f->hot = 1;
	else
		code->hot_left = s->hot_threshold;
}

static inline void vm_count(wt_store *s, wt_code *code)
{
	if (WT_UNLIKELY(--code->hot_left == 0))
		vm_hot(s, code);
}

/* A loop back-edge: counted, then the cheap check. */
static inline int vm_back_edge(wt_store *s, wt_code *code)
{
	vm_count(s, code);
	return vm_poll(s);
}

/* Calls a host function with its arguments at args; a nested wt_call
 * starts at stack_top. Returns 0, or non-zero when the host filled
 * *trap, or when an interrupt came while it ran (then *trap is a timeout:
 * a host call that the run's time limit cut short never returns to the
 * guest). The check is here, not in the loop, to keep the loop's call
 * path as it was. */
__attribute__((noinline)) int wt_vm_host_call(wt_store *s, wt_funcinst *f, wt_instance *caller,
					      wt_slot *args, wt_slot *stack_top, uint32_t depth,
					      wt_trap *trap)
{
	wt_slot *saved_top = s->stack_top;
	uint32_t saved_depth = s->depth;
	wt_host_call call = {s, caller, f->host_data, trap};
	s->stack_top = stack_top;
	s->depth = depth;
	int r = f->host(&call, args, args);
	s->stack_top = saved_top;
	s->depth = saved_depth;
	if (r == 0 && (r = vm_poll(s)) != 0) {
		trap->kind = (wt_trap_kind)r;
		trap->msg[0] = '\0';
	}
	return r;
}

/* Compiles a function on its first call; 0 or a trap kind: the memory
 * limit when its code does not fit in the store's budget, else a host
 * trap with the compiler's message. */
__attribute__((noinline)) int wt_vm_compile(wt_funcinst *f, wt_trap *trap)
{
	wt_error err;
	wt_error_init(&err);
	if (wt_compile(f, &err) == 0)
		return 0;
	if (err.code == WT_LIMIT)
		return WT_TRAP_MEMORY_LIMIT;
	snprintf(trap->msg, sizeof trap->msg, "cannot compile: %.200s", err.msg);
	return WT_TRAP_HOST;
}

/* Runs f from its frame at fp; with `entered`, the caller has already
 * checked, counted (s->depth) and set up that frame. */
static int vm_loop(wt_store *s, wt_funcinst *f, wt_slot *fp, wt_trap *trap,
		   const void *const **table, int entered)
{
#if WT_VM_THREADED
	static const void *const labels[WT_V_COUNT] = {
#define WT_VM_OP(name, len, traps) [WT_V_##name] = &&L_##name,
	    WT_VM_OPS
#undef WT_VM_OP
	};
	if (table) {
		*table = labels;
		return 0;
	}
#else
	if (table) {
		*table = NULL;
		return 0;
	}
#endif
	wt_frame *const frames = s->frames;
	const uint32_t base_depth = s->depth;
	const uint32_t max_depth = s->limits.max_call_depth;
	wt_slot *const stack_end = s->stack + s->limits.max_stack_slots;
	uint32_t depth = base_depth;
	wt_code *code = NULL;
	const uint32_t *ip = NULL, *ret_ip;
	uint8_t *mbase = NULL;
	uint64_t msize = 0;
	wt_funcinst *callee = f;
	wt_slot *nfp = fp;
	int tk;

	if (entered) {
		code = f->code;
		vm_count(s, code);
		frames[depth - 1] = (wt_frame){NULL, NULL, NULL};
		ip = code->words;
		mbase = code->mem->data;
		msize = code->mem->size;
		NEXT();
	}
	if (depth >= max_depth) {
		tk = WT_TRAP_STACK_EXHAUSTED;
		goto trap;
	}
	ret_ip = NULL;
	goto call;

#if WT_VM_THREADED
	NEXT();
#else
dispatch:
	switch ((wt_vop)wt_code_rd64(ip)) {
	default:
		tk = WT_TRAP_UNREACHABLE;
		goto trap;
#endif

	CASE(COPY)
	{
		fp[ip[2]] = fp[ip[3]];
		ip += 4;
		NEXT();
	}
	CASE(CONST)
	{
		fp[ip[2]] = wt_code_rd64(ip + 3);
		ip += 5;
		NEXT();
	}
	CASE(BR)
	{
		int32_t off = (int32_t)ip[2];
		if (off < 0 && (tk = vm_back_edge(s, code)) != 0)
			goto trap;
		ip += 2 + off;
		NEXT();
	}
	CASE(BR_IF)
	{
		if ((uint32_t)fp[ip[2]]) {
			int32_t off = (int32_t)ip[3];
			if (off < 0 && (tk = vm_back_edge(s, code)) != 0)
				goto trap;
			ip += 3 + off;
			NEXT();
		}
		ip += 4;
		NEXT();
	}
	CASE(BR_IFNOT)
	{
		if (!(uint32_t)fp[ip[2]]) {
			int32_t off = (int32_t)ip[3];
			if (off < 0 && (tk = vm_back_edge(s, code)) != 0)
				goto trap;
			ip += 3 + off;
			NEXT();
		}
		ip += 4;
		NEXT();
	}
	CASE(BR_TABLE)
	{
		uint32_t i = (uint32_t)fp[ip[2]], n = ip[3];
		const uint32_t *t = ip + 4 + (i < n ? i : n);
		int32_t off = (int32_t)*t;
		if (off < 0 && (tk = vm_back_edge(s, code)) != 0)
			goto trap;
		ip = t + off;
		NEXT();
	}
	CASE(SELECT)
	{
		fp[ip[2]] = (uint32_t)fp[ip[5]] ? fp[ip[3]] : fp[ip[4]];
		ip += 6;
		NEXT();
	}
	CASE(CALL)
	{
		callee = vm_ptr(ip + 3);
		nfp = fp + ip[2];
		ret_ip = ip + 5;
		goto call;
	}
	CASE(CALL_INDIRECT)
	{
		wt_tableinst *t = vm_ptr(ip + 4);
		uint32_t i = (uint32_t)fp[ip[3]];
		if (i >= t->size) {
			tk = WT_TRAP_UNDEFINED_ELEMENT;
			goto trap;
		}
		callee = (wt_funcinst *)(uintptr_t)t->elems[i];
		if (!callee) {
			tk = WT_TRAP_UNINITIALIZED_ELEMENT;
			goto trap;
		}
		if (callee->type.id != ip[6]) {
			tk = WT_TRAP_INDIRECT_TYPE;
			goto trap;
		}
		nfp = fp + ip[2];
		ret_ip = ip + 7;
		goto call;
	}
	CASE(RET1)
	{
		fp[0] = fp[ip[2]];
		goto ret;
	}
	CASE(RET)
	{
		goto ret;
	}
	CASE(UNREACHABLE)
	{
		tk = WT_TRAP_UNREACHABLE;
		goto trap;
	}
	CASE(GLOBAL_GET)
	{
		fp[ip[2]] = *(wt_slot *)vm_ptr(ip + 3);
		ip += 5;
		NEXT();
	}
	CASE(GLOBAL_SET)
	{
		*(wt_slot *)vm_ptr(ip + 3) = fp[ip[2]];
		ip += 5;
		NEXT();
	}
	CASE(MEMORY_SIZE)
	{
		fp[ip[2]] = (uint32_t)(msize >> 16);
		ip += 3;
		NEXT();
	}
	CASE(MEMORY_GROW)
	{
		int64_t old = wt_memory_grow(code->mem, (uint32_t)fp[ip[3]]);
		fp[ip[2]] = (uint32_t)old;
		mbase = code->mem->data;
		msize = code->mem->size;
		ip += 4;
		NEXT();
	}
	CASE(MEMORY_FILL)
	{
		tk = vm_memory_fill(code->mem, (uint32_t)fp[ip[2]], (uint32_t)fp[ip[3]],
				    (uint32_t)fp[ip[4]]);
		if (tk)
			goto trap;
		ip += 5;
		NEXT();
	}
	CASE(MEMORY_COPY)
	{
		tk = vm_memory_copy(code->mem, (uint32_t)fp[ip[2]], (uint32_t)fp[ip[3]],
				    (uint32_t)fp[ip[4]]);
		if (tk)
			goto trap;
		ip += 5;
		NEXT();
	}
	CASE(MEMORY_INIT)
	{
		tk = vm_memory_init(code->mem, code->func->instance, ip[5], (uint32_t)fp[ip[2]],
				    (uint32_t)fp[ip[3]], (uint32_t)fp[ip[4]]);
		if (tk)
			goto trap;
		ip += 6;
		NEXT();
	}
	CASE(DATA_DROP)
	{
		code->func->instance->data_dropped[ip[2]] = 1;
		ip += 3;
		NEXT();
	}
	CASE(TABLE_GET)
	{
		tk = vm_table_get(vm_ptr(ip + 4), (uint32_t)fp[ip[3]], &fp[ip[2]]);
		if (tk)
			goto trap;
		ip += 6;
		NEXT();
	}
	CASE(TABLE_SET)
	{
		tk = vm_table_set(vm_ptr(ip + 4), (uint32_t)fp[ip[2]], fp[ip[3]]);
		if (tk)
			goto trap;
		ip += 6;
		NEXT();
	}
	CASE(TABLE_SIZE)
	{
		fp[ip[2]] = ((wt_tableinst *)vm_ptr(ip + 3))->size;
		ip += 5;
		NEXT();
	}
	CASE(TABLE_GROW)
	{
		int64_t old = wt_table_grow(vm_ptr(ip + 5), (uint32_t)fp[ip[4]], fp[ip[3]]);
		fp[ip[2]] = (uint32_t)old;
		ip += 7;
		NEXT();
	}
	CASE(TABLE_FILL)
	{
		tk = vm_table_fill(vm_ptr(ip + 5), (uint32_t)fp[ip[2]], fp[ip[3]],
				   (uint32_t)fp[ip[4]]);
		if (tk)
			goto trap;
		ip += 7;
		NEXT();
	}
	CASE(TABLE_COPY)
	{
		tk = vm_table_copy(vm_ptr(ip + 5), vm_ptr(ip + 7), (uint32_t)fp[ip[2]],
				   (uint32_t)fp[ip[3]], (uint32_t)fp[ip[4]]);
		if (tk)
			goto trap;
		ip += 9;
		NEXT();
	}
	CASE(TABLE_INIT)
	{
		tk = vm_table_init(vm_ptr(ip + 5), code->func->instance, ip[7], (uint32_t)fp[ip[2]],
				   (uint32_t)fp[ip[3]], (uint32_t)fp[ip[4]]);
		if (tk)
			goto trap;
		ip += 8;
		NEXT();
	}
	CASE(ELEM_DROP)
	{
		code->func->instance->elem_dropped[ip[2]] = 1;
		ip += 3;
		NEXT();
	}
	CASE(FUEL)
	{
		if (WT_UNLIKELY(s->fuel < ip[2])) {
			s->fuel = 0;
			tk = WT_TRAP_FUEL_EXHAUSTED;
			goto trap;
		}
		s->fuel -= ip[2];
		ip += 3;
		NEXT();
	}
	CASE(FUEL_N)
	{
		uint64_t k = ((uint64_t)(uint32_t)fp[ip[2]] + (1u << ip[3]) - 1) >> ip[3];
		if (WT_UNLIKELY(s->fuel < k)) {
			s->fuel = 0;
			tk = WT_TRAP_FUEL_EXHAUSTED;
			goto trap;
		}
		s->fuel -= k;
		ip += 4;
		NEXT();
	}

	/* The generated handlers: one template per list of code.h. */
#define WT_VM_H_BINI(n, T, R, e)                                           \
	CASE(n)                                                            \
	{                                                                  \
		vm_##T a = vm_ld_##T(fp, ip[3]), b = vm_ld_##T(fp, ip[4]); \
		vm_st_##R(fp, ip[2], (e));                                 \
		ip += 5;                                                   \
		NEXT();                                                    \
	}                                                                  \
	CASE(n##_I)                                                        \
	{                                                                  \
		vm_##T a = vm_ld_##T(fp, ip[3]), b = vm_imm_##T(ip[4]);    \
		vm_st_##R(fp, ip[2], (e));                                 \
		ip += 5;                                                   \
		NEXT();                                                    \
	}
	WT_VM_BINI_LIST(WT_VM_H_BINI)
#undef WT_VM_H_BINI

#define WT_VM_H_CMP(n, T, e)                                               \
	CASE(n)                                                            \
	{                                                                  \
		vm_##T a = vm_ld_##T(fp, ip[3]), b = vm_ld_##T(fp, ip[4]); \
		fp[ip[2]] = (uint32_t)(e);                                 \
		ip += 5;                                                   \
		NEXT();                                                    \
	}                                                                  \
	CASE(n##_I)                                                        \
	{                                                                  \
		vm_##T a = vm_ld_##T(fp, ip[3]), b = vm_imm_##T(ip[4]);    \
		fp[ip[2]] = (uint32_t)(e);                                 \
		ip += 5;                                                   \
		NEXT();                                                    \
	}                                                                  \
	CASE(BR_IF_##n)                                                    \
	{                                                                  \
		vm_##T a = vm_ld_##T(fp, ip[2]), b = vm_ld_##T(fp, ip[3]); \
		if (e) {                                                   \
			int32_t off = (int32_t)ip[4];                      \
			if (off < 0 && (tk = vm_back_edge(s, code)) != 0)  \
				goto trap;                                 \
			ip += 4 + off;                                     \
			NEXT();                                            \
		}                                                          \
		ip += 5;                                                   \
		NEXT();                                                    \
	}                                                                  \
	CASE(BR_IFNOT_##n)                                                 \
	{                                                                  \
		vm_##T a = vm_ld_##T(fp, ip[2]), b = vm_ld_##T(fp, ip[3]); \
		if (!(e)) {                                                \
			int32_t off = (int32_t)ip[4];                      \
			if (off < 0 && (tk = vm_back_edge(s, code)) != 0)  \
				goto trap;                                 \
			ip += 4 + off;                                     \
			NEXT();                                            \
		}                                                          \
		ip += 5;                                                   \
		NEXT();                                                    \
	}                                                                  \
	CASE(BR_IF_##n##_I)                                                \
	{                                                                  \
		vm_##T a = vm_ld_##T(fp, ip[2]), b = vm_imm_##T(ip[3]);    \
		if (e) {                                                   \
			int32_t off = (int32_t)ip[4];                      \
			if (off < 0 && (tk = vm_back_edge(s, code)) != 0)  \
				goto trap;                                 \
			ip += 4 + off;                                     \
			NEXT();                                            \
		}                                                          \
		ip += 5;                                                   \
		NEXT();                                                    \
	}                                                                  \
	CASE(BR_IFNOT_##n##_I)                                             \
	{                                                                  \
		vm_##T a = vm_ld_##T(fp, ip[2]), b = vm_imm_##T(ip[3]);    \
		if (!(e)) {                                                \
			int32_t off = (int32_t)ip[4];                      \
			if (off < 0 && (tk = vm_back_edge(s, code)) != 0)  \
				goto trap;                                 \
			ip += 4 + off;                                     \
			NEXT();                                            \
		}                                                          \
		ip += 5;                                                   \
		NEXT();                                                    \
	}
	WT_VM_CMP_LIST(WT_VM_H_CMP)
#undef WT_VM_H_CMP

#define WT_VM_H_BINT(n, T, h)                                           \
	CASE(n)                                                         \
	{                                                               \
		vm_##T r;                                               \
		tk = h(vm_ld_##T(fp, ip[3]), vm_ld_##T(fp, ip[4]), &r); \
		if (tk)                                                 \
			goto trap;                                      \
		vm_st_##T(fp, ip[2], r);                                \
		ip += 5;                                                \
		NEXT();                                                 \
	}                                                               \
	CASE(n##_I)                                                     \
	{                                                               \
		vm_##T r;                                               \
		tk = h(vm_ld_##T(fp, ip[3]), vm_imm_##T(ip[4]), &r);    \
		if (tk)                                                 \
			goto trap;                                      \
		vm_st_##T(fp, ip[2], r);                                \
		ip += 5;                                                \
		NEXT();                                                 \
	}
	WT_VM_BINT_LIST(WT_VM_H_BINT)
#undef WT_VM_H_BINT

#define WT_VM_H_BINF(n, T, R, e)                                           \
	CASE(n)                                                            \
	{                                                                  \
		vm_##T a = vm_ld_##T(fp, ip[3]), b = vm_ld_##T(fp, ip[4]); \
		vm_st_##R(fp, ip[2], (e));                                 \
		ip += 5;                                                   \
		NEXT();                                                    \
	}
	WT_VM_BINF_LIST(WT_VM_H_BINF)
#undef WT_VM_H_BINF

#define WT_VM_H_UN(n, T, R, e)                   \
	CASE(n)                                  \
	{                                        \
		vm_##T a = vm_ld_##T(fp, ip[3]); \
		vm_st_##R(fp, ip[2], (e));       \
		ip += 4;                         \
		NEXT();                          \
	}
	WT_VM_UN_LIST(WT_VM_H_UN)
#undef WT_VM_H_UN

#define WT_VM_H_UNT(n, T, R, h)                   \
	CASE(n)                                   \
	{                                         \
		vm_##R r;                         \
		tk = h(vm_ld_##T(fp, ip[3]), &r); \
		if (tk)                           \
			goto trap;                \
		vm_st_##R(fp, ip[2], r);          \
		ip += 4;                          \
		NEXT();                           \
	}
	WT_VM_UNT_LIST(WT_VM_H_UNT)
#undef WT_VM_H_UNT

#define WT_VM_H_LOAD(n, R, M, conv)                                  \
	CASE(n)                                                      \
	{                                                            \
		uint64_t ea = (uint64_t)(uint32_t)fp[ip[3]] + ip[4]; \
		M v;                                                 \
		if (WT_UNLIKELY(ea + sizeof v > msize)) {            \
			tk = WT_TRAP_MEMORY_OOB;                     \
			goto trap;                                   \
		}                                                    \
		memcpy(&v, mbase + ea, sizeof v);                    \
		vm_st_##R(fp, ip[2], conv);                          \
		ip += 5;                                             \
		NEXT();                                              \
	}
	WT_VM_LOAD_LIST(WT_VM_H_LOAD)
#undef WT_VM_H_LOAD

#define WT_VM_H_STORE(n, T, M)                                       \
	CASE(n)                                                      \
	{                                                            \
		uint64_t ea = (uint64_t)(uint32_t)fp[ip[2]] + ip[4]; \
		M v = (M)vm_ld_##T(fp, ip[3]);                       \
		if (WT_UNLIKELY(ea + sizeof v > msize)) {            \
			tk = WT_TRAP_MEMORY_OOB;                     \
			goto trap;                                   \
		}                                                    \
		memcpy(mbase + ea, &v, sizeof v);                    \
		ip += 5;                                             \
		NEXT();                                              \
	}
	WT_VM_STORE_LIST(WT_VM_H_STORE)
#undef WT_VM_H_STORE

#define WT_VM_H_SIMD(n, shape, size, ...)                  \
	CASE(n)                                            \
	{                                                  \
		WT_SIMD_##shape(size, __VA_ARGS__) NEXT(); \
	}
	WT_VM_SIMD_LIST(WT_VM_H_SIMD)
#undef WT_VM_H_SIMD

#if !WT_VM_THREADED
}
#endif

/* A call: callee, nfp (its frame) and ret_ip are set; ip and code
 * are still the caller's, for a trap's location. */
call : if (callee->host)
{
	if (wt_vm_host_call(s, callee, code ? code->func->instance : NULL, nfp,
			    fp && code ? fp + code->frame_size : nfp, depth, trap))
		goto host_trap;
	goto resume;
}
if (WT_UNLIKELY(depth >= max_depth)) {
	tk = WT_TRAP_STACK_EXHAUSTED;
	goto trap;
}
if (WT_UNLIKELY(!callee->code) && (tk = wt_vm_compile(callee, trap)) != 0)
	goto trap;
{
	wt_code *nc = callee->code;
	if (WT_UNLIKELY(nfp + nc->frame_size > stack_end)) {
		tk = WT_TRAP_STACK_EXHAUSTED;
		goto trap;
	}
	if ((tk = vm_poll(s)) != 0)
		goto trap;
	if (callee->jit) {
		/* a compiled body (it sets up its own frame): a C call, counted
		 * in the depth */
		wt_jit_ctx x = {s, trap, wt_vm_stack_floor()};
		s->depth = depth + 1;
		if (callee->jit(&x, nfp))
			goto propagate;
		goto resume;
	}
	vm_count(s, nc);
	frames[depth++] = (wt_frame){ret_ip, fp, code};
	wt_vm_frame_init(nc, nfp);
	fp = nfp;
	code = nc;
	ip = nc->words;
	mbase = nc->mem->data;
	msize = nc->mem->size;
	NEXT();
}

/* After a host or compiled callee returned to the caller's code. */
resume : if (!ret_ip) goto done;
mbase = code->mem->data;
msize = code->mem->size;
ip = ret_ip;
NEXT();

ret : depth--;
ip = frames[depth].ip;
if (!ip)
	goto done;
fp = frames[depth].fp;
code = frames[depth].code;
mbase = code->mem->data;
msize = code->mem->size;
NEXT();

trap : trap->kind = (wt_trap_kind)tk;
wt_vm_locate(trap, code ? code->func : f, code, code ? (uint32_t)(ip - code->words) : 0);
s->depth = base_depth;
return -1;
host_trap : if (trap->kind != WT_TRAP_EXIT) wt_vm_locate(trap, code ? code->func : f, code,
							 code ? (uint32_t)(ip - code->words) : 0);
s->depth = base_depth;
return -1;
propagate : s->depth = base_depth;
return -1;
done : s->depth = base_depth;
return 0;
}

const void *const *wt_vm_handlers(void)
{
	const void *const *table = NULL;
	vm_loop(NULL, NULL, NULL, NULL, &table, 0);
	return table;
}

int wt_vm_run(wt_store *s, wt_funcinst *f, wt_slot *fp, wt_trap *trap)
{
	return vm_loop(s, f, fp, trap, NULL, 0);
}

int wt_vm_run_body(wt_store *s, wt_funcinst *f, wt_slot *fp, wt_trap *trap)
{
	return vm_loop(s, f, fp, trap, NULL, 1);
}
