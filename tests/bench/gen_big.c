/* gen_big.c: writes a large, valid WASI module for the start-up benchmark (load + validate + call).
 *
 * Usage: gen-big OUT.wasm [MEGABYTES] [SEED]    (default 32 MB of code, seed 1)
 *
 * Module shape (function indices):
 *   0        import wasi_snapshot_preview1.fd_write (i32 i32 i32 i32) -> i32
 *   1        _start () -> (): calls the last generated function with (1, 2), stores the result,
 *            then writes "big: ok\n" to stdout with fd_write
 *   2..N+1   generated functions (i32 i32) -> i32 with i32/i64/f64 locals, built from random
 *            statements: local sets, loads and stores, global updates, blocks with br_if, if/else,
 *            counted loops, br_table, calls and call_indirect through a table of every function.
 * Memory 0 is one page, exported as "memory"; addresses are masked to stay inside it. Calls are
 * guarded by `param0 == 0x7fffffff`, which _start never passes, so running the module executes
 * exactly one generated function; every loop is counted (at most 15 rounds) and no executed
 * operator can trap (division by `x | 1` unsigned, saturating float truncation). The opcode
 * bytes are written here on purpose, independent of the engine's own tables. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm_bytes.h"

enum {
	T_VOID = 0, /* type indices */
	T_FUNC = 1,
	T_FD_WRITE = 2,
	L_PARAMS = 2, /* locals: 0-1 params, 2-5 i32 (5 is the loop counter), 6-7 i64, 8-9 f64 */
	L_COUNTER = 5,
	L_I64 = 6,
	L_F64 = 8,
	MAX_EXPR_DEPTH = 3,
	MAX_STMT_DEPTH = 3,
	GUARD = 0x7fffffff,
};

struct gen {
	uint64_t rng;
	uint32_t nfuncs;     /* generated functions so far (they become 2..nfuncs+1) */
	uint32_t table_mask; /* call_indirect index mask: a power of two minus one, < table size */
	struct wb_buf body;  /* the function being generated */
};

static uint32_t rnd(struct gen *g, uint32_t n)
{
	uint64_t x = g->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	g->rng = x;
	return (uint32_t)((x * 0x2545F4914F6CDD1DULL) >> 32) % n;
}

static void op(struct gen *g, uint8_t code)
{
	wb_put(&g->body, code);
}

static void op_u(struct gen *g, uint8_t code, uint32_t imm)
{
	wb_put(&g->body, code);
	wb_uleb(&g->body, imm);
}

static void i32_const(struct gen *g, int32_t v)
{
	wb_put(&g->body, 0x41);
	wb_sleb(&g->body, v);
}

static void memarg(struct gen *g, uint32_t align, uint32_t offset)
{
	wb_uleb(&g->body, align);
	wb_uleb(&g->body, offset);
}

static void expr_i32(struct gen *g, int depth);
static void expr_i64(struct gen *g, int depth);
static void expr_f64(struct gen *g, int depth);

/* An address in 0x1000..0xfff0, 16-byte aligned: room for an 8-byte offset plus an 8-byte access,
 * and never over _start's data below 0x1000. */
static void address(struct gen *g, int depth)
{
	expr_i32(g, depth);
	i32_const(g, 0xeff0);
	op(g, 0x71); /* i32.and */
	i32_const(g, 0x1000);
	op(g, 0x72); /* i32.or: 0x1000..0xfff0, above _start's data */
}

static void expr_i32_binary(struct gen *g, int depth)
{
	static const uint8_t ops[] = {0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x73,
				      0x74, 0x76, 0x77,			   /* arith */
				      0x46, 0x47, 0x48, 0x4b, 0x4c, 0x4f}; /* compares */
	expr_i32(g, depth + 1);
	expr_i32(g, depth + 1);
	op(g, ops[rnd(g, sizeof ops)]);
}

static void expr_i32_leaf(struct gen *g)
{
	if (rnd(g, 3))
		op_u(g, 0x20, rnd(g, L_I64)); /* local.get of an i32 */
	else
		i32_const(g, (int32_t)(rnd(g, 1u << 20) - (1 << 19)));
}

static void expr_i32(struct gen *g, int depth)
{
	if (depth >= MAX_EXPR_DEPTH) {
		expr_i32_leaf(g);
		return;
	}
	switch (rnd(g, 12)) {
	case 0:
	case 1:
	case 2:
		expr_i32_binary(g, depth);
		return;
	case 3:
		address(g, depth + 1);
		op(g, 0x28);
		memarg(g, 2, 4 * rnd(g, 3));
		return; /* i32.load */
	case 4:
		address(g, depth + 1);
		op(g, 0x2d);
		memarg(g, 0, rnd(g, 8));
		return; /* load8_u */
	case 5:
		expr_i64(g, depth + 1);
		op(g, 0xa7);
		return; /* i32.wrap_i64 */
	case 6:
		expr_i32(g, depth + 1);
		op(g, 0x45);
		return; /* i32.eqz */
	case 7:
		expr_i32(g, depth + 1);
		expr_i32(g, depth + 1);
		expr_i32(g, depth + 1);
		op(g, 0x1b); /* select */
		return;
	case 8: /* unsigned division by an odd number never traps */
		expr_i32(g, depth + 1);
		expr_i32(g, depth + 1);
		i32_const(g, 1);
		op(g, 0x72);
		op(g, rnd(g, 2) ? 0x6e : 0x70); /* div_u, rem_u */
		return;
	case 9:
		expr_f64(g, depth + 1);
		op(g, 0xfc);
		wb_uleb(&g->body, 2);
		return; /* trunc_sat */
	case 10:
		expr_i64(g, depth + 1);
		expr_i64(g, depth + 1);
		op(g, 0x54);
		return; /* i64.lt_u */
	default:
		expr_i32_leaf(g);
		return;
	}
}

static void expr_i64(struct gen *g, int depth)
{
	static const uint8_t ops[] = {0x7c, 0x7d, 0x7e,
				      0x83, 0x85, 0x88}; /* add sub mul and xor shr_u */
	uint32_t pick = depth >= MAX_EXPR_DEPTH ? rnd(g, 2) : rnd(g, 6);
	switch (pick) {
	case 0:
		op_u(g, 0x20, L_I64 + rnd(g, 2));
		return;
	case 1:
		op(g, 0x42);
		wb_sleb(&g->body, (int64_t)rnd(g, 1u << 30) * 977);
		return;
	case 2:
	case 3:
		expr_i64(g, depth + 1);
		expr_i64(g, depth + 1);
		op(g, ops[rnd(g, 6)]);
		return;
	case 4:
		expr_i32(g, depth + 1);
		op(g, 0xad);
		return; /* i64.extend_i32_u */
	default:
		address(g, depth + 1);
		op(g, 0x29);
		memarg(g, 3, 8 * rnd(g, 2));
		return;
	}
}

static void expr_f64(struct gen *g, int depth)
{
	static const uint8_t ops[] = {0xa0, 0xa1, 0xa2, 0xa4, 0xa5}; /* add sub mul min max */
	uint32_t pick = depth >= MAX_EXPR_DEPTH ? rnd(g, 2) : rnd(g, 6);
	switch (pick) {
	case 0:
		op_u(g, 0x20, L_F64 + rnd(g, 2));
		return;
	case 1: {
		double v = (double)rnd(g, 100000) / 64.0;
		op(g, 0x44);
		wb_bytes(&g->body, &v, 8); /* little-endian hosts only, as the engine itself */
		return;
	}
	case 2:
	case 3:
		expr_f64(g, depth + 1);
		expr_f64(g, depth + 1);
		op(g, ops[rnd(g, 5)]);
		return;
	case 4:
		expr_i32(g, depth + 1);
		op(g, 0xb7);
		return; /* f64.convert_i32_s */
	default:
		expr_f64(g, depth + 1);
		op(g, 0x9f);
		return; /* f64.sqrt */
	}
}

static void statements(struct gen *g, int depth, int in_loop, uint32_t count);

static void stmt_store(struct gen *g)
{
	address(g, 1);
	switch (rnd(g, 3)) {
	case 0:
		expr_i32(g, 1);
		op(g, 0x36);
		memarg(g, 2, 4 * rnd(g, 3));
		return;
	case 1:
		expr_i64(g, 1);
		op(g, 0x37);
		memarg(g, 3, 8 * rnd(g, 2));
		return;
	default:
		expr_f64(g, 1);
		op(g, 0x39);
		memarg(g, 3, 8 * rnd(g, 2));
		return;
	}
}

/* A call that only runs when param 0 is GUARD; its result lands in local 2. */
static void stmt_call(struct gen *g)
{
	op_u(g, 0x20, 0);
	i32_const(g, GUARD);
	op(g, 0x46);
	op(g, 0x04);
	op(g, 0x40);
	expr_i32(g, 2);
	expr_i32(g, 2);
	if (g->table_mask && rnd(g, 3) == 0) {
		expr_i32(g, 2);
		i32_const(g, (int32_t)g->table_mask);
		op(g, 0x71);
		op_u(g, 0x11, T_FUNC);
		wb_uleb(&g->body, 0);
	} else {
		op_u(g, 0x10,
		     2 + rnd(g, g->nfuncs + 1)); /* any generated function, itself included */
	}
	op_u(g, 0x21, 2);
	op(g, 0x0b);
}

/* block { ... br_if 0 ... } */
static void stmt_block(struct gen *g, int depth, int in_loop)
{
	op(g, 0x02);
	op(g, 0x40);
	statements(g, depth + 1, in_loop, 1 + rnd(g, 3));
	expr_i32(g, 1);
	op_u(g, 0x0d, 0);
	statements(g, depth + 1, in_loop, 1 + rnd(g, 3));
	op(g, 0x0b);
}

static void stmt_if(struct gen *g, int depth, int in_loop)
{
	expr_i32(g, 1);
	op(g, 0x04);
	op(g, 0x40);
	statements(g, depth + 1, in_loop, 1 + rnd(g, 3));
	if (rnd(g, 2)) {
		op(g, 0x05);
		statements(g, depth + 1, in_loop, 1 + rnd(g, 3));
	}
	op(g, 0x0b);
}

/* counter = expr & 15; block { loop { if counter == 0 break; ...; counter--; continue } } */
static void stmt_loop(struct gen *g, int depth)
{
	expr_i32(g, 1);
	i32_const(g, 15);
	op(g, 0x71);
	op_u(g, 0x21, L_COUNTER);
	op(g, 0x02);
	op(g, 0x40);
	op(g, 0x03);
	op(g, 0x40);
	op_u(g, 0x20, L_COUNTER);
	op(g, 0x45);
	op_u(g, 0x0d, 1);
	statements(g, depth + 1, 1, 1 + rnd(g, 4));
	op_u(g, 0x20, L_COUNTER);
	i32_const(g, 1);
	op(g, 0x6b);
	op_u(g, 0x21, L_COUNTER);
	op_u(g, 0x0c, 0);
	op(g, 0x0b);
	op(g, 0x0b);
}

/* block { block { block { br_table 0 1 2 (x & 3) } ... } ... } */
static void stmt_switch(struct gen *g, int depth, int in_loop)
{
	for (int i = 0; i < 3; i++) {
		op(g, 0x02);
		op(g, 0x40);
	}
	expr_i32(g, 1);
	i32_const(g, 3);
	op(g, 0x71);
	op_u(g, 0x0e, 3);
	for (uint32_t i = 0; i < 3; i++)
		wb_uleb(&g->body, i);
	wb_uleb(&g->body, 2);
	op(g, 0x0b);
	for (int i = 0; i < 2; i++) {
		statements(g, depth + 1, in_loop, 1 + rnd(g, 2));
		op(g, 0x0b);
	}
}

static void stmt_set(struct gen *g)
{
	switch (rnd(g, 4)) {
	case 0:
	case 1:
		expr_i32(g, 0);
		op_u(g, 0x21, L_PARAMS + rnd(g, 3));
		return;
	case 2:
		expr_i64(g, 0);
		op_u(g, 0x21, L_I64 + rnd(g, 2));
		return;
	default:
		expr_f64(g, 0);
		op_u(g, 0x21, L_F64 + rnd(g, 2));
		return;
	}
}

static void statement(struct gen *g, int depth, int in_loop)
{
	uint32_t pick = depth >= MAX_STMT_DEPTH ? rnd(g, 4) : rnd(g, 11);
	switch (pick) {
	case 0:
	case 1:
		stmt_set(g);
		return;
	case 2:
		stmt_store(g);
		return;
	case 3: /* global 0 += expr */
		op_u(g, 0x23, 0);
		expr_i32(g, 1);
		op(g, 0x6a);
		op_u(g, 0x24, 0);
		return;
	case 4:
		stmt_call(g);
		return;
	case 5:
	case 6:
		stmt_block(g, depth, in_loop);
		return;
	case 7:
	case 8:
		stmt_if(g, depth, in_loop);
		return;
	case 9:
		if (in_loop)
			stmt_set(g);
		else
			stmt_loop(g, depth);
		return;
	default:
		stmt_switch(g, depth, in_loop);
		return;
	}
}

static void statements(struct gen *g, int depth, int in_loop, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++)
		statement(g, depth, in_loop);
}

/* Generates one (i32 i32) -> i32 function into g->body (without its size prefix). */
static void function(struct gen *g)
{
	g->body.len = 0;
	wb_uleb(&g->body, 3);			      /* local groups */
	wb_uleb(&g->body, 4), wb_put(&g->body, 0x7f); /* 4 x i32 */
	wb_uleb(&g->body, 2), wb_put(&g->body, 0x7e); /* 2 x i64 */
	wb_uleb(&g->body, 2), wb_put(&g->body, 0x7c); /* 2 x f64 */
	statements(g, 0, 0, 3 + rnd(g, 10));
	expr_i32(g, 0);
	op(g, 0x0b);
}

static void start_function(struct wb_buf *code, uint32_t last)
{
	static const uint8_t tail[] = {
	    0x41, 0x00, 0x41, 0x10, 0x36, 0x02, 0x08,			/* iov.base = 16 at 8 */
	    0x41, 0x00, 0x41, 0x08, 0x36, 0x02, 0x0c,			/* iov.len = 8 at 12 */
	    0x41, 0x01, 0x41, 0x08, 0x41, 0x01, 0x41, 0x04, 0x10, 0x00, /* fd_write(1, 8, 1, 4) */
	    0x1a, 0x0b};						/* drop, end */
	struct wb_buf b = {0};
	wb_uleb(&b, 0);
	wb_put(&b, 0x41), wb_sleb(&b, 0x400);
	wb_put(&b, 0x41), wb_sleb(&b, 1);
	wb_put(&b, 0x41), wb_sleb(&b, 2);
	wb_put(&b, 0x10), wb_uleb(&b, last);
	wb_put(&b, 0x36), wb_uleb(&b, 2), wb_uleb(&b, 0); /* mem[0x400] = result */
	wb_bytes(&b, tail, sizeof tail);
	wb_sized(code, &b);
	free(b.data);
}

/* Type, import, function, table, memory, global and export sections, in that order. */
static void front_sections(struct wb_buf *out, uint32_t nfuncs)
{
	struct wb_buf s = {0};
	static const uint8_t types[] = {3,    0x60, 0, 0,    0x60, 2,	 0x7f, 0x7f, 1,
					0x7f, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1,    0x7f};
	wb_bytes(&s, types, sizeof types);
	wb_section(out, 1, &s);
	wb_uleb(&s, 1), wb_name(&s, "wasi_snapshot_preview1"), wb_name(&s, "fd_write");
	wb_put(&s, 0x00), wb_uleb(&s, T_FD_WRITE);
	wb_section(out, 2, &s);
	wb_uleb(&s, nfuncs + 1);
	wb_uleb(&s, T_VOID);
	for (uint32_t i = 0; i < nfuncs; i++)
		wb_uleb(&s, T_FUNC);
	wb_section(out, 3, &s);
	wb_uleb(&s, 1), wb_put(&s, 0x70), wb_put(&s, 0x00), wb_uleb(&s, nfuncs); /* funcref table */
	wb_section(out, 4, &s);
	wb_uleb(&s, 1), wb_put(&s, 0x00), wb_uleb(&s, 1); /* memory: min 1 page */
	wb_section(out, 5, &s);
	wb_uleb(&s, 1), wb_put(&s, 0x7f), wb_put(&s, 0x01), wb_put(&s, 0x41), wb_sleb(&s, 4096),
	    wb_put(&s, 0x0b);
	wb_section(out, 6, &s);
	wb_uleb(&s, 2), wb_name(&s, "memory"), wb_put(&s, 0x02), wb_uleb(&s, 0);
	wb_name(&s, "_start"), wb_put(&s, 0x00), wb_uleb(&s, 1);
	wb_section(out, 7, &s);
	free(s.data);
}

/* Element section (table 0 holds every generated function) and the data for "big: ok\n". */
static void elem_section(struct wb_buf *out, uint32_t nfuncs)
{
	struct wb_buf s = {0};
	wb_uleb(&s, 1), wb_uleb(&s, 0), wb_put(&s, 0x41), wb_sleb(&s, 0), wb_put(&s, 0x0b);
	wb_uleb(&s, nfuncs);
	for (uint32_t i = 0; i < nfuncs; i++)
		wb_uleb(&s, 2 + i);
	wb_section(out, 9, &s);
	free(s.data);
}

static void data_section(struct wb_buf *out)
{
	struct wb_buf s = {0};
	wb_uleb(&s, 1), wb_uleb(&s, 0), wb_put(&s, 0x41), wb_sleb(&s, 16), wb_put(&s, 0x0b);
	wb_name(&s, "big: ok\n");
	wb_section(out, 11, &s);
	free(s.data);
}

/* Generates functions until their bodies reach target bytes; returns them with size prefixes. */
static uint32_t generate_bodies(struct gen *g, size_t target, struct wb_buf *bodies)
{
	while (bodies->len < target) {
		function(g);
		wb_sized(bodies, &g->body);
		g->nfuncs++;
		uint32_t mask = 1;
		while (mask * 2 <= g->nfuncs)
			mask *= 2;
		g->table_mask = mask - 1; /* table entries 0..mask-1 exist already */
	}
	return g->nfuncs;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: gen-big OUT.wasm [MEGABYTES] [SEED]\n");
		return 64;
	}
	long mb = argc > 2 ? strtol(argv[2], NULL, 10) : 32;
	long seed = argc > 3 ? strtol(argv[3], NULL, 10) : 1;
	if (mb <= 0 || mb > 1024 || seed <= 0) {
		fprintf(stderr, "gen-big: MEGABYTES must be 1..1024 and SEED positive\n");
		return 64;
	}
	struct gen g = {.rng = (uint64_t)seed * 0x9E3779B97F4A7C15ULL};
	struct wb_buf bodies = {0}, code = {0}, out = {0};
	uint32_t nfuncs = generate_bodies(&g, (size_t)mb << 20, &bodies);
	wb_bytes(&out, "\0asm\1\0\0\0", 8);
	front_sections(&out, nfuncs);
	elem_section(&out, nfuncs);
	wb_uleb(&code, nfuncs + 1);
	start_function(&code, nfuncs + 1);
	wb_bytes(&code, bodies.data, bodies.len);
	wb_section(&out, 10, &code);
	data_section(&out);
	FILE *f = fopen(argv[1], "wb");
	if (!f || fwrite(out.data, 1, out.len, f) != out.len || fclose(f) != 0) {
		perror(argv[1]);
		return 73;
	}
	printf("gen-big: %s: %zu bytes, %u functions, %zu bytes of code\n", argv[1], out.len,
	       nfuncs + 1, bodies.len);
	free(bodies.data);
	free(code.data);
	free(out.data);
	free(g.body.data);
	return 0;
}
