/* test_jit_big.c: a context holding a big function compiles with the big function's options
 * (docs/engine.md, "The cost of a big function": the dominator pass instead of value numbering)
 * and the code behaves as the interpreter: a function of over 56 KB of body (memory loads and
 * stores, branches, a division, a loop) run on both tiers on inputs that return, trap out of
 * bounds in its middle and divide by zero gives the same results, traps (kind and offset) and
 * memory; a small function of the same shape compiles with the usual options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jit.h"
#include "wt_test_inst.h"
#include "wt_test_util.h"

#ifdef WT_HAVE_JIT

/* f(p, n, d): reps blocks of a load at p, a branch to a store or a sum, every 50th a division
 * by d; n times round a loop. sum(): a checksum of the memory's first 64 KiB. */
static char *module_text(int reps)
{
	wt_test_text b = {0};
	wt_test_put(
	    &b, "(module (memory 1)\n"
		" (func (export \"f\") (param $p i32) (param $n i32) (param $d i32) (result i32)\n"
		"  (local $a i32) (local $b i64)\n"
		"  (local.set $a (i32.xor (local.get $p) (i32.const 0x5bd1e995)))\n"
		"  (loop $l\n");
	for (int i = 0; i < reps; i++) {
		wt_test_put(
		    &b,
		    "   (local.set $a (i32.add (local.get $a) (i32.load offset=%d (local.get "
		    "$p))))\n"
		    "   (if (i32.and (local.get $a) (i32.const %d))\n"
		    "    (then (i32.store offset=%d (local.get $p) (i32.mul (local.get $a) "
		    "(i32.const %d))))\n"
		    "    (else (local.set $b (i64.add (local.get $b) (i64.extend_i32_u (local.get "
		    "$a))))))\n",
		    i * 8 % 60000, 1 << (i % 7), (i * 12 + 8) % 60000, 2 * i + 3);
		if (i % 50 == 49)
			wt_test_put(
			    &b, "   (local.set $a (i32.div_u (local.get $a) (local.get $d)))\n");
	}
	wt_test_put(&b,
		    "   (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))\n"
		    "  (i32.add (local.get $a) (i32.wrap_i64 (local.get $b))))\n"
		    " (func (export \"sum\") (result i32) (local $i i32) (local $s i32)\n"
		    "  (loop $l\n"
		    "   (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31))\n"
		    "    (i32.load (local.get $i))))\n"
		    "   (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4)))\n"
		    "    (i32.const 65536))))\n"
		    "  (local.get $s)))\n");
	return b.p;
}

/* Export name of in called with n arguments: rc, result and trap. */
static int call(wt_test_inst *in, const char *name, wt_slot *args, wt_slot *r, wt_trap *tr)
{
	wt_extern x;
	assert_int_equal(wt_instance_export(in->inst, name, strlen(name), &x), 0);
	memset(tr, 0, sizeof *tr);
	*r = 0;
	return wt_call(in->s, x.u.func, args, r, tr);
}

/* Both tiers on inputs that return, trap out of bounds at the start and in the middle, divide by
 * zero: the same rc, result, trap kind and offset, and memory (its checksum) after each. */
static void same_on_both(int reps, int want_big)
{
	wt_test_inst jit, interp;
	wt_jit_stats st = {0};
	char *text = module_text(reps);
	uint8_t *bytes;
	size_t size;
	if (wt_test_wat_bytes(text, "", &bytes, &size) != 0)
		fail_msg("wat2wasm refused the module");
	wt_test_inst_make(&jit, bytes, size, 1, &st);
	wt_test_inst_make(&interp, bytes, size, 0, NULL);
	assert_int_equal(st.big, want_big);
	assert_true((jit.m->funcs[jit.m->nfuncs - 2].body_size >= 56 * 1024) == want_big);
	static const wt_slot in[][3] = {
	    {0, 3, 7}, {1000, 2, 3}, {4096, 1, 1}, {65536 - 10000, 1, 5}, {70000, 1, 1}, {8, 1, 0}};
	int traps = 0;
	for (size_t k = 0; k < sizeof in / sizeof *in; k++) {
		wt_slot args[3] = {in[k][0], in[k][1], in[k][2]}, r[2], s[2];
		wt_trap tr[2], ts;
		int rc[2] = {call(&jit, "f", args, &r[0], &tr[0]),
			     call(&interp, "f", args, &r[1], &tr[1])};
		assert_int_equal(rc[0], rc[1]);
		if (rc[0] == 0) {
			assert_int_equal(r[0], r[1]);
		} else {
			traps++;
			assert_int_equal(tr[0].kind, tr[1].kind);
			assert_int_equal(tr[0].code_offset, tr[1].code_offset);
		}
		assert_int_equal(call(&jit, "sum", NULL, &s[0], &ts), 0);
		assert_int_equal(call(&interp, "sum", NULL, &s[1], &ts), 0);
		assert_int_equal(s[0], s[1]);
	}
	assert_int_equal(traps, want_big ? 3 : 2);
	wt_test_inst_end(&jit);
	wt_test_inst_end(&interp);
	free(bytes);
	free(text);
}

static void big_function(void **state)
{
	(void)state;
	same_on_both(1500, 1);
}

static void small_function(void **state)
{
	(void)state;
	same_on_both(200, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(small_function),
					   cmocka_unit_test(big_function)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#else

int main(void)
{
	return 0;
}

#endif
