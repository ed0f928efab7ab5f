/* cpus.h: how many CPUs this process may run on (its affinity mask). */
#ifndef WT_CPUS_H
#define WT_CPUS_H

/* The CPUs of the calling thread's affinity mask; 1 when it cannot be read. */
unsigned wt_cpus_usable(void);

#endif
