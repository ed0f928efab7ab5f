/* yaml_doc.c: manifest text -> one libyaml document built from parser events; comment lines. */
#include "yaml_doc.h"

#include "manifest.h"

/* An open collection: its node and, in a mapping, the key waiting for its value (0: none). */
typedef struct frame {
	int id, key;
	int mapping;
} frame;

/* Building state: libyaml's scanner does work per token that grows with the
 * nesting depth, so the depth is refused here, as the events come. */
typedef struct builder {
	yaml_document_t *doc;
	int have_doc, docs_done;
	frame stack[WT_MANIFEST_DEPTH_MAX];
	int depth;
	wt_error *err;
} builder;

/* A libyaml mark as the 1-based line, column of wt_fail_at. */
#define WT_MARK(mk) (unsigned)(mk)->line + 1, (unsigned)(mk)->column + 1

static int nomem(builder *b)
{
	return wt_fail_plain(b->err, WT_NOMEM, "out of memory");
}

static int parse_error(const yaml_parser_t *p, wt_error *err)
{
	const yaml_mark_t *mk = p->problem ? &p->problem_mark : &p->context_mark;

	if (p->error == YAML_MEMORY_ERROR)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	return wt_fail_at(err, WT_MALFORMED, WT_MARK(mk), "%s%s%s",
			  p->problem ? p->problem : "YAML error", p->context ? " " : "",
			  p->context ? p->context : "");
}

static int start_document(builder *b)
{
	if (!yaml_document_initialize(b->doc, NULL, NULL, NULL, 1, 1))
		return nomem(b);
	b->have_doc = 1;
	return 0;
}

/* Hangs the finished node id on the open collection (none: it is the root). */
static int attach(builder *b, int id)
{
	frame *f;
	int ok = 1;

	if (b->depth == 0)
		return 0;
	f = &b->stack[b->depth - 1];
	if (!f->mapping)
		ok = yaml_document_append_sequence_item(b->doc, f->id, id);
	else if (!f->key)
		f->key = id;
	else {
		ok = yaml_document_append_mapping_pair(b->doc, f->id, f->key, id);
		f->key = 0;
	}
	return ok ? 0 : nomem(b);
}

/* A new node: its marks kept for messages. */
static int placed(builder *b, int id, const yaml_event_t *ev)
{
	yaml_node_t *n;

	if (!id)
		return nomem(b);
	n = yaml_document_get_node(b->doc, id);
	n->start_mark = ev->start_mark;
	n->end_mark = ev->end_mark;
	return 0;
}

static int open_collection(builder *b, const yaml_event_t *ev, int mapping)
{
	int id;

	if (b->depth == WT_MANIFEST_DEPTH_MAX)
		return wt_fail_at(b->err, WT_MALFORMED, WT_MARK(&ev->start_mark),
				  "nested deeper than %d levels (a manifest's limit)",
				  WT_MANIFEST_DEPTH_MAX);
	id = mapping ? yaml_document_add_mapping(b->doc, NULL, YAML_ANY_MAPPING_STYLE)
		     : yaml_document_add_sequence(b->doc, NULL, YAML_ANY_SEQUENCE_STYLE);
	if (placed(b, id, ev) || attach(b, id))
		return b->err->code;
	b->stack[b->depth++] = (frame){id, 0, mapping};
	return 0;
}

static int scalar(builder *b, const yaml_event_t *ev)
{
	int id = yaml_document_add_scalar(b->doc, NULL, ev->data.scalar.value,
					  (int)ev->data.scalar.length, ev->data.scalar.style);

	if (placed(b, id, ev))
		return b->err->code;
	return attach(b, id);
}

/* One event into the document; *done set at the end of the stream. */
static int take(builder *b, const yaml_event_t *ev, int *done)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		return b->docs_done ? 0 : start_document(b);
	case YAML_DOCUMENT_END_EVENT:
		b->docs_done = 1;
		return 0;
	case YAML_STREAM_END_EVENT:
		*done = 1;
		return 0;
	case YAML_STREAM_START_EVENT:
		return 0;
	default:
		break;
	}
	if (b->docs_done)
		return wt_fail_at(b->err, WT_MALFORMED, WT_MARK(&ev->start_mark),
				  "a manifest is one YAML document; found a second");
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return wt_fail_at(
		    b->err, WT_MALFORMED, WT_MARK(&ev->start_mark),
		    "alias *%.100s: a manifest allows no aliases; write each grant out",
		    (const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		return scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return open_collection(b, ev, 0);
	case YAML_MAPPING_START_EVENT:
		return open_collection(b, ev, 1);
	default: /* the end of a collection, attached when it started */
		b->depth--;
		yaml_document_get_node(b->doc, b->stack[b->depth].id)->end_mark = ev->end_mark;
		return 0;
	}
}

static int read_events(yaml_parser_t *p, builder *b)
{
	int done = 0, rc = 0;

	while (!done && !rc) {
		yaml_event_t ev;

		if (!yaml_parser_parse(p, &ev))
			return parse_error(p, b->err);
		rc = take(b, &ev, &done);
		yaml_event_delete(&ev);
	}
	return rc;
}

int wt_manifest_yaml_read(const char *text, size_t len, yaml_document_t *doc, wt_error *err)
{
	builder b = {.doc = doc, .err = err};
	yaml_parser_t parser;
	int rc;

	if (!yaml_parser_initialize(&parser))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	rc = read_events(&parser, &b);
	if (!rc && !b.have_doc)
		rc = start_document(&b); /* no document: one without a root */
	yaml_parser_delete(&parser);
	if (rc && b.have_doc)
		yaml_document_delete(doc);
	return rc;
}

/* ---- comment lines ---- */

/* The length of the line break at p (0: none), as libyaml reads breaks. */
static size_t break_len(const unsigned char *p, const unsigned char *end)
{
	if (*p == '\n')
		return 1;
	if (*p == '\r')
		return p + 1 < end && p[1] == '\n' ? 2 : 1;
	if (*p == 0xc2 && p + 1 < end && p[1] == 0x85) /* NEL */
		return 2;
	if (*p == 0xe2 && p + 2 < end && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
		return 3; /* LS, PS */
	return 0;
}

/* Where the break ending the line that starts at `at` is (len: none). */
static size_t line_end(const wt_manifest_lines *c, size_t at)
{
	const unsigned char *p = (const unsigned char *)c->text, *end = p + c->len;

	while (at < c->len && !break_len(p + at, end))
		at++;
	return at;
}

void wt_manifest_lines_init(wt_manifest_lines *c, const char *text, size_t len)
{
	c->text = text;
	c->len = len;
	c->at = len >= 3 && (unsigned char)text[0] == 0xef && (unsigned char)text[1] == 0xbb &&
			(unsigned char)text[2] == 0xbf
		    ? 3
		    : 0;
	c->line = 1;
}

/* Moves c to the start of `line`; 0, or -1 when the text has fewer lines. */
static int seek(wt_manifest_lines *c, unsigned line)
{
	if (line < c->line)
		wt_manifest_lines_init(c, c->text, c->len);
	while (c->line < line) {
		size_t end = line_end(c, c->at);

		if (end == c->len)
			return -1;
		c->at = end + break_len((const unsigned char *)c->text + end,
					(const unsigned char *)c->text + c->len);
		c->line++;
	}
	return 0;
}

const char *wt_manifest_lines_comment(wt_manifest_lines *c, unsigned line, size_t *len)
{
	const char *p, *eol;

	if (line == 0 || seek(c, line))
		return NULL;
	p = c->text + c->at;
	eol = c->text + line_end(c, c->at);
	while (p < eol && (*p == ' ' || *p == '\t'))
		p++;
	if (p == eol || *p != '#')
		return NULL;
	p++;
	if (p < eol && *p == ' ')
		p++;
	*len = (size_t)(eol - p);
	return p;
}
