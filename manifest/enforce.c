/* enforce.c: the manifest policy: decide() for every WASI call, deviations kept for the report. */
#include "enforce.h"

#include <stdlib.h>
#include <string.h>

#include "devask.h"
#include "escape.h"
#include "grow.h"
#include "match.h"
#include "mint.h"
#include "needs.h"
#include "newset.h"
#include "path.h"
#include "probe.h"
#include "refusals.h"
#include "suggest.h"
#include "wasi.h"
#include "wasi_flags.h"

enum { MAX_DEVIATIONS = 1000, PATH_CAP = 4096 };

struct wt_enforce {
	wt_enforce_config cfg;
	wt_match *allow, *deny, *absent;
	wt_refusal *refusal;   /* deny rules and the ceiling: never negotiable at the prompt */
	wt_match *allow_new;   /* `only: new` rules */
	wt_newset *newset;     /* what the run created (only with `only: new` rules) */
	wt_probe *probe;       /* does a name exist (live runs with `only: new` rules) */
	wt_refusals *refusals; /* `refused`: answered without the host */
	wt_devloc_rules *locs; /* where deviations point: made at the first file deviation */
	uint16_t deny_errno;   /* the errno of the WT_DENY just decided; 0: ENOTCAPABLE */
	wt_deviation *devs;
	size_t ndevs, capdevs;
	unsigned long dropped; /* deviations past MAX_DEVIATIONS */
	uint64_t folded;       /* calls beyond the one decided (wt_enforce_decide_folded), else 0 */
	int stopped;
};

/* text (an argument's value) as a canonical guest path against the run's cwd, into out; -1
 * when there is none or it is no path. */
static int arg_path(const wt_enforce_config *c, const char *a, char *out, size_t *len)
{
	const char *cwd = c->cwd ? c->cwd : "/";

	if (!a || !*a)
		return -1;
	return wt_path_join(cwd, strlen(cwd), (const uint8_t *)a, strlen(a), 1, out, PATH_CAP, len)
		   ? -1
		   : 0;
}

int wt_enforce_instances(const wt_enforce_config *c, const char *pattern)
{
	if (strncmp(pattern, "${arg}", 6) == 0 || strncmp(pattern, "${arg:-", 7) == 0 ||
	    strncmp(pattern, "${argdir}", 9) == 0)
		return c->argc > 1 ? c->argc - 1 : 0;
	return 1;
}

/* The text of instance k of the head at pattern (up to close, the '}'), or NULL. */
static const char *head_value(const wt_enforce_config *c, const char *pattern, const char *close,
			      int k)
{
	if (pattern[5] == '}' || pattern[5] == 'd') /* ${arg}, ${argdir}: argument k + 1 */
		return wt_suggest_arg_value(c->argc, c->argv, k + 1, NULL, 0);
	if (pattern[6] == '-') /* ${arg:-o} */
		return wt_suggest_arg_value(c->argc, c->argv, k + 1, pattern + 6,
					    (size_t)(close - pattern - 6));
	{
		unsigned long n = strtoul(pattern + 6, NULL, 10);

		return k == 0 && n < (unsigned long)c->argc ? c->argv[n] : NULL;
	}
}

/* Splits a pattern into its instantiated literal prefix (instance k of its argument head,
 * the suffix after it unescaped) and the rest. Returns 0, or -1 when instance k names no
 * argument of the run. */
int wt_enforce_instantiate(const wt_enforce_config *c, const char *pattern, int k, char *lit,
			   size_t *lit_len, const char **rest)
{
	const char *close, *s;

	*lit_len = 0;
	*rest = pattern;
	if (strncmp(pattern, "${arg", 5) != 0)
		return k == 0 ? 0 : -1;
	close = strchr(pattern, '}'); /* wt_manifest_pattern_check passed */
	if (arg_path(c, head_value(c, pattern, close, k), lit, lit_len))
		return -1;
	if (pattern[5] == 'd') { /* ${argdir}: the argument's folder, never "/" */
		while (*lit_len > 0 && lit[*lit_len - 1] != '/')
			(*lit_len)--;
		if (*lit_len <= 1)
			return -1;
		(*lit_len)--;
	}
	for (s = close + 1; *s && *s != '/'; s++) { /* the suffix: "${arg}.gz" */
		if (*s == '\\' && s[1])
			s++;
		if (*lit_len + 1 >= PATH_CAP)
			return -1;
		lit[(*lit_len)++] = *s;
	}
	*rest = s;
	if (*lit_len == 1 && **rest == '/') /* "/" + "/x" */
		*lit_len = 0;
	return 0;
}

int wt_enforce_add_rules(const wt_enforce_config *c, wt_match *t, const wt_mrule *rules, size_t n,
			 int only_new, wt_error *err)
{
	char lit[PATH_CAP];
	size_t len;
	const char *rest;

	for (size_t i = 0; i < n; i++) {
		int each = wt_enforce_instances(c, rules[i].pattern);

		for (int k = 0; k < each; k++) {
			if ((only_new >= 0 && rules[i].only_new != only_new) ||
			    wt_enforce_instantiate(c, rules[i].pattern, k, lit, &len, &rest))
				continue;
			if (wt_match_add(t, lit, len, len == 0 && !*rest ? "/" : rest,
					 rules[i].rights, err))
				return err->code;
		}
	}
	return 0;
}

static int add_absent(wt_enforce *e, const wt_manifest *m, wt_error *err)
{
	char lit[PATH_CAP];
	size_t len;
	const char *rest;

	for (size_t i = 0; m && i < m->nabsent; i++)
		for (int k = 0; k < wt_enforce_instances(&e->cfg, m->absent[i]); k++) {
			if (wt_enforce_instantiate(&e->cfg, m->absent[i], k, lit, &len, &rest))
				continue;
			if (wt_match_add(e->absent, lit, len, len == 0 && !*rest ? "/" : rest, 1,
					 err))
				return err->code;
		}
	return 0;
}

static int add_refused(wt_enforce *e, const wt_manifest *m, wt_error *err)
{
	char lit[PATH_CAP];
	size_t len;
	const char *rest;

	for (size_t i = 0; i < m->nrefused; i++) {
		const wt_mrefusal *r = &m->refused[i];

		for (int k = 0; k < wt_enforce_instances(&e->cfg, r->pattern); k++) {
			if (wt_enforce_instantiate(&e->cfg, r->pattern, k, lit, &len, &rest))
				continue;
			if (wt_refusals_add(e->refusals, r->call, r->error, lit, len,
					    len == 0 && !*rest ? "/" : rest, err))
				return err->code;
		}
	}
	return 0;
}

/* What `only: new` rules need: the set of what the run creates and, in a live run, a
 * probe of the mounts. Nothing without such rules. */
static int track_new(wt_enforce *e, wt_error *err)
{
	/* the probe also tells a suggestion whether a name is new (suggest.h) */
	if (e->cfg.mounts && !(e->probe = wt_probe_new(e->cfg.mounts, e->cfg.nmounts)))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	if (wt_match_count(e->allow_new) && !(e->newset = wt_newset_new(0, 0)))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	return 0;
}

static int build(wt_enforce *e, wt_error *err)
{
	const wt_manifest *ms[3] = {e->cfg.manifest, e->cfg.override, e->cfg.ceiling};

	if (!(e->allow = wt_match_new()) || !(e->deny = wt_match_new()) ||
	    !(e->absent = wt_match_new()) || !(e->allow_new = wt_match_new()) ||
	    !(e->refusals = wt_refusals_new()))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	for (int i = 0; i < 2; i++) {
		if (ms[i] &&
		    (wt_enforce_add_rules(&e->cfg, e->allow, ms[i]->files, ms[i]->nfiles, 0, err) ||
		     wt_enforce_add_rules(&e->cfg, e->allow_new, ms[i]->files, ms[i]->nfiles, 1,
					  err)))
			return err->code;
		if (ms[i] && add_absent(e, ms[i], err))
			return err->code;
	}
	for (int i = 0; i < 3; i++) {
		if (ms[i] &&
		    wt_enforce_add_rules(&e->cfg, e->deny, ms[i]->deny, ms[i]->ndeny, -1, err))
			return err->code;
	}
	if (add_refused(e, e->cfg.manifest, err))
		return err->code;
	return track_new(e, err);
}

int wt_enforce_new(const wt_enforce_config *cfg, wt_enforce **out, wt_error *err)
{
	wt_enforce *e = calloc(1, sizeof *e);
	int rc;

	*out = NULL;
	if (!e)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	e->cfg = *cfg;
	if ((rc = build(e, err)) || (rc = wt_refusal_new(&e->cfg, &e->refusal, err)) ||
	    (cfg->ceiling && (rc = wt_enforce_check_ceiling(cfg, err)))) {
		wt_enforce_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

void wt_enforce_free(wt_enforce *e)
{
	if (!e)
		return;
	wt_match_free(e->allow);
	wt_match_free(e->deny);
	wt_match_free(e->absent);
	wt_refusal_free(e->refusal);
	wt_match_free(e->allow_new);
	wt_newset_free(e->newset);
	wt_probe_free(e->probe);
	wt_refusals_free(e->refusals);
	wt_devloc_rules_free(e->locs);
	for (size_t i = 0; i < e->ndevs; i++) {
		free(e->devs[i].path);
		free(e->devs[i].what);
		free(e->devs[i].fix);
		free(e->devs[i].fix_where);
		free(e->devs[i].fix_file);
		free(e->devs[i].fix_block);
		free(e->devs[i].refused);
	}
	free(e->devs);
	free(e);
}

/* The rights rules in t grant on path[0..len), less what deny rules refuse. */
static uint32_t granted_by(const wt_enforce *e, const wt_match *t, const char *path, size_t len)
{
	return wt_match_rights(t, path, len) & ~wt_match_rights(e->deny, path, len);
}

/* The rights granted on path[0..len): allowed and not denied. */
static uint32_t granted(const wt_enforce *e, const char *path, size_t len)
{
	return granted_by(e, e->allow, path, len);
}

static int has_name(const char *const *names, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return 1;
	}
	return 0;
}

int wt_enforce_env_listed(const wt_manifest *m, const wt_manifest *override, const char *name,
			  size_t len)
{
	return has_name(m->env, m->nenv, name, len) ||
	       (override && has_name(override->env, override->nenv, name, len));
}

int wt_enforce_env_allowed(const wt_enforce *e, const char *name, size_t len)
{
	return wt_enforce_env_listed(e->cfg.manifest, e->cfg.override, name, len);
}

static int socket_allowed(const wt_manifest *m, int32_t fd)
{
	char num[16];

	snprintf(num, sizeof num, "%d", (int)fd);
	return has_name(m->sockets, m->nsockets, num, strlen(num));
}

/* Finds or adds the deviation (call, path, rights, what); NULL when full. */
static wt_deviation *record(wt_enforce *e, const wt_event *ev, const char *path, size_t len,
			    uint32_t rights, const char *what)
{
	unsigned long calls = 1 + (unsigned long)e->folded;
	wt_deviation *d;

	for (size_t i = 0; i < e->ndevs; i++) {
		d = &e->devs[i];
		/* a file is listed once per path and rights, whichever call asked */
		if ((path || d->call == ev->call) && d->rights == rights &&
		    (d->path ? path && strlen(d->path) == len && !memcmp(d->path, path, len)
			     : !path) &&
		    (d->what ? what && !strcmp(d->what, what) : !what)) {
			d->count += calls;
			wt_devtally_add(&d->calls, ev->call, calls);
			return NULL;
		}
	}
	if (e->ndevs == MAX_DEVIATIONS) {
		e->dropped++;
		return NULL;
	}
	if (WT_GROW(&e->devs, &e->capdevs, e->ndevs + 1, 8))
		return NULL;
	d = &e->devs[e->ndevs++];
	memset(d, 0, sizeof *d);
	d->call = ev->call;
	d->fd = ev->fd;
	d->rights = rights;
	d->count = calls;
	wt_devtally_add(&d->calls, ev->call, calls);
	d->path = path ? strndup(path, len) : NULL;
	d->what = what ? strdup(what) : NULL;
	return d;
}

/* The verdict for a deviation: the devask's (which may ask at the
 * terminal) when there is one, else the mode's. req: what was asked,
 * pattern: its escaped path (file requests) or NULL, fix: the line that
 * would grant it. */
static wt_verdict refuse(wt_enforce *e, const wt_event *ev, const wt_devreq *req)
{
	const char *pattern = req->fix ? req->fix->pattern : NULL;
	const char *fix = req->fix ? req->fix->line : NULL;
	wt_verdict v;

	if (e->cfg.devask) {
		v = wt_devask_decide(e->cfg.devask, req, pattern, fix, ev->seq);
		if (v == WT_STOP)
			e->stopped = 1;
		return v;
	}
	switch (e->cfg.mode) {
	case WT_ON_DEV_DENY:
		return WT_DENY;
	case WT_ON_DEV_HIDE:
		return WT_HIDE;
	case WT_ON_DEV_WARN:
		return req->refused ? WT_DENY : WT_ALLOW;
	default: /* fail; prompt (settled by devask when set) acts as fail here */
		e->stopped = 1;
		return WT_STOP;
	}
}

/* The request for missing rights on path[0..len), one of ev's paths. */
static void file_request(const wt_event *ev, const char *path, size_t len, uint32_t missing,
			 wt_devreq *r)
{
	wt_devreq_from_event(ev, r);
	if ((ev->path2 && path == ev->path2) || (ev->obj_path2 && path == ev->obj_path2)) {
		/* the second path: it comes first */
		r->path2 = r->path, r->path2_len = r->path_len;
		r->host_path = ev->host_path2;
	}
	r->path = path, r->path_len = len, r->rights = missing;
}

/* An answer that allowed a file request holds for the rest of the run:
 * the fd_read after an allowed path_open is no new question. */
static void grant_for_run(wt_enforce *e, const char *path, size_t len, uint32_t rights)
{
	wt_error err;

	wt_error_init(&err);
	if (len && len < PATH_CAP)
		wt_match_add(e->allow, path, len, "", rights, &err); /* no memory: asked again */
}

/* The suggestion context of the policy (suggest.h). */
static wt_suggest_ctx suggest_ctx(const wt_enforce *e)
{
	const wt_enforce_config *c = &e->cfg;

	return (wt_suggest_ctx){.argc = c->argc,
				.argv = c->argv,
				.cwd = c->cwd,
				.manifest = c->manifest,
				.override = c->override,
				.manifest_path = c->manifest_name,
				.override_path = c->override_name};
}

/* Keeps the suggestion's line, where to paste it and the block to paste in d. */
static void keep_fix(wt_deviation *d, const wt_suggestion *s)
{
	char where[PATH_CAP + 128];

	if (!d || !s || !s->line)
		return;
	wt_suggest_where(s, where, sizeof where);
	d->fix = strdup(s->line);
	d->fix_where = strdup(where);
	d->fix_file = s->file ? strdup(s->file) : NULL;
	d->fix_block = wt_suggest_block(s, 4);
}

static int exists(wt_enforce *e, const wt_event *ev, const char *path, size_t len, int second);

/* Where a file deviation points when no deny rule or ceiling refuses it (devloc.c), into
 * *loc; the rules are put in their tries at the first one (none when out of memory). */
static void locate_file(wt_enforce *e, wt_devloc *loc, const char *path, size_t len,
			const wt_suggestion *s)
{
	wt_error err;

	wt_error_init(&err);
	if (!e->locs && wt_devloc_rules_new(&e->cfg, &e->locs, &err))
		return;
	wt_devloc_file(e->locs, path, len,
		       s->file		      ? s->file
		       : e->cfg.override_name ? e->cfg.override_name
					      : e->cfg.manifest_name,
		       loc);
}

/* The suggestion for a file request (0), or 1 when a deny rule or the ceiling refuses it
 * (why: what refuses it, and then no rule would allow it); where it points into *loc. */
static int file_fix(wt_enforce *e, const wt_event *ev, const char *path, size_t len,
		    uint32_t missing, char *why, size_t size, wt_suggestion *s, wt_devloc *loc)
{
	wt_suggest_ctx c = suggest_ctx(e);
	int second = (ev->path2 && path == ev->path2) || (ev->obj_path2 && path == ev->obj_path2);
	int is_new = (missing & WT_RIGHT_CREATE) && !exists(e, ev, path, len, second);

	memset(s, 0, sizeof *s);
	if (wt_refusal_file(e->refusal, path, len, missing, why, size, loc))
		return 1;
	why[0] = '\0';
	wt_suggest_file(&c, path, len, missing, is_new, s); /* no memory: no line */
	locate_file(e, loc, path, len, s);
	return 0;
}

static wt_verdict file_deviation(wt_enforce *e, const wt_event *ev, const char *path, size_t len,
				 uint32_t missing)
{
	wt_deviation *d = record(e, ev, path, len, missing, NULL);
	wt_devloc loc = {0};
	wt_devreq r;
	wt_suggestion s;
	char why[PATH_CAP + 256];
	wt_verdict v;

	file_fix(e, ev, path, len, missing, why, sizeof why, &s, &loc);
	keep_fix(d, &s);
	if (d)
		d->loc = loc;
	if (d && why[0])
		d->refused = strdup(why);
	file_request(ev, path, len, missing, &r);
	r.refused = why[0] ? why : NULL;
	r.fix = s.line ? &s : NULL;
	r.loc = &loc;
	v = refuse(e, ev, &r);
	if (v == WT_ALLOW)
		grant_for_run(e, path, len, missing);
	wt_suggest_fini(&s);
	return v;
}

/* Whether path (ev's first path, or its second: second) names an entry before ev runs:
 * the probe says in a live run; replaying a journal, ev's own result says (ENOENT, a
 * file path_open created, a new name path_rename made), anything else counts as there. */
static int exists(wt_enforce *e, const wt_event *ev, const char *path, size_t len, int second)
{
	if (e->probe)
		return wt_probe_exists(e->probe, path, len) != 0;
	if (second)
		return ev->errno_result != 0;
	return !(ev->errno_result == WT_ENOENT ||
		 (ev->call == WT_WASI_path_open && ev->errno_result == 0 && ev->created));
}

/* The rights of `only: new` rules on path for ev: all of them on an entry the run created
 * (through a symlink the run made: on what it leads to), for creating the name exclusively
 * (what is there stays untouched: EEXIST) and on a name that does not exist; on a symlink
 * the run made, not followed, what acts on the link itself. */
static uint32_t granted_new(wt_enforce *e, const wt_event *ev, const char *path, size_t len)
{
	uint32_t r = e->newset ? granted_by(e, e->allow_new, path, len) : 0;
	/* an fd call acts on what was opened; a path call follows a final symlink when asked */
	int follow = !ev->path || (ev->flags & (WT_LOOKUP_SYMLINK_FOLLOW << 16));

	if (!r)
		return 0;
	switch (wt_newset_get(e->newset, path, len, follow)) {
	case WT_NEW_YES:
		return r;
	case WT_NEW_LINK: /* the link itself, not followed */
		return r & (WT_RIGHT_DELETE | WT_RIGHT_RENAME | WT_RIGHT_READLINK | WT_RIGHT_STAT);
	default:
		break;
	}
	if (wt_manifest_exclusive_path(ev) == path ||
	    !exists(e, ev, path, len, ev->path2 && path == ev->path2))
		return r;
	return 0;
}

/* The errno a `refused` entry answers ev with (keyed by its first path), or 0. */
static uint16_t refusal(const wt_enforce *e, const wt_event *ev)
{
	const char *p = ev->path ? ev->path : ev->fd_path;

	if (!p)
		return 0;
	return wt_refusals_find(e->refusals, ev->call, p,
				ev->path && ev->path_len ? ev->path_len : strlen(p));
}

/* 1 when the absent pattern (${arg:N} instantiated) matches path[0..len). */
static int absent_matches(const wt_enforce *e, const char *pattern, const char *path, size_t len)
{
	char lit[PATH_CAP];
	size_t llen;
	const char *rest;
	wt_match *one;
	wt_error err;
	int hit = 0;

	wt_error_init(&err);
	if (!(one = wt_match_new()))
		return 0;
	for (int k = 0; k < wt_enforce_instances(&e->cfg, pattern); k++)
		if (!wt_enforce_instantiate(&e->cfg, pattern, k, lit, &llen, &rest))
			wt_match_add(one, lit, llen, llen == 0 && !*rest ? "/" : rest, 1, &err);
	hit = wt_match_rights(one, path, len) != 0;
	wt_match_free(one);
	return hit;
}

/* An absent entry hid path: when it exists now (a live run asks the probe), the log says
 * so with the entry that hid it (docs/deviations.md). Rare: the entries are searched. */
static void note_hidden(wt_enforce *e, const char *path, size_t len)
{
	const wt_manifest *ms[2] = {e->cfg.manifest, e->cfg.override};
	const char *files[2] = {e->cfg.manifest_name, e->cfg.override_name};

	if (!e->probe || !e->cfg.devask || !e->cfg.devask->log ||
	    wt_probe_exists(e->probe, path, len) != 1)
		return;
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; ms[k] && i < ms[k]->nabsent; i++)
			if (absent_matches(e, ms[k]->absent[i], path, len)) {
				wt_devlog_hide(e->cfg.devask->log, path, len, ms[k]->absent[i],
					       files[k]);
				return;
			}
}

/* A file need on one path: allowed, hidden (absent), refused as recorded, or a deviation. */
static wt_verdict decide_path(wt_enforce *e, const wt_event *ev, const char *path, size_t len,
			      uint32_t need, int *hide)
{
	uint32_t missing = need & ~granted(e, path, len);

	if (missing)
		missing &= ~granted_new(e, ev, path, len);
	if (!missing)
		return WT_ALLOW;
	if ((e->deny_errno = refusal(e, ev)))
		return WT_DENY;
	if (wt_match_rights(e->absent, path, len)) {
		note_hidden(e, path, len);
		*hide = 1;
		return WT_HIDE;
	}
	return file_deviation(e, ev, path, len, missing);
}

/* The names and the objects they reach (a link followed) all need their
 * rights: a rule or a deny on either holds. */
static wt_verdict decide_file(wt_enforce *e, const wt_event *ev, const wt_need *n)
{
	int hide = 0;
	wt_verdict v = decide_path(e, ev, n->path, n->path_len, n->rights, &hide);

	if (v == WT_ALLOW && n->obj)
		v = decide_path(e, ev, n->obj, n->obj_len, n->rights, &hide);
	if (v == WT_ALLOW && n->path2)
		v = decide_path(e, ev, n->path2, n->path2_len, n->rights2, &hide);
	if (v == WT_ALLOW && n->obj2)
		v = decide_path(e, ev, n->obj2, n->obj2_len, n->rights2, &hide);
	return v;
}

/* A deviation that is not about files: what names it; the suggestion is the key's new
 * value (none when the ceiling refuses it). */
static wt_verdict other_deviation(wt_enforce *e, const wt_event *ev, const char *what)
{
	wt_deviation *d = record(e, ev, NULL, 0, 0, what);
	wt_suggest_ctx c = suggest_ctx(e);
	wt_suggestion s = {0};
	wt_devloc loc = {0};
	char why[256];
	wt_devreq r;
	wt_need n;
	wt_verdict v;

	wt_manifest_needs(ev, &n);
	if (!wt_refusal_other(e->refusal, &n, why, sizeof why, &loc)) {
		why[0] = '\0';
		wt_suggest_need(&c, &n, &s); /* no memory: no line */
		if (s.key)
			wt_devloc_section(&loc, c.manifest, c.manifest_path, s.key);
	}
	keep_fix(d, &s);
	if (d)
		d->loc = loc;
	if (d && why[0])
		d->refused = strdup(why);
	wt_devreq_from_event(ev, &r);
	r.path = NULL, r.path_len = 0, r.path2 = NULL, r.path2_len = 0, r.host_path = NULL;
	r.rights = 0, r.what = what, r.refused = why[0] ? why : NULL;
	r.fix = s.line ? &s : NULL;
	r.loc = &loc;
	v = refuse(e, ev, &r);
	wt_suggest_fini(&s);
	return v;
}

static wt_verdict decide_clock(wt_enforce *e, const wt_event *ev, uint32_t bit)
{
	if (bit & (bit - 1)) { /* several clocks (poll_oneoff): each needs its grant */
		wt_verdict v = WT_ALLOW;

		for (uint32_t b = 1; b && v == WT_ALLOW; b <<= 1)
			if (bit & b)
				v = decide_clock(e, ev, b);
		return v;
	}
	const wt_manifest *m = e->cfg.manifest;
	const char *name = wt_manifest_clock_name(bit);
	char what[64];

	if (m->clock_grant != WT_GRANT_NONE && (m->clocks & bit))
		return WT_ALLOW;
	snprintf(what, sizeof what, "clock %s", name ? name : "?");
	return other_deviation(e, ev, what);
}

/* Only reading the run's stdin is a capability: writing the run's own
 * stdout and stderr, and choosing the exit code, are the module telling the
 * user how it went (docs/manifest.md, "What is not enforced"). The manifest's
 * stdout, stderr and exit_codes are for reviewers only. */
static wt_verdict decide_stdio(wt_enforce *e, const wt_event *ev, uint32_t bit)
{
	char what[64];

	if (bit != WT_STDIO_STDIN || (e->cfg.manifest->stdio & bit))
		return WT_ALLOW;
	snprintf(what, sizeof what, "stdio %s", wt_manifest_stdio_name(bit));
	return other_deviation(e, ev, what);
}

static wt_verdict decide_socket(wt_enforce *e, const wt_event *ev, int32_t fd)
{
	char what[64];

	if (socket_allowed(e->cfg.manifest, fd))
		return WT_ALLOW;
	snprintf(what, sizeof what, "socket fd %d", (int)fd);
	return other_deviation(e, ev, what);
}

wt_verdict wt_enforce_decide(wt_enforce *e, const wt_event *ev)
{
	wt_need n;

	e->deny_errno = 0;
	wt_manifest_needs(ev, &n);
	switch (n.kind) {
	case WT_NEED_FILE:
		return decide_file(e, ev, &n);
	case WT_NEED_CLOCK:
		return decide_clock(e, ev, n.bit);
	case WT_NEED_RANDOM:
		if (e->cfg.manifest->random != WT_GRANT_NONE)
			return WT_ALLOW;
		return other_deviation(e, ev, "random");
	case WT_NEED_STDIO:
		return decide_stdio(e, ev, n.bit);
	case WT_NEED_EXIT: /* informational: see decide_stdio */
		return WT_ALLOW;
	case WT_NEED_SOCKET:
		return decide_socket(e, ev, n.fd);
	case WT_NEED_NONE:
	default:
		return WT_ALLOW;
	}
}

static wt_verdict policy_decide(void *self, const wt_event *ev)
{
	return wt_enforce_decide(self, ev);
}

void wt_enforce_observe(wt_enforce *e, const wt_event *ev)
{
	if (e->newset)
		wt_newset_observe(e->newset, ev);
}

static void policy_observe(void *self, const wt_event *ev)
{
	wt_enforce_observe(self, ev);
}

static uint16_t policy_deny_errno(void *self, const wt_event *ev)
{
	(void)ev;
	return ((const wt_enforce *)self)->deny_errno;
}

wt_policy wt_enforce_policy(wt_enforce *e)
{
	return (wt_policy){.decide = policy_decide,
			   .observe = policy_observe,
			   .self = e,
			   .deny_errno = policy_deny_errno};
}

wt_verdict wt_enforce_decide_folded(wt_enforce *e, const wt_event *ev, uint64_t count)
{
	wt_verdict v;

	e->folded = count > 1 ? count - 1 : 0;
	v = wt_enforce_decide(e, ev);
	e->folded = 0;
	return v;
}

size_t wt_enforce_count(const wt_enforce *e)
{
	return e->ndevs;
}

const wt_deviation *wt_enforce_get(const wt_enforce *e, size_t i)
{
	return i < e->ndevs ? &e->devs[i] : NULL;
}

int wt_enforce_stopped(const wt_enforce *e)
{
	return e->stopped;
}

void wt_enforce_print(const wt_enforce *e, const wt_deviation *d, FILE *f)
{
	const char *name = e->cfg.manifest_name ? e->cfg.manifest_name : "the manifest";
	char rights[160];

	wt_escape_fprintf(f, "%s", wt_wasi_call_name(d->call));
	if (d->path)
		wt_escape_fprintf(f, " %s", d->path);
	else if (d->fd >= 0 && !d->what)
		fprintf(f, " fd %d", (int)d->fd);
	if (d->what)
		wt_escape_fprintf(f, ": %s", d->what);
	else
		wt_escape_fprintf(f, " wants [%s]",
				  wt_rights_format(d->rights, rights, sizeof rights));
	if (d->refused)
		wt_escape_fprintf(f, ", refused by %s", d->refused);
	else
		wt_escape_fprintf(f, ", which %s does not grant", name);
	wt_devtally_print(&d->calls, f);
	fprintf(f, "\n");
	if (d->fix_where && d->fix_block)
		wt_suggest_print_block(d->fix_where, d->fix_block, "allow", f);
}
