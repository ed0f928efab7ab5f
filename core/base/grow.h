/* grow.h: the one way an array grows. Its capacity doubles (from a first size) and never less
 * than what is needed; the count times the entry size is checked against overflow, so a
 * failure is a NULL or -1 the caller treats as out of memory, never a short buffer. */
#ifndef WT_GROW_H
#define WT_GROW_H

#include <stddef.h>

/* The capacity an array of elem-byte entries with room for cap grows to so that it holds
 * need: cap doubled (first when cap is 0), and at least need. 0 when that many entries
 * would be more than max or their bytes would not fit in a size_t. */
size_t wt_grow_cap(size_t cap, size_t need, size_t elem, size_t first, size_t max);

/* realloc(arr, n * elem), or NULL (arr untouched and still the caller's) when the
 * product overflows or memory runs out, and when n is 0 (wt_grow_cap's failure), so
 * wt_grow_realloc(arr, wt_grow_cap(...), elem) needs one check. */
void *wt_grow_realloc(void *arr, size_t n, size_t elem);

/* Makes the array *arrp (a pointer to the caller's pointer: its entries are elem bytes, it
 * has room for *cap) hold at least need: when it does already, nothing changes; else it
 * is reallocated to wt_grow_cap(*cap, need, elem, first, SIZE_MAX) entries and *arrp and
 * *cap are set. 0, or -1 when the size overflows or memory runs out (*arrp and *cap
 * unchanged). WT_GROW takes the entry size from the pointer's type. */
int wt_grow(void *arrp, size_t *cap, size_t need, size_t elem, size_t first);
#define WT_GROW(arrp, cap, need, first) wt_grow((arrp), (cap), (need), sizeof **(arrp), (first))

#endif
