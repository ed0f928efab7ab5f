/* test_instr.c: the instruction reader: immediates, errors, and the inline fast path agreeing
 * with the full reader on every opcode byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "instr.h"

#define B(s) (const uint8_t *)s, sizeof s - 1
#define L(s)                    \
	{                       \
		s, sizeof s - 1 \
	}

/* Which immediate field a known-answer case checks. */
typedef enum { F_NONE, F_INDEX, F_I32, F_I64, F_MEMARG, F_BLOCK, F_PAIR } field;

typedef struct instr_case {
	const uint8_t *bytes;
	size_t len;
	int ok;
	wt_op op;
	field f;
	uint64_t a, b;	 /* the immediate (F_BLOCK: kind, value; F_MEMARG: align, offset) */
	size_t used;	 /* bytes consumed when ok */
	const char *msg; /* part of the message when not ok */
} instr_case;

static const instr_case instr_cases[] = {
    {B("\x6a"), 1, WT_OP_I32_ADD, F_NONE, 0, 0, 1, NULL},
    {B("\x20\x05"), 1, WT_OP_LOCAL_GET, F_INDEX, 5, 0, 2, NULL},
    {B("\x20\x80\x01"), 1, WT_OP_LOCAL_GET, F_INDEX, 128, 0, 3, NULL},
    {B("\x20\xff\xff\xff\xff\x0f"), 1, WT_OP_LOCAL_GET, F_INDEX, 0xFFFFFFFFu, 0, 6, NULL},
    {B("\x20\x80\x80\x80\x80\x10"), 0, 0, F_NONE, 0, 0, 0, "integer too large"},
    {B("\x20"), 0, 0, F_NONE, 0, 0, 0, "unexpected end"},
    {B("\x10\x80\x80\x80\x80\x80\x00"), 0, 0, F_NONE, 0, 0, 0, "too long"},
    {B("\x41\x7f"), 1, WT_OP_I32_CONST, F_I32, 0xFFFFFFFFu, 0, 2, NULL},
    {B("\x41\x3f"), 1, WT_OP_I32_CONST, F_I32, 63, 0, 2, NULL},
    {B("\x41\xc0\x00"), 1, WT_OP_I32_CONST, F_I32, 64, 0, 3, NULL},
    {B("\x41\x80\x7f"), 1, WT_OP_I32_CONST, F_I32, (uint32_t)-128, 0, 3, NULL},
    {B("\x41\xff\xff\xff\x7f"), 1, WT_OP_I32_CONST, F_I32, 0xFFFFFFFFu, 0, 5, NULL},
    {B("\x41\x80\x80\x80\x40"), 1, WT_OP_I32_CONST, F_I32, (uint32_t) - (1 << 27), 0, 5, NULL},
    {B("\x41\x80\x80\x80\x80\x78"), 1, WT_OP_I32_CONST, F_I32, 0x80000000u, 0, 6, NULL},
    {B("\x41\x80\x80\x80\x80\x70"), 0, 0, F_NONE, 0, 0, 0, "integer too large"},
    {B("\x42\x7e"), 1, WT_OP_I64_CONST, F_I64, (uint64_t)-2, 0, 2, NULL},
    {B("\x42\x80\x80\x80\x80\x80\x80\x80\x80\x40"), 1, WT_OP_I64_CONST, F_I64,
     (uint64_t) - (INT64_C(1) << 62), 0, 10, NULL},
    {B("\x42\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00"), 1, WT_OP_I64_CONST, F_I64, INT64_MAX, 0, 11,
     NULL},
    {B("\x42\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f"), 1, WT_OP_I64_CONST, F_I64,
     (uint64_t)INT64_MIN, 0, 11, NULL},
    {B("\x42\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01"), 0, 0, F_NONE, 0, 0, 0, "too large"},
    {B("\x28\x02\x10"), 1, WT_OP_I32_LOAD, F_MEMARG, 2, 16, 3, NULL},
    {B("\x28\x02\x80\x80\x04"), 1, WT_OP_I32_LOAD, F_MEMARG, 2, 65536, 5, NULL},
    {B("\x28\x02"), 0, 0, F_NONE, 0, 0, 0, "unexpected end"},
    {B("\x02\x40"), 1, WT_OP_BLOCK, F_BLOCK, WT_BLOCK_EMPTY, 0, 2, NULL},
    {B("\x03\x7f"), 1, WT_OP_LOOP, F_BLOCK, WT_BLOCK_VALTYPE, 0x7F, 2, NULL},
    {B("\x04\x03"), 1, WT_OP_IF, F_BLOCK, WT_BLOCK_TYPEIDX, 3, 2, NULL},
    {B("\x02\x80\x01"), 1, WT_OP_BLOCK, F_BLOCK, WT_BLOCK_TYPEIDX, 128, 3, NULL},
    {B("\x02\x80\x7f"), 0, 0, F_NONE, 0, 0, 0, "malformed block type"},
    {B("\x11\x02\x00"), 1, WT_OP_CALL_INDIRECT, F_PAIR, 2, 0, 3, NULL},
    {B("\x3f\x01"), 0, 0, F_NONE, 0, 0, 0, "zero byte expected"},
    {B("\xfc\x0a\x00\x00"), 1, WT_OP_MEMORY_COPY, F_NONE, 0, 0, 4, NULL},
    {B("\xfc\x80\x00"), 1, WT_OP_I32_TRUNC_SAT_F32_S, F_NONE, 0, 0, 3, NULL},
    {B("\xfc\x12"), 0, 0, F_NONE, 0, 0, 0, "illegal opcode"},
    {B("\x06"), 0, 0, F_NONE, 0, 0, 0, "illegal opcode 0x6"},
    {B("\xfd\x00\x04\x10"), 1, WT_OP_V128_LOAD, F_MEMARG, 4, 16, 4, NULL},
    {B("\xfd\x54\x00\x02\x0f"), 1, WT_OP_V128_LOAD8_LANE, F_MEMARG, 0, 2, 5, NULL},
    {B("\xfd\x8e\x01"), 1, WT_OP_I16X8_ADD, F_NONE, 0, 0, 3, NULL},
    {B("\xfd\x00"), 0, 0, F_NONE, 0, 0, 0, "unexpected end"},
    {B("\xfd\xe2\x01"), 0, 0, F_NONE, 0, 0, 0, "illegal opcode 0xfd 226"},
};

static void check_field(const instr_case *tc, const wt_instr *in)
{
	switch (tc->f) {
	case F_NONE:
		break;
	case F_INDEX:
		assert_int_equal(in->u.index, tc->a);
		break;
	case F_I32:
		assert_int_equal(in->u.i32, tc->a);
		break;
	case F_I64:
		assert_int_equal(in->u.i64, tc->a);
		break;
	case F_MEMARG:
		assert_int_equal(in->u.memarg.align, tc->a);
		assert_int_equal(in->u.memarg.offset, tc->b);
		break;
	case F_BLOCK:
		assert_int_equal(in->u.block.kind, tc->a);
		if (tc->a != WT_BLOCK_EMPTY)
			assert_int_equal(in->u.block.value, tc->b);
		break;
	case F_PAIR:
		assert_int_equal(in->u.pair.a, tc->a);
		assert_int_equal(in->u.pair.b, tc->b);
		break;
	}
}

/* Runs one case through a reader whose input starts 3 bytes into a buffer,
 * so the instruction's offset is 3. */
static void run_case(const instr_case *tc, int fast)
{
	uint8_t buf[32] = {0xEE, 0xEE, 0xEE};
	wt_reader r;
	wt_instr in;
	wt_error err;
	memcpy(buf + 3, tc->bytes, tc->len);
	wt_reader_init(&r, buf, 3 + tc->len);
	r.pos += 3;
	wt_error_init(&err);
	int rc = fast ? wt_instr_next(&r, &in, &err) : wt_instr_read(&r, &in, &err);
	if (!tc->ok) {
		assert_int_equal(rc, WT_MALFORMED);
		assert_non_null(strstr(err.msg, tc->msg));
		return;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(in.op, tc->op);
	assert_int_equal(in.offset, 3);
	assert_int_equal(wt_reader_offset(&r), 3 + tc->used);
	check_field(tc, &in);
}

static void test_instr_read_known_answers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof instr_cases / sizeof instr_cases[0]; i++)
		run_case(&instr_cases[i], 0);
}

static void test_instr_next_known_answers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof instr_cases / sizeof instr_cases[0]; i++)
		run_case(&instr_cases[i], 1);
}

/* Immediate tails tried after every opcode byte, each also cut short. */
static const struct {
	const char *bytes;
	size_t len;
} tails[] = {
    {"", 0},
    {"\x00\x00\x00", 3},
    {"\x7f\x7f\x7f", 3},
    {"\x40\x05\x0b", 3},
    {"\x3f\x80\x01", 3},
    {"\x80\x01\x02", 3},
    {"\x02\x00\x80\x7f", 4},
    {"\xff\xff\xff\x7f\x00", 5},
    {"\xff\xff\xff\xff\x0f\x00", 6},
    {"\x80\x80\x80\x80\x70", 5},
    {"\x80\x80\x80\x80\x80\x00", 6},
    {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x01", 11},
    {"\x01\x7f\x02\x03\x04\x05\x06\x07\x08", 9},
};

/* Reads buf[0..len) with both readers and requires the same result:
 * status, op, offset, immediate bytes, position, and the error. */
static void compare_readers(const uint8_t *buf, size_t len)
{
	wt_reader r1, r2;
	wt_instr i1, i2;
	wt_error e1, e2;
	memset(&i1, 0xA5, sizeof i1);
	memset(&i2, 0xA5, sizeof i2);
	wt_error_init(&e1);
	wt_error_init(&e2);
	wt_reader_init(&r1, buf, len);
	wt_reader_init(&r2, buf, len);
	int rc1 = wt_instr_read(&r1, &i1, &e1);
	int rc2 = wt_instr_next(&r2, &i2, &e2);
	assert_int_equal(rc1, rc2);
	if (rc1) {
		assert_int_equal(e1.code, e2.code);
		assert_int_equal(e1.offset, e2.offset);
		assert_string_equal(e1.msg, e2.msg);
		return;
	}
	assert_int_equal(i1.op, i2.op);
	assert_int_equal(i1.offset, i2.offset);
	assert_ptr_equal(r1.pos, r2.pos);
	assert_memory_equal(&i1.u, &i2.u, sizeof i1.u);
}

static void test_instr_next_matches_read_on_every_byte(void **state)
{
	(void)state;
	uint8_t buf[16];
	for (unsigned op = 0; op < 256; op++)
		for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++)
			for (size_t cut = 0; cut <= tails[t].len; cut++) {
				buf[0] = (uint8_t)op;
				memcpy(buf + 1, tails[t].bytes, cut);
				compare_readers(buf, 1 + cut);
			}
}

/* The LEB immediates agree with reader.c (the LEB authority) on every
 * encoding length, value and error. */
static void test_instr_leb_immediates_match_reader(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;
		size_t len;
	} lebs[] = {
	    L("\x00"),
	    L("\x40"),
	    L("\x7f"),
	    L("\x80\x7f"),
	    L("\xff\x00"),
	    L("\xc0\xbb\x78"),
	    L("\xff\xff\xff\x3f"),
	    L("\x80\x80\x80\x40"),
	    L("\x80\x80\x80\x80\x08"),
	    L("\xff\xff\xff\xff\x07"),
	    L("\xff\xff\xff\xff\x0f"),
	    L("\x80\x80\x80\x80\x78"),
	    L("\x80\x80\x80\x80\x80\x80\x80\x80\x40"),
	    L("\xff\xff\xff\xff\xff\xff\xff\xff\x3f"),
	    L("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f"),
	    L("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01"),
	    L("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00"),
	};
	for (size_t i = 0; i < sizeof lebs / sizeof lebs[0]; i++) {
		size_t n = lebs[i].len;
		uint8_t buf[16] = {0};
		wt_reader ri, rl;
		wt_instr in;
		wt_error ei, el;
		int32_t s32;
		int64_t s64;
		uint32_t u32;
		memcpy(buf + 1, lebs[i].bytes, n);
		/* i32.const vs wt_read_s32 */
		buf[0] = 0x41;
		wt_reader_init(&ri, buf, 1 + n);
		wt_reader_init(&rl, buf + 1, n);
		wt_error_init(&ei);
		wt_error_init(&el);
		int rc = wt_instr_read(&ri, &in, &ei);
		assert_int_equal(rc, wt_read_s32(&rl, &s32, &el));
		if (rc == 0) {
			assert_int_equal(in.u.i32, (uint32_t)s32);
			assert_int_equal(ri.pos, rl.pos);
		} else {
			assert_string_equal(ei.msg, el.msg);
		}
		/* i64.const vs wt_read_s64 */
		buf[0] = 0x42;
		wt_reader_init(&ri, buf, 1 + n);
		wt_reader_init(&rl, buf + 1, n);
		wt_error_init(&ei);
		wt_error_init(&el);
		rc = wt_instr_read(&ri, &in, &ei);
		assert_int_equal(rc, wt_read_s64(&rl, &s64, &el));
		if (rc == 0)
			assert_int_equal(in.u.i64, (uint64_t)s64);
		/* call vs wt_read_u32 */
		buf[0] = 0x10;
		wt_reader_init(&ri, buf, 1 + n);
		wt_reader_init(&rl, buf + 1, n);
		wt_error_init(&ei);
		wt_error_init(&el);
		rc = wt_instr_read(&ri, &in, &ei);
		assert_int_equal(rc, wt_read_u32(&rl, &u32, &el));
		if (rc == 0)
			assert_int_equal(in.u.index, u32);
	}
}

/* The fast table agrees with opcodes.h: every single-byte row maps to its
 * own op, and every byte with no row is left to the full reader. */
static void test_instr_fast_table_matches_opcodes(void **state)
{
	(void)state;
	for (unsigned b = 0; b < 256; b++) {
		wt_op op;
		const wt_instr_fast *f = &wt_instr_fast_table[b];
		if (wt_op_lookup(0, b, &op) != 0) {
			assert_int_equal(f->kind, WT_INSTR_ILLEGAL);
			continue;
		}
		assert_int_equal(f->op, op);
		wt_imm imm = (wt_imm)wt_opinfo_table[op].imm;
		if (imm == WT_IMM_NONE)
			assert_int_equal(f->kind, WT_INSTR_NONE);
		else if (imm == WT_IMM_MEMARG)
			assert_int_equal(f->kind, WT_INSTR_MEMARG);
		else if (imm == WT_IMM_I32)
			assert_int_equal(f->kind, WT_INSTR_S32);
		else
			assert_true(f->kind == WT_INSTR_INDEX || f->kind == WT_INSTR_OTHER);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_instr_read_known_answers),
	    cmocka_unit_test(test_instr_next_known_answers),
	    cmocka_unit_test(test_instr_next_matches_read_on_every_byte),
	    cmocka_unit_test(test_instr_leb_immediates_match_reader),
	    cmocka_unit_test(test_instr_fast_table_matches_opcodes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
