/* trap.c: the names of the guest's traps and their one format for people. */
#include <stdio.h>

#include "runtime.h"

static const char *const trap_messages[] = {
#define WT_X_TEXT(name, text) text,
    WT_TRAP_LIST(WT_X_TEXT)
#undef WT_X_TEXT
};

enum { WT_TRAP_KINDS = sizeof trap_messages / sizeof trap_messages[0] };

const char *wt_trap_message(wt_trap_kind kind)
{
	if ((unsigned)kind >= WT_TRAP_KINDS)
		return "unknown trap";
	return trap_messages[kind];
}

/* Appends the function and place of a trap: " in function 3 <fac> at
 * 0x1f2". func_index UINT32_MAX means "no function" (a segment of the
 * instantiation trapped); code_offset 0 means "no place" (no instruction
 * of a module sits at offset 0). */
static void format_place(const wt_trap *trap, char *buf, size_t size)
{
	int n = 0;
	if (trap->func_index != UINT32_MAX) {
		n = snprintf(buf, size, " in function %u", trap->func_index);
		if (trap->func_name && n >= 0 && (size_t)n < size)
			n += snprintf(buf + n, size - (size_t)n, " <%s>", trap->func_name);
	}
	if (trap->code_offset && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " at 0x%x", trap->code_offset);
}

void wt_trap_format(const wt_trap *trap, char *buf, size_t size)
{
	if (!size)
		return;
	int n;
	switch (trap->kind) {
	case WT_TRAP_EXIT:
		snprintf(buf, size, "exit %d", trap->exit_code);
		return;
	case WT_TRAP_HOST:
		snprintf(buf, size, "%.*s", (int)sizeof trap->msg,
			 trap->msg[0] ? trap->msg : wt_trap_message(trap->kind));
		return;
	case WT_TRAP_SIGNAL:
		snprintf(buf, size, "%s: %.*s (proc_raise)", wt_trap_message(trap->kind),
			 (int)sizeof trap->msg, trap->msg);
		return;
	default:
		n = snprintf(buf, size, "%s", wt_trap_message(trap->kind));
		if (n >= 0 && (size_t)n < size)
			format_place(trap, buf + n, size - (size_t)n);
		return;
	}
}
