/* devask.h: one deviation settled by the --on-deviation mode: refused, or asked (the CLI's
 * terminal, a library host), logged for the summary and the report, and an allow-always
 * answer written to the override file. */
#ifndef WT_DEVASK_H
#define WT_DEVASK_H

#include <stdio.h>

#include "deviations.h"
#include "keeper.h"
#include "manifest.h"
#include "prompt.h"

/* PROMPT's question: req with the manifest line fix that would grant it (or NULL); always is
 * the override file a WT_ANSWER_ALLOW_ALWAYS answer writes to, or NULL when that answer is
 * not offered (then it counts as WT_ANSWER_ALLOW_ONCE). */
typedef wt_answer (*wt_devask_fn)(void *ctx, const wt_devreq *req, const char *fix,
				  const char *always);

/* The wt_devask_fn of the CLI's terminal: ctx is a wt_prompt (wt_prompt_open; NULL: no terminal,
 * WT_ANSWER_NONE at once); [a] offered when always is set, naming it. A request asked before
 * gets its first answer again, an allow-always one as WT_ANSWER_ALLOW_ONCE: the grant is written
 * once. */
wt_answer wt_devask_terminal(void *ctx, const wt_devreq *req, const char *fix, const char *always);

/* What the manifest policy hands over. All borrowed. */
typedef struct wt_devask {
	wt_on_deviation mode;	   /* FAIL, PROMPT, DENY, HIDE or WARN (see wt_devask_mode) */
	wt_devlog *log;		   /* where every deviation is logged, or NULL */
	const char *override_path; /* where allow-always writes, or NULL: not offered */
	FILE *messages;		   /* where a failed override write is told, or NULL */
	wt_keeper *keeper; /* writes override_path for a self-confined run, or NULL: directly */
	wt_devask_fn ask;  /* PROMPT: asks, with ask_ctx; NULL: as WT_ANSWER_NONE (stop) */
	void *ask_ctx;
} wt_devask;

/* The mode a run uses: DEFAULT becomes PROMPT when wt_prompt_is_default()
 * (stdin and stderr are terminals, CI unset), else FAIL; others stay. */
wt_on_deviation wt_devask_mode(wt_on_deviation mode);

/* Settles one request outside the manifest and returns the verdict:
 *  FAIL -> WT_STOP; DENY -> WT_DENY; HIDE -> WT_HIDE;
 *  WARN -> WT_ALLOW (WT_DENY when req->refused);
 *  PROMPT -> WT_DENY without asking when req->refused (a deny rule or the
 *  ceiling refuses it: no answer could allow it), else the verdict of ask's
 *  answer; on WT_ANSWER_ALLOW_ALWAYS the rule {path: pattern, allow:
 *  [req->rights]} goes to override_path (wt_override_add_rule); if that
 *  fails, the message goes to messages and the request is allowed once.
 * pattern: the escaped guest path (wt_manifest_pattern_escape) [a] writes;
 * fix: the manifest line shown and reported ("  - {path: ..., allow: [...]}");
 * seq: the event's sequence number. The outcome is logged in log. */
wt_verdict wt_devask_decide(wt_devask *d, const wt_devreq *req, const char *pattern,
			    const char *fix, uint64_t seq);

#endif
