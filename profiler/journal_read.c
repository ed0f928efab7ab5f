/* journal_read.c: the journal reader: splits lines, parses each, line:column errors, cut-short. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grow.h"
#include "journal_json.h"

/* The reader's state between lines. */
typedef struct read_state {
	wt_journal *j;
	size_t cap; /* of j->calls */
	int has_header, has_end;
	wt_journal_yajl *yajl; /* reads most call lines; jansson the rest */
} read_state;

/* Room for one more line's calls (a cycle line has several). */
static int reserve_call(read_state *st, wt_error *err)
{
	wt_journal *j = st->j;

	if (WT_GROW(&j->calls, &st->cap, j->ncalls + WT_JOURNAL_CYCLE_MAX, 256))
		return wt_fail_plain(err, WT_NOMEM, "out of memory reading the journal");
	return 0;
}

static int add_call(read_state *st, const json_t *o, unsigned line, wt_error *err)
{
	wt_journal *j = st->j;

	if (wt_journal_call_from_json(o, &j->calls[j->ncalls], &j->arena, line, err))
		return err->code;
	j->ncalls++;
	return 0;
}

/* A cycle line: its calls, one entry each. */
static int add_cycle(read_state *st, const json_t *o, unsigned line, wt_error *err)
{
	wt_journal *j = st->j;
	size_t n;

	if (j->header.version < 2)
		return wt_fail_at(err, WT_MALFORMED, line, 1,
				  "a cycle line in a version 1 journal");
	if (wt_journal_cycle_from_json(o, &j->calls[j->ncalls], &n, &j->arena, line, err))
		return err->code;
	j->ncalls += n;
	return 0;
}

static int add_end(read_state *st, const json_t *o, unsigned line, wt_error *err)
{
	wt_journal *j = st->j;

	st->has_end = 1;
	if (wt_journal_end_from_json(o, &j->end, &j->arena, line, err))
		return err->code;
	if (j->end.how == WT_JOURNAL_CAP && j->header.version < 2)
		return wt_fail_at(err, WT_MALFORMED, line, 1,
				  "field \"end\": \"cap\" in a version 1 journal");
	return 0;
}

/* One parsed line: the header first, then calls, then the end. */
static int take_line(read_state *st, const json_t *o, unsigned line, wt_error *err)
{
	if (!json_is_object(o))
		return wt_fail_at(err, WT_MALFORMED, line, 1, "expected a JSON object");
	if (st->has_end)
		return wt_fail_at(err, WT_MALFORMED, line, 1, "a line after the end line");
	if (!st->has_header) {
		st->has_header = 1;
		return wt_journal_header_from_json(o, &st->j->header, &st->j->arena, line, err);
	}
	if (json_object_get(o, "cycle"))
		return add_cycle(st, o, line, err);
	if (json_object_get(o, "call"))
		return add_call(st, o, line, err);
	if (json_object_get(o, "end"))
		return add_end(st, o, line, err);
	return wt_fail_at(err, WT_MALFORMED, line, 1,
			  "neither a call line, a cycle line nor the end line");
}

/* A call or cycle line read by yajl's streaming parser without a jansson
 * tree (most lines of a journal: journal_yajl.c); 1 when it was. A
 * version 1 journal has no cycle lines: there it takes call lines only. */
static int yajl_call(read_state *st, const char *p, size_t n, unsigned line)
{
	wt_journal *j = st->j;
	size_t room = j->header.version < 2 ? 1 : WT_JOURNAL_CYCLE_MAX, got;

	if (!st->has_header || st->has_end)
		return 0;
	got = wt_journal_yajl_read(st->yajl, p, n, &j->calls[j->ncalls], room, &j->arena);
	j->ncalls += got;
	if (got)
		j->nlines = line;
	return got != 0;
}

/* Parses one line (without its newline). last_cut: the line had no
 * newline, so a parse failure means the file was cut there. */
static int parse_line(read_state *st, const char *p, size_t n, unsigned line, int last_cut,
		      wt_error *err)
{
	json_error_t je;
	json_t *o;
	int rc;

	if (reserve_call(st, err))
		return err->code;
	if (yajl_call(st, p, n, line))
		return 0;
	o = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je);
	if (!o && last_cut) {
		st->j->cut_short = 1;
		return 0;
	}
	if (!o)
		return wt_fail_at(err, WT_MALFORMED, line, je.column > 0 ? (unsigned)je.column : 1,
				  "%s", je.text);
	rc = take_line(st, o, line, err);
	json_decref(o);
	if (rc == 0)
		st->j->nlines = line;
	return rc;
}

int wt_journal_parse(const char *bytes, size_t len, wt_journal **out, wt_error *err)
{
	read_state st = {0};
	size_t off = 0;
	unsigned line = 0;
	int rc = 0;

	*out = NULL;
	if (!(st.j = calloc(1, sizeof *st.j)) || !(st.yajl = wt_journal_yajl_new())) {
		free(st.j);
		return wt_fail_plain(err, WT_NOMEM, "out of memory reading the journal");
	}
	wt_arena_init(&st.j->arena);
	while (off < len && rc == 0) {
		const char *nl = memchr(bytes + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (bytes + off)) : len - off;

		line++;
		rc = parse_line(&st, bytes + off, n, line, !nl, err);
		off += n + (nl != NULL);
	}
	if (rc == 0 && !st.has_header)
		rc = wt_fail_at(err, WT_MALFORMED, 1, 1, "empty journal: no header line");
	wt_journal_yajl_free(st.yajl);
	if (rc) {
		wt_journal_free(st.j);
		return rc;
	}
	if (!st.has_end) {
		st.j->cut_short = 1;
		st.j->end.how = WT_JOURNAL_CUT;
	}
	*out = st.j;
	return 0;
}

/* Reads the whole file into a fresh buffer. */
static int slurp(const char *path, char **out, size_t *len, wt_error *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf = NULL;
	size_t got = 0;

	if (fd < 0)
		return wt_fail_plain(err, WT_NOINPUT, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return wt_fail_plain(err, WT_NOINPUT, "%s: not a regular file", path);
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return wt_fail_plain(err, WT_NOMEM, "%s: too large to read", path);
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*out = buf;
	*len = got;
	return 0;
}

int wt_journal_read(const char *path, wt_journal **out, wt_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = slurp(path, &buf, &len, err)))
		return rc;
	rc = wt_journal_parse(buf, len, out, err);
	free(buf);
	return rc;
}

void wt_journal_free(wt_journal *j)
{
	if (!j)
		return;
	free(j->calls);
	wt_arena_fini(&j->arena);
	free(j);
}
