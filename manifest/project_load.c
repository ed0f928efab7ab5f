/* project_load.c: project file YAML -> wt_project (libyaml's document API); errors with
 * line:column. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "project.h"
#include "yaml_doc.h"

enum { PROJECT_FILE_MAX = 64 << 20, PROJECT_PATH_MAX = 4095 };

typedef struct ploader {
	yaml_document_t *doc;
	wt_project *p;
	wt_error *err;
} ploader;

static unsigned line_of(const yaml_node_t *n)
{
	return (unsigned)n->start_mark.line + 1;
}

static unsigned col_of(const yaml_node_t *n)
{
	return (unsigned)n->start_mark.column + 1;
}

#define FAIL_AT(L, n, ...) wt_fail_at((L)->err, WT_MALFORMED, line_of(n), col_of(n), __VA_ARGS__)

static yaml_node_t *node(ploader *L, int id)
{
	return yaml_document_get_node(L->doc, id);
}

static int want(ploader *L, const yaml_node_t *n, yaml_node_type_t type, const char *what)
{
	static const char *const names[] = {"nothing", "a scalar", "a sequence", "a mapping"};

	if (n->type == type)
		return 0;
	return FAIL_AT(L, n, "%s: expected %s, got %s", what, names[type],
		       names[n->type <= YAML_MAPPING_NODE ? n->type : 0]);
}

static int want_string(ploader *L, const yaml_node_t *n, const char *what, const char **out)
{
	const char *s;

	if (want(L, n, YAML_SCALAR_NODE, what))
		return WT_MALFORMED;
	s = (const char *)n->data.scalar.value;
	if (strlen(s) != n->data.scalar.length || n->data.scalar.length == 0)
		return FAIL_AT(L, n, "%s: expected a non-empty string without NUL", what);
	*out = wt_arena_strndup(&L->p->arena, s, n->data.scalar.length);
	return *out ? 0 : wt_fail_plain(L->err, WT_NOMEM, "out of memory");
}

int wt_project_path_check(const char *path, const char **why)
{
	size_t len = strlen(path);

	if (len == 0 || len > PROJECT_PATH_MAX)
		return *why = "empty or longer than 4095 bytes", -1;
	if (path[0] == '/')
		return *why = "an absolute path: it must be relative to the project's root", -1;
	for (const char *c = path; *c;) {
		size_t n = strcspn(c, "/");

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return *why = "a `..` component leaves the project", -1;
		if (n == 0 || (n == 1 && c[0] == '.'))
			return *why = "an empty or `.` component: write the path plainly", -1;
		c += n + (c[n] == '/');
		if (c[-1] == '/' && !*c)
			return *why = "a trailing '/'", -1;
	}
	return 0;
}

/* A project-relative path (what says which key). */
static int want_path(ploader *L, const yaml_node_t *n, const char *what, const char **out)
{
	const char *why;

	if (want_string(L, n, what, out))
		return WT_MALFORMED;
	if (wt_project_path_check(*out, &why))
		return FAIL_AT(L, n, "%s '%s': %s", what, *out, why);
	return 0;
}

static int want_sha256(ploader *L, const yaml_node_t *n, char out[65])
{
	const char *s;

	if (want_string(L, n, "sha256", &s))
		return WT_MALFORMED;
	if (strlen(s) != 64 || strspn(s, "0123456789abcdef") != 64)
		return FAIL_AT(L, n, "sha256: expected 64 lowercase hex digits");
	memcpy(out, s, 65);
	return 0;
}

static int is_key(const yaml_node_t *k, const char *name)
{
	return k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, name) == 0;
}

static int module_key(ploader *L, const yaml_node_t *k, const yaml_node_t *v, wt_pmodule *m)
{
	if (is_key(k, "path"))
		return want_path(L, v, "path", &m->path);
	if (is_key(k, "manifest"))
		return want_path(L, v, "manifest", &m->manifest);
	if (is_key(k, "sha256"))
		return want_sha256(L, v, m->sha256);
	if (is_key(k, "ceiling"))
		return want_path(L, v, "ceiling", &m->ceiling);
	if (k->type != YAML_SCALAR_NODE)
		return FAIL_AT(L, k, "modules: a key must be a scalar");
	return FAIL_AT(L, k, "modules: unknown key '%s' (path, manifest, sha256, ceiling)",
		       (const char *)k->data.scalar.value);
}

/* The entry of m's path or manifest listed before m, or NULL. */
static const wt_pmodule *clash(const wt_project *p, const wt_pmodule *m, int manifest)
{
	for (const wt_pmodule *o = p->modules; o < m; o++) {
		if (strcmp(manifest ? o->manifest : o->path, manifest ? m->manifest : m->path) == 0)
			return o;
	}
	return NULL;
}

static int check_module(ploader *L, const yaml_node_t *n, wt_pmodule *m)
{
	const wt_pmodule *o;

	if (!m->path)
		return FAIL_AT(L, n, "modules: an entry without path");
	if ((o = clash(L->p, m, 0)))
		return FAIL_AT(L, n, "modules: %s is listed twice (line %u)", m->path, o->loc.line);
	if (!m->manifest && !(m->manifest = wt_project_manifest_name(L->p, m->path)))
		return wt_fail_plain(L->err, WT_NOMEM, "out of memory");
	if ((o = clash(L->p, m, 1)))
		return FAIL_AT(L, n, "modules: %s and %s (line %u) share the manifest %s: one each",
			       m->path, o->path, o->loc.line, m->manifest);
	return 0;
}

static int load_module(ploader *L, const yaml_node_t *n, wt_pmodule *m)
{
	if (want(L, n, YAML_MAPPING_NODE, "modules: entry"))
		return WT_MALFORMED;
	m->loc.line = line_of(n), m->loc.column = col_of(n);
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		if (module_key(L, node(L, pr->key), node(L, pr->value), m))
			return WT_MALFORMED;
	}
	return check_module(L, n, m);
}

static int load_modules(ploader *L, const yaml_node_t *v)
{
	size_t n;

	if (want(L, v, YAML_SEQUENCE_NODE, "modules"))
		return WT_MALFORMED;
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n && !(L->p->modules = wt_arena_calloc(&L->p->arena, n, sizeof *L->p->modules)))
		return wt_fail_plain(L->err, WT_NOMEM, "out of memory");
	L->p->cap = n;
	for (size_t i = 0; i < n; i++) {
		L->p->nmodules = i; /* the entries before it, for the clash checks */
		if (load_module(L, node(L, v->data.sequence.items.start[i]), &L->p->modules[i]))
			return WT_MALFORMED;
	}
	L->p->nmodules = n;
	return 0;
}

/* `modules:` with nothing after it is an empty list. */
static int load_modules_or_none(ploader *L, const yaml_node_t *v)
{
	if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
		return 0;
	return load_modules(L, v);
}

static int load_version(ploader *L, const yaml_node_t *v)
{
	if (v->type != YAML_SCALAR_NODE || strcmp((const char *)v->data.scalar.value, "1") != 0)
		return FAIL_AT(L, v, "version: expected 1 (this wasi-tofu reads project files v1)");
	L->p->version = 1;
	return 0;
}

static int load_key(ploader *L, const yaml_node_t *k, const yaml_node_t *v, int *has_version)
{
	if (is_key(k, "version"))
		return *has_version = 1, load_version(L, v);
	if (is_key(k, "manifests"))
		return want_path(L, v, "manifests", &L->p->manifests);
	if (is_key(k, "ceiling"))
		return want_path(L, v, "ceiling", &L->p->ceiling);
	if (k->type != YAML_SCALAR_NODE)
		return FAIL_AT(L, k, "a key must be a scalar");
	return FAIL_AT(L, k, "unknown key '%s' (version, manifests, ceiling, modules)",
		       (const char *)k->data.scalar.value);
}

/* Modules come last: the manifest names they default to do not depend on key order. */
static int load_root(ploader *L, const yaml_node_t *root)
{
	const yaml_node_t *mods = NULL;
	int has_version = 0;

	if (want(L, root, YAML_MAPPING_NODE, "the project file"))
		return WT_MALFORMED;
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
	     pr < root->data.mapping.pairs.top; pr++) {
		const yaml_node_t *k = node(L, pr->key), *v = node(L, pr->value);

		if (is_key(k, "modules"))
			mods = v;
		else if (load_key(L, k, v, &has_version))
			return WT_MALFORMED;
	}
	if (!has_version)
		return FAIL_AT(L, root, "no version: key (write `version: 1`)");
	return mods ? load_modules_or_none(L, mods) : 0;
}

int wt_project_load(const char *text, size_t len, wt_project **out, wt_error *err)
{
	yaml_document_t doc;
	ploader L = {.doc = &doc, .err = err};
	yaml_node_t *root;
	int rc;

	*out = NULL;
	if (!(L.p = wt_project_new()))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	if ((rc = wt_manifest_yaml_read(text, len, &doc, err))) {
		wt_project_free(L.p);
		return rc;
	}
	root = yaml_document_get_root_node(&doc);
	rc = root ? load_root(&L, root) : wt_fail_at(err, WT_MALFORMED, 1, 1, "empty project file");
	yaml_document_delete(&doc);
	if (rc) {
		wt_project_free(L.p);
		return rc;
	}
	*out = L.p;
	return 0;
}

int wt_project_load_file(const char *path, wt_project **out, wt_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = wt_manifest_read_file(path, PROJECT_FILE_MAX, &text, &len, err)))
		return rc;
	rc = wt_project_load(text, len, out, err);
	free(text);
	return rc;
}
