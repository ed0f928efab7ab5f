/* jit_tier.c: the compiling tier's driver: functions of an instance through the translator into
 * one libgccjit context, compiled once into a shared object file; per-function fallback. */
#include "gccjit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "jit.h"
#include "jit_gen.h"
#include "jit_impl.h"
#include "jit_obj.h"
#include "jit_reloc.h"
#include "jit_signals.h"
#include "store.h"

#if defined(__SANITIZE_ADDRESS__)
/* GCC does not free all it allocates while it compiles (its own design):
 * LeakSanitizer is told to look past libgccjit's allocations only. */
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void);
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void)
{
	return "leak:libgccjit.so\n";
}
/* ... without a note on stderr that would tell the tiers' outputs apart */
__attribute__((visibility("default"))) const char *__lsan_default_options(void);
__attribute__((visibility("default"))) const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

int wt_jit_available(void)
{
	return 1;
}

/* Passes of -O1 that cost GCC time and give the code we generate nothing
 * (docs/engine.md, "Measured, and the decision"): points-to analysis (the
 * code reads and writes through the relocation table and the memory base,
 * -fno-strict-aliasing, no address-taken locals), the dominator pass (FRE
 * does its redundancy work; its jump threading copies blocks), and the
 * interprocedural summaries of the context's functions (their calls go
 * through helpers, or to functions that write memory anyway). */
static const char *const wt_jit_o1_off[] = {
    "-fno-tree-pta",	   "-fno-tree-dominator-opts", "-fno-ipa-modref",
    "-fno-ipa-pure-const", "-fno-ipa-reference",       "-Wno-free-nonheap-object",
};

/* A context holding a function of at least this many bytes of body: value
 * numbering (FRE) grows faster than the code (docs/engine.md, "The cost of
 * a big function"): the dominator pass does the redundancy work instead. */
#define WT_JIT_BIG_BODY (56u * 1024)
static const char *const wt_jit_big[] = {"-fno-tree-fre", "-ftree-dominator-opts"};

/* WT_JIT_GCC_OPTS: more GCC options, separated by spaces (measurements:
 * -ftime-report, a pass turned off). */
static void add_env_options(gcc_jit_context *ctx)
{
	const char *e = getenv("WT_JIT_GCC_OPTS");
	char opt[128];
	while (e && *e) {
		size_t n = strcspn(e, " ");
		if (n > 0 && n < sizeof opt) {
			memcpy(opt, e, n);
			opt[n] = 0;
			gcc_jit_context_add_command_line_option(ctx, opt);
		}
		e += n + (e[n] == ' ');
	}
}

/* The options of one size: the level's, and for a big function's context
 * (largest: the largest body's bytes) the big ones after them; 1 when
 * those. */
static int add_size_options(gcc_jit_context *ctx, int level, uint32_t largest)
{
	int big = level == 1 && largest >= WT_JIT_BIG_BODY;
	for (size_t i = 0; level == 1 && i < sizeof wt_jit_o1_off / sizeof *wt_jit_o1_off; i++)
		gcc_jit_context_add_command_line_option(ctx, wt_jit_o1_off[i]);
	for (size_t i = 0; big && i < sizeof wt_jit_big / sizeof *wt_jit_big; i++)
		gcc_jit_context_add_command_line_option(ctx, wt_jit_big[i]);
	return big;
}

/* A context for functions of which the largest body has largest bytes; *big:
 * whether with a big function's options. */
static gcc_jit_context *new_context(uint32_t largest, int *big)
{
	gcc_jit_context *ctx = gcc_jit_context_acquire();
	if (!ctx)
		return NULL;
	/* -O1: the kernels run as fast as with -O2 (docs/engine.md) for half
	 * the compile time; WT_JIT_O=N overrides it (measurements) */
	const char *o = getenv("WT_JIT_O");
	int level = o ? atoi(o) : 1;
	gcc_jit_context_set_int_option(ctx, GCC_JIT_INT_OPTION_OPTIMIZATION_LEVEL, level);
	*big = add_size_options(ctx, level, largest);
	/* the warning pass on frees and accesses (pass_waccess, "access
	 * analysis": 12% of -O0's time on a big function) runs at every level
	 * and has nothing to warn of in the code we make; this gates it off */
	gcc_jit_context_add_command_line_option(ctx, "-Wno-free-nonheap-object");
	gcc_jit_context_set_bool_allow_unreachable_blocks(ctx, 1);
	gcc_jit_context_set_bool_print_errors_to_stderr(ctx, 0);
	if (getenv("WT_JIT_DUMP"))
		gcc_jit_context_set_bool_option(ctx, GCC_JIT_BOOL_OPTION_DUMP_GENERATED_CODE, 1);
	/* linear memory is read and written through every access type */
	gcc_jit_context_add_command_line_option(ctx, "-fno-strict-aliasing");
	/* WebAssembly float semantics: no folding that would not quiet a
	 * signalling NaN (x * 1.0), no fused multiply-add */
	gcc_jit_context_add_command_line_option(ctx, "-fsignaling-nans");
	gcc_jit_context_add_command_line_option(ctx, "-ffp-contract=off");
	/* the object calls only through its relocation table: link it without
	 * the C library and start files (ld's share of each context), keeping
	 * libgcc for what GCC may call on its own */
	gcc_jit_context_add_driver_option(ctx, "-nostdlib");
	gcc_jit_context_add_driver_option(ctx, "-lgcc");
	add_env_options(ctx);
	return ctx;
}

/* One function of the instance on its way through the translator. */
typedef struct jit_func {
	wt_code *code; /* detached; NULL: stays interpreted */
	gcc_jit_function *fn;
	int listed; /* seen in the list (once is enough) */
} jit_func;

typedef struct jit_build {
	wt_instance *inst;
	jit_func *funcs; /* by function index */
	gcc_jit_context *ctx;
	wt_jitg *g;
	uint32_t *listed; /* the indices compiled, in order */
	uint32_t nlisted;
} jit_build;

/* wt_jitg_lookup: callee's compiled function when it is one of ours. */
static gcc_jit_function *lookup(void *ctx, const wt_funcinst *callee, uint32_t *frame_size)
{
	jit_build *b = ctx;
	if (callee->instance != b->inst || callee->host)
		return NULL;
	jit_func *jf = &b->funcs[callee->func_index];
	if (!jf->fn)
		return NULL;
	*frame_size = jf->code->frame_size;
	return jf->fn;
}

/* Translates f detached and declares its function when every op of its
 * code is supported; 1 when declared. */
static int declare(wt_jitg *g, wt_funcinst *f, uint32_t i, jit_func *out, wt_jit_stats *st)
{
	wt_error e;
	char name[32];
	wt_error_init(&e);
	if (wt_compile_detached(f, &out->code, &e) != 0)
		return 0;
	if (!wt_jitg_supported(out->code)) {
		wt_code_free(out->code);
		out->code = NULL;
		return 0;
	}
	snprintf(name, sizeof name, "wt_f%u", i);
	out->fn = wt_jitg_declare(g, name);
	st->code_words += out->code->nwords;
	return 1;
}

/* A constant exported array of n elements of type t holding the n
 * elements at bytes (n == 0: one element, zero). */
static void export_blob(gcc_jit_context *ctx, gcc_jit_type *t, const char *name, const void *bytes,
			size_t n)
{
	static const uint64_t zero;
	size_t size = (size_t)gcc_jit_type_get_size(t);
	gcc_jit_type *at =
	    gcc_jit_context_new_array_type(ctx, NULL, gcc_jit_type_get_const(t), n ? (int)n : 1);
	gcc_jit_lvalue *v =
	    gcc_jit_context_new_global(ctx, NULL, GCC_JIT_GLOBAL_EXPORTED, at, name);
	gcc_jit_global_set_initializer(v, n ? bytes : &zero, n ? n * size : size);
}

/* void **wt_obj_link(void **fns): the functions' addresses, the table. */
static void export_link(jit_build *b)
{
	gcc_jit_context *ctx = b->ctx;
	gcc_jit_type *vp = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_VOID_PTR);
	gcc_jit_type *vpp = gcc_jit_type_get_pointer(vp);
	gcc_jit_param *fns = gcc_jit_context_new_param(ctx, NULL, vpp, "fns");
	gcc_jit_function *fn = gcc_jit_context_new_function(ctx, NULL, GCC_JIT_FUNCTION_EXPORTED,
							    vpp, WT_OBJ_LINK, 1, &fns, 0);
	gcc_jit_block *blk = gcc_jit_function_new_block(fn, NULL);
	gcc_jit_type *it = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT);
	for (uint32_t i = 0; i < b->nlisted; i++) {
		gcc_jit_function *f = b->funcs[b->listed[i]].fn;
		gcc_jit_lvalue *dst = gcc_jit_context_new_array_access(
		    ctx, NULL, gcc_jit_param_as_rvalue(fns),
		    gcc_jit_context_new_rvalue_from_int(ctx, it, (int)i));
		gcc_jit_block_add_assignment(
		    blk, NULL, dst,
		    gcc_jit_context_new_cast(ctx, NULL, gcc_jit_function_get_address(f, NULL), vp));
	}
	gcc_jit_lvalue *first = gcc_jit_context_new_array_access(
	    ctx, NULL, gcc_jit_lvalue_as_rvalue(wt_jitg_table(b->g)),
	    gcc_jit_context_new_rvalue_from_int(ctx, it, 0));
	gcc_jit_block_end_with_return(blk, NULL, gcc_jit_lvalue_get_address(first, NULL));
}

/* The symbols of jit_obj.h besides the code. */
static int export_meta(jit_build *b, const uint8_t *sha256, const wt_obj_forge *forge)
{
	gcc_jit_context *ctx = b->ctx;
	gcc_jit_type *u32 = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_UINT32_T);
	gcc_jit_type *ch = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_CHAR);
	char ident[WT_OBJ_IDENT_MAX];
	wt_obj_ident(b->inst, sha256, ident);
	if (forge && forge->ident)
		snprintf(ident, sizeof ident, "%s", forge->ident);
	uint32_t nrel = wt_jitg_relocs(b->g, NULL);
	uint32_t *pairs = calloc(2 * (size_t)nrel + 2, sizeof *pairs);
	if (!pairs)
		return -1;
	wt_jitg_relocs(b->g, pairs);
	wt_rel_layout l;
	wt_rel_layout_init(&l, b->inst->module);
	uint32_t head[WT_OBJ_HEAD_WORDS] = {WT_OBJ_MAGIC, b->nlisted, nrel, l.base[WT_REL_KINDS]};
	const uint32_t *funcs = forge && forge->funcs ? forge->funcs : b->listed;
	export_blob(ctx, ch, WT_OBJ_IDENT, ident, strlen(ident) + 1);
	export_blob(ctx, u32, WT_OBJ_HEAD, head, WT_OBJ_HEAD_WORDS);
	export_blob(ctx, u32, WT_OBJ_FUNCS, funcs, b->nlisted);
	export_blob(ctx, u32, WT_OBJ_RELOCS, pairs, 2 * (size_t)nrel);
	free(pairs);
	export_link(b);
	return 0;
}

/* The largest body (bytes) of the list's functions (all defined ones when
 * funcs is NULL). */
static uint32_t largest_body(const wt_module *m, const uint32_t *funcs, uint32_t n)
{
	uint32_t count = funcs ? n : m->nfuncs - m->nfunc_imports, most = 0;
	for (uint32_t k = 0; k < count; k++) {
		uint32_t size = m->funcs[funcs ? funcs[k] : m->nfunc_imports + k].body_size;
		most = size > most ? size : most;
	}
	return most;
}

/* Every index of funcs[0..n) is a defined function of inst. */
static int check_list(const wt_instance *inst, const uint32_t *funcs, uint32_t n, wt_error *err)
{
	const wt_module *m = inst->module;
	for (uint32_t i = 0; funcs && i < n; i++)
		if (funcs[i] < m->nfunc_imports || funcs[i] >= m->nfuncs ||
		    inst->funcs[funcs[i]]->host || inst->funcs[funcs[i]]->instance != inst)
			return wt_fail_plain(err, WT_USAGE,
					     "function %u is not a defined function of the module",
					     funcs[i]);
	return 0;
}

/* Declares each function of the list (all defined ones when funcs is NULL)
 * the tier supports; counts them in st. */
static void declare_all(jit_build *b, const uint32_t *funcs, uint32_t n, wt_jit_stats *st)
{
	const wt_module *m = b->inst->module;
	uint32_t count = funcs ? n : m->nfuncs - m->nfunc_imports;
	for (uint32_t k = 0; k < count; k++) {
		uint32_t i = funcs ? funcs[k] : m->nfunc_imports + k;
		if (b->funcs[i].listed++)
			continue;
		st->funcs++;
		if (declare(b->g, b->inst->funcs[i], i, &b->funcs[i], st)) {
			st->compiled++;
			b->listed[b->nlisted++] = i;
		} else {
			st->fallback++;
		}
	}
}

static void build_free(jit_build *b)
{
	wt_jitg_free(b->g);
	if (b->ctx)
		gcc_jit_context_release(b->ctx);
	for (uint32_t i = 0; b->funcs && i < b->inst->module->nfuncs; i++)
		wt_code_free(b->funcs[i].code);
	free(b->funcs);
	free(b->listed);
}

static void report(const wt_jit_stats *st)
{
	if (getenv("WT_JIT_STATS"))
		fprintf(stderr,
			"wasi-tofu: jit: %u functions, %u compiled, %u interpreted, %llu words, "
			"%llu memory accesses (%llu unchecked), %.3f s\n",
			st->funcs, st->compiled, st->fallback, (unsigned long long)st->code_words,
			(unsigned long long)st->accesses, (unsigned long long)st->unchecked,
			st->seconds);
}

int wt_jit_build_as(wt_instance *inst, const uint8_t *sha256, const uint32_t *funcs, uint32_t n,
		    const char *so_path, const wt_obj_forge *forge, wt_jit_stats *stats,
		    wt_error *err)
{
	wt_jit_stats st = {0};
	const wt_module *m = inst->module;
	double t0 = wt_clock_seconds();
	int rc = check_list(inst, funcs, n, err);
	if (rc)
		return rc;
	if ((rc = wt_gccjit_load(err)) != 0)
		return rc;
	(void)wt_vm_stack_floor(); /* reads /proc/self/maps: before confinement */
	jit_build b = {.inst = inst, .funcs = calloc(m->nfuncs + 1, sizeof(jit_func))};
	b.listed = calloc(m->nfuncs + 1, sizeof *b.listed);
	b.ctx = new_context(largest_body(m, funcs, n), &st.big);
	b.g = b.ctx ? wt_jitg_new(b.ctx, inst) : NULL;
	if (!b.funcs || !b.listed || !b.g) {
		rc = wt_fail_plain(err, WT_NOMEM, "out of memory for the compiling tier");
		goto done;
	}
	declare_all(&b, funcs, n, &st);
	for (uint32_t k = 0; k < b.nlisted; k++) {
		uint32_t i = b.listed[k];
		wt_jitg_function(b.g, inst->funcs[i], b.funcs[i].code, b.funcs[i].fn, lookup, &b);
	}
	if (wt_jitg_failed(b.g)) {
		rc = wt_fail_plain(err, WT_INTERNAL,
				   "compiling tier: the code names an object outside the instance");
		goto done;
	}
	if (export_meta(&b, sha256, forge) != 0) {
		rc = wt_fail_plain(err, WT_NOMEM, "out of memory for the compiling tier");
		goto done;
	}
	wt_jitg_accesses(b.g, &st.accesses, &st.unchecked);
	wt_jit_signals kept;
	wt_jit_signals_save(&kept);
	gcc_jit_context_compile_to_file(b.ctx, GCC_JIT_OUTPUT_KIND_DYNAMIC_LIBRARY, so_path);
	wt_jit_signals_restore(&kept); /* the driver's handlers gone (jit_signals.h) */
	const char *why = gcc_jit_context_get_first_error(b.ctx);
	if (why)
		rc = wt_fail_plain(err, WT_INTERNAL, "compiling tier: %s", why);
done:
	st.seconds = wt_clock_seconds() - t0;
	report(&st);
	if (stats)
		*stats = st;
	build_free(&b);
	return rc;
}

int wt_jit_build(wt_instance *inst, const uint8_t *sha256, const uint32_t *funcs, uint32_t n,
		 const char *so_path, wt_jit_stats *stats, wt_error *err)
{
	return wt_jit_build_as(inst, sha256, funcs, n, so_path, NULL, stats, err);
}
