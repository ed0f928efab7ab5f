/* opcodes.c: the opcode tables generated from opcodes.h. */
#include <stdint.h>

#include "opcodes.h"

const wt_opinfo wt_opinfo_table[WT_OP_COUNT] = {
#define WT_X_ROW(name, c, text, i, s, a) {text, s, WT_IMM_##i, a, 0, c},
    WT_OPCODE_LIST(WT_X_ROW)
#undef WT_X_ROW
#define WT_X_ROW(name, c, text, i, s, a) {text, s, WT_IMM_##i, a, WT_PREFIX_FC, c},
	WT_OPCODE_FC_LIST(WT_X_ROW)
#undef WT_X_ROW
#define WT_X_ROW(name, c, text, i, s, a) {text, s, WT_IMM_##i, a, WT_PREFIX_FD, c},
	    WT_OPCODE_FD_LIST(WT_X_ROW)
#undef WT_X_ROW
};

/* Each entry is wt_op + 1; 0 means no such opcode. */
static const uint16_t single_byte[256] = {
#define WT_X_IDX(name, c, text, i, s, a) [c] = WT_OP_##name + 1,
    WT_OPCODE_LIST(WT_X_IDX)
#undef WT_X_IDX
};

static const uint16_t prefix_fc[] = {
#define WT_X_IDX(name, c, text, i, s, a) [c] = WT_OP_##name + 1,
    WT_OPCODE_FC_LIST(WT_X_IDX)
#undef WT_X_IDX
};

static const uint16_t prefix_fd[256] = {
#define WT_X_IDX(name, c, text, i, s, a) [c] = WT_OP_##name + 1,
    WT_OPCODE_FD_LIST(WT_X_IDX)
#undef WT_X_IDX
};

_Static_assert(WT_OP_I64_EXTEND32_S < 0xFF, "single-byte opcodes must fit a byte (wt_instr_fast)");

int wt_op_lookup(unsigned prefix, uint32_t code, wt_op *op)
{
	uint16_t entry = 0;
	if (prefix == 0 && code <= 0xFF)
		entry = single_byte[code];
	else if (prefix == WT_PREFIX_FC && code < sizeof prefix_fc / sizeof prefix_fc[0])
		entry = prefix_fc[code];
	else if (prefix == WT_PREFIX_FD && code < 256)
		entry = prefix_fd[code];
	if (entry == 0)
		return -1;
	*op = (wt_op)(entry - 1);
	return 0;
}
