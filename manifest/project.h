/* project.h: the project file (wasi-tofu.yaml, v1): the modules a project runs, the manifest and
 * sha256 pin of each, the ceilings. docs/project.md is the user-facing reference. */
#ifndef WT_PROJECT_H
#define WT_PROJECT_H

#include <stddef.h>

#include "arena.h"
#include "error.h"
#include "manifest.h"

/* The project file's name, found like git finds a repository. */
#define WT_PROJECT_FILE "wasi-tofu.yaml"
/* The manifests folder `init` names. */
#define WT_PROJECT_MANIFESTS ".wasi-tofu/manifests"

/* One module of the project. Paths are project-relative, '/'-separated,
 * with no empty, `.` or `..` component (checked at load). */
typedef struct wt_pmodule {
	const char *path;     /* the module file, relative to the project's root */
	const char *manifest; /* its manifest, relative to the manifests folder */
	char sha256[65];      /* the pin: lowercase hex, "" when not pinned */
	const char *ceiling;  /* a ceiling file extending the project's (root-relative), or NULL */
	wt_mloc loc;	      /* the entry in the project file (0: added, not loaded) */
} wt_pmodule;

/* A loaded or built project. Every string lives in the arena. */
typedef struct wt_project {
	wt_arena arena;
	int version;	       /* 1 */
	const char *manifests; /* the manifests folder, root-relative */
	const char *ceiling;   /* the project's ceiling file, root-relative, or NULL */
	size_t nmodules, cap;
	wt_pmodule *modules;
} wt_project;

/* An empty project (version 1, manifests WT_PROJECT_MANIFESTS); NULL when out of memory. */
wt_project *wt_project_new(void);
void wt_project_free(wt_project *p);

/* Loads project YAML text (libyaml). Every error is WT_MALFORMED with
 * line:column: syntax, unknown key, wrong type, a version other than 1, a
 * path that is absolute or has a `..` component (it would leave the
 * project), a module listed twice, two modules sharing one manifest. */
int wt_project_load(const char *text, size_t len, wt_project **out, wt_error *err);
/* The same from a file (WT_NOINPUT when it cannot be opened). */
int wt_project_load_file(const char *path, wt_project **out, wt_error *err);

/* Canonical YAML for p (libyaml's emitter), with a comment line on top;
 * *out is malloc'd. 0 or WT_NOMEM. */
int wt_project_emit(const wt_project *p, char **out, size_t *len, wt_error *err);

/* The module with project-relative path, or NULL. */
wt_pmodule *wt_project_find(const wt_project *p, const char *path);

/* Adds a module (strings copied) with the manifest name made from its
 * path (wt_project_manifest_name); returns it, or NULL when out of memory
 * or the path is not a clean project-relative path. */
wt_pmodule *wt_project_add(wt_project *p, const char *path);

/* The manifest name for module path: its file name without `.wasm` plus
 * `.yaml`; when another module has that one already, the whole path with
 * '/' as '-'. Allocated in p's arena; NULL when out of memory. */
const char *wt_project_manifest_name(wt_project *p, const char *path);

/* 0 when path is a clean relative path (no leading '/', no empty, `.` or
 * `..` component, no NUL, at most 4095 bytes), else -1 with the reason. */
int wt_project_path_check(const char *path, const char **why);

/* ---- a project on disk (project_find.c) ---- */

/* The project file: file (its folder made canonical) when not NULL, else the nearest
 * wasi-tofu.yaml at or above the cwd. malloc'd absolute path, or NULL when there is none. */
char *wt_project_locate(const char *file);
/* The folder of the project file `file`, malloc'd. */
char *wt_project_root_of(const char *file);
/* The project-relative path of the host path `path` (its folder must exist) under the
 * canonical folder root, malloc'd; NULL when it is outside root. */
char *wt_project_rel(const char *root, const char *path);
/* root/rel, malloc'd (NULL when out of memory). */
char *wt_project_abs(const char *root, const char *rel);
/* The manifest file of m: root/manifests/NAME, malloc'd. */
char *wt_project_manifest_file(const char *root, const wt_project *p, const wt_pmodule *m);
/* The sha256 of the file at path as hex; 0 or the error's code (WT_NOINPUT, WT_IO). */
int wt_project_hash(const char *path, char hex[65], wt_error *err);

/* The ceiling m's manifest must fit: p's ceiling file, extended by m's own (both optional;
 * wt_manifest_merge; m NULL: p's alone). *out NULL when there is none; *name says which files,
 * for messages (malloc'd). Warnings go to warn with the file as its ctx. 0, or the error's
 * code with *failed the file that failed to load (malloc'd) or NULL. */
int wt_project_ceiling(const char *root, const wt_project *p, const wt_pmodule *m,
		       wt_manifest **out, char **name, wt_manifest_warn_fn warn, char **failed,
		       wt_error *err);

/* Whether a module may run: its entry is pinned, its manifest exists and the pin is hex. */
typedef enum wt_project_trust {
	WT_PROJECT_TRUSTED = 0,
	WT_PROJECT_NEW = 1,	/* not in the project, not pinned, or no manifest file */
	WT_PROJECT_CHANGED = 2, /* pinned to another sha256 */
} wt_project_trust;

/* m (NULL: not in the project), its manifest file and the module's sha256 hex. */
wt_project_trust wt_project_trusted(const wt_pmodule *m, const char *manifest_file,
				    const char *hex);
/* "REL changed: its sha256 is HEX, the project pins PIN" (pin set) or "REL is not trusted in
 * this project (sha256 HEX): no manifest says what it may do" into out, as snprintf. */
int wt_project_untrusted_format(char *out, size_t size, const char *rel, const char *hex,
				const char *pin);

/* A manifest's capability summary, as status shows it (docs/project.md):
 * {"read": [folders], "write": [folders], "env": [names], "clocks":
 * [names], "random": bool, "sockets": [names]}. Folders are those the
 * rules reach, none below another. NULL when out of memory. */
struct json_t;
struct json_t *wt_project_caps(const wt_manifest *m);

#endif
