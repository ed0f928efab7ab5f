/* project_status.c: `status` (every module: pin, manifest, state, capabilities) and `verify` (the
 * CI gate: manifests load, pins match, ceilings hold, modules exist), as text or --json. */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "override.h"
#include "project_cmd.h"

enum { EXIT_USAGE = 64, EXIT_MALFORMED = 65, EXIT_NOMEM = 70, EXIT_UNTRUSTED = 77 };

/* What one module of the project is, found without running it. */
typedef struct mstate {
	const wt_pmodule *m;
	char *manifest; /* its manifest file, absolute */
	char hex[65];	/* the module file's sha256, "" when missing */
	const char *state;
	wt_manifest *loaded;   /* NULL: no manifest, or a malformed one */
	wt_manifest *override; /* its override file, or NULL */
	char problem[1024];    /* malformed manifest: FILE:LINE:COL: why */
} mstate;

/* The manifest's override file (human grants, docs/deviations.md), when there is one. */
static void load_override(mstate *s)
{
	char *path = wt_override_path(s->manifest);
	wt_error err;

	wt_error_init(&err);
	if (path && access(path, F_OK) == 0 &&
	    wt_manifest_load_file_kind(WT_MANIFEST_OVERRIDE, path, &s->override, NULL, NULL,
				       &err)) {
		wt_error_format(&err, path, s->problem, sizeof s->problem);
		wt_manifest_free(s->loaded);
		s->loaded = NULL;
	}
	free(path);
}

static void look(const wt_cmd_project *cp, const wt_pmodule *m, mstate *s)
{
	char *path = wt_cmd_project_abs(cp, m->path);
	wt_error err;

	memset(s, 0, sizeof *s);
	s->m = m;
	s->manifest = wt_cmd_project_manifest(cp, m);
	if (!path || !s->manifest || wt_cmd_project_hash(path, s->hex))
		s->hex[0] = '\0';
	free(path);
	wt_error_init(&err);
	if (s->manifest && access(s->manifest, F_OK) == 0 &&
	    wt_manifest_load_file(s->manifest, &s->loaded, NULL, NULL, &err))
		wt_error_format(&err, s->manifest, s->problem, sizeof s->problem);
	else if (s->loaded)
		load_override(s);
	if (!s->hex[0])
		s->state = "missing";
	else if (s->problem[0])
		s->state = "malformed";
	else if (!s->loaded)
		s->state = "untrusted";
	else if (!m->sha256[0] || strcmp(m->sha256, s->hex) != 0)
		s->state = "changed";
	else
		s->state = "trusted";
}

static void unlook(mstate *s)
{
	free(s->manifest);
	wt_manifest_free(s->loaded);
	wt_manifest_free(s->override);
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *module_json(const wt_cmd_project *cp, const mstate *s)
{
	char rel[4200];

	snprintf(rel, sizeof rel, "%s/%s", cp->p->manifests, s->m->manifest);
	return json_pack("{s:s, s:s, s:o, s:o, s:s, s:o, s:o}", "path", s->m->path, "manifest", rel,
			 "pin", str_or_null(s->m->sha256), "sha256", str_or_null(s->hex), "state",
			 s->state, "ceiling", str_or_null(s->m->ceiling), "capabilities",
			 s->loaded ? wt_project_caps(s->loaded) : json_null());
}

/* "read /src; write /out; env A B; clocks monotonic; random; sockets s" */
static void print_caps(json_t *caps)
{
	static const char *const keys[] = {"read", "write", "env", "clocks", "sockets"};
	const char *sep = "";

	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		json_t *a = json_object_get(caps, keys[k]), *v;
		size_t i;

		if (!json_array_size(a))
			continue;
		wt_escape_fprintf(stdout, "%s%s", sep, keys[k]);
		json_array_foreach(a, i, v) wt_escape_fprintf(stdout, " %s", json_string_value(v));
		sep = "; ";
	}
	if (json_is_true(json_object_get(caps, "random")))
		wt_escape_fprintf(stdout, "%srandom", sep), sep = "; ";
	wt_escape_fprintf(stdout, "%s\n", *sep ? "" : "nothing");
}

static void print_row(const mstate *s, json_t *j)
{
	wt_escape_fprintf(stdout, "%-9s %s  %s  pin %.12s  file %.12s  ", s->state, s->m->path,
			  json_string_value(json_object_get(j, "manifest")),
			  s->m->sha256[0] ? s->m->sha256 : "-", s->hex[0] ? s->hex : "-");
	print_caps(json_object_get(j, "capabilities"));
}

static int parse_common(int argc, char **argv, const char *who, int *json, const char **file)
{
	int n = wt_cmd_project_option(who, argc, argv, file);

	*json = 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			*json = 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			wt_escape_fprintf(
			    stdout,
			    "usage: wasi-tofu %s [--project FILE] [--json]\n"
			    "See man wasi-tofu-%s for the states, the checks and the JSON "
			    "schema.\n",
			    who, who);
			return -2;
		} else {
			wt_escape_fprintf(stderr, "wasi-tofu: %s: unexpected '%s'\n", who, argv[i]);
			return EXIT_USAGE;
		}
	}
	return n < 0 ? EXIT_USAGE : 0;
}

static int open_project(const char *who, const char *file, wt_cmd_project *cp)
{
	int rc = wt_cmd_project_open(who, file, cp);

	return rc == 1 ? EXIT_USAGE : rc;
}

static int dump(json_t *j)
{
	int rc =
	    j && json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 ? 0 : EXIT_NOMEM;

	putchar('\n');
	json_decref(j);
	return rc;
}

int wt_cmd_status(int argc, char **argv)
{
	wt_cmd_project cp;
	const char *file;
	int json, rc = parse_common(argc, argv, "status", &json, &file);
	json_t *mods;

	if (rc)
		return rc == -2 ? 0 : rc;
	if ((rc = open_project("status", file, &cp))) {
		wt_cmd_project_close(&cp);
		return rc;
	}
	mods = json_array();
	for (size_t i = 0; mods && i < cp.p->nmodules; i++) {
		mstate s;
		json_t *j;

		look(&cp, &cp.p->modules[i], &s);
		j = module_json(&cp, &s);
		if (!json)
			print_row(&s, j);
		json_array_append_new(mods, j);
		unlook(&s);
	}
	if (json)
		rc = dump(
		    json_pack("{s:i, s:s, s:o}", "version", 1, "root", cp.root, "modules", mods));
	else if (!cp.p->nmodules)
		printf("no modules yet: add one with `wasi-tofu trust MODULE`\n");
	if (!json)
		json_decref(mods);
	wt_cmd_project_close(&cp);
	return rc;
}

/* ---- verify ---- */

typedef struct vlog {
	json_t *problems;
	int json, status;
	/* the project's ceiling, loaded once for the modules without their own */
	wt_manifest *shared;
	char *shared_name;
	int shared_rc, shared_loaded;
} vlog;

static void problem(vlog *v, const char *module, const char *kind, int status, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void problem(vlog *v, const char *module, const char *kind, int status, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (status == EXIT_MALFORMED || !v->status)
		v->status = status;
	json_array_append_new(v->problems,
			      json_pack("{s:o, s:s, s:s}", "module", str_or_null(module), "kind",
					kind, "message", msg));
	if (!v->json)
		wt_escape_fprintf(stderr, "wasi-tofu: verify: %s: %s\n",
				  module ? module : "project", msg);
}

static void verify_ceiling(const wt_cmd_project *cp, const mstate *s, vlog *v)
{
	wt_manifest *ceiling = NULL;
	char *name = NULL, msg[1024];
	int own = s->m->ceiling != NULL, rc;

	if (!own && !v->shared_loaded) {
		v->shared_rc = wt_cmd_project_ceiling(cp, NULL, &v->shared, &v->shared_name);
		v->shared_loaded = 1;
	}
	rc = own ? wt_cmd_project_ceiling(cp, s->m, &ceiling, &name) : v->shared_rc;
	if (!own)
		ceiling = v->shared, name = v->shared_name;
	if (rc)
		problem(v, s->m->path, "malformed", EXIT_MALFORMED,
			"its ceiling does not load (the message above)");
	else if (wt_cmd_project_fits(s->loaded, s->override, s->manifest, ceiling, name, 0, NULL,
				     msg, sizeof msg))
		problem(v, s->m->path, "ceiling", EXIT_UNTRUSTED, "%s", msg);
	if (own) {
		wt_manifest_free(ceiling);
		free(name);
	}
}

static void verify_one(const wt_cmd_project *cp, const mstate *s, vlog *v)
{
	const char *p = s->m->path;

	if (!s->hex[0])
		problem(v, p, "missing", EXIT_UNTRUSTED, "the module file is missing");
	if (s->problem[0]) {
		problem(v, p, "malformed", EXIT_MALFORMED, "%s", s->problem);
		return;
	}
	if (!s->loaded) {
		problem(v, p, "untrusted", EXIT_UNTRUSTED,
			"no manifest (%s): trust it with `wasi-tofu trust %s`", s->m->manifest, p);
		return;
	}
	if (!s->m->sha256[0])
		problem(v, p, "changed", EXIT_UNTRUSTED, "no sha256 pin in the project file");
	else if (s->hex[0] && strcmp(s->m->sha256, s->hex) != 0)
		problem(v, p, "changed", EXIT_UNTRUSTED,
			"changed: its sha256 is %s, the project pins %s", s->hex, s->m->sha256);
	if (s->loaded->sha256[0] && s->m->sha256[0] && strcmp(s->loaded->sha256, s->m->sha256))
		problem(v, p, "changed", EXIT_UNTRUSTED,
			"its manifest pins sha256 %s, the project %s", s->loaded->sha256,
			s->m->sha256);
	verify_ceiling(cp, s, v);
}

int wt_cmd_verify(int argc, char **argv)
{
	wt_cmd_project cp;
	const char *file;
	vlog v = {0};
	int rc = parse_common(argc, argv, "verify", &v.json, &file);

	if (rc)
		return rc == -2 ? 0 : rc;
	if ((rc = open_project("verify", file, &cp))) {
		wt_cmd_project_close(&cp);
		return rc;
	}
	if (!(v.problems = json_array())) {
		wt_cmd_project_close(&cp);
		return EXIT_NOMEM;
	}
	for (size_t i = 0; i < cp.p->nmodules; i++) {
		mstate s;

		look(&cp, &cp.p->modules[i], &s);
		verify_one(&cp, &s, &v);
		unlook(&s);
	}
	if (v.json)
		rc = dump(json_pack("{s:i, s:b, s:i, s:i, s:O}", "version", 1, "ok", !v.status,
				    "status", v.status, "modules", (int)cp.p->nmodules, "problems",
				    v.problems));
	else if (!v.status)
		wt_escape_fprintf(
		    stdout,
		    "verified: %zu module%s, every one trusted, pinned and within its "
		    "ceiling\n",
		    cp.p->nmodules, cp.p->nmodules == 1 ? "" : "s");
	json_decref(v.problems);
	wt_manifest_free(v.shared);
	free(v.shared_name);
	wt_cmd_project_close(&cp);
	return rc ? rc : v.status;
}
