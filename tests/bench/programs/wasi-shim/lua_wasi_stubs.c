#include <stdio.h>
#include <errno.h>
FILE *tmpfile(void)
{
	errno = ENOTSUP;
	return NULL;
}
int system(const char *c)
{
	(void)c;
	return c ? -1 : 0;
}
