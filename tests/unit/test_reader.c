/* test_reader.c: the bounded reader: LEB128 length and unused-bit rules, UTF-8, names, sub-readers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reader.h"

typedef enum { U32, S32, S33, S64, U64 } leb_kind;

typedef struct leb_case {
	leb_kind kind;
	const char *bytes;
	size_t len;
	int ok;
	uint64_t value;	 /* when ok: the value (signed ones as two's complement) */
	size_t used;	 /* when ok: bytes consumed */
	const char *msg; /* when not ok: part of the message */
} leb_case;

#define B(s) s, sizeof s - 1

static const leb_case leb_cases[] = {
    /* unsigned 32 */
    {U32, B("\x00"), 1, 0, 1, NULL},
    {U32, B("\x7f"), 1, 127, 1, NULL},
    {U32, B("\x80\x01"), 1, 128, 2, NULL},
    {U32, B("\x80\x00"), 1, 0, 2, NULL}, /* padded zero is allowed */
    {U32, B("\xff\xff\xff\xff\x0f"), 1, 0xFFFFFFFFu, 5, NULL},
    {U32, B("\x80\x80\x80\x80\x00"), 1, 0, 5, NULL},
    {U32, B("\x80\x80\x80\x80\x10"), 0, 0, 0, "integer too large"},
    {U32, B("\xff\xff\xff\xff\x7f"), 0, 0, 0, "integer too large"},
    {U32, B("\x80\x80\x80\x80\x80\x00"), 0, 0, 0, "integer representation too long"},
    {U32, B("\x80\x80"), 0, 0, 0, "unexpected end"},
    {U32, B(""), 0, 0, 0, "unexpected end"},
    {U32, B("\x05\xff"), 1, 5, 1, NULL}, /* stops at the first byte without 0x80 */
    /* signed 32 */
    {S32, B("\x7f"), 1, (uint64_t)-1, 1, NULL},
    {S32, B("\x40"), 1, (uint64_t)-64, 1, NULL},
    {S32, B("\x3f"), 1, 63, 1, NULL},
    {S32, B("\xc0\x00"), 1, 64, 2, NULL},
    {S32, B("\xff\x7f"), 1, (uint64_t)-1, 2, NULL},
    {S32, B("\xff\xff\xff\xff\x07"), 1, 0x7FFFFFFF, 5, NULL},
    {S32, B("\x80\x80\x80\x80\x78"), 1, (uint64_t)(int64_t)INT32_MIN, 5, NULL},
    {S32, B("\xff\xff\xff\xff\x7f"), 1, (uint64_t)-1, 5, NULL},
    {S32, B("\x80\x80\x80\x80\x70"), 0, 0, 0, "integer too large"},
    {S32, B("\xff\xff\xff\xff\x0f"), 0, 0, 0, "integer too large"},
    {S32, B("\x80\x80\x80\x80\x08"), 0, 0, 0, "integer too large"},
    {S32, B("\xff\xff\xff\xff\xff\x7f"), 0, 0, 0, "integer representation too long"},
    {S32, B("\x80\x80\x80\x80\x80\x00"), 0, 0, 0, "integer representation too long"},
    {S32, B("\xff"), 0, 0, 0, "unexpected end"},
    /* signed 33 (block types) */
    {S33, B("\x40"), 1, (uint64_t)-64, 1, NULL},
    {S33, B("\xff\xff\xff\xff\x0f"), 1, 0xFFFFFFFFu, 5, NULL},
    {S33, B("\x80\x80\x80\x80\x70"), 1, (uint64_t) - (INT64_C(1) << 32), 5, NULL},
    {S33, B("\x80\x80\x80\x80\x20"), 0, 0, 0, "integer too large"},
    {S33, B("\x80\x80\x80\x80\x80\x00"), 0, 0, 0, "integer representation too long"},
    /* signed 64 */
    {S64, B("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00"), 1, INT64_MAX, 10, NULL},
    {S64, B("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f"), 1, (uint64_t)INT64_MIN, 10, NULL},
    {S64, B("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f"), 1, (uint64_t)-1, 10, NULL},
    {S64, B("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01"), 0, 0, 0, "integer too large"},
    {S64, B("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x41"), 0, 0, 0, "integer too large"},
    {S64, B("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00"), 0, 0, 0,
     "integer representation too long"},
    /* unsigned 64 */
    {U64, B("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"), 1, UINT64_MAX, 10, NULL},
    {U64, B("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x02"), 0, 0, 0, "integer too large"},
    {U64, B("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00"), 0, 0, 0,
     "integer representation too long"},
};

static int read_leb(leb_kind kind, wt_reader *r, uint64_t *v, wt_error *err)
{
	uint32_t u32;
	int32_t s32;
	int64_t s64;
	int rc;
	switch (kind) {
	case U32:
		rc = wt_read_u32(r, &u32, err);
		*v = u32;
		return rc;
	case S32:
		rc = wt_read_s32(r, &s32, err);
		*v = (uint64_t)(int64_t)s32;
		return rc;
	case S33:
		rc = wt_read_s33(r, &s64, err);
		*v = (uint64_t)s64;
		return rc;
	case S64:
		rc = wt_read_s64(r, &s64, err);
		*v = (uint64_t)s64;
		return rc;
	case U64:
		return wt_read_u64(r, v, err);
	}
	return -1;
}

static void test_reader_leb128_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof leb_cases / sizeof leb_cases[0]; i++) {
		const leb_case *c = &leb_cases[i];
		/* A prefix byte makes the offsets absolute rather than 0. */
		uint8_t buf[32] = {0xAA};
		memcpy(buf + 1, c->bytes, c->len);
		wt_reader r;
		wt_error err;
		uint64_t v = 0;
		wt_reader_init(&r, buf, c->len + 1);
		r.pos++;
		wt_error_init(&err);
		int rc = read_leb(c->kind, &r, &v, &err);
		if (c->ok) {
			if (rc != 0)
				fail_msg("case %zu: %s", i, err.msg);
			assert_int_equal(v, c->value);
			assert_int_equal(wt_reader_offset(&r), 1 + c->used);
		} else {
			if (rc != WT_MALFORMED || strstr(err.msg, c->msg) == NULL)
				fail_msg("case %zu: rc %d msg '%s', want '%s'", i, rc, err.msg,
					 c->msg);
			assert_int_equal(err.code, WT_MALFORMED);
			assert_int_equal(err.offset, 1); /* the start of the number */
		}
	}
}

typedef struct utf8_case {
	const char *bytes;
	size_t len;
	int valid;
} utf8_case;

static const utf8_case utf8_cases[] = {
    {B(""), 1},
    {B("plain ascii"), 1},
    {B("\x00"), 1},
    {B("\xc2\x80"), 1},		/* U+0080 */
    {B("\xdf\xbf"), 1},		/* U+07FF */
    {B("\xe0\xa0\x80"), 1},	/* U+0800 */
    {B("\xed\x9f\xbf"), 1},	/* U+D7FF */
    {B("\xee\x80\x80"), 1},	/* U+E000 */
    {B("\xef\xbf\xbf"), 1},	/* U+FFFF */
    {B("\xf0\x90\x80\x80"), 1}, /* U+10000 */
    {B("\xf4\x8f\xbf\xbf"), 1}, /* U+10FFFF */
    {B("\x80"), 0},		/* lone continuation */
    {B("\xc0\x80"), 0},		/* overlong NUL */
    {B("\xc1\xbf"), 0},		/* overlong */
    {B("\xc2"), 0},		/* truncated */
    {B("\xc2\x41"), 0},		/* bad continuation */
    {B("\xe0\x9f\xbf"), 0},	/* overlong 3-byte */
    {B("\xed\xa0\x80"), 0},	/* surrogate U+D800 */
    {B("\xed\xbf\xbf"), 0},	/* surrogate U+DFFF */
    {B("\xef\xbf"), 0},		/* truncated 3-byte */
    {B("\xf0\x8f\xbf\xbf"), 0}, /* overlong 4-byte */
    {B("\xf4\x90\x80\x80"), 0}, /* above U+10FFFF */
    {B("\xf5\x80\x80\x80"), 0},
    {B("\xf8\x88\x80\x80\x80"), 0}, /* 5-byte form */
    {B("\xff"), 0},
    {B("a\xe0\xa0"), 0},
};

static void test_reader_utf8_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++)
		if (wt_utf8_valid((const uint8_t *)utf8_cases[i].bytes, utf8_cases[i].len) !=
		    utf8_cases[i].valid)
			fail_msg("utf8 case %zu: want %d", i, utf8_cases[i].valid);
}

static void test_reader_name_checks_length_and_utf8(void **state)
{
	(void)state;
	static const uint8_t good[] = {3, 'a', 0, 'b', 9};
	static const uint8_t bad_utf8[] = {2, 0xc0, 0x80};
	static const uint8_t too_long[] = {4, 'a', 'b'};
	wt_reader r;
	wt_error err;
	const uint8_t *s;
	uint32_t len;

	wt_reader_init(&r, good, sizeof good);
	wt_error_init(&err);
	assert_int_equal(wt_read_name(&r, &s, &len, &err), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(s, "a\0b", 3);
	assert_int_equal(wt_reader_left(&r), 1);

	wt_reader_init(&r, bad_utf8, sizeof bad_utf8);
	assert_int_equal(wt_read_name(&r, &s, &len, &err), WT_MALFORMED);
	assert_non_null(strstr(err.msg, "malformed UTF-8 encoding"));
	assert_int_equal(err.offset, 0);

	wt_reader_init(&r, too_long, sizeof too_long);
	wt_error_init(&err);
	assert_int_equal(wt_read_name(&r, &s, &len, &err), WT_MALFORMED);
	assert_non_null(strstr(err.msg, "unexpected end"));
	assert_int_equal(err.offset, 1);
}

static void test_reader_sub_bounds_reads(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {1, 2, 3, 4, 5};
	wt_reader r, sub;
	wt_error err;
	uint8_t b;
	uint32_t bits;
	wt_reader_init(&r, bytes, sizeof bytes);
	wt_error_init(&err);
	assert_int_equal(wt_read_u8(&r, &b, &err), 0);
	assert_int_equal(wt_reader_sub(&r, 2, &sub, &err), 0);
	assert_int_equal(wt_reader_offset(&r), 3);
	assert_int_equal(wt_reader_offset(&sub), 1);
	/* A 4-byte read does not fit the 2-byte window, even though the input has more. */
	assert_int_equal(wt_read_f32(&sub, &bits, &err), WT_MALFORMED);
	assert_int_equal(err.offset, 1);
	assert_int_equal(wt_reader_sub(&r, 3, &sub, &err), WT_MALFORMED);
	wt_error_init(&err);
	assert_int_equal(wt_reader_sub(&r, 2, &sub, &err), 0);
	assert_true(wt_reader_done(&r));
}

static void test_reader_floats_little_endian(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {0x00, 0x00, 0x80, 0x3f, 1, 2, 3, 4, 5, 6, 7, 8};
	wt_reader r;
	wt_error err;
	uint32_t f;
	uint64_t d;
	wt_reader_init(&r, bytes, sizeof bytes);
	wt_error_init(&err);
	assert_int_equal(wt_read_f32(&r, &f, &err), 0);
	assert_int_equal(f, 0x3f800000u);
	assert_int_equal(wt_read_f64(&r, &d, &err), 0);
	assert_int_equal(d, UINT64_C(0x0807060504030201));
	assert_int_equal(wt_read_f32(&r, &f, &err), WT_MALFORMED);
	assert_int_equal(err.offset, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reader_leb128_cases),
	    cmocka_unit_test(test_reader_utf8_cases),
	    cmocka_unit_test(test_reader_name_checks_length_and_utf8),
	    cmocka_unit_test(test_reader_sub_bounds_reads),
	    cmocka_unit_test(test_reader_floats_little_endian),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
