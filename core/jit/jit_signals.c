/* jit_signals.c: keeps the process's signal dispositions across a compile in the process. */
#include "jit_signals.h"

#include <string.h>

void wt_jit_signals_save(wt_jit_signals *s)
{
	memset(s, 0, sizeof *s);
	for (int sig = 1; sig < WT_JIT_SIGNALS_MAX; sig++)
		s->saved[sig] =
		    sig != SIGKILL && sig != SIGSTOP && sigaction(sig, NULL, &s->action[sig]) == 0;
}

void wt_jit_signals_restore(const wt_jit_signals *s)
{
	for (int sig = 1; sig < WT_JIT_SIGNALS_MAX; sig++)
		if (s->saved[sig])
			sigaction(sig, &s->action[sig], NULL);
}
