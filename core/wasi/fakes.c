/* fakes.c: reproducible clocks and random for a WASI run: fixed-step clocks, a ChaCha20 stream. */
#include "fakes.h"

#include <string.h>

#include "wasi_abi.h"

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The key is the seed in 8 little-endian bytes then 24 zero bytes; the
 * nonce and the block counter start at 0 (docs/manifest.md). */
static void set_seed(wt_fakes *f, uint64_t seed)
{
	uint8_t key[CHACHA_KEY_SIZE] = {0}, nonce[CHACHA_NONCE_SIZE] = {0};

	for (int i = 0; i < 8; i++)
		key[i] = (uint8_t)(seed >> (8 * i));
	chacha_set_key(&f->chacha, key);
	chacha_set_nonce(&f->chacha, nonce);
	f->used = CHACHA_BLOCK_SIZE;
}

void wt_fakes_init(wt_fakes *f, const wt_wasi_fakes *cfg)
{
	memset(f, 0, sizeof *f);
	f->clocks = cfg->fake_clocks;
	f->random = cfg->fake_random;
	f->step = cfg->clock_step_ns ? cfg->clock_step_ns : WT_FAKE_STEP_NS;
	f->now[WT_CLOCK_REALTIME] = cfg->clock_start_ns ? cfg->clock_start_ns : WT_FAKE_EPOCH_NS;
	set_seed(f, cfg->random_seed);
}

int wt_fakes_clock_peek(const wt_fakes *f, uint32_t clock, uint64_t *ns)
{
	if (clock >= sizeof f->now / sizeof f->now[0])
		return -1;
	*ns = f->now[clock];
	return 0;
}

int wt_fakes_clock_read(wt_fakes *f, uint32_t clock, uint64_t *ns)
{
	if (wt_fakes_clock_peek(f, clock, ns))
		return -1;
	f->now[clock] = add_sat(f->now[clock], f->step);
	return 0;
}

uint64_t wt_fakes_clock_res(const wt_fakes *f)
{
	return f->step ? f->step : 1;
}

void wt_fakes_sleep(wt_fakes *f, uint64_t ns)
{
	for (size_t i = 0; i < sizeof f->now / sizeof f->now[0]; i++)
		f->now[i] = add_sat(f->now[i], ns);
}

/* The stream is ChaCha20's keystream: whole blocks of it, handed out in
 * order however the guest slices its random_get calls. */
void wt_fakes_random(wt_fakes *f, void *buf, size_t n)
{
	static const uint8_t zeros[CHACHA_BLOCK_SIZE];
	uint8_t *p = buf;

	while (n > 0) {
		size_t k;

		if (f->used == CHACHA_BLOCK_SIZE) {
			chacha_crypt(&f->chacha, CHACHA_BLOCK_SIZE, f->block, zeros);
			f->used = 0;
		}
		k = CHACHA_BLOCK_SIZE - f->used;
		if (k > n)
			k = n;
		memcpy(p, f->block + f->used, k);
		f->used += (unsigned)k;
		p += k;
		n -= k;
	}
}
