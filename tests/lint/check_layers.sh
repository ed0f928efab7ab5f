#!/usr/bin/env bash
# check_layers.sh: the include rules between layers (docs/architecture.md), checked on the source tree.
#   core/ has six folders: base/ (shared), wasm/ (the engine), jit/ (the compiling tier), wasi/
#   (the WASI host and its gate), overlay/ (the contained run's overlay), run/ (the run
#   pipeline, self-confinement).
#   The headers at the top of a folder are public; those of its internal/ are private to it.
#   - a core folder includes headers of the folders it stands on only (DEPS below), and the
#     private headers of another folder only where CROSSINGS lists it; a public header
#     includes no private one; header names are unique in core/ (includes name no folder);
#     no source file lies at the top of core/ (the build would not see it);
#   - cmd/, lib/, manifest/ and profiler/ include only core's public headers (EXCEPTIONS);
#   - core/ includes neither jansson nor yaml; only core/wasi/host*.c includes uv.h; only
#     core/run/confine*.c includes seccomp.h and linux/landlock.h (and nothing outside core/ does);
#     only core/jit/internal/gccjit.h includes libgccjit.h (the library is loaded when the tier
#     first compiles), and only core/jit/jit_gen*.c, core/jit/jit_tier.c, core/jit/gccjit.c and
#     core/jit/internal/jit_gen*.h include gccjit.h (the build without libgccjit leaves them out);
#   - profiler/ and manifest/ do not include each other's headers.
#   The tests (tests/) may include anything.
# usage: check_layers.sh SOURCE_DIR
#        check_layers.sh --self-test SOURCE_DIR   breaks a copy of the tree once per rule and
#                                                 fails unless every breach is caught
set -euo pipefail

# The folders each core folder may include (besides its own).
declare -A DEPS=(
	[base]=""
	[wasm]="base"
	[jit]="base wasm"
	[wasi]="base wasm overlay"
	[overlay]="base wasm wasi"
	[run]="base wasm jit wasi overlay"
)
# Private headers used across core folders, "FOLDER:HEADER": the WASI host reaches the overlay
# through overlay_wasi.h; the overlay works on the host's insides; the run pipeline and
# self-confinement see the store, the host and the overlay (and the run learns the C stack's
# floor for compiled code, code.h, before confinement); the compiling tier translates the
# engine's internal code and calls its helpers.
CROSSINGS="wasi:overlay_wasi.h overlay:wasi_impl.h overlay:host.h overlay:wasi_abi.h
	run:store.h run:code.h run:wasi_impl.h run:overlay_impl.h
	jit:code.h jit:store.h jit:vm_bulk.h jit:vm_num.h jit:vm_simd.h"
# Known exceptions outside core, "FILE:HEADER", to be moved to a public header by the file's owner.
EXCEPTIONS="profiler/journal_names.c:wasi_abi.h"
OUTSIDE="cmd lib manifest profiler"

self_test() {
	local src=$1 out c file line want bad=0
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	local -a cases=(
		"core/wasm/vm.c|#include \"wasi.h\"|core/wasm/ must not include core/wasi/wasi.h"
		"core/wasi/gate.c|#include \"store.h\"|core/wasi/ must not include core/wasm/internal/store.h"
		"core/wasm/runtime.h|#include \"store.h\"|public header core/wasm/runtime.h must not include"
		"manifest/enforce.c|#include \"host.h\"|manifest/enforce.c must not include core's private"
		"cmd/main.c|#include \"code.h\"|cmd/main.c must not include core's private"
		"core/base/arena.c|#include <uv.h>|only core/wasi/host*.c may include uv.h"
		"core/wasm/vm.c|#include <jansson.h>|core must not use jansson or yaml"
		"cmd/main.c|#include <seccomp.h>|only core/run/confine*.c may include seccomp.h"
		"core/jit/jit_gen.c|#include <libgccjit.h>|only core/jit/internal/gccjit.h may include libgccjit.h"
		"core/jit/jit_rt.c|#include \"gccjit.h\"|only core/jit/jit_gen*.c, core/jit/jit_tier.c"
		"profiler/record.c|#include \"enforce.h\"|profiler/ must not include manifest/enforce.h"
		"core/wasi/internal/runtime.h||more than one core header named runtime.h"
		"core/stray.c||core/stray.c belongs in a folder of core/"
	)
	(cd "$src" && cp -r core $OUTSIDE "$tmp"/)
	"$0" "$tmp" >/dev/null || { echo "self-test: the unbroken copy fails"; return 1; }
	for c in "${cases[@]}"; do
		IFS='|' read -r file line want <<<"$c"
		if [ -e "$tmp/$file" ]; then cp "$tmp/$file" "$tmp/saved"; else rm -f "$tmp/saved"; fi
		echo "$line" >>"$tmp/$file"
		if out=$("$0" "$tmp"); then
			echo "self-test: not caught: $line in $file"
			bad=1
		elif ! grep -qF -- "$want" <<<"$out"; then
			echo "self-test: $line in $file: expected \"$want\", got: $out"
			bad=1
		fi
		if [ -e "$tmp/saved" ]; then mv "$tmp/saved" "$tmp/$file"; else rm "$tmp/$file"; fi
	done
	[ $bad = 0 ] && echo "layering self-test: each of the ${#cases[@]} breaches is caught"
	return $bad
}
if [ "${1:-}" = --self-test ]; then
	self_test "$2"
	exit $?
fi

cd "$1"
bad=0
fail() { echo "layering: $*"; bad=1; }
# includes FILES...: "FILE:LINE:HEADER" for each #include "HEADER" of the files
includes() {
	grep -nE '^ *# *include *"[^"]+"' "$@" /dev/null |
		sed -E 's/^([^:]+):([0-9]+):.*include *"([^"]+)".*/\1:\2:\3/' || true
}

while IFS= read -r hit; do fail "core must not use jansson or yaml: $hit"; done \
	< <(grep -rnE --include='*.[ch]' '#include *[<"](jansson|yaml)\.h' core || true)
while IFS= read -r hit; do fail "only core/wasi/host*.c may include uv.h: $hit"; done \
	< <(grep -rnE --include='*.[ch]' '#include *[<"]uv\.h' core | grep -vE '^core/wasi/host[^/]*\.c:' || true)
while IFS= read -r hit; do fail "only core/run/confine*.c may include seccomp.h or landlock.h: $hit"; done \
	< <(grep -rnE --include='*.[ch]' '#include *[<"](seccomp|linux/landlock)\.h' core $OUTSIDE |
		grep -vE '^core/run/confine[^/]*\.c:' || true)

while IFS= read -r hit; do
	fail "only core/jit/internal/gccjit.h may include libgccjit.h: $hit"
done < <(grep -rnE --include='*.[ch]' '#include *[<"]libgccjit\.h' core $OUTSIDE |
	grep -vE '^core/jit/internal/gccjit\.h:' || true)
while IFS= read -r hit; do
	fail "only core/jit/jit_gen*.c, core/jit/jit_tier.c, core/jit/gccjit.c and core/jit/internal/jit_gen*.h may include gccjit.h: $hit"
done < <(grep -rnE --include='*.[ch]' '#include *[<"]gccjit\.h' core $OUTSIDE |
	grep -vE '^core/jit/(jit_gen[a-z_]*\.c|jit_tier\.c|gccjit\.c|internal/jit_gen[a-z_]*\.h):' || true)

# Every header of core: its folder, and whether it is private (in the folder's internal/).
declare -A FOLDER PRIVATE
while IFS= read -r h; do
	name=${h##*/}
	rest=${h#core/}
	[ -z "${FOLDER[$name]:-}" ] || fail "more than one core header named $name: ${FOLDER[$name]}/, $h"
	FOLDER[$name]=${rest%%/*}
	case $rest in */internal/*) PRIVATE[$name]=1 ;; *) PRIVATE[$name]=0 ;; esac
done < <(find core -name '*.h' -type f | sort)
# core/CMakeLists.txt builds the .c files of the five folders only: one left at the top is lost.
while IFS= read -r f; do fail "$f belongs in a folder of core/ (docs/architecture.md)"; done \
	< <(find core -maxdepth 1 -name '*.[ch]' -type f | sort)
for dir in core/*/; do
	dir=${dir%/}
	d=${dir#core/}
	[ -n "${DEPS[$d]+set}" ] || fail "core/$d/ is not a known folder: add it to DEPS in $0"
done

crossings=$(echo $CROSSINGS)
mapfile -t core_files < <(find core -name '*.[ch]' -type f | sort)
while IFS=: read -r file line h; do
	[ -n "${FOLDER[$h]:-}" ] || continue # a header of the same folder by path, or a system one
	rest=${file#core/}
	a=${rest%%/*}
	b=${FOLDER[$h]}
	where="core/$b/$h"
	[ "${PRIVATE[$h]}" = 1 ] && where="core/$b/internal/$h"
	if [[ $rest != */internal/* && $file == *.h && ${PRIVATE[$h]} = 1 ]]; then
		fail "public header $file must not include $where: $file:$line"
	fi
	[ "$a" = "$b" ] && continue
	case " ${DEPS[$a]:-} " in
	*" $b "*) ;;
	*)
		fail "core/$a/ must not include $where (core/$a/ stands on: ${DEPS[$a]:-nothing}): $file:$line"
		continue
		;;
	esac
	if [ "${PRIVATE[$h]}" = 1 ]; then
		case " $crossings " in
		*" $a:$h "*) ;;
		*) fail "core/$a/ must not include $where, private to core/$b/: $file:$line" ;;
		esac
	fi
done < <(includes "${core_files[@]}")

mapfile -t outside_files < <(find $OUTSIDE -name '*.[ch]' -type f 2>/dev/null | sort)
while IFS=: read -r file line h; do
	[ "${PRIVATE[$h]:-0}" = 1 ] || continue
	case " $EXCEPTIONS " in *" $file:$h "*) continue ;; esac
	fail "$file must not include core's private core/${FOLDER[$h]}/internal/$h: $file:$line"
done < <(includes "${outside_files[@]}")

headers_of() { (cd "$1" && ls *.h 2>/dev/null) || true; }
for pair in "profiler manifest" "manifest profiler"; do
	set -- $pair
	for h in $(headers_of "$2"); do
		[ -z "${FOLDER[$h]:-}" ] || continue # a core header of the same name is fine
		while IFS= read -r hit; do fail "$1/ must not include $2/$h: $hit"; done \
			< <(grep -nE "#include *\"$h\"" "$1"/*.c "$1"/*.h 2>/dev/null || true)
	done
done
[ $bad = 0 ] && echo "layering: core's folders, cmd, lib, profiler and manifest keep their include rules"
exit $bad
