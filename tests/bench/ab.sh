#!/usr/bin/env bash
# ab.sh: two wasi-tofu binaries on the compute kernels, taking turns, in one run: for a change
# whose cost must stay within noise (the interpreter's hotness counters: docs/engine.md).
#
# Usage: tests/bench/ab.sh BUILD_DIR BIN_A BIN_B [--runs N] [--tier T] [--quick]
#   BUILD_DIR  a CMake build folder of this tree: its `bench` target gives the kernels
#   BIN_A/B    the two wasi-tofu binaries (say, one built from main and one from a branch)
#   --runs N   turns per kernel (default 5); each cell keeps the least CPU time of its turns
#   --tier T   passed to `run --tier` (default interp)
#   --quick    small sizes (a smoke test)
# Prints per kernel the CPU seconds of A and B and B/A, then the geometric mean of B/A. CPU time
# (bench-timer -c) rather than wall time: the machine may be shared. Checksums must agree.
set -u

here=$(cd "$(dirname "$0")" && pwd)
(($# >= 3)) || { sed -n '4,12p' "$0"; exit 64; }
build=$(cd "$1" && pwd) || exit 66
a=$2 b=$3
shift 3
runs=5 tier=interp quick=0
while (($#)); do
	case $1 in
	--runs) runs=$2; shift ;;
	--tier) tier=$2; shift ;;
	--quick) quick=1 ;;
	*) echo "ab.sh: unknown option $1" >&2; exit 64 ;;
	esac
	shift
done
cmake --build "$build" --target bench -j2 >/dev/null || exit 70
bin=$build/bench
work=$(mktemp -d /tmp/wt-ab.XXXXXX)
trap 'rm -rf "$work"' EXIT

# name full-size quick-size: the compute kernels of run.sh
kernels=("recursion 39 27" "sieve 20000000 1000000" "matmul 700 150" "mandel 1500 200"
	"nbody 1000000 20000" "sort 1000000 50000" "hash 12 1" "lz 8192 256")

# cpu A|B KERNEL SIZE: prints the CPU seconds of one run of that binary (fails when the run did)
cpu() {
	local wt=$a
	[[ $1 == B ]] && wt=$b
	"$bin/bench-timer" -c "$work/report" "$wt" run --tier "$tier" "$bin/$2.wasm" "$3" \
		>"$work/out" 2>/dev/null </dev/null || return
	tail -1 "$work/out" >"$work/sum.$1"
	awk '{print $4}' "$work/report"
}

printf '%-10s %10s %10s %8s\n' kernel "A cpu s" "B cpu s" "B/A"
logsum=0 n=0
for row in "${kernels[@]}"; do
	read -r k full small <<<"$row"
	size=$full
	((quick)) && size=$small
	best_a="" best_b=""
	for ((i = 0; i < runs; i++)); do
		ta=$(cpu A "$k" "$size") && tb=$(cpu B "$k" "$size") || true
		[[ -n $ta && -n $tb ]] || { echo "$k: a run failed"; continue 2; }
		best_a=$(awk -v x="$ta" -v y="${best_a:-1e9}" 'BEGIN{print (x<y)?x:y}')
		best_b=$(awk -v x="$tb" -v y="${best_b:-1e9}" 'BEGIN{print (x<y)?x:y}')
	done
	if ! cmp -s "$work/sum.A" "$work/sum.B"; then
		echo "$k: checksums differ"
		continue
	fi
	r=$(awk -v x="$best_a" -v y="$best_b" 'BEGIN{printf "%.3f", y/x}')
	printf '%-10s %10s %10s %8s\n' "$k" "$best_a" "$best_b" "$r"
	logsum=$(awk -v s="$logsum" -v r="$r" 'BEGIN{print s+log(r)}')
	n=$((n + 1))
done
((n)) && awk -v s="$logsum" -v n="$n" 'BEGIN{printf "geomean B/A over %d kernels: %.3f\n", n, exp(s/n)}'
