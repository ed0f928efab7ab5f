/* prompt.h: --on-deviation prompt: ask the person at the controlling terminal about one request
 * outside the manifest, safely (docs/deviations.md). */
#ifndef WT_PROMPT_H
#define WT_PROMPT_H

#include "devreq.h"
#include "gate.h"

typedef enum {
	WT_ANSWER_NONE,		/* no terminal, or it went away (EOF): act as fail (exit 77) */
	WT_ANSWER_ALLOW_ONCE,	/* [y] allow, this run only */
	WT_ANSWER_ALLOW_ALWAYS, /* [a] allow, and the caller writes the grant (override.h) */
	WT_ANSWER_DENY,		/* [n] ENOTCAPABLE */
	WT_ANSWER_HIDE,		/* [h] ENOENT */
	WT_ANSWER_DENY_ALL,	/* [d] ENOTCAPABLE, and for every later deviation without asking */
	WT_ANSWER_STOP,		/* [s] stop the run (exit 77) */
} wt_answer;

typedef struct wt_prompt wt_prompt;

/* 1 when prompt is the default mode: stdin and stderr are terminals and
 * the environment variable CI is unset or empty. */
int wt_prompt_is_default(void);

/* Opens the controlling terminal (/dev/tty) to ask on. NULL when there
 * is none to ask: CI is set, /dev/tty cannot be opened, the process is
 * not in the terminal's foreground group, or out of memory. Then
 * wt_prompt_ask(NULL, ...) answers WT_ANSWER_NONE at once: prompt mode
 * acts as fail and never waits. module and manifest (copied) name the
 * files in the question: "build.wasm", "build.manifest.yaml". */
wt_prompt *wt_prompt_open(const char *module, const char *manifest);

/* The same on an open terminal fd (borrowed, not closed by free); tests
 * pass a pseudo-terminal's slave. NULL when out of memory. */
wt_prompt *wt_prompt_new_fd(int fd, const char *module, const char *manifest);

void wt_prompt_free(wt_prompt *p); /* NULL is fine */

/* Asks about req; fix is the manifest line that would grant it (shown;
 * NULL when none). One request (devreq.h: rights and paths, or what) is asked
 * once per prompt: a repeat gets the first answer again, with *repeat
 * set to 1 (write an allow-always grant only when *repeat is 0). After
 * [d] every request answers WT_ANSWER_DENY_ALL, after [s] WT_ANSWER_STOP,
 * both without asking (*repeat = 1). repeat may be NULL.
 *
 * How it asks (every question of wasi-tofu is asked this way, by one
 * function): the terminal is reset first (every mode a module could hide
 * or alter text with, docs/deviations.md) and the question starts a fresh
 * line at the bottom of the screen; the question goes to the terminal
 * whole (every guest string escaped, wt_escape_for_terminal, lines of at
 * most 80 columns); the terminal is put in canonical mode with echo for
 * the read and restored after; input typed before the question is
 * discarded (tcflush TCIFLUSH after it is shown, before each read); an
 * answer is one key and Enter, anything else asks again. */
wt_answer wt_prompt_ask(wt_prompt *p, const wt_devreq *req, const char *fix, int *repeat);

/* Any other question (record --contain's apply, record --update's write,
 * the re-record offer): asks the question fmt formats, its string
 * arguments escaped (wt_escape_fprintf; lines of at most 80 columns),
 * followed by the line choices, exactly as wt_prompt_ask does (reset,
 * canonical read, typed-ahead input discarded, one key plus Enter). keys
 * lists the lowercase keys accepted (either case is). Returns the key, or
 * 0 when there is no terminal (p NULL) or it went away. Not remembered:
 * every call asks. */
int wt_prompt_choose(wt_prompt *p, const char *choices, const char *keys, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The question wt_prompt_ask shows (without the line of choices), as a
 * malloc'd string of lines each ending in '\n'; NULL when out of memory.
 * module and manifest may be NULL. */
char *wt_prompt_format(const char *module, const char *manifest, const wt_devreq *req,
		       const char *fix);

/* Whether [a] may be offered (default 1); 0 when there is no override
 * file to write to. Even then [a] is offered for file requests only
 * (req->path set, req->what NULL): an override file holds file grants. */
void wt_prompt_offer_always(wt_prompt *p, int offer);

/* Names the file [a] writes in the line of choices ("[a] allow always: add the grant to
 * F"); NULL: "(add to manifest)". 0, or -1 when out of memory. */
int wt_prompt_always_file(wt_prompt *p, const char *file);

/* The lines of choices with [a] naming file (escaped), malloc'd; NULL when out of memory. */
char *wt_prompt_choices_file(const char *file);

/* The lines of choices, each at most 80 columns, with or without [a]. */
const char *wt_prompt_choices(int can_always);

/* The verdict an answer gives: ALLOW_* -> WT_ALLOW, DENY and DENY_ALL ->
 * WT_DENY, HIDE -> WT_HIDE, STOP and NONE -> WT_STOP. */
wt_verdict wt_prompt_verdict(wt_answer a);

/* "allow-once", "allow-always", "deny", "hide", "deny-all", "stop", "none". */
const char *wt_prompt_answer_name(wt_answer a);

/* The answer for one line read from the terminal (without its '\n'):
 * exactly one key (y a n h d s, either case; a only when can_always);
 * else WT_ANSWER_NONE. */
wt_answer wt_prompt_parse(const char *line, size_t len, int can_always);

#endif
