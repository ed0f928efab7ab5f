/* main.c: the wasi-tofu entry point: picks the subcommand. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "error.h"
#include "optable.h"
#include "project_cmd.h"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: wasi-tofu run [RUN-OPTIONS] [--project FILE] MODULE [--] [ARGS...]\n"
	    "       wasi-tofu init [--manifests DIR]\n"
	    "       wasi-tofu trust [RUN-OPTIONS] [--yes] MODULE [--] [ARGS...]\n"
	    "       wasi-tofu status [--json] | verify [--json]\n"
	    "       wasi-tofu run [RUN-OPTIONS] [--manifest M [--on-deviation MODE]] MODULE "
	    "[--] [ARGS...]\n"
	    "       wasi-tofu [RUN-OPTIONS] MODULE.wasm [ARGS...]   (the same as run)\n"
	    "       wasi-tofu record [RUN-OPTIONS] -o MANIFEST [--journal J] [--contain] "
	    "MODULE [--] [ARGS...]\n"
	    "       wasi-tofu record [RUN-OPTIONS] --update MANIFEST MODULE [--] [ARGS...]\n"
	    "       wasi-tofu generate JOURNAL... -o MANIFEST [--granularity exact|dir|tree]\n"
	    "       wasi-tofu check --manifest MANIFEST JOURNAL...\n"
	    "       wasi-tofu diff OLD.yaml NEW.yaml\n"
	    "       wasi-tofu journal show FILE\n"
	    "       wasi-tofu --help | --version\n"
	    "\n"
	    "Runs WebAssembly/WASI (preview1) modules with trust on first use: record a\n"
	    "first run, review the capability manifest generated from it, then enforce\n"
	    "it on every later run. The module sees only the folders you mount, the\n"
	    "variables you pass, and its arguments.\n"
	    "\n"
	    "In a project (a folder with wasi-tofu.yaml, man wasi-tofu-init), `run MODULE`\n"
	    "enforces the module's manifest from the project; a new or changed module is\n"
	    "trusted once, contained, after you review what it did.\n"
	    "\n"
	    "Commands (each has --help):\n"
	    "  init      make a project here (wasi-tofu.yaml and a manifests folder)\n"
	    "  trust     first use of a project's module: record it contained, accept, pin\n"
	    "  status    every module of the project: pin, manifest, state, capabilities\n"
	    "  verify    the CI gate: every manifest loads, fits its ceiling, every pin matches\n"
	    "  run       run MODULE; in a project or with --manifest, enforce its manifest\n"
	    "  record    run MODULE permissively, journal every WASI call, write the manifest\n"
	    "  generate  reduce journals of recorded runs to a minimal manifest\n"
	    "  check     would these recorded runs pass the manifest? (no module run)\n"
	    "  diff      the capability difference between two manifests\n"
	    "  journal   `journal show FILE`: summarise a journal\n"
	    "\n"
	    "Exit status: the module's own exit code; 134 when it traps; 77 a deviation\n"
	    "from the manifest stopped the run; 64 usage error; 65 malformed input;\n"
	    "66 missing input; 70 internal error; 74 I/O error; 75 record --contain could\n"
	    "not apply every change.\n"
	    "\n"
	    "See man wasi-tofu, and man wasi-tofu-COMMAND for each command.\n");
}

/* `wasi-tofu MODULE.wasm ARGS` and `wasi-tofu --dir . MODULE.wasm` run the
 * module, as wasmtime does: a first word that is a run option, a .wasm
 * file name or an existing file (no subcommand has that name). */
static int means_run(const char *word)
{
	const wt_opt *opt = wt_opt_is_option(word) ? wt_opt_lookup(word) : NULL;
	size_t n = strlen(word);
	struct stat st;

	if (opt)
		return (opt->groups & (WT_OPTS_RUN | WT_OPTS_MANIFEST)) != 0;
	return (n > 5 && strcmp(word + n - 5, ".wasm") == 0) ||
	       (stat(word, &st) == 0 && S_ISREG(st.st_mode));
}

static int unknown_command(const char *name)
{
	wt_escape_fprintf(stderr, "wasi-tofu: unknown command '%s'\nTry 'wasi-tofu --help'.\n",
			  name);
	return wt_status_exit(WT_USAGE);
}

/* `run` with argv after "run": in a project, with a manifest, or plain. */
static int run(int argc, char **argv)
{
	if (wt_cmd_project_wanted(argc, argv))
		return wt_cmd_project_run(argc, argv);
	if (wt_cmd_manifest_wanted(argc, argv))
		return wt_cmd_manifest_run(argc, argv);
	return wt_cmd_run(argc, argv);
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
		wt_escape_fprintf(stdout, "wasi-tofu %s\n", WT_VERSION);
		return 0;
	}
	if (strcmp(cmd, "run") == 0)
		return run(argc - 2, argv + 2);
	if (strcmp(cmd, "init") == 0)
		return wt_cmd_init(argc - 2, argv + 2);
	if (strcmp(cmd, "trust") == 0)
		return wt_cmd_trust(argc - 2, argv + 2);
	if (strcmp(cmd, "status") == 0)
		return wt_cmd_status(argc - 2, argv + 2);
	if (strcmp(cmd, "verify") == 0)
		return wt_cmd_verify(argc - 2, argv + 2);
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
	if (means_run(cmd))
		return run(argc - 1, argv + 1);
	return unknown_command(cmd);
}
