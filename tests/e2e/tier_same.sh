#!/bin/sh
# tier_same.sh: the compiling tier behaves as the interpreter (docs/engine.md, "The compiling
# tier"): for each fixture and each --fuel budget, `run --tier interp` and `run --tier jit` print
# the same stdout and stderr (results, trap messages with their function and offset) and exit
# with the same status; and `record` under both writes the same journal events; --timeout stops
# a recursion without loops on both. Also: `--tier jit`
# does compile (and interp does not), `--tier` rejects an unknown name (64).
# usage: tier_same.sh WASI-TOFU FIXTURES-DIR SCRATCH-DIR
set -u
W=$1 F=$2 T=$3
fails=0 n=0
rm -rf "$T" && mkdir -p "$T" || exit 1
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

TIERS="interp jit"
. "$(dirname "$0")/same_tiers.sh"

for fuel in "" 1 2 7 40 100 333 1000 4567 20000 100000 400000; do
	opt=""; [ -n "$fuel" ] && opt="--fuel $fuel"
	for f in tier_mix tier_deep tier_oob cli_divzero; do
		# shellcheck disable=SC2086
		same "$f${fuel:+ --fuel $fuel}" $opt "$F/$f.wasm"
	done
done
for fuel in 1 7 100 4567 100000; do
	same "tier_spin --fuel $fuel" --fuel $fuel "$F/tier_spin.wasm"
done
for f in cli_starttrap cli_grow exit_code simd_checksum cli_return limit_fill; do
	same "$f" "$F/$f.wasm"
done
same "tier_mix --max-memory 64K" --max-memory 64K "$F/tier_mix.wasm"

# A fuel trap really happens in the middle (not only the trivial cases above).
"$W" run --tier jit --fuel 20000 "$F/tier_mix.wasm" >/dev/null 2>"$T/err"
grep -q "fuel exhausted" "$T/err" || fail "--fuel 20000: no fuel trap: $(cat "$T/err")"

# --timeout stops a recursion without loops (it polls only at its calls) on both tiers, with the
# timeout trap in the recursive function (at one of its two calls: which one is the timing's)
for t in interp jit; do
	n=$((n + 1))
	"$W" run --tier $t --timeout 0.3 "$F/tier_spin.wasm" >/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 134 ] && grep -q "trap: time limit exceeded in function 0 " "$T/err" ||
		fail "--tier $t --timeout 0.3 tier_spin: status $rc: $(cat "$T/err")"
done

# --timeout stops a loop that polls nothing else (cli_loop: `loop br`) on every tier, compiled
# code loaded from the code cache too (`auto`'s second run): libgccjit 12 dropped the flag's
# `volatile`, GCC hoisted its read out of the loop and the run never ended. `timeout` turns a
# hang into a failure.
for t in interp jit auto auto; do
	n=$((n + 1))
	timeout 20 "$W" run --tier $t --timeout 0.3 "$F/cli_loop.wasm" >/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 134 ] && grep -q "trap: time limit exceeded" "$T/err" ||
		fail "--tier $t --timeout 0.3 cli_loop: status $rc: $(cat "$T/err")"
done

# record: the same journal events on both tiers (the header's times differ)
for t in interp jit; do
	"$W" record --tier $t --journal "$T/$t.jsonl" -o "$T/$t.yaml" "$F/tier_mix.wasm" >/dev/null 2>&1
	sed 's/"start":"[^"]*"//; s/"t":[0-9]*//; s/"duration_ns":[0-9]*//' "$T/$t.jsonl" >"$T/$t.ev"
done
n=$((n + 1))
cmp -s "$T/interp.ev" "$T/jit.ev" || fail "record: the journals differ: $(diff "$T/interp.ev" "$T/jit.ev" | head -4)"

# --tier reaches the engine: jit compiles (WT_JIT_STATS=1 prints the compile's figures), interp
# does not; for run and for record
for cmd in run record; do
	extra=""; [ $cmd = record ] && extra="--journal $T/stats.jsonl -o $T/stats.yaml"
	# shellcheck disable=SC2086
	WT_JIT_STATS=1 "$W" $cmd --tier jit $extra "$F/tier_mix.wasm" >/dev/null 2>"$T/err"
	grep -q "wasi-tofu: jit: .* compiled" "$T/err" || fail "$cmd --tier jit: nothing compiled"
	# shellcheck disable=SC2086
	WT_JIT_STATS=1 "$W" $cmd --tier interp $extra "$F/tier_mix.wasm" >/dev/null 2>"$T/err"
	grep -q "wasi-tofu: jit:" "$T/err" && fail "$cmd --tier interp: compiled"
done

"$W" run --tier fast "$F/tier_mix.wasm" >/dev/null 2>"$T/err"
[ $? -eq 64 ] || fail "--tier fast: not a usage error"
grep -q "expected interp, auto or jit" "$T/err" || fail "--tier fast: $(cat "$T/err")"

if [ $fails -eq 0 ]; then echo "tier_same: all $n cases alike"; else echo "tier_same: $fails failed"; exit 1; fi
