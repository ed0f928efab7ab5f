/* confine.c: the CLI's part of self-confinement: --no-self-confine, and the host files outside the
 * mounts that the CLI still touches once the run has started. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

enum { EXIT_IOERR = 74, EXIT_APPLY = 75 };

void wt_cmd_confine_add(wt_cmd_options *o, const char *path, unsigned access)
{
	wt_confine_config *c = &o->confine;

	if (path && c->npaths < WT_CMD_CONFINE_PATHS)
		o->confine_paths[c->npaths++] = (wt_confine_path){path, access};
}

void wt_cmd_confine_arm(wt_cmd_options *o, int apply_later)
{
	wt_confine_config *c = &o->confine;

	c->layers = o->no_confine ? 0 : WT_CONFINE_ALL;
	c->require = o->require_confine;
	c->apply_later = apply_later;
	c->paths = o->confine_paths;
	c->warnings = stderr;
	wt_cmd_confine_hook(c);
	o->run.confine = c;
}

void wt_cmd_confine_precreate(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd >= 0)
		close(fd);
}

int wt_cmd_confine_note(const wt_cmd_options *o, int status)
{
	if (o->run.confine && o->confine.layers && (status == EXIT_IOERR || status == EXIT_APPLY))
		fprintf(stderr,
			"wasi-tofu: note: the run was self-confined (Landlock, seccomp); if "
			"the error above is a refusal that should not happen, run again with "
			"--no-self-confine to check, and report it\n");
	return status;
}
