/* wt_e2e_util.h: helpers the end-to-end test programs share (linked into each of them). */
#ifndef WT_E2E_UTIL_H
#define WT_E2E_UTIL_H

/* Removes dir and everything below it (symlinks are removed, not followed). 0 or -1. */
int wt_e2e_rmtree(const char *dir);

/* The whole of the file at path, NUL-terminated, or NULL when it cannot be read (or memory
 * runs out). The caller frees. */
char *wt_e2e_slurp(const char *path);

/* s with every "@F/" replaced by fixtures + "/" and every "@T/" by scratch + "/" (aborts
 * when memory runs out); the caller frees. */
char *wt_e2e_expand(const char *s, const char *fixtures, const char *scratch);

#endif
