/* fuzz_journal.c: libFuzzer harness: any bytes as a journal, then generate from it. */
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wt_fuzz_journal_one(data, size);
	return 0;
}
