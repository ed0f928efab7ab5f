#!/bin/sh
# code_cache.sh: the code cache through the CLI (docs/security.md, "The code cache"): --no-cache
# is accepted wherever RUN-OPTIONS are (run, record, trust) and creates nothing: the cache folder
# and the key stay absent; a run whose --mount reaches the cache does not use it (a note); the
# second run of a module with --tier jit compiles nothing and prints the same; a piece planted
# in the cache is refused and removed; --no-cache does not read a cache that exists.
# usage: code_cache.sh WASI-TOFU FIXTURES-DIR SCRATCH-DIR
set -u
W=$1 F=$2 T=$3
fails=0 n=0
rm -rf "$T" && mkdir -p "$T" || exit 1
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
XDG_CACHE_HOME=$T/cache XDG_STATE_HOME=$T/state HOME=$T/home
export XDG_CACHE_HOME XDG_STATE_HOME HOME
mkdir -p "$HOME"
CACHE=$T/cache/wasi-tofu KEY=$T/state/wasi-tofu/cache.key

# nothing NAME: neither the cache folder nor the key exists
nothing() {
	n=$((n + 1))
	[ ! -e "$CACHE" ] || fail "$1: the cache folder was made"
	[ ! -e "$KEY" ] || fail "$1: the key was made"
}

"$W" run --no-cache --tier jit "$F/tier_mix.wasm" >"$T/out" 2>"$T/err" ||
	fail "run --no-cache: status $? $(cat "$T/err")"
nothing "run --no-cache --tier jit"
"$W" run --tier auto --no-cache "$F/tier_mix.wasm" >/dev/null 2>&1 || fail "run --tier auto --no-cache"
nothing "run --tier auto --no-cache"
"$W" record --no-cache --tier jit -o "$T/m.yaml" --journal "$T/j.jsonl" "$F/tier_mix.wasm" \
	>/dev/null 2>"$T/err" || fail "record --no-cache: status $? $(cat "$T/err")"
nothing "record --no-cache"
"$W" run --no-cache --manifest "$T/m.yaml" --tier jit "$F/tier_mix.wasm" >/dev/null 2>"$T/err" ||
	fail "run --manifest --no-cache: status $? $(cat "$T/err")"
nothing "run --manifest --no-cache"
"$W" trust --no-cache --help >/dev/null 2>"$T/err" || fail "trust --no-cache: $(cat "$T/err")"
n=$((n + 1))
"$W" run --no-cache=1 "$F/tier_mix.wasm" >/dev/null 2>"$T/err"
[ $? -eq 64 ] || fail "--no-cache=1: not a usage error"
n=$((n + 1))

# a mount that holds the cache folder: not used, not made
mkdir -p "$T/cache"
"$W" run --tier jit --mount "$T/cache:/c" "$F/tier_mix.wasm" >/dev/null 2>"$T/err" ||
	fail "run --mount over the cache: status $? $(cat "$T/err")"
grep -q "note: the code cache is not used: the mount of '$T/cache' reaches" "$T/err" ||
	fail "mount over the cache: no note: $(cat "$T/err")"
nothing "run --mount over the cache"
mkdir -p "$T/state"
"$W" run --tier jit --dir "$T/state" "$F/tier_mix.wasm" >/dev/null 2>"$T/err"
grep -q "note: the code cache is not used" "$T/err" || fail "--dir over the key: no note"
nothing "run --dir over the key's folder"

# jit RUN: the WT_JIT_STATS line of a run with --tier jit; its stdout in $T/RUN.out
jit() {
	WT_JIT_STATS=1 "$W" run --tier jit "$@" "$F/tier_mix.wasm" >"$T/$run.out" 2>"$T/$run.err" ||
		fail "$run: status $? $(cat "$T/$run.err")"
	grep "wasi-tofu: jit:" "$T/$run.err"
}
n=$((n + 1))
run=first; jit | grep -q " [1-9][0-9]* compiled" || fail "first run: nothing compiled: $(cat "$T/first.err")"
[ "$(stat -c %a "$CACHE")" = 700 ] || fail "the cache folder is not 0700"
[ "$(stat -c %a "$KEY")" = 600 ] || fail "the key is not 0600"
n=$((n + 1))
run=second; jit | grep -q " 0 compiled now in 0 objects, 1 pieces from the code cache" ||
	fail "second run: not from the cache: $(cat "$T/second.err")"
cmp -s "$T/first.out" "$T/second.out" || fail "second run: another output"
n=$((n + 1))
run=nocache; jit --no-cache | grep -q " [1-9][0-9]* compiled" || fail "--no-cache read the cache"

# a planted piece (no valid MAC) next to the real one: refused, removed, never loaded
n=$((n + 1))
entry=$(echo "$CACHE"/*/)
printf 'WTJCPC1\n%032d%s' 0 "not a shared object" >"$entry/planted.piece"
run=planted; jit | grep -q " 0 compiled now in 0 objects, 1 pieces from the code cache" || fail "planted: $(cat "$T/planted.err")"
grep -q "piece 'planted.piece' refused: its MAC does not match" "$T/planted.err" ||
	fail "planted: no note: $(cat "$T/planted.err")"
[ ! -e "$entry/planted.piece" ] || fail "planted: not removed"
cmp -s "$T/first.out" "$T/planted.out" || fail "planted: another output"

if [ $fails -eq 0 ]; then echo "code_cache: all $n cases pass"; else echo "code_cache: $fails failed"; exit 1; fi
