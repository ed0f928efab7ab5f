/* cpus.c: how many CPUs this process may run on. */
#include <sched.h> /* sched_getaffinity, CPU_COUNT: the build defines _GNU_SOURCE */

#include "cpus.h"

unsigned wt_cpus_usable(void)
{
	cpu_set_t set;
	int n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
	return n > 1 ? (unsigned)n : 1;
}
