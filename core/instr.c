/* instr.c: reads one instruction and its immediates, as opcodes.h lists them. */
#include "instr.h"

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
	if (wt_read_s33(r, &v, err))
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
	if (wt_read_u32(r, &count, err))
		return WT_MALFORMED;
	in->u.br_table.count = count;
	in->u.br_table.labels = *r;
	/* Each label takes at least one byte: a count past the end fails. */
	for (uint64_t i = 0; i <= count; i++)
		if (wt_read_u32(r, &label, err))
			return WT_MALFORMED;
	in->u.br_table.labels.end = r->pos;
	return 0;
}

static int read_select_t(wt_reader *r, wt_instr *in, wt_error *err)
{
	uint32_t count;
	if (wt_read_u32(r, &count, err))
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
	return wt_read_u32(r, &in->u.pair.a, err) || wt_read_u32(r, &in->u.pair.b, err)
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
		return wt_read_u32(r, &in->u.index, err);
	case WT_IMM_BR_TABLE:
		return read_br_table(r, in, err);
	case WT_IMM_CALL_INDIRECT:
	case WT_IMM_TABLE_INIT:
	case WT_IMM_TABLE_COPY:
		return read_pair(r, in, err);
	case WT_IMM_MEMARG:
		return wt_read_u32(r, &in->u.memarg.align, err) ||
				       wt_read_u32(r, &in->u.memarg.offset, err)
			       ? WT_MALFORMED
			       : 0;
	case WT_IMM_MEMORY:
		return read_zero_byte(r, err);
	case WT_IMM_MEMORY_COPY:
		return read_zero_byte(r, err) || read_zero_byte(r, err) ? WT_MALFORMED : 0;
	case WT_IMM_MEMORY_INIT:
		return wt_read_u32(r, &in->u.index, err) || read_zero_byte(r, err) ? WT_MALFORMED
										    : 0;
	case WT_IMM_I32: {
		int32_t v;
		if (wt_read_s32(r, &v, err))
			return WT_MALFORMED;
		in->u.i32 = (uint32_t)v;
		return 0;
	}
	case WT_IMM_I64: {
		int64_t v;
		if (wt_read_s64(r, &v, err))
			return WT_MALFORMED;
		in->u.i64 = (uint64_t)v;
		return 0;
	}
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

int wt_instr_read(wt_reader *r, wt_instr *in, wt_error *err)
{
	size_t at = wt_reader_offset(r);
	uint8_t byte;
	uint32_t code;
	unsigned prefix = 0;
	in->offset = (uint32_t)at;
	if (wt_read_u8(r, &byte, err))
		return WT_MALFORMED;
	code = byte;
	if (byte == WT_PREFIX_FC) {
		prefix = byte;
		if (wt_read_u32(r, &code, err))
			return WT_MALFORMED;
	}
	if (wt_op_lookup(prefix, code, &in->op)) {
		if (prefix)
			return wt_fail(err, WT_MALFORMED, at, "illegal opcode 0x%x %u", prefix, code);
		return wt_fail(err, WT_MALFORMED, at, "illegal opcode 0x%x", code);
	}
	return read_immediate(r, in, err);
}
