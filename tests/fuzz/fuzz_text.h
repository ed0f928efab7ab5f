/* fuzz_text.h: hostile manifest and journal text through the readers and what follows them,
 * checking their promises; shared by the libFuzzer harnesses and the text mutation test. */
#ifndef WT_FUZZ_TEXT_H
#define WT_FUZZ_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* What happened to one input, for the caller's statistics. */
typedef enum {
	WT_FUZZ_TEXT_REJECTED, /* every reading failed with a located error */
	WT_FUZZ_TEXT_READ,     /* read (as one kind at least); what follows held its promises */
} wt_fuzz_text_outcome;

/* Loads bytes[0..size) as a manifest, an override file and a ceiling. A
 * failed load must be WT_MALFORMED with a message and a line:column inside
 * the text (or WT_NOMEM). A loaded one is built into the enforce policy
 * (every kind in its place) that then decides a few calls, and emitted:
 * the text must load back as the same kind, emit the same bytes, and hold
 * the same mounts, rules, comments, absent and env entries. A broken
 * promise prints what broke to stderr and calls abort(). */
wt_fuzz_text_outcome wt_fuzz_manifest_one(const uint8_t *bytes, size_t size);

/* Reads bytes[0..size) as a journal (yajl's call-line reader, jansson for
 * the rest): a failure must be WT_MALFORMED with a line:column inside the
 * text (or WT_NOMEM). A journal read is generated from (granularities dir
 * and tree); a manifest generated must emit, load back and emit the same
 * bytes. Generate may refuse a journal only with a status and a message
 * (a path that is not canonical). */
wt_fuzz_text_outcome wt_fuzz_journal_one(const uint8_t *bytes, size_t size);

#endif
