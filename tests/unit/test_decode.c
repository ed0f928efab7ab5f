/* test_decode.c: the binary decoder: malformed modules rejected with an offset, well-formed ones
 * decoded field by field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "module.h"

#define B(s) (const uint8_t *)(s), sizeof(s) - 1
#define H "\0asm\1\0\0\0"
/* One type () -> () and one function of that type: code starts at 18. */
#define TF "\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00"

typedef struct bad_case {
	const uint8_t *bytes;
	size_t len;
	wt_status status;
	size_t offset;
	const char *msg;
} bad_case;

static const bad_case bad_cases[] = {
    {B(""), WT_MALFORMED, 0, "unexpected end"},
    {B("\0as"), WT_MALFORMED, 0, "unexpected end"},
    {B("\0asn\1\0\0\0"), WT_MALFORMED, 0, "magic header not detected"},
    {B("\0asm\1\0"), WT_MALFORMED, 4, "unexpected end"},
    {B("\0asm\2\0\0\0"), WT_MALFORMED, 4, "unknown binary version"},
    {B(H "\x0d\x00"), WT_MALFORMED, 8, "malformed section id"},
    {B(H "\x80\x00"), WT_MALFORMED, 8, "malformed section id"},
    {B(H "\x01\x80\x80\x80\x80\x80\x00"), WT_MALFORMED, 9, "integer representation too long"},
    {B(H "\x01\x05\x01\x60\x00\x00"), WT_MALFORMED, 8, "length out of bounds"},
    {B(H "\x01\x05\x01\x60\x00\x00\x00"), WT_MALFORMED, 14, "section size mismatch"},
    {B(H "\x01\x01\x00\x01\x01\x00"), WT_MALFORMED, 11, "unexpected content after last section"},
    {B(H "\x03\x01\x00\x01\x01\x00"), WT_MALFORMED, 11, "unexpected content after last section"},
    {B(H "\x0a\x01\x00\x0c\x01\x00"), WT_MALFORMED, 11, "unexpected content after last section"},
    {B(H "\x0b\x01\x00\x0a\x01\x00"), WT_MALFORMED, 11, "unexpected content after last section"},
    {B(H "\x0a\x04\x01\x02\x00\x0b"), WT_MALFORMED, 10,
     "function and code section have inconsistent lengths"},
    {B(H TF), WT_MALFORMED, 18, "function and code section have inconsistent lengths"},
    {B(H "\x0c\x01\x01"), WT_MALFORMED, 11,
     "data count and data section have inconsistent lengths"},
    {B(H "\x0c\x01\x02\x0b\x04\x01\x01\x01\x00"), WT_MALFORMED, 13,
     "data count and data section have inconsistent lengths"},
    {B(H TF "\x0a\x08\x01\x06\x01\xd1\x86\x03\x7f\x0b"), WT_MALFORMED, 23, "too many locals"},
    {B(H TF "\x0a\x0c\x01\x0a\x02\xa8\xc3\x01\x7f\xa9\xc3\x01\x7e\x0b"), WT_MALFORMED, 27,
     "too many locals"},
    {B(H TF "\x0a\x06\x01\x04\x01\x01\x40\x0b"), WT_MALFORMED, 24, "malformed value type"},
    {B(H TF "\x0a\x04\x01\x05\x00\x0b"), WT_MALFORMED, 21, "unexpected end"},
    {B(H "\x02\x04\x01\x00\x00\x04"), WT_MALFORMED, 13, "malformed import kind"},
    {B(H "\x02\x07\x01\x01\xff\x01\x61\x00\x00"), WT_MALFORMED, 11, "malformed UTF-8 encoding"},
    {B(H "\x02\x07\x01\x01\x61\x01\xed\x00\x00"), WT_MALFORMED, 13, "malformed UTF-8 encoding"},
    {B(H "\x02\x06\x01\x00\x00\x00\x80\x80"), WT_MALFORMED, 14, "unexpected end"},
    {B(H "\x02\x06\x01\x00\x00\x03\x7f\x02"), WT_MALFORMED, 15, "malformed mutability"},
    {B(H "\x00\x02\x01\xc0"), WT_MALFORMED, 10, "malformed UTF-8 encoding"},
    {B(H "\x00\x02\x05\x61"), WT_MALFORMED, 11, "unexpected end"},
    {B(H "\x01\x04\x01\x61\x00\x00"), WT_MALFORMED, 11, "malformed function type"},
    {B(H "\x01\x05\x01\x60\x01\x40\x00"), WT_MALFORMED, 13, "malformed value type"},
    {B(H "\x01\x03\x05\x60\x00"), WT_MALFORMED, 10, "unexpected end"},
    {B(H "\x03\x02\x05\x00"), WT_MALFORMED, 10, "unexpected end"},
    {B(H "\x04\x04\x01\x7f\x00\x00"), WT_MALFORMED, 11, "malformed reference type"},
    {B(H "\x05\x03\x01\x02\x00"), WT_MALFORMED, 11, "integer too large"},
    {B(H "\x05\x03\x01\x01\x00"), WT_MALFORMED, 13, "unexpected end"},
    {B(H "\x06\x06\x01\x7f\x02\x41\x00\x0b"), WT_MALFORMED, 12, "malformed mutability"},
    {B(H "\x06\x05\x01\x7f\x00\x41\x00"), WT_MALFORMED, 15, "END opcode expected"},
    {B(H "\x06\x06\x01\x7f\x00\xff\x00\x0b"), WT_MALFORMED, 13, "illegal opcode"},
    {B(H "\x07\x04\x01\x00\x04\x00"), WT_MALFORMED, 12, "malformed export kind"},
    {B(H "\x07\x05\x01\x01\xc0\x00\x00"), WT_MALFORMED, 11, "malformed UTF-8 encoding"},
    {B(H "\x08\x00"), WT_MALFORMED, 10, "unexpected end"},
    {B(H "\x09\x02\x01\x08"), WT_MALFORMED, 11, "malformed elements segment kind"},
    {B(H "\x09\x04\x01\x01\x01\x00"), WT_MALFORMED, 12, "malformed element kind"},
    {B(H "\x09\x04\x01\x05\x7f\x00"), WT_MALFORMED, 12, "malformed reference type"},
    {B(H "\x09\x06\x01\x00\x41\x00\x0b\x02"), WT_MALFORMED, 15, "unexpected end"},
    {B(H "\x0b\x02\x01\x03"), WT_MALFORMED, 11, "malformed data segment kind"},
    {B(H "\x0b\x04\x01\x01\x05\x00"), WT_MALFORMED, 13, "unexpected end"},
    {B(H "\x0b\x08\x01\x00\x41\x00\x0b\x01\x00\x00"), WT_MALFORMED, 17, "section size mismatch"},
};

static int decode_bytes(const uint8_t *bytes, size_t len, wt_module **m, wt_error *err)
{
	/* A private copy, so a read past the end shows under the sanitizers. */
	uint8_t *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, bytes, len);
	wt_error_init(err);
	*m = (wt_module *)1;
	int rc = wt_decode(copy, len, m, err);
	if (rc == 0)
		wt_module_free(*m);
	free(copy);
	return rc;
}

static void test_decode_rejects_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const bad_case *c = &bad_cases[i];
		wt_module *m;
		wt_error err;
		int rc = decode_bytes(c->bytes, c->len, &m, &err);
		if (rc != (int)c->status || err.offset != c->offset || !err.has_offset ||
		    !strstr(err.msg, c->msg))
			fail_msg("case %zu: got %d at %zu '%s'; want %d at %zu '%s'", i, rc,
				 err.offset, err.msg, c->status, c->offset, c->msg);
		assert_null(m);
	}
}

/* wat2wasm --debug-names --enable-all of:
 *
 * (module $m
 *   (type $t0 (func (param i32 i64) (result f32)))
 *   (type $t1 (func))
 *   (import "env" "f" (func $imp (type $t1)))
 *   (import "env" "tab" (table 1 10 funcref))
 *   (import "env" "mem" (memory 1))
 *   (import "env" "g" (global $ig (mut i32)))
 *   (func $a (type $t0) (local i32 i32) (local f64) f32.const 1)
 *   (func $b (type $t1) data.drop 1)
 *   (table $t2 2 externref)
 *   (table $t3 1 funcref)
 *   (memory 0 65536)
 *   (global $g1 i64 (i64.const -5))
 *   (export "a" (func $a))
 *   (export "mem" (memory 0))
 *   (start $b)
 *   (elem (i32.const 0) $a)                               ;; 0
 *   (elem func $b $a)                                     ;; 1
 *   (elem (table $t3) (i32.const 0) func $b)                ;; 2
 *   (elem declare func $a)                                ;; 3
 *   (elem (i32.const 0) funcref (ref.func $a) (ref.null func)) ;; 4
 *   (elem externref (ref.null extern))                    ;; 5
 *   (elem (table $t2) (i32.const 0) externref (ref.null extern)) ;; 6
 *   (elem declare funcref (ref.null func))                  ;; 7
 *   (data (i32.const 8) "hi")                             ;; 0
 *   (data "passive")                                      ;; 1
 *   (data (memory 0) (i32.const 16) "x")                  ;; 2
 * )
 */
static const uint8_t full_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60, 0x02, 0x7f, 0x7e, 0x01,
    0x7d, 0x60, 0x00, 0x00, 0x02, 0x2a, 0x04, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x01, 0x03,
    0x65, 0x6e, 0x76, 0x03, 0x74, 0x61, 0x62, 0x01, 0x70, 0x01, 0x01, 0x0a, 0x03, 0x65, 0x6e, 0x76,
    0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x67, 0x03, 0x7f, 0x01,
    0x03, 0x03, 0x02, 0x00, 0x01, 0x04, 0x07, 0x02, 0x6f, 0x00, 0x02, 0x70, 0x00, 0x01, 0x05, 0x06,
    0x01, 0x01, 0x00, 0x80, 0x80, 0x04, 0x06, 0x06, 0x01, 0x7e, 0x00, 0x42, 0x7b, 0x0b, 0x07, 0x0b,
    0x02, 0x01, 0x61, 0x00, 0x01, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x08, 0x01, 0x02, 0x09, 0x39,
    0x08, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x01, 0x01, 0x00, 0x02, 0x02, 0x01, 0x02, 0x02, 0x41, 0x00,
    0x0b, 0x00, 0x01, 0x02, 0x03, 0x00, 0x01, 0x01, 0x04, 0x41, 0x00, 0x0b, 0x02, 0xd2, 0x01, 0x0b,
    0xd0, 0x70, 0x0b, 0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b, 0x06, 0x01, 0x41, 0x00, 0x0b, 0x6f, 0x01,
    0xd0, 0x6f, 0x0b, 0x07, 0x70, 0x01, 0xd0, 0x70, 0x0b, 0x0c, 0x01, 0x03, 0x0a, 0x13, 0x02, 0x0b,
    0x02, 0x02, 0x7f, 0x01, 0x7c, 0x43, 0x00, 0x00, 0x80, 0x3f, 0x0b, 0x05, 0x00, 0xfc, 0x09, 0x01,
    0x0b, 0x0b, 0x17, 0x03, 0x00, 0x41, 0x08, 0x0b, 0x02, 0x68, 0x69, 0x01, 0x07, 0x70, 0x61, 0x73,
    0x73, 0x69, 0x76, 0x65, 0x00, 0x41, 0x10, 0x0b, 0x01, 0x78, 0x00, 0x41, 0x04, 0x6e, 0x61, 0x6d,
    0x65, 0x00, 0x02, 0x01, 0x6d, 0x01, 0x0c, 0x03, 0x00, 0x03, 0x69, 0x6d, 0x70, 0x01, 0x01, 0x61,
    0x02, 0x01, 0x62, 0x02, 0x07, 0x03, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x04, 0x09, 0x02, 0x00,
    0x02, 0x74, 0x30, 0x01, 0x02, 0x74, 0x31, 0x05, 0x09, 0x02, 0x01, 0x02, 0x74, 0x32, 0x02, 0x02,
    0x74, 0x33, 0x07, 0x09, 0x02, 0x00, 0x02, 0x69, 0x67, 0x01, 0x02, 0x67, 0x31};

static wt_module *decode_ok(const uint8_t *bytes, size_t len)
{
	wt_module *m = NULL;
	wt_error err;
	wt_error_init(&err);
	int rc = wt_decode(bytes, len, &m, &err);
	if (rc != 0)
		fail_msg("decode failed: 0x%zx: %s", err.offset, err.msg);
	assert_non_null(m);
	return m;
}

static const uint8_t *expr_bytes(const wt_module *m, wt_constexpr e)
{
	assert_true(e.size >= 1 && (size_t)e.offset + e.size <= m->size);
	assert_int_equal(m->bytes[e.offset + e.size - 1], 0x0b);
	return m->bytes + e.offset;
}

static void check_types_imports(const wt_module *m)
{
	assert_int_equal(m->ntypes, 2);
	assert_int_equal(m->types[0].nparams, 2);
	assert_int_equal(m->types[0].nresults, 1);
	assert_memory_equal(m->types[0].types, "\x7f\x7e\x7d", 3);
	assert_int_equal(m->types[1].nparams + m->types[1].nresults, 0);
	assert_int_equal(m->nimports, 4);
	assert_string_equal(m->imports[0].module, "env");
	assert_int_equal(m->imports[0].module_len, 3);
	assert_string_equal(m->imports[1].name, "tab");
	assert_int_equal(m->imports[0].kind, WT_EXTERN_FUNC);
	assert_int_equal(m->imports[0].desc.type_index, 1);
	assert_int_equal(m->imports[1].desc.table.elem, WT_FUNCREF);
	assert_int_equal(m->imports[1].desc.table.limits.max, 10);
	assert_int_equal(m->imports[2].desc.memory.limits.min, 1);
	assert_false(m->imports[2].desc.memory.limits.has_max);
	assert_int_equal(m->imports[3].desc.global.type, WT_I32);
	assert_int_equal(m->imports[3].desc.global.mut, 1);
}

static void check_spaces(const wt_module *m)
{
	assert_int_equal(m->nfuncs, 3);
	assert_int_equal(m->nfunc_imports, 1);
	assert_true(m->funcs[0].imported);
	assert_int_equal(m->funcs[0].type_index, 1);
	assert_int_equal(m->funcs[1].type_index, 0);
	assert_false(m->funcs[1].imported);
	assert_int_equal(m->ntables, 3);
	assert_true(m->tables[0].imported);
	assert_int_equal(m->tables[1].type.elem, WT_EXTERNREF);
	assert_int_equal(m->tables[1].type.limits.min, 2);
	assert_int_equal(m->tables[2].type.elem, WT_FUNCREF);
	assert_int_equal(m->nmemories, 2);
	assert_true(m->memories[1].type.limits.has_max);
	assert_int_equal(m->memories[1].type.limits.max, 65536);
	assert_int_equal(m->nglobals, 2);
	assert_true(m->globals[0].imported);
	assert_int_equal(m->globals[1].type.type, WT_I64);
	assert_memory_equal(expr_bytes(m, m->globals[1].init), "\x42\x7b\x0b", 3);
	assert_int_equal(m->globals[1].init.size, 3);
}

static void check_bodies(const wt_module *m)
{
	const wt_func *a = &m->funcs[1], *b = &m->funcs[2];
	/* As wasm-objdump -d reports them. */
	assert_int_equal(a->body_offset, 0xb0);
	assert_int_equal(a->code_offset, 0xb5);
	assert_int_equal(a->body_size, 11);
	assert_int_equal(a->nlocals, 3);
	assert_memory_equal(a->local_types, "\x7f\x7f\x7c", 3);
	assert_int_equal(m->bytes[a->code_offset], 0x43); /* f32.const */
	assert_int_equal(b->code_offset, 0xbd);
	assert_int_equal(b->nlocals, 0);
	assert_int_equal(m->bytes[b->body_offset + b->body_size - 1], 0x0b);
}

static void check_exports_start(const wt_module *m)
{
	assert_int_equal(m->nexports, 2);
	assert_string_equal(m->exports[0].name, "a");
	assert_int_equal(m->exports[0].kind, WT_EXTERN_FUNC);
	assert_int_equal(m->exports[0].index, 1);
	assert_string_equal(m->exports[1].name, "mem");
	assert_int_equal(m->exports[1].kind, WT_EXTERN_MEMORY);
	assert_true(m->has_start);
	assert_int_equal(m->start, 2);
}

static void check_elems(const wt_module *m)
{
	static const struct {
		uint8_t mode, type;
		uint32_t table, count;
		int exprs;
	} want[8] = {
	    {WT_SEG_ACTIVE, WT_FUNCREF, 0, 1, 0},   {WT_SEG_PASSIVE, WT_FUNCREF, 0, 2, 0},
	    {WT_SEG_ACTIVE, WT_FUNCREF, 2, 1, 0},   {WT_SEG_DECLARATIVE, WT_FUNCREF, 0, 1, 0},
	    {WT_SEG_ACTIVE, WT_FUNCREF, 0, 2, 1},   {WT_SEG_PASSIVE, WT_EXTERNREF, 0, 1, 1},
	    {WT_SEG_ACTIVE, WT_EXTERNREF, 1, 1, 1}, {WT_SEG_DECLARATIVE, WT_FUNCREF, 0, 1, 1},
	};
	assert_int_equal(m->nelems, 8);
	for (int i = 0; i < 8; i++) {
		const wt_elem *e = &m->elems[i];
		if (e->mode != want[i].mode || e->type != want[i].type ||
		    e->table_index != want[i].table || e->count != want[i].count ||
		    (e->exprs != NULL) != want[i].exprs ||
		    (e->func_indices != NULL) == want[i].exprs)
			fail_msg("element segment %d decoded wrong", i);
		if (e->mode == WT_SEG_ACTIVE)
			assert_int_equal(expr_bytes(m, e->offset)[0], 0x41); /* i32.const */
	}
	assert_int_equal(m->elems[1].func_indices[0], 2);
	assert_int_equal(m->elems[1].func_indices[1], 1);
	assert_memory_equal(expr_bytes(m, m->elems[4].exprs[0]), "\xd2\x01\x0b", 3);
	assert_memory_equal(expr_bytes(m, m->elems[4].exprs[1]), "\xd0\x70\x0b", 3);
}

static void check_datas_names(const wt_module *m)
{
	assert_true(m->has_data_count);
	assert_int_equal(m->data_count, 3);
	assert_int_equal(m->ndatas, 3);
	assert_int_equal(m->datas[0].mode, WT_SEG_ACTIVE);
	assert_memory_equal(m->bytes + m->datas[0].bytes_offset, "hi", 2);
	assert_int_equal(m->datas[1].mode, WT_SEG_PASSIVE);
	assert_int_equal(m->datas[1].size, 7);
	assert_memory_equal(m->bytes + m->datas[1].bytes_offset, "passive", 7);
	assert_memory_equal(expr_bytes(m, m->datas[2].offset), "\x41\x10\x0b", 3);
	assert_int_equal(m->ncustoms, 1);
	assert_string_equal(m->customs[0].name, "name");
	assert_int_equal(m->customs[0].offset + m->customs[0].size, m->size);
	assert_string_equal(m->name, "m");
	assert_string_equal(m->funcs[0].name, "imp");
	assert_string_equal(m->funcs[1].name, "a");
	assert_string_equal(m->funcs[2].name, "b");
}

static void test_decode_full_module(void **state)
{
	(void)state;
	wt_module *m = decode_ok(full_wasm, sizeof full_wasm);
	assert_ptr_equal(m->bytes, full_wasm);
	check_types_imports(m);
	check_spaces(m);
	check_bodies(m);
	check_exports_start(m);
	check_elems(m);
	check_datas_names(m);
	wt_module_free(m);
}

static void test_decode_empty_module(void **state)
{
	(void)state;
	wt_module *m = decode_ok(B(H));
	assert_int_equal(m->ntypes + m->nimports + m->nfuncs + m->ntables + m->nmemories, 0);
	assert_int_equal(m->nglobals + m->nexports + m->nelems + m->ndatas + m->ncustoms, 0);
	assert_false(m->has_start);
	assert_false(m->has_data_count);
	assert_null(m->name);
	wt_module_free(m);
	wt_module_free(NULL);
}

static void test_decode_customs_anywhere(void **state)
{
	(void)state;
	/* custom "x", type section, custom "y" holding "Z", function, custom "", code. */
	static const char bytes[] = H "\x00\x02\x01x"
				      "\x01\x04\x01\x60\x00\x00"
				      "\x00\x03\x01yZ"
				      "\x03\x02\x01\x00"
				      "\x00\x01\x00"
				      "\x0a\x04\x01\x02\x00\x0b";
	wt_module *m = decode_ok(B(bytes));
	assert_int_equal(m->ncustoms, 3);
	assert_string_equal(m->customs[0].name, "x");
	assert_int_equal(m->customs[0].size, 0);
	assert_string_equal(m->customs[1].name, "y");
	assert_int_equal(m->customs[1].size, 1);
	assert_int_equal(m->bytes[m->customs[1].offset], 'Z');
	assert_int_equal(m->customs[2].name_len, 0);
	assert_int_equal(m->nfuncs, 1);
	wt_module_free(m);
}

/* A name section that breaks the rules is ignored, never fatal. */
static void test_decode_bad_name_section_ignored(void **state)
{
	(void)state;
	static const struct {
		const uint8_t *bytes;
		size_t len;
	} cases[] = {
	    /* module name subsection whose size runs past the section */
	    {B(H TF "\x0a\x04\x01\x02\x00\x0b"
		    "\x00\x07\x04name\x00\x05")},
	    /* function index 7 out of range */
	    {B(H TF "\x0a\x04\x01\x02\x00\x0b"
		    "\x00\x0b\x04name\x01\x04\x01\x07\x01"
		    "f")},
	    /* good module name, then a function name with invalid UTF-8 */
	    {B(H TF "\x0a\x04\x01\x02\x00\x0b"
		    "\x00\x0f\x04name\x00\x02\x01m\x01\x04\x01\x00\x01\xff")},
	    /* subsections out of order */
	    {B(H TF "\x0a\x04\x01\x02\x00\x0b"
		    "\x00\x0f\x04name\x01\x04\x01\x00\x01"
		    "f\x00\x02\x01m")},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		wt_module *m = decode_ok(cases[i].bytes, cases[i].len);
		assert_null(m->name);
		assert_null(m->funcs[0].name);
		assert_int_equal(m->ncustoms, 1);
		wt_module_free(m);
	}
	/* The same layout, well-formed: both names are applied. */
	wt_module *m = decode_ok(B(H TF "\x0a\x04\x01\x02\x00\x0b"
					"\x00\x0f\x04name\x00\x02\x01m\x01\x04\x01\x00\x01"
					"f"));
	assert_string_equal(m->name, "m");
	assert_string_equal(m->funcs[0].name, "f");
	wt_module_free(m);
}

static void test_decode_locals_at_limit(void **state)
{
	(void)state;
	/* 25000 i32 + 25000 i64 = 50000 locals: the most one function may declare. */
	wt_module *m =
	    decode_ok(B(H TF "\x0a\x0c\x01\x0a\x02\xa8\xc3\x01\x7f\xa8\xc3\x01\x7e\x0b"));
	assert_int_equal(m->funcs[0].nlocals, 50000);
	assert_int_equal(m->funcs[0].local_types[0], WT_I32);
	assert_int_equal(m->funcs[0].local_types[24999], WT_I32);
	assert_int_equal(m->funcs[0].local_types[25000], WT_I64);
	assert_int_equal(m->funcs[0].local_types[49999], WT_I64);
	assert_int_equal(m->funcs[0].code_offset, m->funcs[0].body_offset + 9);
	wt_module_free(m);
}

static size_t put_leb(uint8_t *p, uint32_t v)
{
	size_t n = 0;
	do {
		p[n] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
		n++;
	} while (v);
	return n;
}

/* A function section of 1000001 entries is a resource limit, refused before
 * the index space is allocated; 1000000 would be accepted. */
static void test_decode_function_count_capped(void **state)
{
	(void)state;
	const uint32_t n = 1000001;
	uint8_t *bytes = calloc(n + 64, 1);
	assert_non_null(bytes);
	size_t len = 0;
	memcpy(bytes, H "\x01\x04\x01\x60\x00\x00\x03", 15);
	len = 15;
	uint8_t count[5];
	size_t count_len = put_leb(count, n);
	len += put_leb(bytes + len, (uint32_t)(count_len + n));
	size_t count_at = len;
	memcpy(bytes + len, count, count_len);
	len += count_len + n; /* n type indices 0 */
	wt_module *m;
	wt_error err;
	assert_int_equal(decode_bytes(bytes, len, &m, &err), WT_LIMIT);
	assert_int_equal(err.offset, count_at);
	assert_non_null(strstr(err.msg, "too many functions"));
	assert_null(m);
	free(bytes);
}

/* Every truncation and every single-byte change of a real module decodes or
 * fails cleanly (the sanitizer build checks for reads past the end). */
static void test_decode_truncated_and_mutated(void **state)
{
	(void)state;
	wt_module *m;
	wt_error err;
	for (size_t len = 0; len < sizeof full_wasm; len++) {
		int rc = decode_bytes(full_wasm, len, &m, &err);
		/* Only cuts after the header, the type section, the import section
		 * or the data section (dropping the name section) leave a module. */
		int whole = len == 8 || len == 0x14 || len == 0x40 || len == 0xda;
		if (rc != (whole ? 0 : WT_MALFORMED))
			fail_msg("cut at %zu: rc %d", len, rc);
		if (rc == 0)
			continue;
		assert_true(err.offset <= len);
		assert_null(m);
	}
	uint8_t copy[sizeof full_wasm];
	for (size_t i = 0; i < sizeof full_wasm; i++) {
		static const uint8_t flips[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
		for (size_t k = 0; k < sizeof flips; k++) {
			memcpy(copy, full_wasm, sizeof copy);
			copy[i] = flips[k];
			int rc = decode_bytes(copy, sizeof copy, &m, &err);
			assert_true(rc == 0 || rc == WT_MALFORMED);
			if (rc)
				assert_true(err.offset <= sizeof copy);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode_rejects_malformed),
	    cmocka_unit_test(test_decode_full_module),
	    cmocka_unit_test(test_decode_empty_module),
	    cmocka_unit_test(test_decode_customs_anywhere),
	    cmocka_unit_test(test_decode_bad_name_section_ignored),
	    cmocka_unit_test(test_decode_locals_at_limit),
	    cmocka_unit_test(test_decode_function_count_capped),
	    cmocka_unit_test(test_decode_truncated_and_mutated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
