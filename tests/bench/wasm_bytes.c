/* wasm_bytes.c: see wasm_bytes.h. */
#include "wasm_bytes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wb_put(struct wb_buf *b, uint8_t byte)
{
	if (b->len == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4096;
		b->data = realloc(b->data, b->cap);
		if (!b->data) {
			fprintf(stderr, "out of memory\n");
			exit(70);
		}
	}
	b->data[b->len++] = byte;
}

void wb_bytes(struct wb_buf *b, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wb_put(b, ((const uint8_t *)p)[i]);
}

void wb_uleb(struct wb_buf *b, uint64_t v)
{
	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		wb_put(b, byte | (v ? 0x80 : 0));
	} while (v);
}

void wb_sleb(struct wb_buf *b, int64_t v)
{
	for (;;) {
		uint8_t byte = v & 0x7f;
		v >>= 7; /* arithmetic shift on every compiler we build with */
		int done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
		wb_put(b, byte | (done ? 0 : 0x80));
		if (done)
			return;
	}
}

void wb_name(struct wb_buf *b, const char *s)
{
	wb_uleb(b, strlen(s));
	wb_bytes(b, s, strlen(s));
}

void wb_sized(struct wb_buf *out, const struct wb_buf *src)
{
	wb_uleb(out, src->len);
	wb_bytes(out, src->data, src->len);
}

void wb_section(struct wb_buf *out, uint8_t id, struct wb_buf *sec)
{
	wb_put(out, id);
	wb_sized(out, sec);
	sec->len = 0;
}
