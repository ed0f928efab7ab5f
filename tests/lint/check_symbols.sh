#!/usr/bin/env bash
# check_symbols.sh: every symbol a project library exports starts with wt_.
# usage: check_symbols.sh LIB.a...
set -euo pipefail
bad=0

# The library's own exported symbols; the sanitizer and coverage builds add
# symbols of their own (__odr_asan.NAME, __asan_*, __ubsan_*, __sancov_*; __lsan_default_* are
# the hooks core/jit/jit_tier.c gives LeakSanitizer in those builds).
exported() {
	nm -g --defined-only "$1" | awk 'NF == 3 { print $3 }' |
		grep -vE '^__(odr_asan|asan|lsan_default|ubsan|sancov|llvm)' || true
}

for lib in "$@"; do
	[ -f "$lib" ] || { echo "check_symbols: no library $lib" >&2; exit 1; }
	while read -r sym; do
		echo "$(basename "$lib"): exported symbol without the wt_ prefix: $sym"
		bad=1
	done < <(exported "$lib" | grep -v '^wt_' || true)
done
n=$(for lib in "$@"; do exported "$lib"; done | wc -l)
echo "symbols: $n exported, $([ $bad = 0 ] && echo all || echo not all) prefixed wt_"
exit $bad
