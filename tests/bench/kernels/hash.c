/* hash.c: integer hashing over a buffer: FNV-1a 64, table-driven CRC-32 and a xorshift mix. */
#include "bench.h"

static void crc_table(uint32_t table[256])
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static uint32_t crc32(const uint32_t table[256], const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return ~c;
}

/* Mixes 32-bit words with xorshift steps and a multiply, as hash tables do with integer keys. */
static uint32_t mix_words(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i + 4 <= n; i += 4) {
		uint32_t w = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
			     (uint32_t)p[i + 3] << 24;
		w ^= w << 13;
		w ^= w >> 17;
		w ^= w << 5;
		h = (h ^ w) * 0x9E3779B1u;
		h ^= h >> 15;
	}
	return h;
}

int main(int argc, char **argv)
{
	size_t n = (size_t)bench_arg(argc, argv, 1, 4) << 20;
	uint8_t *buf = malloc(n);
	uint32_t table[256];
	if (!buf)
		return 70;
	uint64_t rng = 42, sum = 0;
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(bench_rand(&rng) >> 56);
	crc_table(table);
	for (int round = 0; round < 4; round++) {
		buf[round] ^= 0x5a;
		sum = sum * 31 + fnv1a(buf, n);
		sum = sum * 31 + crc32(table, buf, n);
		sum = sum * 31 + mix_words(buf, n);
	}
	free(buf);
	bench_checksum("hash", sum);
	return 0;
}
