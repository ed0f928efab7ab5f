/* record.c: record mode: the policy that allows every call and journals it, header to end. */
#include "record.h"

#include "wasi.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct wt_record {
	wt_policy policy;
	const char *path;
	const wt_run_config *cfg;
	wt_journal_writer *jw;
	uint64_t journal_max;  /* the journal's cap (wt_record_set_journal_max) */
	wt_store *store;       /* the run's, to stop it at the cap (wt_record_store) */
	int started;	       /* the header was written */
	int capped;	       /* the journal reached its cap: the run stops */
	uint64_t path_failed;  /* path calls that failed (wt_record_path_failures) */
	struct timespec start; /* CLOCK_MONOTONIC, when the header was written */
};

/* Every call is allowed, but none once the journal is full: the first
 * after the cap stops the run (the gate traps), as nothing of it could
 * be journaled. */
static wt_verdict record_decide(void *self, const wt_event *ev)
{
	const wt_record *r = self;

	return r->capped ? WT_STOP : WT_ALLOW;
}

static void record_observe(void *self, const wt_event *ev)
{
	wt_record *r = self;

	if (ev->errno_result && strncmp(wt_wasi_call_name(ev->call), "path_", 5) == 0)
		r->path_failed++;
	if (r->jw && wt_journal_writer_call(r->jw, ev) && !r->capped) {
		r->capped = 1;
		if (r->store) /* stop it at its next loop too, not only at its next call */
			wt_store_interrupt(r->store);
	}
}

int wt_record_new(const char *journal_path, const wt_run_config *cfg, wt_record **out,
		  wt_error *err)
{
	wt_record *r = calloc(1, sizeof *r);

	*out = NULL;
	if (!r)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	r->path = journal_path;
	r->cfg = cfg;
	r->journal_max = WT_JOURNAL_MAX_DEFAULT;
	r->policy.decide = record_decide;
	r->policy.observe = record_observe;
	r->policy.self = r;
	*out = r;
	return 0;
}

wt_policy *wt_record_policy(wt_record *r)
{
	return &r->policy;
}

void wt_record_set_journal_max(wt_record *r, uint64_t max)
{
	r->journal_max = max;
}

void wt_record_store(void *ctx, wt_store *s)
{
	wt_record *r = ctx;

	r->store = s;
}

int wt_record_capped(const wt_record *r)
{
	return r->capped;
}

/* "2024-05-01T12:34:56.789Z" for now. */
static void utc_now(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;
	char base[24];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%03ldZ", base, ts.tv_nsec / 1000000);
}

/* The guest cwd as the WASI host takes it: the configured one, else "/". */
static const char *guest_cwd(const wt_wasi_config *w)
{
	return w->cwd ? w->cwd : "/";
}

int wt_record_module_read(void *ctx, const char *path, const uint8_t *bytes, size_t size,
			  const uint8_t sha256[32], wt_error *err)
{
	wt_record *r = ctx;
	const wt_wasi_config *w = &r->cfg->wasi;
	wt_journal_header h = {0};
	char start[40];

	(void)bytes;
	wt_sha256_hex(sha256, h.sha256);
	utc_now(start, sizeof start);
	h.version = WT_JOURNAL_VERSION;
	h.tool_version = WT_VERSION;
	h.module_path = path;
	h.module_size = size;
	h.argc = w->argc;
	h.argv = w->argv;
	h.nenv = w->nenv;
	h.env_names = w->env; /* "NAME=VALUE": the JSON keeps the names only */
	h.nmounts = w->nmounts;
	h.mounts = w->mounts;
	h.cwd = guest_cwd(w);
	h.start = start;
	h.fakes.fake_clocks = w->fakes.fake_clocks;
	h.fakes.fake_random = w->fakes.fake_random;
	h.fakes.random_seed = w->fakes.fake_random ? w->fakes.random_seed : 0;
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	if (wt_journal_writer_open(r->path, &h, &r->jw, err))
		return err->code;
	wt_journal_writer_set_max(r->jw, r->journal_max);
	r->started = 1;
	return 0;
}

uint64_t wt_record_path_failures(const wt_record *r)
{
	return r->path_failed;
}

int wt_record_started(const wt_record *r)
{
	return r->started;
}

static uint64_t elapsed_ns(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - since->tv_sec) * 1000000000u +
	       (uint64_t)(now.tv_nsec - since->tv_nsec);
}

/* Fills how/exit_code/message from the run's result. */
static void describe_end(wt_journal_end *e, const wt_run_result *res, int signo, char *buf,
			 size_t size)
{
	const char *sig = sigabbrev_np(signo);

	if (signo) {
		e->how = WT_JOURNAL_SIGNAL;
		snprintf(buf, size, "SIG%s", sig ? sig : "?");
		e->message = buf;
		return;
	}
	switch (res->outcome) {
	case WT_RUN_EXITED:
		e->how = WT_JOURNAL_EXIT;
		e->exit_code = res->exit_code;
		return;
	case WT_RUN_TRAPPED:
		e->how = WT_JOURNAL_TRAP;
		wt_trap_format(&res->trap, buf, size);
		break;
	case WT_RUN_FAILED:
		e->how = WT_JOURNAL_ERROR;
		wt_error_format(&res->err, NULL, buf, size);
		break;
	}
	e->message = buf;
}

int wt_record_finish(wt_record *r, const wt_run_result *res, int signo, wt_error *err)
{
	wt_journal_end e = {0};
	char msg[512];
	int rc;

	if (!r->jw)
		return 0;
	wt_journal_writer_flush(r->jw); /* the last calls' lines may meet the cap */
	r->capped |= wt_journal_writer_capped(r->jw);
	describe_end(&e, res, signo, msg, sizeof msg);
	e.duration_ns = elapsed_ns(&r->start);
	rc = wt_journal_writer_close(r->jw, &e, err);
	r->jw = NULL;
	return rc;
}

void wt_record_free(wt_record *r)
{
	if (!r)
		return;
	wt_journal_writer_abandon(r->jw);
	free(r);
}
