/* mint.h: what the manifest/ files share among themselves and nobody else uses. */
#ifndef WT_MINT_H
#define WT_MINT_H

#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

/* The capacity an array of n entries grown one at a time has (the next
 * power of two); the loader allocates arrays with it so add_rule can grow. */
size_t wt_manifest_cap(size_t n);

/* One files rule as the YAML line that grants it, "- {path: P, allow: [R]}"
 * (no newline); *out is malloc'd. 0 or WT_NOMEM. */
int wt_manifest_emit_rule(const char *pattern, uint32_t rights, char **out);

struct wt_enforce_config;

/* Splits pattern into the instantiated ${arg:N} (a canonical guest path in
 * lit, PATH_MAX+1 bytes at least; *lit_len 0 when there is none) and the
 * rest. -1 when the run has no argument N. */
int wt_enforce_instantiate(const struct wt_enforce_config *c, const char *pattern, char *lit,
			   size_t *lit_len, const char **rest);

/* Every grant of the manifest and override within cfg->ceiling: 0, or
 * WT_DEVIATION naming the first grant outside it. */
int wt_enforce_check_ceiling(const struct wt_enforce_config *cfg, wt_error *err);

#endif
