/* devask.c: settles one deviation by the run's mode: refuse, or ask, log, write the grant. */
#include "devask.h"
#include "escape.h"
#include "override.h"
#include "suggest.h"

#include <stdbool.h>
#include <string.h>

wt_on_deviation wt_devask_mode(wt_on_deviation mode)
{
	if (mode != WT_ON_DEV_DEFAULT)
		return mode;
	return wt_prompt_is_default() ? WT_ON_DEV_PROMPT : WT_ON_DEV_FAIL;
}

/* [a] the first time: writes the grant; the outcome says whether it was. */
static wt_devlog_outcome allow_always(wt_devask *d, const wt_devreq *req, const char *pattern)
{
	wt_mrule r = {.pattern = pattern, .rights = req->rights};
	wt_error err;

	wt_error_init(&err);
	if (req->fix && req->fix->pattern && !strcmp(req->fix->key, "files"))
		r.rights = req->fix->rights, r.only_new = req->fix->only_new;
	if (!wt_override_add_mrule(d->keeper, d->override_path, &r, NULL, &err))
		return WT_DEVLOG_ALLOWED_ALWAYS;
	if (d->messages)
		wt_escape_fprintf(d->messages,
				  "wasi-tofu: could not add the grant: %s; allowed this once\n",
				  err.msg);
	return WT_DEVLOG_ALLOWED_ONCE;
}

wt_answer wt_devask_terminal(void *ctx, const wt_devreq *req, const char *fix, const char *always)
{
	wt_prompt *p = ctx;
	int repeat = 1;
	wt_answer a;

	wt_prompt_offer_always(p, always != NULL);
	wt_prompt_always_file(p, always); /* no memory: "(add to manifest)" */
	a = wt_prompt_ask(p, req, fix, &repeat);
	return a == WT_ANSWER_ALLOW_ALWAYS && repeat ? WT_ANSWER_ALLOW_ONCE : a; /* written once */
}

/* PROMPT: asks d->ask; an allow-always answer writes the grant when it may. */
static wt_verdict ask(wt_devask *d, const wt_devreq *req, const char *pattern, const char *fix,
		      wt_devlog_outcome *out)
{
	/* an override file holds file grants only */
	const char *always =
	    d->override_path && pattern && req->path && !req->what ? d->override_path : NULL;
	wt_answer a = d->ask ? d->ask(d->ask_ctx, req, fix, always) : WT_ANSWER_NONE;

	if (a == WT_ANSWER_ALLOW_ALWAYS && !always)
		a = WT_ANSWER_ALLOW_ONCE;
	*out = a == WT_ANSWER_ALLOW_ALWAYS ? allow_always(d, req, pattern)
					   : wt_devlog_outcome_of_answer(a);
	return wt_prompt_verdict(a);
}

wt_verdict wt_devask_decide(wt_devask *d, const wt_devreq *req, const char *pattern,
			    const char *fix, uint64_t seq)
{
	wt_devlog_outcome o = WT_DEVLOG_STOPPED;
	bool asked = false; /* the terminal prompt set o itself */
	wt_verdict v;

	switch (d->mode) {
	case WT_ON_DEV_DENY:
		v = WT_DENY;
		break;
	case WT_ON_DEV_HIDE:
		v = WT_HIDE;
		break;
	case WT_ON_DEV_WARN: /* complain mode; a deny rule or the ceiling still refuses */
		v = req->refused ? WT_DENY : WT_ALLOW;
		break;
	case WT_ON_DEV_PROMPT: /* a deny rule or the ceiling is not negotiable: never asked */
		asked = !req->refused;
		v = req->refused ? WT_DENY : ask(d, req, pattern, fix, &o);
		break;
	default:
		v = WT_STOP;
		break;
	}
	if (!asked)
		o = wt_devlog_outcome_of_verdict(v);
	if (d->mode == WT_ON_DEV_WARN && v == WT_ALLOW)
		o = WT_DEVLOG_WARNED;
	if (d->log)
		wt_devlog_add(d->log, req, fix, o,
			      seq); /* out of memory: not listed, still settled */
	return v;
}
