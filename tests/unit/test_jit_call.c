/* test_jit_call.c: calls between compiled functions check what the interpreter's calls check, in
 * one test (jit_gen_call.c): each way a call can fail traps at the same call, with the same kind,
 * at the same depth and with the same fuel left on both tiers, for a function calling itself, one
 * calling another function of its object and one calling through a table: call depth, value stack,
 * C stack, the callee's code made within the memory budget, fuel, and an interrupt stopping a
 * recursion that has no loop. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "jit.h"
#include "store.h"
#include "wt_test_inst.h"
#include "wt_test_util.h"

#ifdef WT_HAVE_JIT

/* self, ping/pong and ind recurse without end, each level recording its depth in $deep; big
 * does with a frame of 300 slots (the value stack runs out before the call depth); fib calls
 * itself, another function and itself through the table; spin has no loop and 2^n calls; first
 * calls leaf, whose code is made at that call. */
static const char *const module =
    "(module\n"
    "  (type $i (func (param i32) (result i32)))\n"
    "  (global $deep (export \"deep\") (mut i32) (i32.const 0))\n"
    "  (table 2 funcref)\n"
    "  (elem (i32.const 0) $ind $fib)\n"
    "  (func $self (export \"self\") (param $n i32) (result i32)\n"
    "    (global.set $deep (local.get $n))\n"
    "    (i32.add (call $self (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))\n"
    "  (func $ping (export \"ping\") (param $n i32) (result i32)\n"
    "    (global.set $deep (local.get $n))\n"
    "    (i32.add (call $pong (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))\n"
    "  (func $pong (param $n i32) (result i32)\n"
    "    (global.set $deep (local.get $n))\n"
    "    (i32.add (call $ping (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))\n"
    "  (func $ind (export \"ind\") (param $n i32) (result i32)\n"
    "    (global.set $deep (local.get $n))\n"
    "    (i32.add (call_indirect (type $i) (i32.add (local.get $n) (i32.const 1))\n"
    "      (i32.const 0)) (i32.const 1)))\n"
    "  (func $big (export \"big\") (param $n i32) (result i32) (local BIG)\n"
    "    (global.set $deep (local.get $n))\n"
    "    (i32.add (call $big (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))\n"
    "  (func $fib (export \"fib\") (param $n i32) (result i32)\n"
    "    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))\n"
    "      (then (local.get $n))\n"
    "      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))\n"
    "        (i32.add (call $other (i32.sub (local.get $n) (i32.const 2)))\n"
    "          (call_indirect (type $i) (i32.const 0) (i32.const 1)))))))\n"
    "  (func $other (param $n i32) (result i32) (call $fib (local.get $n)))\n"
    "  (func $spin (export \"spin\") (param $n i32) (result i32)\n"
    "    (if (result i32) (local.get $n)\n"
    "      (then (drop (call $spin (i32.sub (local.get $n) (i32.const 1))))\n"
    "            (call $spin (i32.sub (local.get $n) (i32.const 1))))\n"
    "      (else (i32.const 0))))\n"
    "  (func $first (export \"first\") (param $n i32) (result i32)\n"
    "    (if (result i32) (local.get $n) (then (call $leaf (local.get $n)))\n"
    "      (else (i32.const 0))))\n"
    "  (func $leaf (param $n i32) (result i32)\n"
    "    (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $n))\n"
    "      (i32.const 3)) (local.get $n)) (i32.const 5)) (i32.add (local.get $n)\n"
    "      (i32.mul (local.get $n) (i32.const 7))))))\n";

static uint8_t *bytes;
static size_t size;

static int setup(void **state)
{
	(void)state;
	char *text = malloc(strlen(module) + 300 * 4 + 1), *at = text;
	const char *big = strstr(module, "BIG");
	at += sprintf(at, "%.*s", (int)(big - module), module);
	for (int i = 0; i < 300; i++)
		at += sprintf(at, "%s", i ? " i64" : "i64");
	strcpy(at, big + 3);
	int rc = wt_test_wat_bytes(text, "", &bytes, &size);
	free(text);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	free(bytes);
	return 0;
}

/* The module in a store with lim, compiled when `jit` (every function). */
static void make(wt_test_inst *in, const wt_store_limits *lim, int jit)
{
	wt_error err;
	wt_test_inst_begin(in, bytes, size, lim, NULL);
	if (jit) {
		wt_jit_stats st = {0};
		wt_error_init(&err);
		if (wt_jit_compile_instance(in->inst, &in->jit, &st, &err) != 0)
			fail_msg("compile: %s", err.msg);
		assert_int_equal(st.compiled, st.funcs);
	}
	wt_test_inst_finish(in);
}

/* What a call did: its status, result, trap, the depth it reached, the fuel left. */
typedef struct outcome {
	int rc;
	wt_slot res;
	wt_trap trap;
	wt_slot deep;
	uint64_t fuel;
	uint32_t depth; /* the store's call depth after it: 0 */
} outcome;

static void call(wt_test_inst *in, const char *name, uint32_t arg, outcome *o)
{
	wt_extern e;
	wt_slot a = arg;
	memset(o, 0, sizeof *o);
	assert_int_equal(wt_instance_export(in->inst, name, strlen(name), &e), 0);
	o->rc = wt_call(in->s, e.u.func, &a, &o->res, &o->trap);
	assert_int_equal(wt_instance_export(in->inst, "deep", 4, &e), 0);
	o->deep = e.u.global->value;
	o->fuel = wt_store_fuel_left(in->s);
	o->depth = in->s->depth;
}

static void assert_same(const outcome *j, const outcome *i, const char *what)
{
	if (j->rc != i->rc || j->res != i->res || j->deep != i->deep || j->fuel != i->fuel ||
	    (j->rc && (j->trap.kind != i->trap.kind || j->trap.func_index != i->trap.func_index ||
		       j->trap.code_offset != i->trap.code_offset)))
		fail_msg("%s: jit rc %d res %llu trap %d in %u at %#x depth %llu fuel %llu; interp "
			 "rc %d res %llu trap %d in %u at %#x depth %llu fuel %llu",
			 what, j->rc, (unsigned long long)j->res, j->trap.kind, j->trap.func_index,
			 j->trap.code_offset, (unsigned long long)j->deep,
			 (unsigned long long)j->fuel, i->rc, (unsigned long long)i->res,
			 i->trap.kind, i->trap.func_index, i->trap.code_offset,
			 (unsigned long long)i->deep, (unsigned long long)i->fuel);
	assert_int_equal(j->depth, 0);
	assert_int_equal(i->depth, 0);
}

/* name(arg) under lim on both tiers: the same outcome; returns the jit's. */
static outcome both(const char *name, uint32_t arg, const wt_store_limits *lim)
{
	wt_test_inst a, b;
	outcome oa, ob;
	make(&a, lim, 1);
	make(&b, lim, 0);
	call(&a, name, arg, &oa);
	call(&b, name, arg, &ob);
	char what[64];
	snprintf(what, sizeof what, "%s(%u)", name, arg);
	assert_same(&oa, &ob, what);
	wt_test_inst_end(&a);
	wt_test_inst_end(&b);
	return oa;
}

/* Recursion without end stops at the call depth limit, at the same call and depth, whichever
 * way the call goes (to itself, to another function of the object, through the table). */
static void call_depth(void **state)
{
	(void)state;
	static const char *const names[] = {"self", "ping", "ind"};
	for (int k = 0; k < 3; k++) {
		for (uint32_t lim = 1; lim < 6; lim += 2) {
			outcome o = both(names[k], 0, &(wt_store_limits){.max_call_depth = lim});
			assert_int_equal(o.trap.kind, WT_TRAP_STACK_EXHAUSTED);
		}
		outcome o = both(names[k], 0, NULL);
		assert_int_equal(o.rc, -1);
		assert_int_equal(o.trap.kind, WT_TRAP_STACK_EXHAUSTED);
		assert_true(o.deep > 19000); /* the default depth, 20000 */
	}
}

/* A frame of 300 slots: the value stack runs out first, at the same call and depth. */
static void value_stack(void **state)
{
	(void)state;
	outcome o = both("big", 0, NULL);
	assert_int_equal(o.trap.kind, WT_TRAP_STACK_EXHAUSTED);
	assert_true(o.deep > 100 && o.deep < 20000 / 2);
	for (uint32_t slots = 290; slots < 2000; slots += 311)
		both("big", 0, &(wt_store_limits){.max_stack_slots = slots});
}

/* Every fuel budget stops the same recursion at the same instruction with the same fuel left
 * (the calls' checks charge nothing, and the callee's region is charged at its entry). One store
 * per tier (code with fuel ops), its fuel set for each budget. */
static void fuel(void **state)
{
	(void)state;
	wt_test_inst a, b;
	unsigned traps = 0;
	make(&a, &(wt_store_limits){.fuel = 1}, 1);
	make(&b, &(wt_store_limits){.fuel = 1}, 0);
	for (uint64_t f = 1; f < 1200; f += f < 300 ? 1 : 37) {
		outcome oa, ob;
		a.s->fuel = b.s->fuel = f;
		call(&a, "fib", 9, &oa);
		call(&b, "fib", 9, &ob);
		assert_same(&oa, &ob, "fib(9) under fuel");
		traps += oa.rc != 0;
	}
	assert_true(traps > 200);
	wt_test_inst_end(&a);
	wt_test_inst_end(&b);
}

/* The first call of a function makes its internal code, charged: when it does not fit, the
 * call traps with the memory limit at the caller's call, on both tiers. */
static void code_made(void **state)
{
	(void)state;
	wt_test_inst in[2];
	outcome o[2];
	for (int t = 0; t < 2; t++) {
		make(&in[t], NULL, t == 0);
		call(&in[t], "first", 0, &o[t]); /* first's code made, not leaf's */
		assert_int_equal(o[t].rc, 0);
		in[t].s->limits.max_memory = wt_store_memory_used(in[t].s) + 16;
		call(&in[t], "first", 3, &o[t]);
		assert_int_equal(o[t].trap.kind, WT_TRAP_MEMORY_LIMIT);
	}
	assert_same(&o[0], &o[1], "first(3)");
	for (int t = 0; t < 2; t++) {
		in[t].s->limits.max_memory = 0;
		call(&in[t], "first", 3, &o[t]);
		assert_int_equal(o[t].rc, 0);
	}
	assert_same(&o[0], &o[1], "first(3) again");
	wt_test_inst_end(&in[0]);
	wt_test_inst_end(&in[1]);
}

/* A thread with a 2 MiB stack: the compiled recursion meets the C stack's floor long before
 * its call depth limit and traps with the interpreter's message at the same call. */
typedef struct on_thread {
	int jit;
	outcome o;
} on_thread;

static void *deep_on_thread(void *arg)
{
	on_thread *t = arg;
	wt_test_inst in;
	make(&in, &(wt_store_limits){.max_call_depth = 1u << 20, .max_stack_slots = 1u << 23},
	     t->jit);
	call(&in, "self", 0, &t->o);
	wt_test_inst_end(&in);
	return NULL;
}

static void c_stack(void **state)
{
	(void)state;
	on_thread t[2] = {{.jit = 1}, {.jit = 0}};
	for (int k = 0; k < 2; k++) {
		pthread_attr_t a;
		pthread_t th;
		pthread_attr_init(&a);
		pthread_attr_setstacksize(&a, 2u << 20);
		assert_int_equal(pthread_create(&th, &a, deep_on_thread, &t[k]), 0);
		pthread_join(th, NULL);
		pthread_attr_destroy(&a);
	}
	assert_int_equal(t[0].o.trap.kind, WT_TRAP_STACK_EXHAUSTED);
	assert_int_equal(t[1].o.trap.kind, WT_TRAP_STACK_EXHAUSTED);
	assert_int_equal(t[0].o.trap.func_index, t[1].o.trap.func_index);
	assert_int_equal(t[0].o.trap.code_offset, t[1].o.trap.code_offset);
	assert_true(t[0].o.deep < t[1].o.deep); /* the floor, not the depth limit */
	assert_int_equal(t[0].o.depth, 0);
}

/* A recursion without loops (2^40 calls) polls the interrupt only at its calls: interrupted
 * from another thread, it traps with a timeout at one of its two calls, on both tiers. */
static void *interrupt_soon(void *arg)
{
	struct timespec ts = {0, 50 * 1000 * 1000};
	nanosleep(&ts, NULL);
	wt_store_interrupt(arg);
	return NULL;
}

static void interrupt(void **state)
{
	(void)state;
	uint32_t at[2];
	for (int t = 0; t < 2; t++) {
		wt_test_inst in;
		pthread_t th;
		outcome o;
		make(&in, NULL, t == 0);
		assert_int_equal(pthread_create(&th, NULL, interrupt_soon, in.s), 0);
		call(&in, "spin", 40, &o);
		pthread_join(th, NULL);
		assert_int_equal(o.rc, -1);
		assert_int_equal(o.trap.kind, WT_TRAP_TIMEOUT);
		assert_int_equal(o.depth, 0);
		assert_int_equal(wt_store_interrupted(in.s), 0); /* consumed */
		wt_extern e;
		assert_int_equal(wt_instance_export(in.inst, "spin", 4, &e), 0);
		assert_int_equal(o.trap.func_index, e.u.func->func_index);
		at[t] = o.trap.code_offset;
		wt_test_inst_end(&in);
	}
	/* the two calls are 5 bytes apart at most (local.get, i32.const, i32.sub, drop) */
	assert_true(at[0] >= at[1] - 8 && at[0] <= at[1] + 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(call_depth), cmocka_unit_test(value_stack),
	    cmocka_unit_test(fuel),	  cmocka_unit_test(code_made),
	    cmocka_unit_test(c_stack),	  cmocka_unit_test(interrupt),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

#else

int main(void)
{
	return 0;
}

#endif
