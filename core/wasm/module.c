/* module.c: frees a decoded module (its arena holds every table); its sha256. */
#include <stdlib.h>

#include "module.h"
#include "sha256.h"

const uint8_t *wt_module_sha256(const wt_module *m, uint8_t buf[32])
{
	if (m->has_sha256)
		return m->sha256;
	wt_sha256(m->bytes, m->size, buf);
	return buf;
}

void wt_module_free(wt_module *m)
{
	if (!m)
		return;
	wt_arena_fini(&m->arena);
	free(m);
}
