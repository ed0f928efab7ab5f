/* record.h: record mode: the policy that allows everything and journals every call. */
#ifndef WT_RECORD_H
#define WT_RECORD_H

#include <stdint.h>

#include "journal.h"
#include "run.h"

typedef struct wt_record wt_record;

/* Prepares a recording of the run `cfg` describes into the journal at
 * journal_path. Nothing is written until the module is read (see
 * wt_record_module_read): a module that cannot be read leaves no
 * journal. cfg (and what it points to) is borrowed until wt_record_free.
 * Returns 0 or WT_NOMEM. */
int wt_record_new(const char *journal_path, const wt_run_config *cfg, wt_record **out,
		  wt_error *err);

/* The policy for cfg->wasi.policy: decide allows every call (the mounts
 * still bound what the host can reach), observe journals it. Once the
 * journal has reached its cap, decide says WT_STOP (the run ends at its
 * next call) and the store, when known, is interrupted. */
wt_policy *wt_record_policy(wt_record *r);

/* The journal's cap in bytes (0: none); WT_JOURNAL_MAX_DEFAULT unless
 * set. Call before the header is written (wt_record_module_read). */
void wt_record_set_journal_max(wt_record *r, uint64_t max);

/* A wt_run_hooks.store (ctx = the wt_record): the run's store, which the
 * cap interrupts; NULL once it is freed. */
void wt_record_store(void *ctx, wt_store *s);

/* 1 when the journal reached its cap: it ends with "end":"cap" and does
 * not hold the whole run. Known for sure after wt_record_finish. */
int wt_record_capped(const wt_record *r);

/* A wt_run_hooks.module_read (ctx = the wt_record): writes the journal's
 * header line, with the module's sha256 (the run's digest of the bytes). */
int wt_record_module_read(void *ctx, const char *path, const uint8_t *bytes, size_t size,
			  const uint8_t sha256[32], wt_error *err);

/* After wt_run: writes the end line from res, or, when signo is not 0,
 * says the run was stopped by that signal, or, when the journal reached
 * its cap (then or now, with its last lines), says that; closes it. Returns 0,
 * or WT_IO when the journal could not be written (message in err). When
 * no header was written (the module could not be read) it does nothing. */
int wt_record_finish(wt_record *r, const wt_run_result *res, int signo, wt_error *err);

/* 1 once the header is written (the journal file exists). */
int wt_record_started(const wt_record *r);

/* How many path calls (path_open, path_filestat_get, ...) failed in the
 * run: with no folder mounted, a module that needed files shows here. */
uint64_t wt_record_path_failures(const wt_record *r);

/* Frees r; a journal still open is left without an end line. */
void wt_record_free(wt_record *r);

#endif
