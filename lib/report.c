/* report.c: wasi_tofu_run_report: the deviations report of `run --report` (version 3 JSON,
 * manifest/deviations_report.c, shared with the CLI) as a string the run owns. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "deviations.h"
#include "lib_impl.h"

int wt_lib_report_begin(wasi_tofu_run *r)
{
	wt_lib_report_fini(r);
	r->devask = (wt_devask){.mode = r->mode, .log = wt_devlog_new()};
	wt_lib_ask_settle(r, &r->devask);
	return r->devask.log ? WASI_TOFU_OK : WASI_TOFU_EINTERNAL;
}

void wt_lib_report_end(wasi_tofu_run *r, int status)
{
	const char *slash = strrchr(r->module_path, '/');
	char trap[sizeof r->res.trap.msg + 128];
	wt_devreport_run run = {.module = r->project ? r->project->rel
					  : slash    ? slash + 1
						     : r->module_path,
				.manifest = r->manifest_path,
				.override = r->override_path,
				.status = status,
				.sha256 = r->sha256[0] ? r->sha256 : NULL,
				.pin = r->manifest->sha256[0] ? r->manifest->sha256 : NULL};

	if (!r->devask.log || !r->enforce)
		return;
	wt_devreport_outcome(&run, &r->res, wt_enforce_stopped(r->enforce), r->changed, trap,
			     sizeof trap);
	r->report = wt_devlog_report_text(r->devask.log, &run);
}

void wt_lib_report_fini(wasi_tofu_run *r)
{
	wt_devlog_free(r->devask.log);
	r->devask.log = NULL;
	free(r->report);
	r->report = NULL;
}

const char *wasi_tofu_run_report(const wasi_tofu_run *r)
{
	WT_API_CHECK(r != NULL);
	return r->report;
}
