#!/usr/bin/env bash
# contain_vs_record.sh: the cost of --contain: the syscall-heavy kernels `lines` (n fd_write calls)
# and `statloop` (open + fstat + close + stat of one file in a writable mount, n times) under
# `wasi-tofu record` and `wasi-tofu record --contain`, best of RUNS each, and their ratio.
# The target: a contained record takes at most 1.5x the time of a direct one.
#
# usage: tests/bench/contain_vs_record.sh [BUILD_DIR] [LINES_N] [STAT_N] [RUNS]
#        (defaults: build 200000 50000 3)
# Needs BUILD_DIR/bench/{lines,statloop}.wasm (cmake --build BUILD_DIR --target bench) and
# wasi-tofu. A program, not a test: it prints the figures and asserts nothing.
set -euo pipefail

build=${1:-build}
lines_n=${2:-200000}
stat_n=${3:-50000}
runs=${4:-3}
wt="$build/cmd/wasi-tofu"
for k in lines statloop; do
	[ -x "$wt" ] && [ -f "$build/bench/$k.wasm" ] || {
		echo "contain_vs_record: build first: cmake --build $build --target bench wasi-tofu" >&2
		exit 1
	}
done
work=$(mktemp -d "${TMPDIR:-/tmp}/wt-contain-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/data"

# best KERNEL MODE ARGS...: the best wall time of RUNS runs (MODE: direct or contain), in ms.
best() {
	local k=$1 b="" t0 t1 ms opts=()
	[ "$2" = contain ] && opts=(--contain --discard)
	shift 2
	for _ in $(seq 1 "$runs"); do
		rm -f "$work/data/"*
		t0=$(date +%s%N)
		"$wt" record "${opts[@]}" --mount "$work/data:/data" -o "$work/m.yaml" \
			"$build/bench/$k.wasm" "$@" >"$work/out" 2>/dev/null
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000000))
		if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
	done
	echo "$b"
}

report() { # report NAME DIRECT_MS CONTAIN_MS
	echo "$1: record ${2} ms, record --contain ${3} ms," \
		"ratio $(awk "BEGIN { printf \"%.2f\", $3 / ($2 ? $2 : 1) }") (bound 1.50)"
}

report "lines $lines_n" "$(best lines direct "$lines_n")" "$(best lines contain "$lines_n")"
report "statloop $stat_n" "$(best statloop direct /data "$stat_n")" \
	"$(best statloop contain /data "$stat_n")"
