#!/bin/sh
# args_fit.sh: a manifest fits the next run when the command line changes the way a person
# changes it: a path argument read at any position (${arg}), an output named after an
# argument in another folder (${arg}.gz), a new file beside an argument (${argdir}/*, only: new),
# each rule with its recorded evidence in its comment.
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

# a new file beside an argument, under another name (a log, a temporary): ${argdir}/*, only:
# new, follows the argument to another folder; the kept output keeps its exact name (paths
# through the folder's fd, as a tool makes them: no argument names them)
mkdir -p p/data/a p/data/b
echo x > p/data/a/x.bin
echo y > p/data/b/y.bin
echo old > p/data/b/old.txt
M2=p/m2.yaml
"$W" record --mount p/data:/data -o $M2 p/raw.wasm read /data/a/x.bin write @3/a/out.txt x \
	creat @3/a/x.tmp unlink @3/a/x.tmp > o.txt 2> e.txt || fail "record beside" e.txt
grep -qF "  - {path: '\${argdir}/*', allow: [write, create, delete, truncate], only: new}" $M2 ||
	fail "no \${argdir}/* rule" $M2
grep -qF '# created by the run beside a path given as an argument, at any position, new names each run (recorded: argument 2, /data/a/x.bin; 2 seen, e.g. out.txt); only what a run creates' $M2 ||
	fail "the \${argdir}/* rule's comment lacks its evidence" $M2
grep -qF "  - {path: /data/a/out.txt, allow: [write, create, truncate]}" $M2 ||
	fail "the kept output lost its exact name" $M2
"$W" run --manifest $M2 --on-deviation fail p/raw.wasm read /data/b/y.bin \
	write @3/b/out.txt y creat @3/b/y.tmp unlink @3/b/y.tmp > o.txt 2> e.txt ||
	fail "a moved input folder deviates" e.txt
[ "$(cat p/data/b/out.txt 2> /dev/null)" = y ] || fail "the output beside the moved input was not written"
# only what a run creates: a file that was there before in that folder stays untouched
"$W" run --manifest $M2 --on-deviation fail p/raw.wasm read /data/b/y.bin \
	write @3/b/old.txt z > o.txt 2> e.txt
[ $? = 77 ] && [ "$(cat p/data/b/old.txt)" = old ] || fail "a file there before was written" e.txt
# never a folder no argument's path is in
"$W" run --manifest $M2 --on-deviation fail p/raw.wasm read /data/b/y.bin \
	write @3/new.txt z > o.txt 2> e.txt
[ $? = 77 ] && [ ! -e p/data/new.txt ] || fail "a file outside the argument's folder was made" e.txt

# an argument the run never touched is no evidence (a word, text that looks like a path): the
# recorded folder's * as before
"$W" record --mount p/data:/data -o p/m3.yaml p/raw.wasm write @3/a/z.tmp /data/a/unused.bin \
	unlink @3/a/z.tmp > o.txt 2> e.txt || fail "record with an untouched argument" e.txt
grep -q 'argdir' p/m3.yaml && fail "\${argdir} from an argument the run never touched" p/m3.yaml
grep -qF "  - {path: /data/a/*, allow: [write, create, delete, truncate], only: new}" p/m3.yaml ||
	fail "no recorded folder rule" p/m3.yaml

# the one rule writer: the deviation of such a file suggests that rule, and pasted it passes
"$W" run --manifest $M --on-deviation fail p/raw.wasm read /data/b/y.bin write @3/b/new.log q \
	> o.txt 2> e.txt
[ $? = 77 ] || fail "a new file beside the argument did not deviate" e.txt
grep -qF "      - {path: '\${argdir}/*', allow: [write, create, truncate], only: new}" e.txt ||
	fail "the suggestion is not \${argdir}/*" e.txt
sed -n 's/^    \(.*\)$/\1/p' e.txt | grep -v '^ *path_open' > p/m.override.yaml
"$W" run --manifest $M --on-deviation fail p/raw.wasm read /data/b/y.bin write @3/b/new.log q \
	> o.txt 2> e.txt || fail "the pasted \${argdir}/* rule does not pass" e.txt
rm p/m.override.yaml

[ $fails = 0 ] && echo "all ok" || echo "$fails failed"
[ $fails = 0 ]
