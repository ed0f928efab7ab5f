/* journal_fast.c: reads a call line in the writer's own compact form without building a JSON
 * tree; every other line (and so every error) is left to jansson (journal_parse.c). */
#include <stdint.h>
#include <string.h>

#include "journal_json.h"

/* The keys of a call line in the order the writer sets them (journal_json.c). */
#define WT_FAST_KEY_LIST(X)                                     \
	X(F_SEQ, "seq")                                         \
	X(F_T, "t")                                             \
	X(F_CALL, "call")                                       \
	X(F_COUNT, "count")                                     \
	X(F_FD, "fd")                                           \
	X(F_FD_PATH, "fd_path")                                 \
	X(F_PATH, "path")                                       \
	X(F_PATH2, "path2")                                     \
	X(F_RIGHTS, "rights")                                   \
	X(F_RIGHTS_OTHER, "rights_other")                       \
	X(F_FLAGS, "flags")                                     \
	X(F_WASI_RIGHTS, "wasi_rights")                         \
	X(F_WASI_RIGHTS_INHERITING, "wasi_rights_inheriting")   \
	X(F_CLOCK, "clock")                                     \
	X(F_SIZE, "size")                                       \
	X(F_DONE, "done")                                       \
	X(F_NEW_FD, "new_fd")                                   \
	X(F_CREATED, "created")                                 \
	X(F_EXIT_CODE, "exit_code")                             \
	X(F_ERRNO, "errno")                                     \
	X(F_VERDICT, "verdict")

typedef enum {
#define WT_X_ENUM(name, text) name,
	WT_FAST_KEY_LIST(WT_X_ENUM)
#undef WT_X_ENUM
	    F_NKEYS
} fast_key;

static const struct {
	const char *name;
	size_t len;
} key_names[] = {
#define WT_X_NAME(name, text) {text, sizeof text - 1},
    WT_FAST_KEY_LIST(WT_X_NAME)
#undef WT_X_NAME
};

/* A string's bytes inside the line (no quotes). */
typedef struct span {
	const char *p;
	size_t n;
} span;

/* The line being read; ok drops to 0 at the first thing this reader does
 * not take (then jansson reads the line instead). */
typedef struct cursor {
	const char *p, *end;
	int ok;
} cursor;

static int eat(cursor *c, char ch)
{
	if (c->ok && c->p < c->end && *c->p == ch) {
		c->p++;
		return 1;
	}
	c->ok = 0;
	return 0;
}

/* A string of printable ASCII without escapes: anything else (escapes,
 * UTF-8, which jansson checks) is jansson's. */
static span get_string(cursor *c)
{
	span s = {NULL, 0};

	if (!eat(c, '"'))
		return s;
	s.p = c->p;
	while (c->p < c->end && *c->p != '"') {
		unsigned char ch = (unsigned char)*c->p;

		if (ch < 0x20 || ch > 0x7e || ch == '\\') {
			c->ok = 0;
			return s;
		}
		c->p++;
	}
	s.n = (size_t)(c->p - s.p);
	eat(c, '"');
	return s;
}

/* A JSON integer of at most 18 digits (well inside json_int_t), with a
 * leading '-' when neg_ok. No leading zeros, no "-0", no fraction. */
static int64_t get_integer(cursor *c, int neg_ok)
{
	int neg = 0, digits = 0;
	int64_t v = 0;

	if (neg_ok && c->p < c->end && *c->p == '-')
		neg = 1, c->p++;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && digits < 18) {
		v = v * 10 + (*c->p++ - '0');
		digits++;
	}
	if (digits == 0 || (c->p < c->end && *c->p >= '0' && *c->p <= '9') ||
	    (digits > 1 && c->p[-digits] == '0') || (neg && v == 0))
		c->ok = 0;
	return neg ? -v : v;
}

static int64_t get_ranged(cursor *c, int64_t lo, int64_t hi)
{
	int64_t v = get_integer(c, lo < 0);

	if (v < lo || v > hi)
		c->ok = 0;
	return v;
}

static int span_is(span s, const char *name)
{
	return s.n && name[0] == s.p[0] && strncmp(name, s.p, s.n) == 0 && name[s.n] == '\0';
}

static void get_call(cursor *c, wt_wasi_call *out)
{
	span s = get_string(c);

	for (int k = 0; c->ok && k < WT_WASI_CALL_COUNT; k++) {
		if (span_is(s, wt_wasi_call_name((wt_wasi_call)k))) {
			*out = (wt_wasi_call)k;
			return;
		}
	}
	c->ok = 0;
}

static void get_rights(cursor *c, uint32_t *out)
{
	static const char *const names[] = {
#define WT_X_NAME(name, bit, text) [bit] = text,
	    WT_RIGHT_LIST(WT_X_NAME)
#undef WT_X_NAME
	};

	if (!eat(c, '[') || (c->p < c->end && *c->p == ']' && eat(c, ']')))
		return;
	do {
		span s = get_string(c);
		unsigned bit = 0;

		while (c->ok && bit < sizeof names / sizeof names[0] &&
		       !(names[bit] && span_is(s, names[bit])))
			bit++;
		if (bit >= sizeof names / sizeof names[0])
			c->ok = 0;
		else
			*out |= 1u << bit;
	} while (c->ok && c->p < c->end && *c->p == ',' && eat(c, ','));
	eat(c, ']');
}

static void get_clock(cursor *c, uint32_t *out)
{
	span s;

	if (c->p < c->end && *c->p != '"') {
		*out = (uint32_t)get_ranged(c, 0, UINT32_MAX);
		return;
	}
	s = get_string(c);
	for (uint32_t id = 0; c->ok && wt_journal_clock_name(id); id++) {
		if (span_is(s, wt_journal_clock_name(id))) {
			*out = id;
			return;
		}
	}
	c->ok = 0;
}

static void get_errno(cursor *c, uint16_t *out)
{
	span s;

	if (c->p < c->end && *c->p != '"') {
		*out = (uint16_t)get_ranged(c, 0, UINT16_MAX);
		return;
	}
	s = get_string(c);
	if (c->ok && wt_journal_errno_parse(s.p, s.n, out))
		c->ok = 0;
}

static void get_verdict(cursor *c, wt_verdict *out)
{
	span s = get_string(c);

	for (int k = WT_ALLOW; c->ok && k <= WT_STOP; k++) {
		if (span_is(s, wt_journal_verdict_name((wt_verdict)k))) {
			*out = (wt_verdict)k;
			return;
		}
	}
	c->ok = 0;
}

static void get_flag(cursor *c, uint8_t *out)
{
	if (c->end - c->p >= 4 && memcmp(c->p, "true", 4) == 0)
		*out = 1, c->p += 4;
	else if (c->end - c->p >= 5 && memcmp(c->p, "false", 5) == 0)
		*out = 0, c->p += 5;
	else
		c->ok = 0;
}

/* The line's paths, copied once the whole line has been read. */
typedef struct paths {
	span fd_path, path, path2;
} paths;

/* The value of one key into the call. */
static void get_value(cursor *c, fast_key k, wt_journal_call *out, paths *ps)
{
	wt_event *ev = &out->ev;

	switch (k) {
	case F_SEQ: ev->seq = (uint64_t)get_integer(c, 0); break;
	case F_T: ev->time_ns = (uint64_t)get_integer(c, 0); break;
	case F_CALL: get_call(c, &ev->call); break;
	case F_COUNT: out->count = (uint64_t)get_integer(c, 0); break;
	case F_FD: ev->fd = (int32_t)get_ranged(c, INT32_MIN, INT32_MAX); break;
	case F_FD_PATH: ps->fd_path = get_string(c); break;
	case F_PATH: ps->path = get_string(c); break;
	case F_PATH2: ps->path2 = get_string(c); break;
	case F_RIGHTS: get_rights(c, &ev->rights); break;
	case F_RIGHTS_OTHER: ev->rights |= (uint32_t)get_ranged(c, 0, UINT32_MAX); break;
	case F_FLAGS: ev->flags = (uint32_t)get_ranged(c, 0, UINT32_MAX); break;
	case F_WASI_RIGHTS: ev->rights_base = (uint64_t)get_integer(c, 0); break;
	case F_WASI_RIGHTS_INHERITING: ev->rights_inheriting = (uint64_t)get_integer(c, 0); break;
	case F_CLOCK: get_clock(c, &ev->clock_id); break;
	case F_SIZE: ev->size = (uint64_t)get_integer(c, 0); break;
	case F_DONE: ev->done = (uint64_t)get_integer(c, 0); break;
	case F_NEW_FD: ev->new_fd = (int32_t)get_ranged(c, INT32_MIN, INT32_MAX); break;
	case F_CREATED: get_flag(c, &ev->created); break;
	case F_EXIT_CODE: ev->exit_code = (int32_t)get_ranged(c, INT32_MIN, INT32_MAX); break;
	case F_ERRNO: get_errno(c, &ev->errno_result); break;
	case F_VERDICT: get_verdict(c, &ev->verdict); break;
	default: c->ok = 0; break;
	}
}

/* The next key, which must come after `after` in the writer's order. */
static int next_key(cursor *c, int after)
{
	span s = get_string(c);

	for (int k = after + 1; c->ok && k < F_NKEYS; k++)
		if (s.n == key_names[k].len && memcmp(s.p, key_names[k].name, s.n) == 0)
			return k;
	c->ok = 0;
	return -1;
}

static const char *copy(wt_arena *a, span s, int *ok)
{
	const char *out;

	if (!s.p)
		return NULL;
	if (!(out = wt_arena_strndup(a, s.p, s.n)))
		*ok = 0;
	return out;
}

int wt_journal_call_fast(const char *line, size_t len, wt_journal_call *out, wt_arena *a)
{
	cursor c = {line, line + len, 1};
	paths ps = {{NULL, 0}, {NULL, 0}, {NULL, 0}};
	unsigned seen = 0;
	int k = -1;

	memset(out, 0, sizeof *out);
	out->ev.fd = -1;
	out->ev.new_fd = -1;
	out->count = 1;
	eat(&c, '{');
	while (c.ok) {
		if ((k = next_key(&c, k)) < 0 || !eat(&c, ':'))
			break;
		get_value(&c, (fast_key)k, out, &ps);
		seen |= 1u << k;
		if (c.ok && c.p < c.end && *c.p == '}')
			break;
		eat(&c, ',');
	}
	if (!eat(&c, '}') || c.p != c.end || out->count == 0 || ps.path.n > UINT32_MAX ||
	    ps.path2.n > UINT32_MAX ||
	    (seen & ((1u << F_SEQ) | (1u << F_CALL) | (1u << F_ERRNO) | (1u << F_VERDICT))) !=
		((1u << F_SEQ) | (1u << F_CALL) | (1u << F_ERRNO) | (1u << F_VERDICT)))
		return 0;
	out->ev.fd_path = copy(a, ps.fd_path, &c.ok);
	out->ev.path = copy(a, ps.path, &c.ok);
	out->ev.path_len = (uint32_t)ps.path.n;
	out->ev.path2 = copy(a, ps.path2, &c.ok);
	out->ev.path2_len = (uint32_t)ps.path2.n;
	return c.ok;
}
