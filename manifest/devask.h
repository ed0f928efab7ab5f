/* devask.h: one deviation settled by the --on-deviation mode: refused, or asked at the terminal,
 * logged for the summary and the report, and with [a] written to the override file. */
#ifndef WT_DEVASK_H
#define WT_DEVASK_H

#include <stdio.h>

#include "deviations.h"
#include "keeper.h"
#include "manifest.h"
#include "prompt.h"

/* What the manifest policy hands over. All borrowed. */
typedef struct wt_devask {
	wt_on_deviation mode; /* FAIL, PROMPT, DENY or HIDE (see wt_devask_mode) */
	wt_prompt *prompt;    /* PROMPT: from wt_prompt_open; NULL = no terminal: fail */
	wt_devlog *log;	      /* where every deviation is logged, or NULL */
	const char
	    *override_path; /* where [a] writes (wt_override_path), or NULL: [a] not offered */
	FILE *messages;	    /* where a failed override write is told (stderr), or NULL */
	wt_keeper *keeper;  /* writes override_path for a self-confined run, or NULL: directly */
	/* PROMPT: asks this instead of the terminal (a library host's question; no [a]), with
	 * ask_ctx; NULL: the terminal (prompt). */
	wt_verdict (*ask)(void *ctx, const wt_devreq *req, const char *fix);
	void *ask_ctx;
} wt_devask;

/* The mode a run uses: DEFAULT becomes PROMPT when wt_prompt_is_default()
 * (stdin and stderr are terminals, CI unset), else FAIL; others stay. */
wt_on_deviation wt_devask_mode(wt_on_deviation mode);

/* Settles one request outside the manifest and returns the verdict:
 *  FAIL -> WT_STOP; DENY -> WT_DENY; HIDE -> WT_HIDE;
 *  PROMPT -> WT_DENY without asking when req->refused (a deny rule or the
 *  ceiling refuses it: no answer could allow it), else wt_prompt_ask (no
 *  terminal: WT_STOP); on a first [a] the rule
 *  {path: pattern, allow: [req->rights]} goes to override_path
 *  (wt_override_add_rule); if that fails, the message goes to messages
 *  and the request is allowed once.
 * pattern: the escaped guest path (wt_manifest_pattern_escape) [a] writes;
 * fix: the manifest line shown and reported ("  - {path: ..., allow: [...]}");
 * seq: the event's sequence number. The outcome is logged in log. */
wt_verdict wt_devask_decide(wt_devask *d, const wt_devreq *req, const char *pattern,
			    const char *fix, uint64_t seq);

#endif
