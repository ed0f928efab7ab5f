/* error.h: the tool's status codes and the one error struct (first error wins). */
#ifndef WT_ERROR_H
#define WT_ERROR_H

#include <stddef.h>
#include <stdio.h>

/* X(name, exit status, text). One list makes the enum, the names and the
 * exit statuses (sysexits(3), docs/cli.md). These are the tool's own statuses:
 * never a guest trap, never a WASI errno. */
#define WT_STATUS_LIST(X)                                  \
	X(WT_OK, 0, "ok")                                  \
	X(WT_USAGE, 64, "usage error")                     \
	X(WT_MALFORMED, 65, "malformed")                   \
	X(WT_INVALID, 65, "invalid")                       \
	X(WT_UNLINKABLE, 65, "unlinkable")                 \
	X(WT_NOINPUT, 66, "missing input")                 \
	X(WT_NOMEM, 70, "out of memory")                   \
	X(WT_LIMIT, 70, "limit exceeded")                  \
	X(WT_INTERNAL, 70, "internal error")               \
	X(WT_IO, 74, "i/o error")                          \
	X(WT_DEVIATION, 77, "deviation from the manifest") \
	X(WT_UNAVAILABLE, 70, "unavailable")

typedef enum {
#define WT_X_ENUM(name, exit_status, text) name,
	WT_STATUS_LIST(WT_X_ENUM)
#undef WT_X_ENUM
} wt_status;

/* The longest host path a message quotes (Linux's PATH_MAX), and room for
 * a message that quotes three of them (the changed-module message names the
 * module and the manifest twice) with its own text: an error message is
 * never cut (docs/cli.md). One that would not fit, which no path-bounded
 * message can be, ends in " [cut]" so the cut shows. */
enum { WT_ERROR_PATH_MAX = 4096, WT_ERROR_MSG_MAX = 3 * WT_ERROR_PATH_MAX + 1024 };

/* Where an error happened: a byte offset into a binary input (module), or a
 * line:column in a text input (manifest, journal). line == 0 means "no
 * line"; has_offset == 0 means "no offset". The message never holds the
 * tool's name, the subcommand or the source file: wt_error_print adds them. */
typedef struct wt_error {
	wt_status code;
	int has_offset;
	size_t offset;
	unsigned line, column;
	char msg[WT_ERROR_MSG_MAX];
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

/* Prints err to f as one line, nothing cut, untrusted parts escaped
 * (escape.h): `wasi-tofu: WHO: SOURCE: 0xOFF: msg`, `wasi-tofu: WHO:
 * SOURCE:LINE:COL: msg` or `wasi-tofu: WHO: SOURCE: msg`. who (the
 * subcommand typed) and source (the file the error is in) may be NULL:
 * their part is left out, and the tool's name is never repeated. */
void wt_error_print(FILE *f, const char *who, const char *source, const wt_error *err);

/* Prints the lead every message of the tool starts with: `wasi-tofu: WHO: `
 * (who: the subcommand typed), or `wasi-tofu: ` when who is NULL or empty.
 * wt_error_print starts with it; a caller prints the rest of its line. */
void wt_error_lead(FILE *f, const char *who);

#endif
