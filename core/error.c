/* error.c: fills and formats the one error struct; first error wins. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int exit_status;
} status_table[] = {
#define WT_X_ROW(name, exit_status, text) {text, exit_status},
    WT_STATUS_LIST(WT_X_ROW)
#undef WT_X_ROW
};

void wt_error_init(wt_error *err)
{
	memset(err, 0, sizeof *err);
}

static int record(wt_error *err, wt_status code, const char *fmt, va_list ap)
{
	if (!err || err->code != WT_OK)
		return code;
	err->code = code;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
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
	char prefix[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	size_t plen = strlen(prefix), cap = sizeof err->msg - 1;
	size_t keep = strlen(err->msg);
	if (plen + 2 + keep > cap)
		keep = cap - plen - 2; /* plen < 160 < cap - 2 */
	memmove(err->msg + plen + 2, err->msg, keep);
	memcpy(err->msg, prefix, plen);
	memcpy(err->msg + plen, ": ", 2);
	err->msg[plen + 2 + keep] = '\0';
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
