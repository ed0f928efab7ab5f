/* jit_whole.h: a whole-module compile planned as objects (jit_whole.c) and built by worker
 * processes (jit_whole_procs.c). */
#ifndef WT_JIT_WHOLE_H
#define WT_JIT_WHOLE_H

#include <stdint.h>

#include "error.h"
#include "jit.h"

/* The objects of one compile: object k holds funcs[ends[k-1]..ends[k]) (ends[-1] being 0),
 * built as dir/code-K.so. */
typedef struct wt_jit_plan {
	wt_instance *inst;
	const uint8_t *sha;
	const uint32_t *funcs;
	const uint32_t *ends;
	uint32_t nobj;
	const char *dir;
	wt_jit_keep_fn keep;
	void *ctx;
	wt_jit **out;
	wt_jit_stats *sum; /* what the objects taken so far added up to */
} wt_jit_plan;

/* Builds object k of p into its file; st its stats. 0 or a status in err. */
int wt_jit_plan_build(const wt_jit_plan *p, uint32_t k, wt_jit_stats *st, wt_error *err);

/* Removes object k's file (built or not). */
void wt_jit_plan_drop(const wt_jit_plan *p, uint32_t k);

/* Takes object k, built with stats st: handed to the keeper and loaded into *p->out (when it
 * compiled anything), its file removed, st added to p->sum. 0 or a status in err. */
int wt_jit_plan_take(wt_jit_plan *p, uint32_t k, const wt_jit_stats *st, wt_error *err);

/* Builds in this process, object after object, each object of p not marked in taken (NULL:
 * none is), taking each as soon as it is built; stops at the first failure. 0 or a status in
 * err. */
int wt_jit_plan_build_left(wt_jit_plan *p, const uint8_t *taken, wt_error *err);

/* How many processes build p's objects: 1 (the caller alone) unless there are two objects or
 * more, then the CPUs this process may run on, at most one per object and as many as the
 * available memory holds at GCC's measured cost per byte (WT_JIT_PROCS=N forces N). */
uint32_t wt_jit_plan_procs(const wt_jit_plan *p, uint64_t object_bytes);

/* Builds every object of p in procs worker processes at once (libgccjit compiles one thing at a
 * time in a process), each taking the next object not yet taken; the caller takes each object
 * (wt_jit_plan_take) as its worker reports it built. An object whose worker died unreported is
 * built by the caller. On a failure no worker starts another object; the error is that of the
 * lowest failing object, and every object built stays taken. 0 or a status in err. */
int wt_jit_plan_run_procs(wt_jit_plan *p, uint32_t procs, wt_error *err);

#endif
