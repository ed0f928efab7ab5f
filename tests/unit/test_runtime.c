/* test_runtime.c: the store, runtime objects, traps and instantiation (store.c and friends). */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "objects.h"
#include "store.h"
#include "wt_test_util.h"

enum { PAGE = 65536 };

#include "wt_fail_alloc.h"

/* ---- the store and type interning ---- */

/* An error message quoting three maximal paths is never cut; a longer one
 * says that it was, and a prefix keeps the end mark. */
static void test_error_message_fits_three_paths(void **state)
{
	static char path[WT_ERROR_PATH_MAX];
	static wt_error err;
	(void)state;

	memset(path, 'p', sizeof path - 1);
	wt_error_init(&err);
	wt_fail_plain(&err, WT_DEVIATION, "%s: changed: %s, see %s.", path, path, path);
	assert_int_equal(strlen(err.msg), 3 * (sizeof path - 1) + strlen(": changed: , see ."));
	assert_string_equal(err.msg + strlen(err.msg) - 2, "p.");
	wt_error_init(&err);
	wt_fail_plain(&err, WT_IO, "%s%s%s%s", path, path, path, path);
	assert_string_equal(err.msg + strlen(err.msg) - 6, " [cut]");
	wt_error_prefix(&err, "%s", "module");
	assert_string_equal(err.msg + strlen(err.msg) - 6, " [cut]");
	assert_memory_equal(err.msg, "module: ppp", 11);
}

static void test_store_limits_default(void **state)
{
	wt_store_limits zero = {0}, set = {.fuel = 7,
					   .max_memory = 3 * PAGE,
					   .max_call_depth = 10,
					   .max_stack_slots = 100};
	wt_store *a = wt_store_new(&zero), *b = wt_store_new(&set), *c = wt_store_new(NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_int_equal(a->limits.max_memory, (uint64_t)4 << 30);
	assert_int_equal(a->limits.max_call_depth, 20000);
	assert_int_equal(a->limits.max_stack_slots, 1u << 20);
	assert_int_equal(c->limits.max_call_depth, 20000);
	assert_int_equal(b->limits.max_memory, 3 * PAGE);
	assert_int_equal(b->limits.max_call_depth, 10);
	assert_int_equal(b->limits.max_stack_slots, 100);
	assert_int_equal(wt_store_fuel_left(b), 7);
	assert_int_equal(atomic_load(&b->interrupt), 0);
	wt_store_interrupt(b);
	assert_int_equal(atomic_load(&b->interrupt), 1);
	wt_store_free(a);
	wt_store_free(b);
	wt_store_free(c);
	wt_store_free(NULL);
}

static void test_store_own_frees_at_end(void **state)
{
	wt_store *s = wt_store_new(NULL);
	for (int i = 0; i < 100; i++) {
		char *p = wt_store_own(s, malloc(32));
		assert_non_null(p);
		memset(p, i, 32);
	}
	assert_null(wt_store_own(s, NULL));
	wt_store_free(s); /* the sanitizer build checks that nothing leaks */
}

static void test_intern_structural(void **state)
{
	static const uint8_t a1[] = {WT_I32, WT_I32}, a2[] = {WT_I32, WT_I32};
	static const uint8_t b[] = {WT_I32, WT_I64}, c[] = {WT_I32, WT_I32};
	const wt_functype types[] = {
	    {1, 1, a1},		     /* (i32) -> (i32) */
	    {0, 0, NULL}, {1, 1, b}, /* (i32) -> (i64) */
	    {2, 0, c},		     /* (i32 i32) -> () : same bytes as a1, other shape */
	    {0, 2, c},		     /* () -> (i32 i32) */
	    {1, 1, a2},		     /* (i32) -> (i32) again, other storage */
	    {0, 0, NULL},
	};
	const uint32_t want[] = {0, 1, 2, 3, 4, 0, 1};
	wt_store *s = wt_store_new(NULL);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		const wt_functype *out = NULL;
		uint32_t id = wt_store_intern(s, &types[i], &out);
		assert_int_equal(id, want[i]);
		assert_non_null(out);
		assert_ptr_not_equal(out, &types[i]);
		assert_int_equal(out->nparams, types[i].nparams);
		assert_int_equal(out->nresults, types[i].nresults);
		if (out->nparams + out->nresults)
			assert_memory_equal(out->types, types[i].types,
					    out->nparams + out->nresults);
	}
	assert_int_equal(s->ntypes, 5);
	wt_store_free(s);
}

/* Many distinct types keep dense ids and are found again (the hash grows). */
static void test_intern_many(void **state)
{
	enum { N = 20000 };
	uint8_t *bytes = malloc(N * 4);
	wt_functype *types = malloc(N * sizeof *types);
	const uint8_t vt[] = {WT_I32, WT_I64, WT_F32, WT_F64, WT_FUNCREF, WT_EXTERNREF};
	wt_store *s = wt_store_new(NULL);
	for (uint32_t i = 0; i < N; i++) {
		uint32_t v = i;
		for (int k = 0; k < 4; k++, v /= 6)
			bytes[i * 4 + k] = vt[v % 6];
		/* 6^4 = 1296 byte patterns x 5 shapes: all distinct below 6480 */
		types[i] = (wt_functype){i / 1296 % 5, 4 - i / 1296 % 5, &bytes[i * 4]};
	}
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(wt_store_intern(s, &types[i], NULL), i < 6480 ? i : i % 6480);
	assert_int_equal(s->ntypes, 6480);
	for (uint32_t i = 0; i < 6480; i++)
		assert_int_equal(wt_store_intern(s, &types[i], NULL), i);
	wt_store_free(s);
	free(bytes);
	free(types);
}

/* ---- memories ---- */

static void test_memory_grow_within_type_max(void **state)
{
	wt_store *s = wt_store_new(NULL);
	wt_memtype type = {{.min = 1, .max = 3, .has_max = 1}};
	wt_meminst *m = wt_memory_new(s, &type);
	assert_non_null(m);
	uint8_t *base = m->data;
	assert_int_equal(wt_memory_size(m), PAGE);
	const struct {
		uint64_t delta;
		int64_t ret;
		uint64_t pages;
	} steps[] = {{0, 1, 1},	 {1, 1, 2}, {2, -1, 2},		{1, 2, 3},
		     {1, -1, 3}, {0, 3, 3}, {UINT64_MAX, -1, 3}};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		assert_int_equal(wt_memory_grow(m, steps[i].delta), steps[i].ret);
		assert_int_equal(wt_memory_size(m), steps[i].pages * PAGE);
		assert_int_equal(wt_memory_type(m)->limits.min, steps[i].pages);
		assert_int_equal(wt_memory_type(m)->limits.max, 3);
	}
	assert_ptr_equal(m->data, base); /* the base never moves */
	for (uint64_t i = 0; i < 3 * PAGE; i += 4093)
		assert_int_equal(base[i], 0); /* fresh pages are zero */
	memset(base, 0xAB, 3 * PAGE);	      /* and writable */
	assert_int_equal(base[3 * PAGE - 1], 0xAB);
	wt_store_free(s);
}

static void test_memory_store_limit(void **state)
{
	wt_store_limits lim = {.max_memory = 2 * PAGE + 100};
	wt_store *s = wt_store_new(&lim);
	wt_memtype nomax = {{.min = 1}}, big = {{.min = 3}},
		   zero = {{.min = 0, .max = 0, .has_max = 1}};
	wt_meminst *m = wt_memory_new(s, &nomax);
	assert_non_null(m);
	assert_int_equal(m->max_pages, 2);
	assert_int_equal(wt_memory_grow(m, 1), 1);
	assert_int_equal(wt_memory_grow(m, 1), -1); /* past the store's limit: a failed grow */
	assert_int_equal(wt_memory_size(m), 2 * PAGE);
	assert_null(wt_memory_new(s, &big));
	wt_error err;
	wt_error_init(&err);
	wt_meminst *none;
	assert_int_equal(wt_memory_make(s, &big, &none, &err), WT_LIMIT);
	assert_null(none);
	assert_non_null(strstr(err.msg, "limit"));
	wt_meminst *z = wt_memory_new(s, &zero);
	assert_non_null(z);
	assert_int_equal(wt_memory_size(z), 0);
	assert_int_equal(wt_memory_grow(z, 1), -1);
	assert_non_null(wt_memory_span(z, 0, 0));
	assert_null(wt_memory_span(z, 0, 1));
	wt_store_free(s);
}

static void test_memory_span_bounds(void **state)
{
	wt_store *s = wt_store_new(NULL);
	wt_memtype type = {{.min = 2}};
	wt_meminst *m = wt_memory_new(s, &type);
	assert_non_null(m);
	const uint64_t size = 2 * PAGE;
	const struct {
		uint64_t addr, len;
		int ok;
	} cases[] = {
	    {0, 0, 1},		{0, size, 1},
	    {size - 1, 1, 1},	{size, 0, 1},
	    {size - 4, 4, 1},	{size - 3, 4, 0},
	    {size, 1, 0},	{size + 1, 0, 0},
	    {0, size + 1, 0},	{1, UINT64_MAX, 0}, /* addr + len wraps */
	    {UINT64_MAX, 2, 0},			    /* likewise */
	    {UINT64_MAX, 0, 0}, {0x100000000ull, 16, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t *p = wt_memory_span(m, cases[i].addr, cases[i].len);
		if (cases[i].ok)
			assert_ptr_equal(p, m->data + cases[i].addr);
		else
			assert_null(p);
	}
	wt_store_free(s);
}

/* ---- tables, globals, host functions ---- */

static void test_table_grow(void **state)
{
	wt_store *s = wt_store_new(NULL);
	wt_tabletype type = {WT_FUNCREF, {.min = 2, .max = 10, .has_max = 1}};
	wt_tableinst *t = wt_table_new(s, &type, 0x1234);
	assert_non_null(t);
	assert_int_equal(t->size, 2);
	assert_int_equal(t->max, 10);
	assert_int_equal(t->elems[0], 0x1234);
	assert_int_equal(t->elems[1], 0x1234);
	const struct {
		uint32_t delta;
		wt_slot init;
		int64_t ret;
		uint32_t size;
	} steps[] = {{3, 7, 2, 5},  {0, 9, 5, 5},   {6, 8, -1, 5},
		     {5, 8, 5, 10}, {1, 1, -1, 10}, {UINT32_MAX, 1, -1, 10}};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		assert_int_equal(wt_table_grow(t, steps[i].delta, steps[i].init), steps[i].ret);
		assert_int_equal(t->size, steps[i].size);
		assert_int_equal(wt_table_type(t)->limits.min, steps[i].size);
	}
	const wt_slot want[10] = {0x1234, 0x1234, 7, 7, 7, 8, 8, 8, 8, 8};
	assert_memory_equal(t->elems, want, sizeof want);
	assert_int_equal(wt_table_type(t)->elem, WT_FUNCREF);
	wt_store_free(s);
}

/* Without a type max, a table is bounded by UINT32_MAX entries and by the
 * store's memory limit (8 bytes an entry). */
static void test_table_limits(void **state)
{
	wt_store_limits lim = {.max_memory = 8 * 1000};
	wt_store *s = wt_store_new(&lim);
	wt_tabletype nomax = {WT_EXTERNREF, {.min = 0}}, big = {WT_FUNCREF, {.min = 1001}};
	wt_tableinst *t = wt_table_new(s, &nomax, 0);
	assert_non_null(t);
	assert_int_equal(t->max, 1000);
	for (int i = 0; i < 999; i++)
		assert_int_equal(wt_table_grow(t, 1, (wt_slot)i + 1), i);
	assert_int_equal(wt_table_grow(t, 2, 0), -1);
	assert_int_equal(wt_table_grow(t, 1, 5), 999);
	for (int i = 0; i < 999; i++)
		assert_int_equal(t->elems[i], i + 1);
	assert_int_equal(wt_table_grow(t, UINT32_MAX, 0), -1);
	assert_null(wt_table_new(s, &big, 0));
	wt_store_free(s);

	s = wt_store_new(NULL);
	t = wt_table_new(s, &nomax, 0);
	assert_int_equal(t->max, ((uint64_t)4 << 30) / 8);
	assert_int_equal(wt_table_grow(t, UINT32_MAX, 0), -1);
	assert_int_equal(t->size, 0);
	wt_store_free(s);
}

static void test_global_objects(void **state)
{
	wt_store *s = wt_store_new(NULL);
	const struct {
		wt_globaltype type;
		wt_slot value;
	} cases[] = {
	    {{WT_I32, 0}, 0xFFFFFFFFu},
	    {{WT_I64, 1}, 0x8000000000000000ull},
	    {{WT_F64, 1}, 0x7FF8000000000001ull}, /* a NaN payload is kept */
	    {{WT_EXTERNREF, 0}, 0},
	};
	wt_globalinst *g[4];
	for (int i = 0; i < 4; i++) {
		g[i] = wt_global_new(s, &cases[i].type, cases[i].value);
		assert_non_null(g[i]);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(wt_global_get(g[i]), cases[i].value);
		assert_int_equal(wt_global_type(g[i])->type, cases[i].type.type);
		assert_int_equal(wt_global_type(g[i])->mut, cases[i].type.mut);
	}
	wt_store_free(s);
}

static int host_nop(wt_host_call *call, const wt_slot *args, wt_slot *results)
{
	return 0;
}

static void test_host_func_type(void **state)
{
	static const uint8_t sig[] = {WT_I32, WT_I64, WT_F32};
	uint8_t copy[3];
	memcpy(copy, sig, 3);
	wt_functype type = {2, 1, copy};
	int data;
	wt_store *s = wt_store_new(NULL);
	wt_funcinst *f = wt_func_new_host(s, &type, host_nop, &data);
	assert_non_null(f);
	memset(copy, 0, 3); /* the type was copied */
	const wt_functype *t = wt_func_type(f);
	assert_int_equal(t->nparams, 2);
	assert_int_equal(t->nresults, 1);
	assert_memory_equal(t->types, sig, 3);
	assert_ptr_equal(f->host, host_nop);
	assert_ptr_equal(f->host_data, &data);
	assert_null(f->instance);
	wt_functype again = {2, 1, sig};
	assert_int_equal(wt_store_intern(s, &again, NULL), f->type.id);
	wt_funcinst *g = wt_func_new_host(s, &again, host_nop, NULL);
	assert_int_equal(g->type.id, f->type.id);
	wt_store_free(s);
}

/* ---- traps ---- */

static void test_trap_message_every_kind(void **state)
{
	assert_string_equal(wt_trap_message(WT_TRAP_DIV_ZERO), "integer divide by zero");
	assert_string_equal(wt_trap_message(WT_TRAP_MEMORY_OOB), "out of bounds memory access");
	assert_string_equal(wt_trap_message(WT_TRAP_HOST), "stopped by the host");
	assert_string_equal(wt_trap_message((wt_trap_kind)999), "unknown trap");
	for (int k = WT_TRAP_NONE; k <= WT_TRAP_HOST; k++)
		assert_true(strlen(wt_trap_message((wt_trap_kind)k)) > 0);
}

static void test_trap_format(void **state)
{
	const struct {
		wt_trap trap;
		const char *want;
	} cases[] = {
	    {{.kind = WT_TRAP_DIV_ZERO, .func_index = 3, .func_name = "fac", .code_offset = 0x1f2},
	     "integer divide by zero in function 3 <fac> at 0x1f2"},
	    {{.kind = WT_TRAP_UNREACHABLE, .func_index = 0, .code_offset = 0x20},
	     "unreachable in function 0 at 0x20"},
	    {{.kind = WT_TRAP_TABLE_OOB, .func_index = UINT32_MAX, .code_offset = 0x33},
	     "out of bounds table access at 0x33"},
	    {{.kind = WT_TRAP_STACK_EXHAUSTED, .func_index = UINT32_MAX}, "call stack exhausted"},
	    {{.kind = WT_TRAP_EXIT, .exit_code = 3, .func_index = 5}, "exit 3"},
	    {{.kind = WT_TRAP_EXIT, .exit_code = -1}, "exit -1"},
	    {{.kind = WT_TRAP_HOST, .msg = "policy said stop"}, "policy said stop"},
	    {{.kind = WT_TRAP_HOST}, "stopped by the host"},
	};
	char buf[300];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		wt_trap_format(&cases[i].trap, buf, sizeof buf);
		assert_string_equal(buf, cases[i].want);
	}
	/* Truncated, always terminated. */
	wt_trap_format(&cases[0].trap, buf, 10);
	assert_string_equal(buf, "integer d");
	wt_trap_format(&cases[0].trap, buf, 30);
	assert_string_equal(buf, "integer divide by zero in fun");
	buf[0] = 'x';
	wt_trap_format(&cases[0].trap, buf, 0);
	assert_int_equal(buf[0], 'x');
}

/* ---- instantiation of hand-built modules ---- */

/* A module built by hand: constant expressions are appended to `bytes`
 * (their wt_constexpr points into it). The arrays are the test's. */
typedef struct hand {
	wt_module m;
	uint8_t bytes[512];
} hand;

static wt_constexpr hand_expr(hand *h, const uint8_t *code, size_t len)
{
	wt_constexpr e = {(uint32_t)h->m.size, (uint32_t)len};
	memcpy(h->bytes + h->m.size, code, len);
	h->m.size += len;
	return e;
}

#define EXPR(h, ...) \
	hand_expr((h), (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static void hand_init(hand *h)
{
	memset(h, 0, sizeof *h);
	h->m.bytes = h->bytes;
	h->bytes[0] = 0; /* offset 0 holds nothing: no expression sits there */
	h->m.size = 8;
}

static int ninstances(const wt_store *s)
{
	int n = 0;
	for (const wt_instance *i = s->instances; i; i = i->next)
		n++;
	return n;
}

/* Exports of the resolver's world, by name. */
typedef struct world {
	const char *names[8];
	wt_extern values[8];
	int n;
} world;

static int world_resolve(void *ctx, const wt_module *m, const wt_import *imp, wt_extern *out,
			 wt_error *err)
{
	const world *w = ctx;
	for (int i = 0; i < w->n; i++)
		if (strlen(w->names[i]) == imp->name_len &&
		    memcmp(w->names[i], imp->name, imp->name_len) == 0) {
			*out = w->values[i];
			return 0;
		}
	return wt_fail_plain(err, WT_UNLINKABLE, "unknown import");
}

static const uint8_t sig_i32_i32[] = {WT_I32, WT_I32};

static wt_import make_import(const char *name, uint8_t kind)
{
	wt_import imp = {.module = "env",
			 .name = name,
			 .module_len = 3,
			 .name_len = (uint32_t)strlen(name),
			 .kind = kind};
	return imp;
}

/* Every import kind against matching and mismatching externs. */
static void test_instantiate_import_matching(void **state)
{
	wt_store *s = wt_store_new(NULL);
	wt_functype ft = {1, 1, sig_i32_i32}, other = {0, 0, NULL};
	wt_tabletype tt = {WT_FUNCREF, {.min = 5, .max = 10, .has_max = 1}};
	wt_tabletype tt_nomax = {WT_FUNCREF, {.min = 5}};
	wt_tabletype tt_ext = {WT_EXTERNREF, {.min = 5, .max = 10, .has_max = 1}};
	wt_memtype mt = {{.min = 2, .max = 4, .has_max = 1}};
	wt_globaltype g_const = {WT_I32, 0}, g_mut = {WT_I32, 1}, g_i64 = {WT_I64, 0};
	wt_extern f = {WT_EXTERN_FUNC, {.func = wt_func_new_host(s, &ft, host_nop, NULL)}};
	wt_extern f_other = {WT_EXTERN_FUNC, {.func = wt_func_new_host(s, &other, host_nop, NULL)}};
	wt_extern t = {WT_EXTERN_TABLE, {.table = wt_table_new(s, &tt, 0)}};
	wt_extern t_nomax = {WT_EXTERN_TABLE, {.table = wt_table_new(s, &tt_nomax, 0)}};
	wt_extern t_ext = {WT_EXTERN_TABLE, {.table = wt_table_new(s, &tt_ext, 0)}};
	wt_extern mem = {WT_EXTERN_MEMORY, {.memory = wt_memory_new(s, &mt)}};
	wt_extern gc = {WT_EXTERN_GLOBAL, {.global = wt_global_new(s, &g_const, 1)}};
	wt_extern gm = {WT_EXTERN_GLOBAL, {.global = wt_global_new(s, &g_mut, 1)}};
	wt_extern g64 = {WT_EXTERN_GLOBAL, {.global = wt_global_new(s, &g_i64, 1)}};
	wt_memtype want_mem[] = {
	    {{.min = 2, .max = 4, .has_max = 1}}, {{.min = 1}},
	    {{.min = 2, .max = 5, .has_max = 1}}, {{.min = 3}},
	    {{.min = 1, .max = 3, .has_max = 1}},
	};
	const int mem_ok[] = {1, 1, 1, 0, 0};
	const struct {
		uint8_t kind;
		wt_extern given;
		int ok;
		int variant; /* which declared type (tables: 0 = tt, 1 = min 6, 2 = max 20) */
	} cases[] = {
	    {WT_EXTERN_FUNC, f, 1, 0},
	    {WT_EXTERN_FUNC, f_other, 0, 0},
	    {WT_EXTERN_FUNC, gc, 0, 0}, /* wrong kind */
	    {WT_EXTERN_TABLE, t, 1, 0},
	    {WT_EXTERN_TABLE, t, 0, 1},	      /* actual min 5 < declared 6 */
	    {WT_EXTERN_TABLE, t, 1, 2},	      /* max 10 <= 20 */
	    {WT_EXTERN_TABLE, t_nomax, 0, 0}, /* declared a max, actual has none */
	    {WT_EXTERN_TABLE, t_nomax, 1, 3}, /* declared no max */
	    {WT_EXTERN_TABLE, t_ext, 0, 0},   /* element type differs */
	    {WT_EXTERN_GLOBAL, gc, 1, 0},
	    {WT_EXTERN_GLOBAL, gm, 0, 0},  /* mutability differs */
	    {WT_EXTERN_GLOBAL, g64, 0, 0}, /* value type differs */
	    {WT_EXTERN_GLOBAL, gm, 1, 1},
	    {WT_EXTERN_MEMORY, mem, 1, 0},
	};
	const wt_tabletype table_variants[] = {
	    tt,
	    {WT_FUNCREF, {.min = 6, .max = 10, .has_max = 1}},
	    {WT_FUNCREF, {.min = 1, .max = 20, .has_max = 1}},
	    {WT_FUNCREF, {.min = 0}},
	};
	wt_functype types[] = {ft};
	static hand hands[sizeof cases / sizeof cases[0] + 5]; /* modules outlive the store */
	for (size_t i = 0; i < sizeof cases / sizeof cases[0] + 5; i++) {
		hand *h = &hands[i];
		hand_init(h);
		h->m.ntypes = 1;
		h->m.types = types;
		wt_import imp = make_import(
		    "x", i < sizeof cases / sizeof cases[0] ? cases[i].kind : WT_EXTERN_MEMORY);
		wt_func func = {.type_index = 0, .imported = 1};
		wt_table table = {.imported = 1};
		wt_memory memory = {.imported = 1};
		wt_global global = {.imported = 1};
		world w = {{"x"}, {mem}, 1};
		int ok;
		if (i < sizeof cases / sizeof cases[0]) {
			w.values[0] = cases[i].given;
			ok = cases[i].ok;
			imp.desc.table = table_variants[cases[i].variant];
			if (cases[i].kind == WT_EXTERN_FUNC)
				imp.desc.type_index = 0;
			if (cases[i].kind == WT_EXTERN_GLOBAL)
				imp.desc.global = cases[i].variant ? g_mut : g_const;
			if (cases[i].kind == WT_EXTERN_MEMORY)
				imp.desc.memory = mt;
		} else {
			imp.desc.memory = want_mem[i - sizeof cases / sizeof cases[0]];
			ok = mem_ok[i - sizeof cases / sizeof cases[0]];
		}
		switch (imp.kind) {
		case WT_EXTERN_FUNC:
			h->m.nfuncs = h->m.nfunc_imports = 1, h->m.funcs = &func;
			break;
		case WT_EXTERN_TABLE:
			table.type = imp.desc.table;
			h->m.ntables = h->m.ntable_imports = 1, h->m.tables = &table;
			break;
		case WT_EXTERN_MEMORY:
			memory.type = imp.desc.memory;
			h->m.nmemories = h->m.nmemory_imports = 1, h->m.memories = &memory;
			break;
		default:
			global.type = imp.desc.global;
			h->m.nglobals = h->m.nglobal_imports = 1, h->m.globals = &global;
			break;
		}
		h->m.nimports = 1;
		h->m.imports = &imp;
		wt_instance *inst = NULL;
		wt_trap trap;
		wt_error err;
		wt_error_init(&err);
		int rc = wt_instantiate(s, &h->m, world_resolve, &w, &inst, &trap, &err);
		if (ok) {
			assert_int_equal(rc, 0);
			assert_non_null(inst);
		} else {
			assert_int_equal(rc, WT_UNLINKABLE);
			assert_null(inst);
			assert_non_null(strstr(err.msg, "incompatible import type"));
		}
	}
	assert_int_equal(ninstances(s), 10); /* the failed ones left nothing behind */
	wt_store_free(s);
}

static void test_instantiate_unknown_import(void **state)
{
	wt_store *s = wt_store_new(NULL);
	hand h;
	hand_init(&h);
	wt_import imp = make_import("missing", WT_EXTERN_GLOBAL);
	imp.desc.global = (wt_globaltype){WT_I32, 0};
	wt_global g = {.type = imp.desc.global, .imported = 1};
	h.m.nimports = 1, h.m.imports = &imp;
	h.m.nglobals = h.m.nglobal_imports = 1, h.m.globals = &g;
	world w = {.n = 0};
	wt_instance *inst;
	wt_trap trap;
	wt_error err;
	wt_error_init(&err);
	assert_int_equal(wt_instantiate(s, &h.m, world_resolve, &w, &inst, &trap, &err),
			 WT_UNLINKABLE);
	assert_non_null(strstr(err.msg, "unknown import"));
	wt_error_init(&err);
	assert_int_equal(wt_instantiate(s, &h.m, NULL, NULL, &inst, &trap, &err), WT_UNLINKABLE);
	assert_string_equal(err.msg, "unknown import \"env\" \"missing\"");
	assert_int_equal(ninstances(s), 0);
	wt_store_free(s);
}

/* Globals read imported globals; exports give the objects back. */
static void test_instantiate_globals_and_exports(void **state)
{
	wt_store *s = wt_store_new(NULL);
	wt_globaltype gi = {WT_I32, 0};
	world w = {{"base"}, {{WT_EXTERN_GLOBAL, {.global = wt_global_new(s, &gi, 42)}}}, 1};
	hand h;
	hand_init(&h);
	wt_import imp = make_import("base", WT_EXTERN_GLOBAL);
	imp.desc.global = gi;
	wt_global globals[] = {
	    {gi, 1, {0, 0}},
	    {gi, 0, EXPR(&h, 0x23, 0x00, 0x0b)},		      /* global.get 0 */
	    {{WT_I64, 1}, 0, EXPR(&h, 0x42, 0x7f, 0x0b)},	      /* i64.const -1 */
	    {{WT_F32, 0}, 0, EXPR(&h, 0x43, 0, 0, 0xc0, 0x7f, 0x0b)}, /* f32 NaN */
	    {{WT_FUNCREF, 0}, 0, EXPR(&h, 0xd2, 0x00, 0x0b)},	      /* ref.func 0 */
	    {{WT_EXTERNREF, 0}, 0, EXPR(&h, 0xd0, 0x6f, 0x0b)},	      /* ref.null extern */
	};
	wt_functype types[] = {{0, 0, NULL}};
	wt_func funcs[] = {{.type_index = 0}};
	wt_memory mems[] = {{{{.min = 1}}, 0}};
	wt_export exports[] = {
	    {"g1", 2, WT_EXTERN_GLOBAL, 1},
	    {"f", 1, WT_EXTERN_FUNC, 0},
	    {"mem", 3, WT_EXTERN_MEMORY, 0},
	    {"imported", 8, WT_EXTERN_GLOBAL, 0},
	};
	h.m.nimports = 1, h.m.imports = &imp;
	h.m.nglobals = 6, h.m.nglobal_imports = 1, h.m.globals = globals;
	h.m.ntypes = 1, h.m.types = types;
	h.m.nfuncs = 1, h.m.funcs = funcs;
	h.m.nmemories = 1, h.m.memories = mems;
	h.m.nexports = 4, h.m.exports = exports;
	wt_instance *inst;
	wt_trap trap;
	wt_error err;
	wt_error_init(&err);
	assert_int_equal(wt_instantiate(s, &h.m, world_resolve, &w, &inst, &trap, &err), 0);
	const wt_slot want[] = {42, 42, UINT64_MAX, 0x7fc00000u, (wt_slot)(uintptr_t)inst->funcs[0],
				0};
	for (int i = 0; i < 6; i++)
		assert_int_equal(wt_global_get(inst->globals[i]), want[i]);
	assert_ptr_equal(inst->globals[0], w.values[0].u.global);
	assert_ptr_equal(inst->funcs[0]->instance, inst);
	assert_null(inst->funcs[0]->code);
	assert_int_equal(inst->funcs[0]->func_index, 0);

	wt_extern ext;
	assert_int_equal(wt_instance_export(inst, "g1", 2, &ext), 0);
	assert_int_equal(ext.kind, WT_EXTERN_GLOBAL);
	assert_ptr_equal(ext.u.global, inst->globals[1]);
	assert_int_equal(wt_instance_export(inst, "f", 1, &ext), 0);
	assert_ptr_equal(ext.u.func, inst->funcs[0]);
	assert_int_equal(wt_instance_export(inst, "mem", 3, &ext), 0);
	assert_ptr_equal(ext.u.memory, wt_instance_memory(inst));
	assert_int_equal(wt_memory_size(ext.u.memory), PAGE);
	assert_int_equal(wt_instance_export(inst, "imported", 8, &ext), 0);
	assert_ptr_equal(ext.u.global, w.values[0].u.global);
	assert_int_equal(wt_instance_export(inst, "g", 1, &ext), -1);
	assert_int_equal(wt_instance_export(inst, "g1x", 3, &ext), -1);
	assert_ptr_equal(wt_instance_module(inst), &h.m);
	wt_store_free(s);
}

/* Active element and data segments are applied in order; declarative and
 * active ones are dropped, passive ones kept; an out-of-bounds segment
 * traps after the earlier ones took effect. */
static void test_instantiate_segments(void **state)
{
	wt_store *s = wt_store_new(NULL);
	wt_memtype mt = {{.min = 1}};
	wt_tabletype tt = {WT_FUNCREF, {.min = 4}};
	wt_meminst *shared_mem = wt_memory_new(s, &mt);
	wt_tableinst *shared_table = wt_table_new(s, &tt, 0);
	world w = {{"mem", "tab"},
		   {{WT_EXTERN_MEMORY, {.memory = shared_mem}},
		    {WT_EXTERN_TABLE, {.table = shared_table}}},
		   2};
	static const uint32_t fidx[] = {1, 0};
	const struct {
		uint32_t elem_at, data_at; /* offsets of the last element / data segment */
		int rc;
		wt_trap_kind trap;
	} cases[] = {
	    {2, 65533, 0, WT_TRAP_NONE},
	    {3, 0, -1, WT_TRAP_TABLE_OOB},	/* 3 + 2 > 4 */
	    {2, 65534, -1, WT_TRAP_MEMORY_OOB}, /* 65534 + 3 > 65536 */
	    {0xFFFFFFFF, 0, -1, WT_TRAP_TABLE_OOB},
	    {2, 0xFFFFFFFF, -1, WT_TRAP_MEMORY_OOB},
	};
	static hand hands[sizeof cases / sizeof cases[0]]; /* modules outlive the store */
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		memset(shared_mem->data, 0, 16);
		memset(shared_table->elems, 0, 4 * sizeof(wt_slot));
		hand *h = &hands[c];
		hand_init(h);
		wt_import imps[] = {make_import("mem", WT_EXTERN_MEMORY),
				    make_import("tab", WT_EXTERN_TABLE)};
		imps[0].desc.memory = mt;
		imps[1].desc.table = tt;
		wt_memory mems[] = {{mt, 1}};
		wt_table tables[] = {{tt, 1}};
		wt_functype types[] = {{0, 0, NULL}};
		wt_func funcs[] = {{.type_index = 0}, {.type_index = 0}};
		/* i32.const with a 5-byte LEB, so any 32-bit offset fits */
		uint8_t e5[7], d5[7];
		uint32_t ev = cases[c].elem_at, dv = cases[c].data_at;
		e5[0] = d5[0] = 0x41;
		for (int k = 0; k < 5; k++) {
			int32_t sv = (int32_t)ev, sd = (int32_t)dv;
			e5[1 + k] = (uint8_t)(((sv >> (7 * k)) & 0x7f) | (k < 4 ? 0x80 : 0));
			d5[1 + k] = (uint8_t)(((sd >> (7 * k)) & 0x7f) | (k < 4 ? 0x80 : 0));
		}
		e5[6] = d5[6] = 0x0b;
		wt_constexpr exprs[] = {EXPR(h, 0xd2, 0x01, 0x0b), EXPR(h, 0xd0, 0x70, 0x0b)};
		wt_elem elems[] = {
		    {WT_SEG_ACTIVE, WT_FUNCREF, 0, EXPR(h, 0x41, 0x00, 0x0b), 2, fidx, NULL},
		    {WT_SEG_PASSIVE, WT_FUNCREF, 0, {0, 0}, 2, fidx, NULL},
		    {WT_SEG_DECLARATIVE, WT_FUNCREF, 0, {0, 0}, 1, fidx, NULL},
		    {WT_SEG_ACTIVE, WT_FUNCREF, 0, hand_expr(h, e5, 7), 2, NULL, exprs},
		};
		uint32_t bytes_at = (uint32_t)h->m.size;
		EXPR(h, 'a', 'b', 'c');
		wt_data datas[] = {
		    {WT_SEG_ACTIVE, 0, EXPR(h, 0x41, 0x01, 0x0b), bytes_at, 3},
		    {WT_SEG_PASSIVE, 0, {0, 0}, bytes_at, 3},
		    {WT_SEG_ACTIVE, 0, hand_expr(h, d5, 7), bytes_at, 3},
		};
		h->m.nimports = 2, h->m.imports = imps;
		h->m.nmemories = h->m.nmemory_imports = 1, h->m.memories = mems;
		h->m.ntables = h->m.ntable_imports = 1, h->m.tables = tables;
		h->m.ntypes = 1, h->m.types = types;
		h->m.nfuncs = 2, h->m.funcs = funcs;
		h->m.nelems = 4, h->m.elems = elems;
		h->m.ndatas = 3, h->m.datas = datas;
		wt_instance *inst;
		wt_trap trap;
		wt_error err;
		wt_error_init(&err);
		int before = ninstances(s);
		int rc = wt_instantiate(s, &h->m, world_resolve, &w, &inst, &trap, &err);
		assert_int_equal(rc, cases[c].rc);
		assert_int_equal(trap.kind, cases[c].trap);
		assert_int_equal(ninstances(s), before + 1); /* a trapped one stays in the store */
		wt_instance *made = s->instances;
		wt_slot f0 = (wt_slot)(uintptr_t)made->funcs[0],
			f1 = (wt_slot)(uintptr_t)made->funcs[1];
		/* The first element segment always took effect. */
		assert_int_equal(shared_table->elems[0], f1);
		assert_int_equal(shared_table->elems[1], f0);
		assert_int_equal(made->elem_dropped[0], 1);
		assert_int_equal(made->elem_dropped[1], 0);
		assert_int_equal(made->elem_dropped[2], 1);
		if (rc == 0) {
			assert_ptr_equal(inst, made);
			assert_int_equal(shared_table->elems[2], f1);
			assert_int_equal(shared_table->elems[3], 0);
			assert_int_equal(made->elem_dropped[3], 1);
			assert_memory_equal(shared_mem->data + 1, "abc", 3);
			assert_memory_equal(shared_mem->data + 65533, "abc", 3);
			assert_int_equal(made->data_dropped[0], 1);
			assert_int_equal(made->data_dropped[1], 0);
			assert_int_equal(made->data_dropped[2], 1);
			continue;
		}
		assert_null(inst);
		assert_int_equal(trap.func_index, UINT32_MAX);
		assert_true(trap.code_offset > 0);
		if (cases[c].trap == WT_TRAP_TABLE_OOB) {
			/* No data segment ran. */
			assert_int_equal(shared_mem->data[1], 0);
			assert_int_equal(made->elem_dropped[3], 0);
		} else {
			assert_memory_equal(shared_mem->data + 1, "abc", 3);
			assert_int_equal(made->data_dropped[0], 1);
			assert_int_equal(made->data_dropped[2], 0);
		}
	}
	wt_store_free(s);
}

/* Defined tables and memories share the store's one memory budget with
 * the instance's own arrays: each fits alone, not both (WT_LIMIT, naming
 * the one that did not fit). What a failed instantiation made stays
 * charged while it stays in the store; the instance itself is given back. */
static void test_instantiate_over_limits(void **state)
{
	wt_store_limits lim = {.max_memory = 4 * PAGE + 4096};
	wt_store *s = wt_store_new(&lim);
	hand h;
	hand_init(&h);
	wt_memory mems[] = {{{{.min = 5}}, 0}};
	wt_table tables[] = {{{WT_FUNCREF, {.min = PAGE / 8}}, 0}};
	h.m.nmemories = 1, h.m.memories = mems;
	wt_instance *inst;
	wt_trap trap;
	wt_error err;
	wt_error_init(&err);
	assert_int_equal(wt_instantiate(s, &h.m, NULL, NULL, &inst, &trap, &err), WT_LIMIT);
	assert_null(inst);
	assert_non_null(strstr(err.msg, "memory of 5 pages exceeds the memory limit"));
	assert_int_equal(wt_store_memory_used(s), 0);

	mems[0].type.limits.min = 4;
	h.m.ntables = 1, h.m.tables = tables;
	wt_error_init(&err);
	assert_int_equal(wt_instantiate(s, &h.m, NULL, NULL, &inst, &trap, &err), WT_LIMIT);
	assert_non_null(strstr(err.msg, "memory of 4 pages exceeds the memory limit"));
	assert_int_equal(wt_store_memory_used(s), PAGE); /* the table made before it */
	wt_store_free(s);

	s = wt_store_new(&lim);
	h.m.ntables = 0;
	wt_error_init(&err);
	assert_int_equal(wt_instantiate(s, &h.m, NULL, NULL, &inst, &trap, &err), 0);
	assert_int_equal(wt_memory_size(wt_instance_memory(inst)), 4 * PAGE);
	assert_in_range(wt_store_memory_used(s), 4 * PAGE + 1, 4 * PAGE + 4096);
	assert_int_equal(wt_memory_grow(wt_instance_memory(inst), 1), -1);
	assert_int_equal(ninstances(s), 1);
	wt_store_free(s);
}

/* One budget for every memory and table of a store, whoever made them:
 * the counter is exactly the committed pages plus the allocated entries;
 * a grow that does not fit fails (-1) and charges nothing; a table's
 * rounded-up capacity falls back to the exact size; what a failed grow
 * left is still usable by the others. */
static void test_store_budget_shared(void **state)
{
	wt_store_limits lim = {.max_memory = 4 * PAGE};
	wt_store *s = wt_store_new(&lim);
	wt_memtype mt = {{.min = 1}};
	wt_tabletype tt = {WT_EXTERNREF, {.min = 0}};
	wt_meminst *m = wt_memory_new(s, &mt);
	wt_tableinst *t = wt_table_new(s, &tt, 0), *u = wt_table_new(s, &tt, 0);
	assert_non_null(m);
	assert_non_null(t);
	assert_non_null(u);
	assert_int_equal(wt_store_memory_used(s), PAGE);
	assert_int_equal(wt_memory_grow(m, 1), 1);
	assert_int_equal(wt_store_memory_used(s), 2 * PAGE);
	/* A page of entries: 8192, a power of two. */
	assert_int_equal(wt_table_grow(t, PAGE / 8, 7), 0);
	assert_int_equal(wt_store_memory_used(s), 3 * PAGE);
	assert_int_equal(wt_memory_grow(m, 2), -1);
	assert_int_equal(wt_store_memory_used(s), 3 * PAGE);
	assert_int_equal(wt_table_grow(u, PAGE / 16, 0), 0);
	assert_int_equal(wt_store_memory_used(s), 3 * PAGE + PAGE / 2);
	/* 8193 entries would round up to 16384, a page more: half a page is
	 * left, and the exact size fits. */
	assert_int_equal(wt_table_grow(t, 1, 9), PAGE / 8);
	assert_int_equal(wt_store_memory_used(s), 3 * PAGE + PAGE / 2 + 8);
	assert_int_equal(t->elems[PAGE / 8 - 1], 7);
	assert_int_equal(t->elems[PAGE / 8], 9);
	assert_int_equal(wt_table_grow(u, PAGE / 16, 0), -1);
	assert_int_equal(u->size, PAGE / 16);
	assert_int_equal(wt_store_memory_used(s), 3 * PAGE + PAGE / 2 + 8);
	assert_int_equal(wt_table_grow(u, PAGE / 16 - 1, 0), PAGE / 16);
	assert_int_equal(wt_store_memory_used(s), 4 * PAGE);
	assert_int_equal(wt_memory_grow(m, 0), 2); /* a grow of nothing always fits */
	assert_int_equal(wt_memory_grow(m, 1), -1);
	assert_int_equal(wt_table_grow(u, 1, 0), -1);
	wt_error err;
	wt_error_init(&err);
	wt_meminst *none;
	assert_int_equal(wt_memory_make(s, &mt, &none, &err), WT_LIMIT);
	assert_non_null(strstr(err.msg, "memory of 1 pages exceeds the memory limit (65536 bytes "
					"needed, 0 of 262144 left)"));
	wt_store_free(s);
}

/* ---- instantiation of modules written in WAT (wat2wasm at test time) ---- */

/* A decoded and validated module with its bytes; both outlive the store. */
typedef struct wat {
	uint8_t *bytes;
	wt_module *m;
} wat;

static void wat_load(wat *w, const char *text)
{
	size_t size = 0;
	if (wt_test_wat_bytes(text, "2>/dev/null", &w->bytes, &size) != 0)
		skip(); /* no wat2wasm on this machine */
	wt_error err;
	wt_error_init(&err);
	assert_int_equal(wt_decode(w->bytes, size, &w->m, &err), 0);
	if (wt_validate(w->m, &err) != 0)
		fail_msg("%s", err.msg);
}

static void wat_free(wat *w)
{
	wt_module_free(w->m);
	free(w->bytes);
}

/* Resolves "env" imports from another instance's exports. */
static int instance_resolve(void *ctx, const wt_module *m, const wt_import *imp, wt_extern *out,
			    wt_error *err)
{
	if (wt_instance_export(ctx, imp->name, imp->name_len, out) != 0)
		return wt_fail_plain(err, WT_UNLINKABLE, "unknown import");
	return 0;
}

static const char provider_wat[] = "(module\n"
				   "  (func (export \"f\") (param i32) (result i32) local.get 0)\n"
				   "  (func (export \"g\") (param i64))\n"
				   "  (memory (export \"mem\") 1 2)\n"
				   "  (table (export \"tab\") 4 funcref)\n"
				   "  (global (export \"gi\") i32 (i32.const 7))\n"
				   "  (global (export \"gm\") (mut i32) (i32.const 8)))\n";

/* Imports resolved from a real instance: matching and not. */
static void test_wat_import_matching(void **state)
{
	const struct {
		const char *import;
		int rc;
		const char *msg;
	} cases[] = {
	    {"(import \"env\" \"f\" (func (param i32) (result i32)))", 0, NULL},
	    {"(import \"env\" \"g\" (func (param i32) (result i32)))", WT_UNLINKABLE,
	     "incompatible import type"},
	    {"(import \"env\" \"mem\" (memory 1))", 0, NULL},
	    {"(import \"env\" \"mem\" (memory 1 1))", WT_UNLINKABLE, "incompatible import type"},
	    {"(import \"env\" \"mem\" (memory 2))", WT_UNLINKABLE, "incompatible import type"},
	    {"(import \"env\" \"tab\" (table 3 funcref))", 0, NULL},
	    {"(import \"env\" \"tab\" (table 3 externref))", WT_UNLINKABLE,
	     "incompatible import type"},
	    {"(import \"env\" \"gi\" (global i32))", 0, NULL},
	    {"(import \"env\" \"gm\" (global i32))", WT_UNLINKABLE, "incompatible import type"},
	    {"(import \"env\" \"gm\" (global (mut i32)))", 0, NULL},
	    {"(import \"env\" \"f\" (global i32))", WT_UNLINKABLE, "incompatible import type"},
	    {"(import \"env\" \"nope\" (func))", WT_UNLINKABLE, "unknown import"},
	};
	enum { N = sizeof cases / sizeof cases[0] };
	wat provider, users[N];
	wat_load(&provider, provider_wat);
	wt_store *s = wt_store_new(NULL);
	wt_instance *p;
	wt_trap trap;
	wt_error err;
	wt_error_init(&err);
	assert_int_equal(wt_instantiate(s, provider.m, NULL, NULL, &p, &trap, &err), 0);
	for (size_t i = 0; i < N; i++) {
		char text[256];
		snprintf(text, sizeof text, "(module %s)", cases[i].import);
		wat_load(&users[i], text);
		wt_instance *inst;
		wt_error_init(&err);
		int rc = wt_instantiate(s, users[i].m, instance_resolve, p, &inst, &trap, &err);
		assert_int_equal(rc, cases[i].rc);
		if (cases[i].msg)
			assert_non_null(strstr(err.msg, cases[i].msg));
	}
	wt_store_free(s);
	for (size_t i = 0; i < N; i++)
		wat_free(&users[i]);
	wat_free(&provider);
}

/* Segments of a second module write into the provider's memory and table;
 * an out-of-bounds segment traps after the earlier ones took effect. */
static void test_wat_segments(void **state)
{
	const struct {
		const char *body;
		int rc;
		wt_trap_kind trap;
		uint32_t mem_at; /* where "hi" must be (or UINT32_MAX: nowhere) */
		int table_set;	 /* tab[1] holds the user's function */
	} cases[] = {
	    {"(elem (table $t) (i32.const 1) func $h) (data (memory $m) (i32.const 5) \"hi\")", 0,
	     WT_TRAP_NONE, 5, 1},
	    {"(elem (table $t) (i32.const 1) func $h) (data (memory $m) (i32.const 65535) \"hi\")",
	     -1, WT_TRAP_MEMORY_OOB, UINT32_MAX, 1},
	    {"(elem (table $t) (i32.const 1) func $h) (elem (table $t) (i32.const 4) func $h)"
	     " (data (memory $m) (i32.const 9) \"hi\")",
	     -1, WT_TRAP_TABLE_OOB, UINT32_MAX, 1},
	    {"(data (memory $m) (i32.const 20) \"hi\") (data (memory $m) (i32.const -1) \"\")", -1,
	     WT_TRAP_MEMORY_OOB, 20, 0},
	    {"(elem (table $t) (i32.const 4)) (data (memory $m) (i32.const 65534) \"hi\")", 0,
	     WT_TRAP_NONE, 65534, 0},
	    {"(elem (table $t) (i32.const 5)) (data (memory $m) (i32.const 0) \"hi\")", -1,
	     WT_TRAP_TABLE_OOB, UINT32_MAX, 0},
	};
	enum { N = sizeof cases / sizeof cases[0] };
	wat provider, users[N];
	wat_load(&provider, provider_wat);
	for (size_t i = 0; i < N; i++) {
		char text[512];
		snprintf(text, sizeof text,
			 "(module (import \"env\" \"mem\" (memory $m 1))"
			 " (import \"env\" \"tab\" (table $t 1 funcref))"
			 " (func $h) %s)",
			 cases[i].body);
		wat_load(&users[i], text);
	}
	for (size_t i = 0; i < N; i++) {
		wt_store *s = wt_store_new(NULL);
		wt_instance *p, *inst;
		wt_trap trap;
		wt_error err;
		wt_error_init(&err);
		assert_int_equal(wt_instantiate(s, provider.m, NULL, NULL, &p, &trap, &err), 0);
		int rc = wt_instantiate(s, users[i].m, instance_resolve, p, &inst, &trap, &err);
		assert_int_equal(rc, cases[i].rc);
		assert_int_equal(trap.kind, cases[i].trap);
		wt_meminst *mem = wt_instance_memory(p);
		for (uint32_t at = 0; at + 1 < wt_memory_size(mem); at++)
			if (at != cases[i].mem_at)
				assert_false(mem->data[at] == 'h' && mem->data[at + 1] == 'i');
		if (cases[i].mem_at != UINT32_MAX)
			assert_memory_equal(mem->data + cases[i].mem_at, "hi", 2);
		wt_instance *made = s->instances; /* the user's, trapped or not */
		assert_ptr_not_equal(made, p);
		wt_slot want = cases[i].table_set ? (wt_slot)(uintptr_t)made->funcs[0] : 0;
		assert_int_equal(p->tables[0]->elems[1], want);
		if (rc)
			assert_null(inst);
		wt_store_free(s);
	}
	for (size_t i = 0; i < N; i++)
		wat_free(&users[i]);
	wat_free(&provider);
}

/* Passive segments are kept, declarative ones dropped; element
 * expressions and globals read imports. */
static void test_wat_segment_modes(void **state)
{
	wat provider, user;
	wat_load(&provider, provider_wat);
	wat_load(&user,
		 "(module (import \"env\" \"gi\" (global $gi i32))\n"
		 "  (import \"env\" \"f\" (func $f (param i32) (result i32)))\n"
		 "  (global $g2 i32 (global.get $gi))\n"
		 "  (global $r funcref (ref.func $f))\n"
		 "  (table $t 10 funcref) (memory 1)\n"
		 "  (elem (table $t) (global.get $gi) funcref (ref.func $f) (ref.null func))\n"
		 "  (elem funcref (ref.func $f))\n"
		 "  (elem declare func $f)\n"
		 "  (data (global.get $gi) \"abc\") (data \"passive\"))\n");
	wt_store *s = wt_store_new(NULL);
	wt_instance *p, *inst;
	wt_trap trap;
	wt_error err;
	wt_error_init(&err);
	assert_int_equal(wt_instantiate(s, provider.m, NULL, NULL, &p, &trap, &err), 0);
	assert_int_equal(wt_instantiate(s, user.m, instance_resolve, p, &inst, &trap, &err), 0);
	wt_extern f;
	assert_int_equal(wt_instance_export(p, "f", 1, &f), 0);
	assert_ptr_equal(inst->funcs[0], f.u.func);
	assert_int_equal(wt_global_get(inst->globals[1]), 7);
	assert_int_equal(wt_global_get(inst->globals[2]), (wt_slot)(uintptr_t)f.u.func);
	assert_int_equal(inst->tables[0]->elems[7], (wt_slot)(uintptr_t)f.u.func);
	assert_int_equal(inst->tables[0]->elems[8], 0);
	const uint8_t want_elem[] = {1, 0, 1}, want_data[] = {1, 0};
	assert_memory_equal(inst->elem_dropped, want_elem, 3);
	assert_memory_equal(inst->data_dropped, want_data, 2);
	assert_memory_equal(wt_instance_memory(inst)->data + 7, "abc", 3);
	wt_slot item;
	assert_int_equal(wt_elem_item(inst, &user.m->elems[1], 0, &item, &err), 0);
	assert_int_equal(item, (wt_slot)(uintptr_t)f.u.func);
	wt_store_free(s);
	wat_free(&user);
	wat_free(&provider);
}

/* The start function runs through wt_call after the segments; when it
 * traps, its effects on shared memory stay and the trap names it. */
static void test_wat_start_function(void **state)
{
	const struct {
		const char *start_body;
		int rc;
		wt_trap_kind trap;
		const char *format; /* prefix of wt_trap_format's text */
	} cases[] = {
	    {"(i32.store8 (i32.const 3) (i32.load8_u (i32.const 1)))", 0, WT_TRAP_NONE, NULL},
	    {"(i32.store8 (i32.const 3) (i32.load8_u (i32.const 1))) unreachable", -1,
	     WT_TRAP_UNREACHABLE, "unreachable in function 0 at 0x"},
	    {"(i32.store8 (i32.const 3) (i32.load8_u (i32.const 1)))"
	     " (drop (i32.div_u (i32.const 1) (i32.const 0)))",
	     -1, WT_TRAP_DIV_ZERO, "integer divide by zero in function 0 at 0x"},
	};
	enum { N = sizeof cases / sizeof cases[0] };
	wat provider, users[N];
	wat_load(&provider, provider_wat);
	for (size_t i = 0; i < N; i++) {
		char text[512];
		snprintf(text, sizeof text,
			 "(module (import \"env\" \"mem\" (memory 1))"
			 " (func $boot %s) (start $boot) (data (i32.const 1) \"Z\"))",
			 cases[i].start_body);
		wat_load(&users[i], text);
	}
	for (size_t i = 0; i < N; i++) {
		wt_store *s = wt_store_new(NULL);
		wt_instance *p, *inst;
		wt_trap trap;
		wt_error err;
		wt_error_init(&err);
		assert_int_equal(wt_instantiate(s, provider.m, NULL, NULL, &p, &trap, &err), 0);
		int rc = wt_instantiate(s, users[i].m, instance_resolve, p, &inst, &trap, &err);
		assert_int_equal(rc, cases[i].rc);
		assert_int_equal(trap.kind, cases[i].trap);
		assert_int_equal(wt_instance_memory(p)->data[3], 'Z'); /* the start ran */
		if (cases[i].format) {
			char buf[200];
			assert_null(inst);
			wt_trap_format(&trap, buf, sizeof buf);
			assert_memory_equal(buf, cases[i].format, strlen(cases[i].format));
		} else {
			assert_non_null(inst);
		}
		wt_store_free(s);
	}
	for (size_t i = 0; i < N; i++)
		wat_free(&users[i]);
	wat_free(&provider);
}

#if WT_FAILALLOC
/* One full scenario: a store, host objects, an instantiation with
 * imports, globals and segments. 0 when it all worked. */
static int alloc_scenario(void)
{
	static hand h;
	hand_init(&h);
	wt_store *s = wt_store_new(NULL);
	if (!s)
		return -1;
	wt_functype ft = {1, 1, sig_i32_i32};
	wt_globaltype gi = {WT_I32, 0};
	wt_memtype mt = {{.min = 1}};
	wt_tabletype tt = {WT_FUNCREF, {.min = 4}};
	world w = {{"f", "g"},
		   {{WT_EXTERN_FUNC, {.func = wt_func_new_host(s, &ft, host_nop, NULL)}},
		    {WT_EXTERN_GLOBAL, {.global = wt_global_new(s, &gi, 3)}}},
		   2};
	wt_import imps[] = {make_import("f", WT_EXTERN_FUNC), make_import("g", WT_EXTERN_GLOBAL)};
	imps[1].desc.global = gi;
	wt_functype types[] = {ft, {0, 0, NULL}};
	wt_func funcs[] = {{.type_index = 0, .imported = 1}, {.type_index = 1}, {.type_index = 0}};
	wt_global globals[] = {{gi, 1, {0, 0}}, {gi, 0, EXPR(&h, 0x23, 0x00, 0x0b)}};
	wt_memory mems[] = {{mt, 0}};
	wt_table tables[] = {{tt, 0}};
	static const uint32_t fidx[] = {0, 1, 2};
	wt_elem elems[] = {
	    {WT_SEG_ACTIVE, WT_FUNCREF, 0, EXPR(&h, 0x41, 0x01, 0x0b), 3, fidx, NULL}};
	uint32_t at = (uint32_t)h.m.size;
	EXPR(&h, 'x', 'y');
	wt_data datas[] = {{WT_SEG_ACTIVE, 0, EXPR(&h, 0x23, 0x01, 0x0b), at, 2}};
	h.m.nimports = 2, h.m.imports = imps;
	h.m.ntypes = 2, h.m.types = types;
	h.m.nfuncs = 3, h.m.nfunc_imports = 1, h.m.funcs = funcs;
	h.m.nglobals = 2, h.m.nglobal_imports = 1, h.m.globals = globals;
	h.m.nmemories = 1, h.m.memories = mems;
	h.m.ntables = 1, h.m.tables = tables;
	h.m.nelems = 1, h.m.elems = elems;
	h.m.ndatas = 1, h.m.datas = datas;
	wt_instance *inst = NULL;
	wt_trap trap;
	wt_error err;
	wt_error_init(&err);
	int rc = -1;
	if (w.values[0].u.func && w.values[1].u.global &&
	    wt_instantiate(s, &h.m, world_resolve, &w, &inst, &trap, &err) == 0) {
		rc = 0;
		assert_memory_equal(wt_instance_memory(inst)->data + 3, "xy", 2);
		assert_int_equal(inst->tables[0]->elems[3], (wt_slot)(uintptr_t)inst->funcs[2]);
	} else if (w.values[0].u.func && w.values[1].u.global) {
		assert_int_equal(err.code, WT_NOMEM); /* the only way this can fail */
		assert_null(inst);
	}
	wt_store_free(s);
	return rc;
}
#endif

/* Failing the n-th allocation, for every n, fails cleanly and leaks
 * nothing; the scenario eventually runs through. */
static void test_alloc_failure_every_step(void **state)
{
#if WT_FAILALLOC
	long n;
	for (n = 0; n < 1000; n++) {
		long before = live_blocks;
		fail_countdown = n;
		int rc = alloc_scenario();
		int injected = fail_countdown < 0;
		fail_countdown = -1;
		assert_int_equal(live_blocks, before);
		if (!injected) {
			assert_int_equal(rc, 0);
			break;
		}
	}
	assert_true(n > 10 && n < 1000);
#else
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_error_message_fits_three_paths),
	    cmocka_unit_test(test_store_limits_default),
	    cmocka_unit_test(test_store_own_frees_at_end),
	    cmocka_unit_test(test_intern_structural),
	    cmocka_unit_test(test_intern_many),
	    cmocka_unit_test(test_memory_grow_within_type_max),
	    cmocka_unit_test(test_memory_store_limit),
	    cmocka_unit_test(test_memory_span_bounds),
	    cmocka_unit_test(test_table_grow),
	    cmocka_unit_test(test_table_limits),
	    cmocka_unit_test(test_global_objects),
	    cmocka_unit_test(test_host_func_type),
	    cmocka_unit_test(test_trap_message_every_kind),
	    cmocka_unit_test(test_trap_format),
	    cmocka_unit_test(test_instantiate_import_matching),
	    cmocka_unit_test(test_instantiate_unknown_import),
	    cmocka_unit_test(test_instantiate_globals_and_exports),
	    cmocka_unit_test(test_instantiate_segments),
	    cmocka_unit_test(test_instantiate_over_limits),
	    cmocka_unit_test(test_store_budget_shared),
	    cmocka_unit_test(test_wat_import_matching),
	    cmocka_unit_test(test_wat_segments),
	    cmocka_unit_test(test_wat_segment_modes),
	    cmocka_unit_test(test_wat_start_function),
	    cmocka_unit_test(test_alloc_failure_every_step),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
