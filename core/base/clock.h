/* clock.h: the monotonic clock in seconds, as the compiling tier and tier-up time their work. */
#ifndef WT_CLOCK_H
#define WT_CLOCK_H

/* Seconds of CLOCK_MONOTONIC (since an unspecified start): for intervals only. */
double wt_clock_seconds(void);

#endif
