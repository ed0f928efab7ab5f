/* matmul.c: loops over large arrays: an integer N x N matrix product, row-major, i-k-j order. */
#include "bench.h"

static void fill(uint32_t *m, uint32_t count, uint64_t *rng)
{
	for (uint32_t i = 0; i < count; i++)
		m[i] = (uint32_t)(bench_rand(rng) >> 40) & 0xffff;
}

static void multiply(const uint32_t *a, const uint32_t *b, uint32_t *c, uint32_t n)
{
	for (uint32_t i = 0; i < n * n; i++)
		c[i] = 0;
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t k = 0; k < n; k++) {
			uint32_t aik = a[i * n + k];
			const uint32_t *brow = b + (size_t)k * n;
			uint32_t *crow = c + (size_t)i * n;
			for (uint32_t j = 0; j < n; j++)
				crow[j] += aik * brow[j];
		}
}

int main(int argc, char **argv)
{
	uint32_t n = (uint32_t)bench_arg(argc, argv, 1, 500);
	uint32_t *a = malloc(sizeof *a * n * n), *b = malloc(sizeof *b * n * n);
	uint32_t *c = malloc(sizeof *c * n * n);
	if (!a || !b || !c)
		return 70;
	uint64_t rng = 0x9e3779b97f4a7c15ULL, sum = 0;
	fill(a, n * n, &rng);
	fill(b, n * n, &rng);
	multiply(a, b, c, n);
	for (uint32_t i = 0; i < n * n; i++)
		sum = sum * 1099511628211ULL ^ c[i];
	free(a);
	free(b);
	free(c);
	bench_checksum("matmul", sum);
	return 0;
}
