/* project_find.c: a project on disk (docs/project.md): finding its file like git finds a
 * repository, mapping host paths to project-relative ones, a module's manifest file and ceiling,
 * and whether the module is trusted. Shared by the CLI's project commands and the library's
 * wasi_tofu_run_project; no message is printed here. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "merge.h"
#include "project.h"
#include "sha256.h"

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

char *wt_project_locate(const char *file)
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

char *wt_project_root_of(const char *file)
{
	const char *slash = strrchr(file, '/');

	return slash ? strndup(file, slash == file ? 1 : (size_t)(slash - file)) : strdup(".");
}

char *wt_project_rel(const char *root, const char *path)
{
	char *real = real_file(path), *out = NULL;
	size_t n = strcmp(root, "/") == 0 ? 0 : strlen(root);

	if (real && strncmp(real, root, n) == 0 && real[n] == '/')
		out = strdup(real + n + 1);
	free(real);
	return out;
}

char *wt_project_abs(const char *root, const char *rel)
{
	return join(root, rel);
}

char *wt_project_manifest_file(const char *root, const wt_project *p, const wt_pmodule *m)
{
	char *out;

	if (asprintf(&out, "%s/%s/%s", root, p->manifests, m->manifest) < 0)
		return NULL;
	return out;
}

int wt_project_hash(const char *path, char hex[65], wt_error *err)
{
	uint8_t digest[WT_SHA256_SIZE];
	uint64_t size;

	if (wt_sha256_file(path, digest, &size, err))
		return err->code;
	wt_sha256_hex(digest, hex);
	return 0;
}

static int load_ceiling(const char *root, const char *rel, wt_manifest **out,
			wt_manifest_warn_fn warn, char **failed, wt_error *err)
{
	char *path = wt_project_abs(root, rel);
	int rc;

	if (!path)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	rc = wt_manifest_load_file_kind(WT_MANIFEST_CEILING, path, out, warn, path, err);
	if (rc)
		*failed = path;
	else
		free(path);
	return rc;
}

int wt_project_ceiling(const char *root, const wt_project *p, const wt_pmodule *m,
		       wt_manifest **out, char **name, wt_manifest_warn_fn warn, char **failed,
		       wt_error *err)
{
	wt_manifest *all = NULL, *own = NULL;
	int rc = 0;

	*out = NULL, *name = NULL, *failed = NULL;
	if (p->ceiling && (rc = load_ceiling(root, p->ceiling, &all, warn, failed, err)))
		goto done;
	if (m && m->ceiling && (rc = load_ceiling(root, m->ceiling, &own, warn, failed, err)))
		goto done;
	if (asprintf(name, "%s%s%s", all ? p->ceiling : "", all && own ? " + " : "",
		     own ? m->ceiling : "") < 0) {
		*name = NULL;
		rc = wt_fail_plain(err, WT_NOMEM, "out of memory");
		goto done;
	}
	if (all && own)
		rc = wt_manifest_merge(all, own, out, err);
	else
		*out = all ? all : own, all = own = NULL;
done:
	wt_manifest_free(all);
	wt_manifest_free(own);
	return rc;
}

wt_project_trust wt_project_trusted(const wt_pmodule *m, const char *manifest_file, const char *hex)
{
	if (!m || !m->sha256[0] || !manifest_file || access(manifest_file, F_OK) != 0)
		return WT_PROJECT_NEW;
	return strcmp(m->sha256, hex) == 0 ? WT_PROJECT_TRUSTED : WT_PROJECT_CHANGED;
}

int wt_project_untrusted_format(char *out, size_t size, const char *rel, const char *hex,
				const char *pin)
{
	if (pin)
		return snprintf(out, size, "%s changed: its sha256 is %s, the project pins %s", rel,
				hex, pin);
	return snprintf(out, size,
			"%s is not trusted in this project (sha256 %s): no manifest says what it "
			"may do",
			rel, hex);
}
