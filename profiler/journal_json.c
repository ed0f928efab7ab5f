/* journal_json.c: builds the JSON objects of the journal's lines: header, calls, end. */
#include <nettle/base64.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "journal_json.h"

/* Base64 of s[0..len) as a new JSON string; NULL when out of memory. */
static json_t *b64_string(const char *s, size_t len)
{
	size_t n = BASE64_ENCODE_RAW_LENGTH(len);
	char *buf = malloc(n + 1);
	json_t *j;

	if (!buf)
		return NULL;
	base64_encode_raw(buf, len, (const uint8_t *)s);
	j = json_stringn_nocheck(buf, n);
	free(buf);
	return j;
}

int wt_journal_set_bytes(json_t *o, const char *key, const char *s, size_t len)
{
	json_t *v = json_stringn(s, len); /* NULL for invalid UTF-8 */
	char key_b64[32];

	if (v)
		return json_object_set_new(o, key, v);
	snprintf(key_b64, sizeof key_b64, "%s_b64", key);
	return json_object_set_new(o, key_b64, b64_string(s, len));
}

int wt_journal_append_bytes(json_t *arr, const char *s, size_t len)
{
	json_t *v = json_stringn(s, len), *o;

	if (v)
		return json_array_append_new(arr, v);
	o = json_object();
	if (!o || json_object_set_new(o, "b64", b64_string(s, len))) {
		json_decref(o);
		return -1;
	}
	return json_array_append_new(arr, o);
}

/* Unsigned 64-bit: a JSON integer up to INT64_MAX, a decimal string above. */
static json_t *u64_json(uint64_t v)
{
	char buf[24];

	if (v <= INT64_MAX)
		return json_integer((json_int_t)v);
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
	return json_string(buf);
}

static int set_u64(json_t *o, const char *key, uint64_t v)
{
	return json_object_set_new_nocheck(o, key, u64_json(v));
}

static int set_int(json_t *o, const char *key, long long v)
{
	return json_object_set_new_nocheck(o, key, json_integer(v));
}

static int set_str(json_t *o, const char *key, const char *s)
{
	return json_object_set_new_nocheck(o, key, json_string(s));
}

/* "rights": ["read", "write"], and "rights_other" for bits without a name. */
static int set_rights(json_t *o, uint32_t mask)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} rights[] = {
#define WT_X_ROW(name, bit, text) {1u << bit, text},
	    WT_RIGHT_LIST(WT_X_ROW)
#undef WT_X_ROW
	};
	json_t *arr = json_array();
	uint32_t known = 0;
	int rc = 0;

	for (size_t i = 0; i < sizeof rights / sizeof rights[0]; i++) {
		known |= rights[i].bit;
		if (mask & rights[i].bit)
			rc |= json_array_append_new(arr, json_string(rights[i].name));
	}
	rc |= json_object_set_new_nocheck(o, "rights", arr);
	if (mask & ~known)
		rc |= set_int(o, "rights_other", mask & ~known);
	return rc;
}

/* Paths and the fd's path; each only when present. */
static int set_paths(json_t *o, const wt_event *ev)
{
	int rc = 0;

	if (ev->fd_path)
		rc |= wt_journal_set_bytes(o, "fd_path", ev->fd_path, strlen(ev->fd_path));
	if (ev->path)
		rc |= wt_journal_set_bytes(o, "path", ev->path, ev->path_len);
	if (ev->path2)
		rc |= wt_journal_set_bytes(o, "path2", ev->path2, ev->path2_len);
	if (ev->obj_path)
		rc |= wt_journal_set_bytes(o, "object", ev->obj_path, ev->obj_path_len);
	if (ev->obj_path2)
		rc |= wt_journal_set_bytes(o, "object2", ev->obj_path2, ev->obj_path2_len);
	return rc;
}

/* "abs_clocks": the clocks of poll_oneoff's absolute deadlines, by name. */
static int set_clocks(json_t *o, uint32_t mask)
{
	json_t *arr = json_array();
	int rc = 0;

	for (uint32_t id = 0; id < 32; id++) {
		const char *name = wt_journal_clock_name(id);

		if (mask & (1u << id))
			rc |= name ? json_array_append_new(arr, json_string(name))
				   : json_array_append_new(arr, json_integer(id));
	}
	return rc | json_object_set_new_nocheck(o, "abs_clocks", arr);
}

static int is_clock_call(wt_wasi_call call)
{
	return call == WT_WASI_clock_time_get || call == WT_WASI_clock_res_get;
}

/* The optional numbers: written when they differ from their default. */
static int set_numbers(json_t *o, const wt_event *ev)
{
	const char *clock = wt_journal_clock_name(ev->clock_id);
	int rc = 0;

	if (ev->flags)
		rc |= set_int(o, "flags", ev->flags);
	if (ev->rights_base)
		rc |= set_u64(o, "wasi_rights", ev->rights_base);
	if (ev->rights_inheriting)
		rc |= set_u64(o, "wasi_rights_inheriting", ev->rights_inheriting);
	if (ev->clock_id || is_clock_call(ev->call))
		rc |= clock ? set_str(o, "clock", clock) : set_int(o, "clock", ev->clock_id);
	if (ev->size)
		rc |= set_u64(o, "size", ev->size);
	if (ev->done)
		rc |= set_u64(o, "done", ev->done);
	if (ev->new_fd != -1)
		rc |= set_int(o, "new_fd", ev->new_fd);
	if (ev->stdio)
		rc |= set_str(o, "stdio", wt_journal_stdio_name(ev->stdio));
	if (ev->clock_mask)
		rc |= set_clocks(o, ev->clock_mask);
	if (ev->created)
		rc |= json_object_set_new_nocheck(o, "created", json_true());
	if (ev->exit_code || ev->call == WT_WASI_proc_exit)
		rc |= set_int(o, "exit_code", ev->exit_code);
	return rc;
}

static int set_result(json_t *o, const wt_event *ev)
{
	char buf[32];
	const char *e = wt_journal_errno_name(ev->errno_result, buf, sizeof buf);
	const char *v = wt_journal_verdict_name(ev->verdict);
	int rc;

	rc = e ? set_str(o, "errno", e) : set_int(o, "errno", ev->errno_result);
	rc |= v ? set_str(o, "verdict", v) : set_int(o, "verdict", ev->verdict);
	return rc;
}

/* What a call says of itself: its fields from "fd" on (the keys after
 * "seq", "t", "call" and "count" in a call line, all of a cycle's call). */
static int set_call_fields(json_t *o, const wt_event *ev)
{
	int rc = 0;

	if (ev->fd != -1)
		rc |= set_int(o, "fd", ev->fd);
	rc |= set_paths(o, ev);
	if (ev->rights)
		rc |= set_rights(o, ev->rights);
	rc |= set_numbers(o, ev);
	rc |= set_result(o, ev);
	return rc;
}

/* o, or NULL (o freed) when building it failed (rc not 0). */
static json_t *checked(json_t *o, int rc)
{
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *wt_journal_call_json(const wt_journal_call *c)
{
	const wt_event *ev = &c->ev;
	json_t *o = json_object();
	int rc;

	if (!o)
		return NULL;
	rc = set_u64(o, "seq", ev->seq);
	rc |= set_u64(o, "t", ev->time_ns);
	rc |= set_str(o, "call", wt_wasi_call_name(ev->call));
	if (c->count != 1)
		rc |= set_u64(o, "count", c->count);
	rc |= set_call_fields(o, &c->ev);
	return checked(o, rc);
}

/* One call of a cycle: a call line without "seq", "t" and "count". */
static json_t *cycle_call_json(const wt_event *ev)
{
	json_t *o = json_object();
	int rc;

	if (!o)
		return NULL;
	rc = set_str(o, "call", wt_wasi_call_name(ev->call));
	return checked(o, rc || set_call_fields(o, ev));
}

json_t *wt_journal_cycle_json(const wt_journal_call *c, size_t n)
{
	json_t *o = json_object(), *arr = json_array();
	int rc = !o || !arr;

	rc = rc || set_u64(o, "seq", c[0].ev.seq);
	rc = rc || set_u64(o, "t", c[0].ev.time_ns);
	rc = rc || set_u64(o, "count", c[0].count);
	for (size_t i = 0; !rc && i < n; i++)
		rc = json_array_append_new(arr, cycle_call_json(&c[i].ev));
	if (!rc)
		return checked(o, json_object_set_new_nocheck(o, "cycle", arr));
	json_decref(arr);
	json_decref(o);
	return NULL;
}

static json_t *bytes_array(int n, const char *const *v, int names_only)
{
	json_t *arr = json_array();

	for (int i = 0; arr && i < n; i++) {
		size_t len = names_only ? strcspn(v[i], "=") : strlen(v[i]);

		if (wt_journal_append_bytes(arr, v[i], len)) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *mounts_json(int n, const wt_mount *m)
{
	json_t *arr = json_array();

	for (int i = 0; arr && i < n; i++) {
		json_t *o = json_object();
		int rc = !o;

		rc = rc || wt_journal_set_bytes(o, "guest", m[i].guest, strlen(m[i].guest));
		rc = rc || wt_journal_set_bytes(o, "host", m[i].host, strlen(m[i].host));
		rc = rc || json_object_set_new_nocheck(o, "ro", json_boolean(m[i].readonly));
		if (rc || json_array_append_new(arr, o)) {
			json_decref(o);
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *module_json(const wt_journal_header *h)
{
	json_t *o = json_object();
	int rc = !o;

	rc = rc || wt_journal_set_bytes(o, "path", h->module_path, strlen(h->module_path));
	rc = rc || set_u64(o, "size", h->module_size);
	rc = rc || set_str(o, "sha256", h->sha256);
	return checked(o, rc);
}

/* env names: the header's env_names hold names, or "NAME=VALUE" entries
 * of which only the name is written. */
json_t *wt_journal_header_json(const wt_journal_header *h)
{
	json_t *o = json_object();
	int rc = !o;

	rc = rc || set_str(o, "format", WT_JOURNAL_FORMAT);
	rc = rc || set_int(o, "version", h->version);
	rc = rc || set_str(o, "tool", h->tool_version);
	rc = rc || json_object_set_new_nocheck(o, "module", module_json(h));
	rc = rc || json_object_set_new_nocheck(o, "argv", bytes_array(h->argc, h->argv, 0));
	rc = rc || json_object_set_new_nocheck(o, "env", bytes_array(h->nenv, h->env_names, 1));
	rc = rc || json_object_set_new_nocheck(o, "mounts", mounts_json(h->nmounts, h->mounts));
	rc = rc || wt_journal_set_bytes(o, "cwd", h->cwd, strlen(h->cwd));
	rc = rc || set_str(o, "start", h->start);
	if (!rc && h->fakes.fake_clocks)
		rc = json_object_set_new_nocheck(o, "fake_clocks", json_true());
	if (!rc && h->fakes.fake_random)
		rc = set_u64(o, "fake_random", h->fakes.random_seed);
	return checked(o, rc);
}

json_t *wt_journal_end_json(const wt_journal_end *e)
{
	json_t *o = json_object();
	int rc = !o;

	rc = rc || set_str(o, "end", wt_journal_how_name(e->how));
	if (!rc && e->how == WT_JOURNAL_EXIT)
		rc = set_u64(o, "exit_code", e->exit_code);
	if (!rc && e->message)
		rc = wt_journal_set_bytes(o, "message", e->message, strlen(e->message));
	if (!rc && e->how == WT_JOURNAL_CAP)
		rc = set_u64(o, "journal_max", e->journal_max) ||
		     set_u64(o, "unjournaled", e->unjournaled);
	rc = rc || set_u64(o, "calls", e->calls);
	rc = rc || set_u64(o, "lines", e->lines);
	rc = rc || set_u64(o, "errors", e->errors);
	rc = rc || set_u64(o, "duration_ns", e->duration_ns);
	return checked(o, rc);
}
