/* jit_support.c: whether the compiling tier translates a function (every op of its internal code
 * is one the translator handles), asked ahead of a build: tier-up keeps the refused ones out of
 * its batches and remembers them in the code cache (docs/engine.md, "Tier-up"). */
#include "jit.h"
#include "jit_gen.h"
#include "store.h"

int wt_jit_translatable(wt_instance *inst, uint32_t func_index)
{
	const wt_module *m = inst->module;
	wt_code *code = NULL;
	wt_error err;
	int ok;

	if (func_index < m->nfunc_imports || func_index >= m->nfuncs)
		return 0;
	wt_error_init(&err);
	if (wt_compile_detached(inst->funcs[func_index], &code, &err) != 0)
		return 1; /* not the tier's refusal (out of memory): let the build say */
	ok = wt_jitg_supported(code);
	wt_code_free(code);
	return ok;
}
