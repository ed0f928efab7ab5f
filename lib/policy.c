/* policy.c: wasi_tofu_run_policy: the gate's policy seam (core/gate.h) for a host's callback,
 * each wt_event shown as a wasi_tofu_event of plain C types. */
#include <stdlib.h>

#include "check.h"
#include "gate.h"
#include "lib_impl.h"
#include "wasi.h"

/* The public enums are the engine's, value for value. */
#define WT_X_SAME(name, bit, text)                                          \
	_Static_assert(WASI_TOFU_RIGHT_##name == (uint32_t)WT_RIGHT_##name, \
		       "WASI_TOFU_RIGHT_" #name);
WT_RIGHT_LIST(WT_X_SAME)
#undef WT_X_SAME
_Static_assert(WASI_TOFU_CLASS_SOCK == (int)WT_CLASS_SOCK && WASI_TOFU_CLASS_ARGS == 0,
	       "wasi_tofu_class");
_Static_assert((int)WASI_TOFU_STDOUT == (int)WT_EV_STDOUT &&
		   (int)WASI_TOFU_STDERR == (int)WT_EV_STDERR &&
		   (int)WASI_TOFU_NOSTDIO == (int)WT_EV_NOSTDIO,
	       "stdio streams");

static wasi_tofu_class class_of(wt_wasi_call call)
{
	static const unsigned char classes[WT_WASI_CALL_COUNT] = {
#define WT_X_CLASS(name, sig, cls) [WT_WASI_##name] = WT_CLASS_##cls,
	    WT_WASI_CALL_LIST(WT_X_CLASS)
#undef WT_X_CLASS
	};
	return (wasi_tofu_class)classes[call];
}

/* A host's verdict as the gate's; an unknown value denies. */
static wt_verdict verdict_of(wasi_tofu_verdict v)
{
	switch (v) {
	case WASI_TOFU_VERDICT_ALLOW:
	case WASI_TOFU_VERDICT_ALLOW_ALWAYS: /* a policy keeps no override file */
		return WT_ALLOW;
	case WASI_TOFU_VERDICT_HIDE:
		return WT_HIDE;
	case WASI_TOFU_VERDICT_STOP:
		return WT_STOP;
	case WASI_TOFU_VERDICT_DENY:
	default:
		return WT_DENY;
	}
}

static wt_verdict decide(void *self, const wt_event *ev)
{
	wasi_tofu_run *r = self;
	wasi_tofu_event e = {.seq = ev->seq,
			     .call = wt_wasi_call_name(ev->call),
			     .kind = class_of(ev->call),
			     .fd = ev->fd,
			     .fd_path = ev->fd_path,
			     .path = ev->path,
			     .path2 = ev->path2,
			     .rights = ev->rights,
			     .size = ev->size,
			     .stdio = ev->stdio};
	wt_verdict v = verdict_of(r->callback(&e, r->userdata));

	if (v == WT_STOP)
		r->callback_stopped = 1;
	return v;
}

wt_policy wt_lib_callback_policy(wasi_tofu_run *r)
{
	return (wt_policy){.decide = decide, .self = r};
}

void wt_lib_drop_policy(wasi_tofu_run *r)
{
	wt_lib_manifest_free(r, r->manifest), free(r->manifest_path), free(r->journal_path);
	r->manifest = NULL, r->manifest_path = NULL, r->manifest_is_file = 0;
	r->callback = NULL, r->userdata = NULL;
	r->ask = NULL, r->ask_data = NULL;
	r->journal_path = NULL;
	wt_lib_manifest_free(r, r->override), free(r->override_path);
	r->override = NULL, r->override_path = NULL, r->use = 0;
	wt_lib_project_free(r->project);
	r->project = NULL;
}

int wasi_tofu_run_policy(wasi_tofu_run *r, wasi_tofu_policy_fn callback, void *userdata)
{
	WT_API_CHECK(r != NULL);
	wt_lib_drop_policy(r);
	r->callback = callback, r->userdata = userdata;
	return WASI_TOFU_OK;
}

/* A host's answer as the settler's; an unknown value denies. */
static wt_answer answer_of(wasi_tofu_verdict v)
{
	switch (v) {
	case WASI_TOFU_VERDICT_ALLOW:
		return WT_ANSWER_ALLOW_ONCE;
	case WASI_TOFU_VERDICT_ALLOW_ALWAYS:
		return WT_ANSWER_ALLOW_ALWAYS;
	case WASI_TOFU_VERDICT_HIDE:
		return WT_ANSWER_HIDE;
	case WASI_TOFU_VERDICT_STOP:
		return WT_ANSWER_STOP;
	case WASI_TOFU_VERDICT_DENY:
	default:
		return WT_ANSWER_DENY;
	}
}

/* The devask's question (manifest/devask.h) as the host's. */
static wt_answer ask(void *ctx, const wt_devreq *req, const char *fix, const char *always)
{
	wasi_tofu_run *r = ctx;
	wasi_tofu_question q = {.call = wt_wasi_call_name(req->call),
				.path = req->path,
				.path2 = req->path2,
				.rights = req->rights,
				.what = req->what,
				.fix = fix,
				.host_path = req->host_path,
				.always = always};

	return answer_of(r->ask(&q, r->ask_data));
}

void wt_lib_ask_settle(wasi_tofu_run *r, wt_devask *d)
{
	if (!r->ask)
		return;
	d->mode = WT_ON_DEV_PROMPT;
	d->ask = ask, d->ask_ctx = r;
	d->override_path = r->override_path; /* where an allow-always grant goes, or NULL */
}

int wasi_tofu_run_ask(wasi_tofu_run *r, wasi_tofu_ask_fn callback, void *userdata)
{
	WT_API_CHECK(r != NULL);
	if (!r->manifest)
		return WASI_TOFU_EUSAGE;
	r->ask = callback, r->ask_data = userdata;
	return WASI_TOFU_OK;
}
