/* jit_obj.h: what a compiled object records besides its code (the symbols the loader reads), and
 * the identity it is made for; shared by the builder (jit_tier.c) and the loader (jit_load.c). */
#ifndef WT_JIT_OBJ_H
#define WT_JIT_OBJ_H

#include <stddef.h>
#include <stdint.h>

#include "jit.h"
#include "store.h"

/*
 * The exported symbols of a compiled object (a shared object file):
 *
 *   const char wt_obj_ident[]         its identity (wt_obj_ident below), NUL-terminated
 *   const uint32_t wt_obj_head[4]     WT_OBJ_MAGIC, nfuncs, nrelocs, the table's size
 *   const uint32_t wt_obj_funcs[]     the function indices it defines (nfuncs)
 *   const uint32_t wt_obj_relocs[]    nrelocs pairs (kind, index) of jit_reloc.h
 *   void **wt_obj_link(wt_jit_fn *)   stores the address of function wt_obj_funcs[i] at
 *                                     [i] and returns the object's table (void *[size])
 *
 * Nothing else: the code's functions and its table are internal symbols
 * (calls between them are direct; nothing of the object can be
 * interposed).
 */
#define WT_OBJ_IDENT "wt_obj_ident"
#define WT_OBJ_HEAD "wt_obj_head"
#define WT_OBJ_FUNCS "wt_obj_funcs"
#define WT_OBJ_RELOCS "wt_obj_relocs"
#define WT_OBJ_LINK "wt_obj_link"
enum { WT_OBJ_MAGIC = 0x316a7477 /* "wtj1" */, WT_OBJ_HEAD_WORDS = 4, WT_OBJ_IDENT_MAX = 256 };

typedef void **(*wt_obj_link_fn)(wt_jit_fn *fns);

/* The identity of an object compiled from inst's module (sha256 digest of
 * its bytes; NULL: hashed here) for this tool, in out[WT_OBJ_IDENT_MAX]:
 *
 *   wasi-tofu VERSION code FINGERPRINT fuel 0|1 module SHA256HEX
 *
 * FINGERPRINT digests the internal code's op list and the engine's layout
 * the generated code depends on; fuel: whether the internal code charges
 * fuel (a store with a fuel limit). Returns the offset of " module " in
 * out (the part before it is the tool's). */
size_t wt_obj_ident(const wt_instance *inst, const uint8_t *sha256, char *out);

/* What wt_jit_build_as records in place of the truth (tests forge objects
 * the loader must refuse); a NULL field: the truth. */
typedef struct wt_obj_forge {
	const char *ident;     /* in place of wt_obj_ident's */
	const uint32_t *funcs; /* in place of the indices compiled (as many) */
} wt_obj_forge;

/* wt_jit_build (jit.h) recording forge's fields (NULL: none). */
int wt_jit_build_as(wt_instance *inst, const uint8_t *sha256, const uint32_t *funcs, uint32_t n,
		    const char *so_path, const wt_obj_forge *forge, wt_jit_stats *stats,
		    wt_error *err);

#endif
