/* test_vm.c: the compiler and the interpreter (compile*.c, vm.c, call.c), through small WAT
 * modules. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#pragma GCC diagnostic ignored "-Wmissing-field-initializers" /* case tables omit .trap */

#include "code.h"
#include "jit.h"
#include "store.h"
#include "wt_test_util.h"

/* The tier every module of these tests runs on: the interpreter, or with
 * WT_TEST_TIER=jit the compiling tier (the unit_test_vm_jit test). */
static int tier_jit;

/* ---- loading WAT (wat2wasm at test time) ---- */

typedef struct loaded {
	uint8_t *bytes;
	size_t size;
	wt_module *m;
	wt_store *s;
	wt_instance *inst;
	wt_jit *jit;
} loaded;

/* Host imports for the tests: env.reenter calls the export "inner" of
 * the calling instance with its argument (a nested wt_call); env.stop
 * stops the run. */
static int host_reenter(wt_host_call *call, const wt_slot *args, wt_slot *results)
{
	wt_extern e;
	wt_trap trap;
	wt_slot arg = args[0];
	if (wt_instance_export(call->caller, "inner", 5, &e) != 0)
		return -1;
	if (wt_call(call->store, e.u.func, &arg, results, &trap) != 0) {
		*call->trap = trap;
		return 1;
	}
	return 0;
}

static int host_stop(wt_host_call *call, const wt_slot *args, wt_slot *results)
{
	call->trap->kind = WT_TRAP_HOST;
	snprintf(call->trap->msg, sizeof call->trap->msg, "stopped at %u", (unsigned)args[0]);
	return 1;
}

static int resolve(void *ctx, const wt_module *m, const wt_import *imp, wt_extern *out,
		   wt_error *err)
{
	wt_store *s = ctx;
	wt_host_fn fn = !strcmp(imp->name, "reenter") ? host_reenter
			: !strcmp(imp->name, "stop")  ? host_stop
						      : NULL;
	if (imp->kind != WT_EXTERN_FUNC || !fn)
		return wt_fail_plain(err, WT_UNLINKABLE, "unknown import");
	out->kind = WT_EXTERN_FUNC;
	out->u.func = wt_func_new_host(s, &m->types[imp->desc.type_index], fn, NULL);
	return out->u.func ? 0 : WT_NOMEM;
}

static void load(loaded *l, const char *text, const wt_store_limits *limits)
{
	wt_error err;
	wt_trap trap;
	memset(l, 0, sizeof *l);
	if (wt_test_wat_bytes(text, "--debug-names", &l->bytes, &l->size) != 0)
		fail_msg("wat2wasm failed on:\n%s", text);
	wt_error_init(&err);
	assert_int_equal(wt_decode(l->bytes, l->size, &l->m, &err), 0);
	if (wt_validate(l->m, &err) != 0)
		fail_msg("%s", err.msg);
	l->s = wt_store_new(limits);
	assert_non_null(l->s);
	if (!tier_jit) {
		if (wt_instantiate(l->s, l->m, resolve, l->s, &l->inst, &trap, &err) != 0)
			fail_msg("instantiate: %s", err.msg);
		return;
	}
	if (wt_instantiate_begin(l->s, l->m, resolve, l->s, &l->inst, &err) != 0)
		fail_msg("instantiate: %s", err.msg);
	if (wt_jit_compile_instance(l->inst, &l->jit, NULL, &err) != 0)
		fail_msg("compiling tier: %s", err.msg);
	if (wt_instantiate_finish(l->inst, &trap, &err) != 0)
		fail_msg("instantiate: %s", err.msg);
}

static void unload(loaded *l)
{
	wt_store_free(l->s);
	wt_jit_free(l->jit);
	wt_module_free(l->m);
	free(l->bytes);
}

/* Calls export `name`; returns wt_call's result. */
static int invoke(loaded *l, const char *name, const wt_slot *args, wt_slot *results, wt_trap *trap)
{
	wt_extern e;
	assert_int_equal(wt_instance_export(l->inst, name, strlen(name), &e), 0);
	assert_int_equal(e.kind, WT_EXTERN_FUNC);
	return wt_call(l->s, e.u.func, args, results, trap);
}

static wt_slot f32b(float f)
{
	uint32_t b;
	memcpy(&b, &f, 4);
	return b;
}

static wt_slot f64b(double d)
{
	uint64_t b;
	memcpy(&b, &d, 8);
	return b;
}

/* ---- table-driven cases: one module per family, calls with results or traps ---- */

typedef struct vcase {
	const char *func;
	wt_slot args[3];
	wt_slot want; /* the first result, when trap == WT_TRAP_NONE */
	wt_trap_kind trap;
} vcase;

static void run_cases(const char *wat, const vcase *cases, size_t n)
{
	loaded l;
	load(&l, wat, NULL);
	for (size_t i = 0; i < n; i++) {
		wt_slot res[4] = {0};
		wt_trap trap;
		int rc = invoke(&l, cases[i].func, cases[i].args, res, &trap);
		if (cases[i].trap != WT_TRAP_NONE) {
			if (rc == 0)
				fail_msg("case %zu (%s): no trap", i, cases[i].func);
			if (trap.kind != cases[i].trap)
				fail_msg("case %zu (%s): trap %s, want %s", i, cases[i].func,
					 wt_trap_message(trap.kind),
					 wt_trap_message(cases[i].trap));
		} else {
			if (rc != 0)
				fail_msg("case %zu (%s): trapped: %s", i, cases[i].func,
					 wt_trap_message(trap.kind));
			if (res[0] != cases[i].want)
				fail_msg("case %zu (%s): got 0x%llx, want 0x%llx", i, cases[i].func,
					 (unsigned long long)res[0],
					 (unsigned long long)cases[i].want);
		}
	}
	unload(&l);
}

static const char int_wat[] =
    "(module\n"
    " (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)\n"
    " (func (export \"addk\") (param i32) (result i32) local.get 0 i32.const -5 i32.add)\n"
    " (func (export \"div_s\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)\n"
    " (func (export \"div_u\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_u)\n"
    " (func (export \"rem_s\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.rem_s)\n"
    " (func (export \"divk\") (param i32) (result i32) local.get 0 i32.const 0 i32.div_u)\n"
    " (func (export \"shl\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.shl)\n"
    " (func (export \"shr_s\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.shr_s)\n"
    " (func (export \"rotl\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.rotl)\n"
    " (func (export \"rotr\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.rotr)\n"
    " (func (export \"clz\") (param i32) (result i32) local.get 0 i32.clz)\n"
    " (func (export \"ctz\") (param i32) (result i32) local.get 0 i32.ctz)\n"
    " (func (export \"popcnt\") (param i32) (result i32) local.get 0 i32.popcnt)\n"
    " (func (export \"ext8\") (param i32) (result i32) local.get 0 i32.extend8_s)\n"
    " (func (export \"lt_s\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.lt_s)\n"
    " (func (export \"ge_uk\") (param i32) (result i32) local.get 0 i32.const 10 i32.ge_u)\n"
    " (func (export \"i64div\") (param i64 i64) (result i64) local.get 0 local.get 1 i64.div_s)\n"
    " (func (export \"i64rem\") (param i64 i64) (result i64) local.get 0 local.get 1 i64.rem_s)\n"
    " (func (export \"i64mulk\") (param i64) (result i64) local.get 0 i64.const 0x100000000 "
    "i64.mul)\n"
    " (func (export \"i64rotl\") (param i64 i64) (result i64) local.get 0 local.get 1 "
    "i64.rotl)\n"
    " (func (export \"i64clz\") (param i64) (result i64) local.get 0 i64.clz)\n"
    " (func (export \"i64ext32\") (param i64) (result i64) local.get 0 i64.extend32_s)\n"
    " (func (export \"wrap\") (param i64) (result i32) local.get 0 i32.wrap_i64)\n"
    " (func (export \"extu\") (param i32) (result i64) local.get 0 i64.extend_i32_u)\n"
    " (func (export \"exts\") (param i32) (result i64) local.get 0 i64.extend_i32_s)\n"
    " (func (export \"eqz64\") (param i64) (result i32) local.get 0 i64.eqz)\n"
    ")\n";

static void test_vm_integer_ops(void **state)
{
	static const vcase cases[] = {
	    {"add", {0xFFFFFFFF, 2}, 1},
	    {"addk", {3}, 0xFFFFFFFE},
	    {"div_s", {(uint32_t)-7, 2}, (uint32_t)-3},
	    {"div_s", {1, 0}, 0, WT_TRAP_DIV_ZERO},
	    {"div_s", {0x80000000, 0xFFFFFFFF}, 0, WT_TRAP_INT_OVERFLOW},
	    {"div_u", {0xFFFFFFFF, 2}, 0x7FFFFFFF},
	    {"rem_s", {0x80000000, 0xFFFFFFFF}, 0},
	    {"rem_s", {(uint32_t)-7, 2}, (uint32_t)-1},
	    {"rem_s", {7, 0}, 0, WT_TRAP_DIV_ZERO},
	    {"divk", {7}, 0, WT_TRAP_DIV_ZERO},
	    {"shl", {1, 33}, 2},
	    {"shr_s", {0x80000000, 31}, 0xFFFFFFFF},
	    {"rotl", {0x80000001, 1}, 3},
	    {"rotr", {1, 33}, 0x80000000},
	    {"clz", {0}, 32},
	    {"clz", {1}, 31},
	    {"ctz", {0}, 32},
	    {"ctz", {0x80}, 7},
	    {"popcnt", {0xF0F0}, 8},
	    {"ext8", {0x80}, 0xFFFFFF80},
	    {"lt_s", {0xFFFFFFFF, 0}, 1},
	    {"ge_uk", {10}, 1},
	    {"ge_uk", {9}, 0},
	    {"i64div", {0x8000000000000000ull, UINT64_MAX}, 0, WT_TRAP_INT_OVERFLOW},
	    {"i64div", {(uint64_t)-9, 2}, (uint64_t)-4},
	    {"i64rem", {0x8000000000000000ull, UINT64_MAX}, 0},
	    {"i64mulk", {3}, 0x300000000ull},
	    {"i64rotl", {0x8000000000000000ull, 65}, 1},
	    {"i64clz", {1}, 63},
	    {"i64ext32", {0x80000000}, 0xFFFFFFFF80000000ull},
	    {"wrap", {0x123456789ull}, 0x23456789},
	    {"extu", {0xFFFFFFFF}, 0xFFFFFFFF},
	    {"exts", {0xFFFFFFFF}, UINT64_MAX},
	    {"eqz64", {0x100000000ull}, 0},
	};
	run_cases(int_wat, cases, sizeof cases / sizeof cases[0]);
}

static const char float_wat[] =
    "(module\n"
    " (func (export \"min32\") (param f32 f32) (result f32) local.get 0 local.get 1 f32.min)\n"
    " (func (export \"max32\") (param f32 f32) (result f32) local.get 0 local.get 1 f32.max)\n"
    " (func (export \"min64\") (param f64 f64) (result f64) local.get 0 local.get 1 f64.min)\n"
    " (func (export \"near32\") (param f32) (result f32) local.get 0 f32.nearest)\n"
    " (func (export \"near64\") (param f64) (result f64) local.get 0 f64.nearest)\n"
    " (func (export \"neg64\") (param f64) (result f64) local.get 0 f64.neg)\n"
    " (func (export \"abs32\") (param f32) (result f32) local.get 0 f32.abs)\n"
    " (func (export \"copysign\") (param f64 f64) (result f64) local.get 0 local.get 1 "
    "f64.copysign)\n"
    " (func (export \"sqrt\") (param f64) (result f64) local.get 0 f64.sqrt)\n"
    " (func (export \"addk\") (param f64) (result f64) local.get 0 f64.const 0.5 f64.add)\n"
    " (func (export \"trunc_s\") (param f32) (result i32) local.get 0 i32.trunc_f32_s)\n"
    " (func (export \"trunc_u64\") (param f64) (result i64) local.get 0 i64.trunc_f64_u)\n"
    " (func (export \"sat_s\") (param f64) (result i32) local.get 0 i32.trunc_sat_f64_s)\n"
    " (func (export \"sat_u64\") (param f32) (result i64) local.get 0 i64.trunc_sat_f32_u)\n"
    " (func (export \"conv_u\") (param i64) (result f64) local.get 0 f64.convert_i64_u)\n"
    " (func (export \"demote\") (param f64) (result f32) local.get 0 f32.demote_f64)\n"
    " (func (export \"reinterp\") (param f32) (result i32) local.get 0 i32.reinterpret_f32)\n"
    " (func (export \"lt64\") (param f64 f64) (result i32) local.get 0 local.get 1 f64.lt)\n"
    ")\n";

static void test_vm_float_ops(void **state)
{
	const vcase cases[] = {
	    {"min32", {f32b(0.0f), f32b(-0.0f)}, f32b(-0.0f)},
	    {"max32", {f32b(-0.0f), f32b(0.0f)}, f32b(0.0f)},
	    {"min32", {f32b(1.0f), f32b(NAN)}, f32b(NAN)},
	    {"min64", {f64b(-1.0), f64b(2.0)}, f64b(-1.0)},
	    {"near32", {f32b(2.5f)}, f32b(2.0f)},
	    {"near32", {f32b(3.5f)}, f32b(4.0f)},
	    {"near64", {f64b(-0.5)}, f64b(-0.0)},
	    {"neg64", {f64b(0.0)}, f64b(-0.0)},
	    {"abs32", {0xFFC00001}, 0x7FC00001},
	    {"copysign", {f64b(2.0), f64b(-0.0)}, f64b(-2.0)},
	    {"sqrt", {f64b(9.0)}, f64b(3.0)},
	    {"addk", {f64b(1.0)}, f64b(1.5)},
	    {"trunc_s", {f32b(-2.9f)}, (uint32_t)-2},
	    {"trunc_s", {f32b(NAN)}, 0, WT_TRAP_INVALID_CONVERSION},
	    {"trunc_s", {f32b(2147483648.0f)}, 0, WT_TRAP_INT_OVERFLOW},
	    {"trunc_s", {f32b(-2147483648.0f)}, 0x80000000},
	    {"trunc_u64", {f64b(-0.9)}, 0},
	    {"trunc_u64", {f64b(-1.0)}, 0, WT_TRAP_INT_OVERFLOW},
	    {"trunc_u64", {f64b(18446744073709549568.0)}, 18446744073709549568ull},
	    {"sat_s", {f64b(1e10)}, 0x7FFFFFFF},
	    {"sat_s", {f64b(-1e10)}, 0x80000000},
	    {"sat_s", {f64b(NAN)}, 0},
	    {"sat_u64", {f32b(-5.0f)}, 0},
	    {"sat_u64", {f32b(1e30f)}, UINT64_MAX},
	    {"conv_u", {UINT64_MAX}, f64b(18446744073709551616.0)},
	    {"demote", {f64b(0.1)}, f32b(0.1f)},
	    {"reinterp", {f32b(-1.0f)}, 0xBF800000},
	    {"lt64", {f64b(NAN), f64b(1.0)}, 0},
	};
	run_cases(float_wat, cases, sizeof cases / sizeof cases[0]);
}

static const char memory_wat[] =
    "(module\n"
    " (memory 1 3)\n"
    " (data $d \"\\01\\02\\03\\04\")\n"
    " (func (export \"store_load\") (param i32 i32) (result i32)\n"
    "   local.get 0 local.get 1 i32.store offset=4 local.get 0 i32.load offset=4)\n"
    " (func (export \"load8_s\") (param i32) (result i32) local.get 0 i32.load8_s)\n"
    " (func (export \"load16_u\") (param i32) (result i32) local.get 0 i32.load16_u)\n"
    " (func (export \"load64\") (param i32) (result i64) local.get 0 i64.load)\n"
    " (func (export \"store8\") (param i32 i32) local.get 0 local.get 1 i32.store8)\n"
    " (func (export \"size\") (result i32) memory.size)\n"
    " (func (export \"grow\") (param i32) (result i32) local.get 0 memory.grow)\n"
    " (func (export \"grow_store\") (param i32) (result i32)\n"
    "   i32.const 1 memory.grow drop\n"
    "   local.get 0 i32.const 77 i32.store local.get 0 i32.load)\n"
    " (func (export \"fill\") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 "
    "memory.fill)\n"
    " (func (export \"copy\") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 "
    "memory.copy)\n"
    " (func (export \"init\") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 "
    "memory.init $d)\n"
    " (func (export \"drop\") data.drop $d)\n"
    ")\n";

static void test_vm_memory_ops(void **state)
{
	static const vcase cases[] = {
	    {"store_load", {8, 0xDEADBEEF}, 0xDEADBEEF},
	    {"store_load", {65532, 1}, 0, WT_TRAP_MEMORY_OOB},
	    {"store_load", {65528, 5}, 5},
	    {"store8", {65535, 0x80}, 0},
	    {"load8_s", {65535}, 0xFFFFFF80},
	    {"load8_s", {65536}, 0, WT_TRAP_MEMORY_OOB},
	    {"load16_u", {65534}, 0x8000},
	    {"load16_u", {65535}, 0, WT_TRAP_MEMORY_OOB},
	    {"load64", {0xFFFFFFFF}, 0, WT_TRAP_MEMORY_OOB},
	    {"size", {0}, 1},
	    {"fill", {100, 0x1AB, 4}, 0},
	    {"load8_s", {103}, 0xFFFFFFAB},
	    {"load8_s", {104}, 0},
	    {"fill", {65536, 0, 0}, 0},
	    {"fill", {65536, 0, 1}, 0, WT_TRAP_MEMORY_OOB},
	    {"copy", {200, 100, 4}, 0},
	    {"load8_s", {203}, 0xFFFFFFAB},
	    {"copy", {101, 100, 4}, 0},
	    {"load16_u", {104}, 0xAB},
	    {"copy", {0, 65535, 2}, 0, WT_TRAP_MEMORY_OOB},
	    {"init", {300, 1, 3}, 0},
	    {"load16_u", {300}, 0x0302},
	    {"init", {300, 2, 3}, 0, WT_TRAP_MEMORY_OOB},
	    {"init", {65536, 4, 0}, 0},
	    {"drop", {0}, 0},
	    {"init", {300, 0, 1}, 0, WT_TRAP_MEMORY_OOB},
	    {"init", {300, 0, 0}, 0},
	    {"grow", {1}, 1},
	    {"size", {0}, 2},
	    {"grow_store", {3 * 65536 - 4}, 77},
	    {"grow", {1}, 0xFFFFFFFF},
	    {"store_load", {3 * 65536 - 8}, 0},
	};
	run_cases(memory_wat, cases, sizeof cases / sizeof cases[0]);
}

static const char table_wat[] =
    "(module\n"
    " (type $ii (func (param i32) (result i32)))\n (type $v (func))\n"
    " (table $t 4 8 funcref)\n"
    " (elem $e (table $t) (i32.const 0) func $inc $dbl)\n"
    " (elem $p func $dbl $inc)\n (elem declare func $none)\n"
    " (func $inc (param i32) (result i32) local.get 0 i32.const 1 i32.add)\n"
    " (func $dbl (param i32) (result i32) local.get 0 i32.const 2 i32.mul)\n"
    " (func $none)\n"
    " (func (export \"ind\") (param i32 i32) (result i32)\n"
    "   local.get 1 local.get 0 call_indirect (type $ii))\n"
    " (func (export \"ind_wrong\") (param i32) local.get 0 call_indirect (type $v))\n"
    " (func (export \"size\") (result i32) table.size $t)\n"
    " (func (export \"grow\") (param i32) (result i32) ref.func $none local.get 0 table.grow "
    "$t)\n"
    " (func (export \"is_null\") (param i32) (result i32) local.get 0 table.get $t "
    "ref.is_null)\n"
    " (func (export \"set_null\") (param i32) local.get 0 ref.null func table.set $t)\n"
    " (func (export \"fill\") (param i32 i32) local.get 0 ref.func $inc local.get 1 "
    "table.fill $t)\n"
    " (func (export \"copy\") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 "
    "table.copy $t $t)\n"
    " (func (export \"init\") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 "
    "table.init $t $p)\n"
    " (func (export \"drop\") elem.drop $p)\n"
    ")\n";

static void test_vm_table_ops(void **state)
{
	static const vcase cases[] = {
	    {"ind", {0, 5}, 6},
	    {"ind", {1, 5}, 10},
	    {"ind", {2, 5}, 0, WT_TRAP_UNINITIALIZED_ELEMENT},
	    {"ind", {4, 5}, 0, WT_TRAP_UNDEFINED_ELEMENT},
	    {"ind_wrong", {0}, 0, WT_TRAP_INDIRECT_TYPE},
	    {"is_null", {0}, 0},
	    {"is_null", {3}, 1},
	    {"is_null", {4}, 0, WT_TRAP_TABLE_OOB},
	    {"set_null", {0}, 0},
	    {"ind", {0, 5}, 0, WT_TRAP_UNINITIALIZED_ELEMENT},
	    {"set_null", {4}, 0, WT_TRAP_TABLE_OOB},
	    {"fill", {2, 2}, 0},
	    {"ind", {3, 5}, 6},
	    {"fill", {4, 0}, 0},
	    {"fill", {3, 2}, 0, WT_TRAP_TABLE_OOB},
	    {"copy", {0, 1, 1}, 0},
	    {"ind", {0, 5}, 10},
	    {"copy", {3, 0, 2}, 0, WT_TRAP_TABLE_OOB},
	    {"init", {2, 0, 2}, 0},
	    {"ind", {2, 5}, 10},
	    {"ind", {3, 5}, 6},
	    {"init", {0, 1, 2}, 0, WT_TRAP_TABLE_OOB},
	    {"drop", {0}, 0},
	    {"init", {0, 0, 1}, 0, WT_TRAP_TABLE_OOB},
	    {"init", {4, 0, 0}, 0},
	    {"grow", {2}, 4},
	    {"size", {0}, 6},
	    {"grow", {3}, 0xFFFFFFFF},
	    {"ind_wrong", {5}, 0},
	};
	run_cases(table_wat, cases, sizeof cases / sizeof cases[0]);
}

static const char control_wat[] =
    "(module\n"
    " (global $g (mut i32) (i32.const 10))\n"
    " (func (export \"sum\") (param i32) (result i32) (local i32)\n"
    "   block loop local.get 0 i32.eqz br_if 1\n"
    "     local.get 1 local.get 0 i32.add local.set 1\n"
    "     local.get 0 i32.const 1 i32.sub local.set 0 br 0 end end local.get 1)\n"
    " (func (export \"table\") (param i32) (result i32)\n"
    "   block (result i32) block (result i32) block (result i32)\n"
    "   i32.const 100 local.get 0 br_table 0 1 2 end i32.const 1 i32.add end\n"
    "   i32.const 2 i32.add end)\n"
    " (func (export \"multi\") (param i32) (result i32)\n"
    "   local.get 0 i32.const 3 block (param i32 i32) (result i32 i32) br 0 end i32.sub)\n"
    " (func $pair (param i32 i32) (result i32 i32) local.get 1 local.get 0)\n"
    " (func (export \"swap\") (param i32 i32) (result i32)\n"
    "   local.get 0 local.get 1 call $pair i32.sub)\n"
    " (func (export \"sel\") (param i32) (result i32) i32.const 7 i32.const 9 local.get 0 "
    "select)\n"
    " (func (export \"ifelse\") (param i32) (result i32)\n"
    "   local.get 0 i32.const 5 i32.lt_s if (result i32) i32.const 1 else i32.const 2 end)\n"
    " (func (export \"glob\") (param i32) (result i32)\n"
    "   global.get $g local.get 0 i32.add global.set $g global.get $g)\n"
    " (func (export \"tee\") (param i32) (result i32) (local i32)\n"
    "   local.get 0 local.get 0 i32.const 1 i32.add local.tee 0 local.get 0 i32.mul i32.add)\n"
    " (func (export \"keep\") (param i32) (result i32)\n"
    "   local.get 0 i32.const 5 local.set 0 local.get 0 i32.sub)\n"
    " (func (export \"early\") (param i32) (result i32)\n"
    "   local.get 0 local.get 0 i32.const 10 i32.gt_u br_if 0 drop i32.const 0)\n"
    " (func (export \"fib\") (param i32) (result i32)\n"
    "   local.get 0 i32.const 2 i32.lt_u if local.get 0 return end\n"
    "   local.get 0 i32.const 1 i32.sub call 11 local.get 0 i32.const 2 i32.sub call 11 "
    "i32.add)\n"
    " (func (export \"unreach\") unreachable)\n"
    ")\n";

static void test_vm_control_flow(void **state)
{
	static const vcase cases[] = {
	    {"sum", {100}, 5050}, {"sum", {0}, 0},
	    {"table", {0}, 103},  {"table", {1}, 102},
	    {"table", {2}, 100},  {"table", {7}, 100},
	    {"multi", {10}, 7},	  {"swap", {10, 3}, (uint32_t)-7},
	    {"sel", {1}, 7},	  {"sel", {0}, 9},
	    {"ifelse", {4}, 1},	  {"ifelse", {5}, 2},
	    {"glob", {5}, 15},	  {"glob", {5}, 20},
	    {"tee", {3}, 3 + 16}, {"keep", {9}, 4},
	    {"early", {11}, 11},  {"early", {10}, 0},
	    {"fib", {20}, 6765},  {"unreach", {0}, 0, WT_TRAP_UNREACHABLE},
	};
	run_cases(control_wat, cases, sizeof cases / sizeof cases[0]);
}

/* ---- traps: where they happened ---- */

/* The offset of the first byte b in function f's instructions. */
static uint32_t find_op(const loaded *l, uint32_t f, uint8_t b)
{
	const wt_func *fn = &l->m->funcs[f];
	for (uint32_t i = fn->code_offset; i < fn->body_offset + fn->body_size; i++)
		if (l->bytes[i] == b)
			return i;
	fail_msg("opcode 0x%x not found", b);
	return 0;
}

static void test_vm_trap_location(void **state)
{
	static const char wat[] = "(module\n"
				  " (func $first (export \"first\") (result i32) i32.const 1)\n"
				  " (func $divider (export \"div\") (param i32) (result i32)\n"
				  "   i32.const 100 local.get 0 i32.div_u)\n"
				  " (func $outer (export \"outer\") (param i32) (result i32)\n"
				  "   local.get 0 i32.const 1 i32.add call $divider))\n";
	loaded l;
	wt_trap trap;
	wt_slot arg = 0, res = 0;
	char text[400];
	load(&l, wat, NULL);
	assert_int_equal(invoke(&l, "outer", (wt_slot[]){(uint32_t)-1}, &res, &trap), -1);
	assert_int_equal(trap.kind, WT_TRAP_DIV_ZERO);
	assert_int_equal(trap.func_index, 1);
	assert_non_null(trap.func_name);
	assert_string_equal(trap.func_name, "divider");
	assert_int_equal(trap.code_offset, find_op(&l, 1, 0x6E));
	wt_trap_format(&trap, text, sizeof text);
	assert_non_null(strstr(text, "integer divide by zero"));
	/* The store is usable after a trap. */
	arg = 4;
	assert_int_equal(invoke(&l, "div", &arg, &res, &trap), 0);
	assert_int_equal(res, 25);
	unload(&l);
}

static const char deep_wat[] =
    "(module\n"
    " (func $down (export \"down\") (param i32) (result i32)\n"
    "   local.get 0 i32.eqz if (result i32) i32.const 0 else\n"
    "   local.get 0 i32.const 1 i32.sub call $down i32.const 1 i32.add end)\n"
    " (func $forever (export \"forever\") (param i32) (result i32)\n"
    "   local.get 0 i32.const 1 i32.add call $forever)\n"
    " (func $spin (export \"spin\") loop br 0 end))\n";

static void test_vm_deep_recursion(void **state)
{
	loaded l;
	wt_trap trap;
	wt_slot arg = 15000, res = 0;
	load(&l, deep_wat, NULL);
	assert_int_equal(invoke(&l, "down", &arg, &res, &trap), 0);
	assert_int_equal(res, 15000);
	/* Unbounded recursion: a trap, never a C stack overflow. */
	assert_int_equal(invoke(&l, "forever", &arg, &res, &trap), -1);
	assert_int_equal(trap.kind, WT_TRAP_STACK_EXHAUSTED);
	assert_string_equal(trap.func_name, "forever");
	/* And the store still works at full depth afterwards. */
	assert_int_equal(invoke(&l, "down", &arg, &res, &trap), 0);
	assert_int_equal(res, 15000);
	unload(&l);
}

static void test_vm_stack_limits(void **state)
{
	static const wt_store_limits limits[] = {
	    {.max_call_depth = 100},
	    {.max_stack_slots = 1000},
	};
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		loaded l;
		wt_trap trap;
		wt_slot res = 0;
		load(&l, deep_wat, &limits[i]);
		assert_int_equal(invoke(&l, "down", (wt_slot[]){50}, &res, &trap), 0);
		assert_int_equal(res, 50);
		assert_int_equal(invoke(&l, "down", (wt_slot[]){5000}, &res, &trap), -1);
		assert_int_equal(trap.kind, WT_TRAP_STACK_EXHAUSTED);
		unload(&l);
	}
}

static void test_vm_fuel_exhausted(void **state)
{
	wt_store_limits limits = {.fuel = 1000};
	loaded l;
	wt_trap trap;
	wt_slot res = 0;
	load(&l, deep_wat, &limits);
	assert_int_equal(invoke(&l, "down", (wt_slot[]){10}, &res, &trap), 0);
	assert_true(wt_store_fuel_left(l.s) < 1000);
	assert_int_equal(invoke(&l, "spin", NULL, &res, &trap), -1);
	assert_int_equal(trap.kind, WT_TRAP_FUEL_EXHAUSTED);
	assert_string_equal(trap.func_name, "spin");
	assert_int_equal(wt_store_fuel_left(l.s), 0);
	unload(&l);
}

/* Fuel counts WebAssembly instructions (docs/engine.md): each function
 * entry charges the body's instructions outside loops, each loop entry
 * and back-edge the loop body's instructions outside nested loops (a
 * loop's own `loop` and `end` count outside it). Weights per region are
 * counted by hand in the comments: F function, L/O/I loops. */
static const char fuel_wat[] =
    "(module\n"
    " (global $g (mut i32) (i32.const 0))\n"
    " (func (export \"count\") (param i32) (result i32) (local i32)\n"
    "   loop $l\n"					 /* F 1 */
    "     local.get 1 i32.const 1 i32.add local.set 1\n" /* L 4 */
    "     local.get 1 local.get 0 i32.lt_u br_if $l\n"	 /* L 4 */
    "   end\n"						 /* F 1 */
    "   local.get 1)\n"					 /* F 2 (with end) */
    " (func (export \"nest\") (param i32 i32) (result i32) (local i32 i32 i32)\n"
    "   loop $o\n"					       /* F 1 */
    "     i32.const 0 local.set 3\n"			       /* O 2 */
    "     loop $i\n"					       /* O 1 */
    "       nop local.get 4 i32.const 1 i32.add local.set 4\n" /* I 5 */
    "       local.get 3 i32.const 1 i32.add local.tee 3\n"     /* I 4 */
    "       local.get 1 i32.lt_u br_if $i\n"		       /* I 3 */
    "     end\n"					       /* O 1 */
    "     local.get 2 i32.const 1 i32.add local.tee 2\n"       /* O 4 */
    "     local.get 0 i32.lt_u br_if $o\n"		       /* O 3 */
    "   end\n"						       /* F 1 */
    "   local.get 4)\n"					       /* F 2 */
    " (func (export \"skip\") (param i32) (result i32) (local i32)\n"
    "   loop $l\n"						    /* F 1 */
    "     local.get 1 i32.const 1000000 i32.gt_u\n"		    /* L 3 */
    "     if global.get $g i32.const 1 i32.add global.set $g end\n" /* L 6, never taken */
    "     local.get 1 i32.const 1 i32.add local.tee 1\n"	    /* L 4 */
    "     local.get 0 i32.lt_u br_if $l\n"			    /* L 3 */
    "   end\n"							    /* F 1 */
    "   local.get 1)\n"						    /* F 2 */
    " (func (export \"spin\")\n"
    "   loop $l global.get $g i32.const 1 i32.add global.set $g br $l end)\n" /* F 3, L 5 */
    " (func (export \"get\") (result i32) global.get $g)\n"
    " (func $down (export \"down\") (param i32) (result i32)\n"
    "   local.get 0 i32.eqz if (result i32) i32.const 0 else\n"			 /* 5 */
    "   local.get 0 i32.const 1 i32.sub call $down i32.const 1 i32.add end))\n"; /* 6 + 2 */

/* Runs export name with args under `fuel`; returns wt_call's result and
 * the fuel it used. */
static int fuel_run(const char *name, const wt_slot *args, uint64_t fuel, uint64_t *used,
		    wt_trap *trap)
{
	wt_store_limits limits = {.fuel = fuel};
	loaded l;
	wt_slot res[1] = {0};
	load(&l, fuel_wat, &limits);
	int rc = invoke(&l, name, args, res, trap);
	*used = fuel - wt_store_fuel_left(l.s);
	unload(&l);
	trap->func_name = NULL; /* it pointed into the module */
	return rc;
}

static void test_vm_fuel_counts_instructions(void **state)
{
	static const struct {
		const char *func;
		wt_slot args[2];
		uint64_t want; /* instructions by the model, from the weights above */
	} cases[] = {
	    {"count", {1}, 4 + 8 * 1},
	    {"count", {10}, 4 + 8 * 10},
	    {"count", {5000}, 4 + 8 * 5000},
	    {"nest", {1, 1}, 4 + 11 * 1 + 12 * 1},
	    {"nest", {30, 70}, 4 + 11 * 30 + 12 * 30 * 70},
	    {"skip", {1000}, 4 + 16 * 1000}, /* the untaken `if` counts every time */
	    {"down", {0}, 13},
	    {"down", {1}, 13 * 2},
	    {"down", {500}, 13 * 501}, /* recursion: charged per call */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t want = cases[i].want, used;
		wt_trap trap;
		/* Exactly enough completes and uses it all; one less traps. */
		if (fuel_run(cases[i].func, cases[i].args, want, &used, &trap) != 0)
			fail_msg("case %zu (%s): trapped with %llu fuel: %s", i, cases[i].func,
				 (unsigned long long)want, wt_trap_message(trap.kind));
		assert_int_equal(used, want);
		if (fuel_run(cases[i].func, cases[i].args, want + 1000, &used, &trap) != 0)
			fail_msg("case %zu (%s): trapped with spare fuel", i, cases[i].func);
		assert_int_equal(used, want);
		assert_int_equal(fuel_run(cases[i].func, cases[i].args, want - 1, &used, &trap),
				 -1);
		assert_int_equal(trap.kind, WT_TRAP_FUEL_EXHAUSTED);
	}
}

static void test_vm_fuel_loop_budget(void **state)
{
	/* A loop of K iterations with a body of B = 8 instructions: the
	 * budget is K * B plus an overhead of at most 2 * B (entry, exit). */
	const uint64_t k = 100000, b = 8, slack = 2 * b;
	uint64_t used;
	wt_trap trap;
	assert_int_equal(fuel_run("count", (wt_slot[]){k}, k * b - 1, &used, &trap), -1);
	assert_int_equal(trap.kind, WT_TRAP_FUEL_EXHAUSTED);
	assert_int_equal(trap.func_index, 0); /* count */
	assert_int_equal(fuel_run("count", (wt_slot[]){k}, k * b + slack, &used, &trap), 0);
	assert_true(used >= k * b && used <= k * b + slack);
}

static void test_vm_fuel_deterministic(void **state)
{
	/* spin: F = 3 at entry, L = 5 per iteration; the trap comes at the
	 * FUEL of the first iteration the budget cannot pay for. */
	static const uint64_t budgets[] = {3, 7, 8, 1000, 123457};
	for (size_t i = 0; i < sizeof budgets / sizeof budgets[0]; i++) {
		wt_slot got[2];
		wt_trap trap[2];
		for (int run = 0; run < 2; run++) {
			wt_store_limits limits = {.fuel = budgets[i]};
			loaded l;
			load(&l, fuel_wat, &limits);
			assert_int_equal(invoke(&l, "spin", NULL, NULL, &trap[run]), -1);
			assert_int_equal(trap[run].kind, WT_TRAP_FUEL_EXHAUSTED);
			assert_int_equal(wt_store_fuel_left(l.s), 0);
			l.s->fuel = 100; /* to read the counter */
			assert_int_equal(invoke(&l, "get", NULL, &got[run], &trap[run]), 0);
			unload(&l);
		}
		assert_int_equal(got[0], (budgets[i] - 3) / 5);
		assert_int_equal(got[0], got[1]);
		assert_int_equal(trap[0].func_index, trap[1].func_index);
		assert_int_equal(trap[0].code_offset, trap[1].code_offset);
	}
}

/* The compiled size in words of export func of wat, called once with
 * args under fuel (0: no limit). */
static uint32_t compiled_words(const char *wat, const char *func, const wt_slot *args,
			       uint64_t fuel)
{
	wt_store_limits limits = {.fuel = fuel};
	loaded l;
	wt_trap trap;
	wt_slot res = 0;
	wt_extern e;
	load(&l, wat, &limits);
	assert_int_equal(invoke(&l, func, args, &res, &trap), 0);
	assert_int_equal(wt_instance_export(l.inst, func, strlen(func), &e), 0);
	assert_non_null(e.u.func->code);
	uint32_t n = e.u.func->code->nwords;
	unload(&l);
	return n;
}

static void test_vm_fuel_free_without_limit(void **state)
{
	/* Without a fuel limit no FUEL op is emitted; with one, one (three
	 * words) per function and per loop. */
	static const struct {
		const char *func;
		wt_slot args[2];
		uint32_t fuel_ops;
	} cases[] = {{"count", {3}, 2}, {"nest", {2, 2}, 3}, {"down", {2}, 1}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint32_t with = compiled_words(fuel_wat, cases[i].func, cases[i].args, 1000000);
		uint32_t without = compiled_words(fuel_wat, cases[i].func, cases[i].args, 0);
		assert_int_equal(with - without, 3 * cases[i].fuel_ops);
	}
}

/* Bulk operations pay for their length (docs/engine.md#fuel): memory ops
 * one unit per 8 bytes (rounded up), table ops one per entry, on top of
 * the instruction itself (each function below has a region of 5
 * instructions, tgrow of 4). */
static const char bulk_wat[] = "(module\n"
			       " (memory (export \"mem\") 1)\n"
			       " (table $t (export \"tab\") 64 funcref)\n"
			       " (table $u 64 funcref)\n"
			       " (data $d \"0123456789abcdef0123456789abcdef\")\n"
			       " (elem $e func $f $f $f $f $f $f $f $f)\n"
			       " (func $f)\n"
			       " (func (export \"fill\") (param i32)\n"
			       "   (memory.fill (i32.const 0) (i32.const 7) (local.get 0)))\n"
			       " (func (export \"copy\") (param i32)\n"
			       "   (memory.copy (i32.const 100) (i32.const 0) (local.get 0)))\n"
			       " (func (export \"init\") (param i32)\n"
			       "   (memory.init $d (i32.const 0) (i32.const 0) (local.get 0)))\n"
			       " (func (export \"tfill\") (param i32)\n"
			       "   (table.fill $t (i32.const 0) (ref.func $f) (local.get 0)))\n"
			       " (func (export \"tcopy\") (param i32)\n"
			       "   (table.copy $u $t (i32.const 0) (i32.const 0) (local.get 0)))\n"
			       " (func (export \"tinit\") (param i32)\n"
			       "   (table.init $t $e (i32.const 0) (i32.const 0) (local.get 0)))\n"
			       " (func (export \"tgrow\") (param i32) (result i32)\n"
			       "   (table.grow $t (ref.func $f) (local.get 0)))\n"
			       " (func (export \"far\") (param i32)\n"
			       "   (memory.fill (i32.const 65536) (i32.const 7) (local.get 0))))\n";

/* Runs bulk_wat's export name(arg) under fuel; returns wt_call's result,
 * the fuel used, and whether memory byte 0 or table entry 0 changed. */
static int bulk_run(const char *name, wt_slot arg, uint64_t fuel, uint64_t *used, int *touched,
		    wt_trap *trap)
{
	wt_store_limits limits = {.fuel = fuel};
	loaded l;
	wt_extern mem, tab;
	wt_slot res[1] = {0};
	load(&l, bulk_wat, &limits);
	assert_int_equal(wt_instance_export(l.inst, "mem", 3, &mem), 0);
	assert_int_equal(wt_instance_export(l.inst, "tab", 3, &tab), 0);
	int rc = invoke(&l, name, &arg, res, trap);
	*used = fuel - wt_store_fuel_left(l.s);
	*touched = wt_memory_span(mem.u.memory, 0, 1)[0] != 0 || tab.u.table->elems[0] != 0;
	unload(&l);
	trap->func_name = NULL;
	return rc;
}

static void test_vm_fuel_bulk(void **state)
{
	static const struct {
		const char *func;
		wt_slot len;
		uint64_t want;
		int writes; /* the op changes memory byte 0 or table entry 0 */
	} cases[] = {
	    {"fill", 0, 5, 0},	    {"fill", 1, 5 + 1, 1},	  {"fill", 8, 5 + 1, 1},
	    {"fill", 9, 5 + 2, 1},  {"fill", 65536, 5 + 8192, 1}, {"copy", 100, 5 + 13, 0},
	    {"init", 32, 5 + 4, 1}, {"tfill", 64, 5 + 64, 1},	  {"tcopy", 10, 5 + 10, 0},
	    {"tinit", 8, 5 + 8, 1}, {"tgrow", 1000, 4 + 1000, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t want = cases[i].want, used;
		int touched;
		wt_trap trap;
		if (bulk_run(cases[i].func, cases[i].len, want, &used, &touched, &trap) != 0)
			fail_msg("case %zu (%s): trapped with %llu fuel: %s", i, cases[i].func,
				 (unsigned long long)want, wt_trap_message(trap.kind));
		assert_int_equal(used, want);
		assert_int_equal(touched, cases[i].writes);
		/* One unit short: the trap comes before anything is written. */
		assert_int_equal(
		    bulk_run(cases[i].func, cases[i].len, want - 1, &used, &touched, &trap), -1);
		assert_int_equal(trap.kind, WT_TRAP_FUEL_EXHAUSTED);
		assert_int_equal(touched, 0);
	}
}

/* The length is charged before the bounds are checked: an access out of
 * bounds costs its length, and without that fuel the trap is fuel's. */
static void test_vm_fuel_bulk_out_of_bounds(void **state)
{
	uint64_t used;
	int touched;
	wt_trap trap;
	assert_int_equal(bulk_run("far", 16, 5 + 2, &used, &touched, &trap), -1);
	assert_int_equal(trap.kind, WT_TRAP_MEMORY_OOB);
	assert_int_equal(used, 5 + 2);
	assert_int_equal(bulk_run("far", 16, 5 + 1, &used, &touched, &trap), -1);
	assert_int_equal(trap.kind, WT_TRAP_FUEL_EXHAUSTED);
	/* A zero length exactly at the end: in bounds, nothing to pay. */
	assert_int_equal(bulk_run("far", 0, 5, &used, &touched, &trap), 0);
}

/* Without a fuel limit no FUEL_N op is emitted either. */
static void test_vm_fuel_bulk_free_without_limit(void **state)
{
	wt_slot arg = 4;
	uint32_t with = compiled_words(bulk_wat, "fill", &arg, 1000000);
	assert_int_equal(with - compiled_words(bulk_wat, "fill", &arg, 0),
			 3 + 4); /* FUEL, FUEL_N */
}

/* Compiled code is charged to the store's memory budget when a function
 * is first called: code that does not fit traps with the memory limit and
 * leaves the counter as it was; once it fits, the code's size stays
 * charged and later calls add nothing. */
static void test_vm_compile_charged(void **state)
{
	loaded l;
	wt_trap trap;
	wt_slot res = 0;
	load(&l, fuel_wat, NULL);
	uint64_t before = wt_store_memory_used(l.s);
	l.s->limits.max_memory = before + 100;
	assert_int_equal(invoke(&l, "count", (wt_slot[]){3}, &res, &trap), -1);
	assert_int_equal(trap.kind, WT_TRAP_MEMORY_LIMIT);
	assert_int_equal(trap.func_index, 0); /* count */
	assert_int_equal(wt_store_memory_used(l.s), before);
	l.s->limits.max_memory = before + 100000;
	assert_int_equal(invoke(&l, "count", (wt_slot[]){3}, &res, &trap), 0);
	assert_int_equal(res, 3);
	uint64_t after = wt_store_memory_used(l.s);
	assert_true(after > before + 100);
	assert_int_equal(invoke(&l, "count", (wt_slot[]){3}, &res, &trap), 0);
	assert_int_equal(wt_store_memory_used(l.s), after);
	unload(&l);
}

static void test_vm_interrupt(void **state)
{
	loaded l;
	wt_trap trap;
	wt_slot res = 0;
	load(&l, deep_wat, NULL);
	wt_store_interrupt(l.s);
	assert_int_equal(invoke(&l, "spin", NULL, &res, &trap), -1);
	assert_int_equal(trap.kind, WT_TRAP_TIMEOUT);
	/* The flag is consumed: the next call runs. */
	assert_int_equal(invoke(&l, "down", (wt_slot[]){3}, &res, &trap), 0);
	assert_int_equal(res, 3);
	unload(&l);
}

/* ---- hotness: the store's hot hook ---- */

static const char hot_wat[] =
    "(module\n"
    " (func $leaf (export \"leaf\") (param i32) (result i32) local.get 0 i32.const 1 i32.add)\n"
    " (func $spin (param i32) (result i32)\n"
    "   loop $l local.get 0 i32.const 1 i32.sub local.tee 0 br_if $l end local.get 0)\n"
    " (func (export \"loop\") (result i32) i32.const 1000 call $spin)\n"
    " (func (export \"cold\") (result i32) i32.const 10 call $spin drop i32.const 7))\n";

typedef struct hot_seen {
	uint32_t funcs[8];
	uint32_t n;
} hot_seen;

static int on_hot(void *ctx, wt_funcinst *f)
{
	hot_seen *h = ctx;
	if (h->n < 8)
		h->funcs[h->n] = f->func_index;
	h->n++;
	return 1;
}

/* Declines each function the first time: "too early". */
static int on_hot_later(void *ctx, wt_funcinst *f)
{
	hot_seen *h = ctx;
	on_hot(ctx, f);
	return h->n > 1;
}

/* hot_wat with the hot hook fn at threshold (the interpreter only:
 * compiled functions do not count). */
static void hot_load(loaded *l, uint32_t threshold, wt_hot_fn fn, hot_seen *h)
{
	if (tier_jit)
		skip();
	load(l, hot_wat, NULL);
	wt_store_set_hot(l->s, threshold, fn, h);
}

/* Loop back-edges and calls count, once a function is over the threshold
 * the hook hears of it once, and a function that stays under is never named. */
static void test_vm_hot_hook(void **state)
{
	loaded l;
	wt_trap trap;
	wt_slot res = 0;
	hot_seen h = {{0}, 0};
	(void)state;
	hot_load(&l, 100, on_hot, &h);
	assert_int_equal(invoke(&l, "cold", NULL, &res, &trap), 0);
	assert_int_equal(res, 7);
	assert_int_equal(h.n, 0);
	for (int i = 0; i < 99; i++)
		assert_int_equal(invoke(&l, "leaf", (wt_slot[]){1}, &res, &trap), 0);
	assert_int_equal(h.n, 0); /* 99 calls */
	assert_int_equal(invoke(&l, "loop", NULL, &res, &trap), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.funcs[0], 1); /* $spin: 1000 back-edges (and 2 calls) */
	assert_int_equal(invoke(&l, "leaf", (wt_slot[]){1}, &res, &trap), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.funcs[1], 0); /* $leaf: its 100th call */
	for (int i = 0; i < 98; i++) {
		assert_int_equal(invoke(&l, "loop", NULL, &res, &trap), 0);
		assert_int_equal(invoke(&l, "leaf", (wt_slot[]){1}, &res, &trap), 0);
	}
	assert_int_equal(h.n, 2); /* once each; "loop" itself: 99 calls */
	assert_int_equal(invoke(&l, "loop", NULL, &res, &trap), 0);
	assert_int_equal(h.n, 3);
	assert_int_equal(h.funcs[2], 2);
	unload(&l);
}

/* A hook that declines a function hears of it again after as many more
 * calls and back-edges, and never after it took it. */
static void test_vm_hot_hook_again(void **state)
{
	loaded l;
	wt_trap trap;
	wt_slot res = 0;
	hot_seen h = {{0}, 0};
	(void)state;
	hot_load(&l, 400, on_hot_later, &h);
	/* $spin: 2 calls and 1000 back-edges: hot at 400 (declined), 800 (taken) */
	assert_int_equal(invoke(&l, "loop", NULL, &res, &trap), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.funcs[0], 1);
	assert_int_equal(h.funcs[1], 1);
	assert_int_equal(invoke(&l, "loop", NULL, &res, &trap), 0);
	assert_int_equal(h.n, 2);
	unload(&l);
}

static const char host_wat[] =
    "(module\n"
    " (import \"env\" \"reenter\" (func $reenter (param i32) (result i32)))\n"
    " (import \"env\" \"stop\" (func $stop (param i32)))\n"
    " (memory 1)\n"
    " (func $inner (export \"inner\") (param i32) (result i32)\n"
    "   local.get 0 i32.eqz if (result i32) i32.const 0 i32.load else\n"
    "   local.get 0 i32.const 1 i32.sub call $outer i32.const 1 i32.add end)\n"
    " (func $outer (export \"outer\") (param i32) (result i32) (local i32)\n"
    "   i32.const 1000 local.set 1\n"
    "   local.get 0 call $reenter local.get 1 i32.add)\n"
    " (func $stopper (export \"stopper\") (param i32) (result i32)\n"
    "   local.get 0 call $stop i32.const 1)\n"
    " (func (export \"set\") (param i32) i32.const 0 local.get 0 i32.store))\n";

static void test_vm_host_reentrant(void **state)
{
	loaded l;
	wt_trap trap;
	wt_slot res = 0;
	load(&l, host_wat, NULL);
	assert_int_equal(invoke(&l, "set", (wt_slot[]){5}, &res, &trap), 0);
	/* outer(n) = reenter(n) + 1000 = inner(n) + 1000; inner(n) = outer(n-1) + 1. */
	assert_int_equal(invoke(&l, "outer", (wt_slot[]){3}, &res, &trap), 0);
	assert_int_equal(res, 5 + 3 * 1001 + 1000);
	assert_int_equal(l.s->depth, 0);
	/* A host that stops the run: its trap comes out with the caller's location. */
	assert_int_equal(invoke(&l, "stopper", (wt_slot[]){42}, &res, &trap), -1);
	assert_int_equal(trap.kind, WT_TRAP_HOST);
	assert_string_equal(trap.msg, "stopped at 42");
	assert_string_equal(trap.func_name, "stopper");
	unload(&l);
}

static void test_vm_host_direct_call(void **state)
{
	loaded l;
	wt_trap trap;
	wt_slot res = 0;
	load(&l, host_wat, NULL);
	/* Calling an imported host function directly, as an embedder would. */
	wt_funcinst *stop = l.inst->funcs[1];
	assert_non_null(stop->host);
	assert_int_equal(wt_call(l.s, stop, (wt_slot[]){7}, &res, &trap), -1);
	assert_int_equal(trap.kind, WT_TRAP_HOST);
	assert_string_equal(trap.msg, "stopped at 7");
	assert_int_equal(invoke(&l, "outer", (wt_slot[]){0}, &res, &trap), 0);
	assert_int_equal(res, 1000);
	unload(&l);
}

static void test_vm_handlers_one_list(void **state)
{
	/* Every op has its row; lengths and the handler table agree. */
	const void *const *h = wt_vm_handlers();
	for (uint32_t op = 0; op < WT_V_COUNT; op++) {
		if (h)
			assert_non_null(h[op]);
		assert_true(wt_vop_table[op].len == 0 || wt_vop_table[op].len >= 2);
	}
	assert_int_equal(wt_vop_table[WT_V_I32_ADD].len, 5);
	assert_int_equal(wt_vop_table[WT_V_I32_DIV_S].traps, 1);
	assert_int_equal(wt_vop_table[WT_V_COPY].traps, 0);
}

/* With the compiling tier: every exported function got compiled code, and
 * no mapping of the process is writable and executable at once. */
static void test_vm_jit_wx(void **state)
{
	loaded l;
	(void)state;
	if (!tier_jit)
		skip();
	load(&l, int_wat, NULL);
	wt_extern e;
	assert_int_equal(wt_instance_export(l.inst, "add", 3, &e), 0);
	assert_non_null(e.u.func->jit);
	FILE *maps = fopen("/proc/self/maps", "r");
	assert_non_null(maps);
	char line[512], perms[8];
	unsigned long lo, hi, code = (unsigned long)(uintptr_t)e.u.func->jit;
	int found = 0;
	while (fgets(line, sizeof line, maps)) {
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) != 3)
			continue;
		if (strchr(perms, 'w') && strchr(perms, 'x'))
			fail_msg("writable and executable: %s", line);
		if (code >= lo && code < hi) {
			found = 1;
			assert_true(perms[0] == 'r' && perms[1] == '-' && perms[2] == 'x');
		}
	}
	fclose(maps);
	assert_true(found);
	wt_slot args[2] = {40, 2}, res[1];
	wt_trap trap;
	assert_int_equal(invoke(&l, "add", args, res, &trap), 0);
	assert_int_equal(res[0], 42);
	unload(&l);
}

/* A function with vector ops is compiled too (they once left it
 * interpreted), and its callers call it. */
static void test_vm_jit_vector(void **state)
{
	loaded l;
	(void)state;
	if (!tier_jit)
		skip();
	load(&l,
	     "(module\n"
	     " (func $v (param i32) (result i32) local.get 0 i32x4.splat i32x4.extract_lane 3)\n"
	     " (func (export \"f\") (param i32) (result i32) local.get 0 call $v i32.const 1 "
	     "i32.add))\n",
	     NULL);
	assert_non_null(l.inst->funcs[0]->jit);
	assert_non_null(l.inst->funcs[1]->jit);
	wt_slot arg = 41, res;
	wt_trap trap;
	assert_int_equal(invoke(&l, "f", &arg, &res, &trap), 0);
	assert_int_equal(res, 42);
	unload(&l);
}

int main(void)
{
	const char *tier = getenv("WT_TEST_TIER");
	tier_jit = tier && !strcmp(tier, "jit");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vm_integer_ops),
	    cmocka_unit_test(test_vm_float_ops),
	    cmocka_unit_test(test_vm_memory_ops),
	    cmocka_unit_test(test_vm_table_ops),
	    cmocka_unit_test(test_vm_control_flow),
	    cmocka_unit_test(test_vm_trap_location),
	    cmocka_unit_test(test_vm_deep_recursion),
	    cmocka_unit_test(test_vm_stack_limits),
	    cmocka_unit_test(test_vm_fuel_exhausted),
	    cmocka_unit_test(test_vm_interrupt),
	    cmocka_unit_test(test_vm_hot_hook),
	    cmocka_unit_test(test_vm_hot_hook_again),
	    cmocka_unit_test(test_vm_fuel_counts_instructions),
	    cmocka_unit_test(test_vm_fuel_loop_budget),
	    cmocka_unit_test(test_vm_fuel_deterministic),
	    cmocka_unit_test(test_vm_fuel_free_without_limit),
	    cmocka_unit_test(test_vm_fuel_bulk),
	    cmocka_unit_test(test_vm_fuel_bulk_out_of_bounds),
	    cmocka_unit_test(test_vm_fuel_bulk_free_without_limit),
	    cmocka_unit_test(test_vm_compile_charged),
	    cmocka_unit_test(test_vm_host_reentrant),
	    cmocka_unit_test(test_vm_host_direct_call),
	    cmocka_unit_test(test_vm_handlers_one_list),
	    cmocka_unit_test(test_vm_jit_wx),
	    cmocka_unit_test(test_vm_jit_vector),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
