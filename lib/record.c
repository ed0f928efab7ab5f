/* record.c: wasi_tofu_run_record: the CLI's record mode (profiler/record.h) for a library run:
 * every call allowed and written to the journal `wasi-tofu generate` reads. */
#include <stdlib.h>
#include <string.h>

#include "lib_impl.h"
#include "record.h"

int wasi_tofu_run_record(wasi_tofu_run *r, const char *journal_path, uint64_t max_bytes)
{
	char *copy;

	if (!journal_path || !journal_path[0])
		return WASI_TOFU_EUSAGE;
	if (!(copy = strdup(journal_path)))
		return WASI_TOFU_EINTERNAL;
	wt_lib_drop_policy(r);
	r->journal_path = copy;
	r->journal_max = max_bytes ? max_bytes : WT_JOURNAL_MAX_DEFAULT;
	return WASI_TOFU_OK;
}

int wt_lib_record_run(wasi_tofu_run *r, wt_run_config *cfg)
{
	wt_run_hooks hooks = {0};
	wt_record *rec = NULL;
	wt_error err;
	int rc;

	wt_error_init(&err);
	if (wt_record_new(r->journal_path, cfg, &rec, &err)) {
		r->outcome = WASI_TOFU_FAILED;
		wt_error_format(&err, NULL, r->message, sizeof r->message);
		return wt_status_exit(err.code);
	}
	wt_record_set_journal_max(rec, r->journal_max);
	hooks.ctx = rec;
	hooks.module_read = wt_record_module_read;
	hooks.store = wt_record_store;
	cfg->hooks = &hooks;
	cfg->wasi.policy = wt_record_policy(rec);
	wt_run(cfg, &r->res);
	rc = wt_record_finish(rec, &r->res, 0, &err);
	r->capped = rc == 0 && wt_record_capped(rec);
	wt_record_free(rec);
	cfg->hooks = NULL;
	if (rc == 0)
		return WASI_TOFU_OK;
	r->outcome = WASI_TOFU_FAILED;
	wt_error_format(&err, r->journal_path, r->message, sizeof r->message);
	return wt_status_exit(err.code);
}
