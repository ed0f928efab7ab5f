/* wt_test_inst.h: one module instantiated in a store of its own, the way the compiling tier's
 * unit tests make them (decoded, validated, begun; compiled or loaded by the test; finished). */
#ifndef WT_TEST_INST_H
#define WT_TEST_INST_H

#include <stddef.h>
#include <stdint.h>

#include "jit.h"
#include "runtime.h"

typedef struct wt_test_inst {
	wt_module *m;
	wt_store *s;
	wt_instance *inst;
	wt_jit *jit; /* the objects loaded into it (the test's to load), freed by end */
} wt_test_inst;

/* Decodes and validates bytes, makes a store with lim (NULL: the defaults) and begins the
 * instance (wt_instantiate_begin: no guest code runs), imports from resolve (may be NULL) with the
 * store as its context. Fails the test on any error. */
void wt_test_inst_begin(wt_test_inst *in, const uint8_t *bytes, size_t size,
			const wt_store_limits *lim, wt_resolver resolve);

/* wt_instantiate_finish: segments applied, the start function run; fails the test on an error. */
void wt_test_inst_finish(wt_test_inst *in);

/* begin, then (when jit) every function compiled (none left to the interpreter; the figures in
 * *st when st is not NULL), then finish. bytes must live as long as the instance. */
void wt_test_inst_make(wt_test_inst *in, const uint8_t *bytes, size_t size, int jit,
		       wt_jit_stats *st);

/* Frees the store, then the objects, then the module. */
void wt_test_inst_end(wt_test_inst *in);

#endif
