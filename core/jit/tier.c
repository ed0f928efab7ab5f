/* tier.c: choosing the tier (--tier): the names and when `auto` compiles. */
#include <string.h>

#include "jit.h"

int wt_tier_parse(const char *s, wt_tier *out)
{
	if (strcmp(s, "auto") == 0)
		*out = WT_TIER_AUTO;
	else if (strcmp(s, "interp") == 0)
		*out = WT_TIER_INTERP;
	else if (strcmp(s, "jit") == 0)
		*out = WT_TIER_JIT;
	else
		return -1;
	return 0;
}

int wt_jit_worthwhile(uint64_t code_bytes)
{
	return code_bytes > 0;
}
