/* jit_signals.h: the process's signal dispositions kept across each compile in the process
 * (jit_tier.c, the one place libgccjit compiles): libgccjit's driver installs handlers of its own
 * for SIGINT, SIGHUP, SIGTERM and SIGPIPE that delete its temporary files and raise the signal
 * again with kill(), which the seccomp filter of a confined run does not allow (docs/security.md,
 * "Self-confinement"). */
#ifndef WT_JIT_SIGNALS_H
#define WT_JIT_SIGNALS_H

#include <signal.h>

enum { WT_JIT_SIGNALS_MAX = 32 }; /* the standard signals, 1..31 */

/* What each standard signal did when wt_jit_signals_save ran. */
typedef struct wt_jit_signals {
	struct sigaction action[WT_JIT_SIGNALS_MAX];
	unsigned char saved[WT_JIT_SIGNALS_MAX]; /* 0: sigaction refused the signal */
} wt_jit_signals;

/* Saves the disposition of every standard signal into *s. */
void wt_jit_signals_save(wt_jit_signals *s);

/* Puts back every disposition s saved: a handler installed since is gone. */
void wt_jit_signals_restore(const wt_jit_signals *s);

#endif
