#!/bin/bash
# project_terminal.sh: project mode at a terminal, through a real pseudo-terminal (devux_pty):
# first use accepted (asked once, run contained, the manifest and held-back changes shown, asked
# again, then saved, applied, pinned), refused at either question (nothing kept), and a changed
# module recorded again with its capability diff shown before it is accepted (docs/project.md).
# usage: project_terminal.sh WASI-TOFU DEVUX-PTY FIXTURES-DIR SCRATCH-DIR
set -u
W=$1 PTY=$2 F=$3 T=$4
fails=0
unset CI
rm -rf "$T" && mkdir -p "$T/p/src" "$T/p/out" "$T/p/tools" && cd "$T/p" || exit 1
echo hello > src/in.txt
cp "$F/rawwasi.wasm" tools/raw.wasm
SHA=$(sha256sum tools/raw.wasm | cut -d' ' -f1)

fail() {
	echo "FAIL $1"
	[ -f "${2:-}" ] && cat -v "$2" | sed 's/^/    /' | head -60
	fails=$((fails + 1))
}
want() { if [ "$3" = "$2" ]; then echo "ok   $1"; else fail "$1: status $3 (want $2)" "${4:-}"; fi; }
has() { grep -qF -- "$2" "$1"; }
"$W" init 2> /dev/null || fail init
RUN=(run --mount src:/src:ro --mount out:/out tools/raw.wasm read /src/in.txt write /out/a.txt hi)

# 1. refused at the first question: nothing runs
"$PTY" -o "$T/t1.txt" wait:'[t] trust it' wait:'> ' type:'n\n' -- "$W" "${RUN[@]}"
want first_use_no 77 $? "$T/t1.txt"
has "$T/t1.txt" "tools/raw.wasm (sha256 $SHA) is new to this project" || fail "first_use_no: question" "$T/t1.txt"
[ ! -e out/a.txt ] && [ ! -e .wasi-tofu/manifests/raw.yaml ] || fail "first_use_no: something kept"

# 2. trusted, run contained, then refused at the second question: nothing kept
"$PTY" -o "$T/t2.txt" wait:'[t] trust it' wait:'> ' type:'t\n' wait:'[a] accept' wait:'> ' \
	type:'r\n' -- "$W" "${RUN[@]}"
want first_use_refused 77 $? "$T/t2.txt"
has "$T/t2.txt" "created  /out/a.txt" || fail "first_use_refused: the change not shown" "$T/t2.txt"
has "$T/t2.txt" "the manifest it needs" || fail "first_use_refused: the manifest not shown" "$T/t2.txt"
[ ! -e out/a.txt ] || fail "first_use_refused: the held-back change reached the host"
[ ! -e .wasi-tofu/manifests/raw.yaml ] || fail "first_use_refused: a manifest was saved"
grep -q tools/raw.wasm wasi-tofu.yaml && fail "first_use_refused: the module was added"

# 3. accepted: manifest saved, change applied, pin written; the next run is enforced, no question
"$PTY" -o "$T/t3.txt" wait:'[t] trust it' wait:'> ' type:'t\n' wait:'[a] accept' wait:'> ' \
	type:'a\n' -- "$W" "${RUN[@]}"
want first_use_accepted 0 $? "$T/t3.txt"
grep -qx hi out/a.txt || fail "first_use_accepted: the change not applied"
[ -f .wasi-tofu/manifests/raw.yaml ] || fail "first_use_accepted: no manifest"
grep -qx "  sha256: $SHA" wasi-tofu.yaml || fail "first_use_accepted: no pin"
"$PTY" -o "$T/t4.txt" -- "$W" "${RUN[@]}"
want enforced_no_question 0 $? "$T/t4.txt"
has "$T/t4.txt" "[t] trust" && fail "enforced_no_question: asked" "$T/t4.txt"

# 4. the module changes (a v2 that also reads another file): asked, recorded again contained,
#    the capability diff shown, accepted: the manifest grows, the pin moves
printf '\000\004\003abc' >> tools/raw.wasm
NEW=$(sha256sum tools/raw.wasm | cut -d' ' -f1)
echo more > src/new.txt
"$PTY" -o "$T/t5.txt" wait:'[r] record it again' wait:'> ' type:'r\n' wait:'[a] accept' \
	wait:'> ' type:'a\n' -- "$W" run tools/raw.wasm read /src/in.txt write /out/a.txt hi \
	read /src/new.txt
want changed_accepted 0 $? "$T/t5.txt"
has "$T/t5.txt" "its sha256 is $NEW, the project pins $SHA" || fail "changed: question" "$T/t5.txt"
has "$T/t5.txt" "the capability diff against .wasi-tofu/manifests/raw.yaml" ||
	fail "changed: no diff" "$T/t5.txt"
# the new read is of an argument: ${arg} [read] already grants it, so only the pin changes
has "$T/t5.txt" "~ module sha256 ${SHA:0:12}.. -> ${NEW:0:12}.." || fail "changed: the pin change not in the diff" "$T/t5.txt"
grep -qx "  sha256: $NEW" wasi-tofu.yaml || fail "changed_accepted: the pin did not move"
"$W" verify > /dev/null 2>&1 || fail "changed_accepted: verify"

# 5. changed again, stopped at the terminal: nothing changes
cp wasi-tofu.yaml "$T/before.yaml"
printf '\000\004\003def' >> tools/raw.wasm
"$PTY" -o "$T/t6.txt" wait:'[r] record it again' wait:'> ' type:'s\n' -- "$W" run tools/raw.wasm
want changed_stopped 77 $? "$T/t6.txt"
cmp -s wasi-tofu.yaml "$T/before.yaml" || fail "changed_stopped: the project file changed"

[ "$fails" -eq 0 ] && echo "all project terminal checks passed" || echo "$fails project terminal checks failed"
exit $((fails != 0))
