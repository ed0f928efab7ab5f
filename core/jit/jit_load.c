/* jit_load.c: loads compiled objects (shared object files of jit_obj.h) into an instance: checks
 * what they were made for, resolves their relocation tables, sets the functions' compiled bodies.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jit.h"
#include "jit_obj.h"
#include "jit_reloc.h"
#include "sha256.h"

/* The objects loaded into one run, newest first; each one's functions (in its mapping) and how
 * many of them it set (the others were compiled already). */
struct wt_jit {
	void *handle;
	const uint32_t *funcs;
	uint32_t nfuncs, fresh;
	wt_jit *next;
};

/* What an object exports (jit_obj.h). */
typedef struct obj_syms {
	const char *ident;
	const uint32_t *head, *funcs, *relocs;
	wt_obj_link_fn link;
} obj_syms;

/* This program's (or library's) own ELF header (GNU linkers define it). */
extern const ElfW(Ehdr) __ehdr_start;

/* The file at path is a shared object of this machine's kind (the ELF header's magic, class,
 * byte order, type and machine): 0, WT_MALFORMED when it is not (the file's fault), or
 * WT_UNAVAILABLE when it cannot be read. Made before dlopen, so that dlopen's failures on a
 * file that passes are the process's (no room to map it, no file descriptor, a noexec
 * mount), not the object's: the code cache drops a piece only for its own fault. A name
 * without a slash is dlopen's to search for, and is not checked. */
static int check_elf(const char *path, wt_error *err)
{
	ElfW(Ehdr) h;
	if (!strchr(path, '/'))
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wt_fail_plain(err, WT_UNAVAILABLE, "%s: cannot open: %s", path,
				     strerror(errno));
	ssize_t n = pread(fd, &h, sizeof h, 0);
	close(fd);
	if (n != (ssize_t)sizeof h ||
	    memcmp(h.e_ident, __ehdr_start.e_ident, EI_VERSION + 1) != 0 || h.e_type != ET_DYN ||
	    h.e_machine != __ehdr_start.e_machine)
		return wt_fail_plain(err, WT_MALFORMED,
				     "%s: not a compiled object of wasi-tofu (not a shared object "
				     "for this machine)",
				     path);
	return 0;
}

static int find_syms(void *h, obj_syms *o, const char *path, wt_error *err)
{
	o->ident = dlsym(h, WT_OBJ_IDENT);
	o->head = dlsym(h, WT_OBJ_HEAD);
	o->funcs = dlsym(h, WT_OBJ_FUNCS);
	o->relocs = dlsym(h, WT_OBJ_RELOCS);
	*(void **)&o->link = dlsym(h, WT_OBJ_LINK);
	if (!o->ident || !o->head || !o->funcs || !o->relocs || !o->link ||
	    o->head[0] != WT_OBJ_MAGIC)
		return wt_fail_plain(err, WT_MALFORMED,
				     "%s: not a compiled object of wasi-tofu (no %s symbols)", path,
				     WT_OBJ_HEAD);
	return 0;
}

/* The object's identity against this module, tool and options. */
static int check_ident(const wt_instance *inst, const uint8_t *sha256, const obj_syms *o,
		       const char *path, wt_error *err)
{
	char want[WT_OBJ_IDENT_MAX];
	size_t tool = wt_obj_ident(inst, sha256, want);
	size_t n = strnlen(o->ident, WT_OBJ_IDENT_MAX);
	if (n < WT_OBJ_IDENT_MAX && strcmp(o->ident, want) == 0)
		return 0;
	if (n < WT_OBJ_IDENT_MAX && n > tool &&
	    strcmp(o->ident + n - strlen(want + tool), want + tool) != 0)
		return wt_fail_plain(err, WT_MALFORMED,
				     "%s: compiled for another module (it was made for '%.*s', "
				     "this module is '%s')",
				     path, (int)n, o->ident, want);
	return wt_fail_plain(err, WT_MALFORMED,
			     "%s: compiled by another version or configuration of wasi-tofu (it "
			     "was made for '%.*s', this run is '%s')",
			     path, (int)(n < WT_OBJ_IDENT_MAX ? n : 64), o->ident, want);
}

/* Every function index the object defines is a defined function of inst. */
static int check_funcs(const wt_instance *inst, const obj_syms *o, const char *path, wt_error *err)
{
	const wt_module *m = inst->module;
	for (uint32_t i = 0; i < o->head[1]; i++) {
		uint32_t fi = o->funcs[i];
		if (fi < m->nfunc_imports || fi >= m->nfuncs || inst->funcs[fi]->host ||
		    inst->funcs[fi]->instance != inst)
			return wt_fail_plain(err, WT_MALFORMED,
					     "%s: function %u of the object is not a defined "
					     "function of the module (%u imported, %u in all)",
					     path, fi, m->nfunc_imports, m->nfuncs);
	}
	return 0;
}

/* Every relocation of the object names an entry that exists for inst's
 * module, and the object's table is the size that module needs. */
static int check_relocs(const obj_syms *o, const wt_rel_layout *l, const char *path, wt_error *err)
{
	if (o->head[3] != l->base[WT_REL_KINDS])
		return wt_fail_plain(err, WT_MALFORMED,
				     "%s: relocation table of %u entries, the module needs %u",
				     path, o->head[3], l->base[WT_REL_KINDS]);
	for (uint32_t r = 0; r < o->head[2]; r++) {
		uint32_t k = o->relocs[2 * r], i = o->relocs[2 * r + 1];
		if (k >= WT_REL_KINDS || i >= wt_rel_count(l, k))
			return wt_fail_plain(err, WT_MALFORMED,
					     "%s: relocation %u (%s %u) out of range", path, r,
					     wt_rel_kind_name(k), i);
	}
	return 0;
}

/* Links a checked object into inst: its table filled, then the functions
 * set that no object loaded before set (an earlier object's code is kept:
 * the code cache loads its groups first). *fresh: how many it set. */
static int link_obj(wt_instance *inst, const obj_syms *o, const char *path, uint32_t *fresh,
		    wt_error *err)
{
	wt_rel_layout l;
	uint32_t n = o->head[1];
	wt_rel_layout_init(&l, inst->module);
	int rc = check_relocs(o, &l, path, err);
	if (rc)
		return rc;
	wt_jit_fn *fns = calloc(n ? n : 1, sizeof *fns);
	if (!fns)
		return wt_fail_plain(err, WT_NOMEM, "out of memory loading %s", path);
	void **table = o->link(fns);
	for (uint32_t r = 0; r < o->head[2]; r++) {
		uint32_t k = o->relocs[2 * r], i = o->relocs[2 * r + 1];
		table[l.base[k] + i] = wt_rel_resolve(inst, k, i);
	}
	*fresh = 0;
	for (uint32_t i = 0; i < n; i++)
		if (!inst->funcs[o->funcs[i]]->jit) {
			inst->funcs[o->funcs[i]]->jit = fns[i];
			++*fresh;
		}
	free(fns);
	return 0;
}

int wt_jit_load(wt_instance *inst, const uint8_t *sha256, const char *so_path, wt_jit **jit,
		wt_error *err)
{
	obj_syms o;
	wt_jit *j = calloc(1, sizeof *j);
	if (!j)
		return wt_fail_plain(err, WT_NOMEM, "out of memory loading %s", so_path);
	/* An object already loaded (by this name, or the same file by another)
	 * would come back as the same mapping: its one table would be
	 * relocated for inst under the code of the instance that has it. */
	void *again = dlopen(so_path, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
	if (again) {
		dlclose(again);
		free(j);
		return wt_fail_plain(err, WT_UNAVAILABLE,
				     "%s: an object by this name or file is loaded already (an "
				     "object serves one instance at a time)",
				     so_path);
	}
	int rc = check_elf(so_path, err);
	if (rc) {
		free(j);
		return rc;
	}
	j->handle = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
	if (!j->handle) {
		const char *why = dlerror();
		free(j);
		return wt_fail_plain(err, WT_UNAVAILABLE, "%s: cannot load: %s", so_path,
				     why ? why : "dlopen failed");
	}
	rc = find_syms(j->handle, &o, so_path, err);
	if (!rc)
		rc = check_ident(inst, sha256, &o, so_path, err);
	if (!rc)
		rc = check_funcs(inst, &o, so_path, err);
	if (!rc)
		rc = link_obj(inst, &o, so_path, &j->fresh, err);
	if (rc) {
		dlclose(j->handle);
		free(j);
		return rc;
	}
	j->funcs = o.funcs;
	j->nfuncs = o.head[1];
	j->next = *jit;
	*jit = j;
	return 0;
}

uint32_t wt_jit_newest(const wt_jit *j, const uint32_t **funcs, uint32_t *fresh)
{
	*funcs = j ? j->funcs : NULL;
	*fresh = j ? j->fresh : 0;
	return j ? j->nfuncs : 0;
}

void wt_jit_drop_newest(wt_jit **list)
{
	wt_jit *j = *list;
	if (!j)
		return;
	*list = j->next;
	dlclose(j->handle);
	free(j);
}

void wt_jit_free(wt_jit *j)
{
	while (j) {
		wt_jit *next = j->next;
		dlclose(j->handle);
		free(j);
		j = next;
	}
}
