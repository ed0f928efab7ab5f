#!/usr/bin/env bash
# journal_bench.sh: what recording costs on the journal's worst shapes, each workload under
# `wasi-tofu run` and `wasi-tofu record` in the same run (best of RUNS each), with the journal's
# size and lines:
#   seekread N 1   SQLite's shape: N pseudo-random pages, each an fd_seek + fd_read pair, then a
#                  checksum pass over the page (the work a database does on a page it read)
#   seekread N 0   the same pairs with no work between them (the recorder's worst case)
#   statsame M     M stats of one file: M identical path_filestat_get calls
# Times: wall (and CPU, user + system: less disturbed by other work on the machine), best of
# RUNS, run and record taking turns.
#
# usage: tests/bench/journal_bench.sh [BUILD_DIR] [N] [M] [RUNS]   (defaults: build 300000 1000000 3)
# Needs BUILD_DIR/bench/{seekread,statsame}.wasm (cmake --build BUILD_DIR --target bench) and
# wasi-tofu (WASI_TOFU=PATH: that binary instead of BUILD_DIR's, e.g. an older one to compare).
# A program, not a test: it prints the figures and asserts nothing.
set -euo pipefail

build=${1:-build}
n=${2:-300000}
m=${3:-1000000}
runs=${4:-3}
wt=${WASI_TOFU:-$build/cmd/wasi-tofu}
for k in seekread statsame; do
	[ -x "$wt" ] && [ -f "$build/bench/$k.wasm" ] || {
		echo "journal_bench: build first: cmake --build $build --target bench wasi-tofu" >&2
		exit 1
	}
done
[ -x /usr/bin/time ] || { echo "journal_bench: needs /usr/bin/time (Debian: time)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/wt-journal-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/data"

# once MODE KERNEL ARGS...: one run; prints "WALL_MS CPU_MS" (CPU: user + system).
once() {
	local mode=$1 kernel=$2
	shift 2
	local cmd=("$wt" run --mount "$work/data:/data" "$build/bench/$kernel.wasm" /data "$@")
	[ "$mode" = run ] ||
		cmd=("$wt" record --mount "$work/data:/data" -o "$work/m.yaml" \
			"$build/bench/$kernel.wasm" /data "$@")
	/usr/bin/time -o "$work/time" -f '%e %U %S' "${cmd[@]}" >"$work/out.$mode" 2>"$work/err.$mode" || {
		echo "journal_bench: $mode $kernel $*: failed: $(tail -2 "$work/err.$mode")" >&2
		exit 1
	}
	awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$work/time"
}

ratio() { awk "BEGIN { printf \"%.3f\", $1 / ($2 ? $2 : 1) }"; }

# measure LABEL KERNEL ARGS...: one row: run and record taking turns RUNS times (a machine
# busy with other work slows both alike), the best of each, their ratios, the journal.
measure() {
	local label=$1 rw="" rc="" cw="" cc="" w c size lines
	shift
	for _ in $(seq 1 "$runs"); do
		read -r w c < <(once run "$@")
		if [ -z "$rw" ] || [ "$w" -lt "$rw" ]; then rw=$w; fi
		if [ -z "$rc" ] || [ "$c" -lt "$rc" ]; then rc=$c; fi
		read -r w c < <(once record "$@")
		if [ -z "$cw" ] || [ "$w" -lt "$cw" ]; then cw=$w; fi
		if [ -z "$cc" ] || [ "$c" -lt "$cc" ]; then cc=$c; fi
	done
	cmp -s "$work/out.run" "$work/out.record" || {
		echo "journal_bench: $label: run and record printed different checksums" >&2
		exit 1
	}
	size=$(stat -c %s "$work/m.journal.jsonl")
	lines=$(wc -l <"$work/m.journal.jsonl")
	printf '%-22s run %5d ms (cpu %5d)  record %5d ms (cpu %5d)  ratio %s (cpu %s)  journal %9d bytes %7d lines\n' \
		"$label" "$rw" "$rc" "$cw" "$cc" "$(ratio "$cw" "$rw")" "$(ratio "$cc" "$rc")" \
		"$size" "$lines"
}

echo "best of $runs, run and record taking turns; record includes generating the manifest"
measure "seekread $n, work 1" seekread "$n" 1
measure "seekread $n, work 0" seekread "$n" 0
measure "statsame $m" statsame "$m"
