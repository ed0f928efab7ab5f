/* tmpdir.h: the private temporary folders the compiling tier hands GCC's output through. */
#ifndef WT_TMPDIR_H
#define WT_TMPDIR_H

#include <stddef.h>

#include "error.h"

/* Makes a new folder $TMPDIR (else /tmp)/wasi-tofu-jit-XXXXXX, 0700 (mkdtemp), its path in
 * dir (cap bytes). 0, or WT_IO with a message. */
int wt_tmpdir_new(char *dir, size_t cap, wt_error *err);

#endif
