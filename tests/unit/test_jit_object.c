/* test_jit_object.c: compiled objects of the compiling tier (jit.h): built in one process and
 * loaded in another, with results identical to the interpreter's; objects made for another
 * module, tool version or configuration, or naming a function the module does not define, are
 * refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "jit.h"
#include "sha256.h"
#include "store.h"
#include "wt_test_inst.h"
#include "wt_test_util.h"

#ifdef WT_HAVE_JIT
#include "jit_obj.h"

/* Every kind of address the generated code uses: an imported function,
 * direct and indirect calls, globals (i32, i64, v128), memory (loads,
 * stores, bulk, grow, size), a table, a data segment, traps. */
static const char *const module_a =
    "(module\n"
    "  (import \"env\" \"twice\" (func $twice (param i32) (result i32)))\n"
    "  (type $ii (func (param i32) (result i32)))\n"
    "  (memory (export \"mem\") 1)\n"
    "  (global $g (export \"g\") (mut i32) (i32.const 7))\n"
    "  (global $h (export \"h\") (mut i64) (i64.const 0))\n"
    "  (global $v (mut v128) (v128.const i64x2 1 2))\n"
    "  (table 4 funcref)\n"
    "  (elem (i32.const 0) $sq $inc $twice)\n"
    "  (data $d \"\\05\\02\\03\\04\")\n"
    "  (func $sq (type $ii) (i32.mul (local.get 0) (local.get 0)))\n"
    "  (func $inc (type $ii)\n"
    "    (global.set $g (i32.add (global.get $g) (local.get 0))) (global.get $g))\n"
    "  (func (export \"run\") (param $n i32) (result i32) (local $i i32) (local $acc i32)\n"
    "    (memory.init $d (i32.const 100) (i32.const 0) (i32.const 4))\n"
    "    (data.drop $d)\n"
    "    (global.set $v (global.get $v))\n"
    "    (loop $l\n"
    "      (local.set $acc (i32.add (local.get $acc) (call_indirect (type $ii)\n"
    "        (local.get $i) (i32.rem_u (local.get $i) (i32.const 3)))))\n"
    "      (i32.store (i32.add (i32.const 200) (i32.shl (local.get $i) (i32.const 2)))\n"
    "        (local.get $acc))\n"
    "      (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
    "      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))\n"
    "    (global.set $h (i64.extend_i32_u (local.get $acc)))\n"
    "    (drop (memory.grow (i32.const 1)))\n"
    "    (i32.add (local.get $acc) (i32.add (call $sq (i32.load8_u (i32.const 100)))\n"
    "      (i32.add (memory.size) (table.size 0)))))\n"
    "  (func (export \"oob\") (result i32) (i32.load (i32.const 200000)))\n"
    "  (func (export \"div\") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0))))\n";

static const char *const module_b =
    "(module (func (export \"run\") (param i32) (result i32) (local.get 0)))\n";

static int host_twice(wt_host_call *call, const wt_slot *args, wt_slot *results)
{
	(void)call;
	results[0] = (uint32_t)(2 * (uint32_t)args[0]);
	return 0;
}

static int resolve(void *ctx, const wt_module *m, const wt_import *imp, wt_extern *out,
		   wt_error *err)
{
	if (imp->kind != WT_EXTERN_FUNC || strcmp(imp->name, "twice") != 0)
		return wt_fail_plain(err, WT_UNLINKABLE, "unknown import");
	out->kind = WT_EXTERN_FUNC;
	out->u.func = wt_func_new_host(ctx, &m->types[imp->desc.type_index], host_twice, NULL);
	return out->u.func ? 0 : WT_NOMEM;
}

/* One module in one store, begun (not finished) unless `finish`. */
typedef wt_test_inst inst;

static void begin(inst *in, const uint8_t *bytes, size_t size, uint64_t fuel)
{
	wt_store_limits lim = {.fuel = fuel};
	wt_test_inst_begin(in, bytes, size, &lim, resolve);
}

static void finish(inst *in)
{
	wt_test_inst_finish(in);
}

static void end(inst *in)
{
	wt_test_inst_end(in);
}

static void wat(const char *text, uint8_t **bytes, size_t *size)
{
	if (wt_test_wat_bytes(text, "", bytes, size) != 0)
		fail_msg("wat2wasm failed");
}

/* What a run of module_a leaves: results, traps, memory, globals. */
typedef struct outcome {
	wt_slot run, g, h;
	wt_trap oob, div0;
	uint8_t *mem;
	uint64_t mem_size;
} outcome;

static void call1(inst *in, const char *name, wt_slot arg, wt_slot *res, wt_trap *trap, int rc)
{
	wt_extern e;
	assert_int_equal(wt_instance_export(in->inst, name, strlen(name), &e), 0);
	memset(trap, 0, sizeof *trap);
	assert_int_equal(wt_call(in->s, e.u.func, &arg, res, trap), rc);
}

static wt_slot global(inst *in, const char *name)
{
	wt_extern e;
	assert_int_equal(wt_instance_export(in->inst, name, strlen(name), &e), 0);
	return e.u.global->value;
}

static void observe(inst *in, outcome *o)
{
	wt_trap t;
	wt_slot r;
	memset(o, 0, sizeof *o);
	call1(in, "run", 10, &o->run, &t, 0);
	call1(in, "oob", 0, &r, &o->oob, -1);
	call1(in, "div", 0, &r, &o->div0, -1);
	o->g = global(in, "g");
	o->h = global(in, "h");
	wt_meminst *m = wt_instance_memory(in->inst);
	o->mem_size = m->size;
	assert_non_null(o->mem = malloc(m->size));
	memcpy(o->mem, m->data, m->size);
}

static void same_trap(const wt_trap *a, const wt_trap *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->func_index, b->func_index);
	assert_int_equal(a->code_offset, b->code_offset);
}

static void same_outcome(const outcome *a, const outcome *b)
{
	assert_int_equal(a->run, b->run);
	assert_int_equal(a->g, b->g);
	assert_int_equal(a->h, b->h);
	same_trap(&a->oob, &b->oob);
	same_trap(&a->div0, &b->div0);
	assert_int_equal(a->mem_size, b->mem_size);
	assert_memory_equal(a->mem, b->mem, a->mem_size);
}

/* Finishes in (its objects loaded), runs it, compares with want; frees
 * both. */
static void run_as(inst *in, outcome *want)
{
	outcome got;
	finish(in);
	observe(in, &got);
	same_outcome(want, &got);
	free(want->mem);
	free(got.mem);
	end(in);
}

/* The interpreter's outcome of module bytes. */
static void interpreted(const uint8_t *bytes, size_t size, outcome *o)
{
	inst in;
	begin(&in, bytes, size, 0);
	finish(&in);
	observe(&in, o);
	end(&in);
}

static char self_exe[4096];

/* Runs this program again (a fresh process: its own addresses) to build
 * an object of the module file wasm into so; 0 when it did. */
static int build_elsewhere(const char *wasm, const char *so)
{
	pid_t pid = fork();
	if (pid == 0) {
		execl(self_exe, self_exe, "--build", wasm, so, (char *)NULL);
		_exit(127);
	}
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* The child's side of build_elsewhere. */
static int build_main(const char *wasm, const char *so)
{
	FILE *f = fopen(wasm, "rb");
	static uint8_t bytes[1 << 16];
	size_t size = f ? fread(bytes, 1, sizeof bytes, f) : 0;
	if (f)
		fclose(f);
	void *shift = malloc(123457); /* the child's objects at other addresses still */
	wt_module *m = NULL;
	wt_error err;
	wt_instance *in;
	wt_store_limits lim = {0};
	wt_store *s = wt_store_new(&lim);
	wt_error_init(&err);
	int rc = size == 0 || wt_decode(bytes, size, &m, &err) || wt_validate(m, &err) ||
		 wt_instantiate_begin(s, m, resolve, s, &in, &err) ||
		 wt_jit_build(in, NULL, NULL, 0, so, NULL, &err);
	if (rc)
		fprintf(stderr, "build: %s\n", err.msg);
	wt_store_free(s);
	wt_module_free(m);
	free(shift);
	return rc ? 1 : 0;
}

typedef struct fixture {
	char dir[64], wasm[96], so[96];
	uint8_t *a, *b;
	size_t na, nb;
} fixture;

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "/tmp/wt-test-jit-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->wasm, sizeof fx->wasm, "%s/a.wasm", fx->dir);
	snprintf(fx->so, sizeof fx->so, "%s/a.so", fx->dir);
	wat(module_a, &fx->a, &fx->na);
	wat(module_b, &fx->b, &fx->nb);
	FILE *f = fopen(fx->wasm, "wb");
	if (!f || fwrite(fx->a, 1, fx->na, f) != fx->na || fclose(f) != 0)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	if (!fx)
		return 0;
	unlink(fx->wasm);
	unlink(fx->so);
	rmdir(fx->dir);
	free(fx->a);
	free(fx->b);
	free(fx);
	return 0;
}

/* Loads so into a begun instance of module_a; the status, err filled. */
static int load_into(inst *in, const char *so, wt_error *err)
{
	wt_error_init(err);
	return wt_jit_load(in->inst, NULL, so, &in->jit, err);
}

/* so is not loaded into in, with status rc (WT_MALFORMED: the object's fault; WT_UNAVAILABLE:
 * not its fault) and a message holding want. */
static void assert_not_loaded(inst *in, const char *so, int rc, const char *want)
{
	wt_error err;
	assert_int_equal(load_into(in, so, &err), rc);
	if (!strstr(err.msg, want))
		fail_msg("expected \"%s\" in: %s", want, err.msg);
	for (uint32_t i = 0; i < in->m->nfuncs; i++)
		assert_null(in->inst->funcs[i]->jit);
}

static void assert_refused(inst *in, const char *so, const char *want)
{
	assert_not_loaded(in, so, WT_MALFORMED, want);
}

/* An object built by another process runs as the interpreter does. */
static void test_built_elsewhere_runs_the_same(void **state)
{
	fixture *fx = *state;
	outcome want;
	inst in;
	wt_error err;
	assert_int_equal(build_elsewhere(fx->wasm, fx->so), 0);
	interpreted(fx->a, fx->na, &want);
	begin(&in, fx->a, fx->na, 0);
	if (load_into(&in, fx->so, &err) != 0)
		fail_msg("load: %s", err.msg);
	for (uint32_t i = in.m->nfunc_imports; i < in.m->nfuncs; i++)
		assert_non_null(in.inst->funcs[i]->jit);
	run_as(&in, &want);
}

/* Objects of some functions each (a function listed twice is compiled
 * once), two into one instance; the rest stays interpreted; the same
 * outcome. */
static void test_partial_objects(void **state)
{
	fixture *fx = *state;
	outcome want;
	inst in, b;
	wt_error err;
	uint32_t first[] = {1, 3, 1}, second[] = {2};
	wt_jit_stats st;
	char so2[128];
	snprintf(so2, sizeof so2, "%s/b.so", fx->dir);
	interpreted(fx->a, fx->na, &want);
	begin(&b, fx->a, fx->na, 0);
	wt_error_init(&err);
	assert_int_equal(wt_jit_build(b.inst, NULL, first, 3, fx->so, &st, &err), 0);
	assert_int_equal(st.funcs, 2); /* function 1 once */
	assert_int_equal(st.compiled, 2);
	assert_int_equal(wt_jit_build(b.inst, NULL, second, 1, so2, NULL, &err), 0);
	end(&b);
	begin(&in, fx->a, fx->na, 0);
	assert_int_equal(load_into(&in, fx->so, &err), 0);
	assert_int_equal(load_into(&in, so2, &err), 0);
	unlink(so2);
	assert_non_null(in.inst->funcs[1]->jit);
	assert_non_null(in.inst->funcs[2]->jit);
	assert_non_null(in.inst->funcs[3]->jit);
	assert_null(in.inst->funcs[4]->jit);
	run_as(&in, &want);
}

/* A function in two loaded objects keeps the first one's code (the code cache loads its
 * regrouped objects first); wt_jit_newest says how many functions an object set, and one that
 * set none (superseded) can be unloaded at once. Before: the later object's code won. */
static void test_first_copy_kept(void **state)
{
	fixture *fx = *state;
	outcome want;
	inst in, b;
	wt_error err;
	uint32_t first[] = {1, 3}, second[] = {1, 2}, third[] = {3}, fresh;
	const uint32_t *funcs;
	char so2[128], so3[128];
	snprintf(so2, sizeof so2, "%s/b.so", fx->dir);
	snprintf(so3, sizeof so3, "%s/c.so", fx->dir);
	interpreted(fx->a, fx->na, &want);
	begin(&b, fx->a, fx->na, 0);
	wt_error_init(&err);
	assert_int_equal(wt_jit_build(b.inst, NULL, first, 2, fx->so, NULL, &err), 0);
	assert_int_equal(wt_jit_build(b.inst, NULL, second, 2, so2, NULL, &err), 0);
	assert_int_equal(wt_jit_build(b.inst, NULL, third, 1, so3, NULL, &err), 0);
	end(&b);
	begin(&in, fx->a, fx->na, 0);
	assert_int_equal(load_into(&in, fx->so, &err), 0);
	wt_jit_fn one = in.inst->funcs[1]->jit, three = in.inst->funcs[3]->jit;
	assert_int_equal(load_into(&in, so2, &err), 0);
	assert_int_equal(wt_jit_newest(in.jit, &funcs, &fresh), 2);
	assert_int_equal(fresh, 1); /* function 2 only */
	assert_true(in.inst->funcs[1]->jit == one);
	assert_non_null(in.inst->funcs[2]->jit);
	assert_int_equal(load_into(&in, so3, &err), 0);
	assert_int_equal(wt_jit_newest(in.jit, &funcs, &fresh), 1);
	assert_int_equal(funcs[0], 3);
	assert_int_equal(fresh, 0);
	wt_jit_drop_newest(&in.jit);
	assert_true(in.inst->funcs[3]->jit == three);
	unlink(so2);
	unlink(so3);
	run_as(&in, &want);
}

/* An object made for module_b is refused by module_a's instance. */
static void test_refuses_another_module(void **state)
{
	fixture *fx = *state;
	inst a, b;
	wt_error err;
	begin(&b, fx->b, fx->nb, 0);
	wt_error_init(&err);
	assert_int_equal(wt_jit_build(b.inst, NULL, NULL, 0, fx->so, NULL, &err), 0);
	end(&b);
	begin(&a, fx->a, fx->na, 0);
	assert_refused(&a, fx->so, "compiled for another module");
	end(&a);
}

/* Another tool version, or code made without fuel for a run with fuel. */
static void test_refuses_another_version(void **state)
{
	fixture *fx = *state;
	inst a;
	wt_error err;
	char ident[WT_OBJ_IDENT_MAX], forged[WT_OBJ_IDENT_MAX];
	begin(&a, fx->a, fx->na, 0);
	size_t tool = wt_obj_ident(a.inst, NULL, ident);
	snprintf(forged, sizeof forged, "wasi-tofu 0.0.0-other%s", ident + tool);
	wt_obj_forge forge = {.ident = forged};
	wt_error_init(&err);
	assert_int_equal(wt_jit_build_as(a.inst, NULL, NULL, 0, fx->so, &forge, NULL, &err), 0);
	assert_refused(&a, fx->so, "another version or configuration of wasi-tofu");
	wt_error_init(&err);
	assert_int_equal(wt_jit_build(a.inst, NULL, NULL, 0, fx->so, NULL, &err), 0);
	end(&a);
	begin(&a, fx->a, fx->na, 1000000);
	assert_refused(&a, fx->so, "another version or configuration of wasi-tofu");
	end(&a);
}

/* An object that names a function index the module does not define
 * (out of range, or an import) is refused. */
static void test_refuses_bad_function_index(void **state)
{
	fixture *fx = *state;
	inst a;
	wt_error err;
	uint32_t funcs[] = {1, 2};
	uint32_t out_of_range[] = {1, 99}, imported[] = {0, 2};
	begin(&a, fx->a, fx->na, 0);
	wt_obj_forge forge = {.funcs = out_of_range};
	wt_error_init(&err);
	assert_int_equal(wt_jit_build_as(a.inst, NULL, funcs, 2, fx->so, &forge, NULL, &err), 0);
	assert_refused(&a, fx->so, "function 99 of the object is not a defined function");
	forge.funcs = imported;
	assert_int_equal(wt_jit_build_as(a.inst, NULL, funcs, 2, fx->so, &forge, NULL, &err), 0);
	assert_refused(&a, fx->so, "function 0 of the object is not a defined function");
	/* and the builder takes no such index either */
	assert_int_equal(wt_jit_build(a.inst, NULL, out_of_range, 2, fx->so, NULL, &err), WT_USAGE);
	end(&a);
}

/* One object serves one instance: loading it again while it is loaded is
 * refused (its table would be relocated under the first instance). */
static void test_refuses_an_object_loaded_already(void **state)
{
	fixture *fx = *state;
	inst a, b;
	wt_error err;
	begin(&a, fx->a, fx->na, 0);
	assert_int_equal(wt_jit_build(a.inst, NULL, NULL, 0, fx->so, NULL, &err), 0);
	assert_int_equal(load_into(&a, fx->so, &err), 0);
	begin(&b, fx->a, fx->na, 0);
	assert_not_loaded(&b, fx->so, WT_UNAVAILABLE, "loaded already");
	end(&b);
	end(&a);
}

/* A file that is not an object of ours. */
static void test_refuses_other_files(void **state)
{
	fixture *fx = *state;
	inst a;
	begin(&a, fx->a, fx->na, 0);
	assert_refused(&a, fx->wasm, "not a shared object for this machine");
	assert_refused(&a, "libresolv.so.2", "not a compiled object of wasi-tofu");
	end(&a);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--build") == 0)
		return build_main(argv[2], argv[3]);
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
	if (n <= 0)
		return 1;
	self_exe[n] = 0;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_built_elsewhere_runs_the_same),
	    cmocka_unit_test(test_partial_objects),
	    cmocka_unit_test(test_first_copy_kept),
	    cmocka_unit_test(test_refuses_another_module),
	    cmocka_unit_test(test_refuses_another_version),
	    cmocka_unit_test(test_refuses_bad_function_index),
	    cmocka_unit_test(test_refuses_an_object_loaded_already),
	    cmocka_unit_test(test_refuses_other_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

#else

int main(void)
{
	puts("test_jit_object: this build has no compiling tier");
	return 0;
}

#endif
