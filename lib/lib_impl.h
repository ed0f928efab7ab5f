/* lib_impl.h: the inside of a wasi_tofu_run, shared by the library's files (never installed). */
#ifndef WT_LIB_IMPL_H
#define WT_LIB_IMPL_H

#include "devask.h"
#include "enforce.h"
#include "manifest.h"
#include "run.h"
#include "sha256.h"
#include "wasi-tofu/wasi-tofu.h"

/* A growing array of owned strings; NULL-terminated. */
typedef struct strv {
	char **v;
	int n, cap;
} strv;

/* wasi_tofu_run_project's: the project's files and the module's place in it. */
typedef struct wt_lib_project {
	char *file;	   /* the project file, absolute */
	char *manifests;   /* its manifests folder, absolute */
	char *ceilings[2]; /* the project's and the module's ceiling files, or NULL */
	char *rel;	   /* the module, project-relative: its name in messages and reports */
	char pin[WT_SHA256_HEX];
	wt_manifest *ceiling; /* both ceilings merged, or NULL */
	char *ceiling_name;
	int lent; /* the project file and the ceiling are the CLI's (wt_lib_loaded): not freed */
} wt_lib_project;

void wt_lib_project_free(wt_lib_project *p);
/* The module_read check of project mode: hex must be the project's pin. 0, or WT_DEVIATION
 * with err's message replaced by the project's. */
int wt_lib_project_pin(const struct wasi_tofu_run *r, const char *hex, wt_error *err);
/* The module_read check of project mode when the project's pin matched and the manifest's did
 * not: WT_DEVIATION, err saying the two files disagree. */
int wt_lib_project_disagree(const struct wasi_tofu_run *r, const char *hex, wt_error *err);

struct wasi_tofu_run {
	char *module_path; /* with bytes: the module's name */
	uint8_t *bytes;	   /* a module from memory (wasi_tofu_run_new_memory), or NULL */
	size_t size;
	strv argv, env, mount_hosts, mount_guests;
	wt_mount *mounts;
	char *cwd;
	wt_store_limits limits;
	double timeout;
	wt_tier tier; /* wasi_tofu_run_tier's */
	wt_wasi_fakes fakes;
	int stdio[3];
	wasi_tofu_output_fn output; /* wasi_tofu_run_output's, or NULL */
	void *output_data;
	wt_manifest *manifest; /* NULL: permissive */
	char *manifest_path;
	int manifest_is_file; /* manifest_path is a host file (the module may not see it) */
	wt_on_deviation mode;
	wt_enforce *enforce; /* the last run's, for its deviations */
	wt_run_result res;
	wasi_tofu_outcome outcome;
	char message[512];
	int changed;		      /* the module's sha256 is not the manifest's pin */
	wasi_tofu_policy_fn callback; /* wasi_tofu_run_policy's, or NULL */
	wasi_tofu_ask_fn ask;	      /* wasi_tofu_run_ask's, or NULL */
	void *ask_data;
	void *userdata;
	wt_policy callback_policy; /* the callback as the gate's policy */
	int callback_stopped;	   /* the callback said WASI_TOFU_VERDICT_STOP */
	char *journal_path;	   /* record mode (wasi_tofu_run_record), or NULL */
	uint64_t journal_max;
	int capped;	       /* the journal reached its cap: the run was stopped */
	struct wt_record *rec; /* the last record-mode run's, until the next run */
	int rec_rc;	       /* wt_record_finish's status */
	wt_error rec_err;
	const struct wt_lib_engine *engine; /* the CLI's (lib_cli.h), or NULL */
	unsigned use;			    /* WASI_TOFU_USE_* of the manifest */
	wt_manifest *override;		    /* WASI_TOFU_USE_OVERRIDE: the override file, or NULL */
	char *override_path;		    /* its path (it may not exist) */
	wt_devask devask;		    /* the manifest policy's mode and log, for the report */
	char sha256[WT_SHA256_HEX];	/* the module's (wasi_tofu_run_sha256), "" until known */
	uint8_t digest[WT_SHA256_SIZE]; /* a module from memory: its sha256, made once */
	char *report;			/* the last run's report (wasi_tofu_run_report), or NULL */
	wt_manifest *ceiling;		/* wasi_tofu_run_ceiling's, or NULL */
	char *ceiling_path;
	wt_lib_project *project; /* wasi_tofu_run_project's, or NULL */
	int notices;		 /* wasi_tofu_run_notices' fd, or -1 */
	FILE *notices_file;	 /* during a run: the notices' stream, or NULL */
	wt_keeper *keeper;	 /* during a confined one: the override file's keeper, or NULL */
};

/* The gate's policy that asks r's callback (policy.c). */
wt_policy wt_lib_callback_policy(wasi_tofu_run *r);

/* Makes d ask r's ask callback, when there is one (policy.c). */
void wt_lib_ask_settle(wasi_tofu_run *r, wt_devask *d);

/* During a run: the notices fd as a stream of its own (a dup: the host's fd is never closed),
 * r->notices_file (NULL without one); closed after it (grants.c). */
void wt_lib_notices_open(wasi_tofu_run *r);
void wt_lib_notices_close(wasi_tofu_run *r);

/* Before a run under the manifest with the policy made: what an allow-always grant needs (the
 * notices' stream, the keeper of a confined run); 0 or err's code (grants.c). */
int wt_lib_grants_begin(wasi_tofu_run *r, wt_error *err);
/* After it: the keeper stopped, the stream closed. */
void wt_lib_grants_end(wasi_tofu_run *r);

/* The policy files the CLI lent (loaded.c, lib_cli.h's wt_lib_loaded): 1 with *m the one
 * loaded from path (the manifest, the ceiling), 0 when none was lent for it. The override
 * file of the lent manifest (r->manifest): 1 with *override (NULL: it had none) and *path
 * (malloc'd), 0 when not lent, -1 when out of memory. */
int wt_lib_loaded_manifest(const wasi_tofu_run *r, const char *path, wt_manifest **m);
int wt_lib_loaded_override(const wasi_tofu_run *r, wt_manifest **override, char **path);
int wt_lib_loaded_ceiling(const wasi_tofu_run *r, const char *path, wt_manifest **c);
/* The project file the CLI loaded from path (then its module's ceiling is lent too:
 * wt_lib_loaded_project_ceiling), or NULL. */
struct wt_project;
const struct wt_project *wt_lib_loaded_project(const wasi_tofu_run *r, const char *path);
/* The lent ceiling into p (p->lent set), with a copy of its name; 0 or -1 out of memory. */
int wt_lib_loaded_project_ceiling(const wasi_tofu_run *r, wt_lib_project *p);
/* Frees m unless the CLI lent it. */
void wt_lib_manifest_free(const wasi_tofu_run *r, wt_manifest *m);

/* Back to the permissive policy: the manifest, the callback, record mode dropped. */
void wt_lib_drop_policy(wasi_tofu_run *r);

/* What one exec adds to the configuration for the manifest's settings (settings.c). */
typedef struct wt_lib_extra {
	wt_mount *mounts; /* the manifest's, then the run's */
	char **hosts;	  /* the manifest's mount hosts, resolved */
	size_t nhosts;
	const char **env; /* the run's variables, filtered */
} wt_lib_extra;

/* The manifest's mounts, limits, fakes and cwd into cfg (before the policy is made). */
int wt_lib_settings_before(wasi_tofu_run *r, wt_run_config *cfg, wt_lib_extra *x);
/* Its env filter, with the policy made. */
int wt_lib_settings_after(wasi_tofu_run *r, wt_run_config *cfg, wt_lib_extra *x);
void wt_lib_extra_fini(wt_lib_extra *x);

/* Before a run under the manifest: a new deviation log (report.c). */
int wt_lib_report_begin(wasi_tofu_run *r);
/* After it: the report of the run that gave STATUS. */
void wt_lib_report_end(wasi_tofu_run *r, int status);
/* Frees the log and the report. */
void wt_lib_report_fini(wasi_tofu_run *r);

/* Runs cfg in record mode (record.c) into r->res. 0, or a status with the message in r. */
int wt_lib_record_run(wasi_tofu_run *r, wt_run_config *cfg);
/* The module_read hook of record mode: the journal's header. */
int wt_lib_record_read(wasi_tofu_run *r, const char *path, const uint8_t *bytes, size_t size,
		       const uint8_t sha256[32], wt_error *err);

#endif
