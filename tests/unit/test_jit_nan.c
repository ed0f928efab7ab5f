/* test_jit_nan.c: every scalar float op gives the same NaN bits on both tiers, and they are the
 * documented ones (docs/engine.md, "Semantics notes"): a module built here with one function per
 * op and operand source (parameters, and constants the compiling tier's C compiler could fold)
 * runs on the interpreter and compiled, on NaNs with distinct payloads (quiet and signalling,
 * both signs, in both operand orders, with numbers); results are compared bit for bit (raw bits
 * through reinterpret), and those of the arithmetic ops against the rule: the first operand's
 * NaN when it is one, else the second's, quieted; a NaN made from numbers is the hardware's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jit.h"
#include "wt_test_inst.h"
#include "store.h"
#include "wt_test_util.h"

#ifdef WT_HAVE_JIT

/* The operand kinds of the ops: f32, f64, i32, i64. */
enum { F4, F8, I4, I8 };

/* How a result is checked against the NaN rule beyond the tiers' agreement. */
enum {
	R_NONE,	 /* the tiers agree (compares, conversions to integers) */
	R_ARITH, /* NaN operands: the first NaN, quieted */
	R_BITS,	 /* abs, neg, copysign: bit operations, payloads kept */
	R_WIDTH, /* demote, promote: quieted, the payload's top bits kept, or moved up */
};

typedef struct nan_op {
	const char *name;
	int in, out, arity, rule;
} nan_op;

static const nan_op ops[] = {
    {"f32.add", F4, F4, 2, R_ARITH},
    {"f32.sub", F4, F4, 2, R_ARITH},
    {"f32.mul", F4, F4, 2, R_ARITH},
    {"f32.div", F4, F4, 2, R_ARITH},
    {"f32.min", F4, F4, 2, R_ARITH},
    {"f32.max", F4, F4, 2, R_ARITH},
    {"f32.copysign", F4, F4, 2, R_BITS},
    {"f64.add", F8, F8, 2, R_ARITH},
    {"f64.sub", F8, F8, 2, R_ARITH},
    {"f64.mul", F8, F8, 2, R_ARITH},
    {"f64.div", F8, F8, 2, R_ARITH},
    {"f64.min", F8, F8, 2, R_ARITH},
    {"f64.max", F8, F8, 2, R_ARITH},
    {"f64.copysign", F8, F8, 2, R_BITS},
    {"f32.abs", F4, F4, 1, R_BITS},
    {"f32.neg", F4, F4, 1, R_BITS},
    {"f32.sqrt", F4, F4, 1, R_ARITH},
    {"f32.ceil", F4, F4, 1, R_ARITH},
    {"f32.floor", F4, F4, 1, R_ARITH},
    {"f32.trunc", F4, F4, 1, R_ARITH},
    {"f32.nearest", F4, F4, 1, R_ARITH},
    {"f64.abs", F8, F8, 1, R_BITS},
    {"f64.neg", F8, F8, 1, R_BITS},
    {"f64.sqrt", F8, F8, 1, R_ARITH},
    {"f64.ceil", F8, F8, 1, R_ARITH},
    {"f64.floor", F8, F8, 1, R_ARITH},
    {"f64.trunc", F8, F8, 1, R_ARITH},
    {"f64.nearest", F8, F8, 1, R_ARITH},
    {"f32.demote_f64", F8, F4, 1, R_WIDTH},
    {"f64.promote_f32", F4, F8, 1, R_WIDTH},
    {"i32.trunc_f32_s", F4, I4, 1, R_NONE},
    {"i32.trunc_f64_u", F8, I4, 1, R_NONE},
    {"i64.trunc_f32_u", F4, I8, 1, R_NONE},
    {"i64.trunc_f64_s", F8, I8, 1, R_NONE},
    {"i32.trunc_sat_f32_s", F4, I4, 1, R_NONE},
    {"i32.trunc_sat_f64_u", F8, I4, 1, R_NONE},
    {"i64.trunc_sat_f32_u", F4, I8, 1, R_NONE},
    {"i64.trunc_sat_f64_s", F8, I8, 1, R_NONE},
    {"f32.eq", F4, I4, 2, R_NONE},
    {"f32.ne", F4, I4, 2, R_NONE},
    {"f32.lt", F4, I4, 2, R_NONE},
    {"f64.ge", F8, I4, 2, R_NONE},
    {"f64.gt", F8, I4, 2, R_NONE},
};
enum { NOPS = sizeof ops / sizeof ops[0] };

/* Operand bits: quiet NaNs (canonical, with payloads, negative), signalling
 * NaNs (positive and negative, payload 1), numbers whose sums and products
 * make NaNs (inf - inf, 0 * inf) and a plain one. The first NC of each are
 * also the constants. */
static const uint64_t vals4[] = {0x7fd23456, 0xffe00001, 0x7f812345, 0xff800001, 0x3fc00000,
				 0x7fc00000, 0x7f800001, 0x7f800000, 0xff800000, 0x80000000};
static const uint64_t vals8[] = {
    0x7ff8123456789abcull, 0xfffc000000000001ull, 0x7ff0000123456789ull, 0xfff0000000000001ull,
    0x3ff8000000000000ull, 0x7ff8000000000000ull, 0x7ff4000000000000ull, 0x7ff0000000000000ull,
    0xfff0000000000000ull, 0x8000000000000000ull};
enum { NV = sizeof vals4 / sizeof vals4[0], NC = 5 };

static const uint64_t *vals(int t)
{
	return t == F4 ? vals4 : vals8;
}

/* The constant of type t with bits v, as WAT writes it (nan:0x... keeps a payload). */
static void put_const(wt_test_text *b, int t, uint64_t v)
{
	int w = t == F4 ? 32 : 64, mb = t == F4 ? 23 : 52;
	uint64_t sign = v >> (w - 1), exp = (v >> mb) & (t == F4 ? 0xff : 0x7ff);
	uint64_t man = v & ((1ull << mb) - 1);
	const char *ty = t == F4 ? "f32" : "f64";
	if (exp == (t == F4 ? 0xffu : 0x7ffu) && man)
		wt_test_put(b, "(%s.const %snan:0x%llx)", ty, sign ? "-" : "",
			    (unsigned long long)man);
	else if (exp == (t == F4 ? 0xffu : 0x7ffu))
		wt_test_put(b, "(%s.const %sinf)", ty, sign ? "-" : "");
	else if (t == F4) {
		uint32_t u = (uint32_t)v;
		float f;
		memcpy(&f, &u, sizeof f);
		wt_test_put(b, "(f32.const %a)", (double)f);
	} else {
		double d;
		memcpy(&d, &v, sizeof d);
		wt_test_put(b, "(f64.const %a)", d);
	}
}

/* Operand k of type t: parameter k (its bits), or the constant of bits c (c_at >= 0). */
static void put_operand(wt_test_text *b, int t, int k, int c_at)
{
	if (c_at >= 0)
		put_const(b, t, vals(t)[c_at]);
	else if (t == F4)
		wt_test_put(b, "(f32.reinterpret_i32 (i32.wrap_i64 (local.get %d)))", k);
	else
		wt_test_put(b, "(f64.reinterpret_i64 (local.get %d))", k);
}

/* Function NAME/ca/cb: the op on operands a and b (-1: a parameter, else
 * the constant vals[c]), its result's bits as an i64. */
static void put_func(wt_test_text *b, const nan_op *o, int ca, int cb)
{
	wt_test_put(b, "(func (export \"%s/%d/%d\") (param i64 i64) (result i64)\n  ", o->name, ca,
		    cb);
	const char *pre[] = {"(i64.extend_i32_u (i32.reinterpret_f32 ", "(i64.reinterpret_f64 ",
			     "(i64.extend_i32_u ", ""};
	const char *post[] = {"))", ")", ")", ""};
	wt_test_put(b, "%s(%s ", pre[o->out], o->name);
	put_operand(b, o->in, 0, ca);
	if (o->arity == 2)
		put_operand(b, o->in, 1, cb);
	wt_test_put(b, ")%s)\n", post[o->out]);
}

static char *module_text(void)
{
	wt_test_text b = {0};
	wt_test_put(&b, "(module\n");
	for (int i = 0; i < NOPS; i++) {
		const nan_op *o = &ops[i];
		put_func(&b, o, -1, -1);
		for (int c = 0; c < NC; c++) {
			put_func(&b, o, c, -1);
			for (int d = 0; d < NC && o->arity == 2; d++)
				put_func(&b, o, c, d);
		}
		for (int d = 0; d < NC && o->arity == 2; d++)
			put_func(&b, o, -1, d);
	}
	wt_test_put(&b, ")\n");
	return b.p;
}

typedef wt_test_inst inst;

static int is_nan(int t, uint64_t v)
{
	return t == F4 ? (v & 0x7fffffffu) > 0x7f800000u
		       : (v & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
}

static uint64_t quiet(int t, uint64_t v)
{
	return v | (t == F4 ? 0x00400000u : 0x0008000000000000ull);
}

/* What the rule says op o gives for operands a and b; 0 with *want unset: no rule here. */
static int rule(const nan_op *o, uint64_t a, uint64_t b, uint64_t *want)
{
	int t = o->in;
	uint64_t sign = t == F4 ? 0x80000000u : 0x8000000000000000ull;
	if (o->rule == R_WIDTH && is_nan(t, a)) {
		if (t == F8) /* demote: the sign and the top 22 bits below the quiet bit, quieted */
			*want = (a >> 32 & 0x80000000u) | 0x7fc00000u | (a >> 29 & 0x3fffffu);
		else /* promote: the payload moved to the top, quieted */
			*want = (a & sign) << 32 | 0x7ff8000000000000ull | (a & 0x7fffffu) << 29;
		return 1;
	}
	if (o->rule == R_BITS) {
		if (strstr(o->name, "abs"))
			*want = a & ~sign;
		else if (strstr(o->name, "neg"))
			*want = a ^ sign;
		else
			*want = (a & ~sign) | (b & sign);
		return 1;
	}
	if (o->rule != R_ARITH)
		return 0;
	if (is_nan(t, a))
		*want = quiet(t, a);
	else if (o->arity == 2 && is_nan(t, b))
		*want = quiet(t, b);
	else
		return 0;
	return 1;
}

typedef struct tally {
	unsigned calls, differ, wrong;
} tally;

/* Export e (NAME/ca/cb) called with arguments a and b on both tiers (its operands: opa and opb,
 * which are the constants where it has them): same rc, trap and bits, and the rule's bits where
 * it has one. */
static void check_one(inst *jit, inst *interp, const wt_export *e, const nan_op *o, uint64_t a,
		      uint64_t b, uint64_t opa, uint64_t opb, tally *t)
{
	wt_slot args[2] = {a, b}, r[2] = {0, 0};
	wt_trap tr[2];
	int rc[2];
	inst *in[2] = {jit, interp};
	for (int k = 0; k < 2; k++) {
		wt_extern x;
		assert_int_equal(wt_instance_export(in[k]->inst, e->name, e->name_len, &x), 0);
		memset(&tr[k], 0, sizeof tr[k]);
		rc[k] = wt_call(in[k]->s, x.u.func, args, &r[k], &tr[k]);
	}
	t->calls++;
	if (rc[0] != rc[1] || r[0] != r[1] || tr[0].kind != tr[1].kind) {
		if (t->differ++ < 40)
			print_message("%.*s(%#llx, %#llx): jit rc %d -> %#llx, interp rc %d -> "
				      "%#llx\n",
				      (int)e->name_len, e->name, (unsigned long long)opa,
				      (unsigned long long)opb, rc[0], (unsigned long long)r[0],
				      rc[1], (unsigned long long)r[1]);
	}
	uint64_t want;
	for (int k = 0; k < 2 && rule(o, opa, opb, &want); k++)
		if (rc[k] != 0 || r[k] != want) {
			if (t->wrong++ < 40)
				print_message(
				    "%.*s(%#llx, %#llx): %s gives %#llx, the rule %#llx\n",
				    (int)e->name_len, e->name, (unsigned long long)opa,
				    (unsigned long long)opb, k ? "interp" : "jit",
				    (unsigned long long)r[k], (unsigned long long)want);
		}
}

/* Every export: its parameters over every operand value, its constants as named. */
static void run_all(inst *jit, inst *interp, tally *t)
{
	for (uint32_t i = 0; i < jit->m->nexports; i++) {
		const wt_export *e = &jit->m->exports[i];
		char name[64];
		int ca, cb;
		assert_true(e->name_len < sizeof name);
		memcpy(name, e->name, e->name_len);
		name[e->name_len] = '\0';
		char *slash = strchr(name, '/');
		assert_non_null(slash);
		*slash = '\0';
		assert_int_equal(sscanf(slash + 1, "%d/%d", &ca, &cb), 2);
		const nan_op *o = NULL;
		for (int k = 0; k < NOPS; k++)
			if (!strcmp(ops[k].name, name))
				o = &ops[k];
		assert_non_null(o);
		const uint64_t *v = vals(o->in);
		int na = ca < 0 ? NV : 1, nb = o->arity == 2 && cb < 0 ? NV : 1;
		for (int x = 0; x < na; x++)
			for (int y = 0; y < nb; y++) {
				uint64_t a = v[x], b = v[y];
				check_one(jit, interp, e, o, a, b, ca < 0 ? a : v[ca],
					  cb < 0 ? b : v[cb], t);
			}
	}
}

static void same_nan_bits(void **state)
{
	(void)state;
	char *text = module_text();
	uint8_t *bytes;
	size_t size;
	if (wt_test_wat_bytes(text, "", &bytes, &size) != 0)
		fail_msg("wat2wasm refused the module:\n%s", text);
	inst jit, interp;
	wt_test_inst_make(&jit, bytes, size, 1, NULL);
	wt_test_inst_make(&interp, bytes, size, 0, NULL);
	tally t = {0};
	run_all(&jit, &interp, &t);
	print_message("%u calls, %u differ between the tiers, %u against the rule\n", t.calls,
		      t.differ, t.wrong);
	assert_true(t.calls > 3000);
	assert_int_equal(t.differ, 0);
	assert_int_equal(t.wrong, 0);
	wt_test_inst_end(&jit);
	wt_test_inst_end(&interp);
	free(bytes);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(same_nan_bits)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#else

int main(void)
{
	return 0;
}

#endif
