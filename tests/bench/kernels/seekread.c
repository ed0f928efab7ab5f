/* seekread.c: syscall-heavy, SQLite's shape: a page cache miss is an lseek then a read of one
 * page (fd_seek + fd_read), at pseudo-random pages of a file in DIR, N times, each page then
 * walked WORK times (a checksum over its words, as a b-tree page is decoded).
 * Usage: seekread DIR [N] [WORK]; the file DIR/bench-pages.bin (1024 pages of 4 KiB) is
 * created first. Under WASI, DIR is a mounted guest folder such as /data. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "bench.h"

enum { PAGE = 4096, PAGES = 1024 };

static int create_file(const char *path)
{
	static uint32_t page[PAGE / 4];
	uint64_t seed = 7;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	for (int p = 0; p < PAGES; p++) {
		for (int i = 0; i < PAGE / 4; i++)
			page[i] = (uint32_t)bench_rand(&seed);
		if (write(fd, page, PAGE) != PAGE) {
			close(fd);
			return -1;
		}
	}
	return close(fd);
}

/* The work done on a page once read: WORK passes of a word checksum. */
static uint64_t walk(const uint32_t *page, long work)
{
	uint64_t h = 0;

	for (long k = 0; k < work; k++)
		for (int i = 0; i < PAGE / 4; i++)
			h = (h ^ page[i]) * 0x100000001b3ull;
	return h;
}

int main(int argc, char **argv)
{
	static uint32_t page[PAGE / 4];
	char path[4096];
	uint64_t seed = 11, sum = 0;
	long rounds, work;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR [N] [WORK]\n", argv[0]);
		return 64;
	}
	rounds = bench_arg(argc, argv, 2, 300000);
	work =
	    argc > 3 && strcmp(argv[3], "0") == 0 ? 0 : bench_arg(argc, argv, 3, 1); /* 0: none */
	if (snprintf(path, sizeof path, "%s/bench-pages.bin", argv[1]) >= (int)sizeof path)
		return 64;
	if (create_file(path) != 0 || (fd = open(path, O_RDONLY)) < 0) {
		perror(path);
		return 1;
	}
	for (long r = 0; r < rounds; r++) {
		off_t at = (off_t)(bench_rand(&seed) % PAGES) * PAGE;

		if (lseek(fd, at, SEEK_SET) != at || read(fd, page, PAGE) != PAGE) {
			perror(path);
			return 1;
		}
		sum += page[r % (PAGE / 4)] + walk(page, work);
	}
	close(fd);
	bench_checksum("seekread", sum);
	return 0;
}
