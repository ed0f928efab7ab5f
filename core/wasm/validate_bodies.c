/* validate_bodies.c: the validation of every function body, on as many threads as the process
 * may run on when the code is large: a 30 MB module's bodies are most of its start-up
 * (docs/engine.md, "Start-up"). Each thread checks a run of consecutive bodies of about equal
 * bytes with a context of its own; each body's results (max_stack, max_blocks) are its own
 * function's fields. The error reported is the one of the lowest function index: the one a
 * single thread checking the bodies in order meets first. */
#include <pthread.h>
#include <stdlib.h>

#include "cpus.h"
#include "env.h"
#include "validate.h"

/* Bodies below this many bytes in all are checked on the calling thread alone: a thread's
 * start costs more than it saves. */
#define PAR_BYTES (1u << 20)
#define MAX_THREADS 8

/* One run of bodies [from, to) and what checking it found: rc 0, or the error of function
 * `failed`, the first of the run that fails. */
typedef struct part {
	wt_module *m;
	uint32_t from, to, failed;
	int rc;
	wt_error err;
	pthread_t thread;
	int started;
} part;

static void check_part(part *p, wt_vctx *c)
{
	for (uint32_t i = p->from; i < p->to; i++)
		if ((p->rc = wt_validate_func(c, i, &p->err)) != 0) {
			p->failed = i;
			return;
		}
}

/* A part on a context of its own (a thread's, or the caller's fallback when no thread could
 * start): a context that cannot be made fails the part at its first body. */
static void check_part_alone(part *p)
{
	wt_vctx *c = malloc(sizeof *c);
	if (!c) {
		p->rc = wt_fail_plain(&p->err, WT_NOMEM, "out of memory validating the module");
	} else if ((p->rc = wt_validate_ctx_init(c, p->m, &p->err)) == 0) {
		check_part(p, c);
		wt_validate_ctx_fini(c);
	}
	if (p->rc && p->failed == p->to)
		p->failed = p->from;
	free(c);
}

static void *part_thread(void *arg)
{
	check_part_alone(arg);
	return NULL;
}

/* WT_VALIDATE_THREADS (a measuring and testing knob: any size of code), else the CPUs this
 * process may run on when the code is large; at most MAX_THREADS. */
static unsigned thread_count(uint64_t bytes)
{
	uint64_t n = wt_env_u64("WT_VALIDATE_THREADS", 0);
	if (n == 0 && bytes >= PAR_BYTES)
		n = wt_cpus_usable();
	return n < 1 ? 1 : n < MAX_THREADS ? (unsigned)n : MAX_THREADS;
}

/* Splits the defined functions into n runs of about equal body bytes (a run may be empty). */
static void split(wt_module *m, uint64_t bytes, part *parts, unsigned n)
{
	uint32_t i = m->nfunc_imports;
	uint64_t sum = 0;
	for (unsigned k = 0; k < n; k++) {
		uint64_t until = bytes * (k + 1) / n;
		parts[k] = (part){.m = m, .from = i};
		while (i < m->nfuncs && (k == n - 1 || sum < until))
			sum += m->funcs[i++].body_size;
		parts[k].to = parts[k].failed = i;
		wt_error_init(&parts[k].err);
	}
}

/* The first failing part's error in *err (parts are in index order), or 0. */
static int first_error(part *parts, unsigned n, wt_error *err)
{
	for (unsigned k = 0; k < n; k++)
		if (parts[k].rc) {
			*err = parts[k].err;
			return parts[k].rc;
		}
	return 0;
}

int wt_validate_bodies(wt_vctx *c, wt_error *err)
{
	wt_module *m = c->m;
	uint64_t bytes = 0;
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
		bytes += m->funcs[i].body_size;
	part parts[MAX_THREADS];
	unsigned n = thread_count(bytes);
	split(m, bytes, parts, n);
	for (unsigned k = 1; k < n; k++)
		parts[k].started =
		    pthread_create(&parts[k].thread, NULL, part_thread, &parts[k]) == 0;
	check_part(&parts[0], c);
	for (unsigned k = 1; k < n; k++) {
		if (parts[k].started)
			pthread_join(parts[k].thread, NULL);
		else
			check_part_alone(&parts[k]);
	}
	return first_error(parts, n, err);
}
