/* instr.h: reads one instruction (opcode + immediates) from a body; shared by decoder, validator,
 * compiler. */
#ifndef WT_INSTR_H
#define WT_INSTR_H

#include <stdint.h>

#include "opcodes.h"
#include "reader.h"

typedef enum {
	WT_BLOCK_EMPTY,	  /* 0x40: [] -> [] */
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
			uint8_t lane; /* MEMARG_LANE and LANE (then align, offset are 0) */
		} memarg;
		uint8_t v128[16]; /* V128 (little-endian bytes) and SHUFFLE (lane indices) */
		struct {
			uint32_t a; /* CALL_INDIRECT: type; TABLE_INIT: elem; TABLE_COPY: dst */
			uint32_t b; /* CALL_INDIRECT: table; TABLE_INIT: table; TABLE_COPY: src */
		} pair;
		struct {
			uint32_t count; /* targets, the default excluded */
			wt_reader
			    labels; /* count u32 LEBs then the default; read with wt_read_u32 */
		} br_table;
		struct {
			uint32_t count; /* SELECT_T: must be 1 to be valid */
			uint8_t type;
		} select;
		uint8_t reftype; /* REFTYPE */
		uint32_t i32;	 /* I32 and F32 (bits) */
		uint64_t i64;	 /* I64 and F64 (bits) */
	} u;
} wt_instr;

/* Reads one instruction at r. Returns 0, or WT_MALFORMED with the offset
 * ("illegal opcode", "zero byte expected", LEB errors, unexpected end).
 * Immediates are read, not checked against the module (that is
 * validation). br_table labels are skipped over but kept in a sub-reader. */
int wt_instr_read(wt_reader *r, wt_instr *out, wt_error *err);

/* How wt_instr_next reads an opcode byte's immediate without calling out. */
enum {
	WT_INSTR_ILLEGAL = 0, /* no single-byte opcode (illegal, or the 0xFC/0xFD prefix) */
	WT_INSTR_OTHER,	      /* an immediate only wt_instr_read reads */
	WT_INSTR_NONE,	      /* no immediate */
	WT_INSTR_INDEX,	      /* one u32 LEB into u.index */
	WT_INSTR_S32,	      /* one s32 LEB into u.i32 */
	WT_INSTR_MEMARG,      /* two u32 LEBs into u.memarg */
};

/* Per first byte, generated from opcodes.h: the wt_op and the WT_INSTR_ kind. */
typedef struct wt_instr_fast {
	uint8_t op;
	uint8_t kind;
} wt_instr_fast;

extern const wt_instr_fast wt_instr_fast_table[256];

/* Decodes a LEB128 at p that ends within its first 4 bytes, all before
 * end: returns its length and the value in *v (not sign-extended), or 0
 * when it is longer, cut short or at the end. Such a LEB is always
 * well-formed and in range for u32, s32 and s33 (28 bits), so the full
 * readers of reader.c keep every error. */
static inline __attribute__((always_inline)) size_t
wt_instr_leb_short(const uint8_t *p, const uint8_t *end, uint32_t *v)
{
	size_t left = (size_t)(end - p);
	if (__builtin_expect(left >= 4, 1)) {
		if (!(p[0] & 0x80)) {
			*v = p[0];
			return 1;
		}
		uint32_t w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			     (uint32_t)p[3] << 24;
		uint32_t stops = ~w & 0x80808080u; /* bytes without a continuation bit */
		if (stops == 0)
			return 0;
		w &= stops ^ (stops - 1); /* drop the bytes after the first stop */
		*v = (w & 0x7F) | (w >> 1 & 0x3F80) | (w >> 2 & 0x1FC000) | (w >> 3 & 0xFE00000);
		return ((size_t)__builtin_ctz(stops) >> 3) + 1;
	}
	uint32_t value = 0;
	for (size_t i = 0; i < left; i++) {
		value |= (uint32_t)(p[i] & 0x7F) << (7 * i);
		if (!(p[i] & 0x80)) {
			*v = value;
			return i + 1;
		}
	}
	return 0;
}

/* Same contract and results as wt_instr_read, inlined for the common
 * case: a single-byte opcode whose immediates are absent or LEBs of at
 * most 4 bytes. Everything else, every error included, goes to
 * wt_instr_read, which starts over from the opcode. */
static inline __attribute__((always_inline)) int wt_instr_next(wt_reader *r, wt_instr *in,
							       wt_error *err)
{
	const uint8_t *p = r->pos, *q;
	size_t n;
	uint32_t v;
	if (__builtin_expect(p >= r->end, 0))
		return wt_instr_read(r, in, err);
	wt_instr_fast f = wt_instr_fast_table[p[0]];
	q = p + 1;
	switch (f.kind) {
	case WT_INSTR_NONE:
		break;
	case WT_INSTR_INDEX:
		if (!(n = wt_instr_leb_short(q, r->end, &in->u.index)))
			return wt_instr_read(r, in, err);
		q += n;
		break;
	case WT_INSTR_S32:
		if (!(n = wt_instr_leb_short(q, r->end, &v)))
			return wt_instr_read(r, in, err);
		/* Sign-extend from bit 7n - 1. */
		in->u.i32 = (uint32_t)((int32_t)(v << (32 - 7 * n)) >> (32 - 7 * n));
		q += n;
		break;
	case WT_INSTR_MEMARG:
		if (!(n = wt_instr_leb_short(q, r->end, &in->u.memarg.align)))
			return wt_instr_read(r, in, err);
		q += n;
		if (!(n = wt_instr_leb_short(q, r->end, &in->u.memarg.offset)))
			return wt_instr_read(r, in, err);
		q += n;
		break;
	default:
		return wt_instr_read(r, in, err);
	}
	in->op = (wt_op)f.op;
	in->offset = (uint32_t)(p - r->base);
	r->pos = q;
	return 0;
}

#endif
