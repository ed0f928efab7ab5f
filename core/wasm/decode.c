/* decode.c: bytes -> wt_module: the header, the section sequence and the checks across sections. */
#include <stdlib.h>
#include <string.h>

#include "decode.h"

typedef int (*section_fn)(wt_decoder *d, wt_reader *s, wt_error *err);

/* Section ids 0..12: the name, the position in the required order (custom
 * sections have rank 0 and may appear anywhere) and the reader. */
static const struct {
	const char *name;
	uint8_t rank;
	section_fn read;
} section_table[] = {
    [0] = {"custom", 0, NULL},
    [1] = {"type", 1, wt_decode_types},
    [2] = {"import", 2, wt_decode_imports},
    [3] = {"function", 3, wt_decode_functions},
    [4] = {"table", 4, wt_decode_tables},
    [5] = {"memory", 5, wt_decode_memories},
    [6] = {"global", 6, wt_decode_globals},
    [7] = {"export", 7, wt_decode_exports},
    [8] = {"start", 8, wt_decode_start},
    [9] = {"element", 9, wt_decode_elems},
    [10] = {"code", 11, wt_decode_code},
    [11] = {"data", 12, wt_decode_datas},
    [12] = {"data count", 10, wt_decode_datacount},
};

enum { SECTION_IDS = sizeof section_table / sizeof section_table[0] };

/* Custom sections, collected in a list while reading, then made an array. */
typedef struct custom_node {
	struct custom_node *next;
	wt_custom c;
} custom_node;

static int read_header(wt_reader *r, wt_error *err)
{
	static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6D};
	static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
	if (wt_reader_left(r) < 4)
		return wt_fail(err, WT_MALFORMED, 0, "unexpected end (no magic header)");
	if (memcmp(r->pos, magic, 4) != 0)
		return wt_fail(err, WT_MALFORMED, 0, "magic header not detected");
	r->pos += 4;
	if (wt_reader_left(r) < 4)
		return wt_fail(err, WT_MALFORMED, 4, "unexpected end (no version)");
	if (memcmp(r->pos, version, 4) != 0)
		return wt_fail(err, WT_MALFORMED, 4, "unknown binary version");
	r->pos += 4;
	return 0;
}

/* Reads a custom section's name and records it; remembers the first
 * "name" section for wt_decode_names. */
static int read_custom(wt_decoder *d, wt_reader *s, custom_node **list, wt_error *err)
{
	if (d->m->ncustoms >= WT_MAX_CUSTOMS)
		return wt_fail(err, WT_LIMIT, wt_reader_offset(s), "too many custom sections (%u)",
			       (unsigned)WT_MAX_CUSTOMS);
	custom_node *node = wt_arena_calloc(&d->m->arena, 1, sizeof *node);
	if (!node)
		return wt_fail(err, WT_NOMEM, wt_reader_offset(s), "out of memory");
	if (wt_decode_name_copy(d, s, &node->c.name, &node->c.name_len, err))
		return WT_MALFORMED;
	node->c.offset = (uint32_t)wt_reader_offset(s);
	node->c.size = (uint32_t)wt_reader_left(s);
	node->next = *list;
	*list = node;
	d->m->ncustoms++;
	if (!d->has_names && node->c.name_len == 4 && memcmp(node->c.name, "name", 4) == 0) {
		d->has_names = 1;
		d->names_offset = node->c.offset;
		d->names_size = node->c.size;
	}
	s->pos = s->end;
	return 0;
}

static int collect_customs(wt_module *m, custom_node *list, wt_error *err)
{
	m->customs = wt_arena_calloc(&m->arena, m->ncustoms, sizeof *m->customs);
	if (!m->customs)
		return wt_fail(err, WT_NOMEM, 0, "out of memory");
	for (uint32_t i = m->ncustoms; list; list = list->next)
		m->customs[--i] = list->c;
	return 0;
}

/* Reads one section (id, size, contents) at r. *last_rank is the rank of the
 * last non-custom section read, for the ordering rule. */
static int read_section(wt_decoder *d, wt_reader *r, uint8_t *last_rank, custom_node **customs,
			wt_error *err)
{
	size_t at = wt_reader_offset(r);
	uint8_t id;
	uint32_t size;
	wt_reader s;
	if (wt_read_u8(r, &id, err))
		return WT_MALFORMED;
	if (id >= SECTION_IDS)
		return wt_fail(err, WT_MALFORMED, at, "malformed section id %u", id);
	if (wt_read_u32(r, &size, err))
		return WT_MALFORMED;
	if (size > wt_reader_left(r))
		return wt_fail(err, WT_MALFORMED, at,
			       "length out of bounds: %s section of %u bytes exceeds the module",
			       section_table[id].name, size);
	wt_reader_sub(r, size, &s, err);
	int rc;
	if (id == 0) {
		rc = read_custom(d, &s, customs, err);
	} else {
		if (section_table[id].rank <= *last_rank)
			return wt_fail(err, WT_MALFORMED, at,
				       "unexpected content after last section (%s section out of "
				       "order or repeated)",
				       section_table[id].name);
		*last_rank = section_table[id].rank;
		rc = section_table[id].read(d, &s, err);
	}
	if (!rc && !wt_reader_done(&s))
		rc = wt_fail(err, WT_MALFORMED, wt_reader_offset(&s), "section size mismatch");
	if (rc)
		wt_error_prefix(err, "%s section", section_table[id].name);
	return rc;
}

/* The checks that span sections, once all are read. */
static int finish(wt_decoder *d, size_t end, wt_error *err)
{
	wt_module *m = d->m;
	int rc = wt_decode_spaces(d, err);
	if (rc)
		return rc;
	if (!d->has_code && d->ndefined_funcs != 0)
		return wt_fail(err, WT_MALFORMED, end,
			       "function and code section have inconsistent lengths (%u functions, "
			       "no code section)",
			       d->ndefined_funcs);
	if (!d->has_data && m->has_data_count && m->data_count != 0)
		return wt_fail(err, WT_MALFORMED, end,
			       "data count and data section have inconsistent lengths (count %u, "
			       "no data section)",
			       m->data_count);
	return wt_decode_names(d, err);
}

int wt_decode(const uint8_t *bytes, size_t size, wt_module **out, wt_error *err)
{
	wt_decoder d = {0};
	wt_reader r;
	custom_node *customs = NULL;
	uint8_t last_rank = 0;
	*out = NULL;
	if (size > UINT32_MAX)
		return wt_fail(err, WT_LIMIT, 0, "module of %zu bytes is too large", size);
	d.m = calloc(1, sizeof *d.m);
	if (!d.m)
		return wt_fail(err, WT_NOMEM, 0, "out of memory");
	wt_arena_init(&d.m->arena);
	d.m->bytes = bytes;
	d.m->size = size;
	wt_reader_init(&r, bytes, size);
	int rc = read_header(&r, err);
	while (!rc && !wt_reader_done(&r))
		rc = read_section(&d, &r, &last_rank, &customs, err);
	if (!rc)
		rc = collect_customs(d.m, customs, err);
	if (!rc)
		rc = finish(&d, size, err);
	if (rc)
		goto fail;
	*out = d.m;
	return 0;
fail:
	wt_module_free(d.m);
	return rc;
}
