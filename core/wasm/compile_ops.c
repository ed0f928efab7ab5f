/* compile_ops.c: the lowering table: plain, memory, global, table and reference instructions ->
 * internal ops. */
#include "compile.h"
#include "vm_num.h"

enum { SH_NONE, SH_BINI, SH_BINF, SH_UN, SH_LOAD, SH_STORE };

typedef struct lowering {
	uint16_t vop;
	uint8_t shape;
	uint8_t wide; /* BINI: a 64-bit operation (immediates must fit s32) */
} lowering;

/* wasm op -> internal op, generated from code.h's lists. */
static const lowering lowerings[WT_OP_COUNT] = {
#define ROW_BINI(n, T, R, e) [WT_OP_##n] = {WT_V_##n, SH_BINI, sizeof(vm_##T) == 8},
#define ROW_CMP(n, T, e) [WT_OP_##n] = {WT_V_##n, SH_BINI, sizeof(vm_##T) == 8},
#define ROW_BINT(n, T, h) [WT_OP_##n] = {WT_V_##n, SH_BINI, sizeof(vm_##T) == 8},
#define ROW_BINF(n, T, R, e) [WT_OP_##n] = {WT_V_##n, SH_BINF, 0},
#define ROW_UN(n, T, R, e) [WT_OP_##n] = {WT_V_##n, SH_UN, 0},
#define ROW_UNT(n, T, R, h) [WT_OP_##n] = {WT_V_##n, SH_UN, 0},
#define ROW_LOAD(n, R, M, cv) [WT_OP_##n] = {WT_V_##n, SH_LOAD, 0},
#define ROW_STORE(n, T, M) [WT_OP_##n] = {WT_V_##n, SH_STORE, 0},
    WT_VM_BINI_LIST(ROW_BINI) WT_VM_CMP_LIST(ROW_CMP) WT_VM_BINT_LIST(ROW_BINT)
	WT_VM_BINF_LIST(ROW_BINF) WT_VM_UN_LIST(ROW_UN) WT_VM_UNT_LIST(ROW_UNT)
	    WT_VM_LOAD_LIST(ROW_LOAD) WT_VM_STORE_LIST(ROW_STORE)
#undef ROW_BINI
#undef ROW_CMP
#undef ROW_BINT
#undef ROW_BINF
#undef ROW_UN
#undef ROW_UNT
#undef ROW_LOAD
#undef ROW_STORE
		[WT_OP_REF_IS_NULL] = {WT_V_I64_EQZ, SH_UN, 0},
};

_Static_assert(sizeof(vm_u64) == 8 && sizeof(vm_u32) == 4, "slot type sizes");

/* For BINI rows the _I form follows the plain op in the enum. */
#define ROW_CHECK(n, T, R, e) _Static_assert(WT_V_##n##_I == WT_V_##n + 1, "imm form order");
WT_VM_BINI_LIST(ROW_CHECK)
#undef ROW_CHECK
#define ROW_CHECK(n, T, e) _Static_assert(WT_V_##n##_I == WT_V_##n + 1, "imm form order");
WT_VM_CMP_LIST(ROW_CHECK)
#undef ROW_CHECK
#define ROW_CHECK(n, T, h) _Static_assert(WT_V_##n##_I == WT_V_##n + 1, "imm form order");
WT_VM_BINT_LIST(ROW_CHECK)
#undef ROW_CHECK

uint32_t wt_comp_fused_if(uint32_t op)
{
	switch (op) {
#define ROW(n, T, e)                   \
	case WT_V_##n:                 \
		return WT_V_BR_IF_##n; \
	case WT_V_##n##_I:             \
		return WT_V_BR_IF_##n##_I;
		WT_VM_CMP_LIST(ROW)
#undef ROW
	}
	return UINT32_MAX;
}

uint32_t wt_comp_fused_ifnot(uint32_t op)
{
	switch (op) {
#define ROW(n, T, e)                      \
	case WT_V_##n:                    \
		return WT_V_BR_IFNOT_##n; \
	case WT_V_##n##_I:                \
		return WT_V_BR_IFNOT_##n##_I;
		WT_VM_CMP_LIST(ROW)
#undef ROW
	}
	return UINT32_MAX;
}

/* The top entry as an immediate for op, when it is a constant that fits. */
static int imm_fits(const wt_comp *c, const lowering *l, uint32_t *imm)
{
	uint32_t top = c->height - 1;
	if (c->stk[top] != WT_CK)
		return 0;
	wt_slot v = c->kval[top];
	if (l->wide && (uint64_t)(int64_t)(int32_t)v != v)
		return 0;
	*imm = (uint32_t)v;
	return 1;
}

static void lower_binary(wt_comp *c, const lowering *l)
{
	uint32_t imm, a, b, op = l->vop;
	uint32_t h = c->height;
	if (l->shape == SH_BINI && imm_fits(c, l, &imm)) {
		op++;
		b = imm;
	} else {
		b = wt_comp_operand(c, h - 1);
	}
	a = wt_comp_operand(c, h - 2);
	wt_comp_pop(c);
	wt_comp_pop(c);
	uint32_t d = wt_comp_push(c);
	uint32_t at = wt_comp_emit_op(c, op);
	wt_comp_emit(c, d);
	wt_comp_emit(c, a);
	wt_comp_emit(c, b);
	wt_comp_note_result(c, at, op, a, b);
}

static void lower_unary(wt_comp *c, uint32_t op)
{
	uint32_t a = wt_comp_operand(c, c->height - 1);
	wt_comp_pop(c);
	uint32_t d = wt_comp_push(c);
	uint32_t at = wt_comp_emit_op(c, op);
	wt_comp_emit(c, d);
	wt_comp_emit(c, a);
	wt_comp_note_result(c, at, op, a, 0);
}

static void lower_load(wt_comp *c, uint32_t op, uint32_t offset)
{
	uint32_t a = wt_comp_operand(c, c->height - 1);
	wt_comp_pop(c);
	uint32_t d = wt_comp_push(c);
	uint32_t at = wt_comp_emit_op(c, op);
	wt_comp_emit(c, d);
	wt_comp_emit(c, a);
	wt_comp_emit(c, offset);
	wt_comp_note_result(c, at, op, a, 0);
}

static void lower_store(wt_comp *c, uint32_t op, uint32_t offset)
{
	uint32_t h = c->height;
	uint32_t v = wt_comp_operand(c, h - 1), a = wt_comp_operand(c, h - 2);
	wt_comp_pop(c);
	wt_comp_pop(c);
	wt_comp_emit_op(c, op);
	wt_comp_emit(c, a);
	wt_comp_emit(c, v);
	wt_comp_emit(c, offset);
}

/* Pops n operands into slots[0..n) (bottom first). */
static void pop_operands(wt_comp *c, uint32_t *slots, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		slots[i] = wt_comp_operand(c, c->height - n + i);
	for (uint32_t i = 0; i < n; i++)
		wt_comp_pop(c);
}

/* Bulk ops pay fuel for their length (docs/engine.md#fuel): one unit per
 * 2^shift bytes or entries, charged by a FUEL_N op just before them. */
enum { WT_FUEL_BYTES_SHIFT = 3, WT_FUEL_ENTRIES_SHIFT = 0 };

typedef struct bulk_fuel {
	int8_t len; /* index of the length operand, or -1: no charge */
	uint8_t shift;
} bulk_fuel;

static const bulk_fuel no_fuel = {-1, 0};

/* Emits op with n popped operands then the given words; pushes a result
 * (its slot first) when result != 0. With a fuel limit, a FUEL_N op for
 * the operand fuel.len comes first. */
static void lower_bulk(wt_comp *c, uint32_t op, uint32_t n, int result, bulk_fuel fuel)
{
	uint32_t s[3], d = 0;
	pop_operands(c, s, n);
	if (c->fuel && fuel.len >= 0) {
		wt_comp_emit_op(c, WT_V_FUEL_N);
		wt_comp_emit(c, s[fuel.len]);
		wt_comp_emit(c, fuel.shift);
	}
	if (result)
		d = wt_comp_push(c);
	uint32_t at = wt_comp_emit_op(c, op);
	if (result)
		wt_comp_emit(c, d);
	for (uint32_t i = 0; i < n; i++)
		wt_comp_emit(c, s[i]);
	if (result && n <= 1)
		wt_comp_note_result(c, at, op, n ? s[0] : 0, 0);
}

static void lower_generic(wt_comp *c, uint32_t op, uint32_t n, int result)
{
	lower_bulk(c, op, n, result, no_fuel);
}

/* memory.fill, .copy, .init: the length is the third operand. */
static void lower_bytes(wt_comp *c, uint32_t op)
{
	lower_bulk(c, op, 3, 0, (bulk_fuel){2, WT_FUEL_BYTES_SHIFT});
}

/* table.fill, .copy, .init (length third) and table.grow (delta second). */
static void lower_entries(wt_comp *c, uint32_t op, uint32_t n, int result)
{
	lower_bulk(c, op, n, result, (bulk_fuel){(int8_t)(n - 1), WT_FUEL_ENTRIES_SHIFT});
}

static void *table_ptr(wt_comp *c, uint32_t i)
{
	return c->inst->tables[i];
}

static int lower_memory(wt_comp *c, const wt_instr *in)
{
	switch (in->op) {
	case WT_OP_MEMORY_SIZE:
		lower_generic(c, WT_V_MEMORY_SIZE, 0, 1);
		return 0;
	case WT_OP_MEMORY_GROW:
		lower_generic(c, WT_V_MEMORY_GROW, 1, 1);
		return 0;
	case WT_OP_MEMORY_FILL:
		lower_bytes(c, WT_V_MEMORY_FILL);
		return 0;
	case WT_OP_MEMORY_COPY:
		lower_bytes(c, WT_V_MEMORY_COPY);
		return 0;
	case WT_OP_MEMORY_INIT:
		lower_bytes(c, WT_V_MEMORY_INIT);
		wt_comp_emit(c, in->u.index);
		return 0;
	case WT_OP_DATA_DROP:
		wt_comp_emit_op(c, WT_V_DATA_DROP);
		wt_comp_emit(c, in->u.index);
		return 0;
	default:
		return -1;
	}
}

static int lower_table(wt_comp *c, const wt_instr *in)
{
	switch (in->op) {
	case WT_OP_TABLE_GET:
		lower_generic(c, WT_V_TABLE_GET, 1, 1);
		break;
	case WT_OP_TABLE_SET:
		lower_generic(c, WT_V_TABLE_SET, 2, 0);
		break;
	case WT_OP_TABLE_SIZE:
		lower_generic(c, WT_V_TABLE_SIZE, 0, 1);
		break;
	case WT_OP_TABLE_GROW:
		lower_entries(c, WT_V_TABLE_GROW, 2, 1);
		break;
	case WT_OP_TABLE_FILL:
		lower_entries(c, WT_V_TABLE_FILL, 3, 0);
		break;
	case WT_OP_TABLE_COPY:
		lower_entries(c, WT_V_TABLE_COPY, 3, 0);
		wt_comp_emit64(c, (uint64_t)(uintptr_t)table_ptr(c, in->u.pair.a));
		wt_comp_emit64(c, (uint64_t)(uintptr_t)table_ptr(c, in->u.pair.b));
		return 0;
	case WT_OP_TABLE_INIT:
		lower_entries(c, WT_V_TABLE_INIT, 3, 0);
		wt_comp_emit64(c, (uint64_t)(uintptr_t)table_ptr(c, in->u.pair.b));
		wt_comp_emit(c, in->u.pair.a);
		return 0;
	case WT_OP_ELEM_DROP:
		wt_comp_emit_op(c, WT_V_ELEM_DROP);
		wt_comp_emit(c, in->u.index);
		return 0;
	default:
		return -1;
	}
	wt_comp_emit64(c, (uint64_t)(uintptr_t)table_ptr(c, in->u.index));
	return 0;
}

static int lower_value(wt_comp *c, const wt_instr *in)
{
	wt_globalinst *g;
	switch (in->op) {
	case WT_OP_I32_CONST:
	case WT_OP_F32_CONST:
		wt_comp_push_const(c, in->u.i32);
		return 0;
	case WT_OP_I64_CONST:
	case WT_OP_F64_CONST:
		wt_comp_push_const(c, in->u.i64);
		return 0;
	case WT_OP_REF_NULL:
		wt_comp_push_const(c, 0);
		return 0;
	case WT_OP_REF_FUNC:
		wt_comp_push_const(c, (wt_slot)(uintptr_t)c->inst->funcs[in->u.index]);
		return 0;
	case WT_OP_GLOBAL_GET:
		g = c->inst->globals[in->u.index];
		lower_generic(c, WT_V_GLOBAL_GET, 0, 1);
		wt_comp_emit64(c, (uint64_t)(uintptr_t)&g->value);
		return 0;
	case WT_OP_GLOBAL_SET:
		g = c->inst->globals[in->u.index];
		lower_generic(c, WT_V_GLOBAL_SET, 1, 0);
		wt_comp_emit64(c, (uint64_t)(uintptr_t)&g->value);
		return 0;
	case WT_OP_SELECT:
	case WT_OP_SELECT_T:
		lower_generic(c, WT_V_SELECT, 3, 1);
		return 0;
	case WT_OP_DROP:
		wt_comp_pop(c);
		return 0;
	case WT_OP_NOP:
	case WT_OP_I32_REINTERPRET_F32:
	case WT_OP_I64_REINTERPRET_F64:
	case WT_OP_F32_REINTERPRET_I32:
	case WT_OP_F64_REINTERPRET_I64:
		/* Slots hold bit patterns: nothing to do. */
		return 0;
	default:
		return -1;
	}
}

int wt_comp_lower_op(wt_comp *c, const wt_instr *in)
{
	const lowering *l = &lowerings[in->op];
	switch (l->shape) {
	case SH_BINI:
	case SH_BINF:
		lower_binary(c, l);
		return 0;
	case SH_UN:
		lower_unary(c, l->vop);
		return 0;
	case SH_LOAD:
		lower_load(c, l->vop, in->u.memarg.offset);
		return 0;
	case SH_STORE:
		lower_store(c, l->vop, in->u.memarg.offset);
		return 0;
	default:
		break;
	}
	if (lower_value(c, in) == 0 || lower_memory(c, in) == 0 || lower_table(c, in) == 0)
		return 0;
	return -1;
}
