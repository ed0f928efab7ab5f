/* fuzz_text.c: hostile manifest and journal text through the readers, enforce, generate and
 * emit, checking their promises; shared by the libFuzzer harnesses and the text mutation test. */
#include "fuzz_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enforce.h"
#include "generate.h"
#include "journal.h"
#include "manifest.h"

/* The input being checked, for messages. */
typedef struct input {
	const char *text;
	size_t size;
	const char *what; /* "manifest", "override file", ... */
} input;

static void broken(const input *in, const char *stage, const char *detail)
{
	fprintf(stderr, "fuzz: broken promise on a %zu-byte %s: %s: %s\n", in->size, in->what,
		stage, detail);
	abort();
}

static int eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* A failed step: its status is err's, a known one with a message; WT_MALFORMED
 * with a line:column inside the text when located says it must be. */
static void check_failure(const input *in, const char *stage, int rc, const wt_error *err,
			  int located)
{
	if (rc != (int)err->code)
		broken(in, stage, "returned status differs from the error's");
	if (err->code != WT_MALFORMED && err->code != WT_INVALID && err->code != WT_NOMEM)
		broken(in, stage, err->msg[0] ? err->msg : "unexpected status");
	if (!err->msg[0])
		broken(in, stage, "error without a message");
	if (!located || err->code == WT_NOMEM)
		return;
	if (err->code != WT_MALFORMED)
		broken(in, stage, "a reading error that is not WT_MALFORMED");
	/* libyaml counts a line after a last one without its break */
	if (err->line < 1 || err->column < 1 || err->line > in->size + 2 ||
	    err->column > in->size + 2)
		broken(in, stage, "error without a line:column inside the text");
}

static void on_warning(void *ctx, unsigned line, unsigned column, const char *text)
{
	const input *in = ctx;

	if (line < 1 || column < 1 || line > in->size + 2 || !text || !*text)
		broken(in, "warning", "without a line:column or a text");
}

/* ---- manifests ---- */

static void same_strings(const input *in, const char *what, const char *const *a, size_t na,
			 const char *const *b, size_t nb)
{
	if (na != nb)
		broken(in, "round trip", what);
	for (size_t i = 0; i < na; i++)
		if (!eq(a[i], b[i]))
			broken(in, "round trip", what);
}

static void same_rules(const input *in, const char *what, const wt_mrule *a, size_t na,
		       const wt_mrule *b, size_t nb)
{
	if (na != nb)
		broken(in, "round trip", what);
	for (size_t i = 0; i < na; i++)
		if (!eq(a[i].pattern, b[i].pattern) || a[i].rights != b[i].rights ||
		    !eq(a[i].comment, b[i].comment))
			broken(in, "round trip", what);
}

/* What emit writes and load reads back: the same, field by field. */
static void same_manifest(const input *in, const wt_manifest *a, const wt_manifest *b)
{
	same_strings(in, "header", a->header, a->nheader, b->header, b->nheader);
	if (a->nmounts != b->nmounts)
		broken(in, "round trip", "mounts");
	for (size_t i = 0; i < a->nmounts; i++)
		if (!eq(a->mounts[i].guest, b->mounts[i].guest) ||
		    !eq(a->mounts[i].host, b->mounts[i].host) ||
		    a->mounts[i].readonly != b->mounts[i].readonly)
			broken(in, "round trip", "mounts");
	same_rules(in, "files", a->files, a->nfiles, b->files, b->nfiles);
	same_rules(in, "deny", a->deny, a->ndeny, b->deny, b->ndeny);
	same_strings(in, "absent", a->absent, a->nabsent, b->absent, b->nabsent);
	same_strings(in, "env", a->env, a->nenv, b->env, b->nenv);
	same_strings(in, "sockets", a->sockets, a->nsockets, b->sockets, b->nsockets);
	if (!eq(a->cwd, b->cwd) || !eq(a->module_name, b->module_name) ||
	    strcmp(a->sha256, b->sha256) || a->random != b->random || a->stdio != b->stdio ||
	    a->on_deviation != b->on_deviation || a->nexit_codes != b->nexit_codes ||
	    memcmp(&a->limits, &b->limits, sizeof a->limits))
		broken(in, "round trip", "module, cwd, random, stdio, exit codes or limits");
}

/* Emits m, loads the text back as kind: it must load, emit the same bytes and hold the same. */
static void round_trip(const input *in, const wt_manifest *m, wt_manifest_kind kind)
{
	wt_manifest *back = NULL;
	char *t1 = NULL, *t2 = NULL;
	size_t l1, l2;
	wt_error err;
	int rc;

	wt_error_init(&err);
	if ((rc = wt_manifest_emit(m, &t1, &l1, &err)) != 0) {
		check_failure(in, "emit", rc, &err, 0);
		if (err.code != WT_NOMEM)
			broken(in, "emit",
			       err.msg); /* loaded strings are UTF-8: emit can write them */
		return;
	}
	wt_error_init(&err);
	if ((rc = wt_manifest_load_kind(kind, t1, l1, "emitted", &back, NULL, NULL, &err)) != 0) {
		if (err.code != WT_NOMEM) {
			fprintf(stderr, "%u:%u: %s\n%s\n", err.line, err.column, err.msg, t1);
			broken(in, "reload", "the emitted text does not load");
		}
	} else {
		same_manifest(in, m, back);
		if (wt_manifest_emit(back, &t2, &l2, &err) == 0 &&
		    (l1 != l2 || memcmp(t1, t2, l1) != 0))
			broken(in, "round trip",
			       "emitting the reloaded manifest gives other bytes");
	}
	free(t1);
	free(t2);
	wt_manifest_free(back);
}

static wt_event file_event(wt_wasi_call call, const char *path, uint32_t rights)
{
	wt_event ev;

	memset(&ev, 0, sizeof ev);
	ev.call = call;
	ev.fd = 3;
	ev.fd_path = "/src";
	ev.path = path;
	ev.path_len = (uint32_t)strlen(path);
	ev.rights = rights;
	ev.new_fd = -1;
	return ev;
}

/* A few calls through the policy built from m (in its place for kind). */
static void use_policy(const input *in, const wt_manifest *m, wt_manifest_kind kind)
{
	static const char *const argv[] = {"m.wasm", "in.txt", "/out/x", "/"};
	static const char *const paths[] = {"/src/in.txt", "/src/a/b.c", "/out/x/y.o", "/", "/src"};
	wt_manifest *base = wt_manifest_new();
	wt_enforce_config cfg = {.manifest = kind == WT_MANIFEST_FULL ? m : base,
				 .override = kind == WT_MANIFEST_OVERRIDE ? m : NULL,
				 .ceiling = kind == WT_MANIFEST_CEILING ? m : NULL,
				 .manifest_name = "fuzz.yaml",
				 .argc = 4,
				 .argv = argv,
				 .cwd = "/src",
				 .mode = WT_ON_DEV_DENY};
	wt_enforce *e = NULL;
	wt_error err;
	int rc;

	if (!base)
		return;
	wt_error_init(&err);
	if ((rc = wt_enforce_new(&cfg, &e, &err)) != 0) {
		if (rc != WT_DEVIATION)
			check_failure(in, "enforce", rc, &err, 0);
	} else {
		for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
			wt_event ev = file_event(WT_WASI_path_open, paths[i], WT_RIGHT_READ);

			wt_enforce_decide(e, &ev);
			ev = file_event(WT_WASI_path_rename, paths[i], WT_RIGHT_DELETE);
			ev.path2 = "/out/new", ev.path2_len = 8;
			wt_enforce_decide(e, &ev);
		}
		wt_enforce_env_allowed(e, "HOME", 4);
	}
	wt_enforce_free(e);
	wt_manifest_free(base);
}

wt_fuzz_text_outcome wt_fuzz_manifest_one(const uint8_t *bytes, size_t size)
{
	static const char *const what[] = {"manifest", "override file", "ceiling"};
	wt_fuzz_text_outcome out = WT_FUZZ_TEXT_REJECTED;

	for (int kind = WT_MANIFEST_FULL; kind <= WT_MANIFEST_CEILING; kind++) {
		input in = {(const char *)bytes, size, what[kind]};
		wt_manifest *m = NULL;
		wt_error err;
		int rc;

		wt_error_init(&err);
		rc = wt_manifest_load_kind((wt_manifest_kind)kind, in.text, size, "fuzz.yaml", &m,
					   on_warning, &in, &err);
		if (rc != 0) {
			check_failure(&in, "load", rc, &err, 1);
			if (m)
				broken(&in, "load", "a failed load left a manifest");
			continue;
		}
		out = WT_FUZZ_TEXT_READ;
		use_policy(&in, m, (wt_manifest_kind)kind);
		round_trip(&in, m, (wt_manifest_kind)kind);
		wt_manifest_free(m);
	}
	return out;
}

/* ---- journals ---- */

static void check_journal_error(const input *in, int rc, const wt_error *err)
{
	size_t lines = 1;

	check_failure(in, "read", rc, err, 1);
	for (size_t i = 0; i < in->size; i++)
		lines += in->text[i] == '\n';
	if (err->code == WT_MALFORMED && err->line > lines)
		broken(in, "read", "error line past the last line");
}

/* Generates from j (as a run of `generate`), emits, loads back, emits again. */
static void generate_from(const input *in, const wt_journal *j, wt_gen_granularity g)
{
	const wt_journal_header *h = &j->header;
	wt_gen_run run = {.argc = h->argc,
			  .argv = h->argv,
			  .cwd = h->cwd,
			  .nmounts = h->nmounts,
			  .mounts = h->mounts,
			  .nenv = h->nenv,
			  .env_names = h->env_names,
			  .module_name = "m.wasm",
			  .sha256 = h->sha256,
			  .tool_version = h->tool_version,
			  .has_exit = j->end.how == WT_JOURNAL_EXIT,
			  .exit_code = (int32_t)j->end.exit_code,
			  .events = j->ncalls ? &j->calls[0].ev : NULL,
			  .nevents = j->ncalls,
			  .stride = sizeof(wt_journal_call),
			  .fakes = h->fakes};
	wt_gen_options opt = {.granularity = g};
	wt_manifest *m = NULL, *back = NULL;
	char *t1 = NULL, *t2 = NULL;
	size_t l1, l2;
	wt_error err;
	int rc;

	wt_error_init(&err);
	if ((rc = wt_generate(&run, 1, &opt, &m, &err)) != 0) {
		check_failure(in, "generate", rc, &err, 0);
		return;
	}
	wt_error_init(&err);
	if ((rc = wt_manifest_emit(m, &t1, &l1, &err)) != 0) {
		check_failure(in, "emit", rc, &err, 0); /* a path that is not UTF-8 */
	} else if ((rc = wt_manifest_load(t1, l1, "generated", &back, NULL, NULL, &err)) != 0) {
		if (err.code != WT_NOMEM) {
			fprintf(stderr, "%u:%u: %s\n%s\n", err.line, err.column, err.msg, t1);
			broken(in, "generate", "the generated manifest does not load");
		}
	} else if (wt_manifest_emit(back, &t2, &l2, &err) == 0 &&
		   (l1 != l2 || memcmp(t1, t2, l1) != 0)) {
		broken(in, "generate", "the generated manifest, read back, emits other bytes");
	}
	free(t1);
	free(t2);
	wt_manifest_free(back);
	wt_manifest_free(m);
}

wt_fuzz_text_outcome wt_fuzz_journal_one(const uint8_t *bytes, size_t size)
{
	input in = {(const char *)bytes, size, "journal"};
	wt_journal *j = NULL;
	wt_error err;
	int rc;

	wt_error_init(&err);
	if ((rc = wt_journal_parse(in.text, size, &j, &err)) != 0) {
		check_journal_error(&in, rc, &err);
		if (j)
			broken(&in, "read", "a failed read left a journal");
		return WT_FUZZ_TEXT_REJECTED;
	}
	if (j->header.version < 1 || j->header.version > WT_JOURNAL_VERSION ||
	    (j->ncalls && !j->calls))
		broken(&in, "read", "a journal without its header or calls");
	generate_from(&in, j, WT_GEN_DIR);
	generate_from(&in, j, WT_GEN_TREE);
	wt_journal_free(j);
	return WT_FUZZ_TEXT_READ;
}
