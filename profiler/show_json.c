/* show_json.c: `wasi-tofu journal show --json`: the journal's summary as JSON (jansson). */
#include <jansson.h>

#include "journal.h"

static json_t *str_or_null(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;

	return v ? v : json_null(); /* a string that is not UTF-8 is left out */
}

static json_t *header_json(const wt_journal_header *h)
{
	json_t *argv = json_array(), *mounts = json_array();

	for (int i = 0; argv && i < h->argc; i++)
		json_array_append_new(argv, str_or_null(h->argv[i]));
	for (int i = 0; mounts && i < h->nmounts; i++)
		json_array_append_new(mounts, json_pack("{s:o, s:o, s:s}", "guest",
							str_or_null(h->mounts[i].guest), "host",
							str_or_null(h->mounts[i].host), "mode",
							h->mounts[i].readonly ? "ro" : "rw"));
	return json_pack("{s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "module",
			 str_or_null(h->module_path), "module_size", (json_int_t)h->module_size,
			 "sha256", str_or_null(h->sha256), "recorded", str_or_null(h->start),
			 "tool_version", str_or_null(h->tool_version), "argv", argv, "mounts",
			 mounts, "cwd", str_or_null(h->cwd));
}

static json_t *end_json(const wt_journal *j)
{
	const wt_journal_end *e = &j->end;

	return json_pack("{s:s, s:o, s:o, s:I}", "how", wt_journal_how_name(e->how), "exit_code",
			 e->how == WT_JOURNAL_EXIT ? json_integer(e->exit_code) : json_null(),
			 "message", str_or_null(e->message), "duration_ns",
			 (json_int_t)e->duration_ns);
}

/* {"path_open": {"count": N, "failed": K}, ...} for the calls made. */
static json_t *calls_json(const wt_journal *j)
{
	uint64_t count[WT_WASI_CALL_COUNT] = {0}, failed[WT_WASI_CALL_COUNT] = {0};
	json_t *o = json_object();

	for (size_t i = 0; i < j->ncalls; i++) {
		const wt_journal_call *c = &j->calls[i];

		count[c->ev.call] += c->count;
		failed[c->ev.call] += c->ev.errno_result ? c->count : 0;
	}
	for (int k = 0; o && k < WT_WASI_CALL_COUNT; k++)
		if (count[k])
			json_object_set_new(o, wt_wasi_call_name((wt_wasi_call)k),
					    json_pack("{s:I, s:I}", "count", (json_int_t)count[k],
						      "failed", (json_int_t)failed[k]));
	return o;
}

json_t *wt_journal_show_json(const wt_journal *j, const char *path)
{
	return json_pack("{s:s, s:i, s:o, s:o, s:o, s:b, s:o}", "format",
			 "wasi-tofu-journal-summary", "version", 1, "journal", str_or_null(path),
			 "header", header_json(&j->header), "end", end_json(j), "cut_short",
			 j->cut_short, "calls", calls_json(j));
}
