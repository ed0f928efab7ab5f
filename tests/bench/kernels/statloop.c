/* statloop.c: syscall-heavy: open + fstat + close + stat of one file in DIR, N times.
 * Usage: statloop DIR [N]; the file DIR/bench-stat.txt is created first. Under WASI, DIR is a
 * mounted guest folder such as /data. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bench.h"

static int create_file(const char *path)
{
	static const char text[] = "wasi-tofu statloop benchmark file\n";
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	ssize_t done = write(fd, text, sizeof text - 1);
	close(fd);
	return done == (ssize_t)(sizeof text - 1) ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR [N]\n", argv[0]);
		return 64;
	}
	uint32_t rounds = (uint32_t)bench_arg(argc, argv, 2, 50000);
	char path[4096];
	if (snprintf(path, sizeof path, "%s/bench-stat.txt", argv[1]) >= (int)sizeof path)
		return 64;
	if (create_file(path) != 0) {
		perror(path);
		return 1;
	}
	uint64_t sum = 0;
	for (uint32_t i = 0; i < rounds; i++) {
		struct stat a, b;
		int fd = open(path, O_RDONLY);
		if (fd < 0 || fstat(fd, &a) != 0 || close(fd) != 0 || stat(path, &b) != 0) {
			perror(path);
			return 1;
		}
		sum += (uint64_t)a.st_size + (uint64_t)b.st_size + (S_ISREG(a.st_mode) ? 1 : 0);
	}
	bench_checksum("statloop", sum);
	return 0;
}
