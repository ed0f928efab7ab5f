#!/usr/bin/env bash
# short_step.sh: a short build step (well under 50 ms of work) on each tier against the
# interpreter: the `lines` kernel writing N lines to a file and `sieve` of a small N, under
# `wasi-tofu run --tier interp`, `auto` from an empty code cache (a fresh clone's first run),
# `auto` again (the cache as that run left it) and `jit` from a filled cache. The tiers take
# turns, RUNS turns; each cell is the best and the median wall time in milliseconds, then the
# ratio of the medians to the interpreter's. Issue 15's start-up target: not slower than
# interpreted.
#
# usage: tests/bench/short_step.sh [BUILD_DIR] [RUNS]   (defaults: build 15)
# Needs BUILD_DIR/bench/{lines,sieve}.wasm and bench-timer (cmake --build BUILD_DIR --target
# bench) and BUILD_DIR/cmd/wasi-tofu (or WASI_TOFU=PATH). A program, not a test: it prints
# the figures and asserts nothing.
set -euo pipefail

build=${1:-build}
runs=${2:-15}
wt=${WASI_TOFU:-$build/cmd/wasi-tofu}
timer="$build/bench/bench-timer"
for f in "$wt" "$timer" "$build/bench/lines.wasm" "$build/bench/sieve.wasm"; do
	[ -e "$f" ] || { echo "short_step: $f missing: cmake --build $build --target bench wasi-tofu" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/wt-short-step.XXXXXX")
trap 'rm -rf "$work"' EXIT

# once NAME TIER CACHE MODULE ARGS...: one timed run, its wall milliseconds appended to
# $work/NAME (CACHE: the code cache folder, "fresh" empties it first)
once() {
	local name=$1 tier=$2 cache=$3 module=$4 wall
	shift 4
	[[ $cache == fresh ]] && { rm -rf "$work/fresh"; cache=$work/fresh; }
	XDG_CACHE_HOME=$cache/c XDG_STATE_HOME=$cache/s \
		"$timer" "$work/report" "$wt" run --tier "$tier" "$module" \
		"$@" >/dev/null 2>&1 </dev/null || { echo "short_step: $name failed" >&2; exit 1; }
	read -r wall _ <"$work/report"
	awk -v w="$wall" 'BEGIN { printf "%.2f\n", w * 1000 }' >>"$work/r.$name"
}

# stats NAME: "best median" of $work/NAME
stats() {
	sort -n "$work/r.$1" | awk '{ v[NR] = $1 } END { printf "%s %s", v[1], v[int((NR + 1) / 2)] }'
}

step() {
	local label=$1 module=$2
	shift 2
	local t
	rm -f "$work"/r.*
	# the jit tier's cache, filled untimed (the whole module's compile is not a short step's)
	XDG_CACHE_HOME=$work/jit/c XDG_STATE_HOME=$work/jit/s "$wt" run --tier jit \
		"$module" "$@" >/dev/null 2>&1 </dev/null
	for ((t = 0; t < runs; t++)); do
		once interp interp "$work/none" "$module" "$@"
		once auto1 auto fresh "$module" "$@"
		rm -rf "$work/second" && cp -r "$work/fresh" "$work/second"
		once auto2 auto "$work/second" "$module" "$@"
		once jit jit "$work/jit" "$module" "$@"
	done
	read -r ib im <<<"$(stats interp)"
	printf '%-22s %8s %8s %8s\n' "$label" best median "/interp"
	for t in interp auto1 auto2 jit; do
		read -r b m <<<"$(stats $t)"
		printf '  %-20s %8s %8s %7.2fx\n' "$t" "$b" "$m" "$(awk -v a="$m" -v b="$im" 'BEGIN { print a / b }')"
	done
}

echo "short build steps: wall milliseconds over $runs turns (auto1: empty code cache; auto2: the"
echo "cache auto1 left; jit: the whole module compiled before, untimed)"
step "lines 20000" "$build/bench/lines.wasm" 20000
step "sieve 300000" "$build/bench/sieve.wasm" 300000
echo "machine: $(uname -m), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
