#!/usr/bin/env bash
# check_doc_names.sh: every file and function docs/architecture.md names in backquotes exists.
#   - a token that looks like a file (`core/wasi/gate.c`, `gate.h`, `tests/lint/check_layers.sh`,
#     globs such as `core/overlay/overlay*.c`) must match a file of the tree: with a folder, relative
#     to SOURCE_DIR; without one, anywhere under the source folders; `tests/spec/` is a folder;
#   - `name()` must be defined or called as `name(` in a .c or .h file of the source folders;
#   - a bare `wt_...` or `WT_...` identifier must occur as a word in them or in a CMakeLists.txt
#     (library targets: `wt_core`).
#   - a relative link goes to a file that exists.
# Tokens in angle brackets (`<uv.h>`) are system headers and are not checked.
# usage: check_doc_names.sh SOURCE_DIR [DOC]
set -euo pipefail
cd "$1"
doc=${2:-docs/architecture.md}
dirs=(cmd core lib include manifest profiler tests fixtures)
bad=0
fail() { echo "$doc: $*"; bad=1; }

[ -f "$doc" ] || { echo "$doc: missing"; exit 1; }
# The backquoted tokens, one a line (code blocks hold no backquotes of their own).
# shellcheck disable=SC2016 # the backquotes are literal
tokens=$(grep -o '`[^`]*`' "$doc" | tr -d '`' | sort -u)
sources=$(find "${dirs[@]}" -name '*.[ch]' -type f)
builds="CMakeLists.txt $(find "${dirs[@]}" -name CMakeLists.txt -type f)"

while IFS= read -r t; do
	[ -n "$t" ] || continue
	if [[ $t =~ ^[A-Za-z0-9_./*-]+\.(c|h|sh|md|txt|mjs)$ ]]; then
		if [[ $t == */* ]]; then
			# shellcheck disable=SC2086 # the token may be a glob
			compgen -G "$t" >/dev/null || fail "no file $t"
		elif [ -z "$(find "${dirs[@]}" docs -name "$t" -print -quit)" ]; then
			fail "no file named $t"
		fi
	elif [[ $t =~ ^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/$ ]]; then
		[ -d "$t" ] || fail "no folder $t"
	elif [[ $t =~ ^([A-Za-z_][A-Za-z0-9_]*)\(\)$ ]]; then
		name=${BASH_REMATCH[1]}
		# shellcheck disable=SC2086
		grep -qE "(^|[^A-Za-z0-9_])$name *\(" $sources || fail "no function $name()"
	elif [[ $t =~ ^(wt|WT)_[A-Za-z0-9_]+$ ]]; then
		# shellcheck disable=SC2086
		grep -qw -- "$t" $sources $builds || fail "no identifier $t"
	fi
done <<<"$tokens"
# Relative links, [text](file.md#anchor): the file must exist next to the page.
while IFS= read -r l; do
	l=${l#](}
	l=${l%)}
	l=${l%%#*}
	case $l in '' | http:* | https:*) continue ;; esac
	[ -e "$(dirname "$doc")/$l" ] || fail "link to a missing $l"
done < <(grep -o '](\([^)]*\))' "$doc" || true)
[ $bad = 0 ] && echo "$doc: every file and function it names exists"
exit $bad
