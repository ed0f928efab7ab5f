/* record.c: wasi_tofu_run_record: the CLI's record mode (profiler/record.h) for a library run:
 * every call allowed and written to the journal `wasi-tofu generate` reads. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lib_cli.h"
#include "lib_impl.h"
#include "record.h"

int wasi_tofu_run_record(wasi_tofu_run *r, const char *journal_path, uint64_t max_bytes)
{
	char *copy;

	WT_API_CHECK(r != NULL);
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
	const wt_lib_engine *e = r->engine;

	wt_error_init(&r->rec_err);
	r->rec_rc = 0;
	if (wt_record_new(r->journal_path, cfg, &r->rec, &r->rec_err)) {
		r->outcome = WASI_TOFU_FAILED;
		wt_error_format(&r->rec_err, NULL, r->message, sizeof r->message);
		return wt_status_exit(r->rec_err.code);
	}
	wt_record_set_journal_max(r->rec, r->journal_max);
	cfg->wasi.policy = wt_record_policy(r->rec);
	wt_run(cfg, &r->res);
	r->rec_rc = wt_record_finish(r->rec, &r->res, e && e->signo ? *e->signo : 0, &r->rec_err);
	r->capped = r->rec_rc == 0 && wt_record_capped(r->rec);
	if (r->rec_rc == 0)
		return WASI_TOFU_OK;
	r->outcome = WASI_TOFU_FAILED;
	wt_error_format(&r->rec_err, r->journal_path, r->message, sizeof r->message);
	return wt_status_exit(r->rec_err.code);
}

int wt_lib_record_read(wasi_tofu_run *r, const char *path, const uint8_t *bytes, size_t size,
		       const uint8_t sha256[32], wt_error *err)
{
	const char *name = r->engine ? r->engine->journal_module : NULL;

	return wt_record_module_read(r->rec, name ? name : path, bytes, size, sha256, err);
}

struct wt_record *wt_lib_run_recorder(const wasi_tofu_run *r, int *rc, const wt_error **err)
{
	*rc = r->rec_rc;
	*err = &r->rec_err;
	return r->rec;
}
