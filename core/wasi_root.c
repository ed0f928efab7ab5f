/* wasi_root.c: the synthetic read-only root: a private empty folder mounted at "/" that holds
 * only the folders on the way to the mounts, so an absolute path outside every mount is
 * answered there (ENOENT) and never under a mount. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_impl.h"

/* Makes the folders of the guest path guest (canonical) below dir. */
static int make_stubs(const char *dir, const char *guest)
{
	char path[WT_PATH_MAX + 64];
	int n = snprintf(path, sizeof path, "%s%s", dir, guest);

	if (n < 0 || (size_t)n >= sizeof path)
		return -1;
	for (char *p = path + strlen(dir) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* Removes the stub folders below dir (each holds nothing but stubs). */
static void remove_stubs(const char *dir, const wt_wasi *w)
{
	for (int i = w->nmounts - 1; i >= 0; i--) {
		char path[WT_PATH_MAX + 64];
		char *slash;

		if (w->mounts[i].guest_len <= 1 || snprintf(path, sizeof path, "%s%s", dir,
							    w->mounts[i].guest) >= (int)sizeof path)
			continue;
		while (strlen(path) > strlen(dir) && (rmdir(path) == 0 || errno == ENOENT) &&
		       (slash = strrchr(path, '/')))
			*slash = '\0';
	}
	rmdir(dir);
}

int wt_wasi_root_needed(const wt_wasi_config *cfg)
{
	if (cfg->nmounts == 0)
		return 0; /* no preopen at all: nothing to tell apart */
	for (int i = 0; i < cfg->nmounts; i++)
		if (strcmp(cfg->mounts[i].guest, "/") == 0)
			return 0;
	return 1;
}

int wt_wasi_root_new(wt_wasi *w, const wt_wasi_config *cfg, char **dir, wt_error *err)
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
	for (int i = 0; i < cfg->nmounts; i++) {
		size_t len;

		if (wt_path_join("/", 1, (const uint8_t *)cfg->mounts[i].guest,
				 strlen(cfg->mounts[i].guest), 1, w->path1, WT_PATH_MAX + 1,
				 &len) ||
		    make_stubs(d, w->path1)) {
			wt_wasi_root_free(w, d);
			return wt_fail_plain(err, WT_IO, "cannot lay out the root folder in %s",
					     tmp);
		}
	}
	*dir = d;
	return 0;
}

void wt_wasi_root_free(const wt_wasi *w, char *dir)
{
	if (!dir)
		return;
	remove_stubs(dir, w);
	free(dir);
}
