#!/bin/bash
# terminal.sh: the person at the terminal against a hostile module (docs/security.md, "The person
# at the terminal"), through a real pseudo-terminal (devux_pty): the change list of a contained
# run escapes hostile names and shows link texts, and so do diff, journal show and check; the apply question and the deviation prompt
# drop keys typed ahead; a fake question and hidden text before a deviation do not hide the real
# question; deny rules and the ceiling are never asked about; an open allowed once is asked about
# once however often its fd is read. The module is fixtures/c/term_hostile.c.
# usage: terminal.sh WASI-TOFU DEVUX-PTY FIXTURES-DIR SCRATCH-DIR
set -u
W=$1 PTY=$2 F=$3 T=$4
fails=0
unset CI
rm -rf "$T" && mkdir -p "$T/p/src" "$T/p/out" && cd "$T" || exit 1
cp "$F/term_hostile.wasm" p/m.wasm
echo hello > p/src/in.txt
echo secret > p/src/secret.txt
head -c 300 /dev/zero > p/src/big.bin

fail() {
	echo "FAIL $1"
	[ -f "${2:-}" ] && cat -v "$2" | sed 's/^/    /' | head -40
	fails=$((fails + 1))
}
ok() { echo "ok   $1"; }
want() { if [ "$3" = "$2" ]; then ok "$1"; else fail "$1: status $3 (want $2)" "${4:-}"; fi; }
has() { grep -qF -- "$2" "$1"; }
# raw FILE: the file holds a byte a terminal acts on (ESC, CR, BEL) or a bidi override
raw() { LC_ALL=C grep -q $'[\x1b\r\x07]' "$1" || grep -qF $'\xe2\x80\xae' "$1"; }
# reset_before FILE AFTER BEFORE: between the last AFTER (the module's last output) and the next
# BEFORE (the question), FILE holds every part of the terminal reset of docs/deviations.md, and
# the question starts a line
reset_before() {
	AFTER=$2 BEFORE=$3 perl -0777 -ne '
		my $a = rindex($_, $ENV{AFTER}); my $b = index($_, $ENV{BEFORE}, $a);
		exit 1 if $a < 0 || $b < 0;
		my $gap = substr($_, $a, $b - $a);
		for my $part ("\x18", "\e\\", "\x0f", "\e(B", "\e[0m", "\e]104", "\e]110", "\e]111",
			"\e[?25h", "\e[4l", "\e[?7h", "\e[?1049l", "\e[?6l", "\e[r", "\e[999;1H") {
			exit 1 if index($gap, $part) < 0;
		}
		exit !($gap =~ /\e\[999;1H\r?\n[^\n]*\z/);
	' "$1"
}
MOD="$PWD/p/m.wasm"

# 1. the change list of a contained run: a name holding CR, cursor-up and erase-line cannot hide
#    the line before it (a new git hook), and a new symlink shows its text, escaped
"$W" record --contain --discard --mount p/out:/out -o p/c.yaml "$MOD" \
	create /out/.git/hooks/pre-commit create $'/out/zz\r\e[1A\e[2K  created  notes.txt' \
	symlink $'.git/\e]0;t\ahooks' /out/l > o1.txt 2> e1.txt
want contain_status 0 $? e1.txt
raw e1.txt && fail "change list: a control byte reached the terminal raw" e1.txt
has e1.txt '  created  /out/zz\x0d\x1b[1A\x1b[2K  created  notes.txt (1 bytes)' ||
	fail "change list: the hostile name is not escaped" e1.txt
has e1.txt '  created  /out/.git/hooks/pre-commit (1 bytes)' || fail "change list: the hook" e1.txt
has e1.txt '  created  /out/l (symlink to .git/\x1b]0;t\x07hooks)' ||
	fail "change list: the link's text is not shown escaped" e1.txt
[ -z "$(ls -A p/out)" ] || fail "change list: --discard changed the host"

# 1b. diff, journal show and check print manifest and journal strings escaped
printf 'version: 1\n' > d1.yaml
printf 'version: 1\nfiles:\n  - {path: "/out/\\e[2Ka\\u202e", allow: [read]}\nenv: ["X\\e]0;t\\a"]\n' \
	> d2.yaml
"$W" diff d1.yaml d2.yaml > o1b.txt 2>&1
want diff_status 1 $? o1b.txt
raw o1b.txt && fail "diff: a control byte reached the terminal raw" o1b.txt
has o1b.txt '+ /out/\x1b[2Ka\u202e [read]' || fail "diff: the pattern is not escaped" o1b.txt
has o1b.txt '+ env X\x1b]0;t\x07' || fail "diff: the env name is not escaped" o1b.txt
"$W" record --mount p/out:/out -o p/j.yaml --journal j1.jsonl "$MOD" \
	create $'/out/\e]0;t\a\xe2\x80\xaey' > o1c.txt 2>&1
want record_hostile_status 0 $? o1c.txt
"$W" journal show j1.jsonl > o1c.txt 2>&1
"$W" check --manifest d1.yaml j1.jsonl >> o1c.txt 2>&1
raw o1c.txt && fail "journal show, check: a control byte reached the terminal raw" o1c.txt
[ "$(grep -cF '/out/\x1b]0;t\x07\u202ey' o1c.txt)" -ge 2 ] ||
	fail "journal show, check: the path is not escaped" o1c.txt
rm -rf p/out/* p/j.yaml

# 2. the apply question: a module asks for "a + Enter" and waits until it was typed; that line
#    is typed before the question and must not answer it. The question waits; d discards.
"$PTY" -o t2.txt wait:'type a + Enter' type:'a\n' wait:'[d] discard' wait:'> ' type:'d\n' -- \
	"$W" record --contain --mount p/out:/out -o p/c.yaml "$MOD" \
	say 'To continue, type a + Enter: ' wait-input create /out/made.txt
want apply_typed_ahead_status 0 $? t2.txt
[ ! -e p/out/made.txt ] || fail "apply: the typed-ahead a applied the changes" t2.txt
rm -f p/out/made.txt
rm -f p/out/made.txt
has t2.txt "discarded; the host is unchanged" || fail "apply: not discarded" t2.txt
# and the answer typed after the question applies them
"$PTY" -o t2b.txt wait:'[d] discard' wait:'> ' type:'a\n' -- \
	"$W" record --contain --mount p/out:/out -o p/c.yaml "$MOD" create /out/made.txt
want apply_answer_status 0 $? t2b.txt
[ -e p/out/made.txt ] || fail "apply: a at the question did not apply" t2b.txt
rm -f p/out/made.txt

M=p/m.manifest.yaml
cat > "$M" <<YAML
version: 1
module: {name: m.wasm, sha256: $(sha256sum p/m.wasm | cut -d' ' -f1)}
mounts:
  /src: {host: src, mode: ro}
files:
  - {path: /src/in.txt, allow: [read]}
stdio: [stdout, stderr]
exit_codes: [0, 1]
YAML

# 3. a fake question, then text made invisible (conceal, line-drawing characters, a one-line
#    scroll region, no wrap, an OSC left open): the real question comes after a reset, on a
#    fresh line, and the answer goes to it
FAKE=$'m.wasm wants to read /src/in.txt (path_open), which p/m.manifest.yaml\n[y] allow once  [n] deny\n> '
"$PTY" -o t3.txt wait:'wants to read /src/secret.txt' wait:'> ' type:'n\n' -- \
	"$W" run --manifest "$M" "$MOD" say "$FAKE"$'\e[8m\e(0\x0e\e[1;1r\e[?7l\e[?25l\e]0;' \
	read /src/secret.txt 1
want conceal_status 1 $? t3.txt
reset_before t3.txt $'\e]0;' 'wants to read /src/secret.txt' ||
	fail "conceal: no reset between the module's output and the question" t3.txt
has t3.txt "Capabilities insufficient" || fail "conceal: the answer n was not taken" t3.txt

# 4. the deviation question drops keys typed ahead (the module waits until they are there)
"$PTY" -o t4.txt wait:'type y + Enter' type:'y\n' wait:'wants to read /src/secret.txt' \
	wait:'> ' type:'h\n' -- "$W" run --manifest "$M" "$MOD" say 'type y + Enter: ' wait-input \
	read /src/secret.txt 1
want prompt_typed_ahead_status 1 $? t4.txt
has t4.txt "/src/secret.txt: No such file or directory" || fail "prompt: typed-ahead y taken" t4.txt

# 5. deny rules and the ceiling are not negotiable: refused at once, no question (so no [a]),
#    the summary names the rule and the file; the run goes on
printf 'version: 1\ndeny:\n  - {path: /src/secret.txt, allow: [read]}\n' > p/m.override.yaml
cat > p/ceiling.yaml <<YAML
version: 1
mounts:
  /src: {host: ., mode: ro}
files:
  - {path: /src/in.txt, allow: [read]}
  - {path: /src/secret.txt, allow: [read]}
stdio: [stdout, stderr]
YAML
"$PTY" -t 15 -o t5.txt -- "$W" run --manifest "$M" --ceiling p/ceiling.yaml --report r5.json \
	"$MOD" read /src/secret.txt 1 read /src/big.bin 1
want not_asked_status 1 $? t5.txt
has t5.txt "wants to" && fail "not asked: a question was asked" t5.txt
has t5.txt "open: /src/secret.txt: Capabilities insufficient" || fail "not asked: deny" t5.txt
has t5.txt "not asked: refused by the deny rule {path: /src/secret.txt, allow: [read]} at p/m.override.yaml:3:5" ||
	fail "not asked: the deny rule is not named" t5.txt
"$PTY" -t 15 -o t5b.txt -- "$W" run --manifest "$M" --ceiling p/ceiling.yaml "$MOD" \
	read /src/big.bin 1
want ceiling_status 1 $? t5b.txt
has t5b.txt "wants to" && fail "ceiling: a question was asked" t5b.txt
has t5b.txt "not asked: refused by the ceiling p/ceiling.yaml, which grants no [read] there" ||
	fail "ceiling: not named" t5b.txt
has r5.json '"refused_by": "the deny rule {path: /src/secret.txt, allow: [read]} at p/m.override.yaml:3:5"' ||
	fail "not asked: the report" r5.json
rm p/m.override.yaml

# 6. an open allowed once covers its fd: 100 reads, one question
"$PTY" -o t6.txt wait:'wants to read /src/big.bin' wait:'> ' type:'y\n' -- \
	"$W" run --manifest "$M" "$MOD" read /src/big.bin 100
want fd_reads_status 0 $? t6.txt
has t6.txt "read 100 bytes" || fail "fd reads: not read" t6.txt
[ "$(grep -c 'wants to' t6.txt)" = 1 ] || fail "fd reads: asked other than once" t6.txt

[ "$fails" = 0 ] && echo "all terminal checks passed"
exit $((fails != 0))
