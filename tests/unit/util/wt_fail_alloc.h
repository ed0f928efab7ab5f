/* wt_fail_alloc.h: allocation-failure injection for a unit-test program: without a sanitizer
 * (which owns malloc), the program's malloc family fails the n-th call once armed and counts
 * live blocks, so a test can check that every failure path frees all it took.
 *
 * It defines malloc, calloc, realloc and free: include it from exactly one file of a test
 * program. Arm with `fail_countdown = n` (fail the n-th call from now; -1 = never) and read
 * `live_blocks`. WT_FAILALLOC is 0 in sanitizer builds, where such tests skip. */
#ifndef WT_FAIL_ALLOC_H
#define WT_FAIL_ALLOC_H

#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#define WT_FAILALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WT_FAILALLOC 0
#endif
#endif
#ifndef WT_FAILALLOC
#define WT_FAILALLOC 1
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

static long fail_countdown = -1; /* fail when it reaches 0; -1 = never */
static long live_blocks;

static int should_fail(void)
{
	return fail_countdown >= 0 && fail_countdown-- == 0;
}

void *malloc(size_t n)
{
	void *p = should_fail() ? NULL : __libc_malloc(n);
	live_blocks += p != NULL;
	return p;
}

void *calloc(size_t n, size_t size)
{
	void *p = should_fail() ? NULL : __libc_calloc(n, size);
	live_blocks += p != NULL;
	return p;
}

void *realloc(void *old, size_t n)
{
	if (should_fail())
		return NULL;
	void *p = __libc_realloc(old, n);
	live_blocks += p != NULL && old == NULL;
	return p;
}

void free(void *p)
{
	live_blocks -= p != NULL;
	__libc_free(p);
}
#endif

#endif
