/* confine_hook.c: the self-confinement test hook, which does nothing in wasi-tofu (the e2e tests
 * build a binary with tests/e2e/confine_hook.c in its place). */
#include "cmd.h"

void wt_cmd_confine_hook(wt_confine_config *c)
{
	(void)c;
}
