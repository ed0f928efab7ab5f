#!/usr/bin/env bash
# lib_test.sh INCLUDE-DIR LIBWASI-TOFU.SO: the public header compiles alone as C99 with
# -pedantic and as C++ (warnings are errors); the shared library has a soname and exports
# the functions the header declares and nothing else.
set -euo pipefail

inc=$1
so=$2
fails=0
fail() { printf 'lib_test: FAILED: %s\n' "$*" >&2; fails=$((fails + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '#include <wasi-tofu/wasi-tofu.h>\nint main(void) { return wasi_tofu_run_new(0) != 0; }\n' >"$tmp/use.c"
cc -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$inc" "$tmp/use.c" ||
	fail "the header does not compile as C99 -pedantic"
c++ -x c++ -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$inc" "$tmp/use.c" ||
	fail "the header does not compile as C++"

grep -qE 'SONAME +libwasi-tofu\.so\.[0-9]' <<<"$(objdump -p "$so")" || fail "$so has no soname"
nm -D --defined-only "$so" | awk '{ print $NF }' | sort >"$tmp/exported"
grep -oE '\bwasi_tofu_[a-z0-9_]+\(' "$inc/wasi-tofu/wasi-tofu.h" | tr -d '(' | sort -u >"$tmp/declared"
extra=$(comm -23 "$tmp/exported" "$tmp/declared" | tr '\n' ' ')
missing=$(comm -13 "$tmp/exported" "$tmp/declared" | tr '\n' ' ')
[ -z "$extra" ] || fail "$so exports more than the API: $extra"
[ -z "$missing" ] || fail "$so lacks API functions: $missing"
[ "$fails" -eq 0 ] || exit 1
echo "lib_test: done ($(wc -l <"$tmp/exported") functions exported)"
