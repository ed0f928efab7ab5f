/* override.c: appends one files grant to an override file, touching no other byte. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "manifest.h"
#include "mint.h"
#include "override.h"

enum { MAX_OVERRIDE = 64 << 20 };

static const char header[] =
    "# Grants added at the wasi-tofu prompt ([a] allow always), one line each.\n"
    "# Review them; move them into the manifest, or delete the lines you do not want.\n"
    "version: 1\n";

/* n less the tail when s[b..n) ends in it and keeps a name before it. */
static size_t strip(const char *s, size_t b, size_t n, const char *tail)
{
	size_t t = strlen(tail);

	return n - b > t && !memcmp(s + n - t, tail, t) ? n - t : n;
}

char *wt_override_path(const char *manifest_path)
{
	const char *slash = strrchr(manifest_path, '/');
	size_t b = slash ? (size_t)(slash + 1 - manifest_path) : 0, n = strlen(manifest_path), m;
	char *out;

	m = strip(manifest_path, b, n, ".yaml");
	if (m == n)
		m = strip(manifest_path, b, n, ".yml");
	n = strip(manifest_path, b, m, ".manifest");
	if (!(out = malloc(n + sizeof ".override.yaml")))
		return NULL;
	memcpy(out, manifest_path, n);
	strcpy(out + n, ".override.yaml");
	return out;
}

/* Where the text's files list is, found with libyaml's event parser. */
typedef struct where {
	int root;	    /* 1: a block mapping at the root; -1: something else; 0: no document */
	size_t root_column; /* of the root mapping's first key */
	int files;	    /* 0: no files key; 1: a block list; -1: anything else */
	size_t column;	    /* of the list's '-' */
	size_t end;	    /* byte index just past the last item's last token */
} where;

enum { MAX_DEPTH = 64 };

typedef struct scan {
	where w;
	int depth, flow[MAX_DEPTH]; /* open collections: 1 when flow style */
	size_t root_nodes;	    /* nodes begun directly in the root mapping */
	int files_depth;	    /* depth inside the files list, or 0 */
	int value_is_files;	    /* the next root node is files' value */
} scan;

/* A node begins (scalar, alias or collection start) at the current depth. */
static void node_begins(scan *s, const yaml_event_t *e, int is_block_seq)
{
	if (s->depth != 1)
		return;
	if (s->value_is_files) {
		s->w.files = is_block_seq ? 1 : -1;
		s->w.column = e->start_mark.column;
		s->files_depth = is_block_seq ? 2 : 0;
		s->value_is_files = 0;
	} else if (s->root_nodes % 2 == 0 && e->type == YAML_SCALAR_EVENT &&
		   !strcmp((const char *)e->data.scalar.value, "files")) {
		s->value_is_files = 1;
	}
	s->root_nodes++;
}

static int open_collection(scan *s, const yaml_event_t *e, int flow)
{
	int block_seq = e->type == YAML_SEQUENCE_START_EVENT && !flow;

	if (s->depth == 0) {
		s->w.root = e->type == YAML_MAPPING_START_EVENT && !flow ? 1 : -1;
		s->w.root_column = e->start_mark.column;
	}
	node_begins(s, e, block_seq);
	if (s->depth == MAX_DEPTH)
		return -1;
	s->flow[s->depth++] = flow;
	return 0;
}

static void close_collection(scan *s, const yaml_event_t *e)
{
	s->depth--;
	if (s->files_depth && s->depth >= s->files_depth && s->flow[s->depth])
		s->w.end = e->end_mark.index;
	if (s->files_depth && s->depth < s->files_depth)
		s->files_depth = 0;
}

static int step(scan *s, const yaml_event_t *e)
{
	switch (e->type) {
	case YAML_MAPPING_START_EVENT:
		return open_collection(s, e,
				       e->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);
	case YAML_SEQUENCE_START_EVENT:
		return open_collection(s, e,
				       e->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE);
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		close_collection(s, e);
		return 0;
	case YAML_SCALAR_EVENT:
	case YAML_ALIAS_EVENT:
		if (s->depth == 0)
			s->w.root = -1;
		node_begins(s, e, 0);
		if (s->files_depth && s->depth >= s->files_depth)
			s->w.end = e->end_mark.index;
		return 0;
	default:
		return 0;
	}
}

static int locate(const char *text, size_t len, where *w, wt_error *err)
{
	yaml_parser_t p;
	yaml_event_t e;
	scan s = {0};
	int rc = 0, done = 0;

	if (!yaml_parser_initialize(&p))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done && !rc) {
		if (!yaml_parser_parse(&p, &e)) {
			rc = wt_fail_at(err, WT_MALFORMED, (unsigned)p.problem_mark.line + 1,
					(unsigned)p.problem_mark.column + 1, "%s",
					p.problem ? p.problem : "YAML error");
			break;
		}
		done = e.type == YAML_STREAM_END_EVENT || e.type == YAML_DOCUMENT_END_EVENT;
		if (step(&s, &e))
			rc =
			    wt_fail_plain(err, WT_MALFORMED, "nested more than %d deep", MAX_DEPTH);
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	*w = s.w;
	return rc;
}

/* The rule as one list item at column indent, ending in '\n'; malloc'd. */
static char *rule_line(const wt_mrule *r, size_t indent)
{
	char *item, *line;
	size_t skip;

	if (wt_manifest_emit_mrule(r, &item))
		return NULL;
	skip = strspn(item, " ");
	if ((line = malloc(indent + strlen(item + skip) + 2)))
		sprintf(line, "%*s%s\n", (int)indent, "", item + skip);
	free(item);
	return line;
}

/* out = text[0..at) + ins + text[at..len). */
static int splice_text(const char *text, size_t len, size_t at, const char *ins, char **out,
		       size_t *out_len)
{
	size_t n = strlen(ins);

	if (!(*out = malloc(len + n + 1)))
		return -1;
	memcpy(*out, text, at);
	memcpy(*out + at, ins, n);
	memcpy(*out + at + n, text + at, len - at);
	(*out)[len + n] = '\0';
	*out_len = len + n;
	return 0;
}

/* The text to insert and where, for a file whose files list is at w. */
static int insertion(const char *text, size_t len, const where *w, const wt_mrule *r, char **ins,
		     size_t *at, wt_error *err)
{
	const char *nl;
	char *line, *p;
	int lead = len > 0 && text[len - 1] != '\n';
	size_t col = w->root == 1 ? w->root_column : 0;

	if (w->files == -1)
		return wt_fail_plain(
		    err, WT_MALFORMED,
		    "files is not a block list (\"- ...\" lines): cannot add a line");
	if (w->root == -1)
		return wt_fail_plain(err, WT_MALFORMED, "the file is not a block mapping");
	if (!(line = rule_line(r, w->files == 1 ? w->column : col + 2)))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	if (w->files == 1) {
		nl = memchr(text + w->end, '\n', len - w->end);
		*at = nl ? (size_t)(nl - text) + 1 : len;
		lead = !nl;
	} else {
		*at = len;
	}
	p = malloc(strlen(line) + sizeof header + col + 16);
	if (p)
		sprintf(p, "%s%s%*s%s%s", lead ? "\n" : "", w->root == 0 ? header : "",
			w->files == 1 ? 0 : (int)col, "", w->files == 1 ? "" : "files:\n", line);
	free(line);
	*ins = p;
	return p ? 0 : wt_fail_plain(err, WT_NOMEM, "out of memory");
}

static int already(const wt_manifest *m, const wt_mrule *r)
{
	for (size_t i = 0; m && i < m->nfiles; i++) {
		if (!strcmp(m->files[i].pattern, r->pattern) &&
		    !m->files[i].only_new == !r->only_new && !(r->rights & ~m->files[i].rights))
			return 1;
	}
	return 0;
}

static int empty_doc(const where *w)
{
	return w->root == 0;
}

int wt_override_append_rule(const char *text, size_t len, const char *pattern, uint32_t rights,
			    char **out, size_t *out_len, int *added, wt_error *err)
{
	wt_mrule r = {.pattern = pattern, .rights = rights};

	return wt_override_append_mrule(text, len, &r, out, out_len, added, err);
}

int wt_override_append_mrule(const char *text, size_t len, const wt_mrule *r, char **out,
			     size_t *out_len, int *added, wt_error *err)
{
	wt_manifest *before = NULL, *after = NULL;
	char *ins = NULL;
	size_t at = len;
	where w;
	int rc;

	*out = NULL, *added = 0;
	if ((rc = locate(text, len, &w, err)))
		goto fail;
	if (!empty_doc(&w) && (rc = wt_manifest_load_kind(WT_MANIFEST_OVERRIDE, text, len,
							  "override", &before, NULL, NULL, err)))
		goto fail;
	if (already(before, r)) {
		rc = splice_text(text, len, len, "", out, out_len)
			 ? wt_fail_plain(err, WT_NOMEM, "out of memory")
			 : 0;
		goto fail;
	}
	if ((rc = insertion(text, len, &w, r, &ins, &at, err)))
		goto fail;
	if (splice_text(text, len, at, ins, out, out_len)) {
		rc = wt_fail_plain(err, WT_NOMEM, "out of memory");
		goto fail;
	}
	if ((rc = wt_manifest_load_kind(WT_MANIFEST_OVERRIDE, *out, *out_len, "override", &after,
					NULL, NULL, err)))
		goto fail;
	if (after->nfiles != (before ? before->nfiles : 0) + 1 || !already(after, r)) {
		rc = wt_fail_plain(err, WT_INTERNAL,
				   "the added line did not read back as the grant");
		goto fail;
	}
	*added = 1;
fail:
	if (rc) {
		free(*out);
		*out = NULL;
	}
	free(ins);
	wt_manifest_free(before);
	wt_manifest_free(after);
	return rc;
}

int wt_override_add_rule(wt_keeper *k, const char *path, const char *pattern, uint32_t rights,
			 int *added, wt_error *err)
{
	wt_mrule r = {.pattern = pattern, .rights = rights};

	return wt_override_add_mrule(k, path, &r, added, err);
}

int wt_override_add_mrule(wt_keeper *k, const char *path, const wt_mrule *r, int *added,
			  wt_error *err)
{
	char *text = NULL, *out = NULL;
	size_t len, out_len;
	int rc, add = 0, exists;

	if ((rc = wt_keeper_read(k, path, MAX_OVERRIDE, &text, &len, &exists, err)))
		goto fail;
	if ((rc = wt_override_append_mrule(text, len, r, &out, &out_len, &add, err))) {
		wt_error_prefix(err, "%s", path);
		goto fail;
	}
	if (add)
		rc = wt_keeper_replace(k, path, out, out_len, err);
fail:
	if (added)
		*added = add && !rc;
	free(text);
	free(out);
	return rc;
}
