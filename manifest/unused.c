/* unused.c: which files rules the journals `check` replays used, over every journal. */
#include "unused.h"

#include <stdlib.h>

#include "mint.h"
#include "needs.h"

struct wt_unused {
	const wt_manifest *ms[2];
	unsigned char *used[2]; /* rule k of file i: some journal used it */
	wt_devloc_rules *now;	/* the journal being replayed: its rules, instantiated */
};

wt_unused *wt_unused_new(const wt_manifest *m, const wt_manifest *override)
{
	wt_unused *u = calloc(1, sizeof *u);

	if (!u)
		return NULL;
	u->ms[0] = m, u->ms[1] = override;
	for (int i = 0; i < 2; i++)
		if (u->ms[i] && u->ms[i]->nfiles &&
		    !(u->used[i] = calloc(u->ms[i]->nfiles, sizeof *u->used[i]))) {
			wt_unused_free(u);
			return NULL;
		}
	return u;
}

void wt_unused_free(wt_unused *u)
{
	if (!u)
		return;
	wt_devloc_rules_free(u->now);
	free(u->used[0]);
	free(u->used[1]);
	free(u);
}

int wt_unused_begin(wt_unused *u, const wt_enforce_config *cfg, wt_error *err)
{
	wt_unused_end(u);
	return wt_devloc_rules_new(cfg, &u->now, err);
}

void wt_unused_event(wt_unused *u, const wt_event *ev)
{
	wt_need n;

	if (!u->now || wt_manifest_outcome(ev) == WT_OUTCOME_EARLY)
		return;
	wt_manifest_needs(ev, &n);
	if (n.kind != WT_NEED_FILE)
		return;
	wt_devloc_rules_use(u->now, n.path, n.path_len, n.rights);
	wt_devloc_rules_use(u->now, n.obj, n.obj_len, n.rights);
	wt_devloc_rules_use(u->now, n.path2, n.path2_len, n.rights2);
	wt_devloc_rules_use(u->now, n.obj2, n.obj2_len, n.rights2);
}

void wt_unused_end(wt_unused *u)
{
	for (int i = 0; u->now && i < 2; i++)
		for (size_t k = 0; u->ms[i] && k < u->ms[i]->nfiles; k++)
			if (wt_devloc_rules_used(u->now, i, k))
				u->used[i][k] = 1;
	wt_devloc_rules_free(u->now);
	u->now = NULL;
}

int wt_unused_used(const wt_unused *u, int i, size_t k)
{
	return u->used[i] && k < u->ms[i]->nfiles && u->used[i][k];
}
