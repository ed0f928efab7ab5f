/* lz.c: a program of real-world shape: an LZ77 compressor with hash chains, then a checked
 * decompression round trip over generated text.
 *
 * Compressed format, a sequence of tokens:
 *   0LLLLLLL            literal run of L+1 bytes (1..128), the bytes follow
 *   1LLLLLLL lo hi      match of L+4 bytes (4..131) at distance lo | hi << 8 (1..65535) back
 */
#include <string.h>
#include "bench.h"

enum { HASH_BITS = 15, WINDOW = 1 << 15, MIN_MATCH = 4, MAX_MATCH = 131, MAX_CHAIN = 24 };

struct lz_state {
	int32_t head[1 << HASH_BITS];
	int32_t prev[WINDOW];
};

static uint32_t hash4(const uint8_t *p)
{
	uint32_t w =
	    (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return (w * 2654435761u) >> (32 - HASH_BITS);
}

/* Writes text made of words from a generated vocabulary: compressible, like source code. */
static void make_text(uint8_t *out, size_t n, uint64_t *rng)
{
	char vocab[512][10];
	for (int w = 0; w < 512; w++) {
		int len = 2 + (int)(bench_rand(rng) % 8);
		for (int i = 0; i < len; i++)
			vocab[w][i] = (char)('a' + bench_rand(rng) % 26);
		vocab[w][len] = '\0';
	}
	size_t pos = 0;
	while (pos < n) {
		uint64_t r = bench_rand(rng);
		const char *word = vocab[(r >> 8) % ((r & 3) ? 64 : 512)];
		for (size_t i = 0; word[i] && pos < n; i++)
			out[pos++] = (uint8_t)word[i];
		if (pos < n)
			out[pos++] = (r >> 40) % 11 == 0 ? '\n' : ' ';
	}
}

static size_t match_length(const uint8_t *a, const uint8_t *b, size_t limit)
{
	size_t len = 0;
	while (len < limit && a[len] == b[len])
		len++;
	return len;
}

static void insert(struct lz_state *s, const uint8_t *in, size_t pos)
{
	uint32_t h = hash4(in + pos);
	s->prev[pos & (WINDOW - 1)] = s->head[h];
	s->head[h] = (int32_t)pos;
}

/* Finds the longest earlier match for in[pos..]; returns its length, *dist its distance. */
static size_t longest_match(const struct lz_state *s, const uint8_t *in, size_t pos, size_t n,
			    size_t *dist)
{
	size_t best = 0, limit = n - pos < MAX_MATCH ? n - pos : MAX_MATCH;
	int32_t cand = s->head[hash4(in + pos)];
	for (int chain = 0; chain < MAX_CHAIN && cand >= 0; chain++) {
		if (pos - (size_t)cand >= WINDOW)
			break;
		size_t len = match_length(in + cand, in + pos, limit);
		if (len > best) {
			best = len;
			*dist = pos - (size_t)cand;
		}
		cand = s->prev[cand & (WINDOW - 1)];
	}
	return best;
}

static size_t flush_literals(const uint8_t *lit, size_t count, uint8_t *out)
{
	size_t o = 0;
	while (count > 0) {
		size_t run = count > 128 ? 128 : count;
		out[o++] = (uint8_t)(run - 1);
		memcpy(out + o, lit, run);
		o += run;
		lit += run;
		count -= run;
	}
	return o;
}

/* Compresses in[0..n) into out (room for n + n/128 + 1 bytes); returns the compressed size. */
static size_t compress(struct lz_state *s, const uint8_t *in, size_t n, uint8_t *out)
{
	size_t pos = 0, o = 0, lit_start = 0;
	memset(s->head, 0xff, sizeof s->head);
	while (pos + MIN_MATCH <= n) {
		size_t dist = 0, len = longest_match(s, in, pos, n, &dist);
		if (len < MIN_MATCH) {
			insert(s, in, pos++);
			continue;
		}
		o += flush_literals(in + lit_start, pos - lit_start, out + o);
		out[o++] = (uint8_t)(0x80 | (len - MIN_MATCH));
		out[o++] = (uint8_t)dist;
		out[o++] = (uint8_t)(dist >> 8);
		for (size_t end = pos + len; pos < end; pos++)
			if (pos + MIN_MATCH <= n)
				insert(s, in, pos);
		lit_start = pos;
	}
	return o + flush_literals(in + lit_start, n - lit_start, out + o);
}

/* Decompresses into out (capacity cap); returns the size, or (size_t)-1 on a malformed stream. */
static size_t decompress(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	size_t i = 0, o = 0;
	while (i < n) {
		uint8_t t = in[i++];
		if (!(t & 0x80)) {
			size_t run = (size_t)t + 1;
			if (run > n - i || run > cap - o)
				return (size_t)-1;
			memcpy(out + o, in + i, run);
			i += run;
			o += run;
			continue;
		}
		size_t len = (size_t)(t & 0x7f) + MIN_MATCH;
		if (n - i < 2)
			return (size_t)-1;
		size_t dist = (size_t)in[i] | (size_t)in[i + 1] << 8;
		i += 2;
		if (dist == 0 || dist > o || len > cap - o)
			return (size_t)-1;
		for (size_t k = 0; k < len; k++, o++)
			out[o] = out[o - dist];
	}
	return o;
}

int main(int argc, char **argv)
{
	size_t n = (size_t)bench_arg(argc, argv, 1, 2048) << 10;
	uint8_t *text = malloc(n), *packed = malloc(n + n / 128 + 1), *back = malloc(n);
	struct lz_state *s = malloc(sizeof *s);
	if (!text || !packed || !back || !s)
		return 70;
	uint64_t rng = 7, sum = 0;
	make_text(text, n, &rng);
	size_t packed_size = compress(s, text, n, packed);
	size_t back_size = decompress(packed, packed_size, back, n);
	if (back_size != n || memcmp(text, back, n) != 0) {
		fprintf(stderr, "lz: round trip failed (%zu of %zu bytes)\n", back_size, n);
		return 1;
	}
	for (size_t i = 0; i < packed_size; i++)
		sum = (sum ^ packed[i]) * 0x100000001b3ULL;
	sum ^= (uint64_t)packed_size << 32;
	free(text);
	free(packed);
	free(back);
	free(s);
	bench_checksum("lz", sum);
	return 0;
}
