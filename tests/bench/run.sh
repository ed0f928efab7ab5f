#!/usr/bin/env bash
# run.sh: builds and runs wasi-tofu's benchmarks; prints times and ratios against native code and
# the other engines found, all measured in this one run, one program at a time.
#
# Usage: tests/bench/run.sh [BUILD_DIR] [--quick] [--runs N] [--only K1,K2] [--no-startup]
#                           [--timeout SECONDS] [--cpu]
#   BUILD_DIR    a CMake build folder of this tree (default: build); the `bench` target is
#                built in it, and BUILD_DIR/cmd/wasi-tofu is used when it exists.
#   --quick      small sizes (a smoke test of the whole pipeline, not a measurement)
#   --runs N     runs per cell, the best is kept (default 3)
#   --only LIST  only these kernels (comma-separated); --no-startup skips the 32 MB module
#   --timeout S  a run taking longer is killed and reported (default 300)
#   --cpu        the kernels' cells are CPU seconds (user + system of the engine process and the
#                children it waited for, e.g. auto's compile child), not wall seconds: the
#                steadier figure on a machine shared with other work (start-up stays wall time)
# Environment: WASI_TOFU=PATH uses that binary instead of building BUILD_DIR/cmd/wasi-tofu.
#
# Timing: bench-timer (timer.c) measures CLOCK_MONOTONIC wall time from fork to exit, process
# start-up included, and the child's peak RSS; each cell is the best of N runs (a cell whose
# first run exceeds 30 s runs once). Every engine's checksum line must equal native's.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=""
quick=0 runs=3 only="" startup=1 limit=300 cpu=0
while (($#)); do
	case $1 in
	--quick) quick=1 ;;
	--runs) runs=$2; shift ;;
	--only) only=",$2," ; shift ;;
	--no-startup) startup=0 ;;
	--timeout) limit=$2; shift ;;
	--cpu) cpu=1 ;;
	-h|--help) sed -n '2,22p' "$0"; exit 0 ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 64 ;;
	*) build=$1 ;;
	esac
	shift
done
build=$(cd "${build:-$root/build}" 2>/dev/null && pwd) || {
	echo "run.sh: no build folder; configure one first: cmake -S $root -B $root/build" >&2
	exit 66
}
bin=$build/bench
work=$(mktemp -d /tmp/wt-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/data"

# name  full-size  quick-size  kind
kernels=(
	"recursion 39 27 compute"
	"sieve 20000000 1000000 compute"
	"matmul 700 150 compute"
	"mandel 1500 200 compute"
	"nbody 1000000 20000 compute"
	"sort 1000000 50000 compute"
	"hash 12 1 compute"
	"lz 8192 256 compute"
	"lines 200000 10000 syscall"
	"statloop 50000 2000 syscall"
	"matmul-simd 700 150 simd"
	"scan 16 2 simd"
	"scan-simd 16 2 simd"
)

echo "== building the benchmark programs (cmake --build $build --target bench)"
if ! cmake --build "$build" --target bench -j2 >"$work/build.log" 2>&1; then
	tail -20 "$work/build.log"
	echo "run.sh: could not build the benchmark programs" >&2
	exit 70
fi
timer=$bin/bench-timer
wt=${WASI_TOFU:-$build/cmd/wasi-tofu}
if [[ -z ${WASI_TOFU:-} ]]; then
	echo "== building wasi-tofu (cmake --build $build --target wasi-tofu)"
	if ! cmake --build "$build" --target wasi-tofu -j2 >"$work/build-wt.log" 2>&1; then
		echo "wasi-tofu: build failed (last lines below); using whatever binary is already there"
		tail -5 "$work/build-wt.log" | sed 's/^/  /'
	fi
fi

# ---- engines: a name and how to run a module (statloop gets a host folder mounted as /data) ----
engines=(native)
if [[ -x $wt ]]; then engines+=(wasi-tofu); else echo "wasi-tofu: not built yet ($wt missing): its column is skipped"; fi
# the compiling tier, when the build has it, in three columns: jit-cold (--tier jit --no-cache:
# the whole module compiled in the timed run), jit (--tier jit, its code from the cache an untimed
# run filled) and auto (the default: a first untimed run interprets and compiles what turned hot
# in the background, the timed runs load it). The cache is the run's own, never the user's.
export XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state
if [[ -x $wt ]] && "$wt" run --tier jit --help >/dev/null 2>&1; then
	engines+=(wasi-tofu-jit-cold wasi-tofu-jit wasi-tofu-auto)
elif [[ -x $wt ]]; then echo "wasi-tofu-jit: this build has no compiling tier: its columns are skipped"; fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((node_major >= 20)); then engines+=(node); else echo "node: not found or older than 20: skipped"; fi
for e in wasm3 iwasm wasmtime; do command -v $e >/dev/null && engines+=($e); done

# engine_cmd ENGINE KERNEL ARGS... -> sets cmd=(...). Native sees the real folder for /data.
engine_cmd() {
	local e=$1 k=$2; shift 2
	local mnt=() args=("$@")
	case $e in
	native) cmd=("$bin/$k.native" "${args[@]/#\/data/$work/data}") ;;
	wasi-tofu*) [[ $k == statloop ]] && mnt=(--mount "$work/data:/data")
		local tier=(--tier interp)
		case $e in
		wasi-tofu-jit-cold) tier=(--tier jit --no-cache) ;;
		wasi-tofu-jit) tier=(--tier jit) ;;
		wasi-tofu-auto) tier=() ;;
		esac
		cmd=("$wt" run "${tier[@]}" "${mnt[@]}" "$bin/$k.wasm" "${args[@]}") ;;
	node) [[ $k == statloop ]] && mnt=(--mount "$work/data:/data")
		cmd=(node --no-warnings "$here/node-wasi.mjs" "${mnt[@]}" "$bin/$k.wasm" "${args[@]}") ;;
	wasm3) cmd=(wasm3 "$bin/$k.wasm" "${args[@]}") ;;
	iwasm) cmd=(iwasm --stack-size=16777216 --map-dir="/data::$work/data" "$bin/$k.wasm" "${args[@]}") ;;
	wasmtime) cmd=(wasmtime run --dir "$work/data::/data" "$bin/$k.wasm" "${args[@]}") ;;
	esac
}

# measure ENGINE KERNEL ARGS... -> prints "seconds rss_kb" of the best run, or "FAIL <why>".
measure() {
	local e=$1 k=$2; shift 2
	local best="" rss=0 i out=$work/out err=$work/err
	engine_cmd "$e" "$k" "$@"
	# the cached columns: one untimed run fills the cache first
	case $e in
	wasi-tofu-jit | wasi-tofu-auto)
		"$timer" -t "$limit" "$work/report" "${cmd[@]}" >/dev/null 2>&1 </dev/null ;;
	esac
	for ((i = 0; i < runs; i++)); do
		"$timer" -c -t "$limit" "$work/report" "${cmd[@]}" >"$out" 2>"$err" </dev/null
		local t r s c
		read -r t r s c <"$work/report"
		((cpu)) && t=$c
		if ((s != 0)); then
			local why="exit $s"; ((s == 124)) && why="timeout ${limit}s"
			echo "FAIL $why: $(head -c 200 "$err" | tr '\n' ' ')"
			return
		fi
		local sum; sum=$(tail -n 1 "$out")
		if [[ $e == native ]]; then expect=$sum
		elif [[ $sum != "$expect" ]]; then
			echo "FAIL checksum '$sum' != native '$expect'"
			return
		fi
		if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
		((r > rss)) && rss=$r
		awk "BEGIN{exit !($t > 30)}" && break
	done
	echo "$best $rss"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ printf "%.2f", a / b }'; }

declare -A time_of
printf '\n== kernels: best of %s runs, %s seconds (x = ratio to native)\n' "$runs" "$( ((cpu)) && echo CPU || echo wall)"
printf '%-10s' kernel; for e in "${engines[@]}"; do [[ $e == native ]] && printf '%10s' native || printf '%19s %6s' "$e" "x"; done; echo
failures=()
for row in "${kernels[@]}"; do
	read -r k full small kind <<<"$row"
	[[ -n $only && $only != *",$k,"* ]] && continue
	size=$full; ((quick)) && size=$small
	args=("$size"); [[ $k == statloop ]] && args=(/data "$size")
	expect=""
	printf '%-10s' "$k"
	for e in "${engines[@]}"; do
		if [[ $e == wasm3 && $k == statloop ]]; then printf '%18s %7s' n/a ""; continue; fi
		res=$(measure "$e" "$k" "${args[@]}")
		if [[ $e == native ]]; then expect=$(tail -n 1 "$work/out"); fi
		if [[ $res == FAIL* ]]; then
			failures+=("$k on $e: ${res#FAIL }")
			[[ $e == native ]] && { printf '%10s' FAIL; break; }
			printf '%18s %7s' FAIL ""
			continue
		fi
		t=${res%% *}
		time_of[$e,$k]=$t
		if [[ $e == native ]]; then printf '%9.3fs' "$t"
		else printf '%17.3fs %6sx' "$t" "$(ratio "$t" "${time_of[native,$k]}")"; fi
	done
	echo
done

# geomean KIND ENGINE -> geometric mean of ENGINE/native over the kernels of KIND measured.
geomean() {
	local kind=$1 e=$2 list="" row k
	for row in "${kernels[@]}"; do
		read -r k _ _ kk <<<"$row"
		[[ $kk == "$kind" && -n ${time_of[$e,$k]:-} && -n ${time_of[native,$k]:-} ]] &&
			list+="${time_of[$e,$k]} ${time_of[native,$k]} "
	done
	[[ -z $list ]] && { echo "n/a"; return; }
	awk -v l="$list" 'BEGIN{ n = split(l, v, " "); s = 0; for (i = 1; i < n; i += 2) s += log(v[i] / v[i+1]);
		printf "%.2fx over %d kernels", exp(s / (n / 2)), n / 2 }'
}
echo
for e in "${engines[@]}"; do
	[[ $e == native ]] && continue
	printf '%-19s compute geomean vs native: %s\n' "$e" "$(geomean compute "$e")"
	for k in lines statloop; do
		[[ -n ${time_of[$e,$k]:-} && -n ${time_of[native,$k]:-} ]] &&
			printf '%-19s syscall %-9s vs native: %sx\n' "$e" "$k" "$(ratio "${time_of[$e,$k]}" "${time_of[native,$k]}")"
	done
	# SIMD builds (-msimd128) against the scalar build of the same kernel, same engine.
	for k in matmul scan; do
		[[ -n ${time_of[$e,$k]:-} && -n ${time_of[$e,$k-simd]:-} ]] &&
			printf '%-19s simd %-12s vs its scalar build: %sx\n' "$e" "$k-simd" "$(ratio "${time_of[$e,$k-simd]}" "${time_of[$e,$k]}")"
	done
done

# ---- start-up: load + validate + first call of a module with >= 30 MB of code ----
if ((startup)); then
	mb=32; ((quick)) && mb=4
	echo
	echo "== start-up: $("$bin/gen-big" "$work/big.wasm" "$mb")"
	size=$(stat -c %s "$work/big.wasm")
	if command -v wasm-validate >/dev/null; then
		if wasm-validate "$work/big.wasm" >"$work/validate.log" 2>&1; then echo "wasm-validate: valid"
		else echo "wasm-validate: INVALID: $(head -3 "$work/validate.log")"; fi
	fi
	printf '%-19s %10s %10s %8s\n' engine seconds "peak RSS" "x file"
	for e in "${engines[@]}"; do
		[[ $e == native ]] && continue
		case $e in
		wasi-tofu) cmd=("$wt" run --tier interp "$work/big.wasm") ;;
		wasi-tofu-jit*) continue ;; # compiling all of 32 MB ahead of the run takes minutes
		wasi-tofu-auto) cmd=("$wt" run "$work/big.wasm") ;;
		node) cmd=(node --no-warnings "$here/node-wasi.mjs" "$work/big.wasm") ;;
		iwasm) cmd=(iwasm "$work/big.wasm") ;;
		wasmtime) cmd=(wasmtime run "$work/big.wasm") ;;
		wasm3) cmd=(wasm3 "$work/big.wasm") ;;
		esac
		best="" rss=0 bad=""
		for ((i = 0; i < runs; i++)); do
			"$timer" -t "$limit" "$work/report" "${cmd[@]}" >"$work/out" 2>"$work/err" </dev/null
			read -r t r s <"$work/report"
			if ((s != 0)) || [[ $(cat "$work/out") != "big: ok" ]]; then
				bad="exit $s: $(head -c 200 "$work/err" | tr '\n' ' ')"; break
			fi
			if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
			((r > rss)) && rss=$r
		done
		if [[ -n $bad ]]; then printf '%-19s FAIL %s\n' "$e" "$bad"; failures+=("big.wasm on $e: $bad"); continue; fi
		mult=$(awk -v r="$rss" -v s="$size" 'BEGIN{ printf "%.2f", r * 1024 / s }')
		printf '%-19s %9.3fs %8.1fMB %7sx' "$e" "$best" "$(awk -v r="$rss" 'BEGIN{print r/1024}')" "$mult"
		if [[ $e == wasi-tofu || $e == wasi-tofu-auto ]]; then
			awk -v t="$best" -v m="$mult" 'BEGIN{ printf "   target <= 0.3 s: %s, <= 3x file: %s",
				t <= 0.3 ? "met" : "MISSED", m <= 3 ? "met" : "MISSED" }'
		fi
		echo
	done
fi

echo
printf 'machine: %s, %s cores; %s\n' "$(uname -m)" "$(nproc)" "$(date -u '+%Y-%m-%d %H:%M UTC')"
if ((${#failures[@]})); then
	echo "failures:"
	printf '  %s\n' "${failures[@]}"
fi
exit 0
