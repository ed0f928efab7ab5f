/* sieve.c: a loop over a large byte array: the sieve of Eratosthenes, run several times. */
#include <string.h>
#include "bench.h"

/* Marks composites in flags[0..n) and returns the number of primes below n, folding them in. */
static uint64_t sieve(uint8_t *flags, uint32_t n, uint64_t *fold)
{
	memset(flags, 1, n);
	flags[0] = flags[1] = 0;
	for (uint32_t i = 2; (uint64_t)i * i < n; i++)
		if (flags[i])
			for (uint32_t j = i * i; j < n; j += i)
				flags[j] = 0;
	uint64_t count = 0;
	for (uint32_t i = 0; i < n; i++)
		if (flags[i]) {
			count++;
			*fold = *fold * 1000003u ^ i;
		}
	return count;
}

int main(int argc, char **argv)
{
	uint32_t n = (uint32_t)bench_arg(argc, argv, 1, 8000000);
	if (n < 16)
		n = 16;
	uint8_t *flags = malloc(n);
	if (!flags)
		return 70;
	uint64_t fold = 0, count = 0;
	for (int round = 0; round < 4; round++)
		count += sieve(flags, n - (uint32_t)round * (n / 16), &fold); /* 4 sizes */
	free(flags);
	bench_checksum("sieve", count ^ fold);
	return 0;
}
