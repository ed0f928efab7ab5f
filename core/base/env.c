/* env.c: a numeric knob from the environment. */
#include <stdlib.h>

#include "env.h"

uint64_t wt_env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);
	char *end;
	if (!v || *v < '0' || *v > '9')
		return dflt;
	unsigned long long n = strtoull(v, &end, 10);
	return *end ? dflt : (uint64_t)n;
}
