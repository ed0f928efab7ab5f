/* recursion.c: deep recursion: doubly recursive Fibonacci and the Ackermann function. */
#include "bench.h"

/* noinline keeps the calls real calls on every compiler. */
static __attribute__((noinline)) uint32_t fib(uint32_t n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* A(3, m) recurses about 2^(m+3) frames deep. */
static __attribute__((noinline)) uint32_t ackermann(uint32_t m, uint32_t n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ackermann(m - 1, 1);
	return ackermann(m - 1, ackermann(m, n - 1));
}

int main(int argc, char **argv)
{
	uint32_t n = (uint32_t)bench_arg(argc, argv, 1, 30);
	uint64_t sum = fib(n);
	sum = sum * 31 + ackermann(3, n / 4 + 1);
	bench_checksum("recursion", sum);
	return 0;
}
