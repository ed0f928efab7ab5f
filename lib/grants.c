/* grants.c: where an allow-always answer (WASI_TOFU_VERDICT_ALLOW_ALWAYS) goes: the grant is
 * written to the override file by the settler (manifest/devask.c), through a keeper when the CLI
 * confines the run (core/run/keeper.h: a process outside the confinement that holds the one write
 * right to that file), and a grant that cannot be written is told on wasi_tofu_run_notices' fd,
 * as the engine's notes are (the code cache's). */
#include <stdio.h>
#include <unistd.h>

#include "check.h"
#include "lib_cli.h"
#include "lib_impl.h"

void wasi_tofu_run_notices(wasi_tofu_run *r, int fd)
{
	WT_API_CHECK(r != NULL);
	r->notices = fd < 0 ? -1 : fd;
}

void wt_lib_notices_open(wasi_tofu_run *r)
{
	int copy = r->notices >= 0 ? dup(r->notices) : -1;
	FILE *f = copy >= 0 ? fdopen(copy, "a") : NULL;

	if (copy >= 0 && !f)
		close(copy);
	if (f)
		setvbuf(f, NULL, _IONBF, 0);
	r->notices_file = f;
}

void wt_lib_notices_close(wasi_tofu_run *r)
{
	if (r->notices_file)
		fclose(r->notices_file);
	r->notices_file = NULL;
}

int wt_lib_grants_begin(wasi_tofu_run *r, wt_error *err)
{
	const wt_confine_config *c = r->engine ? r->engine->confine : NULL;
	wt_devask *d = &r->devask;

	if (!d->ask || !d->override_path)
		return 0;
	d->messages = r->notices_file;
	if (!c || !c->layers) /* not confined: the settler writes the file itself */
		return 0;
	if (wt_keeper_start(&d->override_path, 1, &r->keeper, err))
		return err->code;
	d->keeper = r->keeper;
	return 0;
}

void wt_lib_grants_end(wasi_tofu_run *r)
{
	wt_keeper_stop(r->keeper);
	r->keeper = NULL;
	r->devask.keeper = NULL, r->devask.messages = NULL;
}
