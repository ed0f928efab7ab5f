/* run.c: the `run` subcommand: parse, call wt_run, turn the outcome into an exit status. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "cmd.h"

void wt_cmd_run_usage(FILE *f)
{
	fprintf(f,
		"usage: wasi-tofu run [RUN-OPTIONS] [--manifest M [MANIFEST-OPTIONS]] MODULE "
		"[--] [ARGS...]\n"
		"       wasi-tofu [RUN-OPTIONS] MODULE.wasm [ARGS...]   (the same as run)\n"
		"\n"
		"Runs the WASI command MODULE (its _start function). Options end at MODULE:\n"
		"everything after it is the module's own arguments (a `--` right after MODULE\n"
		"is dropped). The module's argv[0] is MODULE as given. With --manifest, the\n"
		"run is held to a manifest made by `wasi-tofu record` (man 5 wasi-tofu-manifest).\n"
		"\n");
	wt_cmd_options_usage(f);
	fprintf(f, "\n"
		   "MANIFEST-OPTIONS:\n"
		   "  --manifest M             enforce M (mounts, pin, grants; M's override file)\n"
		   "  --on-deviation MODE      prompt (the default at a terminal), fail (else the\n"
		   "                           default), deny (ENOTCAPABLE), hide (ENOENT) or\n"
		   "                           warn, complain mode: allowed, listed at the end\n"
		   "  --report FILE.json       the run's outcome and every deviation, for CI\n"
		   "  --ceiling FILE           grants no manifest may exceed\n"
		   "\n"
		   "Exit status: the module's own exit code (0 when _start returns); 134 when\n"
		   "it traps; 128+N when it raises signal N (proc_raise); 64 usage error; 65\n"
		   "malformed or invalid module, or one that is not a WASI command; 66 missing\n"
		   "module or mount; 70 internal error. With --manifest also: 77 a deviation\n"
		   "stopped the run or the module changed; 74 the report could not be written.\n"
		   "\n"
		   "See man wasi-tofu-run.\n");
}

/* The guest's exit code as a process status: 0..255 unchanged; a larger
 * code keeps its low 8 bits (as POSIX would), but never turns into 0. */
static int guest_exit_status(uint32_t code)
{
	if (code <= 255)
		return (int)code;
	return (code & 0xff) ? (int)(code & 0xff) : 1;
}

/* The one place an outcome becomes an exit status and a message (after
 * `wasi-tofu: WHO: `, who the subcommand typed). */
static int exit_status(const wt_run_result *res, const char *module, const char *who)
{
	char buf[sizeof res->trap.msg + 128];

	switch (res->outcome) {
	case WT_RUN_EXITED:
		return guest_exit_status(res->exit_code);
	case WT_RUN_TRAPPED:
		wt_trap_format(&res->trap, buf, sizeof buf);
		wt_error_lead(stderr, who);
		wt_escape_fprintf(stderr, "trap: %s\n", buf);
		if (res->trap.kind == WT_TRAP_SIGNAL) /* as a shell reports a signal's end */
			return 128 + res->trap.exit_code;
		return WT_EXIT_TRAP;
	case WT_RUN_FAILED:
		break;
	}
	wt_error_print(stderr, who, res->err_in_module ? module : NULL, &res->err);
	return res->err.code ? wt_status_exit(res->err.code) : wt_status_exit(WT_INTERNAL);
}

int wt_cmd_run_status(const wt_run_result *res, const char *module, const char *who)
{
	return exit_status(res, module, who);
}

int wt_cmd_run(int argc, char **argv)
{
	wt_cmd_options o;
	wt_lib_engine engine;
	wasi_tofu_run *r;
	int status = wt_cmd_options_parse("run", argc, argv, &o);

	if (status == 0 && o.help)
		wt_cmd_run_usage(stdout);
	if (status == 0 && !o.help) {
		/* A closed stdout is the guest's EPIPE, not our death. */
		signal(SIGPIPE, SIG_IGN);
		fflush(stdout);
		wt_cmd_confine_arm(&o, 0);
		if (!(r = wt_cmd_lib_run(&o, &engine))) {
			wt_error_lead(stderr, o.who);
			fprintf(stderr, "out of memory\n");
			status = wt_status_exit(WT_NOMEM);
		} else {
			wasi_tofu_run_exec(r);
			status = exit_status(wt_lib_run_result(r), o.run.module_path, o.who);
			wasi_tofu_run_free(r);
		}
	}
	wt_cmd_options_fini(&o);
	return status;
}
