#!/usr/bin/env bash
# record_vs_run.sh: the cost of recording: the `lines` kernel (n fd_write calls, one per line)
# under `wasi-tofu run` and `wasi-tofu record`, best of RUNS each, and the journal's size.
#
# usage: tests/bench/record_vs_run.sh [BUILD_DIR] [N] [RUNS] [TIER]
#        (defaults: build 200000 3 auto; TIER is given to both as --tier; the code cache is this
#        run's own, filled by an untimed run of each mode first)
# Needs BUILD_DIR/bench/lines.wasm (cmake --build BUILD_DIR --target bench) and wasi-tofu.
# A program, not a test: it prints the figures and asserts nothing.
set -euo pipefail

build=${1:-build}
n=${2:-200000}
runs=${3:-3}
tier=${4:-auto}
wt="$build/cmd/wasi-tofu"
module="$build/bench/lines.wasm"
[ -x "$wt" ] && [ -f "$module" ] || {
	echo "record_vs_run: build first: cmake --build $build --target bench wasi-tofu" >&2
	exit 1
}
work=$(mktemp -d "${TMPDIR:-/tmp}/wt-record-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state

# best MODE: the best wall time of RUNS runs, in milliseconds.
best() {
	local b="" t0 t1 ms
	for i in $(seq 0 "$runs"); do
		t0=$(date +%s%N)
		if [ "$1" = run ]; then
			"$wt" run --tier "$tier" "$module" "$n" >"$work/out"
		else
			"$wt" record --tier "$tier" -o "$work/m.yaml" "$module" "$n" >"$work/out" 2>/dev/null
		fi
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000000))
		[ "$i" -eq 0 ] && continue # the untimed run: fills the code cache
		if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
	done
	echo "$b"
}

run_ms=$(best run)
record_ms=$(best record)
size=$(stat -c %s "$work/m.journal.jsonl")
lines=$(wc -l <"$work/m.journal.jsonl")
echo "lines $n, --tier $tier: run ${run_ms} ms, record ${record_ms} ms," \
	"ratio $(awk "BEGIN { printf \"%.2f\", $record_ms / ($run_ms ? $run_ms : 1) }")"
echo "journal: $size bytes, $lines lines (folding: up to 1024 fd_write calls per line)"
