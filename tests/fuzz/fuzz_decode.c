/* fuzz_decode.c: libFuzzer harness: any bytes through decode and validate. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wt_fuzz_one(data, size, WT_FUZZ_DECODE);
	return 0;
}
