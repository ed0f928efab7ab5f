#!/bin/sh
# fakes_e2e.sh: fake clocks and random end to end: `clocks: fake` / `random: {fake: SEED}` runs
# repeat byte for byte and never sleep; real ones differ; --fake-clocks/--fake-random match them.
# usage: fakes_e2e.sh WASI-TOFU FIXTURES-DIR SCRATCH-DIR
set -u
W=$1 F=$2 T=$3
fails=0
rm -rf "$T" && mkdir -p "$T" && cd "$T" || exit 1
cp "$F/fakes_probe.wasm" probe.wasm
manifest() { # NAME CLOCKS RANDOM
	printf 'version: 1\nclocks: %s\nrandom: %s\nstdio: [stdout, stderr]\n' "$2" "$3" > "$1"
}
manifest fake.yaml '{fake: [realtime, monotonic]}' '{fake: 7}'
manifest seed8.yaml '{fake: [realtime, monotonic]}' '{fake: 8}'
manifest real.yaml '[realtime, monotonic]' true

bad() { echo "FAIL $1"; fails=$((fails + 1)); }
ok() { echo "ok   $1"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# run OUT ARGS...: runs wasi-tofu ARGS with stdout in OUT; fails on a non-zero status.
run() {
	out=$1
	shift
	"$W" "$@" > "$out" 2> err.txt || { bad "$out: status $?: $(cat err.txt)"; }
}

t0=$(now_ms)
run fake1.txt run --manifest fake.yaml probe.wasm
run fake2.txt run --manifest fake.yaml probe.wasm
ms=$(($(now_ms) - t0))
cmp -s fake1.txt fake2.txt && ok "fake runs repeat" || bad "fake runs differ: $(diff fake1.txt fake2.txt)"
[ "$ms" -lt 4000 ] && ok "fake runs do not sleep (${ms} ms for two 5 s naps)" ||
	bad "two fake runs took ${ms} ms"
grep -qx 'realtime 946684800.000000000' fake1.txt && ok "fake realtime starts at 2000-01-01" ||
	bad "first realtime: $(head -1 fake1.txt)"
grep -qx 'monotonic 0.001000000' fake1.txt && ok "fake monotonic steps 1 ms per read" ||
	bad "monotonic: $(grep monotonic fake1.txt)"
grep -qx 'slept 5 s' fake1.txt && ok "the nap moves the fake clock on" || bad "nap: $(cat fake1.txt)"
[ "$(grep -c '^random ' fake1.txt)" = 2 ] && [ "$(grep '^random ' fake1.txt | sort -u | wc -l)" = 2 ] &&
	ok "the random stream goes on" || bad "random lines: $(grep random fake1.txt)"

run seed8.txt run --manifest seed8.yaml probe.wasm
[ "$(grep -v '^random ' fake1.txt)" = "$(grep -v '^random ' seed8.txt)" ] &&
	! grep '^random ' fake1.txt | grep -qxFf - seed8.txt && ok "another seed, another stream" ||
	bad "seed 8 vs 7: $(diff fake1.txt seed8.txt)"

run real1.txt run --manifest real.yaml probe.wasm 1
run real2.txt run --manifest real.yaml probe.wasm 1
! grep '^random ' real1.txt | grep -qxFf - real2.txt && ok "real random differs" ||
	bad "real random repeats: $(grep random real1.txt real2.txt)"
! grep -q '^realtime 946684800\.' real1.txt && ok "real realtime is the host's" ||
	bad "real realtime: $(head -1 real1.txt)"
grep -qx 'slept 1 s' real1.txt && ok "real runs sleep" || bad "real nap: $(cat real1.txt)"

run flags.txt run --fake-clocks --fake-random 7 probe.wasm
cmp -s fake1.txt flags.txt && ok "--fake-clocks --fake-random 7 = the manifest's fakes" ||
	bad "flags vs manifest: $(diff fake1.txt flags.txt)"
"$W" run --fake-random seven probe.wasm > /dev/null 2> err.txt
st=$?
[ "$st" = 64 ] && grep -qF -- "--fake-random" err.txt && ok "--fake-random needs a number" ||
	bad "--fake-random seven: status $st: $(cat err.txt)"

[ "$fails" = 0 ] && echo "fakes: all passed" || echo "fakes: $fails failed"
exit $((fails != 0))
