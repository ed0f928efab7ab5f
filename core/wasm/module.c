/* module.c: frees a decoded module (its arena holds every table). */
#include <stdlib.h>

#include "module.h"

void wt_module_free(wt_module *m)
{
	if (!m)
		return;
	wt_arena_fini(&m->arena);
	free(m);
}
