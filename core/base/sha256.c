/* sha256.c: the SHA-256 of a module's bytes or file, through nettle. */
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void wt_sha256(const void *bytes, size_t len, uint8_t out[WT_SHA256_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, bytes);
	sha256_digest(&ctx, WT_SHA256_SIZE, out);
}

/* Hashes the rest of fd; 0 or an errno. */
static int hash_fd(int fd, struct sha256_ctx *ctx, uint64_t *size)
{
	uint8_t buf[65536];

	*size = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return 0;
		sha256_update(ctx, (size_t)n, buf);
		*size += (uint64_t)n;
	}
}

int wt_sha256_fd(int fd, uint8_t out[WT_SHA256_SIZE], uint64_t *size)
{
	struct sha256_ctx ctx;
	int e;

	sha256_init(&ctx);
	if ((e = hash_fd(fd, &ctx, size)))
		return e;
	sha256_digest(&ctx, WT_SHA256_SIZE, out);
	return 0;
}

int wt_sha256_file(const char *path, uint8_t out[WT_SHA256_SIZE], uint64_t *size, wt_error *err)
{
	struct sha256_ctx ctx;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0)
		return wt_fail_plain(err, WT_NOINPUT, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return wt_fail_plain(err, WT_NOINPUT, "not a regular file");
	}
	sha256_init(&ctx);
	e = hash_fd(fd, &ctx, size);
	close(fd);
	if (e)
		return wt_fail_plain(err, WT_IO, "cannot read: %s", strerror(e));
	sha256_digest(&ctx, WT_SHA256_SIZE, out);
	return 0;
}

char *wt_sha256_hex(const uint8_t digest[WT_SHA256_SIZE], char hex[WT_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < WT_SHA256_SIZE; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[2 * WT_SHA256_SIZE] = '\0';
	return hex;
}
