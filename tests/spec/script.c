/* script.c: reads one wast2json file (jansson) into the runner's commands. */
#include "script.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cmd_names[] = {
#define WT_X_NAME(name, text) text,
    WT_SPEC_CMD_LIST(WT_X_NAME)
#undef WT_X_NAME
};

const char *wt_spec_cmd_name(wt_spec_cmd_kind kind)
{
	return cmd_names[kind];
}

static wt_spec_cmd_kind cmd_kind(const char *type)
{
	for (int k = 0; k < WT_SPEC_CMD_UNKNOWN; k++)
		if (!strcmp(type, cmd_names[k]))
			return (wt_spec_cmd_kind)k;
	return WT_SPEC_CMD_UNKNOWN;
}

static wt_spec_str get_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	wt_spec_str s = {NULL, 0};
	if (json_is_string(v)) {
		s.s = json_string_value(v);
		s.len = json_string_length(v);
	}
	return s;
}

/* Reads a v128 value: {"type": "v128", "lane_type": "i32", "value": [lanes]}. */
static int read_v128(json_t *v, wt_spec_value *out)
{
	json_t *arr = json_object_get(v, "value");
	const char *lanes[16];
	size_t n = json_array_size(arr);
	if (!json_is_array(arr) || n > 16)
		return -1;
	for (size_t i = 0; i < n; i++)
		lanes[i] = json_string_value(json_array_get(arr, i));
	return wt_spec_value_parse_v128(json_string_value(json_object_get(v, "lane_type")), lanes,
					n, out);
}

/* Reads an array of values into *out (calloc'd). Returns 0, or -1 when
 * the array is malformed; an unknown value type sets cmd->unsupported. */
static int read_values(json_t *arr, wt_spec_cmd *cmd, wt_spec_value **out, uint32_t *n)
{
	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return -1;
	size_t count = json_array_size(arr);
	*out = calloc(count ? count : 1, sizeof **out);
	if (!*out)
		return -1;
	for (size_t i = 0; i < count; i++) {
		json_t *v = json_array_get(arr, i);
		const char *type = json_string_value(json_object_get(v, "type"));
		const char *text = json_string_value(json_object_get(v, "value"));
		if (!type)
			return -1;
		if (!strcmp(type, "v128")) {
			if (read_v128(v, &(*out)[i]))
				return -1;
			continue;
		}
		if (wt_spec_value_parse(type, text, &(*out)[i]) && !cmd->unsupported)
			cmd->unsupported = type;
	}
	*n = (uint32_t)count;
	return 0;
}

static int read_action(json_t *obj, wt_spec_cmd *cmd)
{
	json_t *act = json_object_get(obj, "action");
	if (!act)
		return 0;
	const char *type = json_string_value(json_object_get(act, "type"));
	if (!type || (strcmp(type, "invoke") && strcmp(type, "get")))
		return -1;
	cmd->has_action = 1;
	cmd->action.is_get = !strcmp(type, "get");
	cmd->action.module = get_str(act, "module");
	cmd->action.field = get_str(act, "field");
	if (!cmd->action.field.s)
		return -1;
	return read_values(json_object_get(act, "args"), cmd, &cmd->action.args,
			   &cmd->action.nargs);
}

static int read_cmd(json_t *obj, wt_spec_cmd *cmd)
{
	const char *type = json_string_value(json_object_get(obj, "type"));
	json_t *line = json_object_get(obj, "line");
	if (!type || !json_is_integer(line))
		return -1;
	cmd->kind = cmd_kind(type);
	cmd->line = (unsigned)json_integer_value(line);
	cmd->name = get_str(obj, "name");
	cmd->as = get_str(obj, "as");
	cmd->filename = get_str(obj, "filename");
	cmd->text = get_str(obj, "text");
	wt_spec_str mt = get_str(obj, "module_type");
	cmd->text_module = mt.s && !strcmp(mt.s, "text");
	if (read_action(obj, cmd))
		return -1;
	if (cmd->kind != WT_SPEC_CMD_ASSERT_RETURN)
		return 0; /* assert_trap's "expected" holds bare types: nothing to compare */
	return read_values(json_object_get(obj, "expected"), cmd, &cmd->expected, &cmd->nexpected);
}

int wt_spec_script_load(const char *path, wt_spec_script *out, char *msg, size_t msgsize)
{
	json_error_t jerr;
	memset(out, 0, sizeof *out);
	json_t *root = json_load_file(path, JSON_ALLOW_NUL, &jerr);
	if (!root) {
		snprintf(msg, msgsize, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		return -1;
	}
	out->root = root;
	json_t *cmds = json_object_get(root, "commands");
	if (!json_is_array(cmds)) {
		snprintf(msg, msgsize, "%s: no \"commands\" array", path);
		goto fail;
	}
	out->ncmds = json_array_size(cmds);
	out->cmds = calloc(out->ncmds ? out->ncmds : 1, sizeof *out->cmds);
	if (!out->cmds) {
		snprintf(msg, msgsize, "%s: out of memory", path);
		goto fail;
	}
	for (size_t i = 0; i < out->ncmds; i++) {
		if (read_cmd(json_array_get(cmds, i), &out->cmds[i])) {
			snprintf(msg, msgsize, "%s: command %zu: malformed", path, i);
			goto fail;
		}
	}
	return 0;
fail:
	wt_spec_script_fini(out);
	return -1;
}

void wt_spec_script_fini(wt_spec_script *sc)
{
	for (size_t i = 0; sc->cmds && i < sc->ncmds; i++) {
		free(sc->cmds[i].action.args);
		free(sc->cmds[i].expected);
	}
	free(sc->cmds);
	json_decref((json_t *)sc->root);
	memset(sc, 0, sizeof *sc);
}
