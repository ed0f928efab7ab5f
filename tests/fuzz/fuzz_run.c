/* fuzz_run.c: libFuzzer harness: any bytes through decode, validate, instantiate and a call of
 * every exported function under fuel, memory and call-depth limits. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wt_fuzz_one(data, size, WT_FUZZ_RUN);
	return 0;
}
