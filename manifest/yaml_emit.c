/* yaml_emit.c: manifest -> canonical YAML; libyaml emits every piece of data, comments are lines.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "escape.h"
#include "grow.h"
#include "manifest.h"
#include "mint.h"
#include "wasi.h"

/* A growing output buffer; ok drops to 0 when out of memory. */
typedef struct sbuf {
	char *data;
	size_t len, cap;
	int ok;
} sbuf;

static void put(sbuf *b, const void *s, size_t n)
{
	if (!b->ok)
		return;
	if (WT_GROW(&b->data, &b->cap, b->len + n + 1, 1024)) {
		b->ok = 0;
		return;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void puts_(sbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
	sbuf *b = data;

	put(b, buffer, size);
	return b->ok;
}

/* One emitter session; fails (ok = 0) at the first libyaml error. */
typedef struct em {
	yaml_emitter_t e;
	int ok;
} em;

static void ev(em *x, yaml_event_t *event, int made)
{
	if (!made || !x->ok) {
		if (made)
			yaml_event_delete(event);
		x->ok = 0;
		return;
	}
	if (!yaml_emitter_emit(&x->e, event))
		x->ok = 0;
}

/* 1 when a plain s would read back as something other than a string
 * (YAML 1.1/1.2 null, booleans, numbers, sexagesimals). */
static int looks_typed(const char *s)
{
	static const char *const words[] = {
	    "~",     "null", "Null", "NULL", "true", "True",  "TRUE",  "false", "False",
	    "FALSE", "yes",  "Yes",  "YES",  "no",   "No",    "NO",    "on",	"On",
	    "ON",    "off",  "Off",  "OFF",  "y",    "Y",     "n",     "N",	".inf",
	    ".nan",  ".Inf", ".NaN", ".INF", ".NAN", "-.inf", "+.inf", "<<",	"="};
	const char *p = s + (*s == '-' || *s == '+');
	char *end;

	if (*s == '\0')
		return 1;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strcmp(s, words[i]) == 0)
			return 1;
	}
	strtod(s, &end);
	if (end != s && *end == '\0')
		return 1;
	if (*p == '0' && (p[1] == 'o' || p[1] == 'b' || p[1] == 'x'))
		return 1;
	return *p >= '0' && *p <= '9' && strspn(p, "0123456789_:.") == strlen(p);
}

static int has_control(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	}
	return 0;
}

/* A string scalar: plain when it reads back as the same string, else
 * double-quoted (libyaml chooses the quoting and escapes). */
static void str(em *x, const char *s)
{
	yaml_event_t e;
	yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;

	if (looks_typed(s) || has_control(s))
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	ev(x, &e,
	   yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
					style));
}

/* A number, boolean or word of the format itself: always plain. */
static void word(em *x, const char *s)
{
	yaml_event_t e;

	ev(x, &e,
	   yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
					YAML_PLAIN_SCALAR_STYLE));
}

static void map_start(em *x, int flow)
{
	yaml_event_t e;

	ev(x, &e,
	   yaml_mapping_start_event_initialize(
	       &e, NULL, NULL, 1, flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE));
}

static void map_end(em *x)
{
	yaml_event_t e;

	ev(x, &e, yaml_mapping_end_event_initialize(&e));
}

static void seq_start(em *x, int flow)
{
	yaml_event_t e;

	ev(x, &e,
	   yaml_sequence_start_event_initialize(
	       &e, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE));
}

static void seq_end(em *x)
{
	yaml_event_t e;

	ev(x, &e, yaml_sequence_end_event_initialize(&e));
}

/* Emits one document made by body(x, arg) and appends its text to out,
 * every line prefixed with indent. */
static int piece(sbuf *out, const char *indent, void (*body)(em *, const void *), const void *arg)
{
	sbuf tmp = {.ok = 1};
	yaml_event_t e;
	em x = {.ok = 1};
	const char *p;

	if (!yaml_emitter_initialize(&x.e))
		return out->ok = 0;
	yaml_emitter_set_output(&x.e, write_handler, &tmp);
	yaml_emitter_set_width(&x.e, -1);
	yaml_emitter_set_unicode(&x.e, 1);
	yaml_emitter_set_indent(&x.e, 2);
	ev(&x, &e, yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING));
	ev(&x, &e, yaml_document_start_event_initialize(&e, NULL, NULL, NULL, 1));
	body(&x, arg);
	ev(&x, &e, yaml_document_end_event_initialize(&e, 1));
	ev(&x, &e, yaml_stream_end_event_initialize(&e));
	if (x.ok && !yaml_emitter_flush(&x.e))
		x.ok = 0;
	yaml_emitter_delete(&x.e);
	for (p = tmp.data; x.ok && tmp.ok && p && *p;) {
		const char *nl = strchrnul(p, '\n');
		puts_(out, indent);
		put(out, p, (size_t)(nl - p) + (*nl == '\n'));
		p = *nl ? nl + 1 : nl;
	}
	free(tmp.data);
	if (!x.ok)
		out->ok = 0;
	return x.ok && tmp.ok;
}

/* The length of the character at u[0..len) when libyaml reads it back
 * inside a comment line (tab, printable ASCII, valid UTF-8 from U+00A0 but
 * the line separators and U+FFFE/FFFF); 0 for anything else: a control, a
 * line break, a byte that is not UTF-8, which would end the comment or make
 * the file unreadable. */
static size_t comment_char(const unsigned char *u, size_t len)
{
	uint32_t cp;
	size_t n;

	if (u[0] == '\t' || (u[0] >= 0x20 && u[0] < 0x7f))
		return 1;
	n = wt_escape_utf8_decode(u, len, &cp);
	return n && cp >= 0xa0 && cp != 0x2028 && cp != 0x2029 && cp != 0xfffe && cp != 0xffff ? n
											       : 0;
}

/* One comment line; a line break in text becomes a space, any other
 * character comment_char refuses a '?'. */
static void comment(sbuf *out, const char *indent, const char *text)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t len = strlen(text);

	puts_(out, indent);
	puts_(out, "#");
	if (*text)
		puts_(out, " ");
	for (size_t i = 0, n; i < len; i += n) {
		if ((n = comment_char(u + i, len - i)))
			put(out, text + i, n);
		else
			put(out, u[i] == '\n' || u[i] == '\r' ? " " : "?", (n = 1));
	}
	puts_(out, "\n");
}

/* Bodies: each makes one top-level `key: value` mapping or a sequence item. */

typedef struct kv {
	const char *key;
	const wt_manifest *m;
} kv;

static void rights_seq(em *x, uint32_t rights)
{
	seq_start(x, 1);
	for (uint32_t b = 1; b; b <<= 1) {
		if ((rights & b) && wt_manifest_right_name(b))
			word(x, wt_manifest_right_name(b));
	}
	seq_end(x);
}

static void rule_body(em *x, const void *arg)
{
	const wt_mrule *r = arg;

	seq_start(x, 0);
	map_start(x, 1);
	word(x, "path");
	str(x, r->pattern);
	word(x, "allow");
	rights_seq(x, r->rights);
	if (r->only_new) {
		word(x, "only");
		word(x, "new");
	}
	map_end(x);
	seq_end(x);
}

static void refusal_body(em *x, const void *arg)
{
	const wt_mrefusal *r = arg;
	char name[32];

	seq_start(x, 0);
	map_start(x, 1);
	word(x, "path");
	str(x, r->pattern);
	word(x, "call");
	word(x, wt_wasi_call_name(r->call));
	word(x, "errno");
	word(x, wt_manifest_errno_name(r->error, name, sizeof name));
	map_end(x);
	seq_end(x);
}

static void key_only(em *x, const char *key)
{
	map_start(x, 0);
	word(x, key);
}

static void module_body(em *x, const void *arg)
{
	const wt_manifest *m = arg;

	key_only(x, "module");
	map_start(x, 1);
	if (m->module_name) {
		word(x, "name");
		str(x, m->module_name);
	}
	if (m->sha256[0]) {
		word(x, "sha256");
		str(x, m->sha256);
	}
	map_end(x);
	map_end(x);
}

static void mounts_body(em *x, const void *arg)
{
	const wt_manifest *m = arg;

	key_only(x, "mounts");
	map_start(x, 0);
	for (size_t i = 0; i < m->nmounts; i++) {
		str(x, m->mounts[i].guest);
		map_start(x, 1);
		word(x, "host");
		str(x, m->mounts[i].host);
		word(x, "mode");
		word(x, m->mounts[i].readonly ? "ro" : "rw");
		map_end(x);
	}
	map_end(x);
	map_end(x);
}

typedef struct list {
	const char *key;
	const char *const *items;
	size_t n;
	int flow;
} list;

static void list_body(em *x, const void *arg)
{
	const list *l = arg;

	key_only(x, l->key);
	seq_start(x, l->flow);
	for (size_t i = 0; i < l->n; i++)
		str(x, l->items[i]);
	seq_end(x);
	map_end(x);
}

typedef struct bits {
	const char *key, *wrap; /* wrap: "fake" makes { fake: [...] } */
	uint32_t mask;
	const char *(*name_of)(uint32_t);
} bits;

static void bits_body(em *x, const void *arg)
{
	const bits *b = arg;

	key_only(x, b->key);
	if (b->wrap) {
		map_start(x, 1);
		word(x, b->wrap);
	}
	seq_start(x, 1);
	for (uint32_t bit = 1; bit && b->name_of(bit); bit <<= 1) {
		if (b->mask & bit)
			word(x, b->name_of(bit));
	}
	seq_end(x);
	if (b->wrap)
		map_end(x);
	map_end(x);
}

static void item_body(em *x, const void *arg)
{
	seq_start(x, 0);
	str(x, arg);
	seq_end(x);
}

static void scalar_body(em *x, const void *arg)
{
	const char *const *kvs = arg; /* key, value */

	key_only(x, kvs[0]);
	word(x, kvs[1]);
	map_end(x);
}

/* `key: "string"`, quoted as the string needs (a path). */
static void string_body(em *x, const void *arg)
{
	const char *const *kvs = arg; /* key, value */

	key_only(x, kvs[0]);
	str(x, kvs[1]);
	map_end(x);
}

static void random_body(em *x, const void *arg)
{
	const wt_manifest *m = arg;
	char seed[32];

	key_only(x, "random");
	if (m->random == WT_GRANT_FAKE) {
		snprintf(seed, sizeof seed, "%" PRIu64, m->random_seed);
		map_start(x, 1);
		word(x, "fake");
		word(x, seed);
		map_end(x);
	} else {
		word(x, m->random == WT_GRANT_REAL ? "true" : "false");
	}
	map_end(x);
}

static void exit_body(em *x, const void *arg)
{
	const wt_manifest *m = arg;
	char num[16];

	key_only(x, "exit_codes");
	seq_start(x, 1);
	for (size_t i = 0; i < m->nexit_codes; i++) {
		snprintf(num, sizeof num, "%" PRId32, m->exit_codes[i]);
		word(x, num);
	}
	seq_end(x);
	map_end(x);
}

/* The shortest decimal that reads back as exactly d. */
static void shortest(char *buf, size_t size, double d)
{
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

static void limits_body(em *x, const void *arg)
{
	const wt_manifest_limits *l = arg;
	char num[40];

	key_only(x, "limits");
	map_start(x, 1);
	if (l->memory) {
		snprintf(num, sizeof num, "%" PRIu64, l->memory);
		word(x, "memory"), word(x, num);
	}
	if (l->fuel) {
		snprintf(num, sizeof num, "%" PRIu64, l->fuel);
		word(x, "fuel"), word(x, num);
	}
	if (l->time > 0) {
		shortest(num, sizeof num, l->time);
		word(x, "time"), word(x, num);
	}
	map_end(x);
	map_end(x);
}

static void emit_rules(sbuf *out, const char *key, const wt_mrule *rules, size_t n)
{
	if (n == 0)
		return;
	puts_(out, key);
	puts_(out, ":\n");
	for (size_t i = 0; i < n; i++) {
		if (rules[i].comment)
			comment(out, "  ", rules[i].comment);
		piece(out, "  ", rule_body, &rules[i]);
	}
}

static void emit_lists(sbuf *out, const wt_manifest *m)
{
	list env = {"env", m->env, m->nenv, 1}, sockets = {"sockets", m->sockets, m->nsockets, 1};
	bits stdio = {"stdio", NULL, m->stdio, wt_manifest_stdio_name};
	bits clocks = {"clocks", m->clock_grant == WT_GRANT_FAKE ? "fake" : NULL, m->clocks,
		       wt_manifest_clock_name};

	if (m->nabsent)
		puts_(out, "absent:\n");
	for (size_t i = 0; i < m->nabsent; i++)
		piece(out, "  ", item_body, m->absent[i]);
	if (m->nrefused)
		puts_(out, "refused:\n");
	for (size_t i = 0; i < m->nrefused; i++)
		piece(out, "  ", refusal_body, &m->refused[i]);
	if (m->nenv)
		piece(out, "", list_body, &env);
	if (m->clocks || m->clock_grant == WT_GRANT_FAKE)
		piece(out, "", bits_body, &clocks);
	if (m->random != WT_GRANT_NONE)
		piece(out, "", random_body, m);
	if (m->stdio)
		piece(out, "", bits_body, &stdio);
	if (m->nexit_codes)
		piece(out, "", exit_body, m);
	if (m->nsockets)
		piece(out, "", list_body, &sockets);
}

int wt_manifest_emit(const wt_manifest *m, char **out, size_t *len, wt_error *err)
{
	sbuf b = {.ok = 1};
	char version[16];
	const char *kv_version[2] = {"version", version}, *kv_mode[2] = {"on_deviation", NULL};
	const char *kv_cwd[2] = {"cwd", m->cwd};

	*out = NULL;
	for (size_t i = 0; i < m->nheader; i++)
		comment(&b, "", m->header[i]);
	snprintf(version, sizeof version, "%d", m->version);
	piece(&b, "", scalar_body, kv_version);
	if (m->module_name || m->sha256[0])
		piece(&b, "", module_body, m);
	if (m->nmounts)
		piece(&b, "", mounts_body, m);
	if (m->cwd)
		piece(&b, "", string_body, kv_cwd);
	emit_rules(&b, "files", m->files, m->nfiles);
	emit_rules(&b, "deny", m->deny, m->ndeny);
	emit_lists(&b, m);
	if (m->limits.memory || m->limits.fuel || m->limits.time > 0)
		piece(&b, "", limits_body, &m->limits);
	if (m->on_deviation != WT_ON_DEV_DEFAULT &&
	    (kv_mode[1] = wt_manifest_on_deviation_name(m->on_deviation)))
		piece(&b, "", scalar_body, kv_mode);
	if (!b.ok) {
		free(b.data);
		return wt_fail_plain(err, WT_INVALID,
				     "cannot emit the manifest (out of memory, or a string that "
				     "is not valid UTF-8)");
	}
	*out = b.data;
	*len = b.len;
	return 0;
}

int wt_manifest_emit_rule(const char *pattern, uint32_t rights, char **out)
{
	wt_mrule r = {.pattern = pattern, .rights = rights};

	return wt_manifest_emit_mrule(&r, out);
}

/* b's text without its final newline into *out; 0, or WT_NOMEM (b freed). */
static int take_text(sbuf *b, char **out)
{
	*out = NULL;
	if (!b->ok || !b->data) {
		free(b->data);
		return WT_NOMEM;
	}
	if (b->len && b->data[b->len - 1] == '\n')
		b->data[--b->len] = '\0';
	*out = b->data;
	return 0;
}

int wt_manifest_emit_mrule(const wt_mrule *r, char **out)
{
	sbuf b = {.ok = 1};

	b.ok = piece(&b, "", rule_body, r) != 0;
	return take_text(&b, out);
}

int wt_manifest_emit_keys(const wt_manifest *m, char **out)
{
	sbuf b = {.ok = 1};

	emit_lists(&b, m);
	return take_text(&b, out);
}
