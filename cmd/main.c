/* main.c: the wasi-tofu entry point: picks the subcommand. */
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argv;
	fprintf(stderr, "usage: wasi-tofu run MODULE [ARGS...]\n");
	return argc > 1 ? 70 : 64;
}
