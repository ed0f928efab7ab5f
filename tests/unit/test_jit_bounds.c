/* test_jit_bounds.c: the compiled tier leaves out a memory access's bounds check only where it is
 * known to pass (jit_gen_mem.c): a constant address inside the memory's declared minimum, or an
 * address slot an earlier access on the same path already checked as far. Each function here
 * gives the translator a chance to be wrong: an access reaching further than the one before, the
 * address rewritten between two accesses (set, tee, select, a call's result), two paths meeting,
 * a loop, a constant past the minimum, a memory grown, and the order of traps a check made once
 * for several accesses would have to keep (a store done before a later access traps; a division
 * or another address's load between two accesses trapping first); each runs at the edge of memory
 * on both tiers, which must agree on the result, the trap (kind and location) and what the stores
 * wrote. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jit.h"
#include "store.h"
#include "wt_test_inst.h"
#include "wt_test_util.h"

#ifdef WT_HAVE_JIT

/* One page (65536 bytes) at first. Each function reads (or writes) at p twice or more; the later
 * access of each pair reaches no further past its address slot than the earlier one did, so the
 * translator may drop its check only if the slot still holds the same value. */
static const char *const module =
    "(module\n"
    "  (memory (export \"mem\") 1)\n"
    "  (func $id (param $p i32) (result i32) (local.get $p))\n"
    /* the same slot: the second access needs no check */
    "  (func (export \"same\") (param $p i32) (result i32)\n"
    "    (i32.add (i32.load offset=16 (local.get $p)) (i32.load offset=8 (local.get $p))))\n"
    /* the second access reaches further: checked; the third not as far as the second: not */
    "  (func (export \"further\") (param $p i32) (result i32)\n"
    "    (i32.add (i32.load offset=8 (local.get $p))\n"
    "      (i32.add (i32.load offset=16 (local.get $p)) (i32.load16_u offset=12 (local.get "
    "$p)))))\n"
    /* the slot set between: checked again */
    "  (func (export \"set\") (param $p i32) (param $d i32) (result i32) (local $s i32)\n"
    "    (local.set $s (i32.load offset=16 (local.get $p)))\n"
    "    (local.set $p (i32.add (local.get $p) (local.get $d)))\n"
    "    (i32.add (local.get $s) (i32.load offset=8 (local.get $p))))\n"
    "  (func (export \"tee\") (param $p i32) (param $d i32) (result i32)\n"
    "    (i32.add (i32.load offset=16 (local.get $p))\n"
    "      (i32.load offset=8 (local.tee $p (i32.add (local.get $p) (local.get $d))))))\n"
    "  (func (export \"sel\") (param $p i32) (param $d i32) (result i32) (local $s i32)\n"
    "    (local.set $s (i32.load offset=16 (local.get $p)))\n"
    "    (local.set $p (select (i32.add (local.get $p) (local.get $d)) (local.get $p)\n"
    "      (local.get $d)))\n"
    "    (i32.add (local.get $s) (i32.load offset=8 (local.get $p))))\n"
    /* the same with a select's result as the address */
    "  (func (export \"seltmp\") (param $p i32) (param $d i32) (result i32)\n"
    "    (local $s i32) (local $q i32)\n"
    "    (local.set $q (i32.add (local.get $p) (local.get $d)))\n"
    "    (local.set $s (i32.load offset=16 (i32.add (local.get $p) (i32.const 0))))\n"
    "    (i32.add (local.get $s) (i32.load offset=8 (select (local.get $q)\n"
    "      (i32.add (local.get $p) (i32.const 0)) (local.get $d)))))\n"
    "  (func (export \"called\") (param $p i32) (param $d i32) (result i32) (local $s i32)\n"
    "    (local.set $s (i32.load offset=16 (local.get $p)))\n"
    "    (local.set $p (call $id (i32.add (local.get $p) (local.get $d))))\n"
    "    (i32.add (local.get $s) (i32.load offset=8 (local.get $p))))\n"
    /* two paths meet: only one checked */
    "  (func (export \"join\") (param $p i32) (param $d i32) (result i32) (local $s i32)\n"
    "    (if (local.get $d) (then (local.set $s (i32.load offset=16 (local.get $p)))))\n"
    "    (i32.add (local.get $s) (i32.load offset=8 (local.get $p))))\n"
    /* a loop: each pass a new address, the first access of a pass checks it */
    "  (func (export \"loop\") (param $p i32) (param $d i32) (result i32) (local $s i32)\n"
    "    (loop $l\n"
    "      (local.set $s (i32.add (local.get $s) (i32.load offset=8 (local.get $p))))\n"
    "      (local.set $s (i32.add (local.get $s) (i32.load offset=4 (local.get $p))))\n"
    "      (local.set $p (i32.add (local.get $p) (i32.const 4)))\n"
    "      (br_if $l (i32.gt_s (local.tee $d (i32.sub (local.get $d) (i32.const 1)))\n"
    "        (i32.const 0))))\n"
    "    (local.get $s))\n"
    /* stores: the second writes through a proven address, the third through a new one */
    "  (func (export \"stores\") (param $p i32) (param $d i32) (result i32)\n"
    "    (i64.store offset=8 (local.get $p) (i64.const 0x0102030405060708))\n"
    "    (i32.store offset=4 (local.get $p) (i32.const 0x11121314))\n"
    "    (local.set $p (i32.add (local.get $p) (local.get $d)))\n"
    "    (i32.store offset=4 (local.get $p) (i32.const 0x21222324))\n"
    "    (i32.load offset=4 (local.get $p)))\n"
    /* a store, then an access reaching further: the store is done before that one traps */
    "  (func (export \"storefirst\") (param $p i32) (param $d i32) (result i32)\n"
    "    (i32.store offset=4 (local.get $p) (i32.const 0x31323334))\n"
    "    (i32.load offset=12 (local.get $p)))\n"
    /* loads reaching further and further, with quiet ops between: each traps at its own op */
    "  (func (export \"widening\") (param $p i32) (param $d i32) (result i32) (local $s i32)\n"
    "    (local.set $s (i32.load8_u offset=1 (local.get $p)))\n"
    "    (local.set $s (i32.add (local.get $s) (i32.load16_u offset=6 (local.get $p))))\n"
    "    (local.set $d (i32.mul (local.get $d) (i32.const 3)))\n"
    "    (local.set $s (i32.xor (local.get $s) (i32.load offset=9 (local.get $p))))\n"
    "    (i32.add (local.get $s) (i32.load8_s offset=19 (local.get $p))))\n"
    /* between two loads, an op that may trap first: a division, a load through another slot */
    "  (func (export \"trapbetween\") (param $p i32) (param $d i32) (result i32) (local $s i32)\n"
    "    (local.set $s (i32.load8_u offset=1 (local.get $p)))\n"
    "    (local.set $s (i32.div_u (local.get $s) (local.get $d)))\n"
    "    (i32.add (local.get $s) (i32.load offset=12 (local.get $p))))\n"
    "  (func (export \"loadbetween\") (param $p i32) (param $d i32) (result i32) (local $s i32)\n"
    "    (local.set $s (i32.load8_u offset=1 (local.get $p)))\n"
    "    (local.set $s (i32.load (i32.add (local.get $d) (i32.const 65530))))\n"
    "    (i32.add (local.get $s) (i32.load offset=12 (local.get $p))))\n"
    /* constant addresses: inside the first page, at its end, past it (after a grow: in) */
    "  (func (export \"consts\") (param $p i32) (param $d i32) (result i32)\n"
    "    (i32.add (i32.load (i32.const 65532))\n"
    "      (if (result i32) (local.get $d)\n"
    "        (then (i32.load (i32.const 65533))) (else (i32.load (i32.const 65540))))))\n"
    "  (func (export \"grow\") (param $p i32) (param $d i32) (result i32)\n"
    "    (drop (memory.grow (local.get $d))) (i32.const 0))\n"
    ")\n";

static wt_test_group g = {.wat = module};

typedef struct outcome {
	int rc;
	wt_slot res;
	wt_trap trap;
	uint8_t edge[64]; /* the last 64 bytes of the first page after the call */
} outcome;

static void call(wt_test_inst *in, const char *name, uint32_t p, uint32_t d, outcome *o)
{
	wt_extern e;
	wt_slot a[2] = {p, d};
	memset(o, 0, sizeof *o);
	assert_int_equal(wt_instance_export(in->inst, name, strlen(name), &e), 0);
	o->rc = wt_call(in->s, e.u.func, a, &o->res, &o->trap);
	assert_int_equal(wt_instance_export(in->inst, "mem", 3, &e), 0);
	memcpy(o->edge, e.u.memory->data + 65536 - sizeof o->edge, sizeof o->edge);
}

static void assert_same(const outcome *j, const outcome *i, const char *what)
{
	if (j->rc != i->rc || (!j->rc && j->res != i->res) ||
	    (j->rc && (j->trap.kind != i->trap.kind || j->trap.func_index != i->trap.func_index ||
		       j->trap.code_offset != i->trap.code_offset)))
		fail_msg("%s: jit rc %d res %#llx trap %d in %u at %#x; interp rc %d res %#llx "
			 "trap %d in %u at %#x",
			 what, j->rc, (unsigned long long)j->res, j->trap.kind, j->trap.func_index,
			 j->trap.code_offset, i->rc, (unsigned long long)i->res, i->trap.kind,
			 i->trap.func_index, i->trap.code_offset);
	if (memcmp(j->edge, i->edge, sizeof j->edge) != 0)
		fail_msg("%s: the stores wrote different bytes on the two tiers", what);
}

static wt_jit_stats made; /* the compiled instance's */

/* The module compiled ([0]) and interpreted ([1]), for the calls of a test. */
static wt_test_inst tiers[2];

static void make_both(void)
{
	for (int t = 0; t < 2; t++)
		wt_test_inst_make(&tiers[t], g.bytes, g.size, t == 0, t == 0 ? &made : NULL);
}

static void end_both(void)
{
	for (int t = 0; t < 2; t++)
		wt_test_inst_end(&tiers[t]);
}

/* name(p, d) on both tiers, their memories zeroed first; 1 when it trapped. */
static int both(const char *name, uint32_t p, uint32_t d)
{
	outcome o[2];
	for (int t = 0; t < 2; t++) {
		wt_extern e;
		assert_int_equal(wt_instance_export(tiers[t].inst, "mem", 3, &e), 0);
		memset(e.u.memory->data, 0, e.u.memory->size);
		call(&tiers[t], name, p, d, &o[t]);
	}
	char what[80];
	snprintf(what, sizeof what, "%s(%u, %u)", name, p, d);
	assert_same(&o[0], &o[1], what);
	return o[0].rc != 0;
}

/* Every address near the end of the page, every distance that moves it across the end: the
 * tiers agree, and some of each function's calls trap (the edge was reached). */
static void at_the_edge(void **state)
{
	(void)state;
	make_both();
	static const char *const names[] = {
	    "same", "further", "set",	     "tee",	 "sel",		"seltmp",      "called",
	    "join", "stores",  "storefirst", "widening", "trapbetween", "loadbetween", "loop"};
	for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
		int traps = 0, runs = 0;
		for (uint32_t p = 65536 - 28; p <= 65536 - 8; p++)
			for (uint32_t d = 0; d <= 12; d += 3) {
				traps += both(names[k], p, d);
				runs++;
			}
		if (traps == 0 || traps == runs)
			fail_msg("%s: %d of %d calls trapped: the edge was not tried", names[k],
				 traps, runs);
	}
	/* a distance that wraps the address around 2^32 */
	assert_int_equal(both("set", 100, 0xfffffff0u), 0);
	assert_int_equal(both("set", 100, 0xffff0000u), 1);
	/* the translator did leave checks out (same, stores, tee's first pair, consts) */
	assert_true(made.unchecked > 0 && made.unchecked < made.accesses);
	end_both();
}

/* A constant address: inside the declared minimum it needs no check; past it, it is checked, and
 * reads as the interpreter reads once the memory has grown. */
static void constants(void **state)
{
	(void)state;
	make_both();
	assert_int_equal(both("consts", 0, 1), 1); /* 65533 + 4 > 65536 */
	assert_int_equal(both("consts", 0, 0), 1); /* 65540 */
	assert_int_equal(both("grow", 0, 1), 0);
	assert_int_equal(both("consts", 0, 1), 0);
	assert_int_equal(both("consts", 0, 0), 0);
	end_both();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(at_the_edge),
	    cmocka_unit_test(constants),
	};
	return wt_test_run_group("tests", tests, sizeof tests / sizeof *tests, &g);
}

#else

int main(void)
{
	printf("test_jit_bounds: skipped (built without the compiling tier)\n");
	return 0;
}

#endif
