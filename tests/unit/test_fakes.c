/* test_fakes.c: fake clocks and random through the WASI gate: repeatable, stepped, seeded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store.h"
#include "wasi_impl.h"

/* Guest memory layout (one 64 KiB page):
 *   0x0200  result words
 *   0x0400  events
 *   0x2000  random bytes
 *   0x8000  subscriptions */
enum { RES = 0x200, EVS = 0x400, BUF = 0x2000, SUB = 0x8000 };

#define U(x) ((uint64_t)(x))
#define SEC 1000000000ull

/* One WASI host on its own memory, with no mounts and no policy. */
typedef struct guest {
	wt_store *store;
	wt_meminst *mem;
	wt_module mod;
	wt_meminst *mems[1];
	wt_instance inst;
	wt_wasi *w;
	wt_trap trap;
} guest;

static guest *guest_new(const wt_wasi_fakes *fakes)
{
	guest *g = calloc(1, sizeof *g);
	wt_memtype mt = {{1, 1, 1}};
	static const char *const argv[] = {"prog"};
	wt_wasi_config cfg;
	wt_error err;

	assert_non_null(g);
	g->store = wt_store_new(NULL);
	assert_non_null(g->store);
	g->mem = wt_memory_new(g->store, &mt);
	assert_non_null(g->mem);
	g->mod.nmemories = 1;
	g->mems[0] = g->mem;
	g->inst.module = &g->mod;
	g->inst.memories = g->mems;
	g->inst.store = g->store;
	memset(&cfg, 0, sizeof cfg);
	cfg.argc = 1, cfg.argv = argv;
	cfg.stdio_fds[0] = -1, cfg.stdio_fds[1] = -1, cfg.stdio_fds[2] = -1;
	cfg.store = g->store;
	cfg.fakes = *fakes;
	wt_error_init(&err);
	if (wt_wasi_new(&cfg, &g->w, &err) != 0)
		fail_msg("wt_wasi_new: %s", err.msg);
	return g;
}

static void guest_free(guest *g)
{
	wt_wasi_free(g->w);
	wt_store_free(g->store);
	free(g);
}

static int call(guest *g, wt_wasi_call id, int n, ...)
{
	wt_slot args[12] = {0};
	wt_host_call hc = {g->store, &g->inst, &g->w->binds[id], &g->trap};
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		args[i] = va_arg(ap, uint64_t);
	va_end(ap);
	assert_int_equal(wt_gate_call(&hc, args, args), 0);
	return (int)args[0];
}

static uint8_t *at(guest *g, uint32_t addr)
{
	return wt_memory_span(g->mem, addr, 1);
}

static uint64_t read_clock(guest *g, uint32_t clock)
{
	assert_int_equal(call(g, WT_WASI_clock_time_get, 3, U(clock), U(1), U(RES)), 0);
	return wt_le64(at(g, RES));
}

static void get_random(guest *g, uint8_t *out, uint32_t n)
{
	assert_int_equal(call(g, WT_WASI_random_get, 2, U(BUF), U(n)), 0);
	memcpy(out, at(g, BUF), n);
}

/* Subscription i: a clock wait of ns on clock (flags: WT_SUBCLOCK_ABSTIME). */
static void put_clock_sub(guest *g, uint32_t i, uint64_t userdata, uint32_t clock, uint64_t ns,
			  uint16_t flags)
{
	uint8_t *s = at(g, SUB + i * WT_SUBSCRIPTION_SIZE);

	memset(s, 0, WT_SUBSCRIPTION_SIZE);
	wt_put64(s, userdata);
	s[8] = WT_EVENTTYPE_CLOCK;
	wt_put32(s + 16, clock);
	wt_put64(s + 24, ns);
	wt_put16(s + 40, flags);
}

static const wt_wasi_fakes all_fake = {1, 0, 0, 1, 42};

/* A mixed sequence of reads: the clock ids in order. */
static const uint32_t reads[] = {
    WT_CLOCK_REALTIME, WT_CLOCK_MONOTONIC,	WT_CLOCK_MONOTONIC, WT_CLOCK_PROCESS_CPUTIME,
    WT_CLOCK_REALTIME, WT_CLOCK_THREAD_CPUTIME, WT_CLOCK_MONOTONIC};
enum { NREADS = sizeof reads / sizeof reads[0] };

static void run_sequence(const wt_wasi_fakes *fk, uint64_t *clocks, uint8_t *bytes)
{
	guest *g = guest_new(fk);

	for (int i = 0; i < NREADS; i++)
		clocks[i] = read_clock(g, reads[i]);
	get_random(g, bytes, 48);
	guest_free(g);
}

static void test_fakes_two_runs_agree(void **state)
{
	uint64_t c1[NREADS], c2[NREADS];
	uint8_t r1[48], r2[48];

	run_sequence(&all_fake, c1, r1);
	run_sequence(&all_fake, c2, r2);
	assert_memory_equal(c1, c2, sizeof c1);
	assert_memory_equal(r1, r2, sizeof r1);
}

static void test_fakes_real_runs_differ(void **state)
{
	static const wt_wasi_fakes real = {0};
	uint64_t c1[NREADS], c2[NREADS];
	uint8_t r1[48], r2[48];

	run_sequence(&real, c1, r1);
	run_sequence(&real, c2, r2);
	assert_memory_not_equal(r1, r2, sizeof r1);
	assert_true(c1[0] > 1600000000ull * SEC); /* the host's realtime: after 2020 */
	assert_true(c2[1] >= c1[1]);		  /* monotonic goes on between runs */
}

/* Each clock moves one step per read of it, and only then. */
static void test_fakes_step_per_read(void **state)
{
	static const struct {
		wt_wasi_fakes fk;
		uint64_t realtime0, step;
	} cases[] = {
	    {{1, 0, 0, 0, 0}, WT_FAKE_EPOCH_NS, WT_FAKE_STEP_NS},
	    {{1, 0, 7, 0, 0}, WT_FAKE_EPOCH_NS, 7},
	    {{1, 5 * SEC, 3 * SEC, 0, 0}, 5 * SEC, 3 * SEC},
	    {{1, UINT64_MAX - 3, 4, 0, 0}, UINT64_MAX - 3, 4}, /* saturates */
	};

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		guest *g = guest_new(&cases[k].fk);
		uint64_t n[4] = {0}, start[4] = {cases[k].realtime0, 0, 0, 0};

		for (int i = 0; i < NREADS; i++) {
			uint32_t id = reads[i];
			uint64_t want = start[id] + n[id] * cases[k].step;

			if (id == WT_CLOCK_REALTIME &&
			    start[id] > UINT64_MAX - n[id] * cases[k].step)
				want = UINT64_MAX;
			assert_int_equal(read_clock(g, id), want);
			n[id]++;
		}
		assert_int_equal(call(g, WT_WASI_clock_res_get, 2, U(WT_CLOCK_MONOTONIC), U(RES)),
				 0);
		assert_int_equal(wt_le64(at(g, RES)), cases[k].step);
		guest_free(g);
	}
}

static void test_fakes_bad_clock(void **state)
{
	guest *g = guest_new(&all_fake);

	assert_int_equal(call(g, WT_WASI_clock_time_get, 3, U(4), U(1), U(RES)), WT_EINVAL);
	put_clock_sub(g, 0, 9, 99, SEC, 0);
	assert_int_equal(call(g, WT_WASI_poll_oneoff, 4, U(SUB), U(EVS), U(1), U(RES)), 0);
	assert_int_equal(wt_le32(at(g, RES)), 1);
	assert_int_equal(wt_le16(at(g, EVS + 8)), WT_EINVAL);
	guest_free(g);
}

/* A 10 s wait returns at once and moves every clock on by 10 s. */
static void test_fakes_poll_advances_time(void **state)
{
	guest *g = guest_new(&all_fake);
	uint64_t mono = read_clock(g, WT_CLOCK_MONOTONIC) + WT_FAKE_STEP_NS;
	uint64_t real = read_clock(g, WT_CLOCK_REALTIME) + WT_FAKE_STEP_NS;
	uint64_t t0 = wt_host_monotonic();

	put_clock_sub(g, 0, 7, WT_CLOCK_MONOTONIC, 10 * SEC, 0);
	put_clock_sub(g, 1, 8, WT_CLOCK_MONOTONIC, 20 * SEC, 0);
	assert_int_equal(call(g, WT_WASI_poll_oneoff, 4, U(SUB), U(EVS), U(2), U(RES)), 0);
	assert_true(wt_host_monotonic() - t0 < SEC);
	assert_int_equal(wt_le32(at(g, RES)), 1); /* only the 10 s one is due */
	assert_int_equal(wt_le64(at(g, EVS)), 7);
	assert_int_equal(wt_le16(at(g, EVS + 8)), 0);
	assert_int_equal(read_clock(g, WT_CLOCK_MONOTONIC), mono + 10 * SEC);
	assert_int_equal(read_clock(g, WT_CLOCK_REALTIME), real + 10 * SEC);
	/* an absolute deadline on realtime 1 h ahead: reached, and exactly */
	real += WT_FAKE_STEP_NS + 10 * SEC;
	put_clock_sub(g, 0, 5, WT_CLOCK_REALTIME, real + 3600 * SEC, WT_SUBCLOCK_ABSTIME);
	assert_int_equal(call(g, WT_WASI_poll_oneoff, 4, U(SUB), U(EVS), U(1), U(RES)), 0);
	assert_int_equal(wt_le32(at(g, RES)), 1);
	assert_int_equal(wt_le64(at(g, EVS)), 5);
	assert_int_equal(read_clock(g, WT_CLOCK_REALTIME), real + 3600 * SEC);
	assert_true(wt_host_monotonic() - t0 < SEC);
	guest_free(g);
}

/* The stream does not depend on how random_get calls slice it. */
static void test_fakes_random_slicing(void **state)
{
	static const uint32_t slices[][4] = {
	    {200, 0, 0, 0}, {1, 63, 64, 72}, {5, 100, 3, 92}, {64, 64, 64, 8}};
	uint8_t want[200], got[200];

	for (size_t k = 0; k < sizeof slices / sizeof slices[0]; k++) {
		guest *g = guest_new(&all_fake);
		uint32_t off = 0;

		for (int i = 0; i < 4; i++) {
			get_random(g, got + off, slices[k][i]);
			off += slices[k][i];
		}
		assert_int_equal(off, sizeof got);
		if (k == 0)
			memcpy(want, got, sizeof want);
		assert_memory_equal(want, got, sizeof got);
		guest_free(g);
	}
}

static void test_fakes_random_seeds_differ(void **state)
{
	static const uint64_t seeds[] = {0, 1, 2, 42, 1ull << 32, UINT64_MAX};
	enum { N = sizeof seeds / sizeof seeds[0] };
	uint8_t streams[N][32];

	for (int i = 0; i < N; i++) {
		wt_wasi_fakes fk = {0, 0, 0, 1, seeds[i]};
		guest *g = guest_new(&fk);

		get_random(g, streams[i], sizeof streams[i]);
		guest_free(g);
	}
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			assert_memory_not_equal(streams[i], streams[j], sizeof streams[i]);
}

/* Seed 0 is the all-zero ChaCha20 key and nonce: the published keystream
 * (draft-agl-tls-chacha20poly1305, test vector 1). */
static void test_fakes_random_is_chacha20(void **state)
{
	static const uint8_t tv1[64] = {
	    0x76, 0xb8, 0xe0, 0xad, 0xa0, 0xf1, 0x3d, 0x90, 0x40, 0x5d, 0x6a, 0xe5, 0x53,
	    0x86, 0xbd, 0x28, 0xbd, 0xd2, 0x19, 0xb8, 0xa0, 0x8d, 0xed, 0x1a, 0xa8, 0x36,
	    0xef, 0xcc, 0x8b, 0x77, 0x0d, 0xc7, 0xda, 0x41, 0x59, 0x7c, 0x51, 0x57, 0x48,
	    0x8d, 0x77, 0x24, 0xe0, 0x3f, 0xb8, 0xd8, 0x4a, 0x37, 0x6a, 0x43, 0xb8, 0xf4,
	    0x15, 0x18, 0xa1, 0x1c, 0xc3, 0x87, 0xb6, 0x69, 0xb2, 0xee, 0x65, 0x86};
	wt_wasi_fakes fk = {0, 0, 0, 1, 0};
	guest *g = guest_new(&fk);
	uint8_t got[64];

	get_random(g, got, sizeof got);
	assert_memory_equal(got, tv1, sizeof tv1);
	guest_free(g);
}

/* Fake clocks leave random real, and the other way round. */
static void test_fakes_independent(void **state)
{
	wt_wasi_fakes clocks_only = {1, 0, 0, 0, 0}, random_only = {0, 0, 0, 1, 0};
	guest *a = guest_new(&clocks_only), *b = guest_new(&random_only);
	uint8_t ra[32], rb[32], zero_stream[32];

	assert_int_equal(read_clock(a, WT_CLOCK_REALTIME), WT_FAKE_EPOCH_NS);
	assert_true(read_clock(b, WT_CLOCK_REALTIME) > 1600000000ull * SEC);
	get_random(a, ra, sizeof ra);
	get_random(b, rb, sizeof rb);
	guest_free(a);
	a = guest_new(&random_only);
	get_random(a, zero_stream, sizeof zero_stream);
	assert_memory_equal(rb, zero_stream, sizeof rb);
	assert_memory_not_equal(ra, zero_stream, sizeof ra);
	guest_free(a);
	guest_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fakes_two_runs_agree),
	    cmocka_unit_test(test_fakes_real_runs_differ),
	    cmocka_unit_test(test_fakes_step_per_read),
	    cmocka_unit_test(test_fakes_bad_clock),
	    cmocka_unit_test(test_fakes_poll_advances_time),
	    cmocka_unit_test(test_fakes_random_slicing),
	    cmocka_unit_test(test_fakes_random_seeds_differ),
	    cmocka_unit_test(test_fakes_random_is_chacha20),
	    cmocka_unit_test(test_fakes_independent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
