/* prompt.c: asks at the controlling terminal: canonical line reads, typed-ahead input dropped,
 * one question per request per run. */
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "escape.h"
#include "prompt.h"

enum { MAX_TRIES = 100, LINE_MAX_ANSWER = 64 };

struct wt_prompt {
	int fd, owns_fd;
	char *module, *manifest;
	wt_devset *memo;   /* request -> wt_answer */
	wt_answer sticky;  /* DENY_ALL or STOP once given, else NONE */
	int no_always;	   /* [a] never offered */
	char *always_file; /* the file [a] writes, named in the choice, or NULL */
};

static int ci_env(void)
{
	const char *ci = getenv("CI");

	return ci && *ci;
}

int wt_prompt_is_default(void)
{
	return isatty(STDIN_FILENO) && isatty(STDERR_FILENO) && !ci_env();
}

wt_prompt *wt_prompt_new_fd(int fd, const char *module, const char *manifest)
{
	wt_prompt *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->fd = fd;
	p->module = module ? strdup(module) : NULL;
	p->manifest = manifest ? strdup(manifest) : NULL;
	p->memo = wt_devset_new();
	if (!p->memo || (module && !p->module) || (manifest && !p->manifest)) {
		wt_prompt_free(p);
		return NULL;
	}
	return p;
}

wt_prompt *wt_prompt_open(const char *module, const char *manifest)
{
	wt_prompt *p;
	int fd;

	if (ci_env())
		return NULL;
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return NULL;
	if (tcgetpgrp(fd) != getpgrp() || !(p = wt_prompt_new_fd(fd, module, manifest))) {
		close(fd); /* a background job would stop on the read: no prompt */
		return NULL;
	}
	p->owns_fd = 1;
	return p;
}

void wt_prompt_offer_always(wt_prompt *p, int offer)
{
	if (p)
		p->no_always = !offer;
}

int wt_prompt_always_file(wt_prompt *p, const char *file)
{
	char *copy = file ? strdup(file) : NULL;

	if (!p || (file && !copy)) {
		free(copy);
		return p ? -1 : 0;
	}
	free(p->always_file);
	p->always_file = copy;
	return 0;
}

void wt_prompt_free(wt_prompt *p)
{
	if (!p)
		return;
	free(p->always_file);
	if (p->owns_fd)
		close(p->fd);
	wt_devset_free(p->memo);
	free(p->module);
	free(p->manifest);
	free(p);
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		s += k, n -= (size_t)k;
	}
	return 0;
}

wt_answer wt_prompt_parse(const char *line, size_t len, int can_always)
{
	static const char keys[] = "yanhds";
	static const wt_answer answers[] = {WT_ANSWER_ALLOW_ONCE, WT_ANSWER_ALLOW_ALWAYS,
					    WT_ANSWER_DENY,	  WT_ANSWER_HIDE,
					    WT_ANSWER_DENY_ALL,	  WT_ANSWER_STOP};
	const char *k;

	if (len != 1 || !line[0] || !(k = strchr(keys, tolower((unsigned char)line[0]))))
		return WT_ANSWER_NONE;
	if (*k == 'a' && !can_always)
		return WT_ANSWER_NONE;
	return answers[k - keys];
}

/* Reads one line: 1 with the line in buf (no '\n') and *len, 0 for a
 * line too long (read to its end and dropped), -1 at EOF or an error. */
static int read_line(int fd, char *buf, size_t size, size_t *len)
{
	size_t n = 0;
	int too_long = 0;

	for (;;) {
		char c;
		ssize_t k = read(fd, &c, 1);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		if (c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = c;
		else
			too_long = 1;
	}
	*len = n;
	return too_long ? 0 : 1;
}

/* Written before every question (docs/deviations.md, "The terminal reset"): whatever modes
 * the module left the terminal in, the question is seen whole, in plain text, on a fresh
 * line at the bottom of the screen with nothing of the module's below it. */
static const char reset[] =
    "\x18"			   /* CAN: abort an escape sequence left unfinished */
    "\x1b\\"			   /* ST: end a string left open (OSC, DCS, APC, PM, SOS) */
    "\x1b]8;;\x1b\\"		   /* close a hyperlink */
    "\x0f\x1b(B"		   /* SI, G0 = ASCII: no shifted or line-drawing characters */
    "\x1b[0m"			   /* SGR: no conceal, colours, reverse, blink */
    "\x1b]104\x1b\\"		   /* the colour palette, */
    "\x1b]110\x1b\\\x1b]111\x1b\\" /* default fore- and background colours, */
    "\x1b]R\x1b\\"		   /* the Linux console's palette: reset */
    "\x1b[?25h"			   /* cursor visible */
    "\x1b[4l\x1b[?7h"		   /* insert mode off, line wrap on */
    "\x1b[?1049l"		   /* the normal screen, not the alternate one */
    "\x1b[?6l\x1b[r"		   /* origin mode off, the whole screen scrolls */
    "\x1b>"			   /* numeric keypad: its Enter sends a newline */
    "\x1b[999;1H\n";		   /* the bottom line, then a fresh one */

/* The terminal for a question: canonical mode with echo, newlines as CR LF;
 * *saved gets the settings to restore, and the return is 1 when there are some. */
static int question_mode(int fd, struct termios *saved)
{
	struct termios t;

	if (tcgetattr(fd, saved) != 0)
		return 0;
	t = *saved;
	t.c_lflag |= ICANON | ECHO | ECHONL;
	t.c_iflag |= ICRNL;
	t.c_oflag |= OPOST | ONLCR;
	tcsetattr(fd, TCSANOW, &t);
	return 1;
}

/* A line that is one of keys (either case): the key, else 0. */
static int key_of(const char *line, size_t len, const char *keys)
{
	int c = len == 1 ? tolower((unsigned char)line[0]) : 0;

	return c && strchr(keys, c) ? c : 0;
}

/* The one way a question is asked: the terminal reset (TERM=dumb: none, it
 * has no modes), the question and the line of choices in one write; then,
 * for each try, input typed so far is dropped (tcflush), "> " shown and a
 * line read, until it is exactly one of keys. Returns the key, or 0 when
 * the terminal went away or nothing valid came in MAX_TRIES lines. */
static int ask_key(wt_prompt *p, const char *question, const char *choices, const char *keys)
{
	const char *term = getenv("TERM");
	struct termios saved;
	int restore = question_mode(p->fd, &saved), key = 0;
	char *text = NULL, line[LINE_MAX_ANSWER];

	if (asprintf(&text, "%s%s%s", term && strcmp(term, "dumb") == 0 ? "\n" : reset, question,
		     choices) < 0)
		text = NULL;
	if (text && write_all(p->fd, text, strlen(text)) == 0) {
		for (int tries = 0; tries < MAX_TRIES && !key; tries++) {
			const char *ask =
			    tries ? "Please type one key of the list above, then Enter: " : "> ";
			size_t len;
			int got;

			tcflush(p->fd, TCIFLUSH); /* typed before this point: never an answer */
			if (write_all(p->fd, ask, strlen(ask)) ||
			    (got = read_line(p->fd, line, sizeof line, &len)) < 0)
				break;
			key = got ? key_of(line, len, keys) : 0;
		}
	}
	free(text);
	if (restore)
		tcsetattr(p->fd, TCSANOW, &saved);
	return key;
}

int wt_prompt_choose(wt_prompt *p, const char *choices, const char *keys, const char *fmt, ...)
{
	char *question = NULL;
	size_t len = 0;
	FILE *f;
	va_list ap;
	int key = 0;

	if (!p || !(f = open_memstream(&question, &len)))
		return 0;
	va_start(ap, fmt);
	wt_escape_vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f) == 0 && question)
		key = ask_key(p, question, choices, keys);
	free(question);
	return key;
}

wt_answer wt_prompt_ask(wt_prompt *p, const wt_devreq *req, const char *fix, int *repeat)
{
	wt_answer a;
	int memo, can_always, key;
	char *question, *choices, k;

	if (repeat)
		*repeat = 1;
	if (!p)
		return WT_ANSWER_NONE;
	if (p->sticky != WT_ANSWER_NONE)
		return p->sticky;
	if (wt_devset_get(p->memo, req, &memo))
		return (wt_answer)memo;
	if (repeat)
		*repeat = 0;
	if (!(question = wt_prompt_format(p->module, p->manifest, req, fix)))
		return WT_ANSWER_NONE;
	can_always = req->path && !req->what && !p->no_always;
	choices = can_always && p->always_file ? wt_prompt_choices_file(p->always_file) : NULL;
	key = ask_key(p, question, choices ? choices : wt_prompt_choices(can_always),
		      can_always ? "yanhds" : "ynhds");
	free(choices);
	k = (char)key;
	a = key ? wt_prompt_parse(&k, 1, can_always) : WT_ANSWER_NONE;
	free(question);
	if (a == WT_ANSWER_DENY_ALL || a == WT_ANSWER_STOP || a == WT_ANSWER_NONE)
		p->sticky = a == WT_ANSWER_NONE ? WT_ANSWER_STOP : a;
	else
		wt_devset_put(p->memo, req, (int)a); /* out of memory: asked again, no harm */
	return a;
}

wt_verdict wt_prompt_verdict(wt_answer a)
{
	switch (a) {
	case WT_ANSWER_ALLOW_ONCE:
	case WT_ANSWER_ALLOW_ALWAYS:
		return WT_ALLOW;
	case WT_ANSWER_DENY:
	case WT_ANSWER_DENY_ALL:
		return WT_DENY;
	case WT_ANSWER_HIDE:
		return WT_HIDE;
	default:
		return WT_STOP;
	}
}

const char *wt_prompt_answer_name(wt_answer a)
{
	static const char *const names[] = {"none", "allow-once", "allow-always", "deny",
					    "hide", "deny-all",	  "stop"};

	return (unsigned)a < sizeof names / sizeof names[0] ? names[a] : "?";
}
