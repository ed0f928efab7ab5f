/* override.h: [a] allow always: one files grant appended to NAME.override.yaml beside the
 * manifest, so the file's diff is exactly that grant (docs/deviations.md). */
#ifndef WT_OVERRIDE_H
#define WT_OVERRIDE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "keeper.h"
#include "manifest.h"

/* The override file of a manifest: its folder, the name without
 * ".yaml"/".yml" and then without ".manifest", plus ".override.yaml":
 * "ci/build.manifest.yaml" -> "ci/build.override.yaml", "tool.yml" ->
 * "tool.override.yaml". malloc'd; NULL when out of memory. */
char *wt_override_path(const char *manifest_path);

/* Appends the rule {path: pattern, allow: [rights]} (pattern as in
 * manifest.h, already escaped: wt_manifest_pattern_escape) to the
 * override file text[0..len) and gives the new text in *out (malloc'd,
 * *out_len bytes, NUL-terminated):
 *  - empty text (or only comments): a header comment, `version: 1`,
 *    `files:` and the rule;
 *  - a block list under files: the rule as one line after its last item,
 *    at the same indentation; every other byte unchanged;
 *  - no files key: `files:` and the rule at the end;
 *  - a rule with that very pattern already granting those rights:
 *    *out is a copy of text and *added is 0 (else 1).
 * The line is libyaml's (wt_manifest_emit_rule): no hand-made quoting.
 * The text must load as an override file (manifest.h) before and after;
 * errors: WT_MALFORMED (with line:column; also `files` written as a flow
 * list `[...]`, which cannot take a line), WT_NOMEM. */
int wt_override_append_rule(const char *text, size_t len, const char *pattern, uint32_t rights,
			    char **out, size_t *out_len, int *added, wt_error *err);

/* The same on the file at path (created when missing), read and replaced
 * through the keeper k of a self-confined run, or directly when k is NULL
 * (wt_keeper_replace: never half a file, the old file's mode kept). added
 * may be NULL. Errors also WT_IO. */
int wt_override_add_rule(wt_keeper *k, const char *path, const char *pattern, uint32_t rights,
			 int *added, wt_error *err);

/* The same for a whole rule (its `only: new` too; its comment is not written). */
int wt_override_append_mrule(const char *text, size_t len, const wt_mrule *r, char **out,
			     size_t *out_len, int *added, wt_error *err);
int wt_override_add_mrule(wt_keeper *k, const char *path, const wt_mrule *r, int *added,
			  wt_error *err);

#endif
