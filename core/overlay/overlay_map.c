/* overlay_map.c: the overlay's node tables: paths below a mount root -> what the overlay knows. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "overlay_impl.h"

static size_t hash(const char *key, size_t len)
{
	uint64_t h = 1469598103934665603u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)key[i]) * 1099511628211u;
	return (size_t)h;
}

wt_ovnode *wt_ovmap_get(const wt_ovmap *m, const char *key, size_t len)
{
	if (m->n == 0)
		return NULL;
	for (wt_ovnode *nd = m->b[hash(key, len) & (m->nb - 1)]; nd; nd = nd->next)
		if (nd->len == len && memcmp(nd->key, key, len) == 0)
			return nd;
	return NULL;
}

static int grow(wt_ovmap *m)
{
	size_t nb = m->nb ? m->nb * 2 : 64;
	wt_ovnode **b = calloc(nb, sizeof *b);

	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < m->nb; i++)
		for (wt_ovnode *nd = m->b[i], *next; nd; nd = next) {
			size_t j = hash(nd->key, nd->len) & (nb - 1);
			next = nd->next;
			nd->next = b[j];
			b[j] = nd;
		}
	free(m->b);
	m->b = b;
	m->nb = nb;
	return 0;
}

static void insert(wt_ovmap *m, wt_ovnode *nd)
{
	size_t j = hash(nd->key, nd->len) & (m->nb - 1);

	nd->next = m->b[j];
	m->b[j] = nd;
	m->n++;
}

wt_ovnode *wt_ovmap_add(wt_ovmap *m, const char *key, size_t len)
{
	wt_ovnode *nd = wt_ovmap_get(m, key, len);

	if (nd)
		return nd;
	if ((m->n + 1 > m->nb * 2 || m->nb == 0) && grow(m))
		return NULL;
	if (!(nd = calloc(1, sizeof *nd)) || !(nd->key = strndup(key, len))) {
		free(nd);
		return NULL;
	}
	nd->len = (uint32_t)len;
	insert(m, nd);
	return nd;
}

static void node_free(wt_ovnode *nd)
{
	free(nd->key);
	free(nd->origin);
	free(nd);
}

/* Unlinks nd from its chain (it must be there). */
static void unlink_node(wt_ovmap *m, wt_ovnode *nd)
{
	wt_ovnode **p = &m->b[hash(nd->key, nd->len) & (m->nb - 1)];

	while (*p != nd)
		p = &(*p)->next;
	*p = nd->next;
	m->n--;
}

void wt_ovmap_del(wt_ovmap *m, const char *key, size_t len)
{
	wt_ovnode *nd = wt_ovmap_get(m, key, len);

	if (nd) {
		unlink_node(m, nd);
		node_free(nd);
	}
}

/* 1 when key lies strictly below the folder dir. */
static int below(const wt_ovnode *nd, const char *dir, size_t len)
{
	return nd->len > len && nd->key[len] == '/' && memcmp(nd->key, dir, len) == 0;
}

void wt_ovmap_drop_under(wt_ovmap *m, const char *key, size_t len)
{
	for (size_t i = 0; i < m->nb; i++)
		for (wt_ovnode *nd = m->b[i], *next; nd; nd = next) {
			next = nd->next;
			if (below(nd, key, len)) {
				unlink_node(m, nd);
				node_free(nd);
			}
		}
}

void wt_ovmap_drop_whiteouts(wt_ovmap *m, const char *key, size_t len)
{
	for (size_t i = 0; i < m->nb; i++)
		for (wt_ovnode *nd = m->b[i], *next; nd; nd = next) {
			next = nd->next;
			if (nd->kind == WT_OVN_WHITEOUT && below(nd, key, len)) {
				unlink_node(m, nd);
				node_free(nd);
			}
		}
}

int wt_ovmap_move(wt_ovmap *m, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), k = 0, cnt = 0;
	wt_ovnode **moved;

	wt_ovmap_drop_under(m, to, tl);
	wt_ovmap_del(m, to, tl);
	for (size_t i = 0; i < m->nb; i++)
		for (wt_ovnode *nd = m->b[i]; nd; nd = nd->next)
			cnt += nd->len == fl ? memcmp(nd->key, from, fl) == 0 : below(nd, from, fl);
	if (!(moved = malloc((cnt ? cnt : 1) * sizeof *moved)))
		return -ENOMEM;
	for (size_t i = 0; i < m->nb; i++)
		for (wt_ovnode *nd = m->b[i], *next; nd; nd = next) {
			next = nd->next;
			if ((nd->len == fl && memcmp(nd->key, from, fl) == 0) ||
			    below(nd, from, fl)) {
				unlink_node(m, nd);
				moved[k++] = nd;
			}
		}
	for (size_t i = 0; i < k; i++) {
		wt_ovnode *nd = moved[i];
		char *key = malloc(tl + nd->len - fl + 1);

		if (key) { /* out of memory: the node is lost, the tree stays consistent */
			memcpy(key, to, tl);
			memcpy(key + tl, nd->key + fl, nd->len - fl + 1);
			free(nd->key);
			nd->key = key;
			nd->len = (uint32_t)(tl + nd->len - fl);
			insert(m, nd);
		} else {
			node_free(nd);
		}
	}
	free(moved);
	return 0;
}

static int by_key(const void *a, const void *b)
{
	return strcmp((*(wt_ovnode *const *)a)->key, (*(wt_ovnode *const *)b)->key);
}

wt_ovnode **wt_ovmap_sorted(const wt_ovmap *m, size_t *n)
{
	wt_ovnode **v = malloc((m->n ? m->n : 1) * sizeof *v);
	size_t k = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < m->nb; i++)
		for (wt_ovnode *nd = m->b[i]; nd; nd = nd->next)
			v[k++] = nd;
	qsort(v, k, sizeof *v, by_key);
	*n = k;
	return v;
}

void wt_ovmap_fini(wt_ovmap *m)
{
	for (size_t i = 0; i < m->nb; i++)
		for (wt_ovnode *nd = m->b[i], *next; nd; nd = next) {
			next = nd->next;
			node_free(nd);
		}
	free(m->b);
	memset(m, 0, sizeof *m);
}

int wt_ovnode_set_origin(wt_ovnode *nd, const char *origin)
{
	char *copy = origin ? strdup(origin) : NULL;

	if (origin && !copy)
		return -ENOMEM;
	free(nd->origin);
	nd->origin = copy;
	return 0;
}
