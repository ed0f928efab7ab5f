/* tmpdir.h: the private temporary folders the compiling tier hands GCC's output through. */
#ifndef WT_TMPDIR_H
#define WT_TMPDIR_H

#include <stddef.h>

#include "error.h"

/* How long a folder a gone process left stays untouched before a sweep removes it. */
#define WT_TMPDIR_STALE_S 3600

/* Makes a new folder $TMPDIR (else /tmp)/wasi-tofu-jit-PID-XXXXXX, 0700 (mkdtemp), PID this
 * process's, its path in dir (cap bytes), after a sweep (wt_tmpdir_sweep). 0, or WT_IO with a
 * message. */
int wt_tmpdir_new(char *dir, size_t cap, wt_error *err);

/* Removes the folder dir with everything in it: links removed, never followed; other file
 * systems mounted inside not entered. */
void wt_tmpdir_remove(const char *dir);

/* Removes, with everything in them, the folders of $TMPDIR (else /tmp) named as
 * wt_tmpdir_new names them whose process is gone, that belong to this user, are folders
 * (not links) and were not changed for WT_TMPDIR_STALE_S seconds (wt_tmpdir_remove): what a
 * process stopped by a signal, killed or crashed during a compile left. How many it removed. */
unsigned wt_tmpdir_sweep(void);

#endif
