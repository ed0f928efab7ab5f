/* compile_simd.c: lowers the vector (v128) instructions, and the v128 forms of drop, select,
 * global.get and global.set. A v128 is two stack entries (low half first); its operand slot
 * names both. */
#include <string.h>

#include "compile.h"

/* wasm op -> internal op + 1 (0: not a vector op with a handler). */
static const uint16_t simd_vops[WT_OP_COUNT] = {
#define ROW(n, shape, size, ...) [WT_OP_##n] = WT_V_##n + 1,
    WT_VM_SIMD_LIST(ROW)
#undef ROW
};

/* The signature letters of opcodes.h: 'V' is a v128. */
static uint32_t width(char t)
{
	return t == 'V' ? 2 : 1;
}

/* Emits the immediates after the operands: offset, lane, shuffle indices. */
static void emit_immediates(wt_comp *c, const wt_instr *in)
{
	switch ((wt_imm)wt_opinfo_table[in->op].imm) {
	case WT_IMM_MEMARG:
		wt_comp_emit(c, in->u.memarg.offset);
		break;
	case WT_IMM_MEMARG_LANE:
		wt_comp_emit(c, in->u.memarg.offset);
		wt_comp_emit(c, in->u.memarg.lane);
		break;
	case WT_IMM_LANE:
		wt_comp_emit(c, in->u.memarg.lane);
		break;
	case WT_IMM_SHUFFLE:
		for (int i = 0; i < 16; i += 4) {
			uint32_t w;
			memcpy(&w, in->u.v128 + i, 4);
			wt_comp_emit(c, w);
		}
		break;
	default:
		break;
	}
}

/* Any vector op, from its signature: operands (bottom first), then the
 * result d (word 2) when there is one, then the immediates. */
static void lower_vector(wt_comp *c, const wt_instr *in, uint32_t vop)
{
	const char *sig = wt_opinfo_table[in->op].sig;
	const char *colon = strchr(sig, ':');
	uint32_t npop = (uint32_t)(colon - sig), s[3], entries = 0, d = 0;
	char push = colon[1];
	for (uint32_t i = 0; i < npop; i++)
		entries += width(sig[i]);
	for (uint32_t i = 0, pos = c->height - entries; i < npop; pos += width(sig[i++]))
		s[i] = sig[i] == 'V' ? wt_comp_v128_operand(c, pos) : wt_comp_operand(c, pos);
	for (uint32_t i = 0; i < entries; i++)
		wt_comp_pop(c);
	if (push)
		d = push == 'V' ? wt_comp_push_v128(c) : wt_comp_push(c);
	uint32_t at = wt_comp_emit_op(c, vop);
	if (push)
		wt_comp_emit(c, d);
	for (uint32_t i = 0; i < npop; i++)
		wt_comp_emit(c, s[i]);
	emit_immediates(c, in);
	if (push) {
		wt_comp_note_result(c, at, vop, npop ? s[0] : 0, npop > 1 ? s[1] : 0);
		c->last.v128 = push == 'V';
	}
}

/* select of two v128: one SELECT per half. */
static void lower_select(wt_comp *c)
{
	uint32_t h = c->height;
	uint32_t k = wt_comp_operand(c, h - 1);
	uint32_t a0 = wt_comp_operand(c, h - 5), a1 = wt_comp_operand(c, h - 4);
	uint32_t b0 = wt_comp_operand(c, h - 3), b1 = wt_comp_operand(c, h - 2);
	for (int i = 0; i < 5; i++)
		wt_comp_pop(c);
	uint32_t d = wt_comp_push_v128(c);
	const uint32_t halves[2][3] = {{a0, b0, d}, {a1, b1, d + 1}};
	for (int i = 0; i < 2; i++) {
		wt_comp_emit_op(c, WT_V_SELECT);
		wt_comp_emit(c, halves[i][2]);
		wt_comp_emit(c, halves[i][0]);
		wt_comp_emit(c, halves[i][1]);
		wt_comp_emit(c, k);
	}
	c->last.valid = 0;
}

/* global.get and global.set of a v128 global: one op per half. */
static void lower_global(wt_comp *c, const wt_instr *in)
{
	wt_globalinst *g = c->inst->globals[in->u.index];
	wt_slot *half[2] = {&g->value, &g->hi};
	if (in->op == WT_OP_GLOBAL_GET) {
		uint32_t d = wt_comp_push_v128(c);
		for (int i = 0; i < 2; i++) {
			wt_comp_emit_op(c, WT_V_GLOBAL_GET);
			wt_comp_emit(c, d + (uint32_t)i);
			wt_comp_emit64(c, (uint64_t)(uintptr_t)half[i]);
		}
	} else {
		uint32_t a = wt_comp_v128_operand(c, c->height - 2);
		wt_comp_pop(c);
		wt_comp_pop(c);
		for (int i = 0; i < 2; i++) {
			wt_comp_emit_op(c, WT_V_GLOBAL_SET);
			wt_comp_emit(c, a + (uint32_t)i);
			wt_comp_emit64(c, (uint64_t)(uintptr_t)half[i]);
		}
	}
	c->last.valid = 0;
}

int wt_comp_lower_simd(wt_comp *c, const wt_instr *in)
{
	uint32_t top = c->height ? c->height - 1 : 0;
	switch (in->op) {
	case WT_OP_V128_CONST: {
		wt_slot lo, hi;
		memcpy(&lo, in->u.v128, 8);
		memcpy(&hi, in->u.v128 + 8, 8);
		wt_comp_push_const_v128(c, lo, hi);
		return 0;
	}
	case WT_OP_DROP:
		if (!c->hi[top])
			return -1;
		wt_comp_pop(c);
		wt_comp_pop(c);
		return 0;
	case WT_OP_SELECT:
	case WT_OP_SELECT_T:
		if (c->height < 2 || !c->hi[c->height - 2])
			return -1;
		lower_select(c);
		return 0;
	case WT_OP_GLOBAL_GET:
	case WT_OP_GLOBAL_SET:
		if (c->m->globals[in->u.index].type.type != WT_V128)
			return -1;
		lower_global(c, in);
		return 0;
	default:
		if (!simd_vops[in->op])
			return -1;
		lower_vector(c, in, simd_vops[in->op] - 1u);
		return 0;
	}
}
