/* test_validate.c: unit tests of the validator: bodies, constant expressions, module rules, and
 * spec-suite coverage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "module.h"

/* ---- a small hand-built module around one function body ----
 *
 * types     0: [] -> []   1: [] -> [i32]   2: [i32] -> [i32]
 *           3: [i32 i32] -> [i32]   4: [] -> [i32 i64]   5: [i32] -> []
 * funcs     0: imported, type 0;  1: the body under test
 * tables    0: funcref;  1: externref
 * memory    0: one page (unless the case says none)
 * globals   0: imported immutable i32;  1: imported mutable i64
 * elems     0: passive funcref {func 0} (declares func 0 for ref.func)
 * datas     0: passive; a data count section (unless the case says none)
 *
 * The module's bytes are the body itself, so an error offset is the
 * offset of the instruction inside the body. */

static const uint8_t type_bytes[] = {
    WT_I32,		    /* 1: results */
    WT_I32, WT_I32,	    /* 2 */
    WT_I32, WT_I32, WT_I32, /* 3 */
    WT_I32, WT_I64,	    /* 4: results */
    WT_I32,		    /* 5: params */
};

enum { NO_MEMORY = 1, NO_DATACOUNT = 2, WITH_DATA = 4 };

typedef struct fixture {
	wt_module m;
	wt_functype types[6];
	wt_func funcs[2];
	wt_table tables[2];
	wt_memory memories[1];
	wt_global globals[2];
	wt_elem elems[1];
	wt_data datas[1];
	uint32_t elem_funcs[1];
} fixture;

static void fixture_types(fixture *f)
{
	f->types[0] = (wt_functype){0, 0, type_bytes};
	f->types[1] = (wt_functype){0, 1, type_bytes};
	f->types[2] = (wt_functype){1, 1, type_bytes + 1};
	f->types[3] = (wt_functype){2, 1, type_bytes + 3};
	f->types[4] = (wt_functype){0, 2, type_bytes + 6};
	f->types[5] = (wt_functype){1, 0, type_bytes + 8};
	f->m.ntypes = 6;
	f->m.types = f->types;
}

static void fixture_init(fixture *f, const uint8_t *body, size_t len, uint32_t type,
			 const char *locals, unsigned flags)
{
	memset(f, 0, sizeof *f);
	wt_arena_init(&f->m.arena);
	f->m.bytes = body;
	f->m.size = len;
	fixture_types(f);
	f->funcs[0] = (wt_func){.type_index = 0, .imported = 1};
	f->funcs[1] = (wt_func){.type_index = type,
				.body_size = (uint32_t)len,
				.nlocals = (uint32_t)strlen(locals),
				.local_types = (const uint8_t *)locals};
	f->m.nfuncs = 2;
	f->m.nfunc_imports = 1;
	f->m.funcs = f->funcs;
	f->tables[0].type = (wt_tabletype){WT_FUNCREF, {1, 0, 0}};
	f->tables[1].type = (wt_tabletype){WT_EXTERNREF, {1, 0, 0}};
	f->m.ntables = 2;
	f->m.tables = f->tables;
	f->memories[0].type.limits = (wt_limits){1, 0, 0};
	f->m.nmemories = flags & NO_MEMORY ? 0 : 1;
	f->m.memories = f->memories;
	f->globals[0] = (wt_global){.type = {WT_I32, 0}, .imported = 1};
	f->globals[1] = (wt_global){.type = {WT_I64, 1}, .imported = 1};
	f->m.nglobals = f->m.nglobal_imports = 2;
	f->m.globals = f->globals;
	f->elem_funcs[0] = 0;
	f->elems[0] = (wt_elem){
	    .mode = WT_SEG_PASSIVE, .type = WT_FUNCREF, .count = 1, .func_indices = f->elem_funcs};
	f->m.nelems = 1;
	f->m.elems = f->elems;
	f->datas[0] = (wt_data){.mode = WT_SEG_PASSIVE};
	f->m.ndatas = flags & (NO_DATACOUNT) && !(flags & WITH_DATA) ? 0 : 1;
	f->m.datas = f->datas;
	f->m.has_data_count = !(flags & NO_DATACOUNT);
	f->m.data_count = f->m.has_data_count ? 1 : 0;
}

static void fixture_fini(fixture *f)
{
	wt_arena_fini(&f->m.arena);
}

/* ---- function bodies ---- */

typedef struct body_case {
	const char *name;
	uint32_t type;
	const char *locals; /* declared local types, one byte each */
	const char *code;
	size_t len;
	unsigned flags;
	wt_status status;
	size_t offset;	 /* of the failing instruction, in the body */
	const char *msg; /* must appear in the message */
} body_case;

#define CODE(s) s, sizeof(s) - 1
/* v128.const 0 (18 bytes). */
#define V128_ZERO "\xfd\x0c\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"

static const body_case invalid_bodies[] = {
    {"add on empty stack", 0, "", CODE("\x6a\x0b"), 0, WT_INVALID, 0,
     "type mismatch: expected i32, got nothing"},
    {"add i32 and i64", 1, "", CODE("\x41\x00\x42\x00\x6a\x0b"), 0, WT_INVALID, 4,
     "type mismatch: expected i32, got i64"},
    {"missing result", 1, "", CODE("\x0b"), 0, WT_INVALID, 0, "type mismatch"},
    {"extra value at end", 0, "", CODE("\x41\x00\x0b"), 0, WT_INVALID, 2, "type mismatch"},
    {"unknown local", 0, "\x7f", CODE("\x20\x02\x1a\x0b"), 0, WT_INVALID, 0, "unknown local 2"},
    {"local.set of wrong type", 5, "\x7e", CODE("\x20\x00\x21\x01\x0b"), 0, WT_INVALID, 2,
     "expected i64, got i32"},
    {"unknown label", 0, "", CODE("\x02\x40\x0c\x02\x0b\x0b"), 0, WT_INVALID, 2, "unknown label 2"},
    {"unknown function", 0, "", CODE("\x10\x07\x0b"), 0, WT_INVALID, 0, "unknown function 7"},
    {"unknown global", 0, "", CODE("\x23\x02\x1a\x0b"), 0, WT_INVALID, 0, "unknown global 2"},
    {"immutable global", 0, "", CODE("\x41\x00\x24\x00\x0b"), 0, WT_INVALID, 2,
     "global is immutable"},
    {"alignment", 0, "", CODE("\x41\x00\x28\x03\x00\x1a\x0b"), 0, WT_INVALID, 2,
     "alignment must not be larger than natural"},
    {"load without memory", 0, "", CODE("\x41\x00\x28\x02\x00\x1a\x0b"), NO_MEMORY, WT_INVALID, 2,
     "unknown memory 0"},
    {"memory.grow without memory", 0, "", CODE("\x41\x00\x40\x00\x1a\x0b"), NO_MEMORY, WT_INVALID,
     2, "unknown memory 0"},
    {"select on references", 0, "", CODE("\xd0\x70\xd0\x70\x41\x01\x1b\x1a\x0b"), 0, WT_INVALID, 6,
     "type mismatch"},
    {"select of mixed types", 0, "", CODE("\x41\x00\x42\x00\x41\x01\x1b\x1a\x0b"), 0, WT_INVALID, 6,
     "type mismatch"},
    {"select_t with two types", 0, "", CODE("\x41\x00\x41\x00\x41\x01\x1c\x02\x7f\x7f\x1a\x0b"), 0,
     WT_INVALID, 6, "invalid result arity"},
    {"undeclared ref.func", 0, "", CODE("\xd2\x01\x1a\x0b"), 0, WT_INVALID, 0,
     "undeclared function reference"},
    {"call_indirect on externref table", 0, "", CODE("\x41\x00\x11\x00\x01\x0b"), 0, WT_INVALID, 2,
     "type mismatch"},
    {"call_indirect unknown type", 0, "", CODE("\x41\x00\x11\x09\x00\x0b"), 0, WT_INVALID, 2,
     "unknown type 9"},
    {"unknown table", 0, "", CODE("\x41\x00\x25\x05\x1a\x0b"), 0, WT_INVALID, 2, "unknown table 5"},
    {"table.set of wrong reftype", 0, "", CODE("\x41\x00\xd0\x6f\x26\x00\x0b"), 0, WT_INVALID, 4,
     "expected funcref, got externref"},
    {"table.copy across reftypes", 0, "", CODE("\x41\x00\x41\x00\x41\x00\xfc\x0e\x00\x01\x0b"), 0,
     WT_INVALID, 6, "type mismatch"},
    {"unknown data segment", 0, "", CODE("\xfc\x09\x03\x0b"), 0, WT_INVALID, 0,
     "unknown data segment 3"},
    {"unknown elem segment", 0, "", CODE("\xfc\x0d\x04\x0b"), 0, WT_INVALID, 0,
     "unknown elem segment 4"},
    {"unknown block type", 0, "", CODE("\x02\x09\x0b\x0b"), 0, WT_INVALID, 0, "unknown type 9"},
    {"if without else changes types", 0, "", CODE("\x41\x01\x04\x7f\x41\x00\x0b\x1a\x0b"), 0,
     WT_INVALID, 6, "type mismatch"},
    {"br_table arity", 0, "",
     CODE("\x02\x7f\x02\x40\x41\x00\x41\x00\x0e\x01\x00\x01\x0b\x41\x00\x0b\x1a\x0b"), 0,
     WT_INVALID, 8, "type mismatch"},
    {"br_if keeps the label's types", 1, "", CODE("\x02\x7f\x42\x00\x41\x00\x0d\x00\x0b\x0b"), 0,
     WT_INVALID, 6, "expected i32, got i64"},
    {"ref.is_null on i32", 0, "", CODE("\x41\x00\xd1\x1a\x0b"), 0, WT_INVALID, 2,
     "expected a reference, got i32"},
    {"return with wrong type", 1, "", CODE("\x42\x00\x0f\x0b"), 0, WT_INVALID, 2,
     "expected i32, got i64"},
    {"multi-value block results", 0, "", CODE("\x02\x04\x41\x00\x0b\x1a\x1a\x0b"), 0, WT_INVALID, 4,
     "expected i64, got i32"},
    {"missing END", 0, "", CODE("\x01\x01"), 0, WT_MALFORMED, 2, "END opcode expected"},
    {"code after the final end", 0, "", CODE("\x0b\x01"), 0, WT_MALFORMED, 1,
     "section size mismatch"},
    {"SIMD opcode not in 2.0", 0, "", CODE("\xfd\xe2\x01\x0b"), 0, WT_MALFORMED, 0,
     "illegal opcode"},
    {"SIMD lane out of range", 0, "", CODE(V128_ZERO "\xfd\x15\x10\x1a\x0b"), 0, WT_INVALID, 18,
     "invalid lane index 16"},
    {"SIMD shuffle index out of range", 0, "",
     CODE(V128_ZERO V128_ZERO "\xfd\x0d\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c"
			      "\x0d\x0e\x20\x1a\x0b"),
     0, WT_INVALID, 36, "invalid lane index 32"},
    {"v128 operand of i32.add", 0, "", CODE(V128_ZERO "\x41\x00\x6a\x1a\x0b"), 0, WT_INVALID, 20,
     "expected i32, got v128"},
    {"else without if", 0, "", CODE("\x02\x40\x05\x0b\x0b"), 0, WT_MALFORMED, 2,
     "else without a matching if"},
    {"data.drop without data count", 0, "", CODE("\xfc\x09\x00\x0b"), NO_DATACOUNT | WITH_DATA,
     WT_MALFORMED, 0, "data count section required"},
    {"malformed first, invalid later", 0, "", CODE("\x6a\x1a\xfc\x09\x00\x0b"),
     NO_DATACOUNT | WITH_DATA, WT_MALFORMED, 2, "data count section required"},
    {"ref.null of a number type", 0, "", CODE("\xd0\x7f\x1a\x0b"), 0, WT_MALFORMED, 0,
     "malformed reference type"},
};

static const body_case valid_bodies[] = {
    {"empty", 0, "", CODE("\x0b"), 0, 0, 0, NULL},
    {"add", 3, "", CODE("\x20\x00\x20\x01\x6a\x0b"), 0, 0, 0, NULL},
    {"unreachable then anything", 1, "", CODE("\x00\x6a\x45\x0b"), 0, 0, 0, NULL},
    {"br leaves a polymorphic stack", 1, "", CODE("\x02\x7f\x41\x01\x0c\x00\x6a\x0b\x0b"), 0, 0, 0,
     NULL},
    {"select over unknown", 0, "", CODE("\x00\x1b\x1a\x0b"), 0, 0, 0, NULL},
    {"br_table", 2, "", CODE("\x02\x7f\x02\x7f\x41\x07\x20\x00\x0e\x01\x00\x01\x0b\x0b\x0b"), 0, 0,
     0, NULL},
    {"multi-value block", 0, "", CODE("\x02\x04\x41\x00\x42\x00\x0b\x1a\x1a\x0b"), 0, 0, 0, NULL},
    {"loop with a param", 2, "", CODE("\x20\x00\x03\x02\x0b\x0b"), 0, 0, 0, NULL},
    {"if else with results", 2, "", CODE("\x20\x00\x04\x7f\x41\x01\x05\x41\x02\x0b\x0b"), 0, 0, 0,
     NULL},
    {"select_t of funcref", 0, "", CODE("\xd2\x00\xd0\x70\x41\x01\x1c\x01\x70\x1a\x0b"), 0, 0, 0,
     NULL},
    {"tables", 0, "",
     CODE("\x41\x00\x25\x00\xd0\x70\x41\x01\xfc\x0f\x00\x1a\x1a\xfc\x10\x01\x1a\x0b"), 0, 0, 0,
     NULL},
    {"bulk memory", 0, "",
     CODE("\x41\x00\x41\x00\x41\x00\xfc\x08\x00\x00\xfc\x09\x00\x41\x00\x41\x00\x41\x00\xfc\x0b\x00"
	  "\x0b"),
     0, 0, 0, NULL},
    {"locals and globals", 0, "\x7e\x7d", CODE("\x23\x01\x21\x00\x20\x00\x24\x01\x0b"), 0, 0, 0,
     NULL},
    {"saturating truncation", 0, "", CODE("\x43\x00\x00\x80\x3f\xfc\x00\x1a\x0b"), 0, 0, 0, NULL},
    {"sign extension", 0, "", CODE("\x42\x01\xc4\x1a\x0b"), 0, 0, 0, NULL},
};

static void run_body_case(const body_case *bc, wt_status *status, wt_error *err, fixture *f)
{
	wt_error_init(err);
	fixture_init(f, (const uint8_t *)bc->code, bc->len, bc->type, bc->locals, bc->flags);
	*status = (wt_status)wt_validate(&f->m, err);
}

static void test_validate_invalid_bodies(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof invalid_bodies / sizeof invalid_bodies[0]; i++) {
		const body_case *bc = &invalid_bodies[i];
		fixture f;
		wt_error err;
		wt_status st;
		run_body_case(bc, &st, &err, &f);
		if (st != bc->status || !err.has_offset || err.offset != bc->offset ||
		    !strstr(err.msg, bc->msg) ||
		    strncmp(err.msg, "code section, func 1: ", strlen("code section, func 1: ")))
			fail_msg("%s: got status %d at 0x%zx \"%s\", want %d at 0x%zx \"%s\"",
				 bc->name, st, err.offset, err.msg, bc->status, bc->offset,
				 bc->msg);
		fixture_fini(&f);
	}
}

static void test_validate_valid_bodies(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof valid_bodies / sizeof valid_bodies[0]; i++) {
		const body_case *bc = &valid_bodies[i];
		fixture f;
		wt_error err;
		wt_status st;
		run_body_case(bc, &st, &err, &f);
		if (st != WT_OK)
			fail_msg("%s: got status %d at 0x%zx: %s", bc->name, st, err.offset,
				 err.msg);
		fixture_fini(&f);
	}
}

/* max_stack counts values (one slot each); max_blocks counts the control
 * frames, the function's own included. */
static void test_validate_records_frame_sizes(void **state)
{
	static const struct {
		const char *code;
		size_t len;
		uint32_t max_stack, max_blocks;
	} cases[] = {
	    {CODE("\x0b"), 0, 1},
	    {CODE("\x41\x01\x41\x02\x6a\x1a\x0b"), 2, 1},
	    {CODE("\x02\x40\x03\x40\x41\x00\x41\x00\x41\x00\x1a\x1a\x1a\x0b\x0b\x0b"), 3, 3},
	    {CODE("\x02\x04\x41\x00\x42\x00\x0b\x1a\x1a\x0b"), 2, 2},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fixture f;
		wt_error err;
		wt_error_init(&err);
		fixture_init(&f, (const uint8_t *)cases[i].code, cases[i].len, 0, "", 0);
		assert_int_equal(wt_validate(&f.m, &err), 0);
		assert_int_equal(f.funcs[1].max_stack, cases[i].max_stack);
		assert_int_equal(f.funcs[1].max_blocks, cases[i].max_blocks);
		fixture_fini(&f);
	}
}

static void test_validate_declares_elem_functions(void **state)
{
	fixture f;
	wt_error err;
	(void)state;
	wt_error_init(&err);
	fixture_init(&f, (const uint8_t *)"\x0b", 1, 0, "", 0);
	assert_int_equal(wt_validate(&f.m, &err), 0);
	assert_non_null(f.m.func_declared);
	assert_int_equal(f.m.func_declared[0], 1);
	assert_int_equal(f.m.func_declared[1], 0);
	fixture_fini(&f);
}

/* A deep nest of blocks and a tall stack grow the stacks past their first
 * allocation. */
static void test_validate_grows_stacks(void **state)
{
	enum { DEPTH = 3000 };
	uint8_t *code = malloc(DEPTH * 4 + 1);
	size_t n = 0;
	fixture f;
	wt_error err;
	(void)state;
	for (int i = 0; i < DEPTH; i++) {
		code[n++] = 0x02;
		code[n++] = 0x40;
	}
	for (int i = 0; i < DEPTH; i++)
		code[n++] = 0x0b;
	code[n++] = 0x0b;
	wt_error_init(&err);
	fixture_init(&f, code, n, 0, "", 0);
	assert_int_equal(wt_validate(&f.m, &err), 0);
	assert_int_equal(f.funcs[1].max_blocks, DEPTH + 1);
	fixture_fini(&f);
	n = 0;
	for (int i = 0; i < DEPTH; i++) {
		code[n++] = 0x41;
		code[n++] = 0x00;
	}
	for (int i = 0; i < DEPTH; i++)
		code[n++] = 0x1a;
	code[n++] = 0x0b;
	fixture_init(&f, code, n, 0, "", 0);
	assert_int_equal(wt_validate(&f.m, &err), 0);
	assert_int_equal(f.funcs[1].max_stack, DEPTH);
	fixture_fini(&f);
	free(code);
}

/* ---- constant expressions ---- */

typedef struct const_case {
	const char *name;
	const char *code;
	size_t len;
	uint8_t type;
	wt_status status;
	const char *msg;
} const_case;

static const const_case const_cases[] = {
    {"i32.const", CODE("\x41\x2a\x0b"), WT_I32, 0, NULL},
    {"f64.const", CODE("\x44\0\0\0\0\0\0\xf0\x3f\x0b"), WT_F64, 0, NULL},
    {"imported immutable global", CODE("\x23\x00\x0b"), WT_I32, 0, NULL},
    {"ref.null", CODE("\xd0\x6f\x0b"), WT_EXTERNREF, 0, NULL},
    {"ref.func", CODE("\xd2\x01\x0b"), WT_FUNCREF, 0, NULL},
    {"wrong type", CODE("\x42\x00\x0b"), WT_I32, WT_INVALID, "type mismatch"},
    {"two values", CODE("\x41\x00\x41\x00\x0b"), WT_I32, WT_INVALID, "type mismatch"},
    {"no value", CODE("\x0b"), WT_I32, WT_INVALID, "type mismatch"},
    {"arithmetic", CODE("\x41\x00\x41\x00\x6a\x0b"), WT_I32, WT_INVALID,
     "constant expression required"},
    {"mutable global", CODE("\x23\x01\x0b"), WT_I64, WT_INVALID, "constant expression required"},
    {"defined global", CODE("\x23\x02\x0b"), WT_I32, WT_INVALID, "unknown global 2"},
    {"unknown function", CODE("\xd2\x05\x0b"), WT_FUNCREF, WT_INVALID, "unknown function 5"},
};

static void test_validate_constant_expressions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof const_cases / sizeof const_cases[0]; i++) {
		const const_case *cc = &const_cases[i];
		static const uint8_t body[] = {0x0b};
		fixture f;
		wt_error err;
		wt_global globals[3];
		wt_error_init(&err);
		fixture_init(&f, body, 1, 0, "", 0);
		/* The expression lives in the module's bytes after the body. */
		uint8_t *bytes = malloc(1 + cc->len);
		bytes[0] = 0x0b;
		memcpy(bytes + 1, cc->code, cc->len);
		f.m.bytes = bytes;
		f.m.size = 1 + cc->len;
		memcpy(globals, f.globals, sizeof f.globals);
		globals[2] = (wt_global){.type = {cc->type, 0}, .init = {1, (uint32_t)cc->len}};
		f.m.globals = globals;
		f.m.nglobals = 3;
		int rc = wt_validate(&f.m, &err);
		if (rc != (int)cc->status || (cc->msg && !strstr(err.msg, cc->msg)) ||
		    (rc && strncmp(err.msg, "global section, global 2: ",
				   strlen("global section, global 2: "))))
			fail_msg("%s: got %d \"%s\"", cc->name, rc, err.msg);
		if (rc == 0 && cc->code[0] == '\xd2')
			assert_int_equal(f.m.func_declared[1], 1);
		fixture_fini(&f);
		free(bytes);
	}
}

/* ---- module rules ---- */

typedef void (*module_edit)(fixture *f);

static void two_memories(fixture *f)
{
	static wt_memory mems[2] = {{{{1, 0, 0}}, 0}, {{{1, 0, 0}}, 0}};
	f->m.memories = mems;
	f->m.nmemories = 2;
}
static void huge_memory(fixture *f)
{
	f->memories[0].type.limits.min = 65537;
}
static void huge_memory_max(fixture *f)
{
	f->memories[0].type.limits = (wt_limits){0, 65537, 1};
}
static void memory_min_over_max(fixture *f)
{
	f->memories[0].type.limits = (wt_limits){2, 1, 1};
}
static void table_min_over_max(fixture *f)
{
	f->tables[1].type.limits = (wt_limits){3, 2, 1};
}
static void start_with_params(fixture *f)
{
	f->funcs[1].type_index = 2;
	f->m.bytes = (const uint8_t *)"\x20\x00\x0b";
	f->m.size = f->funcs[1].body_size = 3;
	f->m.has_start = 1;
	f->m.start = 1;
}
static void start_unknown(fixture *f)
{
	f->m.has_start = 1;
	f->m.start = 2;
}
static void duplicate_exports(fixture *f)
{
	static wt_export ex[3] = {{"a", 1, WT_EXTERN_FUNC, 0},
				  {"b", 1, WT_EXTERN_MEMORY, 0},
				  {"a", 1, WT_EXTERN_GLOBAL, 0}};
	f->m.exports = ex;
	f->m.nexports = 3;
}
static void export_unknown_global(fixture *f)
{
	static wt_export ex[1] = {{"g", 1, WT_EXTERN_GLOBAL, 9}};
	f->m.exports = ex;
	f->m.nexports = 1;
}
static void elem_wrong_table_type(fixture *f)
{
	/* An active funcref segment into the externref table 1, offset
	 * `i32.const 0` after the body. */
	f->m.bytes = (const uint8_t *)"\x0b\x41\x00\x0b";
	f->m.size = 4;
	f->elems[0].mode = WT_SEG_ACTIVE;
	f->elems[0].table_index = 1;
	f->elems[0].offset = (wt_constexpr){1, 3};
}
static void elem_unknown_function(fixture *f)
{
	f->elem_funcs[0] = 4;
}
static void data_unknown_memory(fixture *f)
{
	f->m.bytes = (const uint8_t *)"\x0b\x41\x00\x0b";
	f->m.size = 4;
	f->datas[0] = (wt_data){.mode = WT_SEG_ACTIVE, .memory_index = 1, .offset = {1, 3}};
}
static void func_unknown_type(fixture *f)
{
	f->funcs[1].type_index = 6;
}
static void import_unknown_type(fixture *f)
{
	static wt_import im[1] = {{"m", "f", 1, 1, WT_EXTERN_FUNC, {.type_index = 8}}};
	f->m.imports = im;
	f->m.nimports = 1;
}
static void export_declares_function(fixture *f)
{
	static wt_export ex[1] = {{"f", 1, WT_EXTERN_FUNC, 1}};
	f->m.exports = ex;
	f->m.nexports = 1;
	f->m.bytes = (const uint8_t *)"\xd2\x01\x1a\x0b";
	f->m.size = f->funcs[1].body_size = 4;
}

static const struct module_case {
	const char *name;
	module_edit edit;
	wt_status status;
	const char *msg;
} module_cases[] = {
    {"multiple memories", two_memories, WT_INVALID, "multiple memories"},
    {"memory too large", huge_memory, WT_INVALID, "memory size must be at most 65536 pages (4GiB)"},
    {"memory maximum too large", huge_memory_max, WT_INVALID,
     "memory size must be at most 65536 pages (4GiB)"},
    {"memory min over max", memory_min_over_max, WT_INVALID,
     "size minimum must not be greater than maximum"},
    {"table min over max", table_min_over_max, WT_INVALID,
     "size minimum must not be greater than maximum"},
    {"start with params", start_with_params, WT_INVALID, "start function"},
    {"start unknown", start_unknown, WT_INVALID, "unknown function 2"},
    {"duplicate exports", duplicate_exports, WT_INVALID, "duplicate export name"},
    {"export unknown global", export_unknown_global, WT_INVALID, "unknown global 9"},
    {"elem type vs table type", elem_wrong_table_type, WT_INVALID, "type mismatch"},
    {"elem unknown function", elem_unknown_function, WT_INVALID, "unknown function 4"},
    {"data unknown memory", data_unknown_memory, WT_INVALID, "unknown memory 1"},
    {"function unknown type", func_unknown_type, WT_INVALID, "unknown type 6"},
    {"import unknown type", import_unknown_type, WT_INVALID, "unknown type 8"},
    {"export declares a function", export_declares_function, 0, NULL},
};

/* A module-level error points at the offending entry, not at its section. */
typedef struct entry_case {
	const char *name;
	const char *bytes;
	size_t len;
	size_t offset; /* of the entry */
	const char *msg;
} entry_case;

#define MOD(s) "\0asm\1\0\0\0" s, sizeof("\0asm\1\0\0\0" s) - 1
#define TYPE0 "\x01\x04\x01\x60\x00\x00" /* type 0: [] -> [] */
#define CODE1 "\x0a\x04\x01\x02\x00\x0b" /* one empty body */

static const entry_case entry_cases[] = {
    {"export of an unknown function",
     MOD(TYPE0 "\x03\x02\x01\x00\x07\x09\x02\x01\x61\x00\x00\x01\x62\x00\x05" CODE1), 25,
     "unknown function 5"},
    {"duplicate export name",
     MOD(TYPE0 "\x03\x02\x01\x00\x07\x09\x02\x01\x61\x00\x00\x01\x61\x00\x00" CODE1), 25,
     "duplicate export name"},
    {"start of an unknown function", MOD(TYPE0 "\x03\x02\x01\x00\x08\x01\x05" CODE1), 20,
     "unknown function 5"},
    {"function of an unknown type",
     MOD(TYPE0 "\x03\x03\x02\x00\x07\x0a\x07\x02\x02\x00\x0b\x02\x00\x0b"), 18, "unknown type 7"},
    {"a second memory", MOD("\x05\x05\x02\x00\x01\x00\x01"), 13, "multiple memories"},
    {"import of an unknown type",
     MOD(TYPE0 "\x02\x0d\x02\x01\x6d\x01\x66\x00\x00\x01\x6d\x01\x67\x00\x03"), 23,
     "unknown type 3"},
};

static void test_validate_module_errors_at_entry(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof entry_cases / sizeof entry_cases[0]; i++) {
		const entry_case *ec = &entry_cases[i];
		wt_module *m = NULL;
		wt_error err;
		wt_error_init(&err);
		int rc = wt_decode((const uint8_t *)ec->bytes, ec->len, &m, &err);
		if (rc == 0)
			rc = wt_validate(m, &err);
		if (rc != WT_INVALID || !err.has_offset || err.offset != ec->offset ||
		    !strstr(err.msg, ec->msg))
			fail_msg("%s: got status %d at 0x%zx: %s; want WT_INVALID at 0x%zx: %s",
				 ec->name, rc, err.offset, err.msg, ec->offset, ec->msg);
		wt_module_free(m);
	}
}

static void test_validate_module_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof module_cases / sizeof module_cases[0]; i++) {
		const struct module_case *mc = &module_cases[i];
		fixture f;
		wt_error err;
		wt_error_init(&err);
		fixture_init(&f, (const uint8_t *)"\x0b", 1, 0, "", 0);
		mc->edit(&f);
		int rc = wt_validate(&f.m, &err);
		if (rc != (int)mc->status || (mc->msg && !strstr(err.msg, mc->msg)))
			fail_msg("%s: got %d \"%s\", want %d \"%s\"", mc->name, rc, err.msg,
				 mc->status, mc->msg ? mc->msg : "");
		fixture_fini(&f);
	}
}

/* ---- the spec testsuite: every verdict of core/ ----
 *
 * Converts each core/X.wast with wast2json into a temporary folder, then
 * decodes and validates every binary module: a `module` (and the modules
 * of assert_trap/unlinkable/uninstantiable) must pass, an
 * `assert_invalid` must give WT_INVALID, a binary `assert_malformed` must
 * give WT_MALFORMED. Skipped when the suite or wast2json is missing. */

#ifndef WT_SPEC_TESTSUITE_DIR
#define WT_SPEC_TESTSUITE_DIR "/work/shared/wasm-spec-testsuite"
#endif

typedef struct spec_counts {
	unsigned right[3], wrong[3]; /* module, assert_invalid, assert_malformed */
} spec_counts;

static char *json_field(const char *line, const char *key, char *out, size_t size)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\": \"", key);
	const char *p = strstr(line, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	size_t n = 0;
	while (p[n] && p[n] != '"' && n + 1 < size)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)len + 1);
		if (buf && fread(buf, 1, (size_t)len, fp) != (size_t)len) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)len;
	}
	fclose(fp);
	return buf;
}

static int command_kind(const char *type)
{
	if (!strcmp(type, "module") || !strcmp(type, "assert_trap") ||
	    !strcmp(type, "assert_unlinkable") || !strcmp(type, "assert_uninstantiable"))
		return 0;
	if (!strcmp(type, "assert_invalid"))
		return 1;
	if (!strcmp(type, "assert_malformed"))
		return 2;
	return -1;
}

static void check_spec_module(const char *dir, const char *file, int kind, spec_counts *sc)
{
	static const wt_status want[3] = {WT_OK, WT_INVALID, WT_MALFORMED};
	char path[1024];
	size_t size = 0;
	wt_module *m = NULL;
	wt_error err;
	snprintf(path, sizeof path, "%s/%s", dir, file);
	uint8_t *bytes = read_file(path, &size);
	if (!bytes) {
		sc->wrong[kind]++;
		printf("  cannot read %s\n", path);
		return;
	}
	wt_error_init(&err);
	int rc = wt_decode(bytes, size, &m, &err);
	if (rc == 0)
		rc = wt_validate(m, &err);
	if (rc == (int)want[kind]) {
		sc->right[kind]++;
	} else {
		sc->wrong[kind]++;
		printf("  WRONG %s: want %s, got %s: 0x%zx: %s\n", file, wt_status_name(want[kind]),
		       wt_status_name(rc), err.offset, err.msg);
	}
	wt_module_free(m);
	free(bytes);
}

static void check_spec_script(const char *tmp, const char *name, spec_counts *sc)
{
	char cmd[2048], json[1024], line[8192], type[64], file[256], mtype[32];
	snprintf(json, sizeof json, "%s/%s.json", tmp, name);
	snprintf(cmd, sizeof cmd, "wast2json '%s/core/%s.wast' -o '%s' 2>/dev/null",
		 WT_SPEC_TESTSUITE_DIR, name, json);
	if (system(cmd) != 0) {
		printf("  wast2json failed on %s\n", name);
		sc->wrong[0]++;
		return;
	}
	FILE *fp = fopen(json, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof line, fp)) {
		if (!json_field(line, "type", type, sizeof type) ||
		    !json_field(line, "filename", file, sizeof file))
			continue;
		if (json_field(line, "module_type", mtype, sizeof mtype) && strcmp(mtype, "binary"))
			continue; /* text modules are the text parser's business */
		int kind = command_kind(type);
		if (kind >= 0)
			check_spec_module(tmp, file, kind, sc);
	}
	fclose(fp);
}

static void test_validate_spec_suite_verdicts(void **state)
{
	char tmp[] = "/tmp/wt-validate-spec-XXXXXX", cmd[1200], name[256];
	spec_counts sc = {{0}, {0}};
	(void)state;
	if (access(WT_SPEC_TESTSUITE_DIR "/core", R_OK) != 0 ||
	    system("wast2json --version >/dev/null 2>&1") != 0)
		skip();
	assert_non_null(mkdtemp(tmp));
	snprintf(cmd, sizeof cmd, "ls '%s/core' | sed -n 's/\\.wast$//p'", WT_SPEC_TESTSUITE_DIR);
	FILE *list = popen(cmd, "r");
	assert_non_null(list);
	while (fgets(name, sizeof name, list)) {
		name[strcspn(name, "\n")] = '\0';
		check_spec_script(tmp, name, &sc);
	}
	pclose(list);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
	printf("  spec core/: module %u right %u wrong, assert_invalid %u right %u wrong, "
	       "assert_malformed (binary) %u right %u wrong\n",
	       sc.right[0], sc.wrong[0], sc.right[1], sc.wrong[1], sc.right[2], sc.wrong[2]);
	assert_true(sc.right[1] > 1000);
	assert_int_equal(sc.wrong[0] + sc.wrong[1] + sc.wrong[2], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_validate_invalid_bodies),
	    cmocka_unit_test(test_validate_valid_bodies),
	    cmocka_unit_test(test_validate_records_frame_sizes),
	    cmocka_unit_test(test_validate_declares_elem_functions),
	    cmocka_unit_test(test_validate_grows_stacks),
	    cmocka_unit_test(test_validate_constant_expressions),
	    cmocka_unit_test(test_validate_module_rules),
	    cmocka_unit_test(test_validate_module_errors_at_entry),
	    cmocka_unit_test(test_validate_spec_suite_verdicts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
