#!/bin/sh
# update_history.sh: record --update keeps the history and shows only real changes: the
# journals of earlier runs stay beside the new one (never overwritten), the header lists every
# run that changed the manifest with its journal, unchanged behaviour changes nothing, a rule
# a wider rule already grants is not added, no temporary file is named; without a terminal a
# rule outside the manifest's mounts (and such a mount) is left out and said so; at a terminal
# each new rule is asked on its own, as aa-logprof does.
# usage: update_history.sh WASI-TOFU DEVUX-PTY FIXTURES-DIR SCRATCH-DIR
set -u
unset CI # CI set means nobody to ask, even at the pty: the test sets the terminal itself
W=$1 PTY=$2 F=$3 T=$4
fails=0
rm -rf "$T" && mkdir -p "$T/p/src" "$T/p/keys" && cd "$T" || exit 1
for f in a b c x y; do echo "$f" > "p/src/$f"; done
echo secret > p/keys/id
cp "$F/rawwasi.wasm" p/raw.wasm
M=p/m.yaml

fail() {
	echo "FAIL $1"
	[ -n "${2:-}" ] && sed 's/^/    /' "$2"
	fails=$((fails + 1))
}
ok() { echo "ok   $1"; }
# update ARGS...: record --update without a terminal; stderr in e.txt.
update() { setsid -w "$W" record --update $M "$@" < /dev/null > o.txt 2> e.txt; }

# paths through the fd of /src (@3/...) are no arguments: the rules name them
"$W" record --mount p/src:/src:ro -o $M p/raw.wasm read @3/a > o.txt 2> e.txt || fail record e.txt
cp p/m.journal.jsonl first.jsonl

update p/raw.wasm read @3/a || fail "same run: status" e.txt
grep -q 'already grants every call' e.txt || fail "same run: a change shown" e.txt
[ -f p/m.journal.2.jsonl ] || fail "same run: its journal not kept beside the first"
cmp -s first.jsonl p/m.journal.jsonl && ok "the first journal is kept" ||
	fail "the first journal was overwritten"
grep -q 'tmp' e.txt && fail "a temporary file is named" e.txt

update p/raw.wasm read @3/a read @3/b || fail "new read: status" e.txt
printf '  + /src/b [read]\n' > want.txt
sed -n '/changes in/,/updated/p' e.txt | sed '1d;$d' > got.txt
diff -u want.txt got.txt > /dev/null && ok "only the real change is shown" ||
	fail "new read: not exactly the one change" e.txt
grep -q '^# .* from 2 runs:$' $M || fail "header: not 2 runs" $M
grep -q '^#   run 2: p/raw.wasm read @3/a read @3/b .*, journal m.journal.3.jsonl$' $M ||
	fail "header: the new run and its journal" $M
[ -f p/m.journal.3.jsonl ] && ok "journals side by side" || fail "no m.journal.3.jsonl"

# a wider rule grants it already: nothing new
sed -i 's|^files:$|files:\n  - {path: "/src/*", allow: [read]}|' $M
update p/raw.wasm read @3/c || fail "covered: status" e.txt
grep -q 'already grants every call' e.txt && ok "a covered rule is not new" ||
	fail "covered: a change shown" e.txt

# without a terminal, what lies outside the manifest's mounts is left out, and said
update --mount p/keys:/keys p/raw.wasm read @4/id
grep -q 'left out .*outside the manifest' e.txt || fail "outside: not told" e.txt
grep -q 'left out the mount /keys' e.txt || fail "outside: mount not told" e.txt
grep -q 'keys' $M && fail "outside: merged silently" $M || ok "outside the mounts: left out"

# at a terminal: each new rule asked; y for /src/x, n for /src/y, then write
sed -i '/"\/src\/\*"/d' $M
"$PTY" -o t.txt wait:'Add this rule?' wait:'> ' type:'y\n' wait:'Add this rule?' wait:'> ' \
	type:'n\n' wait:'Write these changes' wait:'> ' type:'w\n' -- \
	"$W" record --update $M p/raw.wasm read @3/x read @3/y > /dev/null
grep -qF '{path: /src/x, allow: [read]}' $M || fail "terminal: /src/x not added" t.txt
grep -qF '/src/y' $M && fail "terminal: /src/y added though refused" t.txt ||
	ok "per-rule questions at a terminal"

[ $fails = 0 ] && echo "all ok" || echo "$fails failed"
[ $fails = 0 ]
