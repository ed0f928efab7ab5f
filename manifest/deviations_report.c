/* deviations_report.c: the deviation log as the --report JSON for CI (jansson). */
#include <errno.h>
#include <nettle/base64.h>
#include <stdlib.h>
#include <string.h>

#include "deviations.h"
#include "enforce.h"
#include "manifest.h"
#include "wasi.h"

/* o[key] = s[0..len) as a string, or o[key_b64] = its base64 when s is not UTF-8. */
static int set_bytes(json_t *o, const char *key, const char *s, size_t len)
{
	json_t *v = json_stringn(s, len);
	char name[32], *b64;

	if (v)
		return json_object_set_new(o, key, v);
	if (!(b64 = malloc(BASE64_ENCODE_RAW_LENGTH(len) + 1)))
		return -1;
	base64_encode_raw(b64, len, (const uint8_t *)s);
	b64[BASE64_ENCODE_RAW_LENGTH(len)] = '\0';
	snprintf(name, sizeof name, "%s_b64", key);
	v = json_string(b64);
	free(b64);
	return json_object_set_new(o, name, v);
}

static json_t *rights_array(uint32_t rights)
{
	json_t *a = json_array();

	for (unsigned bit = 0; a && bit < 32; bit++) {
		if ((rights & (1u << bit)) &&
		    json_array_append_new(a, json_string(wt_manifest_right_name(1u << bit)))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

const char *wt_devlog_target(const char *fix, const char *fix_file, int file_rule,
			     const char *manifest, const char *override)
{
	if (!fix)
		return NULL;
	if (fix_file)
		return fix_file;
	return file_rule && override ? override : manifest;
}

static json_t *name_or_null(const char *s)
{
	json_t *v = s ? json_string(s) : json_null();

	return v ? v : json_null(); /* a name that is not UTF-8 is left out */
}

json_t *wt_devloc_json(const wt_devloc *l)
{
	if (l->kind == WT_DEVLOC_NONE || !l->file)
		return NULL;
	return json_pack("{s:o, s:i, s:i, s:s, s:s?}", "file", name_or_null(l->file), "line",
			 (int)l->line, "column", (int)l->column, "kind",
			 wt_devloc_kind_name(l->kind), "section", l->section);
}

static json_t *entry_json(const wt_devlog_entry *e, const wt_devreport_run *run)
{
	json_t *o = json_object();
	int bad = !o;

	bad = bad || json_object_set_new(o, "call", json_string(wt_wasi_call_name(e->call)));
	if (e->path)
		bad = bad || set_bytes(o, "path", e->path, e->path_len);
	if (e->path2)
		bad = bad || set_bytes(o, "path2", e->path2, e->path2_len);
	if (e->host_path)
		bad = bad || set_bytes(o, "host_path", e->host_path, strlen(e->host_path));
	if (e->what)
		bad = bad || set_bytes(o, "what", e->what, strlen(e->what));
	else
		bad = bad || json_object_set_new(o, "rights", rights_array(e->rights));
	bad = bad ||
	      json_object_set_new(o, "verdict", json_string(wt_devlog_outcome_name(e->outcome)));
	bad = bad || json_object_set_new(o, "count", json_integer((json_int_t)e->count));
	bad = bad || json_object_set_new(o, "first_seq", json_integer((json_int_t)e->seq));
	bad = bad || json_object_set_new(o, "fix", e->fix ? json_string(e->fix) : json_null());
	bad = bad || json_object_set_new(
			 o, "target",
			 name_or_null(wt_devlog_target(e->fix, e->fix_file, e->what == NULL,
						       run->manifest, run->override)));
	if (e->refused)
		bad = bad || set_bytes(o, "refused_by", e->refused, strlen(e->refused));
	if (e->loc.kind != WT_DEVLOC_NONE)
		bad = bad || json_object_set_new(o, "location", wt_devloc_json(&e->loc));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The "outcome" object: how the run ended and why. */
static json_t *outcome_json(const wt_devreport_run *run)
{
	json_t *o = json_object();
	int bad = !o;

	bad = bad || json_object_set_new(o, "status", json_integer(run->status));
	bad = bad || json_object_set_new(o, "reason", name_or_null(run->reason));
	bad = bad ||
	      json_object_set_new(o, "exit_code",
				  run->has_exit_code ? json_integer(run->exit_code) : json_null());
	bad = bad || json_object_set_new(o, "message", name_or_null(run->message));
	bad = bad || json_object_set_new(o, "module_sha256", name_or_null(run->sha256));
	bad = bad || json_object_set_new(o, "pin", name_or_null(run->pin));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *hidden_json(const wt_devlog *log)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < wt_devlog_hidden_count(log); i++) {
		const wt_devlog_hidden *h = wt_devlog_hidden_get(log, i);
		json_t *o = json_object();
		int bad = !o || set_bytes(o, "path", h->path, h->path_len) ||
			  set_bytes(o, "absent_entry", h->entry, strlen(h->entry)) ||
			  set_bytes(o, "file", h->file, strlen(h->file)) ||
			  json_object_set_new(o, "count", json_integer((json_int_t)h->count));

		if (bad) {
			json_decref(o);
			json_decref(a);
			return NULL;
		}
		if (json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *wt_devlog_json(const wt_devlog *log, const wt_devreport_run *run)
{
	json_t *o = json_object(), *list = json_array();
	int bad = !o || !list;

	for (size_t i = 0; !bad && i < wt_devlog_count(log); i++)
		bad = json_array_append_new(list, entry_json(wt_devlog_get(log, i), run));
	bad = bad || json_object_set_new(o, "format", json_string("wasi-tofu-deviations"));
	bad = bad || json_object_set_new(o, "version", json_integer(WT_DEVREPORT_VERSION));
	bad = bad || json_object_set_new(o, "module", name_or_null(run->module));
	bad = bad || json_object_set_new(o, "manifest", name_or_null(run->manifest));
	bad = bad || json_object_set_new(o, "outcome", outcome_json(run));
	bad = bad || json_object_set_new(o, "deviations", json_incref(list));
	bad = bad ||
	      json_object_set_new(o, "dropped", json_integer((json_int_t)wt_devlog_dropped(log)));
	bad = bad || json_object_set_new(o, "hidden_by_absent", hidden_json(log));
	json_decref(list);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void wt_devreport_outcome(wt_devreport_run *run, const wt_run_result *res, int stopped, int changed,
			  char *trap, size_t size)
{
	run->reason = changed			       ? "module-changed"
		      : stopped			       ? "stopped"
		      : res->outcome == WT_RUN_EXITED  ? "exited"
		      : res->outcome == WT_RUN_TRAPPED ? "trapped"
						       : "failed";
	run->has_exit_code = 0, run->message = NULL;
	if (res->outcome == WT_RUN_EXITED && !stopped) {
		run->has_exit_code = 1;
		run->exit_code = res->exit_code;
	} else if (res->outcome == WT_RUN_TRAPPED) {
		wt_trap_format(&res->trap, trap, size);
		run->message = trap;
	} else if (res->outcome == WT_RUN_FAILED) {
		run->message = res->err.msg;
	}
}

#define WT_REPORT_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII)

char *wt_devlog_report_text(const wt_devlog *log, const wt_devreport_run *run)
{
	json_t *j = wt_devlog_json(log, run);
	char *text = j ? json_dumps(j, WT_REPORT_FLAGS) : NULL;

	json_decref(j);
	return text;
}

int wt_devlog_write_report(const wt_devlog *log, const wt_devreport_run *run, const char *path,
			   wt_error *err)
{
	json_t *j = wt_devlog_json(log, run);
	int rc = 0;

	if (!j)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	if (json_dump_file(j, path, WT_REPORT_FLAGS))
		rc = wt_fail_plain(err, WT_IO, "%s: cannot write the report: %s", path,
				   strerror(errno));
	json_decref(j);
	return rc;
}
