/* optable.h: the CLI's one option table: every option of every subcommand, whether it takes a
 * value, and which subcommands take it. Every parser reads argv through wt_opt_next. */
#ifndef WT_OPTABLE_H
#define WT_OPTABLE_H

#include <stddef.h>

/* The groups an option belongs to (bits): which parser takes it. */
enum {
	WT_OPTS_RUN = 1u << 0,	    /* RUN-OPTIONS: run, run --manifest, record */
	WT_OPTS_MANIFEST = 1u << 1, /* run --manifest */
	WT_OPTS_RECORD = 1u << 2,   /* record */
	WT_OPTS_CHECK = 1u << 3,    /* check */
	WT_OPTS_GENERATE = 1u << 4, /* generate */
	WT_OPTS_DIFF = 1u << 5,	    /* diff */
	WT_OPTS_JOURNAL = 1u << 6,  /* journal show */
	WT_OPTS_PROJECT = 1u << 7,  /* init, trust, run in a project (project_*.c) */
	WT_OPTS_HELP = 1u << 8,	    /* every subcommand */
};

/* X(id, name, short alias or NULL, takes a value, groups). Adding an option
 * (or a subcommand's group) is one row; its handler goes where its group is
 * parsed. */
#define WT_OPT_LIST(X)                                                                     \
	X(WT_OPT_HELP, "--help", "-h", 0, WT_OPTS_HELP)                                    \
	X(WT_OPT_MOUNT, "--mount", NULL, 1, WT_OPTS_RUN)                                   \
	X(WT_OPT_DIR, "--dir", NULL, 1, WT_OPTS_RUN)                                       \
	X(WT_OPT_ENV, "--env", NULL, 1, WT_OPTS_RUN)                                       \
	X(WT_OPT_CWD, "--cwd", NULL, 1, WT_OPTS_RUN)                                       \
	X(WT_OPT_FUEL, "--fuel", NULL, 1, WT_OPTS_RUN)                                     \
	X(WT_OPT_MAX_MEMORY, "--max-memory", NULL, 1, WT_OPTS_RUN)                         \
	X(WT_OPT_TIMEOUT, "--timeout", NULL, 1, WT_OPTS_RUN)                               \
	X(WT_OPT_FAKE_RANDOM, "--fake-random", NULL, 1, WT_OPTS_RUN)                       \
	X(WT_OPT_FAKE_CLOCKS, "--fake-clocks", NULL, 0, WT_OPTS_RUN)                       \
	X(WT_OPT_TIER, "--tier", NULL, 1, WT_OPTS_RUN)                                     \
	X(WT_OPT_NO_CACHE, "--no-cache", NULL, 0, WT_OPTS_RUN)                             \
	X(WT_OPT_CACHE_MAX, "--cache-max", NULL, 1, WT_OPTS_RUN)                           \
	X(WT_OPT_NO_CONFINE, "--no-self-confine", NULL, 0, WT_OPTS_RUN)                    \
	X(WT_OPT_REQUIRE_CONFINE, "--require-self-confine", NULL, 0, WT_OPTS_RUN)          \
	X(WT_OPT_MANIFEST, "--manifest", NULL, 1, WT_OPTS_MANIFEST | WT_OPTS_CHECK)        \
	X(WT_OPT_ON_DEVIATION, "--on-deviation", NULL, 1, WT_OPTS_MANIFEST)                \
	X(WT_OPT_CEILING, "--ceiling", NULL, 1, WT_OPTS_MANIFEST | WT_OPTS_CHECK)          \
	X(WT_OPT_REPORT, "--report", NULL, 1, WT_OPTS_MANIFEST)                            \
	X(WT_OPT_OUTPUT, "--output", "-o", 1, WT_OPTS_RECORD | WT_OPTS_GENERATE)           \
	X(WT_OPT_GRANULARITY, "--granularity", NULL, 1, WT_OPTS_RECORD | WT_OPTS_GENERATE) \
	X(WT_OPT_JOURNAL, "--journal", NULL, 1, WT_OPTS_RECORD)                            \
	X(WT_OPT_JOURNAL_MAX, "--journal-max", NULL, 1, WT_OPTS_RECORD)                    \
	X(WT_OPT_UPDATE, "--update", NULL, 1, WT_OPTS_RECORD)                              \
	X(WT_OPT_CONTAIN, "--contain", NULL, 0, WT_OPTS_RECORD)                            \
	X(WT_OPT_APPLY, "--apply", NULL, 0, WT_OPTS_RECORD)                                \
	X(WT_OPT_DISCARD, "--discard", NULL, 0, WT_OPTS_RECORD)                            \
	X(WT_OPT_KEEP_FAILED, "--keep-failed", NULL, 0, WT_OPTS_RECORD)                    \
	X(WT_OPT_JSON, "--json", NULL, 0, WT_OPTS_CHECK | WT_OPTS_DIFF | WT_OPTS_JOURNAL)  \
	X(WT_OPT_SARIF, "--sarif", NULL, 1, WT_OPTS_CHECK)                                 \
	X(WT_OPT_PROJECT, "--project", NULL, 1, WT_OPTS_PROJECT)                           \
	X(WT_OPT_YES, "--yes", "-y", 0, WT_OPTS_PROJECT)                                   \
	X(WT_OPT_MANIFESTS, "--manifests", NULL, 1, WT_OPTS_PROJECT)

typedef enum {
#define WT_X_OPT_ENUM(id, name, alias, value, groups) id,
	WT_OPT_LIST(WT_X_OPT_ENUM)
#undef WT_X_OPT_ENUM
	    WT_OPT_COUNT
} wt_opt_id;

typedef struct wt_opt {
	wt_opt_id id;
	const char *name, *alias;
	int takes_value;
	unsigned groups;
} wt_opt;

/* The option arg names (`--name`, `--name=VALUE`, `-o`, `-oVALUE`,
 * `-o=VALUE`), or NULL. */
const wt_opt *wt_opt_lookup(const char *arg);

/* 1 when arg is an option of the table whose value is the next word (no
 * `=VALUE`): a parser that skips the options before MODULE skips that word
 * too. An unknown option takes none, so MODULE is never taken for its value. */
int wt_opt_takes_next(const char *arg);

/* 1 when argv[i] is an option word (starts with '-', is not "-" or "--"). */
int wt_opt_is_option(const char *arg);

/* Reads the option argv[*i] for the subcommand who, which takes the
 * groups in mask (WT_OPTS_HELP is always taken): *opt gets its row,
 * *value its value (NULL for a flag), and *i moves to its last word.
 * Returns 0, or prints a usage error naming who and returns 64: an
 * unknown option, one of another subcommand, a missing value, a value
 * given to a flag. */
int wt_opt_next(const char *who, unsigned mask, int argc, char **argv, int *i, const wt_opt **opt,
		const char **value);

/* Splits the options before MODULE for a subcommand that adds options of
 * its own (groups mine) to the RUN-OPTIONS: each of its own options goes
 * to take(ctx, opt, value); a RUN-OPTION (with its value, as one or two
 * words) and everything from MODULE (or a `--`) on is appended to rest,
 * which has room for argc words, *nrest counting. Returns 0, 64 (an
 * unknown option: the message names who) or take's non-zero status. */
typedef int (*wt_opt_take)(void *ctx, const wt_opt *opt, const char *value);
int wt_opt_split(const char *who, unsigned mine, int argc, char **argv, wt_opt_take take, void *ctx,
		 char **rest, int *nrest);

/* Reads the words of a subcommand whose options and operands (journals)
 * come in any order: each option (groups in mask, --help too) goes to
 * take(ctx, opt, value); every other word, and every word after `--`, is
 * appended to operands (room for argc), *n counting. Returns 0, 64 (the
 * message names who) or take's non-zero status. */
int wt_opt_operands(const char *who, unsigned mask, int argc, char **argv, wt_opt_take take,
		    void *ctx, const char **operands, int *n);

/* Prints `wasi-tofu: WHO: WHAT: PROBLEM 'VALUE'` (problem and value may be
 * NULL: their part is left out; everything escaped), then the hint
 * `Try 'wasi-tofu WHO --help'.`; returns 64. */
int wt_opt_usage_error(const char *who, const char *what, const char *problem, const char *value);

#endif
