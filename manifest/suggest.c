/* suggest.c: the one rule writer: a request outside the manifest -> the grant, its YAML, its file.
 */
#include "suggest.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "mint.h"
#include "path.h"
#include "wasi.h"

const char *wt_suggest_arg_value(int argc, const char *const *argv, int n, const char *opt,
				 size_t optlen)
{
	const char *a = n >= 1 && n < argc ? argv[n] : NULL;

	if (!a || !*a)
		return NULL;
	if (!opt) /* ${arg}: a path argument, or the value of --name=VALUE */
		return a[0] != '-' ? a : strchr(a, '=') ? strchr(a, '=') + 1 : NULL;
	if (strncmp(a, opt, optlen) == 0 && a[optlen] == '=')
		return a + optlen + 1;
	if (n >= 2 && argv[n - 1] && strlen(argv[n - 1]) == optlen &&
	    strncmp(argv[n - 1], opt, optlen) == 0)
		return a;
	return NULL;
}

enum {
	WRITES = WT_RIGHT_WRITE | WT_RIGHT_CREATE | WT_RIGHT_DELETE | WT_RIGHT_RENAME |
		 WT_RIGHT_LINK | WT_RIGHT_SYMLINK | WT_RIGHT_SET_TIMES | WT_RIGHT_TRUNCATE,
};

int wt_suggest_writes(uint32_t rights)
{
	return (rights & WRITES) != 0;
}

/* 1 when opt[0..len) may name an option in a head: '-', then letters, digits, '-', '_'. */
static int option_name(const char *opt, size_t len)
{
	if (len < 2 || len > 64 || opt[0] != '-')
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!isalnum((unsigned char)opt[i]) && opt[i] != '-' && opt[i] != '_')
			return 0;
	return 1;
}

/* The head for argument n: ${arg} (any position) when the rule changes nothing there, else
 * ${arg:-o} when the argument is an option's value ("-o X", "-o=X"), else ${arg:N}. */
static void head_of(char *head, size_t size, int argc, const char *const *argv, int n, int writes)
{
	const char *a = n < argc ? argv[n] : NULL, *eq = a ? strchr(a, '=') : NULL;

	if (!writes)
		snprintf(head, size, "${arg}");
	else if (a && a[0] == '-' && eq && option_name(a, (size_t)(eq - a)))
		snprintf(head, size, "${arg:%.*s}", (int)(eq - a), a);
	else if (n >= 2 && argv[n - 1] && option_name(argv[n - 1], strlen(argv[n - 1])))
		snprintf(head, size, "${arg:%s}", argv[n - 1]);
	else
		snprintf(head, size, "${arg:%d}", n);
}

char *wt_suggest_key(wt_arena *a, int argc, const char *const *argv, int n, int writes, int derived,
		     const char *rest, size_t len)
{
	char head[96], *tail, *key;
	size_t hlen, tlen;

	if (derived)
		snprintf(head, sizeof head, "${arg}");
	else
		head_of(head, sizeof head, argc, argv, n, writes);
	hlen = strlen(head);
	if (!(tail = wt_manifest_pattern_escape(a, rest, len)))
		return NULL;
	tlen = strlen(tail);
	if (!(key = wt_arena_calloc(a, 1, hlen + tlen + 1)))
		return NULL;
	memcpy(key, head, hlen);
	memcpy(key + hlen, tail, tlen);
	return key;
}

/* 1 when the canonical path name[0..nlen) is path[0..len) or a folder above it. */
static int names_path(const char *name, size_t nlen, const char *path, size_t len)
{
	return nlen <= len && memcmp(name, path, nlen) == 0 && (nlen == len || path[nlen] == '/');
}

/* 1 when path[0..len) is name[0..nlen) plus a suffix without '/' ("x.bin" -> "x.bin.gz"). */
static int derived_from(const char *name, size_t nlen, const char *path, size_t len)
{
	return nlen < len && memcmp(name, path, nlen) == 0 && !memchr(path + nlen, '/', len - nlen);
}

char *wt_suggest_pattern(wt_arena *a, int argc, const char *const *argv, const char *cwd,
			 const char *path, size_t len, uint32_t rights, int *arg)
{
	char buf[WT_PATH_MAX + 1];
	size_t best = 0, dbest = 0, blen;
	int darg = 0;

	cwd = cwd ? cwd : "/";
	*arg = 0;
	for (int n = 1; n < argc; n++) {
		const char *s = wt_suggest_arg_value(argc, argv, n, NULL, 0);

		if (!s || !*s ||
		    wt_path_join(cwd, strlen(cwd), (const uint8_t *)s, strlen(s), 1, buf,
				 sizeof buf, &blen) ||
		    blen <= 1) /* "/" never counts */
			continue;
		/* the deepest argument wins, the lowest N on a tie */
		if (blen > best && names_path(buf, blen, path, len))
			best = blen, *arg = n;
		else if (blen > dbest && derived_from(buf, blen, path, len))
			dbest = blen, darg = n;
	}
	if (*arg)
		return wt_suggest_key(a, argc, argv, *arg, wt_suggest_writes(rights), 0,
				      path + best, len - best);
	if (darg)
		return *arg = darg,
		       wt_suggest_key(a, argc, argv, darg, 0, 1, path + dbest, len - dbest);
	return wt_manifest_pattern_escape(a, path, len);
}

/* The folder of pattern p (after any ${arg:N} head) with "/\*" added; NULL when p has none. */
static char *folder_star(const char *p)
{
	const char *head = strncmp(p, "${arg", 5) == 0 ? strchr(p, '}') + 1 : p;
	const char *slash = strrchr(head, '/');
	char *s;

	if (!slash)
		return NULL;
	if ((s = malloc((size_t)(slash - p) + 3)))
		sprintf(s, "%.*s/*", (int)(slash - p), p);
	return s;
}

/* 1 when path[0..len) is a name directly in the folder of an argument's path (not "/"): a
 * new file there is generate's `${argdir}/\*` (generate_rules.c, in_argdir). */
static int beside_arg(const wt_suggest_ctx *c, const char *path, size_t len)
{
	const char *cwd = c->cwd ? c->cwd : "/", *slash = memrchr(path, '/', len);
	char buf[WT_PATH_MAX + 1];
	size_t blen;

	for (int n = 1; slash && slash > path && n < c->argc; n++) {
		const char *s = wt_suggest_arg_value(c->argc, c->argv, n, NULL, 0);
		const char *bs;

		if (!s || !*s ||
		    wt_path_join(cwd, strlen(cwd), (const uint8_t *)s, strlen(s), 1, buf,
				 sizeof buf, &blen) ||
		    !(bs = memrchr(buf, '/', blen)))
			continue;
		if (bs - buf == slash - path && memcmp(buf, path, (size_t)(slash - path)) == 0)
			return 1;
	}
	return 0;
}

int wt_suggest_file(const wt_suggest_ctx *c, const char *path, size_t len, uint32_t rights,
		    int is_new, wt_suggestion *s)
{
	const wt_manifest *target = c->override_path ? c->override : c->manifest;
	wt_arena a;
	char *pat;
	wt_mrule r;

	memset(s, 0, sizeof *s);
	wt_arena_init(&a);
	pat = wt_suggest_pattern(&a, c->argc, c->argv, c->cwd, path, len,
				 rights | (is_new ? WT_RIGHT_CREATE : 0), &s->arg);
	s->key = "files";
	s->rights = rights;
	s->file = c->override_path ? c->override_path : c->manifest_path;
	s->has_key = target && target->nfiles > 0;
	if (pat && is_new && (rights & WT_RIGHT_CREATE) && pat[0] == '/' &&
	    beside_arg(c, path, len) && (s->pattern = strdup("${argdir}/*")))
		s->only_new =
		    1; /* a created file beside an argument's path, as generate writes it */
	else if (pat && is_new && (rights & WT_RIGHT_CREATE) && strchr(pat + 1, '/') &&
		 (s->pattern = folder_star(pat)))
		s->only_new = 1; /* a created file: its folder's `*`, as generate writes it */
	else if (pat)
		s->pattern = strdup(pat);
	wt_arena_fini(&a);
	if (!s->pattern)
		return WT_NOMEM;
	r = (wt_mrule){.pattern = s->pattern, .rights = rights, .only_new = s->only_new};
	if (wt_manifest_emit_mrule(&r, &s->line)) {
		wt_suggest_fini(s);
		return WT_NOMEM;
	}
	return 0;
}

/* The line of key in m emitted by libyaml ("clocks: [monotonic, realtime]"), malloc'd. */
static char *key_line(const wt_manifest *m, const char *key)
{
	wt_error err;
	char *text, *line = NULL;
	size_t len, klen = strlen(key);

	wt_error_init(&err);
	if (wt_manifest_emit(m, &text, &len, &err))
		return NULL;
	for (char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ':') {
			line = strndup(p, strcspn(p, "\n"));
			break;
		}
	}
	free(text);
	return line;
}

/* A scratch manifest holding what the key's new value is; key names it. */
static int fill_need(const wt_manifest *m, const wt_need *n, wt_manifest *t, const char **key)
{
	char num[16];

	switch (n->kind) {
	case WT_NEED_CLOCK:
		t->clocks = (m ? m->clocks : 0) | n->bit;
		t->clock_grant =
		    m && m->clock_grant == WT_GRANT_FAKE ? WT_GRANT_FAKE : WT_GRANT_REAL;
		*key = "clocks";
		return 0;
	case WT_NEED_RANDOM:
		t->random = WT_GRANT_REAL;
		*key = "random";
		return 0;
	case WT_NEED_STDIO:
		t->stdio = (m ? m->stdio : 0) | n->bit;
		*key = "stdio";
		return 0;
	case WT_NEED_EXIT:
		if (!(t->exit_codes = wt_arena_calloc(&t->arena, (m ? m->nexit_codes : 0) + 1,
						      sizeof *t->exit_codes)))
			return -1;
		for (size_t i = 0; m && i < m->nexit_codes; i++)
			t->exit_codes[t->nexit_codes++] = m->exit_codes[i];
		t->exit_codes[t->nexit_codes++] = n->code;
		*key = "exit_codes";
		return 0;
	case WT_NEED_SOCKET:
		snprintf(num, sizeof num, "%d", (int)n->fd);
		if (!(t->sockets = wt_arena_calloc(&t->arena, (m ? m->nsockets : 0) + 1,
						   sizeof *t->sockets)))
			return -1;
		for (size_t i = 0; m && i < m->nsockets; i++)
			t->sockets[t->nsockets++] = m->sockets[i];
		if (!(t->sockets[t->nsockets++] = wt_arena_strndup(&t->arena, num, strlen(num))))
			return -1;
		*key = "sockets";
		return 0;
	default:
		return -2;
	}
}

/* 1 when m has the key (a value that loaded as something). */
static int has_key(const wt_manifest *m, const char *key)
{
	if (!m)
		return 0;
	if (!strcmp(key, "clocks"))
		return m->clocks || m->clock_grant == WT_GRANT_FAKE;
	if (!strcmp(key, "random"))
		return m->random != WT_GRANT_NONE;
	if (!strcmp(key, "stdio"))
		return m->stdio != 0;
	if (!strcmp(key, "exit_codes"))
		return m->nexit_codes > 0;
	if (!strcmp(key, "sockets"))
		return m->nsockets > 0;
	if (!strcmp(key, "env"))
		return m->nenv > 0;
	return m->nfiles > 0;
}

static int finish_key(wt_manifest *t, const wt_manifest *target, const char *file, const char *key,
		      wt_suggestion *s)
{
	s->key = key;
	s->file = file;
	s->has_key = has_key(target, key);
	s->line = key_line(t, key);
	wt_manifest_free(t);
	return s->line ? 0 : WT_NOMEM;
}

int wt_suggest_need(const wt_suggest_ctx *c, const wt_need *n, wt_suggestion *s)
{
	wt_manifest *t = wt_manifest_new();
	const char *key = NULL;
	int rc;

	memset(s, 0, sizeof *s);
	if (!t)
		return WT_NOMEM;
	if ((rc = fill_need(c->manifest, n, t, &key))) {
		wt_manifest_free(t);
		return rc == -2 ? WT_INVALID : WT_NOMEM;
	}
	return finish_key(t, c->manifest, c->manifest_path, key, s);
}

int wt_suggest_env(const wt_suggest_ctx *c, const char *const *names, size_t count,
		   wt_suggestion *s)
{
	const wt_manifest *target = c->override_path ? c->override : c->manifest;
	size_t n = target ? target->nenv : 0;
	wt_manifest *t = wt_manifest_new();

	memset(s, 0, sizeof *s);
	if (!t || !(t->env = wt_arena_calloc(&t->arena, n + count + 1, sizeof *t->env))) {
		wt_manifest_free(t);
		return WT_NOMEM;
	}
	if (n)
		memcpy(t->env, target->env, n * sizeof *t->env);
	for (size_t i = 0; i < count; i++)
		if (!(t->env[n + i] = wt_arena_strndup(&t->arena, names[i], strlen(names[i])))) {
			wt_manifest_free(t);
			return WT_NOMEM;
		}
	t->nenv = n + count;
	return finish_key(t, target, c->override_path ? c->override_path : c->manifest_path, "env",
			  s);
}

void wt_suggest_fini(wt_suggestion *s)
{
	free(s->pattern);
	free(s->line);
	s->pattern = s->line = NULL;
}

void wt_suggest_where(const wt_suggestion *s, char *buf, size_t size)
{
	const char *file = s->file ? s->file : "the manifest";

	if (!strcmp(s->key, "files"))
		snprintf(buf, size,
			 s->has_key ? "add this line under files: in %s:"
				    : "add these lines to %s:",
			 file);
	else if (s->has_key)
		snprintf(buf, size, "replace the %s: line of %s with:", s->key, file);
	else
		snprintf(buf, size, "add this line to %s:", file);
}

char *wt_suggest_block(const wt_suggestion *s, size_t indent)
{
	int files = !strcmp(s->key, "files");
	int head = files && !s->has_key;
	size_t n = 2 * indent + strlen(s->line) + 16;
	char *b = malloc(n);

	if (!b)
		return NULL;
	if (head)
		snprintf(b, n, "%*sfiles:\n%*s  %s\n", (int)indent, "", (int)indent, "", s->line);
	else
		snprintf(b, n, "%*s%s%s\n", (int)indent, "", files ? "  " : "", s->line);
	return b;
}

/* Writes block's lines, each through the escaper. */
static void put_lines(const char *block, FILE *f)
{
	for (const char *l = block; *l;) {
		size_t n = strcspn(l, "\n");

		wt_escape_fprintf(f, "%.*s\n", (int)n, l);
		l += n + (l[n] == '\n');
	}
}

void wt_suggest_print_block(const char *where, const char *block, const char *lead, FILE *f)
{
	wt_escape_fprintf(f, "  to %s it, %s\n", lead, where);
	put_lines(block, f);
}

void wt_suggest_print(const wt_suggestion *s, const char *lead, FILE *f)
{
	char where[8192];
	char *block = wt_suggest_block(s, 4);

	wt_suggest_where(s, where, sizeof where);
	if (block)
		wt_suggest_print_block(where, block, lead, f);
	free(block);
}
