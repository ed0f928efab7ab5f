/* modules.c: the spec runner's store: loaded modules, named and registered instances, imports. */
#include "modules.h"

#include <stdlib.h>
#include <string.h>

/* Grows *arr (of elem-size items) to hold one more; 0 or -1. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *p = realloc(*arr, ncap * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

static int str_eq(wt_spec_str a, const char *s, size_t len)
{
	return a.s && a.len == len && !memcmp(a.s, s, len);
}

static wt_spec_binding *find(wt_spec_binding *b, size_t n, const char *s, size_t len)
{
	for (size_t i = n; i-- > 0;)
		if (str_eq(b[i].name, s, len))
			return &b[i];
	return NULL;
}

int wt_spec_modules_init(wt_spec_modules *m, const char *dir, FILE *trace)
{
	memset(m, 0, sizeof *m);
	m->dir = dir;
	m->store = wt_store_new(NULL);
	if (!m->store)
		return -1;
	if (wt_spec_spectest_init(&m->spectest, m->store, trace)) {
		wt_spec_modules_fini(m);
		return -1;
	}
	return 0;
}

void wt_spec_modules_fini(wt_spec_modules *m)
{
	wt_store_free(m->store);
	for (size_t i = 0; i < m->njits; i++)
		wt_jit_free(m->jits[i]);
	free(m->jits);
	for (size_t i = 0; i < m->nloaded; i++) {
		wt_module_free(m->loaded[i].module);
		free(m->loaded[i].bytes);
	}
	free(m->loaded);
	free(m->names);
	free(m->registered);
	memset(m, 0, sizeof *m);
}

/* Reads a whole file into a malloc'd buffer; 0 or a status with err. */
static int read_file(const char *path, uint8_t **out, size_t *size, wt_error *err)
{
	uint8_t *buf = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return wt_fail_plain(err, WT_NOINPUT, "cannot open %s", path);
	if (fseek(f, 0, SEEK_END) || ftell(f) < 0)
		goto fail;
	*size = (size_t)ftell(f);
	rewind(f);
	buf = malloc(*size ? *size : 1);
	if (!buf || fread(buf, 1, *size, f) != *size)
		goto fail;
	fclose(f);
	*out = buf;
	return 0;
fail:
	free(buf);
	fclose(f);
	return wt_fail_plain(err, WT_IO, "cannot read %s", path);
}

int wt_spec_modules_load(wt_spec_modules *m, const char *filename, wt_module **out, wt_error *err)
{
	char path[4096];
	uint8_t *bytes = NULL;
	size_t size = 0;
	wt_module *mod = NULL;
	int rc;
	wt_error_init(err);
	snprintf(path, sizeof path, "%s/%s", m->dir, filename ? filename : "");
	rc = read_file(path, &bytes, &size, err);
	if (rc)
		return rc;
	rc = wt_decode(bytes, size, &mod, err);
	if (!rc)
		rc = wt_validate(mod, err);
	if (!rc && out && grow((void **)&m->loaded, &m->cap_loaded, m->nloaded, sizeof *m->loaded))
		rc = wt_fail_plain(err, WT_NOMEM, "out of memory");
	if (rc || !out) {
		wt_module_free(mod);
		free(bytes);
		return rc;
	}
	m->loaded[m->nloaded++] = (wt_spec_loaded){bytes, mod};
	*out = mod;
	return 0;
}

/* The wt_resolver: registered instances first, then spectest. */
static int resolve(void *ctx, const wt_module *mod, const wt_import *imp, wt_extern *out,
		   wt_error *err)
{
	wt_spec_modules *m = ctx;
	wt_spec_binding *b = find(m->registered, m->nregistered, imp->module, imp->module_len);
	if (b && !wt_instance_export(b->inst, imp->name, imp->name_len, out))
		return 0;
	if (!b && imp->module_len == 8 && !memcmp(imp->module, "spectest", 8) &&
	    !wt_spec_spectest_find(&m->spectest, imp->name, imp->name_len, out))
		return 0;
	return wt_fail_plain(err, WT_UNLINKABLE, "unknown import \"%s\".\"%s\"", imp->module,
			     imp->name);
}

int wt_spec_modules_instantiate(wt_spec_modules *m, const char *filename, wt_instance **inst,
				wt_trap *trap, wt_error *err)
{
	wt_module *mod;
	int rc = wt_spec_modules_load(m, filename, &mod, err);
	if (rc)
		return rc;
	memset(trap, 0, sizeof *trap);
	*inst = NULL;
	if (!m->jit)
		return wt_instantiate(m->store, mod, resolve, m, inst, trap, err);
	/* the compiling tier: between building the instance and its start */
	wt_instance *in;
	wt_jit *j = NULL;
	if ((rc = wt_instantiate_begin(m->store, mod, resolve, m, &in, err)))
		return rc;
	if (grow((void **)&m->jits, &m->cap_jits, m->njits, sizeof *m->jits))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	wt_jit_stats st = {0};
	if ((rc = wt_jit_compile_instance(in, &j, &st, err)))
		return rc;
	m->jits[m->njits++] = j;
	/* every op is translated (vector ones too): a function left to the
	 * interpreter would hide the compiled tier's behaviour from the script */
	if (st.fallback)
		return wt_fail_plain(err, WT_INTERNAL, "%u of %u functions left uncompiled",
				     (unsigned)st.fallback, (unsigned)st.funcs);
	if ((rc = wt_instantiate_finish(in, trap, err)) == 0)
		*inst = in;
	return rc;
}

void wt_spec_modules_bind(wt_spec_modules *m, wt_spec_str name, wt_instance *inst)
{
	m->current = inst;
	if (!name.s)
		return;
	wt_spec_binding *b = find(m->names, m->nnames, name.s, name.len);
	if (b) {
		b->inst = inst;
		return;
	}
	if (grow((void **)&m->names, &m->cap_names, m->nnames, sizeof *m->names))
		return;
	m->names[m->nnames++] = (wt_spec_binding){name, inst};
}

wt_instance *wt_spec_modules_instance(const wt_spec_modules *m, wt_spec_str name)
{
	if (!name.s)
		return m->current;
	wt_spec_binding *b = find(m->names, m->nnames, name.s, name.len);
	return b ? b->inst : NULL;
}

int wt_spec_modules_register(wt_spec_modules *m, wt_spec_str as, wt_instance *inst)
{
	wt_spec_binding *b = find(m->registered, m->nregistered, as.s, as.len);
	if (b) {
		b->inst = inst;
		return 0;
	}
	if (grow((void **)&m->registered, &m->cap_registered, m->nregistered,
		 sizeof *m->registered))
		return -1;
	m->registered[m->nregistered++] = (wt_spec_binding){as, inst};
	return 0;
}
