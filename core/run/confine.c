/* confine.c: enters self-confinement: Landlock, then seccomp; a layer the kernel lacks warns. */
#include <stdio.h>

#include "confine_impl.h"
#include "escape.h"

/* A layer the kernel lacks: a warning, or with cfg->require an error. */
static int missing(const wt_confine_config *cfg, const char *layer, const char *why, wt_error *err)
{
	if (cfg->require)
		return wt_fail_plain(err, WT_INTERNAL,
				     "self-confinement: %s: %s (--require-self-confine)", layer,
				     why);
	if (cfg->warnings)
		wt_escape_fprintf(
		    cfg->warnings,
		    "wasi-tofu: warning: self-confinement: %s: %s; the run goes on without "
		    "it (--no-self-confine silences this)\n",
		    layer, why);
	return 0;
}

int wt_confine_enter(const wt_confine_config *cfg, const wt_wasi *w, wt_error *err)
{
	char why[160] = "";
	int rc;

	if (cfg->layers & WT_CONFINE_LANDLOCK) {
		if ((rc = wt_confine_landlock(cfg, w, why, sizeof why, err)))
			return rc;
		if (why[0] && (rc = missing(cfg, "Landlock", why, err)))
			return rc;
	}
	if (cfg->layers & WT_CONFINE_SECCOMP) {
		why[0] = '\0';
		if ((rc = wt_confine_seccomp(why, sizeof why, err)))
			return rc;
		if (why[0] && (rc = missing(cfg, "seccomp", why, err)))
			return rc;
	}
	if (cfg->confined)
		cfg->confined(cfg->ctx);
	return 0;
}
