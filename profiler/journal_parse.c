/* journal_parse.c: reads the JSON objects of the journal's lines back into the journal model. */
#include <nettle/base64.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "journal_json.h"
#include "path.h"
#include "wasi.h"

/* Where a field is read: the line, for messages. */
typedef struct field_ctx {
	wt_arena *a;
	unsigned line;
	wt_error *err;
} field_ctx;

static int bad(field_ctx *f, const char *key, const char *what)
{
	return wt_fail_at(f->err, WT_MALFORMED, f->line, 1, "field \"%s\": %s", key, what);
}

static int nomem(field_ctx *f)
{
	return wt_fail_plain(f->err, WT_NOMEM, "out of memory reading the journal");
}

/* A u64: a JSON integer >= 0, or a string of decimal digits. */
static int get_u64(field_ctx *f, const json_t *o, const char *key, uint64_t *out)
{
	const json_t *v = json_object_get(o, key);
	const char *s;
	uint64_t n = 0;

	if (!v)
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v) || !*(s = json_string_value(v)))
		return bad(f, key, "expected an unsigned integer");
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return bad(f, key, "expected an unsigned integer");
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*out = n;
	return 0;
}

/* An integer in [lo, hi]. */
static int get_int(field_ctx *f, const json_t *o, const char *key, long long lo, long long hi,
		   long long *out)
{
	const json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return bad(f, key, "expected an integer in range");
	*out = json_integer_value(v);
	return 0;
}

static int get_i32(field_ctx *f, const json_t *o, const char *key, int32_t *out)
{
	long long v = *out;
	int rc = get_int(f, o, key, INT32_MIN, INT32_MAX, &v);

	*out = (int32_t)v;
	return rc;
}

static int get_u32(field_ctx *f, const json_t *o, const char *key, uint32_t *out)
{
	long long v = *out;
	int rc = get_int(f, o, key, 0, UINT32_MAX, &v);

	*out = (uint32_t)v;
	return rc;
}

/* A flag: true or false (absent: false). */
static int get_flag(field_ctx *f, const json_t *o, const char *key, uint8_t *out)
{
	const json_t *v = json_object_get(o, key);

	if (v && !json_is_boolean(v))
		return bad(f, key, "expected true or false");
	*out = json_is_true(v);
	return 0;
}

/* Decodes base64 text into the arena (NUL-terminated). */
static int unb64(field_ctx *f, const char *key, const char *text, size_t tlen, const char **out,
		 size_t *len)
{
	struct base64_decode_ctx ctx;
	size_t n = BASE64_DECODE_LENGTH(tlen);
	uint8_t *buf = wt_arena_calloc(f->a, n + 1, 1);

	if (!buf)
		return nomem(f);
	base64_decode_init(&ctx);
	if (!base64_decode_update(&ctx, &n, buf, tlen, text) || !base64_decode_final(&ctx))
		return bad(f, key, "bad base64");
	if (memchr(buf, 0, n))
		return bad(f, key, "a NUL byte in a string");
	buf[n] = 0;
	*out = (const char *)buf;
	*len = n;
	return 0;
}

/* A string value (no NUL inside) copied into the arena. */
static int copy_string(field_ctx *f, const char *key, const json_t *v, const char **out,
		       size_t *len)
{
	size_t n = json_string_length(v);
	const char *s = json_string_value(v);

	if (memchr(s, 0, n))
		return bad(f, key, "a NUL byte in a string");
	if (!(*out = wt_arena_strndup(f->a, s, n)))
		return nomem(f);
	*len = n;
	return 0;
}

/* o[key] (a string) or o[key_b64] (its bytes in base64); absent: NULL. */
static int get_bytes(field_ctx *f, const json_t *o, const char *key, const char **out, size_t *len)
{
	char key_b64[32];
	const json_t *v = json_object_get(o, key), *b;

	snprintf(key_b64, sizeof key_b64, "%s_b64", key);
	b = json_object_get(o, key_b64);
	*out = NULL;
	*len = 0;
	if (v && b)
		return bad(f, key, "given both as text and as base64");
	if (v && !json_is_string(v))
		return bad(f, key, "expected a string");
	if (b && !json_is_string(b))
		return bad(f, key_b64, "expected a base64 string");
	if (v)
		return copy_string(f, key, v, out, len);
	if (b)
		return unb64(f, key_b64, json_string_value(b), json_string_length(b), out, len);
	return 0;
}

_Static_assert(WT_PATH_MAX == 4095, "the message below names the limit");

/* Guest paths, host folders and names the manifest takes are at most
 * WT_PATH_MAX bytes, as the engine makes them (docs/journal.md, "Limits"). */
static int too_long(field_ctx *f, const char *key, size_t len)
{
	return len > WT_PATH_MAX ? bad(f, key, "longer than 4095 bytes (a journal's limit)") : 0;
}

/* get_bytes for a path or name: at most WT_PATH_MAX bytes. */
static int get_short_bytes(field_ctx *f, const json_t *o, const char *key, const char **out,
			   size_t *len)
{
	return get_bytes(f, o, key, out, len) || too_long(f, key, *len) ? f->err->code : 0;
}

static int get_path(field_ctx *f, const json_t *o, const char *key, const char **out, uint32_t *len)
{
	size_t n;

	if (get_short_bytes(f, o, key, out, &n))
		return f->err->code;
	if (len)
		*len = (uint32_t)n;
	return 0;
}

/* A name from a table, or (numbers not in the table) an integer. */
static int get_call(field_ctx *f, const json_t *o, wt_wasi_call *out)
{
	const char *s = json_string_value(json_object_get(o, "call"));

	if (!s)
		return bad(f, "call", "expected a WASI function name");
	for (int c = 0; c < WT_WASI_CALL_COUNT; c++) {
		if (strcmp(s, wt_wasi_call_name((wt_wasi_call)c)) == 0) {
			*out = (wt_wasi_call)c;
			return 0;
		}
	}
	return bad(f, "call", "not a wasi_snapshot_preview1 function");
}

static int get_rights(field_ctx *f, const json_t *o, uint32_t *out)
{
	static const char *const names[] = {
#define WT_X_NAME(name, bit, text) [bit] = text,
	    WT_RIGHT_LIST(WT_X_NAME)
#undef WT_X_NAME
	};
	const json_t *arr = json_object_get(o, "rights");
	uint32_t other = 0;
	size_t i;
	const json_t *v;

	if (arr && !json_is_array(arr))
		return bad(f, "rights", "expected an array of right names");
	json_array_foreach(arr, i, v)
	{
		unsigned bit = 0;

		while (bit < sizeof names / sizeof names[0] &&
		       !(json_is_string(v) && strcmp(json_string_value(v), names[bit]) == 0))
			bit++;
		if (bit == sizeof names / sizeof names[0])
			return bad(f, "rights", "unknown right");
		*out |= 1u << bit;
	}
	if (get_u32(f, o, "rights_other", &other))
		return f->err->code;
	*out |= other;
	return 0;
}

static int get_errno(field_ctx *f, const json_t *o, uint16_t *out)
{
	const json_t *v = json_object_get(o, "errno");
	long long n = 0;

	if (json_is_string(v)) {
		if (wt_journal_errno_parse(json_string_value(v), json_string_length(v), out) == 0)
			return 0;
		return bad(f, "errno", "unknown errno name");
	}
	if (!v)
		return bad(f, "errno", "missing");
	if (get_int(f, o, "errno", 0, UINT16_MAX, &n))
		return f->err->code;
	*out = (uint16_t)n;
	return 0;
}

static int get_verdict(field_ctx *f, const json_t *o, wt_verdict *out)
{
	const json_t *v = json_object_get(o, "verdict");

	for (int k = WT_ALLOW; json_is_string(v) && k <= WT_STOP; k++) {
		if (strcmp(json_string_value(v), wt_journal_verdict_name((wt_verdict)k)) == 0) {
			*out = (wt_verdict)k;
			return 0;
		}
	}
	return bad(f, "verdict", "expected allow, deny, hide or stop");
}

static int get_clock(field_ctx *f, const json_t *o, uint32_t *out)
{
	const json_t *v = json_object_get(o, "clock");

	if (!json_is_string(v))
		return get_u32(f, o, "clock", out);
	for (uint32_t id = 0; wt_journal_clock_name(id); id++) {
		if (strcmp(json_string_value(v), wt_journal_clock_name(id)) == 0) {
			*out = id;
			return 0;
		}
	}
	return bad(f, "clock", "unknown clock name");
}

static int get_stdio(field_ctx *f, const json_t *o, uint8_t *out)
{
	const json_t *v = json_object_get(o, "stdio");

	if (!v)
		return 0;
	if (!json_is_string(v) ||
	    wt_journal_stdio_parse(json_string_value(v), json_string_length(v), out))
		return bad(f, "stdio", "expected \"stdin\", \"stdout\" or \"stderr\"");
	return 0;
}

/* "abs_clocks": clock names (or ids) as a mask. */
static int get_abs_clocks(field_ctx *f, const json_t *o, uint32_t *out)
{
	const json_t *arr = json_object_get(o, "abs_clocks"), *v;
	size_t i;

	if (arr && !json_is_array(arr))
		return bad(f, "abs_clocks", "expected an array of clock names");
	json_array_foreach(arr, i, v)
	{
		uint32_t id = 0;

		if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) < 32)
			id = (uint32_t)json_integer_value(v);
		else
			while (wt_journal_clock_name(id) &&
			       !(json_is_string(v) &&
				 strcmp(json_string_value(v), wt_journal_clock_name(id)) == 0))
				id++;
		if (!json_is_integer(v) && !wt_journal_clock_name(id))
			return bad(f, "abs_clocks", "unknown clock name");
		*out |= 1u << id;
	}
	return 0;
}

static int get_event_numbers(field_ctx *f, const json_t *o, wt_event *ev)
{
	if (get_i32(f, o, "fd", &ev->fd) || get_rights(f, o, &ev->rights) ||
	    get_u32(f, o, "flags", &ev->flags) || get_u64(f, o, "wasi_rights", &ev->rights_base) ||
	    get_u64(f, o, "wasi_rights_inheriting", &ev->rights_inheriting) ||
	    get_clock(f, o, &ev->clock_id) || get_u64(f, o, "size", &ev->size) ||
	    get_u64(f, o, "done", &ev->done) || get_i32(f, o, "new_fd", &ev->new_fd) ||
	    get_i32(f, o, "exit_code", &ev->exit_code) || get_flag(f, o, "created", &ev->created) ||
	    get_errno(f, o, &ev->errno_result) || get_verdict(f, o, &ev->verdict))
		return f->err->code;
	return 0;
}

void wt_journal_call_defaults(wt_journal_call *c)
{
	memset(c, 0, sizeof *c);
	c->ev.fd = -1;
	c->ev.new_fd = -1;
	c->count = 1;
	c->cycle = 1;
}

/* What a call says of itself: every key of a call line but "seq", "t" and "count". */
static int get_call_fields(field_ctx *f, const json_t *o, wt_event *ev)
{
	if (get_call(f, o, &ev->call) || get_event_numbers(f, o, ev) ||
	    get_path(f, o, "fd_path", &ev->fd_path, NULL) ||
	    get_path(f, o, "path", &ev->path, &ev->path_len) ||
	    get_path(f, o, "path2", &ev->path2, &ev->path2_len) ||
	    get_path(f, o, "object", &ev->obj_path, &ev->obj_path_len) ||
	    get_path(f, o, "object2", &ev->obj_path2, &ev->obj_path2_len) ||
	    get_stdio(f, o, &ev->stdio) || get_abs_clocks(f, o, &ev->clock_mask))
		return f->err->code;
	return 0;
}

/* "seq" (required), "t" and "count" (at least 1). */
static int get_line_numbers(field_ctx *f, const json_t *o, wt_journal_call *out)
{
	if (get_u64(f, o, "seq", &out->ev.seq) || get_u64(f, o, "t", &out->ev.time_ns) ||
	    get_u64(f, o, "count", &out->count))
		return f->err->code;
	if (!json_object_get(o, "seq"))
		return bad(f, "seq", "missing");
	if (out->count == 0)
		return bad(f, "count", "must be at least 1");
	return 0;
}

int wt_journal_call_from_json(const json_t *o, wt_journal_call *out, wt_arena *a, unsigned line,
			      wt_error *err)
{
	field_ctx f = {a, line, err};

	wt_journal_call_defaults(out);
	if (get_call_fields(&f, o, &out->ev) || get_line_numbers(&f, o, out))
		return err->code;
	return 0;
}

/* Keys a call of a cycle may not have: the line's, and paths. */
static const char *const cycle_call_refused[] = {
    "seq", "t", "count", "cycle", "path", "path_b64", "path2", "path2_b64",
};

/* One call of a cycle line: a call line's fields, no path, a cyclable call. */
static int get_cycle_call(field_ctx *f, const json_t *o, wt_journal_call *out)
{
	wt_journal_call_defaults(out);
	if (!json_is_object(o))
		return bad(f, "cycle", "expected an array of call objects");
	for (size_t i = 0; i < sizeof cycle_call_refused / sizeof cycle_call_refused[0]; i++)
		if (json_object_get(o, cycle_call_refused[i]))
			return bad(f, cycle_call_refused[i], "not allowed in a call of a cycle");
	if (get_call_fields(f, o, &out->ev))
		return f->err->code;
	if (!wt_journal_cyclable(out->ev.call))
		return bad(f, "call", "a call that cannot be part of a cycle");
	return 0;
}

int wt_journal_cycle_from_json(const json_t *o, wt_journal_call *out, size_t *n, wt_arena *a,
			       unsigned line, wt_error *err)
{
	field_ctx f = {a, line, err};
	const json_t *arr = json_object_get(o, "cycle");
	wt_journal_call head;
	size_t len = json_array_size(arr);

	*n = 0;
	wt_journal_call_defaults(&head);
	if (json_object_get(o, "call"))
		return bad(&f, "call", "a line with both \"call\" and \"cycle\"");
	if (!json_is_array(arr) || len < 2 || len > WT_JOURNAL_CYCLE_MAX)
		return bad(&f, "cycle", "expected an array of 2 to 4 calls");
	if (get_line_numbers(&f, o, &head))
		return err->code;
	for (size_t k = 0; k < len; k++) {
		if (get_cycle_call(&f, json_array_get(arr, k), &out[k]))
			return err->code;
		out[k].ev.seq = head.ev.seq + k;
		out[k].ev.time_ns = head.ev.time_ns;
		out[k].count = head.count;
		out[k].cycle = (uint32_t)len;
		out[k].pos = (uint32_t)k;
	}
	*n = len;
	return 0;
}

/* An array of byte strings (strings or {"b64": ...}) into the arena, each
 * at most max bytes. */
static int get_strings(field_ctx *f, const json_t *o, const char *key, size_t max, int *n,
		       const char *const **out)
{
	const json_t *arr = json_object_get(o, key), *v;
	const char **list;
	size_t i, len;

	if (!json_is_array(arr) || json_array_size(arr) > INT32_MAX)
		return bad(f, key, "expected an array of strings");
	if (!(list = wt_arena_calloc(f->a, json_array_size(arr) + 1, sizeof *list)))
		return nomem(f);
	json_array_foreach(arr, i, v)
	{
		if (json_is_string(v)) {
			if (copy_string(f, key, v, &list[i], &len))
				return f->err->code;
		} else {
			const json_t *b = json_object_get(v, "b64");

			if (!json_is_object(v) || !json_is_string(b))
				return bad(f, key, "expected a string or {\"b64\": ...}");
			if (unb64(f, key, json_string_value(b), json_string_length(b), &list[i],
				  &len))
				return f->err->code;
		}
		if (len > max)
			return too_long(f, key, len);
	}
	*n = (int)i;
	*out = list;
	return 0;
}

static int get_mounts(field_ctx *f, const json_t *o, wt_journal_header *h)
{
	const json_t *arr = json_object_get(o, "mounts"), *v;
	wt_mount *m;
	size_t i, len;

	if (!json_is_array(arr) || json_array_size(arr) > INT32_MAX)
		return bad(f, "mounts", "expected an array");
	if (!(m = wt_arena_calloc(f->a, json_array_size(arr) + 1, sizeof *m)))
		return nomem(f);
	json_array_foreach(arr, i, v)
	{
		const json_t *ro = json_object_get(v, "ro");

		if (!json_is_object(v) || get_short_bytes(f, v, "guest", &m[i].guest, &len) ||
		    get_short_bytes(f, v, "host", &m[i].host, &len) || !m[i].guest || !m[i].host ||
		    !json_is_boolean(ro))
			return bad(f, "mounts", "expected {\"guest\", \"host\", \"ro\"} objects");
		m[i].readonly = json_is_true(ro);
	}
	h->nmounts = (int)i;
	h->mounts = m;
	return 0;
}

static int get_module(field_ctx *f, const json_t *o, wt_journal_header *h)
{
	const json_t *m = json_object_get(o, "module");
	const char *sha;
	size_t len;

	if (!json_is_object(m))
		return bad(f, "module", "expected an object");
	if (get_short_bytes(f, m, "path", &h->module_path, &len) ||
	    get_u64(f, m, "size", &h->module_size))
		return f->err->code;
	sha = json_string_value(json_object_get(m, "sha256"));
	if (!h->module_path)
		return bad(f, "module", "no path");
	if (!sha || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
		return bad(f, "module", "sha256: expected 64 lowercase hex digits");
	memcpy(h->sha256, sha, 65);
	return 0;
}

static int get_header_strings(field_ctx *f, const json_t *o, wt_journal_header *h)
{
	const json_t *tool = json_object_get(o, "tool"), *start = json_object_get(o, "start");
	size_t len;

	if (!json_is_string(tool) || !json_is_string(start))
		return bad(f, json_is_string(tool) ? "start" : "tool", "expected a string");
	if (copy_string(f, "tool", tool, &h->tool_version, &len) ||
	    copy_string(f, "start", start, &h->start, &len) ||
	    get_short_bytes(f, o, "cwd", &h->cwd, &len))
		return f->err->code;
	if (!h->cwd)
		return bad(f, "cwd", "missing");
	return 0;
}

/* "fake_clocks": true, "fake_random": SEED; absent: the host's. */
static int get_fakes(field_ctx *f, const json_t *o, wt_wasi_fakes *out)
{
	uint8_t clocks = 0;

	if (get_flag(f, o, "fake_clocks", &clocks) ||
	    get_u64(f, o, "fake_random", &out->random_seed))
		return f->err->code;
	out->fake_clocks = clocks;
	out->fake_random = json_object_get(o, "fake_random") != NULL;
	return 0;
}

int wt_journal_header_from_json(const json_t *o, wt_journal_header *out, wt_arena *a, unsigned line,
				wt_error *err)
{
	field_ctx f = {a, line, err};
	const char *format = json_string_value(json_object_get(o, "format"));
	const json_t *version = json_object_get(o, "version");

	memset(out, 0, sizeof *out);
	if (!format || strcmp(format, WT_JOURNAL_FORMAT) != 0)
		return bad(&f, "format", "not a wasi-tofu journal");
	if (!json_is_integer(version) || json_integer_value(version) < 1 ||
	    json_integer_value(version) > WT_JOURNAL_VERSION)
		return bad(&f, "version", "this reader knows versions 1 and 2");
	out->version = (int)json_integer_value(version);
	if (get_module(&f, o, out) ||
	    get_strings(&f, o, "argv", SIZE_MAX, &out->argc, &out->argv) ||
	    get_strings(&f, o, "env", WT_PATH_MAX, &out->nenv, &out->env_names) ||
	    get_mounts(&f, o, out) || get_header_strings(&f, o, out) ||
	    get_fakes(&f, o, &out->fakes))
		return err->code;
	return 0;
}

int wt_journal_end_from_json(const json_t *o, wt_journal_end *out, wt_arena *a, unsigned line,
			     wt_error *err)
{
	field_ctx f = {a, line, err};
	const char *how = json_string_value(json_object_get(o, "end"));
	uint64_t code = 0;
	size_t len;

	memset(out, 0, sizeof *out);
	out->how = WT_JOURNAL_CUT;
	for (int k = WT_JOURNAL_EXIT; how && wt_journal_how_name((wt_journal_how)k); k++)
		if (strcmp(how, wt_journal_how_name((wt_journal_how)k)) == 0)
			out->how = (wt_journal_how)k;
	if (out->how == WT_JOURNAL_CUT)
		return bad(&f, "end", "expected exit, trap, signal, error or cap");
	if (get_u64(&f, o, "exit_code", &code) ||
	    get_u64(&f, o, "journal_max", &out->journal_max) ||
	    get_u64(&f, o, "unjournaled", &out->unjournaled) ||
	    get_bytes(&f, o, "message", &out->message, &len) ||
	    get_u64(&f, o, "calls", &out->calls) || get_u64(&f, o, "lines", &out->lines) ||
	    get_u64(&f, o, "errors", &out->errors) ||
	    get_u64(&f, o, "duration_ns", &out->duration_ns))
		return err->code;
	if (code > UINT32_MAX)
		return bad(&f, "exit_code", "out of range");
	out->exit_code = (uint32_t)code;
	return 0;
}
