/* clock.c: the monotonic clock in seconds. */
#include "clock.h"

#include <time.h>

double wt_clock_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}
