#!/bin/sh
# suggest_paste.sh: the one rule writer (manifest/suggest.c) end to end. A run outside its
# manifest stops (or drops an --env variable) with a message that shows the exact YAML to add
# and the exact file to add it to; this test pastes exactly that text into exactly that file,
# as a person would, and the same run must then pass: for a file read, a file the run
# creates, an env variable, two clocks (the second extends the first line: it must load),
# random and stdin. Then the prompt's [a] names the file it writes.
# usage: suggest_paste.sh WASI-TOFU FIXTURES-DIR SCRATCH-DIR
set -u
W=$1 F=$2 T=$3
fails=0
rm -rf "$T" && mkdir -p "$T/proj/src" "$T/proj/out" && cd "$T" || exit 1
echo hello > proj/src/in.txt
echo more > proj/src/extra.txt
cp "$F/rawwasi.wasm" proj/raw.wasm
M=proj/raw.manifest.yaml O=proj/raw.override.yaml
cat > $M <<YAML
version: 1
mounts:
  /src: {host: src, mode: ro}
  /out: {host: out, mode: rw}
files:
  - {path: /src/in.txt, allow: [read]}
stdio: [stdout]
YAML

fail() {
	echo "FAIL $1"
	[ -n "${2:-}" ] && sed 's/^/    /' "$2"
	fails=$((fails + 1))
}

# paste ERR: does what the message in ERR says: the line "  to allow it, WHERE" (or "to
# pass it") and the block below it (indented by 4). WHERE is one of
#   add these lines to FILE:                 -> append the block to FILE (made when missing)
#   add this line under files: in FILE:      -> append it (files: is the file's last key here)
#   add this line to FILE:                   -> append it
#   replace the KEY: line of FILE with:      -> drop FILE's KEY: line, append the block
paste() {
	where=$(sed -n 's/^  to [a-z]* it, //p' "$1" | head -n 1)
	[ -n "$where" ] || { fail "no suggestion in $1" "$1"; return 1; }
	file=$(printf '%s\n' "$where" | sed -n 's/.* \(in\|to\|of\) \([^ ]*\)\( with\)\{0,1\}:$/\2/p')
	[ -n "$file" ] || { fail "no file named in '$where'" "$1"; return 1; }
	awk 'f && /^    / { print substr($0, 5); next } f { exit } /^  to [a-z]* it, / { f = 1 }' \
		"$1" > block.txt
	case $where in
	"replace the "*)
		key=$(printf '%s\n' "$where" | sed 's/^replace the \([a-z_]*\): .*/\1/')
		grep -v "^$key:" "$file" > tmp.yaml
		cat tmp.yaml > "$file"
		;;
	esac
	cat block.txt >> "$file"
	echo "ok   pasted into $file: $(tr '\n' '|' < block.txt)"
}

# cycle NAME WANT-IN-STDOUT [RUN-ARGS...]: run stops (77) or tells a dropped env; paste the
# suggestion; the same run passes (0, no "wasi-tofu:" line) and prints WANT.
cycle() {
	name=$1 want=$2
	shift 2
	"$W" run --manifest $M --on-deviation fail "$@" < proj/src/in.txt > o1.txt 2> e1.txt
	st=$?
	if [ $st = 0 ] && ! grep -q 'not passed to the module' e1.txt; then
		fail "$name: the first run passed already" e1.txt
		return
	fi
	paste e1.txt || return
	"$W" run --manifest $M --on-deviation fail "$@" < proj/src/in.txt > o2.txt 2> e2.txt
	st=$?
	if [ $st != 0 ] || grep -q '^wasi-tofu:' e2.txt || ! grep -qF -- "$want" o2.txt; then
		fail "$name: after the paste: status $st, want '$want'" e2.txt
		sed 's/^/    out: /' o2.txt
		return
	fi
	echo "ok   $name"
}

cycle file_read "read /src/extra.txt => ok" proj/raw.wasm read /src/extra.txt
grep -qF "{path: '\${arg}', allow: [read]}" $O || fail "file_read: not the argument pattern" $O
cycle file_create "write /out/new.txt hi => ok" proj/raw.wasm write /out/new.txt hi
# a file no argument names, made by the run: its folder's `*`, only what a run creates
cycle file_new "write @4/cache.bin hi => ok" proj/raw.wasm write @4/cache.bin hi
grep -qF -- "- {path: /out/*, allow: [write, create, truncate], only: new}" $O ||
	fail "file_new: not the created folder's rule" $O
cycle env "getenv TOKEN => ok" --env TOKEN=1 proj/raw.wasm getenv TOKEN
grep -qx 'env: \[TOKEN\]' $O || fail "env: not in the override file" $O
cycle clock_realtime "clock 0 => ok" proj/raw.wasm clock 0
cycle clock_monotonic "clock 1 => ok" proj/raw.wasm clock 0 clock 1
grep -qx 'clocks: \[realtime, monotonic\]' $M || fail "clocks: not one valid line" $M
cycle random "random 8 => ok" proj/raw.wasm random 8
cycle stdin "readstdin => ok" proj/raw.wasm readstdin
grep -qx 'stdio: \[stdin, stdout\]' $M || fail "stdin: not the whole stdio line" $M

# the report names the file each fix goes into
"$W" run --manifest $M --on-deviation deny --report r.json proj/raw.wasm clock 2 read @3/nope \
	> o.txt 2> e.txt
grep -q '"target": "proj/raw.override.yaml"' r.json || fail "report: file fix's file" r.json
grep -q '"target": "proj/raw.manifest.yaml"' r.json || fail "report: clock fix's file" r.json
grep -q '"fix": "clocks: \[realtime, monotonic, process\]"' r.json ||
	fail "report: clock fix" r.json

# an absent entry hiding a file that exists now: said in the summary and the report
printf 'absent: [/src/later.txt]\n' >> $M
echo now > proj/src/later.txt
"$W" run --manifest $M --on-deviation deny --report h.json proj/raw.wasm read @3/later.txt \
	> o.txt 2> e.txt
grep -q 'ENOENT' o.txt || fail "absent: not hidden" o.txt
grep -qF '/src/later.txt: hidden by the absent entry /src/later.txt in proj/raw.manifest.yaml' \
	e.txt || fail "absent: the summary does not name the entry" e.txt
grep -q '"absent_entry": "/src/later.txt"' h.json || fail "absent: not in the report" h.json

# check from another folder: a journal recorded in A with relative arguments under --cwd is
# checked from B. The suggestions resolve the arguments against the journal's guest cwd (the
# host folder check runs in plays no part: the journal holds guest paths only), name the
# override file as seen from B, and pasted there they make check pass from B and the run
# itself pass in A: the pattern matches what the guest touched.
mkdir -p A/src/data B && cp "$F/proj_codegen.wasm" A/gen.wasm && echo 'id int' > A/src/data/s.txt
(cd A && "$W" record --mount src:/src --cwd /src/data -o rec.yaml gen.wasm -- s.txt gen.h) \
	> o.txt 2> e.txt || fail "elsewhere: record failed" e.txt
grep -v '{path:' A/rec.yaml | sed 's/^files:$/files: []/' > A/m.yaml
for i in 1 2 3 4; do
	(cd B && "$W" check --manifest ../A/m.yaml ../A/rec.journal.jsonl) > c$i.txt 2>&1 && break
	grep -qF 'add these lines to ../A/m.override.yaml:' c1.txt ||
		fail "elsewhere: the override file not named as B sees it" c1.txt
	(cd B && paste ../c$i.txt) > /dev/null || break
done
(cd B && "$W" check --manifest ../A/m.yaml ../A/rec.journal.jsonl) > c.txt 2>&1 ||
	fail "elsewhere: check from B still fails after the pastes" c.txt
grep -qF "{path: '\${arg:2}', allow: [write, create, truncate]}" A/m.override.yaml ||
	fail "elsewhere: not the argument's pattern" A/m.override.yaml
rm -f A/src/data/gen.h
(cd A && "$W" run --manifest m.yaml --on-deviation fail gen.wasm s.txt gen.h) > o.txt 2> e.txt ||
	fail "elsewhere: the run in A does not pass with the pasted rules" e.txt
[ -s A/src/data/gen.h ] || fail "elsewhere: the run did not write /src/data/gen.h" e.txt
echo "ok   check_elsewhere"

[ $fails = 0 ] && echo "all ok" || echo "$fails failed"
[ $fails = 0 ]
