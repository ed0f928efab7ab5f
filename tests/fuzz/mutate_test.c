/* mutate_test.c: the deterministic mutation test: seeded byte mutations of valid modules never
 * crash the engine, and every rejection carries a status and an offset inside the module. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzz_common.h"

/* Budget: at most MAX_FILES modules (picked evenly from the sorted list),
 * MUTATIONS_PER_FILE mutants of each, modules over MAX_FILE_SIZE skipped. */
enum { MAX_FILES = 4000, MUTATIONS_PER_FILE = 250, MAX_FILE_SIZE = 1 << 20, MAX_DEPTH = 3 };

typedef struct file_list {
	char **paths;
	size_t n, cap;
} file_list;

typedef struct blob {
	uint8_t *data;
	size_t size;
} blob;

/* The folders given on the command line, each as KIND=DIR (fixtures=..., spec=..., regress=...). */
static const char **g_dirs;
static int g_ndirs;

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

static void list_add(file_list *l, const char *path)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->paths = realloc(l->paths, l->cap * sizeof *l->paths);
		assert_non_null(l->paths);
	}
	l->paths[l->n] = strdup(path);
	assert_non_null(l->paths[l->n]);
	l->n++;
}

/* Adds every *.wasm under dir (MAX_DEPTH folders deep); a missing folder adds nothing. */
static void list_dir(file_list *l, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (ends_with(e->d_name, ".wasm"))
			list_add(l, path);
		else if (depth < MAX_DEPTH && e->d_type == DT_DIR)
			list_dir(l, path, depth + 1);
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_free(file_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
}

/* Every module of the folders of one kind. */
static file_list list_matching(const char *kind)
{
	file_list l = {0};
	size_t k = strlen(kind);
	for (int i = 0; i < g_ndirs; i++)
		if (!strncmp(g_dirs[i], kind, k) && g_dirs[i][k] == '=')
			list_dir(&l, g_dirs[i] + k + 1, 0);
	if (l.n)
		qsort(l.paths, l.n, sizeof *l.paths, cmp_str);
	return l;
}

/* Reads a whole file; data NULL when it cannot be read or is too large. */
static blob read_file(const char *path)
{
	blob b = {0};
	FILE *f = fopen(path, "rb");
	if (!f)
		return b;
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);
		if (n >= 0 && n <= MAX_FILE_SIZE && fseek(f, 0, SEEK_SET) == 0) {
			b.data = malloc((size_t)n + 1);
			if (b.data && fread(b.data, 1, (size_t)n, f) == (size_t)n)
				b.size = (size_t)n;
			else {
				free(b.data);
				b.data = NULL;
			}
		}
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

/* Makes room for k bytes at `at` (the buffer has cap bytes). */
static void insert_gap(blob *b, size_t cap, size_t at, size_t k)
{
	if (b->size + k > cap)
		return;
	memmove(b->data + at + k, b->data + at, b->size - at);
	b->size += k;
}

static size_t leb_encode(uint64_t v, size_t width, uint8_t *out)
{
	size_t n = 0;
	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		if (v || n + 1 < width)
			byte |= 0x80;
		out[n++] = byte;
	} while (v || n < width);
	return n;
}

/* Finds the section headers after the 8-byte preamble: offsets of their size LEBs. */
static size_t find_sections(const blob *b, size_t *at, size_t *len, size_t max)
{
	size_t n = 0, p = 8;
	while (p + 1 < b->size && n < max) {
		size_t q = p + 1;
		uint64_t size = 0;
		unsigned shift = 0;
		while (q < b->size && shift < 35) {
			size |= (uint64_t)(b->data[q] & 0x7f) << shift;
			shift += 7;
			if (!(b->data[q++] & 0x80))
				break;
		}
		at[n] = p + 1;
		len[n] = q - (p + 1);
		n++;
		if (size > b->size - q)
			break;
		p = q + (size_t)size;
	}
	return n;
}

/* Rewrites one section's size: off by one, zero, huge, or re-encoded with padding. */
static void edit_section_size(blob *b, size_t cap, uint64_t *s)
{
	size_t at[64], len[64];
	size_t n = find_sections(b, at, len, 64);
	if (!n)
		return;
	size_t i = below(s, n);
	uint64_t old = 0;
	for (size_t k = 0; k < len[i]; k++)
		old |= (uint64_t)(b->data[at[i] + k] & 0x7f) << (7 * k);
	static const int64_t deltas[] = {1, -1, 2, -2, 5, -5};
	uint64_t v;
	switch (below(s, 4)) {
	case 0:
		v = old + (uint64_t)deltas[below(s, 6)];
		break;
	case 1:
		v = 0;
		break;
	case 2:
		v = 0xffffffffu - below(s, 4);
		break;
	default:
		v = old;
		break;
	}
	uint8_t enc[10];
	size_t w = leb_encode(v & 0xffffffffu, below(s, 2) ? len[i] : 1 + below(s, 5), enc);
	if (w > len[i])
		insert_gap(b, cap, at[i], w - len[i]);
	else if (w < len[i]) {
		memmove(b->data + at[i] + w, b->data + at[i] + len[i], b->size - at[i] - len[i]);
		b->size -= len[i] - w;
	}
	if (b->size >= at[i] + w)
		memcpy(b->data + at[i], enc, w);
}

/* Applies one seeded mutation to b (a buffer of cap bytes). */
static void mutate_once(blob *b, size_t cap, uint64_t *s)
{
	static const uint8_t interesting[] = {0x00, 0x01, 0x0b, 0x40, 0x7f, 0x80, 0xff, 0x41, 0x10};
	static const uint8_t long_leb[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
	if (!b->size)
		return;
	size_t at = below(s, b->size);
	switch (below(s, 8)) {
	case 0:
		b->data[at] ^= (uint8_t)(1u << below(s, 8));
		break;
	case 1:
		b->data[at] = interesting[below(s, sizeof interesting)];
		break;
	case 2:
		b->size = at;
		break;
	case 3:
		insert_gap(b, cap, at, 1);
		if (b->size > at)
			b->data[at] = 0x80;
		break;
	case 4:
		insert_gap(b, cap, at, sizeof long_leb);
		if (b->size >= at + sizeof long_leb)
			memcpy(b->data + at, long_leb, sizeof long_leb);
		break;
	case 5:
		edit_section_size(b, cap, s);
		break;
	case 6: {
		size_t k = 1 + below(s, 16);
		if (k > b->size - at)
			k = b->size - at;
		memmove(b->data + at, b->data + at + k, b->size - at - k);
		b->size -= k;
		break;
	}
	default:
		b->data[at] = (uint8_t)next(s);
		break;
	}
}

typedef struct tally {
	size_t runs, by_outcome[WT_FUZZ_RAN + 1];
} tally;

static void run_one(tally *t, const uint8_t *bytes, size_t size)
{
	t->by_outcome[wt_fuzz_one(bytes, size, WT_FUZZ_RUN)]++;
	t->runs++;
}

/* MUTATIONS_PER_FILE mutants of one module, each 1-3 seeded mutations of the original. */
static void mutate_file(tally *t, const blob *orig, uint64_t seed)
{
	size_t cap = orig->size + 64;
	blob m = {malloc(cap), 0};
	assert_non_null(m.data);
	for (int i = 0; i < MUTATIONS_PER_FILE; i++) {
		uint64_t s = seed * 0x9E3779B97F4A7C15ull + (uint64_t)i + 1;
		memcpy(m.data, orig->data, orig->size);
		m.size = orig->size;
		int k = 1 + (int)below(&s, 3);
		while (k--)
			mutate_once(&m, cap, &s);
		run_one(t, m.data, m.size);
	}
	free(m.data);
}

static void print_tally(const char *what, const tally *t)
{
	printf("%s: %zu runs: %zu rejected, %zu valid, %zu unlinked, %zu trapped at start, "
	       "%zu ran\n",
	       what, t->runs, t->by_outcome[WT_FUZZ_REJECTED], t->by_outcome[WT_FUZZ_VALID],
	       t->by_outcome[WT_FUZZ_UNLINKED], t->by_outcome[WT_FUZZ_TRAPPED],
	       t->by_outcome[WT_FUZZ_RAN]);
}

/* Mutates up to MAX_FILES modules of the folders of one kind. */
static tally mutate_folders(const char *kind)
{
	tally t = {0};
	file_list l = list_matching(kind);
	size_t stride = l.n > MAX_FILES ? (l.n + MAX_FILES - 1) / MAX_FILES : 1;
	for (size_t i = 0; i < l.n; i += stride) {
		blob b = read_file(l.paths[i]);
		if (!b.data)
			continue;
		run_one(&t, b.data, b.size);
		mutate_file(&t, &b, i + 1);
		free(b.data);
	}
	list_free(&l);
	return t;
}

static void test_mutate_fixtures_hold(void **state)
{
	tally t = mutate_folders("fixtures");
	print_tally("fixtures", &t);
	if (!t.runs)
		skip(); /* built without fixtures */
	/* The mutants reach every stage: some are rejected, some still run. */
	assert_true(t.by_outcome[WT_FUZZ_REJECTED] > 0);
	assert_true(t.by_outcome[WT_FUZZ_RAN] > 0);
}

static void test_mutate_spec_modules_hold(void **state)
{
	tally t = mutate_folders("spec");
	print_tally("spec modules", &t);
	if (!t.runs)
		skip();
	assert_true(t.by_outcome[WT_FUZZ_REJECTED] > 0);
	assert_true(t.by_outcome[WT_FUZZ_RAN] > 0);
}

/* The inputs the fuzzers once crashed on, each run as is (and mutated). */
static void test_mutate_regressions_hold(void **state)
{
	tally t = mutate_folders("regress");
	print_tally("regressions", &t);
	/* the folder is part of the repository: an empty one means it went missing */
	assert_true(t.runs > 0);
	assert_true(t.by_outcome[WT_FUZZ_RAN] > 0);
}

/* Hand-made edge cases: no bytes, a bare preamble, a section size past the end, module-level
 * validation errors. */
static void test_mutate_edges_hold(void **state)
{
	static const struct {
		const char *bytes;
		size_t size;
		wt_fuzz_outcome expect;
	} cases[] = {
	    {"", 0, WT_FUZZ_REJECTED},
	    {"\0asm", 4, WT_FUZZ_REJECTED},
	    {"\0asm\1\0\0\0", 8, WT_FUZZ_RAN},
	    {"\0asm\1\0\0\0\1\xff\xff\xff\xff\x0f", 14, WT_FUZZ_REJECTED},
	    {"\0asm\1\0\0\0\0\x80\x80\x80\x80\x80\x00", 15, WT_FUZZ_REJECTED},
	    {"\0asm\1\0\0\0\5\3\1\0\1", 13, WT_FUZZ_RAN},
	    /* Module-level validation errors carry their section's offset. */
	    {"\0asm\1\0\0\0\7\5\1\1x\0\5", 15, WT_FUZZ_REJECTED},
	    {"\0asm\1\0\0\0\x08\1\3", 11, WT_FUZZ_REJECTED},
	    {"\0asm\1\0\0\0\5\5\2\0\1\0\1", 15, WT_FUZZ_REJECTED},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(
		    wt_fuzz_one((const uint8_t *)cases[i].bytes, cases[i].size, WT_FUZZ_RUN),
		    cases[i].expect);
}

int main(int argc, char **argv)
{
	g_dirs = (const char **)argv + 1;
	g_ndirs = argc - 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mutate_edges_hold),
	    cmocka_unit_test(test_mutate_regressions_hold),
	    cmocka_unit_test(test_mutate_fixtures_hold),
	    cmocka_unit_test(test_mutate_spec_modules_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
