/* reader.h: the bounded reader every untrusted byte goes through (LEB128 rules included). */
#ifndef WT_READER_H
#define WT_READER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* A window [pos, end) over borrowed bytes; base is the start of the whole
 * input, so every error carries an absolute byte offset. */
typedef struct wt_reader {
	const uint8_t *base;
	const uint8_t *pos;
	const uint8_t *end;
} wt_reader;

static inline void wt_reader_init(wt_reader *r, const uint8_t *bytes, size_t len)
{
	r->base = bytes;
	r->pos = bytes;
	r->end = bytes + len;
}

static inline size_t wt_reader_offset(const wt_reader *r)
{
	return (size_t)(r->pos - r->base);
}

static inline size_t wt_reader_left(const wt_reader *r)
{
	return (size_t)(r->end - r->pos);
}

static inline int wt_reader_done(const wt_reader *r)
{
	return r->pos >= r->end;
}

/* Each returns 0 or WT_MALFORMED (recorded in err with the offset). LEB128
 * readers enforce the maximum encoded length (ceil(N/7) bytes) and that the
 * unused bits of the last byte are zero (unsigned) or sign copies (signed). */
int wt_read_u8(wt_reader *r, uint8_t *out, wt_error *err);
int wt_read_u32(wt_reader *r, uint32_t *out, wt_error *err);
int wt_read_s32(wt_reader *r, int32_t *out, wt_error *err);
int wt_read_s33(wt_reader *r, int64_t *out, wt_error *err);
int wt_read_s64(wt_reader *r, int64_t *out, wt_error *err);
int wt_read_u64(wt_reader *r, uint64_t *out, wt_error *err);
int wt_read_f32(wt_reader *r, uint32_t *bits, wt_error *err);
int wt_read_f64(wt_reader *r, uint64_t *bits, wt_error *err);

/* Borrows n bytes: *out points into the input. */
int wt_read_bytes(wt_reader *r, size_t n, const uint8_t **out, wt_error *err);

/* A name: u32 length + UTF-8 bytes (validated). Borrowed, not terminated. */
int wt_read_name(wt_reader *r, const uint8_t **out, uint32_t *len, wt_error *err);

/* 1 when [s, s+n) is well-formed UTF-8 (no overlongs, no surrogates). */
int wt_utf8_valid(const uint8_t *s, size_t n);

/* Splits off a sub-reader of n bytes (a section or a function body) and
 * advances r past it. */
int wt_reader_sub(wt_reader *r, size_t n, wt_reader *sub, wt_error *err);

#endif
