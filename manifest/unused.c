/* unused.c: which grants the journals `check` replays used, over every journal. */
#include "unused.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint.h"
#include "needs.h"

/* What some journal used of one file's grants. */
typedef struct used_of {
	unsigned char *files; /* rule k */
	unsigned char *env;   /* name k */
	unsigned char *sockets;
} used_of;

struct wt_unused {
	const wt_manifest *ms[2];
	used_of used[2];
	uint32_t clocks;	/* WT_CLOCK_* some call read */
	int random, read_stdin; /* some call read random bytes, the run's stdin */
	wt_devloc_rules *now;	/* the journal being replayed: its rules, instantiated */
};

static int alloc_flags(unsigned char **out, size_t n)
{
	return n && !(*out = calloc(n, 1)) ? -1 : 0;
}

wt_unused *wt_unused_new(const wt_manifest *m, const wt_manifest *override)
{
	wt_unused *u = calloc(1, sizeof *u);

	if (!u)
		return NULL;
	u->ms[0] = m, u->ms[1] = override;
	for (int i = 0; i < 2; i++)
		if (u->ms[i] && (alloc_flags(&u->used[i].files, u->ms[i]->nfiles) ||
				 alloc_flags(&u->used[i].env, u->ms[i]->nenv) ||
				 alloc_flags(&u->used[i].sockets, u->ms[i]->nsockets))) {
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
	for (int i = 0; i < 2; i++)
		free(u->used[i].files), free(u->used[i].env), free(u->used[i].sockets);
	free(u);
}

/* Marks the env names of both files the run was given. */
static void use_env(wt_unused *u, const char *const *env, int nenv)
{
	for (int i = 0; i < 2; i++)
		for (size_t k = 0; u->ms[i] && k < u->ms[i]->nenv; k++)
			for (int e = 0; e < nenv; e++)
				if (!strcmp(u->ms[i]->env[k], env[e]))
					u->used[i].env[k] = 1;
}

int wt_unused_begin(wt_unused *u, const wt_enforce_config *cfg, const char *const *env, int nenv,
		    wt_error *err)
{
	wt_unused_end(u);
	use_env(u, env, nenv);
	return wt_devloc_rules_new(cfg, &u->now, err);
}

/* Marks the sockets granted as fd. */
static void use_socket(wt_unused *u, int32_t fd)
{
	char num[16];

	snprintf(num, sizeof num, "%d", (int)fd);
	for (int i = 0; i < 2; i++)
		for (size_t k = 0; u->ms[i] && k < u->ms[i]->nsockets; k++)
			if (!strcmp(u->ms[i]->sockets[k], num))
				u->used[i].sockets[k] = 1;
}

static void use_files(wt_unused *u, const wt_need *n)
{
	wt_devloc_rules_use(u->now, n->path, n->path_len, n->rights);
	wt_devloc_rules_use(u->now, n->obj, n->obj_len, n->rights);
	wt_devloc_rules_use(u->now, n->path2, n->path2_len, n->rights2);
	wt_devloc_rules_use(u->now, n->obj2, n->obj2_len, n->rights2);
}

void wt_unused_event(wt_unused *u, const wt_event *ev)
{
	wt_need n;

	if (wt_manifest_outcome(ev) == WT_OUTCOME_EARLY)
		return;
	wt_manifest_needs(ev, &n);
	switch (n.kind) {
	case WT_NEED_FILE:
		if (u->now)
			use_files(u, &n);
		break;
	case WT_NEED_CLOCK:
		u->clocks |= n.bit;
		break;
	case WT_NEED_RANDOM:
		u->random = 1;
		break;
	case WT_NEED_STDIO:
		u->read_stdin |= n.bit == WT_STDIO_STDIN;
		break;
	case WT_NEED_SOCKET:
		use_socket(u, n.fd);
		break;
	default:
		break;
	}
}

void wt_unused_end(wt_unused *u)
{
	for (int i = 0; u->now && i < 2; i++)
		for (size_t k = 0; u->ms[i] && k < u->ms[i]->nfiles; k++)
			if (wt_devloc_rules_used(u->now, i, k))
				u->used[i].files[k] = 1;
	wt_devloc_rules_free(u->now);
	u->now = NULL;
}

char *wt_unused_message(const wt_unused_grant *g)
{
	char *text;

	return asprintf(&text,
			"%s grants what none of the checked runs used: drop it, or keep it for "
			"the runs that need it",
			g->text) < 0
		   ? NULL
		   : text;
}

/* Calls fn with the grant one holds alone (its keys' YAML) under key of file i. */
static int each_key(const wt_manifest *one, int i, const wt_manifest *m, const char *key,
		    int (*fn)(void *, const wt_unused_grant *), void *ctx)
{
	wt_unused_grant g = {.file = i, .key = key, .loc = wt_manifest_key_loc(m, key)};
	char *text;
	int rc;

	if (wt_manifest_emit_keys(one, &text))
		return -1;
	g.text = text;
	rc = fn(ctx, &g);
	free(text);
	return rc;
}

static int each_file_rule(const wt_unused *u, int i, int (*fn)(void *, const wt_unused_grant *),
			  void *ctx)
{
	const wt_manifest *m = u->ms[i];
	int rc = 0;

	for (size_t k = 0; rc == 0 && k < m->nfiles; k++) {
		wt_unused_grant g = {.file = i, .key = "files", .loc = m->files[k].loc};
		char *line;

		if (u->used[i].files[k] || !m->files[k].loc.line)
			continue;
		if (wt_manifest_emit_mrule(&m->files[k], &line))
			return -1;
		g.text = line + 2; /* without "- " */
		rc = fn(ctx, &g);
		free(line);
	}
	return rc;
}

/* Calls fn for each name of list[0..n) (env or sockets: key) of file i that no journal used. */
static int each_name(const char *const *list, size_t n, const unsigned char *used, int i,
		     const wt_manifest *m, const char *key,
		     int (*fn)(void *, const wt_unused_grant *), void *ctx)
{
	wt_manifest one = {.version = 1};
	int env = !strcmp(key, "env"), rc = 0;

	for (size_t k = 0; rc == 0 && k < n; k++) {
		const char **name = (const char **)&list[k]; /* emitted, never written */

		if (used[k])
			continue;
		if (env)
			one.env = name, one.nenv = 1;
		else
			one.sockets = name, one.nsockets = 1;
		rc = each_key(&one, i, m, key, fn, ctx);
	}
	return rc;
}

/* The clocks, random and stdin of file i that no journal used. */
static int each_bit(const wt_unused *u, int i, int (*fn)(void *, const wt_unused_grant *),
		    void *ctx)
{
	const wt_manifest *m = u->ms[i];
	wt_manifest clocks = {.version = 1, .clock_grant = m->clock_grant},
		    random = {.version = 1, .random = m->random, .random_seed = m->random_seed},
		    in = {.version = 1, .stdio = WT_STDIO_STDIN};
	int rc = 0;

	clocks.clocks = m->clock_grant != WT_GRANT_NONE ? m->clocks & ~u->clocks : 0;
	if (clocks.clocks)
		rc = each_key(&clocks, i, m, "clocks", fn, ctx);
	if (rc == 0 && m->random != WT_GRANT_NONE && !u->random)
		rc = each_key(&random, i, m, "random", fn, ctx);
	if (rc == 0 && (m->stdio & WT_STDIO_STDIN) && !u->read_stdin)
		rc = each_key(&in, i, m, "stdio", fn, ctx);
	return rc;
}

int wt_unused_each(const wt_unused *u, int (*fn)(void *ctx, const wt_unused_grant *g), void *ctx)
{
	int rc = 0;

	for (int i = 0; rc == 0 && i < 2; i++) {
		const wt_manifest *m = u->ms[i];

		if (!m)
			continue;
		rc = each_file_rule(u, i, fn, ctx);
		if (rc == 0)
			rc = each_name(m->env, m->nenv, u->used[i].env, i, m, "env", fn, ctx);
		if (rc == 0)
			rc = each_bit(u, i, fn, ctx);
		if (rc == 0)
			rc = each_name(m->sockets, m->nsockets, u->used[i].sockets, i, m, "sockets",
				       fn, ctx);
	}
	return rc;
}
