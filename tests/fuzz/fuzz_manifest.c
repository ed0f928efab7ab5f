/* fuzz_manifest.c: libFuzzer harness: any bytes as a manifest, an override file and a ceiling. */
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wt_fuzz_manifest_one(data, size);
	return 0;
}
