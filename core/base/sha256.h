/* sha256.h: the SHA-256 of a module's bytes or file (nettle does the hashing). */
#ifndef WT_SHA256_H
#define WT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum { WT_SHA256_SIZE = 32, WT_SHA256_HEX = 65 /* 64 digits and a NUL */ };

/* The digest of bytes[0..len). */
void wt_sha256(const void *bytes, size_t len, uint8_t out[WT_SHA256_SIZE]);

/* The digest of the file at path and its size in bytes. Returns 0, or
 * WT_NOINPUT (cannot open, not a regular file) / WT_IO with a message. */
int wt_sha256_file(const char *path, uint8_t out[WT_SHA256_SIZE], uint64_t *size, wt_error *err);

/* The digest of the rest of the open file fd (read from its position to
 * the end) and the number of bytes read. Returns 0 or an errno. */
int wt_sha256_fd(int fd, uint8_t out[WT_SHA256_SIZE], uint64_t *size);

/* Writes the digest as 64 lowercase hex digits and a NUL; returns hex. */
char *wt_sha256_hex(const uint8_t digest[WT_SHA256_SIZE], char hex[WT_SHA256_HEX]);

#endif
