/* script.h: one spec script as wast2json wrote it (NAME.json), read into commands. */
#ifndef WT_SPEC_SCRIPT_H
#define WT_SPEC_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "value.h"

/* X(enum, wast2json's "type"). */
#define WT_SPEC_CMD_LIST(X)                                           \
	X(WT_SPEC_CMD_MODULE, "module")                               \
	X(WT_SPEC_CMD_REGISTER, "register")                           \
	X(WT_SPEC_CMD_ACTION, "action")                               \
	X(WT_SPEC_CMD_ASSERT_RETURN, "assert_return")                 \
	X(WT_SPEC_CMD_ASSERT_TRAP, "assert_trap")                     \
	X(WT_SPEC_CMD_ASSERT_EXHAUSTION, "assert_exhaustion")         \
	X(WT_SPEC_CMD_ASSERT_INVALID, "assert_invalid")               \
	X(WT_SPEC_CMD_ASSERT_MALFORMED, "assert_malformed")           \
	X(WT_SPEC_CMD_ASSERT_UNLINKABLE, "assert_unlinkable")         \
	X(WT_SPEC_CMD_ASSERT_UNINSTANTIABLE, "assert_uninstantiable") \
	X(WT_SPEC_CMD_UNKNOWN, "unknown")

typedef enum {
#define WT_X_ENUM(name, text) name,
	WT_SPEC_CMD_LIST(WT_X_ENUM)
#undef WT_X_ENUM
} wt_spec_cmd_kind;

/* A string of the script: s is NULL when the field is absent. Strings may
 * hold NUL bytes (names.wast): use len. */
typedef struct wt_spec_str {
	const char *s;
	size_t len;
} wt_spec_str;

typedef struct wt_spec_action {
	int is_get;	    /* "get" (read an exported global) rather than "invoke" */
	wt_spec_str module; /* the module's $name, or absent for the current module */
	wt_spec_str field;  /* the export */
	uint32_t nargs;
	wt_spec_value *args;
} wt_spec_action;

typedef struct wt_spec_cmd {
	wt_spec_cmd_kind kind;
	unsigned line;	      /* in the .wast */
	wt_spec_str name;     /* module: its $name; register: the module registered */
	wt_spec_str as;	      /* register: the name imports use */
	wt_spec_str filename; /* module and assert_* on a module: the .wasm, next to the .json */
	int text_module;      /* module_type "text": a .wat this runner does not read */
	wt_spec_str text;     /* the expected message of assert_* */
	int has_action;
	wt_spec_action action;
	uint32_t nexpected;
	wt_spec_value *expected;
	const char *unsupported; /* why the runner skips it (a v128 value), or NULL */
} wt_spec_cmd;

typedef struct wt_spec_script {
	void *root; /* the JSON document (json_t *); the strings point into it */
	size_t ncmds;
	wt_spec_cmd *cmds;
} wt_spec_script;

/* Reads a wast2json file. Returns 0, or -1 with a message ("path:line:
 * ...") in msg. The caller frees with wt_spec_script_fini. */
int wt_spec_script_load(const char *path, wt_spec_script *out, char *msg, size_t msgsize);
void wt_spec_script_fini(wt_spec_script *sc);

/* The wast2json name of a command kind ("assert_return"). */
const char *wt_spec_cmd_name(wt_spec_cmd_kind kind);

#endif
