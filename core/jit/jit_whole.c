/* jit_whole.c: the `jit` tier's compile of a whole module, as objects of bounded size: GCC holds
 * every function of one object in memory until the object is written (Yosys's 27.8 MB of code in
 * one object passed 23 GB before the kernel killed it), and an object made is one kept, so a
 * compile cut short keeps what it made (docs/engine.md, "The compiling tier"). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "clock.h"
#include "env.h"
#include "jit.h"
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

/* One object: funcs[0..n) built in dir, kept, loaded, removed. Each object of a compile has a
 * name of its own (the number of objects made before it): dlopen hands back the object it
 * loaded by a path already. */
static int one_object(wt_instance *inst, const uint8_t *sha, const uint32_t *funcs, uint32_t n,
		      const char *dir, wt_jit_keep_fn keep, void *ctx, wt_jit **out,
		      wt_jit_stats *sum, wt_error *err)
{
	char so[WT_ERROR_PATH_MAX + 16];
	wt_jit_stats st = {0};
	snprintf(so, sizeof so, "%s/code-%u.so", dir, sum->objects);
	int rc = wt_jit_build(inst, sha, funcs, n, so, &st, err);
	if (rc == 0 && st.compiled) {
		if (keep)
			keep(ctx, so);
		rc = wt_jit_load(inst, sha, so, out, err);
		add_stats(sum, &st);
	}
	unlink(so);
	return rc;
}

int wt_jit_compile_rest(wt_instance *inst, const uint8_t *sha256, uint64_t object_bytes,
			wt_jit_keep_fn keep, void *ctx, wt_jit **out, wt_jit_stats *stats,
			wt_error *err)
{
	const wt_module *m = inst->module;
	uint8_t buf[WT_SHA256_SIZE];
	const uint8_t *sha = sha256 ? sha256 : wt_module_sha256(m, buf);
	uint32_t *funcs = malloc(((size_t)m->nfuncs + 1) * sizeof *funcs), n, done = 0;
	wt_jit_stats st = {.funcs = m->nfuncs - m->nfunc_imports};
	uint64_t bound = object_bytes ? object_bytes : default_bytes();
	char dir[WT_ERROR_PATH_MAX];
	double t0 = wt_clock_seconds();
	int rc = 0;

	if (!funcs)
		return wt_fail_plain(err, WT_NOMEM, "out of memory for the compiling tier");
	n = still_interpreted(inst, funcs, &st.fallback);
	if (n && (rc = wt_tmpdir_new(dir, sizeof dir, err)) == 0) {
		while (rc == 0 && done < n) {
			uint32_t k = next_object(m, funcs + done, n - done, bound);
			rc = one_object(inst, sha, funcs + done, k, dir, keep, ctx, out, &st, err);
			done += k;
		}
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
