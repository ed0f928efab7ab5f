/* escape.c: guest text -> terminal-safe text (controls, bidi marks, bad UTF-8 escaped). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* Output with a size limit; need counts every byte the whole result takes. */
typedef struct sink {
	char *out;
	size_t size, need;
} sink;

/* Appends s[0..n) whole or not at all, so an escape is never cut. */
static void emit(sink *k, const char *s, size_t n)
{
	if (k->size && k->need + n < k->size)
		memcpy(k->out + k->need, s, n);
	else if (k->need < k->size)
		k->size =
		    k->need + 1; /* full: nothing more goes in, not even a later short piece */
	k->need += n;
}

size_t wt_escape_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
	size_t n;
	uint32_t c;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0; /* ASCII is handled by the caller; 0x80..0xc1 never lead */
	n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	if (n > len)
		return 0;
	c = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* 1 for the code points shown as \uXXXX: C1 controls and the marks that
 * reorder or break lines (bidi embeddings, overrides, isolates, LRM/RLM/ALM). */
static int needs_u_escape(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
	       (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

size_t wt_escape_for_terminal(const char *s, size_t len, char *out, size_t size)
{
	sink k = {.out = out, .size = size};
	const unsigned char *u = (const unsigned char *)s;
	char esc[16];

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n;

		if (u[i] == '\\') {
			emit(&k, "\\\\", 2), i++;
		} else if (u[i] >= 0x20 && u[i] < 0x7f) {
			emit(&k, s + i, 1), i++;
		} else if (u[i] < 0x80 || !(n = wt_escape_utf8_decode(u + i, len - i, &cp))) {
			snprintf(esc, sizeof esc, "\\x%02x", u[i]);
			emit(&k, esc, 4), i++;
		} else if (needs_u_escape(cp)) {
			snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
			emit(&k, esc, 6), i += n;
		} else {
			emit(&k, s + i, n), i += n;
		}
	}
	if (size)
		out[k.need < k.size ? k.need : k.size - 1] = '\0';
	return k.need;
}

char *wt_escape_for_terminal_dup(const char *s, size_t len)
{
	size_t need = wt_escape_for_terminal(s, len, NULL, 0);
	char *out = malloc(need + 1);

	if (out)
		wt_escape_for_terminal(s, len, out, need + 1);
	return out;
}
