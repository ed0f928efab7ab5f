#!/bin/sh
# code_cache.sh: the code cache through the CLI (docs/security.md, "The code cache"): --no-cache
# is accepted wherever RUN-OPTIONS are (run, record, trust) and creates nothing: the cache folder
# and the key stay absent.
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

if [ $fails -eq 0 ]; then echo "code_cache: all $n cases pass"; else echo "code_cache: $fails failed"; exit 1; fi
