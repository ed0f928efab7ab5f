/* refusals.c: `refused` entries as one pattern trie per (call, errno), in the order given. */
#include "refusals.h"

#include <stdlib.h>

#include "grow.h"
#include "match.h"

typedef struct group {
	wt_wasi_call call;
	uint16_t error;
	wt_match *paths;
} group;

struct wt_refusals {
	group *v;
	size_t n, cap;
};

wt_refusals *wt_refusals_new(void)
{
	return calloc(1, sizeof(wt_refusals));
}

void wt_refusals_free(wt_refusals *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		wt_match_free(r->v[i].paths);
	free(r->v);
	free(r);
}

/* The group of (call, error), added when missing; NULL when out of memory. */
static group *group_of(wt_refusals *r, wt_wasi_call call, uint16_t error)
{
	group *g;

	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].call == call && r->v[i].error == error)
			return &r->v[i];
	if (WT_GROW(&r->v, &r->cap, r->n + 1, 4))
		return NULL;
	g = &r->v[r->n];
	*g = (group){call, error, wt_match_new()};
	if (!g->paths)
		return NULL;
	r->n++;
	return g;
}

int wt_refusals_add(wt_refusals *r, wt_wasi_call call, uint16_t error, const char *literal,
		    size_t lit_len, const char *pattern, wt_error *err)
{
	group *g = group_of(r, call, error);

	if (!g)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	return wt_match_add(g->paths, literal, lit_len, pattern, 1, err);
}

uint16_t wt_refusals_find(const wt_refusals *r, wt_wasi_call call, const char *path, size_t len)
{
	for (size_t i = 0; r && i < r->n; i++)
		if (r->v[i].call == call && wt_match_rights(r->v[i].paths, path, len))
			return r->v[i].error;
	return 0;
}
