/* pin.c: the manifest's module pin: is this sha256 the one it names? */
#include <string.h>

#include "manifest.h"

int wt_manifest_pin_matches(const wt_manifest *m, const char *hex)
{
	return !m->sha256[0] || strcmp(hex, m->sha256) == 0;
}

int wt_manifest_pin_check(const wt_manifest *m, const char *manifest_name, const char *module,
			  const char *hex, wt_error *err)
{
	if (wt_manifest_pin_matches(m, hex))
		return 0;
	return wt_fail_plain(err, WT_DEVIATION,
			     "%s: the module changed: its sha256 %s does not match the pin %s in "
			     "%s: refusing to run it (record it again with `wasi-tofu record "
			     "--update %s ...` and review the capability diff)",
			     module, hex, m->sha256, manifest_name, manifest_name);
}
