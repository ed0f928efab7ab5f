/* test_jit_load.c: an object that cannot be loaded through no fault of its own (dlopen fails on
 * it, or it is loaded already) is WT_UNAVAILABLE for wt_jit_load, not WT_MALFORMED, and the code
 * cache keeps such a piece (it drops only what the loader refuses as the piece's fault); the next
 * load that can, loads it. This program interposes dlopen to fail, or to say "loaded already",
 * on demand. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache.h"
#include "jit.h"
#include "sha256.h"
#include "store.h"
#include "wt_e2e_util.h"
#include "wt_test_cache.h"
#include "wt_test_inst.h"
#include "wt_test_util.h"

#ifdef WT_HAVE_JIT

/* What dlopen does: load, fail every load (no room to map the object, say), or answer an
 * RTLD_NOLOAD question with a handle (the object is loaded already). */
static enum { DL_REAL, DL_FAIL, DL_LOADED } dl_mode;

void *dlopen(const char *file, int flags)
{
	static void *(*real)(const char *, int);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "dlopen");
	if (dl_mode == DL_FAIL && !(flags & RTLD_NOLOAD))
		return NULL;
	if (dl_mode == DL_LOADED && (flags & RTLD_NOLOAD))
		return real(NULL, RTLD_NOW);
	return real(file, flags);
}

static const char *const module = "(module (func (export \"run\") (param i32) (result i32)\n"
				  "  (i32.add (local.get 0) (i32.const 1))))\n";

static void test_not_the_pieces_fault_keeps_it(void **state)
{
	(void)state;
	char dir[256], so[300], notes[4096] = "";
	uint8_t *bytes, buf[WT_SHA256_SIZE];
	size_t size;
	wt_test_inst in;
	wt_jit_cache *c;
	wt_error err;

	wt_test_scratch(dir, sizeof dir, "jitload");
	wt_test_cache_home(dir);
	snprintf(so, sizeof so, "%s/code.so", dir);
	assert_int_equal(wt_test_wat_bytes(module, "", &bytes, &size), 0);
	wt_test_inst_begin(&in, bytes, size, NULL, NULL);
	const uint8_t *sha = wt_module_sha256(in.m, buf);
	wt_error_init(&err);
	assert_int_equal(wt_jit_build(in.inst, sha, NULL, 0, so, NULL, &err), 0);
	assert_int_equal(wt_jit_cache_open(NULL, "O1", &c, &err), 0);
	assert_int_equal(wt_jit_cache_put(c, sha, so, &err), 0);
	FILE *log = tmpfile();
	assert_non_null(log);
	wt_jit_cache_set_notes(c, log);

	static const struct {
		int mode;
		const char *why;
	} cases[] = {{DL_FAIL, "cannot load"}, {DL_LOADED, "loaded already"}};
	for (int k = 0; k < 2; k++) {
		dl_mode = cases[k].mode;
		wt_error_init(&err);
		assert_int_equal(wt_jit_load(in.inst, sha, so, &in.jit, &err), WT_UNAVAILABLE);
		assert_non_null(strstr(err.msg, cases[k].why));
		assert_int_equal(wt_jit_cache_load(c, in.inst, sha, &in.jit, NULL, NULL, NULL), 0);
		assert_int_equal(wt_test_cache_count(c, sha), 1); /* kept */
		assert_null(in.inst->funcs[0]->jit);
	}
	dl_mode = DL_REAL;
	assert_int_equal(wt_jit_cache_load(c, in.inst, sha, &in.jit, NULL, NULL, NULL), 1);
	assert_non_null(in.inst->funcs[0]->jit);
	assert_int_equal(wt_test_cache_count(c, sha), 1);

	rewind(log);
	notes[fread(notes, 1, sizeof notes - 1, log)] = '\0';
	fclose(log);
	if (!strstr(notes, "a piece was not loaded:") || strstr(notes, "removed"))
		fail_msg("notes: %s", notes);

	wt_test_inst_finish(&in);
	wt_extern e;
	wt_slot arg = 41, res = 0;
	wt_trap trap;
	assert_int_equal(wt_instance_export(in.inst, "run", 3, &e), 0);
	assert_int_equal(wt_call(in.s, e.u.func, &arg, &res, &trap), 0);
	assert_int_equal(res, 42);
	wt_jit_cache_close(c);
	wt_test_inst_end(&in);
	free(bytes);
	wt_e2e_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_not_the_pieces_fault_keeps_it)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#else

int main(void)
{
	return 0;
}

#endif
