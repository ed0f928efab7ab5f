/* embed.c: a build system running one build step in the wasi-tofu sandbox, under the
 * step's reviewed manifest, through libwasi-tofu (docs/library.md).
 *
 *   embed MANIFEST MODULE [ARG...]
 *
 * The step sees ./src read-only at /src and ./out writable at /out, and BUILD_MODE=release.
 * A call the manifest does not grant is refused (deny) and the step goes on; the deviations
 * are listed at the end, each with the manifest line that would allow it. Exits with the
 * step's status.
 *
 * Build against an installed libwasi-tofu:
 *   cc embed.c $(pkg-config --cflags --libs wasi-tofu) -o embed
 * or with CMake: find_package(wasi-tofu) and target_link_libraries(embed wasi-tofu::wasi-tofu). */
#include <stdio.h>
#include <stdlib.h>

#include <wasi-tofu/wasi-tofu.h>

static void usage(void)
{
	fprintf(stderr, "usage: embed MANIFEST MODULE [ARG...]\n");
	exit(64);
}

/* The step's sandbox: its folders, its variable, its arguments. */
static int configure(wasi_tofu_run *run, int argc, char **argv)
{
	int status = wasi_tofu_run_mount(run, "src", "/src", 1);

	if (!status)
		status = wasi_tofu_run_mount(run, "out", "/out", 0);
	if (!status)
		status = wasi_tofu_run_env(run, "BUILD_MODE", "release");
	for (int i = 3; !status && i < argc; i++)
		status = wasi_tofu_run_arg(run, argv[i]);
	if (!status)
		wasi_tofu_run_limits(run, 0, 512u << 20, 60.0); /* 512 MiB, one minute */
	return status;
}

/* Guest text made safe for the terminal (a file name may hold escape sequences). */
static const char *safe(const char *text, char *buf, size_t size)
{
	wasi_tofu_escape(text ? text : "", buf, size);
	return buf;
}

/* What the step asked for that its manifest does not grant. */
static void print_deviations(const wasi_tofu_run *run, const char *manifest)
{
	size_t n = wasi_tofu_run_deviation_count(run);

	if (n == 0) {
		printf("embed: the step kept to %s\n", manifest);
		return;
	}
	printf("embed: %zu deviation(s) from %s, refused:\n", n, manifest);
	for (size_t i = 0; i < n; i++) {
		const char *fix = wasi_tofu_deviation_fix(run, i);
		char buf[4096];

		printf("  %s %s (%lu call(s))\n", wasi_tofu_deviation_call(run, i),
		       safe(wasi_tofu_deviation_path(run, i), buf, sizeof buf),
		       wasi_tofu_deviation_count(run, i));
		if (fix)
			printf("    to allow it: %s\n", safe(fix, buf, sizeof buf));
	}
}

int main(int argc, char **argv)
{
	wasi_tofu_run *run;
	char buf[4096];
	int status;

	if (argc < 3)
		usage();
	printf("embed: libwasi-tofu %s (built with %s)\n", wasi_tofu_version(), WASI_TOFU_VERSION);
	if (!(run = wasi_tofu_run_new(argv[2]))) {
		fprintf(stderr, "embed: out of memory\n");
		return 70;
	}
	status = configure(run, argc, argv);
	if (!status)
		status = wasi_tofu_run_manifest(run, argv[1], WASI_TOFU_DENY);
	if (status) {
		fprintf(stderr, "embed: %s (status %d)\n",
			safe(wasi_tofu_run_message(run), buf, sizeof buf), status);
		wasi_tofu_run_free(run);
		return status;
	}
	fflush(stdout); /* the step writes to the same stdout */
	status = wasi_tofu_run_exec(run);
	if (wasi_tofu_run_outcome(run) == WASI_TOFU_EXITED)
		printf("embed: the step exited with %u\n", (unsigned)wasi_tofu_run_exit_code(run));
	else
		printf("embed: the step did not finish: %s\n",
		       safe(wasi_tofu_run_message(run), buf, sizeof buf));
	print_deviations(run, argv[1]);
	wasi_tofu_run_free(run);
	return status;
}
