/* match_bench.c: the manifest pattern trie: 10,000 rules, 1,000,000 lookups; prints the time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gate.h"
#include "match.h"

enum { NRULES = 10000, NCHECKS = 1000000, NPATHS = 4096 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Rule i: a mix of exact files, folder globs, `*.ext` and `**` trees, as
 * a generated manifest of a large build has them. */
static void rule(unsigned i, char *buf, size_t size)
{
	switch (i % 4) {
	case 0:
		snprintf(buf, size, "/src/pkg%u/mod%u/file%u.c", i % 97, i % 13, i);
		break;
	case 1:
		snprintf(buf, size, "/src/pkg%u/mod%u/*", i % 97, i % 131);
		break;
	case 2:
		snprintf(buf, size, "/out/obj%u/*.o", i % 211);
		break;
	default:
		snprintf(buf, size, "/deps/lib%u/**", i);
		break;
	}
}

/* A path to look up: about half of them match something. */
static void path(unsigned k, char *buf, size_t size)
{
	switch (k % 5) {
	case 0:
		snprintf(buf, size, "/src/pkg%u/mod%u/file%u.c", (k * 4) % 97, (k * 4) % 13, k * 4);
		break;
	case 1:
		snprintf(buf, size, "/src/pkg%u/mod%u/x.h", k % 97, k % 131);
		break;
	case 2:
		snprintf(buf, size, "/out/obj%u/unit%u.o", k % 211, k);
		break;
	case 3:
		snprintf(buf, size, "/deps/lib%u/include/sys/types%u.h", k % 12000, k);
		break;
	default:
		snprintf(buf, size, "/home/user/.ssh/id_%u", k);
		break;
	}
}

int main(void)
{
	static char paths[NPATHS][96];
	size_t lens[NPATHS];
	wt_match *t = wt_match_new();
	char buf[128];
	unsigned long hits = 0;
	double t0, t1, t2;

	if (!t)
		return 70;
	t0 = now();
	for (unsigned i = 0; i < NRULES; i++) {
		rule(i, buf, sizeof buf);
		if (wt_match_add(t, NULL, 0, buf, 1u << (i % 12), NULL))
			return 70;
	}
	for (unsigned k = 0; k < NPATHS; k++) {
		path(k, paths[k], sizeof paths[k]);
		lens[k] = strlen(paths[k]);
	}
	t1 = now();
	for (unsigned long n = 0; n < NCHECKS; n++) {
		unsigned k = (unsigned)(n % NPATHS);
		hits += wt_match_rights(t, paths[k], lens[k]) != 0;
	}
	t2 = now();
	printf("match_bench: %d rules built in %.1f ms; %d checks in %.1f ms (%.0f ns per check, "
	       "%lu matched)\n",
	       NRULES, (t1 - t0) * 1e3, NCHECKS, (t2 - t1) * 1e3, (t2 - t1) * 1e9 / NCHECKS, hits);
	wt_match_free(t);
	return 0;
}
