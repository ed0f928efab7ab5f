/* statsame.c: syscall-heavy: stat of one and the same file in DIR, N times (one
 * path_filestat_get each: the journal's repeated path call).
 * Usage: statsame DIR [N]; the file DIR/bench-stat.txt is created first. Under WASI, DIR is a
 * mounted guest folder such as /data. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bench.h"

int main(int argc, char **argv)
{
	char path[4096];
	uint64_t sum = 0;
	long rounds;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR [N]\n", argv[0]);
		return 64;
	}
	rounds = bench_arg(argc, argv, 2, 1000000);
	if (snprintf(path, sizeof path, "%s/bench-stat.txt", argv[1]) >= (int)sizeof path)
		return 64;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 || write(fd, "x\n", 2) != 2 ||
	    close(fd) != 0) {
		perror(path);
		return 1;
	}
	for (long i = 0; i < rounds; i++) {
		struct stat st;

		if (stat(path, &st) != 0) {
			perror(path);
			return 1;
		}
		sum += (uint64_t)st.st_size;
	}
	bench_checksum("statsame", sum);
	return 0;
}
