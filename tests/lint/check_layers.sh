#!/usr/bin/env bash
# check_layers.sh: the include rules of STYLE.md habit 11, checked on the source tree.
#   core/ includes neither jansson nor yaml; only core/host*.c includes uv.h;
#   profiler/ and manifest/ do not include each other's headers.
# usage: check_layers.sh SOURCE_DIR
set -euo pipefail
cd "$1"
bad=0
fail() { echo "layering: $*"; bad=1; }

while IFS= read -r hit; do fail "core must not use jansson or yaml: $hit"; done \
	< <(grep -nE '#include *[<"](jansson|yaml)\.h' core/*.c core/*.h || true)
while IFS= read -r hit; do fail "only core/host*.c may include uv.h: $hit"; done \
	< <(grep -nE '#include *[<"]uv\.h' core/*.c core/*.h | grep -vE '^core/host[^/]*\.c:' || true)

headers_of() { (cd "$1" && ls *.h 2>/dev/null) || true; }
for pair in "profiler manifest" "manifest profiler"; do
	set -- $pair
	for h in $(headers_of "$2"); do
		[ -e "core/$h" ] && continue # a core header of the same name is fine
		while IFS= read -r hit; do fail "$1/ must not include $2/$h: $hit"; done \
			< <(grep -nE "#include *\"$h\"" "$1"/*.c "$1"/*.h 2>/dev/null || true)
	done
done
[ $bad = 0 ] && echo "layering: core, profiler and manifest keep their include rules"
exit $bad
