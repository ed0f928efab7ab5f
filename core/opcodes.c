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
};

/* Each entry is wt_op + 1; 0 means no such opcode. */
static const uint8_t single_byte[256] = {
#define WT_X_IDX(name, c, text, i, s, a) [c] = WT_OP_##name + 1,
    WT_OPCODE_LIST(WT_X_IDX)
#undef WT_X_IDX
};

static const uint8_t prefix_fc[] = {
#define WT_X_IDX(name, c, text, i, s, a) [c] = WT_OP_##name + 1,
    WT_OPCODE_FC_LIST(WT_X_IDX)
#undef WT_X_IDX
};

_Static_assert(WT_OP_COUNT < 0xFF, "wt_op must fit a byte in the lookup tables");

int wt_op_lookup(unsigned prefix, uint32_t code, wt_op *op)
{
	uint8_t entry = 0;
	if (prefix == 0 && code <= 0xFF)
		entry = single_byte[code];
	else if (prefix == WT_PREFIX_FC && code < sizeof prefix_fc)
		entry = prefix_fc[code];
	if (entry == 0)
		return -1;
	*op = (wt_op)(entry - 1);
	return 0;
}
