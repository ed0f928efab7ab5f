/* manifest_load.c: loads manifests for the subcommands; errors and warnings go to stderr. */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "manifest.h"
#include "settings.h"

void wt_cmd_manifest_warn(void *ctx, unsigned line, unsigned column, const char *text)
{
	wt_escape_fprintf(stderr, "wasi-tofu: %s:%u:%u: warning: %s\n", (const char *)ctx, line,
			  column, text);
}

int wt_cmd_manifest_load_one(const char *who, const char *path, wt_manifest **m)
{
	wt_error err;

	wt_error_init(&err);
	if (wt_manifest_load_file(path, m, NULL, NULL, &err) == 0)
		return 0;
	wt_error_print(stderr, who, path, &err);
	return wt_status_exit(err.code);
}

static void warn_file(void *ctx, const char *file, unsigned line, unsigned column, const char *text)
{
	wt_cmd_manifest_warn((void *)file, line, column, text);
}

int wt_cmd_manifest_load(const char *who, const char *path, const char *ceiling_path,
			 wt_manifest **m, wt_manifest **override, wt_manifest **ceiling)
{
	char *opath = NULL;
	const char *failed;
	wt_error err;
	int rc;

	wt_error_init(&err);
	rc = wt_settings_load(path, ceiling_path, m, override, ceiling, &opath, warn_file, NULL,
			      &failed, &err);
	if (rc && failed)
		wt_error_print(stderr, who, failed, &err);
	free(opath);
	return rc ? wt_status_exit(rc) : 0;
}
