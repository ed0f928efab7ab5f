/* project_emit.c: wt_project -> canonical YAML through libyaml's document API and emitter. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "grow.h"
#include "project.h"

static const char HEADER[] =
    "# wasi-tofu project: the modules this project runs, the manifest and sha256 pin of\n"
    "# each, and the ceilings no manifest may exceed (docs/project.md).\n";

/* A growing output buffer. */
typedef struct pbuf {
	char *data;
	size_t len, cap;
	int ok;
} pbuf;

static int on_write(void *data, unsigned char *bytes, size_t size)
{
	pbuf *b = data;

	if (WT_GROW(&b->data, &b->cap, b->len + size + 1, 4096))
		return b->ok = 0;
	memcpy(b->data + b->len, bytes, size);
	b->len += size;
	b->data[b->len] = '\0';
	return 1;
}

static int scalar(yaml_document_t *d, const char *s)
{
	return yaml_document_add_scalar(d, NULL, (yaml_char_t *)s, -1, YAML_ANY_SCALAR_STYLE);
}

/* key: value into mapping map (value NULL: nothing); 0 when out of memory. */
static int pair(yaml_document_t *d, int map, const char *key, const char *value)
{
	int k, v;

	if (!value)
		return 1;
	return (k = scalar(d, key)) && (v = scalar(d, value)) &&
	       yaml_document_append_mapping_pair(d, map, k, v);
}

static int module_node(yaml_document_t *d, const wt_pmodule *m)
{
	int map = yaml_document_add_mapping(d, NULL, YAML_BLOCK_MAPPING_STYLE);

	if (!map || !pair(d, map, "path", m->path) || !pair(d, map, "manifest", m->manifest) ||
	    !pair(d, map, "sha256", m->sha256[0] ? m->sha256 : NULL) ||
	    !pair(d, map, "ceiling", m->ceiling))
		return 0;
	return map;
}

static int build(yaml_document_t *d, const wt_project *p)
{
	int root = yaml_document_add_mapping(d, NULL, YAML_BLOCK_MAPPING_STYLE), k, seq;

	if (!root || !pair(d, root, "version", "1") || !pair(d, root, "manifests", p->manifests) ||
	    !pair(d, root, "ceiling", p->ceiling) || !(k = scalar(d, "modules")) ||
	    !(seq = yaml_document_add_sequence(d, NULL, YAML_BLOCK_SEQUENCE_STYLE)) ||
	    !yaml_document_append_mapping_pair(d, root, k, seq))
		return -1;
	for (size_t i = 0; i < p->nmodules; i++) {
		int m = module_node(d, &p->modules[i]);

		if (!m || !yaml_document_append_sequence_item(d, seq, m))
			return -1;
	}
	return 0;
}

int wt_project_emit(const wt_project *p, char **out, size_t *len, wt_error *err)
{
	yaml_document_t doc;
	yaml_emitter_t em;
	pbuf b = {.ok = 1};
	int ok;

	*out = NULL;
	if (!on_write(&b, (unsigned char *)HEADER, sizeof HEADER - 1) ||
	    !yaml_document_initialize(&doc, NULL, NULL, NULL, 1, 1)) {
		free(b.data);
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	}
	ok = build(&doc, p) == 0 && yaml_emitter_initialize(&em);
	if (ok) {
		yaml_emitter_set_output(&em, on_write, &b);
		yaml_emitter_set_unicode(&em, 1);
		yaml_emitter_set_width(&em, -1);
		/* dump takes the document (and deletes it), whatever it returns */
		if (!(ok = yaml_emitter_open(&em)))
			yaml_document_delete(&doc);
		ok = ok && yaml_emitter_dump(&em, &doc) && yaml_emitter_close(&em) && b.ok;
		yaml_emitter_delete(&em);
	} else {
		yaml_document_delete(&doc);
	}
	if (!ok) {
		free(b.data);
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	}
	*out = b.data;
	*len = b.len;
	return 0;
}
