/* wasi.h: the WASI preview1 host: configuration, mounts, and the import resolver. */
#ifndef WT_WASI_H
#define WT_WASI_H

#include "error.h"
#include "gate.h"
#include "runtime.h"

/* A host folder made visible to the guest at an absolute guest path. */
typedef struct wt_mount {
	const char *host;  /* host folder (relative to the process cwd) */
	const char *guest; /* absolute guest path, e.g. "/src" */
	int readonly;
} wt_mount;

/* Reproducible clocks and random (docs/manifest.md, "fake clocks and
 * random"). All zero: the host's real clocks and random. With fake_clocks,
 * clock_time_get of each clock returns start + n * step at its n-th read
 * (realtime starts at clock_start_ns, the others at 0) and poll_oneoff's
 * clock waits move every clock on instead of sleeping. With fake_random,
 * random_get hands out the ChaCha20 keystream keyed by random_seed. */
#define WT_FAKE_EPOCH_NS 946684800000000000ull /* 2000-01-01T00:00:00Z */
#define WT_FAKE_STEP_NS 1000000ull	       /* 1 ms per read */
typedef struct wt_wasi_fakes {
	int fake_clocks;
	uint64_t clock_start_ns; /* realtime's first value; 0 = WT_FAKE_EPOCH_NS */
	uint64_t clock_step_ns;	 /* 0 = WT_FAKE_STEP_NS */
	int fake_random;
	uint64_t random_seed;
} wt_wasi_fakes;

/* Everything a run of a WASI module is given. Strings are borrowed for
 * the life of the wt_wasi. */
typedef struct wt_wasi_config {
	int argc;
	const char *const *argv; /* argv[0] is the program name the guest sees */
	int nenv;
	const char *const *env; /* "NAME=VALUE" each; nothing is inherited */
	int nmounts;
	const wt_mount *mounts;
	const char *cwd;  /* guest working directory; NULL = the first mount */
	int stdio_fds[3]; /* host fds for guest fds 0, 1, 2 */
	/* NULL: the guest's writes to its stdout and stderr reach stdio_fds[1] and [2]. Else
	 * fd_write on either calls stdio_write(stdio_ctx, WT_EV_STDOUT or WT_EV_STDERR, bytes,
	 * len) once per iovec instead: 0 when it took the bytes, else the write fails with EIO
	 * (or ends short after what was taken). The fds stay the guest's for everything else. */
	int (*stdio_write)(void *ctx, int stream, const void *bytes, size_t len);
	void *stdio_ctx;
	wt_policy *policy; /* NULL = whatever the mounts allow */
	/* NULL: writes reach the host. Else a contained run: every writable
	 * mount writes into its overlay in this (overlay.h; borrowed). */
	struct wt_contain *contain;
	wt_store *store;     /* where the host functions are created (borrowed) */
	wt_wasi_fakes fakes; /* zero: real clocks and random */
	/* Test aid (docs/testing.md, WASI_TOFU_TRACE_IMPORTS): when
	 * trace_imports is non-zero, each WASI import call writes its name and
	 * a newline to the host fd trace_fd on entry, before the gate decodes
	 * anything, with one unbuffered write(2) per call. Zero: off (the
	 * import is then the gate itself, with no extra step). */
	int trace_imports;
	int trace_fd;
	/* Host paths of the policy's own files (manifest, override, ceiling,
	 * journal, report ...; they need not exist yet). Where one lies in a
	 * mount's host folder the module can neither see nor make it, nor
	 * remove or rename a folder on the way to it (docs/security.md). */
	int nprotect;
	const char *const *protect;
} wt_wasi_config;

typedef struct wt_wasi wt_wasi;

/* Opens the mounts (each must be an existing host folder) and prepares
 * the fd table: 0-2 stdio, then one preopen per mount in order, then,
 * when the guest cwd is not "/", one more preopen named "." for the cwd
 * (wasi-libc resolves relative paths through a preopen named "."; see
 * docs/security.md). Returns 0
 * or a status (WT_NOINPUT for a missing mount folder, WT_USAGE for a bad
 * guest path) with a message in err. */
int wt_wasi_new(const wt_wasi_config *cfg, wt_wasi **out, wt_error *err);
void wt_wasi_free(wt_wasi *w);

/* A wt_resolver (runtime.h) for imports of "wasi_snapshot_preview1"; ctx
 * is the wt_wasi. Other modules, unknown names and wrong signatures are
 * WT_UNLINKABLE. Host functions are created in the store on first use. */
int wt_wasi_resolve(void *ctx, const wt_module *m, const wt_import *imp, wt_extern *out,
		    wt_error *err);

/* The name of a WASI call ("fd_write"), from wasi_calls.h; "?" if none. */
const char *wt_wasi_call_name(wt_wasi_call call);
/* The call named NAME into *call: 0, or -1 for a name that is not a WASI call. */
int wt_wasi_call_of_name(const char *name, wt_wasi_call *call);

#endif
