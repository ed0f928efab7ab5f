/* test_journal.c: the journal: event <-> JSON round trips, the writer's folding (repeats and
 * cycles) and buffer, its cap, the reader's errors and cut-short journals, the record policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "journal.h"
#include "journal_json.h"
#include "record.h"
#include "wasi_abi.h"
#include "wt_test_util.h"

static void assert_bytes_equal(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
	if (!a || !b) {
		assert_ptr_equal(a, b);
		return;
	}
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
}

static void assert_event_equal(const wt_event *a, const wt_event *b)
{
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->time_ns, b->time_ns);
	assert_int_equal(a->call, b->call);
	assert_int_equal(a->fd, b->fd);
	assert_bytes_equal(a->fd_path, a->fd_path ? (uint32_t)strlen(a->fd_path) : 0, b->fd_path,
			   b->fd_path ? (uint32_t)strlen(b->fd_path) : 0);
	assert_bytes_equal(a->path, a->path_len, b->path, b->path_len);
	assert_bytes_equal(a->path2, a->path2_len, b->path2, b->path2_len);
	assert_bytes_equal(a->obj_path, a->obj_path_len, b->obj_path, b->obj_path_len);
	assert_bytes_equal(a->obj_path2, a->obj_path2_len, b->obj_path2, b->obj_path2_len);
	assert_int_equal(a->stdio, b->stdio);
	assert_int_equal(a->clock_mask, b->clock_mask);
	assert_int_equal(a->rights, b->rights);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->rights_base, b->rights_base);
	assert_int_equal(a->rights_inheriting, b->rights_inheriting);
	assert_int_equal(a->size, b->size);
	assert_int_equal(a->done, b->done);
	assert_int_equal(a->clock_id, b->clock_id);
	assert_int_equal(a->new_fd, b->new_fd);
	assert_int_equal(a->exit_code, b->exit_code);
	assert_int_equal(a->errno_result, b->errno_result);
	assert_int_equal(a->verdict, b->verdict);
	assert_int_equal(a->created, b->created);
}

/* An event with the defaults the gate starts from. */
static wt_event ev_new(uint64_t seq, wt_wasi_call call)
{
	wt_event e;

	memset(&e, 0, sizeof e);
	e.seq = seq;
	e.time_ns = seq * 1000 + 7;
	e.call = call;
	e.fd = -1;
	e.new_fd = -1;
	return e;
}

static wt_event ev_path(uint64_t seq, wt_wasi_call call, const char *path, uint32_t rights,
			uint16_t err)
{
	wt_event e = ev_new(seq, call);

	e.fd = 3;
	e.fd_path = "/src";
	e.path = path;
	e.path_len = (uint32_t)strlen(path);
	e.rights = rights;
	e.errno_result = err;
	return e;
}

static wt_event ev_write(uint64_t seq, int32_t fd, uint64_t n)
{
	wt_event e = ev_new(seq, WT_WASI_fd_write);

	e.fd = fd;
	e.rights = WT_RIGHT_WRITE;
	e.size = n;
	e.done = n;
	return e;
}

/* Call shapes for the folding tests: data calls on two fds, a clock, path calls that fold by
 * repeat only, a call that never folds, and a read that differs by its errno alone. */
static wt_event shape(unsigned k, uint64_t seq, uint64_t r)
{
	static const struct {
		wt_wasi_call call;
		int32_t fd;
		const char *fd_path, *path;
		uint32_t rights;
		uint16_t err;
	} shapes[] = {
	    {WT_WASI_fd_seek, 5, "/d/db", NULL, 0, 0},
	    {WT_WASI_fd_read, 5, "/d/db", NULL, WT_RIGHT_READ, 0},
	    {WT_WASI_fd_write, 6, "/d/out", NULL, WT_RIGHT_WRITE, 0},
	    {WT_WASI_clock_time_get, -1, NULL, NULL, 0, 0},
	    {WT_WASI_path_filestat_get, 3, "/d", "/d/a", WT_RIGHT_STAT, 0},
	    {WT_WASI_path_filestat_get, 3, "/d", "/d/b", WT_RIGHT_STAT, WT_ENOENT},
	    {WT_WASI_fd_close, 7, NULL, NULL, 0, 0},
	    {WT_WASI_fd_read, 5, "/d/db", NULL, WT_RIGHT_READ, WT_EIO},
	};
	wt_event e = ev_new(seq, shapes[k % 8].call);

	e.fd = shapes[k % 8].fd;
	e.fd_path = shapes[k % 8].fd_path;
	e.path = shapes[k % 8].path;
	e.path_len = e.path ? (uint32_t)strlen(e.path) : 0;
	e.rights = shapes[k % 8].rights;
	e.errno_result = shapes[k % 8].err;
	e.clock_id = e.call == WT_WASI_clock_time_get;
	e.size = r % 5000;
	e.done = (r >> 16) % 3000;
	return e;
}

/* Event -> JSON text -> parsed JSON -> event. */
static void roundtrip(const wt_journal_call *in, wt_journal_call *out, wt_arena *a)
{
	json_t *o = wt_journal_call_json(in), *back;
	char *text;
	json_error_t je;
	wt_error err;

	assert_non_null(o);
	text = json_dumps(o, WT_JOURNAL_JSON_FLAGS);
	assert_non_null(text);
	assert_null(strchr(text, '\n'));
	back = json_loads(text, 0, &je);
	assert_non_null(back);
	wt_error_init(&err);
	assert_int_equal(wt_journal_call_from_json(back, out, a, 1, &err), 0);
	json_decref(o);
	json_decref(back);
	free(text);
}

static void test_json_call_roundtrip(void **state)
{
	static const char bad_utf8[] = "/src/caf\xe9/\xff\xfe.txt";
	wt_event evs[16];
	wt_arena a;
	int n = 0;

	evs[n++] = ev_new(1, WT_WASI_args_sizes_get);
	evs[n++] = ev_path(2, WT_WASI_path_open, "/src/a b/\xc3\xa9t\xc3\xa9.c", WT_RIGHT_READ, 0);
	evs[n - 1].rights_base = UINT64_MAX; /* above INT64_MAX: a string in JSON */
	evs[n - 1].rights_inheriting = 0x1fffffff;
	evs[n - 1].flags = 0x10009;
	evs[n - 1].new_fd = 7;
	evs[n - 1].created = 1;
	evs[n++] = ev_path(3, WT_WASI_path_filestat_get, bad_utf8, WT_RIGHT_STAT, WT_ENOENT);
	evs[n++] = ev_path(4, WT_WASI_path_rename, "/src/x", WT_RIGHT_RENAME, 0);
	evs[n - 1].path2 = "/src/\x80y";
	evs[n - 1].path2_len = 7;
	evs[n - 1].fd_path = "/src/\xc0\xaf";	      /* an overlong: not UTF-8 */
	evs[n++] = ev_new(5, WT_WASI_clock_time_get); /* clock 0 is written */
	evs[n++] = ev_new(6, WT_WASI_clock_res_get);
	evs[n - 1].clock_id = 9;			 /* no name: a number */
	evs[n++] = ev_new(7, WT_WASI_proc_exit);	 /* exit 0 is written */
	evs[n++] = ev_write(8, -5, 12);			 /* a guest's odd fd */
	evs[n - 1].rights = WT_RIGHT_WRITE | (1u << 30); /* a bit without a name */
	evs[n++] = ev_new(9, WT_WASI_random_get);
	evs[n - 1].verdict = WT_STOP;
	evs[n - 1].errno_result = WT_ENOTCAPABLE;
	evs[n++] = ev_new(UINT64_MAX, WT_WASI_sched_yield);
	evs[n - 1].errno_result = 999; /* no name: a number */
	evs[n - 1].exit_code = -3;
	evs[n++] = ev_path(11, WT_WASI_path_open, "/p/out/l1", WT_RIGHT_READ, 0);
	evs[n - 1].obj_path = "/p/secrets.env"; /* reached through a link */
	evs[n - 1].obj_path_len = 14;
	evs[n++] = ev_path(12, WT_WASI_path_link, "/p/a", WT_RIGHT_LINK, 0);
	evs[n - 1].path2 = "/p/l/b", evs[n - 1].path2_len = 6;
	evs[n - 1].obj_path2 = "/p/\xff"
			       "b",
		evs[n - 1].obj_path2_len = 5; /* base64 */
	evs[n++] = ev_write(13, 5, 3);
	evs[n - 1].stdio = WT_EV_STDOUT; /* stdout renumbered as fd 5 */
	evs[n++] = ev_new(14, WT_WASI_poll_oneoff);
	evs[n - 1].clock_mask = 1u << 0 | 1u << 1 | 1u << 9; /* realtime, monotonic, a number */
	wt_arena_init(&a);
	for (int i = 0; i < n; i++) {
		wt_journal_call in = {evs[i], (uint64_t)i + 1, 1, 0}, out;

		roundtrip(&in, &out, &a);
		assert_event_equal(&in.ev, &out.ev);
		assert_int_equal(in.count, out.count);
	}
	wt_arena_fini(&a);
}

/* The line of a call as the writer gives it, into a malloc'd string. */
static char *call_line(const wt_journal_call *c)
{
	json_t *o = wt_journal_call_json(c);
	char *text;

	assert_non_null(o);
	text = json_dumps(o, WT_JOURNAL_JSON_FLAGS);
	json_decref(o);
	assert_non_null(text);
	return text;
}

/* The same line through jansson: 0 and the call, or the error. */
static int jansson_call(const char *text, wt_journal_call *out, wt_arena *a, wt_error *err)
{
	json_error_t je;
	json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	int rc;

	if (!o)
		return WT_MALFORMED;
	rc = wt_journal_call_from_json(o, out, a, 1, err);
	json_decref(o);
	return rc;
}

/* What the yajl reader leaves to jansson: an escape or a byte above 0x7f (UTF-8, which jansson
 * checks more strictly), base64, a u64 written as a string (above INT64_MAX). */
static int needs_jansson(const char *text)
{
	if (strstr(text, "_b64") || strchr(text, '\\') || strstr(text, "\"abs_clocks\""))
		return 1; /* poll_oneoff's clock list is read by jansson only */
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p >= 0x80 || (p[0] == '"' && p[1] >= '0' && p[1] <= '9'))
			return 1;
	return 0;
}

/* Every line the writer makes of an ASCII event is read by yajl (one handle for all the lines),
 * into exactly the call jansson reads; lines with bytes jansson must check are left to it. */
static void test_yajl_reader_agrees_with_jansson(void **state)
{
	static const char *const paths[] = {"/src/a.c",	  "/",	     "", "/out/x y/{}[],:\"q\"",
					    "/t\xc3\xa9", "/bad\xff"};
	wt_journal_yajl *y = wt_journal_yajl_new();
	wt_arena a;
	int fast = 0, slow = 0;

	assert_non_null(y);
	wt_arena_init(&a);
	for (uint64_t i = 0; i < 3000; i++) {
		uint64_t r = i * 0x9e3779b97f4a7c15ull;
		wt_journal_call in = {ev_new(i % 7 ? i + 1 : r >> 1,
					     (wt_wasi_call)(i % WT_WASI_CALL_COUNT)),
				      i % 5 ? 1 : 1 + (r >> 50), 1, 0},
				out, ref;
		const char *path = paths[(r >> 20) % (sizeof paths / sizeof paths[0])];
		wt_error err;
		char *text;
		int took;

		if (i % 3 == 0)
			in.ev.path = path, in.ev.path_len = (uint32_t)strlen(path);
		if (i % 4 == 0)
			in.ev.fd_path = paths[i % 4], in.ev.fd = (int32_t)(r >> 40) - 100;
		if (i % 6 == 0)
			in.ev.path2 = "/out/b", in.ev.path2_len = 6;
		in.ev.rights = (uint32_t)(r >> 13) & ((i % 11 == 0 ? 0xffffffffu : 0xfffu));
		in.ev.flags = (uint32_t)(r >> 7) * (i % 2);
		in.ev.rights_base = i % 9 == 0 ? r : r >> 40; /* above INT64_MAX: a string */
		in.ev.rights_inheriting = i % 10 == 0 ? r >> 3 : 0;
		in.ev.clock_id = (uint32_t)(i % 6);
		in.ev.size = r >> (i % 64), in.ev.done = i % 3 ? r >> 33 : 0;
		in.ev.new_fd = i % 8 == 0 ? (int32_t)(r >> 34) : -1;
		in.ev.created = (uint8_t)(i % 13 == 0);
		in.ev.exit_code = i % 14 == 0 ? (int32_t)(r >> 32) : 0;
		in.ev.errno_result = (uint16_t)(i % 17 == 0 ? 500 + i : i % 80);
		in.ev.verdict = (wt_verdict)(i % 4);
		if (i % 5 == 0)
			in.ev.obj_path = path, in.ev.obj_path_len = (uint32_t)strlen(path);
		if (i % 7 == 0)
			in.ev.obj_path2 = "/out/c", in.ev.obj_path2_len = 6;
		in.ev.stdio = (uint8_t)(i % 19 == 0 ? (r >> 5) % 4 : 0);
		in.ev.clock_mask = i % 23 == 0 ? (uint32_t)(r >> 17) & 0xf : 0;
		text = call_line(&in);
		wt_error_init(&err);
		assert_int_equal(jansson_call(text, &ref, &a, &err), 0);
		took = wt_journal_yajl_call(y, text, strlen(text), &out, &a);
		if (took) {
			assert_event_equal(&ref.ev, &out.ev);
			assert_int_equal(ref.count, out.count);
		}
		assert_int_equal(took, !needs_jansson(text));
		fast += took, slow += !took;
		free(text);
	}
	assert_true(fast > 1000);
	assert_true(slow > 100);
	wt_arena_fini(&a);
	wt_journal_yajl_free(y);
}

/* A cycle of three calls c[0..3) as the writer makes its entries: seqs one apart, the line's
 * time, the same count. */
static void cycle_of_three(wt_journal_call c[3], uint64_t seq, uint64_t count)
{
	c[0] = (wt_journal_call){shape(0, seq, 77), count, 3, 0};
	c[1] = (wt_journal_call){shape(1, seq + 1, 1234567), count, 3, 1};
	c[2] = (wt_journal_call){shape(3, seq + 2, 5), count, 3, 2};
	c[1].ev.fd_path = "/d/caf\xe9"; /* not UTF-8: base64 */
	c[1].ev.rights |= 1u << 30;
	c[2].ev.verdict = WT_DENY;
	c[2].ev.errno_result = WT_ENOTCAPABLE;
	for (int k = 0; k < 3; k++)
		c[k].ev.time_ns = c[0].ev.time_ns;
}

/* Cycle line -> JSON text -> cycle line: every call of the cycle comes back. */
static void test_json_cycle_roundtrip(void **state)
{
	wt_journal_call in[3], out[WT_JOURNAL_CYCLE_MAX];
	json_t *o;
	char *text;
	size_t n;
	wt_arena a;
	wt_error err;

	cycle_of_three(in, 41, 300);
	o = wt_journal_cycle_json(in, 3);
	assert_non_null(o);
	text = json_dumps(o, WT_JOURNAL_JSON_FLAGS);
	json_decref(o);
	assert_non_null(strstr(text, "\"count\":300,\"cycle\":[{\"call\":\"fd_seek\""));
	assert_null(strstr(text, "\"path\""));
	o = json_loads(text, 0, NULL);
	wt_arena_init(&a);
	wt_error_init(&err);
	assert_int_equal(wt_journal_cycle_from_json(o, out, &n, &a, 1, &err), 0);
	assert_int_equal(n, 3);
	for (size_t k = 0; k < 3; k++) {
		assert_event_equal(&in[k].ev, &out[k].ev);
		assert_int_equal(out[k].count, 300);
		assert_int_equal(out[k].cycle, 3);
		assert_int_equal(out[k].pos, k);
	}
	json_decref(o);
	free(text);
	wt_arena_fini(&a);
}

/* Random cycle lines through yajl (room for a cycle) and jansson: the same calls whenever yajl
 * takes one; with room for one call, yajl leaves every cycle line to jansson. */
static void test_yajl_reader_agrees_on_cycle_lines(void **state)
{
	static const char *const paths[] = {"/d/db", "/d/x y", "/d/t\xc3\xa9", "/bad\xff"};
	wt_journal_yajl *y = wt_journal_yajl_new();
	wt_arena a;
	int fast = 0;

	assert_non_null(y);
	wt_arena_init(&a);
	for (uint64_t i = 0; i < 1500; i++) {
		uint64_t r = (i + 1) * 0x9e3779b97f4a7c15ull;
		size_t len = 2 + i % 3, n = 0, got;
		wt_journal_call in[WT_JOURNAL_CYCLE_MAX], out[WT_JOURNAL_CYCLE_MAX],
		    ref[WT_JOURNAL_CYCLE_MAX];
		json_t *o;
		char *text;
		wt_error err;

		for (size_t k = 0; k < len; k++) {
			in[k] =
			    (wt_journal_call){shape((unsigned)(r >> (8 * k)) % 4, i + k, r >> k),
					      i % 9 ? 1 + i % 512 : r, (uint32_t)len, (uint32_t)k};
			in[k].ev.fd_path = in[k].ev.fd_path ? paths[(r >> (k + 3)) % 4] : NULL;
			in[k].ev.flags = (uint32_t)(r >> 40) * (k % 2);
			in[k].ev.errno_result = (uint16_t)((r >> (k + 5)) % 80);
			in[k].ev.verdict = (wt_verdict)((r >> (k + 7)) % 4);
			in[k].ev.size = i % 7 ? in[k].ev.size : r; /* above INT64_MAX: a string */
			in[k].ev.time_ns = in[0].ev.time_ns;
		}
		o = wt_journal_cycle_json(in, len);
		text = json_dumps(o, WT_JOURNAL_JSON_FLAGS);
		json_decref(o);
		wt_error_init(&err);
		o = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
		assert_int_equal(wt_journal_cycle_from_json(o, ref, &n, &a, 1, &err), 0);
		json_decref(o);
		assert_int_equal(wt_journal_yajl_call(y, text, strlen(text), out, &a), 0);
		got = wt_journal_yajl_read(y, text, strlen(text), out, WT_JOURNAL_CYCLE_MAX, &a);
		assert_int_equal(got, needs_jansson(text) ? 0 : len);
		for (size_t k = 0; k < got; k++) {
			assert_event_equal(&ref[k].ev, &out[k].ev);
			assert_int_equal(ref[k].count, out[k].count);
			assert_int_equal(ref[k].cycle, out[k].cycle);
			assert_int_equal(ref[k].pos, out[k].pos);
		}
		fast += got != 0;
		free(text);
	}
	assert_true(fast > 300);
	wt_arena_fini(&a);
	wt_journal_yajl_free(y);
}

#define WT_SEEK "{\"call\":\"fd_seek\",\"fd\":5,\"errno\":\"success\",\"verdict\":\"allow\"}"
#define WT_READ                                                                                   \
	"{\"call\":\"fd_read\",\"fd\":5,\"rights\":[\"read\"],\"errno\":\"success\",\"verdict\":" \
	"\"allow\"}"

/* Cycle lines yajl takes give jansson's calls; the others go to jansson (which reads some and
 * rejects the rest); the handle stays in step for the next line. */
static void test_yajl_reader_cycle_forms(void **state)
{
	static const struct {
		const char *text;
		size_t taken;
	} rows[] = {
	    {"{\"seq\":3,\"t\":9,\"count\":2,\"cycle\":[" WT_SEEK "," WT_READ "]}", 2},
	    {"{\"cycle\":[" WT_SEEK "," WT_READ "," WT_READ "],\"seq\":3}", 3},
	    {"{\"seq\":3,\"count\":2,\"cycle\":[" WT_SEEK "," WT_READ "],\"x\":1}", 0},
	    {"{\"seq\":3,\"cycle\":[{\"seq\":4,\"call\":\"fd_seek\",\"errno\":\"success\","
	     "\"verdict\":\"allow\"}," WT_READ "]}",
	     0},
	    {"{\"seq\":3,\"cycle\":[{\"call\":\"fd_seek\",\"path\":\"/a\",\"errno\":\"success\","
	     "\"verdict\":\"allow\"}," WT_READ "]}",
	     0},
	    {"{\"seq\":3,\"cycle\":[{\"call\":\"path_open\",\"errno\":\"success\","
	     "\"verdict\":\"allow\"}," WT_READ "]}",
	     0},
	    {"{\"seq\":3,\"cycle\":[{\"call\":\"fd_seek\",\"verdict\":\"allow\"}," WT_READ "]}", 0},
	    {"{\"seq\":3,\"cycle\":[" WT_SEEK "]}", 0},
	    {"{\"seq\":3,\"cycle\":[" WT_SEEK "," WT_READ "," WT_SEEK "," WT_READ "," WT_SEEK "]}",
	     0},
	    {"{\"seq\":3,\"cycle\":[]}", 0},
	    {"{\"seq\":3,\"cycle\":{}}", 0},
	    {"{\"seq\":3,\"cycle\":[1,2]}", 0},
	    {"{\"seq\":3,\"cycle\":[[]," WT_READ "]}", 0},
	    {"{\"seq\":3,\"count\":0,\"cycle\":[" WT_SEEK "," WT_READ "]}", 0},
	    {"{\"t\":3,\"cycle\":[" WT_SEEK "," WT_READ "]}", 0},
	    {"{\"seq\":3,\"call\":\"fd_seek\",\"cycle\":[" WT_SEEK "," WT_READ "]}", 0},
	    {"{\"seq\":3,\"cycle\":[" WT_SEEK "," WT_READ "],\"cycle\":[" WT_SEEK "," WT_READ "]}",
	     0},
	    {"{\"seq\":3,\"cycle\":[" WT_SEEK "," WT_READ "]", 0},
	    {"{\"seq\":3,\"cycle\":[" WT_SEEK "," WT_READ "]}{}", 0},
	    {"{\"seq\":3,\"cycle\":[" WT_SEEK "," WT_READ "]} 7", 0},
	};
	wt_journal_yajl *y = wt_journal_yajl_new();
	wt_journal_call out[WT_JOURNAL_CYCLE_MAX], ref[WT_JOURNAL_CYCLE_MAX];
	wt_arena a;

	assert_non_null(y);
	wt_arena_init(&a);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *t = rows[i].text;
		size_t took = wt_journal_yajl_read(y, t, strlen(t), out, WT_JOURNAL_CYCLE_MAX, &a),
		       n;
		json_t *o = json_loads(t, JSON_REJECT_DUPLICATES, NULL);
		wt_error err;

		if (took != rows[i].taken)
			fail_msg("row %zu: %s: taken %zu", i, t, took);
		wt_error_init(&err);
		if (took) {
			assert_int_equal(wt_journal_cycle_from_json(o, ref, &n, &a, 1, &err), 0);
			assert_int_equal(n, took);
			for (size_t k = 0; k < n; k++) {
				assert_event_equal(&ref[k].ev, &out[k].ev);
				assert_int_equal(ref[k].count, out[k].count);
			}
		}
		json_decref(o);
		assert_int_equal(wt_journal_yajl_read(y, rows[0].text, strlen(rows[0].text), out,
						      WT_JOURNAL_CYCLE_MAX, &a),
				 2);
		assert_int_equal(out[1].ev.seq, 4);
		assert_int_equal(out[1].count, 2);
	}
	wt_arena_fini(&a);
	wt_journal_yajl_free(y);
}

#define WT_OK_TAIL "\"call\":\"fd_write\",\"errno\":\"success\",\"verdict\":\"allow\""

/* Lines yajl takes give jansson's call; every line jansson rejects (and some it reads) goes to
 * jansson; and whatever a line was, the same handle reads the next line. */
static void test_yajl_reader_leaves_other_forms_to_jansson(void **state)
{
	static const struct {
		const char *text;
		size_t len; /* 0: strlen */
		int taken;
	} rows[] = {
	    {"{\"seq\":1," WT_OK_TAIL "}", 0, 1},
	    {"{\"seq\": 1, " WT_OK_TAIL " }", 0, 1},
	    {"{\"call\":\"fd_write\",\"seq\":1,\"errno\":\"success\",\"verdict\":\"allow\"}", 0, 1},
	    {"{\"seq\":1000000000000000000," WT_OK_TAIL "}", 0, 1},
	    {"{\"seq\":9223372036854775807," WT_OK_TAIL "}", 0, 1},
	    {"{\"seq\":1,\"fd\":-0,\"errno\":70,\"clock\":3," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"fd\":-0,\"clock\":3,\"created\":true,\"rights\":[]," WT_OK_TAIL "}", 0,
	     1},
	    {"{\"seq\":1," WT_OK_TAIL "} ", 0, 1},
	    {"{\"seq\":1," WT_OK_TAIL "}\r", 0, 1},
	    {"{\"seq\":1," WT_OK_TAIL ",\"x\":1}", 0, 0},
	    {"{\"seq\":1,\"seq\":2," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":01," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1.0," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1e3," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":-1," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":9223372036854775808," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":\"18446744073709551615\"," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":null," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"fd\":2147483648," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"flags\":-1," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"path\":\"/a\\/b\"," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"path\":\"/\\ud800\"," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"path\":\"/t\xc3\xa9\"," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"path\":\"/\xc0\xaf\"," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"path\":\"/\x01\"," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"path\":{\"a\":1}," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"count\":0," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"call\":\"fd_write\",\"errno\":\"success\"}", 0, 0},
	    {"{\"t\":1,\"call\":\"fd_write\",\"errno\":\"success\",\"verdict\":\"allow\"}", 0, 0},
	    {"{\"seq\":1,\"call\":\"fd_write\",\"errno\":\"EFROB\",\"verdict\":\"allow\"}", 0, 0},
	    {"{\"seq\":1,\"call\":\"fd_frob\",\"errno\":\"success\",\"verdict\":\"allow\"}", 0, 0},
	    {"{\"seq\":1,\"errno\":70000,\"call\":\"fd_write\",\"verdict\":\"allow\"}", 0, 0},
	    {"{\"seq\":1,\"rights\":[\"read\",]," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"rights\":[\"frob\"]," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"rights\":[[\"read\"]]," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1,\"created\":1," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1," WT_OK_TAIL, 0, 0},
	    {"{\"seq\":1," WT_OK_TAIL "}\f", 0, 0},
	    {"\v{\"seq\":1," WT_OK_TAIL "}", 0, 0},
	    {"{\"seq\":1," WT_OK_TAIL "}{}", 0, 0},
	    {"{\"seq\":1," WT_OK_TAIL "} 5", 0, 0},
	    {"{\"seq\":1," WT_OK_TAIL "}\"x}", 0, 0},
	    {"{\"seq\":1," WT_OK_TAIL "}\0", 10 + sizeof WT_OK_TAIL, 0},
	    {"[{\"seq\":1," WT_OK_TAIL "}]", 0, 0},
	    {"", 0, 0},
	};
	wt_journal_yajl *y = wt_journal_yajl_new();
	wt_journal_call out, ref;
	wt_arena a;

	assert_non_null(y);
	wt_arena_init(&a);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t len = rows[i].len ? rows[i].len : strlen(rows[i].text);
		json_t *o = json_loadb(rows[i].text, len, JSON_REJECT_DUPLICATES, NULL);
		wt_error err;
		int took = wt_journal_yajl_call(y, rows[i].text, len, &out, &a);

		wt_error_init(&err);
		if (took != rows[i].taken)
			fail_msg("row %zu: %s: taken %d", i, rows[i].text, took);
		if (took) {
			assert_non_null(o);
			assert_int_equal(wt_journal_call_from_json(o, &ref, &a, 1, &err), 0);
			assert_event_equal(&ref.ev, &out.ev);
			assert_int_equal(ref.count, out.count);
		}
		json_decref(o);
		assert_int_equal(
		    wt_journal_yajl_call(y, rows[0].text, strlen(rows[0].text), &out, &a), 1);
		assert_int_equal(out.ev.seq, 1);
	}
	wt_arena_fini(&a);
	wt_journal_yajl_free(y);
}

static void test_json_bytes_use_b64_only_when_needed(void **state)
{
	static const struct {
		const char *s;
		const char *key;
	} rows[] = {
	    {"/plain", "path"},
	    {"/\xe2\x82\xac", "path"},
	    {"/\xe2\x82", "path_b64"},
	    {"/\xed\xa0\x80", "path_b64"}, /* an encoded surrogate */
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		json_t *o = json_object();

		assert_int_equal(wt_journal_set_bytes(o, "path", rows[i].s, strlen(rows[i].s)), 0);
		assert_non_null(json_object_get(o, rows[i].key));
		assert_int_equal(json_object_size(o), 1);
		json_decref(o);
	}
}

static const wt_mount test_mounts[] = {{"data", "/data", 0}, {"r\xffo", "/ro", 1}};
static const char *const test_argv[] = {"tool.wasm", "--in", "caf\xe9"};
static const char *const test_env[] = {"HOME=/secret/value", "LANG=C"};

static wt_journal_header test_header(void)
{
	wt_journal_header h;

	memset(&h, 0, sizeof h);
	h.version = WT_JOURNAL_VERSION;
	h.tool_version = "0.1.0";
	h.module_path = "tool.wasm";
	h.module_size = 1234;
	memset(h.sha256, 'a', 64);
	h.argc = 3;
	h.argv = test_argv;
	h.nenv = 2;
	h.env_names = test_env;
	h.nmounts = 2;
	h.mounts = test_mounts;
	h.cwd = "/data";
	h.start = "2024-05-01T12:34:56.789Z";
	return h;
}

/* A temporary file name in the test's folder. */
static void temp_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "test_journal_%d_%s.jsonl", (int)getpid(), name);
}

/* Writes evs through a writer (closing with an exit) and reads it back. */
static wt_journal *write_and_read(const char *name, const wt_event *evs, size_t n, int close_it)
{
	wt_journal_header h = test_header();
	wt_journal_end end = {.how = WT_JOURNAL_EXIT, .exit_code = 3, .duration_ns = 42};
	wt_journal_writer *w;
	wt_journal *j;
	wt_error err;
	char path[128];

	temp_path(path, sizeof path, name);
	wt_error_init(&err);
	assert_int_equal(wt_journal_writer_open(path, &h, &w, &err), 0);
	for (size_t i = 0; i < n; i++)
		wt_journal_writer_call(w, &evs[i]);
	if (close_it)
		assert_int_equal(wt_journal_writer_close(w, &end, &err), 0);
	else
		wt_journal_writer_abandon(w);
	assert_int_equal(wt_journal_read(path, &j, &err), 0);
	unlink(path);
	return j;
}

static void test_writer_header_and_end(void **state)
{
	wt_event evs[2] = {ev_new(1, WT_WASI_args_sizes_get), ev_write(2, 1, 5)};
	wt_journal *j = write_and_read("header", evs, 2, 1);
	const wt_journal_header *h = &j->header;

	assert_string_equal(h->tool_version, "0.1.0");
	assert_int_equal(h->module_size, 1234);
	assert_int_equal(h->argc, 3);
	assert_string_equal(h->argv[2], "caf\xe9");
	assert_int_equal(h->nenv, 2);
	assert_string_equal(h->env_names[0], "HOME"); /* never the value */
	assert_string_equal(h->env_names[1], "LANG");
	assert_int_equal(h->nmounts, 2);
	assert_string_equal(h->mounts[1].host, "r\xffo");
	assert_int_equal(h->mounts[1].readonly, 1);
	assert_string_equal(h->cwd, "/data");
	assert_int_equal(j->cut_short, 0);
	assert_int_equal(j->end.how, WT_JOURNAL_EXIT);
	assert_int_equal(j->end.exit_code, 3);
	assert_int_equal(j->end.calls, 2);
	assert_int_equal(j->end.lines, 2);
	assert_int_equal(j->end.duration_ns, 42);
	wt_journal_free(j);
}

/* The header says when the run had fake clocks or random (and the seed); a journal of a
 * run with the host's has neither key. */
static void test_writer_header_fakes(void **state)
{
	static const wt_wasi_fakes rows[] = {
	    {0},
	    {.fake_clocks = 1},
	    {.fake_random = 1, .random_seed = 0},
	    {.fake_clocks = 1, .fake_random = 1, .random_seed = UINT64_MAX}, /* a string */
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		wt_journal_header h = test_header();
		json_t *o;
		char *text;
		wt_journal *j = NULL;
		wt_error err;

		h.fakes = rows[i];
		o = wt_journal_header_json(&h);
		assert_non_null(o);
		text = json_dumps(o, WT_JOURNAL_JSON_FLAGS);
		json_decref(o);
		assert_int_equal(strstr(text, "\"fake_clocks\":true") != NULL, rows[i].fake_clocks);
		assert_int_equal(strstr(text, "\"fake_random\":") != NULL, rows[i].fake_random);
		wt_error_init(&err);
		assert_int_equal(wt_journal_parse(text, strlen(text), &j, &err), 0);
		assert_int_equal(j->header.fakes.fake_clocks, rows[i].fake_clocks);
		assert_int_equal(j->header.fakes.fake_random, rows[i].fake_random);
		assert_int_equal(j->header.fakes.random_seed, rows[i].random_seed);
		wt_journal_free(j);
		free(text);
	}
}

/* j's calls, expanded (a call line's call count times, a cycle line's calls in turn count
 * times over), are evs[0..n) in order: kind, fd, paths, rights, result and seq; each entry's
 * size and done are the sums over the calls it stands for; no line holds more than
 * WT_JOURNAL_FOLD_MAX calls; the end line counts them all. */
static void assert_expands_to(const wt_journal *j, const wt_event *evs, size_t n)
{
	size_t next = 0, lines = 0;

	for (size_t i = 0; i < j->ncalls; lines++) {
		const wt_journal_call *c = &j->calls[i];
		uint32_t len = c->cycle;
		uint64_t size[WT_JOURNAL_CYCLE_MAX] = {0}, done[WT_JOURNAL_CYCLE_MAX] = {0};

		assert_true(len >= 1 && len <= WT_JOURNAL_CYCLE_MAX && i + len <= j->ncalls);
		assert_true(c->count >= 1 && c->count * len <= WT_JOURNAL_FOLD_MAX);
		assert_true(next < n);
		assert_int_equal(c->ev.time_ns, evs[next].time_ns);
		for (uint64_t r = 0; r < c->count; r++) {
			for (uint32_t k = 0; k < len; k++, next++) {
				assert_true(next < n);
				assert_int_equal(c[k].pos, k);
				assert_int_equal(c[k].cycle, len);
				assert_int_equal(c[k].count, c->count);
				assert_int_equal(c[k].ev.seq + r * len, evs[next].seq);
				assert_true(wt_journal_same(&c[k].ev, &evs[next]));
				size[k] += evs[next].size;
				done[k] += evs[next].done;
			}
		}
		for (uint32_t k = 0; k < len; k++) {
			assert_int_equal(c[k].ev.size, size[k]);
			assert_int_equal(c[k].ev.done, done[k]);
		}
		i += len;
	}
	assert_int_equal(next, n);
	assert_int_equal(j->end.calls, n);
	assert_int_equal(j->end.lines, lines);
}

/* The expanded sequence of calls equals what was written, for every
 * pattern of folding; identical path calls fold too. */
static void test_writer_folds_identical_calls(void **state)
{
	wt_event evs[40];
	size_t n = 0;
	wt_journal *j;

	for (int i = 0; i < 10; i++)
		evs[n] = ev_write(n + 1, 1, (uint64_t)i + 1), n++;	     /* 10 -> 1 line */
	evs[n] = ev_write(n + 1, 2, 4), n++;				     /* other fd */
	evs[n] = ev_write(n + 1, 1, 4), n++;				     /* a new line */
	evs[n] = ev_write(n + 1, 1, 4), evs[n].errno_result = WT_EPIPE, n++; /* other errno */
	evs[n] = ev_path(n + 1, WT_WASI_path_open, "/src/a", WT_RIGHT_READ, 0), n++;
	evs[n] = ev_path(n + 1, WT_WASI_path_open, "/src/a", WT_RIGHT_READ, 0), n++; /* folds */
	for (int i = 0; i < 5; i++) {
		evs[n] = ev_new(n + 1, WT_WASI_clock_time_get);
		evs[n].clock_id = i < 3 ? 1 : 0, n++; /* 3 + 2 */
	}
	j = write_and_read("fold", evs, n, 1);
	assert_int_equal(j->ncalls, 7);
	assert_int_equal(j->calls[0].count, 10);
	assert_int_equal(j->calls[0].ev.size, 55);
	assert_int_equal(j->calls[0].ev.done, 55);
	assert_int_equal(j->calls[4].count, 2);
	assert_string_equal(j->calls[4].ev.path, "/src/a");
	assert_expands_to(j, evs, n);
	assert_int_equal(j->end.lines, 7);
	assert_int_equal(j->end.errors, 1);
	wt_journal_free(j);
}

/* Random runs made of repeats and cycles of 1 to 5 shapes, some cut in mid-round, each written
 * and read back: the journal expands to exactly the calls written. */
static void test_writer_folds_and_expands_random_runs(void **state)
{
	enum { MAX = 12000 };
	wt_event *evs = calloc(MAX + 4000, sizeof *evs);
	uint64_t r = 0x853c49e6748fea9bull;
	size_t cycle_lines = 0;

	assert_non_null(evs);
	for (int seed = 0; seed < 24; seed++) {
		size_t n = 0;
		wt_journal *j;

		while (n < MAX) {
			unsigned len =
			    1 + (unsigned)((r = r * 6364136223846793005ull + 1) >> 60) % 5;
			unsigned pick[5], rounds = 1 + (unsigned)(r >> 33) % (seed % 2 ? 700 : 12);
			unsigned cut = (unsigned)(r >> 20) % len;

			for (unsigned k = 0; k < len; k++)
				pick[k] = (unsigned)((r = r * 6364136223846793005ull + 1) >> 45);
			for (unsigned i = 0; i < rounds * len - cut && n < MAX + 3500; i++, n++)
				evs[n] = shape(pick[i % len], n + 1,
					       (r = r * 6364136223846793005ull + 1) >> 20);
		}
		j = write_and_read("random", evs, n, 1);
		assert_expands_to(j, evs, n);
		for (size_t i = 0; i < j->ncalls; i++)
			cycle_lines += j->calls[i].cycle > 1 && j->calls[i].pos == 0;
		wt_journal_free(j);
	}
	assert_true(cycle_lines > 100);
	free(evs);
}

/* A cycle of seek and read folds into cycle lines of 512 rounds (1024 calls); a cycle of 3
 * with a call made twice in it folds; a cycle broken in mid-round keeps its last calls. */
static void test_writer_cycle_lines(void **state)
{
	size_t n = 0;
	wt_event *evs = calloc(2200, sizeof *evs);
	wt_journal *j;

	for (int i = 0; i < 1000; i++) {
		evs[n] = shape(0, n + 1, 0), n++;
		evs[n] = shape(1, n + 1, 0), evs[n].size = evs[n].done = 4096, n++;
	}
	evs[n] = shape(6, n + 1, 0), n++; /* a call that folds with nothing */
	for (int i = 0; i < 50; i++)
		for (unsigned k = 0; k < 3; k++)
			evs[n] = shape(k == 0 ? 0 : 1, n + 1, k), n++;
	evs[n] = shape(0, n + 1, 0), n++; /* a round of seek, read, read cut after its seek */
	evs[n] = shape(4, n + 1, 0), n++;
	j = write_and_read("cycles", evs, n, 1);
	assert_expands_to(j, evs, n);
	assert_int_equal(j->ncalls, 2 + 2 + 1 + 3 + 1 + 1);
	assert_int_equal(j->end.lines, 6);
	assert_int_equal(j->calls[0].cycle, 2);
	assert_int_equal(j->calls[0].count, 512);
	assert_int_equal(j->calls[0].ev.call, WT_WASI_fd_seek);
	assert_int_equal(j->calls[1].ev.call, WT_WASI_fd_read);
	assert_int_equal(j->calls[1].ev.seq, 2);
	assert_int_equal(j->calls[1].ev.size, 512 * 4096);
	assert_int_equal(j->calls[2].ev.seq, 1025);
	assert_int_equal(j->calls[2].count, 488);
	assert_int_equal(j->calls[5].cycle, 3);
	assert_int_equal(j->calls[5].count, 50);
	assert_int_equal(j->calls[8].ev.call, WT_WASI_fd_seek);
	assert_int_equal(j->calls[8].count, 1);
	wt_journal_free(j);
	free(evs);
}

/* A stat loop: identical path calls fold into lines of 1024 that keep the path. */
static void test_writer_path_repeat_lines(void **state)
{
	size_t n = 0;
	wt_event *evs = calloc(2003, sizeof *evs);
	wt_journal *j;

	while (n < 2000)
		evs[n] = shape(4, n + 1, n), n++;
	while (n < 2003)
		evs[n] = shape(5, n + 1, n), n++;
	j = write_and_read("stats", evs, n, 1);
	assert_expands_to(j, evs, n);
	assert_int_equal(j->ncalls, 3);
	assert_int_equal(j->calls[0].count, 1024);
	assert_int_equal(j->calls[1].count, 976);
	assert_string_equal(j->calls[1].ev.path, "/d/a");
	assert_int_equal(j->calls[2].count, 3);
	assert_int_equal(j->calls[2].ev.errno_result, WT_ENOENT);
	wt_journal_free(j);
	free(evs);
}

static void test_writer_fold_is_bounded(void **state)
{
	size_t n = 2 * WT_JOURNAL_FOLD_MAX + 5;
	wt_event *evs = calloc(n, sizeof *evs);
	wt_journal *j;

	for (size_t i = 0; i < n; i++)
		evs[i] = ev_write(i + 1, 1, 3);
	j = write_and_read("bound", evs, n, 1);
	assert_int_equal(j->ncalls, 3);
	assert_int_equal(j->calls[0].count, WT_JOURNAL_FOLD_MAX);
	assert_int_equal(j->calls[2].count, 5);
	assert_int_equal(j->calls[2].ev.seq, 2 * WT_JOURNAL_FOLD_MAX + 1);
	assert_int_equal(j->calls[2].ev.size, 15);
	wt_journal_free(j);
	free(evs);
}

/* A writer that is never closed (a SIGKILL) leaves the header and every
 * full buffer; the reader says the journal was cut short. */
static void test_writer_abandoned_keeps_full_buffers(void **state)
{
	size_t n = 400;
	wt_event *evs = calloc(n, sizeof *evs);
	wt_journal *j;

	for (size_t i = 0; i < n; i++) /* no two alike: one line each */
		evs[i] = ev_path(i + 1, WT_WASI_path_filestat_get, i % 2 ? "/src/a" : "/src/b",
				 WT_RIGHT_STAT, 0);
	j = write_and_read("abandon", evs, n, 0);
	assert_int_equal(j->cut_short, 1);
	assert_int_equal(j->end.how, WT_JOURNAL_CUT);
	assert_true(j->ncalls > 0);
	assert_true(j->ncalls < n);
	/* what is lost fits in one buffer (each line is over 80 bytes) and the calls held back */
	assert_true(n - j->ncalls <= WT_JOURNAL_BUFFER / 80 + 1 + WT_JOURNAL_HELD);
	for (size_t i = 0; i < j->ncalls; i++)
		assert_int_equal(j->calls[i].ev.seq, i + 1);
	wt_journal_free(j);
	free(evs);
}

/* The bytes of the header line the writer writes for h. */
static size_t header_bytes(const wt_journal_header *h)
{
	json_t *o = wt_journal_header_json(h);
	char *text = json_dumps(o, WT_JOURNAL_JSON_FLAGS);
	size_t n = strlen(text) + 1;

	json_decref(o);
	free(text);
	return n;
}

static off_t file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* Reads the journal at path, checks that it ends with the cap's end line, within max bytes,
 * holding the first calls of evs and counting the others as not journaled. */
static void assert_capped_journal(const char *path, uint64_t max, const wt_event *evs,
				  size_t called)
{
	wt_journal *j;
	wt_error err;
	uint64_t held = 0;
	FILE *f = fopen(path, "r");
	char last[4096] = "", line[4096];

	assert_non_null(f);
	while (fgets(line, sizeof line, f))
		memcpy(last, line, sizeof line);
	fclose(f);
	assert_non_null(strstr(last, "{\"end\":\"cap\",\"message\":"));
	assert_true((uint64_t)file_size(path) <= max);
	wt_error_init(&err);
	assert_int_equal(wt_journal_read(path, &j, &err), 0);
	assert_int_equal(j->cut_short, 0);
	assert_int_equal(j->end.how, WT_JOURNAL_CAP);
	assert_int_equal(j->end.journal_max, max);
	assert_int_equal(j->end.calls, called);
	for (size_t i = 0; i < j->ncalls; i++) {
		assert_int_equal(j->calls[i].ev.seq, evs[held].seq);
		assert_true(wt_journal_same(&j->calls[i].ev, &evs[held]));
		held += j->calls[i].count;
	}
	assert_int_equal(j->end.unjournaled, called - held);
	assert_true(j->end.unjournaled >= 1);
	wt_journal_free(j);
}

/* A tiny cap: the writer says when a line did not fit, journals nothing after it, and ends the
 * journal with the cap's end line inside the cap. */
static void test_writer_cap_stops_journaling(void **state)
{
	static char names[200][32];
	wt_journal_header h = test_header();
	wt_journal_end end = {.how = WT_JOURNAL_EXIT, .duration_ns = 5};
	uint64_t max = header_bytes(&h) + WT_JOURNAL_END_ROOM + 1000;
	wt_event evs[200];
	wt_journal_writer *w;
	wt_error err;
	char path[128];
	size_t n = 0;
	int capped = 0;

	temp_path(path, sizeof path, "cap");
	wt_error_init(&err);
	assert_int_equal(wt_journal_writer_open(path, &h, &w, &err), 0);
	wt_journal_writer_set_max(w, max);
	for (; n < 200 && !capped; n++) { /* distinct opens: a line each */
		snprintf(names[n], sizeof names[n], "/src/file-%03zu.c", n);
		evs[n] = ev_path(n + 1, WT_WASI_path_open, names[n], WT_RIGHT_READ, 0);
		capped = wt_journal_writer_call(w, &evs[n]);
		assert_int_equal(wt_journal_writer_capped(w), capped);
	}
	assert_true(capped);
	assert_true(n > 3 && n < 20);
	evs[n] = ev_write(n + 1, 1, 5);
	assert_int_equal(wt_journal_writer_call(w, &evs[n]), 1); /* and every call after it */
	n++;
	assert_int_equal(wt_journal_writer_close(w, &end, &err), 0);
	assert_capped_journal(path, max, evs, n);
	unlink(path);
}

/* The cap met by the last line, written at the end of the run: the end line says so. */
static void test_writer_cap_met_at_close(void **state)
{
	wt_journal_header h = test_header();
	wt_journal_end end = {.how = WT_JOURNAL_EXIT, .duration_ns = 5};
	wt_event evs[4] = {ev_new(1, WT_WASI_args_sizes_get), ev_new(2, WT_WASI_args_sizes_get),
			   ev_new(3, WT_WASI_args_sizes_get),
			   ev_path(4, WT_WASI_path_filestat_get, "/src/x", WT_RIGHT_STAT, 0)};
	uint64_t max = header_bytes(&h) + WT_JOURNAL_END_ROOM;
	wt_journal_writer *w;
	wt_error err;
	char path[128];

	for (int i = 0; i < 4; i++) { /* room for the lines but one byte of the last */
		wt_journal_call c = {evs[i], 1, 1, 0};
		char *text = call_line(&c);

		max += strlen(text) + (i < 3);
		free(text);
	}
	temp_path(path, sizeof path, "capclose");
	wt_error_init(&err);
	assert_int_equal(wt_journal_writer_open(path, &h, &w, &err), 0);
	wt_journal_writer_set_max(w, max);
	for (int i = 0; i < 4; i++) /* the path call waits for a repeat */
		assert_int_equal(wt_journal_writer_call(w, &evs[i]), 0);
	assert_int_equal(wt_journal_writer_capped(w), 0);
	assert_int_equal(wt_journal_writer_close(w, &end, &err), 0);
	assert_capped_journal(path, max, evs, 4);
	unlink(path);
}

static const char good_header[] =
    "{\"format\":\"wasi-tofu-journal\",\"version\":1,\"tool\":\"0.1.0\",\"module\":{\"path\":"
    "\"m.wasm\",\"size\":8,\"sha256\":"
    "\"0000000000000000000000000000000000000000000000000000000000000000\"},\"argv\":[\"m\"],"
    "\"env\":[],\"mounts\":[],\"cwd\":\"/\",\"start\":\"2024-01-01T00:00:00.000Z\"}\n";
static const char good_call[] = "{\"seq\":1,\"call\":\"fd_write\",\"fd\":1,\"size\":3,\"done\":3,"
				"\"errno\":\"success\",\"verdict\":\"allow\"}\n";

static void test_reader_rejects_malformed_lines(void **state)
{
	static const struct {
		const char *body; /* after the header (line 1) */
		unsigned line, column;
		const char *msg;
	} rows[] = {
	    {"{\"seq\":1,\"call\":\"fd_write\",,}\n", 2, 28, ""},
	    {"{\"seq\":1,\"call\":\"fd_frob\",\"errno\":\"success\",\"verdict\":\"allow\"}\n", 2, 1,
	     "not a wasi_snapshot_preview1 function"},
	    {"{\"seq\":1,\"call\":\"fd_write\",\"errno\":\"EFROB\",\"verdict\":\"allow\"}\n", 2, 1,
	     "unknown errno name"},
	    {"{\"seq\":1,\"call\":\"fd_write\",\"rights\":[\"fly\"],\"errno\":\"success\","
	     "\"verdict\":\"allow\"}\n",
	     2, 1, "unknown right"},
	    {"{\"seq\":-1,\"call\":\"fd_write\",\"errno\":\"success\",\"verdict\":\"allow\"}\n", 2,
	     1, "\"seq\""},
	    {"{\"seq\":1,\"call\":\"fd_write\",\"path_b64\":\"!!\",\"errno\":\"success\","
	     "\"verdict\":\"allow\"}\n",
	     2, 1, "bad base64"},
	    {"{\"seq\":1,\"call\":\"fd_write\",\"errno\":\"success\",\"verdict\":\"maybe\"}\n", 2,
	     1, "verdict"},
	    {"[1]\n", 2, 1, "expected a JSON object"},
	    {"{\"what\":1}\n", 2, 1, "neither a call line"},
	    {"{\"end\":\"exit\"}\n{\"end\":\"exit\"}\n", 3, 1, "after the end line"},
	    {"\n", 2, 1, ""},
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char text[1024];
		wt_journal *j = NULL;
		wt_error err;

		snprintf(text, sizeof text, "%s%s", good_header, rows[i].body);
		wt_error_init(&err);
		assert_int_equal(wt_journal_parse(text, strlen(text), &j, &err), WT_MALFORMED);
		assert_null(j);
		assert_int_equal(err.line, rows[i].line);
		assert_int_equal(err.column, rows[i].column);
		assert_non_null(strstr(err.msg, rows[i].msg));
	}
}

static const char good_header_v2[] =
    "{\"format\":\"wasi-tofu-journal\",\"version\":2,\"tool\":\"0.1.0\",\"module\":{\"path\":"
    "\"m.wasm\",\"size\":8,\"sha256\":"
    "\"0000000000000000000000000000000000000000000000000000000000000000\"},\"argv\":[\"m\"],"
    "\"env\":[],\"mounts\":[],\"cwd\":\"/\",\"start\":\"2024-01-01T00:00:00.000Z\"}\n";

/* Folded lines that are wrong, each an error at its line:column that the CLI exits 65 for. */
static void test_reader_rejects_malformed_folded_lines(void **state)
{
	static const struct {
		const char *header, *body;
		unsigned line, column;
		const char *msg;
	} rows[] = {
	    {good_header_v2, "{\"seq\":1,\"count\":2,\"cycle\":[" WT_SEEK "]}\n", 2, 1,
	     "2 to 4 calls"},
	    {good_header_v2,
	     "{\"seq\":1,\"cycle\":[" WT_SEEK "," WT_READ "," WT_SEEK "," WT_READ "," WT_SEEK
	     "]}\n",
	     2, 1, "2 to 4 calls"},
	    {good_header_v2, "{\"seq\":1,\"cycle\":3}\n", 2, 1, "2 to 4 calls"},
	    {good_header_v2, "{\"seq\":1,\"cycle\":[1,2]}\n", 2, 1, "call objects"},
	    {good_header_v2, "{\"seq\":1,\"count\":0,\"cycle\":[" WT_SEEK "," WT_READ "]}\n", 2, 1,
	     "\"count\": must be at least 1"},
	    {good_header_v2, "{\"count\":2,\"cycle\":[" WT_SEEK "," WT_READ "]}\n", 2, 1,
	     "\"seq\": missing"},
	    {good_header_v2,
	     "{\"seq\":1,\"cycle\":[{\"seq\":2,\"call\":\"fd_seek\",\"errno\":\"success\","
	     "\"verdict\":\"allow\"}," WT_READ "]}\n",
	     2, 1, "\"seq\": not allowed in a call of a cycle"},
	    {good_header_v2,
	     "{\"seq\":1,\"cycle\":[" WT_SEEK ",{\"call\":\"fd_read\",\"path\":\"/a\","
	     "\"errno\":\"success\",\"verdict\":\"allow\"}]}\n",
	     2, 1, "\"path\": not allowed"},
	    {good_header_v2,
	     "{\"seq\":1,\"cycle\":[" WT_SEEK ",{\"call\":\"path_open\",\"errno\":\"success\","
	     "\"verdict\":\"allow\"}]}\n",
	     2, 1, "cannot be part of a cycle"},
	    {good_header_v2,
	     "{\"seq\":1,\"cycle\":[" WT_SEEK ",{\"call\":\"fd_read\",\"errno\":\"EFROB\","
	     "\"verdict\":\"allow\"}]}\n",
	     2, 1, "unknown errno name"},
	    {good_header_v2,
	     "{\"seq\":1,\"call\":\"fd_read\",\"cycle\":[" WT_SEEK "," WT_READ "]}\n", 2, 1,
	     "both"},
	    {good_header_v2, "{\"seq\":1,\"cycle\":[" WT_SEEK ",{\"call\":\"fd_read\",,}]}\n", 2,
	     99, "string or '}' expected"},
	    {good_header_v2,
	     "{\"seq\":1,\"count\":0,\"call\":\"path_filestat_get\",\"path\":\"/a\","
	     "\"errno\":\"success\",\"verdict\":\"allow\"}\n",
	     2, 1, "\"count\""},
	    {good_header, "{\"seq\":1,\"count\":2,\"cycle\":[" WT_SEEK "," WT_READ "]}\n", 2, 1,
	     "version 1"},
	    {good_header, "{\"end\":\"cap\",\"journal_max\":9}\n", 2, 1, "version 1"},
	    {good_header_v2, "{\"end\":\"cap\",\"journal_max\":-9}\n", 2, 1, "journal_max"},
	    {good_header_v2, "{\"end\":\"full\"}\n", 2, 1, "\"end\""},
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char text[2048];
		wt_journal *j = NULL;
		wt_error err;

		snprintf(text, sizeof text, "%s%s", rows[i].header, rows[i].body);
		wt_error_init(&err);
		if (wt_journal_parse(text, strlen(text), &j, &err) != WT_MALFORMED)
			fail_msg("row %zu: not malformed: %s", i, rows[i].body);
		assert_null(j);
		if (err.line != rows[i].line || err.column != rows[i].column ||
		    !strstr(err.msg, rows[i].msg))
			fail_msg("row %zu: %u:%u: %s", i, err.line, err.column, err.msg);
		assert_int_equal(wt_status_exit(err.code), 65);
	}
}

/* `journal show` of j prints text. */
static void show_has(const wt_journal *j, const char *text)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	wt_error err;

	wt_error_init(&err);
	assert_int_equal(wt_journal_show(j, f, &err), 0);
	fclose(f);
	if (!strstr(out, text))
		fail_msg("no \"%s\" in:\n%s", text, out);
	free(out);
}

/* A version 1 journal (folded data calls, no cycle line) still reads; so does a version 2 one
 * with a cycle line and a cap end, which `journal show` counts as one line and says. */
static void test_reader_reads_versions_1_and_2(void **state)
{
	char text[2048];
	wt_journal *j = NULL;
	wt_error err;

	snprintf(text, sizeof text, "%s%s", good_header, good_call);
	wt_error_init(&err);
	assert_int_equal(wt_journal_parse(text, strlen(text), &j, &err), 0);
	assert_int_equal(j->header.version, 1);
	assert_int_equal(j->ncalls, 1);
	assert_int_equal(j->calls[0].cycle, 1);
	wt_journal_free(j);
	snprintf(text, sizeof text,
		 "%s%s{\"seq\":2,\"t\":5,\"count\":3,\"cycle\":[" WT_SEEK "," WT_READ "]}\n"
		 "{\"end\":\"cap\",\"message\":\"m\",\"journal_max\":8192,\"unjournaled\":4,"
		 "\"calls\":11,\"lines\":2,\"errors\":0,\"duration_ns\":1}\n",
		 good_header_v2, good_call);
	assert_int_equal(wt_journal_parse(text, strlen(text), &j, &err), 0);
	assert_int_equal(j->header.version, 2);
	assert_int_equal(j->ncalls, 3);
	assert_int_equal(j->calls[2].ev.seq, 3);
	assert_int_equal(j->calls[2].ev.time_ns, 5);
	assert_int_equal(j->calls[2].count, 3);
	assert_int_equal(j->calls[2].pos, 1);
	assert_int_equal(j->end.how, WT_JOURNAL_CAP);
	assert_int_equal(j->end.journal_max, 8192);
	assert_int_equal(j->end.unjournaled, 4);
	assert_int_equal(j->cut_short, 0);
	show_has(j, "calls: 7 in 2 lines");
	show_has(j, "fd_seek                         3");
	show_has(j, "fd_read                         3");
	show_has(j, "stopped at the journal's cap of 8192 bytes (record --journal-max); 4 calls");
	wt_journal_free(j);
}

static void test_reader_rejects_bad_headers(void **state)
{
	static const char *const rows[] = {
	    "",
	    "{\"format\":\"other\",\"version\":1}\n",
	    "{\"format\":\"wasi-tofu-journal\",\"version\":3}\n",
	    "{\"format\":\"wasi-tofu-journal\",\"version\":0}\n",
	    "{\"format\":\"wasi-tofu-journal\",\"version\":1,\"tool\":\"x\"}\n",
	    /* a good header but for its fakes */
	    "{\"format\":\"wasi-tofu-journal\",\"version\":1,\"tool\":\"0.1.0\",\"module\":{"
	    "\"path\":"
	    "\"m.wasm\",\"size\":8,\"sha256\":"
	    "\"0000000000000000000000000000000000000000000000000000000000000000\"},\"argv\":[],"
	    "\"env\":[],\"mounts\":[],\"cwd\":\"/\",\"start\":\"x\",\"fake_clocks\":1}\n",
	    "{\"format\":\"wasi-tofu-journal\",\"version\":1,\"tool\":\"0.1.0\",\"module\":{"
	    "\"path\":"
	    "\"m.wasm\",\"size\":8,\"sha256\":"
	    "\"0000000000000000000000000000000000000000000000000000000000000000\"},\"argv\":[],"
	    "\"env\":[],\"mounts\":[],\"cwd\":\"/\",\"start\":\"x\",\"fake_random\":-1}\n",
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		wt_journal *j = NULL;
		wt_error err;

		wt_error_init(&err);
		assert_int_equal(wt_journal_parse(rows[i], strlen(rows[i]), &j, &err),
				 WT_MALFORMED);
		assert_int_equal(err.line, 1);
	}
}

/* A path, mount, cwd, module path or env name longer than the engine makes
 * (WT_PATH_MAX): 65 at its line, from the yajl reader's lines and jansson's. */
static void test_reader_limits_path_length(void **state)
{
	static const char *const lines[] = {
	    "%s{\"seq\":1,\"call\":\"path_open\",\"path\":\"%s\",\"errno\":\"success\","
	    "\"verdict\":\"allow\"}\n",
	    "%s{\"seq\":1,\"call\":\"path_open\",\"fd_path\":\"%s\",\"errno\":\"success\","
	    "\"verdict\":\"allow\",\"x\":null}\n",
	    "{\"format\":\"wasi-tofu-journal\",\"version\":1,\"tool\":\"0.1.0\",\"module\":{"
	    "\"path\":\"m.wasm\",\"size\":8,\"sha256\":"
	    "\"0000000000000000000000000000000000000000000000000000000000000000\"},\"argv\":[],"
	    "\"env\":[],\"mounts\":[{\"guest\":\"%s\",\"host\":\".\",\"ro\":true}],"
	    "\"cwd\":\"/\",\"start\":\"x\"}\n%s",
	    "{\"format\":\"wasi-tofu-journal\",\"version\":1,\"tool\":\"0.1.0\",\"module\":{"
	    "\"path\":\"m.wasm\",\"size\":8,\"sha256\":"
	    "\"0000000000000000000000000000000000000000000000000000000000000000\"},\"argv\":[],"
	    "\"env\":[\"%s\"],\"mounts\":[],\"cwd\":\"/\",\"start\":\"x\"}\n%s",
	};
	static char text[12000], name[4200];

	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		for (size_t n = 4094; n <= 4095; n++) { /* 4095 bytes in all, then 4096 */
			wt_journal *j = NULL;
			wt_error err;
			int rc;

			name[0] = i == 3 ? 'E' : '/';
			memset(name + 1, 'p', n);
			name[n + 1] = '\0';
			if (i < 2)
				snprintf(text, sizeof text, lines[i], good_header, name);
			else
				snprintf(text, sizeof text, lines[i], name, "");
			wt_error_init(&err);
			rc = wt_journal_parse(text, strlen(text), &j, &err);
			wt_journal_free(j);
			if (n == 4094) {
				assert_int_equal(rc, 0);
				continue;
			}
			assert_int_equal(rc, WT_MALFORMED);
			assert_int_equal(err.line, i < 2 ? 2 : 1);
			assert_int_equal(err.column, 1);
			assert_non_null(strstr(err.msg, "longer than 4095 bytes"));
		}
	}
}

/* Cut anywhere in the last line: every complete line is used. */
static void test_reader_accepts_a_journal_cut_short(void **state)
{
	char text[2048];
	size_t head = strlen(good_header), call = strlen(good_call);

	snprintf(text, sizeof text, "%s%s%s", good_header, good_call, good_call);
	for (size_t cut = head + call; cut <= head + 2 * call; cut++) {
		wt_journal *j = NULL;
		wt_error err;

		wt_error_init(&err);
		assert_int_equal(wt_journal_parse(text, cut, &j, &err), 0);
		assert_int_equal(j->cut_short, 1);
		assert_int_equal(j->end.how, WT_JOURNAL_CUT);
		/* only a line cut right before its newline is whole */
		assert_int_equal(j->ncalls, cut >= head + 2 * call - 1 ? 2 : 1);
		wt_journal_free(j);
	}
}

static void test_record_policy_allows_and_journals(void **state)
{
	static const char *const argv[] = {"m.wasm"};
	wt_run_config cfg;
	wt_record *r;
	wt_policy *p;
	wt_error err;
	wt_run_result res;
	wt_journal *j;
	wt_event e = ev_path(1, WT_WASI_path_unlink_file, "/etc/passwd", WT_RIGHT_DELETE, 0);
	char path[128];

	temp_path(path, sizeof path, "record");
	memset(&cfg, 0, sizeof cfg);
	cfg.wasi.argc = 1;
	cfg.wasi.argv = argv;
	wt_error_init(&err);
	assert_int_equal(wt_record_new(path, &cfg, &r, &err), 0);
	p = wt_record_policy(r);
	assert_int_equal(wt_record_started(r), 0);
	uint8_t sha[32];
	wt_sha256("abc", 3, sha); /* the run's digest of the bytes, which the journal takes */
	assert_int_equal(wt_record_module_read(r, "m.wasm", (const uint8_t *)"abc", 3, sha, &err),
			 0);
	assert_int_equal(wt_record_started(r), 1);
	assert_int_equal(p->decide(p->self, &e), WT_ALLOW);
	p->observe(p->self, &e);
	memset(&res, 0, sizeof res);
	res.outcome = WT_RUN_EXITED;
	res.exit_code = 0;
	assert_int_equal(wt_record_finish(r, &res, 2, &err), 0);
	wt_record_free(r);
	assert_int_equal(wt_journal_read(path, &j, &err), 0);
	unlink(path);
	assert_string_equal(j->header.sha256,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(j->header.cwd, "/");
	assert_int_equal(j->ncalls, 1);
	assert_int_equal(j->end.how, WT_JOURNAL_SIGNAL);
	assert_string_equal(j->end.message, "SIGINT");
	wt_journal_free(j);
}

/* A guest making call after call under record with a small cap: once the journal is full the
 * run is interrupted (at its loop's back-edge, before its next call: a timeout-kind trap, not
 * the policy's stop), the policy stops any further call, and the journal ends with the cap. */
static void test_record_cap_stops_the_run(void **state)
{
	static const char wat[] =
	    "(module\n"
	    "  (import \"wasi_snapshot_preview1\" \"args_sizes_get\"\n"
	    "    (func $args (param i32 i32) (result i32)))\n"
	    "  (memory (export \"memory\") 1)\n"
	    "  (func (export \"_start\") (local $i i32)\n"
	    "    (loop $calls\n"
	    "      (drop (call $args (i32.const 0) (i32.const 4)))\n"
	    "      (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
	    "      (br_if $calls (i32.lt_u (local.get $i) (i32.const 100000))))))\n";
	static const char *const argv[] = {"spin.wasm"};
	wt_run_hooks hooks = {0};
	wt_run_config cfg;
	wt_run_result res;
	wt_record *r;
	wt_policy *p;
	wt_journal *j;
	wt_error err;
	wt_event e = ev_new(1, WT_WASI_args_sizes_get);
	char module[128], path[128];
	uint8_t *bytes;
	size_t size;
	FILE *f;

	if (wt_test_wat_bytes(wat, "", &bytes, &size) != 0)
		skip();
	temp_path(module, sizeof module, "spin.wasm");
	temp_path(path, sizeof path, "spin");
	assert_non_null(f = fopen(module, "wb"));
	assert_int_equal(fwrite(bytes, 1, size, f), size);
	fclose(f);
	free(bytes);
	memset(&cfg, 0, sizeof cfg);
	cfg.module_path = module;
	cfg.wasi.argc = 1, cfg.wasi.argv = argv;
	cfg.wasi.stdio_fds[0] = cfg.wasi.stdio_fds[1] = cfg.wasi.stdio_fds[2] = -1;
	wt_error_init(&err);
	assert_int_equal(wt_record_new(path, &cfg, &r, &err), 0);
	wt_record_set_journal_max(r, 16384);
	cfg.wasi.policy = p = wt_record_policy(r);
	hooks.ctx = r, hooks.module_read = wt_record_module_read, hooks.store = wt_record_store;
	cfg.hooks = &hooks;
	wt_run(&cfg, &res);
	assert_int_equal(res.outcome, WT_RUN_TRAPPED);
	assert_int_equal(res.trap.kind, WT_TRAP_TIMEOUT);
	assert_int_equal(wt_record_capped(r), 1);
	assert_int_equal(p->decide(p->self, &e), WT_STOP);
	assert_int_equal(wt_record_finish(r, &res, 0, &err), 0);
	wt_record_free(r);
	assert_int_equal(wt_journal_read(path, &j, &err), 0);
	assert_true((uint64_t)file_size(path) <= 16384);
	assert_int_equal(j->end.how, WT_JOURNAL_CAP);
	assert_int_equal(j->end.unjournaled, 1);
	assert_int_equal(j->end.calls, j->ncalls + 1);
	assert_true(j->ncalls > 100 && j->ncalls < 1000);
	wt_journal_free(j);
	unlink(path);
	unlink(module);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_call_roundtrip),
	    cmocka_unit_test(test_json_bytes_use_b64_only_when_needed),
	    cmocka_unit_test(test_yajl_reader_agrees_with_jansson),
	    cmocka_unit_test(test_yajl_reader_leaves_other_forms_to_jansson),
	    cmocka_unit_test(test_json_cycle_roundtrip),
	    cmocka_unit_test(test_yajl_reader_agrees_on_cycle_lines),
	    cmocka_unit_test(test_yajl_reader_cycle_forms),
	    cmocka_unit_test(test_writer_header_and_end),
	    cmocka_unit_test(test_writer_header_fakes),
	    cmocka_unit_test(test_writer_folds_identical_calls),
	    cmocka_unit_test(test_writer_fold_is_bounded),
	    cmocka_unit_test(test_writer_folds_and_expands_random_runs),
	    cmocka_unit_test(test_writer_cycle_lines),
	    cmocka_unit_test(test_writer_path_repeat_lines),
	    cmocka_unit_test(test_writer_abandoned_keeps_full_buffers),
	    cmocka_unit_test(test_writer_cap_stops_journaling),
	    cmocka_unit_test(test_writer_cap_met_at_close),
	    cmocka_unit_test(test_reader_rejects_malformed_lines),
	    cmocka_unit_test(test_reader_rejects_malformed_folded_lines),
	    cmocka_unit_test(test_reader_reads_versions_1_and_2),
	    cmocka_unit_test(test_reader_rejects_bad_headers),
	    cmocka_unit_test(test_reader_accepts_a_journal_cut_short),
	    cmocka_unit_test(test_reader_limits_path_length),
	    cmocka_unit_test(test_record_policy_allows_and_journals),
	    cmocka_unit_test(test_record_cap_stops_the_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
