/* mutate_text_test.c: the deterministic mutation test of the manifest and journal readers:
 * seeded text mutations of real manifests and journals (and the shapes that make a naive
 * reader quadratic) never crash, and every rejection is a status with a line:column. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzz_text.h"

/* Budget: MUTATIONS_PER_FILE mutants of every seed (seeds over MAX_FILE_SIZE skipped), so the
 * test takes a few seconds, sanitizers included. */
enum { MUTATIONS_PER_FILE = 60, MAX_FILE_SIZE = 1 << 16, MAX_GROWTH = 4096 };

typedef struct blob {
	char *data;
	size_t size, cap;
} blob;

typedef struct tally {
	size_t runs, read, rejected;
} tally;

/* The seed folders given on the command line, as KIND=DIR (manifest=..., journal=...). */
static const char **g_dirs;
static int g_ndirs;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file of the folders of one kind, sorted; *n set. */
static char **list_files(const char *kind, size_t *n)
{
	size_t k = strlen(kind), cap = 0;
	char **paths = NULL;

	*n = 0;
	for (int i = 0; i < g_ndirs; i++) {
		DIR *d;
		struct dirent *e;

		if (strncmp(g_dirs[i], kind, k) || g_dirs[i][k] != '=' ||
		    !(d = opendir(g_dirs[i] + k + 1)))
			continue;
		while ((e = readdir(d))) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			if (*n == cap) {
				cap = cap ? 2 * cap : 64;
				paths = realloc(paths, cap * sizeof *paths);
				assert_non_null(paths);
			}
			snprintf(path, sizeof path, "%s/%s", g_dirs[i] + k + 1, e->d_name);
			assert_non_null(paths[(*n)++] = strdup(path));
		}
		closedir(d);
	}
	if (*n)
		qsort(paths, *n, sizeof *paths, cmp_str);
	return paths;
}

/* Reads a whole file, with room to grow; data NULL when it cannot be read or is too large. */
static blob read_file(const char *path)
{
	blob b = {0};
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return b;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n <= MAX_FILE_SIZE &&
	    fseek(f, 0, SEEK_SET) == 0) {
		b.cap = (size_t)n + MAX_GROWTH;
		b.data = malloc(b.cap);
		if (b.data && fread(b.data, 1, (size_t)n, f) == (size_t)n)
			b.size = (size_t)n;
		else
			free(b.data), b.data = NULL;
	}
	fclose(f);
	return b;
}

/* xorshift64*: the seeded generator; the same seed, the same mutants. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

static size_t below(uint64_t *s, size_t n)
{
	return n ? (size_t)(next(s) % n) : 0;
}

/* Puts p[0..k) at `at`, when it fits. */
static void insert(blob *b, size_t at, const char *p, size_t k)
{
	if (b->size + k > b->cap || at > b->size)
		return;
	memmove(b->data + at + k, b->data + at, b->size - at);
	memcpy(b->data + at, p, k);
	b->size += k;
}

static void erase(blob *b, size_t at, size_t k)
{
	if (k > b->size - at)
		k = b->size - at;
	memmove(b->data + at, b->data + at + k, b->size - at - k);
	b->size -= k;
}

/* The start of the line holding byte `at`, and its end (after the newline). */
static size_t line_start(const blob *b, size_t at)
{
	while (at > 0 && b->data[at - 1] != '\n')
		at--;
	return at;
}

static size_t line_end(const blob *b, size_t at)
{
	while (at < b->size && b->data[at] != '\n')
		at++;
	return at < b->size ? at + 1 : at;
}

/* Copies a whole line to the start of another: a key or entry given twice, out of place. */
static void copy_line(blob *b, uint64_t *s)
{
	size_t from = line_start(b, below(s, b->size)), end = line_end(b, from);
	size_t to = line_start(b, below(s, b->size + 1));
	char line[512];
	size_t k = end - from < sizeof line ? end - from : sizeof line;

	memcpy(line, b->data + from, k);
	insert(b, to, line, k);
}

/* A run of bytes repeated: deeper nesting, longer names, more entries. */
static void repeat_run(blob *b, uint64_t *s)
{
	size_t at = below(s, b->size), k = 1 + below(s, 8), times = 1 + below(s, 80);
	char run[8];

	if (k > b->size - at)
		k = b->size - at;
	memcpy(run, b->data + at, k);
	while (times--)
		insert(b, at, run, k);
}

/* Tokens that matter to YAML, to JSON and to the readers behind them. */
static const char *const tokens[] = {
    "[",
    "]",
    "{",
    "}",
    "- ",
    ": ",
    ":",
    ",",
    "\n",
    "\r",
    "\t",
    "#",
    " # c\n",
    "&a ",
    "*a",
    "!!str ",
    "? ",
    "|\n",
    ">\n",
    "---\n",
    "...\n",
    "'",
    "\"",
    "\\",
    "\\u0000",
    "\\ud800",
    "\\x80",
    "\xe2\x80\xa8",
    "\xc2\x85",
    "\xc2\x9b",
    "\xff",
    "\xef\xbb\xbf",
    "*",
    "**",
    "/**",
    "/*.o",
    "\\*",
    "${arg:1}",
    "${arg:99999999999}",
    "/..",
    "//",
    "/.git/x",
    "version: 1\n",
    "files: []\n",
    "mounts: {/a: {host: a}}\n",
    "  - {path: /a, allow: [read]}\n",
    "allow: [read, write]",
    "null",
    "true",
    "-1",
    "1e999",
    "18446744073709551616",
    "0x10",
    ",\"x\":1",
    ",\"path\":\"/a/../b\"",
    ",\"path_b64\":\"AP8=\"",
    "\"call\":\"path_open\"",
    "\"errno\":\"ENOENT\"",
    "\"rights\":[\"read\",\"create\"]",
    "\"count\":0",
    "{\"end\":\"exit\"}\n",
};

/* One seeded mutation of b. */
static void mutate_once(blob *b, uint64_t *s)
{
	size_t at = below(s, b->size + 1);
	const char *t;

	switch (below(s, 9)) {
	case 0:
		if (at < b->size)
			b->data[at] ^= (char)(1u << below(s, 8));
		break;
	case 1:
		if (at < b->size)
			b->data[at] = "[]{}:,-#*&!|>'\"\\\n\r\t %$/"[below(s, 24)];
		break;
	case 2:
	case 3:
		t = tokens[below(s, sizeof tokens / sizeof tokens[0])];
		insert(b, at, t, strlen(t));
		break;
	case 4:
		if (at < b->size)
			erase(b, at, 1 + below(s, 16));
		break;
	case 5:
		if (b->size)
			copy_line(b, s);
		break;
	case 6:
		if (b->size)
			erase(b, line_start(b, at < b->size ? at : b->size - 1),
			      line_end(b, at < b->size ? at : b->size - 1) -
				  line_start(b, at < b->size ? at : b->size - 1));
		break;
	case 7:
		if (b->size)
			repeat_run(b, s);
		break;
	default:
		b->size = at;
		break;
	}
}

typedef wt_fuzz_text_outcome (*check_fn)(const uint8_t *bytes, size_t size);

static void run_one(tally *t, check_fn check, const blob *b)
{
	if (check((const uint8_t *)b->data, b->size) == WT_FUZZ_TEXT_READ)
		t->read++;
	else
		t->rejected++;
	t->runs++;
}

/* Every seed of one kind as it is, then MUTATIONS_PER_FILE mutants of it (1-4 mutations each). */
static tally mutate_kind(const char *kind, check_fn check)
{
	tally t = {0};
	size_t n;
	char **paths = list_files(kind, &n);

	for (size_t i = 0; i < n; i++) {
		blob orig = read_file(paths[i]), m;

		free(paths[i]);
		if (!orig.data)
			continue;
		run_one(&t, check, &orig);
		m = (blob){malloc(orig.cap), 0, orig.cap};
		assert_non_null(m.data);
		for (int k = 0; k < MUTATIONS_PER_FILE; k++) {
			uint64_t s = (i + 1) * 0x9E3779B97F4A7C15ull + (uint64_t)k + 1;

			memcpy(m.data, orig.data, orig.size);
			m.size = orig.size;
			for (int times = 1 + (int)below(&s, 4); times > 0; times--)
				mutate_once(&m, &s);
			run_one(&t, check, &m);
		}
		free(m.data);
		free(orig.data);
	}
	free(paths);
	printf("%s: %zu runs: %zu read, %zu rejected\n", kind, t.runs, t.read, t.rejected);
	return t;
}

static void test_mutate_manifests_hold(void **state)
{
	tally t = mutate_kind("manifest", wt_fuzz_manifest_one);

	/* the seeds are there, and the mutants reach both sides */
	assert_true(t.runs > 1000);
	assert_true(t.read > 0);
	assert_true(t.rejected > 0);
}

static void test_mutate_journals_hold(void **state)
{
	tally t = mutate_kind("journal", wt_fuzz_journal_one);

	assert_true(t.runs > 1000);
	assert_true(t.read > 0);
	assert_true(t.rejected > 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mutate_manifests_hold),
	    cmocka_unit_test(test_mutate_journals_hold),
	};

	g_dirs = (const char **)argv + 1;
	g_ndirs = argc - 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
