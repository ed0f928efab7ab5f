/* swap_preload.c: an LD_PRELOAD shim for read_once.sh, never linked into wasi-tofu. With
 * WT_SWAP_PATH=PATH and WT_SWAP_LATER=OTHER, the first open of PATH opens PATH and every later
 * one opens OTHER instead: a file swapped by an attacker between two reads, played exactly.
 * Each open of PATH is told on stderr ("swap-preload: open N of PATH"), so a test counts them.
 * It hooks open, open64, openat, openat64, fopen and fopen64 (glibc's fopen opens inside libc,
 * out of reach of the open hooks). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static int opens;

/* The path to open in place of path: the same, or WT_SWAP_LATER from its second open on. */
static const char *swap(const char *path)
{
	const char *want = getenv("WT_SWAP_PATH"), *later = getenv("WT_SWAP_LATER");

	if (!want || !later || !path || strcmp(path, want) != 0)
		return path;
	opens++;
	fprintf(stderr, "swap-preload: open %d of %s\n", opens, path);
	return opens == 1 ? path : later;
}

static mode_t mode_of(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

/* The mode argument of an open call that has one (else 0), after the last named one. */
#define MODE_ARG(last, mode)              \
	do {                              \
		va_list ap;               \
		va_start(ap, last);       \
		mode = mode_of(last, ap); \
		va_end(ap);               \
	} while (0)

/* real: the next definition of name, looked up once. */
#define REAL(name, type)                                      \
	do {                                                  \
		if (!real)                                    \
			real = (type)dlsym(RTLD_NEXT, #name); \
	} while (0)

#define OPEN_HOOK(name)                                      \
	int name(const char *path, int flags, ...)           \
	{                                                    \
		static int (*real)(const char *, int, ...);  \
		mode_t mode;                                 \
		MODE_ARG(flags, mode);                       \
		REAL(name, int (*)(const char *, int, ...)); \
		return real(swap(path), flags, mode);        \
	}

#define OPENAT_HOOK(name)                                         \
	int name(int dirfd, const char *path, int flags, ...)     \
	{                                                         \
		static int (*real)(int, const char *, int, ...);  \
		mode_t mode;                                      \
		MODE_ARG(flags, mode);                            \
		REAL(name, int (*)(int, const char *, int, ...)); \
		return real(dirfd, swap(path), flags, mode);      \
	}

#define FOPEN_HOOK(name)                                           \
	FILE *name(const char *path, const char *how)              \
	{                                                          \
		static FILE *(*real)(const char *, const char *);  \
		REAL(name, FILE *(*)(const char *, const char *)); \
		return real(swap(path), how);                      \
	}

OPEN_HOOK(open)
OPEN_HOOK(open64)
OPENAT_HOOK(openat)
OPENAT_HOOK(openat64)
FOPEN_HOOK(fopen)
FOPEN_HOOK(fopen64)
