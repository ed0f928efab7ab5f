#!/usr/bin/env bash
# record_vs_run.sh: the cost of recording: the `lines` kernel (n fd_write calls, one per line)
# under `wasi-tofu run` and `wasi-tofu record`, best of RUNS each, and the journal's size.
#
# usage: tests/bench/record_vs_run.sh [BUILD_DIR] [N] [RUNS] [TIER]
#        (defaults: build 200000 3 auto; TIER is given to both as --tier; the code cache is this
#        run's own, filled by an untimed run of each mode first)
# Each run is timed by bench-timer: the best wall time and, apart, the best CPU time (user +
# system, the waited compile child of `auto` included), the steadier figure on a shared machine.
# Needs BUILD_DIR/bench/lines.wasm and bench-timer (cmake --build BUILD_DIR --target bench) and
# wasi-tofu.
# A program, not a test: it prints the figures and asserts nothing.
set -euo pipefail

build=${1:-build}
n=${2:-200000}
runs=${3:-3}
tier=${4:-auto}
wt="$build/cmd/wasi-tofu"
module="$build/bench/lines.wasm"
timer="$build/bench/bench-timer"
[ -x "$wt" ] && [ -f "$module" ] && [ -x "$timer" ] || {
	echo "record_vs_run: build first: cmake --build $build --target bench wasi-tofu" >&2
	exit 1
}
work=$(mktemp -d "${TMPDIR:-/tmp}/wt-record-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state

# best MODE: "WALL CPU", the best wall and the best CPU time of RUNS runs, in milliseconds.
best() {
	local bw="" bc="" t r st c cmd
	if [ "$1" = run ]; then
		cmd=("$wt" run --tier "$tier" "$module" "$n")
	else
		cmd=("$wt" record --tier "$tier" -o "$work/m.yaml" "$module" "$n")
	fi
	for i in $(seq 0 "$runs"); do
		"$timer" -c "$work/report" "${cmd[@]}" >"$work/out" 2>/dev/null
		read -r t r st c <"$work/report"
		[ "$st" -eq 0 ] || { echo "record_vs_run: $1 exited $st" >&2; exit 1; }
		[ "$i" -eq 0 ] && continue # the untimed run: fills the code cache
		t=$(awk "BEGIN { printf \"%d\", $t * 1000 }") c=$(awk "BEGIN { printf \"%d\", $c * 1000 }")
		if [ -z "$bw" ] || [ "$t" -lt "$bw" ]; then bw=$t; fi
		if [ -z "$bc" ] || [ "$c" -lt "$bc" ]; then bc=$c; fi
	done
	echo "$bw $bc"
}

ratio() { awk "BEGIN { printf \"%.2f\", $1 / ($2 ? $2 : 1) }"; }
read -r run_ms run_cpu <<<"$(best run)"
read -r record_ms record_cpu <<<"$(best record)"
size=$(stat -c %s "$work/m.journal.jsonl")
lines=$(wc -l <"$work/m.journal.jsonl")
echo "lines $n, --tier $tier: wall: run ${run_ms} ms, record ${record_ms} ms, ratio $(ratio "$record_ms" "$run_ms");" \
	"CPU: run ${run_cpu} ms, record ${record_cpu} ms, ratio $(ratio "$record_cpu" "$run_cpu")"
echo "journal: $size bytes, $lines lines (folding: up to 1024 fd_write calls per line)"
