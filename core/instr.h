/* instr.h: reads one instruction (opcode + immediates) from a body; shared by decoder, validator, compiler. */
#ifndef WT_INSTR_H
#define WT_INSTR_H

#include <stdint.h>

#include "opcodes.h"
#include "reader.h"

typedef enum {
	WT_BLOCK_EMPTY,   /* 0x40: [] -> [] */
	WT_BLOCK_VALTYPE, /* one result of type `value` */
	WT_BLOCK_TYPEIDX, /* the function type with index `value` */
} wt_blockkind;

/* One decoded instruction. Which member of `u` holds the immediate
 * follows from wt_opinfo_table[op].imm. */
typedef struct wt_instr {
	wt_op op;
	uint32_t offset; /* of the opcode (or its prefix) in the module */
	union {
		struct {
			uint8_t kind; /* wt_blockkind */
			uint32_t value;
		} block;
		uint32_t index; /* LABEL FUNC LOCAL GLOBAL TABLE DATA ELEM */
		struct {
			uint32_t align; /* log2, as encoded */
			uint32_t offset;
		} memarg;
		struct {
			uint32_t a; /* CALL_INDIRECT: type; TABLE_INIT: elem; TABLE_COPY: dst */
			uint32_t b; /* CALL_INDIRECT: table; TABLE_INIT: table; TABLE_COPY: src */
		} pair;
		struct {
			uint32_t count;   /* targets, the default excluded */
			wt_reader labels; /* count u32 LEBs then the default; read with wt_read_u32 */
		} br_table;
		struct {
			uint32_t count; /* SELECT_T: must be 1 to be valid */
			uint8_t type;
		} select;
		uint8_t reftype; /* REFTYPE */
		uint32_t i32;    /* I32 and F32 (bits) */
		uint64_t i64;    /* I64 and F64 (bits) */
	} u;
} wt_instr;

/* Reads one instruction at r. Returns 0, or WT_MALFORMED with the offset
 * ("illegal opcode", "zero byte expected", LEB errors, unexpected end).
 * Immediates are read, not checked against the module (that is
 * validation). br_table labels are skipped over but kept in a sub-reader. */
int wt_instr_read(wt_reader *r, wt_instr *out, wt_error *err);

/* How wt_instr_next reads an opcode byte's immediate without calling out. */
enum {
	WT_INSTR_SLOW = 0, /* illegal, prefixed, or an immediate read out of line */
	WT_INSTR_NONE,   /* no immediate */
	WT_INSTR_INDEX,  /* one u32 LEB into u.index */
	WT_INSTR_S32,    /* one s32 LEB into u.i32 */
	WT_INSTR_MEMARG, /* two u32 LEBs into u.memarg */
};

/* Per first byte, generated from opcodes.h: the wt_op and the WT_INSTR_ kind. */
typedef struct wt_instr_fast {
	uint8_t op;
	uint8_t kind;
} wt_instr_fast;

extern const wt_instr_fast wt_instr_fast_table[256];

/* Same contract and results as wt_instr_read, inlined for the common
 * case: a single-byte opcode whose immediates are absent or one-byte
 * LEBs (a one-byte LEB is always well-formed and in range). Everything
 * else, including every error, goes to wt_instr_read. */
static inline int wt_instr_next(wt_reader *r, wt_instr *in, wt_error *err)
{
	const uint8_t *p = r->pos;
	size_t left = (size_t)(r->end - p);
	if (__builtin_expect(left == 0, 0))
		return wt_instr_read(r, in, err);
	wt_instr_fast f = wt_instr_fast_table[p[0]];
	switch (f.kind) {
	case WT_INSTR_NONE:
		r->pos = p + 1;
		break;
	case WT_INSTR_INDEX:
		if (left < 2 || (p[1] & 0x80))
			return wt_instr_read(r, in, err);
		in->u.index = p[1];
		r->pos = p + 2;
		break;
	case WT_INSTR_S32:
		if (left < 2 || (p[1] & 0x80))
			return wt_instr_read(r, in, err);
		in->u.i32 = (uint32_t)((int32_t)((uint32_t)p[1] << 25) >> 25);
		r->pos = p + 2;
		break;
	case WT_INSTR_MEMARG:
		if (left < 3 || ((p[1] | p[2]) & 0x80))
			return wt_instr_read(r, in, err);
		in->u.memarg.align = p[1];
		in->u.memarg.offset = p[2];
		r->pos = p + 3;
		break;
	default:
		return wt_instr_read(r, in, err);
	}
	in->op = (wt_op)f.op;
	in->offset = (uint32_t)(p - r->base);
	return 0;
}

#endif
