/* main.c: the wasi-tofu entry point: picks the subcommand. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "error.h"

/* Subcommands of DESIGN.md that this version does not have yet. */
static const char *const later[] = {"check"};

static void usage(FILE *f)
{
	fprintf(f, "usage: wasi-tofu run [RUN-OPTIONS] MODULE [--] [ARGS...]\n"
		   "       wasi-tofu record [RUN-OPTIONS] -o MANIFEST [--journal FILE] MODULE [--] [ARGS...]\n"
		   "       wasi-tofu generate JOURNAL... -o MANIFEST [--granularity exact|dir|tree]\n"
		   "       wasi-tofu journal show FILE\n"
		   "       wasi-tofu --help | --version\n"
		   "\n"
		   "Runs a WebAssembly/WASI (preview1) command module in a sandbox: it sees\n"
		   "only the folders you mount, the variables you pass, and its arguments.\n"
		   "\n"
		   "Commands:\n"
		   "  run       run MODULE (see `wasi-tofu run --help`)\n"
		   "  record    run MODULE permissively and journal every WASI call\n"
		   "  generate  reduce journals of recorded runs to a minimal manifest\n"
		   "  journal   `journal show FILE`: summarise a journal\n"
		   "\n"
		   "Exit status: the module's own exit code; 134 when it traps; 64 usage error;\n"
		   "65 malformed or invalid module; 66 missing input; 70 internal error.\n");
}

static int unknown_command(const char *name)
{
	for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
		if (strcmp(name, later[i]) == 0) {
			fprintf(stderr, "wasi-tofu: '%s' is not available in this version\n", name);
			return wt_status_exit(WT_USAGE);
		}
	}
	fprintf(stderr, "wasi-tofu: unknown command '%s'\nTry 'wasi-tofu --help'.\n", name);
	return wt_status_exit(WT_USAGE);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		usage(stderr);
		return wt_status_exit(WT_USAGE);
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("wasi-tofu %s\n", WT_VERSION);
		return 0;
	}
	if (strcmp(cmd, "run") == 0 && wt_cmd_manifest_wanted(argc - 2, argv + 2))
		return wt_cmd_manifest_run(argc - 2, argv + 2);
	if (strcmp(cmd, "run") == 0)
		return wt_cmd_run(argc - 2, argv + 2);
	if (strcmp(cmd, "check") == 0)
		return wt_cmd_check(argc - 2, argv + 2);
	if (strcmp(cmd, "check") == 0)
		return wt_cmd_check(argc - 2, argv + 2);
	if (strcmp(cmd, "diff") == 0)
		return wt_cmd_diff(argc - 2, argv + 2);
	if (strcmp(cmd, "record") == 0)
		return wt_cmd_record(argc - 2, argv + 2);
	if (strcmp(cmd, "generate") == 0)
		return wt_cmd_generate(argc - 2, argv + 2);
	if (strcmp(cmd, "journal") == 0)
		return wt_cmd_journal(argc - 2, argv + 2);
	return unknown_command(cmd);
}
