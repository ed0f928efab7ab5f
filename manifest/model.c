/* model.c: the manifest model: new/free, names of rights, clocks and modes, pattern syntax. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "manifest.h"
#include "mint.h"
#include "wasi.h"
#include "wasi_flags.h"

static const char *const right_names[] = {
#define WT_X_NAME(name, bit, text) [bit] = text,
    WT_RIGHT_LIST(WT_X_NAME)
#undef WT_X_NAME
};

enum { NRIGHTS = sizeof right_names / sizeof right_names[0] };

static const char *const clock_names[] = {"realtime", "monotonic", "process", "thread"};
static const char *const stdio_names[] = {"stdin", "stdout", "stderr"};
static const char *const mode_names[] = {
    [WT_ON_DEV_DEFAULT] = "default", [WT_ON_DEV_FAIL] = "fail", [WT_ON_DEV_PROMPT] = "prompt",
    [WT_ON_DEV_DENY] = "deny",	     [WT_ON_DEV_HIDE] = "hide", [WT_ON_DEV_WARN] = "warn",
};

wt_manifest *wt_manifest_new(void)
{
	wt_arena a;
	wt_manifest *m;

	wt_arena_init(&a);
	m = wt_arena_calloc(&a, 1, sizeof *m);
	if (!m) {
		wt_arena_fini(&a);
		return NULL;
	}
	m->arena = a;
	m->version = 1;
	return m;
}

void wt_manifest_free(wt_manifest *m)
{
	wt_arena a;

	if (!m)
		return;
	a = m->arena; /* m itself lives in the arena */
	wt_arena_fini(&a);
}

uint32_t wt_manifest_right_bit(const char *name, size_t len)
{
	for (unsigned bit = 0; bit < NRIGHTS; bit++) {
		if (strlen(right_names[bit]) == len && memcmp(right_names[bit], name, len) == 0)
			return 1u << bit;
	}
	return 0;
}

/* The index of the one bit set in bit, or -1. */
static int bit_index(uint32_t bit)
{
	if (bit == 0 || (bit & (bit - 1)))
		return -1;
	return __builtin_ctz(bit);
}

const char *wt_manifest_right_name(uint32_t bit)
{
	int i = bit_index(bit);

	return i >= 0 && i < (int)NRIGHTS ? right_names[i] : NULL;
}

const char *wt_manifest_clock_name(uint32_t bit)
{
	int i = bit_index(bit);

	return i >= 0 && i < 4 ? clock_names[i] : NULL;
}

const char *wt_manifest_stdio_name(uint32_t bit)
{
	int i = bit_index(bit);

	return i >= 0 && i < 3 ? stdio_names[i] : NULL;
}

const char *wt_manifest_on_deviation_name(wt_on_deviation mode)
{
	return (unsigned)mode < sizeof mode_names / sizeof mode_names[0] ? mode_names[mode] : NULL;
}

int wt_manifest_on_deviation_parse(const char *name, wt_on_deviation *out)
{
	for (unsigned i = WT_ON_DEV_FAIL; i < sizeof mode_names / sizeof mode_names[0]; i++) {
		if (strcmp(name, mode_names[i]) == 0) {
			*out = (wt_on_deviation)i;
			return 0;
		}
	}
	return -1;
}

static int why(char *buf, size_t size, const char *text)
{
	if (size)
		snprintf(buf, size, "%s", text);
	return -1;
}

/* Checks one component [p, end) of a pattern; last: it ends the pattern. */
static int check_component(const char *p, const char *end, int last, char *buf, size_t size)
{
	size_t n = (size_t)(end - p);

	if (n == 0)
		return why(buf, size, "empty component ('//' or a trailing '/')");
	if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
		return why(buf, size, "'.' and '..' are not allowed: write the canonical path");
	if (n == 2 && p[0] == '*' && p[1] == '*')
		return last ? 0 : why(buf, size, "'**' may only be the last component");
	for (const char *q = p; q < end; q++) {
		if (*q == '\\') {
			if (q + 1 == end || (q[1] != '*' && q[1] != '\\' && q[1] != '$'))
				return why(buf, size, "'\\' escapes only '*', '\\' and '$'");
			q++;
		} else if (*q == '*' && q + 1 < end && q[1] == '*') {
			return why(buf, size, "'**' must be a whole component");
		}
	}
	return 0;
}

/* Skips a leading argument head, ${arg}, ${arg:N}, ${arg:-OPT} or ${argdir} (docs/manifest.md);
 * returns the rest, or NULL when malformed. */
static const char *skip_arg(const char *p)
{
	const char *q = p + 6;

	if (strncmp(p, "${arg}", 6) == 0)
		return p + 6;
	if (strncmp(p, "${argdir}", 9) == 0) /* a folder: no suffix */
		return p[9] == '\0' || p[9] == '/' ? p + 9 : NULL;
	if (strncmp(p, "${arg:", 6) != 0)
		return p;
	if (*q == '-') { /* an option: letters, digits, '-', '_' */
		while ((isalnum((unsigned char)*q) || *q == '-' || *q == '_') && q - p < 72)
			q++;
		return *q == '}' && q > p + 7 ? q + 1 : NULL;
	}
	if (*q < '0' || *q > '9')
		return NULL;
	while (*q >= '0' && *q <= '9' && q - p < 12)
		q++;
	return *q == '}' ? q + 1 : NULL;
}

/* A suffix after the head, up to '/' or the end ("${arg}.gz"): literal, escapes allowed. */
static const char *skip_suffix(const char *p, char *buf, size_t size)
{
	const char *end = strchrnul(p, '/');

	for (const char *q = p; q < end; q++) {
		if (*q == '*')
			return why(buf, size, "no '*' in the name after ${arg...}"), NULL;
		if (*q == '\\') {
			if (q + 1 == end || (q[1] != '*' && q[1] != '\\' && q[1] != '$'))
				return why(buf, size, "'\\' escapes only '*', '\\' and '$'"), NULL;
			q++;
		}
	}
	return end;
}

int wt_manifest_pattern_check(const char *pat, char *buf, size_t size)
{
	const char *p = skip_arg(pat);

	if (!p)
		return why(
		    buf, size,
		    "expected ${arg}, ${arg:N} with a decimal N, ${arg:-OPTION} or ${argdir}/");
	if (p == pat && p[0] != '/')
		return why(buf, size,
			   "a pattern is an absolute guest path or starts with ${arg...}");
	if (p != pat && !(p = skip_suffix(p, buf, size)))
		return -1;
	if (p != pat && *p == '\0')
		return 0;
	if (p == pat && p[1] == '\0')
		return 0; /* "/" itself */
	while (*p == '/') {
		const char *end = strchrnul(p + 1, '/');

		if (check_component(p + 1, end, *end == '\0', buf, size))
			return -1;
		p = end;
	}
	return 0;
}

char *wt_manifest_pattern_escape(wt_arena *a, const char *path, size_t len)
{
	char *out = wt_arena_calloc(a, 2 * len + 1, 1), *w = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (path[i] == '*' || path[i] == '\\' || (i == 0 && path[i] == '$'))
			*w++ = '\\';
		*w++ = path[i];
	}
	*w = '\0';
	return out;
}

/* Arrays grown one at a time hold a power-of-two capacity: the loader
 * allocates the same way (wt_manifest_cap). */
size_t wt_manifest_cap(size_t n)
{
	size_t c = 1;

	if (n == 0)
		return 0;
	while (c < n)
		c <<= 1;
	return c;
}

int wt_manifest_add_rule(wt_manifest *m, const char *pattern, uint32_t rights, const char *comment,
			 wt_error *err)
{
	wt_mrule r = {.pattern = pattern, .rights = rights, .comment = comment};

	return wt_manifest_add_mrule(m, &r, err);
}

/* Room for one more entry in an array grown one at a time (see wt_manifest_cap). */
static void *room(wt_manifest *m, void *v, size_t n, size_t size)
{
	void *grown;

	if (n != wt_manifest_cap(n))
		return v;
	if (!(grown = wt_arena_calloc(&m->arena, n ? 2 * n : 1, size)))
		return NULL;
	if (n)
		memcpy(grown, v, n * size);
	return grown;
}

int wt_manifest_add_mrule(wt_manifest *m, const wt_mrule *from, wt_error *err)
{
	const char *pattern = from->pattern, *comment = from->comment;
	wt_mrule *r, *v = room(m, m->files, m->nfiles, sizeof *r);

	if (!v)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	m->files = v;
	r = &m->files[m->nfiles];
	memset(r, 0, sizeof *r);
	r->pattern = wt_arena_strndup(&m->arena, pattern, strlen(pattern));
	r->comment = comment ? wt_arena_strndup(&m->arena, comment, strlen(comment)) : NULL;
	if (!r->pattern || (comment && !r->comment))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	r->rights = from->rights;
	r->only_new = from->only_new;
	m->nfiles++;
	return 0;
}

const char *wt_manifest_cwd(const wt_manifest *m)
{
	if (m->cwd)
		return m->cwd;
	return m->nmounts ? m->mounts[0].guest : "/";
}

int wt_manifest_add_refusal(wt_manifest *m, const char *pattern, wt_wasi_call call, uint16_t error,
			    wt_error *err)
{
	wt_mrefusal *r, *v;

	for (size_t i = 0; i < m->nrefused; i++)
		if (m->refused[i].call == call && strcmp(m->refused[i].pattern, pattern) == 0)
			return 0;
	if (!(v = room(m, m->refused, m->nrefused, sizeof *r)))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	m->refused = v;
	r = &m->refused[m->nrefused];
	memset(r, 0, sizeof *r);
	if (!(r->pattern = wt_arena_strndup(&m->arena, pattern, strlen(pattern))))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	r->call = call, r->error = error;
	m->nrefused++;
	return 0;
}

int wt_manifest_call_parse(const char *name, size_t len)
{
	for (unsigned c = 0; c < WT_WASI_CALL_COUNT; c++) {
		const char *n = wt_wasi_call_name((wt_wasi_call)c);

		if (strlen(n) == len && memcmp(n, name, len) == 0)
			return (int)c;
	}
	return -1;
}

int wt_manifest_errno_parse(const char *name, size_t len)
{
	if (len < 2 || name[0] != 'E')
		return -1;
	for (unsigned e = 1;; e++) { /* the names end at the first errno without one */
		const char *n = wt_wasi_errno_name(e);

		if (!n || strcmp(n, "?") == 0)
			return -1;
		if (strlen(n) == len - 1 && memcmp(n, name + 1, len - 1) == 0)
			return (int)e;
	}
}

const char *wt_manifest_errno_name(unsigned error, char *buf, size_t size)
{
	snprintf(buf, size, "E%s", wt_wasi_errno_name(error));
	return buf;
}
