/* project_find.c: finds the project like git finds a repository, loads it, maps module paths,
 * hashes modules, saves the project file, builds a module's ceiling. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "optable.h"
#include "enforce.h"
#include "merge.h"
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

static char *join(const char *a, const char *b)
{
	char *out;

	if (asprintf(&out, "%s%s%s", a, strcmp(a, "/") ? "/" : "", b) < 0)
		return NULL;
	return out;
}

/* path with its folder made canonical (the file itself need not exist). */
static char *real_file(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	char *real = dir ? realpath(dir, NULL) : NULL, *out = NULL;

	if (real && *(slash ? slash + 1 : path))
		out = join(real, slash ? slash + 1 : path);
	free(dir);
	free(real);
	return out;
}

char *wt_cmd_project_locate(const char *file)
{
	char cwd[PATH_MAX], *candidate;

	if (file)
		return real_file(file);
	if (!getcwd(cwd, sizeof cwd))
		return NULL;
	for (;;) {
		char *slash = strrchr(cwd, '/');

		if (!(candidate = join(cwd, WT_PROJECT_FILE)))
			return NULL;
		if (access(candidate, F_OK) == 0)
			return candidate;
		free(candidate);
		if (!slash || (slash == cwd && !cwd[1]))
			return NULL;
		slash[slash == cwd] = '\0'; /* up one folder ("/" stays) */
	}
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
	const char *slash;

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
	slash = strrchr(out->file, '/');
	if (!(out->root = strndup(out->file, slash == out->file ? 1 : (size_t)(slash - out->file))))
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
	char *real = real_file(path), *out = NULL;
	size_t n = strlen(cp->root);

	if (strcmp(cp->root, "/") == 0)
		n = 0;
	if (real && strncmp(real, cp->root, n) == 0 && real[n] == '/')
		out = strdup(real + n + 1);
	free(real);
	return out;
}

char *wt_cmd_project_abs(const wt_cmd_project *cp, const char *rel)
{
	return join(cp->root, rel);
}

char *wt_cmd_project_manifest(const wt_cmd_project *cp, const wt_pmodule *m)
{
	char *out;

	if (asprintf(&out, "%s/%s/%s", cp->root, cp->p->manifests, m->manifest) < 0)
		return NULL;
	return out;
}

int wt_cmd_project_hash(const char *path, char hex[65])
{
	uint8_t digest[WT_SHA256_SIZE];
	uint64_t size;
	wt_error err;

	wt_error_init(&err);
	if (wt_sha256_file(path, digest, &size, &err))
		return wt_status_exit(err.code);
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

static int load_ceiling(const wt_cmd_project *cp, const char *rel, wt_manifest **out)
{
	char *path = wt_cmd_project_abs(cp, rel);
	int rc;

	if (!path)
		return EXIT_NOMEM;
	rc = wt_cmd_manifest_load_ceiling(path, out);
	free(path);
	return rc;
}

int wt_cmd_project_ceiling(const wt_cmd_project *cp, const wt_pmodule *m, wt_manifest **out,
			   char **name)
{
	wt_manifest *all = NULL, *own = NULL;
	wt_error err;
	int rc = 0;

	*out = NULL, *name = NULL;
	if (cp->p->ceiling && (rc = load_ceiling(cp, cp->p->ceiling, &all)))
		goto done;
	if (m && m->ceiling && (rc = load_ceiling(cp, m->ceiling, &own)))
		goto done;
	if (asprintf(name, "%s%s%s", all ? cp->p->ceiling : "", all && own ? " + " : "",
		     own ? m->ceiling : "") < 0) {
		*name = NULL;
		rc = EXIT_NOMEM;
		goto done;
	}
	wt_error_init(&err);
	if (all && own && wt_manifest_merge(all, own, out, &err))
		rc = wt_status_exit(err.code);
	else if (!(all && own))
		*out = all ? all : own, all = own = NULL;
done:
	wt_manifest_free(all);
	wt_manifest_free(own);
	return rc;
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
