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
			fprintf(f, "\n%*s", INDENT, "");
			col = INDENT, empty = 1;
		}
		if (!empty)
			fputc(' ', f), col++;
		while (col + wc > WIDTH) { /* a word longer than the line: break it */
			size_t take = fit(text + i, w, WIDTH - col);
			fwrite(text + i, 1, take, f);
			fprintf(f, "\n%*s", INDENT, "");
			col = INDENT, i += take, w -= take, wc = columns(text + i, w);
		}
		fwrite(text + i, 1, w, f);
		col += wc, i += w, empty = 0;
	}
	fputc('\n', f);
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
		fprintf(f, "%.*s%s", (int)(q - p), p, k + 1 == n ? " and " : ", ");
	fputs(*p ? p : "use", f);
}

static char *escaped(const char *s, size_t len)
{
	return wt_escape_for_terminal_dup(s ? s : "", s ? len : 0);
}

static void body(FILE *f, const char *mod, const char *man, const wt_devreq *r, const char *path,
		 const char *path2, const char *host, const char *fix)
{
	char *line = NULL;
	size_t len = 0;
	FILE *g = open_memstream(&line, &len);

	if (!g)
		return;
	fprintf(g, "%s wants to ", mod);
	if (r->what)
		fprintf(g, "use %s", r->what);
	else
		rights_words(g, r->rights);
	if (r->path)
		fprintf(g, " %s", path);
	fprintf(g, " (%s), which %s does not grant.", wt_wasi_call_name(r->call), man);
	fclose(g);
	if (line)
		wrap(f, "", line);
	free(line);
	if (r->path2)
		wrap(f, "  other path: ", path2);
	if (r->host_path)
		wrap(f, "  host path: ", host);
	if (fix) {
		fprintf(f, "  the line that grants it:\n");
		wrap(f, "    ", fix);
	}
}

char *wt_prompt_format(const char *module, const char *manifest, const wt_devreq *req,
		       const char *fix)
{
	char *mod = escaped(module ? module : "the module", module ? strlen(module) : 10);
	char *man = escaped(manifest ? manifest : "the manifest", manifest ? strlen(manifest) : 12);
	char *path = escaped(req->path, req->path_len),
	     *path2 = escaped(req->path2, req->path2_len);
	char *host = escaped(req->host_path, req->host_path ? strlen(req->host_path) : 0);
	char *efix = escaped(fix, fix ? strlen(fix) : 0), *out = NULL;
	size_t len = 0;
	FILE *f;

	if (mod && man && path && path2 && host && efix && (f = open_memstream(&out, &len))) {
		body(f, mod, man, req, path, path2, host, fix ? efix + strspn(efix, " ") : NULL);
		if (fclose(f)) {
			free(out);
			out = NULL;
		}
	}
	free(mod), free(man), free(path), free(path2), free(host), free(efix);
	return out;
}
