/* test_cli.c: end-to-end tests: spawns the built wasi-tofu on fixtures, checks status and output.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "wt_e2e_util.h"

extern char **environ;

/* One run of the CLI and what it must give. In args and paths, "@F/"
 * stands for the built fixtures folder and "@T/" for this run's scratch
 * folder (made by setup_scratch). */
typedef struct cli_case {
	const char *name;
	const char *args[16];  /* after "wasi-tofu"; NULL-terminated */
	int status;	       /* expected exit status */
	const char *out_is;    /* stdout exactly, or NULL */
	const char *out_has;   /* stdout contains, or NULL */
	const char *out_lacks; /* stdout does not contain, or NULL */
	const char *err_has;   /* stderr contains, or NULL */
	const char *err_lacks; /* stderr does not contain, or NULL */
	int err_empty;	       /* stderr must be empty */
	const char *file;      /* after the run: this file ... */
	const char *file_is;   /* ... holds exactly this (NULL: must not exist) */
	double max_seconds;    /* the run must end within this; 0 = no check */
} cli_case;

static const cli_case cases[] = {
    /* exit statuses of the module */
    {"exit_code_passes_through", {"run", "@F/exit_code.wasm"}, 7, .out_is = "", .err_empty = 1},
    {"start_return_is_0", {"run", "@F/cli_return.wasm"}, 0, .out_is = "", .err_empty = 1},
    {"c_exit_code", {"run", "@F/cli_tool.wasm", "exit", "42"}, 42, .err_empty = 1},
    {"exit_code_low_byte", {"run", "@F/cli_tool.wasm", "exit", "300"}, 44, .err_empty = 1},
    {"exit_code_256_not_0", {"run", "@F/cli_tool.wasm", "exit", "256"}, 1, .err_empty = 1},
    /* vector (v128) modules: node computes the same checksum (fixtures/wat/simd_checksum.wat) */
    {"simd_module_runs", {"run", "@F/simd_checksum.wasm"}, 205, .out_is = "", .err_empty = 1},
    {"simd_load_out_of_bounds",
     {"run", "@F/simd_oob.wasm"},
     134,
     .err_has = "wasi-tofu: run: trap: out of bounds memory access in function 0 at 0x"},
    /* traps */
    {"trap_134_with_message",
     {"run", "@F/cli_divzero.wasm"},
     134,
     .err_has = "wasi-tofu: run: trap: integer divide by zero in function 1"},
    {"trap_names_function", {"run", "@F/cli_trap.wasm"}, 134, .err_has = " <divide> at 0x"},
    {"trap_in_start_function",
     {"run", "@F/cli_starttrap.wasm"},
     134,
     .err_has = "wasi-tofu: run: trap: unreachable"},
    /* bad modules */
    {"malformed_65_with_offset",
     {"run", "@T/malformed.wasm"},
     65,
     .err_has = "malformed.wasm: 0x",
     .out_is = ""},
    {"not_wasm_65", {"run", "@T/notwasm.txt"}, 65, .err_has = "notwasm.txt: 0x"},
    {"empty_65", {"run", "@T/empty.wasm"}, 65, .err_has = "empty.wasm: 0x"},
    {"invalid_65_with_offset", {"run", "@T/invalid.wasm"}, 65, .err_has = "invalid.wasm: 0x"},
    {"no_start_65", {"run", "@F/cli_nostart.wasm"}, 65, .err_has = "_start"},
    {"bad_start_type_65", {"run", "@F/cli_badstart.wasm"}, 65, .err_has = "_start"},
    {"missing_66", {"run", "@T/nope.wasm"}, 66, .err_has = "nope.wasm: cannot open"},
    {"folder_as_module_66", {"run", "@T/data"}, 66, .err_has = "data: not a regular file"},
    {"missing_mount_66",
     {"run", "--mount", "@T/absent:/x", "@F/cli_return.wasm"},
     66,
     .err_has = "wasi-tofu: run: mount /x: cannot open host folder @T/absent",
     .err_lacks = "wasi-tofu: wasi-tofu"},
    /* usage */
    {"no_arguments_64", {NULL}, 64, .err_has = "usage: wasi-tofu run"},
    {"unknown_command_64", {"frobnicate"}, 64, .err_has = "unknown command 'frobnicate'"},
    {"run_without_module_64", {"run"}, 64, .err_has = "missing MODULE"},
    {"run_options_without_module_64", {"run", "--fuel", "5"}, 64, .err_has = "missing MODULE"},
    {"unknown_option_64",
     {"run", "--bogus", "@F/cli_return.wasm"},
     64,
     .err_has = "--bogus: unknown option"},
    {"option_missing_value_64", {"run", "--fuel"}, 64, .err_has = "--fuel: missing value"},
    {"bad_fuel_64", {"run", "--fuel", "abc", "@F/cli_return.wasm"}, 64, .err_has = "--fuel"},
    {"zero_fuel_64", {"run", "--fuel=0", "@F/cli_return.wasm"}, 64, .err_has = "--fuel"},
    {"bad_size_64",
     {"run", "--max-memory", "12X", "@F/cli_return.wasm"},
     64,
     .err_has = "--max-memory"},
    {"bad_timeout_64",
     {"run", "--timeout", "-1", "@F/cli_return.wasm"},
     64,
     .err_has = "--timeout"},
    {"bad_mount_64", {"run", "--mount", "nocolon", "@F/cli_return.wasm"}, 64, .err_has = "--mount"},
    {"relative_mount_guest_64",
     {"run", "--mount", "@T/data:data", "@F/cli_return.wasm"},
     64,
     .err_has = "--mount"},
    {"dotdot_dir_needs_guest_64",
     {"run", "--dir", "../x", "@F/cli_return.wasm"},
     64,
     .err_has = "--dir"},
    {"relative_cwd_64", {"run", "--cwd", "x", "@F/cli_return.wasm"}, 64, .err_has = "--cwd"},
    {"empty_env_name_64", {"run", "--env", "=x", "@F/cli_return.wasm"}, 64, .err_has = "--env"},
    /* help and version */
    {"help", {"--help"}, 0, .out_has = "usage: wasi-tofu run", .err_empty = 1},
    {"run_help", {"run", "--help"}, 0, .out_has = "--max-memory SIZE", .err_empty = 1},
    {"run_manifest_help_before_loading",
     {"run", "--manifest", "@T/absent.yaml", "--help"},
     0,
     .out_has = "--on-deviation MODE",
     .err_empty = 1},
    {"version", {"--version"}, 0, .out_is = "wasi-tofu 0.1.0\n", .err_empty = 1},
    /* the module's arguments */
    {"argv0_is_module_as_given",
     {"run", "@F/cli_tool.wasm", "args"},
     0,
     .out_is = "argv[0]=@F/cli_tool.wasm\nargv[1]=args\n"},
    {"options_after_module_are_args",
     {"run", "@F/cli_tool.wasm", "args", "-o", "out.o", "--fuel", "1"},
     0,
     .out_is = "argv[0]=@F/cli_tool.wasm\nargv[1]=args\nargv[2]=-o\nargv[3]=out.o\n"
	       "argv[4]=--fuel\nargv[5]=1\n"},
    {"separator_after_module_dropped",
     {"run", "@F/cli_tool.wasm", "--", "args", "-o", "--"},
     0,
     .out_is = "argv[0]=@F/cli_tool.wasm\nargv[1]=args\nargv[2]=-o\nargv[3]=--\n"},
    {"separator_before_module",
     {"run", "--fuel", "100000000", "--", "@F/cli_tool.wasm", "--", "args", "--", "x"},
     0,
     .out_is = "argv[0]=@F/cli_tool.wasm\nargv[1]=args\nargv[2]=--\nargv[3]=x\n"},
    /* environment */
    {"env_nothing_inherited", {"run", "@F/cli_tool.wasm", "env"}, 0, .out_is = ""},
    {"env_set_and_passed",
     {"run", "--env", "A=1", "--env=B=x=y", "--env", "WT_E2E_PASS", "--env", "WT_E2E_UNSET",
      "@F/cli_tool.wasm", "env"},
     0,
     .out_is = "env A=1\nenv B=x=y\nenv WT_E2E_PASS=through\n"},
    {"env_later_value_wins",
     {"run", "--env", "A=1", "--env", "A=2", "@F/cli_tool.wasm", "env"},
     0,
     .out_is = "env A=2\n"},
    /* limits */
    {"fuel_exhausted_134",
     {"run", "--fuel", "100000", "@F/cli_loop.wasm"},
     134,
     .err_has = "wasi-tofu: run: trap: fuel exhausted",
     .max_seconds = 20},
    {"fuel_enough", {"run", "--fuel", "100000", "@F/cli_return.wasm"}, 0, .err_empty = 1},
    {"timeout_134",
     {"run", "--timeout", "0.3", "@F/cli_loop.wasm"},
     134,
     .err_has = "wasi-tofu: run: trap: time limit exceeded",
     .max_seconds = 10},
    {"timeout_not_reached",
     {"run", "--timeout=30", "@F/cli_return.wasm"},
     0,
     .err_empty = 1,
     .max_seconds = 10},
    {"memory_growth_refused",
     {"run", "--max-memory", "1MiB", "@F/cli_grow.wasm"},
     3,
     .err_empty = 1},
    {"memory_growth_allowed", {"run", "--max-memory=8M", "@F/cli_grow.wasm"}, 0, .err_empty = 1},
    {"memory_growth_default", {"run", "@F/cli_grow.wasm"}, 0, .err_empty = 1},
    {"memory_initial_over_limit_70",
     {"run", "--max-memory", "1K", "@F/cli_grow.wasm"},
     70,
     .err_has = "cli_grow.wasm: memory of 1 pages exceeds the memory limit"},
    /* mounts */
    {"mount_read",
     {"run", "--mount", "@T/data:/data:ro", "@F/cli_tool.wasm", "cat", "/data/hello.txt"},
     0,
     .out_is = "hello\n"},
    {"mount_ro_refuses_write",
     {"run", "--mount", "@T/data:/data:ro", "@F/cli_tool.wasm", "write", "/data/new.txt", "x"},
     1,
     .err_has = "write: /data/new.txt:",
     .file = "@T/data/new.txt"},
    {"mount_rw_write",
     {"run", "--mount", "@T/out:/out", "@F/cli_tool.wasm", "write", "/out/made.txt", "made"},
     0,
     .file = "@T/out/made.txt",
     .file_is = "made"},
    {"dir_with_guest",
     {"run", "--dir", "@T/data::/d", "@F/cli_tool.wasm", "cat", "/d/hello.txt"},
     0,
     .out_is = "hello\n"},
    {"unmounted_path_refused",
     {"run", "--mount", "@T/data:/data", "@F/cli_tool.wasm", "cat", "/etc/passwd"},
     1,
     .err_has = "cat: /etc/passwd:"},
    {"cwd_relative_path",
     {"run", "--mount", "@T/data:/data", "--cwd", "/data", "@F/cli_tool.wasm", "cat", "hello.txt"},
     0,
     .out_is = "hello\n"},
    {"list_mount",
     {"run", "--mount", "@T/data:/data", "@F/cli_tool.wasm", "ls", "/data"},
     0,
     .out_is = "1 entries\n"},
};

static char scratch[64];

static void write_file(const char *name, const void *bytes, size_t size)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", scratch, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, size, f), size);
	fclose(f);
}

/* A module cut off inside its type section. */
static const unsigned char malformed[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00,
					  0x00, 0x00, 0x01, 0x05, 0x01, 0x60};
/* func () -> i32 whose body is just `end`: decodes, fails validation. */
static const unsigned char invalid[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01,
					0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01,
					0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};

static int setup_scratch(void **state)
{
	char path[256];

	strcpy(scratch, "/tmp/wt-e2e-XXXXXX");
	if (!mkdtemp(scratch))
		return -1;
	write_file("malformed.wasm", malformed, sizeof malformed);
	write_file("invalid.wasm", invalid, sizeof invalid);
	write_file("empty.wasm", "", 0);
	write_file("notwasm.txt", "hello, world\n", 13);
	snprintf(path, sizeof path, "%s/data", scratch);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/out", scratch);
	mkdir(path, 0755);
	write_file("data/hello.txt", "hello\n", 6);
	setenv("WT_E2E_PASS", "through", 1);
	unsetenv("WT_E2E_UNSET");
	return 0;
}

static int teardown_scratch(void **state)
{
	return wt_e2e_rmtree(scratch);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs the CLI with args; stdout and stderr go to files in scratch. */
static int spawn_cli(char **argv, const char *out, const char *err)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_int_equal(posix_spawn(&pid, WT_CLI, &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void check_text(const char *what, const char *got, const char *want, int mode)
{
	char *w = want ? wt_e2e_expand(want, WT_FIXTURES, scratch) : NULL;
	int ok = !w || (mode == 0 && strcmp(got, w) == 0) || (mode == 1 && strstr(got, w)) ||
		 (mode == 2 && !strstr(got, w));

	if (!ok)
		print_error("%s: %s [%s]\n---- got:\n%s----\n", what,
			    mode == 0	? "is not"
			    : mode == 1 ? "lacks"
					: "holds",
			    w, got);
	free(w);
	assert_true(ok);
}

static void check_file(const cli_case *c)
{
	char *path, *body, *want;

	if (!c->file)
		return;
	path = wt_e2e_expand(c->file, WT_FIXTURES, scratch);
	body = wt_e2e_slurp(path);
	if (!c->file_is) {
		assert_null(body);
	} else {
		want = wt_e2e_expand(c->file_is, WT_FIXTURES, scratch);
		assert_non_null(body);
		assert_string_equal(body, want);
		free(want);
		unlink(path);
	}
	free(body);
	free(path);
}

static void test_cli_case(void **state)
{
	const cli_case *c = *state;
	char *argv[20] = {WT_CLI}, out[128], err[128], *o, *e;
	int argc = 1, status;
	double t0 = now(), secs;

	for (int i = 0; c->args[i]; i++)
		argv[argc++] = wt_e2e_expand(c->args[i], WT_FIXTURES, scratch);
	snprintf(out, sizeof out, "%s/stdout", scratch);
	snprintf(err, sizeof err, "%s/stderr", scratch);
	status = spawn_cli(argv, out, err);
	secs = now() - t0;
	o = wt_e2e_slurp(out);
	e = wt_e2e_slurp(err);
	assert_non_null(o);
	assert_non_null(e);
	if (status != c->status)
		print_error("status %d, want %d\n---- stdout:\n%s---- stderr:\n%s----\n", status,
			    c->status, o, e);
	assert_int_equal(status, c->status);
	check_text("stdout", o, c->out_is, 0);
	check_text("stdout", o, c->out_has, 1);
	check_text("stdout", o, c->out_lacks, 2);
	check_text("stderr", e, c->err_has, 1);
	check_text("stderr", e, c->err_lacks, 2);
	check_text("stderr", e, c->err_empty ? "" : NULL, 0);
	check_file(c);
	if (c->max_seconds > 0 && secs > c->max_seconds)
		fail_msg("took %.2f s, limit %.2f s", secs, c->max_seconds);
	for (int i = 1; i < argc; i++)
		free(argv[i]);
	free(o);
	free(e);
}

int main(void)
{
	enum { N = sizeof cases / sizeof cases[0] };
	struct CMUnitTest tests[N];
	static char names[N][96];

	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "test_cli_%s", cases[i].name);
		tests[i] =
		    (struct CMUnitTest){names[i], test_cli_case, NULL, NULL, (void *)&cases[i]};
	}
	return _cmocka_run_group_tests("e2e_cli", tests, N, setup_scratch, teardown_scratch);
}
