/* wasm_gen.c: the random module generator (see wasm_gen.h). Code is generated as typed trees:
 * an expression leaves exactly one value of the asked type, a statement leaves nothing, so the
 * module is valid by construction. */
#include "wasm_gen.h"

#include "wasm_bytes.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C };
enum {
	MAX_FUNCS = 7,
	MAX_PARAMS = 4,
	MAX_LOCALS = 6,
	MAX_GLOBALS = 8,
	MAX_LABELS = 64,
	EXPR_DEPTH = 5,
	STMT_DEPTH = 3,
	LOOP_NEST = 2,
	SCRATCH = 65536 - 64, /* where the output helper formats a line (inside page 0) */
	MAX_PAGES = 3,
	NULL_SLOTS = 2, /* uninitialised table entries after the functions */
	/* function index space */
	F_FD_WRITE = 0,
	F_EMIT = 1,
	F_CHECKSUM = 2,
	F_FIRST = 3,
	/* type index space: fixed types, then one per generated function */
	T_FD_WRITE = 0,
	T_EMIT = 1,
	T_CHECKSUM = 2,
	T_START = 3,
	T_FIRST = 4,
};

typedef struct {
	int nparams;
	uint8_t params[MAX_PARAMS];
	uint8_t result;
} wg_func;

/* Label kinds: a branch may target only void blocks and ifs (never a loop, so every loop
 * stays bounded by its counter, and never a valued block, which would need a value). */
enum { L_VOID, L_LOOP, L_VALUED };

typedef struct {
	uint64_t rng;
	int nfuncs;
	wg_func fn[MAX_FUNCS];
	int nglobals;
	uint8_t gtype[MAX_GLOBALS];
	/* the function being generated */
	struct wb_buf *code;
	int cur;
	int nlocals; /* params first, then declared locals */
	uint8_t ltype[MAX_PARAMS + MAX_LOCALS];
	int scratch_f32, scratch_f64, counter0; /* reserved locals */
	uint8_t label[MAX_LABELS];
	int nlabels;
	int loops, calls_left;
	int base;      /* expression depth where a statement's expressions start (inside a valued
			  block or if, that block's depth, so that nesting stays bounded) */
	bool nan_bits; /* WG_NAN_BITS: NaN constants with payloads, and no canonicalising */
} wg;

/* ---- randomness (splitmix64: the same stream everywhere) ---- */

static uint64_t rnd(wg *g)
{
	uint64_t z = (g->rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int below(wg *g, int n)
{
	return n > 0 ? (int)(rnd(g) % (uint64_t)n) : 0;
}

static bool chance(wg *g, int percent)
{
	return below(g, 100) < percent;
}

static uint8_t any_type(wg *g)
{
	static const uint8_t t[] = {I32, I64, F32, F64};
	return t[below(g, 4)];
}

/* ---- constants: edge values more often than uniform ones ---- */

static int64_t int_const(wg *g, bool wide)
{
	static const int64_t edge[] = {0,
				       1,
				       -1,
				       2,
				       7,
				       31,
				       32,
				       63,
				       64,
				       255,
				       0x7FFF,
				       0xFFFF,
				       65535 - 8,
				       65536,
				       INT32_MIN,
				       INT32_MAX,
				       (int64_t)UINT32_MAX,
				       INT64_MIN,
				       INT64_MAX};
	int64_t v;
	switch (below(g, 3)) {
	case 0:
		v = edge[below(g, sizeof edge / sizeof *edge)];
		break;
	case 1:
		v = below(g, 100) - 50;
		break;
	default:
		v = (int64_t)rnd(g);
	}
	return wide ? v : (int64_t)(int32_t)v;
}

static double float_const(wg *g)
{
	static const double edge[] = {
	    0.0,  -0.0,		1.0,	      -1.0,	     0.5,    1.5,   2.5,    -2.5,
	    1e10, 4294967296.0, 2147483648.0, -2147483649.0, 9.3e18, 1e300, 1e-310, 3.4e38};
	switch (below(g, 4)) {
	case 0:
		return edge[below(g, sizeof edge / sizeof *edge)];
	case 1:
		return (double)(below(g, 2001) - 1000) / 8.0;
	case 2: {
		uint64_t bits = rnd(g);
		double d;
		memcpy(&d, &bits, sizeof d);
		return d; /* may be NaN or infinite: a valid constant */
	}
	default:
		return (double)(int64_t)rnd(g) / 1e6;
	}
}

/* A NaN with a chosen payload: either sign, quiet or signalling, the payload 1, the bit below
 * the quiet bit, or random bits. */
static uint64_t nan_bits(wg *g, bool wide)
{
	int mb = wide ? 52 : 23;
	uint64_t quiet = 1ull << (mb - 1), exp = (wide ? 0x7FFull : 0xFFull) << mb;
	uint64_t sign = chance(g, 50) ? 1ull << (wide ? 63 : 31) : 0, payload;
	switch (below(g, 3)) {
	case 0:
		payload = 1;
		break;
	case 1:
		payload = quiet >> 1;
		break;
	default:
		payload = rnd(g) & (quiet - 1);
	}
	if (chance(g, 50))
		payload |= quiet;
	else if (!payload)
		payload = 1; /* a signalling NaN's payload is not zero */
	return sign | exp | payload;
}

static void op(wg *g, uint8_t c)
{
	wb_put(g->code, c);
}

static void op_fc(wg *g, uint8_t sub)
{
	wb_put(g->code, 0xFC);
	wb_uleb(g->code, sub);
}

static void i32_const(wg *g, int64_t v)
{
	op(g, 0x41);
	wb_sleb(g->code, (int32_t)v);
}

/* A float constant of type t (F32 or F64) from float_const. */
static void float_const_of(wg *g, uint8_t t)
{
	switch (t) {
	case F32: {
		double d = float_const(g);
		/* out of float's range, the C conversion is undefined: round to infinity ourselves
		 */
		float f = d > FLT_MAX ? INFINITY : d < -FLT_MAX ? -INFINITY : (float)d;
		op(g, 0x43);
		wb_bytes(g->code, &f,
			 4); /* little-endian hosts only, like the rest of the project */
		break;
	}
	default: {
		double d = float_const(g);
		op(g, 0x44);
		wb_bytes(g->code, &d, 8);
	}
	}
}

/* A NaN of type t with chosen bits: fNN.const, or in code (not a global's initialiser) also
 * iNN.const and fNN.reinterpret_iNN. */
static void nan_const(wg *g, uint8_t t, bool in_code)
{
	uint64_t bits = nan_bits(g, t == F64);
	if (!in_code || chance(g, 50)) {
		op(g, t == F32 ? 0x43 : 0x44);
		wb_bytes(g->code, &bits, t == F32 ? 4 : 8); /* little-endian hosts, as above */
	} else if (t == F32) {
		i32_const(g, (int32_t)(uint32_t)bits);
		op(g, 0xBE); /* f32.reinterpret_i32 */
	} else {
		op(g, 0x42);
		wb_sleb(g->code, (int64_t)bits);
		op(g, 0xBF); /* f64.reinterpret_i64 */
	}
}

/* A constant of type t; with WG_NAN_BITS a float is sometimes a NaN of chosen bits. */
static void any_const_of(wg *g, uint8_t t, bool in_code)
{
	switch (t) {
	case I32:
		i32_const(g, int_const(g, false));
		break;
	case I64:
		op(g, 0x42);
		wb_sleb(g->code, int_const(g, true));
		break;
	default:
		if (g->nan_bits && chance(g, 20))
			nan_const(g, t, in_code);
		else
			float_const_of(g, t);
	}
}

static void const_of(wg *g, uint8_t t)
{
	any_const_of(g, t, true);
}

/* ---- expressions ---- */

static void expr(wg *g, uint8_t t, int depth);
static void stmts(wg *g, int depth, int max);

/* Replaces a float on the stack with itself, or the canonical NaN when it is any NaN (not with
 * WG_NAN_BITS: then NaN bits are printed as they are). */
static void canon(wg *g, uint8_t t)
{
	if ((t != F32 && t != F64) || g->nan_bits)
		return;
	int s = t == F32 ? g->scratch_f32 : g->scratch_f64;
	op(g, 0x21);
	wb_uleb(g->code, s);
	if (t == F32) {
		uint32_t nan = 0x7FC00000u;
		op(g, 0x43);
		wb_bytes(g->code, &nan, 4);
	} else {
		uint64_t nan = 0x7FF8000000000000ull;
		op(g, 0x44);
		wb_bytes(g->code, &nan, 8);
	}
	for (int i = 0; i < 3; i++) {
		op(g, 0x20);
		wb_uleb(g->code, s);
	}
	op(g, t == F32 ? 0x5C : 0x62); /* fNN.ne: true only for NaN */
	op(g, 0x1B);		       /* select */
}

/* An address: mostly in page 0, sometimes at its edge or anything. */
static void address(wg *g, int depth)
{
	int r = below(g, 1000);
	if (r < 3) {
		expr(g, I32, depth + 1); /* anything: usually out of bounds */
	} else if (r < 8) {
		i32_const(g, 65536 - below(g, 12));
	} else {
		expr(g, I32, depth + 1);
		i32_const(g,
			  0x7FFF); /* the first half page: in bounds with any offset and length */
		op(g, 0x71);	   /* i32.and */
	}
}

static void memarg(wg *g, int natural_log2)
{
	wb_uleb(g->code, below(g, natural_log2 + 1));
	wb_uleb(g->code, chance(g, 70) ? 0 : below(g, 24));
}

static void load(wg *g, uint8_t t, int depth)
{
	static const struct {
		uint8_t op, log2;
	} i32s[] = {{0x28, 2}, {0x2C, 0}, {0x2D, 0}, {0x2E, 1}, {0x2F, 1}},
	  i64s[] = {{0x29, 3}, {0x30, 0}, {0x31, 0}, {0x32, 1}, {0x33, 1}, {0x34, 2}, {0x35, 2}};
	address(g, depth);
	switch (t) {
	case I32: {
		int k = below(g, 5);
		op(g, i32s[k].op);
		memarg(g, i32s[k].log2);
		break;
	}
	case I64: {
		int k = below(g, 7);
		op(g, i64s[k].op);
		memarg(g, i64s[k].log2);
		break;
	}
	case F32:
		op(g, 0x2A);
		memarg(g, 2);
		break;
	default:
		op(g, 0x2B);
		memarg(g, 3);
	}
}

/* Base opcode of each type's arithmetic: unary range, binary range, compare range. */
typedef struct {
	uint8_t un_lo, un_hi, bin_lo, bin_hi, cmp_lo, cmp_hi;
} wg_ops;

static const wg_ops *ops_of(uint8_t t)
{
	static const wg_ops i32 = {0x67, 0x69, 0x6A, 0x78, 0x46, 0x4F};
	static const wg_ops i64 = {0x79, 0x7B, 0x7C, 0x8A, 0x51, 0x5A};
	static const wg_ops f32 = {0x8B, 0x91, 0x92, 0x98, 0x5B, 0x60};
	static const wg_ops f64 = {0x99, 0x9F, 0xA0, 0xA6, 0x61, 0x66};
	return t == I32 ? &i32 : t == I64 ? &i64 : t == F32 ? &f32 : &f64;
}

static bool is_div(uint8_t t, uint8_t o)
{
	return (t == I32 && o >= 0x6D && o <= 0x70) || (t == I64 && o >= 0x7F && o <= 0x82);
}

static void binary(wg *g, uint8_t t, int depth)
{
	const wg_ops *k = ops_of(t);
	uint8_t o = (uint8_t)(k->bin_lo + below(g, k->bin_hi - k->bin_lo + 1));
	/* Divisions trap on zero (and INT_MIN / -1): keep them, but mostly with a safe divisor. */
	if (is_div(t, o) && chance(g, 60))
		o = k->bin_lo;
	/* WG_NAN_BITS: often a NaN operand, on either side, meeting another NaN or a number */
	int nan_at = (t == F32 || t == F64) && g->nan_bits && chance(g, 40) ? below(g, 2) : -1;
	for (int i = 0; i < 2; i++)
		if (i == nan_at)
			nan_const(g, t, true);
		else
			expr(g, t, depth + 1);
	if (is_div(t, o) && chance(g, 85)) {
		/* divisor | 1: never zero */
		if (t == I32) {
			i32_const(g, 1);
			op(g, 0x72);
		} else {
			op(g, 0x42);
			wb_sleb(g->code, 1);
			op(g, 0x84);
		}
	}
	bool copysign = o == k->bin_hi && (t == F32 || t == F64);
	if (copysign)
		canon(g, t); /* the sign of a NaN is not deterministic */
	op(g, o);
}

static void conversion(wg *g, uint8_t t, int depth)
{
	/* {result, operand, opcode or 0xFC00 | saturating sub-opcode} */
	static const struct {
		uint8_t to, from;
		uint16_t op;
	} conv[] = {
	    {I32, I64, 0xA7},	{I32, F32, 0xA8},   {I32, F32, 0xA9},	{I32, F64, 0xAA},
	    {I32, F64, 0xAB},	{I64, I32, 0xAC},   {I64, I32, 0xAD},	{I64, F32, 0xAE},
	    {I64, F32, 0xAF},	{I64, F64, 0xB0},   {I64, F64, 0xB1},	{F32, I32, 0xB2},
	    {F32, I32, 0xB3},	{F32, I64, 0xB4},   {F32, I64, 0xB5},	{F32, F64, 0xB6},
	    {F64, I32, 0xB7},	{F64, I32, 0xB8},   {F64, I64, 0xB9},	{F64, I64, 0xBA},
	    {F64, F32, 0xBB},	{I32, F32, 0xBC},   {I64, F64, 0xBD},	{F32, I32, 0xBE},
	    {F64, I64, 0xBF},	{I32, I32, 0xC0},   {I32, I32, 0xC1},	{I64, I64, 0xC2},
	    {I64, I64, 0xC3},	{I64, I64, 0xC4},   {I32, F32, 0xFC00}, {I32, F32, 0xFC01},
	    {I32, F64, 0xFC02}, {I32, F64, 0xFC03}, {I64, F32, 0xFC04}, {I64, F32, 0xFC05},
	    {I64, F64, 0xFC06}, {I64, F64, 0xFC07},
	};
	int n = (int)(sizeof conv / sizeof *conv), pick = -1, seen = 0;
	for (int i = 0; i < n; i++)
		if (conv[i].to == t && below(g, ++seen) == 0)
			pick = i;
	uint16_t o = conv[pick].op;
	bool trapping = o >= 0xA8 && o <= 0xB1 && o != 0xAC && o != 0xAD;
	if (trapping && chance(g, 85))
		o = (uint16_t)(0xFC00 | (o - (o <= 0xAB ? 0xA8 : 0xAA))); /* the saturating twin */
	expr(g, conv[pick].from, depth + 1);
	if (o == 0xBC || o == 0xBD)
		canon(g, conv[pick].from);
	if (o >= 0xFC00)
		op_fc(g, (uint8_t)(o & 0xFF));
	else
		op(g, (uint8_t)o);
}

static void compare(wg *g, int depth)
{
	uint8_t t = any_type(g);
	const wg_ops *k = ops_of(t);
	if ((t == I32 || t == I64) && chance(g, 15)) {
		expr(g, t, depth + 1);
		op(g, t == I32 ? 0x45 : 0x50); /* eqz */
		return;
	}
	expr(g, t, depth + 1);
	expr(g, t, depth + 1);
	op(g, (uint8_t)(k->cmp_lo + below(g, k->cmp_hi - k->cmp_lo + 1)));
}

/* A random index i in [0, n) with types[i] == t, or -1. */
static int pick_typed(wg *g, const uint8_t *types, int n, uint8_t t)
{
	int pick = -1, seen = 0;
	for (int i = 0; i < n; i++)
		if (types[i] == t && below(g, ++seen) == 0)
			pick = i;
	return pick;
}

/* A local of type t (not a reserved one), or -1. */
static int local_of(wg *g, uint8_t t)
{
	return pick_typed(g, g->ltype, g->nlocals, t);
}

static int global_of(wg *g, uint8_t t)
{
	return pick_typed(g, g->gtype, g->nglobals, t);
}

/* A generated function after the current one returning t (t == 0: any), or -1. */
static int callee(wg *g, uint8_t t)
{
	int pick = -1, seen = 0;
	for (int i = g->cur + 1; i < g->nfuncs; i++)
		if ((!t || g->fn[i].result == t) && below(g, ++seen) == 0)
			pick = i;
	return pick;
}

static void args(wg *g, int f, int depth)
{
	for (int i = 0; i < g->fn[f].nparams; i++)
		expr(g, g->fn[f].params[i], depth + 1);
}

/* call or call_indirect of a function returning t; false when none can be called here. */
static bool call(wg *g, uint8_t t, int depth)
{
	if (g->calls_left <= 0 || g->loops > 0)
		return false;
	int f = callee(g, t);
	if (f < 0)
		return false;
	g->calls_left--;
	args(g, f, depth);
	if (chance(g, 60)) {
		op(g, 0x10);
		wb_uleb(g->code, F_FIRST + f);
		return true;
	}
	/* call_indirect with f's type: mostly f's slot, else a later function (maybe of another
	 * type, which traps), or rarely any later slot including the null ones. */
	int first = g->cur + 1, slots = g->nfuncs + NULL_SLOTS - first;
	int r = below(g, 100);
	if (r < 70) {
		/* f's own slot, through a computed index */
		expr(g, I32, depth + 1);
		i32_const(g, 0);
		op(g, 0x71);
		i32_const(g, f);
		op(g, 0x6A);
	} else if (r < 95) {
		expr(g, I32, depth + 1);
		i32_const(g, g->nfuncs - first);
		op(g, 0x70); /* i32.rem_u */
		i32_const(g, first);
		op(g, 0x6A);
	} else {
		i32_const(g, first + below(g, slots));
	}
	op(g, 0x11);
	wb_uleb(g->code, T_FIRST + f);
	wb_uleb(g->code, 0);
	return true;
}

static void push_label(wg *g, uint8_t kind)
{
	if (g->nlabels < MAX_LABELS)
		g->label[g->nlabels] = kind;
	g->nlabels++;
}

static void block_type(wg *g, uint8_t t)
{
	wb_put(g->code, t ? t : 0x40);
}

/* Statements inside an expression at `depth`: their expressions start deeper. */
static void inner_stmts(wg *g, int depth)
{
	int saved = g->base;
	g->base = depth + 1;
	stmts(g, STMT_DEPTH, 1);
	g->base = saved;
}

static void valued_if(wg *g, uint8_t t, int depth)
{
	expr(g, I32, depth + 1);
	op(g, 0x04);
	block_type(g, t);
	push_label(g, L_VALUED);
	inner_stmts(g, depth);
	expr(g, t, depth + 1);
	op(g, 0x05);
	inner_stmts(g, depth);
	expr(g, t, depth + 1);
	op(g, 0x0B);
	g->nlabels--;
}

/* block (result t): a value, a conditional exit with another value, a last value. */
static void valued_block(wg *g, uint8_t t, int depth)
{
	op(g, 0x02);
	block_type(g, t);
	push_label(g, L_VALUED);
	inner_stmts(g, depth);
	expr(g, t, depth + 1);
	expr(g, I32, depth + 1);
	op(g, 0x0D);
	wb_uleb(g->code, 0);
	op(g, 0x1A);
	expr(g, t, depth + 1);
	op(g, 0x0B);
	g->nlabels--;
}

/* ---- vector (v128) expressions ----
 * Integer vectors come from splats, loads, constants and integer lane ops; float vectors only
 * from splats and conversions, reach integers only through compares and saturating
 * truncations (NaN -> 0), and leave as a float lane (canonicalised where observable like any
 * float): so no NaN payload becomes visible and two correct engines print the same. */

static void op_fd(wg *g, uint32_t sub)
{
	wb_put(g->code, 0xFD);
	wb_uleb(g->code, sub);
}

/* Integer-domain ops by shape (0xFD sub-opcodes, opcodes.h). */
static const uint8_t v_bin[] = {
    0x0E, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x31,
    0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x40, 0x4E,
    0x4F, 0x50, 0x51, 0x65, 0x66, 0x6E, 0x6F, 0x70, 0x71, 0x72, 0x73, 0x76, 0x77, 0x78, 0x79, 0x7B,
    0x82, 0x85, 0x86, 0x8E, 0x8F, 0x90, 0x91, 0x92, 0x93, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9B, 0x9C,
    0x9D, 0x9E, 0x9F, 0xAE, 0xB1, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xBC, 0xBD, 0xBE, 0xBF, 0xCE,
    0xD1, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF};
static const uint8_t v_un[] = {0x4D, 0x60, 0x61, 0x62, 0x7C, 0x7D, 0x7E, 0x7F, 0x80,
			       0x81, 0x87, 0x88, 0x89, 0x8A, 0xA0, 0xA1, 0xA7, 0xA8,
			       0xA9, 0xAA, 0xC0, 0xC1, 0xC7, 0xC8, 0xC9, 0xCA};
static const uint8_t v_shift[] = {0x6B, 0x6C, 0x6D, 0x8B, 0x8C, 0x8D,
				  0xAB, 0xAC, 0xAD, 0xCB, 0xCC, 0xCD};
/* loads: sub-opcode and natural alignment (log2) */
static const uint8_t v_load[][2] = {{0x00, 4}, {0x01, 3}, {0x02, 3}, {0x03, 3}, {0x04, 3},
				    {0x05, 3}, {0x06, 3}, {0x07, 0}, {0x08, 1}, {0x09, 2},
				    {0x0A, 3}, {0x5C, 2}, {0x5D, 3}};
/* float ops: f32x4 then f64x2 (binary, unary) */
static const uint8_t f_bin[2][8] = {{0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB},
				    {0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7}};
static const uint8_t f_un[2][7] = {{0x67, 0x68, 0x69, 0x6A, 0xE0, 0xE1, 0xE3},
				   {0x74, 0x75, 0x7A, 0x94, 0xEC, 0xED, 0xEF}};

static void vexpr(wg *g, int depth);

/* A float vector: f32x4 (wide = 0) or f64x2 (wide = 1). */
static void fvexpr(wg *g, int wide, int depth)
{
	int r = depth >= EXPR_DEPTH ? 0 : below(g, 6);
	switch (r) {
	case 0:
		expr(g, wide ? F64 : F32, EXPR_DEPTH);
		op_fd(g, wide ? 0x14 : 0x13); /* splat */
		return;
	case 1:
		vexpr(g, depth + 1);
		op_fd(g, wide ? 0xFE + (uint32_t)below(g, 2) : 0xFA + (uint32_t)below(g, 2));
		return;
	case 2:
		fvexpr(g, !wide, depth + 1);
		op_fd(g, wide ? 0x5F : 0x5E); /* promote_low, demote_zero */
		return;
	case 3:
		fvexpr(g, wide, depth + 1);
		op_fd(g, f_un[wide][below(g, 7)]);
		return;
	default:
		fvexpr(g, wide, depth + 1);
		fvexpr(g, wide, depth + 1);
		op_fd(g, f_bin[wide][below(g, 8)]);
	}
}

/* An integer vector. */
static void vexpr(wg *g, int depth)
{
	int r = depth >= EXPR_DEPTH ? below(g, 2) : below(g, 12);
	switch (r) {
	case 0: {
		static const uint8_t splat[] = {0x0F, 0x10, 0x11};
		if (chance(g, 25)) {
			expr(g, I64, EXPR_DEPTH);
			op_fd(g, 0x12);
		} else {
			expr(g, I32, EXPR_DEPTH);
			op_fd(g, splat[below(g, 3)]);
		}
		return;
	}
	case 1:
		op_fd(g, 0x0C); /* v128.const */
		for (int i = 0; i < 2; i++) {
			uint64_t v = (uint64_t)int_const(g, true);
			wb_bytes(g->code, &v, 8);
		}
		return;
	case 2: {
		int k = below(g, sizeof v_load / sizeof *v_load);
		address(g, depth);
		op_fd(g, v_load[k][0]);
		memarg(g, v_load[k][1]);
		return;
	}
	case 3:
	case 4:
	case 5:
		vexpr(g, depth + 1);
		vexpr(g, depth + 1);
		op_fd(g, v_bin[below(g, sizeof v_bin)]);
		return;
	case 6:
		vexpr(g, depth + 1);
		op_fd(g, v_un[below(g, sizeof v_un)]);
		return;
	case 7:
		vexpr(g, depth + 1);
		expr(g, I32, depth + 1);
		op_fd(g, v_shift[below(g, sizeof v_shift)]);
		return;
	case 8: {
		static const uint8_t rep[][2] = {{0x17, 16}, {0x1A, 8}, {0x1C, 4}, {0x1E, 2}};
		int k = below(g, 4);
		vexpr(g, depth + 1);
		expr(g, k == 3 ? I64 : I32, depth + 1);
		op_fd(g, rep[k][0]);
		wb_put(g->code, (uint8_t)below(g, rep[k][1]));
		return;
	}
	case 9:
		vexpr(g, depth + 1);
		vexpr(g, depth + 1);
		if (chance(g, 50)) {
			vexpr(g, depth + 1);
			op_fd(g, 0x52); /* bitselect */
			return;
		}
		op_fd(g, 0x0D); /* shuffle */
		for (int i = 0; i < 16; i++)
			wb_put(g->code, (uint8_t)below(g, 32));
		return;
	case 10: {
		int wide = below(g, 2);
		fvexpr(g, wide, depth + 1);
		fvexpr(g, wide, depth + 1);
		op_fd(g, (wide ? 0x47 : 0x41) + (uint32_t)below(g, 6)); /* compares */
		return;
	}
	default: {
		int wide = below(g, 2);
		fvexpr(g, wide, depth + 1);
		op_fd(g, (wide ? 0xFC : 0xF8) + (uint32_t)below(g, 2)); /* trunc_sat */
		return;
	}
	}
}

/* A scalar of type t from a vector: a lane, or (i32) a test or bitmask. */
static void vector_lane(wg *g, uint8_t t, int depth)
{
	static const uint8_t i32_of[][2] = {{0x15, 16}, {0x16, 16}, {0x18, 8}, {0x19, 8}, {0x1B, 4},
					    {0x53, 0},	{0x63, 0},  {0x64, 0}, {0x83, 0}, {0x84, 0},
					    {0xA3, 0},	{0xA4, 0},  {0xC3, 0}, {0xC4, 0}};
	if (t == F32 || t == F64) {
		int wide = t == F64;
		fvexpr(g, wide, depth + 1);
		op_fd(g, wide ? 0x21 : 0x1F);
		wb_put(g->code, (uint8_t)below(g, wide ? 2 : 4));
		return;
	}
	vexpr(g, depth + 1);
	if (t == I64) {
		op_fd(g, 0x1D);
		wb_put(g->code, (uint8_t)below(g, 2));
		return;
	}
	int k = below(g, sizeof i32_of / sizeof *i32_of);
	op_fd(g, i32_of[k][0]);
	if (i32_of[k][1])
		wb_put(g->code, (uint8_t)below(g, i32_of[k][1]));
}

/* v128.store or a lane store of an integer vector. */
static void vector_store(wg *g, int depth)
{
	static const uint8_t st[][3] = {
	    {0x0B, 4, 0}, {0x58, 0, 16}, {0x59, 1, 8}, {0x5A, 2, 4}, {0x5B, 3, 2}};
	int k = below(g, 5);
	address(g, depth);
	vexpr(g, depth + 1);
	op_fd(g, st[k][0]);
	memarg(g, st[k][1]);
	if (st[k][2])
		wb_put(g->code, (uint8_t)below(g, st[k][2]));
}

static void expr(wg *g, uint8_t t, int depth)
{
	if (depth >= EXPR_DEPTH) {
		int l = local_of(g, t);
		if (l >= 0 && chance(g, 50)) {
			op(g, 0x20);
			wb_uleb(g->code, l);
		} else {
			const_of(g, t);
		}
		return;
	}
	for (;;) {
		switch (below(g, 16)) {
		case 0:
			const_of(g, t);
			return;
		case 1:
		case 2: {
			int l = local_of(g, t);
			if (l < 0)
				break;
			if (chance(g, 25)) {
				expr(g, t, depth + 1);
				op(g, 0x22); /* local.tee */
			} else {
				op(g, 0x20);
			}
			wb_uleb(g->code, l);
			return;
		}
		case 3: {
			int gl = global_of(g, t);
			if (gl < 0)
				break;
			op(g, 0x23);
			wb_uleb(g->code, gl);
			return;
		}
		case 4:
		case 5:
			binary(g, t, depth);
			return;
		case 6: {
			const wg_ops *k = ops_of(t);
			expr(g, t, depth + 1);
			op(g, (uint8_t)(k->un_lo + below(g, k->un_hi - k->un_lo + 1)));
			return;
		}
		case 7:
			conversion(g, t, depth);
			return;
		case 8:
			if (t != I32)
				break;
			compare(g, depth);
			return;
		case 9:
			load(g, t, depth);
			return;
		case 10:
			expr(g, t, depth + 1);
			expr(g, t, depth + 1);
			expr(g, I32, depth + 1);
			op(g, 0x1B);
			return;
		case 11:
			if (call(g, t, depth))
				return;
			break;
		case 12:
			valued_if(g, t, depth);
			return;
		case 13:
			valued_block(g, t, depth);
			return;
		case 14:
			if (t != I32)
				break;
			if (chance(g, 50)) {
				op(g, 0x3F);
			} else {
				expr(g, I32, depth + 1);
				i32_const(g, 1);
				op(g, 0x71);
				op(g, 0x40); /* memory.grow by 0 or 1 page (max MAX_PAGES) */
			}
			wb_put(g->code, 0);
			return;
		case 15:
			vector_lane(g, t, depth);
			return;
		default:
			binary(g, t, depth);
			return;
		}
	}
}

/* ---- statements ---- */

static void emit_value(wg *g, uint8_t t)
{
	canon(g, t);
	if (t == I32)
		op(g, 0xAD); /* i64.extend_i32_u */
	else if (t == F32) {
		op(g, 0xBC);
		op(g, 0xAD);
	} else if (t == F64)
		op(g, 0xBD);
	op(g, 0x10);
	wb_uleb(g->code, F_EMIT);
}

static void store(wg *g, int depth)
{
	static const struct {
		uint8_t t, op, log2;
	} st[] = {{I32, 0x36, 2}, {I64, 0x37, 3}, {F32, 0x38, 2}, {F64, 0x39, 3}, {I32, 0x3A, 0},
		  {I32, 0x3B, 1}, {I64, 0x3C, 0}, {I64, 0x3D, 1}, {I64, 0x3E, 2}};
	int k = below(g, sizeof st / sizeof *st);
	address(g, depth);
	expr(g, st[k].t, depth + 1);
	canon(g, st[k].t);
	op(g, st[k].op);
	memarg(g, st[k].log2);
}

/* A branch to an enclosing void block or if; false when there is none. */
static bool branch(wg *g)
{
	int targets[MAX_LABELS], n = 0;
	for (int i = 0; i < g->nlabels && i < MAX_LABELS; i++)
		if (g->label[i] == L_VOID)
			targets[n++] = g->nlabels - 1 - i;
	if (n == 0)
		return false;
	expr(g, I32, g->base + 2);
	op(g, 0x0D);
	wb_uleb(g->code, targets[below(g, n)]);
	return true;
}

static void void_if(wg *g, int depth)
{
	expr(g, I32, g->base + 1);
	op(g, 0x04);
	wb_put(g->code, 0x40);
	push_label(g, L_VOID);
	int r = below(g, 100);
	if (r < 2) {
		op(g, 0x00); /* unreachable */
	} else if (r < 6) {
		expr(g, g->fn[g->cur].result, g->base + 1);
		op(g, 0x0F); /* return */
	} else {
		stmts(g, depth + 1, 3);
	}
	if (chance(g, 50)) {
		op(g, 0x05);
		stmts(g, depth + 1, 3);
	}
	op(g, 0x0B);
	g->nlabels--;
}

static void void_block(wg *g, int depth)
{
	op(g, 0x02);
	wb_put(g->code, 0x40);
	push_label(g, L_VOID);
	stmts(g, depth + 1, 3);
	op(g, 0x0B);
	g->nlabels--;
}

/* loop counted down from 1..6 in a reserved local; false when loops nest too deep. */
static bool counted_loop(wg *g, int depth)
{
	if (g->loops >= LOOP_NEST)
		return false;
	int c = g->counter0 + g->loops; /* nested loops never share a counter */
	i32_const(g, 1 + below(g, 6));
	op(g, 0x21);
	wb_uleb(g->code, c);
	op(g, 0x03);
	wb_put(g->code, 0x40);
	push_label(g, L_LOOP);
	g->loops++;
	stmts(g, depth + 1, 3);
	g->loops--;
	op(g, 0x20);
	wb_uleb(g->code, c);
	i32_const(g, 1);
	op(g, 0x6B);
	op(g, 0x22);
	wb_uleb(g->code, c);
	op(g, 0x0D);
	wb_uleb(g->code, 0);
	op(g, 0x0B);
	g->nlabels--;
	return true;
}

/* block { block { block { i32 ; br_table } ... } ... } ... with statements after each end. */
static void table_switch(wg *g, int depth)
{
	for (int i = 0; i < 3; i++) {
		op(g, 0x02);
		wb_put(g->code, 0x40);
		push_label(g, L_VOID);
	}
	expr(g, I32, g->base + 2);
	int n = 1 + below(g, 5);
	op(g, 0x0E);
	wb_uleb(g->code, n);
	for (int i = 0; i < n; i++)
		wb_uleb(g->code, below(g, 3));
	wb_uleb(g->code, below(g, 3));
	for (int i = 0; i < 3; i++) {
		op(g, 0x0B);
		g->nlabels--;
		stmts(g, depth + 1, 1);
	}
}

static void bulk(wg *g)
{
	bool fill = chance(g, 50);
	address(g, g->base + 1);
	if (fill)
		expr(g, I32, g->base + 3);
	else
		address(g, g->base + 1);
	expr(g, I32, g->base + 3);
	i32_const(g, chance(g, 95) ? 0xFF : 0x1FFFF);
	op(g, 0x71);
	if (fill) {
		op_fc(g, 11);
		wb_put(g->code, 0);
	} else {
		op_fc(g, 10);
		wb_put(g->code, 0);
		wb_put(g->code, 0);
	}
}

static void stmt(wg *g, int depth)
{
	bool nested = depth < STMT_DEPTH;
	for (;;) {
		switch (below(g, 14)) {
		case 0:
		case 1: {
			if (g->nlocals == 0)
				break;
			int l = below(g, g->nlocals);
			expr(g, g->ltype[l], g->base + 0);
			op(g, 0x21);
			wb_uleb(g->code, l);
			return;
		}
		case 2: {
			int gl = below(g, g->nglobals);
			expr(g, g->gtype[gl], g->base + 0);
			op(g, 0x24);
			wb_uleb(g->code, gl);
			return;
		}
		case 3:
			store(g, g->base);
			return;
		case 4:
			if (chance(g, 50))
				vector_store(g, g->base);
			else
				store(g, g->base);
			return;
		case 5: {
			uint8_t t = any_type(g);
			expr(g, t, g->base + 0);
			emit_value(g, t);
			return;
		}
		case 6:
			if (!nested)
				break;
			void_if(g, depth);
			return;
		case 7:
			if (!nested)
				break;
			void_block(g, depth);
			return;
		case 8:
			if (nested && counted_loop(g, depth))
				return;
			break;
		case 9:
			if (!nested)
				break;
			table_switch(g, depth);
			return;
		case 10:
			if (branch(g))
				return;
			break;
		case 11:
			if (call(g, 0, g->base + 1)) {
				op(g, 0x1A);
				return;
			}
			break;
		case 12:
			bulk(g);
			return;
		default:
			expr(g, any_type(g), g->base + 1);
			op(g, 0x1A);
			return;
		}
	}
}

static void stmts(wg *g, int depth, int max)
{
	int n = below(g, max + 1);
	for (int i = 0; i < n; i++)
		stmt(g, depth);
}

/* ---- functions ---- */

static void declare_locals(struct wb_buf *b, const uint8_t *types, int n)
{
	wb_uleb(b, n);
	for (int i = 0; i < n; i++) {
		wb_uleb(b, 1);
		wb_put(b, types[i]);
	}
}

/* Generated function f: (params) -> result. */
static void gen_function(wg *g, int f, struct wb_buf *out)
{
	wg_func *fn = &g->fn[f];
	g->cur = f;
	g->nlocals = fn->nparams;
	memcpy(g->ltype, fn->params, fn->nparams);
	int nextra = below(g, MAX_LOCALS + 1);
	uint8_t decl[MAX_LOCALS + 2 + LOOP_NEST];
	for (int i = 0; i < nextra; i++)
		g->ltype[g->nlocals++] = decl[i] = any_type(g);
	/* reserved: the two float scratch locals, then the loop counters */
	int nd = nextra;
	g->scratch_f32 = fn->nparams + nd;
	decl[nd++] = F32;
	g->scratch_f64 = fn->nparams + nd;
	decl[nd++] = F64;
	g->counter0 = fn->nparams + nd;
	for (int i = 0; i < LOOP_NEST; i++)
		decl[nd++] = I32;
	g->nlabels = 0;
	g->loops = 0;
	g->calls_left = 3;
	/* function locals: zero-initialised, so reading them is deterministic */
	struct wb_buf code = {0};
	declare_locals(&code, decl, nd);
	g->code = &code;
	push_label(g, L_VALUED); /* the function's own label: branching to it needs a value */
	stmts(g, 1, 5);
	expr(g, fn->result, 0);
	op(g, 0x0B);
	wb_sized(out, &code);
	free(code.data);
}

static void raw(struct wb_buf *b, const uint8_t *bytes, size_t n)
{
	wb_bytes(b, bytes, n);
}

/* emit (i64): 16 hex digits and a newline at SCRATCH, written with fd_write(1, ...). */
static void gen_emit(struct wb_buf *out)
{
	struct wb_buf c = {0};
	wb_uleb(&c, 2);
	wb_uleb(&c, 1);
	wb_put(&c, I32); /* local 1: digit index */
	wb_uleb(&c, 1);
	wb_put(&c, I32); /* local 2: digit */
	const uint8_t head[] = {0x41, 16, 0x21, 1, 0x03, 0x40};
	raw(&c, head, sizeof head);
	/* i -= 1; mem[SCRATCH + i] = hex(x & 15); x >>= 4; br_if i */
	const uint8_t step[] = {0x20, 1, 0x41, 1, 0x6B, 0x21, 1, 0x20, 1};
	raw(&c, step, sizeof step);
	wb_put(&c, 0x41);
	wb_sleb(&c, SCRATCH);
	const uint8_t digit[] = {0x6A, 0x20, 0,	   0xA7, 0x41, 15,   0x71, 0x22, 2,
				 0x41, 48,   0x6A, 0x20, 2,    0x41, 9,	   0x4B, 0x41,
				 39,   0x6C, 0x6A, 0x3A, 0,    0,    0x20, 0,	 0x42,
				 4,    0x88, 0x21, 0,	 0x20, 1,    0x0D, 0,	 0x0B};
	raw(&c, digit, sizeof digit);
	/* mem[SCRATCH+16] = '\n'; iovec {SCRATCH, 17} at SCRATCH+20; fd_write(1, iov, 1, nw) */
	wb_put(&c, 0x41);
	wb_sleb(&c, SCRATCH + 16);
	const uint8_t nl[] = {0x41, 10, 0x3A, 0, 0};
	raw(&c, nl, sizeof nl);
	wb_put(&c, 0x41);
	wb_sleb(&c, SCRATCH + 20);
	wb_put(&c, 0x41);
	wb_sleb(&c, SCRATCH);
	const uint8_t st[] = {0x36, 2, 0};
	raw(&c, st, sizeof st);
	wb_put(&c, 0x41);
	wb_sleb(&c, SCRATCH + 24);
	const uint8_t len[] = {0x41, 17, 0x36, 2, 0, 0x41, 1};
	raw(&c, len, sizeof len);
	wb_put(&c, 0x41);
	wb_sleb(&c, SCRATCH + 20);
	wb_put(&c, 0x41);
	wb_sleb(&c, 1);
	wb_put(&c, 0x41);
	wb_sleb(&c, SCRATCH + 28);
	const uint8_t tail[] = {0x10, F_FD_WRITE, 0x1A, 0x0B};
	raw(&c, tail, sizeof tail);
	wb_sized(out, &c);
	free(c.data);
}

/* checksum () -> i64: h = (h ^ load64(a)) * prime, rotated, over every page of memory. */
static void gen_checksum(struct wb_buf *out)
{
	static const uint8_t code[] = {
	    2,	  1,	I32,  1,    I64, /* locals: 0 = address, 1 = h */
	    0x42, 0x01, 0x21, 1,	 /* h = 1 */
	    0x02, 0x40, 0x03, 0x40,	 /* block loop */
	    0x20, 0,	0x3F, 0,    0x41, 16,	0x74, 0x4F, 0x0D, 1, /* a >= size << 16: out */
	    0x20, 1,	0x20, 0,    0x29, 3,	0,    0x85,	     /* h ^ load64(a) */
	    0x42, 0xB3, 0x83, 0x80, 0x80, 0x80, 0x80, 0x04,	     /* 1099511628211 (FNV) */
	    0x7E, 0x42, 13,   0x89, 0x21, 1,			     /* * prime, rotl 13 */
	    0x20, 0,	0x41, 8,    0x6A, 0x21, 0,		     /* a += 8 */
	    0x0C, 0,	0x0B, 0x0B, 0x20, 1,	0x0B};
	struct wb_buf c = {0};
	raw(&c, code, sizeof code);
	wb_sized(out, &c);
	free(c.data);
}

/* _start: each function with constant arguments, its result written; then the globals and
 * the memory checksum. */
static void gen_start(wg *g, struct wb_buf *out)
{
	struct wb_buf c = {0};
	g->code = &c;
	g->cur = g->nfuncs; /* no generated function is "later": calls below are explicit */
	wb_uleb(&c, 2);
	wb_uleb(&c, 1);
	wb_put(&c, F32);
	wb_uleb(&c, 1);
	wb_put(&c, F64);
	g->nlocals = 0;
	g->scratch_f32 = 0;
	g->scratch_f64 = 1;
	for (int f = 0; f < g->nfuncs; f++) {
		for (int i = 0; i < g->fn[f].nparams; i++)
			const_of(g, g->fn[f].params[i]);
		op(g, 0x10);
		wb_uleb(&c, F_FIRST + f);
		emit_value(g, g->fn[f].result);
	}
	for (int i = 0; i < g->nglobals; i++) {
		op(g, 0x23);
		wb_uleb(&c, i);
		emit_value(g, g->gtype[i]);
	}
	op(g, 0x10);
	wb_uleb(&c, F_CHECKSUM);
	op(g, 0x10);
	wb_uleb(&c, F_EMIT);
	op(g, 0x0B);
	wb_sized(out, &c);
	free(c.data);
}

/* ---- sections ---- */

/* Appends section id with s's contents and frees s. */
static void section(struct wb_buf *m, uint8_t id, struct wb_buf *s)
{
	wb_section(m, id, s);
	free(s->data);
	*s = (struct wb_buf){0};
}

static void functype(struct wb_buf *s, const uint8_t *params, int np, const uint8_t *results,
		     int nr)
{
	wb_put(s, 0x60);
	wb_uleb(s, np);
	wb_bytes(s, params, np);
	wb_uleb(s, nr);
	wb_bytes(s, results, nr);
}

static void plan(wg *g)
{
	g->nfuncs = 1 + below(g, MAX_FUNCS);
	for (int f = 0; f < g->nfuncs; f++) {
		g->fn[f].nparams = below(g, MAX_PARAMS + 1);
		for (int i = 0; i < g->fn[f].nparams; i++)
			g->fn[f].params[i] = any_type(g);
		g->fn[f].result = any_type(g);
	}
	g->nglobals = 4 + below(g, MAX_GLOBALS - 3);
	for (int i = 0; i < g->nglobals; i++)
		g->gtype[i] = i < 4 ? (uint8_t)(I32 - i) : any_type(g);
}

static void type_section(wg *g, struct wb_buf *m)
{
	struct wb_buf s = {0};
	static const uint8_t i4[] = {I32, I32, I32, I32}, i64[] = {I64};
	wb_uleb(&s, T_FIRST + g->nfuncs);
	functype(&s, i4, 4, i4, 1);
	functype(&s, i64, 1, NULL, 0);
	functype(&s, NULL, 0, i64, 1);
	functype(&s, NULL, 0, NULL, 0);
	for (int f = 0; f < g->nfuncs; f++)
		functype(&s, g->fn[f].params, g->fn[f].nparams, &g->fn[f].result, 1);
	section(m, 1, &s);
}

static void import_section(struct wb_buf *m)
{
	struct wb_buf s = {0};
	wb_uleb(&s, 1);
	wb_name(&s, "wasi_snapshot_preview1");
	wb_name(&s, "fd_write");
	wb_put(&s, 0x00);
	wb_uleb(&s, T_FD_WRITE);
	section(m, 2, &s);
}

static void function_section(wg *g, struct wb_buf *m)
{
	struct wb_buf s = {0};
	wb_uleb(&s, 3 + g->nfuncs);
	wb_uleb(&s, T_EMIT);
	wb_uleb(&s, T_CHECKSUM);
	for (int f = 0; f < g->nfuncs; f++)
		wb_uleb(&s, T_FIRST + f);
	wb_uleb(&s, T_START);
	section(m, 3, &s);
}

static void table_memory_sections(wg *g, struct wb_buf *m)
{
	struct wb_buf s = {0};
	wb_uleb(&s, 1);
	wb_put(&s, 0x70); /* funcref */
	wb_put(&s, 0x00);
	wb_uleb(&s, g->nfuncs + NULL_SLOTS);
	section(m, 4, &s);
	wb_uleb(&s, 1);
	wb_put(&s, 0x01);
	wb_uleb(&s, 1);
	wb_uleb(&s, MAX_PAGES);
	section(m, 5, &s);
}

static void global_section(wg *g, struct wb_buf *m)
{
	struct wb_buf s = {0};
	wb_uleb(&s, g->nglobals);
	for (int i = 0; i < g->nglobals; i++) {
		wb_put(&s, g->gtype[i]);
		wb_put(&s, 0x01); /* mutable */
		g->code = &s;
		any_const_of(g, g->gtype[i], false);
		wb_put(&s, 0x0B);
	}
	section(m, 6, &s);
}

static void export_section(wg *g, struct wb_buf *m)
{
	struct wb_buf s = {0};
	wb_uleb(&s, 2);
	wb_name(&s, "memory");
	wb_put(&s, 0x02);
	wb_uleb(&s, 0);
	wb_name(&s, "_start");
	wb_put(&s, 0x00);
	wb_uleb(&s, F_FIRST + g->nfuncs);
	section(m, 7, &s);
}

static void element_section(wg *g, struct wb_buf *m)
{
	struct wb_buf s = {0};
	wb_uleb(&s, 1);
	wb_put(&s, 0x00); /* active, table 0, funcref */
	wb_put(&s, 0x41);
	wb_sleb(&s, 0);
	wb_put(&s, 0x0B);
	wb_uleb(&s, g->nfuncs);
	for (int f = 0; f < g->nfuncs; f++)
		wb_uleb(&s, F_FIRST + f);
	section(m, 9, &s);
}

static void code_section(wg *g, struct wb_buf *m)
{
	struct wb_buf s = {0};
	wb_uleb(&s, 3 + g->nfuncs);
	gen_emit(&s);
	gen_checksum(&s);
	for (int f = 0; f < g->nfuncs; f++)
		gen_function(g, f, &s);
	gen_start(g, &s);
	section(m, 10, &s);
}

static void data_section(wg *g, struct wb_buf *m)
{
	struct wb_buf s = {0};
	wb_uleb(&s, 1);
	wb_put(&s, 0x00);
	wb_put(&s, 0x41);
	wb_sleb(&s, below(g, 1024));
	wb_put(&s, 0x0B);
	int n = below(g, 256);
	wb_uleb(&s, n);
	for (int i = 0; i < n; i++)
		wb_put(&s, (uint8_t)rnd(g));
	section(m, 11, &s);
}

uint8_t *wg_generate(uint64_t seed, unsigned flags, size_t *size)
{
	wg g = {.rng = seed, .nan_bits = (flags & WG_NAN_BITS) != 0};
	struct wb_buf m = {0};
	static const uint8_t magic[] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
	wb_bytes(&m, magic, sizeof magic);
	plan(&g);
	type_section(&g, &m);
	import_section(&m);
	function_section(&g, &m);
	table_memory_sections(&g, &m);
	global_section(&g, &m);
	export_section(&g, &m);
	element_section(&g, &m);
	code_section(&g, &m);
	data_section(&g, &m);
	*size = m.len;
	return m.data;
}
