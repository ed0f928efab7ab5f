#!/usr/bin/env bash
# wasm2c.sh: what the compile-ahead candidate (Debian's wasm2c + the system C compiler) costs and
# gives, for docs/engine.md's comparison.
#   1. translation: wasm2c on a big module (default: the Yosys module programs.sh caches), its
#      seconds and the C it writes;
#   2. compilation: gcc -O1 and -O2 (-c) on a slice of that C (the runtime part and the first
#      SLICE_MB (default 4) of function bodies; the rest is cut), extrapolated to seconds per MB of the
#      module's code section and to the whole module;
#   3. speed: compute kernels (tests/bench/kernels) through wasm2c + gcc -O2 with a minimal host
#      (w2c_host.c), against native gcc -O2 and wasi-tofu run, best of RUNS, outputs checked.
#
# Usage: tests/bench/wasm2c/wasm2c.sh [BUILD_DIR] [--module M.wasm] [--c M.c] [--slice-mb N]
#                                     [--runs N] [--kernels K1,K2]
#   --c M.c   M's translation made earlier (wasm2c M.wasm -o M.c): step 1 is skipped
# Needs wasm2c (Debian wabt), gcc, clang (wasm32-wasi) and the `bench` target's programs (built).
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build="" module="" csrc="" slice=4 runs=3 kernels="matmul,sort,mandel"
while (($#)); do
	case $1 in
	--module) module=$2; shift ;;
	--c) csrc=$2; shift ;;
	--slice-mb) slice=$2; shift ;;
	--runs) runs=$2; shift ;;
	--kernels) kernels=$2; shift ;;
	-h | --help) sed -n '2,17p' "$0"; exit 0 ;;
	-*) echo "wasm2c.sh: unknown option $1" >&2; exit 64 ;;
	*) build=$1 ;;
	esac
	shift
done
build=$(cd "${build:-$root/build}" 2>/dev/null && pwd) || { echo "wasm2c.sh: no build folder" >&2; exit 66; }
module=${module:-$build/bench/programs/yosys/yosys.wasm}
for t in wasm2c gcc wasm-objdump /usr/bin/time; do
	command -v $t >/dev/null || { echo "wasm2c.sh: skipped: needs $t (Debian wabt, gcc)"; exit 0; }
done
rt=/usr/share/wabt/wasm2c
work=$(mktemp -d /tmp/wt-wasm2c.XXXXXX)
trap 'rm -rf "$work"' EXIT
cmake --build "$build" --target bench -j2 >"$work/build.log" 2>&1 || { tail -5 "$work/build.log"; exit 70; }
timer=$build/bench/bench-timer
wt=${WASI_TOFU:-$build/cmd/wasi-tofu}

# timed CMD...: runs CMD; "wall-seconds cpu-seconds peak-rss-KiB" in $work/time (CPU time
# says more than wall time on a machine shared with other work).
timed() {
	/usr/bin/time -f '%e %U %S %M' -o "$work/time.raw" "$@" >/dev/null || return 1
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$work/time.raw" >"$work/time"
}

# ---- 1 and 2: translation and compilation cost ----
if [[ -f $module ]]; then
	code=$(($(wasm-objdump -h "$module" | sed -n 's/.*Code start.*(size=\(0x[0-9a-f]*\)).*/\1/p')))
	echo "== module $(basename "$module"): $(($(stat -c %s "$module") / 1048576)) MB, code section $((code / 1048576)) MB"
	translated=1
	if [[ -n $csrc ]]; then
		ln -s "$(cd "$(dirname "$csrc")" && pwd)/$(basename "$csrc")" "$work/m.c"
		echo "wasm2c: skipped (--c), C source $(($(stat -L -c %s "$work/m.c") / 1048576)) MB"
	elif timed wasm2c "$module" -o "$work/m.c" 2>"$work/w2c.err"; then
		read -r t cpu rss <"$work/time"
		echo "wasm2c: ${t} s wall, ${cpu} s CPU, peak RSS $((rss / 1024)) MB, C source $(($(stat -c %s "$work/m.c") / 1048576)) MB"
	else
		echo "wasm2c failed: $(head -c 300 "$work/w2c.err")"
		translated=0
	fi
	if ((translated)); then
		# The slice: everything before the first function body (prototypes, data segments: a
		# fixed cost), then whole function bodies up to SLICE_MB. The same cut with no bodies
		# gives the fixed cost, so the bodies' cost per MB is the difference. The functions are
		# static and the cut drops their callers: -fkeep-static-functions makes gcc compile
		# them all rather than discard the unused ones.
		cut() {
			awk -v limit=$(($1 * 1048576)) '
				/^static void init_elem_instances/ { seen_init = 1 }
				seen_init && !started && /^static .*w2c_.*\) \{$/ && !/init_elem/ { started = 1 }
				!started { print; next }
				{ total += length($0) + 1 }
				done { next }
				{ body += length($0) + 1; buf = buf $0 "\n" }
				$0 == "}" { if (body <= limit) { printf "%s", buf; kept = body } else done = 1; buf = "" }
				END { printf "%d %d\n", kept, total > "/dev/stderr" }' "$work/m.c" >"$2" 2>"$work/slice.n"
		}
		cut 0 "$work/head.c"
		cut "$slice" "$work/slice.c"
		read -r kept total <"$work/slice.n"
		frac=$(awk "BEGIN{print $kept / $total}")
		echo "slice: $((kept / 1048576)) MB of $((total / 1048576)) MB of function bodies (fraction $frac of the code)"
		inc=-I"$(dirname "$(readlink -f "$work/m.c")")"
		for o in -O1 -O2; do
			if ! timed gcc $o -w -fkeep-static-functions -c -I"$rt" "$inc" "$work/head.c" -o "$work/head.o"; then
				echo "gcc $o: failed"
				continue
			fi
			read -r _ c0 _ <"$work/time"
			if ! timed gcc $o -w -fkeep-static-functions -c -I"$rt" "$inc" "$work/slice.c" -o "$work/slice.o"; then
				echo "gcc $o: failed"
				continue
			fi
			read -r t cpu rss <"$work/time"
			awk -v t="$cpu" -v c0="$c0" -v w="$t" -v f="$frac" -v code="$code" -v o="$o" -v rss="$rss" 'BEGIN {
				mb = f * code / 1048576; per = (t - c0) / mb
				printf "gcc %s: %.1f s CPU (%.1f s wall) for the fixed part and %.2f MB of code (fixed part alone %.1f s): %.1f s CPU per MB of code; whole module about %.0f s (%.1f min); peak RSS %d MB\n", o, t, w, mb, c0, per, c0 + per * code / 1048576, (c0 + per * code / 1048576) / 60, rss / 1024 }'
		done
	fi
else
	echo "== no module at $module (run tests/bench/programs.sh --only yosys first, or give --module): translation and compilation skipped"
fi

# ---- 3: speed on kernels ----
echo "== kernels, CPU seconds: native gcc -O2 | wasm2c + gcc -O2 | wasi-tofu run (best of $runs)"
declare -A size=([matmul]=700 [sort]=1000000 [mandel]=1500 [nbody]=1000000 [sieve]=20000000 [hash]=12 [lz]=8192 [recursion]=39)
best() { # best CPU seconds of $runs runs of "$@"; the last stdout line in $work/sum
	local b="" i t s
	for ((i = 0; i < runs; i++)); do
		"$timer" -c "$work/report" "$@" >"$work/out" 2>/dev/null </dev/null
		read -r _ _ s t <"$work/report"
		((s == 0)) || { echo "FAIL"; return; }
		tail -n 1 "$work/out" >"$work/sum"
		if [[ -z $b ]] || awk "BEGIN{exit !($t < $b)}"; then b=$t; fi
	done
	echo "$b"
}
IFS=, read -ra ks <<<"$kernels"
for k in "${ks[@]}"; do
	n=${size[$k]:-1000}
	name=${k//-/_}
	mkdir -p "$work/$name"
	(cd "$work/$name" && wasm2c "$build/bench/$k.wasm" -n "$name" -o "$name.c" &&
		gcc -O2 -w -I. -I"$rt" -DMOD="$name" "$here/w2c_host.c" "$name.c" "$rt/wasm-rt-impl.c" -o "$name.w2c" -lm) \
		>"$work/$name.log" 2>&1 || { echo "$k: wasm2c build failed: $(head -c 200 "$work/$name.log")"; continue; }
	tn=$(best "$build/bench/$k.native" "$n"); ref=$(cat "$work/sum")
	tc=$(best "$work/$name/$name.w2c" "$n"); [[ $(cat "$work/sum") == "$ref" ]] || tc="FAIL(checksum)"
	tw=$(best "$wt" run "$build/bench/$k.wasm" "$n"); [[ $(cat "$work/sum") == "$ref" ]] || tw="FAIL(checksum)"
	awk -v k="$k" -v a="$tn" -v b="$tc" -v c="$tw" 'BEGIN {
		printf "%-10s native %.3f s | wasm2c -O2 %s (%sx native) | wasi-tofu %s (%sx native)\n", k, a,
			(b + 0 > 0 ? sprintf("%.3f s", b) : b), (b + 0 > 0 ? sprintf("%.2f", b / a) : "-"),
			(c + 0 > 0 ? sprintf("%.3f s", c) : c), (c + 0 > 0 ? sprintf("%.2f", c / a) : "-") }'
done
