/* escape.h: the one place that makes untrusted text safe to show on a terminal, and the
 * printing functions every message quoting such text goes through (docs/security.md). */
#ifndef WT_ESCAPE_H
#define WT_ESCAPE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Writes s[0..len) (any bytes, NUL included) to out as text that cannot
 * drive a terminal, and returns the length the whole result needs
 * (snprintf-style: out holds min(that, size - 1) bytes plus a NUL when
 * size > 0; the result is never cut inside an escape).
 *
 *   printable ASCII           kept, but `\` becomes `\\`
 *   C0 controls, DEL          `\xNN` (ESC is `\x1b`, newline `\x0a`)
 *   invalid UTF-8             each offending byte as `\xNN` (lone C1 bytes,
 *                             overlong forms, surrogates, > U+10FFFF, cut sequences)
 *   C1 controls U+0080..009F  `\u0085`
 *   bidi and line controls    `\u202e`: U+061C, U+200E/F, U+202A..202E,
 *                             U+2066..2069, U+2028/2029
 *   other valid UTF-8         kept as is
 *
 * An escape uses only `\`, `x`, `u` and hex digits, so the output is
 * printable ASCII plus the kept UTF-8. */
size_t wt_escape_for_terminal(const char *s, size_t len, char *out, size_t size);

/* The same into a new malloc'd string; NULL when out of memory. */
char *wt_escape_for_terminal_dup(const char *s, size_t len);

/* Writes s[0..len) escaped to f (no allocation); returns the columns it
 * takes (one per code point written). */
size_t wt_escape_fwrite(const char *s, size_t len, FILE *f);

/* fprintf for messages that quote untrusted text: the format (the
 * program's own text) is written as it is, and every string argument
 * (%s, %.*s, %-8s ...; %c too) is written escaped, its width counted in
 * columns of the escaped text. Other conversions are fprintf's. Returns
 * 0, or -1 when the format holds a conversion it does not know (%n, %ls):
 * nothing more is written. This, wt_escape_fwrite and the functions
 * above are the only ways guest, journal or manifest text reaches a
 * terminal; tests/lint/check_escape.sh keeps raw %s out of printing code. */
int wt_escape_fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int wt_escape_vfprintf(FILE *f, const char *fmt, va_list ap);

/* The length of the valid multi-byte UTF-8 sequence at s[0..len) and its
 * code point in *cp; 0 when the bytes there are not one (an ASCII byte
 * included; strict: no overlong forms, no surrogates, nothing above
 * U+10FFFF). */
size_t wt_escape_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

#endif
