/* project.c: wasi_tofu_run_project: a module of a project (wasi-tofu.yaml, docs/project.md) run
 * as `wasi-tofu run MODULE` runs it inside the project: its entry found, its sha256 pin checked
 * (a module that is new or changed is refused), its manifest enforced within the project's and
 * the module's ceilings, the project's files out of its reach (manifest/project_find.c, shared
 * with the CLI). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib_impl.h"
#include "project.h"

void wt_lib_project_free(wt_lib_project *p)
{
	if (!p)
		return;
	free(p->file), free(p->manifests), free(p->rel);
	free(p->ceilings[0]), free(p->ceilings[1]);
	if (!p->lent)
		wt_manifest_free(p->ceiling);
	free(p->ceiling_name);
	free(p);
}

/* The project file of SPEC: SPEC/wasi-tofu.yaml for a folder, else SPEC; absolute. */
static char *project_file(const char *spec)
{
	struct stat st;
	char *joined, *out;

	if (stat(spec, &st) != 0 || !S_ISDIR(st.st_mode))
		return wt_project_locate(spec);
	if (asprintf(&joined, "%s/%s", spec, WT_PROJECT_FILE) < 0)
		return NULL;
	out = wt_project_locate(joined);
	free(joined);
	return out;
}

/* The module's sha256: of the run's bytes, else of the file MODULE. */
static int module_hash(wasi_tofu_run *r, const char *module, char hex[WT_SHA256_HEX])
{
	wt_error err;

	if (r->bytes) { /* hashed once, when it was given */
		memcpy(hex, r->sha256, WT_SHA256_HEX);
		return WASI_TOFU_OK;
	}
	wt_error_init(&err);
	if (wt_project_hash(module, hex, &err) == 0)
		return WASI_TOFU_OK;
	wt_error_format(&err, module, r->message, sizeof r->message);
	return wt_status_exit(err.code);
}

/* p's paths, pin and ceilings for the trusted module m of proj. */
static int module_paths(wasi_tofu_run *r, wt_lib_project *p, const char *root,
			const wt_project *proj, const wt_pmodule *m)
{
	char *failed = NULL;
	wt_error err;

	memcpy(p->pin, m->sha256, sizeof p->pin);
	if (!(p->manifests = wt_project_abs(root, proj->manifests)) ||
	    (proj->ceiling && !(p->ceilings[0] = wt_project_abs(root, proj->ceiling))) ||
	    (m->ceiling && !(p->ceilings[1] = wt_project_abs(root, m->ceiling))))
		return WASI_TOFU_EINTERNAL;
	if (wt_lib_loaded_project(r, p->file)) /* the CLI's, from the same project file */
		return wt_lib_loaded_project_ceiling(r, p) ? WASI_TOFU_EINTERNAL : WASI_TOFU_OK;
	wt_error_init(&err);
	if (wt_project_ceiling(root, proj, m, &p->ceiling, &p->ceiling_name, NULL, &failed, &err) ==
	    0)
		return WASI_TOFU_OK;
	wt_error_format(&err, failed, r->message, sizeof r->message);
	free(failed);
	return wt_status_exit(err.code);
}

/* Finds the module in the loaded project proj (root: its folder) and checks its pin; *manifest
 * gets its manifest file. */
static int find_module(wasi_tofu_run *r, wt_lib_project *p, const char *root,
		       const wt_project *proj, const char *module, char **manifest)
{
	char hex[WT_SHA256_HEX];
	const wt_pmodule *m;
	int status;

	if (!(p->rel = wt_project_rel(root, module))) {
		snprintf(r->message, sizeof r->message, "%s is not inside the project %s", module,
			 root);
		return WASI_TOFU_EUSAGE;
	}
	if ((status = module_hash(r, module, hex)))
		return status;
	m = wt_project_find(proj, p->rel);
	if (m && !(*manifest = wt_project_manifest_file(root, proj, m)))
		return WASI_TOFU_EINTERNAL;
	switch (wt_project_trusted(m, *manifest, hex)) {
	case WT_PROJECT_TRUSTED:
		return module_paths(r, p, root, proj, m);
	case WT_PROJECT_CHANGED:
		wt_project_untrusted_format(r->message, sizeof r->message, p->rel, hex, m->sha256);
		return WASI_TOFU_EDEVIATION;
	case WT_PROJECT_NEW:
		break;
	}
	wt_project_untrusted_format(r->message, sizeof r->message, p->rel, hex, NULL);
	return WASI_TOFU_EDEVIATION;
}

/* Loads the project P->file (the CLI's copy when it lent one) and finds the module in it. */
static int open_project(wasi_tofu_run *r, wt_lib_project *p, const char *module, char **manifest)
{
	const wt_project *lent = wt_lib_loaded_project(r, p->file);
	wt_project *proj = NULL;
	char *root = NULL;
	wt_error err;
	int status;

	wt_error_init(&err);
	if (!lent && wt_project_load_file(p->file, &proj, &err)) {
		wt_error_format(&err, p->file, r->message, sizeof r->message);
		return wt_status_exit(err.code);
	}
	status = (root = wt_project_root_of(p->file))
		     ? find_module(r, p, root, lent ? lent : proj, module, manifest)
		     : WASI_TOFU_EINTERNAL;
	free(root);
	wt_project_free(proj); /* the CLI's, when lent, is the CLI's to free */
	return status;
}

int wasi_tofu_run_project(wasi_tofu_run *r, const char *project, const char *module,
			  wasi_tofu_on_deviation mode)
{
	wt_lib_project *p;
	char *manifest = NULL;
	int status;

	if (!project || (!module && r->bytes))
		return WASI_TOFU_EUSAGE;
	if (!(p = calloc(1, sizeof *p)))
		return WASI_TOFU_EINTERNAL;
	r->message[0] = '\0';
	if (!(p->file = project_file(project))) {
		snprintf(r->message, sizeof r->message, "%s: no such project folder or file",
			 project);
		status = WASI_TOFU_ENOINPUT;
	} else {
		status = open_project(r, p, module ? module : r->module_path, &manifest);
	}
	if (status == 0)
		status = wasi_tofu_run_manifest(r, manifest, mode);
	free(manifest);
	if (status) {
		wt_lib_project_free(p);
		return status;
	}
	r->project = p; /* after the manifest: choosing it dropped the policy before */
	return WASI_TOFU_OK;
}

int wt_lib_project_pin(const wasi_tofu_run *r, const char *hex, wt_error *err)
{
	char why[WT_ERROR_PATH_MAX + 256];

	if (!r->project || strcmp(r->project->pin, hex) == 0)
		return 0;
	wt_project_untrusted_format(why, sizeof why, r->project->rel, hex, r->project->pin);
	wt_error_init(err); /* in place of the manifest's pin message */
	return wt_fail_plain(err, WT_DEVIATION, "%s", why);
}

int wt_lib_project_disagree(const wasi_tofu_run *r, const char *hex, wt_error *err)
{
	wt_error_init(err);
	return wt_fail_plain(
	    err, WT_DEVIATION,
	    "%s: its sha256 %s is the project's pin, but %s pins %s: the project "
	    "file and the manifest disagree; not run (see `wasi-tofu verify`, then "
	    "trust the module again)",
	    r->project->rel, hex, r->manifest_path, r->manifest->sha256);
}
