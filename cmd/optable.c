/* optable.c: the CLI's one option table and the one reader of an option word. */
#include "optable.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"

enum { EXIT_USAGE = 64 };

static const wt_opt table[] = {
#define WT_X_OPT_ROW(id, name, alias, value, groups) {id, name, alias, value, groups},
    WT_OPT_LIST(WT_X_OPT_ROW)
#undef WT_X_OPT_ROW
};

int wt_opt_is_option(const char *arg)
{
	return arg[0] == '-' && arg[1] != '\0' && strcmp(arg, "--") != 0;
}

/* How the word arg spells opt: the length of its name part (0: not opt). */
static size_t spelled(const wt_opt *opt, const char *arg)
{
	size_t n = strcspn(arg, "=");

	if (strlen(opt->name) == n && strncmp(arg, opt->name, n) == 0)
		return n;
	if (!opt->alias)
		return 0;
	n = strlen(opt->alias);
	if (strncmp(arg, opt->alias, n) != 0)
		return 0;
	/* a short alias with a value glued on: -oFILE, -o=FILE */
	return arg[n] == '\0' || (opt->takes_value && n == 2) ? n : 0;
}

const wt_opt *wt_opt_lookup(const char *arg)
{
	for (size_t k = 0; k < sizeof table / sizeof table[0]; k++)
		if (spelled(&table[k], arg))
			return &table[k];
	return NULL;
}

int wt_opt_takes_next(const char *arg)
{
	const wt_opt *o = wt_opt_lookup(arg);

	return o && o->takes_value && !strchr(arg, '=');
}

int wt_opt_usage_error(const char *who, const char *what, const char *problem, const char *value)
{
	wt_escape_fprintf(stderr, "wasi-tofu: %s: %s", who, what);
	if (problem)
		wt_escape_fprintf(stderr, ": %s", problem);
	if (value)
		wt_escape_fprintf(stderr, " '%s'", value);
	wt_escape_fprintf(stderr, "\nTry 'wasi-tofu %s --help'.\n", who);
	return EXIT_USAGE;
}

int wt_opt_next(const char *who, unsigned mask, int argc, char **argv, int *i, const wt_opt **opt,
		const char **value)
{
	const char *arg = argv[*i];
	const wt_opt *o = wt_opt_lookup(arg);
	size_t n;

	*opt = o, *value = NULL;
	if (!o)
		return wt_opt_usage_error(who, arg, "unknown option", NULL);
	if (!(o->groups & (mask | WT_OPTS_HELP)))
		return wt_opt_usage_error(who, o->name, "not an option of this subcommand", NULL);
	n = spelled(o, arg);
	if (!o->takes_value && arg[n])
		return wt_opt_usage_error(who, o->name, "takes no value", NULL);
	if (!o->takes_value)
		return 0;
	if (arg[n]) {
		*value = arg + n + (arg[n] == '=');
		return 0;
	}
	if (*i + 1 >= argc)
		return wt_opt_usage_error(who, arg, "missing value", NULL);
	*value = argv[++*i];
	return 0;
}

int wt_opt_split(const char *who, unsigned mine, int argc, char **argv, wt_opt_take take, void *ctx,
		 char **rest, int *nrest)
{
	int i = 0, rc;

	for (; i < argc && wt_opt_is_option(argv[i]); i++) {
		const wt_opt *opt;
		const char *value;
		int first = i;

		if ((rc = wt_opt_next(who, mine | WT_OPTS_RUN, argc, argv, &i, &opt, &value)))
			return rc;
		if ((opt->groups & mine) && (rc = take(ctx, opt, value)))
			return rc;
		if (opt->groups & mine)
			continue;
		while (first <= i)
			rest[(*nrest)++] = argv[first++];
	}
	while (i < argc)
		rest[(*nrest)++] = argv[i++];
	return 0;
}

int wt_opt_operands(const char *who, unsigned mask, int argc, char **argv, wt_opt_take take,
		    void *ctx, const char **operands, int *n)
{
	int options = 1, rc;

	for (int i = 0; i < argc; i++) {
		const wt_opt *opt;
		const char *value;

		if (options && strcmp(argv[i], "--") == 0) {
			options = 0;
		} else if (!options || !wt_opt_is_option(argv[i])) {
			operands[(*n)++] = argv[i];
		} else if ((rc = wt_opt_next(who, mask, argc, argv, &i, &opt, &value)) ||
			   (rc = take(ctx, opt, value))) {
			return rc;
		}
	}
	return 0;
}
