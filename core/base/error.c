/* error.c: fills and formats the one error struct; first error wins. */
#include "error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"

static const struct {
	const char *name;
	int exit_status;
} status_table[] = {
#define WT_X_ROW(name, exit_status, text) {text, exit_status},
    WT_STATUS_LIST(WT_X_ROW)
#undef WT_X_ROW
};

_Static_assert(WT_ERROR_MSG_MAX >= 3 * WT_ERROR_PATH_MAX + 512,
	       "an error message fits three maximal paths and its text");

/* Not a memset of the whole struct: the message buffer is large, and an
 * error struct is set up on hot paths (table.init). */
void wt_error_init(wt_error *err)
{
	err->code = WT_OK;
	err->has_offset = 0;
	err->offset = 0;
	err->line = err->column = 0;
	err->msg[0] = '\0';
}

/* Marks a message that did not fit (see WT_ERROR_MSG_MAX). */
static void mark_cut(wt_error *err)
{
	static const char cut[] = " [cut]";

	memcpy(err->msg + sizeof err->msg - sizeof cut, cut, sizeof cut);
}

static int record(wt_error *err, wt_status code, const char *fmt, va_list ap)
{
	if (!err || err->code != WT_OK)
		return code;
	err->code = code;
	if (vsnprintf(err->msg, sizeof err->msg, fmt, ap) >= (int)sizeof err->msg)
		mark_cut(err);
	return code;
}

int wt_fail(wt_error *err, wt_status code, size_t offset, const char *fmt, ...)
{
	if (err && err->code == WT_OK) {
		err->has_offset = 1;
		err->offset = offset;
	}
	va_list ap;
	va_start(ap, fmt);
	record(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int wt_fail_at(wt_error *err, wt_status code, unsigned line, unsigned column, const char *fmt, ...)
{
	if (err && err->code == WT_OK) {
		err->line = line;
		err->column = column;
	}
	va_list ap;
	va_start(ap, fmt);
	record(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int wt_fail_plain(wt_error *err, wt_status code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	record(err, code, fmt, ap);
	va_end(ap);
	return code;
}

void wt_error_prefix(wt_error *err, const char *fmt, ...)
{
	if (!err || err->code == WT_OK)
		return;
	char prefix[WT_ERROR_PATH_MAX + 256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	size_t plen = strlen(prefix), cap = sizeof err->msg - 1;
	size_t keep = strlen(err->msg);
	int cut = n >= (int)sizeof prefix;
	if (plen + 2 + keep > cap) {
		keep = cap - plen - 2; /* plen < sizeof prefix < cap - 2 */
		cut = 1;
	}
	memmove(err->msg + plen + 2, err->msg, keep);
	memcpy(err->msg, prefix, plen);
	memcpy(err->msg + plen, ": ", 2);
	err->msg[plen + 2 + keep] = '\0';
	if (cut)
		mark_cut(err);
}

const char *wt_status_name(wt_status code)
{
	if ((unsigned)code >= sizeof status_table / sizeof status_table[0])
		return "unknown status";
	return status_table[code].name;
}

int wt_status_exit(wt_status code)
{
	if ((unsigned)code >= sizeof status_table / sizeof status_table[0])
		return 70;
	return status_table[code].exit_status;
}

void wt_error_format(const wt_error *err, const char *source, char *buf, size_t size)
{
	const char *src = source ? source : "wasi-tofu";
	if (err->has_offset)
		snprintf(buf, size, "%s: 0x%zx: %s", src, err->offset, err->msg);
	else if (err->line)
		snprintf(buf, size, "%s:%u:%u: %s", src, err->line, err->column, err->msg);
	else
		snprintf(buf, size, "%s: %s", src, err->msg);
}

void wt_error_lead(FILE *f, const char *who)
{
	fputs("wasi-tofu: ", f);
	if (who && *who)
		wt_escape_fprintf(f, "%s: ", who);
}

void wt_error_print(FILE *f, const char *who, const char *source, const wt_error *err)
{
	wt_error_lead(f, who);
	if (source && err->has_offset)
		wt_escape_fprintf(f, "%s: 0x%zx: ", source, err->offset);
	else if (source && err->line)
		wt_escape_fprintf(f, "%s:%u:%u: ", source, err->line, err->column);
	else if (source)
		wt_escape_fprintf(f, "%s: ", source);
	else if (err->has_offset)
		fprintf(f, "0x%zx: ", err->offset);
	wt_escape_fprintf(f, "%s\n", err->msg);
}
