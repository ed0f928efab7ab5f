/* jit.h: the compiling tier: translates the interpreter's internal code of an instance's functions
 * into machine code with libgccjit, ahead of the run (docs/engine.md, "The compiling tier"). */
#ifndef WT_JIT_H
#define WT_JIT_H

#include <stdint.h>

#include "error.h"
#include "runtime.h"

/* Which tier runs the guest (--tier). */
typedef enum {
	WT_TIER_AUTO = 0, /* the interpreter, tiering up through the code cache */
	WT_TIER_INTERP,	  /* the interpreter only */
	WT_TIER_JIT,	  /* the compiled tier (an error when the build lacks it) */
} wt_tier;

/* What one compile did (figures for docs and the bench). */
typedef struct wt_jit_stats {
	uint32_t funcs;	     /* defined functions of the instance */
	uint32_t compiled;   /* of which compiled */
	uint32_t fallback;   /* left to the interpreter: an op not supported yet */
	uint64_t code_words; /* internal code words translated */
	double seconds;	     /* wall time of the whole compile */
	uint32_t objects;    /* objects made (wt_jit_compile_rest) */
	int big; /* compiled with the options of a big function's context (docs/engine.md) */
	uint64_t accesses;  /* memory loads and stores translated */
	uint64_t unchecked; /* of which known in bounds, so with no check (docs/engine.md) */
} wt_jit_stats;

typedef struct wt_jit wt_jit;

/* 1 when this build has the compiling tier (libgccjit). */
int wt_jit_available(void);

/* Whether `auto` tiers up a module of code_bytes bytes of function bodies
 * (cached pieces, a compile child: docs/engine.md, "Tier-up"). */
int wt_jit_worthwhile(uint64_t code_bytes);

/* Parses "interp", "auto" or "jit"; 0 or -1. */
int wt_tier_parse(const char *s, wt_tier *out);

/*
 * Compiled objects. The compiling tier compiles into a shared object file
 * that holds no address of the process that made it (docs/engine.md, "The
 * compiling tier"): it can be kept (a cache) or made by another process
 * (a compile in the background) and loaded into a later run of the same
 * module. Each object records what it was made for (the tool's version,
 * the layout of the code, whether fuel is charged, the module's sha256)
 * and the functions it defines.
 *
 * sha256 is the digest of the module's bytes (core/base/sha256.h) when the
 * caller has it; NULL: hashed from inst->module's bytes here.
 */

/* Compiles the defined functions funcs[0..n) of inst (funcs NULL: all of
 * them; inst instantiated, or begun and not yet started) into the shared
 * object file so_path (created or replaced). Functions with an op the tier
 * does not support are left out (stats->fallback). Calls between the
 * object's functions are direct. Runs the system assembler and linker.
 * 0 or a status in err (an index that is not a defined function:
 * WT_USAGE). stats may be NULL. */
int wt_jit_build(wt_instance *inst, const uint8_t *sha256, const uint32_t *funcs, uint32_t n,
		 const char *so_path, wt_jit_stats *stats, wt_error *err);

/* Loads the object so_path (a path, or /proc/self/fd/N of a memfd) into
 * inst: refuses it (WT_MALFORMED, the reason in err, nothing changed) when
 * it is not a shared object of this machine or of wasi-tofu, was made for
 * another module, tool version or configuration, or names a function that
 * is not a defined function of inst: the object's fault. Fails with
 * WT_UNAVAILABLE (nothing changed) when it cannot be loaded now through no
 * fault of its own: an object of that name or file is loaded already (its
 * code and table serve the instance that loaded it: load a fresh copy), or
 * dlopen fails on a file that is a shared object (no memory or file
 * descriptor, a noexec mount). Else resolves its
 * relocations in inst and sets the funcinst->jit of its functions that are
 * still interpreted (a function in two loaded objects runs the earlier one's
 * code: the code cache loads its regrouped objects first). The object
 * is added to the list *jit (NULL at first), freed with wt_jit_free after
 * the store. Maps code: call it before self-confinement. */
int wt_jit_load(wt_instance *inst, const uint8_t *sha256, const char *so_path, wt_jit **jit,
		wt_error *err);

/* The newest object of the list j (what the last wt_jit_load added): returns the number of
 * its functions, sets *funcs to their indices (borrowed: valid while it is loaded) and *fresh
 * to how many of them it set (0: every one was compiled already, it is superseded). 0 for an
 * empty list. */
uint32_t wt_jit_newest(const wt_jit *j, const uint32_t **funcs, uint32_t *fresh);

/* Unloads the newest object of *list (one that set no function) and takes it off the list.
 * Call it before any of its code runs. */
void wt_jit_drop_newest(wt_jit **list);

/* 1 when the compiling tier translates defined function func_index of
 * inst (every op of its code is supported; 0 for any other index, and in a
 * build without the tier): wt_jit_build would compile it, not leave it
 * out. */
int wt_jit_translatable(wt_instance *inst, uint32_t func_index);

/* Hands an object just built (so_path) to its keeper before it is loaded and removed, e.g.
 * into the code cache. */
typedef void (*wt_jit_keep_fn)(void *ctx, const char *so_path);

enum {
	/* Most bytes of function bodies in one object of wt_jit_compile_rest: GCC holds all of
	 * an object's functions at once (1.2-1.5 GB of memory per MB of wasm code); a bigger
	 * function is an object alone. Calls between objects go through the callee's pointer,
	 * never inlined (SQLite in three objects: 8 % more CPU than in one). */
	WT_JIT_OBJECT_BYTES = 2 * 1024 * 1024,
};

/* Compiles the defined functions of inst (instantiated, or begun and not yet started) that
 * are still interpreted (funcinst->jit NULL, e.g. none came from the code cache) and that the
 * tier translates, in index order, as objects of at most object_bytes of function bodies each
 * (0: WT_JIT_OBJECT_BYTES): each is built by wt_jit_build in a private temporary folder (0700,
 * removed before returning), by worker processes at once when there are several objects and
 * CPUs (forks of the caller: jit_whole_procs.c), handed to keep (NULL: nothing), then loaded
 * by wt_jit_load into *out. sha256 as wt_jit_build's. Stops at the first failure, a status in
 * err: the objects made before it stay loaded (and kept). stats (may be NULL): funcs, the
 * defined functions; compiled, those compiled now; fallback, those left interpreted; objects,
 * those made. Call it before self-confinement. */
int wt_jit_compile_rest(wt_instance *inst, const uint8_t *sha256, uint64_t object_bytes,
			wt_jit_keep_fn keep, void *ctx, wt_jit **out, wt_jit_stats *stats,
			wt_error *err);

/* wt_jit_compile_rest of every defined function, no keeper: *out (NULL at first) keeps the
 * code alive until wt_jit_free (after the store); 0, or a status in err. */
int wt_jit_compile_instance(wt_instance *inst, wt_jit **out, wt_jit_stats *stats, wt_error *err);

/* Unloads every object of the list (after the store whose functions point into them). NULL is
 * fine. */
void wt_jit_free(wt_jit *j);

#endif
