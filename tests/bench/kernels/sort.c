/* sort.c: sorting through indirect calls: a generic quicksort taking a comparator pointer. */
#include <string.h>
#include "bench.h"

typedef int (*compare_fn)(const void *, const void *);

struct record {
	uint32_t key;
	uint32_t id;
	uint64_t payload;
};

static int by_key(const void *a, const void *b)
{
	const struct record *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int by_payload_desc(const void *a, const void *b)
{
	const struct record *x = a, *y = b;
	if (x->payload != y->payload)
		return x->payload > y->payload ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		unsigned char t = a[i];
		a[i] = b[i];
		b[i] = t;
	}
}

static void insertion(unsigned char *base, size_t count, size_t size, compare_fn cmp)
{
	for (size_t i = 1; i < count; i++)
		for (size_t j = i; j > 0 && cmp(base + (j - 1) * size, base + j * size) > 0; j--)
			swap_bytes(base + (j - 1) * size, base + j * size, size);
}

/* Median-of-three quicksort; recurses into the smaller half, loops on the larger. */
static void quicksort(unsigned char *base, size_t count, size_t size, compare_fn cmp)
{
	while (count > 12) {
		unsigned char *lo = base, *mid = base + count / 2 * size,
			      *hi = base + (count - 1) * size;
		if (cmp(mid, lo) < 0)
			swap_bytes(mid, lo, size);
		if (cmp(hi, mid) < 0) {
			swap_bytes(hi, mid, size);
			if (cmp(mid, lo) < 0)
				swap_bytes(mid, lo, size);
		}
		swap_bytes(mid, hi - size, size);
		unsigned char *pivot = hi - size, *i = lo, *j = pivot;
		for (;;) {
			do
				i += size;
			while (cmp(i, pivot) < 0);
			do
				j -= size;
			while (cmp(j, pivot) > 0);
			if (i >= j)
				break;
			swap_bytes(i, j, size);
		}
		swap_bytes(i, pivot, size);
		size_t left = (size_t)(i - base) / size, right = count - left - 1;
		if (left < right) {
			quicksort(base, left, size, cmp);
			base = i + size;
			count = right;
		} else {
			quicksort(i + size, right, size, cmp);
			count = left;
		}
	}
	insertion(base, count, size, cmp);
}

static uint64_t fold(const struct record *r, size_t count)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < count; i++)
		sum = sum * 1000003u ^ r[i].id;
	return sum;
}

int main(int argc, char **argv)
{
	size_t count = (size_t)bench_arg(argc, argv, 1, 400000);
	struct record *r = malloc(sizeof *r * count);
	if (!r)
		return 70;
	uint64_t rng = 12345, sum = 0;
	for (size_t i = 0; i < count; i++) {
		r[i].key = (uint32_t)(bench_rand(&rng) % (count / 4 + 1));
		r[i].id = (uint32_t)i;
		r[i].payload = bench_rand(&rng);
	}
	/* The comparators come from a table indexed at run time, so no compiler can inline them. */
	compare_fn order[2] = {by_key, by_payload_desc};
	for (int pass = 0; pass < 2; pass++) {
		quicksort((unsigned char *)r, count, sizeof *r, order[(pass + argc) & 1]);
		sum = sum * 31 + fold(r, count);
	}
	free(r);
	bench_checksum("sort", sum);
	return 0;
}
