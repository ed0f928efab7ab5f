/* wt_test_util.c: helpers the unit test programs share: WAT assembled at test time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "wt_test_util.h"

/* Reads the whole file at path into a malloc'd buffer; 0 or -1. */
static int read_file(const char *path, uint8_t **bytes, size_t *size)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	rewind(f);
	*bytes = malloc(*size ? *size : 1);
	assert_non_null(*bytes);
	assert_int_equal(fread(*bytes, 1, *size, f), *size);
	fclose(f);
	return 0;
}

int wt_test_wat_bytes(const char *text, const char *args, uint8_t **bytes, size_t *size)
{
	char dir[] = "/tmp/wt-test-wat-XXXXXX", src[64], bin[64], cmd[512];
	FILE *f;
	int rc = -1;

	if (!mkdtemp(dir))
		return -1;
	snprintf(src, sizeof src, "%s/m.wat", dir);
	snprintf(bin, sizeof bin, "%s/m.wasm", dir);
	f = fopen(src, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_true((size_t)snprintf(cmd, sizeof cmd, "wat2wasm %s %s -o %s", args, src, bin) <
		    sizeof cmd);
	if (system(cmd) == 0)
		rc = read_file(bin, bytes, size);
	unlink(bin);
	unlink(src);
	rmdir(dir);
	return rc;
}
