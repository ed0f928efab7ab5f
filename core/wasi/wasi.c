/* wasi.c: the WASI host's setup: mounts, stdio, preopens, args/env, and the import resolver. */
#include "wasi.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "overlay_wasi.h"
#include "wasi_impl.h"

static const struct {
	const char *name;
	const char *sig;
} call_table[] = {
#define WT_X_ROW(name, sig, cls) {#name, sig},
    WT_WASI_CALL_LIST(WT_X_ROW)
#undef WT_X_ROW
};

int wt_wasi_add_fd(wt_wasi *w, int host, uint8_t type, int mount, const char *path, size_t path_len,
		   uint64_t base, uint64_t inheriting, uint32_t *fd)
{
	wt_fdent *e;
	char *copy = NULL;
	int rc;

	if (path) {
		copy = malloc(path_len + 1);
		if (!copy)
			return WT_ENOMEM;
		memcpy(copy, path, path_len);
		copy[path_len] = '\0';
	}
	if ((rc = wt_fdtable_alloc(&w->fds, fd))) {
		free(copy);
		return rc;
	}
	e = &w->fds.ents[*fd];
	memset(e, 0, sizeof *e);
	e->host = host;
	e->type = type;
	e->owned = 1;
	e->type_known = 1;
	e->mount = mount;
	e->base = base;
	e->inheriting = inheriting;
	e->path = copy;
	e->path_len = (uint32_t)path_len;
	return 0;
}

void wt_wasi_fd_learn_type(wt_fdent *f, uint8_t type)
{
	if (f->type_known)
		return;
	f->type = type;
	f->type_known = 1;
	f->base &= type == WT_FT_DIRECTORY ? WT_WR_DIR : WT_WR_FILE;
}

uint8_t wt_wasi_fd_type(wt_wasi *w, wt_fdent *f)
{
	wt_hstat st;

	if (!f->type_known)
		wt_wasi_fd_learn_type(f, wt_host_fstat(w->host, f->host, &st) == 0 ? st.type
										   : WT_FT_UNKNOWN);
	return f->type;
}

void wt_wasi_write_filestat(uint8_t *out, const wt_hstat *st)
{
	memset(out, 0, WT_FILESTAT_SIZE);
	wt_put64(out + 0, st->dev);
	wt_put64(out + 8, st->ino);
	out[16] = st->type;
	wt_put64(out + 24, st->nlink);
	wt_put64(out + 32, st->size);
	wt_put64(out + 40, st->atim);
	wt_put64(out + 48, st->mtim);
	wt_put64(out + 56, st->ctim);
}

static int add_stdio(wt_wasi *w, const wt_wasi_config *cfg, wt_error *err)
{
	for (int i = 0; i < 3; i++) {
		int host = cfg->stdio_fds[i], owned = 0;
		uint64_t base = WT_WR_FILE;
		wt_hstat st;
		uint32_t fd;

		if (host < 0 || wt_host_fstat(w->host, host, &st) != 0) {
			host = open("/dev/null", O_RDWR | O_CLOEXEC);
			owned = 1;
			if (host < 0 || wt_host_fstat(w->host, host, &st) != 0)
				return wt_fail_plain(err, WT_INTERNAL, "cannot open /dev/null");
		}
		if (st.type == WT_FT_CHARACTER_DEVICE) /* isatty() wants no seek */
			base &= ~(WT_WR_FD_SEEK | WT_WR_FD_TELL);
		if (wt_wasi_add_fd(w, host, st.type, -1, NULL, 0, base, 0, &fd) ||
		    fd != (uint32_t)i)
			return wt_fail_plain(err, WT_NOMEM, "cannot set up stdio");
		w->fds.ents[fd].owned = (uint8_t)owned;
		w->fds.ents[fd].stdio = (uint8_t)(WT_EV_STDIN + i);
	}
	return 0;
}

/* Canonicalises an absolute guest path from the configuration. */
static int canon_config_path(const char *p, char *out, size_t *len, wt_error *err)
{
	size_t n = strlen(p);

	if (n == 0 || p[0] != '/')
		return wt_fail_plain(err, WT_USAGE, "guest path '%s' is not absolute", p);
	if (wt_path_join("/", 1, (const uint8_t *)p, n, 1, out, WT_PATH_MAX + 1, len))
		return wt_fail_plain(err, WT_USAGE, "guest path '%s' is not a valid path", p);
	return 0;
}

static int add_mount(wt_wasi *w, const wt_mount *m, wt_error *err)
{
	wt_wmount *wm = &w->mounts[w->nmounts];
	uint64_t base = WT_WR_DIR, inh = WT_WR_ALL & ~(WT_WR_SOCK_ACCEPT | WT_WR_SOCK_SHUTDOWN);
	uint32_t fd;
	size_t len;

	if (canon_config_path(m->guest, w->path1, &len, err))
		return err->code;
	wm->root = open(m->host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (wm->root < 0)
		return wt_fail_plain(err, WT_NOINPUT, "mount %s: cannot open host folder %s",
				     w->path1, m->host);
	wm->guest = strdup(w->path1);
	if (!wm->guest) {
		close(wm->root);
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	}
	wm->guest_len = len;
	wm->host = m->host;
	wm->readonly = m->readonly;
	w->nmounts++;
	/* The preopen holds its own fd: the guest may close it. */
	if (wt_wasi_add_fd(w, dup(wm->root), WT_FT_DIRECTORY, w->nmounts - 1, wm->guest, len, base,
			   inh, &fd))
		return wt_fail_plain(err, WT_NOMEM, "cannot add the preopen of %s", wm->guest);
	w->fds.ents[fd].preopen = 1;
	w->fds.ents[fd].prestat = wm->guest;
	return 0;
}

/* The synthetic root, mounted read-only at "/" after the mounts. */
static int add_root(wt_wasi *w, wt_error *err)
{
	wt_mount root = {NULL, "/", 1};
	int rc;

	if (wt_wasi_root_new(&w->root_dir, err))
		return err->code;
	root.host = w->root_dir;
	rc = add_mount(w, &root, err);
	wt_wasi_root_opened(w->root_dir);
	return rc;
}

/* The mount holding the canonical guest path p (the longest prefix; a
 * later mount wins a tie), or -1. */
int wt_wasi_mount_of(const wt_wasi *w, const char *p, size_t len)
{
	int best = -1;

	for (int i = 0; i < w->nmounts; i++)
		if (wt_path_within(w->mounts[i].guest, w->mounts[i].guest_len, p, len) &&
		    (best < 0 || w->mounts[i].guest_len >= w->mounts[best].guest_len))
			best = i;
	return best;
}

/* The guest cwd: a preopen named "." when it is not "/". */
static int add_cwd(wt_wasi *w, const char *cwd, wt_error *err)
{
	char rel[WT_PATH_MAX + 1];
	size_t len, off;
	int m, host, rc;
	uint32_t fd;

	if (!cwd)
		cwd = "/";
	if (canon_config_path(cwd, w->path2, &len, err))
		return err->code;
	if (len == 1)
		return 0;
	m = wt_wasi_mount_of(w, w->path2, len);
	if (m < 0)
		return wt_fail_plain(err, WT_USAGE, "cwd %s is not under any mount", w->path2);
	off = wt_path_rel_offset(w->mounts[m].guest_len, len);
	snprintf(rel, sizeof rel, "%s", off < len ? w->path2 + off : ".");
	rc = wt_host_open(w->host, w->mounts[m].root, rel, O_RDONLY | O_DIRECTORY, 0, 1, &host);
	if (rc)
		return wt_fail_plain(err, WT_NOINPUT, "cwd %s: no such folder in its mount",
				     w->path2);
	if (wt_wasi_add_fd(w, host, WT_FT_DIRECTORY, m, w->path2, len, WT_WR_DIR,
			   WT_WR_ALL & ~(WT_WR_SOCK_ACCEPT | WT_WR_SOCK_SHUTDOWN), &fd)) {
		close(host);
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	}
	w->fds.ents[fd].preopen = 1;
	w->fds.ents[fd].prestat = ".";
	return 0;
}

static uint32_t strings_size(int n, const char *const *v)
{
	uint64_t total = 0;

	for (int i = 0; i < n; i++)
		total += strlen(v[i]) + 1;
	return total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}

/* The host's blocking calls give up once the run is asked to stop. */
static int run_stopping(void *store)
{
	return wt_store_interrupted(store);
}

int wt_wasi_new(const wt_wasi_config *cfg, wt_wasi **out, wt_error *err)
{
	wt_wasi *w = calloc(1, sizeof *w);

	*out = NULL;
	if (!w || !(w->host = wt_host_new(0)))
		goto nomem;
	w->mounts = calloc((size_t)cfg->nmounts + 1, sizeof *w->mounts);
	if (!w->mounts)
		goto nomem;
	w->store = cfg->store;
	if (w->store)
		wt_host_set_stop(w->host, run_stopping, w->store);
	w->policy = cfg->policy;
	w->argc = cfg->argc;
	w->argv = cfg->argv;
	w->nenv = cfg->nenv;
	w->env = cfg->env;
	w->args_size = strings_size(cfg->argc, cfg->argv);
	w->env_size = strings_size(cfg->nenv, cfg->env);
	w->start_ns = wt_host_monotonic();
	wt_fakes_init(&w->fakes, &cfg->fakes);
	w->trace_fd = cfg->trace_imports ? cfg->trace_fd : -1;
	w->stdio_write = cfg->stdio_write, w->stdio_ctx = cfg->stdio_ctx;
	for (int i = 0; i < WT_WASI_CALL_COUNT; i++)
		w->binds[i] = (wt_wasi_bind){w, (wt_wasi_call)i};
	if (add_stdio(w, cfg, err))
		goto fail;
	for (int i = 0; i < cfg->nmounts; i++)
		if (add_mount(w, &cfg->mounts[i], err))
			goto fail;
	if (wt_wasi_root_needed(cfg) && add_root(w, err))
		goto fail;
	if (wt_wasi_guards(w, cfg, err))
		goto fail;
	if (cfg->contain && wt_overlay_attach(w, cfg->contain, err))
		goto fail;
	if (add_cwd(w, cfg->cwd, err))
		goto fail;
	*out = w;
	return 0;
nomem:
	wt_fail_plain(err, WT_NOMEM, "out of memory");
fail:
	wt_wasi_free(w);
	return err->code;
}

void wt_wasi_free(wt_wasi *w)
{
	if (!w)
		return;
	for (uint32_t i = 0; i < w->fds.n; i++)
		if (w->fds.ents[i].host >= 0 && w->fds.ents[i].owned)
			close(w->fds.ents[i].host);
	wt_fdtable_fini(&w->fds);
	for (int i = 0; i < w->nmounts; i++)
		close(w->mounts[i].root);
	free(w->root_dir);
	for (int i = 0; i < w->nmounts; i++) {
		free(w->mounts[i].guest);
		wt_wasi_guards_free(&w->mounts[i]);
	}
	free(w->mounts);
	wt_host_free(w->host);
	free(w);
}

/* Checks the module's type for an import against a signature "ii:i". */
static int sig_matches(const wt_functype *ft, const char *sig)
{
	uint32_t i = 0, np = 0;
	const char *p = sig;

	for (; *p && *p != ':'; p++, np++)
		if (np >= ft->nparams || ft->types[np] != (*p == 'I' ? WT_I64 : WT_I32))
			return 0;
	if (np != ft->nparams)
		return 0;
	for (p++; *p; p++, i++)
		if (i >= ft->nresults || ft->types[np + i] != (*p == 'I' ? WT_I64 : WT_I32))
			return 0;
	return i == ft->nresults;
}

/* The host function of every import when tracing: writes the call's
 * name on entry, in one write so that nothing is lost at a trap or exit,
 * then runs the gate. A failed write is ignored: the trace is a test aid. */
static int trace_call(wt_host_call *hc, const wt_slot *args, wt_slot *results)
{
	const wt_wasi_bind *b = hc->data;
	char line[64];
	int n = snprintf(line, sizeof line, "%s\n", call_table[b->call].name);

	if (n > 0 && (size_t)n < sizeof line) {
		ssize_t wrote = write(b->w->trace_fd, line, (size_t)n);
		(void)wrote;
	}
	return wt_gate_call(hc, args, results);
}

/* Makes the host function of call i in the store. */
static wt_funcinst *make_func(wt_wasi *w, int i)
{
	uint8_t types[16];
	wt_functype ft = {0, 0, types};
	const char *p = call_table[i].sig;

	for (; *p && *p != ':'; p++)
		types[ft.nparams++] = *p == 'I' ? WT_I64 : WT_I32;
	for (p++; *p; p++)
		types[ft.nparams + ft.nresults++] = *p == 'I' ? WT_I64 : WT_I32;
	return wt_func_new_host(w->store, &ft, w->trace_fd >= 0 ? trace_call : wt_gate_call,
				&w->binds[i]);
}

int wt_wasi_resolve(void *ctx, const wt_module *m, const wt_import *imp, wt_extern *out,
		    wt_error *err)
{
	static const char mod[] = "wasi_snapshot_preview1";
	wt_wasi *w = ctx;
	int i;

	if (imp->module_len != sizeof mod - 1 || memcmp(imp->module, mod, sizeof mod - 1) != 0)
		return wt_fail_plain(err, WT_UNLINKABLE, "unknown import %.*s.%.*s",
				     (int)imp->module_len, imp->module, (int)imp->name_len,
				     imp->name);
	for (i = 0; i < WT_WASI_CALL_COUNT; i++)
		if (strlen(call_table[i].name) == imp->name_len &&
		    memcmp(call_table[i].name, imp->name, imp->name_len) == 0)
			break;
	if (i == WT_WASI_CALL_COUNT)
		return wt_fail_plain(err, WT_UNLINKABLE, "unknown import %s.%.*s", mod,
				     (int)imp->name_len, imp->name);
	if (imp->kind != WT_EXTERN_FUNC || imp->desc.type_index >= m->ntypes ||
	    !sig_matches(&m->types[imp->desc.type_index], call_table[i].sig))
		return wt_fail_plain(err, WT_UNLINKABLE, "incompatible import type for %s.%s", mod,
				     call_table[i].name);
	if (!w->store)
		return wt_fail_plain(err, WT_INTERNAL, "the WASI host has no store");
	if (!w->funcs[i] && !(w->funcs[i] = make_func(w, i)))
		return wt_fail_plain(err, WT_NOMEM, "cannot create %s.%s", mod, call_table[i].name);
	out->kind = WT_EXTERN_FUNC;
	out->u.func = w->funcs[i];
	return 0;
}

const char *wt_wasi_call_name(wt_wasi_call call)
{
	return (unsigned)call < WT_WASI_CALL_COUNT ? call_table[call].name : "?";
}

int wt_wasi_call_of_name(const char *name, wt_wasi_call *call)
{
	for (unsigned i = 0; name && i < WT_WASI_CALL_COUNT; i++)
		if (strcmp(call_table[i].name, name) == 0) {
			*call = (wt_wasi_call)i;
			return 0;
		}
	return -1;
}
