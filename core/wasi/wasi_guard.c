/* wasi_guard.c: the guarded places of each mount (wt_guard): other mounts' points and host
 * folders inside it, and the policy's own files. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_impl.h"

static int add_guard(wt_wmount *mt, const char *rel, size_t len, int kind, int mount)
{
	wt_guard *g = realloc(mt->guards, (size_t)(mt->nguards + 1) * sizeof *g);

	if (!g)
		return -1;
	mt->guards = g;
	g = &g[mt->nguards];
	if (!(g->rel = strndup(rel, len)))
		return -1;
	g->len = len;
	g->kind = kind;
	g->mount = mount;
	mt->nguards++;
	mt->npolicy += kind == WT_GUARD_POLICY;
	return 0;
}

/* The part of the canonical path p below the canonical folder dir, when p
 * lies strictly below it: its offset in p, else 0. */
static size_t below(const char *dir, const char *p)
{
	size_t dlen = strlen(dir), plen = strlen(p);

	if (dlen == plen || !wt_path_within(dir, dlen, p, plen))
		return 0;
	return wt_path_rel_offset(dlen, plen);
}

/* The host path p made absolute and canonical, its folders resolved
 * (the file itself need not exist); malloc'd, or NULL. */
static char *real_file(const char *p)
{
	const char *slash = strrchr(p, '/');
	char *dir = slash ? strndup(p, slash == p ? 1 : (size_t)(slash - p)) : strdup(".");
	const char *base = slash ? slash + 1 : p;
	char *real, *out = NULL;

	if (!dir)
		return NULL;
	real = realpath(dir, NULL);
	free(dir);
	if (!real || !*base)
		goto done;
	out = malloc(strlen(real) + strlen(base) + 2);
	if (out)
		sprintf(out, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
done:
	free(real);
	return out;
}

/* Mount j inside mount i: in the guest's namespace, on the host, or both. */
static int guard_pair(wt_wasi *w, char **real, int i, int j, wt_error *err)
{
	wt_wmount *mi = &w->mounts[i], *mj = &w->mounts[j];
	size_t off;

	if (real[i] && real[j] && strcmp(real[i], real[j]) == 0 && mi->readonly != mj->readonly)
		return wt_fail_plain(err, WT_USAGE,
				     "mounts %s and %s are the same host folder %s, once read-only "
				     "and once writable: mount it once",
				     mi->guest, mj->guest, real[i]);
	if ((off = below(mi->guest, mj->guest)) &&
	    add_guard(mi, mj->guest + off, mj->guest_len - off, WT_GUARD_POINT, j))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	if (real[i] && real[j] && (off = below(real[i], real[j])) &&
	    add_guard(mi, real[j] + off, strlen(real[j] + off), WT_GUARD_ALIAS, j))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	return 0;
}

static int guard_policy(wt_wasi *w, char **real, const char *file, wt_error *err)
{
	char *p = real_file(file);
	size_t off;
	int rc = 0;

	for (int i = 0; p && i < w->nmounts && rc == 0; i++)
		if (real[i] && (off = below(real[i], p)) &&
		    add_guard(&w->mounts[i], p + off, strlen(p + off), WT_GUARD_POLICY, i))
			rc = wt_fail_plain(err, WT_NOMEM, "out of memory");
	free(p);
	return rc;
}

int wt_wasi_guards(wt_wasi *w, const wt_wasi_config *cfg, wt_error *err)
{
	char **real = calloc((size_t)w->nmounts + 1, sizeof *real);
	int rc = 0;

	if (!real)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	for (int i = 0; i < w->nmounts; i++)
		real[i] = realpath(w->mounts[i].host, NULL);
	for (int i = 0; i < w->nmounts && rc == 0; i++)
		for (int j = 0; j < w->nmounts && rc == 0; j++)
			if (i != j)
				rc = guard_pair(w, real, i, j, err);
	for (int k = 0; k < cfg->nprotect && rc == 0; k++)
		rc = guard_policy(w, real, cfg->protect[k], err);
	for (int i = 0; i < w->nmounts; i++)
		free(real[i]);
	free(real);
	return rc;
}

void wt_wasi_guards_free(wt_wmount *mt)
{
	for (int i = 0; i < mt->nguards; i++)
		free(mt->guards[i].rel);
	free(mt->guards);
	mt->guards = NULL;
	mt->nguards = mt->npolicy = 0;
}
