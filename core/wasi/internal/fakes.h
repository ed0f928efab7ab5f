/* fakes.h: reproducible clocks and random for a WASI run: fixed-step clocks, a ChaCha20 stream. */
#ifndef WT_FAKES_H
#define WT_FAKES_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/chacha.h>

#include "wasi.h"

/* The state behind wt_wasi_fakes (wasi.h): one next value per WASI clock
 * and the random stream's position. Policy-free: the caller says what is
 * fake; the WASI calls ask here instead of the host when it is. */
typedef struct wt_fakes {
	int clocks, random;	  /* what is fake */
	uint64_t step;		  /* added to a clock per read */
	uint64_t now[4];	  /* the next value of each clock (WT_CLOCK_*) */
	struct chacha_ctx chacha; /* keyed from the seed */
	uint8_t block[CHACHA_BLOCK_SIZE];
	unsigned used; /* bytes of block already handed out */
} wt_fakes;

/* Sets f up from cfg (zero fields take the documented defaults). */
void wt_fakes_init(wt_fakes *f, const wt_wasi_fakes *cfg);

/* clock_time_get: the clock's value, then the clock moves one step on.
 * -1 for an unknown clock id. */
int wt_fakes_clock_read(wt_fakes *f, uint32_t clock, uint64_t *ns);
/* The clock's value without a step (poll_oneoff's deadlines). -1 for an
 * unknown clock id. */
int wt_fakes_clock_peek(const wt_fakes *f, uint32_t clock, uint64_t *ns);
/* clock_res_get: the step (at least 1 ns). */
uint64_t wt_fakes_clock_res(const wt_fakes *f);
/* A wait of ns (poll_oneoff's clock subscriptions): every clock moves on
 * by ns at once, and nobody sleeps. Values saturate at UINT64_MAX. */
void wt_fakes_sleep(wt_fakes *f, uint64_t ns);

/* random_get: the next n bytes of the seeded stream. */
void wt_fakes_random(wt_fakes *f, void *buf, size_t n);

#endif
