/* yaml_doc.h: manifest text -> one libyaml document (nesting bounded, no aliases), and the
 * text's comment lines by libyaml's line numbers. Used by yaml_load.c and project_load.c. */
#ifndef WT_YAML_DOC_H
#define WT_YAML_DOC_H

#include <stddef.h>
#include <yaml.h>

#include "error.h"

/* Parses text[0..len) into *doc from libyaml's events (not yaml_parser_load),
 * refusing as they come: a collection nested deeper than WT_MANIFEST_DEPTH_MAX,
 * an alias, a second document. Nodes keep their start marks. Returns 0 with
 * *doc initialised (the caller's: yaml_document_delete; no root node when
 * the text holds no document), or WT_MALFORMED with line:column / WT_NOMEM
 * with nothing to free. */
int wt_manifest_yaml_read(const char *text, size_t len, yaml_document_t *doc, wt_error *err);

/* A forward cursor over the lines of a text, numbered as libyaml numbers
 * them (CR LF, CR, LF, NEL, LS and PS each end a line; a UTF-8 BOM is not
 * part of line 1). Asking for lines in increasing order costs the text's
 * length once; going back starts again from the top. */
typedef struct wt_manifest_lines {
	const char *text;
	size_t len;
	size_t at;     /* where line `line` starts */
	unsigned line; /* 1-based */
} wt_manifest_lines;

void wt_manifest_lines_init(wt_manifest_lines *c, const char *text, size_t len);

/* The full-line comment on line `line` (1-based) without its '#', one space
 * after it and the line break: *len bytes at the returned pointer (into the
 * text), or NULL when that line is not a comment line. */
const char *wt_manifest_lines_comment(wt_manifest_lines *c, unsigned line, size_t *len);

#endif
