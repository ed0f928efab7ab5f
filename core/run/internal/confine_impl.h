/* confine_impl.h: what the layers of self-confinement share (confine*.c only). */
#ifndef WT_CONFINE_IMPL_H
#define WT_CONFINE_IMPL_H

#include <stddef.h>

#include "confine.h"

/* 1 in a sanitizer build (-DWT_SANITIZE=ON): the sanitizers' runtime
 * (LeakSanitizer stops the world with a ptrace'd helper at exit) gets what
 * it needs too (docs/security.md, "Sanitizer builds"). */
#ifdef WT_CONFINE_SANITIZER
enum { WT_CONFINE_SANITIZE = 1 };
#else
enum { WT_CONFINE_SANITIZE = 0 };
#endif

/* Each layer: 0 when enforced; 0 with a reason in why (why[0] != 0) when
 * the kernel lacks it; else a status with err filled. */
int wt_confine_landlock(const wt_confine_config *cfg, const wt_wasi *w, char *why, size_t size,
			wt_error *err);
int wt_confine_seccomp(char *why, size_t size, wt_error *err);

#endif
