/* wasm_bytes.h: a growing byte buffer with the WebAssembly binary encodings (LEB128, names,
 * sections), shared by the module generators gen-big (start-up benchmark) and wasm-gen (the
 * differential fuzzer). Out of memory ends the process (status 70): they are test tools. */
#ifndef WT_WASM_BYTES_H
#define WT_WASM_BYTES_H

#include <stddef.h>
#include <stdint.h>

struct wb_buf {
	uint8_t *data;
	size_t len, cap;
};

void wb_put(struct wb_buf *b, uint8_t byte);
void wb_bytes(struct wb_buf *b, const void *p, size_t n);
void wb_uleb(struct wb_buf *b, uint64_t v);
void wb_sleb(struct wb_buf *b, int64_t v);
/* A name: its length, then its bytes. */
void wb_name(struct wb_buf *b, const char *s);
/* src's length, then its bytes (a function body, a section's contents). */
void wb_sized(struct wb_buf *out, const struct wb_buf *src);
/* Section id with the contents of sec, then empties sec (its memory is kept). */
void wb_section(struct wb_buf *out, uint8_t id, struct wb_buf *sec);

#endif
