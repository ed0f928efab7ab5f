/* loader_shapes.h: inputs of a chosen size for the manifest and journal readers: the shapes that
 * once made them quadratic, and realistic big ones (loader-bench, and the fuzz seeds). */
#ifndef WT_LOADER_SHAPES_H
#define WT_LOADER_SHAPES_H

#include <stddef.h>

#include "manifest.h"

/* A growing text buffer; p is NUL-terminated. */
typedef struct wt_shape_buf {
	char *p;
	size_t n, cap;
} wt_shape_buf;

typedef enum {
	WT_SHAPE_MANIFEST, /* loaded as `kind` */
	WT_SHAPE_JOURNAL,  /* read, then generated from */
} wt_shape_input;

typedef struct wt_shape {
	const char *name;
	wt_shape_input input;
	wt_manifest_kind kind;
	const char *what; /* one line for the table */
	void (*make)(wt_shape_buf *b, size_t size);
} wt_shape;

/* The shapes, ending with a NULL name. */
extern const wt_shape wt_shapes[];

/* Fills b (emptied first) with about size bytes of shape s; exits on out of memory. */
void wt_shape_make(const wt_shape *s, wt_shape_buf *b, size_t size);
void wt_shape_buf_free(wt_shape_buf *b);

#endif
