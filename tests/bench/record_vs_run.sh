#!/usr/bin/env bash
# record_vs_run.sh: the cost of recording: the `lines` kernel (n fd_write calls, one per line)
# under `wasi-tofu run` and `wasi-tofu record`, best of RUNS each, and the journal's size.
#
# usage: tests/bench/record_vs_run.sh [BUILD_DIR] [N] [RUNS]   (defaults: build 200000 3)
# Needs BUILD_DIR/bench/lines.wasm (cmake --build BUILD_DIR --target bench) and wasi-tofu.
# A program, not a test: it prints the figures and asserts nothing.
set -euo pipefail

build=${1:-build}
n=${2:-200000}
runs=${3:-3}
wt="$build/cmd/wasi-tofu"
module="$build/bench/lines.wasm"
[ -x "$wt" ] && [ -f "$module" ] || {
	echo "record_vs_run: build first: cmake --build $build --target bench wasi-tofu" >&2
	exit 1
}
work=$(mktemp -d "${TMPDIR:-/tmp}/wt-record-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# best MODE: the best wall time of RUNS runs, in milliseconds.
best() {
	local b="" t0 t1 ms
	for _ in $(seq 1 "$runs"); do
		t0=$(date +%s%N)
		if [ "$1" = run ]; then
			"$wt" run "$module" "$n" >"$work/out"
		else
			"$wt" record -o "$work/m.yaml" "$module" "$n" >"$work/out" 2>/dev/null
		fi
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000000))
		if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
	done
	echo "$b"
}

run_ms=$(best run)
record_ms=$(best record)
size=$(stat -c %s "$work/m.journal.jsonl")
lines=$(wc -l <"$work/m.journal.jsonl")
echo "lines $n: run ${run_ms} ms, record ${record_ms} ms," \
	"ratio $(awk "BEGIN { printf \"%.2f\", $record_ms / ($run_ms ? $run_ms : 1) }")"
echo "journal: $size bytes, $lines lines (folding: up to 1024 fd_write calls per line)"
