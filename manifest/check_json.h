/* check_json.h: a policy's deviations as JSON (check --json) and as SARIF 2.1.0 results
 * (check --sarif), documented in docs/manifest.md ("check") with their schemas in docs/schemas/. */
#ifndef WT_CHECK_JSON_H
#define WT_CHECK_JSON_H

#include <jansson.h>

#include "enforce.h"
#include "unused.h"

enum { WT_CHECK_JSON_VERSION = 2 };

/* e's deviations as a JSON array (one object each: call, path or what,
 * rights, count, fix, target; see the schema), a new reference; NULL
 * when out of memory. manifest and override name the files fixes go in. */
json_t *wt_enforce_json(const wt_enforce *e, const char *manifest, const char *override);

/* A SARIF 2.1.0 log with one run of wasi-tofu and no result yet; NULL
 * when out of memory. */
json_t *wt_sarif_new(void);

/* Appends one SARIF result per deviation of e (found replaying journal)
 * to log, located where each points (devloc.c). 0, or -1 when out of memory. */
int wt_sarif_add(json_t *log, const wt_enforce *e, const char *journal, const char *manifest,
		 const char *override);

/* Appends one SARIF note (rule unused-grant) per grant of the manifest and the override file
 * (files[] name them) that no journal used (u, wt_unused_each), located at its rule or key.
 * 0, or -1 when out of memory. */
int wt_sarif_add_unused(json_t *log, const wt_unused *u, const char *const files[2]);

/* The same grants as check --json's "unused" array ({"file", "line", "column", "key",
 * "grant"} each), a new reference; NULL when out of memory. */
json_t *wt_unused_json(const wt_unused *u, const char *const files[2]);

#endif
