/* modules.h: the spec runner's store: loaded modules, named and registered instances, imports. */
#ifndef WT_SPEC_MODULES_H
#define WT_SPEC_MODULES_H

#include <stdio.h>

#include "jit.h"
#include "runtime.h"
#include "script.h"
#include "spectest.h"

/* An instance under a name: a module's $name, or the name `register` gave. */
typedef struct wt_spec_binding {
	wt_spec_str name;
	wt_instance *inst;
} wt_spec_binding;

/* A module file and its decoded module (which borrows the bytes). */
typedef struct wt_spec_loaded {
	uint8_t *bytes;
	wt_module *module;
} wt_spec_loaded;

typedef struct wt_spec_modules {
	const char *dir; /* where the .wasm files are */
	wt_store *store;
	wt_spec_spectest spectest;
	wt_spec_loaded *loaded; /* kept until fini: instances point into them */
	size_t nloaded, cap_loaded;
	wt_spec_binding *names; /* $name -> instance */
	size_t nnames, cap_names;
	wt_spec_binding *registered; /* import module name -> instance */
	size_t nregistered, cap_registered;
	wt_instance *current; /* the last module defined */
	int jit;	      /* compile each instance with the compiling tier */
	wt_jit **jits;	      /* their code, freed after the store */
	size_t njits, cap_jits;
} wt_spec_modules;

/* Makes the store (default limits) and the spectest module; print* calls
 * are written to trace when not NULL. Returns 0 or -1. */
int wt_spec_modules_init(wt_spec_modules *m, const char *dir, FILE *trace);

/* Frees the store, then every module. */
void wt_spec_modules_fini(wt_spec_modules *m);

/* Reads dir/filename, decodes and validates it. Returns 0 and the module
 * in *out (kept until fini), or when out is NULL frees it at once; or a
 * status (WT_MALFORMED, WT_INVALID, WT_IO, ...) with the message in err. */
int wt_spec_modules_load(wt_spec_modules *m, const char *filename, wt_module **out, wt_error *err);

/* Loads and instantiates dir/filename, resolving imports from the
 * registered instances and spectest. Returns 0 and *inst; -1 when the
 * instantiation trapped (*trap says why); or a status with err. */
int wt_spec_modules_instantiate(wt_spec_modules *m, const char *filename, wt_instance **inst,
				wt_trap *trap, wt_error *err);

/* Makes inst the current module and, when name.s is set, binds the name
 * to it (inst may be NULL: a failed module leaves nothing under its name). */
void wt_spec_modules_bind(wt_spec_modules *m, wt_spec_str name, wt_instance *inst);

/* The instance named name, or the current one when name.s is NULL; NULL
 * when there is none. */
wt_instance *wt_spec_modules_instance(const wt_spec_modules *m, wt_spec_str name);

/* Registers inst under the import module name `as` (replacing an earlier
 * one). Returns 0, or -1 when out of memory. */
int wt_spec_modules_register(wt_spec_modules *m, wt_spec_str as, wt_instance *inst);

#endif
