/* escape.c: untrusted text -> terminal-safe text (controls, bidi marks, bad UTF-8 escaped), and
 * the printf that escapes its string arguments. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* Where escaped text goes: a stream (f), or a buffer with a size limit.
 * need counts every byte the whole result takes, cols its code points. */
typedef struct sink {
	FILE *f;
	char *out;
	size_t size, need, cols;
} sink;

/* Appends s[0..n) whole or not at all, so an escape is never cut. */
static void emit(sink *k, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		k->cols += ((unsigned char)s[i] & 0xc0) != 0x80;
	if (k->f)
		fwrite(s, 1, n, k->f);
	else if (k->size && k->need + n < k->size)
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

/* Writes s[0..len) escaped into k. */
static void escape_into(sink *k, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	char esc[16];

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n;

		if (u[i] == '\\') {
			emit(k, "\\\\", 2), i++;
		} else if (u[i] >= 0x20 && u[i] < 0x7f) {
			emit(k, s + i, 1), i++;
		} else if (u[i] < 0x80 || !(n = wt_escape_utf8_decode(u + i, len - i, &cp))) {
			snprintf(esc, sizeof esc, "\\x%02x", u[i]);
			emit(k, esc, 4), i++;
		} else if (needs_u_escape(cp)) {
			snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
			emit(k, esc, 6), i += n;
		} else {
			emit(k, s + i, n), i += n;
		}
	}
}

size_t wt_escape_for_terminal(const char *s, size_t len, char *out, size_t size)
{
	sink k = {.out = out, .size = size};

	escape_into(&k, s, len);
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

size_t wt_escape_fwrite(const char *s, size_t len, FILE *f)
{
	sink k = {.f = f};

	escape_into(&k, s, len);
	return k.cols;
}

/* The columns s[0..len) takes once escaped. */
static size_t escaped_columns(const char *s, size_t len)
{
	sink k = {0};

	escape_into(&k, s, len);
	return k.cols;
}

/* One conversion of a format: its text for fprintf with `*` resolved. */
typedef struct conv {
	char text[48];
	int left, width, prec; /* width and prec: -1 when not given */
	char length[3];	       /* "", "h", "hh", "l", "ll", "z", "j", "t", "L" */
	char type;	       /* d i u o x X f F e E g G a A c s p % */
} conv;

/* A width or precision at *p: digits, or `*` taken from ap; *given is 0
 * when there is none. */
static int number(const char **p, va_list *ap, int *given)
{
	int n = 0;

	*given = 1;
	if (**p == '*') {
		(*p)++;
		n = va_arg(*ap, int);
		return n < -100000 ? -100000 : n > 100000 ? 100000 : n;
	}
	*given = **p >= '0' && **p <= '9';
	for (; **p >= '0' && **p <= '9'; (*p)++)
		n = n < 100000 ? n * 10 + (**p - '0') : n;
	return n;
}

/* The conversion's text for fprintf: %, flags, width, precision, length, type. */
static void conv_text(conv *c, const char *flags)
{
	int n = snprintf(c->text, sizeof c->text, "%%%s%s", flags,
			 c->left && !strchr(flags, '-') ? "-" : "");

	if (c->width >= 0)
		n += snprintf(c->text + n, sizeof c->text - (size_t)n, "%d", c->width);
	if (c->prec >= 0)
		n += snprintf(c->text + n, sizeof c->text - (size_t)n, ".%d", c->prec);
	snprintf(c->text + n, sizeof c->text - (size_t)n, "%s%c", c->length, c->type);
}

/* Parses the conversion after a '%' at *p into c; 0, or -1 when unknown. */
static int parse_conv(const char **p, va_list *ap, conv *c)
{
	char flags[8];
	size_t nf = 0, nl = 0;
	int n, given;

	memset(c, 0, sizeof *c);
	while (**p && strchr("-+ #0", **p) && nf + 1 < sizeof flags)
		flags[nf++] = *(*p)++;
	flags[nf] = '\0';
	c->left = strchr(flags, '-') != NULL;
	n = number(p, ap, &given);
	c->left |= given && n < 0;
	c->width = !given ? -1 : n < 0 ? -n : n;
	c->prec = -1;
	if (**p == '.') {
		(*p)++;
		n = number(p, ap, &given);
		c->prec = n < 0 ? -1 : n;
	}
	while (**p && strchr("hlzjtL", **p) && nl < 2)
		c->length[nl++] = *(*p)++;
	c->type = *(*p)++;
	if (!c->type || !strchr("diuoxXfFeEgGaAcsp%", c->type) || (nl && strchr("csp%", c->type)))
		return -1;
	conv_text(c, flags);
	return 0;
}

/* Writes s[0..len) escaped, padded with spaces to c's width in columns. */
static void put_text(FILE *f, const conv *c, const char *s, size_t len)
{
	size_t cols = c->width > 0 ? escaped_columns(s, len) : 0;
	size_t pad = c->width > 0 && (size_t)c->width > cols ? (size_t)c->width - cols : 0;

	for (size_t i = 0; !c->left && i < pad; i++)
		fputc(' ', f);
	wt_escape_fwrite(s, len, f);
	for (size_t i = 0; c->left && i < pad; i++)
		fputc(' ', f);
}

static void put_signed(FILE *f, const conv *c, va_list *ap)
{
	const char *l = c->length;

	if (!strcmp(l, "ll"))
		fprintf(f, c->text, va_arg(*ap, long long));
	else if (!strcmp(l, "l"))
		fprintf(f, c->text, va_arg(*ap, long));
	else if (!strcmp(l, "z") || !strcmp(l, "t"))
		fprintf(f, c->text, va_arg(*ap, ptrdiff_t));
	else if (!strcmp(l, "j"))
		fprintf(f, c->text, va_arg(*ap, intmax_t));
	else
		fprintf(f, c->text, va_arg(*ap, int));
}

static void put_unsigned(FILE *f, const conv *c, va_list *ap)
{
	const char *l = c->length;

	if (!strcmp(l, "ll"))
		fprintf(f, c->text, va_arg(*ap, unsigned long long));
	else if (!strcmp(l, "l"))
		fprintf(f, c->text, va_arg(*ap, unsigned long));
	else if (!strcmp(l, "z") || !strcmp(l, "t"))
		fprintf(f, c->text, va_arg(*ap, size_t));
	else if (!strcmp(l, "j"))
		fprintf(f, c->text, va_arg(*ap, uintmax_t));
	else
		fprintf(f, c->text, va_arg(*ap, unsigned));
}

/* Writes the argument of one conversion. */
static void put_conv(FILE *f, const conv *c, va_list *ap)
{
	const char *s;
	char ch;

	switch (c->type) {
	case 's':
		s = va_arg(*ap, const char *);
		s = s ? s : "(null)";
		put_text(f, c, s, c->prec >= 0 ? strnlen(s, (size_t)c->prec) : strlen(s));
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_text(f, c, &ch, 1);
		break;
	case '%':
		fputc('%', f);
		break;
	case 'p':
		fprintf(f, c->text, va_arg(*ap, void *));
		break;
	case 'd':
	case 'i':
		put_signed(f, c, ap);
		break;
	default:
		if (!strchr("fFeEgGaA", c->type))
			put_unsigned(f, c, ap);
		else if (strcmp(c->length, "L") == 0)
			fprintf(f, c->text, va_arg(*ap, long double));
		else
			fprintf(f, c->text, va_arg(*ap, double));
		break;
	}
}

int wt_escape_vfprintf(FILE *f, const char *fmt, va_list ap)
{
	va_list args;
	int rc = 0;

	va_copy(args, ap);
	while (*fmt) {
		size_t lit = strcspn(fmt, "%");
		conv c;

		fwrite(fmt, 1, lit, f);
		if (!*(fmt += lit))
			break;
		fmt++;
		if (parse_conv(&fmt, &args, &c)) {
			rc = -1;
			break;
		}
		put_conv(f, &c, &args);
	}
	va_end(args);
	return rc;
}

int wt_escape_fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = wt_escape_vfprintf(f, fmt, ap);
	va_end(ap);
	return rc;
}
