#!/usr/bin/env bash
# difffuzz.sh: the differential fuzzer. Generates random valid modules (wasm-gen, wasm_gen.c),
# runs each under two engines and compares what they print (every result, the globals and a
# checksum of memory), whether they trap, and with --messages the trap message itself.
#
# Usage: tests/fuzz/difffuzz.sh --gen WASM_GEN -a 'ENGINE A' -b 'ENGINE B'
#                               [--seeds FIRST:COUNT] [--messages] [--nan-bits] [--keep DIR]
#                               [--timeout S]
#   -a, -b       command templates run by bash; {} is replaced by the module's path, e.g.
#                -a 'build/cmd/wasi-tofu run {}'
#                -b 'node --no-warnings tests/bench/node-wasi.mjs {}'
#                -b 'build/cmd/wasi-tofu run --tier jit {}'   (two wasi-tofu tiers: add --messages)
#                An engine reports a trap by exiting with 134 (wasi-tofu, node-wasi.mjs).
#   --seeds      FIRST:COUNT (default 1:100); the same seed is the same module everywhere
#   --messages   also compare the trap line (the last stderr line containing "trap:") with the
#                engine's own prefix removed: for two tiers of wasi-tofu, whose messages agree
#   --nan-bits   modules with NaN constants of chosen bits and no canonicalising (wasm-gen
#                --nan-bits): for two tiers of wasi-tofu, which promise the same NaN bits
#   --keep DIR   where a disagreeing module is kept (default: a new folder under /tmp)
#   --timeout S  an engine run longer than S seconds is killed and the seed counted as
#                inconclusive, not compared (default 60: every generated module ends, quickly)
# Exit status: 0 all agreed, 1 a mismatch (or an invalid module from the generator), 64 usage.
set -u

gen="" a="" b="" first=1 count=100 messages=0 keep="" limit=60 genflags=()
while (($#)); do
	case $1 in
	--gen) gen=$2; shift ;;
	-a) a=$2; shift ;;
	-b) b=$2; shift ;;
	--seeds) first=${2%%:*}; count=${2##*:}; shift ;;
	--messages) messages=1 ;;
	--nan-bits) genflags=(--nan-bits) ;;
	--keep) keep=$2; shift ;;
	--timeout) limit=$2; shift ;;
	-h | --help) sed -n '2,24p' "$0"; exit 0 ;;
	*) echo "difffuzz: unknown argument '$1'" >&2; exit 64 ;;
	esac
	shift
done
if [[ -z $gen || -z $a || -z $b ]]; then
	echo "difffuzz: --gen, -a and -b are required (see --help)" >&2
	exit 64
fi
work=$(mktemp -d /tmp/wt-difffuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
validate=$(command -v wasm-validate || true)

# run NAME TEMPLATE MODULE: runs one engine; its stdout in $work/NAME.out, outcome in $work/NAME.st
run() {
	local cmd=${2//\{\}/$3}
	timeout "$limit" bash -c "$cmd" >"$work/$1.out" 2>"$work/$1.err" </dev/null
	local s=$?
	case $s in
	0) echo "ran to the end" ;;
	134) echo "trapped" ;;
	124) echo "timeout" ;;
	*) echo "exit $s" ;;
	esac >"$work/$1.st"
	# the trap line without the engine's own prefix ("wasi-tofu: run: trap: ...")
	grep -a 'trap:' "$work/$1.err" | tail -n 1 | sed 's/^.*trap: //' >"$work/$1.trap"
}

# report SEED MODULE WHY: prints the disagreement and keeps the module.
report() {
	[[ -n $keep ]] || keep=$(mktemp -d /tmp/wt-difffuzz-keep.XXXXXX)
	mkdir -p "$keep"
	cp "$2" "$keep/seed-$1.wasm"
	echo "difffuzz: MISMATCH at seed $1 ($3); module kept as $keep/seed-$1.wasm"
	echo "  a: $(cat "$work/a.st"), $(wc -l <"$work/a.out") lines; $(head -c 200 "$work/a.trap")"
	echo "  b: $(cat "$work/b.st"), $(wc -l <"$work/b.out") lines; $(head -c 200 "$work/b.trap")"
	diff "$work/a.out" "$work/b.out" | head -n 6 | sed 's/^/  /'
	echo "  again: $gen ${genflags[*]} $1 m.wasm, then run both engines on m.wasm"
}

bad=0 ran=0 trapped=0 inconclusive=0
declare -A kinds=()
for ((seed = first; seed < first + count; seed++)); do
	m=$work/m.wasm
	if ! "$gen" "${genflags[@]}" "$seed" "$m"; then
		echo "difffuzz: the generator failed at seed $seed"
		exit 1
	fi
	if [[ -n $validate ]] && ! "$validate" "$m" 2>"$work/v.err"; then
		echo "difffuzz: the generator made an invalid module at seed $seed: $(head -c 300 "$work/v.err")"
		bad=$((bad + 1))
		continue
	fi
	run a "$a" "$m"
	run b "$b" "$m"
	if grep -q timeout "$work/a.st" "$work/b.st"; then
		# a run killed by --timeout proves nothing on a loaded machine: counted, not compared
		echo "difffuzz: seed $seed inconclusive: a $(cat "$work/a.st"), b $(cat "$work/b.st")"
		inconclusive=$((inconclusive + 1))
		continue
	elif ! cmp -s "$work/a.st" "$work/b.st"; then
		report "$seed" "$m" "outcome"
		bad=$((bad + 1))
	elif ! cmp -s "$work/a.out" "$work/b.out"; then
		report "$seed" "$m" "output"
		bad=$((bad + 1))
	elif ((messages)) && ! cmp -s "$work/a.trap" "$work/b.trap"; then
		report "$seed" "$m" "trap message"
		bad=$((bad + 1))
	fi
	case $(cat "$work/a.st") in
	"ran to the end") ran=$((ran + 1)) ;;
	trapped)
		trapped=$((trapped + 1))
		k=$(sed 's/ in function.*//' "$work/a.trap")
		kinds[$k]=$((${kinds[$k]:-0} + 1)) ;;
	esac
done
echo "difffuzz: seeds $first..$((first + count - 1)): $ran ran to the end, $trapped trapped," \
	"$bad mismatches, $inconclusive inconclusive (timeout)"
for k in "${!kinds[@]}"; do echo "  ${kinds[$k]} x $k"; done | sort -rn
((bad == 0))
