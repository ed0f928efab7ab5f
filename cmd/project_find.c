/* project_find.c: the project commands' side of a project on disk: `--project`, opening the
 * project with messages on stderr, saving it, the ceiling fit; finding, paths, hashes and
 * ceilings are manifest/project_find.c's (shared with the library's project mode). */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "optable.h"
#include "enforce.h"
#include "project_cmd.h"
#include "sha256.h"

enum { EXIT_USAGE = 64, EXIT_NOMEM = 70, EXIT_UNTRUSTED = 77 };

int wt_cmd_project_option(const char *who, int argc, char **argv, const char **file)
{
	int k = 0;

	*file = NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int before_module = i == k && a[0] == '-' && strcmp(a, "--") != 0;

		if (before_module && strncmp(a, "--project=", 10) == 0) {
			*file = a + 10;
			continue;
		}
		if (before_module && strcmp(a, "--project") == 0) {
			if (i + 1 >= argc) {
				wt_escape_fprintf(
				    stderr, "wasi-tofu: %s: missing value for --project\n", who);
				return -1;
			}
			*file = argv[++i];
			continue;
		}
		argv[k++] = argv[i];
		if (before_module && wt_opt_takes_next(a) && i + 1 < argc)
			argv[k++] = argv[++i]; /* the option's value */
	}
	argv[k] = NULL;
	return k;
}

char *wt_cmd_project_locate(const char *file)
{
	return wt_project_locate(file);
}

static int load(wt_cmd_project *cp)
{
	wt_error err;

	wt_error_init(&err);
	if (wt_project_load_file(cp->file, &cp->p, &err) == 0)
		return 0;
	wt_error_print(stderr, cp->who, cp->file, &err);
	return wt_status_exit(err.code);
}

int wt_cmd_project_open(const char *who, const char *file, wt_cmd_project *out)
{
	memset(out, 0, sizeof *out);
	out->who = who;
	if (!(out->file = wt_cmd_project_locate(file))) {
		if (file)
			wt_escape_fprintf(stderr, "wasi-tofu: %s: --project %s: no such folder\n",
					  who, file);
		else
			wt_escape_fprintf(stderr,
					  "wasi-tofu: %s: no project here: no " WT_PROJECT_FILE
					  " in this folder or above it (make one with `wasi-tofu "
					  "init`)\n",
					  who);
		return file ? wt_status_exit(WT_NOINPUT) : 1;
	}
	if (!(out->root = wt_project_root_of(out->file)))
		return EXIT_NOMEM;
	return load(out);
}

void wt_cmd_project_close(wt_cmd_project *cp)
{
	free(cp->file);
	free(cp->root);
	wt_project_free(cp->p);
	memset(cp, 0, sizeof *cp);
}

char *wt_cmd_project_rel(const wt_cmd_project *cp, const char *path)
{
	return wt_project_rel(cp->root, path);
}

char *wt_cmd_project_abs(const wt_cmd_project *cp, const char *rel)
{
	return wt_project_abs(cp->root, rel);
}

char *wt_cmd_project_manifest(const wt_cmd_project *cp, const wt_pmodule *m)
{
	return wt_project_manifest_file(cp->root, cp->p, m);
}

int wt_cmd_project_hash(const char *path, char hex[65])
{
	wt_error err;

	wt_error_init(&err);
	return wt_project_hash(path, hex, &err) ? wt_status_exit(err.code) : 0;
}

/* The largest module a run takes (core/run/run.c: 4 GiB). */
#define MAX_MODULE ((size_t)UINT32_MAX)

int wt_cmd_project_read(const char *path, uint8_t **bytes, size_t *size, uint8_t digest[32],
			char hex[65])
{
	char *text = NULL;
	wt_error err;

	wt_error_init(&err);
	*bytes = NULL, *size = 0;
	if (wt_manifest_read_file(path, MAX_MODULE, &text, size, &err))
		return wt_status_exit(err.code);
	*bytes = (uint8_t *)text;
	wt_sha256((const uint8_t *)text, *size, digest);
	wt_sha256_hex(digest, hex);
	return 0;
}

int wt_cmd_project_save(const wt_cmd_project *cp, wt_keeper *k)
{
	char *text = NULL;
	size_t len = 0;
	wt_error err;
	int rc;

	wt_error_init(&err);
	rc = wt_project_emit(cp->p, &text, &len, &err);
	if (rc == 0)
		rc = wt_keeper_replace(k, cp->file, text, len, &err);
	free(text);
	if (rc == 0)
		return 0;
	wt_error_print(stderr, cp->who, NULL, &err);
	return wt_status_exit(err.code);
}

int wt_cmd_project_ceiling(const wt_cmd_project *cp, const wt_pmodule *m, wt_manifest **out,
			   char **name)
{
	char *failed = NULL;
	wt_error err;

	wt_error_init(&err);
	if (wt_project_ceiling(cp->root, cp->p, m, out, name, wt_cmd_manifest_warn, &failed,
			       &err) == 0)
		return 0;
	if (failed)
		wt_error_print(stderr, NULL, failed, &err);
	free(failed);
	return wt_status_exit(err.code);
}

int wt_cmd_project_fits(const wt_manifest *manifest, const wt_manifest *override,
			const char *manifest_name, const wt_manifest *ceiling,
			const char *ceiling_name, int argc, char *const *argv, char *msg,
			size_t size)
{
	wt_enforce_config cfg = {.manifest = manifest,
				 .override = override,
				 .ceiling = ceiling,
				 .manifest_name = manifest_name,
				 .ceiling_name = ceiling_name,
				 .argc = argc,
				 .argv = (const char *const *)argv,
				 .cwd = wt_manifest_cwd(manifest)};
	wt_error err;

	if (!ceiling)
		return 0;
	wt_error_init(&err);
	if (wt_enforce_check_ceiling(&cfg, &err) == 0)
		return 0;
	snprintf(msg, size, "%s", err.msg);
	return err.code == WT_DEVIATION ? EXIT_UNTRUSTED : wt_status_exit(err.code);
}
