#!/bin/sh
# tierup.sh: the `auto` tier's tier-up (docs/engine.md, "Tier-up"): a first run finds the hot
# functions and its compile child puts them in a private code cache; the next run loads them and
# runs them compiled (its WT_JIT_STATS line says so); and with the compiled functions loaded, the
# output, exit status, the --fuel stopping point and record's journal are byte for byte those of
# --tier interp. A run shorter than the warm-up sends nothing; --no-cache forks no child; the
# functions the tier refuses are not sent again.
# usage: tierup.sh WASI-TOFU FIXTURES-DIR SCRATCH-DIR
set -u
W=$1 F=$2 T=$3
fails=0 n=0
rm -rf "$T" && mkdir -p "$T" || exit 1
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
XDG_CACHE_HOME=$T/cache XDG_STATE_HOME=$T/state
export XDG_CACHE_HOME XDG_STATE_HOME
# hot at 100 calls and back-edges, sent from the first instant: the fixtures are short; no
# regroup but in case 1b
WT_JIT_HOT=100 WT_JIT_WARM_MS=0 WT_JIT_REGROUP_MIN=0
export WT_JIT_HOT WT_JIT_WARM_MS WT_JIT_REGROUP_MIN
unset WT_JIT_STATS
M=$F/tier_mix.wasm

# stats ARGS...: the tier-up line of a run with ARGS
stats() { WT_JIT_STATS=1 "$W" run "$@" 2>&1 >/dev/null | grep 'tier-up:'; }

# 1. the first run compiles in the background, the second loads
n=$((n + 1))
line=$(stats "$M")
case $line in
*"0 pieces loaded"*" sent, 0 dropped"*) ;;
*) fail "first run: $line" ;;
esac
echo "$line" | grep -q ' [1-9][0-9]* sent' || fail "first run: nothing sent: $line"
ls "$T"/cache/wasi-tofu/*/*.piece >/dev/null 2>&1 || fail "first run: no piece in the cache"
n=$((n + 1))
line=$(stats "$M")
echo "$line" | grep -q '[1-9][0-9]* pieces loaded, [1-9][0-9]* functions compiled' ||
	fail "second run: nothing loaded: $line"
# every piece the cache holds is loaded (each memfd closed once loaded: its number comes back)
pieces=$(ls "$T"/cache/wasi-tofu/*/*.piece | wc -l)
[ "$pieces" -ge 2 ] || fail "first run: one batch only ($pieces pieces): the test shows nothing"
mkdir -p "$T/saved-pieces" && cp "$T"/cache/wasi-tofu/*/*.piece "$T/saved-pieces/"
echo "$line" | grep -q "^wasi-tofu: tier-up: $pieces pieces loaded" ||
	fail "second run: not all $pieces pieces loaded: $line"

# 1b. a converged run of an entry of several pieces regroups them: its child rebuilds their
# functions as one object (here after the run, in the grace: the fixture is short), puts it and
# removes the pieces; the next run loads that one object, the same functions compiled
n=$((n + 1))
compiled=$(echo "$line" | sed 's/.* pieces loaded, \([0-9]*\) functions compiled.*/\1/')
out=$(WT_JIT_STATS=1 WT_JIT_REGROUP_MIN=2 WT_JIT_GRACE=60 "$W" run "$M" 2>&1 >/dev/null)
echo "$out" | grep -q "regroup: $pieces of $pieces pieces ($compiled functions) into one object" ||
	fail "regroup: not done: $out"
groups=$(ls "$T"/cache/wasi-tofu/*/*.group 2>/dev/null | wc -l)
left=$(ls "$T"/cache/wasi-tofu/*/*.piece 2>/dev/null | wc -l)
[ "$groups" = 1 ] && [ "$left" = 0 ] || fail "regroup: $groups groups, $left pieces left"
line=$(stats "$M")
echo "$line" | grep -q "^wasi-tofu: tier-up: 1 pieces loaded, $compiled functions compiled" ||
	fail "after the regroup: $line"
# a crash between the group's put and the pieces' removal leaves both: the next run loads the
# group's copy of each function, and drops the pieces it supersedes
cp "$T"/saved-pieces/*.piece "$T"/cache/wasi-tofu/*/
line=$(stats "$M")
echo "$line" | grep -q "^wasi-tofu: tier-up: 1 pieces loaded, $compiled functions compiled" ||
	fail "group and pieces: $line"
left=$(ls "$T"/cache/wasi-tofu/*/*.piece 2>/dev/null | wc -l)
[ "$left" = 0 ] || fail "group and pieces: $left superseded pieces left"

# 2. with compiled functions loaded, everything the CLI prints is the interpreter's
# (same: tests/e2e/same_tiers.sh, auto with the cache warm against interp)
TIERS="auto interp"
. "$(dirname "$0")/same_tiers.sh"
same "tier_mix" "$M"
# a piece made with fuel charges is another cache entry: warm it, check it loads
"$W" run --fuel 100000000 "$M" >/dev/null 2>&1
n=$((n + 1))
line=$(stats --fuel 100000000 "$M")
echo "$line" | grep -q '[1-9][0-9]* functions compiled' || fail "--fuel: nothing loaded: $line"
for fuel in 1 7 100 1000 4567 20000 100000; do
	same "tier_mix --fuel $fuel" --fuel $fuel "$M"
done
"$W" run --fuel 20000 "$M" >/dev/null 2>"$T/err"
grep -q "fuel exhausted" "$T/err" || fail "--fuel 20000: no fuel trap: $(cat "$T/err")"

# record: the same journal events (the header's times differ)
# events TIER: record's journal of the fixture on TIER, its times left out
events() {
	"$W" record --tier "$1" --journal "$T/$1.jsonl" -o "$T/$1.yaml" "$M" >/dev/null 2>&1
	sed 's/"start":"[^"]*"//; s/"t":[0-9]*//; s/"duration_ns":[0-9]*//' "$T/$1.jsonl"
}
n=$((n + 1))
[ "$(events auto)" = "$(events interp)" ] || fail "record: the journals differ"

# 3. a run shorter than the warm-up sends nothing (and so never waits for the child)
n=$((n + 1))
line=$(WT_JIT_WARM_MS=100000 stats "$F/tier_deep.wasm")
case $line in
*" 0 sent, 0 dropped, "[1-9]*" too early"*) ;;
*) fail "short run: $line" ;;
esac

# 4. --no-cache: no tier-up at all
n=$((n + 1))
line=$(stats --no-cache "$F/tier_deep.wasm")
[ -z "$line" ] || fail "--no-cache: $line"

# 5. vector functions tier up like the others: the first run sends them, the second loads them
# compiled and sends nothing (before the tier translated vector ops, they were refused)
n=$((n + 1))
S=$F/simd_checksum.wasm
line=$(WT_JIT_HOT=1 WT_JIT_MIN_HEAT=1 stats "$S")
echo "$line" | grep -q ' [1-9][0-9]* hot' || fail "simd, first run: nothing hot: $line"
line=$(WT_JIT_HOT=1 WT_JIT_MIN_HEAT=1 stats "$S")
case $line in
*"pieces loaded, "[1-9]*" functions compiled, 0 refused, 0 hot, 0 sent, "*) ;;
*) fail "simd, second run: the vector functions are not loaded compiled: $line" ;;
esac

if [ $fails -eq 0 ]; then echo "tierup: all $n cases alike"; else echo "tierup: $fails failed"; exit 1; fi
