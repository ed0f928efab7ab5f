/* reader.c: bounded reads of untrusted bytes: LEB128 with its length and unused-bit rules, names.
 */
#include "reader.h"

#include <string.h>

static int need(wt_reader *r, size_t n, wt_error *err)
{
	if (wt_reader_left(r) < n)
		return wt_fail(err, WT_MALFORMED, wt_reader_offset(r), "unexpected end");
	return 0;
}

int wt_read_u8(wt_reader *r, uint8_t *out, wt_error *err)
{
	if (need(r, 1, err))
		return WT_MALFORMED;
	*out = *r->pos++;
	return 0;
}

/* Reads an unsigned LEB128 of at most `bits` bits. */
static int read_uleb(wt_reader *r, unsigned bits, uint64_t *out, wt_error *err)
{
	size_t start = wt_reader_offset(r);
	uint64_t value = 0;
	unsigned shift = 0;
	for (;;) {
		if (wt_reader_done(r))
			return wt_fail(err, WT_MALFORMED, start, "unexpected end of LEB128");
		uint8_t b = *r->pos++;
		unsigned left = bits - shift; /* bits still allowed */
		if (left < 7 && (b & 0x7F) >> left)
			return wt_fail(err, WT_MALFORMED, start, "integer too large");
		value |= (uint64_t)(b & 0x7F) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
		if (shift >= bits)
			return wt_fail(err, WT_MALFORMED, start, "integer representation too long");
	}
	*out = value;
	return 0;
}

/* Reads a signed LEB128 of at most `bits` bits. */
static int read_sleb(wt_reader *r, unsigned bits, int64_t *out, wt_error *err)
{
	size_t start = wt_reader_offset(r);
	uint64_t value = 0;
	unsigned shift = 0;
	uint8_t b;
	for (;;) {
		if (wt_reader_done(r))
			return wt_fail(err, WT_MALFORMED, start, "unexpected end of LEB128");
		b = *r->pos++;
		unsigned left = bits - shift;
		if (left < 7) {
			/* The unused bits must all copy the sign bit. */
			int sign = (b >> (left - 1)) & 1;
			uint8_t unused = (uint8_t)((b & 0x7F) >> left);
			uint8_t want = sign ? (uint8_t)(0x7F >> left) : 0;
			if (unused != want)
				return wt_fail(err, WT_MALFORMED, start, "integer too large");
		}
		value |= (uint64_t)(b & 0x7F) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
		if (shift >= bits)
			return wt_fail(err, WT_MALFORMED, start, "integer representation too long");
	}
	if (shift < 64 && (b & 0x40))
		value |= ~(uint64_t)0 << shift;
	*out = (int64_t)value;
	return 0;
}

int wt_read_u32(wt_reader *r, uint32_t *out, wt_error *err)
{
	uint64_t v;
	if (read_uleb(r, 32, &v, err))
		return WT_MALFORMED;
	*out = (uint32_t)v;
	return 0;
}

int wt_read_u64(wt_reader *r, uint64_t *out, wt_error *err)
{
	return read_uleb(r, 64, out, err);
}

int wt_read_s32(wt_reader *r, int32_t *out, wt_error *err)
{
	int64_t v;
	if (read_sleb(r, 32, &v, err))
		return WT_MALFORMED;
	*out = (int32_t)v;
	return 0;
}

int wt_read_s33(wt_reader *r, int64_t *out, wt_error *err)
{
	return read_sleb(r, 33, out, err);
}

int wt_read_s64(wt_reader *r, int64_t *out, wt_error *err)
{
	return read_sleb(r, 64, out, err);
}

int wt_read_f32(wt_reader *r, uint32_t *bits, wt_error *err)
{
	if (need(r, 4, err))
		return WT_MALFORMED;
	const uint8_t *p = r->pos;
	*bits = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	r->pos += 4;
	return 0;
}

int wt_read_f64(wt_reader *r, uint64_t *bits, wt_error *err)
{
	uint32_t lo, hi;
	if (wt_read_f32(r, &lo, err) || wt_read_f32(r, &hi, err))
		return WT_MALFORMED;
	*bits = (uint64_t)hi << 32 | lo;
	return 0;
}

int wt_read_bytes(wt_reader *r, size_t n, const uint8_t **out, wt_error *err)
{
	if (need(r, n, err))
		return WT_MALFORMED;
	*out = r->pos;
	r->pos += n;
	return 0;
}

int wt_utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		unsigned len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
		if (len == 0 || c > 0xF4 || n - i < len)
			return 0;
		for (unsigned k = 1; k < len; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		if (c == 0xE0 && s[i + 1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && s[i + 1] >= 0xA0)
			return 0; /* surrogate */
		if (c == 0xF0 && s[i + 1] < 0x90)
			return 0; /* overlong */
		if (c == 0xF4 && s[i + 1] >= 0x90)
			return 0; /* above U+10FFFF */
		i += len;
	}
	return 1;
}

int wt_read_name(wt_reader *r, const uint8_t **out, uint32_t *len, wt_error *err)
{
	size_t at = wt_reader_offset(r);
	if (wt_read_u32(r, len, err) || wt_read_bytes(r, *len, out, err))
		return WT_MALFORMED;
	if (!wt_utf8_valid(*out, *len))
		return wt_fail(err, WT_MALFORMED, at, "malformed UTF-8 encoding");
	return 0;
}

int wt_reader_sub(wt_reader *r, size_t n, wt_reader *sub, wt_error *err)
{
	if (need(r, n, err))
		return WT_MALFORMED;
	sub->base = r->base;
	sub->pos = r->pos;
	sub->end = r->pos + n;
	r->pos += n;
	return 0;
}
