/* journal_json.h: the JSON form of the journal's lines (jansson), for the writer and the reader. */
#ifndef WT_JOURNAL_JSON_H
#define WT_JOURNAL_JSON_H

#include <jansson.h>

#include "journal.h"

/* The flags every line is dumped with: one compact line, keys in the
 * order they were set. */
#define WT_JOURNAL_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

/* Each builds the JSON object of a line; NULL when out of memory. */
json_t *wt_journal_call_json(const wt_journal_call *c);
/* A cycle line of the n (2 .. WT_JOURNAL_CYCLE_MAX) calls c[0..n), made
 * c[0].count times over: "seq", "t" and "count" are c[0]'s. */
json_t *wt_journal_cycle_json(const wt_journal_call *c, size_t n);
json_t *wt_journal_header_json(const wt_journal_header *h);
json_t *wt_journal_end_json(const wt_journal_end *e);

/* Each fills *out from a parsed line, copying strings into a. Returns 0
 * or WT_MALFORMED (with `line`:1 and the field named) / WT_NOMEM. */
int wt_journal_call_from_json(const json_t *o, wt_journal_call *out, wt_arena *a, unsigned line,
			      wt_error *err);
/* Sets c to a call line without keys: fd -1, new_fd -1, count 1, cycle 1,
 * the rest 0 (a key a line leaves out has that default). */
void wt_journal_call_defaults(wt_journal_call *c);

/* A cycle line into out[0 .. *n) (room entries at least
 * WT_JOURNAL_CYCLE_MAX), as wt_journal_call describes them. */
int wt_journal_cycle_from_json(const json_t *o, wt_journal_call *out, size_t *n, wt_arena *a,
			       unsigned line, wt_error *err);
int wt_journal_header_from_json(const json_t *o, wt_journal_header *out, wt_arena *a, unsigned line,
				wt_error *err);
int wt_journal_end_from_json(const json_t *o, wt_journal_end *out, wt_arena *a, unsigned line,
			     wt_error *err);

/* Byte strings (paths, argv, names may hold any byte but NUL): sets
 * o[key] to the string when it is valid UTF-8, else o[key_b64] to its
 * base64. Returns 0 or -1 (out of memory). */
int wt_journal_set_bytes(json_t *o, const char *key, const char *s, size_t len);
/* The same as one array element: a string, or {"b64": "..."}. */
int wt_journal_append_bytes(json_t *arr, const char *s, size_t len);

/* A reader of call lines with yajl's streaming parser (journal_yajl.c),
 * which keeps one yajl handle from line to line. _new returns NULL when
 * out of memory; _free accepts NULL. */
typedef struct wt_journal_yajl wt_journal_yajl;
wt_journal_yajl *wt_journal_yajl_new(void);
void wt_journal_yajl_free(wt_journal_yajl *y);

/* Reads one call line or cycle line (without its newline) into out[0 .. n)
 * (out has room for `room` calls): a JSON object of the call line's keys
 * only, each once, of the types the writer gives (a u64 as a JSON
 * integer), with "seq", "call", "errno" and "verdict"; or of "seq", "t",
 * "count" and "cycle", an array of 2 .. WT_JOURNAL_CYCLE_MAX objects of a
 * call line's keys but "seq", "t", "count", "path" and "path2", each with
 * "call" (a wt_journal_cyclable one), "errno" and "verdict"; and no '\\',
 * '\f', '\v' or byte above 0x7f anywhere. Returns n (1, or the calls of
 * the cycle), with out filled (strings in a) as wt_journal_call describes;
 * or 0 for any other line, a cycle longer than room, and when out of
 * memory: then the caller reads it with jansson (json_loadb and
 * wt_journal_call_from_json or wt_journal_cycle_from_json), which gives
 * the same calls for every line this accepts, and every error with its
 * line:column. */
size_t wt_journal_yajl_read(wt_journal_yajl *y, const char *line, size_t len, wt_journal_call *out,
			    size_t room, wt_arena *a);

/* wt_journal_yajl_read of a call line into *out (room 1): 1 when taken. */
int wt_journal_yajl_call(wt_journal_yajl *y, const char *line, size_t len, wt_journal_call *out,
			 wt_arena *a);

/* The WASI errno of a journal errno name ("success", "ENOENT", ...):
 * 0, or -1 for a name the writer never gives. */
int wt_journal_errno_parse(const char *name, size_t len, uint16_t *out);

#endif
