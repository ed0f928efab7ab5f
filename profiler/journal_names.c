/* journal_names.c: the journal's names (ends, verdicts, errnos, clocks) and its folding rules. */
#include <stdio.h>
#include <string.h>

#include "journal.h"
#include "wasi_abi.h"

static const char *const how_names[] = {
#define WT_X_NAME(name, text) [name] = text,
    WT_JOURNAL_HOW_LIST(WT_X_NAME)
#undef WT_X_NAME
};

static const char *const verdict_names[] = {
    [WT_ALLOW] = "allow", [WT_DENY] = "deny", [WT_HIDE] = "hide", [WT_STOP] = "stop"};

static const char *const clock_names[] = {"realtime", "monotonic", "process_cputime",
					  "thread_cputime"};

const char *wt_journal_how_name(wt_journal_how how)
{
	return (unsigned)how < sizeof how_names / sizeof how_names[0] ? how_names[how] : NULL;
}

const char *wt_journal_verdict_name(wt_verdict v)
{
	return (unsigned)v < sizeof verdict_names / sizeof verdict_names[0] ? verdict_names[v]
									    : NULL;
}

const char *wt_journal_errno_name(unsigned e, char *buf, size_t size)
{
	const char *name = wt_wasi_errno_name(e);

	if (e == WT_ESUCCESS)
		return "success";
	if (!name || strcmp(name, "?") == 0)
		return NULL;
	snprintf(buf, size, "E%s", name);
	return buf;
}

int wt_journal_errno_parse(const char *name, size_t len, uint16_t *out)
{
	if (len == 7 && memcmp(name, "success", 7) == 0) {
		*out = WT_ESUCCESS;
		return 0;
	}
	if (len < 2 || name[0] != 'E')
		return -1;
	for (unsigned e = 1;; e++) { /* the names end at the first errno without one */
		const char *n = wt_wasi_errno_name(e);

		if (strcmp(n, "?") == 0)
			return -1;
		if (strlen(n) == len - 1 && memcmp(n, name + 1, len - 1) == 0) {
			*out = (uint16_t)e;
			return 0;
		}
	}
}

const char *wt_journal_stdio_name(uint8_t stdio)
{
	static const char *const names[] = {"", "stdin", "stdout", "stderr"};

	return stdio < sizeof names / sizeof names[0] ? names[stdio] : "";
}

int wt_journal_stdio_parse(const char *s, size_t n, uint8_t *out)
{
	for (uint8_t i = WT_EV_STDIN; i <= WT_EV_STDERR; i++) {
		const char *name = wt_journal_stdio_name(i);

		if (strlen(name) == n && memcmp(name, s, n) == 0) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

const char *wt_journal_clock_name(uint32_t id)
{
	return id < sizeof clock_names / sizeof clock_names[0] ? clock_names[id] : NULL;
}

int wt_journal_cyclable(wt_wasi_call call)
{
	switch (call) {
	case WT_WASI_fd_read:
	case WT_WASI_fd_write:
	case WT_WASI_fd_pread:
	case WT_WASI_fd_pwrite:
	case WT_WASI_fd_seek:
	case WT_WASI_fd_tell:
	case WT_WASI_fd_readdir:
	case WT_WASI_fd_sync:
	case WT_WASI_fd_datasync:
	case WT_WASI_fd_advise:
	case WT_WASI_fd_filestat_get:
	case WT_WASI_fd_fdstat_get:
	case WT_WASI_sock_recv:
	case WT_WASI_sock_send:
	case WT_WASI_clock_time_get:
	case WT_WASI_clock_res_get:
	case WT_WASI_random_get:
	case WT_WASI_sched_yield:
	case WT_WASI_poll_oneoff:
		return 1;
	default:
		return 0;
	}
}

int wt_journal_foldable(wt_wasi_call call)
{
	static const unsigned char classes[] = {
#define WT_X_CLASS(name, sig, cls) WT_CLASS_##cls,
	    WT_WASI_CALL_LIST(WT_X_CLASS)
#undef WT_X_CLASS
	};

	return wt_journal_cyclable(call) ||
	       ((unsigned)call < WT_WASI_CALL_COUNT && classes[call] == WT_CLASS_PATH);
}

/* Two byte strings (either may be NULL) are equal. */
static int same_bytes(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
	if (!a || !b)
		return a == b;
	return alen == blen && memcmp(a, b, alen) == 0;
}

static int same_cstr(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return a == b || strcmp(a, b) == 0;
}

int wt_journal_same(const wt_event *a, const wt_event *b)
{
	return a->call == b->call && a->fd == b->fd && a->rights == b->rights &&
	       a->flags == b->flags && a->rights_base == b->rights_base &&
	       a->rights_inheriting == b->rights_inheriting && a->clock_id == b->clock_id &&
	       a->new_fd == b->new_fd && a->exit_code == b->exit_code &&
	       a->errno_result == b->errno_result && a->verdict == b->verdict &&
	       a->created == b->created && same_cstr(a->fd_path, b->fd_path) &&
	       same_bytes(a->path, a->path_len, b->path, b->path_len) &&
	       same_bytes(a->path2, a->path2_len, b->path2, b->path2_len) &&
	       same_bytes(a->obj_path, a->obj_path_len, b->obj_path, b->obj_path_len) &&
	       same_bytes(a->obj_path2, a->obj_path2_len, b->obj_path2, b->obj_path2_len) &&
	       a->stdio == b->stdio && a->clock_mask == b->clock_mask;
}
