/* compile.c: translates one validated function body into internal code: emission and the simulated
 * stack. */
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "grow.h"

/* At most this many constants get a frame slot; more are written by
 * CONST instructions where they are used. */
enum { WT_MAX_CONSTS = 1024 };

const wt_vop_info wt_vop_table[WT_V_COUNT] = {
#define WT_VM_OP(name, len, traps) [WT_V_##name] = {len, traps},
    WT_VM_OPS
#undef WT_VM_OP
};

int wt_comp_fail(wt_comp *c, wt_status code, const char *what)
{
	if (!c->failed)
		wt_fail(c->err, code, c->offset, "compile: %s", what);
	c->failed = 1;
	return code;
}

/* Charges bytes of the compiler's arrays to the store's memory budget;
 * 0, or WT_LIMIT (compile failed) when they do not fit. */
static int charge_bytes(wt_comp *c, uint64_t bytes)
{
	if (wt_store_charge(c->store, bytes) != 0)
		return wt_comp_fail(c, WT_LIMIT, "memory limit exceeded");
	c->charged += bytes;
	return 0;
}

/* calloc of n entries of size, charged; NULL when it fails (c->failed). */
static void *charged_calloc(wt_comp *c, size_t n, size_t size)
{
	void *p;
	if (charge_bytes(c, (uint64_t)n * size))
		return NULL;
	if (!(p = calloc(n, size)))
		wt_comp_fail(c, WT_NOMEM, "out of memory");
	return p;
}

/* Grows *arr (of elem-sized entries, capacity *cap) to hold need. */
static int grow(wt_comp *c, void **arr, uint32_t *cap, uint64_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t ncap = need > UINT32_MAX / 2 ? 0 : wt_grow_cap(*cap, need, elem, 64, UINT32_MAX / 2);
	if (!ncap)
		return wt_comp_fail(c, WT_NOMEM, "out of memory");
	if (charge_bytes(c, (uint64_t)(ncap - *cap) * elem))
		return WT_LIMIT;
	void *p = wt_grow_realloc(*arr, ncap, elem);
	if (!p)
		return wt_comp_fail(c, WT_NOMEM, "out of memory");
	*arr = p;
	*cap = (uint32_t)ncap;
	return 0;
}

void wt_comp_emit(wt_comp *c, uint32_t w)
{
	if (c->ncode == c->capcode &&
	    grow(c, (void **)&c->code, &c->capcode, (uint64_t)c->ncode + 1, sizeof *c->code))
		return;
	c->code[c->ncode++] = w;
}

void wt_comp_emit64(wt_comp *c, uint64_t v)
{
	wt_comp_emit(c, (uint32_t)v);
	wt_comp_emit(c, (uint32_t)(v >> 32));
}

uint32_t wt_comp_emit_op(wt_comp *c, uint32_t op)
{
	uint32_t at = c->ncode;
	if (wt_vop_table[op].traps &&
	    !grow(c, (void **)&c->traps, &c->captraps, (uint64_t)c->ntraps + 1, sizeof *c->traps))
		c->traps[c->ntraps++] = (wt_trapsite){at, c->offset};
	wt_comp_emit64(c, c->handlers ? (uint64_t)(uintptr_t)c->handlers[op] : op);
	c->last_at = at;
	return at;
}

/* Sets a word already emitted (a branch target). */
static void put(wt_comp *c, uint32_t at, uint32_t w)
{
	if (at < c->ncode)
		c->code[at] = w;
}

uint32_t wt_comp_canon(const wt_comp *c, uint32_t pos)
{
	return c->stack_base + pos;
}

void wt_comp_note_result(wt_comp *c, uint32_t at, uint32_t op, uint32_t a, uint32_t b)
{
	c->last.valid = 1;
	c->last.v128 = 0;
	c->last.at = at;
	c->last.op = op;
	c->last.a = a;
	c->last.b = b;
	c->last.height = c->height;
}

/* The constant's frame slot, or WT_NONE when the area is full. */
static uint32_t const_slot(wt_comp *c, wt_slot v)
{
	if (!c->khash_cap)
		return WT_NONE;
	uint32_t mask = c->khash_cap - 1;
	uint32_t h = (uint32_t)((v * 0x9E3779B97F4A7C15ull) >> 32) & mask;
	for (;; h = (h + 1) & mask) {
		uint32_t e = c->khash[h];
		if (e == 0)
			break;
		if (c->consts[e - 1] == v)
			return c->const_base + e - 1;
	}
	if (c->nconsts == c->kcap)
		return WT_NONE;
	c->consts[c->nconsts++] = v;
	c->khash[h] = c->nconsts;
	return c->const_base + c->nconsts - 1;
}

/* Two adjacent constant slots for a v128 (not deduplicated), or WT_NONE. */
static uint32_t const_pair(wt_comp *c, wt_slot lo, wt_slot hi)
{
	if (c->nconsts + 2 > c->kcap)
		return WT_NONE;
	c->consts[c->nconsts] = lo;
	c->consts[c->nconsts + 1] = hi;
	c->nconsts += 2;
	return c->const_base + c->nconsts - 2;
}

static int is_local(const wt_comp *c, uint32_t slot)
{
	return slot < c->nlocals_total;
}

/* Emits dst = the value of entry pos (which is left as it is). */
static void copy_entry(wt_comp *c, uint32_t dst, uint32_t pos)
{
	uint32_t src = c->stk[pos];
	if (src == WT_CK) {
		src = const_slot(c, c->kval[pos]);
		if (src == WT_NONE) {
			wt_comp_emit_op(c, WT_V_CONST);
			wt_comp_emit(c, dst);
			wt_comp_emit64(c, c->kval[pos]);
			return;
		}
	}
	if (src == dst)
		return;
	wt_comp_emit_op(c, WT_V_COPY);
	wt_comp_emit(c, dst);
	wt_comp_emit(c, src);
}

/* Moves entry pos into its canonical slot. */
static void materialize(wt_comp *c, uint32_t pos)
{
	uint32_t src = c->stk[pos], dst = wt_comp_canon(c, pos);
	if (src == dst)
		return;
	copy_entry(c, dst, pos);
	if (src != WT_CK && is_local(c, src))
		c->refs[src]--;
	c->stk[pos] = dst;
}

static void materialize_all(wt_comp *c)
{
	for (uint32_t p = c->floor; p < c->height; p++)
		materialize(c, p);
	c->floor = c->height;
}

/* Before local x changes: entries still reading it get their own copy. */
static void materialize_local(wt_comp *c, uint32_t x)
{
	for (uint32_t p = c->floor; p < c->height && c->refs[x]; p++)
		if (c->stk[p] == x)
			materialize(c, p);
}

uint32_t wt_comp_operand(wt_comp *c, uint32_t pos)
{
	uint32_t src = c->stk[pos];
	if (src != WT_CK)
		return src;
	src = const_slot(c, c->kval[pos]);
	if (src != WT_NONE)
		return src;
	materialize(c, pos);
	return c->stk[pos];
}

/* The v128 at entries pos, pos + 1 as one slot pair: where both halves
 * already sit side by side (a local, the canonical slots), else a constant
 * pair, else both moved to their canonical slots. */
uint32_t wt_comp_v128_operand(wt_comp *c, uint32_t pos)
{
	uint32_t lo = c->stk[pos], hi = c->stk[pos + 1];
	if (lo != WT_CK && hi != WT_CK && hi == lo + 1)
		return lo;
	if (lo == WT_CK && hi == WT_CK) {
		uint32_t k = const_pair(c, c->kval[pos], c->kval[pos + 1]);
		if (k != WT_NONE)
			return k;
	}
	materialize(c, pos);
	materialize(c, pos + 1);
	return wt_comp_canon(c, pos);
}

void wt_comp_pop(wt_comp *c)
{
	uint32_t src = c->stk[--c->height];
	if (src != WT_CK && is_local(c, src))
		c->refs[src]--;
	if (c->floor > c->height)
		c->floor = c->height;
}

static uint32_t push_entry(wt_comp *c, uint32_t src)
{
	if (c->height >= c->max_stack) {
		wt_comp_fail(c, WT_INTERNAL, "operand stack deeper than validated");
		return wt_comp_canon(c, 0);
	}
	c->hi[c->height] = 0;
	c->stk[c->height++] = src;
	if (src != WT_CK && is_local(c, src))
		c->refs[src]++;
	return src;
}

uint32_t wt_comp_push(wt_comp *c)
{
	return push_entry(c, wt_comp_canon(c, c->height));
}

void wt_comp_push_const(wt_comp *c, wt_slot v)
{
	if (c->height < c->max_stack)
		c->kval[c->height] = v;
	push_entry(c, WT_CK);
}

/* Marks the entry just pushed as the high half of a v128. */
static void mark_hi(wt_comp *c)
{
	if (c->height > 0)
		c->hi[c->height - 1] = 1;
}

uint32_t wt_comp_push_v128(wt_comp *c)
{
	uint32_t d = wt_comp_push(c);
	wt_comp_push(c);
	mark_hi(c);
	return d;
}

void wt_comp_push_const_v128(wt_comp *c, wt_slot lo, wt_slot hi)
{
	wt_comp_push_const(c, lo);
	wt_comp_push_const(c, hi);
	mark_hi(c);
}

/* Pushes values of the given types in their canonical slots. */
static void push_types(wt_comp *c, const uint8_t *types, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (types[i] == WT_V128)
			wt_comp_push_v128(c);
		else
			wt_comp_push(c);
}

/* ---- control flow ---- */

/* A block's signature: value types and counts, and their slot counts. */
typedef struct wt_bsig {
	const uint8_t *ptypes, *rtypes; /* NULL: the one type vt */
	uint32_t npv, nrv, nparams, nresults;
	uint8_t vt;
} wt_bsig;

static wt_ctl *ctl_push(wt_comp *c, uint8_t kind, const wt_bsig *sig)
{
	uint32_t nparams = sig->nparams, nresults = sig->nresults;
	if (grow(c, (void **)&c->ctls, &c->capctl, (uint64_t)c->nctl + 1, sizeof *c->ctls))
		return NULL;
	uint32_t i = c->nctl++;
	wt_ctl *t = &c->ctls[i];
	*t = (wt_ctl){.kind = kind,
		      .height = c->height - nparams,
		      .nparams = nparams,
		      .nresults = nresults,
		      .start = c->ncode,
		      .patches = WT_NONE,
		      .else_at = WT_NONE,
		      .region =
			  kind == WT_CTL_LOOP || kind == WT_CTL_FUNC ? i : c->ctls[i - 1].region,
		      .fuel_at = WT_NONE,
		      .ptypes = sig->ptypes,
		      .rtypes = sig->rtypes,
		      .npv = sig->npv,
		      .nrv = sig->nrv,
		      .vt = sig->vt};
	if (t->region == i && c->fuel) {
		wt_comp_emit_op(c, WT_V_FUEL);
		t->fuel_at = c->ncode;
		wt_comp_emit(c, 0);
	}
	return t;
}

/* Counts one WebAssembly instruction about to be lowered in its fuel
 * region: the innermost loop or the function around it. A loop's own
 * `loop` and `end` run once per entry, so they count in the region
 * around the loop. */
static void charge(wt_comp *c, const wt_instr *in)
{
	uint32_t top = c->nctl - 1;
	if (in->op == WT_OP_END && c->ctls[top].kind == WT_CTL_LOOP)
		top--;
	c->ctls[c->ctls[top].region].weight++;
}

/* Writes a loop's or the function's weight into its FUEL op. */
static void fuel_patch(wt_comp *c, const wt_ctl *t)
{
	if (t->fuel_at != WT_NONE)
		put(c, t->fuel_at, t->weight);
}

static uint32_t arity(const wt_ctl *t)
{
	return t->kind == WT_CTL_LOOP ? t->nparams : t->nresults;
}

/* Points branch word w at label t (now for a loop, at its end otherwise). */
static void branch_to(wt_comp *c, wt_ctl *t, uint32_t w)
{
	if (t->kind == WT_CTL_LOOP) {
		put(c, w, t->start - w);
	} else {
		put(c, w, t->patches);
		t->patches = w;
	}
}

/* Resolves a list of forward branch words to here. */
static void resolve(wt_comp *c, uint32_t list)
{
	while (list != WT_NONE && list < c->ncode) {
		uint32_t next = c->code[list];
		c->code[list] = c->ncode - list;
		list = next;
	}
}

/* Whether branching to t needs value copies (the top values are not
 * already in t's result slots). */
static int needs_copies(const wt_comp *c, const wt_ctl *t)
{
	uint32_t n = arity(t);
	for (uint32_t i = 0; i < n; i++)
		if (c->stk[c->height - n + i] != wt_comp_canon(c, t->height + i))
			return 1;
	return 0;
}

static void emit_copies(wt_comp *c, const wt_ctl *t)
{
	uint32_t n = arity(t);
	for (uint32_t i = 0; i < n; i++)
		copy_entry(c, wt_comp_canon(c, t->height + i), c->height - n + i);
}

/* Returns the top values: they go to slots 0..n. Where one is read from
 * a local among those slots, every value passes through its canonical
 * slot first (the stack entries are left as they are: this may be a
 * conditional path). */
static void emit_return(wt_comp *c)
{
	uint32_t n = c->ctls[0].nresults, h = c->height, p0 = h - n;
	int hazard = 0;
	if (n == 1 && c->stk[p0] != WT_CK) {
		wt_comp_emit_op(c, WT_V_RET1);
		wt_comp_emit(c, c->stk[p0]);
		return;
	}
	for (uint32_t i = 0; n > 1 && i < n; i++)
		if (c->stk[p0 + i] != WT_CK && c->stk[p0 + i] < n)
			hazard = 1;
	for (uint32_t i = 0; hazard && i < n; i++)
		copy_entry(c, wt_comp_canon(c, p0 + i), p0 + i);
	for (uint32_t i = 0; i < n; i++) {
		if (!hazard) {
			copy_entry(c, i, p0 + i);
		} else if (wt_comp_canon(c, p0 + i) != i) {
			wt_comp_emit_op(c, WT_V_COPY);
			wt_comp_emit(c, i);
			wt_comp_emit(c, wt_comp_canon(c, p0 + i));
		}
	}
	wt_comp_emit_op(c, WT_V_RET);
}

/* An unconditional branch to label depth l (copies, then BR or return). */
static void emit_br(wt_comp *c, uint32_t l)
{
	wt_ctl *t = &c->ctls[c->nctl - 1 - l];
	if (t->kind == WT_CTL_FUNC) {
		emit_return(c);
		return;
	}
	emit_copies(c, t);
	wt_comp_emit_op(c, WT_V_BR);
	uint32_t w = c->ncode;
	wt_comp_emit(c, 0);
	branch_to(c, t, w);
}

/* Pops a condition: fused with the compare just emitted when it made it. */
static void cond_take(wt_comp *c, wt_cond *k)
{
	uint32_t top = c->height - 1;
	k->has_b = 0;
	if (c->last.valid && c->last.at == c->last_at && c->last.height == c->height &&
	    c->stk[top] == wt_comp_canon(c, top)) {
		uint32_t op = c->last.op;
		if (wt_comp_fused_if(op) != UINT32_MAX) {
			k->op_if = wt_comp_fused_if(op);
			k->op_ifnot = wt_comp_fused_ifnot(op);
			k->has_b = 1;
		} else if (op == WT_V_I32_EQZ) {
			k->op_if = WT_V_BR_IFNOT;
			k->op_ifnot = WT_V_BR_IF;
		} else {
			goto plain;
		}
		k->a = c->last.a;
		k->b = c->last.b;
		c->ncode = c->last.at;
		c->last.valid = 0;
		wt_comp_pop(c);
		return;
	}
plain:
	k->op_if = WT_V_BR_IF;
	k->op_ifnot = WT_V_BR_IFNOT;
	k->a = wt_comp_operand(c, top);
	wt_comp_pop(c);
}

/* Emits the conditional branch (when the condition is `when`); returns
 * its target word. */
static uint32_t cond_emit(wt_comp *c, const wt_cond *k, int when)
{
	wt_comp_emit_op(c, when ? k->op_if : k->op_ifnot);
	wt_comp_emit(c, k->a);
	if (k->has_b)
		wt_comp_emit(c, k->b);
	uint32_t w = c->ncode;
	wt_comp_emit(c, 0);
	return w;
}

static void do_br_if(wt_comp *c, uint32_t l)
{
	wt_cond k;
	cond_take(c, &k);
	wt_ctl *t = &c->ctls[c->nctl - 1 - l];
	if (t->kind != WT_CTL_FUNC && !needs_copies(c, t)) {
		branch_to(c, t, cond_emit(c, &k, 1));
		return;
	}
	uint32_t skip = cond_emit(c, &k, 0);
	emit_br(c, l);
	put(c, skip, c->ncode - skip);
	c->last.valid = 0;
}

static int do_br_table(wt_comp *c, const wt_instr *in)
{
	uint32_t n = in->u.br_table.count, a = wt_comp_operand(c, c->height - 1);
	wt_reader r = in->u.br_table.labels;
	wt_comp_pop(c);
	wt_comp_emit_op(c, WT_V_BR_TABLE);
	wt_comp_emit(c, a);
	wt_comp_emit(c, n);
	uint32_t first = c->ncode;
	for (uint64_t i = 0; i <= n; i++)
		wt_comp_emit(c, 0);
	/* Entries that need copies (or return) go through a stub after it. */
	for (uint64_t i = 0; i <= n && !c->failed; i++) {
		uint32_t l, w = first + (uint32_t)i;
		if (wt_read_u32(&r, &l, c->err) || l >= c->nctl)
			return wt_comp_fail(c, WT_INTERNAL, "bad br_table");
		wt_ctl *t = &c->ctls[c->nctl - 1 - l];
		if (t->kind != WT_CTL_FUNC && !needs_copies(c, t)) {
			branch_to(c, t, w);
			continue;
		}
		put(c, w, c->ncode - w);
		emit_br(c, l);
	}
	return 0;
}

static void block_type(const wt_comp *c, const wt_instr *in, wt_bsig *s)
{
	memset(s, 0, sizeof *s);
	if (in->u.block.kind == WT_BLOCK_VALTYPE) {
		s->vt = (uint8_t)in->u.block.value;
		s->nrv = 1;
		s->nresults = s->vt == WT_V128 ? 2 : 1;
	} else if (in->u.block.kind == WT_BLOCK_TYPEIDX) {
		const wt_functype *t = &c->m->types[in->u.block.value];
		s->ptypes = t->types;
		s->rtypes = t->types + t->nparams;
		s->npv = t->nparams;
		s->nrv = t->nresults;
		s->nparams = wt_types_slots(s->ptypes, s->npv);
		s->nresults = wt_types_slots(s->rtypes, s->nrv);
	}
}

static void do_block(wt_comp *c, const wt_instr *in)
{
	wt_bsig sig;
	block_type(c, in, &sig);
	c->last.valid = 0;
	if (in->op == WT_OP_IF) {
		wt_cond k;
		cond_take(c, &k);
		materialize_all(c);
		uint32_t w = cond_emit(c, &k, 0);
		wt_ctl *t = ctl_push(c, WT_CTL_IF, &sig);
		if (t)
			t->else_at = w;
		return;
	}
	materialize_all(c);
	ctl_push(c, in->op == WT_OP_LOOP ? WT_CTL_LOOP : WT_CTL_BLOCK, &sig);
}

/* Resets the stack to a label's values (types, or the one type *vt when
 * NULL), all in their canonical slots. */
static void reset_stack(wt_comp *c, uint32_t height, const uint8_t *types, uint32_t n,
			const uint8_t *vt)
{
	while (c->height > height)
		wt_comp_pop(c);
	push_types(c, types ? types : vt, n);
	c->floor = c->height;
}

static void do_else(wt_comp *c)
{
	wt_ctl *t = &c->ctls[c->nctl - 1];
	if (!t->dead) {
		for (uint32_t p = t->height; p < c->height; p++)
			materialize(c, p);
		wt_comp_emit_op(c, WT_V_BR);
		uint32_t w = c->ncode;
		wt_comp_emit(c, 0);
		branch_to(c, t, w);
	}
	put(c, t->else_at, c->ncode - t->else_at);
	t->else_at = WT_NONE;
	t->has_else = 1;
	t->dead = 0;
	reset_stack(c, t->height, t->ptypes, t->npv, &t->vt);
	c->last.valid = 0;
}

static void do_end(wt_comp *c)
{
	wt_ctl *t = &c->ctls[c->nctl - 1];
	c->last.valid = 0;
	fuel_patch(c, t);
	if (t->kind == WT_CTL_FUNC) {
		if (!t->dead)
			emit_return(c);
		c->nctl--;
		return;
	}
	if (!t->dead)
		for (uint32_t p = t->height; p < c->height; p++)
			materialize(c, p);
	if (t->else_at != WT_NONE)
		put(c, t->else_at, c->ncode - t->else_at);
	resolve(c, t->patches);
	reset_stack(c, t->height, t->rtypes, t->nrv, &t->vt);
	c->nctl--;
}

/* A call: the arguments, in their canonical slots, become the callee's
 * frame; call_indirect's table index sits above them. */
static void do_call(wt_comp *c, wt_funcinst *callee, const wt_functype *type, const wt_instr *in)
{
	int indirect = in->op == WT_OP_CALL_INDIRECT;
	uint32_t n = wt_types_slots(type->types, type->nparams),
		 top = c->height - (uint32_t)indirect;
	uint32_t idx = indirect ? wt_comp_operand(c, top) : 0;
	for (uint32_t p = top - n; p < top; p++)
		materialize(c, p);
	uint32_t base = wt_comp_canon(c, top - n);
	for (uint32_t i = 0; i < n + (uint32_t)indirect; i++)
		wt_comp_pop(c);
	if (indirect) {
		wt_comp_emit_op(c, WT_V_CALL_INDIRECT);
		wt_comp_emit(c, base);
		wt_comp_emit(c, idx);
		wt_comp_emit64(c, (uint64_t)(uintptr_t)c->inst->tables[in->u.pair.b]);
		wt_comp_emit(c, c->inst->type_ids[in->u.pair.a]);
	} else {
		wt_comp_emit_op(c, WT_V_CALL);
		wt_comp_emit(c, base);
		wt_comp_emit64(c, (uint64_t)(uintptr_t)callee);
	}
	push_types(c, type->types + type->nparams, type->nresults);
}

static int local_is_v128(const wt_comp *c, uint32_t x)
{
	uint32_t np = c->ftype->nparams;
	return (x < np ? c->ftype->types[x] : c->fn->local_types[x - np]) == WT_V128;
}

/* local.set and local.tee of a v128 local at slots s, s + 1. */
static void do_local_v128(wt_comp *c, uint32_t s, int tee)
{
	uint32_t p = c->height - 2;
	if (c->stk[p] == s && c->stk[p + 1] == s + 1) {
		if (!tee) {
			wt_comp_pop(c);
			wt_comp_pop(c);
		}
		return;
	}
	/* The v128 instruction just emitted can write the local directly. */
	if (c->last.valid && c->last.v128 && c->last.at == c->last_at &&
	    c->last.height == c->height && c->stk[p] == wt_comp_canon(c, p) &&
	    c->stk[p + 1] == wt_comp_canon(c, p + 1) && c->refs[s] == 0 && c->refs[s + 1] == 0) {
		put(c, c->last.at + 2, s);
		c->last.valid = 0;
		wt_comp_pop(c);
		wt_comp_pop(c);
		if (tee) {
			push_entry(c, s);
			push_entry(c, s + 1);
			mark_hi(c);
		}
		return;
	}
	if (c->refs[s])
		materialize_local(c, s);
	if (c->refs[s + 1])
		materialize_local(c, s + 1);
	copy_entry(c, s, p);
	copy_entry(c, s + 1, p + 1);
	if (!tee) {
		wt_comp_pop(c);
		wt_comp_pop(c);
	}
}

static void do_local(wt_comp *c, const wt_instr *in)
{
	uint32_t x = c->lslot ? c->lslot[in->u.index] : in->u.index, top = c->height - 1;
	int v128 = c->lslot && local_is_v128(c, in->u.index);
	if (in->op == WT_OP_LOCAL_GET) {
		push_entry(c, x);
		if (v128) {
			push_entry(c, x + 1);
			mark_hi(c);
		}
		return;
	}
	if (v128) {
		do_local_v128(c, x, in->op == WT_OP_LOCAL_TEE);
		return;
	}
	uint32_t src = c->stk[top];
	int tee = in->op == WT_OP_LOCAL_TEE;
	if (src == x) {
		if (!tee)
			wt_comp_pop(c);
		return;
	}
	/* The instruction just emitted can write the local directly. */
	if (c->last.valid && c->last.at == c->last_at && c->last.height == c->height &&
	    src == wt_comp_canon(c, top) && c->refs[x] == 0) {
		put(c, c->last.at + 2, x);
		c->last.valid = 0;
		wt_comp_pop(c);
		if (tee)
			push_entry(c, x);
		return;
	}
	if (c->refs[x])
		materialize_local(c, x);
	copy_entry(c, x, top);
	if (!tee)
		wt_comp_pop(c);
}

static int lower_control(wt_comp *c, const wt_instr *in)
{
	const wt_module *m = c->m;
	switch (in->op) {
	case WT_OP_BLOCK:
	case WT_OP_LOOP:
	case WT_OP_IF:
		do_block(c, in);
		return 0;
	case WT_OP_ELSE:
		do_else(c);
		return 0;
	case WT_OP_END:
		do_end(c);
		return 0;
	case WT_OP_BR:
		emit_br(c, in->u.index);
		c->ctls[c->nctl - 1].dead = 1;
		return 0;
	case WT_OP_BR_IF:
		do_br_if(c, in->u.index);
		return 0;
	case WT_OP_BR_TABLE:
		do_br_table(c, in);
		c->ctls[c->nctl - 1].dead = 1;
		return 0;
	case WT_OP_RETURN:
		emit_return(c);
		c->ctls[c->nctl - 1].dead = 1;
		return 0;
	case WT_OP_UNREACHABLE:
		wt_comp_emit_op(c, WT_V_UNREACHABLE);
		c->ctls[c->nctl - 1].dead = 1;
		return 0;
	case WT_OP_CALL:
		do_call(c, c->inst->funcs[in->u.index], wt_module_functype(m, in->u.index), in);
		return 0;
	case WT_OP_CALL_INDIRECT:
		do_call(c, NULL, &m->types[in->u.pair.a], in);
		return 0;
	case WT_OP_LOCAL_GET:
	case WT_OP_LOCAL_SET:
	case WT_OP_LOCAL_TEE:
		do_local(c, in);
		return 0;
	default:
		return -1;
	}
}

/* In dead code, only the nesting matters: returns 1 when the instruction
 * is the else or end that ends the dead part (to be lowered). */
static int skip_dead(wt_comp *c, const wt_instr *in, uint32_t *nest)
{
	switch (in->op) {
	case WT_OP_BLOCK:
	case WT_OP_LOOP:
	case WT_OP_IF:
		(*nest)++;
		return 0;
	case WT_OP_ELSE:
		return *nest == 0;
	case WT_OP_END:
		if (*nest == 0)
			return 1;
		(*nest)--;
		return 0;
	default:
		return 0;
	}
}

/* ---- the driver ---- */

static int has_v128(const uint8_t *types, uint32_t n)
{
	return n && memchr(types, WT_V128, n) != NULL; /* types may be NULL when n is 0 */
}

/* Whether the instruction may put a v128 on the stack (the function then
 * gives v128 values two slots each). */
static int makes_v128(const wt_comp *c, const wt_instr *in)
{
	const wt_module *m = c->m;
	const wt_functype *t;
	switch (in->op) {
	case WT_OP_GLOBAL_GET:
		return m->globals[in->u.index].type.type == WT_V128;
	case WT_OP_CALL:
		t = wt_module_functype(m, in->u.index);
		return has_v128(t->types, t->nparams + t->nresults);
	case WT_OP_CALL_INDIRECT:
		t = &m->types[in->u.pair.a];
		return has_v128(t->types, t->nparams + t->nresults);
	case WT_OP_BLOCK:
	case WT_OP_LOOP:
	case WT_OP_IF:
		if (in->u.block.kind == WT_BLOCK_VALTYPE)
			return in->u.block.value == WT_V128;
		if (in->u.block.kind != WT_BLOCK_TYPEIDX)
			return 0;
		t = &m->types[in->u.block.value];
		return has_v128(t->types, t->nparams + t->nresults);
	default:
		return wt_opinfo_table[in->op].prefix == WT_PREFIX_FD;
	}
}

/* Counts the constant instructions of the body (the constant area's
 * size; a v128.const counts two) and tells whether it uses v128 values;
 * 0 or a status. */
static int prescan(wt_comp *c, wt_reader r, uint32_t *count, int *v128)
{
	wt_instr in;
	*count = 0;
	while (!wt_reader_done(&r)) {
		if (wt_instr_read(&r, &in, c->err))
			return wt_comp_fail(c, WT_INTERNAL, "cannot read the body");
		if ((in.op >= WT_OP_I32_CONST && in.op <= WT_OP_F64_CONST) ||
		    in.op == WT_OP_REF_FUNC || in.op == WT_OP_REF_NULL)
			(*count)++;
		else if (in.op == WT_OP_V128_CONST)
			*count += 2;
		if (!*v128 && makes_v128(c, &in))
			*v128 = 1;
	}
	return 0;
}

/* With v128 values: the first slot of each local (a v128 takes two). */
static int local_slots(wt_comp *c)
{
	uint32_t n = c->ftype->nparams + c->fn->nlocals, k = 0;
	c->lslot = charged_calloc(c, (size_t)n + 1, sizeof *c->lslot);
	if (!c->lslot)
		return c->err->code;
	for (uint32_t x = 0; x < n; x++) {
		c->lslot[x] = k;
		k += local_is_v128(c, x) ? 2 : 1;
		if (x + 1 == c->ftype->nparams)
			c->nparams = k;
	}
	c->nlocals_total = k;
	return 0;
}

static int setup(wt_comp *c, wt_funcinst *f, wt_reader *body, int detached, wt_error *err)
{
	const wt_module *m = f->instance->module;
	const wt_func *fn = &m->funcs[f->func_index];
	const wt_functype *t = wt_module_functype(m, f->func_index);
	uint32_t nk;
	int v128;
	c->f = f;
	c->fn = fn;
	c->ftype = t;
	c->m = m;
	c->inst = f->instance;
	c->err = err;
	c->handlers = detached ? NULL : wt_vm_handlers();
	c->offset = fn->code_offset;
	c->store = f->instance->store;
	c->fuel = c->store->limits.fuel != 0;
	wt_reader_init(body, m->bytes, fn->body_offset + fn->body_size);
	body->pos = m->bytes + fn->code_offset;
	v128 =
	    has_v128(t->types, t->nparams + t->nresults) || has_v128(fn->local_types, fn->nlocals);
	if (prescan(c, *body, &nk, &v128))
		return WT_INTERNAL;
	c->nparams = t->nparams;
	c->nlocals_total = t->nparams + fn->nlocals;
	if (v128 && local_slots(c))
		return c->err->code;
	c->const_base = c->nlocals_total;
	c->kcap = nk < WT_MAX_CONSTS ? nk : WT_MAX_CONSTS;
	c->stack_base = c->const_base + c->kcap;
	c->max_stack = (v128 ? 2 * (uint32_t)fn->max_stack : fn->max_stack) + 1;
	c->khash_cap = 16;
	while (c->khash_cap < 2 * c->kcap)
		c->khash_cap *= 2;
	c->stk = charged_calloc(c, c->max_stack, sizeof *c->stk);
	c->kval = charged_calloc(c, c->max_stack, sizeof *c->kval);
	c->hi = charged_calloc(c, c->max_stack, sizeof *c->hi);
	c->refs = charged_calloc(c, (size_t)c->nlocals_total + 1, sizeof *c->refs);
	c->consts = charged_calloc(c, (size_t)c->kcap + 1, sizeof *c->consts);
	c->khash = charged_calloc(c, c->khash_cap, sizeof *c->khash);
	if (c->failed)
		return c->err->code;
	wt_bsig sig = {.rtypes = t->types + t->nparams,
		       .nrv = t->nresults,
		       .nresults = wt_types_slots(t->types + t->nparams, t->nresults)};
	if (!ctl_push(c, WT_CTL_FUNC, &sig))
		return WT_NOMEM;
	return 0;
}

static int lower_body(wt_comp *c, wt_reader *r)
{
	wt_instr in;
	uint32_t nest = 0;
	while (c->nctl > 0 && !c->failed) {
		if (wt_instr_read(r, &in, c->err))
			return wt_comp_fail(c, WT_INTERNAL, "cannot read the body");
		c->offset = in.offset;
		if (c->ctls[c->nctl - 1].dead && !skip_dead(c, &in, &nest))
			continue;
		charge(c, &in);
		if (lower_control(c, &in) == 0 || wt_comp_lower_simd(c, &in) == 0)
			continue;
		if (wt_comp_lower_op(c, &in) != 0)
			return wt_comp_fail(c, WT_INTERNAL, "unsupported instruction");
	}
	return c->failed ? c->err->code : 0;
}

static wt_code *finish(wt_comp *c)
{
	wt_code *code = charged_calloc(c, 1, sizeof *code);
	if (!code)
		return NULL;
	code->words = c->code;
	code->nwords = c->ncode;
	c->code = NULL;
	code->nparams = c->nparams;
	code->nresults = c->ctls[0].nresults;
	code->nlocals = c->nlocals_total - c->nparams;
	code->const_base = c->const_base;
	code->nconsts = c->nconsts;
	code->consts = c->consts;
	c->consts = NULL;
	code->frame_size = c->stack_base + c->max_stack;
	if (code->frame_size < code->nresults)
		code->frame_size = code->nresults;
	code->mem = c->inst->module->nmemories ? c->inst->memories[0] : &code->nomem;
	code->func = c->f;
	code->hot_left = c->store->hot_hook ? c->store->hot_threshold : UINT32_MAX;
	code->ntraps = c->ntraps;
	code->traps = c->traps;
	c->traps = NULL;
	return code;
}

/* What the compiled code keeps of the compiler's charged arrays. */
static uint64_t kept_bytes(const wt_comp *c)
{
	return sizeof(wt_code) + (uint64_t)c->capcode * sizeof *c->code +
	       (uint64_t)c->captraps * sizeof *c->traps +
	       ((uint64_t)c->kcap + 1) * sizeof *c->consts;
}

/* Translates f into *out; with `detached`, op numbers in place of the
 * handlers and every charge given back. */
static int compile(wt_funcinst *f, wt_code **out, int detached, wt_error *err)
{
	wt_comp c;
	wt_reader body;
	memset(&c, 0, sizeof c);
	int rc = setup(&c, f, &body, detached, err);
	if (rc == 0)
		rc = lower_body(&c, &body);
	if (rc == 0) {
		*out = finish(&c);
		if (!*out)
			rc =
			    c.failed ? (int)err->code : wt_comp_fail(&c, WT_NOMEM, "out of memory");
	}
	wt_store_uncharge(c.store, rc == 0 && !detached ? c.charged - kept_bytes(&c) : c.charged);
	free(c.code);
	free(c.traps);
	free(c.consts);
	free(c.stk);
	free(c.kval);
	free(c.hi);
	free(c.lslot);
	free(c.refs);
	free(c.khash);
	free(c.ctls);
	return rc;
}

int wt_compile(wt_funcinst *f, wt_error *err)
{
	return compile(f, &f->code, 0, err);
}

int wt_compile_detached(wt_funcinst *f, wt_code **out, wt_error *err)
{
	*out = NULL;
	return compile(f, out, 1, err);
}

void wt_code_free(wt_code *code)
{
	if (!code)
		return;
	free(code->words);
	free(code->consts);
	free(code->traps);
	free(code);
}
