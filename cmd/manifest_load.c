/* manifest_load.c: loads manifests for the subcommands; errors and warnings go to stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "manifest.h"

enum { EXIT_NOMEM = 70 };

static void warn_cb(void *ctx, unsigned line, unsigned column, const char *text)
{
	fprintf(stderr, "wasi-tofu: %s:%u:%u: warning: %s\n", (const char *)ctx, line, column,
		text);
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
	fprintf(stderr, "wasi-tofu: %s%s\n", who, buf);
	return wt_status_exit(err.code);
}

int wt_cmd_manifest_load_one(const char *who, const char *path, wt_manifest **m)
{
	return load(who, WT_MANIFEST_FULL, path, 0, m);
}

/* NAME.override.yaml beside the manifest: NAME is its file name without
 * .yaml/.yml and then without .manifest (build.manifest.yaml ->
 * build.override.yaml), as the prompt's "allow always" writes it. */
static char *override_path(const char *manifest)
{
	size_t n = strlen(manifest);
	char *out = malloc(n + 16);

	if (!out)
		return NULL;
	if (n > 5 && strcmp(manifest + n - 5, ".yaml") == 0)
		n -= 5;
	else if (n > 4 && strcmp(manifest + n - 4, ".yml") == 0)
		n -= 4;
	if (n > 9 && strncmp(manifest + n - 9, ".manifest", 9) == 0)
		n -= 9;
	memcpy(out, manifest, n);
	strcpy(out + n, ".override.yaml");
	return out;
}

int wt_cmd_manifest_load(const char *path, const char *ceiling_path, wt_manifest **m,
			 wt_manifest **override, wt_manifest **ceiling)
{
	char *opath = override_path(path);
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
