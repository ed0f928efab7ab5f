/* yaml_load.c: YAML text -> manifest (libyaml's document API); every error with line:column. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "grow.h"
#include "manifest.h"
#include "match.h"
#include "mint.h"
#include "path.h"
#include "yaml_doc.h"

enum { MAX_MANIFEST = 64 << 20 };

/* The mounts' guest paths as a trie: MOUNT_AT on each, MOUNT_BELOW on what is below each. */
enum { MOUNT_AT = 1, MOUNT_BELOW = 2 };

/* Loading state: the document, the manifest being filled, where messages go. */
typedef struct loader {
	yaml_document_t *doc;
	wt_manifest *m;
	wt_manifest_kind kind;
	wt_manifest_lines lines; /* for comment lines */
	wt_match *mount_paths;	 /* NULL until mounts are loaded */
	wt_manifest_warn_fn warn;
	void *warn_ctx;
	wt_error *err;
} loader;

static unsigned line_of(const yaml_node_t *n)
{
	return (unsigned)n->start_mark.line + 1;
}

static unsigned col_of(const yaml_node_t *n)
{
	return (unsigned)n->start_mark.column + 1;
}

#define FAIL_AT(L, n, ...) wt_fail_at((L)->err, WT_MALFORMED, line_of(n), col_of(n), __VA_ARGS__)

static void warn_at(loader *L, const yaml_node_t *n, const char *text)
{
	if (L->warn)
		L->warn(L->warn_ctx, line_of(n), col_of(n), text);
}

static const char *type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a sequence";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* 1 for a scalar written without quotes (so `true` and `12` are not strings). */
static int plain(const yaml_node_t *n)
{
	return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static int want(loader *L, const yaml_node_t *n, yaml_node_type_t type, const char *what)
{
	static const char *const names[] = {"nothing", "a scalar", "a sequence", "a mapping"};

	if (n->type == type)
		return 0;
	return FAIL_AT(L, n, "%s: expected %s, got %s", what, names[type], type_name(n));
}

/* A string scalar: no NUL inside, non-empty, at most WT_MANIFEST_STRING_MAX bytes. */
static int want_string(loader *L, const yaml_node_t *n, const char *what, const char **out)
{
	if (want(L, n, YAML_SCALAR_NODE, what))
		return WT_MALFORMED;
	if (strlen(scalar(n)) != n->data.scalar.length)
		return FAIL_AT(L, n, "%s: NUL character in a string", what);
	if (n->data.scalar.length == 0)
		return FAIL_AT(L, n, "%s: empty string", what);
	if (n->data.scalar.length > WT_MANIFEST_STRING_MAX)
		return FAIL_AT(L, n, "%s: longer than %d bytes (a manifest's limit)", what,
			       WT_MANIFEST_STRING_MAX);
	*out = wt_arena_strndup(&L->m->arena, scalar(n), n->data.scalar.length);
	return *out ? 0 : wt_fail_plain(L->err, WT_NOMEM, "out of memory");
}

/* A decimal integer in [lo, hi], written plain. */
static int want_int(loader *L, const yaml_node_t *n, const char *what, long long lo,
		    unsigned long long hi, long long *out)
{
	const char *s;
	char *end;
	int neg;

	if (want(L, n, YAML_SCALAR_NODE, what))
		return WT_MALFORMED;
	s = scalar(n);
	neg = s[0] == '-';
	errno = 0;
	if (!plain(n) || !((s[neg] >= '0' && s[neg] <= '9')))
		return FAIL_AT(L, n, "%s: expected an integer, got '%s'", what, s);
	if (neg) {
		long long v = strtoll(s, &end, 10);
		if (*end || errno || v < lo)
			return FAIL_AT(L, n, "%s: integer '%s' out of range", what, s);
		*out = v;
	} else {
		unsigned long long v = strtoull(s, &end, 10);
		if (*end || errno || v > hi)
			return FAIL_AT(L, n, "%s: integer '%s' out of range", what, s);
		*out = (long long)v;
	}
	return 0;
}

static void *alloc(loader *L, size_t n, size_t size)
{
	void *p = wt_arena_calloc(&L->m->arena, wt_manifest_cap(n) ? wt_manifest_cap(n) : 1, size);

	if (!p)
		wt_fail_plain(L->err, WT_NOMEM, "out of memory");
	return p;
}

static yaml_node_t *node(loader *L, int id)
{
	return yaml_document_get_node(L->doc, id);
}

#define SEQ_LEN(n) ((size_t)((n)->data.sequence.items.top - (n)->data.sequence.items.start))
#define MAP_LEN(n) ((size_t)((n)->data.mapping.pairs.top - (n)->data.mapping.pairs.start))

/* 1 when scalar k is name (byte for byte: a NUL inside does not end it). */
static int scalar_is(const yaml_node_t *k, const char *name)
{
	size_t n = strlen(name);

	return k->data.scalar.length == n && memcmp(scalar(k), name, n) == 0;
}

/* The index of mapping key k in names (NULL-terminated); -1 after failing
 * when k is not a scalar, not one of names, or met before (*seen: bits of
 * the keys met in this mapping). */
static int key_index(loader *L, const yaml_node_t *k, const char *what, const char *const *names,
		     unsigned *seen)
{
	char buf[128];
	size_t at = 0;

	snprintf(buf, sizeof buf, "%s key", what);
	if (want(L, k, YAML_SCALAR_NODE, buf))
		return -1;
	for (int i = 0; names[i]; i++) {
		if (!scalar_is(k, names[i]))
			continue;
		if (*seen & (1u << i))
			return FAIL_AT(L, k, "%s: '%s' given twice", what, names[i]), -1;
		*seen |= 1u << i;
		return i;
	}
	for (int i = 0; names[i] && at < sizeof buf; i++)
		at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s", i ? ", " : "", names[i]);
	return FAIL_AT(L, k, "%s: unknown key '%s' (%s)", what, scalar(k), buf), -1;
}

/* The full-line comment on 1-based line `line` of the text (without '#'
 * and one space), copied into the manifest, or NULL. */
static const char *comment_line(loader *L, unsigned line)
{
	size_t len;
	const char *p = wt_manifest_lines_comment(&L->lines, line, &len);

	return p ? wt_arena_strndup(&L->m->arena, p, len) : NULL;
}

static int load_header(loader *L)
{
	size_t n = 0, len;

	while (wt_manifest_lines_comment(&L->lines, (unsigned)n + 1, &len))
		n++;
	if (n == 0)
		return 0;
	if (!(L->m->header = alloc(L, n, sizeof *L->m->header)))
		return WT_NOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!(L->m->header[i] = comment_line(L, (unsigned)i + 1)))
			return wt_fail_plain(L->err, WT_NOMEM, "out of memory");
	}
	L->m->nheader = n;
	return 0;
}

static int load_version(loader *L, const yaml_node_t *v)
{
	long long n = 0;

	if (want_int(L, v, "version", 0, 1000000, &n))
		return WT_MALFORMED;
	if (n != 1)
		return FAIL_AT(L, v, "unknown version %lld (this wasi-tofu reads version 1)", n);
	L->m->version = (int)n;
	return 0;
}

static int is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (; *s; s++) {
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	}
	return 1;
}

static int load_module(loader *L, const yaml_node_t *v)
{
	static const char *const names[] = {"name", "sha256", NULL};
	unsigned seen = 0;

	if (want(L, v, YAML_MAPPING_NODE, "module"))
		return WT_MALFORMED;
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *x = node(L, p->value);
		const char *s;

		switch (key_index(L, node(L, p->key), "module", names, &seen)) {
		case 0:
			if (want_string(L, x, "module.name", &L->m->module_name))
				return WT_MALFORMED;
			break;
		case 1:
			if (want_string(L, x, "module.sha256", &s))
				return WT_MALFORMED;
			if (!is_hex64(s))
				return FAIL_AT(L, x,
					       "module.sha256: expected 64 lowercase hex digits");
			memcpy(L->m->sha256, s, 65);
			break;
		default:
			return WT_MALFORMED;
		}
	}
	return 0;
}

/* A canonical absolute guest path without wildcards (a mount point). */
static int want_guest_path(loader *L, const yaml_node_t *n, const char *what, const char **out)
{
	char why[128];

	if (want_string(L, n, what, out))
		return WT_MALFORMED;
	if (strlen(*out) > WT_PATH_MAX)
		return FAIL_AT(L, n, "%s: longer than %d bytes (a guest path's limit)", what,
			       WT_PATH_MAX);
	if ((*out)[0] != '/' || wt_manifest_pattern_check(*out, why, sizeof why))
		return FAIL_AT(L, n, "%s: '%s' is not a canonical absolute guest path", what, *out);
	if (strpbrk(*out, "*\\"))
		return FAIL_AT(L, n, "%s: '%s': no wildcards in a mount point", what, *out);
	return 0;
}

static int load_mount_body(loader *L, const yaml_node_t *v, wt_mmount *mt)
{
	static const char *const names[] = {"host", "mode", NULL};
	unsigned seen = 0;

	mt->readonly = 1;
	if (want(L, v, YAML_MAPPING_NODE, "mount"))
		return WT_MALFORMED;
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *x = node(L, p->value);
		const char *s;

		switch (key_index(L, node(L, p->key), "mount", names, &seen)) {
		case 0:
			if (want_string(L, x, "mount host", &mt->host))
				return WT_MALFORMED;
			break;
		case 1:
			if (want_string(L, x, "mount mode", &s))
				return WT_MALFORMED;
			if (strcmp(s, "ro") && strcmp(s, "rw"))
				return FAIL_AT(L, x, "mount mode: expected ro or rw, got '%s'", s);
			mt->readonly = s[1] == 'o';
			break;
		default:
			return WT_MALFORMED;
		}
	}
	if (!mt->host)
		return FAIL_AT(L, v, "mount %s: missing host", mt->guest);
	if (strcmp(mt->host, "/") == 0)
		warn_at(L, v, "mounting the host's root folder / defeats the sandbox");
	return 0;
}

/* cwd: a canonical absolute guest path, checked against the mounts at the end (load_root). */
static int load_cwd(loader *L, const yaml_node_t *v)
{
	if (want_guest_path(L, v, "cwd", &L->m->cwd))
		return WT_MALFORMED;
	L->m->cwd_loc = (wt_mloc){line_of(v), col_of(v)};
	return 0;
}

/* Warns when the cwd is in no mount: relative paths would not resolve. */
static void check_cwd(loader *L, const yaml_node_t *root)
{
	const wt_manifest *m = L->m;
	char msg[320];

	if (!m->cwd || !m->nmounts || strcmp(m->cwd, "/") == 0)
		return; /* "/": a run's cwd without mounts there; relative paths fail as recorded */
	for (size_t i = 0; i < m->nmounts; i++) {
		size_t n = strlen(m->mounts[i].guest);

		if (strcmp(m->mounts[i].guest, "/") == 0 ||
		    (strncmp(m->cwd, m->mounts[i].guest, n) == 0 &&
		     (m->cwd[n] == '/' || m->cwd[n] == '\0')))
			return;
	}
	snprintf(msg, sizeof msg, "cwd '%.200s' is in no mount: relative paths will not resolve",
		 m->cwd);
	if (L->warn)
		L->warn(L->warn_ctx, m->cwd_loc.line ? m->cwd_loc.line : line_of(root),
			m->cwd_loc.line ? m->cwd_loc.column : col_of(root), msg);
}

/* Adds a mount point to L->mount_paths; fails when it is there already. */
static int index_mount(loader *L, const yaml_node_t *k, const char *guest)
{
	size_t len = strlen(guest);

	if (wt_match_rights(L->mount_paths, guest, len) & MOUNT_AT)
		return FAIL_AT(L, k, "mount %s given twice", guest);
	if (wt_match_add(L->mount_paths, guest, len, "", MOUNT_AT, L->err) ||
	    wt_match_add(L->mount_paths, guest, len, "/**", MOUNT_BELOW, L->err))
		return L->err->code;
	return 0;
}

static int load_mounts(loader *L, const yaml_node_t *v)
{
	wt_manifest *m = L->m;
	size_t n;

	if (want(L, v, YAML_MAPPING_NODE, "mounts"))
		return WT_MALFORMED;
	n = MAP_LEN(v);
	if (n && !(m->mounts = alloc(L, n, sizeof *m->mounts)))
		return WT_NOMEM;
	if (!(L->mount_paths = wt_match_new()))
		return wt_fail_plain(L->err, WT_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &v->data.mapping.pairs.start[i];
		wt_mmount *mt = &m->mounts[i];
		yaml_node_t *k = node(L, p->key);

		if (want_guest_path(L, k, "mount point", &mt->guest) ||
		    index_mount(L, k, mt->guest))
			return L->err->code;
		mt->loc = (wt_mloc){line_of(k), col_of(k)};
		if (load_mount_body(L, node(L, p->value), mt))
			return WT_MALFORMED;
		m->nmounts = i + 1;
	}
	return 0;
}

static int load_pattern(loader *L, const yaml_node_t *n, const char *what, const char **out)
{
	char why[128];

	if (want_string(L, n, what, out))
		return WT_MALFORMED;
	if (wt_manifest_pattern_check(*out, why, sizeof why))
		return FAIL_AT(L, n, "%s: bad pattern '%s': %s", what, *out, why);
	return 0;
}

static int load_rights(loader *L, const yaml_node_t *v, uint32_t *rights)
{
	if (want(L, v, YAML_SEQUENCE_NODE, "allow"))
		return WT_MALFORMED;
	if (SEQ_LEN(v) == 0)
		return FAIL_AT(L, v, "allow: give at least one right");
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	     it++) {
		yaml_node_t *x = node(L, *it);
		uint32_t bit;

		if (want(L, x, YAML_SCALAR_NODE, "right"))
			return WT_MALFORMED;
		bit = wt_manifest_right_bit(scalar(x), x->data.scalar.length);
		if (!bit)
			return FAIL_AT(
			    L, x,
			    "unknown right '%s' (read, write, create, delete, list, stat, "
			    "rename, link, symlink, readlink, set-times, truncate)",
			    scalar(x));
		*rights |= bit;
	}
	return 0;
}

/* Warns about a rule granting a write-class right inside a .git folder. */
static void check_git(loader *L, const yaml_node_t *n, const wt_mrule *r)
{
	const uint32_t writes = WT_RIGHT_WRITE | WT_RIGHT_CREATE | WT_RIGHT_DELETE |
				WT_RIGHT_RENAME | WT_RIGHT_TRUNCATE | WT_RIGHT_SYMLINK |
				WT_RIGHT_LINK | WT_RIGHT_SET_TIMES;
	const char *g = strstr(r->pattern, "/.git");

	if ((r->rights & writes) && g && (g[5] == '/' || g[5] == '\0'))
		warn_at(L, n,
			"write access to a .git folder defeats the sandbox: a hook there "
			"runs on the host");
}

/* Warns when no mount could ever hold a path the rule matches: no mount
 * holds the pattern's literal part and, for a wildcard pattern, none lies
 * below its literal folder. O(length of the pattern). */
static void check_reachable(loader *L, const yaml_node_t *n, const char *pat)
{
	size_t lit = strcspn(pat, "*\\"), wild = pat[lit] != '\0';
	char msg[320];

	if (L->m->nmounts == 0 || !L->mount_paths || pat[0] != '/')
		return;
	while (wild && lit > 1 && pat[lit - 1] != '/')
		lit--; /* the literal folder before the first wildcard */
	if (wild && lit > 1)
		lit--;
	if (wt_match_rights(L->mount_paths, pat, lit) ||
	    (wild && wt_match_reaches(L->mount_paths, pat, lit)))
		return;
	snprintf(msg, sizeof msg, "'%.200s' is outside every mount: the rule can never match", pat);
	warn_at(L, n, msg);
}

/* `only: new` on a files rule (docs/manifest.md); deny rules have no such key. */
static int load_only(loader *L, const yaml_node_t *v, const char *what, wt_mrule *r)
{
	if (strcmp(what, "files") != 0)
		return FAIL_AT(L, v, "%s: a rule here has no 'only' (only files rules do)", what);
	if (v->type != YAML_SCALAR_NODE || strcmp(scalar(v), "new") != 0)
		return FAIL_AT(L, v, "only: expected new");
	r->only_new = 1;
	return 0;
}

static int load_rule(loader *L, const yaml_node_t *v, const char *what, wt_mrule *r)
{
	static const char *const names[] = {"path", "allow", "only", NULL};
	unsigned seen = 0;

	if (want(L, v, YAML_MAPPING_NODE, "rule"))
		return WT_MALFORMED;
	r->loc = (wt_mloc){line_of(v), col_of(v)};
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *x = node(L, p->value);
		int k = key_index(L, node(L, p->key), "rule", names, &seen);

		if (k < 0 || (k == 0 && load_pattern(L, x, "path", &r->pattern)) ||
		    (k == 1 && load_rights(L, x, &r->rights)) ||
		    (k == 2 && load_only(L, x, what, r)))
			return WT_MALFORMED;
	}
	if (!r->pattern || !r->rights)
		return FAIL_AT(L, v, "rule: needs both path and allow");
	r->comment = line_of(v) > 1 ? comment_line(L, line_of(v) - 1) : NULL;
	check_git(L, v, r);
	check_reachable(L, v, r->pattern);
	return 0;
}

static int load_rules(loader *L, const yaml_node_t *v, const char *what, wt_mrule **out,
		      size_t *count)
{
	size_t n;

	if (want(L, v, YAML_SEQUENCE_NODE, what))
		return WT_MALFORMED;
	n = SEQ_LEN(v);
	if (n && !(*out = alloc(L, n, sizeof **out)))
		return WT_NOMEM;
	for (size_t i = 0; i < n; i++) {
		if (load_rule(L, node(L, v->data.sequence.items.start[i]), what, &(*out)[i]))
			return WT_MALFORMED;
		*count = i + 1;
	}
	return 0;
}

static int load_files(loader *L, const yaml_node_t *v)
{
	return load_rules(L, v, "files", &L->m->files, &L->m->nfiles);
}

static int load_deny(loader *L, const yaml_node_t *v)
{
	return load_rules(L, v, "deny", &L->m->deny, &L->m->ndeny);
}

/* A name of a call or an errno (parse: the number or -1) into *out. */
static int load_name(loader *L, const yaml_node_t *n, const char *what,
		     int (*parse)(const char *, size_t), int *out)
{
	if (want(L, n, YAML_SCALAR_NODE, what))
		return WT_MALFORMED;
	if ((*out = parse(scalar(n), n->data.scalar.length)) < 0)
		return FAIL_AT(L, n, "refused: unknown %s '%s'", what, scalar(n));
	return 0;
}

/* One `refused` entry: {path: PATTERN, call: NAME, errno: ENAME}. */
static int load_refusal(loader *L, const yaml_node_t *v, wt_mrefusal *r)
{
	int call = -1, e = -1;

	if (want(L, v, YAML_MAPPING_NODE, "refused entry"))
		return WT_MALFORMED;
	r->loc = (wt_mloc){line_of(v), col_of(v)};
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node(L, p->key), *x = node(L, p->value);
		int rc;

		if (want(L, k, YAML_SCALAR_NODE, "refused key"))
			return WT_MALFORMED;
		if (strcmp(scalar(k), "path") == 0)
			rc = load_pattern(L, x, "path", &r->pattern);
		else if (strcmp(scalar(k), "call") == 0)
			rc = load_name(L, x, "call", wt_manifest_call_parse, &call);
		else if (strcmp(scalar(k), "errno") == 0)
			rc = load_name(L, x, "errno", wt_manifest_errno_parse, &e);
		else
			rc = FAIL_AT(L, k, "refused: unknown key '%s' (path, call, errno)",
				     scalar(k));
		if (rc)
			return WT_MALFORMED;
	}
	if (!r->pattern || call < 0 || e < 0)
		return FAIL_AT(L, v, "refused: needs path, call and errno");
	r->call = (wt_wasi_call)call, r->error = (uint16_t)e;
	return 0;
}

static int load_refused(loader *L, const yaml_node_t *v)
{
	size_t n;

	if (want(L, v, YAML_SEQUENCE_NODE, "refused"))
		return WT_MALFORMED;
	n = SEQ_LEN(v);
	if (n && !(L->m->refused = alloc(L, n, sizeof *L->m->refused)))
		return WT_NOMEM;
	for (size_t i = 0; i < n; i++) {
		if (load_refusal(L, node(L, v->data.sequence.items.start[i]), &L->m->refused[i]))
			return WT_MALFORMED;
		L->m->nrefused = i + 1;
	}
	return 0;
}

/* A sequence of strings, each checked by check (NULL = any). */
static int load_strings(loader *L, const yaml_node_t *v, const char *what,
			int (*check)(loader *, const yaml_node_t *, const char *),
			const char ***out, size_t *count)
{
	size_t n;

	if (want(L, v, YAML_SEQUENCE_NODE, what))
		return WT_MALFORMED;
	n = SEQ_LEN(v);
	if (n && !(*out = alloc(L, n, sizeof **out)))
		return WT_NOMEM;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *x = node(L, v->data.sequence.items.start[i]);

		if (want_string(L, x, what, &(*out)[i]) || (check && check(L, x, (*out)[i])))
			return WT_MALFORMED;
		*count = i + 1;
	}
	return 0;
}

static int check_absent(loader *L, const yaml_node_t *n, const char *s)
{
	char why[128];

	if (wt_manifest_pattern_check(s, why, sizeof why))
		return FAIL_AT(L, n, "absent: bad pattern '%s': %s", s, why);
	return 0; /* outside every mount too: the synthetic root answers there */
}

static int check_env(loader *L, const yaml_node_t *n, const char *s)
{
	if (strchr(s, '='))
		return FAIL_AT(L, n, "env: '%s': a variable name, without '=' or a value", s);
	return 0;
}

static int load_absent(loader *L, const yaml_node_t *v)
{
	return load_strings(L, v, "absent", check_absent, &L->m->absent, &L->m->nabsent);
}

static int load_env(loader *L, const yaml_node_t *v)
{
	return load_strings(L, v, "env", check_env, &L->m->env, &L->m->nenv);
}

static int load_sockets(loader *L, const yaml_node_t *v)
{
	return load_strings(L, v, "sockets", NULL, &L->m->sockets, &L->m->nsockets);
}

/* A sequence of names from a table; *bits gets their bits. */
static int load_names(loader *L, const yaml_node_t *v, const char *what,
		      const char *(*name_of)(uint32_t), uint32_t *bits)
{
	if (want(L, v, YAML_SEQUENCE_NODE, what))
		return WT_MALFORMED;
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	     it++) {
		yaml_node_t *x = node(L, *it);
		uint32_t bit = 0;

		if (want(L, x, YAML_SCALAR_NODE, what))
			return WT_MALFORMED;
		for (uint32_t b = 1; b && name_of(b); b <<= 1) {
			if (scalar_is(x, name_of(b)))
				bit = b;
		}
		if (!bit)
			return FAIL_AT(L, x, "%s: unknown name '%s'", what, scalar(x));
		*bits |= bit;
	}
	return 0;
}

/* clocks: [names] (real) or { real: [names] } or { fake: [names] }. */
static int load_clocks(loader *L, const yaml_node_t *v)
{
	const yaml_node_t *k, *x;

	L->m->clock_grant = WT_GRANT_REAL;
	if (v->type == YAML_SEQUENCE_NODE) {
		if (load_names(L, v, "clocks", wt_manifest_clock_name, &L->m->clocks))
			return WT_MALFORMED;
		if (!L->m->clocks) /* clocks: [] grants nothing */
			L->m->clock_grant = WT_GRANT_NONE;
		return 0;
	}
	if (v->type != YAML_MAPPING_NODE || MAP_LEN(v) != 1)
		return FAIL_AT(L, v,
			       "clocks: expected a sequence of clock names or "
			       "{ real: [...] } / { fake: [...] }");
	k = node(L, v->data.mapping.pairs.start->key);
	x = node(L, v->data.mapping.pairs.start->value);
	if (k->type != YAML_SCALAR_NODE || (!scalar_is(k, "real") && !scalar_is(k, "fake")))
		return FAIL_AT(L, k, "clocks: expected the key real or fake");
	L->m->clock_grant = scalar(k)[0] == 'f' ? WT_GRANT_FAKE : WT_GRANT_REAL;
	return load_names(L, x, "clocks", wt_manifest_clock_name, &L->m->clocks);
}

/* random: true | false | real | fake | { fake: SEED }. */
static int load_random(loader *L, const yaml_node_t *v)
{
	static const struct {
		const char *name;
		wt_grant grant;
	} words[] = {{"true", WT_GRANT_REAL},
		     {"false", WT_GRANT_NONE},
		     {"real", WT_GRANT_REAL},
		     {"fake", WT_GRANT_FAKE}};
	long long seed;

	if (v->type == YAML_MAPPING_NODE && MAP_LEN(v) == 1) {
		const yaml_node_t *k = node(L, v->data.mapping.pairs.start->key);
		if (k->type != YAML_SCALAR_NODE || !scalar_is(k, "fake"))
			return FAIL_AT(L, k, "random: expected { fake: SEED }");
		if (want_int(L, node(L, v->data.mapping.pairs.start->value), "random seed", 0,
			     UINT64_MAX, &seed))
			return WT_MALFORMED;
		L->m->random = WT_GRANT_FAKE;
		L->m->random_seed = (uint64_t)seed;
		return 0;
	}
	if (v->type == YAML_SCALAR_NODE && plain(v)) {
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
			if (scalar_is(v, words[i].name)) {
				L->m->random = words[i].grant;
				return 0;
			}
		}
	}
	return FAIL_AT(L, v, "random: expected true, false, real, fake or { fake: SEED }");
}

static int load_stdio(loader *L, const yaml_node_t *v)
{
	return load_names(L, v, "stdio", wt_manifest_stdio_name, &L->m->stdio);
}

static int load_exit_codes(loader *L, const yaml_node_t *v)
{
	wt_manifest *m = L->m;
	size_t n;

	if (want(L, v, YAML_SEQUENCE_NODE, "exit_codes"))
		return WT_MALFORMED;
	n = SEQ_LEN(v);
	if (n && !(m->exit_codes = alloc(L, n, sizeof *m->exit_codes)))
		return WT_NOMEM;
	for (size_t i = 0; i < n; i++) {
		long long c = 0;
		if (want_int(L, node(L, v->data.sequence.items.start[i]), "exit code", INT32_MIN,
			     UINT32_MAX, &c))
			return WT_MALFORMED;
		m->exit_codes[i] = (int32_t)(uint32_t)c;
		m->nexit_codes = i + 1;
	}
	return 0;
}

static int load_seconds(loader *L, const yaml_node_t *n, double *out)
{
	char *end;
	double s;

	if (want(L, n, YAML_SCALAR_NODE, "limits.time"))
		return WT_MALFORMED;
	errno = 0;
	s = strtod(scalar(n), &end);
	if (!plain(n) || end == scalar(n) || *end || errno || !isfinite(s) || s <= 0 || s > 1e9)
		return FAIL_AT(L, n, "limits.time: expected a positive number of seconds");
	*out = s;
	return 0;
}

static int load_limits(loader *L, const yaml_node_t *v)
{
	static const char *const names[] = {"memory", "fuel", "time", NULL};
	wt_manifest_limits *lim = &L->m->limits;
	unsigned seen = 0;

	if (want(L, v, YAML_MAPPING_NODE, "limits"))
		return WT_MALFORMED;
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *x = node(L, p->value);
		int k = key_index(L, node(L, p->key), "limits", names, &seen);
		long long n;

		if (k < 0)
			return WT_MALFORMED;
		if (k == 2) {
			if (load_seconds(L, x, &lim->time))
				return WT_MALFORMED;
			continue;
		}
		if (want_int(L, x, names[k], 1, INT64_MAX, &n))
			return WT_MALFORMED;
		*(k == 0 ? &lim->memory : &lim->fuel) = (uint64_t)n;
	}
	return 0;
}

static int load_on_deviation(loader *L, const yaml_node_t *v)
{
	if (want(L, v, YAML_SCALAR_NODE, "on_deviation"))
		return WT_MALFORMED;
	if (wt_manifest_on_deviation_parse(scalar(v), &L->m->on_deviation))
		return FAIL_AT(L, v, "on_deviation: expected fail, prompt, deny or hide, got '%s'",
			       scalar(v));
	return 0;
}

enum { F = 1 << WT_MANIFEST_FULL, O = 1 << WT_MANIFEST_OVERRIDE, C = 1 << WT_MANIFEST_CEILING };

/* The top-level keys, in the order emit writes them; kinds: where allowed. */
static const struct {
	const char *name;
	int (*load)(loader *, const yaml_node_t *);
	unsigned kinds;
} keys[] = {
    {"version", load_version, F | O | C},   {"module", load_module, F},
    {"mounts", load_mounts, F | C},	    {"cwd", load_cwd, F},
    {"files", load_files, F | O | C},	    {"deny", load_deny, F | O | C},
    {"absent", load_absent, F | O | C},	    {"refused", load_refused, F | C},
    {"env", load_env, F | O | C},	    {"clocks", load_clocks, F | C},
    {"random", load_random, F | C},	    {"stdio", load_stdio, F | C},
    {"exit_codes", load_exit_codes, F | C}, {"sockets", load_sockets, F | C},
    {"limits", load_limits, F | C},	    {"on_deviation", load_on_deviation, F | C},
};

enum { NKEYS = sizeof keys / sizeof keys[0] };
_Static_assert((int)NKEYS == (int)WT_MANIFEST_NKEYS, "one key_locs entry per key");

wt_mloc wt_manifest_key_loc(const wt_manifest *m, const char *key)
{
	for (unsigned i = 0; m && i < NKEYS; i++)
		if (strcmp(keys[i].name, key) == 0)
			return m->key_locs[i];
	return (wt_mloc){0, 0};
}

static const char *const kind_names[] = {"a manifest", "an override file", "a ceiling"};

static int load_key(loader *L, const yaml_node_t *k, const yaml_node_t *v, unsigned *seen)
{
	if (want(L, k, YAML_SCALAR_NODE, "key"))
		return WT_MALFORMED;
	for (unsigned i = 0; i < NKEYS; i++) {
		if (!scalar_is(k, keys[i].name))
			continue;
		if (!(keys[i].kinds & (1u << L->kind)))
			return FAIL_AT(L, k, "'%s' is not allowed in %s", keys[i].name,
				       kind_names[L->kind]);
		if (*seen & (1u << i))
			return FAIL_AT(L, k, "'%s' given twice", keys[i].name);
		*seen |= 1u << i;
		L->m->key_locs[i] = (wt_mloc){line_of(k), col_of(k)};
		return keys[i].load(L, v);
	}
	return FAIL_AT(L, k, "unknown key '%s'", scalar(k));
}

static int load_root(loader *L)
{
	yaml_node_t *root = yaml_document_get_root_node(L->doc);
	unsigned seen = 0;

	if (!root)
		return wt_fail_at(L->err, WT_MALFORMED, 1, 1,
				  "empty manifest: expected version: 1");
	if (want(L, root, YAML_MAPPING_NODE, "manifest"))
		return WT_MALFORMED;
	if (load_header(L))
		return WT_NOMEM;
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
	     p++) {
		if (load_key(L, node(L, p->key), node(L, p->value), &seen))
			return L->err->code;
	}
	if (!(seen & 1u) && L->kind != WT_MANIFEST_OVERRIDE)
		return FAIL_AT(L, root, "missing 'version: 1'");
	check_cwd(L, root);
	return 0;
}

int wt_manifest_load_kind(wt_manifest_kind kind, const char *text, size_t len, const char *source,
			  wt_manifest **out, wt_manifest_warn_fn warn, void *warn_ctx,
			  wt_error *err)
{
	loader L = {.kind = kind, .warn = warn, .warn_ctx = warn_ctx, .err = err};
	yaml_document_t doc;
	int rc;

	(void)source;
	*out = NULL;
	if (len > MAX_MANIFEST)
		return wt_fail_plain(err, WT_MALFORMED, "manifest larger than 64 MiB");
	if (!(L.m = wt_manifest_new()))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	wt_manifest_lines_init(&L.lines, text, len);
	if ((rc = wt_manifest_yaml_read(text, len, &doc, err)) == 0) {
		L.doc = &doc;
		rc = load_root(&L);
		yaml_document_delete(&doc);
	}
	wt_match_free(L.mount_paths);
	if (rc == 0) {
		*out = L.m;
		return 0;
	}
	wt_manifest_free(L.m);
	return rc;
}

int wt_manifest_load(const char *text, size_t len, const char *source, wt_manifest **out,
		     wt_manifest_warn_fn warn, void *warn_ctx, wt_error *err)
{
	return wt_manifest_load_kind(WT_MANIFEST_FULL, text, len, source, out, warn, warn_ctx, err);
}

int wt_manifest_read_file(const char *path, size_t max, char **text, size_t *len, wt_error *err)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 0, n = 0;
	char *buf = NULL;
	int rc = 0;

	if (!f)
		return wt_fail_plain(err, WT_NOINPUT, "cannot open: %s", strerror(errno));
	for (;;) {
		if (WT_GROW(&buf, &cap, n + 2, 8192)) {
			rc = wt_fail_plain(err, WT_NOMEM, "out of memory");
			break;
		}
		n += fread(buf + n, 1, cap - n - 1, f);
		if (ferror(f) || n > max) {
			rc = ferror(f)
				 ? wt_fail_plain(err, WT_IO, "cannot read: %s", strerror(errno))
				 : wt_fail_plain(err, WT_MALFORMED, "larger than %zu MiB",
						 max >> 20);
			break;
		}
		if (feof(f))
			break;
	}
	fclose(f);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int wt_manifest_load_file_kind(wt_manifest_kind kind, const char *path, wt_manifest **out,
			       wt_manifest_warn_fn warn, void *warn_ctx, wt_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = wt_manifest_read_file(path, MAX_MANIFEST, &text, &len, err)))
		return rc;
	rc = wt_manifest_load_kind(kind, text, len, path, out, warn, warn_ctx, err);
	free(text);
	return rc;
}

int wt_manifest_load_file(const char *path, wt_manifest **out, wt_manifest_warn_fn warn,
			  void *warn_ctx, wt_error *err)
{
	return wt_manifest_load_file_kind(WT_MANIFEST_FULL, path, out, warn, warn_ctx, err);
}
