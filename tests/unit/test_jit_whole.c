/* test_jit_whole.c: the `jit` tier's compile of a whole module in objects of bounded size
 * (core/jit/jit_whole.c): with a bound smaller than any function each function is an object of
 * its own, and calls between them (direct, mutual, through the table) give the interpreter's
 * results; only functions still interpreted are compiled, so an instance that loaded some code
 * gets the rest and one with all of it gets nothing; through the code cache, every object is a
 * piece as soon as it is made, and a later run compiles only what no piece holds (what an `auto`
 * run or a compile cut short left). Objects built by worker processes (jit_whole_procs.c) give the
 * same; a failing object stops them with the lowest failing object's error, what was built before
 * it loaded; and what no worker reported is built by the caller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache.h"
#include "jit.h"
#include "jit_whole.h"
#include "store.h"
#include "tmpdir.h"
#include "wt_test_cache.h"
#include "wt_test_inst.h"
#include "wt_test_util.h"

#ifdef WT_HAVE_JIT

/* Five defined functions: run calls even and odd (each calling the other), and sq through the
 * table. */
static const char *const module =
    "(module\n"
    "  (type $i (func (param i32) (result i32)))\n"
    "  (table 1 funcref)\n"
    "  (elem (i32.const 0) $sq)\n"
    "  (func $run (export \"run\") (param $n i32) (result i32)\n"
    "    (i32.add (i32.mul (call $even (local.get $n)) (i32.const 1000))\n"
    "      (i32.add (call $odd (local.get $n))\n"
    "        (call_indirect (type $i) (local.get $n) (i32.const 0)))))\n"
    "  (func $even (param $n i32) (result i32)\n"
    "    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 1))\n"
    "      (else (call $odd (i32.sub (local.get $n) (i32.const 1))))))\n"
    "  (func $odd (param $n i32) (result i32)\n"
    "    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))\n"
    "      (else (call $even (i32.sub (local.get $n) (i32.const 1))))))\n"
    "  (func $sq (param $n i32) (result i32) (i32.mul (local.get $n) (local.get $n)))\n"
    "  (func $unused (param $n i32) (result i32) (i32.add (local.get $n) (i32.const 1))))\n";

enum { FUNCS = 5 };

static wt_test_group g = {.wat = module};

/* run(n) in in (finished here). */
static wt_slot run(wt_test_inst *in, uint32_t n)
{
	wt_extern e;
	wt_slot a = n, r = 0;
	wt_trap trap;
	wt_test_inst_finish(in);
	assert_int_equal(wt_instance_export(in->inst, "run", 3, &e), 0);
	assert_int_equal(wt_call(in->s, e.u.func, &a, &r, &trap), 0);
	return r;
}

/* run(n) on the interpreter. */
static wt_slot interpreted(uint32_t n)
{
	wt_test_inst in;
	wt_test_inst_begin(&in, g.bytes, g.size, NULL, NULL);
	wt_slot r = run(&in, n);
	wt_test_inst_end(&in);
	return r;
}

static uint32_t compiled_count(wt_test_inst *in)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < in->m->nfuncs; i++)
		n += in->inst->funcs[i]->jit != NULL;
	return n;
}

static void count_keep(void *ctx, const char *so)
{
	assert_int_equal(access(so, R_OK), 0);
	++*(uint32_t *)ctx;
}

static void compile_rest(wt_test_inst *in, uint64_t object_bytes, uint32_t *kept, wt_jit_stats *st)
{
	wt_error err;
	wt_error_init(&err);
	if (wt_jit_compile_rest(in->inst, NULL, object_bytes, count_keep, kept, &in->jit, st,
				&err) != 0)
		fail_msg("compile: %s", err.msg);
}

static void test_each_function_an_object_when_the_bound_is_small(void **state)
{
	(void)state;
	wt_test_inst in;
	wt_jit_stats st;
	uint32_t kept = 0;
	wt_test_inst_begin(&in, g.bytes, g.size, NULL, NULL);
	compile_rest(&in, 1, &kept, &st);
	assert_int_equal(st.funcs, FUNCS);
	assert_int_equal(st.compiled, FUNCS);
	assert_int_equal(st.objects, FUNCS);
	assert_int_equal(kept, FUNCS);
	assert_int_equal(compiled_count(&in), FUNCS);
	assert_int_equal(run(&in, 7), interpreted(7));
	assert_int_equal(run(&in, 10), interpreted(10));
	wt_test_inst_end(&in);
}

static void test_a_small_module_is_one_object(void **state)
{
	(void)state;
	wt_test_inst in;
	wt_jit_stats st;
	uint32_t kept = 0;
	wt_test_inst_begin(&in, g.bytes, g.size, NULL, NULL);
	compile_rest(&in, 0, &kept, &st);
	assert_int_equal(st.objects, 1);
	assert_int_equal(kept, 1);
	assert_int_equal(st.compiled, FUNCS);
	assert_int_equal(run(&in, 9), interpreted(9));
	wt_test_inst_end(&in);
}

/* An object of funcs[0..n) built and loaded into in. */
static void load_some(wt_test_inst *in, const uint32_t *funcs, uint32_t n, const char *so)
{
	wt_error err;
	wt_error_init(&err);
	if (wt_jit_build(in->inst, NULL, funcs, n, so, NULL, &err) != 0 ||
	    wt_jit_load(in->inst, NULL, so, &in->jit, &err) != 0)
		fail_msg("build: %s", err.msg);
}

static void test_only_what_is_still_interpreted(void **state)
{
	(void)state;
	char dir[256], so[300];
	wt_test_inst in;
	wt_jit_stats st;
	uint32_t kept = 0, some[] = {1, 3};
	wt_test_scratch(dir, sizeof dir, "jit_whole_rest");
	snprintf(so, sizeof so, "%s/some.so", dir);
	wt_test_inst_begin(&in, g.bytes, g.size, NULL, NULL);
	load_some(&in, some, 2, so);
	compile_rest(&in, 0, &kept, &st);
	assert_int_equal(st.compiled, FUNCS - 2);
	assert_int_equal(st.objects, 1);
	assert_int_equal(compiled_count(&in), FUNCS);
	/* all of it compiled: nothing more */
	compile_rest(&in, 0, &kept, &st);
	assert_int_equal(st.compiled, 0);
	assert_int_equal(st.objects, 0);
	assert_int_equal(kept, 1);
	assert_int_equal(run(&in, 8), interpreted(8));
	wt_test_inst_end(&in);
}

/* wt_jit_cache_compile on a fresh instance of the module; its stats. */
static wt_jit_stats through_cache(wt_jit_cache *c, uint32_t n, wt_slot *result)
{
	wt_test_inst in;
	wt_jit_stats st;
	wt_error err;
	wt_error_init(&err);
	wt_test_inst_begin(&in, g.bytes, g.size, NULL, NULL);
	if (wt_jit_cache_compile(c, in.inst, &in.jit, &st, &err) != 0)
		fail_msg("compile: %s", err.msg);
	assert_int_equal(compiled_count(&in), FUNCS);
	*result = run(&in, n);
	wt_test_inst_end(&in);
	return st;
}

static void test_the_cache_gets_the_rest(void **state)
{
	(void)state;
	char dir[256], so[300];
	uint8_t sha[32], buf[32];
	wt_test_inst in;
	wt_jit_cache *c;
	wt_error err;
	wt_slot r;
	uint32_t some[] = {0, 2};
	wt_error_init(&err);
	wt_test_scratch(dir, sizeof dir, "jit_whole_cache");
	wt_test_cache_home(dir);
	snprintf(so, sizeof so, "%s/some.so", dir);
	assert_int_equal(wt_jit_cache_open(NULL, "O1", &c, &err), 0);
	/* a piece of two functions, as an `auto` run (or a compile cut short) leaves */
	wt_test_inst_begin(&in, g.bytes, g.size, NULL, NULL);
	load_some(&in, some, 2, so);
	memcpy(sha, wt_module_sha256(in.m, buf), sizeof sha);
	assert_int_equal(wt_jit_cache_put(c, sha, so, &err), 0);
	wt_test_inst_end(&in);
	wt_jit_stats st = through_cache(c, 6, &r);
	assert_int_equal(st.compiled, FUNCS - 2);
	assert_int_equal(r, interpreted(6));
	assert_int_equal(wt_test_cache_count(c, sha), 2);
	/* every function in a piece: nothing compiled, nothing added */
	st = through_cache(c, 5, &r);
	assert_int_equal(st.compiled, 0);
	assert_int_equal(r, interpreted(5));
	assert_int_equal(wt_test_cache_count(c, sha), 2);
	wt_jit_cache_close(c);
}

/* CPU seconds this process spent itself (its children not counted). */
static double self_cpu(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec * 1e-6 +
	       (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec * 1e-6;
}

/* compile_rest of every function as an object of its own with WT_JIT_PROCS=procs: the objects
 * and the results as in one process; the CPU the caller spent itself. */
static double compile_with_procs(const char *procs)
{
	wt_test_inst in;
	wt_jit_stats st;
	uint32_t kept = 0;
	setenv("WT_JIT_PROCS", procs, 1);
	wt_test_inst_begin(&in, g.bytes, g.size, NULL, NULL);
	double t0 = self_cpu();
	compile_rest(&in, 1, &kept, &st);
	double spent = self_cpu() - t0;
	unsetenv("WT_JIT_PROCS");
	assert_int_equal(st.compiled, FUNCS);
	assert_int_equal(st.objects, FUNCS);
	assert_int_equal(kept, FUNCS);
	assert_int_equal(compiled_count(&in), FUNCS);
	assert_int_equal(run(&in, 7), interpreted(7));
	assert_int_equal(run(&in, 12), interpreted(12));
	wt_test_inst_end(&in);
	return spent;
}

/* One process, two workers, one per object and more workers than objects (capped): the same
 * objects and results; with workers the caller only loads (GCC's time is theirs). */
static void test_workers_build_the_objects(void **state)
{
	(void)state;
	double here = compile_with_procs("1");
	double two = compile_with_procs("2");
	compile_with_procs("5");
	compile_with_procs("9");
	assert_true(two < here / 2);
}

/* A plan of one object per function of funcs[0..FUNCS) in a fresh private folder, on a fresh
 * instance. */
typedef struct planned {
	wt_test_inst in;
	uint32_t ends[FUNCS];
	char dir[256];
	wt_jit_stats sum;
	wt_error err;
	wt_jit_plan p;
} planned;

static void plan_begin(planned *t, const uint32_t *funcs)
{
	*t = (planned){0};
	wt_error_init(&t->err);
	wt_test_inst_begin(&t->in, g.bytes, g.size, NULL, NULL);
	if (wt_tmpdir_new(t->dir, sizeof t->dir, &t->err) != 0)
		fail_msg("%s", t->err.msg);
	for (uint32_t k = 0; k < FUNCS; k++)
		t->ends[k] = k + 1;
	t->p = (wt_jit_plan){.inst = t->in.inst,
			     .funcs = funcs,
			     .ends = t->ends,
			     .nobj = FUNCS,
			     .dir = t->dir,
			     .out = &t->in.jit,
			     .sum = &t->sum};
}

/* Every object file was removed (the folder is empty); the instance goes. */
static void plan_end(planned *t)
{
	assert_int_equal(rmdir(t->dir), 0);
	wt_test_inst_end(&t->in);
}

/* Objects 2 and 4 name functions the module does not have: the workers stop, the error is
 * object 2's, and objects 0 and 1 (built before it) are loaded. */
static void test_a_failing_object_stops_the_workers(void **state)
{
	(void)state;
	const uint32_t funcs[FUNCS] = {0, 1, FUNCS + 7, 2, FUNCS + 9};
	planned t;
	plan_begin(&t, funcs);
	assert_int_equal(wt_jit_plan_run_procs(&t.p, 2, &t.err), WT_USAGE);
	assert_non_null(strstr(t.err.msg, "function 12 is not"));
	assert_non_null(t.in.inst->funcs[0]->jit);
	assert_non_null(t.in.inst->funcs[1]->jit);
	assert_null(t.in.inst->funcs[4]->jit);
	assert_true(t.sum.objects >= 2 && t.sum.objects <= 3);
	plan_end(&t);
}

/* The caller builds what no worker reported (one died, or none started): only those. */
static void test_what_no_worker_reported_is_built_here(void **state)
{
	(void)state;
	const uint32_t funcs[FUNCS] = {0, 1, 2, 3, 4};
	const uint8_t taken[FUNCS] = {1, 0, 1, 0, 0};
	planned t;
	plan_begin(&t, funcs);
	assert_int_equal(wt_jit_plan_build_left(&t.p, taken, &t.err), 0);
	assert_int_equal(t.sum.objects, 3);
	for (uint32_t i = 0; i < FUNCS; i++)
		assert_int_equal(t.in.inst->funcs[i]->jit != NULL, !taken[i]);
	plan_end(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_each_function_an_object_when_the_bound_is_small),
	    cmocka_unit_test(test_a_small_module_is_one_object),
	    cmocka_unit_test(test_only_what_is_still_interpreted),
	    cmocka_unit_test(test_the_cache_gets_the_rest),
	    cmocka_unit_test(test_workers_build_the_objects),
	    cmocka_unit_test(test_a_failing_object_stops_the_workers),
	    cmocka_unit_test(test_what_no_worker_reported_is_built_here),
	};
	return wt_test_run_group("tests", tests, sizeof tests / sizeof *tests, &g);
}

#else

int main(void)
{
	return 0;
}

#endif
