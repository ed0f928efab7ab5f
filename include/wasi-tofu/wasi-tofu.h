/* wasi-tofu.h: the public C API of libwasi-tofu: run a WebAssembly/WASI (preview1) command
 * module in the wasi-tofu sandbox, permissively or under a capability manifest, and get how it
 * ended and its deviations as data. docs/library.md is the reference.
 *
 * RUN: every function that takes a wasi_tofu_run needs one (wasi_tofu_run_free alone takes NULL);
 * a debug build of the library aborts on a NULL run, a release build does not check.
 *
 * Ownership: every pointer a function takes is borrowed for the call only (strings are copied),
 * but the USERDATA of a callback, borrowed for as long as the callback is set; every pointer it
 * returns is owned by the wasi_tofu_run it came from and stays valid until the next
 * wasi_tofu_run_exec or wasi_tofu_run_free on it; what a callback is given is valid during
 * that call only.
 *
 * Threads: there is no global state; separate wasi_tofu_run objects may be used from separate
 * threads at once. One object is used by one thread at a time. Callbacks (policy, ask,
 * output) run in the thread of wasi_tofu_run_exec and must not call the API on their own run.
 * A run with a timeout installs a SIGURG handler for its duration: make one timed run at a
 * time per process. */
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
	WASI_TOFU_HIDE = 2, /* answered ENOENT; the run goes on */
	WASI_TOFU_WARN = 3  /* complain mode: allowed, and listed as "warn"; a deny rule or the
			     * ceiling still refuses it (ENOTCAPABLE) */
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
/* The module's sha256 as 64 lowercase hex digits and a NUL (as sha256sum prints it), owned by
 * the run; NULL while it is not known. A module from memory: that of its bytes, from
 * wasi_tofu_run_new_memory until wasi_tofu_run_free, the same before and after each run. A
 * module file: that of the bytes the last wasi_tofu_run_exec read (the bytes that ran, the
 * ones a manifest's pin is checked on), valid until the next wasi_tofu_run_exec or
 * wasi_tofu_run_free; NULL before the first wasi_tofu_run_exec and after one that could not
 * read the file. */
WASI_TOFU_API const char *wasi_tofu_run_sha256(const wasi_tofu_run *run);
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
/* Which tier runs the module's code (`--tier`). The tiers behave alike (the same output,
 * exit status, traps and fuel); they differ in speed only. */
typedef enum wasi_tofu_tier {
	WASI_TOFU_TIER_AUTO = 0,   /* interpreted, hot code compiled for later runs (default) */
	WASI_TOFU_TIER_INTERP = 1, /* the interpreter only */
	WASI_TOFU_TIER_JIT = 2	   /* the compiling tier, compiled before the run */
} wasi_tofu_tier;

/* Chooses the tier. WASI_TOFU_EUSAGE for a value not above, and for WASI_TOFU_TIER_JIT when
 * this build of the library has no compiling tier (the message says so); the tier stays. */
WASI_TOFU_API int wasi_tofu_run_tier(wasi_tofu_run *run, wasi_tofu_tier tier);
/* The host fds the module's stdin, stdout and stderr are (borrowed: never closed). */
WASI_TOFU_API void wasi_tofu_run_stdio(wasi_tofu_run *run, int in, int out, int err);
/* Receives what the module writes to its stdout (STREAM WASI_TOFU_STDOUT) or stderr
 * (WASI_TOFU_STDERR): BYTES[0..SIZE), owned by the run and valid during the call only. Called
 * in the thread of wasi_tofu_run_exec, in the module's order; returns 0, or non-zero to fail
 * the module's write with EIO. It must not call the API on the same run. */
typedef int (*wasi_tofu_output_fn)(int stream, const void *bytes, size_t size, void *userdata);

/* Sends the module's stdout and stderr writes to CALLBACK (with USERDATA, borrowed, passed
 * back as is) instead of the fds of wasi_tofu_run_stdio; NULL: to the fds again. */
WASI_TOFU_API void wasi_tofu_run_output(wasi_tofu_run *run, wasi_tofu_output_fn callback,
					void *userdata);
/* Enforces the manifest file PATH (docs/manifest.md): each call it does not grant is a
 * deviation, handled as MODE says. The mounts stay the ones given to wasi_tofu_run_mount;
 * the manifest's sha256 pin is checked. Loaded here: WASI_TOFU_EMALFORMED (message in
 * wasi_tofu_run_message) or WASI_TOFU_ENOINPUT. */
WASI_TOFU_API int wasi_tofu_run_manifest(wasi_tofu_run *run, const char *path,
					 wasi_tofu_on_deviation mode);

/* The same with the manifest's YAML text TEXT[0..LEN), named NAME in messages. */
WASI_TOFU_API int wasi_tofu_run_manifest_text(wasi_tofu_run *run, const char *text, size_t len,
					      const char *name, wasi_tofu_on_deviation mode);

/* The manifest's own settings wasi_tofu_run_manifest_use takes, as `wasi-tofu run --manifest`
 * takes them all (WASI_TOFU_USE_ALL). */
#define WASI_TOFU_USE_MOUNTS 1u	   /* its mounts, before those of wasi_tofu_run_mount */
#define WASI_TOFU_USE_ENV 2u	   /* only the variables it lists reach the module */
#define WASI_TOFU_USE_LIMITS 4u	   /* its limits where none is set; its fake clocks, random */
#define WASI_TOFU_USE_CWD 8u	   /* its working directory unless wasi_tofu_run_cwd */
#define WASI_TOFU_USE_OVERRIDE 16u /* its override file (M.override.yaml beside a file M) */
#define WASI_TOFU_USE_ALL 31u

/* Takes the settings WHAT (WASI_TOFU_USE_* ORed; 0: none, the default) of the manifest set
 * by wasi_tofu_run_manifest(_text), until another policy is chosen. The override file is
 * loaded here: WASI_TOFU_EMALFORMED. WASI_TOFU_EUSAGE without a manifest, or
 * WASI_TOFU_USE_OVERRIDE with a manifest from text. */
WASI_TOFU_API int wasi_tofu_run_manifest_use(wasi_tofu_run *run, unsigned what);

/* Holds every manifest of the run within the ceiling file PATH (`--ceiling`, man 5
 * wasi-tofu-manifest): a manifest or override granting more does not run (status 77, the
 * grant in wasi_tofu_run_message). Loaded here; kept across policies; NULL removes it. */
WASI_TOFU_API int wasi_tofu_run_ceiling(wasi_tofu_run *run, const char *path);

/* Project mode, as `wasi-tofu run MODULE` inside a project (docs/project.md): PROJECT is the
 * project file (wasi-tofu.yaml) or the folder that holds it; MODULE the module's file, inside
 * the project's folder (NULL: the run's module path; required for a module from memory, whose
 * bytes are then what is hashed). The module's entry must pin its sha256 and name a manifest
 * that exists, else WASI_TOFU_EDEVIATION with wasi_tofu_run_message saying "REL is not trusted
 * in this project (sha256 HEX) ..." or "REL changed: its sha256 is HEX, the project pins PIN";
 * trusting it is the CLI's `wasi-tofu trust`. Then its manifest is the run's, as with
 * wasi_tofu_run_manifest (MODE; wasi_tofu_run_manifest_use and wasi_tofu_run_ask apply), held
 * within the project's ceiling extended by the module's (a ceiling of wasi_tofu_run_ceiling
 * replaces them, as `--ceiling` does), the pin checked again on the bytes that run, and the
 * project file, its manifests folder and its ceilings out of the module's reach. Reports name
 * the module by its project-relative path. WASI_TOFU_EUSAGE: MODULE is outside the project;
 * WASI_TOFU_ENOINPUT, WASI_TOFU_EMALFORMED: the project, a ceiling or the manifest. */
WASI_TOFU_API int wasi_tofu_run_project(wasi_tofu_run *run, const char *project, const char *module,
					wasi_tofu_on_deviation mode);

/* What a policy or ask callback says about one call. Another value counts as
 * WASI_TOFU_VERDICT_DENY. */
typedef enum wasi_tofu_verdict {
	WASI_TOFU_VERDICT_ALLOW = 0, /* the host makes the call (within the mounts) */
	WASI_TOFU_VERDICT_DENY = 1,  /* the module gets ENOTCAPABLE */
	WASI_TOFU_VERDICT_HIDE = 2,  /* the module gets ENOENT */
	WASI_TOFU_VERDICT_STOP = 3,  /* the run ends here (status 77, WASI_TOFU_STOPPED) */
	/* An answer to a question (wasi_tofu_run_ask) whose `always` is set: allowed, and the
	 * library adds the grant to that override file, so that later runs allow it without
	 * asking. Where `always` is NULL, and from a policy callback: WASI_TOFU_VERDICT_ALLOW. */
	WASI_TOFU_VERDICT_ALLOW_ALWAYS = 4
} wasi_tofu_verdict;

/* The capability class of a WASI function (wasi_tofu_event.kind). */
typedef enum wasi_tofu_class {
	WASI_TOFU_CLASS_ARGS = 0,
	WASI_TOFU_CLASS_ENV = 1,
	WASI_TOFU_CLASS_CLOCK = 2,
	WASI_TOFU_CLASS_FD = 3,
	WASI_TOFU_CLASS_PATH = 4,
	WASI_TOFU_CLASS_POLL = 5,
	WASI_TOFU_CLASS_PROC = 6,
	WASI_TOFU_CLASS_SCHED = 7,
	WASI_TOFU_CLASS_RANDOM = 8,
	WASI_TOFU_CLASS_SOCK = 9
} wasi_tofu_class;

/* The rights a call asks for (wasi_tofu_event.rights), as the manifest names them. */
#define WASI_TOFU_RIGHT_READ (1u << 0)
#define WASI_TOFU_RIGHT_WRITE (1u << 1)
#define WASI_TOFU_RIGHT_CREATE (1u << 2)
#define WASI_TOFU_RIGHT_DELETE (1u << 3)
#define WASI_TOFU_RIGHT_LIST (1u << 4)
#define WASI_TOFU_RIGHT_STAT (1u << 5)
#define WASI_TOFU_RIGHT_RENAME (1u << 6)
#define WASI_TOFU_RIGHT_LINK (1u << 7)
#define WASI_TOFU_RIGHT_SYMLINK (1u << 8)
#define WASI_TOFU_RIGHT_READLINK (1u << 9)
#define WASI_TOFU_RIGHT_SET_TIMES (1u << 10)
#define WASI_TOFU_RIGHT_TRUNCATE (1u << 11)

/* The module's stdio stream an fd call touches (wasi_tofu_event.stdio). */
enum { WASI_TOFU_NOSTDIO = 0, WASI_TOFU_STDIN = 1, WASI_TOFU_STDOUT = 2, WASI_TOFU_STDERR = 3 };

/* One WASI call of the module, before the host makes it. Every pointer is owned by the run
 * and valid during the callback only (copy what you keep). Paths are canonical absolute
 * guest paths, `..` and the symlinks on the way resolved as the guest sees them; they are
 * the module's bytes (any byte but NUL): show them through wasi_tofu_escape. */
typedef struct wasi_tofu_event {
	uint64_t seq;	      /* 1, 2, 3 ... in the run */
	const char *call;     /* the WASI function: "path_open", "fd_write", ... */
	wasi_tofu_class kind; /* its class */
	int32_t fd;	      /* the fd argument, or -1 */
	const char *fd_path;  /* the guest path that fd is open on, or NULL (stdio, none) */
	const char *path;     /* path calls: the path asked for, else NULL */
	const char *path2;    /* path_rename, path_link, path_symlink: the second path */
	uint32_t rights;      /* WASI_TOFU_RIGHT_* the call needs */
	uint64_t size;	      /* bytes asked for (reads, writes, random_get), else 0 */
	int stdio;	      /* WASI_TOFU_STD*: the stdio stream an fd call touches */
} wasi_tofu_event;

/* A policy: called in the thread of wasi_tofu_run_exec, before each WASI call of the module
 * (every one: args, clocks, writes to stdout ...), with the USERDATA given to
 * wasi_tofu_run_policy. It must not call the API on the same run. */
typedef wasi_tofu_verdict (*wasi_tofu_policy_fn)(const wasi_tofu_event *event, void *userdata);

/* Makes CALLBACK the run's policy, in place of the permissive one, a manifest or record mode
 * (dropped: one policy at a time); the mounts still bound what the host can reach. USERDATA
 * (borrowed for as long as the policy is set) is passed back as is. CALLBACK NULL: the permissive
 * policy again. */
WASI_TOFU_API int wasi_tofu_run_policy(wasi_tofu_run *run, wasi_tofu_policy_fn callback,
				       void *userdata);

/* A call outside the manifest, as wasi_tofu_run_ask puts it to the host. Every pointer is owned
 * by the run and valid during the callback only; paths are the module's bytes. */
typedef struct wasi_tofu_question {
	const char *call;  /* the WASI function: "path_open" */
	const char *path;  /* the guest path the rights are missing on, or NULL */
	const char *path2; /* path_rename, path_link, path_symlink: the other path, or NULL */
	uint32_t rights;   /* the WASI_TOFU_RIGHT_* missing on path */
	const char *what;  /* not a file: "clock realtime", "random", "exit code 3"; else NULL */
	const char *fix;   /* the manifest line that would allow it, or NULL */
	const char *host_path; /* the host file path maps to through the mounts, or NULL */
	/* The override file WASI_TOFU_VERDICT_ALLOW_ALWAYS adds the grant to, or NULL when it
	 * cannot be allowed always: not a file request, or the run does not use the manifest's
	 * override file (WASI_TOFU_USE_OVERRIDE). */
	const char *always;
} wasi_tofu_question;

/* Answers one question: WASI_TOFU_VERDICT_ALLOW (this once), _ALLOW_ALWAYS, _DENY, _HIDE or
 * _STOP. */
typedef wasi_tofu_verdict (*wasi_tofu_ask_fn)(const wasi_tofu_question *question, void *userdata);

/* Under the run's manifest, each call it does not grant is asked of CALLBACK (in the thread of
 * wasi_tofu_run_exec, with USERDATA, borrowed) in place of the manifest's mode: the CLI's
 * prompt for a host. A deny rule or the ceiling is never asked (the call is denied).
 * WASI_TOFU_EUSAGE without a manifest; dropped with it; CALLBACK NULL: the mode again.
 * A WASI_TOFU_VERDICT_ALLOW_ALWAYS grant is written when it is given (a temporary file
 * renamed over the override file); one that cannot be written allows the call this once
 * (the report says "allow-once") and is told on the fd of wasi_tofu_run_notices. */
WASI_TOFU_API int wasi_tofu_run_ask(wasi_tofu_run *run, wasi_tofu_ask_fn callback, void *userdata);

/* The host fd (borrowed: never closed; -1, the default: none) the library writes a line to,
 * during wasi_tofu_run_exec, when something goes wrong that does not end the run: "wasi-tofu:
 * could not add the grant: WHY; allowed this once". The module's own output never goes there. */
WASI_TOFU_API void wasi_tofu_run_notices(wasi_tofu_run *run, int fd);

/* Record mode: the permissive policy, and every WASI call of the run written to the journal
 * file JOURNAL_PATH (copied; made when the module is read, replaced when it exists), the
 * journal `wasi-tofu record --journal` writes and `wasi-tofu generate` reads (man 5
 * wasi-tofu-journal). MAX_BYTES caps it (0: the CLI's default, 256 MiB); a run that reaches
 * the cap is stopped (status 74, WASI_TOFU_STOPPED). In place of a manifest or a callback. */
WASI_TOFU_API int wasi_tofu_run_record(wasi_tofu_run *run, const char *journal_path,
				       uint64_t max_bytes);

/* Runs the module to its end. Returns the status the CLI would exit with: the module's exit
 * code (its low 8 bits, never 0 for a non-zero code), 134 on a trap, 77 when a deviation
 * stopped it, else a WASI_TOFU_E* status. May be called again for another run. */
WASI_TOFU_API int wasi_tofu_run_exec(wasi_tofu_run *run);

WASI_TOFU_API wasi_tofu_outcome wasi_tofu_run_outcome(const wasi_tofu_run *run);
/* WASI_TOFU_EXITED: the module's 32-bit exit code, unchanged. */
WASI_TOFU_API uint32_t wasi_tofu_run_exit_code(const wasi_tofu_run *run);
/* The trap ("integer divide by zero in function 3 <div> at 0x1f2") or the failure, or "". */
WASI_TOFU_API const char *wasi_tofu_run_message(const wasi_tofu_run *run);

/* The deviations report of the last run under a manifest: the JSON of `wasi-tofu run --report`
 * (docs/deviations.md, version 3), NUL-terminated, owned by the run; NULL when the last run
 * had no manifest or did not get to its policy (a missing module, a ceiling exceeded). */
WASI_TOFU_API const char *wasi_tofu_run_report(const wasi_tofu_run *run);

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
