/* path.c: canonical guest paths: validate, join with a base, normalise, map to a mount. */
#include "path.h"

#include <string.h>

#include "wasi_abi.h"

/* The length of the UTF-8 sequence at s[0..n), or 0 when it is invalid. */
static size_t utf8_seq(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];
	size_t len;
	uint32_t cp, min;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, cp = c & 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, cp = c & 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

int wt_path_utf8_ok(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t k = utf8_seq(s + i, n - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* Removes the last component of the canonical out[0..*len); "/" stays. */
static void pop_component(char *out, size_t *len)
{
	size_t i = *len;

	while (i > 1 && out[i - 1] != '/')
		i--;
	*len = i > 1 ? i - 1 : 1;
	out[*len] = '\0';
}

/* Appends "/" + c[0..n) to out[0..*len). Returns 0 or ENAMETOOLONG. */
static int push_component(char *out, size_t *len, size_t cap, const uint8_t *c, size_t n)
{
	size_t sep = *len > 1 ? 1 : 0;

	if (*len + sep + n + 1 > cap)
		return WT_ENAMETOOLONG;
	if (sep)
		out[(*len)++] = '/';
	memcpy(out + *len, c, n);
	*len += n;
	out[*len] = '\0';
	return 0;
}

int wt_path_join(const char *base, size_t base_len, const uint8_t *p, size_t n, int abs_ok,
		 char *out, size_t cap, size_t *out_len)
{
	size_t len, i = 0;

	if (n && memchr(p, 0, n))
		return WT_EINVAL;
	if (!wt_path_utf8_ok(p, n))
		return WT_EILSEQ;
	if (n == 0)
		return WT_ENOENT;
	if (p[0] == '/' && !abs_ok)
		return WT_ENOTCAPABLE;
	if (p[0] == '/')
		base = "/", base_len = 1;
	if (cap > WT_PATH_MAX + 1)
		cap = WT_PATH_MAX + 1;
	if (base_len + 1 > cap)
		return WT_ENAMETOOLONG;
	memcpy(out, base, base_len);
	len = base_len;
	out[len] = '\0';
	while (i < n) {
		size_t start, clen;
		int rc;

		while (i < n && p[i] == '/')
			i++;
		start = i;
		while (i < n && p[i] != '/')
			i++;
		clen = i - start;
		if (clen == 0 || (clen == 1 && p[start] == '.'))
			continue;
		if (clen == 2 && p[start] == '.' && p[start + 1] == '.') {
			pop_component(out, &len);
			continue;
		}
		if ((rc = push_component(out, &len, cap, p + start, clen)))
			return rc;
	}
	*out_len = len;
	return 0;
}

int wt_path_stays_below(const uint8_t *p, size_t n)
{
	long depth = 0;

	for (size_t i = 0; i < n;) {
		size_t start;

		while (i < n && p[i] == '/')
			i++;
		start = i;
		while (i < n && p[i] != '/')
			i++;
		if (i - start == 2 && p[start] == '.' && p[start + 1] == '.')
			depth--;
		else if (i > start && !(i - start == 1 && p[start] == '.'))
			depth++;
		if (depth < 0)
			return 0;
	}
	return 1;
}

int wt_path_within(const char *prefix, size_t plen, const char *path, size_t len)
{
	if (plen == 1 && prefix[0] == '/')
		return 1;
	if (len < plen || memcmp(prefix, path, plen) != 0)
		return 0;
	return len == plen || path[plen] == '/';
}

size_t wt_path_rel_offset(size_t plen, size_t len)
{
	if (plen == 1)
		return len > 1 ? 1 : len;
	return len > plen ? plen + 1 : len;
}

void wt_path_rest_init(wt_path_rest *r, const char *p, size_t len)
{
	memcpy(r->buf, p, len);
	r->buf[len] = '\0';
	r->pos = 0;
	r->len = len;
	r->links = 0;
}

size_t wt_path_rest_next(wt_path_rest *r, const char **name, int *last)
{
	size_t start, end;

	while (r->pos < r->len && r->buf[r->pos] == '/')
		r->pos++;
	start = r->pos;
	while (r->pos < r->len && r->buf[r->pos] != '/')
		r->pos++;
	end = r->pos;
	while (r->pos < r->len && r->buf[r->pos] == '/')
		r->pos++;
	*name = r->buf + start;
	*last = r->pos >= r->len;
	return end - start;
}

int wt_path_splice(wt_path_rest *r, const char *text)
{
	size_t n = strlen(text), rest = r->len - r->pos;

	if (++r->links > WT_PATH_MAX_LINKS)
		return WT_ELOOP;
	if (n == 0)
		return WT_ENOENT;
	if (text[0] == '/')
		return WT_ENOTCAPABLE;
	if (n + 1 + rest > sizeof r->buf - 1)
		return WT_ENAMETOOLONG;
	memmove(r->buf + n + 1, r->buf + r->pos, rest);
	memcpy(r->buf, text, n);
	r->buf[n] = '/';
	r->pos = 0;
	r->len = n + 1 + rest;
	r->buf[r->len] = '\0';
	return 0;
}
