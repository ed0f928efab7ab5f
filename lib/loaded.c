/* loaded.c: the policy files the CLI loaded and checked (lib_cli.h, wt_lib_loaded), taken by the
 * run as they are instead of being read again: a file that changes between two reads cannot
 * make the run enforce another policy than the one the CLI checked. */
#include <stdlib.h>
#include <string.h>

#include "lib_cli.h"
#include "lib_impl.h"
#include "project.h"

static const wt_lib_loaded *loaded_of(const wasi_tofu_run *r)
{
	return r->engine ? r->engine->loaded : NULL;
}

const wt_manifest *wt_lib_loaded_find(const wt_lib_loaded *l, const char *path)
{
	if (!l || !l->manifest || !l->manifest_path || strcmp(l->manifest_path, path) != 0)
		return NULL;
	return l->manifest;
}

int wt_lib_loaded_manifest(const wasi_tofu_run *r, const char *path, wt_manifest **m)
{
	const wt_manifest *lent = wt_lib_loaded_find(loaded_of(r), path);

	if (!lent)
		return 0;
	*m = (wt_manifest *)lent;
	return 1;
}

int wt_lib_loaded_override(const wasi_tofu_run *r, wt_manifest **override, char **path)
{
	const wt_lib_loaded *l = loaded_of(r);

	if (!l || !l->manifest || r->manifest != l->manifest || !l->override_path)
		return 0;
	if (!(*path = strdup(l->override_path)))
		return -1;
	*override = (wt_manifest *)l->override; /* NULL: there was none, and none is read now */
	return 1;
}

int wt_lib_loaded_ceiling(const wasi_tofu_run *r, const char *path, wt_manifest **c)
{
	const wt_lib_loaded *l = loaded_of(r);

	if (!l || !l->ceiling || !l->ceiling_path || strcmp(l->ceiling_path, path) != 0)
		return 0;
	*c = (wt_manifest *)l->ceiling;
	return 1;
}

const wt_project *wt_lib_loaded_project(const wasi_tofu_run *r, const char *path)
{
	const wt_lib_loaded *l = loaded_of(r);

	if (!l || !l->project || !l->project_path || strcmp(l->project_path, path) != 0)
		return NULL;
	return l->project;
}

int wt_lib_loaded_project_ceiling(const wasi_tofu_run *r, wt_lib_project *p)
{
	const wt_lib_loaded *l = loaded_of(r);

	p->lent = 1;
	p->ceiling = (wt_manifest *)l->project_ceiling;
	if (l->project_ceiling_name && !(p->ceiling_name = strdup(l->project_ceiling_name)))
		return -1;
	return 0;
}

void wt_lib_manifest_free(const wasi_tofu_run *r, wt_manifest *m)
{
	const wt_lib_loaded *l = loaded_of(r);

	if (m && l && (m == l->manifest || m == l->override || m == l->ceiling))
		return; /* the CLI's */
	wt_manifest_free(m);
}
