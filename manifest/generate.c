/* generate.c: recorded runs -> a manifest: the passes in order, then module, mounts, env, header.
 */
#include "generate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generate_impl.h"
#include "path.h"

enum { WT_GEN_ARGV_SHOWN = 240 }; /* bytes of a run's argv shown in the header */

int wt_gen_granularity_parse(const char *name, wt_gen_granularity *out)
{
	static const struct {
		const char *name;
		wt_gen_granularity g;
	} names[] = {{"exact", WT_GEN_EXACT}, {"dir", WT_GEN_DIR}, {"tree", WT_GEN_TREE}};

	for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].g;
			return 0;
		}
	}
	return -1;
}

static const char *granularity_name(wt_gen_granularity g)
{
	return g == WT_GEN_EXACT ? "exact" : g == WT_GEN_TREE ? "tree" : "dir";
}

/* The length of the longest common folder of a and b (whole components). */
static size_t common_prefix(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	if ((a[i] == '\0' || a[i] == '/') && (b[i] == '\0' || b[i] == '/'))
		return i;
	while (i > 0 && a[i - 1] != '/')
		i--;
	return i ? i - 1 : 0;
}

char *wt_gen_relpath(const char *from, const char *to, char *buf, size_t size)
{
	size_t l = common_prefix(from, to), at = 0;
	const char *rest = to + l + (to[l] == '/');
	int n;

	if (strcmp(from, to) == 0)
		return snprintf(buf, size, ".") < (int)size ? buf : NULL;
	if (l == 0) /* only "/" in common: absolute is clearer */
		return snprintf(buf, size, "%s", to) < (int)size ? buf : NULL;
	buf[0] = '\0';
	for (const char *p = from + l; *p; p++) {
		if (*p != '/')
			continue;
		if ((n = snprintf(buf + at, size - at, "%s..", at ? "/" : "")) < 0 ||
		    (size_t)n >= size - at)
			return NULL;
		at += (size_t)n;
	}
	n = snprintf(buf + at, size - at, "%s%s", at && *rest ? "/" : "", rest);
	return n >= 0 && (size_t)n < size - at ? buf : NULL;
}

/* ---- module, mounts, env, the rest ---- */

static int fill_module(wt_manifest *m, const wt_gen_run *runs, size_t nruns, wt_error *err)
{
	const char *name = runs[0].module_name ? runs[0].module_name : "module.wasm";
	const char *sha = NULL;
	size_t first = 0;

	for (size_t i = 0; i < nruns; i++) {
		const char *s = runs[i].sha256;

		if (!s || !*s)
			continue;
		if (sha && strcmp(sha, s) != 0)
			return wt_fail_plain(
			    err, WT_INVALID,
			    "runs %zu and %zu are of different modules (sha256 %.12s... "
			    "and %.12s...): generate one manifest per module",
			    first + 1, i + 1, sha, s);
		if (!sha)
			sha = s, first = i;
	}
	if (!(m->module_name = wt_arena_strndup(&m->arena, name, strlen(name))))
		return wt_fail_plain(err, WT_NOMEM, "generate: out of memory");
	if (sha)
		snprintf(m->sha256, sizeof m->sha256, "%s", sha);
	return 0;
}

/* The host folder of a mount as the manifest writes it (see wt_gen_options). */
static const char *mount_host(wt_arena *a, const wt_gen_options *opt, const char *host)
{
	char abs[WT_PATH_MAX + 1], rel[WT_PATH_MAX + 1];
	const char *base = host[0] == '/' ? "/" : opt->host_cwd;
	size_t len;

	if (!opt->manifest_dir || !base ||
	    wt_path_join(base, strlen(base), (const uint8_t *)host, strlen(host), 1, abs,
			 sizeof abs, &len) ||
	    !wt_gen_relpath(opt->manifest_dir, abs, rel, sizeof rel))
		return wt_arena_strndup(a, host, strlen(host));
	return wt_arena_strndup(a, rel, strlen(rel));
}

/* 1 when a manifest can hold guest folder p as a mount point or cwd:
 * absolute, canonical, without `*` or `\`, at most WT_PATH_MAX bytes. */
static int manifest_folder(const char *p)
{
	return p[0] == '/' && strlen(p) <= WT_PATH_MAX && !strpbrk(p, "*\\") &&
	       wt_manifest_pattern_check(p, NULL, 0) == 0;
}

/* A journal may hold any mount, cwd and env name: one a manifest cannot
 * hold is an error here, not a manifest that does not load. */
static int check_runs(const wt_gen_run *runs, size_t nruns, wt_error *err)
{
	for (size_t i = 0; i < nruns; i++) {
		for (int k = 0; k < runs[i].nenv; k++) {
			const char *name = runs[i].env_names[k];

			if (!name[0] || strchr(name, '='))
				return wt_fail_plain(err, WT_MALFORMED,
						     "run %zu: the env name '%.200s' cannot be "
						     "written in a manifest (a name without '=')",
						     i + 1, name);
		}
		for (int k = 0; k < runs[i].nmounts; k++) {
			const wt_mount *mt = &runs[i].mounts[k];

			if (!manifest_folder(mt->guest) || !mt->host[0])
				return wt_fail_plain(err, WT_MALFORMED,
						     "run %zu: the mount %.200s cannot be written "
						     "in a manifest (a canonical absolute guest "
						     "path without '*' or '\\', a host folder)",
						     i + 1, mt->guest);
		}
		if (runs[i].cwd && !manifest_folder(runs[i].cwd))
			return wt_fail_plain(err, WT_MALFORMED,
					     "run %zu: the cwd %.200s cannot be written in a "
					     "manifest (a canonical absolute guest path without "
					     "'*' or '\\')",
					     i + 1, runs[i].cwd);
	}
	return 0;
}

/* Adds run mount mt to m, or merges it into m's mount of the same guest
 * folder (found through seen: guest -> index); 0 or -1. */
static int add_mount(wt_manifest *m, wt_gen_table *seen, const wt_mount *mt,
		     const wt_gen_options *opt)
{
	wt_mmount *to = &m->mounts[m->nmounts];
	wt_gen_path *p = wt_gen_table_get(seen, mt->guest, strlen(mt->guest));

	if (!p)
		return -1;
	if (p->rights) { /* met before (rights: a mark here) */
		m->mounts[p->index].readonly = m->mounts[p->index].readonly && mt->readonly;
		return 0;
	}
	p->rights = 1, p->index = m->nmounts;
	to->guest = wt_arena_strndup(&m->arena, mt->guest, strlen(mt->guest));
	to->host = mount_host(&m->arena, opt, mt->host);
	to->readonly = mt->readonly;
	if (!to->guest || !to->host)
		return -1;
	m->nmounts++;
	return 0;
}

/* One mount per guest folder over all runs, in the order the runs had
 * them (the first mount is a run's default cwd): the first run's host;
 * rw when any run had it rw. */
static int fill_mounts(wt_manifest *m, const wt_gen_run *runs, size_t nruns,
		       const wt_gen_options *opt)
{
	wt_gen_table seen;
	size_t total = 0;
	int rc = 0;

	for (size_t i = 0; i < nruns; i++)
		total += runs[i].nmounts > 0 ? (size_t)runs[i].nmounts : 0;
	if (!total)
		return 0;
	if (!(m->mounts = wt_arena_calloc(&m->arena, total, sizeof *m->mounts)))
		return -1;
	wt_gen_table_init(&seen);
	for (size_t i = 0; !rc && i < nruns; i++)
		for (int k = 0; !rc && k < runs[i].nmounts; k++)
			rc = add_mount(m, &seen, &runs[i].mounts[k], opt);
	wt_gen_table_fini(&seen);
	return rc;
}

/* cwd: the runs' guest cwd when they all had the same one, always written
 * (a manifest without it means its first mount, as older ones did); when
 * they differ, none (each run gives its own --cwd). */
static int fill_cwd(wt_manifest *m, const wt_gen_run *runs, size_t nruns)
{
	const char *cwd = runs[0].cwd ? runs[0].cwd : "/";

	for (size_t i = 1; i < nruns; i++)
		if (strcmp(runs[i].cwd ? runs[i].cwd : "/", cwd) != 0)
			return 0;
	m->cwd = wt_arena_strndup(&m->arena, cwd, strlen(cwd));
	return m->cwd ? 0 : -1;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int fill_env(wt_manifest *m, const wt_gen_run *runs, size_t nruns)
{
	size_t total = 0, n = 0;

	for (size_t i = 0; i < nruns; i++)
		total += runs[i].nenv > 0 ? (size_t)runs[i].nenv : 0;
	if (!total)
		return 0;
	if (!(m->env = wt_arena_calloc(&m->arena, total, sizeof *m->env)))
		return -1;
	for (size_t i = 0; i < nruns; i++)
		for (int k = 0; k < runs[i].nenv; k++)
			m->env[n++] = runs[i].env_names[k];
	qsort(m->env, n, sizeof *m->env, cmp_str);
	for (size_t i = 0; i < n; i++) {
		const char *s = m->env[i];

		if (m->nenv && strcmp(m->env[m->nenv - 1], s) == 0)
			continue;
		if (!(m->env[m->nenv++] = wt_arena_strndup(&m->arena, s, strlen(s))))
			return -1;
	}
	return 0;
}

static int cmp_i32(const void *x, const void *y)
{
	int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;

	return a < b ? -1 : a > b;
}

static int fill_sockets(wt_manifest *m, const wt_gen_misc *misc)
{
	int32_t fds[64];
	char num[16];

	if (!misc->nsock)
		return 0;
	memcpy(fds, misc->sockets, misc->nsock * sizeof *fds);
	qsort(fds, misc->nsock, sizeof *fds, cmp_i32);
	if (!(m->sockets = wt_arena_calloc(&m->arena, misc->nsock, sizeof *m->sockets)))
		return -1;
	for (size_t i = 0; i < misc->nsock; i++) {
		snprintf(num, sizeof num, "%d", (int)fds[i]);
		if (!(m->sockets[i] = wt_arena_strndup(&m->arena, num, strlen(num))))
			return -1;
	}
	m->nsockets = misc->nsock;
	return 0;
}

static int fill_misc(wt_manifest *m, const wt_gen_misc *misc)
{
	if (fill_sockets(m, misc))
		return -1;
	m->clocks = misc->clocks;
	/* fake when every run that read a clock (called random_get) had fake ones */
	m->clock_grant = !misc->clocks	     ? WT_GRANT_NONE
			 : misc->real_clocks ? WT_GRANT_REAL
					     : WT_GRANT_FAKE;
	m->random = !misc->random	? WT_GRANT_NONE
		    : misc->real_random ? WT_GRANT_REAL
					: WT_GRANT_FAKE;
	m->random_seed = m->random == WT_GRANT_FAKE ? misc->seed : 0;
	m->stdio = misc->stdio;
	if (!misc->nexit)
		return 0;
	if (!(m->exit_codes = wt_arena_calloc(&m->arena, misc->nexit, sizeof *m->exit_codes)))
		return -1;
	memcpy(m->exit_codes, misc->exits, misc->nexit * sizeof *m->exit_codes);
	m->nexit_codes = misc->nexit;
	qsort(m->exit_codes, m->nexit_codes, sizeof *m->exit_codes, cmp_i32);
	return 0;
}

/* ---- the header: where the manifest came from ---- */

/* Appends one argument, quoted when it needs it, control bytes as '?'. */
static void put_arg(char *buf, size_t size, size_t *at, const char *a)
{
	int quote = !*a || strpbrk(a, " \t'\"\\$#") != NULL;

	if (*at + 1 < size && *at)
		buf[(*at)++] = ' ';
	if (quote && *at + 1 < size)
		buf[(*at)++] = '\'';
	for (; *a && *at + 1 < size; a++) {
		unsigned char c = (unsigned char)*a;

		buf[(*at)++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (quote && *at + 1 < size)
		buf[(*at)++] = '\'';
	buf[*at] = '\0';
}

static char *run_line(wt_arena *a, size_t i, const wt_gen_run *run)
{
	char argv[WT_GEN_ARGV_SHOWN + 1] = "", line[WT_GEN_ARGV_SHOWN + 96];
	size_t at = 0;

	for (int k = 0; k < run->argc && run->argv[k]; k++)
		put_arg(argv, sizeof argv, &at, run->argv[k]);
	if (at >= WT_GEN_ARGV_SHOWN)
		memcpy(argv + WT_GEN_ARGV_SHOWN - 3, "...", 4);
	snprintf(line, sizeof line, "  run %zu: %s (recorded by wasi-tofu %s)", i + 1, argv,
		 run->tool_version ? run->tool_version : "?");
	return wt_arena_strndup(a, line, strlen(line));
}

/* The header: the runs, the granularity, and what the runs did that grants nothing. */
static int fill_header(wt_manifest *m, const wt_gen_run *runs, size_t nruns, wt_gen_granularity g,
		       uint64_t early)
{
	char line[256];
	size_t n = 0;

	if (!(m->header = wt_arena_calloc(&m->arena, nruns + 4, sizeof *m->header)))
		return -1;
	snprintf(line, sizeof line,
		 "Capability manifest for %s, generated by wasi-tofu %s from %zu run%s:",
		 m->module_name, WT_VERSION, nruns, nruns == 1 ? "" : "s");
	m->header[n++] = wt_arena_strndup(&m->arena, line, strlen(line));
	for (size_t i = 0; i < nruns; i++)
		m->header[n++] = run_line(&m->arena, i, &runs[i]);
	snprintf(line, sizeof line,
		 "It grants only what those runs did (granularity %s). Review every grant "
		 "before you commit it.",
		 granularity_name(g));
	m->header[n++] = wt_arena_strndup(&m->arena, line, strlen(line));
	if (early) {
		snprintf(line, sizeof line,
			 "The host refused %llu recorded call%s before any grant was asked (a bad "
			 "fd or pointer, an fd without the rights): %s nothing.",
			 (unsigned long long)early, early == 1 ? "" : "s",
			 early == 1 ? "it grants" : "they grant");
		m->header[n++] = wt_arena_strndup(&m->arena, line, strlen(line));
	}
	if (m->nrefused) {
		snprintf(line, sizeof line,
			 "`refused` lists %zu call%s the host refused: a later run gets the same "
			 "error without the host being asked, and no grant.",
			 m->nrefused, m->nrefused == 1 ? "" : "s");
		m->header[n++] = wt_arena_strndup(&m->arena, line, strlen(line));
	}
	for (size_t i = 0; i < n; i++)
		if (!m->header[i])
			return -1;
	m->nheader = n;
	return 0;
}

int wt_generate(const wt_gen_run *runs, size_t nruns, const wt_gen_options *opt, wt_manifest **out,
		wt_error *err)
{
	static const wt_gen_options defaults;
	wt_gen_misc misc;
	wt_gen_table merged;
	wt_arena scratch;
	wt_manifest *m;
	int rc = 0;

	*out = NULL;
	opt = opt ? opt : &defaults;
	if (nruns == 0)
		return wt_fail_plain(err, WT_INVALID, "generate: no run to generate from");
	if (!(m = wt_manifest_new()))
		return wt_fail_plain(err, WT_NOMEM, "generate: out of memory");
	memset(&misc, 0, sizeof misc);
	wt_gen_table_init(&misc.refused);
	wt_gen_table_init(&merged);
	wt_arena_init(&scratch);
	rc = fill_module(m, runs, nruns, err) || check_runs(runs, nruns, err) ? err->code : 0;
	for (size_t i = 0; !rc && i < nruns; i++)
		rc = wt_gen_take_run(&runs[i], &merged, &misc, &scratch, err);
	if (!rc)
		rc = wt_gen_build_rules(&merged, &misc, opt->granularity, m, err);
	if (!rc && (fill_mounts(m, runs, nruns, opt) || fill_cwd(m, runs, nruns) ||
		    fill_env(m, runs, nruns) || fill_misc(m, &misc) ||
		    fill_header(m, runs, nruns, opt->granularity, misc.early)))
		rc = wt_fail_plain(err, WT_NOMEM, "generate: out of memory");
	wt_gen_table_fini(&misc.refused);
	wt_gen_table_fini(&merged);
	wt_arena_fini(&scratch);
	if (rc) {
		wt_manifest_free(m);
		return rc;
	}
	*out = m;
	return 0;
}
