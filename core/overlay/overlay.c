/* overlay.c: a contained run's private folder and the overlay of each writable mount. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "overlay_impl.h"

int wt_overlay_contain_new(const char *tmpdir, wt_contain **out, wt_error *err)
{
	const char *base = tmpdir ? tmpdir : getenv("TMPDIR");
	wt_contain *k = calloc(1, sizeof *k);
	size_t n;

	*out = NULL;
	if (!base || !*base)
		base = "/tmp";
	n = strlen(base) + sizeof "/wasi-tofu-contain.XXXXXX";
	if (!k || !(k->dir = malloc(n))) {
		free(k);
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	}
	snprintf(k->dir, n, "%s/wasi-tofu-contain.XXXXXX", base);
	if (!mkdtemp(k->dir)) { /* mkdtemp makes it 0700 */
		int e = errno;
		wt_fail_plain(err, WT_IO, "cannot make a private folder in %s: %s", base,
			      strerror(e));
		free(k->dir);
		free(k);
		return err->code;
	}
	*out = k;
	return 0;
}

static void overlay_free(wt_overlay *ov)
{
	if (!ov)
		return;
	wt_ovmap_fini(&ov->nodes);
	wt_ovmap_fini(&ov->seen);
	if (ov->lower >= 0)
		close(ov->lower);
	if (ov->upper >= 0)
		close(ov->upper);
	wt_host_free(ov->h);
	free(ov->guest);
	free(ov->host);
	free(ov);
}

static void changes_free(wt_contain *k)
{
	for (size_t i = 0; i < k->nchanges; i++) {
		free(k->changes[i].path);
		free(k->changes[i].from);
		free(k->changes[i].target);
	}
	free(k->changes);
	k->changes = NULL;
	k->nchanges = 0;
}

void wt_overlay_contain_free(wt_contain *k)
{
	if (!k)
		return;
	for (int i = 0; i < k->nov; i++)
		overlay_free(k->ov[i]);
	free(k->ov);
	changes_free(k);
	wt_ovl_rm_tree(AT_FDCWD, k->dir, 0);
	free(k->dir);
	free(k);
}

const char *wt_overlay_contain_dir(const wt_contain *k)
{
	return k->dir;
}

/* A fresh overlay: its upper layer is the folder "m<index>" of the
 * private folder. */
static int overlay_new(wt_contain *k, int index, const char *guest, const char *host, int lower,
		       wt_overlay **out)
{
	wt_overlay *ov = calloc(1, sizeof *ov);
	char name[32];
	int dirfd, rc = -ENOMEM;

	if (!ov)
		return -ENOMEM;
	ov->lower = ov->upper = -1;
	ov->k = k;
	if (!(ov->guest = strdup(guest)) || !(ov->host = strdup(host)) || !(ov->h = wt_host_new(0)))
		goto fail;
	ov->guest_len = strlen(guest);
	snprintf(name, sizeof name, "m%d", index);
	if ((dirfd = open(k->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto fail_errno;
	if (mkdirat(dirfd, name, 0700) != 0 && errno != EEXIST) {
		close(dirfd);
		goto fail_errno;
	}
	ov->upper = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(dirfd);
	if (ov->upper < 0 || (ov->lower = fcntl(lower, F_DUPFD_CLOEXEC, 0)) < 0)
		goto fail_errno;
	ov->layer = ov->lower;
	*out = ov;
	return 0;
fail_errno:
	rc = -errno;
fail:
	overlay_free(ov);
	return rc;
}

int wt_overlay_mount(wt_contain *k, int index, const char *guest, const char *host, int lower_root,
		     wt_overlay **out)
{
	int rc;

	if (index < 0 || index > 65535)
		return -EINVAL;
	if (index >= k->nov) {
		wt_overlay **v = realloc(k->ov, (size_t)(index + 1) * sizeof *v);
		if (!v)
			return -ENOMEM;
		memset(v + k->nov, 0, (size_t)(index + 1 - k->nov) * sizeof *v);
		k->ov = v;
		k->nov = index + 1;
	}
	if (!k->ov[index] && (rc = overlay_new(k, index, guest, host, lower_root, &k->ov[index])))
		return rc;
	*out = k->ov[index];
	return 0;
}
