/* mint.h: what the manifest/ files share among themselves and nobody else uses. */
#ifndef WT_MINT_H
#define WT_MINT_H

#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

/* The capacity an array of n entries grown one at a time has (the next
 * power of two); the loader allocates arrays with it so add_rule can grow. */
size_t wt_manifest_cap(size_t n);

/* One files rule as the YAML line that grants it, "  - {path: P, allow: [R]}"
 * (no newline); *out is malloc'd. 0 or WT_NOMEM. */
int wt_manifest_emit_rule(const char *pattern, uint32_t rights, char **out);

#endif
