/* merge.h: record --update: an existing manifest and one generated from a new recording, merged
 * into one that grants the union (docs/cli.md, "record --update"). */
#ifndef WT_MERGE_H
#define WT_MERGE_H

#include "error.h"
#include "manifest.h"

/* Builds *out: old with what recorded grants beyond it added.
 *  - module: recorded's name and sha256 (the module that ran), old's when
 *    recorded has none;
 *  - files: old's rules in order, then each recorded rule with only the
 *    rights old does not already grant it: on the same pattern, or, for a
 *    pattern without wildcards or ${arg:N}, through any of old's plain
 *    rules (a rule on /src/a is not added when a wildcard rule of old grants it);
 *    a rule with the same pattern as one of old's widens that rule;
 *  - mounts by guest path, absent, env, exit codes and sockets: the union
 *    (old first); clocks and stdio: the union of the bits; random and the
 *    clock grant: old's unless old grants none;
 *  - header, deny, limits and on_deviation: old's (the owner's choices).
 * old and recorded are borrowed. 0, WT_MALFORMED (a bad pattern) or WT_NOMEM. */
int wt_manifest_merge(const wt_manifest *old, const wt_manifest *recorded, wt_manifest **out,
		      wt_error *err);

/* The header of m, the merge of old and rec: old's comment lines with rec's runs ("  run N:
 * ARGV (recorded by ...)") added after old's, numbered on, each naming journal (the file
 * that holds it; NULL: none), and the first line's "from N runs" counted again. 0 or
 * WT_NOMEM. */
int wt_manifest_merge_header(wt_manifest *m, const wt_manifest *old, const wt_manifest *rec,
			     const char *journal);

#endif
