/* confine.h: self-confinement: once a run is set up, the process restricts itself with the
 * kernel's Landlock and seccomp to what the run still needs (docs/security.md). */
#ifndef WT_CONFINE_H
#define WT_CONFINE_H

#include <stdio.h>

#include "error.h"
#include "wasi.h"

/* The kernel layers a confinement uses. */
enum {
	WT_CONFINE_LANDLOCK = 1, /* file system: the mounts and the paths below; no TCP */
	WT_CONFINE_SECCOMP = 2,	 /* system calls: the allow-list of the engine and host */
	WT_CONFINE_ALL = 3,
};

/* What the process may still do to a host path outside the mounts. */
enum {
	WT_CONFINE_READ = 1,	 /* read the file; a folder: list it, read every file beneath */
	WT_CONFINE_WRITE = 2,	 /* write and truncate the file (it must exist) */
	WT_CONFINE_REPLACE = 4,	 /* a folder: create regular files in it and rename or
				    remove them (a file written through NAME.tmp and a rename) */
	WT_CONFINE_RMDIR = 8,	 /* a folder: remove empty folders in it */
	WT_CONFINE_TERMINAL = 16 /* a terminal device: read, write and its ioctls */
};

typedef struct wt_confine_path {
	const char *path; /* a missing path is skipped: nothing may be made there */
	unsigned access;  /* WT_CONFINE_READ ... */
} wt_confine_path;

/* One run's confinement. The mounts come from the WASI host itself (each
 * mount's root fd: read-only mounts get read rights only); a contained
 * run's private folder gets every file right, its parent the right to
 * remove it. Strings and arrays are borrowed. */
typedef struct wt_confine_config {
	unsigned layers; /* WT_CONFINE_LANDLOCK | WT_CONFINE_SECCOMP; 0: none */
	int require;	 /* a layer the kernel lacks is an error, not a warning */
	/* A contained run's writable mounts: 0 gives them read rights only (the
	 * run writes into the overlay); 1 keeps write rights for --apply. */
	int apply_later;
	const wt_confine_path *paths;
	int npaths;
	FILE *warnings; /* one line per layer the kernel lacks; NULL: none */
	/* Called once the process is confined (also when layers is 0), right
	 * before the first guest instruction; NULL: nothing. */
	void (*confined)(void *ctx);
	void *ctx;
} wt_confine_config;

/* Confines the calling process for the rest of its life: Landlock first
 * (the mounts of w and cfg->paths), then a seccomp filter (the system calls
 * of the engine, the host and the CLI's work after the run; any other call
 * is stopped by the kernel: the process prints why and dies of SIGSYS).
 * Call it while the process has one thread. A layer the kernel lacks is
 * one line on cfg->warnings (WT_INTERNAL when cfg->require). Returns 0 or
 * a status with a message in err. */
int wt_confine_enter(const wt_confine_config *cfg, const wt_wasi *w, wt_error *err);

/* Confines tier-up's compile child (core/jit/tierup.h) with Landlock: it
 * may read and execute every file (GCC, the assembler and the linker),
 * write /dev/null, and write only beneath the folders writable[0..n); of
 * private_dir (one of them, or NULL) it may also remove the folder itself;
 * no TCP. 0 when confined; 0 with a reason in why (why[0] != 0) when the
 * kernel lacks Landlock; else a status with err filled. */
int wt_confine_compile_child(const char *const *writable, int n, const char *private_dir, char *why,
			     size_t size, wt_error *err);

/* The kernel's Landlock ABI version (0: none). */
int wt_confine_landlock_abi(void);

#endif
