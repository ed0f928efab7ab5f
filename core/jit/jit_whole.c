/* jit_whole.c: the `jit` tier's compile of a whole module, as objects of bounded size: GCC holds
 * every function of one object in memory until the object is written (Yosys's 27.8 MB of code in
 * one object passed 23 GB before the kernel killed it), and an object made is one kept, so a
 * compile cut short keeps what it made (docs/engine.md, "The compiling tier"). The objects are
 * planned here and built here one after the other, or by worker processes at once
 * (jit_whole_procs.c). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "clock.h"
#include "env.h"
#include "jit.h"
#include "jit_whole.h"
#include "module.h"
#include "sha256.h"
#include "store.h"
#include "tmpdir.h"

/* The defined functions of inst still interpreted that the tier translates, in index order,
 * into funcs (room for every defined function); their count. Those it does not translate are
 * counted in *left. */
static uint32_t still_interpreted(wt_instance *inst, uint32_t *funcs, uint32_t *left)
{
	const wt_module *m = inst->module;
	uint32_t n = 0;
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
		if (inst->funcs[i]->jit)
			continue;
		if (wt_jit_translatable(inst, i))
			funcs[n++] = i;
		else
			++*left;
	}
	return n;
}

/* How many of funcs[0..n) (at least one) go into the next object: up to `bytes` of bodies. */
static uint32_t next_object(const wt_module *m, const uint32_t *funcs, uint32_t n, uint64_t bytes)
{
	uint64_t sum = m->funcs[funcs[0]].body_size;
	uint32_t k = 1;
	while (k < n && sum + m->funcs[funcs[k]].body_size <= bytes)
		sum += m->funcs[funcs[k++]].body_size;
	return k;
}

/* WT_JIT_OBJECT_BYTES, or WT_JIT_OBJECT_KB from the environment (a measuring knob: memory
 * against calls between objects). */
static uint64_t default_bytes(void)
{
	uint64_t kb = wt_env_u64("WT_JIT_OBJECT_KB", 0);
	return kb ? kb * 1024 : WT_JIT_OBJECT_BYTES;
}

static void add_stats(wt_jit_stats *to, const wt_jit_stats *st)
{
	to->compiled += st->compiled;
	to->fallback += st->fallback;
	to->code_words += st->code_words;
	to->objects++;
	to->big |= st->big;
	to->accesses += st->accesses;
	to->unchecked += st->unchecked;
}

/* Object k's file: each object of a compile has a name of its own (dlopen hands back the object
 * it loaded by a path already). */
static void object_path(const wt_jit_plan *p, uint32_t k, char *buf, size_t size)
{
	snprintf(buf, size, "%s/code-%u.so", p->dir, k);
}

int wt_jit_plan_build(const wt_jit_plan *p, uint32_t k, wt_jit_stats *st, wt_error *err)
{
	char so[WT_ERROR_PATH_MAX + 16];
	uint32_t from = k ? p->ends[k - 1] : 0;
	object_path(p, k, so, sizeof so);
	*st = (wt_jit_stats){0};
	return wt_jit_build(p->inst, p->sha, p->funcs + from, p->ends[k] - from, so, st, err);
}

void wt_jit_plan_drop(const wt_jit_plan *p, uint32_t k)
{
	char so[WT_ERROR_PATH_MAX + 16];
	object_path(p, k, so, sizeof so);
	unlink(so);
}

int wt_jit_plan_take(wt_jit_plan *p, uint32_t k, const wt_jit_stats *st, wt_error *err)
{
	char so[WT_ERROR_PATH_MAX + 16];
	int rc = 0;
	object_path(p, k, so, sizeof so);
	if (st->compiled) {
		if (p->keep)
			p->keep(p->ctx, so);
		rc = wt_jit_load(p->inst, p->sha, so, p->out, err);
		add_stats(p->sum, st);
	}
	wt_jit_plan_drop(p, k);
	return rc;
}

int wt_jit_plan_build_left(wt_jit_plan *p, const uint8_t *taken, wt_error *err)
{
	int rc = 0;
	for (uint32_t k = 0; rc == 0 && k < p->nobj; k++) {
		wt_jit_stats st;
		if (taken && taken[k])
			continue;
		rc = wt_jit_plan_build(p, k, &st, err);
		if (rc == 0)
			rc = wt_jit_plan_take(p, k, &st, err);
		else
			wt_jit_plan_drop(p, k);
	}
	return rc;
}

/* The objects of funcs[0..n): their ends into ends (room for n); their count. */
static uint32_t plan_objects(const wt_module *m, const uint32_t *funcs, uint32_t n, uint64_t bound,
			     uint32_t *ends)
{
	uint32_t nobj = 0;
	for (uint32_t done = 0; done < n; nobj++) {
		done += next_object(m, funcs + done, n - done, bound);
		ends[nobj] = done;
	}
	return nobj;
}

int wt_jit_compile_rest(wt_instance *inst, const uint8_t *sha256, uint64_t object_bytes,
			wt_jit_keep_fn keep, void *ctx, wt_jit **out, wt_jit_stats *stats,
			wt_error *err)
{
	const wt_module *m = inst->module;
	uint8_t buf[WT_SHA256_SIZE];
	size_t room = (size_t)m->nfuncs + 1;
	uint32_t *funcs = malloc(room * 2 * sizeof *funcs), n;
	wt_jit_stats st = {.funcs = m->nfuncs - m->nfunc_imports};
	uint64_t bound = object_bytes ? object_bytes : default_bytes();
	char dir[WT_ERROR_PATH_MAX];
	double t0 = wt_clock_seconds();
	int rc = 0;

	if (!funcs)
		return wt_fail_plain(err, WT_NOMEM, "out of memory for the compiling tier");
	n = still_interpreted(inst, funcs, &st.fallback);
	if (n && (rc = wt_tmpdir_new(dir, sizeof dir, err)) == 0) {
		wt_jit_plan p = {.inst = inst,
				 .sha = sha256 ? sha256 : wt_module_sha256(m, buf),
				 .funcs = funcs,
				 .ends = funcs + room,
				 .dir = dir,
				 .keep = keep,
				 .ctx = ctx,
				 .out = out,
				 .sum = &st};
		p.nobj = plan_objects(m, funcs, n, bound, funcs + room);
		uint32_t procs = wt_jit_plan_procs(&p, bound);
		rc = procs > 1 ? wt_jit_plan_run_procs(&p, procs, err)
			       : wt_jit_plan_build_left(&p, NULL, err);
		rmdir(dir);
	}
	st.seconds = wt_clock_seconds() - t0;
	if (stats)
		*stats = st;
	free(funcs);
	return rc;
}

int wt_jit_compile_instance(wt_instance *inst, wt_jit **out, wt_jit_stats *stats, wt_error *err)
{
	*out = NULL;
	return wt_jit_compile_rest(inst, NULL, 0, NULL, NULL, out, stats, err);
}
