#!/usr/bin/env bash
# run.sh: builds the libFuzzer harnesses (clang, WT_FUZZ=ON) and runs each for N seconds, one at a time.
#
# Usage: tests/fuzz/run.sh [SECONDS] [HARNESS...]
#        (default 60 s; fuzz_decode fuzz_run fuzz_manifest fuzz_journal)
# Environment: BUILD (default build-fuzz-clang), SUITE (the spec testsuite folder),
#              CORPUS (default $BUILD/fuzz-corpus), JOBS (build jobs, default 2).
# The modules' seed corpus is made here from the spec suite (wast2json) and tests/fuzz/regress/;
# the manifest and journal harnesses take tests/fuzz/seeds/manifest and .../journal. The
# harnesses add what they find to $CORPUS/NAME. A crash leaves crash-*/timeout-*/leak-* files in
# $BUILD/fuzz-artifacts/ and makes this script exit non-zero.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fuzz_decode fuzz_run fuzz_manifest fuzz_journal)
build=${BUILD:-$src/build-fuzz-clang}
suite=${SUITE:-$src/../shared/wasm-spec-testsuite}
corpus=${CORPUS:-$build/fuzz-corpus}
artifacts=$build/fuzz-artifacts

CC=clang cmake -S "$src" -B "$build" -DWT_FUZZ=ON -DWT_BUILD_FIXTURES=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target "${harnesses[@]}" >/dev/null

# Seeds: every module of the spec scripts (core and simd), and the regression inputs.
seeds=$build/fuzz-seeds
if [ ! -d "$seeds" ]; then
	mkdir -p "$seeds.tmp"
	if command -v wast2json >/dev/null && [ -d "$suite/core" ]; then
		for wast in "$suite"/core/*.wast "$suite"/simd/*.wast; do
			name=$(basename "$wast" .wast)
			wast2json "$wast" -o "$seeds.tmp/$name.json" >/dev/null 2>&1 || true
		done
		rm -f "$seeds.tmp"/*.json "$seeds.tmp"/*.wat
	fi
	mv "$seeds.tmp" "$seeds"
fi

mkdir -p "$artifacts"
status=0
for h in "${harnesses[@]}"; do
	mkdir -p "$corpus/$h"
	echo "run.sh: $h for ${seconds}s (corpus $corpus/$h)"
	case $h in
	fuzz_manifest) dirs=("$src/tests/fuzz/seeds/manifest") ;;
	fuzz_journal) dirs=("$src/tests/fuzz/seeds/journal") ;;
	*) dirs=("$seeds" "$src/tests/fuzz/regress") ;;
	esac
	"$build/tests/fuzz/$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-malloc_limit_mb=512 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$artifacts/$h-" "$corpus/$h" "${dirs[@]}" \
		2>"$build/$h.log" || status=1
	grep -E '^(stat::|Done|==[0-9]+==ERROR|SUMMARY)' "$build/$h.log" || true
done
exit $status
