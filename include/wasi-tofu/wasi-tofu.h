/* wasi-tofu.h: the public C API of libwasi-tofu: run a WebAssembly/WASI (preview1) command
 * module in the wasi-tofu sandbox, permissively or under a capability manifest, and get how it
 * ended and its deviations as data. docs/library.md is the reference.
 *
 * RUN: every function that takes a wasi_tofu_run needs one (wasi_tofu_run_free alone takes NULL);
 * a debug build of the library aborts on a NULL run, a release build does not check.
 *
 * Ownership: every pointer a function takes is borrowed for the call only (strings are copied);
 * every pointer it returns is owned by the wasi_tofu_run it came from and stays valid until the
 * next wasi_tofu_run_exec or wasi_tofu_run_free on it.
 *
 * Threads: there is no global state; separate wasi_tofu_run objects may be used from separate
 * threads at once. One object is used by one thread at a time. A run with a timeout installs a
 * SIGURG handler for its duration: make one timed run at a time per process. */
#ifndef WASI_TOFU_H
#define WASI_TOFU_H

#include <stddef.h>
#include <stdint.h>

#define WASI_TOFU_VERSION_MAJOR 0
#define WASI_TOFU_VERSION_MINOR 1
#define WASI_TOFU_VERSION_PATCH 0
#define WASI_TOFU_VERSION "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, for #if */
#define WASI_TOFU_VERSION_NUMBER \
	(WASI_TOFU_VERSION_MAJOR * 10000 + WASI_TOFU_VERSION_MINOR * 100 + WASI_TOFU_VERSION_PATCH)

/* Marks the API: the shared library exports these symbols and nothing else. */
#if defined(__GNUC__) || defined(__clang__)
#define WASI_TOFU_API __attribute__((visibility("default")))
#else
#define WASI_TOFU_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Statuses: 0, or the sysexits value the CLI exits with for the same failure. */
enum {
	WASI_TOFU_OK = 0,
	WASI_TOFU_EUSAGE = 64,	   /* a bad argument: a relative guest path, a NULL string */
	WASI_TOFU_EMALFORMED = 65, /* the module or the manifest is malformed or invalid */
	WASI_TOFU_ENOINPUT = 66,   /* the module, a mount folder or the manifest is missing */
	WASI_TOFU_EINTERNAL = 70,  /* out of memory, a limit that cannot be honoured */
	WASI_TOFU_EIO = 74,	   /* a file could not be read */
	WASI_TOFU_EDEVIATION = 77  /* a deviation stopped the run, or the module changed */
};

/* What a call outside the manifest does (docs/manifest.md, on_deviation). */
typedef enum wasi_tofu_on_deviation {
	WASI_TOFU_FAIL = 0, /* refused, and the run stops (status 77) */
	WASI_TOFU_DENY = 1, /* refused with ENOTCAPABLE; the run goes on */
	WASI_TOFU_HIDE = 2  /* answered ENOENT; the run goes on */
} wasi_tofu_on_deviation;

/* How a run ended. */
typedef enum wasi_tofu_outcome {
	WASI_TOFU_NOT_RUN = 0, /* wasi_tofu_run_exec was not called yet */
	WASI_TOFU_EXITED = 1,  /* _start returned (exit code 0) or proc_exit was called */
	WASI_TOFU_TRAPPED = 2, /* the module trapped, ran out of fuel, time or memory */
	WASI_TOFU_STOPPED = 3, /* a deviation stopped it (WASI_TOFU_FAIL) */
	WASI_TOFU_FAILED = 4   /* it could not run: see wasi_tofu_run_message */
} wasi_tofu_outcome;

/* One run: its configuration, then its result. Opaque. */
typedef struct wasi_tofu_run wasi_tofu_run;

/* "0.1.0": the version of the library linked, which may differ from WASI_TOFU_VERSION. */
WASI_TOFU_API const char *wasi_tofu_version(void);

/* Writes TEXT (a guest path, a message: the module's bytes) into OUT as text that cannot drive
 * a terminal (control characters, invalid UTF-8 and bidi controls become \xNN or \uNNNN; `\`
 * becomes `\\`) and returns the length the whole result needs, as snprintf does: OUT holds at
 * most SIZE - 1 bytes and a NUL when SIZE > 0, never cut inside an escape. */
WASI_TOFU_API size_t wasi_tofu_escape(const char *text, char *out, size_t size);

/* A new run of the module file PATH (read when the run starts). NULL when out of memory. The
 * module's argv[0] is PATH; stdio is the process's 0, 1, 2; no mount, no variable; the
 * permissive policy (every call the mounts reach). */
WASI_TOFU_API wasi_tofu_run *wasi_tofu_run_new(const char *module_path);
/* The same for the module whose bytes are BYTES[0..SIZE), copied; NAME (copied) is its argv[0]
 * and its name in messages ("module.wasm" when NULL). NULL when out of memory or BYTES is. */
WASI_TOFU_API wasi_tofu_run *wasi_tofu_run_new_memory(const void *bytes, size_t size,
						      const char *name);
/* Frees the run and everything it returned. NULL is allowed. */
WASI_TOFU_API void wasi_tofu_run_free(wasi_tofu_run *run);

/* Makes the host folder HOST visible at the absolute guest path GUEST, read-only when
 * READ_ONLY is non-zero. In order; each is one WASI preopen. */
WASI_TOFU_API int wasi_tofu_run_mount(wasi_tofu_run *run, const char *host, const char *guest,
				      int read_only);
/* Appends ARG to the module's argv. */
WASI_TOFU_API int wasi_tofu_run_arg(wasi_tofu_run *run, const char *arg);
/* Sets the variable NAME=VALUE for the module (nothing is inherited from the host). */
WASI_TOFU_API int wasi_tofu_run_env(wasi_tofu_run *run, const char *name, const char *value);
/* The module's working directory, an absolute guest path (default: "/"). */
WASI_TOFU_API int wasi_tofu_run_cwd(wasi_tofu_run *run, const char *guest);
/* Limits; 0 leaves one at its default: FUEL instructions (unlimited), MAX_MEMORY bytes for
 * the whole module (4 GiB), TIMEOUT wall-clock seconds (none). */
WASI_TOFU_API void wasi_tofu_run_limits(wasi_tofu_run *run, uint64_t fuel, uint64_t max_memory,
					double timeout);
/* Reproducible clocks (1 ms per read from 2000-01-01) and, with FAKE_RANDOM, the ChaCha20
 * stream of SEED instead of the host's random. */
WASI_TOFU_API void wasi_tofu_run_fakes(wasi_tofu_run *run, int fake_clocks, int fake_random,
				       uint64_t seed);
/* The host fds the module's stdin, stdout and stderr are (borrowed: never closed). */
WASI_TOFU_API void wasi_tofu_run_stdio(wasi_tofu_run *run, int in, int out, int err);
/* Enforces the manifest file PATH (docs/manifest.md): each call it does not grant is a
 * deviation, handled as MODE says. The mounts stay the ones given to wasi_tofu_run_mount;
 * the manifest's sha256 pin is checked. Loaded here: WASI_TOFU_EMALFORMED (message in
 * wasi_tofu_run_message) or WASI_TOFU_ENOINPUT. */
WASI_TOFU_API int wasi_tofu_run_manifest(wasi_tofu_run *run, const char *path,
					 wasi_tofu_on_deviation mode);

/* The same with the manifest's YAML text TEXT[0..LEN), named NAME in messages. */
WASI_TOFU_API int wasi_tofu_run_manifest_text(wasi_tofu_run *run, const char *text, size_t len,
					      const char *name, wasi_tofu_on_deviation mode);

/* Runs the module to its end. Returns the status the CLI would exit with: the module's exit
 * code (its low 8 bits, never 0 for a non-zero code), 134 on a trap, 77 when a deviation
 * stopped it, else a WASI_TOFU_E* status. May be called again for another run. */
WASI_TOFU_API int wasi_tofu_run_exec(wasi_tofu_run *run);

WASI_TOFU_API wasi_tofu_outcome wasi_tofu_run_outcome(const wasi_tofu_run *run);
/* WASI_TOFU_EXITED: the module's 32-bit exit code, unchanged. */
WASI_TOFU_API uint32_t wasi_tofu_run_exit_code(const wasi_tofu_run *run);
/* The trap ("integer divide by zero in function 3 <div> at 0x1f2") or the failure, or "". */
WASI_TOFU_API const char *wasi_tofu_run_message(const wasi_tofu_run *run);

/* The deviations of the last run under a manifest: kinds of refused call, each once. */
WASI_TOFU_API size_t wasi_tofu_run_deviation_count(const wasi_tofu_run *run);
/* Deviation I: the WASI function ("path_open"), the guest path or NULL, the manifest line that
 * would allow it or NULL, and how many calls it stands for. NULL / 0 when I is out of range. */
WASI_TOFU_API const char *wasi_tofu_deviation_call(const wasi_tofu_run *run, size_t i);
WASI_TOFU_API const char *wasi_tofu_deviation_path(const wasi_tofu_run *run, size_t i);
WASI_TOFU_API const char *wasi_tofu_deviation_fix(const wasi_tofu_run *run, size_t i);
WASI_TOFU_API unsigned long wasi_tofu_deviation_count(const wasi_tofu_run *run, size_t i);

#ifdef __cplusplus
}
#endif

#endif
