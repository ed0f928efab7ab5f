/* lib_cli.h: what the CLI gives a library run beyond the public API (never installed): the
 * engine settings an embedding host has no business with (self-confinement, the import trace
 * of the tests, more protected files, a contained run, its own hooks), and the engine's view
 * of the result, so that its messages stay its own. */
#ifndef WT_LIB_CLI_H
#define WT_LIB_CLI_H

#include <signal.h>

#include "run.h"
#include "wasi-tofu/wasi-tofu.h"

typedef struct wt_lib_engine {
	const wt_confine_config *confine; /* NULL: none */
	int trace_imports, trace_fd;	  /* wt_wasi_config's */
	const char *const *protect;	  /* more of the policy's files */
	int nprotect;
	struct wt_contain *contain; /* a contained run (record --contain), or NULL */
	wt_tier tier;		    /* --tier (run.h's wt_run_config.tier) */
	int no_cache;		    /* --no-cache (run.h's wt_run_config.no_cache) */
	/* Called after the run's own hooks (record's, the pin's), or NULL. */
	const wt_run_hooks *hooks;
	/* Record mode: how the journal names the module (NULL: as given), and the signal that
	 * stopped the run (read after it; 0: none), for the journal's end line. */
	const char *journal_module;
	const volatile sig_atomic_t *signo;
	/* The CLI's own policy (run --manifest: its manifest policy with the terminal's
	 * questions), used when the run has none of the API's; NULL: none. */
	wt_policy *policy;
} wt_lib_engine;

/* Gives r the engine settings E (borrowed until r is freed or this is called again; NULL:
 * none). */
void wt_lib_run_engine(wasi_tofu_run *r, const wt_lib_engine *e);

/* The engine's result of r's last run. */
const wt_run_result *wt_lib_run_result(const wasi_tofu_run *r);

/* Record mode: the last run's recorder (NULL when none was made), valid until the next run
 * or free; *rc and *err are wt_record_finish's. */
struct wt_record *wt_lib_run_recorder(const wasi_tofu_run *r, int *rc, const wt_error **err);

#endif
