#!/bin/bash
# terminal.sh: the person at the terminal against a hostile module (docs/security.md, "The person
# at the terminal"), through a real pseudo-terminal (devux_pty): the change list of a contained
# run escapes hostile names and shows link texts. The module is fixtures/c/term_hostile.c.
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
# matches FILE PERL-REGEX: the whole file (bytes) matches
matches() { perl -0777 -ne "exit !(/$2/s)" "$1"; }
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

[ "$fails" = 0 ] && echo "all terminal checks passed"
exit $((fails != 0))
