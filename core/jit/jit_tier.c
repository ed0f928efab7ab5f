/* jit_tier.c: the compiling tier's driver: every defined function of an instance through the
 * translator into one libgccjit context, compiled once; per-function fallback. */
#include <libgccjit.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "jit.h"
#include "jit_gen.h"
#include "jit_impl.h"
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

struct wt_jit {
	gcc_jit_result *result;
};

int wt_jit_available(void)
{
	return 1;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static gcc_jit_context *new_context(void)
{
	gcc_jit_context *ctx = gcc_jit_context_acquire();
	if (!ctx)
		return NULL;
	/* -O1: the kernels run as fast as with -O2 (docs/engine.md) for half
	 * the compile time; WT_JIT_O=N overrides it (measurements) */
	const char *o = getenv("WT_JIT_O");
	gcc_jit_context_set_int_option(ctx, GCC_JIT_INT_OPTION_OPTIMIZATION_LEVEL, o ? atoi(o) : 1);
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
	return ctx;
}

/* One function of the instance on its way through the translator. */
typedef struct jit_func {
	wt_code *code; /* detached; NULL: stays interpreted */
	gcc_jit_function *fn;
} jit_func;

typedef struct jit_build {
	wt_instance *inst;
	jit_func *funcs; /* by function index */
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

int wt_jit_compile_instance(wt_instance *inst, wt_jit **out, wt_jit_stats *stats, wt_error *err)
{
	wt_jit_stats st = {0};
	const wt_module *m = inst->module;
	double t0 = now();
	*out = NULL;
	(void)wt_vm_stack_floor(); /* reads /proc/self/maps: before confinement */
	jit_build b = {inst, calloc(m->nfuncs + 1, sizeof(jit_func))};
	gcc_jit_context *ctx = new_context();
	wt_jitg *g = ctx ? wt_jitg_new(ctx) : NULL;
	wt_jit *j = calloc(1, sizeof *j);
	int rc = 0;
	if (!b.funcs || !g || !j) {
		rc = wt_fail_plain(err, WT_NOMEM, "out of memory for the compiling tier");
		goto done;
	}
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
		wt_funcinst *f = inst->funcs[i];
		if (f->host || f->instance != inst)
			continue;
		st.funcs++;
		int ok = declare(g, f, i, &b.funcs[i], &st);
		st.compiled += ok;
		st.fallback += !ok;
	}
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
		if (b.funcs[i].fn)
			wt_jitg_function(g, inst->funcs[i], b.funcs[i].code, b.funcs[i].fn, lookup,
					 &b);
	j->result = gcc_jit_context_compile(ctx);
	if (!j->result) {
		const char *why = gcc_jit_context_get_first_error(ctx);
		rc = wt_fail_plain(err, WT_INTERNAL, why ? why : "libgccjit failed");
		goto done;
	}
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
		char name[32];
		if (!b.funcs[i].fn)
			continue;
		snprintf(name, sizeof name, "wt_f%u", i);
		inst->funcs[i]->jit = (wt_jit_fn)gcc_jit_result_get_code(j->result, name);
	}
	*out = j;
	j = NULL;
done:
	st.seconds = now() - t0;
	if (getenv("WT_JIT_STATS"))
		fprintf(stderr,
			"wasi-tofu: jit: %u functions, %u compiled, %u interpreted, %llu words, "
			"%.3f s\n",
			st.funcs, st.compiled, st.fallback, (unsigned long long)st.code_words,
			st.seconds);
	if (stats)
		*stats = st;
	if (j && j->result)
		gcc_jit_result_release(j->result);
	free(j);
	wt_jitg_free(g);
	if (ctx)
		gcc_jit_context_release(ctx);
	for (uint32_t i = 0; b.funcs && i < m->nfuncs; i++)
		wt_code_free(b.funcs[i].code);
	free(b.funcs);
	return rc;
}

void wt_jit_free(wt_jit *j)
{
	if (!j)
		return;
	gcc_jit_result_release(j->result);
	free(j);
}
