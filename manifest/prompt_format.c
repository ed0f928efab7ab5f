/* prompt_format.c: the prompt's question: escaped guest text, wrapped to 80 columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "prompt.h"
#include "wasi.h"

enum { WIDTH = 80, INDENT = 2 };

const char *wt_prompt_choices(int can_always)
{
	if (can_always)
		return "[y] allow once  [a] allow always (add to manifest)  [n] deny  [h] hide\n"
		       "[d] deny everything further  [s] stop the run\n";
	return "[y] allow once  [n] deny  [h] hide  [d] deny everything further  [s] stop\n";
}

/* Columns a piece of escaped text takes: one per code point (escaped text
 * holds no controls; wide characters are counted as one). */
static size_t columns(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* The byte length of the longest prefix of s[0..n) that fits in cols
 * columns, never splitting a UTF-8 sequence; at least one code point. */
static size_t fit(const char *s, size_t n, size_t cols)
{
	size_t i = 0, c = 0;

	while (i < n) {
		size_t j = i + 1;
		while (j < n && ((unsigned char)s[j] & 0xc0) == 0x80)
			j++;
		if (c + 1 > cols && i > 0)
			break;
		c++, i = j;
	}
	return i;
}

/* Writes label, then text as lines of at most WIDTH columns: words wrap
 * at spaces, a word longer than a line (a path) breaks anywhere; lines
 * after the first are indented by INDENT. */
static void wrap(FILE *f, const char *label, const char *text)
{
	size_t col = strlen(label), n = strlen(text), i = 0;
	int empty = 1; /* nothing of text on this line yet */

	fputs(label, f);
	while ((i += strspn(text + i, " ")) < n) {
		size_t w = strcspn(text + i, " "), wc = columns(text + i, w);

		if (!empty && col + 1 + wc > WIDTH) {
			wt_escape_fprintf(f, "\n%*s", INDENT, "");
			col = INDENT, empty = 1;
		}
		if (!empty)
			fputc(' ', f), col++;
		while (col + wc > WIDTH) { /* a word longer than the line: break it */
			size_t take = fit(text + i, w, WIDTH - col);
			fwrite(text + i, 1, take, f);
			wt_escape_fprintf(f, "\n%*s", INDENT, "");
			col = INDENT, i += take, w -= take, wc = columns(text + i, w);
		}
		fwrite(text + i, 1, w, f);
		col += wc, i += w, empty = 0;
	}
	fputc('\n', f);
}

char *wt_prompt_choices_file(const char *file)
{
	char *text = NULL, *name = NULL;
	size_t len = 0, nlen = 0;
	FILE *f = open_memstream(&name, &nlen);

	if (!f)
		return NULL;
	wt_escape_fprintf(f, "%s", file); /* escaped: no control reaches the terminal */
	if (fclose(f) || !(f = open_memstream(&text, &len))) {
		free(name);
		return NULL;
	}
	wrap(f, "[y] allow once  [a] allow always: add the grant to ", name);
	fputs("[n] deny  [h] hide  [d] deny everything further  [s] stop the run\n", f);
	free(name);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/* "read", "read and write", "read, list and stat". */
static void rights_words(FILE *f, uint32_t rights)
{
	char buf[160], *p = buf;
	size_t n = 0, k = 0;

	wt_rights_format(rights, buf, sizeof buf);
	for (char *q = buf; *q; q++)
		n += *q == ',';
	for (char *q; (q = strchr(p, ',')); p = q + 1, k++)
		wt_escape_fprintf(f, "%.*s%s", (int)(q - p), p, k + 1 == n ? " and " : ", ");
	wt_escape_fprintf(f, "%s", *p ? p : "use");
}

/* label, then s[0..len) escaped and wrapped; -1 when out of memory. */
static int wrap_escaped(FILE *f, const char *label, const char *s, size_t len)
{
	char *text = wt_escape_for_terminal_dup(s, len);

	if (!text)
		return -1;
	wrap(f, label, text);
	free(text);
	return 0;
}

/* "M wants to read P (path_open), which N does not grant.", escaped; -1: no memory. */
static int headline(FILE *f, const char *mod, const char *man, const wt_devreq *r)
{
	char *line = NULL;
	size_t len = 0;
	FILE *g = open_memstream(&line, &len);
	int rc;

	if (!g)
		return -1;
	wt_escape_fprintf(g, "%s wants to ", mod);
	if (r->what)
		wt_escape_fprintf(g, "use %s", r->what);
	else
		rights_words(g, r->rights);
	if (r->path) {
		fputc(' ', g);
		wt_escape_fwrite(r->path, r->path_len, g);
	}
	wt_escape_fprintf(g, " (%s), which %s does not grant.", wt_wasi_call_name(r->call), man);
	rc = fclose(g) || !line ? -1 : 0;
	if (rc == 0)
		wrap(f, "", line);
	free(line);
	return rc;
}

static int body(FILE *f, const char *mod, const char *man, const wt_devreq *r, const char *fix)
{
	if (headline(f, mod, man, r) ||
	    (r->path2 && wrap_escaped(f, "  other path: ", r->path2, r->path2_len)) ||
	    (r->host_path && wrap_escaped(f, "  host path: ", r->host_path, strlen(r->host_path))))
		return -1;
	if (!fix)
		return 0;
	fputs("  the line that grants it:\n", f);
	fix += strspn(fix, " ");
	return wrap_escaped(f, "    ", fix, strlen(fix));
}

char *wt_prompt_format(const char *module, const char *manifest, const wt_devreq *req,
		       const char *fix)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int rc;

	if (!f)
		return NULL;
	rc =
	    body(f, module ? module : "the module", manifest ? manifest : "the manifest", req, fix);
	if (fclose(f) || rc) {
		free(out);
		out = NULL;
	}
	return out;
}
