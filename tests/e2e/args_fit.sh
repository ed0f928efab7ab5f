#!/bin/sh
# args_fit.sh: a manifest fits the next run when the command line changes the way a person
# changes it: a path argument read at any position (${arg}), an output named after an
# argument in another folder (${arg}.gz), each rule with its recorded evidence in its comment.
# usage: args_fit.sh WASI-TOFU FIXTURES-DIR SCRATCH-DIR
set -u
W=$1 F=$2 T=$3
fails=0
rm -rf "$T" && mkdir -p "$T/p/data/sub" && cd "$T" || exit 1
echo in > p/data/in
echo other > p/data/other
echo sub > p/data/sub/in
echo pre > p/data/pre.gz
cp "$F/rawwasi.wasm" p/raw.wasm
M=p/m.yaml

fail() {
	echo "FAIL $1"
	[ -n "${2:-}" ] && sed 's/^/    /' "$2"
	fails=$((fails + 1))
}

# recorded: read the argument, write its name + .gz beside it (through the folder's fd, as
# minigzip does: the output path is no argument)
"$W" record --mount p/data:/data -o $M p/raw.wasm read /data/in write @3/in.gz x \
	> o.txt 2> e.txt || fail "record" e.txt
grep -qF "  - {path: '\${arg}', allow: [read]}" $M || fail "no \${arg} read rule" $M
grep -qF "  - {path: '\${arg}.gz', allow: [write, create, truncate]}" $M ||
	fail "no \${arg}.gz rule" $M
grep -q '# a path given as an argument, at any position (recorded: argument 2, /data/in)' $M ||
	fail "the \${arg} rule's comment lacks its evidence" $M
grep -q '# named after a path given as an argument (recorded: argument 2, /data/in)' $M ||
	fail "the \${arg}.gz rule's comment lacks its evidence" $M

# another run: one more argument first, the input in a subfolder: passes
"$W" run --manifest $M --on-deviation fail p/raw.wasm read /data/other read /data/sub/in \
	write @3/sub/in.gz y > o.txt 2> e.txt || fail "moved and added arguments deviate" e.txt
[ -f p/data/sub/in.gz ] || fail "the output in the subfolder was not written"

# as narrow as the evidence: no argument named pre, so pre.gz stays untouched
"$W" run --manifest $M --on-deviation fail p/raw.wasm read /data/in write @3/pre.gz z \
	> o.txt 2> e.txt
[ $? = 77 ] && [ "$(cat p/data/pre.gz)" = pre ] || fail "a .gz no argument names was written" e.txt

[ $fails = 0 ] && echo "all ok" || echo "$fails failed"
[ $fails = 0 ]
