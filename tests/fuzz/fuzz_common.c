/* fuzz_common.c: one hostile module through decode, validate, instantiate and run, checking the
 * engine's promises; shared by the libFuzzer harnesses and the mutation test. */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

/* What a host function made by the resolver does when called. */
typedef enum {
	HOST_ZEROS,   /* results are zeros */
	HOST_TRAP,    /* stops the run (imports named "trap...") */
	HOST_REENTER, /* calls the caller's first exported function (imports named "reenter...") */
} host_kind;

typedef struct host_fn_data {
	host_kind kind;
	uint32_t nresults;
	struct fuzz_ctx *ctx;
} host_fn_data;

enum { MAX_HOST_FUNCS = 256, MAX_REENTRY = 3 };

typedef struct fuzz_ctx {
	const uint8_t *bytes;
	size_t size;
	host_fn_data hosts[MAX_HOST_FUNCS];
	uint32_t nhosts;
	uint32_t reentry;
	wt_store *store;
} fuzz_ctx;

static void broken(const fuzz_ctx *c, const char *what, const char *detail)
{
	fprintf(stderr, "fuzz: broken promise on a %zu-byte module: %s: %s\n", c->size, what,
		detail);
	abort();
}

static int status_known(int code)
{
	return code > WT_OK && code <= WT_DEVIATION;
}

/* A failed decode or validate: a module error with an offset inside the input. */
static void check_load_error(const fuzz_ctx *c, int rc, const wt_error *err, const char *stage)
{
	if (rc != (int)err->code)
		broken(c, stage, "returned status differs from the error's");
	if (err->code != WT_MALFORMED && err->code != WT_INVALID && err->code != WT_LIMIT &&
	    err->code != WT_NOMEM)
		broken(c, stage, "unexpected status");
	if (!err->msg[0])
		broken(c, stage, "error without a message");
	if (err->code == WT_MALFORMED || err->code == WT_INVALID) {
		if (!err->has_offset)
			broken(c, stage, err->msg);
		if (err->offset > c->size)
			broken(c, stage, "error offset past the end of the module");
	}
}

static void check_trap(const fuzz_ctx *c, const wt_trap *trap, const char *stage)
{
	if (trap->kind == WT_TRAP_NONE || trap->kind > WT_TRAP_HOST)
		broken(c, stage, "trap of no known kind");
	if (trap->code_offset > c->size)
		broken(c, stage, "trap location past the end of the module");
	char buf[512];
	wt_trap_format(trap, buf, sizeof buf);
	if (!buf[0])
		broken(c, stage, "empty trap text");
}

static int call_zeros(wt_store *s, wt_funcinst *f, wt_trap *trap)
{
	const wt_functype *t = wt_func_type(f);
	/* Slots, not values: a v128 takes two (runtime.h, wt_slot). */
	size_t np = wt_types_slots(t->types, t->nparams);
	size_t nr = wt_types_slots(t->types + t->nparams, t->nresults);
	size_t n = np > nr ? np : nr;
	wt_slot *slots = calloc(n ? n : 1, sizeof *slots);
	if (!slots)
		abort();
	int r = wt_call(s, f, slots, slots, trap);
	free(slots);
	return r;
}

static int reenter(wt_host_call *call, fuzz_ctx *c)
{
	const wt_module *m = call->caller ? wt_instance_module(call->caller) : NULL;
	if (!m || c->reentry >= MAX_REENTRY)
		return 0;
	for (uint32_t i = 0; i < m->nexports; i++) {
		wt_extern e;
		const wt_export *x = &m->exports[i];
		if (x->kind != WT_EXTERN_FUNC ||
		    wt_instance_export(call->caller, x->name, x->name_len, &e))
			continue;
		c->reentry++;
		int r = call_zeros(call->store, e.u.func, call->trap);
		c->reentry--;
		if (r)
			check_trap(c, call->trap, "nested call");
		return r;
	}
	return 0;
}

static int host_fn(wt_host_call *call, const wt_slot *args, wt_slot *results)
{
	host_fn_data *d = call->data;
	if (d->kind == HOST_TRAP) {
		memset(call->trap, 0, sizeof *call->trap);
		call->trap->kind = WT_TRAP_HOST;
		strcpy(call->trap->msg, "stopped by the fuzz host");
		return 1;
	}
	if (d->kind == HOST_REENTER && reenter(call, d->ctx))
		return 1;
	for (uint32_t i = 0; i < d->nresults; i++)
		results[i] = 0;
	return 0;
}

static int starts_with(const char *s, uint32_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && !memcmp(s, prefix, n);
}

static host_kind host_kind_of(const wt_import *imp)
{
	if (starts_with(imp->name, imp->name_len, "trap"))
		return HOST_TRAP;
	if (starts_with(imp->name, imp->name_len, "reenter"))
		return HOST_REENTER;
	return HOST_ZEROS;
}

static int resolve_func(fuzz_ctx *c, const wt_module *m, const wt_import *imp, wt_extern *out,
			wt_error *err)
{
	if (imp->desc.type_index >= m->ntypes || c->nhosts >= MAX_HOST_FUNCS)
		return wt_fail_plain(err, WT_UNLINKABLE, "unknown import");
	const wt_functype *t = &m->types[imp->desc.type_index];
	host_fn_data *d = &c->hosts[c->nhosts++];
	d->kind = host_kind_of(imp);
	d->nresults = t->nresults;
	d->ctx = c;
	out->u.func = wt_func_new_host(c->store, t, host_fn, d);
	return out->u.func ? 0 : wt_fail_plain(err, WT_NOMEM, "out of memory");
}

/* Every import is granted with a host object of its declared type, except
 * those of module "fail" (unknown import) and tables too large to make. */
static int resolve(void *ctx, const wt_module *m, const wt_import *imp, wt_extern *out,
		   wt_error *err)
{
	fuzz_ctx *c = ctx;
	if (starts_with(imp->module, imp->module_len, "fail"))
		return wt_fail_plain(err, WT_UNLINKABLE, "unknown import");
	out->kind = imp->kind;
	switch (imp->kind) {
	case WT_EXTERN_FUNC:
		return resolve_func(c, m, imp, out, err);
	case WT_EXTERN_TABLE:
		if (imp->desc.table.limits.min > WT_FUZZ_MAX_IMPORT_TABLE)
			return wt_fail_plain(err, WT_UNLINKABLE, "table too large");
		out->u.table = wt_table_new(c->store, &imp->desc.table, 0);
		return out->u.table ? 0 : wt_fail_plain(err, WT_UNLINKABLE, "table refused");
	case WT_EXTERN_MEMORY:
		out->u.memory = wt_memory_new(c->store, &imp->desc.memory);
		return out->u.memory ? 0 : wt_fail_plain(err, WT_UNLINKABLE, "memory refused");
	case WT_EXTERN_GLOBAL:
		out->u.global = wt_global_new(c->store, &imp->desc.global, 0);
		return out->u.global ? 0 : wt_fail_plain(err, WT_NOMEM, "out of memory");
	default:
		broken(c, "resolve", "import of an unknown kind passed validation");
		return WT_INTERNAL;
	}
}

/* Calls every exported function once with zero arguments. */
static void run_exports(fuzz_ctx *c, const wt_module *m, wt_instance *inst)
{
	for (uint32_t i = 0; i < m->nexports; i++) {
		wt_extern e;
		const wt_export *x = &m->exports[i];
		if (wt_instance_export(inst, x->name, x->name_len, &e))
			broken(c, "export", "a declared export is not found");
		if (e.kind != x->kind)
			broken(c, "export", "an export of the wrong kind");
		if (e.kind != WT_EXTERN_FUNC)
			continue;
		wt_trap trap;
		if (call_zeros(c->store, e.u.func, &trap))
			check_trap(c, &trap, "call");
	}
}

static wt_fuzz_outcome instantiate_and_run(fuzz_ctx *c, const wt_module *m)
{
	wt_store_limits limits = {WT_FUZZ_FUEL, WT_FUZZ_MAX_MEMORY, WT_FUZZ_CALL_DEPTH,
				  WT_FUZZ_STACK_SLOTS};
	c->store = wt_store_new(&limits);
	if (!c->store)
		abort();
	wt_instance *inst = NULL;
	wt_trap trap;
	wt_error err;
	wt_error_init(&err);
	wt_fuzz_outcome out = WT_FUZZ_RAN;
	int rc = wt_instantiate(c->store, m, resolve, c, &inst, &trap, &err);
	if (rc == -1) {
		if (inst)
			broken(c, "instantiate", "trapped but gave an instance");
		check_trap(c, &trap, "instantiate");
		out = WT_FUZZ_TRAPPED;
	} else if (rc) {
		if (inst || rc != (int)err.code || !status_known(rc) || !err.msg[0])
			broken(c, "instantiate", "a failure without a status and a message");
		out = WT_FUZZ_UNLINKED;
	} else {
		if (!inst)
			broken(c, "instantiate", "succeeded without an instance");
		run_exports(c, m, inst);
	}
	wt_store_free(c->store);
	c->store = NULL;
	return out;
}

wt_fuzz_outcome wt_fuzz_one(const uint8_t *bytes, size_t size, wt_fuzz_depth depth)
{
	fuzz_ctx *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->bytes = bytes;
	c->size = size;
	wt_module *m = NULL;
	wt_error err;
	wt_error_init(&err);
	wt_fuzz_outcome out = WT_FUZZ_VALID;
	int rc = wt_decode(bytes, size, &m, &err);
	if (rc) {
		if (m)
			broken(c, "decode", "failed but gave a module");
		check_load_error(c, rc, &err, "decode");
		out = WT_FUZZ_REJECTED;
		goto done;
	}
	rc = wt_validate(m, &err);
	if (rc) {
		check_load_error(c, rc, &err, "validate");
		out = WT_FUZZ_REJECTED;
		goto done;
	}
	if (depth == WT_FUZZ_RUN)
		out = instantiate_and_run(c, m);
done:
	wt_module_free(m);
	free(c);
	return out;
}
