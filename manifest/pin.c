/* pin.c: the manifest's module pin: do these bytes have the sha256 it names? */
#include <string.h>

#include "manifest.h"
#include "sha256.h"

int wt_manifest_pin_matches(const wt_manifest *m, const uint8_t *bytes, size_t size, char hex[65])
{
	uint8_t digest[WT_SHA256_SIZE];

	wt_sha256(bytes, size, digest);
	wt_sha256_hex(digest, hex);
	return !m->sha256[0] || strcmp(hex, m->sha256) == 0;
}
