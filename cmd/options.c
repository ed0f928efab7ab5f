/* options.c: parses RUN-OPTIONS (mounts, env, cwd, limits) and the module's own arguments. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd.h"
#include "optable.h"

extern char **environ;

enum { EXIT_USAGE = 64, EXIT_NOMEM = 70 };

/* One option that takes a value; `value` is NULL when it is missing. */
typedef int (*option_fn)(wt_cmd_options *o, const char *value);

/* A bad value of option opt: `wasi-tofu: WHO: OPT: ` fmt with value, and the hint. */
static int usage_error(const wt_cmd_options *o, const char *opt, const char *fmt, const char *value)
{
	wt_escape_fprintf(stderr, "wasi-tofu: %s: %s: ", o->who, opt);
	wt_escape_fprintf(stderr, fmt, value);
	wt_escape_fprintf(stderr, "\nTry 'wasi-tofu %s --help'.\n", o->who);
	return EXIT_USAGE;
}

/* Keeps s (allocated) so that fini frees it; returns s or NULL. */
static char *own(wt_cmd_options *o, char *s)
{
	if (s)
		o->owned[o->nowned++] = s;
	return s;
}

/* Makes a guest path absolute and lexically clean: "", "." and repeated
 * slashes go, ".." is refused (returns NULL and sets *bad). "." -> "/",
 * "src/" -> "/src", "/a//b/" -> "/a/b". */
static char *guest_path(const char *path, int *bad)
{
	size_t len = strlen(path);
	char *out = malloc(len + 2), *w = out;
	const char *p = path;

	*bad = 0;
	if (!out)
		return NULL;
	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			*bad = 1;
		if (n > 0 && !(n == 1 && p[0] == '.')) {
			*w++ = '/';
			memcpy(w, p, n);
			w += n;
		}
		p = *end ? end + 1 : end;
	}
	if (w == out)
		*w++ = '/';
	*w = '\0';
	if (*bad) {
		free(out);
		return NULL;
	}
	return out;
}

static int add_mount(wt_cmd_options *o, const char *host, char *guest, int readonly)
{
	wt_mount *m = &o->mounts[o->nmounts++];

	m->host = host;
	m->guest = guest;
	m->readonly = readonly;
	return 0;
}

/* --mount HOST:GUEST[:ro|:rw]. GUEST is the part after the last colon
 * (once a trailing :ro or :rw is taken off); it must be absolute. */
static int opt_mount(wt_cmd_options *o, const char *value)
{
	char *spec = own(o, strdup(value)), *colon, *guest;
	size_t len = strlen(value);
	int readonly = 0, bad;

	if (!spec)
		return EXIT_NOMEM;
	if (len > 3 && (strcmp(spec + len - 3, ":ro") == 0 || strcmp(spec + len - 3, ":rw") == 0)) {
		readonly = spec[len - 1] == 'o';
		spec[len - 3] = '\0';
	}
	colon = strrchr(spec, ':');
	if (!colon || colon == spec || colon[1] != '/')
		return usage_error(o, "--mount",
				   "expected HOST:GUEST[:ro] with an absolute GUEST, got '%s'",
				   value);
	*colon = '\0';
	guest = own(o, guest_path(colon + 1, &bad));
	if (bad)
		return usage_error(o, "--mount", "the guest path may not contain '..': '%s'",
				   value);
	if (!guest)
		return EXIT_NOMEM;
	return add_mount(o, spec, guest, readonly);
}

/* --dir HOST[::GUEST] (as wasmtime spells it), read-write. Without
 * GUEST the guest sees HOST's path as given, made absolute: "." -> "/",
 * "data" -> "/data", "/tmp/x" -> "/tmp/x". */
static int opt_dir(wt_cmd_options *o, const char *value)
{
	char *spec = own(o, strdup(value)), *sep, *guest;
	const char *gsrc;
	int bad;

	if (!spec)
		return EXIT_NOMEM;
	sep = strstr(spec, "::");
	gsrc = spec;
	if (sep) {
		*sep = '\0';
		gsrc = sep + 2;
	}
	if (!*spec || !*gsrc)
		return usage_error(o, "--dir", "expected HOST[::GUEST], got '%s'", value);
	guest = own(o, guest_path(gsrc, &bad));
	if (bad)
		return usage_error(o, "--dir",
				   "'%s' contains '..': give the guest path as HOST::GUEST", value);
	if (!guest)
		return EXIT_NOMEM;
	return add_mount(o, spec, guest, 0);
}

/* Adds "NAME=VALUE", replacing an earlier value of NAME. */
static void set_env(wt_cmd_options *o, const char *entry)
{
	size_t n = strcspn(entry, "=");

	for (int i = 0; i < o->nenv; i++) {
		if (strncmp(o->env[i], entry, n) == 0 && o->env[i][n] == '=') {
			o->env[i] = entry;
			return;
		}
	}
	o->env[o->nenv++] = entry;
}

/* --env NAME=VALUE sets one variable; --env NAME passes the host's
 * value of NAME (nothing when the host has none). */
static int opt_env(wt_cmd_options *o, const char *value)
{
	size_t n = strcspn(value, "=");

	if (n == 0)
		return usage_error(o, "--env", "expected NAME=VALUE or NAME, got '%s'", value);
	if (value[n] == '=') {
		set_env(o, value);
		return 0;
	}
	for (char **e = environ; e && *e; e++) {
		if (strncmp(*e, value, n) == 0 && (*e)[n] == '=') {
			set_env(o, *e);
			break;
		}
	}
	return 0;
}

static int opt_cwd(wt_cmd_options *o, const char *value)
{
	int bad;
	char *cwd;

	if (value[0] != '/')
		return usage_error(o, "--cwd", "expected an absolute guest path, got '%s'", value);
	cwd = own(o, guest_path(value, &bad));
	if (bad)
		return usage_error(o, "--cwd", "the guest path may not contain '..': '%s'", value);
	if (!cwd)
		return EXIT_NOMEM;
	o->run.wasi.cwd = cwd;
	return 0;
}

/* A decimal integer without sign; 0 and -1 on overflow or junk. */
static int parse_u64(const char *s, uint64_t *out, const char **end)
{
	uint64_t v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*out = v;
	*end = p;
	return 0;
}

static int opt_fuel(wt_cmd_options *o, const char *value)
{
	const char *end;
	uint64_t n;

	if (parse_u64(value, &n, &end) != 0 || *end || n == 0)
		return usage_error(o, "--fuel", "expected a positive integer, got '%s'", value);
	o->run.limits.fuel = n;
	return 0;
}

int wt_cmd_parse_size(const char *value, uint64_t *out)
{
	static const struct {
		const char *suffix;
		unsigned shift;
	} units[] = {{"", 0},	{"B", 0},    {"K", 10}, {"KiB", 10},
		     {"M", 20}, {"MiB", 20}, {"G", 30}, {"GiB", 30}};
	const char *end;
	uint64_t n;

	if (parse_u64(value, &n, &end) != 0 || n == 0)
		return -1;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcasecmp(end, units[i].suffix) != 0)
			continue;
		if (n > (UINT64_MAX >> units[i].shift))
			return -1;
		*out = n << units[i].shift;
		return 0;
	}
	return -1;
}

static int opt_max_memory(wt_cmd_options *o, const char *value)
{
	if (wt_cmd_parse_size(value, &o->run.limits.max_memory) == 0)
		return 0;
	return usage_error(o, "--max-memory",
			   "expected a size such as 65536, 512K or 64MiB, got '%s'", value);
}

/* --cache-max SIZE: the syntax of WASI_TOFU_CACHE_MAX (wt_run_cache_limit); empty is no size. */
static int opt_cache_max(wt_cmd_options *o, const char *value)
{
	if (*value && wt_run_cache_limit(value, &o->run.cache_max) == 0) {
		o->run.cache_max_set = 1;
		return 0;
	}
	return usage_error(o, "--cache-max",
			   "expected a size such as 1073741824, 512M or 2G (0: no limit), got '%s'",
			   value);
}

static int opt_timeout(wt_cmd_options *o, const char *value)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(value, &end);
	if (end == value || *end || errno || !isfinite(s) || s <= 0 || s > 1e9)
		return usage_error(o, "--timeout",
				   "expected a positive number of seconds, got '%s'", value);
	o->run.timeout = s;
	return 0;
}

/* --fake-random SEED: random_get gives the seeded stream (docs/manifest.md). */
static int opt_fake_random(wt_cmd_options *o, const char *value)
{
	const char *end;
	uint64_t seed;

	if (parse_u64(value, &seed, &end) != 0 || *end)
		return usage_error(o, "--fake-random",
				   "expected a seed (an unsigned integer), got '%s'", value);
	o->run.wasi.fakes.fake_random = 1;
	o->run.wasi.fakes.random_seed = seed;
	return 0;
}

/* --tier interp|auto|jit: which tier runs the guest (docs/engine.md). */
static int opt_tier(wt_cmd_options *o, const char *value)
{
	if (wt_tier_parse(value, &o->run.tier) != 0)
		return usage_error(o, "--tier", "expected interp, auto or jit, got '%s'", value);
	if (o->run.tier == WT_TIER_JIT && !wt_jit_available())
		return usage_error(o, "--tier",
				   "'%s': this build has no compiling tier (built without "
				   "libgccjit); use interp or auto",
				   value);
	return 0;
}

/* The handler of each RUN-OPTION that takes a value (optable.h has the names). */
static const option_fn handlers[WT_OPT_COUNT] = {
    [WT_OPT_MOUNT] = opt_mount,	    [WT_OPT_DIR] = opt_dir,
    [WT_OPT_ENV] = opt_env,	    [WT_OPT_CWD] = opt_cwd,
    [WT_OPT_FUEL] = opt_fuel,	    [WT_OPT_MAX_MEMORY] = opt_max_memory,
    [WT_OPT_TIMEOUT] = opt_timeout, [WT_OPT_FAKE_RANDOM] = opt_fake_random,
    [WT_OPT_TIER] = opt_tier,	    [WT_OPT_CACHE_MAX] = opt_cache_max,
};

/* The flag a RUN-OPTION without a value sets, or NULL. */
static int *flag_of(wt_cmd_options *o, wt_opt_id id)
{
	switch (id) {
	case WT_OPT_FAKE_CLOCKS:
		return &o->run.wasi.fakes.fake_clocks;
	case WT_OPT_NO_CACHE:
		return &o->run.no_cache;
	case WT_OPT_NO_CONFINE:
		return &o->no_confine;
	case WT_OPT_REQUIRE_CONFINE:
		return &o->require_confine;
	case WT_OPT_HELP:
		return &o->help;
	default:
		return NULL;
	}
}

/* Handles argv[*i], an option: `--name VALUE`, `--name=VALUE` or a flag. */
static int parse_option(wt_cmd_options *o, int argc, char **argv, int *i)
{
	const wt_opt *opt;
	const char *value;
	int rc = wt_opt_next(o->who, WT_OPTS_RUN, argc, argv, i, &opt, &value);
	int *flag;

	if (rc)
		return rc;
	if ((flag = flag_of(o, opt->id)) != NULL) {
		*flag = 1;
		return 0;
	}
	return handlers[opt->id](o, value);
}

static int alloc_arrays(wt_cmd_options *o, int argc)
{
	size_t n = (size_t)argc + 2;

	o->mounts = calloc(n, sizeof *o->mounts);
	o->env = calloc(n, sizeof *o->env);
	o->argv = calloc(n, sizeof *o->argv);
	o->owned = calloc(2 * n, sizeof *o->owned);
	if (!o->mounts || !o->env || !o->argv || !o->owned) {
		fprintf(stderr, "wasi-tofu: out of memory\n");
		return EXIT_NOMEM;
	}
	return 0;
}

/* Fills the guest's argv from argv[i] (the module) on, and points the
 * run configuration at the arrays. */
static void finish(wt_cmd_options *o, int argc, char **argv, int i)
{
	o->run.module_path = argv[i];
	o->argv[o->argc++] = argv[i++];
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	while (i < argc)
		o->argv[o->argc++] = argv[i++];
	o->run.wasi.argc = o->argc;
	o->run.wasi.argv = o->argv;
	o->run.wasi.nenv = o->nenv;
	o->run.wasi.env = o->env;
	o->run.wasi.nmounts = o->nmounts;
	o->run.wasi.mounts = o->mounts;
	for (int k = 0; k < 3; k++)
		o->run.wasi.stdio_fds[k] = k;
}

/* Test aid (docs/testing.md): WASI_TOFU_TRACE_IMPORTS=FILE makes every
 * WASI import call write its name to FILE (created or truncated). */
static int open_trace(wt_cmd_options *o)
{
	const char *path = getenv("WASI_TOFU_TRACE_IMPORTS");
	int fd;

	if (!path || !*path)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		wt_escape_fprintf(stderr, "wasi-tofu: WASI_TOFU_TRACE_IMPORTS: %s: %s\n", path,
				  strerror(errno));
		return EXIT_USAGE;
	}
	o->run.wasi.trace_imports = 1;
	o->run.wasi.trace_fd = fd;
	return 0;
}

int wt_cmd_options_parse(const char *who, int argc, char **argv, wt_cmd_options *o)
{
	int i = 0, rc;

	memset(o, 0, sizeof *o);
	o->who = who;
	if ((rc = alloc_arrays(o, argc)))
		return rc;
	while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if ((rc = parse_option(o, argc, argv, &i)))
			return rc;
		if (o->help)
			return 0;
		i++;
	}
	if (i >= argc)
		return wt_opt_usage_error(who, "missing MODULE", NULL, NULL);
	finish(o, argc, argv, i);
	return open_trace(o);
}

void wt_cmd_options_protect(wt_cmd_options *o, const char *path)
{
	if (!path || o->nprotect == (int)(sizeof o->protect / sizeof o->protect[0]))
		return;
	o->protect[o->nprotect++] = path;
	o->run.wasi.protect = o->protect;
	o->run.wasi.nprotect = o->nprotect;
}

void wt_cmd_options_fini(wt_cmd_options *o)
{
	if (o->run.wasi.trace_imports)
		close(o->run.wasi.trace_fd);
	for (int i = 0; i < o->nowned; i++)
		free(o->owned[i]);
	free(o->owned);
	free(o->mounts);
	free(o->env);
	free(o->argv);
	memset(o, 0, sizeof *o);
}

void wt_cmd_options_usage(FILE *f)
{
	fprintf(
	    f,
	    "RUN-OPTIONS:\n"
	    "  --mount HOST:GUEST[:ro]  make host folder HOST visible at guest path GUEST\n"
	    "                           (read-write, or read-only with :ro); repeatable\n"
	    "  --dir HOST[::GUEST]      the same, read-write, as wasmtime spells it; GUEST\n"
	    "                           defaults to HOST made absolute (. -> /, data -> /data)\n"
	    "  --env NAME=VALUE         set a variable for the module (nothing is inherited)\n"
	    "  --env NAME               pass the host's value of NAME, if it has one\n"
	    "  --cwd GUEST              the module's working directory (default: /)\n"
	    "  --fuel N                 trap after N instructions (\"fuel exhausted\")\n"
	    "  --max-memory SIZE        cap the module's total memory (memories, tables, code):\n"
	    "                           bytes, or K M G / KiB MiB GiB\n"
	    "  --timeout SECONDS        trap when the run takes longer (\"time limit exceeded\")\n"
	    "  --fake-clocks            reproducible clocks: 1 ms per read, from 2000-01-01,\n"
	    "                           and sleeps that take no time\n"
	    "  --fake-random SEED       reproducible random: the ChaCha20 stream of SEED\n"
	    "  --tier interp|auto|jit   which tier runs the module: the interpreter, the\n"
	    "                           compiling tier (compiled before the run), or auto\n"
	    "                           (the default: interpreted, the functions a run finds\n"
	    "                           hot compiled in the background for its next run)\n"
	    "  --no-cache               neither read nor write the cache of compiled code\n"
	    "  --cache-max SIZE         the cache's size limit: bytes, or K M G T (0: none;\n"
	    "                           default WASI_TOFU_CACHE_MAX, else 1G)\n"
	    "  --no-self-confine        do not confine wasi-tofu itself once the run is set up\n"
	    "                           (Landlock: the mounts only; seccomp: the host's system\n"
	    "                           calls only): for debugging\n"
	    "  --require-self-confine   fail (70) when the kernel lacks Landlock or seccomp,\n"
	    "                           instead of a warning\n"
	    "  -h, --help               show this help\n");
}
