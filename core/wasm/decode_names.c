/* decode_names.c: the "name" custom section (module and function names); a malformed one is
 * ignored. */
#include "decode.h"

static int read_module_name(wt_decoder *d, wt_reader *sub, wt_error *err)
{
	uint32_t len;
	return wt_decode_name_copy(d, sub, &d->m->name, &len, err);
}

/* A name map: function indices in increasing order, each with a name. */
static int read_func_names(wt_decoder *d, wt_reader *sub, wt_error *err)
{
	wt_module *m = d->m;
	uint32_t n, index, len;
	int64_t last = -1;
	if (wt_decode_count(sub, &n, err))
		return WT_MALFORMED;
	for (uint32_t i = 0; i < n; i++) {
		size_t at = wt_reader_offset(sub);
		if (wt_read_u32(sub, &index, err))
			return WT_MALFORMED;
		if ((int64_t)index <= last || index >= m->nfuncs)
			return wt_fail(err, WT_MALFORMED, at,
				       "function index %u out of order or range", index);
		last = index;
		int rc = wt_decode_name_copy(d, sub, &m->funcs[index].name, &len, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* Subsections: id, size, contents; ids in increasing order, each at most once.
 * Subsections other than the module and function names are skipped. */
static int read_names(wt_decoder *d, wt_reader *s, wt_error *err)
{
	int last = -1;
	while (!wt_reader_done(s)) {
		size_t at = wt_reader_offset(s);
		uint8_t id;
		uint32_t size;
		wt_reader sub;
		if (wt_read_u8(s, &id, err) || wt_read_u32(s, &size, err) ||
		    wt_reader_sub(s, size, &sub, err))
			return WT_MALFORMED;
		if (id <= last)
			return wt_fail(err, WT_MALFORMED, at, "name subsection %u out of order",
				       id);
		last = id;
		int rc = 0;
		if (id == 0)
			rc = read_module_name(d, &sub, err);
		else if (id == 1)
			rc = read_func_names(d, &sub, err);
		else
			sub.pos = sub.end;
		if (rc)
			return rc;
		if (!wt_reader_done(&sub))
			return wt_fail(err, WT_MALFORMED, wt_reader_offset(&sub),
				       "name subsection size mismatch");
	}
	return 0;
}

int wt_decode_names(wt_decoder *d, wt_error *err)
{
	wt_module *m = d->m;
	wt_error ignored;
	wt_reader s;
	if (!d->has_names)
		return 0;
	wt_error_init(&ignored);
	wt_reader_init(&s, m->bytes, m->size);
	s.pos = m->bytes + d->names_offset;
	s.end = s.pos + d->names_size;
	int rc = read_names(d, &s, &ignored);
	if (rc == WT_NOMEM)
		return wt_fail(err, WT_NOMEM, ignored.offset, "out of memory");
	if (rc) {
		m->name = NULL;
		for (uint32_t i = 0; i < m->nfuncs; i++)
			m->funcs[i].name = NULL;
	}
	return 0;
}
