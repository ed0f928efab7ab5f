/* spectest.c: the "spectest" host module the spec scripts import (print*, globals, table, memory).
 */
#include "spectest.h"

#include <string.h>

#include "value.h"

static const uint8_t t_i32[] = {WT_I32};
static const uint8_t t_i64[] = {WT_I64};
static const uint8_t t_f32[] = {WT_F32};
static const uint8_t t_f64[] = {WT_F64};
static const uint8_t t_i32_f32[] = {WT_I32, WT_F32};
static const uint8_t t_f64_f64[] = {WT_F64, WT_F64};

static const struct {
	const char *name;
	uint32_t nparams;
	const uint8_t *params;
} funcs[] = {
    {"print", 0, NULL},
    {"print_i32", 1, t_i32},
    {"print_i64", 1, t_i64},
    {"print_f32", 1, t_f32},
    {"print_f64", 1, t_f64},
    {"print_i32_f32", 2, t_i32_f32},
    {"print_f64_f64", 2, t_f64_f64},
};

/* 666.6 as f32 and f64 bits. */
#define BITS_F32_666_6 0x4426a666u
#define BITS_F64_666_6 0x4084d4cccccccccdull

static const struct {
	const char *name;
	wt_globaltype type;
	wt_slot value;
} globals[] = {
    {"global_i32", {WT_I32, 0}, 666},
    {"global_i64", {WT_I64, 0}, 666},
    {"global_f32", {WT_F32, 0}, BITS_F32_666_6},
    {"global_f64", {WT_F64, 0}, BITS_F64_666_6},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Every print function: writes "spectest.NAME(i32:1, f32:...)" to the trace. */
static int print_fn(wt_host_call *call, const wt_slot *args, wt_slot *results)
{
	const wt_spec_spectest_entry *e = call->data;
	if (!e->trace)
		return 0;
	fprintf(e->trace, "spectest.%s(", e->name);
	for (uint32_t i = 0; i < e->type.nparams; i++) {
		char buf[64];
		wt_spec_slot_format(e->type.types[i], &args[i], buf, sizeof buf);
		fprintf(e->trace, "%s%s", i ? ", " : "", buf);
	}
	fprintf(e->trace, ")\n");
	return 0;
}

static wt_spec_spectest_entry *add(wt_spec_spectest *t, const char *name, uint8_t kind)
{
	wt_spec_spectest_entry *e = &t->entries[t->n++];
	e->name = name;
	e->ext.kind = kind;
	return e;
}

static int add_funcs(wt_spec_spectest *t, wt_store *s, FILE *trace)
{
	for (size_t i = 0; i < COUNT(funcs); i++) {
		wt_spec_spectest_entry *e = add(t, funcs[i].name, WT_EXTERN_FUNC);
		e->type.nparams = funcs[i].nparams;
		e->type.types = funcs[i].params;
		e->trace = trace;
		e->ext.u.func = wt_func_new_host(s, &e->type, print_fn, e);
		if (!e->ext.u.func)
			return -1;
	}
	return 0;
}

static int add_globals(wt_spec_spectest *t, wt_store *s)
{
	for (size_t i = 0; i < COUNT(globals); i++) {
		wt_spec_spectest_entry *e = add(t, globals[i].name, WT_EXTERN_GLOBAL);
		e->ext.u.global = wt_global_new(s, &globals[i].type, globals[i].value);
		if (!e->ext.u.global)
			return -1;
	}
	return 0;
}

int wt_spec_spectest_init(wt_spec_spectest *t, wt_store *s, FILE *trace)
{
	_Static_assert(COUNT(funcs) + COUNT(globals) + 2 <= WT_SPEC_SPECTEST_MAX,
		       "spectest entries");
	memset(t, 0, sizeof *t);
	if (add_funcs(t, s, trace) || add_globals(t, s))
		return -1;
	wt_tabletype tt = {WT_FUNCREF, {10, 20, 1}};
	wt_spec_spectest_entry *e = add(t, "table", WT_EXTERN_TABLE);
	e->ext.u.table = wt_table_new(s, &tt, 0);
	if (!e->ext.u.table)
		return -1;
	wt_memtype mt = {{1, 2, 1}};
	e = add(t, "memory", WT_EXTERN_MEMORY);
	e->ext.u.memory = wt_memory_new(s, &mt);
	return e->ext.u.memory ? 0 : -1;
}

int wt_spec_spectest_find(const wt_spec_spectest *t, const char *name, size_t name_len,
			  wt_extern *out)
{
	for (size_t i = 0; i < t->n; i++) {
		const wt_spec_spectest_entry *e = &t->entries[i];
		if (strlen(e->name) == name_len && !memcmp(e->name, name, name_len)) {
			*out = e->ext;
			return 0;
		}
	}
	return -1;
}
