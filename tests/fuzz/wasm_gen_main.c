/* wasm_gen_main.c: `wasm-gen [--nan-bits] SEED OUT.wasm` writes the random valid module of SEED
 * (see wasm_gen.h; --nan-bits: WG_NAN_BITS); the differential fuzzer (difffuzz.sh) runs it under
 * two engines. */
#include "wasm_gen.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	unsigned flags = 0;
	if (argc == 4 && !strcmp(argv[1], "--nan-bits")) {
		flags |= WG_NAN_BITS;
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: wasm-gen [--nan-bits] SEED OUT.wasm\n");
		return 64;
	}
	char *end;
	errno = 0;
	uint64_t seed = strtoull(argv[1], &end, 0);
	if (errno || *end || end == argv[1]) {
		fprintf(stderr, "wasm-gen: SEED must be a number, got '%s'\n", argv[1]);
		return 64;
	}
	size_t size;
	uint8_t *bytes = wg_generate(seed, flags, &size);
	FILE *f = fopen(argv[2], "wb");
	int ok = f && fwrite(bytes, 1, size, f) == size;
	if (f && fclose(f) != 0)
		ok = 0;
	free(bytes);
	if (!ok) {
		fprintf(stderr, "wasm-gen: cannot write %s: %s\n", argv[2], strerror(errno));
		return 73;
	}
	return 0;
}
