/* generate_events.c: generate's first pass: one run's events -> what each path saw, merged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generate_impl.h"
#include "grow.h"
#include "suggest.h"
#include "needs.h"
#include "path.h"
#include "wasi_flags.h"

/* How sure a successful call is that it made its path: */
enum {
	MAKES_NOTHING,
	MAKES_MAYBE, /* O_CREAT: created when the path was missing earlier in the run */
	MAKES_SURE,  /* created unless the run had used the path already */
};

/* libc start-up and argument/environment plumbing: no capability. */
static int is_quiet(wt_wasi_call call)
{
	switch (call) {
	case WT_WASI_fd_prestat_get:
	case WT_WASI_fd_prestat_dir_name:
	case WT_WASI_fd_fdstat_get:
	case WT_WASI_args_sizes_get:
	case WT_WASI_args_get:
	case WT_WASI_environ_sizes_get:
	case WT_WASI_environ_get:
		return 1;
	default:
		return 0;
	}
}

/* One run's tables: what each path saw, and the calls the host refused. */
typedef struct run_tables {
	wt_gen_table paths;   /* concrete guest path -> wt_gen_path */
	wt_gen_table refused; /* call byte + concrete path -> errno (the first) */
	wt_arena *arena;      /* refused keys */
} run_tables;

/* What a call that succeeded leaves of its path: there (1), gone (0), as it was (-1). */
enum { GONE = 0, THERE = 1, AS_IS = -1 };

static int took_ok(wt_gen_table *t, const char *path, size_t len, uint32_t rights, int makes,
		   int present)
{
	wt_gen_path *p = wt_gen_table_get(t, path, len);

	if (!p)
		return -1;
	p->rights |= rights;
	if (!(p->bits & WT_GEN_OK) &&
	    (makes == MAKES_SURE || (makes == MAKES_MAYBE && (p->bits & WT_GEN_ENOENT))))
		p->bits |= WT_GEN_CREATED;
	p->bits |= WT_GEN_OK;
	if (present != AS_IS)
		p->bits = present ? p->bits | WT_GEN_PRESENT : p->bits & ~WT_GEN_PRESENT;
	return 0;
}

/* A call that failed on path: its rights are noted, never granted there; the first errno
 * of each (call, path) is kept for `refused`. */
static int took_failed(run_tables *rt, const wt_event *ev, const char *path, size_t len,
		       uint32_t rights)
{
	wt_gen_path *p = wt_gen_table_get(&rt->paths, path, len), *r;
	char *key;

	if (!p)
		return -1;
	p->frights |= rights;
	if (ev->errno_result == WT_ENOENT && !(p->bits & WT_GEN_OK))
		p->bits |= WT_GEN_ENOENT;
	if (!(key = wt_arena_calloc(rt->arena, 1, len + 2)))
		return -1;
	key[0] = (char)ev->call;
	memcpy(key + 1, path, len);
	if (!(r = wt_gen_table_get(&rt->refused, key, len + 1)))
		return -1;
	if (!r->rights)
		r->rights = ev->errno_result;
	return 0;
}

/* EEXIST to an exclusive create: the name is there; the create is granted for new entries. */
static int took_exists(wt_gen_table *t, const char *path, size_t len, uint32_t rights)
{
	wt_gen_path *p = wt_gen_table_get(t, path, len);

	if (!p)
		return -1;
	p->xrights |= rights;
	p->bits |= WT_GEN_OK | WT_GEN_PRESENT;
	return 0;
}

static int open_makes(const wt_event *ev)
{
	uint32_t oflags = ev->flags & 0xff;

	if (ev->created)
		return MAKES_SURE;
	if ((oflags & WT_OF_CREAT) && (oflags & WT_OF_EXCL))
		return MAKES_SURE;
	return (oflags & WT_OF_CREAT) ? MAKES_MAYBE : MAKES_NOTHING;
}

/* What a successful ev says of whether it made need->path. */
static int makes_of(const wt_event *ev, const wt_need *need)
{
	if (need->path != ev->path)
		return MAKES_NOTHING; /* an fd call: the file was there */
	switch (ev->call) {
	case WT_WASI_path_open:
		return open_makes(ev);
	case WT_WASI_path_create_directory:
	case WT_WASI_path_symlink:
		return MAKES_SURE;
	default:
		return MAKES_NOTHING;
	}
}

/* 1 when p[0..len) is a canonical guest path: absolute, no empty, `.`
 * or `..` component, no trailing '/', no NUL (what the gate makes; a
 * journal may hold anything). */
static int canonical(const char *p, size_t len)
{
	if (!p || len == 0 || p[0] != '/' || memchr(p, '\0', len))
		return 0;
	if (len == 1)
		return 1;
	for (size_t i = 0; i < len;) {
		size_t j = i + 1;

		while (j < len && p[j] != '/')
			j++;
		if (j == i + 1 || (j == i + 2 && p[i + 1] == '.') ||
		    (j == i + 3 && p[i + 1] == '.' && p[i + 2] == '.'))
			return 0;
		i = j;
	}
	return 1;
}

/* 0, -1 when out of memory, BAD_PATH when a path is not canonical. */
enum { BAD_PATH = -2 };

/* What a successful ev leaves of its (first) path. */
static int presence(const wt_event *ev, const wt_need *need)
{
	if (need->path != ev->path)
		return AS_IS; /* an fd call: the file may be gone already */
	switch (ev->call) {
	case WT_WASI_path_unlink_file:
	case WT_WASI_path_remove_directory:
	case WT_WASI_path_rename:
		return GONE;
	default:
		return THERE;
	}
}

/* What a rename or link makes of its new name: a created entry when its source is one
 * the run created and still holds (enforcement's view: newset.h); else the new name holds
 * what was there before. */
static int target_makes(const wt_gen_table *t, const wt_need *need)
{
	const wt_gen_path *src = wt_gen_table_find(t, need->path, need->path_len);
	const uint32_t own = WT_GEN_CREATED | WT_GEN_PRESENT;

	return src && (src->bits & own) == own ? MAKES_SURE : MAKES_NOTHING;
}

/* A call that succeeded: its rights on the names and on the objects they
 * reached (a link followed); what it made, it made at the object. */
static int take_ok(wt_gen_table *t, const wt_event *ev, const wt_need *need)
{
	int makes = makes_of(ev, need), makes2 = need->path2 ? target_makes(t, need) : 0;
	const char *made = need->obj ? need->obj : need->path;
	size_t made_len = need->obj ? need->obj_len : need->path_len;
	wt_gen_path *p;

	if (need->path2 &&
	    (took_ok(t, need->path2, need->path2_len, need->rights2, need->obj2 ? 0 : makes2,
		     THERE) ||
	     (need->obj2 && took_ok(t, need->obj2, need->obj2_len, need->rights2, makes2, THERE))))
		return -1;
	if ((need->obj &&
	     took_ok(t, need->obj, need->obj_len, need->rights, makes, presence(ev, need))) ||
	    took_ok(t, need->path, need->path_len, need->rights, need->obj ? 0 : makes,
		    presence(ev, need)))
		return -1;
	if (ev->call == WT_WASI_path_create_directory &&
	    (p = wt_gen_table_find(t, made, made_len)) && (p->bits & WT_GEN_CREATED))
		p->bits |= WT_GEN_MKDIR;
	return 0;
}

/* EEXIST: the name created exclusively gets the rights for new entries; path_link's
 * source did nothing: its call is refused again (EEXIST) as recorded. */
static int take_exists(run_tables *rt, const wt_event *ev, const wt_need *need)
{
	if (wt_manifest_exclusive_path(ev) == ev->path)
		return took_exists(&rt->paths, need->path, need->path_len, need->rights);
	return took_exists(&rt->paths, need->path2, need->path2_len, need->rights2) ||
	       took_failed(rt, ev, need->path, need->path_len, need->rights);
}

static int take_file(run_tables *rt, const wt_event *ev, const wt_need *need, wt_outcome o)
{
	if (!canonical(need->path, need->path_len) ||
	    (need->path2 && !canonical(need->path2, need->path2_len)) ||
	    (need->obj && !canonical(need->obj, need->obj_len)) ||
	    (need->obj2 && !canonical(need->obj2, need->obj2_len)))
		return BAD_PATH;
	switch (o) {
	case WT_OUTCOME_GRANT:
		return take_ok(&rt->paths, ev, need);
	case WT_OUTCOME_EXISTS:
		return take_exists(rt, ev, need);
	default: /* MISSING, REFUSED: on the first path; the second was not reached */
		return took_failed(rt, ev, need->path, need->path_len, need->rights);
	}
}

/* Adds v to the set set[0..*n) of at most 64. */
static void add_distinct(int32_t *set, size_t *n, int32_t v)
{
	for (size_t i = 0; i < *n; i++)
		if (set[i] == v)
			return;
	if (*n < 64)
		set[(*n)++] = v;
}

/* One event, through the table of what each call needs (needs.h), the
 * one enforce uses: what is generated from a run allows that run. */
static int take_event(run_tables *rt, wt_gen_misc *misc, const wt_event *ev, wt_gen_misc *used)
{
	wt_outcome o = wt_manifest_outcome(ev);
	wt_need need;

	if (is_quiet(ev->call))
		return 0;
	wt_manifest_needs(ev, &need);
	if (o == WT_OUTCOME_EARLY) { /* refused before any policy was asked */
		misc->early += need.kind != WT_NEED_NONE;
		return 0;
	}
	switch (need.kind) {
	case WT_NEED_FILE:
		return take_file(rt, ev, &need, o);
	case WT_NEED_CLOCK:
		misc->clocks |= need.bit;
		used->clocks |= need.bit;
		return 0;
	case WT_NEED_RANDOM:
		misc->random = used->random = 1;
		return 0;
	case WT_NEED_STDIO:
		misc->stdio |= need.bit;
		return 0;
	case WT_NEED_EXIT:
		add_distinct(misc->exits, &misc->nexit, need.code);
		return 0;
	case WT_NEED_SOCKET: /* preopened sockets, named by their fd */
		add_distinct(misc->sockets, &misc->nsock, need.fd);
		return 0;
	default:
		return 0;
	}
}

/* ---- arguments ---- */

/* The run's arguments made absolute against its cwd, by path. */
typedef struct args_index {
	const wt_gen_run *run;
	wt_gen_table byabs; /* entry.arg = N (the lowest N naming that path) */
	wt_gen_table bydir; /* the folder of each argument's path the run touched (never "/") */
	wt_arena arena;
	uint64_t *hashes; /* arg_of's scratch: the hash of each folder of a path */
	size_t cap;
} args_index;

/* Adds path[0..len) to t for argument n (copied) unless it is "/" or named before: 1 added,
 * 0 not, -1 out of memory. */
static int index_path(args_index *ix, wt_gen_table *t, const char *path, size_t len, int n)
{
	char *key;
	wt_gen_path *p;

	if (len <= 1 || wt_gen_table_find(t, path, len))
		return 0;
	if (!(key = wt_arena_strndup(&ix->arena, path, len)) ||
	    !(p = wt_gen_table_get(t, key, len)))
		return -1;
	p->arg = n;
	return 1;
}

/* The arguments' paths of run; and, for each that the run touched (t: the evidence that
 * the argument is a file the module used, not a word), its folder. */
static int index_args(const wt_gen_run *run, const run_tables *t, args_index *ix)
{
	const char *cwd = run->cwd ? run->cwd : "/";
	char buf[WT_PATH_MAX + 1];

	ix->run = run;
	for (int n = 1; n < run->argc; n++) {
		/* the path an argument gives: itself, or VALUE of --name=VALUE (suggest.h) */
		const char *a = wt_suggest_arg_value(run->argc, run->argv, n, NULL, 0);
		size_t len;
		int rc;

		if (!a || wt_path_join(cwd, strlen(cwd), (const uint8_t *)a, strlen(a), 1, buf,
				       sizeof buf, &len))
			continue;
		if ((rc = index_path(ix, &ix->byabs, buf, len, n)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		/* and its folder: where ${argdir} points */
		if (!wt_gen_table_find(&t->paths, buf, len))
			continue;
		len = (size_t)((const char *)memrchr(buf, '/', len) - buf);
		if (index_path(ix, &ix->bydir, buf, len, n) < 0)
			return -1;
	}
	return 0;
}

/* The argument whose path's folder holds the created file p directly (not a folder the run
 * made), or 0: the evidence of a `${argdir}/\*` rule (generate_rules.c). */
static int argdir_of(const args_index *ix, const wt_gen_path *p)
{
	const char *slash = memrchr(p->key, '/', p->len);
	const wt_gen_path *d;

	if (!(p->bits & WT_GEN_CREATED) || (p->bits & WT_GEN_MKDIR) || !slash)
		return 0;
	d = wt_gen_table_find(&ix->bydir, p->key, (size_t)(slash - p->key));
	return d ? d->arg : 0;
}

/* Room in ix->hashes for n; 0 or -1. */
static int reserve_hashes(args_index *ix, size_t n)
{
	return WT_GROW(&ix->hashes, &ix->cap, n, 2 * n);
}

/* *out: the argument naming path or its deepest folder, or NULL; failing that, the longest
 * argument path is the start of (*derived set to 1: "x.bin" for "x.bin.gz"). The
 * folders' hashes are taken in one walk, then tried deepest first, so a
 * path costs its length. 0, or -1 when out of memory. */
static int arg_of(args_index *ix, const char *path, size_t len, const wt_gen_path **out,
		  int *derived)
{
	uint64_t h = WT_GEN_HASH_START;
	const char *last = memrchr(path, '/', len);

	*out = NULL;
	*derived = 0;
	if (!ix->byabs.count)
		return 0;
	if (reserve_hashes(ix, len + 1))
		return -1;
	for (size_t n = 0; n < len; n++) {
		ix->hashes[n] = h; /* of path[0..n) */
		h = wt_gen_hash_more(h, path + n, 1);
	}
	ix->hashes[len] = h;
	for (size_t n = len; n > 1 && !*out; n--) {
		if (n == len || path[n] == '/')
			*out = wt_gen_table_find2(&ix->byabs, ix->hashes[n], path, n, "", 0);
	}
	for (size_t n = len - 1; !*out && last && n > (size_t)(last - path) + 1; n--)
		if ((*out = wt_gen_table_find2(&ix->byabs, ix->hashes[n], path, n, "", 0)))
			*derived = 1;
	return 0;
}

/* ---- merging a run into the merged table ---- */

/* A run's bits as the merged table keeps them. */
static uint32_t classify(uint32_t bits)
{
	if (bits & WT_GEN_CREATED)
		return WT_GEN_CREATED | (bits & WT_GEN_MKDIR) |
		       (bits & WT_GEN_PRESENT ? WT_GEN_KEPT : 0);
	if ((bits & WT_GEN_ENOENT) && !(bits & WT_GEN_OK))
		return WT_GEN_ABSENT;
	return WT_GEN_EXISTED;
}

/* The merged key of path p, as a pattern matching it alone:
 * ${arg:N}[/rest] when an argument names it or a folder above it. */
static char *merged_key(args_index *ix, const wt_gen_path *p, wt_arena *arena,
			const wt_gen_path **arg)
{
	int derived, writes = wt_suggest_writes(p->rights) || (p->bits & WT_GEN_CREATED);

	if (arg_of(ix, p->key, p->len, arg, &derived))
		return NULL;
	if (!*arg)
		return wt_manifest_pattern_escape(arena, p->key, p->len);
	return wt_suggest_key(arena, ix->run->argc, ix->run->argv, (*arg)->arg, writes, derived,
			      p->key + (*arg)->len, p->len - (*arg)->len);
}

static int merge_path(const wt_gen_run *run, args_index *ix, const wt_gen_path *p,
		      wt_gen_table *merged, wt_arena *arena)
{
	const wt_gen_path *arg;
	char *key = merged_key(ix, p, arena, &arg);
	wt_gen_path *m;

	if (!key || !(m = wt_gen_table_get(merged, key, strlen(key))))
		return -1;
	if (p->bits & WT_GEN_CREATED)
		m->crights |= p->rights;
	else
		m->rights |= p->rights;
	m->frights |= p->frights;
	m->xrights |= p->xrights;
	m->bits |= classify(p->bits);
	if (!arg && (p->bits & WT_GEN_CREATED)) {
		int n = argdir_of(ix, p);

		m->bits |= n ? WT_GEN_ARGDIR : WT_GEN_NOARGDIR;
		if (n && !m->argdir) {
			m->argdir = n;
			if (!(m->argex =
				  wt_arena_strndup(arena, run->argv[n], strlen(run->argv[n]))))
				return -1;
		}
	}
	if (arg) {
		m->arg = arg->arg;
		if (!m->example)
			m->example = wt_arena_strndup(arena, run->argv[arg->arg],
						      strlen(run->argv[arg->arg]));
		if (!m->example)
			return -1;
	}
	return 0;
}

/* A refusal (call byte + concrete path) into the merged refusals; the first run's errno
 * stays. */
static int merge_refusal(args_index *ix, const wt_gen_path *r, wt_gen_table *refused,
			 wt_arena *arena)
{
	wt_gen_path path = {.key = r->key + 1, .len = r->len - 1};
	const wt_gen_path *arg;
	char *mk = merged_key(ix, &path, arena, &arg), *key;
	size_t len;
	wt_gen_path *m;

	if (!mk || !(key = wt_arena_calloc(arena, 1, (len = strlen(mk)) + 2)))
		return -1;
	key[0] = r->key[0];
	memcpy(key + 1, mk, len);
	if (!(m = wt_gen_table_get(refused, key, len + 1)))
		return -1;
	if (!m->rights)
		m->rights = r->rights;
	return 0;
}

static int merge_run(const wt_gen_run *run, const run_tables *t, wt_gen_table *merged,
		     wt_gen_misc *misc, wt_arena *arena)
{
	args_index ix;
	int rc = 0;

	wt_gen_table_init(&ix.byabs);
	wt_gen_table_init(&ix.bydir);
	wt_arena_init(&ix.arena);
	ix.hashes = NULL, ix.cap = 0;
	if (index_args(run, t, &ix))
		rc = -1;
	for (size_t i = 0; !rc && i < t->paths.cap; i++)
		if (t->paths.slots[i].key &&
		    merge_path(run, &ix, &t->paths.slots[i], merged, arena))
			rc = -1;
	for (size_t i = 0; !rc && i < t->refused.cap; i++)
		if (t->refused.slots[i].key &&
		    merge_refusal(&ix, &t->refused.slots[i], &misc->refused, arena))
			rc = -1;
	wt_gen_table_fini(&ix.byabs);
	wt_gen_table_fini(&ix.bydir);
	wt_arena_fini(&ix.arena);
	free(ix.hashes);
	return rc;
}

/* Whether the clocks and random this run used were the host's or fake. */
static void note_fakes(const wt_gen_run *run, const wt_gen_misc *used, wt_gen_misc *misc)
{
	if (used->clocks && !run->fakes.fake_clocks)
		misc->real_clocks = 1;
	if (used->random && !run->fakes.fake_random)
		misc->real_random = 1;
	if (used->random && run->fakes.fake_random && !misc->seed_set) {
		misc->seed_set = 1;
		misc->seed = run->fakes.random_seed;
	}
}

int wt_gen_take_run(const wt_gen_run *run, wt_gen_table *merged, wt_gen_misc *misc, wt_arena *arena,
		    wt_error *err)
{
	size_t stride = run->stride ? run->stride : sizeof(wt_event);
	const char *base = (const char *)run->events;

	const wt_event *ev = NULL;
	wt_gen_misc used = {0}; /* this run's clocks and random */
	wt_arena keys;
	run_tables t = {.arena = &keys};
	int rc = 0;

	if (run->cwd && !canonical(run->cwd, strlen(run->cwd)))
		return wt_fail_plain(err, WT_MALFORMED,
				     "the run's cwd is not a canonical guest path");
	wt_gen_table_init(&t.paths);
	wt_gen_table_init(&t.refused);
	wt_arena_init(&keys);
	for (size_t i = 0; !rc && i < run->nevents; i++) {
		ev = (const wt_event *)(const void *)(base + i * stride);
		rc = take_event(&t, misc, ev, &used);
	}
	note_fakes(run, &used, misc);
	if (!rc && run->has_exit)
		add_distinct(misc->exits, &misc->nexit, run->exit_code);
	if (!rc)
		rc = merge_run(run, &t, merged, misc, arena);
	wt_gen_table_fini(&t.paths);
	wt_gen_table_fini(&t.refused);
	wt_arena_fini(&keys);
	if (rc == BAD_PATH)
		return wt_fail_plain(err, WT_MALFORMED,
				     "call %llu (%s): a path that is not a canonical guest path",
				     (unsigned long long)ev->seq, wt_wasi_call_name(ev->call));
	return rc ? wt_fail_plain(err, WT_NOMEM, "generate: out of memory") : 0;
}
