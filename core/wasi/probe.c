/* probe.c: does a guest path name an entry? Resolved beneath its mount as the WASI host does. */
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "path.h"

struct wt_probe {
	wt_host *host;
	const wt_mount *mounts;
	int nmounts;
	int *roots; /* the mounts' folders, -1 where one did not open */
};

wt_probe *wt_probe_new(const wt_mount *mounts, int nmounts)
{
	wt_probe *p = calloc(1, sizeof *p);

	if (!p || !(p->host = wt_host_new(0)) ||
	    !(p->roots = malloc((nmounts > 0 ? (size_t)nmounts : 1) * sizeof *p->roots))) {
		wt_probe_free(p);
		return NULL;
	}
	p->mounts = mounts, p->nmounts = nmounts;
	for (int i = 0; i < nmounts; i++) /* now, before the run confines the process */
		p->roots[i] = open(mounts[i].host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return p;
}

void wt_probe_free(wt_probe *p)
{
	if (!p)
		return;
	for (int i = 0; p->roots && i < p->nmounts; i++)
		if (p->roots[i] >= 0)
			close(p->roots[i]);
	free(p->roots);
	wt_host_free(p->host);
	free(p);
}

/* The mount holding path (the longest guest prefix; a later mount wins a tie, as in the
 * WASI host), or -1. */
static int mount_of(const wt_probe *p, const char *path, size_t len)
{
	int best = -1;

	for (int i = 0; i < p->nmounts; i++) {
		size_t g = strlen(p->mounts[i].guest);

		if (wt_path_within(p->mounts[i].guest, g, path, len) &&
		    (best < 0 || g >= strlen(p->mounts[best].guest)))
			best = i;
	}
	return best;
}

int wt_probe_exists(wt_probe *p, const char *path, size_t len)
{
	char rel[WT_PATH_MAX + 1];
	int m = mount_of(p, path, len), root, fd, rc;
	size_t off;

	if (m < 0 || len > WT_PATH_MAX || (root = p->roots[m]) < 0)
		return -1;
	off = wt_path_rel_offset(strlen(p->mounts[m].guest), len);
	if (off < len) {
		memcpy(rel, path + off, len - off);
		rel[len - off] = '\0';
	} else {
		memcpy(rel, ".", 2);
	}
	rc = wt_host_open(p->host, root, rel, O_PATH, 0, 0, &fd);
	if (rc == 0) {
		close(fd);
		return 1;
	}
	return rc == -ENOENT || rc == -ENOTDIR ? 0 : -1;
}
