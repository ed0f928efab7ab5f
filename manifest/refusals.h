/* refusals.h: a manifest's `refused` entries, compiled: (call, path) -> the errno to answer. */
#ifndef WT_REFUSALS_H
#define WT_REFUSALS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "wasi_calls.h"

typedef struct wt_refusals wt_refusals;

wt_refusals *wt_refusals_new(void); /* NULL when out of memory */
void wt_refusals_free(wt_refusals *r);

/* Adds an entry: call on the paths pattern matches (literal[0..lit_len) and pattern as
 * wt_match_add takes them) is answered error. 0, WT_MALFORMED or WT_NOMEM. */
int wt_refusals_add(wt_refusals *r, wt_wasi_call call, uint16_t error, const char *literal,
		    size_t lit_len, const char *pattern, wt_error *err);

/* The errno of the first entry added for call whose pattern matches the canonical guest
 * path path[0..len), or 0. Costs O(path length) per distinct errno of that call. */
uint16_t wt_refusals_find(const wt_refusals *r, wt_wasi_call call, const char *path, size_t len);

#endif
