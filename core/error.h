/* error.h: the tool's status codes and the one error struct (first error wins). */
#ifndef WT_ERROR_H
#define WT_ERROR_H

#include <stddef.h>

/* X(name, exit status, text). One list makes the enum, the names and the
 * exit statuses (sysexits, DESIGN.md). These are the tool's own statuses:
 * never a guest trap, never a WASI errno. */
#define WT_STATUS_LIST(X)                    \
	X(WT_OK, 0, "ok")                    \
	X(WT_USAGE, 64, "usage error")       \
	X(WT_MALFORMED, 65, "malformed")     \
	X(WT_INVALID, 65, "invalid")         \
	X(WT_UNLINKABLE, 65, "unlinkable")   \
	X(WT_NOINPUT, 66, "missing input")   \
	X(WT_NOMEM, 70, "out of memory")     \
	X(WT_LIMIT, 70, "limit exceeded")    \
	X(WT_INTERNAL, 70, "internal error") \
	X(WT_IO, 74, "i/o error")            \
	X(WT_DEVIATION, 77, "deviation from the manifest")

typedef enum {
#define WT_X_ENUM(name, exit_status, text) name,
	WT_STATUS_LIST(WT_X_ENUM)
#undef WT_X_ENUM
} wt_status;

/* Where an error happened: a byte offset into a binary input (module), or a
 * line:column in a text input (manifest, journal). line == 0 means "no
 * line"; has_offset == 0 means "no offset". */
typedef struct wt_error {
	wt_status code;
	int has_offset;
	size_t offset;
	unsigned line, column;
	char msg[320];
} wt_error;

/* Clears err so the next failure is recorded. */
void wt_error_init(wt_error *err);

/* Records the first failure in err (a later one is ignored) and returns
 * code, so a caller can write `return wt_fail(err, WT_MALFORMED, off, ...)`.
 * err may be NULL. */
int wt_fail(wt_error *err, wt_status code, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The same with a line:column location (1-based). */
int wt_fail_at(wt_error *err, wt_status code, unsigned line, unsigned column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The same with no location. */
int wt_fail_plain(wt_error *err, wt_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the recorded message with `prefix: ` (e.g. "code section, func 3"). */
void wt_error_prefix(wt_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The name of a status ("malformed") and its process exit status. */
const char *wt_status_name(wt_status code);
int wt_status_exit(wt_status code);

/* Formats err as `SOURCE: 0xOFF: msg` or `SOURCE:LINE:COL: msg` or
 * `SOURCE: msg` into buf (always terminated). source may be NULL. */
void wt_error_format(const wt_error *err, const char *source, char *buf, size_t size);

#endif
