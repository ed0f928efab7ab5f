/* test_jit_vec.c: the compiling tier translates every vector (v128) op: a module with one
 * function per op (fixtures/wat/jit_vec.wat) compiles with no function left to the interpreter,
 * and every function gives the interpreter's results, traps (kind, function, offset), memory and
 * fuel on inputs with NaN payloads, infinities, signed zeros, lane extremes, equal and
 * neighbouring lanes, shift counts beyond the lane width and out-of-bounds addresses. */
#include <libgen.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "jit.h"
#include "store.h"
#include "wt_test_inst.h"

#ifdef WT_HAVE_JIT

/* The built fixture: <build>/fixtures/jit_vec.wasm, two folders above this program's. */
static uint8_t *read_fixture(size_t *size)
{
	char exe[512], path[600];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	snprintf(path, sizeof path, "%s/../../fixtures/jit_vec.wasm", dirname(exe));
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (build the fixtures)", path);
	uint8_t *buf = malloc(1 << 20);
	assert_non_null(buf);
	*size = fread(buf, 1, 1 << 20, f);
	fclose(f);
	assert_true(*size > 0);
	return buf;
}

typedef wt_test_inst inst;

enum { FUEL = 1u << 30 };

/* The module in a store with fuel; compiled by the tier when `jit`. */
static void make(inst *in, const uint8_t *bytes, size_t size, int jit)
{
	wt_error err;
	wt_store_limits lim = {.fuel = FUEL};
	wt_test_inst_begin(in, bytes, size, &lim, NULL);
	if (jit) {
		wt_jit_stats st = {0};
		wt_error_init(&err);
		if (wt_jit_compile_instance(in->inst, &in->jit, &st, &err) != 0)
			fail_msg("compile: %s", err.msg);
		/* every function compiled: none left for a vector op */
		assert_int_equal(st.fallback, 0);
		assert_int_equal(st.compiled, st.funcs);
		assert_true(st.funcs > 250);
		for (uint32_t i = 0; i < in->m->nfuncs; i++)
			if (!in->inst->funcs[i]->host && !in->inst->funcs[i]->jit)
				fail_msg("function %u has no compiled body", i);
	}
	wt_test_inst_finish(in);
}

static void end(inst *in)
{
	wt_test_inst_end(in);
}

/* Slot bits with every kind of lane the ops care about: zeros, all ones,
 * sign bits, f32/f64 NaNs with payloads (quiet, signalling, negative),
 * infinities, -0, values at the edges of the saturating conversions. */
static const uint64_t pattern[] = {
    0,
    UINT64_MAX,
    0x8000000000000000ull,
    0x7fffffffffffffffull,
    0x7fc000007fc00000ull,
    0xffc00001ff800000ull,
    0x7ff8000000000001ull,
    0xfff0000000000000ull,
    0x3f8000004f000000ull,
    0x41e0000000000000ull,
    0x0123456789abcdefull,
    0xfedcba9876543210ull,
    0x80007fff00017ffeull,
    0x7f800001cf000000ull,
    0x00000000bf000000ull,
    0x8000000000000080ull,
    0x7fa0000041efffffull,
};
enum { NP = sizeof pattern / sizeof pattern[0] };

/* i32 operands: shift counts beyond the lane width, lanes' extremes,
 * addresses in the data, near the page's end (some accesses trap) and
 * wrapping past 4 GiB. */
static const uint32_t scalar[] = {0,	       1,	    7,	    17,	   31,	  33,
				  64,	       127,	    255,    65504, 65520, 65533,
				  0xfffffff0u, 0x80000000u, 0x7f7f, 0xff80};
enum { NS = sizeof scalar / sizeof scalar[0] };

/* Input k of export i: three rounds of patterns, then a round where b is
 * a, or a with one byte's lane nudged up or down by one (lanes equal and
 * one apart: the compares' and min/max's edges at every lane width). */
static void inputs(uint32_t k, uint32_t i, wt_slot *args)
{
	uint32_t round = k / NP;
	for (uint32_t p = 0; p < 6; p++)
		args[p] = pattern[(k + p * (round % 3 + 1)) % NP];
	args[6] = scalar[(k * 5 + i) % NS];
	if (round < 3)
		return;
	uint64_t one = (uint64_t)1 << (8 * (k % 8));
	args[2] = k % 3 == 0 ? args[0] : k % 3 == 1 ? args[0] + one : args[0] - one;
	args[3] = k % 2 ? args[1] : args[1] - ((uint64_t)1 << (8 * ((k / 2) % 8)));
}

static void call(inst *in, const wt_export *e, const wt_slot *args, wt_slot *res, wt_trap *trap,
		 int *rc)
{
	wt_extern x;
	assert_int_equal(wt_instance_export(in->inst, e->name, e->name_len, &x), 0);
	memset(trap, 0, sizeof *trap);
	*res = 0;
	*rc = wt_call(in->s, x.u.func, args, res, trap);
}

static void same_everywhere(void **state)
{
	(void)state;
	size_t size;
	uint8_t *bytes = read_fixture(&size);
	inst a, b;
	make(&a, bytes, size, 1);
	make(&b, bytes, size, 0);
	unsigned calls = 0, traps = 0;
	for (uint32_t i = 0; i < a.m->nexports; i++) {
		const wt_export *e = &a.m->exports[i];
		if (e->kind != WT_EXTERN_FUNC)
			continue;
		for (uint32_t k = 0; k < NP * 4; k++) {
			wt_slot args[7], ra, rb;
			inputs(k, i, args);
			wt_trap ta, tb;
			int rca, rcb;
			call(&a, e, args, &ra, &ta, &rca);
			call(&b, e, args, &rb, &tb, &rcb);
			if (rca != rcb || ra != rb || ta.kind != tb.kind ||
			    ta.code_offset != tb.code_offset || ta.func_index != tb.func_index)
				fail_msg(
				    "%s(input %u): jit rc %d -> %#llx trap %d at %#x, interp rc "
				    "%d -> %#llx trap %d at %#x",
				    e->name, k, rca, (unsigned long long)ra, ta.kind,
				    ta.code_offset, rcb, (unsigned long long)rb, tb.kind,
				    tb.code_offset);
			calls++;
			traps += rca != 0;
		}
	}
	/* the inputs reach the traps of the memory shapes too */
	assert_true(traps > 20 && traps < calls / 4);
	wt_meminst *ma = wt_instance_memory(a.inst), *mb = wt_instance_memory(b.inst);
	assert_int_equal(ma->size, mb->size);
	assert_memory_equal(ma->data, mb->data, ma->size);
	assert_int_equal(a.s->fuel, b.s->fuel);
	assert_true(a.s->fuel < FUEL);
	end(&a);
	end(&b);
	free(bytes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(same_everywhere)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#else

int main(void)
{
	return 0;
}

#endif
