/* check_json.c: a policy's deviations as JSON and as SARIF 2.1.0 results (jansson). */
#include "check_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deviations.h"
#include "manifest.h"
#include "mint.h"
#include "wasi.h"

/* The file d's fix goes in, or NULL without a fix. */
static const char *target_of(const wt_deviation *d, const char *manifest, const char *override)
{
	return wt_devlog_target(d->fix, d->fix_file, d->what == NULL, manifest, override);
}

static json_t *str_or_null(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;

	return v ? v : json_null(); /* a string that is not UTF-8 is left out */
}

static json_t *rights_json(uint32_t rights)
{
	json_t *a = json_array();

	for (unsigned bit = 0; a && bit < 32; bit++)
		if (rights & (1u << bit))
			json_array_append_new(a, json_string(wt_manifest_right_name(1u << bit)));
	return a;
}

static json_t *deviation_json(const wt_deviation *d, const char *manifest, const char *override)
{
	json_t *o = json_object();
	int bad = !o;

	bad = bad || json_object_set_new(o, "call", json_string(wt_wasi_call_name(d->call)));
	if (d->path)
		bad = bad || json_object_set_new(o, "path", str_or_null(d->path));
	if (d->what)
		bad = bad || json_object_set_new(o, "what", str_or_null(d->what));
	else
		bad = bad || json_object_set_new(o, "rights", rights_json(d->rights));
	bad = bad || json_object_set_new(o, "count", json_integer((json_int_t)d->count));
	bad = bad || json_object_set_new(o, "fix", str_or_null(d->fix));
	bad =
	    bad || json_object_set_new(o, "target", str_or_null(target_of(d, manifest, override)));
	if (d->refused)
		bad = bad || json_object_set_new(o, "refused_by", str_or_null(d->refused));
	if (d->loc.kind != WT_DEVLOC_NONE)
		bad = bad || json_object_set_new(o, "location", wt_devloc_json(&d->loc));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *wt_enforce_json(const wt_enforce *e, const char *manifest, const char *override)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < wt_enforce_count(e); i++) {
		if (json_array_append_new(
			a, deviation_json(wt_enforce_get(e, i), manifest, override))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *wt_sarif_new(void)
{
	return json_pack(
	    "{s:s, s:s, s:[{s:{s:{s:s, s:s, s:[{s:s, s:{s:s}}, {s:s, s:{s:s}}]}}, s:[]}]}",
	    "$schema", "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs",
	    "tool", "driver", "name", "wasi-tofu", "version", WT_VERSION, "rules", "id",
	    "deviation", "shortDescription", "text",
	    "A recorded call the capability manifest does not grant", "id", "unused-grant",
	    "shortDescription", "text", "A grant none of the checked runs used", "results");
}

static json_t *results_of(json_t *log)
{
	return json_object_get(json_array_get(json_object_get(log, "runs"), 0), "results");
}

/* Where the unused notes go: the SARIF results, or the --json array; the files' names. */
typedef struct unused_out {
	json_t *into;
	const char *const *files;
} unused_out;

/* The SARIF note for g, located at its rule or key. */
static int sarif_unused(void *ctx, const wt_unused_grant *g)
{
	const unused_out *o = ctx;
	char *text = wt_unused_message(g);
	json_t *j = text ? json_pack("{s:s, s:s, s:{s:s}, s:[{s:{s:{s:s}, s:{s:i, s:i}}}], "
				     "s:{s:s, s:s}}",
				     "ruleId", "unused-grant", "level", "note", "message", "text",
				     text, "locations", "physicalLocation", "artifactLocation",
				     "uri", o->files[g->file], "region", "startLine",
				     g->loc.line ? (int)g->loc.line : 1, "startColumn",
				     g->loc.column ? (int)g->loc.column : 1, "properties", "rule",
				     g->text, "key", g->key)
			 : NULL;

	free(text);
	return json_array_append_new(o->into, j) ? -1 : 0;
}

int wt_sarif_add_unused(json_t *log, const wt_unused *u, const char *const files[2])
{
	unused_out o = {results_of(log), files};

	return o.into ? wt_unused_each(u, sarif_unused, &o) : -1;
}

/* The --json entry for g. */
static int json_unused(void *ctx, const wt_unused_grant *g)
{
	const unused_out *o = ctx;
	json_t *j = json_pack("{s:o, s:i, s:i, s:s, s:o}", "file", str_or_null(o->files[g->file]),
			      "line", g->loc.line ? (int)g->loc.line : 1, "column",
			      g->loc.column ? (int)g->loc.column : 1, "key", g->key, "grant",
			      str_or_null(g->text));

	return json_array_append_new(o->into, j) ? -1 : 0;
}

json_t *wt_unused_json(const wt_unused *u, const char *const files[2])
{
	unused_out o = {json_array(), files};

	if (o.into && wt_unused_each(u, json_unused, &o)) {
		json_decref(o.into);
		return NULL;
	}
	return o.into;
}

/* One line saying what d asked and what would allow it (wt_enforce_print's
 * text, its lines joined); a new string or NULL. */
static char *message_of(const wt_enforce *e, const wt_deviation *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	wt_enforce_print(e, d, f);
	if (fclose(f) != 0)
		return NULL;
	while (len && text[len - 1] == '\n')
		text[--len] = '\0';
	for (char *p = text; (p = strstr(p, "\n  ")) != NULL;)
		memmove(p, p + 2, strlen(p + 2) + 1), *p = ' ';
	return text;
}

/* The SARIF location of d: the file and line:column it points at (devloc.c), else line 1 of
 * the manifest. */
static json_t *sarif_location(const wt_deviation *d, const char *manifest)
{
	int located = d->loc.kind != WT_DEVLOC_NONE && d->loc.file;

	return json_pack("[{s:{s:{s:s}, s:{s:i, s:i}}}]", "physicalLocation", "artifactLocation",
			 "uri", located ? d->loc.file : manifest, "region", "startLine",
			 located ? (int)d->loc.line : 1, "startColumn",
			 located ? (int)d->loc.column : 1);
}

/* What the location is, for the reader of the result (wt_devloc_describe). */
static json_t *located_json(const wt_deviation *d)
{
	char text[256];

	wt_devloc_describe(&d->loc, text, sizeof text);
	return json_pack("{s:s, s:s?, s:s}", "kind", wt_devloc_kind_name(d->loc.kind), "section",
			 d->loc.section, "text", text);
}

static json_t *result_json(const wt_enforce *e, const wt_deviation *d, const char *journal,
			   const char *manifest, const char *override)
{
	char *text = message_of(e, d);
	const char *target = target_of(d, manifest, override);
	json_t *r = json_pack("{s:s, s:s, s:{s:s?}, s:o, s:{s:s, s:o?, s:s?, s:o}}", "ruleId",
			      "deviation", "level", "error", "message", "text", text, "locations",
			      sarif_location(d, manifest), "properties", "journal", journal,
			      "deviation", deviation_json(d, manifest, override), "target", target,
			      "located", located_json(d));

	free(text);
	return r;
}

int wt_sarif_add(json_t *log, const wt_enforce *e, const char *journal, const char *manifest,
		 const char *override)
{
	json_t *results = results_of(log);

	if (!results)
		return -1;
	for (size_t i = 0; i < wt_enforce_count(e); i++)
		if (json_array_append_new(
			results, result_json(e, wt_enforce_get(e, i), journal, manifest, override)))
			return -1;
	return 0;
}
