#!/usr/bin/env bash
# difffuzz_test.sh: the differential fuzzer's CTest slices (fixed seeds, deterministic).
# Usage: difffuzz_test.sh node|self|same WASM_GEN WASI_TOFU
#   node  seeds 1..15: wasi-tofu run against node's WASI (node-wasi.mjs); skipped (77) without
#         node 20 or later
#   same  seeds 1..25: the interpreter against the compiling tier (--tier jit) with --messages
#         and --nan-bits (NaN payloads and signs printed as they are: the tiers promise the same
#         bits); a build without the compiling tier compares the interpreter with itself
#   self  the harness can fail: against flip_engine.sh (stdout changed; trap message changed)
#         difffuzz.sh must report a mismatch and exit 1
set -u
here=$(cd "$(dirname "$0")" && pwd)
mode=$1 gen=$2 wt=$3
diff=$here/difffuzz.sh
case $mode in
node)
	major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
	if ((major < 20)); then
		echo "skipped: node 20 or later not found (the oracle runs node:wasi preview1)"
		exit 77
	fi
	exec "$diff" --gen "$gen" --seeds 1:15 -a "'$wt' run {}" \
		-b "node --no-warnings '$here/../bench/node-wasi.mjs' {}"
	;;
same)
	tier=jit
	"$gen" 1 "${TMPDIR:-/tmp}/difffuzz-probe.$$.wasm" >/dev/null
	"$wt" run --tier jit "${TMPDIR:-/tmp}/difffuzz-probe.$$.wasm" >/dev/null 2>&1
	(($? == 64)) && tier=interp && echo "note: this build has no compiling tier: interp vs interp"
	rm -f "${TMPDIR:-/tmp}/difffuzz-probe.$$.wasm"
	exec "$diff" --gen "$gen" --seeds 1:25 --messages --nan-bits -a "'$wt' run --tier interp {}" \
		-b "'$wt' run --tier $tier {}"
	;;
self)
	status=0
	for flip in out trap; do
		out=$("$diff" --gen "$gen" --seeds 1:8 --messages -a "'$wt' run {}" \
			-b "'$here/flip_engine.sh' $flip '$wt' run {}" 2>&1)
		s=$?
		if ((s != 1)) || ! grep -q 'MISMATCH at seed' <<<"$out"; then
			echo "difffuzz_test: a '$flip'-flipping engine was not reported (exit $s):"
			echo "$out" | tail -5
			status=1
		else
			echo "ok: a '$flip'-flipping engine is reported: $(grep -m1 'MISMATCH' <<<"$out")"
		fi
	done
	exit $status
	;;
*)
	echo "usage: difffuzz_test.sh node|self|same WASM_GEN WASI_TOFU" >&2
	exit 64
	;;
esac
