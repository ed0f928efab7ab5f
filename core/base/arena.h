/* arena.h: a bump allocator; a decoded module keeps all its tables in one, freed at once. */
#ifndef WT_ARENA_H
#define WT_ARENA_H

#include <stddef.h>

typedef struct wt_arena_chunk wt_arena_chunk;

typedef struct wt_arena {
	wt_arena_chunk *head;
	size_t total; /* bytes handed out, for memory accounting */
} wt_arena;

void wt_arena_init(wt_arena *a);
void wt_arena_fini(wt_arena *a);

/* Returns zeroed memory aligned to 16 bytes, or NULL when out of memory
 * (or when n * size overflows). */
void *wt_arena_calloc(wt_arena *a, size_t n, size_t size);

/* Copies s[0..len) and appends a NUL; NULL when out of memory. */
char *wt_arena_strndup(wt_arena *a, const void *s, size_t len);

#endif
