/* wt_test_inst.c: see wt_test_inst.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "wt_test_inst.h"

void wt_test_inst_begin(wt_test_inst *in, const uint8_t *bytes, size_t size,
			const wt_store_limits *lim, wt_resolver resolve)
{
	wt_error err;
	memset(in, 0, sizeof *in);
	wt_error_init(&err);
	if (wt_decode(bytes, size, &in->m, &err) != 0 || wt_validate(in->m, &err) != 0)
		fail_msg("module: %s", err.msg);
	assert_non_null(in->s = wt_store_new(lim));
	if (wt_instantiate_begin(in->s, in->m, resolve, in->s, &in->inst, &err) != 0)
		fail_msg("instantiate: %s", err.msg);
}

void wt_test_inst_finish(wt_test_inst *in)
{
	wt_error err;
	wt_trap trap;
	wt_error_init(&err);
	if (wt_instantiate_finish(in->inst, &trap, &err) != 0)
		fail_msg("instantiate: %s", err.msg);
}

void wt_test_inst_end(wt_test_inst *in)
{
	wt_store_free(in->s);
	wt_jit_free(in->jit);
	wt_module_free(in->m);
}

void wt_test_inst_make(wt_test_inst *in, const uint8_t *bytes, size_t size, int jit,
		       wt_jit_stats *st)
{
	wt_error err;
	wt_jit_stats mine = {0};
	st = st ? st : &mine;
	wt_test_inst_begin(in, bytes, size, NULL, NULL);
	wt_error_init(&err);
	if (jit) {
		if (wt_jit_compile_instance(in->inst, &in->jit, st, &err) != 0)
			fail_msg("compile: %s", err.msg);
		assert_int_equal(st->fallback, 0);
		assert_int_equal(st->compiled, st->funcs);
	}
	wt_test_inst_finish(in);
}
