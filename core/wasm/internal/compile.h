/* compile.h: the compiler's state, shared by compile.c (driver, stack, control flow) and
 * compile_ops.c (lowering). */
#ifndef WT_COMPILE_H
#define WT_COMPILE_H

#include <stdint.h>

#include "code.h"
#include "instr.h"

/* A simulated stack entry holds the slot its value is read from: its own
 * canonical slot (stack_base + position), a local's slot (a lazy
 * local.get), or WT_CK: a constant not yet given a slot (value in kval). */
#define WT_CK UINT32_MAX
#define WT_NONE UINT32_MAX

enum { WT_CTL_FUNC, WT_CTL_BLOCK, WT_CTL_LOOP, WT_CTL_IF };

typedef struct wt_ctl {
	uint8_t kind;
	uint8_t dead; /* after br, return, unreachable: skip to else/end */
	uint8_t has_else;
	uint32_t height;		/* stack height at entry, below the params */
	uint32_t nparams, nresults;	/* in stack entries (slots): a v128 counts 2 */
	const uint8_t *ptypes, *rtypes; /* the value types (NULL: the one type in vt) */
	uint32_t npv, nrv;		/* values (a v128 counts 1) */
	uint8_t vt;
	uint32_t start;	  /* loop: the word its branches go to */
	uint32_t patches; /* forward branch words to the end, linked; WT_NONE */
	uint32_t else_at; /* if: the branch word to the else part; WT_NONE */
	uint32_t region;  /* the ctl (loop or function) whose fuel region holds this one */
	uint32_t weight;  /* loop, function: WebAssembly instructions of its fuel region */
	uint32_t fuel_at; /* loop, function: the word of its FUEL op's weight; WT_NONE */
} wt_ctl;

/* How to test a popped condition: fused with the compare just emitted,
 * or a plain test of a slot. */
typedef struct wt_cond {
	uint32_t op_if, op_ifnot; /* branch when true / when false */
	uint32_t a, b;		  /* operands; b only for fused compares */
	int has_b;
} wt_cond;

typedef struct wt_comp {
	wt_funcinst *f;
	const wt_module *m;
	wt_instance *inst;
	const void *const *handlers;
	wt_error *err;
	int failed; /* out of memory or a broken invariant: err says which */
	int fuel;   /* the store has a fuel limit: FUEL ops at entry and loop headers */
	wt_store *store;
	uint64_t charged; /* bytes of the arrays below charged to the store's budget */

	uint32_t *code;
	uint32_t ncode, capcode;
	wt_trapsite *traps;
	uint32_t ntraps, captraps;
	uint32_t offset; /* of the instruction being lowered */

	uint32_t *stk;
	wt_slot *kval;
	uint8_t *hi; /* per entry: 1 when it is the high half of a v128 */
	uint32_t height, max_stack;
	uint32_t floor;			 /* entries below are in their canonical slots */
	uint32_t *refs;			 /* per local slot: lazy entries reading it */
	uint32_t nparams, nlocals_total; /* in slots: a v128 param or local takes two */
	uint32_t *lslot;		 /* per local index: its first slot; NULL: the index */
	const wt_func *fn;
	const wt_functype *ftype;
	uint32_t const_base, kcap, stack_base;

	wt_slot *consts;
	uint32_t nconsts;
	uint32_t *khash; /* open addressing over consts: index + 1, 0 = empty */
	uint32_t khash_cap;

	wt_ctl *ctls;
	uint32_t nctl, capctl;

	/* The last instruction that produced the top of the stack (for
	 * local.set into its destination and compare + branch fusion). */
	uint32_t last_at; /* start of the last emitted instruction */
	struct {
		int valid;
		int v128; /* its result is a v128 (two entries) */
		uint32_t at, op, a, b, height;
	} last;
} wt_comp;

/* compile.c: emission and the simulated stack. */
uint32_t wt_comp_emit_op(wt_comp *c, uint32_t op);
void wt_comp_emit(wt_comp *c, uint32_t w);
void wt_comp_emit64(wt_comp *c, uint64_t v);
uint32_t wt_comp_canon(const wt_comp *c, uint32_t pos);
uint32_t wt_comp_operand(wt_comp *c, uint32_t pos);
void wt_comp_pop(wt_comp *c);
uint32_t wt_comp_push(wt_comp *c);
uint32_t wt_comp_push_v128(wt_comp *c);
void wt_comp_push_const(wt_comp *c, wt_slot v);
void wt_comp_push_const_v128(wt_comp *c, wt_slot lo, wt_slot hi);
uint32_t wt_comp_v128_operand(wt_comp *c, uint32_t pos);
void wt_comp_note_result(wt_comp *c, uint32_t at, uint32_t op, uint32_t a, uint32_t b);
int wt_comp_fail(wt_comp *c, wt_status code, const char *what);

/* compile_ops.c: lowers one instruction that is not control flow or a
 * local; 0, or -1 when the op is not one of its own. */
int wt_comp_lower_op(wt_comp *c, const wt_instr *in);

/* compile_simd.c: lowers a vector (0xFD) instruction, and the v128 forms of
 * select, global.get and global.set; 0, or -1 when not one of its own. */
int wt_comp_lower_simd(wt_comp *c, const wt_instr *in);

/* compile_ops.c: the fused branch ops of a compare (or UINT32_MAX). */
uint32_t wt_comp_fused_if(uint32_t op);
uint32_t wt_comp_fused_ifnot(uint32_t op);

#endif
