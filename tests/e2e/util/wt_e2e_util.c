/* wt_e2e_util.c: scratch folders, whole files and argument templates for the e2e programs. */
#include "wt_e2e_util.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

int wt_e2e_rmtree(const char *dir)
{
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *wt_e2e_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = calloc(1, (size_t)n + 1)) && fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

char *wt_e2e_expand(const char *s, const char *fixtures, const char *scratch)
{
	size_t longest = strlen(fixtures) > strlen(scratch) ? strlen(fixtures) : strlen(scratch);
	char *out = malloc(strlen(s) / 3 * (longest + 1) + strlen(s) + 1), *o = out;

	if (!out)
		abort();
	while (*s) {
		const char *rep = !strncmp(s, "@F/", 3)	  ? fixtures
				  : !strncmp(s, "@T/", 3) ? scratch
							  : NULL;
		if (rep) {
			o += sprintf(o, "%s/", rep);
			s += 3;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}
