/* project_init.c: `wasi-tofu init`: makes the project file and its manifests folder here. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "project_cmd.h"

enum { EXIT_USAGE = 64, EXIT_NOMEM = 70, EXIT_IO = 74 };

static void init_usage(FILE *f)
{
	fprintf(f,
		"usage: wasi-tofu init [--manifests DIR]\n"
		"\n"
		"Makes a project here: the project file " WT_PROJECT_FILE " and the folder\n"
		"its manifests go in (DIR, relative to here; default " WT_PROJECT_MANIFESTS ").\n"
		"Then `wasi-tofu trust MODULE` (or `run MODULE` at a terminal) adds modules.\n"
		"See man wasi-tofu-init.\n");
}

/* mkdir -p of root/rel. 0 or an errno. */
static int make_folders(const char *rel)
{
	char path[4096];

	if (snprintf(path, sizeof path, "%s", rel) >= (int)sizeof path)
		return ENAMETOOLONG;
	for (char *s = path;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(path, 0777) && errno != EEXIST)
			return errno;
		if (!(*s = c))
			return 0;
	}
}

/* The manifests folder's .gitignore: journals are not for review. */
static void write_gitignore(const char *folder)
{
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/.gitignore", folder) < 0)
		return;
	if (access(path, F_OK) != 0 && (f = fopen(path, "w"))) {
		fputs("# the journals of recorded runs: evidence, not policy\n*.journal.jsonl\n",
		      f);
		fclose(f);
	}
	free(path);
}

static int write_project(const wt_project *p)
{
	char *text = NULL;
	size_t len = 0;
	wt_error err;
	int fd, ok;

	wt_error_init(&err);
	if (wt_project_emit(p, &text, &len, &err))
		return EXIT_NOMEM;
	fd = open(WT_PROJECT_FILE, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ok = fd >= 0 && write(fd, text, len) == (ssize_t)len;
	if (fd >= 0 && close(fd))
		ok = 0;
	free(text);
	if (ok)
		return 0;
	wt_escape_fprintf(stderr, "wasi-tofu: init: cannot write " WT_PROJECT_FILE ": %s\n",
			  strerror(errno));
	return EXIT_IO;
}

int wt_cmd_init(int argc, char **argv)
{
	const char *manifests = WT_PROJECT_MANIFESTS, *why;
	wt_project *p;
	int rc;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return init_usage(stdout), 0;
		if (strcmp(argv[i], "--manifests") == 0 && i + 1 < argc)
			manifests = argv[++i];
		else if (strncmp(argv[i], "--manifests=", 12) == 0)
			manifests = argv[i] + 12;
		else
			return wt_escape_fprintf(stderr, "wasi-tofu: init: unexpected '%s'\n",
						 argv[i]),
			       init_usage(stderr), EXIT_USAGE;
	}
	if (wt_project_path_check(manifests, &why))
		return wt_escape_fprintf(stderr, "wasi-tofu: init: --manifests %s: %s\n", manifests,
					 why),
		       EXIT_USAGE;
	if (access(WT_PROJECT_FILE, F_OK) == 0) {
		fprintf(stderr, "wasi-tofu: init: " WT_PROJECT_FILE
				" is here already: this folder is a project\n");
		return EXIT_USAGE;
	}
	if ((rc = make_folders(manifests))) {
		wt_escape_fprintf(stderr, "wasi-tofu: init: cannot make %s: %s\n", manifests,
				  strerror(rc));
		return EXIT_IO;
	}
	write_gitignore(manifests);
	if (!(p = wt_project_new()))
		return EXIT_NOMEM;
	p->manifests = manifests;
	rc = write_project(p);
	wt_project_free(p);
	if (rc == 0)
		wt_escape_fprintf(stderr,
				  "wasi-tofu: made " WT_PROJECT_FILE
				  " (manifests go in %s/); add a module with `wasi-tofu trust "
				  "[RUN-OPTIONS] MODULE [ARGS]`\n",
				  manifests);
	return rc;
}
