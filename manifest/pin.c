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

int wt_manifest_pin_check(const wt_manifest *m, const char *manifest_name, const char *module,
			  const uint8_t *bytes, size_t size, char hex[65], wt_error *err)
{
	if (wt_manifest_pin_matches(m, bytes, size, hex))
		return 0;
	return wt_fail_plain(err, WT_DEVIATION,
			     "%s: the module changed: its sha256 %s does not match the pin %s in "
			     "%s: refusing to run it (record it again with `wasi-tofu record "
			     "--update %s ...` and review the capability diff)",
			     module, hex, m->sha256, manifest_name, manifest_name);
}
