/* run.h: the run pipeline: read a module file, decode, validate, instantiate with WASI, call
 * _start. */
#ifndef WT_RUN_H
#define WT_RUN_H

#include <stdio.h>

#include "confine.h"
#include "error.h"
#include "jit.h"
#include "runtime.h"
#include "wasi.h"

/* Optional callbacks into a run (record mode uses them); any may be NULL, and a run
 * without hooks behaves the same in every other way. */
typedef struct wt_run_hooks {
	void *ctx;
	/* The module's bytes, as read, before they are decoded, and their
	 * sha256 (computed once per run, as they are read: the pin, the
	 * journal and the code cache all use this one). A non-zero status,
	 * with err filled, fails the run (outcome WT_RUN_FAILED, err_in_module 0). */
	int (*module_read)(void *ctx, const char *path, const uint8_t *bytes, size_t size,
			   const uint8_t sha256[32], wt_error *err);
	/* The store, once it is made (e.g. for a signal handler that calls
	 * wt_store_interrupt), and NULL again just before it is freed. */
	void (*store)(void *ctx, wt_store *s);
} wt_run_hooks;

/* Everything one run is given. Strings and arrays are borrowed for the
 * duration of wt_run. */
typedef struct wt_run_config {
	const char *module_path; /* the .wasm file on the host; with module_bytes, its name */
	/* The module's bytes, when it is not read from module_path (the library's modules from
	 * memory): copied before the run, so the caller's may change during it. NULL: read. */
	const uint8_t *module_bytes;
	size_t module_size;
	/* With module_bytes: their sha256 when the caller has it already (the library hashes a
	 * module from memory once, when it is given); NULL: computed from the copy. */
	const uint8_t *module_sha256;
	wt_wasi_config wasi;	   /* argv, env, mounts, cwd, stdio, policy */
	wt_store_limits limits;	   /* fuel, max_memory (0 = defaults) */
	double timeout;		   /* wall-clock seconds; 0 = none */
	const wt_run_hooks *hooks; /* NULL = none */
	/* Self-confinement, entered once the WASI host is set up (mounts and
	 * stdio open) and before any guest code runs (instantiation may run
	 * the module's start function); NULL = none. */
	const wt_confine_config *confine;
	/* Which tier runs the guest: with the compiling tier, the functions are
	 * compiled once the instance is built, before confinement and before
	 * the segments and the start function (docs/engine.md). */
	wt_tier tier;
	/* 1: the compiling tier neither reads nor writes the code cache
	 * (docs/security.md, "The code cache"); 0: it uses the cache unless a
	 * mount exposes it. */
	int no_cache;
	/* 1: the code cache's size limit is cache_max bytes (--cache-max; 0: no limit); 0: it is
	 * WASI_TOFU_CACHE_MAX's (wt_run_cache_limit). */
	int cache_max_set;
	uint64_t cache_max;
	/* Where the run's notes go (the code cache's: a piece refused or removed, the cache not
	 * used and why): a stream, or NULL for none. The CLI gives stderr; the library the fd of
	 * wasi_tofu_run_notices. */
	FILE *notes;
} wt_run_config;

/* How a run ended. Exactly one of the three. */
typedef enum {
	WT_RUN_EXITED,	/* _start returned (exit_code 0) or proc_exit was called */
	WT_RUN_TRAPPED, /* the guest trapped (or the host stopped it): see trap */
	WT_RUN_FAILED,	/* the tool could not run the module: see err */
} wt_run_outcome;

typedef struct wt_run_result {
	wt_run_outcome outcome;
	uint32_t exit_code;  /* WT_RUN_EXITED: the guest's code, unchanged */
	wt_trap trap;	     /* WT_RUN_TRAPPED; trap.func_name points at func_name */
	char func_name[128]; /* a copy: the module is freed before wt_run returns */
	wt_error err;	     /* WT_RUN_FAILED */
	/* WT_RUN_FAILED: 1 when err is about the module file itself (print
	 * it as `FILE: 0xOFF: msg`), 0 when it is about something else (a
	 * mount, the limits, memory). */
	int err_in_module;
	wt_jit_stats jit; /* what the compiling tier did (all 0 when it did not run) */
} wt_run_result;

/* Runs a WASI command module: reads module_path with one read, decodes
 * and validates it, makes a store with cfg->limits and the WASI host,
 * instantiates (imports resolved by wt_wasi_resolve), and calls its
 * `_start` export, which must be a function of type [] -> []. A module
 * without such an export fails with WT_UNLINKABLE. With cfg->timeout, a
 * timer thread interrupts the store when the time is up (the guest then
 * traps with WT_TRAP_TIMEOUT) and signals the calling thread with SIGURG
 * until the run ends, so a host call blocked in the kernel gives up too.
 * For the run, SIGURG gets a do-nothing handler (no SA_RESTART) and is
 * unblocked in the calling thread; both are restored afterwards, so two
 * timed runs at once in one process would restore each other's (the CLI
 * makes one).
 *
 * Always fills *res and returns its outcome's tool status: 0 when the
 * module ran (exited or trapped), else err.code. The conversion of the
 * outcome to a process exit status is the caller's (the CLI's). */
int wt_run(const wt_run_config *cfg, wt_run_result *res);

/* The code cache's size limit in bytes from value, the syntax of WASI_TOFU_CACHE_MAX and
 * --cache-max (a number of bytes with an optional K, M, G or T suffix, powers of 1024; 0: no
 * limit): its value, or WT_JIT_CACHE_LIMIT_DEFAULT when value is NULL or empty. -1 (and *out
 * untouched) when it is not such a size (core/run/run_cache.c). */
int wt_run_cache_limit(const char *value, uint64_t *out);

#endif
