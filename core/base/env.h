/* env.h: a numeric knob from the environment (the measuring and testing variables WT_*). */
#ifndef WT_ENV_H
#define WT_ENV_H

#include <stdint.h>

/* The value of the environment variable name when it is a whole unsigned decimal number, else
 * dflt (unset, empty, or not a number to its end). */
uint64_t wt_env_u64(const char *name, uint64_t dflt);

#endif
