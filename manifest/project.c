/* project.c: the project model: new, free, find a module, add one with its manifest's name. */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "project.h"

wt_project *wt_project_new(void)
{
	wt_project *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	wt_arena_init(&p->arena);
	p->version = 1;
	p->manifests = WT_PROJECT_MANIFESTS;
	return p;
}

void wt_project_free(wt_project *p)
{
	if (!p)
		return;
	wt_arena_fini(&p->arena);
	free(p);
}

wt_pmodule *wt_project_find(const wt_project *p, const char *path)
{
	for (size_t i = 0; i < p->nmodules; i++) {
		if (strcmp(p->modules[i].path, path) == 0)
			return &p->modules[i];
	}
	return NULL;
}

static int manifest_taken(const wt_project *p, const char *name)
{
	for (size_t i = 0; i < p->nmodules; i++) {
		if (p->modules[i].manifest && strcmp(p->modules[i].manifest, name) == 0)
			return 1;
	}
	return 0;
}

const char *wt_project_manifest_name(wt_project *p, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;
	char *out;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".wasm") == 0)
		n -= 5;
	if (!(out = wt_arena_calloc(&p->arena, strlen(path) + 6, 1)))
		return NULL;
	memcpy(out, base, n);
	strcpy(out + n, ".yaml");
	if (!manifest_taken(p, out))
		return out;
	n = strlen(path); /* the whole path, '/' as '-' */
	if (n > 5 && strcmp(path + n - 5, ".wasm") == 0)
		n -= 5;
	for (size_t i = 0; i < n; i++)
		out[i] = path[i] == '/' ? '-' : path[i];
	strcpy(out + n, ".yaml");
	return out;
}

wt_pmodule *wt_project_add(wt_project *p, const char *path)
{
	const char *why;
	wt_pmodule *m;

	if (wt_project_path_check(path, &why))
		return NULL;
	if (p->nmodules == p->cap) {
		size_t cap = wt_grow_cap(p->cap, p->nmodules + 1, sizeof *p->modules, 8, SIZE_MAX);
		wt_pmodule *grown = cap ? wt_arena_calloc(&p->arena, cap, sizeof *grown) : NULL;

		if (!grown)
			return NULL;
		if (p->nmodules)
			memcpy(grown, p->modules, p->nmodules * sizeof *grown);
		p->modules = grown, p->cap = cap;
	}
	m = &p->modules[p->nmodules];
	memset(m, 0, sizeof *m);
	if (!(m->path = wt_arena_strndup(&p->arena, path, strlen(path))) ||
	    !(m->manifest = wt_project_manifest_name(p, path)))
		return NULL;
	p->nmodules++;
	return m;
}
