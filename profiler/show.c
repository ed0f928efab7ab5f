/* show.c: `wasi-tofu journal show`: a readable summary of a journal. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "journal.h"

/* One (path, call line) pair, sorted by path to group them. */
typedef struct path_use {
	const char *path;
	uint32_t len;
	uint32_t rights;
	uint16_t errno_result;
	uint64_t count;
} path_use;

static void show_header(const wt_journal *j, FILE *out)
{
	const wt_journal_header *h = &j->header;

	wt_escape_fprintf(out, "module:   %s (%llu bytes, sha256 %s)\n", h->module_path,
			  (unsigned long long)h->module_size, h->sha256);
	wt_escape_fprintf(out, "recorded: %s by wasi-tofu %s\nargv:    ", h->start,
			  h->tool_version);
	for (int i = 0; i < h->argc; i++)
		wt_escape_fprintf(out, " %s", h->argv[i]);
	fprintf(out, "\nmounts:  ");
	for (int i = 0; i < h->nmounts; i++)
		wt_escape_fprintf(out, " %s <- %s (%s)", h->mounts[i].guest, h->mounts[i].host,
				  h->mounts[i].readonly ? "ro" : "rw");
	wt_escape_fprintf(out, "%s\ncwd:      %s\n", h->nmounts ? "" : " none", h->cwd);
}

static void show_end(const wt_journal *j, FILE *out)
{
	const wt_journal_end *e = &j->end;

	fprintf(out, "ended:    ");
	switch (e->how) {
	case WT_JOURNAL_CUT:
		fprintf(out,
			"cut short: no end line (the run was killed?); %u complete lines used\n",
			j->nlines);
		return;
	case WT_JOURNAL_EXIT:
		fprintf(out, "exit %u", e->exit_code);
		break;
	case WT_JOURNAL_CAP:
		fprintf(out,
			"stopped at the journal's cap of %llu bytes (record --journal-max); "
			"%llu calls made are not in it",
			(unsigned long long)e->journal_max, (unsigned long long)e->unjournaled);
		break;
	default:
		wt_escape_fprintf(out, "%s: %s", wt_journal_how_name(e->how),
				  e->message ? e->message : "?");
		break;
	}
	fprintf(out, " after %.3f s\n", (double)e->duration_ns / 1e9);
}

static void show_calls(const wt_journal *j, FILE *out)
{
	uint64_t count[WT_WASI_CALL_COUNT] = {0}, errors[WT_WASI_CALL_COUNT] = {0}, total = 0;
	size_t lines = 0;

	for (size_t i = 0; i < j->ncalls; i++) {
		const wt_journal_call *c = &j->calls[i];

		count[c->ev.call] += c->count;
		errors[c->ev.call] += c->ev.errno_result ? c->count : 0;
		total += c->count;
		lines += c->pos == 0; /* a cycle line's calls after its first are in its line */
	}
	fprintf(out, "\ncalls: %llu in %zu lines\n", (unsigned long long)total, lines);
	for (int k = 0; k < WT_WASI_CALL_COUNT; k++) {
		if (!count[k])
			continue;
		wt_escape_fprintf(out, "  %-24s %8llu", wt_wasi_call_name((wt_wasi_call)k),
				  (unsigned long long)count[k]);
		if (errors[k])
			fprintf(out, "  (%llu failed)", (unsigned long long)errors[k]);
		fputc('\n', out);
	}
}

static int cmp_use(const void *pa, const void *pb)
{
	const path_use *a = pa, *b = pb;
	uint32_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->path, b->path, n);

	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return (int)a->errno_result - (int)b->errno_result;
}

static int is_path_call(wt_wasi_call call)
{
	static const unsigned char classes[] = {
#define WT_X_CLASS(name, sig, cls) WT_CLASS_##cls,
	    WT_WASI_CALL_LIST(WT_X_CLASS)
#undef WT_X_CLASS
	};

	return classes[call] == WT_CLASS_PATH;
}

/* The rights a call used on its second path: what it made there. */
static uint32_t path2_rights(const wt_event *ev)
{
	return ev->call == WT_WASI_path_symlink ? WT_RIGHT_SYMLINK : WT_RIGHT_CREATE;
}

/* Every use of a guest path: path and path2 of path calls, and the fd's
 * path of calls on an opened file or folder. A path call whose path did
 * not resolve (EILSEQ, ENOTCAPABLE ...) counts under "(unresolved)". */
static size_t collect_uses(const wt_journal *j, path_use *u)
{
	static const char unresolved[] = "(a path that did not resolve)";
	size_t n = 0;

	for (size_t i = 0; i < j->ncalls; i++) {
		const wt_event *ev = &j->calls[i].ev;
		path_use base = {NULL, 0, ev->rights, ev->errno_result, j->calls[i].count};

		if (ev->path) {
			u[n] = base, u[n].path = ev->path, u[n].len = ev->path_len;
			n++;
		} else if (is_path_call(ev->call)) {
			u[n] = base, u[n].path = unresolved, u[n].len = sizeof unresolved - 1;
			n++;
		} else if (ev->fd_path && ev->rights) {
			u[n] = base, u[n].path = ev->fd_path,
			u[n].len = (uint32_t)strlen(ev->fd_path);
			n++;
		}
		if (ev->path2) {
			u[n] = base, u[n].path = ev->path2, u[n].len = ev->path2_len;
			u[n].rights = path2_rights(ev);
			n++;
		}
	}
	return n;
}

/* Prints one group u[0..n) of the same path. */
static void show_path(FILE *out, const path_use *u, size_t n)
{
	uint32_t rights = 0;
	char buf[160], ebuf[32];

	for (size_t i = 0; i < n; i++)
		rights |= u[i].rights;
	fputs("  ", out);
	wt_escape_fwrite(u[0].path, u[0].len, out); /* the bytes of a path_b64 may hold a NUL */
	wt_escape_fprintf(out, "  [%s]", wt_rights_format(rights, buf, sizeof buf));
	for (size_t i = 0; i < n;) {
		uint64_t times = 0;
		size_t k = i;

		for (; k < n && u[k].errno_result == u[i].errno_result; k++)
			times += u[k].count;
		if (u[i].errno_result)
			wt_escape_fprintf(
			    out, " %s x%llu",
			    wt_journal_errno_name(u[i].errno_result, ebuf, sizeof ebuf),
			    (unsigned long long)times);
		i = k;
	}
	fputc('\n', out);
}

static int show_paths(const wt_journal *j, FILE *out, wt_error *err)
{
	path_use *u = calloc(2 * j->ncalls + 1, sizeof *u);
	size_t n;

	if (!u)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	n = collect_uses(j, u);
	qsort(u, n, sizeof *u, cmp_use);
	fprintf(out, "\npaths: rights used [..], errors met\n");
	for (size_t i = 0; i < n;) {
		size_t k = i + 1;

		while (k < n && u[k].len == u[i].len && memcmp(u[k].path, u[i].path, u[i].len) == 0)
			k++;
		show_path(out, u + i, k - i);
		i = k;
	}
	if (n == 0)
		fprintf(out, "  none\n");
	free(u);
	return 0;
}

/* env names, clocks, random bytes, stdio bytes. */
static void show_other(const wt_journal *j, FILE *out)
{
	uint64_t clocks[5] = {0}, random_calls = 0, random_bytes = 0, stdio[3] = {0};

	for (size_t i = 0; i < j->ncalls; i++) {
		const wt_event *ev = &j->calls[i].ev;
		uint64_t n = j->calls[i].count;

		if (ev->call == WT_WASI_clock_time_get || ev->call == WT_WASI_clock_res_get)
			clocks[ev->clock_id < 4 ? ev->clock_id : 4] += n;
		if (ev->call == WT_WASI_random_get)
			random_calls += n, random_bytes += ev->done;
		if ((ev->call == WT_WASI_fd_read || ev->call == WT_WASI_fd_write) && ev->fd >= 0 &&
		    ev->fd <= 2 && !ev->fd_path)
			stdio[ev->fd] += ev->done;
	}
	fprintf(out, "\nenv:      ");
	for (int i = 0; i < j->header.nenv; i++)
		wt_escape_fprintf(out, "%s%c", j->header.env_names[i],
				  i + 1 < j->header.nenv ? ' ' : '\n');
	if (!j->header.nenv)
		fprintf(out, "none\n");
	fprintf(out, "clocks:   ");
	for (uint32_t c = 0; c < 5; c++)
		if (clocks[c])
			wt_escape_fprintf(out, "%s x%llu  ",
					  c < 4 ? wt_journal_clock_name(c) : "other",
					  (unsigned long long)clocks[c]);
	wt_escape_fprintf(out, "%s\n",
			  clocks[0] + clocks[1] + clocks[2] + clocks[3] + clocks[4] ? "" : "none");
	fprintf(out, "random:   %llu bytes in %llu calls\n", (unsigned long long)random_bytes,
		(unsigned long long)random_calls);
	fprintf(out, "stdio:    stdin %llu bytes read, stdout %llu and stderr %llu bytes written\n",
		(unsigned long long)stdio[0], (unsigned long long)stdio[1],
		(unsigned long long)stdio[2]);
}

int wt_journal_show(const wt_journal *j, FILE *out, wt_error *err)
{
	show_header(j, out);
	show_end(j, out);
	show_calls(j, out);
	if (show_paths(j, out, err))
		return err->code;
	show_other(j, out);
	return 0;
}
