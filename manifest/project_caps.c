/* project_caps.c: a manifest's capability summary for `status`: the folders it reads and writes
 * below, env names, clocks, random, sockets (jansson). */
#include <jansson.h>
#include <string.h>

#include "project.h"

enum {
	WRITES = WT_RIGHT_WRITE | WT_RIGHT_CREATE | WT_RIGHT_DELETE | WT_RIGHT_RENAME |
		 WT_RIGHT_LINK | WT_RIGHT_SYMLINK | WT_RIGHT_SET_TIMES | WT_RIGHT_TRUNCATE,
	LOOKS = WT_RIGHT_LIST | WT_RIGHT_STAT | WT_RIGHT_READLINK,
};

/* The length of p[0..n) without its last component ("/" for one at the
 * root); 0 when it has no '/'. */
static size_t parent(const char *p, size_t n)
{
	while (n > 0 && p[n - 1] != '/')
		n--;
	return n <= 1 ? n : n - 1;
}

static int wild_last(const char *p, size_t n)
{
	size_t s = n;

	while (s > 0 && p[s - 1] != '/')
		s--;
	return memchr(p + s, '*', n - s) != NULL;
}

/* The folder a rule reaches: the pattern without its last component (the
 * pattern itself for a rule that only lists or stats: a folder), and
 * without wildcard components at the end. `${arg:N}` stays: the folder
 * argument N names. */
static size_t folder_len(const char *pattern, uint32_t rights)
{
	size_t n = strlen(pattern), m;

	if ((rights & ~LOOKS) && (m = parent(pattern, n)))
		n = m;
	while (wild_last(pattern, n) && (m = parent(pattern, n)) && m < n)
		n = m;
	return n;
}

/* 1 when folder a (len n) is b or below b. */
static int within(const char *a, size_t n, const char *b)
{
	size_t m = strlen(b);

	return n >= m && strncmp(a, b, m) == 0 && (n == m || a[m] == '/' || strcmp(b, "/") == 0);
}

/* Adds folder f to set unless it or a folder above it is there; drops
 * the ones below it. */
static void add_folder(json_t *set, const char *pattern, size_t n)
{
	json_t *f = json_stringn(pattern, n), *v;
	const char *fs = json_string_value(f);
	size_t i;

	json_array_foreach(set, i, v)
	{
		if (within(fs, n, json_string_value(v))) {
			json_decref(f);
			return;
		}
	}
	for (i = json_array_size(set); i-- > 0;) {
		const char *s = json_string_value(json_array_get(set, i));

		if (within(s, strlen(s), fs))
			json_array_remove(set, i);
	}
	json_array_append_new(set, f);
}

static json_t *names(const char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *clocks(const wt_manifest *m)
{
	json_t *a = json_array();

	for (uint32_t bit = 1; a && m->clock_grant != WT_GRANT_NONE && bit <= WT_MCLOCK_THREAD;
	     bit <<= 1)
		if (m->clocks & bit)
			json_array_append_new(a, json_string(wt_manifest_clock_name(bit)));
	return a;
}

json_t *wt_project_caps(const wt_manifest *m)
{
	json_t *reads = json_array(), *writes = json_array();

	for (size_t i = 0; reads && writes && i < m->nfiles; i++) {
		const wt_mrule *r = &m->files[i];
		size_t n = folder_len(r->pattern, r->rights);

		if (r->rights & WRITES)
			add_folder(writes, r->pattern, n);
		if (r->rights & ~WRITES)
			add_folder(reads, r->pattern, n);
	}
	return json_pack("{s:o*, s:o*, s:o*, s:o*, s:b, s:o*}", "read", reads, "write", writes,
			 "env", names(m->env, m->nenv), "clocks", clocks(m), "random",
			 m->random != WT_GRANT_NONE, "sockets", names(m->sockets, m->nsockets));
}
