/* run.c: the command loop: runs each command of a spec script and judges its outcome. */
#include "run.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "modules.h"
#include "value.h"

typedef enum { PASS, FAIL, SKIP } outcome;

/* The outcome of one action: returned values, or a trap. */
typedef struct action_result {
	int trapped;
	wt_trap trap;
	uint32_t n;
	uint8_t *types;
	wt_slot *vals; /* the results' slots: two for a v128 (low first), one otherwise */
} action_result;

typedef struct runner {
	const wt_spec_options *opt;
	wt_spec_modules mods;
	const wt_spec_cmd *cmd;
} runner;

/* Prints "NAME.wast:LINE: COMMAND: " and the message; returns FAIL. */
static outcome fail(runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static outcome fail(runner *r, const char *fmt, ...)
{
	va_list ap;
	fprintf(r->opt->out, "%s.wast:%u: %s: ", r->opt->name, r->cmd->line,
		wt_spec_cmd_name(r->cmd->kind));
	va_start(ap, fmt);
	vfprintf(r->opt->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->opt->out);
	return FAIL;
}

static void note(runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(runner *r, const char *fmt, ...)
{
	va_list ap;
	if (!r->opt->verbose)
		return;
	fprintf(r->opt->out, "%s.wast:%u: note: %s: ", r->opt->name, r->cmd->line,
		wt_spec_cmd_name(r->cmd->kind));
	va_start(ap, fmt);
	vfprintf(r->opt->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->opt->out);
}

/* Writes s into buf as printable text, escaping quotes and non-ASCII bytes. */
static void quote(wt_spec_str s, char *buf, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < s.len && o + 5 < size; i++) {
		unsigned char c = (unsigned char)s.s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, size - o, "\\%02x", c);
	}
	buf[o] = 0;
}

/* "invoke $M "f"(i32:1, f32:0x...)" for messages. */
static void format_action(const wt_spec_action *a, char *buf, size_t size)
{
	char field[128];
	quote(a->field, field, sizeof field);
	int o = snprintf(buf, size, "%s %s%s\"%s\"", a->is_get ? "get" : "invoke",
			 a->module.s ? a->module.s : "", a->module.s ? " " : "", field);
	if (a->is_get || o < 0 || (size_t)o >= size)
		return;
	o += snprintf(buf + o, size - (size_t)o, "(");
	for (uint32_t i = 0; i < a->nargs && (size_t)o < size; i++) {
		char v[64];
		wt_spec_value_format(&a->args[i], v, sizeof v);
		o += snprintf(buf + o, size - (size_t)o, "%s%s", i ? ", " : "", v);
	}
	if ((size_t)o < size)
		snprintf(buf + o, size - (size_t)o, ")");
}

static const char *trap_text(const wt_trap *t)
{
	return t->kind == WT_TRAP_HOST ? t->msg : wt_trap_message(t->kind);
}

/* Whether our trap text matches the script's: either is a prefix of the
 * other ("uninitialized element 2" against ours, "uninitialized
 * element"), or ours contains it. */
static int text_matches(const char *ours, wt_spec_str want)
{
	size_t n = strlen(ours);
	if (!want.s || !n)
		return n != 0;
	if (n <= want.len && !memcmp(ours, want.s, n))
		return 1;
	return memmem(ours, n, want.s, want.len) != NULL;
}

static void result_free(action_result *res)
{
	free(res->types);
	free(res->vals);
}

/* Slots the n values of types take (two for a v128). */
static uint32_t slots_of(const uint8_t *types, uint32_t n)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		k += wt_spec_type_slots(types[i]);
	return k;
}

static outcome call_func(runner *r, wt_funcinst *f, const wt_spec_action *a, action_result *res)
{
	const wt_functype *ft = wt_func_type(f);
	if (ft->nparams != a->nargs)
		return fail(r, "\"%s\" takes %u arguments, the script gives %u", a->field.s,
			    ft->nparams, a->nargs);
	uint32_t nres = slots_of(ft->types + ft->nparams, ft->nresults);
	wt_slot *args = calloc(slots_of(ft->types, ft->nparams) + 1, sizeof *args);
	res->n = ft->nresults;
	res->types = malloc(ft->nresults + 1);
	res->vals = calloc(nres + 1, sizeof *res->vals);
	if (!args || !res->types || !res->vals) {
		free(args);
		return fail(r, "out of memory");
	}
	for (uint32_t i = 0, k = 0; i < a->nargs; i++) {
		if (ft->types[i] != a->args[i].type) {
			free(args);
			return fail(r, "argument %u is %s, \"%s\" takes %s", i,
				    wt_spec_type_name(a->args[i].type), a->field.s,
				    wt_spec_type_name(ft->types[i]));
		}
		args[k++] = a->args[i].bits;
		if (ft->types[i] == WT_V128)
			args[k++] = a->args[i].hi;
	}
	memcpy(res->types, ft->types + ft->nparams, ft->nresults);
	res->trapped = wt_call(r->mods.store, f, args, res->vals, &res->trap) != 0;
	free(args);
	return PASS;
}

static outcome get_global(runner *r, wt_globalinst *g, action_result *res)
{
	res->n = 1;
	res->types = malloc(1);
	res->vals = calloc(2, sizeof *res->vals);
	if (!res->types || !res->vals)
		return fail(r, "out of memory");
	res->types[0] = wt_global_type(g)->type;
	wt_global_get_slots(g, res->vals);
	return PASS;
}

/* Runs the command's action into *res (caller frees with result_free).
 * FAIL (with a message) when it could not be run at all. */
static outcome run_action(runner *r, const wt_spec_action *a, action_result *res)
{
	memset(res, 0, sizeof *res);
	wt_instance *inst = wt_spec_modules_instance(&r->mods, a->module);
	if (!inst)
		return fail(r, "no module %s to act on", a->module.s ? a->module.s : "(current)");
	wt_extern ext;
	if (wt_instance_export(inst, a->field.s, a->field.len, &ext))
		return fail(r, "no export \"%s\"", a->field.s);
	if (!a->is_get && ext.kind == WT_EXTERN_FUNC)
		return call_func(r, ext.u.func, a, res);
	if (a->is_get && ext.kind == WT_EXTERN_GLOBAL)
		return get_global(r, ext.u.global, res);
	return fail(r, "export \"%s\" is not a %s", a->field.s, a->is_get ? "global" : "function");
}

static outcome check_results(runner *r, const action_result *res)
{
	const wt_spec_cmd *c = r->cmd;
	char act[256], got[96], want[96];
	format_action(&c->action, act, sizeof act);
	if (res->n != c->nexpected)
		return fail(r, "%s: %u results, expected %u", act, res->n, c->nexpected);
	for (uint32_t i = 0, k = 0; i < res->n; k += wt_spec_type_slots(res->types[i++])) {
		if (wt_spec_value_matches(&c->expected[i], res->types[i], res->vals + k))
			continue;
		wt_spec_slot_format(res->types[i], res->vals + k, got, sizeof got);
		wt_spec_value_format(&c->expected[i], want, sizeof want);
		return fail(r, "%s: result %u is %s, expected %s", act, i, got, want);
	}
	return PASS;
}

static outcome cmd_action(runner *r, int check)
{
	action_result res;
	outcome o = run_action(r, &r->cmd->action, &res);
	if (o == PASS && res.trapped) {
		char act[256];
		format_action(&r->cmd->action, act, sizeof act);
		o = fail(r, "%s: trapped: %s", act, trap_text(&res.trap));
	} else if (o == PASS && check) {
		o = check_results(r, &res);
	}
	result_free(&res);
	return o;
}

static outcome judge_trap(runner *r, const char *what, const wt_trap *trap)
{
	const char *ours = trap_text(trap);
	if (text_matches(ours, r->cmd->text))
		return PASS;
	return fail(r, "%s: trapped with \"%s\", expected \"%s\"", what, ours, r->cmd->text.s);
}

static outcome cmd_assert_trap(runner *r)
{
	action_result res;
	char act[256];
	format_action(&r->cmd->action, act, sizeof act);
	outcome o = run_action(r, &r->cmd->action, &res);
	if (o == PASS && !res.trapped)
		o = fail(r, "%s: returned, expected trap \"%s\"", act, r->cmd->text.s);
	else if (o == PASS)
		o = judge_trap(r, act, &res.trap);
	result_free(&res);
	return o;
}

static outcome cmd_module(runner *r)
{
	const wt_spec_cmd *c = r->cmd;
	wt_error err;
	wt_trap trap;
	wt_instance *inst = NULL;
	wt_spec_modules_bind(&r->mods, c->name, NULL);
	int rc = wt_spec_modules_instantiate(&r->mods, c->filename.s, &inst, &trap, &err);
	if (rc > 0)
		return fail(r, "%s: %s", c->filename.s, err.msg);
	if (rc < 0)
		return fail(r, "%s: instantiation trapped: %s", c->filename.s, trap_text(&trap));
	wt_spec_modules_bind(&r->mods, c->name, inst);
	return PASS;
}

static outcome cmd_register(runner *r)
{
	wt_instance *inst = wt_spec_modules_instance(&r->mods, r->cmd->name);
	if (!inst)
		return fail(r, "no module %s to register", r->cmd->name.s ? r->cmd->name.s : "");
	if (wt_spec_modules_register(&r->mods, r->cmd->as, inst))
		return fail(r, "out of memory");
	return PASS;
}

/* assert_invalid / assert_malformed: any load failure passes. */
static outcome cmd_assert_load_fails(runner *r)
{
	const wt_spec_cmd *c = r->cmd;
	if (c->text_module)
		return SKIP;
	wt_error err;
	int rc = wt_spec_modules_load(&r->mods, c->filename.s, NULL, &err);
	if (rc == 0)
		return fail(r, "%s: loaded, expected \"%s\"", c->filename.s, c->text.s);
	if (!text_matches(err.msg, c->text))
		note(r, "%s: expected \"%s\", ours: %s: %s", c->filename.s, c->text.s,
		     wt_status_name(err.code), err.msg);
	return PASS;
}

/* assert_unlinkable, assert_uninstantiable, assert_trap on a module. */
static outcome cmd_assert_instantiate_fails(runner *r)
{
	const wt_spec_cmd *c = r->cmd;
	wt_error err;
	wt_trap trap;
	wt_instance *inst = NULL;
	int unlinkable = c->kind == WT_SPEC_CMD_ASSERT_UNLINKABLE;
	int rc = wt_spec_modules_instantiate(&r->mods, c->filename.s, &inst, &trap, &err);
	if (rc == 0)
		return fail(r, "%s: instantiated, expected \"%s\"", c->filename.s, c->text.s);
	if (unlinkable && rc == WT_UNLINKABLE) {
		if (!text_matches(err.msg, c->text))
			note(r, "%s: expected \"%s\", ours: %s", c->filename.s, c->text.s, err.msg);
		return PASS;
	}
	if (!unlinkable && rc < 0)
		return judge_trap(r, c->filename.s, &trap);
	if (rc < 0)
		return fail(r, "%s: trapped (%s), expected link failure \"%s\"", c->filename.s,
			    trap_text(&trap), c->text.s);
	return fail(r, "%s: %s: %s, expected \"%s\"", c->filename.s, wt_status_name(err.code),
		    err.msg, c->text.s);
}

static outcome run_cmd(runner *r)
{
	const wt_spec_cmd *c = r->cmd;
	if (c->unsupported)
		return note(r, "%s values are not supported: skipped", c->unsupported), SKIP;
	switch (c->kind) {
	case WT_SPEC_CMD_MODULE:
		return cmd_module(r);
	case WT_SPEC_CMD_REGISTER:
		return cmd_register(r);
	case WT_SPEC_CMD_ACTION:
		return cmd_action(r, 0);
	case WT_SPEC_CMD_ASSERT_RETURN:
		return cmd_action(r, 1);
	case WT_SPEC_CMD_ASSERT_TRAP:
	case WT_SPEC_CMD_ASSERT_EXHAUSTION:
		return c->has_action ? cmd_assert_trap(r) : cmd_assert_instantiate_fails(r);
	case WT_SPEC_CMD_ASSERT_INVALID:
	case WT_SPEC_CMD_ASSERT_MALFORMED:
		return cmd_assert_load_fails(r);
	case WT_SPEC_CMD_ASSERT_UNLINKABLE:
	case WT_SPEC_CMD_ASSERT_UNINSTANTIABLE:
		return cmd_assert_instantiate_fails(r);
	default:
		return note(r, "unknown command: skipped"), SKIP;
	}
}

int wt_spec_run(const wt_spec_script *sc, const wt_spec_options *opt, wt_spec_progress *p)
{
	runner r = {.opt = opt};
	if (wt_spec_modules_init(&r.mods, opt->dir, opt->verbose ? opt->out : NULL)) {
		fprintf(opt->out, "%s: cannot make the store and the spectest module\n", opt->name);
		return -1;
	}
	r.mods.jit = opt->jit;
	for (size_t i = 0; i < sc->ncmds; i++) {
		r.cmd = &sc->cmds[i];
		p->cmd = (unsigned)i;
		p->line = r.cmd->line;
		outcome o = run_cmd(&r);
		fflush(opt->out);
		if (o == PASS)
			p->passed++;
		else if (o == FAIL)
			p->failed++;
		else
			p->skipped++;
	}
	p->cmd = (unsigned)sc->ncmds;
	wt_spec_modules_fini(&r.mods);
	p->done = 1;
	return 0;
}
