/* jit-cost: what the compiling tier's compile costs, function by function. Compiles functions of
 * a module, each alone (one libgccjit context, one object, as a tier-up batch of one), and prints
 * each one's body size, its internal code words and GCC's wall seconds, with the seconds per KB
 * of body: the figure the tier-up's pace is built on (docs/engine.md), and the CPU seconds of the
 * process and its children (as, ld): the figure that holds on a loaded machine. Imports are
 * resolved to stubs; nothing runs. Not a test.
 *
 * Usage: jit-cost MODULE.wasm [--largest N | --funcs I,J,...] [--min-size BYTES]
 *   --largest N   the N largest defined functions (default 10)
 *   --funcs L     these function indices (as the tier-up's stats name them)
 *   --min-size B  with --largest, only functions of at least B bytes of body
 * Environment: WT_JIT_O=N compiles at -ON (as the tier does). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "jit.h"
#include "module.h"
#include "runtime.h"
#include "sha256.h"

static int stub(wt_host_call *call, const wt_slot *args, wt_slot *results)
{
	(void)args, (void)results;
	call->trap->kind = WT_TRAP_HOST;
	return 1;
}

static int resolve(void *ctx, const wt_module *m, const wt_import *imp, wt_extern *out,
		   wt_error *err)
{
	if (imp->kind != WT_EXTERN_FUNC)
		return wt_fail_plain(err, WT_UNLINKABLE, "jit-cost resolves function imports only");
	out->kind = WT_EXTERN_FUNC;
	out->u.func = wt_func_new_host(ctx, &m->types[imp->desc.type_index], stub, NULL);
	return out->u.func ? 0 : WT_NOMEM;
}

static uint8_t *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (b = malloc((size_t)n)) && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	*size = b ? (size_t)n : 0;
	fclose(f);
	return b;
}

/* CPU seconds of this process and its waited-for children (as, ld) so far. */
static double cpu_now(void)
{
	struct rusage self, kids;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	return (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec + kids.ru_utime.tv_sec +
			kids.ru_stime.tv_sec) +
	       (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec + kids.ru_utime.tv_usec +
			kids.ru_stime.tv_usec) *
		   1e-6;
}

static const wt_module *by_size_module;

/* Larger body first. */
static int by_size(const void *a, const void *b)
{
	uint32_t x = by_size_module->funcs[*(const uint32_t *)a].body_size;
	uint32_t y = by_size_module->funcs[*(const uint32_t *)b].body_size;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* The functions to compile: the listed ones, else the n largest of at least min bytes. */
static uint32_t pick(const wt_module *m, const char *list, uint32_t n, uint32_t min, uint32_t **out)
{
	uint32_t k = 0, first = m->nfunc_imports;
	uint32_t *f = calloc(m->nfuncs + 1, sizeof *f);
	if (!f)
		return 0;
	for (const char *p = list; p && *p; p += strspn(p, ",")) {
		char *end;
		unsigned long i = strtoul(p, &end, 10);
		if (end == p || i < first || i >= m->nfuncs) {
			fprintf(stderr, "jit-cost: not a defined function: %.*s\n",
				(int)strcspn(p, ","), p);
			exit(64);
		}
		f[k++] = (uint32_t)i;
		p = end;
	}
	if (!list) {
		for (uint32_t i = first; i < m->nfuncs; i++)
			if (m->funcs[i].body_size >= min)
				f[k++] = i;
		by_size_module = m;
		qsort(f, k, sizeof *f, by_size);
		k = k < n ? k : n;
	}
	*out = f;
	return k;
}

int main(int argc, char **argv)
{
	const char *path = NULL, *list = NULL;
	uint32_t largest = 10, min = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--largest") && i + 1 < argc)
			largest = (uint32_t)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--funcs") && i + 1 < argc)
			list = argv[++i];
		else if (!strcmp(argv[i], "--min-size") && i + 1 < argc)
			min = (uint32_t)strtoul(argv[++i], NULL, 10);
		else if (!path && argv[i][0] != '-')
			path = argv[i];
		else
			path = NULL, i = argc;
	}
	if (!path || !wt_jit_available()) {
		fprintf(stderr, "usage: jit-cost MODULE.wasm [--largest N | --funcs I,J,...] "
				"[--min-size BYTES] (needs the compiling tier)\n");
		return 64;
	}
	size_t size;
	uint8_t *bytes = read_all(path, &size), sha[32];
	wt_module *m = NULL;
	wt_store *s = NULL;
	wt_instance *inst = NULL;
	wt_error err;
	wt_error_init(&err);
	if (!bytes || wt_decode(bytes, size, &m, &err) || wt_validate(m, &err) ||
	    !(s = wt_store_new(&(wt_store_limits){0})) ||
	    wt_instantiate_begin(s, m, resolve, s, &inst, &err)) {
		fprintf(stderr, "jit-cost: %s: %s\n", path, bytes ? err.msg : "cannot read");
		return 65;
	}
	wt_sha256(bytes, size, sha);
	uint32_t *funcs = NULL, n = pick(m, list, largest, min, &funcs);
	char so[] = "/tmp/jit-cost-XXXXXX.so";
	int fd = mkstemps(so, 3);
	if (fd < 0)
		return 70;
	close(fd);
	printf("%10s %10s %10s %9s %8s %9s %8s\n", "function", "bytes", "words", "seconds", "s/KB",
	       "cpu s", "cpu s/KB");
	double total = 0, cpu_total = 0, bytes_all = 0;
	for (uint32_t k = 0; k < n; k++) {
		wt_jit_stats st = {0};
		uint32_t body = m->funcs[funcs[k]].body_size;
		double c0 = cpu_now();
		if (wt_jit_build(inst, sha, &funcs[k], 1, so, &st, &err)) {
			printf("%10u %10u failed: %s\n", funcs[k], body, err.msg);
			continue;
		}
		double cpu = cpu_now() - c0;
		printf("%10u %10u %10llu %9.3f %8.3f %9.3f %8.3f\n", funcs[k], body,
		       (unsigned long long)st.code_words, st.seconds, st.seconds * 1024.0 / body,
		       cpu, cpu * 1024.0 / body);
		fflush(stdout);
		total += st.seconds;
		cpu_total += cpu;
		bytes_all += body;
	}
	if (n)
		printf("%10s %10.0f %10s %9.3f %8.3f %9.3f %8.3f\n", "all", bytes_all, "", total,
		       total * 1024.0 / bytes_all, cpu_total, cpu_total * 1024.0 / bytes_all);
	unlink(so);
	free(funcs);
	wt_store_free(s);
	wt_module_free(m);
	free(bytes);
	return 0;
}
