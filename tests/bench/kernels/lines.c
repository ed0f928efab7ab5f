/* lines.c: syscall-heavy: one write(1, ...) (one fd_write in WASI) per line of stdout. */
#include <string.h>
#include <unistd.h>
#include "bench.h"

/* Formats "line <i> <hex>\n" into buf without stdio; returns its length. */
static size_t format_line(char *buf, uint32_t i, uint32_t value)
{
	static const char hex[] = "0123456789abcdef";
	char digits[12];
	size_t n = 0, len = 0;
	do {
		digits[n++] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	memcpy(buf, "line ", 5);
	len = 5;
	while (n)
		buf[len++] = digits[--n];
	buf[len++] = ' ';
	for (int shift = 28; shift >= 0; shift -= 4)
		buf[len++] = hex[(value >> shift) & 15];
	buf[len++] = '\n';
	return len;
}

int main(int argc, char **argv)
{
	uint32_t lines = (uint32_t)bench_arg(argc, argv, 1, 200000);
	uint64_t rng = 99, bytes = 0;
	char buf[64];
	for (uint32_t i = 0; i < lines; i++) {
		size_t len = format_line(buf, i, (uint32_t)bench_rand(&rng));
		if (write(1, buf, len) != (ssize_t)len) {
			perror("write");
			return 1;
		}
		bytes += len;
	}
	bench_checksum("lines", bytes);
	return 0;
}
