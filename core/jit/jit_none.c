/* jit_none.c: the compiling tier of a build without libgccjit: absent (--tier jit is an error,
 * auto runs the interpreter). */
#include "jit.h"

static int absent(wt_error *err)
{
	return wt_fail_plain(err, WT_INTERNAL,
			     "this build has no compiling tier (built without libgccjit)");
}

int wt_jit_available(void)
{
	return 0;
}

int wt_jit_build(wt_instance *inst, const uint8_t *sha256, const uint32_t *funcs, uint32_t n,
		 const char *so_path, wt_jit_stats *stats, wt_error *err)
{
	(void)inst, (void)sha256, (void)funcs, (void)n, (void)so_path;
	if (stats)
		*stats = (wt_jit_stats){0};
	return absent(err);
}

int wt_jit_load(wt_instance *inst, const uint8_t *sha256, const char *so_path, wt_jit **jit,
		wt_error *err)
{
	(void)inst, (void)sha256, (void)so_path, (void)jit;
	return absent(err);
}

uint32_t wt_jit_newest(const wt_jit *j, const uint32_t **funcs, uint32_t *fresh)
{
	(void)j;
	*funcs = NULL;
	*fresh = 0;
	return 0;
}

void wt_jit_drop_newest(wt_jit **list)
{
	(void)list;
}

int wt_jit_translatable(wt_instance *inst, uint32_t func_index)
{
	(void)inst, (void)func_index;
	return 0;
}

int wt_jit_compile_rest(wt_instance *inst, const uint8_t *sha256, uint64_t object_bytes,
			wt_jit_keep_fn keep, void *ctx, wt_jit **out, wt_jit_stats *stats,
			wt_error *err)
{
	(void)sha256, (void)object_bytes, (void)keep, (void)ctx;
	return wt_jit_compile_instance(inst, out, stats, err);
}

int wt_jit_compile_instance(wt_instance *inst, wt_jit **out, wt_jit_stats *stats, wt_error *err)
{
	(void)inst;
	*out = NULL;
	if (stats)
		*stats = (wt_jit_stats){0};
	return absent(err);
}

void wt_jit_free(wt_jit *j)
{
	(void)j;
}
