#!/usr/bin/env bash
# confine_cost.sh: what self-confinement costs a run: N runs of a trivial module (cli_return.wasm,
# _start returns at once) with two mounts, confined and with --no-self-confine, interleaved; the
# mean wall time of each and the difference per run.
#
# usage: tests/bench/confine_cost.sh [BUILD_DIR] [N]   (defaults: build 300)
# A program, not a test: it prints the figures and asserts nothing.
set -euo pipefail

build=${1:-build}
n=${2:-300}
wt="$build/cmd/wasi-tofu"
module="$build/fixtures/cli_return.wasm"
[ -x "$wt" ] && [ -f "$module" ] || { echo "confine_cost: build first: cmake --build $build" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/wt-confine-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/out"

on=0 off=0
for _ in $(seq 1 "$n"); do
	for mode in on off; do
		flag=$([ $mode = off ] && echo --no-self-confine || true)
		t0=$(date +%s%N)
		"$wt" run $flag --mount "$work/src:/src:ro" --mount "$work/out:/out" "$module"
		t1=$(date +%s%N)
		if [ $mode = on ]; then on=$((on + t1 - t0)); else off=$((off + t1 - t0)); fi
	done
done
awk -v on="$on" -v off="$off" -v n="$n" 'BEGIN {
	printf "runs: %d each, interleaved\n", n
	printf "confined:           %.3f ms per run\n", on / n / 1e6
	printf "--no-self-confine:  %.3f ms per run\n", off / n / 1e6
	printf "confinement costs:  %.3f ms per run (x%.2f)\n", (on - off) / n / 1e6, on / off
}'
