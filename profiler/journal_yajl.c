/* journal_yajl.c: reads call and cycle lines with yajl's streaming parser, one handle for many
 * lines. */
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "journal_json.h"
#include "path.h"

/* The keys of a call line and of a cycle line (journal_json.c writes them; order is free here). */
#define WT_YAJL_KEY_LIST(X)                                   \
	X(K_SEQ, "seq")                                       \
	X(K_T, "t")                                           \
	X(K_CALL, "call")                                     \
	X(K_COUNT, "count")                                   \
	X(K_FD, "fd")                                         \
	X(K_FD_PATH, "fd_path")                               \
	X(K_PATH, "path")                                     \
	X(K_PATH2, "path2")                                   \
	X(K_OBJECT, "object")                                 \
	X(K_OBJECT2, "object2")                               \
	X(K_STDIO, "stdio")                                   \
	X(K_RIGHTS, "rights")                                 \
	X(K_RIGHTS_OTHER, "rights_other")                     \
	X(K_FLAGS, "flags")                                   \
	X(K_WASI_RIGHTS, "wasi_rights")                       \
	X(K_WASI_RIGHTS_INHERITING, "wasi_rights_inheriting") \
	X(K_CLOCK, "clock")                                   \
	X(K_SIZE, "size")                                     \
	X(K_DONE, "done")                                     \
	X(K_NEW_FD, "new_fd")                                 \
	X(K_CREATED, "created")                               \
	X(K_EXIT_CODE, "exit_code")                           \
	X(K_ERRNO, "errno")                                   \
	X(K_VERDICT, "verdict")                               \
	X(K_CYCLE, "cycle")

typedef enum {
#define WT_X_ENUM(name, text) name,
	WT_YAJL_KEY_LIST(WT_X_ENUM)
#undef WT_X_ENUM
	    K_NKEYS
} call_key;

static const struct {
	const char *name;
	size_t len;
} key_names[] = {
#define WT_X_NAME(name, text) {text, sizeof text - 1},
    WT_YAJL_KEY_LIST(WT_X_NAME)
#undef WT_X_NAME
};

#define WT_YAJL_BIT(k) (1u << (k))
/* A call says what it is and what it got; a line says where it is. */
#define WT_YAJL_CALL_NEEDS (WT_YAJL_BIT(K_CALL) | WT_YAJL_BIT(K_ERRNO) | WT_YAJL_BIT(K_VERDICT))
#define WT_YAJL_REQUIRED (WT_YAJL_BIT(K_SEQ) | WT_YAJL_CALL_NEEDS)
/* The keys of a cycle line itself, and those its calls may not have. */
#define WT_YAJL_CYCLE_LINE \
	(WT_YAJL_BIT(K_SEQ) | WT_YAJL_BIT(K_T) | WT_YAJL_BIT(K_COUNT) | WT_YAJL_BIT(K_CYCLE))
#define WT_YAJL_NOT_IN_CYCLE (WT_YAJL_CYCLE_LINE | WT_YAJL_BIT(K_PATH) | WT_YAJL_BIT(K_PATH2))

/* The reader: yajl's handle (NULL until needed, and after a line that left
 * it mid-value) and the line being read. ok drops to 0 at the first thing
 * this reader does not take; then jansson reads the line instead.
 *
 *   depth 1  the line's object: fields go to out[0] ("seq", "t", "count"
 *            of a cycle line too)
 *   depth 2  an array of it: "rights", or "cycle"
 *   depth 3  a call of "cycle": fields go to cyc[ncyc - 1]
 *   depth 4  that call's "rights" */
struct wt_journal_yajl {
	yajl_handle h;
	wt_journal_call *out;
	wt_journal_call *cur; /* where the fields go: out, or the cycle's call */
	wt_journal_call cyc[WT_JOURNAL_CYCLE_MAX];
	unsigned ncyc;
	wt_arena *a;
	unsigned seen;			      /* the line's keys met, 1 << call_key */
	unsigned cseen[WT_JOURNAL_CYCLE_MAX]; /* each cycle call's */
	int key;			      /* the key whose value comes next; -1: none */
	int depth;
	int ok, closed; /* closed: the line's object has ended */
	size_t end;	/* where it ended (bytes into the line) */
};

static int reject(wt_journal_yajl *y)
{
	y->ok = 0;
	return 1; /* keep parsing, so the handle stays in step for the next line */
}

/* 1 when the value now read is a field's (the line's or a cycle call's), not inside an array. */
static int at_field(wt_journal_yajl *y)
{
	return y->ok && !y->closed && (y->depth == 1 || y->depth == 3) && y->key >= 0;
}

static int on_null(void *ctx)
{
	return reject(ctx);
}

static int on_double(void *ctx, double v)
{
	(void)v;
	return reject(ctx);
}

static int on_boolean(void *ctx, int v)
{
	wt_journal_yajl *y = ctx;

	if (!at_field(y) || y->key != K_CREATED)
		return reject(y);
	y->cur->ev.created = (uint8_t)(v != 0);
	return 1;
}

/* An integer field, with the range the jansson path (journal_parse.c) takes. */
static int set_integer(wt_journal_yajl *y, long long v)
{
	wt_event *ev = &y->cur->ev;
	int i32 = v >= INT32_MIN && v <= INT32_MAX, u32 = v >= 0 && v <= UINT32_MAX;

	switch (y->key) {
	case K_SEQ:
		ev->seq = (uint64_t)v;
		return v >= 0;
	case K_T:
		ev->time_ns = (uint64_t)v;
		return v >= 0;
	case K_COUNT:
		y->cur->count = (uint64_t)v;
		return v >= 0;
	case K_FD:
		ev->fd = (int32_t)v;
		return i32;
	case K_RIGHTS_OTHER:
		ev->rights |= (uint32_t)v;
		return u32;
	case K_FLAGS:
		ev->flags = (uint32_t)v;
		return u32;
	case K_WASI_RIGHTS:
		ev->rights_base = (uint64_t)v;
		return v >= 0;
	case K_WASI_RIGHTS_INHERITING:
		ev->rights_inheriting = (uint64_t)v;
		return v >= 0;
	case K_CLOCK:
		ev->clock_id = (uint32_t)v;
		return u32;
	case K_SIZE:
		ev->size = (uint64_t)v;
		return v >= 0;
	case K_DONE:
		ev->done = (uint64_t)v;
		return v >= 0;
	case K_NEW_FD:
		ev->new_fd = (int32_t)v;
		return i32;
	case K_EXIT_CODE:
		ev->exit_code = (int32_t)v;
		return i32;
	case K_ERRNO:
		ev->errno_result = (uint16_t)v;
		return v >= 0 && v <= UINT16_MAX;
	default:
		return 0;
	}
}

static int on_integer(void *ctx, long long v)
{
	wt_journal_yajl *y = ctx;

	if (!at_field(y) || !set_integer(y, v))
		return reject(y);
	return 1;
}

static int name_is(const unsigned char *s, size_t n, const char *name)
{
	return name && n && name[0] == s[0] && strncmp(name, (const char *)s, n) == 0 &&
	       name[n] == '\0';
}

static int set_call(wt_journal_yajl *y, const unsigned char *s, size_t n)
{
	for (int k = 0; k < WT_WASI_CALL_COUNT; k++) {
		if (name_is(s, n, wt_wasi_call_name((wt_wasi_call)k))) {
			y->cur->ev.call = (wt_wasi_call)k;
			return 1;
		}
	}
	return 0;
}

static int set_clock(wt_journal_yajl *y, const unsigned char *s, size_t n)
{
	for (uint32_t id = 0; wt_journal_clock_name(id); id++) {
		if (name_is(s, n, wt_journal_clock_name(id))) {
			y->cur->ev.clock_id = id;
			return 1;
		}
	}
	return 0;
}

static int set_verdict(wt_journal_yajl *y, const unsigned char *s, size_t n)
{
	for (int k = WT_ALLOW; k <= WT_STOP; k++) {
		if (name_is(s, n, wt_journal_verdict_name((wt_verdict)k))) {
			y->cur->ev.verdict = (wt_verdict)k;
			return 1;
		}
	}
	return 0;
}

/* One element of "rights": a right's name. */
static int add_right(wt_journal_yajl *y, const unsigned char *s, size_t n)
{
	static const char *const names[] = {
#define WT_X_NAME(name, bit, text) [bit] = text,
	    WT_RIGHT_LIST(WT_X_NAME)
#undef WT_X_NAME
	};

	for (unsigned bit = 0; bit < sizeof names / sizeof names[0]; bit++) {
		if (name_is(s, n, names[bit])) {
			y->cur->ev.rights |= 1u << bit;
			return 1;
		}
	}
	return 0;
}

/* A path into the arena (the line's strings hold no NUL: see wt_journal_yajl_call);
 * a longer one than the engine makes is left to jansson's reader, which says so. */
static int set_path(wt_journal_yajl *y, const unsigned char *s, size_t n, const char **out,
		    uint32_t *len)
{
	if (n > WT_PATH_MAX || !(*out = wt_arena_strndup(y->a, s, n)))
		return 0;
	if (len)
		*len = (uint32_t)n;
	return 1;
}

static int set_string(wt_journal_yajl *y, const unsigned char *s, size_t n)
{
	wt_event *ev = &y->cur->ev;

	switch (y->key) {
	case K_CALL:
		return set_call(y, s, n);
	case K_FD_PATH:
		return set_path(y, s, n, &ev->fd_path, NULL);
	case K_PATH:
		return set_path(y, s, n, &ev->path, &ev->path_len);
	case K_PATH2:
		return set_path(y, s, n, &ev->path2, &ev->path2_len);
	case K_OBJECT:
		return set_path(y, s, n, &ev->obj_path, &ev->obj_path_len);
	case K_OBJECT2:
		return set_path(y, s, n, &ev->obj_path2, &ev->obj_path2_len);
	case K_STDIO:
		return wt_journal_stdio_parse((const char *)s, n, &ev->stdio) == 0;
	case K_CLOCK:
		return set_clock(y, s, n);
	case K_ERRNO:
		return wt_journal_errno_parse((const char *)s, n, &ev->errno_result) == 0;
	case K_VERDICT:
		return set_verdict(y, s, n);
	default:
		return 0;
	}
}

static int on_string(void *ctx, const unsigned char *s, size_t n)
{
	wt_journal_yajl *y = ctx;

	if (y->ok && !y->closed && (y->depth == 2 || y->depth == 4) && y->key == K_RIGHTS)
		return add_right(y, s, n) ? 1 : reject(y);
	if (!at_field(y) || !set_string(y, s, n))
		return reject(y);
	return 1;
}

/* The key named s[0..n), or -1. */
static int find_key(const unsigned char *s, size_t n)
{
	for (int k = 0; k < K_NKEYS; k++)
		if (n == key_names[k].len && memcmp(s, key_names[k].name, n) == 0)
			return k;
	return -1;
}

/* A key of the line's object or of a cycle's call: known, not met before in
 * that object (jansson is asked to reject duplicates), and in a call of a
 * cycle one a call of a cycle may have. */
static int on_map_key(void *ctx, const unsigned char *s, size_t n)
{
	wt_journal_yajl *y = ctx;
	int k = find_key(s, n);
	unsigned *seen;

	y->key = -1;
	if (!y->ok || k < 0 || (y->depth != 1 && y->depth != 3))
		return reject(y);
	seen = y->depth == 1 ? &y->seen : &y->cseen[y->ncyc - 1];
	if ((*seen & WT_YAJL_BIT(k)) || (y->depth == 3 && (WT_YAJL_NOT_IN_CYCLE & WT_YAJL_BIT(k))))
		return reject(y);
	*seen |= WT_YAJL_BIT(k);
	y->key = k;
	return 1;
}

/* The line's object, or a call of its "cycle". */
static int on_start_map(void *ctx)
{
	wt_journal_yajl *y = ctx;
	int depth = y->depth++;

	if (depth == 0 && !y->closed)
		return 1;
	if (depth != 2 || y->key != K_CYCLE || y->ncyc == WT_JOURNAL_CYCLE_MAX)
		return reject(y);
	y->cur = &y->cyc[y->ncyc];
	y->cseen[y->ncyc++] = 0;
	wt_journal_call_defaults(y->cur);
	y->key = -1;
	return 1;
}

static int on_end_map(void *ctx)
{
	wt_journal_yajl *y = ctx;

	if (--y->depth == 0 && !y->closed) {
		y->closed = 1;
		y->end = yajl_get_bytes_consumed(y->h);
	}
	if (y->depth == 2) { /* a call of the cycle ended: the next comes, or the array ends */
		y->cur = y->out;
		y->key = K_CYCLE;
	}
	return 1;
}

/* "rights" of the line or of a cycle's call, and the line's "cycle". */
static int on_start_array(void *ctx)
{
	wt_journal_yajl *y = ctx;
	int depth = y->depth++;

	if ((depth == 1 && (y->key == K_RIGHTS || y->key == K_CYCLE)) ||
	    (depth == 3 && y->key == K_RIGHTS))
		return 1;
	return reject(y);
}

static int on_end_array(void *ctx)
{
	wt_journal_yajl *y = ctx;

	y->depth--;
	y->key = -1;
	return 1;
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_integer = on_integer,
    .yajl_double = on_double,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = on_end_map,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end_array,
};

wt_journal_yajl *wt_journal_yajl_new(void)
{
	return calloc(1, sizeof(wt_journal_yajl));
}

void wt_journal_yajl_free(wt_journal_yajl *y)
{
	if (!y)
		return;
	if (y->h)
		yajl_free(y->h);
	free(y);
}

/* Bytes on which yajl and jansson differ, left to jansson: '\\' (escapes:
 * yajl turns a lone surrogate into '?' and takes \u0000, jansson rejects
 * both), '\f' and '\v' (whitespace to yajl, not to JSON), and every byte
 * above 0x7f (yajl's UTF-8 check lets overlong forms and surrogates by). */
static int leave_to_jansson(const char *line, size_t len)
{
#define WT_HIGH16(x)                                                                           \
	[x] = 1, [x + 1] = 1, [x + 2] = 1, [x + 3] = 1, [x + 4] = 1, [x + 5] = 1, [x + 6] = 1, \
	[x + 7] = 1, [x + 8] = 1, [x + 9] = 1, [x + 10] = 1, [x + 11] = 1, [x + 12] = 1,       \
	[x + 13] = 1, [x + 14] = 1, [x + 15] = 1
	static const unsigned char bad[256] = {
	    ['\\'] = 1,	     ['\f'] = 1,      ['\v'] = 1,      WT_HIGH16(0x80),
	    WT_HIGH16(0x90), WT_HIGH16(0xa0), WT_HIGH16(0xb0), WT_HIGH16(0xc0),
	    WT_HIGH16(0xd0), WT_HIGH16(0xe0), WT_HIGH16(0xf0),
	};
#undef WT_HIGH16
	unsigned any = 0;

	for (size_t i = 0; i < len; i++) /* no early exit: one load and one or a byte */
		any |= bad[(unsigned char)line[i]];
	return any != 0;
}

/* Only JSON whitespace after the object. */
static int blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

static void start_line(wt_journal_yajl *y, wt_journal_call *out, wt_arena *a)
{
	wt_journal_call_defaults(out);
	y->out = y->cur = out;
	y->ncyc = 0;
	y->a = a;
	y->seen = 0;
	y->key = -1;
	y->depth = 0;
	y->ok = 1;
	y->closed = 0;
	y->end = 0;
}

/* A cycle line read: its calls into out[0 .. ncyc), as the jansson path
 * gives them (journal_parse.c); 0 when it is not one this reader takes. */
static size_t finish_cycle(wt_journal_yajl *y, size_t room)
{
	wt_journal_call line = *y->out;

	if ((y->seen & ~WT_YAJL_CYCLE_LINE) || !(y->seen & WT_YAJL_BIT(K_SEQ)) || line.count == 0 ||
	    y->ncyc < 2 || y->ncyc > room)
		return 0;
	for (unsigned k = 0; k < y->ncyc; k++)
		if ((y->cseen[k] & WT_YAJL_CALL_NEEDS) != WT_YAJL_CALL_NEEDS ||
		    !wt_journal_cyclable(y->cyc[k].ev.call))
			return 0;
	for (unsigned k = 0; k < y->ncyc; k++) {
		y->out[k] = y->cyc[k];
		y->out[k].ev.seq = line.ev.seq + k;
		y->out[k].ev.time_ns = line.ev.time_ns;
		y->out[k].count = line.count;
		y->out[k].cycle = y->ncyc;
		y->out[k].pos = k;
	}
	return y->ncyc;
}

size_t wt_journal_yajl_read(wt_journal_yajl *y, const char *line, size_t len, wt_journal_call *out,
			    size_t room, wt_arena *a)
{
	yajl_status st;
	int whole;

	if (room == 0 || leave_to_jansson(line, len))
		return 0;
	if (!y->h) {
		if (!(y->h = yajl_alloc(&callbacks, NULL, y)))
			return 0;
		yajl_config(y->h, yajl_allow_multiple_values, 1);
		/* Lines with bytes above 0x7f never get here: no UTF-8 to check. */
		yajl_config(y->h, yajl_dont_validate_strings, 1);
	}
	start_line(y, out, a);
	st = yajl_parse(y->h, (const unsigned char *)line, len);
	whole = st == yajl_status_ok && y->closed && blank(line + y->end, len - y->end);
	if (!whole) {
		/* The handle may be mid-value or failed: a fresh one for the next line. */
		yajl_free(y->h);
		y->h = NULL;
	}
	if (!whole || !y->ok)
		return 0;
	if (y->seen & WT_YAJL_BIT(K_CYCLE))
		return finish_cycle(y, room);
	return (y->seen & WT_YAJL_REQUIRED) == WT_YAJL_REQUIRED && out->count != 0;
}

int wt_journal_yajl_call(wt_journal_yajl *y, const char *line, size_t len, wt_journal_call *out,
			 wt_arena *a)
{
	return wt_journal_yajl_read(y, line, len, out, 1, a) == 1;
}
