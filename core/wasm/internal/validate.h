/* validate.h: what the module-level validator (validate.c) and the body validator (validate_code.c)
 * share; internal to core. */
#ifndef WT_VALIDATE_H
#define WT_VALIDATE_H

#include <stdint.h>

#include "error.h"
#include "module.h"
#include "opcodes.h"

/* The type of a value popped from the polymorphic stack (after
 * unreachable, br, br_table, return): matches every type. Not a valid
 * value type byte, so value types stay their binary encoding. */
#define WT_VAL_UNKNOWN 0

/* A control frame of the spec's validation algorithm. The function body
 * itself is the bottom frame, a BLOCK whose results are the function's. */
typedef struct wt_vframe {
	const uint8_t *params, *results; /* into wt_module.types or a static table */
	uint32_t nparams, nresults;
	uint32_t height;     /* operand stack height at the frame's start */
	uint8_t op;	     /* WT_OP_BLOCK, _LOOP, _IF or _ELSE */
	uint8_t unreachable; /* the rest of the frame is unreachable code */
} wt_vframe;

/* Per opcode, prepared once per module from opcodes.h: how a plain
 * operator is typed (its signature) and whether its immediate refers to
 * the module (a memory, table, data or elem segment) and must be checked. */
typedef struct wt_vop {
	uint8_t generic;   /* typed from the signature alone */
	uint8_t check_imm; /* the immediate names a module entity */
	uint8_t npop, npush;
	uint8_t pop[4], push[2];
} wt_vop;

/* The validator's state for one module. The operand stack (`vals`) and
 * the control stack (`ctrls`) live in one allocation made once per module
 * and grown (rarely) by doubling; nothing is allocated per instruction. */
typedef struct wt_vctx {
	wt_module *m;
	wt_error *err;
	void *stack_mem; /* holds ctrls then vals */
	wt_vframe *ctrls;
	uint8_t *vals;
	uint32_t nctrls, ctrls_cap, ctrls_peak;
	uint32_t nvals, vals_cap, vals_peak;
	/* The top frame's height and unreachable flag, cached for the pops. */
	uint32_t base;
	uint8_t unreach;
	size_t at; /* offset of the instruction being checked, for errors */
	/* The function being checked. */
	const wt_func *func;
	const wt_functype *ftype;
	uint64_t nlocals; /* params + declared locals */
	wt_vop ops[WT_OP_COUNT];
	/* Per opcode byte, how check_body reads and types it in one dispatch
	 * (a WT_VC_ class), prepared with ops from opcodes.h. */
	uint8_t byte_class[256];
} wt_vctx;

/* The classes of byte_class: WT_VC_SLOW bytes go through wt_instr_next
 * and the general per-op switch; the others are read and typed in place
 * when their immediates are short LEBs (else they take the slow way).
 * Generic operators are split by shape so that each is typed without
 * loops. */
enum {
	WT_VC_SLOW = 0,
	WT_VC_UNARY,	 /* generic, no immediate, pops 1, pushes 1 */
	WT_VC_BINARY,	 /* generic, no immediate, pops 2, pushes 1 */
	WT_VC_CONST,	 /* generic, s32 immediate, pushes 1 (i32.const) */
	WT_VC_LOAD,	 /* generic, memarg, pops 1, pushes 1 */
	WT_VC_STORE,	 /* generic, memarg, pops 2 */
	WT_VC_LOCAL_GET, /* the named operators, with a u32 index */
	WT_VC_LOCAL_SET,
	WT_VC_LOCAL_TEE,
	WT_VC_GLOBAL_GET,
	WT_VC_GLOBAL_SET,
	WT_VC_BR,
	WT_VC_BR_IF,
	WT_VC_CALL,
	WT_VC_END, /* no immediate */
};

/* Prepares c for module m (allocates the stacks). Returns 0 or WT_NOMEM. */
int wt_validate_ctx_init(wt_vctx *c, wt_module *m, wt_error *err);
void wt_validate_ctx_fini(wt_vctx *c);

/* Type-checks the body of defined function `func` (an index of the
 * function index space) and stores its max_stack/max_blocks. Needs
 * m->func_declared filled. Returns 0, WT_INVALID, WT_MALFORMED (binary
 * format problems only found in a body) or WT_NOMEM; the error has the
 * instruction's offset and is prefixed "code section, func N". */
int wt_validate_func(wt_vctx *c, uint32_t func, wt_error *err);

/* Type-checks every defined function's body (wt_validate_func), on several threads when the
 * code is large (validate_bodies.c), c for the first of them. Needs m->func_declared filled.
 * Returns 0 or the error of the lowest function index that fails, in *err. */
int wt_validate_bodies(wt_vctx *c, wt_error *err);

/* Reads the body of `func` for binary-format problems only (no typing):
 * used after a validation error, because a malformed module must be
 * reported as malformed even when an earlier body is also invalid.
 * Returns 0 or WT_MALFORMED. */
int wt_validate_skim_func(wt_vctx *c, uint32_t func, wt_error *err);

/* The text of a value type ("i32", "funcref"), "unknown" for others. */
const char *wt_validate_typename(uint8_t t);

/* 1 for a value type this engine accepts (no v128 until SIMD lands). */
int wt_validate_valtype_ok(uint8_t t);

static inline int wt_validate_is_ref(uint8_t t)
{
	return t == WT_FUNCREF || t == WT_EXTERNREF;
}

#endif
