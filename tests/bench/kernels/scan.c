/* scan.c: a byte scanner over a large text buffer: counts lines, spaces, digits and letters,
 * folds ASCII to upper case, and counts a search byte, in simple per-byte loops (the shape a
 * compiler turns into vector code with -msimd128: built so as scan-simd). */
#include <string.h>
#include "bench.h"

/* Pseudo-text: words of letters, digits, spaces and newlines. */
static void fill(uint8_t *p, size_t n, uint64_t *rng)
{
	static const char alphabet[] = "etaoinshrdlucmfwypvbgkjqxz0123456789 \n";
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)alphabet[(bench_rand(rng) >> 33) % (sizeof alphabet - 1)];
}

static uint32_t count_byte(const uint8_t *p, size_t n, uint8_t c)
{
	uint32_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += p[i] == c;
	return k;
}

static uint32_t count_range(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi)
{
	uint32_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += (uint8_t)(p[i] - lo) <= (uint8_t)(hi - lo);
	return k;
}

static void to_upper(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (uint8_t)(src[i] - (((uint8_t)(src[i] - 'a') < 26) << 5));
}

int main(int argc, char **argv)
{
	size_t mib = (size_t)bench_arg(argc, argv, 1, 64), n = 1 << 20;
	uint8_t *text = malloc(n), *upper = malloc(n);
	if (!text || !upper)
		return 70;
	uint64_t rng = 0x9e3779b97f4a7c15ULL, sum = 0;
	fill(text, n, &rng);
	for (size_t round = 0; round < mib; round++) {
		text[round % n] = (uint8_t)('a' + round % 26); /* each round differs a little */
		sum = sum * 31 + count_byte(text, n, '\n');
		sum = sum * 31 + count_byte(text, n, ' ');
		sum = sum * 31 + count_range(text, n, '0', '9');
		sum = sum * 31 + count_range(text, n, 'a', 'z');
		to_upper(upper, text, n);
		sum = sum * 31 + count_range(upper, n, 'A', 'Z');
		sum = sum * 31 + count_byte(upper, n, 'E');
	}
	free(text);
	free(upper);
	bench_checksum("scan", sum);
	return 0;
}
