/* needs.c: one WASI event -> what it needs from a manifest (the table of docs/manifest.md). */
#include "needs.h"

#include <string.h>

#include "manifest.h"
#include "wasi_flags.h"

static const unsigned char call_class[] = {
#define WT_X_CLASS(name, sig, cls) WT_CLASS_##cls,
    WT_WASI_CALL_LIST(WT_X_CLASS)
#undef WT_X_CLASS
};

static void path_needs(const wt_event *ev, wt_need *out)
{
	out->kind = WT_NEED_FILE;
	out->path = ev->path;
	out->path_len = ev->path_len ? ev->path_len : strlen(ev->path);
	out->rights = ev->rights ? ev->rights : WT_RIGHT_STAT;
	if ((ev->call == WT_WASI_path_rename || ev->call == WT_WASI_path_link) && ev->path2) {
		out->path2 = ev->path2;
		out->path2_len = ev->path2_len ? ev->path2_len : strlen(ev->path2);
		out->rights2 = WT_RIGHT_CREATE;
		if (ev->obj_path2)
			out->obj2 = ev->obj_path2, out->obj2_len = ev->obj_path2_len
								       ? ev->obj_path2_len
								       : strlen(ev->obj_path2);
	}
	if (ev->obj_path)
		out->obj = ev->obj_path,
		out->obj_len = ev->obj_path_len ? ev->obj_path_len : strlen(ev->obj_path);
}

/* The stdio stream of an fd call without a path: the event's, or for a
 * journal written before events carried it, the fd's number. */
static uint8_t stdio_of(const wt_event *ev)
{
	if (ev->stdio)
		return ev->stdio;
	return ev->fd >= 0 && ev->fd <= 2 ? (uint8_t)(WT_EV_STDIN + ev->fd) : WT_EV_NOSTDIO;
}

static void fd_needs(const wt_event *ev, wt_need *out)
{
	out->fd = ev->fd;
	if (!ev->rights)
		return;
	if (ev->fd_path) {
		out->kind = WT_NEED_FILE;
		out->path = ev->fd_path;
		out->path_len = strlen(ev->fd_path);
		out->rights = ev->rights;
	} else if (stdio_of(ev) == WT_EV_STDIN && (ev->rights & WT_RIGHT_READ)) {
		out->kind = WT_NEED_STDIO, out->bit = WT_STDIO_STDIN;
	} else if (stdio_of(ev) >= WT_EV_STDOUT && (ev->rights & WT_RIGHT_WRITE)) {
		out->kind = WT_NEED_STDIO;
		out->bit = stdio_of(ev) == WT_EV_STDOUT ? WT_STDIO_STDOUT : WT_STDIO_STDERR;
	}
}

void wt_manifest_needs(const wt_event *ev, wt_need *out)
{
	memset(out, 0, sizeof *out);
	out->fd = ev->fd;
	if ((unsigned)ev->call >= WT_WASI_CALL_COUNT)
		return;
	switch (call_class[ev->call]) {
	case WT_CLASS_PATH:
		if (ev->path)
			path_needs(ev, out);
		break;
	case WT_CLASS_FD:
		fd_needs(ev, out);
		break;
	case WT_CLASS_CLOCK:
		out->kind = WT_NEED_CLOCK;
		out->bit = ev->clock_id < 4 ? 1u << ev->clock_id : 0;
		break;
	case WT_CLASS_POLL:
		if (ev->clock_mask)
			out->kind = WT_NEED_CLOCK, out->bit = ev->clock_mask & 15u;
		break;
	case WT_CLASS_RANDOM:
		out->kind = WT_NEED_RANDOM;
		break;
	case WT_CLASS_PROC:
		if (ev->call == WT_WASI_proc_exit)
			out->kind = WT_NEED_EXIT, out->code = ev->exit_code;
		break;
	case WT_CLASS_SOCK:
		out->kind = WT_NEED_SOCKET;
		break;
	default:
		break;
	}
}

/* 1 when ev's path calls stopped decoding after the first path: the second path (rename,
 * link) or the symlink text never resolved, so the policy was not asked. */
static int second_path_failed(const wt_event *ev)
{
	switch (ev->call) {
	case WT_WASI_path_rename:
	case WT_WASI_path_link:
		return !ev->path2;
	case WT_WASI_path_symlink:
		return !ev->path2 || (ev->path2_len ? ev->path2_len : strlen(ev->path2)) == 0;
	default:
		return 0;
	}
}

/* Errors the gate's decoding gives before the policy is asked. */
static int refused_early(const wt_event *ev)
{
	unsigned e = ev->errno_result;

	if (e == WT_EBADF || e == WT_EFAULT)
		return 1;
	if (call_class[ev->call] == WT_CLASS_FD)
		return e == WT_ENOTCAPABLE; /* the fd lacks the rights */
	if (ev->call == WT_WASI_path_open && e == WT_EINVAL)
		return 1; /* flags the decoder refuses */
	return second_path_failed(ev);
}

const char *wt_manifest_exclusive_path(const wt_event *ev)
{
	const uint32_t excl = WT_OF_CREAT | WT_OF_EXCL;

	switch (ev->call) {
	case WT_WASI_path_create_directory:
	case WT_WASI_path_symlink:
		return ev->path;
	case WT_WASI_path_link:
		return ev->path2;
	case WT_WASI_path_open:
		return (ev->flags & excl) == excl ? ev->path : NULL;
	default:
		return NULL;
	}
}

wt_outcome wt_manifest_outcome(const wt_event *ev)
{
	if ((unsigned)ev->call >= WT_WASI_CALL_COUNT || ev->verdict != WT_ALLOW)
		return WT_OUTCOME_EARLY;
	if (ev->errno_result == 0)
		return WT_OUTCOME_GRANT;
	if (refused_early(ev))
		return WT_OUTCOME_EARLY;
	if (ev->errno_result == WT_ENOENT)
		return WT_OUTCOME_MISSING;
	if (ev->errno_result == WT_EEXIST && wt_manifest_exclusive_path(ev))
		return WT_OUTCOME_EXISTS;
	return WT_OUTCOME_REFUSED;
}
