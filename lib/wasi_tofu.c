/* wasi_tofu.c: the public API (include/wasi-tofu/wasi-tofu.h): a run object that gathers the
 * configuration, then runs the module through wt_run, with the manifest's policy when one is
 * given. No global state: everything lives in the run object. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "enforce.h"
#include "error.h"
#include "escape.h"
#include "grow.h"
#include "manifest.h"
#include "sha256.h"
#include "lib_cli.h"
#include "lib_impl.h"
#include "record.h"

#define WT_EXIT_TRAP 134 /* as the CLI: a shell's status for SIGABRT */

static int strv_push(strv *s, const char *text)
{
	char *copy;

	if (!text)
		return WASI_TOFU_EUSAGE;
	if (s->n + 2 > s->cap) {
		size_t cap =
		    wt_grow_cap((size_t)s->cap, (size_t)s->n + 2, sizeof *s->v, 8, INT_MAX);
		char **v = wt_grow_realloc(s->v, cap, sizeof *v);
		if (!v)
			return WASI_TOFU_EINTERNAL;
		s->v = v, s->cap = (int)cap;
	}
	if (!(copy = strdup(text)))
		return WASI_TOFU_EINTERNAL;
	s->v[s->n++] = copy;
	s->v[s->n] = NULL;
	return WASI_TOFU_OK;
}

static void strv_fini(strv *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

const char *wasi_tofu_version(void)
{
	return WASI_TOFU_VERSION;
}

size_t wasi_tofu_escape(const char *text, char *out, size_t size)
{
	return wt_escape_for_terminal(text ? text : "", text ? strlen(text) : 0, out, size);
}

wasi_tofu_run *wasi_tofu_run_new(const char *module_path)
{
	wasi_tofu_run *r = module_path ? calloc(1, sizeof *r) : NULL;

	if (!r)
		return NULL;
	r->stdio[1] = 1, r->stdio[2] = 2, r->notices = -1;
	if (!(r->module_path = strdup(module_path)) || strv_push(&r->argv, module_path)) {
		wasi_tofu_run_free(r);
		return NULL;
	}
	return r;
}

wasi_tofu_run *wt_lib_run_new_hashed(const void *bytes, size_t size, const char *name,
				     const uint8_t digest[WT_SHA256_SIZE])
{
	wasi_tofu_run *r = bytes ? wasi_tofu_run_new(name ? name : "module.wasm") : NULL;

	if (r && !(r->bytes = malloc(size ? size : 1))) {
		wasi_tofu_run_free(r);
		return NULL;
	}
	if (r) {
		memcpy(r->bytes, bytes, size), r->size = size;
		if (digest) /* the caller's, of these bytes */
			memcpy(r->digest, digest, sizeof r->digest);
		else /* once: every run takes it (module_sha256) */
			wt_sha256(r->bytes, size, r->digest);
		wt_sha256_hex(r->digest, r->sha256);
	}
	return r;
}

wasi_tofu_run *wasi_tofu_run_new_memory(const void *bytes, size_t size, const char *name)
{
	return wt_lib_run_new_hashed(bytes, size, name, NULL);
}

void wasi_tofu_run_free(wasi_tofu_run *r)
{
	if (!r)
		return;
	strv_fini(&r->argv), strv_fini(&r->env);
	strv_fini(&r->mount_hosts), strv_fini(&r->mount_guests);
	free(r->mounts);
	free(r->module_path), free(r->bytes), free(r->cwd);
	wt_lib_drop_policy(r);
	wt_lib_manifest_free(r, r->ceiling), free(r->ceiling_path);
	wt_lib_report_fini(r);
	wt_record_free(r->rec);
	wt_enforce_free(r->enforce);
	free(r);
}

int wasi_tofu_run_mount(wasi_tofu_run *r, const char *host, const char *guest, int read_only)
{
	WT_API_CHECK(r != NULL);
	wt_mount *m;
	int status;

	if (!host || !guest || guest[0] != '/')
		return WASI_TOFU_EUSAGE;
	m = wt_grow_realloc(r->mounts, (size_t)r->mount_hosts.n + 1, sizeof *m);
	if (!m)
		return WASI_TOFU_EINTERNAL;
	r->mounts = m;
	if ((status = strv_push(&r->mount_hosts, host)))
		return status;
	if ((status = strv_push(&r->mount_guests, guest))) {
		free(r->mount_hosts.v[--r->mount_hosts.n]);
		r->mount_hosts.v[r->mount_hosts.n] = NULL;
		return status;
	}
	m[r->mount_hosts.n - 1].readonly = read_only != 0;
	return WASI_TOFU_OK;
}

int wasi_tofu_run_arg(wasi_tofu_run *r, const char *arg)
{
	WT_API_CHECK(r != NULL);
	return strv_push(&r->argv, arg);
}

int wasi_tofu_run_env(wasi_tofu_run *r, const char *name, const char *value)
{
	WT_API_CHECK(r != NULL);
	size_t n = name ? strlen(name) : 0, v = value ? strlen(value) : 0;
	char *pair;
	int status;

	if (!n || !value || strchr(name, '='))
		return WASI_TOFU_EUSAGE;
	if (!(pair = malloc(n + v + 2)))
		return WASI_TOFU_EINTERNAL;
	memcpy(pair, name, n), pair[n] = '=', memcpy(pair + n + 1, value, v + 1);
	status = strv_push(&r->env, pair);
	free(pair);
	return status;
}

int wasi_tofu_run_cwd(wasi_tofu_run *r, const char *guest)
{
	WT_API_CHECK(r != NULL);
	char *copy;

	if (!guest || guest[0] != '/')
		return WASI_TOFU_EUSAGE;
	if (!(copy = strdup(guest)))
		return WASI_TOFU_EINTERNAL;
	free(r->cwd);
	r->cwd = copy;
	return WASI_TOFU_OK;
}

void wasi_tofu_run_limits(wasi_tofu_run *r, uint64_t fuel, uint64_t max_memory, double timeout)
{
	WT_API_CHECK(r != NULL);
	r->limits.fuel = fuel;
	r->limits.max_memory = max_memory;
	r->timeout = timeout > 0 ? timeout : 0;
}

void wasi_tofu_run_fakes(wasi_tofu_run *r, int fake_clocks, int fake_random, uint64_t seed)
{
	WT_API_CHECK(r != NULL);
	r->fakes = (wt_wasi_fakes){
	    .fake_clocks = fake_clocks != 0, .fake_random = fake_random != 0, .random_seed = seed};
}

void wasi_tofu_run_stdio(wasi_tofu_run *r, int in, int out, int err)
{
	WT_API_CHECK(r != NULL);
	r->stdio[0] = in, r->stdio[1] = out, r->stdio[2] = err;
}

void wasi_tofu_run_output(wasi_tofu_run *r, wasi_tofu_output_fn callback, void *userdata)
{
	WT_API_CHECK(r != NULL);
	r->output = callback, r->output_data = userdata;
}

/* The WASI host's stdio_write: the host's output callback. */
static int output(void *ctx, int stream, const void *bytes, size_t len)
{
	const wasi_tofu_run *r = ctx;

	return r->output(stream, bytes, len, r->output_data);
}

/* Loads a manifest from the file NAME (text NULL) or from text[0..len), and makes it the run's;
 * on failure the run keeps the manifest it had. */
static int load_manifest(wasi_tofu_run *r, const char *text, size_t len, const char *name,
			 wasi_tofu_on_deviation mode)
{
	static const wt_on_deviation modes[] = {WT_ON_DEV_FAIL, WT_ON_DEV_DENY, WT_ON_DEV_HIDE,
						WT_ON_DEV_WARN};
	wt_manifest *m = NULL;
	wt_error err;
	char *copy;
	int rc;

	if (!name || (unsigned)mode > WASI_TOFU_WARN)
		return WASI_TOFU_EUSAGE;
	wt_error_init(&err);
	rc = text ? wt_manifest_load(text, len, name, &m, NULL, NULL, &err)
	     : wt_lib_loaded_manifest(r, name, &m)
		 ? 0 /* the CLI's: not read again */
		 : wt_manifest_load_file(name, &m, NULL, NULL, &err);
	if (rc) {
		wt_error_format(&err, name, r->message, sizeof r->message);
		return wt_status_exit(err.code);
	}
	if (!(copy = strdup(name))) {
		wt_lib_manifest_free(r, m);
		return WASI_TOFU_EINTERNAL;
	}
	wt_lib_drop_policy(r);
	r->manifest = m, r->manifest_path = copy, r->mode = modes[mode];
	r->manifest_is_file = text == NULL;
	return WASI_TOFU_OK;
}

int wasi_tofu_run_manifest(wasi_tofu_run *r, const char *path, wasi_tofu_on_deviation mode)
{
	WT_API_CHECK(r != NULL);
	return load_manifest(r, NULL, 0, path, mode);
}

int wasi_tofu_run_manifest_text(wasi_tofu_run *r, const char *text, size_t len, const char *name,
				wasi_tofu_on_deviation mode)
{
	WT_API_CHECK(r != NULL);
	return text ? load_manifest(r, text, len, name, mode) : WASI_TOFU_EUSAGE;
}

/* The module_read hook: the bytes about to run (their sha256 is hex) must have the manifest's. */
static int check_pin(wasi_tofu_run *r, const char *path, const char *hex, wt_error *err)
{
	int rc;

	rc = wt_manifest_pin_check(r->manifest, r->manifest_path, path, hex, err);
	r->changed = rc != 0;
	if (wt_lib_project_pin(r, hex, err)) /* the project's word first: it names both hashes */
		rc = err->code, r->changed = 1;
	else if (rc &&
		 r->project) /* the project's pin matched: its file and the manifest disagree */
		rc = wt_lib_project_disagree(r, hex, err), r->changed = 0;
	return rc;
}

/* The run's hooks: the pin (a manifest), the journal's header (record mode), then the CLI's. */
static int on_module_read(void *ctx, const char *path, const uint8_t *bytes, size_t size,
			  const uint8_t sha256[32], wt_error *err)
{
	wasi_tofu_run *r = ctx;
	const wt_run_hooks *h = r->engine ? r->engine->hooks : NULL;
	int rc;

	wt_sha256_hex(sha256, r->sha256); /* the run's one digest of the module */
	rc = r->manifest ? check_pin(r, path, r->sha256, err)
	     : r->rec	 ? wt_lib_record_read(r, path, bytes, size, sha256, err)
			 : 0;

	if (rc == 0 && h && h->module_read)
		rc = h->module_read(h->ctx, path, bytes, size, sha256, err);
	return rc;
}

static void on_store(void *ctx, wt_store *s)
{
	wasi_tofu_run *r = ctx;
	const wt_run_hooks *h = r->engine ? r->engine->hooks : NULL;

	if (r->rec)
		wt_record_store(r->rec, s);
	if (h && h->store)
		h->store(h->ctx, s);
}

void wt_lib_run_engine(wasi_tofu_run *r, const wt_lib_engine *e)
{
	r->engine = e;
}

const wt_run_result *wt_lib_run_result(const wasi_tofu_run *r)
{
	return &r->res;
}

const wt_enforce *wt_lib_run_enforce(const wasi_tofu_run *r)
{
	return r->enforce;
}

const wt_devlog *wt_lib_run_devlog(const wasi_tofu_run *r)
{
	return r->enforce ? r->devask.log : NULL;
}

/* A failure before the module runs (the policy cannot be made): the engine's result says it as
 * a failed run would, for the CLI's message; the status. */
static int fail_before(wasi_tofu_run *r, const wt_error *err)
{
	memset(&r->res, 0, sizeof r->res);
	r->res.outcome = WT_RUN_FAILED, r->res.err = *err;
	wt_error_format(err, NULL, r->message, sizeof r->message);
	r->outcome = err->code == WT_DEVIATION ? WASI_TOFU_STOPPED : WASI_TOFU_FAILED;
	return wt_status_exit(err->code);
}

/* The manifest's policy for the run cfg describes. */
static int make_enforce(wasi_tofu_run *r, const wt_wasi_config *w)
{
	const wt_lib_project *p = r->ceiling ? NULL : r->project;
	wt_enforce_config cfg = {.manifest = r->manifest,
				 .override = r->override,
				 .ceiling = p ? p->ceiling : r->ceiling,
				 .manifest_name = r->manifest_path,
				 .override_name = r->override_path,
				 .ceiling_name = p ? p->ceiling_name : r->ceiling_path,
				 .argc = w->argc,
				 .argv = w->argv,
				 .cwd = w->cwd,
				 .mode = r->mode,
				 .devask = &r->devask,
				 .mounts = w->mounts,
				 .nmounts = w->nmounts};
	wt_error err;

	wt_enforce_free(r->enforce);
	r->enforce = NULL;
	wt_error_init(&err);
	if (wt_enforce_new(&cfg, &r->enforce, &err) == 0) {
		if (wt_lib_grants_begin(r, &err) == 0)
			return WASI_TOFU_OK;
		wt_enforce_free(r->enforce);
		r->enforce = NULL;
	}
	return fail_before(r, &err);
}

/* The outcome as the CLI's exit status (docs/cli.md, "Exit status"), the message kept. */
static int finish(wasi_tofu_run *r)
{
	const wt_run_result *res = &r->res;

	if (r->capped) { /* the journal's cap stopped it, as the CLI's record */
		r->outcome = WASI_TOFU_STOPPED;
		snprintf(r->message, sizeof r->message,
			 "%s reached the journal's cap of %llu bytes: the run was stopped",
			 r->journal_path, (unsigned long long)r->journal_max);
		return WASI_TOFU_EIO;
	}
	if (r->callback_stopped) {
		r->outcome = WASI_TOFU_STOPPED;
		if (res->outcome == WT_RUN_TRAPPED)
			wt_trap_format(&res->trap, r->message, sizeof r->message);
		return WASI_TOFU_EDEVIATION;
	}
	if (r->enforce && wt_enforce_stopped(r->enforce)) {
		r->outcome = WASI_TOFU_STOPPED;
		return WASI_TOFU_EDEVIATION;
	}
	switch (res->outcome) {
	case WT_RUN_EXITED:
		r->outcome = WASI_TOFU_EXITED;
		if (res->exit_code <= 255)
			return (int)res->exit_code;
		return (res->exit_code & 0xff) ? (int)(res->exit_code & 0xff) : 1;
	case WT_RUN_TRAPPED:
		r->outcome = WASI_TOFU_TRAPPED;
		wt_trap_format(&res->trap, r->message, sizeof r->message);
		return res->trap.kind == WT_TRAP_SIGNAL ? 128 + res->trap.exit_code : WT_EXIT_TRAP;
	case WT_RUN_FAILED:
		break;
	}
	r->outcome = r->changed ? WASI_TOFU_STOPPED : WASI_TOFU_FAILED;
	wt_error_format(&res->err, res->err_in_module ? r->module_path : NULL, r->message,
			sizeof r->message);
	return wt_status_exit(res->err.code ? res->err.code : WT_INTERNAL);
}

enum { MAX_PROTECT = 32 };

/* The policy's files, out of the module's reach (the CLI's too); returns how many. */
static int protected_files(const wasi_tofu_run *r, const char *out[MAX_PROTECT])
{
	const char *files[4] = {r->manifest_is_file ? r->manifest_path : NULL, r->override_path,
				r->ceiling_path, r->journal_path};
	int n = 0;

	const wt_lib_project *p = r->project;
	const char *pfiles[4] = {p ? p->file : NULL, p ? p->manifests : NULL,
				 p ? p->ceilings[0] : NULL, p ? p->ceilings[1] : NULL};

	for (int i = 0; i < 4; i++) {
		if (files[i])
			out[n++] = files[i];
		if (pfiles[i])
			out[n++] = pfiles[i];
	}
	for (int i = 0; r->engine && i < r->engine->nprotect && n < MAX_PROTECT; i++)
		out[n++] = r->engine->protect[i];
	return n;
}

/* The CLI's engine settings (lib_cli.h). */
static void apply_engine(const wt_lib_engine *e, wt_run_config *cfg)
{
	if (!e)
		return;
	cfg->confine = e->confine;
	cfg->wasi.trace_imports = e->trace_imports;
	cfg->wasi.trace_fd = e->trace_fd;
	cfg->wasi.contain = e->contain;
	cfg->no_cache = e->no_cache;
	cfg->cache_max_set = e->cache_max_set, cfg->cache_max = e->cache_max;
}

/* Runs cfg under the run's policy into r->res; 0 or the status of a failure before it. */
static int run_with_policy(wasi_tofu_run *r, wt_run_config *cfg)
{
	wt_lib_extra x = {0};
	wt_policy policy;
	int status;

	wt_lib_notices_open(r);
	cfg->notes = r->notices_file; /* the engine's notes: the code cache's */
	if ((status = wt_lib_settings_before(r, cfg, &x)) == 0 && r->manifest &&
	    (status = wt_lib_report_begin(r)) == 0 && (status = make_enforce(r, &cfg->wasi)) == 0) {
		policy = wt_enforce_policy(r->enforce);
		cfg->wasi.policy = &policy;
		status = wt_lib_settings_after(r, cfg, &x);
	} else if (status == 0 && r->callback) {
		policy = wt_lib_callback_policy(r);
		cfg->wasi.policy = &policy;
	}
	if (status == 0 && r->journal_path)
		status = wt_lib_record_run(r, cfg);
	else if (status == 0)
		wt_run(cfg, &r->res);
	wt_lib_grants_end(r);
	wt_lib_notices_close(r);
	wt_lib_extra_fini(&x);
	if (status && r->outcome == WASI_TOFU_NOT_RUN)
		r->outcome = WASI_TOFU_FAILED;
	return status;
}

int wasi_tofu_run_exec(wasi_tofu_run *r)
{
	WT_API_CHECK(r != NULL);
	wt_run_hooks hooks = {.ctx = r, .module_read = on_module_read, .store = on_store};
	wt_run_config cfg = {.module_path = r->module_path,
			     .module_bytes = r->bytes,
			     .module_size = r->size,
			     .module_sha256 = r->bytes ? r->digest : NULL,
			     .limits = r->limits,
			     .timeout = r->timeout,
			     .tier = r->tier,
			     .hooks = &hooks};
	const char *protect[MAX_PROTECT];
	int status;

	r->message[0] = '\0', r->changed = 0, r->outcome = WASI_TOFU_NOT_RUN;
	r->callback_stopped = 0, r->capped = 0;
	if (!r->bytes)
		r->sha256[0] = '\0';
	wt_enforce_free(r->enforce);
	r->enforce = NULL;
	wt_lib_report_fini(r);
	wt_record_free(r->rec);
	r->rec = NULL, r->rec_rc = 0;
	for (int i = 0; i < r->mount_hosts.n; i++) {
		r->mounts[i].host = r->mount_hosts.v[i];
		r->mounts[i].guest = r->mount_guests.v[i];
	}
	cfg.wasi = (wt_wasi_config){.argc = r->argv.n,
				    .argv = (const char *const *)r->argv.v,
				    .nenv = r->env.n,
				    .env = (const char *const *)r->env.v,
				    .nmounts = r->mount_hosts.n,
				    .mounts = r->mounts,
				    .cwd = r->cwd ? r->cwd : "/",
				    .stdio_fds = {r->stdio[0], r->stdio[1], r->stdio[2]},
				    .stdio_write = r->output ? output : NULL,
				    .stdio_ctx = r,
				    .fakes = r->fakes,
				    .protect = protect,
				    .nprotect = protected_files(r, protect)};
	apply_engine(r->engine, &cfg);
	if ((status = run_with_policy(r, &cfg)))
		return status;
	status = finish(r);
	if (r->manifest)
		wt_lib_report_end(r, status);
	return status;
}

wasi_tofu_outcome wasi_tofu_run_outcome(const wasi_tofu_run *r)
{
	WT_API_CHECK(r != NULL);
	return r->outcome;
}

uint32_t wasi_tofu_run_exit_code(const wasi_tofu_run *r)
{
	WT_API_CHECK(r != NULL);
	return r->outcome == WASI_TOFU_EXITED ? r->res.exit_code : 0;
}

const char *wasi_tofu_run_sha256(const wasi_tofu_run *r)
{
	WT_API_CHECK(r != NULL);
	return r->sha256[0] ? r->sha256 : NULL;
}

const char *wasi_tofu_run_message(const wasi_tofu_run *r)
{
	WT_API_CHECK(r != NULL);
	return r->message;
}

size_t wasi_tofu_run_deviation_count(const wasi_tofu_run *r)
{
	WT_API_CHECK(r != NULL);
	return r->enforce ? wt_enforce_count(r->enforce) : 0;
}

static const wt_deviation *deviation(const wasi_tofu_run *r, size_t i)
{
	return i < wasi_tofu_run_deviation_count(r) ? wt_enforce_get(r->enforce, i) : NULL;
}

const char *wasi_tofu_deviation_call(const wasi_tofu_run *r, size_t i)
{
	const wt_deviation *d = deviation(r, i);
	return d ? wt_wasi_call_name(d->call) : NULL;
}

const char *wasi_tofu_deviation_path(const wasi_tofu_run *r, size_t i)
{
	const wt_deviation *d = deviation(r, i);
	return d ? (d->path ? d->path : d->what) : NULL;
}

const char *wasi_tofu_deviation_fix(const wasi_tofu_run *r, size_t i)
{
	const wt_deviation *d = deviation(r, i);
	return d ? d->fix : NULL;
}

unsigned long wasi_tofu_deviation_count(const wasi_tofu_run *r, size_t i)
{
	WT_API_CHECK(r != NULL);
	const wt_deviation *d = deviation(r, i);
	return d ? d->count : 0;
}
