/* path.h: canonical guest paths: validate, join with a base, normalise, map to a mount. */
#ifndef WT_PATH_H
#define WT_PATH_H

#include <stddef.h>
#include <stdint.h>

/* The longest canonical guest path, in bytes (without the NUL). */
enum { WT_PATH_MAX = 4095 };

/* 1 when s[0..n) is valid UTF-8 (shortest forms, no surrogates, at most
 * U+10FFFF), else 0. */
int wt_path_utf8_ok(const uint8_t *s, size_t n);

/* Joins the guest path p[0..n) to base (a canonical guest path: absolute,
 * no `.`/`..`/empty components, no trailing slash but "/") and normalises
 * the result into out (cap bytes, NUL-terminated; *out_len its length).
 * `.` and empty components vanish; `..` removes the last component and
 * never rises above "/". An absolute p starts again from "/" when abs_ok,
 * else it is refused. Returns 0 or a WASI errno: EINVAL (a NUL byte),
 * EILSEQ (invalid UTF-8), ENOENT (empty p), ENOTCAPABLE (absolute p, not
 * abs_ok), ENAMETOOLONG (the result does not fit: never truncated). */
int wt_path_join(const char *base, size_t base_len, const uint8_t *p, size_t n, int abs_ok,
		 char *out, size_t cap, size_t *out_len);

/* 1 when the relative path p[0..n), read component by component, never
 * climbs above the folder it starts from ("a/../b" stays, "a/../../b" and
 * ".." do not), as openat2's RESOLVE_BENEATH reads it. */
int wt_path_stays_below(const uint8_t *p, size_t n);

/* 1 when the canonical path[0..len) is prefix[0..plen) or below it
 * (whole components: /src holds /src/a, not /srcx). */
int wt_path_within(const char *prefix, size_t plen, const char *path, size_t len);

/* The offset in a canonical path of length len where the part below its
 * canonical prefix of length plen starts (past the slash); len when they
 * are equal. The caller has checked wt_path_within. */
size_t wt_path_rel_offset(size_t plen, size_t len);

/* What is left of a path while its symlinks are expanded one by one
 * (wasi_object.c, overlay_resolve.c): buf[pos..len), and the links met. */
enum { WT_PATH_MAX_LINKS = 40 };
typedef struct wt_path_rest {
	char buf[2 * WT_PATH_MAX + 2];
	size_t pos, len;
	int links;
} wt_path_rest;

/* Starts r at the len bytes of p (at most WT_PATH_MAX). */
void wt_path_rest_init(wt_path_rest *r, const char *p, size_t len);

/* The next component of r (its bytes at *name; 0 at the end) and *last
 * when nothing follows it. */
size_t wt_path_rest_next(wt_path_rest *r, const char **name, int *last);

/* Puts a symlink's text in front of what is left. Returns 0 or a WASI
 * errno: ELOOP past WT_PATH_MAX_LINKS links, ENOENT for an empty text,
 * ENOTCAPABLE for an absolute one, ENAMETOOLONG. */
int wt_path_splice(wt_path_rest *r, const char *text);

#endif
