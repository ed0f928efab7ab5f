/* overlay_dir.c: merged folder listings of a contained mount: upper and host, minus whiteouts. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "overlay_impl.h"
#include "wasi_abi.h"

void wt_ovl_dir_free(wt_ovdir *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->e[i].name);
	free(d->e);
	free(d);
}

size_t wt_ovl_dir_count(const wt_ovdir *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += strcmp(d->e[i].name, ".") != 0 && strcmp(d->e[i].name, "..") != 0;
	return n;
}

static int push(wt_ovdir *d, const wt_hdirent *he)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		wt_ovent *e = realloc(d->e, cap * sizeof *e);
		if (!e)
			return WT_ENOMEM;
		d->e = e;
		d->cap = cap;
	}
	if (!(d->e[d->n].name = strndup(he->name, he->namelen)))
		return WT_ENOMEM;
	d->e[d->n].ino = he->ino;
	d->e[d->n].type = he->type;
	d->n++;
	return 0;
}

static int is_dot(const wt_hdirent *he)
{
	return (he->namelen == 1 && he->name[0] == '.') ||
	       (he->namelen == 2 && he->name[0] == '.' && he->name[1] == '.');
}

/* 1 when the name in folder rel has a node (an upper entry or a whiteout). */
static int shadowed(const wt_overlay *ov, const char *rel, const wt_hdirent *he)
{
	char key[WT_PATH_MAX + 1];
	int n = strcmp(rel, ".") == 0
		    ? snprintf(key, sizeof key, "%.*s", (int)he->namelen, he->name)
		    : snprintf(key, sizeof key, "%s/%.*s", rel, (int)he->namelen, he->name);

	return n > 0 && (size_t)n < sizeof key && wt_ovmap_get(&ov->nodes, key, (size_t)n);
}

/* Adds the entries of folder rel in root; dots only when want_dots; a
 * name with a node only when upper. */
static int add_layer(wt_overlay *ov, int root, const char *rel, int upper, int want_dots,
		     wt_ovdir *d)
{
	wt_hdirent he;
	wt_hdir *hd;
	int fd, rc, e = 0;

	if ((rc = wt_host_open(ov->h, root, rel, O_RDONLY | O_DIRECTORY, 0, 0, &fd)))
		return rc == -ENOENT && !want_dots ? 0 : wt_wasi_errno(rc);
	rc = wt_host_dir_open(fd, &hd);
	close(fd);
	if (rc)
		return wt_wasi_errno(rc);
	while (e == 0 && (rc = wt_host_dir_next(hd, &he)) > 0) {
		if (is_dot(&he) ? !want_dots : !upper && shadowed(ov, rel, &he))
			continue;
		e = push(d, &he);
	}
	wt_host_dir_close(hd);
	return e ? e : rc < 0 ? wt_wasi_errno(rc) : 0;
}

static int by_name(const void *a, const void *b)
{
	const wt_ovent *x = a, *y = b;
	int dx = strcmp(x->name, ".") == 0 ? 0 : strcmp(x->name, "..") == 0 ? 1 : 2;
	int dy = strcmp(y->name, ".") == 0 ? 0 : strcmp(y->name, "..") == 0 ? 1 : 2;

	return dx != dy ? dx - dy : strcmp(x->name, y->name);
}

int wt_ovl_list(wt_overlay *ov, const char *rel, wt_ovdir **out)
{
	int layer = wt_ovl_layer_of(ov, rel), e;
	const wt_ovnode *nd = wt_ovmap_get(&ov->nodes, rel, strlen(rel));
	wt_ovdir *d = calloc(1, sizeof *d);

	if (!d)
		return WT_ENOMEM;
	if (strcmp(rel, ".") == 0) { /* the root: never a node, both layers */
		e = add_layer(ov, ov->lower, rel, 0, 1, d);
		if (e == 0 && ov->nodes.n)
			e = add_layer(ov, ov->upper, rel, 1, 0, d);
	} else if (layer == WT_OVL_UPPER) {
		e = add_layer(ov, ov->upper, rel, 1, 1, d);
		if (e == 0 && nd && nd->kind == WT_OVN_DIR && !nd->opaque &&
		    !wt_ovl_hidden(ov, rel))
			e = add_layer(ov, ov->lower, rel, 0, 0, d);
	} else {
		e = add_layer(ov, ov->lower, rel, 0, 1, d);
	}
	if (e) {
		wt_ovl_dir_free(d);
		return e;
	}
	qsort(d->e, d->n, sizeof *d->e, by_name);
	*out = d;
	return 0;
}
