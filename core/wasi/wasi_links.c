/* wasi_links.c: the symlinks the module makes or moves: their text must stay inside the mount
 * for every resolver, the host's tools included. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wasi_impl.h"

enum { MAX_SCAN_DEPTH = 256 };

/* 1 when the text of a symlink at rel (below a mount root) climbs only
 * with a leading run of `..`, no higher than the link's folder's depth:
 * then every resolver, lexical or physical, reads it the same way, since
 * the link's folder has no symlink on the way. */
static int climbs_inside(const char *rel, const char *t)
{
	long depth = 0;
	int down = 0;

	for (const char *p = rel; *p; p++)
		depth += *p == '/';
	if (t[0] == '/')
		return 0;
	while (*t) {
		size_t n = strcspn(t, "/");

		if (n == 2 && t[0] == '.' && t[1] == '.') {
			if (down || --depth < 0)
				return 0;
		} else if (n > 0 && !(n == 1 && t[0] == '.')) {
			down = 1;
		}
		t += n;
		t += *t == '/';
	}
	return 1;
}

int wt_wasi_link_ok(wt_gcall *c, int m, const char *rel, const char *text)
{
	const wt_wmount *mt = &c->w->mounts[m];
	const char *slash = strrchr(rel, '/');
	char *base, *joined;
	size_t blen, jlen;
	int e = WT_ENOMEM;

	if (!climbs_inside(rel, text))
		return WT_ENOTCAPABLE;
	if (!(base = malloc(2 * (WT_PATH_MAX + 1))))
		return e;
	joined = base + WT_PATH_MAX + 1;
	/* The text read from the link's folder: through the links already
	 * there, it must stay inside the mount too. */
	blen = (size_t)snprintf(base, WT_PATH_MAX + 1, "%s%s%.*s", mt->guest,
				mt->guest_len > 1 && slash ? "/" : "",
				slash ? (int)(slash - rel) : 0, rel);
	e = 0;
	if (blen <= WT_PATH_MAX && wt_path_join(base, blen, (const uint8_t *)text, strlen(text), 0,
						joined, WT_PATH_MAX + 1, &jlen) == 0)
		e = wt_wasi_stays_inside(c->w, m, joined, jlen);
	free(base);
	return e;
}

/* Checks each symlink below the folder fd as if the folder lay at
 * rel[0..len) of mount m (rel has room for WT_PATH_MAX bytes). */
static int scan(wt_gcall *c, int fd, char *rel, size_t len, int m, int depth)
{
	wt_hdir *d;
	wt_hdirent ent;
	int rc, e = 0;

	if (depth > MAX_SCAN_DEPTH)
		return WT_ENOTCAPABLE;
	if ((rc = wt_host_dir_open(fd, &d)))
		return wt_wasi_errno(rc);
	while (e == 0 && (rc = wt_host_dir_next(d, &ent)) > 0) {
		char text[WT_PATH_MAX + 1];
		size_t n = 0;
		int sub;

		if (!strcmp(ent.name, ".") || !strcmp(ent.name, ".."))
			continue;
		if (len + 1 + ent.namelen > WT_PATH_MAX)
			return wt_host_dir_close(d), WT_ENAMETOOLONG;
		snprintf(rel + len, WT_PATH_MAX + 1 - len, "/%s", ent.name);
		if (ent.type == WT_FT_SYMBOLIC_LINK &&
		    wt_host_readlinkat(fd, ent.name, text, WT_PATH_MAX, &n) == 0) {
			text[n] = '\0';
			e = wt_wasi_link_ok(c, m, rel, text);
		} else if (ent.type == WT_FT_DIRECTORY &&
			   (sub = openat(fd, ent.name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
			e = scan(c, sub, rel, len + 1 + ent.namelen, m, depth + 1);
			close(sub);
		}
		rel[len] = '\0';
	}
	wt_host_dir_close(d);
	return e ? e : rc < 0 ? wt_wasi_errno(rc) : 0;
}

int wt_wasi_tree_links_ok(wt_gcall *c, int dir, const char *name, int m, const char *rel)
{
	char *buf;
	int fd, e;

	fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0; /* no folder: nothing below it */
	if (!(buf = malloc(WT_PATH_MAX + 1))) {
		close(fd);
		return WT_ENOMEM;
	}
	snprintf(buf, WT_PATH_MAX + 1, "%s", rel);
	e = scan(c, fd, buf, strlen(buf), m, 0);
	free(buf);
	close(fd);
	return e;
}
