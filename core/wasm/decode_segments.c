/* decode_segments.c: the element, data count, code and data sections. */
#include "decode.h"

static int nomem(wt_reader *s, wt_error *err)
{
	return wt_fail(err, WT_NOMEM, wt_reader_offset(s), "out of memory");
}

/* Element segment flags (the 8 encodings are the combinations of 3 bits). */
enum {
	ELEM_PASSIVE_OR_DECLARATIVE = 1, /* else active */
	ELEM_EXPLICIT_TABLE = 2,	 /* active: a table index; else declarative */
	ELEM_EXPRS = 4,			 /* items are expressions; else function indices */
};

/* The elemkind byte of the index encodings: 0x00 means funcref. */
static int read_elemkind(wt_reader *s, uint8_t *type, wt_error *err)
{
	size_t at = wt_reader_offset(s);
	uint8_t kind;
	if (wt_read_u8(s, &kind, err))
		return WT_MALFORMED;
	if (kind != 0x00)
		return wt_fail(err, WT_MALFORMED, at, "malformed element kind 0x%02x", kind);
	*type = WT_FUNCREF;
	return 0;
}

static int read_elem_items(wt_decoder *d, wt_reader *s, wt_elem *e, uint32_t flags, wt_error *err)
{
	wt_arena *a = &d->m->arena;
	if (wt_decode_count(s, &e->count, err))
		return WT_MALFORMED;
	if (flags & ELEM_EXPRS) {
		wt_constexpr *items = wt_arena_calloc(a, e->count, sizeof *items);
		if (!items)
			return nomem(s, err);
		for (uint32_t i = 0; i < e->count; i++)
			if (wt_decode_constexpr(s, &items[i], err))
				return WT_MALFORMED;
		e->exprs = items;
	} else {
		uint32_t *items = wt_arena_calloc(a, e->count, sizeof *items);
		if (!items)
			return nomem(s, err);
		for (uint32_t i = 0; i < e->count; i++)
			if (wt_read_u32(s, &items[i], err))
				return WT_MALFORMED;
		e->func_indices = items;
	}
	return 0;
}

static int read_elem(wt_decoder *d, wt_reader *s, wt_elem *e, wt_error *err)
{
	size_t at = wt_reader_offset(s);
	uint32_t flags;
	if (wt_read_u32(s, &flags, err))
		return WT_MALFORMED;
	if (flags > 7)
		return wt_fail(err, WT_MALFORMED, at, "malformed elements segment kind %u", flags);
	e->type = WT_FUNCREF;
	if (flags & ELEM_PASSIVE_OR_DECLARATIVE) {
		e->mode = flags & ELEM_EXPLICIT_TABLE ? WT_SEG_DECLARATIVE : WT_SEG_PASSIVE;
	} else {
		e->mode = WT_SEG_ACTIVE;
		if ((flags & ELEM_EXPLICIT_TABLE) && wt_read_u32(s, &e->table_index, err))
			return WT_MALFORMED;
		if (wt_decode_constexpr(s, &e->offset, err))
			return WT_MALFORMED;
	}
	/* Encodings 0 and 4 imply funcref; the others name the type. */
	if (flags & (ELEM_PASSIVE_OR_DECLARATIVE | ELEM_EXPLICIT_TABLE)) {
		int rc = flags & ELEM_EXPRS ? wt_decode_reftype(s, &e->type, err)
					    : read_elemkind(s, &e->type, err);
		if (rc)
			return rc;
	}
	return read_elem_items(d, s, e, flags, err);
}

int wt_decode_elems(wt_decoder *d, wt_reader *s, wt_error *err)
{
	wt_module *m = d->m;
	if (wt_decode_count(s, &m->nelems, err))
		return WT_MALFORMED;
	m->elems = wt_arena_calloc(&m->arena, m->nelems, sizeof *m->elems);
	m->at.elems = wt_decode_at_array(m, m->nelems);
	if (!m->elems || !m->at.elems)
		return nomem(s, err);
	for (uint32_t i = 0; i < m->nelems; i++) {
		m->at.elems[i] = (uint32_t)wt_reader_offset(s);
		int rc = read_elem(d, s, &m->elems[i], err);
		if (rc) {
			wt_error_prefix(err, "segment %u", i);
			return rc;
		}
	}
	return 0;
}

int wt_decode_datacount(wt_decoder *d, wt_reader *s, wt_error *err)
{
	d->m->has_data_count = 1;
	return wt_read_u32(s, &d->m->data_count, err);
}

/* Reads the local declarations of a body: checks them in a first pass (the
 * declared total may be huge in a few bytes), then expands them. */
static int read_locals(wt_decoder *d, wt_reader *body, wt_func *f, wt_error *err)
{
	uint32_t ndecls, n;
	uint8_t t;
	uint64_t total = 0;
	if (wt_decode_count(body, &ndecls, err))
		return WT_MALFORMED;
	wt_reader decls = *body;
	for (uint32_t i = 0; i < ndecls; i++) {
		size_t at = wt_reader_offset(body);
		if (wt_read_u32(body, &n, err) || wt_decode_valtype(body, &t, err))
			return WT_MALFORMED;
		total += n;
		if (total > WT_MAX_LOCALS)
			return wt_fail(err, WT_MALFORMED, at, "too many locals (more than %u)",
				       (unsigned)WT_MAX_LOCALS);
	}
	d->total_locals += total;
	if (d->total_locals > WT_MAX_MODULE_LOCALS)
		return wt_fail(err, WT_LIMIT, wt_reader_offset(body),
			       "too many locals in the module (more than %u)",
			       (unsigned)WT_MAX_MODULE_LOCALS);
	f->nlocals = (uint32_t)total;
	if (total == 0)
		return 0;
	uint8_t *types = wt_arena_calloc(&d->m->arena, total, 1);
	if (!types)
		return nomem(body, err);
	uint32_t k = 0;
	for (uint32_t i = 0; i < ndecls; i++) {
		wt_read_u32(&decls, &n, err);
		wt_read_u8(&decls, &t, err);
		for (uint32_t j = 0; j < n; j++)
			types[k++] = t;
	}
	f->local_types = types;
	return 0;
}

static int read_body(wt_decoder *d, wt_reader *s, wt_func *f, wt_error *err)
{
	size_t at = wt_reader_offset(s);
	uint32_t size;
	wt_reader body;
	if (wt_read_u32(s, &size, err))
		return WT_MALFORMED;
	if (size > wt_reader_left(s))
		return wt_fail(err, WT_MALFORMED, at,
			       "unexpected end of section or function: body of %u bytes exceeds "
			       "the section",
			       size);
	wt_reader_sub(s, size, &body, err);
	f->body_offset = (uint32_t)wt_reader_offset(&body);
	f->body_size = size;
	int rc = read_locals(d, &body, f, err);
	if (rc)
		return rc;
	f->code_offset = (uint32_t)wt_reader_offset(&body);
	return 0;
}

int wt_decode_code(wt_decoder *d, wt_reader *s, wt_error *err)
{
	wt_module *m = d->m;
	size_t at = wt_reader_offset(s);
	uint32_t n;
	int rc = wt_decode_spaces(d, err);
	if (!rc)
		rc = wt_decode_count(s, &n, err);
	if (rc)
		return rc;
	if (n != d->ndefined_funcs)
		return wt_fail(err, WT_MALFORMED, at,
			       "function and code section have inconsistent lengths (%u and %u)",
			       d->ndefined_funcs, n);
	d->has_code = 1;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t index = m->nfunc_imports + i;
		rc = read_body(d, s, &m->funcs[index], err);
		if (rc) {
			wt_error_prefix(err, "func %u", index);
			return rc;
		}
	}
	return 0;
}

static int read_data(wt_reader *s, wt_data *seg, wt_error *err)
{
	size_t at = wt_reader_offset(s);
	uint32_t flags, size;
	const uint8_t *bytes;
	if (wt_read_u32(s, &flags, err))
		return WT_MALFORMED;
	if (flags > 2)
		return wt_fail(err, WT_MALFORMED, at, "malformed data segment kind %u", flags);
	seg->mode = flags == 1 ? WT_SEG_PASSIVE : WT_SEG_ACTIVE;
	if (flags == 2 && wt_read_u32(s, &seg->memory_index, err))
		return WT_MALFORMED;
	if (flags != 1 && wt_decode_constexpr(s, &seg->offset, err))
		return WT_MALFORMED;
	if (wt_read_u32(s, &size, err))
		return WT_MALFORMED;
	size_t bytes_at = wt_reader_offset(s);
	if (wt_read_bytes(s, size, &bytes, err))
		return WT_MALFORMED;
	seg->bytes_offset = (uint32_t)bytes_at;
	seg->size = size;
	return 0;
}

int wt_decode_datas(wt_decoder *d, wt_reader *s, wt_error *err)
{
	wt_module *m = d->m;
	size_t at = wt_reader_offset(s);
	if (wt_decode_count(s, &m->ndatas, err))
		return WT_MALFORMED;
	if (m->has_data_count && m->ndatas != m->data_count)
		return wt_fail(err, WT_MALFORMED, at,
			       "data count and data section have inconsistent lengths (%u and %u)",
			       m->data_count, m->ndatas);
	d->has_data = 1;
	m->datas = wt_arena_calloc(&m->arena, m->ndatas, sizeof *m->datas);
	m->at.datas = wt_decode_at_array(m, m->ndatas);
	if (!m->datas || !m->at.datas)
		return nomem(s, err);
	for (uint32_t i = 0; i < m->ndatas; i++) {
		m->at.datas[i] = (uint32_t)wt_reader_offset(s);
		if (read_data(s, &m->datas[i], err)) {
			wt_error_prefix(err, "segment %u", i);
			return WT_MALFORMED;
		}
	}
	return 0;
}
