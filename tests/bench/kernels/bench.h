/* bench.h: what every benchmark kernel shares: its size argument, a PRNG and the checksum line. */
#ifndef WT_BENCH_H
#define WT_BENCH_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The size argument argv[index], or dflt when absent; exits 64 on a malformed number. */
static long bench_arg(int argc, char **argv, int index, long dflt)
{
	if (argc <= index)
		return dflt;
	char *end = NULL;
	long v = strtol(argv[index], &end, 10);
	if (end == argv[index] || *end != '\0' || v <= 0) {
		fprintf(stderr, "%s: size must be a positive integer, got '%s'\n", argv[0],
			argv[index]);
		exit(64);
	}
	return v;
}

/* xorshift64*: a deterministic generator, the same in every engine. */
static inline uint64_t bench_rand(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* The last line every kernel prints on stdout; the runner compares it across engines. */
static void bench_checksum(const char *kernel, uint64_t sum)
{
	printf("%s checksum %016" PRIx64 "\n", kernel, sum);
	fflush(stdout);
}

#endif
