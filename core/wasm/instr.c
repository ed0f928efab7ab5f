/* instr.c: reads one instruction and its immediates, as opcodes.h lists them. */
#include "instr.h"

/* The WT_INSTR_ kind wt_instr_next uses for an immediate kind. */
#define FAST_KIND(imm)                                                               \
	((imm) == WT_IMM_NONE	  ? WT_INSTR_NONE                                    \
	 : (imm) == WT_IMM_I32	  ? WT_INSTR_S32                                     \
	 : (imm) == WT_IMM_MEMARG ? WT_INSTR_MEMARG                                  \
	 : (imm) == WT_IMM_LABEL || (imm) == WT_IMM_FUNC || (imm) == WT_IMM_LOCAL || \
		 (imm) == WT_IMM_GLOBAL                                              \
	     ? WT_INSTR_INDEX                                                        \
	     : WT_INSTR_OTHER)

/* Unlisted bytes (illegal opcodes, the 0xFC prefix) stay WT_INSTR_ILLEGAL. */
const wt_instr_fast wt_instr_fast_table[256] = {
#define WT_X_FAST(name, c, text, i, s, a) [c] = {WT_OP_##name, FAST_KIND(WT_IMM_##i)},
    WT_OPCODE_LIST(WT_X_FAST)
#undef WT_X_FAST
};

_Static_assert(WT_OP_I64_EXTEND32_S <= 0xFF, "single-byte wt_ops must fit wt_instr_fast.op");

/* Decodes a LEB128 that ends within its first 9 bytes, all before end:
 * returns its length and the value in *v (not sign-extended), or 0. Such
 * a LEB is always well-formed and in range for s64 (63 bits). */
static inline size_t leb_short64(const uint8_t *p, const uint8_t *end, uint64_t *v)
{
	size_t left = (size_t)(end - p);
	uint64_t value = 0;
	if (left > 9)
		left = 9;
	for (size_t i = 0; i < left; i++) {
		value |= (uint64_t)(p[i] & 0x7F) << (7 * i);
		if (!(p[i] & 0x80)) {
			*v = value;
			return i + 1;
		}
	}
	return 0;
}

/* Sign-extends a short LEB's value of `len` bytes. */
static inline int64_t leb_signed(uint64_t v, size_t len)
{
	unsigned bits = (unsigned)(7 * len);
	return v >> (bits - 1) & 1 ? (int64_t)(v | ~(uint64_t)0 << bits) : (int64_t)v;
}

/* The readers below decode short LEBs inline and leave the others (and
 * every error) to reader.c, the authority on LEB128 rules. */
static inline int read_u32(wt_reader *r, uint32_t *out, wt_error *err)
{
	size_t n = wt_instr_leb_short(r->pos, r->end, out);
	if (__builtin_expect(n == 0, 0))
		return wt_read_u32(r, out, err);
	r->pos += n;
	return 0;
}

static inline int read_s32(wt_reader *r, uint32_t *out, wt_error *err)
{
	uint32_t v;
	int32_t full;
	size_t n = wt_instr_leb_short(r->pos, r->end, &v);
	if (__builtin_expect(n == 0, 0)) {
		if (wt_read_s32(r, &full, err))
			return WT_MALFORMED;
		*out = (uint32_t)full;
		return 0;
	}
	r->pos += n;
	*out = (uint32_t)leb_signed(v, n);
	return 0;
}

static inline int read_s64(wt_reader *r, uint64_t *out, wt_error *err)
{
	uint64_t v;
	int64_t full;
	size_t n = leb_short64(r->pos, r->end, &v);
	if (__builtin_expect(n == 0, 0)) {
		if (wt_read_s64(r, &full, err))
			return WT_MALFORMED;
		*out = (uint64_t)full;
		return 0;
	}
	r->pos += n;
	*out = (uint64_t)leb_signed(v, n);
	return 0;
}

static inline int read_s33(wt_reader *r, int64_t *out, wt_error *err)
{
	uint32_t v;
	size_t n = wt_instr_leb_short(r->pos, r->end, &v);
	if (__builtin_expect(n == 0, 0))
		return wt_read_s33(r, out, err);
	r->pos += n;
	*out = leb_signed(v, n);
	return 0;
}

static int read_zero_byte(wt_reader *r, wt_error *err)
{
	size_t at = wt_reader_offset(r);
	uint8_t b;
	if (wt_read_u8(r, &b, err))
		return WT_MALFORMED;
	if (b != 0)
		return wt_fail(err, WT_MALFORMED, at, "zero byte expected");
	return 0;
}

static int read_blocktype(wt_reader *r, wt_instr *in, wt_error *err)
{
	int64_t v;
	size_t at = wt_reader_offset(r);
	if (read_s33(r, &v, err))
		return WT_MALFORMED;
	if (v >= 0) {
		in->u.block.kind = WT_BLOCK_TYPEIDX;
		in->u.block.value = (uint32_t)v;
	} else if (v == -64) {
		in->u.block.kind = WT_BLOCK_EMPTY;
	} else if (v >= -64) {
		/* A single-byte value type: -1 (0x7F) .. -17 (0x6F). */
		in->u.block.kind = WT_BLOCK_VALTYPE;
		in->u.block.value = (uint32_t)(v & 0x7F);
	} else {
		return wt_fail(err, WT_MALFORMED, at, "malformed block type");
	}
	return 0;
}

static int read_br_table(wt_reader *r, wt_instr *in, wt_error *err)
{
	uint32_t count, label;
	if (read_u32(r, &count, err))
		return WT_MALFORMED;
	in->u.br_table.count = count;
	in->u.br_table.labels = *r;
	/* Each label takes at least one byte: a count past the end fails. */
	for (uint64_t i = 0; i <= count; i++)
		if (read_u32(r, &label, err))
			return WT_MALFORMED;
	in->u.br_table.labels.end = r->pos;
	return 0;
}

static int read_select_t(wt_reader *r, wt_instr *in, wt_error *err)
{
	uint32_t count;
	if (read_u32(r, &count, err))
		return WT_MALFORMED;
	in->u.select.count = count;
	in->u.select.type = 0;
	for (uint64_t i = 0; i < count; i++) {
		uint8_t t;
		if (wt_read_u8(r, &t, err))
			return WT_MALFORMED;
		if (i == 0)
			in->u.select.type = t;
	}
	return 0;
}

static int read_pair(wt_reader *r, wt_instr *in, wt_error *err)
{
	return read_u32(r, &in->u.pair.a, err) || read_u32(r, &in->u.pair.b, err) ? WT_MALFORMED
										  : 0;
}

/* 16 raw bytes (v128.const, i8x16.shuffle) into u.v128. */
static int read_16(wt_reader *r, wt_instr *in, wt_error *err)
{
	for (int i = 0; i < 16; i++)
		if (wt_read_u8(r, &in->u.v128[i], err))
			return WT_MALFORMED;
	return 0;
}

static int read_memarg(wt_reader *r, wt_instr *in, wt_error *err)
{
	return read_u32(r, &in->u.memarg.align, err) || read_u32(r, &in->u.memarg.offset, err)
		   ? WT_MALFORMED
		   : 0;
}

static int read_immediate(wt_reader *r, wt_instr *in, wt_error *err)
{
	switch ((wt_imm)wt_opinfo_table[in->op].imm) {
	case WT_IMM_NONE:
		return 0;
	case WT_IMM_BLOCKTYPE:
		return read_blocktype(r, in, err);
	case WT_IMM_LABEL:
	case WT_IMM_FUNC:
	case WT_IMM_LOCAL:
	case WT_IMM_GLOBAL:
	case WT_IMM_TABLE:
	case WT_IMM_DATA:
	case WT_IMM_ELEM:
		return read_u32(r, &in->u.index, err);
	case WT_IMM_BR_TABLE:
		return read_br_table(r, in, err);
	case WT_IMM_CALL_INDIRECT:
	case WT_IMM_TABLE_INIT:
	case WT_IMM_TABLE_COPY:
		return read_pair(r, in, err);
	case WT_IMM_MEMARG:
		return read_memarg(r, in, err);
	case WT_IMM_MEMARG_LANE:
		return read_memarg(r, in, err) || wt_read_u8(r, &in->u.memarg.lane, err)
			   ? WT_MALFORMED
			   : 0;
	case WT_IMM_LANE:
		in->u.memarg.align = in->u.memarg.offset = 0;
		return wt_read_u8(r, &in->u.memarg.lane, err);
	case WT_IMM_V128:
	case WT_IMM_SHUFFLE:
		return read_16(r, in, err);
	case WT_IMM_MEMORY:
		return read_zero_byte(r, err);
	case WT_IMM_MEMORY_COPY:
		return read_zero_byte(r, err) || read_zero_byte(r, err) ? WT_MALFORMED : 0;
	case WT_IMM_MEMORY_INIT:
		return read_u32(r, &in->u.index, err) || read_zero_byte(r, err) ? WT_MALFORMED : 0;
	case WT_IMM_I32:
		return read_s32(r, &in->u.i32, err);
	case WT_IMM_I64:
		return read_s64(r, &in->u.i64, err);
	case WT_IMM_F32:
		return wt_read_f32(r, &in->u.i32, err);
	case WT_IMM_F64:
		return wt_read_f64(r, &in->u.i64, err);
	case WT_IMM_SELECT_T:
		return read_select_t(r, in, err);
	case WT_IMM_REFTYPE:
		return wt_read_u8(r, &in->u.reftype, err);
	}
	return wt_fail(err, WT_INTERNAL, wt_reader_offset(r), "unknown immediate kind");
}

/* The 0xFC- and 0xFD-prefixed opcodes: a u32 LEB sub-opcode. */
static int read_prefixed(wt_reader *r, unsigned prefix, wt_instr *in, wt_error *err)
{
	uint32_t code;
	if (read_u32(r, &code, err))
		return WT_MALFORMED;
	if (wt_op_lookup(prefix, code, &in->op))
		return wt_fail(err, WT_MALFORMED, in->offset, "illegal opcode 0x%x %u", prefix,
			       code);
	return 0;
}

int wt_instr_read(wt_reader *r, wt_instr *in, wt_error *err)
{
	uint8_t byte;
	in->offset = (uint32_t)wt_reader_offset(r);
	if (wt_read_u8(r, &byte, err))
		return WT_MALFORMED;
	if (byte == WT_PREFIX_FC || byte == WT_PREFIX_FD) {
		if (read_prefixed(r, byte, in, err))
			return WT_MALFORMED;
	} else if (wt_instr_fast_table[byte].kind == WT_INSTR_ILLEGAL) {
		return wt_fail(err, WT_MALFORMED, in->offset, "illegal opcode 0x%x", byte);
	} else {
		in->op = (wt_op)wt_instr_fast_table[byte].op;
	}
	return read_immediate(r, in, err);
}
