/* wasi_root.c: the synthetic read-only root: an empty folder mounted at "/", so an absolute path
 * outside every mount is answered there (ENOENT) and never under a mount. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wasi_impl.h"

int wt_wasi_root_needed(const wt_wasi_config *cfg)
{
	if (cfg->nmounts == 0)
		return 0; /* no preopen at all: nothing to tell apart */
	for (int i = 0; i < cfg->nmounts; i++)
		if (strcmp(cfg->mounts[i].guest, "/") == 0)
			return 0;
	return 1;
}

int wt_wasi_root_new(char **dir, wt_error *err)
{
	const char *tmp = getenv("TMPDIR");
	char *d;

	*dir = NULL;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (!(d = malloc(strlen(tmp) + sizeof "/wasi-tofu-root.XXXXXX")))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	sprintf(d, "%s/wasi-tofu-root.XXXXXX", tmp);
	if (!mkdtemp(d)) {
		free(d);
		return wt_fail_plain(err, WT_IO, "cannot make the root folder in %s: %s", tmp,
				     strerror(errno));
	}
	*dir = d;
	return 0;
}

void wt_wasi_root_opened(const char *dir)
{
	rmdir(dir);
}
