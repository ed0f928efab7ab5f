#!/usr/bin/env bash
# check_layers.sh: the include rules between layers (docs/architecture.md), checked on the source tree.
#   core/ includes neither jansson nor yaml; only core/host*.c includes uv.h; only
#   core/confine*.c includes seccomp.h and linux/landlock.h (and nothing outside core/ does);
#   profiler/ and manifest/ do not include each other's headers, nor core's private ones.
# usage: check_layers.sh SOURCE_DIR
set -euo pipefail
cd "$1"
bad=0
fail() { echo "layering: $*"; bad=1; }

while IFS= read -r hit; do fail "core must not use jansson or yaml: $hit"; done \
	< <(grep -nE '#include *[<"](jansson|yaml)\.h' core/*.c core/*.h || true)
while IFS= read -r hit; do fail "only core/host*.c may include uv.h: $hit"; done \
	< <(grep -nE '#include *[<"]uv\.h' core/*.c core/*.h | grep -vE '^core/host[^/]*\.c:' || true)

while IFS= read -r hit; do fail "only core/confine*.c may include seccomp.h or landlock.h: $hit"; done \
	< <(grep -nE '#include *[<"](seccomp|linux/landlock)\.h' core/*.[ch] cmd/*.[ch] profiler/*.[ch] \
		manifest/*.[ch] | grep -vE '^core/confine[^/]*\.c:' || true)

headers_of() { (cd "$1" && ls *.h 2>/dev/null) || true; }
for pair in "profiler manifest" "manifest profiler"; do
	set -- $pair
	for h in $(headers_of "$2"); do
		[ -e "core/$h" ] && continue # a core header of the same name is fine
		while IFS= read -r hit; do fail "$1/ must not include $2/$h: $hit"; done \
			< <(grep -nE "#include *\"$h\"" "$1"/*.c "$1"/*.h 2>/dev/null || true)
	done
done
# core's private headers: the engine's and the WASI host's insides. profiler/ and manifest/
# see core through its public headers (runtime.h, run.h, wasi.h, gate.h, wasi_calls.h,
# wasi_flags.h, error.h, arena.h, path.h, sha256.h ...). path.h stays public: manifest
# canonicalises paths exactly as the host does.
private="code.h compile.h confine_impl.h decode.h host.h objects.h overlay_impl.h overlay_wasi.h store.h
	validate.h vm_bulk.h vm_num.h wasi_abi.h wasi_impl.h"
# Known exceptions, each "FILE:HEADER", to be moved to a public header by the file's owner.
allowed="profiler/journal_names.c:wasi_abi.h"
for h in $private; do
	while IFS= read -r hit; do
		case " $allowed " in *" ${hit%%:*}:$h "*) continue ;; esac
		fail "profiler/ and manifest/ must not include core's private $h: $hit"
	done < <(grep -nE "#include *\"$h\"" profiler/*.c profiler/*.h manifest/*.c manifest/*.h \
		2>/dev/null || true)
done
[ $bad = 0 ] && echo "layering: core, profiler and manifest keep their include rules"
exit $bad
