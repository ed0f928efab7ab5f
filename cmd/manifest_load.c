/* manifest_load.c: loads manifests for the subcommands; errors and warnings go to stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "manifest.h"
#include "override.h"

enum { EXIT_NOMEM = 70 };

static void warn_cb(void *ctx, unsigned line, unsigned column, const char *text)
{
	wt_escape_fprintf(stderr, "wasi-tofu: %s:%u:%u: warning: %s\n", (const char *)ctx, line,
			  column, text);
}

/* Loads one manifest of kind; the error (FILE:LINE:COL) goes to stderr after "wasi-tofu: "
 * and who, the warnings too when warn is set. Returns 0 or the exit status. */
static int load(const char *who, wt_manifest_kind kind, const char *path, int warn,
		wt_manifest **out)
{
	wt_error err;
	char buf[1024];

	wt_error_init(&err);
	if (wt_manifest_load_file_kind(kind, path, out, warn ? warn_cb : NULL, (void *)path,
				       &err) == 0)
		return 0;
	wt_error_format(&err, path, buf, sizeof buf);
	wt_escape_fprintf(stderr, "wasi-tofu: %s%s\n", who, buf);
	return wt_status_exit(err.code);
}

int wt_cmd_manifest_load_one(const char *who, const char *path, wt_manifest **m)
{
	return load(who, WT_MANIFEST_FULL, path, 0, m);
}

int wt_cmd_manifest_load_ceiling(const char *path, wt_manifest **m)
{
	return load("", WT_MANIFEST_CEILING, path, 1, m);
}

int wt_cmd_manifest_load(const char *path, const char *ceiling_path, wt_manifest **m,
			 wt_manifest **override, wt_manifest **ceiling)
{
	char *opath = wt_override_path(path); /* where the prompt's [a] writes */
	int rc;

	*m = *override = *ceiling = NULL;
	if (!opath)
		return EXIT_NOMEM;
	if ((rc = load("", WT_MANIFEST_FULL, path, 1, m)) == 0 && access(opath, F_OK) == 0)
		rc = load("", WT_MANIFEST_OVERRIDE, opath, 1, override);
	if (rc == 0 && ceiling_path)
		rc = load("", WT_MANIFEST_CEILING, ceiling_path, 1, ceiling);
	free(opath);
	return rc;
}
