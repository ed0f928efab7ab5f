/* call.c: wt_call: the store's stacks, arguments and results, host calls from outside, trap
 * locations. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "code.h"

/* memcpy of n slots; args and results may be NULL when n is 0. */
static void copy_slots(wt_slot *dst, const wt_slot *src, uint32_t n)
{
	if (n)
		memcpy(dst, src, (size_t)n * sizeof *dst);
}

/* Allocates the store's value and frame stacks on first use; 0 or -1. */
static int stacks_ready(wt_store *s)
{
	if (s->stack && s->frames)
		return 0;
	if (!s->stack)
		s->stack = malloc((size_t)s->limits.max_stack_slots * sizeof *s->stack);
	if (!s->frames)
		s->frames = malloc((size_t)s->limits.max_call_depth * sizeof *s->frames);
	if (!s->stack || !s->frames)
		return -1;
	s->stack_top = s->stack;
	s->depth = 0;
	return 0;
}

static void trap_clear(wt_trap *trap, wt_trap_kind kind)
{
	memset(trap, 0, sizeof *trap);
	trap->kind = kind;
}

/* A host function called directly by wt_call: arguments and results in
 * a slice of the value stack, so a nested wt_call starts above them. */
static int call_host(wt_store *s, wt_funcinst *f, const wt_slot *args, wt_slot *results,
		     wt_slot *base, uint32_t n, uint32_t np, uint32_t nr, wt_trap *trap)
{
	wt_host_call call = {s, NULL, f->host_data, trap};
	wt_slot *saved_top = s->stack_top;
	copy_slots(base, args, np);
	s->stack_top = base + n;
	int r = f->host(&call, base, base);
	s->stack_top = saved_top;
	if (r)
		return -1;
	copy_slots(results, base, nr);
	return 0;
}

int wt_call(wt_store *s, wt_funcinst *f, const wt_slot *args, wt_slot *results, wt_trap *trap)
{
	WT_API_CHECK(s != NULL && f != NULL && trap != NULL);
	const wt_functype *t = f->type.type;
	uint32_t np = wt_types_slots(t->types, t->nparams);
	uint32_t nr = wt_types_slots(t->types + t->nparams, t->nresults);
	uint32_t n = np > nr ? np : nr;
	WT_API_CHECK((np == 0 || args != NULL) && (nr == 0 || results != NULL));
	trap_clear(trap, WT_TRAP_NONE);
	if (stacks_ready(s)) {
		trap->kind = WT_TRAP_HOST;
		strcpy(trap->msg, "out of memory for the interpreter's stacks");
		return -1;
	}
	wt_slot *base = s->stack_top;
	if ((size_t)(s->stack + s->limits.max_stack_slots - base) < n) {
		trap->kind = WT_TRAP_STACK_EXHAUSTED;
		trap->func_index = f->func_index;
		return -1;
	}
	if (f->host)
		return call_host(s, f, args, results, base, n, np, nr, trap);
	copy_slots(base, args, np);
	wt_slot *saved_top = s->stack_top;
	int r = wt_vm_run(s, f, base, trap);
	s->stack_top = saved_top;
	if (r)
		return -1;
	copy_slots(results, base, nr);
	return 0;
}

/* The WebAssembly offset of the instruction at word `at`: the last trap
 * site at or before it (sites are sorted). */
static uint32_t site_offset(const wt_code *code, uint32_t at)
{
	uint32_t lo = 0, hi = code->ntraps;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (code->traps[mid].at <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? code->traps[lo - 1].offset : 0;
}

void wt_vm_locate(wt_trap *trap, const wt_funcinst *f, const wt_code *code, uint32_t at)
{
	trap->func_index = f ? f->func_index : 0;
	trap->func_name = NULL;
	trap->code_offset = 0;
	if (!f || !f->instance)
		return;
	const wt_module *m = f->instance->module;
	if (f->func_index < m->nfuncs) {
		trap->func_name = m->funcs[f->func_index].name;
		trap->code_offset = m->funcs[f->func_index].code_offset;
	}
	if (code && code->ntraps)
		trap->code_offset = site_offset(code, at);
}

/* Room kept below compiled code's calls for host functions and the
 * interpreter they may re-enter. */
enum { WT_STACK_RESERVE = 512 * 1024 };
static _Thread_local const char *stack_floor;
static _Thread_local int stack_known;

const char *wt_vm_stack_floor(void)
{
	pthread_attr_t a;
	void *addr;
	size_t size;
	if (stack_known)
		return stack_floor;
	stack_known = 1;
	if (pthread_getattr_np(pthread_self(), &a) != 0)
		return NULL;
	if (pthread_attr_getstack(&a, &addr, &size) == 0 && size > 2 * WT_STACK_RESERVE)
		stack_floor = (const char *)addr + WT_STACK_RESERVE;
	pthread_attr_destroy(&a);
	return stack_floor;
}
