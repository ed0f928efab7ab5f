/* validate_code.c: type-checks function bodies with the spec's validation algorithm (operand and
 * control stacks). */
#include <stdlib.h>
#include <string.h>

#include "instr.h"
#include "validate.h"

/* &single_type[t] is a one-element type list holding t (for block types). */
static const uint8_t single_type[256] = {
    [WT_I32] = WT_I32,
    [WT_I64] = WT_I64,
    [WT_F32] = WT_F32,
    [WT_F64] = WT_F64,
    [WT_V128] = WT_V128,
    [WT_FUNCREF] = WT_FUNCREF,
    [WT_EXTERNREF] = WT_EXTERNREF,
};

enum { INITIAL_VALS = 1024, INITIAL_CTRLS = 64 };

const char *wt_validate_typename(uint8_t t)
{
	switch (t) {
	case WT_I32:
		return "i32";
	case WT_I64:
		return "i64";
	case WT_F32:
		return "f32";
	case WT_F64:
		return "f64";
	case WT_V128:
		return "v128";
	case WT_FUNCREF:
		return "funcref";
	case WT_EXTERNREF:
		return "externref";
	case WT_VAL_UNKNOWN:
		return "any";
	}
	return "unknown";
}

int wt_validate_valtype_ok(uint8_t t)
{
	return t == WT_I32 || t == WT_I64 || t == WT_F32 || t == WT_F64 || t == WT_V128 ||
	       wt_validate_is_ref(t);
}

static uint8_t sig_letter_type(char ch)
{
	switch (ch) {
	case 'i':
		return WT_I32;
	case 'I':
		return WT_I64;
	case 'f':
		return WT_F32;
	case 'F':
		return WT_F64;
	case 'V':
		return WT_V128;
	}
	return WT_VAL_UNKNOWN;
}

/* Fills one wt_vop from its opcodes.h row: "ii:i" pops two i32, pushes one. */
static void prepare_op(wt_vop *v, const wt_opinfo *info)
{
	const char *s = info->sig;
	memset(v, 0, sizeof *v);
	switch ((wt_imm)info->imm) {
	case WT_IMM_MEMARG:
	case WT_IMM_MEMORY:
	case WT_IMM_MEMORY_COPY:
	case WT_IMM_MEMORY_INIT:
	case WT_IMM_DATA:
	case WT_IMM_ELEM:
	case WT_IMM_TABLE:
	case WT_IMM_TABLE_INIT:
	case WT_IMM_TABLE_COPY:
	case WT_IMM_MEMARG_LANE:
	case WT_IMM_LANE:
	case WT_IMM_SHUFFLE:
		v->check_imm = 1;
		break;
	default:
		break;
	}
	if (s[0] == '\0')
		return;
	v->generic = 1;
	for (; *s && *s != ':' && v->npop < sizeof v->pop; s++)
		v->pop[v->npop++] = sig_letter_type(*s);
	if (*s == ':')
		s++;
	for (; *s && v->npush < sizeof v->push; s++)
		v->push[v->npush++] = sig_letter_type(*s);
}

static int grow_stacks(wt_vctx *c, uint32_t ctrls_cap, uint32_t vals_cap)
{
	size_t ctrl_bytes = (size_t)ctrls_cap * sizeof(wt_vframe);
	unsigned char *mem = malloc(ctrl_bytes + vals_cap);
	if (!mem)
		return wt_fail(c->err, WT_NOMEM, c->at, "out of memory for the validation stacks");
	if (c->stack_mem) {
		memcpy(mem, c->ctrls, (size_t)c->nctrls * sizeof(wt_vframe));
		memcpy(mem + ctrl_bytes, c->vals, c->nvals);
		free(c->stack_mem);
	}
	c->stack_mem = mem;
	c->ctrls = (wt_vframe *)mem;
	c->vals = mem + ctrl_bytes;
	c->ctrls_cap = ctrls_cap;
	c->vals_cap = vals_cap;
	return 0;
}

/* The WT_VC_ class of a single-byte opcode, from its fast-table entry
 * and its prepared wt_vop. */
static uint8_t byte_class(const wt_vctx *c, wt_instr_fast f)
{
	static const struct {
		wt_op op;
		uint8_t cls;
	} named[] = {
	    {WT_OP_LOCAL_GET, WT_VC_LOCAL_GET},
	    {WT_OP_LOCAL_SET, WT_VC_LOCAL_SET},
	    {WT_OP_LOCAL_TEE, WT_VC_LOCAL_TEE},
	    {WT_OP_GLOBAL_GET, WT_VC_GLOBAL_GET},
	    {WT_OP_GLOBAL_SET, WT_VC_GLOBAL_SET},
	    {WT_OP_BR, WT_VC_BR},
	    {WT_OP_BR_IF, WT_VC_BR_IF},
	    {WT_OP_CALL, WT_VC_CALL},
	    {WT_OP_END, WT_VC_END},
	};
	const wt_vop *v = &c->ops[f.op];
	if (f.kind == WT_INSTR_ILLEGAL || f.kind == WT_INSTR_OTHER)
		return WT_VC_SLOW;
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (named[i].op == f.op)
			return named[i].cls;
	if (!v->generic || v->npush > 1)
		return WT_VC_SLOW;
	if (f.kind == WT_INSTR_MEMARG)
		return v->npop == 1 && v->npush == 1   ? WT_VC_LOAD
		       : v->npop == 2 && v->npush == 0 ? WT_VC_STORE
						       : WT_VC_SLOW;
	if (v->check_imm || v->npush != 1)
		return WT_VC_SLOW;
	if (f.kind == WT_INSTR_S32 && v->npop == 0)
		return WT_VC_CONST;
	if (f.kind != WT_INSTR_NONE)
		return WT_VC_SLOW;
	return v->npop == 1 ? WT_VC_UNARY : v->npop == 2 ? WT_VC_BINARY : WT_VC_SLOW;
}

int wt_validate_ctx_init(wt_vctx *c, wt_module *m, wt_error *err)
{
	memset(c, 0, sizeof *c);
	c->m = m;
	c->err = err;
	for (int op = 0; op < WT_OP_COUNT; op++)
		prepare_op(&c->ops[op], &wt_opinfo_table[op]);
	for (int b = 0; b < 256; b++)
		c->byte_class[b] = byte_class(c, wt_instr_fast_table[b]);
	return grow_stacks(c, INITIAL_CTRLS, INITIAL_VALS);
}

void wt_validate_ctx_fini(wt_vctx *c)
{
	free(c->stack_mem);
	c->stack_mem = NULL;
}

/* ---- the operand stack ---- */

static int fail_type(wt_vctx *c, uint8_t want, const char *got)
{
	return wt_fail(c->err, WT_INVALID, c->at, "type mismatch: expected %s, got %s",
		       wt_validate_typename(want), got);
}

static int grow_vals(wt_vctx *c)
{
	if (c->vals_cap > UINT32_MAX / 2)
		return wt_fail(c->err, WT_LIMIT, c->at, "operand stack too deep");
	return grow_stacks(c, c->ctrls_cap, c->vals_cap * 2);
}

/* The peak (max_stack) is not tracked here but once per instruction, in
 * check_body: every instruction pops before it pushes, so the stack is
 * highest at an instruction's end or its start. */
static inline int push_val(wt_vctx *c, uint8_t t)
{
	if (__builtin_expect(c->nvals == c->vals_cap, 0) && grow_vals(c))
		return WT_NOMEM;
	c->vals[c->nvals++] = t;
	return 0;
}

static inline int pop_any(wt_vctx *c, uint8_t *t)
{
	if (__builtin_expect(c->nvals == c->base, 0)) {
		*t = WT_VAL_UNKNOWN;
		if (c->unreach)
			return 0;
		return wt_fail(c->err, WT_INVALID, c->at,
			       "type mismatch: expected a value, got nothing");
	}
	*t = c->vals[--c->nvals];
	return 0;
}

static __attribute__((noinline)) int pop_mismatch(wt_vctx *c, uint8_t want, uint8_t got)
{
	if (got == WT_VAL_UNKNOWN || want == WT_VAL_UNKNOWN)
		return 0;
	return fail_type(c, want, wt_validate_typename(got));
}

static inline int pop_expect(wt_vctx *c, uint8_t want)
{
	if (__builtin_expect(c->nvals == c->base, 0))
		return c->unreach ? 0 : fail_type(c, want, "nothing");
	uint8_t got = c->vals[--c->nvals];
	if (__builtin_expect(got != want, 0))
		return pop_mismatch(c, want, got);
	return 0;
}

static int pop_vals(wt_vctx *c, const uint8_t *types, uint32_t n)
{
	for (uint32_t i = n; i-- > 0;)
		if (pop_expect(c, types[i]))
			return WT_INVALID;
	return 0;
}

static int push_vals(wt_vctx *c, const uint8_t *types, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (push_val(c, types[i]))
			return WT_NOMEM;
	return 0;
}

/* Checks that the top of the stack matches types[0..n) without popping
 * (br_table's targets other than the default). */
static int peek_vals(wt_vctx *c, const uint8_t *types, uint32_t n)
{
	uint32_t avail = c->nvals - c->base;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t want = types[n - 1 - i];
		if (i >= avail) {
			if (c->unreach)
				return 0;
			return fail_type(c, want, "nothing");
		}
		uint8_t got = c->vals[c->nvals - 1 - i];
		if (got != want && got != WT_VAL_UNKNOWN)
			return fail_type(c, want, wt_validate_typename(got));
	}
	return 0;
}

/* ---- the control stack ---- */

static int push_ctrl(wt_vctx *c, wt_op op, const uint8_t *params, uint32_t np,
		     const uint8_t *results, uint32_t nr)
{
	if (c->nctrls == c->ctrls_cap) {
		if (c->ctrls_cap > UINT32_MAX / 2 / sizeof(wt_vframe))
			return wt_fail(c->err, WT_LIMIT, c->at, "blocks nested too deep");
		if (grow_stacks(c, c->ctrls_cap * 2, c->vals_cap))
			return WT_NOMEM;
	}
	wt_vframe *fr = &c->ctrls[c->nctrls++];
	fr->params = params;
	fr->nparams = np;
	fr->results = results;
	fr->nresults = nr;
	fr->height = c->nvals;
	fr->op = (uint8_t)op;
	fr->unreachable = 0;
	c->base = c->nvals;
	c->unreach = 0;
	if (c->nctrls > c->ctrls_peak)
		c->ctrls_peak = c->nctrls;
	return push_vals(c, params, np);
}

static int pop_ctrl(wt_vctx *c, wt_vframe *out)
{
	const wt_vframe *fr = &c->ctrls[c->nctrls - 1];
	if (pop_vals(c, fr->results, fr->nresults))
		return WT_INVALID;
	if (c->nvals != fr->height)
		return wt_fail(c->err, WT_INVALID, c->at,
			       "type mismatch: %u extra value(s) at the end of the block",
			       c->nvals - fr->height);
	*out = *fr;
	c->nctrls--;
	if (c->nctrls > 0) {
		c->base = c->ctrls[c->nctrls - 1].height;
		c->unreach = c->ctrls[c->nctrls - 1].unreachable;
	}
	return 0;
}

static void set_unreachable(wt_vctx *c)
{
	wt_vframe *fr = &c->ctrls[c->nctrls - 1];
	c->nvals = fr->height;
	fr->unreachable = 1;
	c->unreach = 1;
}

static const uint8_t *label_types(const wt_vframe *fr, uint32_t *n)
{
	if (fr->op == WT_OP_LOOP) {
		*n = fr->nparams;
		return fr->params;
	}
	*n = fr->nresults;
	return fr->results;
}

static int get_label(wt_vctx *c, uint32_t depth, const wt_vframe **fr)
{
	if (depth >= c->nctrls)
		return wt_fail(c->err, WT_INVALID, c->at, "unknown label %u", depth);
	*fr = &c->ctrls[c->nctrls - 1 - depth];
	return 0;
}

/* ---- immediates that name module entities ---- */

static int check_memory(wt_vctx *c)
{
	if (c->m->nmemories == 0)
		return wt_fail(c->err, WT_INVALID, c->at, "unknown memory 0");
	return 0;
}

static int check_table(wt_vctx *c, uint32_t x)
{
	if (x >= c->m->ntables)
		return wt_fail(c->err, WT_INVALID, c->at, "unknown table %u", x);
	return 0;
}

static int check_elem(wt_vctx *c, uint32_t x)
{
	if (x >= c->m->nelems)
		return wt_fail(c->err, WT_INVALID, c->at, "unknown elem segment %u", x);
	return 0;
}

/* memory.init and data.drop need the data count section (a binary-format
 * rule). A module with no data segments at all and no count is let through
 * to the index check, as "unknown data segment": wat2wasm writes no data
 * count section for a module without data. */
static int data_count_missing(const wt_module *m)
{
	return !m->has_data_count && m->ndatas > 0;
}

static int check_data(wt_vctx *c, uint32_t x)
{
	if (data_count_missing(c->m))
		return wt_fail(c->err, WT_MALFORMED, c->at, "data count section required");
	if (x >= (c->m->has_data_count ? c->m->data_count : 0))
		return wt_fail(c->err, WT_INVALID, c->at, "unknown data segment %u", x);
	return 0;
}

static int check_same_reftype(wt_vctx *c, uint8_t dst, uint8_t src)
{
	if (dst != src)
		return wt_fail(c->err, WT_INVALID, c->at, "type mismatch: %s into a %s table",
			       wt_validate_typename(src), wt_validate_typename(dst));
	return 0;
}

/* A lane index below 16 >> align (the lane's log2 size in opcodes.h). */
static int check_lane(wt_vctx *c, const wt_instr *in)
{
	if (in->u.memarg.lane >= 16u >> wt_opinfo_table[in->op].align)
		return wt_fail(c->err, WT_INVALID, c->at, "invalid lane index %u",
			       in->u.memarg.lane);
	return 0;
}

static int check_shuffle(wt_vctx *c, const wt_instr *in)
{
	for (int i = 0; i < 16; i++)
		if (in->u.v128[i] >= 32)
			return wt_fail(c->err, WT_INVALID, c->at, "invalid lane index %u",
				       in->u.v128[i]);
	return 0;
}

static int check_immediate(wt_vctx *c, const wt_instr *in)
{
	const wt_module *m = c->m;
	switch ((wt_imm)wt_opinfo_table[in->op].imm) {
	case WT_IMM_MEMARG:
	case WT_IMM_MEMARG_LANE:
		if (check_memory(c))
			return WT_INVALID;
		if (in->u.memarg.align > wt_opinfo_table[in->op].align)
			return wt_fail(c->err, WT_INVALID, c->at,
				       "alignment must not be larger than natural");
		return wt_opinfo_table[in->op].imm == WT_IMM_MEMARG_LANE ? check_lane(c, in) : 0;
	case WT_IMM_LANE:
		return check_lane(c, in);
	case WT_IMM_SHUFFLE:
		return check_shuffle(c, in);
	case WT_IMM_MEMORY:
	case WT_IMM_MEMORY_COPY:
		return check_memory(c);
	case WT_IMM_MEMORY_INIT:
		return check_memory(c) || check_data(c, in->u.index) ? c->err->code : 0;
	case WT_IMM_DATA:
		return check_data(c, in->u.index);
	case WT_IMM_ELEM:
		return check_elem(c, in->u.index);
	case WT_IMM_TABLE:
		return check_table(c, in->u.index);
	case WT_IMM_TABLE_INIT:
		if (check_elem(c, in->u.pair.a) || check_table(c, in->u.pair.b))
			return WT_INVALID;
		return check_same_reftype(c, m->tables[in->u.pair.b].type.elem,
					  m->elems[in->u.pair.a].type);
	case WT_IMM_TABLE_COPY:
		if (check_table(c, in->u.pair.a) || check_table(c, in->u.pair.b))
			return WT_INVALID;
		return check_same_reftype(c, m->tables[in->u.pair.a].type.elem,
					  m->tables[in->u.pair.b].type.elem);
	default:
		return 0;
	}
}

/* ---- control instructions ---- */

static int block_type(wt_vctx *c, const wt_instr *in, wt_vframe *bt)
{
	bt->params = bt->results = NULL;
	bt->nparams = bt->nresults = 0;
	switch (in->u.block.kind) {
	case WT_BLOCK_EMPTY:
		return 0;
	case WT_BLOCK_VALTYPE:
		if (!wt_validate_valtype_ok((uint8_t)in->u.block.value))
			return wt_fail(c->err, WT_MALFORMED, c->at, "malformed value type");
		bt->results = &single_type[in->u.block.value & 0xFF];
		bt->nresults = 1;
		return 0;
	default:
		if (in->u.block.value >= c->m->ntypes)
			return wt_fail(c->err, WT_INVALID, c->at, "unknown type %u",
				       in->u.block.value);
		const wt_functype *ft = &c->m->types[in->u.block.value];
		bt->params = ft->types;
		bt->nparams = ft->nparams;
		bt->results = ft->types + ft->nparams;
		bt->nresults = ft->nresults;
		return 0;
	}
}

static int op_block(wt_vctx *c, const wt_instr *in)
{
	wt_vframe bt;
	if (block_type(c, in, &bt))
		return c->err->code;
	if (in->op == WT_OP_IF && pop_expect(c, WT_I32))
		return WT_INVALID;
	if (pop_vals(c, bt.params, bt.nparams))
		return WT_INVALID;
	return push_ctrl(c, in->op, bt.params, bt.nparams, bt.results, bt.nresults);
}

static int op_else(wt_vctx *c)
{
	wt_vframe fr;
	if (c->ctrls[c->nctrls - 1].op != WT_OP_IF)
		return wt_fail(c->err, WT_MALFORMED, c->at, "else without a matching if");
	if (pop_ctrl(c, &fr))
		return WT_INVALID;
	return push_ctrl(c, WT_OP_ELSE, fr.params, fr.nparams, fr.results, fr.nresults);
}

/* Returns 0 and sets *done when the function's own frame ended. */
static int op_end(wt_vctx *c, int *done)
{
	wt_vframe fr;
	if (pop_ctrl(c, &fr))
		return WT_INVALID;
	/* An if without else has an empty else branch: it must turn the
	 * params into the results unchanged. */
	if (fr.op == WT_OP_IF && (fr.nparams != fr.nresults ||
				  (fr.nparams && memcmp(fr.params, fr.results, fr.nparams) != 0)))
		return wt_fail(c->err, WT_INVALID, c->at,
			       "type mismatch: if without else must have equal params and results");
	if (c->nctrls == 0) {
		*done = 1;
		return 0;
	}
	return push_vals(c, fr.results, fr.nresults);
}

static int op_br(wt_vctx *c, uint32_t depth, int conditional)
{
	const wt_vframe *fr = NULL;
	const uint8_t *types;
	uint32_t n;
	if (conditional && pop_expect(c, WT_I32))
		return WT_INVALID;
	if (get_label(c, depth, &fr))
		return WT_INVALID;
	types = label_types(fr, &n);
	if (pop_vals(c, types, n))
		return WT_INVALID;
	if (conditional)
		return push_vals(c, types, n);
	set_unreachable(c);
	return 0;
}

static int op_br_table(wt_vctx *c, const wt_instr *in)
{
	wt_reader r = in->u.br_table.labels;
	const wt_vframe *fr = NULL;
	const uint8_t *dtypes, *types;
	uint32_t label, dn, n;
	if (pop_expect(c, WT_I32))
		return WT_INVALID;
	for (uint32_t i = 0; i < in->u.br_table.count; i++)
		if (wt_read_u32(&r, &label, c->err))
			return WT_MALFORMED;
	if (wt_read_u32(&r, &label, c->err) || get_label(c, label, &fr))
		return c->err->code;
	dtypes = label_types(fr, &dn);
	r = in->u.br_table.labels;
	for (uint32_t i = 0; i < in->u.br_table.count; i++) {
		if (wt_read_u32(&r, &label, c->err) || get_label(c, label, &fr))
			return c->err->code;
		types = label_types(fr, &n);
		if (n != dn)
			return wt_fail(
			    c->err, WT_INVALID, c->at,
			    "type mismatch: br_table target %u has %u values, the default %u",
			    label, n, dn);
		if (peek_vals(c, types, n))
			return WT_INVALID;
	}
	if (pop_vals(c, dtypes, dn))
		return WT_INVALID;
	set_unreachable(c);
	return 0;
}

static int op_return(wt_vctx *c)
{
	if (pop_vals(c, c->ctrls[0].results, c->ctrls[0].nresults))
		return WT_INVALID;
	set_unreachable(c);
	return 0;
}

static int apply_functype(wt_vctx *c, const wt_functype *ft)
{
	if (pop_vals(c, ft->types, ft->nparams))
		return WT_INVALID;
	return push_vals(c, ft->types + ft->nparams, ft->nresults);
}

static int op_call(wt_vctx *c, uint32_t func)
{
	if (func >= c->m->nfuncs)
		return wt_fail(c->err, WT_INVALID, c->at, "unknown function %u", func);
	return apply_functype(c, wt_module_functype(c->m, func));
}

static int op_call_indirect(wt_vctx *c, uint32_t type, uint32_t table)
{
	if (check_table(c, table))
		return WT_INVALID;
	if (c->m->tables[table].type.elem != WT_FUNCREF)
		return wt_fail(c->err, WT_INVALID, c->at,
			       "type mismatch: call_indirect on a table of %s",
			       wt_validate_typename(c->m->tables[table].type.elem));
	if (type >= c->m->ntypes)
		return wt_fail(c->err, WT_INVALID, c->at, "unknown type %u", type);
	if (pop_expect(c, WT_I32))
		return WT_INVALID;
	return apply_functype(c, &c->m->types[type]);
}

/* ---- parametric instructions, variables, references, tables ---- */

static int op_select(wt_vctx *c, const wt_instr *in)
{
	uint8_t t1, t2;
	if (in->op == WT_OP_SELECT_T) {
		if (in->u.select.count != 1)
			return wt_fail(c->err, WT_INVALID, c->at, "invalid result arity");
		if (!wt_validate_valtype_ok(in->u.select.type))
			return wt_fail(c->err, WT_MALFORMED, c->at, "malformed value type");
		t1 = in->u.select.type;
		if (pop_expect(c, WT_I32) || pop_expect(c, t1) || pop_expect(c, t1))
			return WT_INVALID;
		return push_val(c, t1);
	}
	if (pop_expect(c, WT_I32) || pop_any(c, &t1) || pop_any(c, &t2))
		return WT_INVALID;
	/* Without a type annotation, select takes numbers (or vectors) only. */
	if (wt_validate_is_ref(t1) || wt_validate_is_ref(t2))
		return wt_fail(
		    c->err, WT_INVALID, c->at,
		    "type mismatch: select without a type needs numeric operands, got %s",
		    wt_validate_typename(wt_validate_is_ref(t1) ? t1 : t2));
	if (t1 != t2 && t1 != WT_VAL_UNKNOWN && t2 != WT_VAL_UNKNOWN)
		return fail_type(c, t1, wt_validate_typename(t2));
	return push_val(c, t1 == WT_VAL_UNKNOWN ? t2 : t1);
}

static int local_type(wt_vctx *c, uint32_t x, uint8_t *t)
{
	if (x >= c->nlocals)
		return wt_fail(c->err, WT_INVALID, c->at, "unknown local %u", x);
	if (x < c->ftype->nparams)
		*t = c->ftype->types[x];
	else
		*t = c->func->local_types[x - c->ftype->nparams];
	return 0;
}

static int op_local(wt_vctx *c, const wt_instr *in)
{
	uint8_t t = WT_VAL_UNKNOWN;
	if (local_type(c, in->u.index, &t))
		return WT_INVALID;
	if (in->op == WT_OP_LOCAL_GET)
		return push_val(c, t);
	if (pop_expect(c, t))
		return WT_INVALID;
	return in->op == WT_OP_LOCAL_TEE ? push_val(c, t) : 0;
}

static int op_global(wt_vctx *c, const wt_instr *in)
{
	uint32_t x = in->u.index;
	if (x >= c->m->nglobals)
		return wt_fail(c->err, WT_INVALID, c->at, "unknown global %u", x);
	const wt_globaltype *g = &c->m->globals[x].type;
	if (in->op == WT_OP_GLOBAL_GET)
		return push_val(c, g->type);
	if (!g->mut)
		return wt_fail(c->err, WT_INVALID, c->at, "global is immutable");
	return pop_expect(c, g->type);
}

/* table.get/set/grow/fill; the table index was checked by check_immediate. */
static int op_table(wt_vctx *c, const wt_instr *in)
{
	uint8_t t = c->m->tables[in->u.index].type.elem;
	switch (in->op) {
	case WT_OP_TABLE_GET:
		return pop_expect(c, WT_I32) || push_val(c, t) ? c->err->code : 0;
	case WT_OP_TABLE_SET:
		return pop_expect(c, t) || pop_expect(c, WT_I32) ? WT_INVALID : 0;
	case WT_OP_TABLE_GROW:
		if (pop_expect(c, WT_I32) || pop_expect(c, t))
			return WT_INVALID;
		return push_val(c, WT_I32);
	default: /* TABLE_FILL */
		return pop_expect(c, WT_I32) || pop_expect(c, t) || pop_expect(c, WT_I32)
			   ? WT_INVALID
			   : 0;
	}
}

static int op_ref(wt_vctx *c, const wt_instr *in)
{
	uint8_t t;
	switch (in->op) {
	case WT_OP_REF_NULL:
		if (!wt_validate_is_ref(in->u.reftype))
			return wt_fail(c->err, WT_MALFORMED, c->at, "malformed reference type");
		return push_val(c, in->u.reftype);
	case WT_OP_REF_IS_NULL:
		if (pop_any(c, &t))
			return WT_INVALID;
		if (t != WT_VAL_UNKNOWN && !wt_validate_is_ref(t))
			return wt_fail(c->err, WT_INVALID, c->at,
				       "type mismatch: expected a reference, got %s",
				       wt_validate_typename(t));
		return push_val(c, WT_I32);
	default: /* REF_FUNC */
		if (in->u.index >= c->m->nfuncs)
			return wt_fail(c->err, WT_INVALID, c->at, "unknown function %u",
				       in->u.index);
		if (!c->m->func_declared[in->u.index])
			return wt_fail(c->err, WT_INVALID, c->at, "undeclared function reference");
		return push_val(c, WT_FUNCREF);
	}
}

/* A plain operator, typed from its signature, the general way. */
static __attribute__((noinline)) int check_generic_slow(wt_vctx *c, const wt_vop *v)
{
	for (uint32_t i = v->npop; i-- > 0;)
		if (pop_expect(c, v->pop[i]))
			return WT_INVALID;
	for (uint32_t i = 0; i < v->npush; i++)
		if (push_val(c, v->push[i]))
			return WT_NOMEM;
	return 0;
}

/* A plain operator: a fast path when the operands are all above the
 * frame's base and of the exact types, and the results fit. Same result
 * as check_generic_slow. */
static inline int check_generic(wt_vctx *c, const wt_vop *v)
{
	uint32_t n = v->npop, nv = c->nvals;
	const uint8_t *top = c->vals + nv - n;
	if (__builtin_expect(nv - c->base >= n && nv - n + v->npush <= c->vals_cap, 1) &&
	    (n == 0 || (top[0] == v->pop[0] &&
			(n == 1 || (top[1] == v->pop[1] && (n == 2 || top[2] == v->pop[2])))))) {
		nv -= n;
		for (uint32_t i = 0; i < v->npush; i++)
			c->vals[nv++] = v->push[i];
		c->nvals = nv;
		return 0;
	}
	return check_generic_slow(c, v);
}

/* Checks one instruction's module references (check_immediate, for the
 * operators with check_imm) and types it: the operators opcodes.h leaves
 * untyped (empty signature) case by case, the others from their
 * signature. One switch, so one dispatch per instruction. */
static inline __attribute__((always_inline)) int check_instr(wt_vctx *c, const wt_instr *in,
							     int *done)
{
	switch (in->op) {
	case WT_OP_UNREACHABLE:
		set_unreachable(c);
		return 0;
	case WT_OP_NOP:
		return 0;
	case WT_OP_BLOCK:
	case WT_OP_LOOP:
	case WT_OP_IF:
		return op_block(c, in);
	case WT_OP_ELSE:
		return op_else(c);
	case WT_OP_END:
		return op_end(c, done);
	case WT_OP_BR:
	case WT_OP_BR_IF:
		return op_br(c, in->u.index, in->op == WT_OP_BR_IF);
	case WT_OP_BR_TABLE:
		return op_br_table(c, in);
	case WT_OP_RETURN:
		return op_return(c);
	case WT_OP_CALL:
		return op_call(c, in->u.index);
	case WT_OP_CALL_INDIRECT:
		return op_call_indirect(c, in->u.pair.a, in->u.pair.b);
	case WT_OP_DROP: {
		uint8_t t;
		return pop_any(c, &t);
	}
	case WT_OP_SELECT:
	case WT_OP_SELECT_T:
		return op_select(c, in);
	case WT_OP_LOCAL_GET:
	case WT_OP_LOCAL_SET:
	case WT_OP_LOCAL_TEE:
		return op_local(c, in);
	case WT_OP_GLOBAL_GET:
	case WT_OP_GLOBAL_SET:
		return op_global(c, in);
	case WT_OP_TABLE_GET:
	case WT_OP_TABLE_SET:
	case WT_OP_TABLE_GROW:
	case WT_OP_TABLE_FILL:
		return check_immediate(c, in) || op_table(c, in) ? c->err->code : 0;
	case WT_OP_REF_NULL:
	case WT_OP_REF_IS_NULL:
	case WT_OP_REF_FUNC:
		return op_ref(c, in);
	default: {
		const wt_vop *v = &c->ops[in->op];
		if (__builtin_expect(v->check_imm, 0) && check_immediate(c, in))
			return c->err->code;
		if (__builtin_expect(!v->generic, 0))
			return wt_fail(c->err, WT_INTERNAL, c->at, "no typing rule for %s",
				       wt_opinfo_table[in->op].name);
		return check_generic(c, v);
	}
	}
}

static int body_reader(wt_vctx *c, const wt_func *f, wt_reader *r)
{
	uint64_t end = (uint64_t)f->body_offset + f->body_size;
	if (f->imported || f->code_offset < f->body_offset || f->code_offset > end ||
	    end > c->m->size)
		return wt_fail(c->err, WT_INTERNAL, f->body_offset, "function body out of range");
	r->base = c->m->bytes;
	r->pos = c->m->bytes + f->code_offset;
	r->end = c->m->bytes + end;
	return 0;
}

/* check_generic for a shape known at compile time (npop, npush as the
 * operator's wt_vop has them): no loops. */
static inline __attribute__((always_inline)) int check_shaped(wt_vctx *c, const wt_vop *v,
							      uint32_t npop, uint32_t npush)
{
	uint32_t nv = c->nvals;
	const uint8_t *top = c->vals + nv - npop;
	if (__builtin_expect(nv - c->base >= npop && nv - npop + npush <= c->vals_cap, 1) &&
	    (npop < 1 || top[0] == v->pop[0]) && (npop < 2 || top[1] == v->pop[1])) {
		nv -= npop;
		if (npush)
			c->vals[nv++] = v->push[0];
		c->nvals = nv;
		return 0;
	}
	return check_generic_slow(c, v);
}

/* Reads the u32 index after the opcode at p in place; 0 when it is not a
 * short LEB (the slow way then reads it). */
static inline int short_index(wt_reader *r, const uint8_t *p, wt_instr *in)
{
	size_t n = wt_instr_leb_short(p + 1, r->end, &in->u.index);
	r->pos = p + 1 + n;
	return n != 0;
}

static inline int short_memarg(wt_reader *r, const uint8_t *p, wt_instr *in)
{
	size_t n = wt_instr_leb_short(p + 1, r->end, &in->u.memarg.align), n2;
	if (!n || !(n2 = wt_instr_leb_short(p + 1 + n, r->end, &in->u.memarg.offset)))
		return 0;
	r->pos = p + 1 + n + n2;
	return 1;
}

/* Reads and types the instruction at r->pos (r not done) with one
 * dispatch on its first byte: the classes of byte_class read their short
 * immediates in place and call the same typing helpers as check_instr;
 * anything else (and a longer LEB) goes through wt_instr_next and
 * check_instr, from the opcode again. Same results either way. */
static inline int check_next(wt_vctx *c, wt_reader *r, int *done)
{
	const uint8_t *p = r->pos;
	const wt_vop *v;
	wt_instr in;
	uint32_t skip;
	size_t n;
	in.op = (wt_op)wt_instr_fast_table[p[0]].op;
	in.offset = (uint32_t)(p - r->base);
	c->at = in.offset;
	v = &c->ops[in.op];
	switch (c->byte_class[p[0]]) {
	case WT_VC_UNARY:
		r->pos = p + 1;
		return check_shaped(c, v, 1, 1);
	case WT_VC_BINARY:
		r->pos = p + 1;
		return check_shaped(c, v, 2, 1);
	case WT_VC_CONST:
		if (!(n = wt_instr_leb_short(p + 1, r->end, &skip)))
			break;
		r->pos = p + 1 + n;
		return check_shaped(c, v, 0, 1);
	case WT_VC_LOAD:
		if (!short_memarg(r, p, &in))
			break;
		return check_immediate(c, &in) || check_shaped(c, v, 1, 1) ? c->err->code : 0;
	case WT_VC_STORE:
		if (!short_memarg(r, p, &in))
			break;
		return check_immediate(c, &in) || check_shaped(c, v, 2, 0) ? c->err->code : 0;
	case WT_VC_LOCAL_GET:
	case WT_VC_LOCAL_SET:
	case WT_VC_LOCAL_TEE:
		if (!short_index(r, p, &in))
			break;
		return op_local(c, &in);
	case WT_VC_GLOBAL_GET:
	case WT_VC_GLOBAL_SET:
		if (!short_index(r, p, &in))
			break;
		return op_global(c, &in);
	case WT_VC_BR:
		if (!short_index(r, p, &in))
			break;
		return op_br(c, in.u.index, 0);
	case WT_VC_BR_IF:
		if (!short_index(r, p, &in))
			break;
		return op_br(c, in.u.index, 1);
	case WT_VC_CALL:
		if (!short_index(r, p, &in))
			break;
		return op_call(c, in.u.index);
	case WT_VC_END:
		r->pos = p + 1;
		return op_end(c, done);
	default:
		break;
	}
	r->pos = p;
	if (wt_instr_next(r, &in, c->err))
		return WT_MALFORMED;
	return check_instr(c, &in, done);
}

static int check_body(wt_vctx *c, wt_reader *r)
{
	int done = 0;
	if (push_ctrl(c, WT_OP_BLOCK, NULL, 0, c->ftype->types + c->ftype->nparams,
		      c->ftype->nresults))
		return c->err->code;
	while (!done) {
		if (wt_reader_done(r))
			return wt_fail(c->err, WT_MALFORMED, wt_reader_offset(r),
				       "END opcode expected");
		if (check_next(c, r, &done))
			return c->err->code;
		if (c->nvals > c->vals_peak)
			c->vals_peak = c->nvals;
	}
	if (!wt_reader_done(r))
		return wt_fail(c->err, WT_MALFORMED, wt_reader_offset(r),
			       "section size mismatch: instructions after the function's end");
	return 0;
}

int wt_validate_func(wt_vctx *c, uint32_t func, wt_error *err)
{
	wt_reader r;
	const wt_func *f = &c->m->funcs[func];
	int rc;
	c->err = err;
	c->at = f->body_offset;
	c->func = f;
	c->ftype = &c->m->types[f->type_index];
	c->nlocals = (uint64_t)c->ftype->nparams + f->nlocals;
	c->nvals = c->nctrls = c->vals_peak = c->ctrls_peak = 0;
	rc = body_reader(c, f, &r);
	if (rc == 0)
		rc = check_body(c, &r);
	if (rc) {
		wt_error_prefix(err, "code section, func %u", func);
		return rc;
	}
	c->m->funcs[func].max_stack = c->vals_peak;
	c->m->funcs[func].max_blocks = c->ctrls_peak;
	return 0;
}

/* ---- binary-format checks only, after a validation error ---- */

static int skim_instr(wt_vctx *c, const wt_instr *in, uint32_t *depth)
{
	switch (in->op) {
	case WT_OP_BLOCK:
	case WT_OP_LOOP:
	case WT_OP_IF:
		(*depth)++;
		if (in->u.block.kind == WT_BLOCK_VALTYPE &&
		    !wt_validate_valtype_ok((uint8_t)in->u.block.value))
			return wt_fail(c->err, WT_MALFORMED, in->offset, "malformed value type");
		return 0;
	case WT_OP_END:
		(*depth)--;
		return 0;
	case WT_OP_REF_NULL:
		if (!wt_validate_is_ref(in->u.reftype))
			return wt_fail(c->err, WT_MALFORMED, in->offset,
				       "malformed reference type");
		return 0;
	case WT_OP_MEMORY_INIT:
	case WT_OP_DATA_DROP:
		if (data_count_missing(c->m))
			return wt_fail(c->err, WT_MALFORMED, in->offset,
				       "data count section required");
		return 0;
	default:
		return 0;
	}
}

int wt_validate_skim_func(wt_vctx *c, uint32_t func, wt_error *err)
{
	wt_reader r;
	wt_instr in;
	uint32_t depth = 1;
	c->err = err;
	if (body_reader(c, &c->m->funcs[func], &r))
		return 0; /* not a binary-format problem */
	while (depth > 0) {
		if (wt_reader_done(&r))
			return wt_fail(err, WT_MALFORMED, wt_reader_offset(&r),
				       "END opcode expected");
		if (wt_instr_next(&r, &in, err) || skim_instr(c, &in, &depth))
			return WT_MALFORMED;
	}
	if (!wt_reader_done(&r))
		return wt_fail(err, WT_MALFORMED, wt_reader_offset(&r),
			       "section size mismatch: instructions after the function's end");
	return 0;
}
