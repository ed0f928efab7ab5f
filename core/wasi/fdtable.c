/* fdtable.c: the dense table of guest fds (lowest free number first). */
#include <stdlib.h>
#include <string.h>

#include "overlay_wasi.h"
#include "wasi_impl.h"

int wt_fdtable_alloc(wt_fdtable *t, uint32_t *fd)
{
	uint32_t i;

	for (i = 0; i < t->n; i++)
		if (t->ents[i].host < 0)
			break;
	if (i == t->n) {
		if (t->n >= WT_FD_MAX)
			return WT_EMFILE;
		if (t->n == t->cap) {
			uint32_t cap = t->cap ? t->cap * 2 : 16;
			wt_fdent *e = realloc(t->ents, cap * sizeof *e);
			if (!e)
				return WT_ENOMEM;
			t->ents = e;
			t->cap = cap;
		}
		memset(&t->ents[t->n], 0, sizeof t->ents[0]);
		t->ents[t->n].host = -1;
		t->n++;
	}
	*fd = i;
	return 0;
}

void wt_fdtable_release(wt_fdtable *t, uint32_t fd)
{
	wt_fdent *e = &t->ents[fd];

	free(e->path);
	wt_host_dir_close(e->dir);
	wt_overlay_dir_free(e->ovdir);
	memset(e, 0, sizeof *e);
	e->host = -1;
	while (t->n > 0 && t->ents[t->n - 1].host < 0)
		t->n--;
}

void wt_fdtable_move(wt_fdtable *t, uint32_t from, uint32_t to)
{
	if (to >= t->n)
		t->n = to + 1;
	t->ents[to] = t->ents[from];
	memset(&t->ents[from], 0, sizeof t->ents[0]);
	t->ents[from].host = -1;
	while (t->n > 0 && t->ents[t->n - 1].host < 0)
		t->n--;
}

void wt_fdtable_fini(wt_fdtable *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		if (t->ents[i].host >= 0) {
			free(t->ents[i].path);
			wt_host_dir_close(t->ents[i].dir);
			wt_overlay_dir_free(t->ents[i].ovdir);
		}
	free(t->ents);
	memset(t, 0, sizeof *t);
}
