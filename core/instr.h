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

#endif
