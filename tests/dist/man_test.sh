#!/usr/bin/env bash
# man_test.sh CLI MANDIR: the man pages as built: wasi-tofu(1), one page per subcommand the CLI's
# --help lists, wasi-tofu-manifest(5) and wasi-tofu-journal(5); `man -l` renders each without a
# warning; every option `wasi-tofu SUB --help` prints is in SUB's page; and each --help points
# at its page, never at a path of the source tree.
set -euo pipefail

cli=$1
mandir=$2
test=man_test
# shellcheck source=tests/dist/help_lib.sh
source "$(dirname "$0")/help_lib.sh"

subs=$(awk -F'\t' '$1 == "command" { print $2 }' "$tmp/help")
[ -n "$subs" ] || fail "no subcommand found in wasi-tofu --help"

# render PAGE: the page as man shows it (C locale: plain ASCII hyphens), warnings kept apart.
render() {
	local page=$mandir/$1
	[ -s "$page" ] || { fail "no man page $1"; return; }
	LC_ALL=C MANWIDTH=80 man --warnings -l "$page" >"$tmp/$1.txt" 2>"$tmp/$1.err" ||
		fail "man -l $1 failed"
	[ ! -s "$tmp/$1.err" ] || fail "man -l $1 warns: $(cat "$tmp/$1.err")"
	grep -q '^NAME' "$tmp/$1.txt" || fail "man -l $1 shows no NAME section"
}
render wasi-tofu.1
render wasi-tofu-manifest.5
render wasi-tofu-journal.5
for sub in $subs; do
	render "wasi-tofu-$sub.1"
done
pages=$(cd "$mandir" && ls -- *.[1-9] | sort | tr '\n' ' ')
expected=$( (printf 'wasi-tofu.1\nwasi-tofu-manifest.5\nwasi-tofu-journal.5\n'
	printf 'wasi-tofu-%s.1\n' $subs) | sort | tr '\n' ' ')
[ "$pages" = "$expected" ] || fail "pages: $pages; expected: $expected"

# Every option of every --help, in its page (as a word: --journal is not --journal-max).
while IFS=$'\t' read -r kind sub opt _; do
	[ "$kind" = option ] || continue
	page=wasi-tofu-$sub.1
	[ "$sub" = - ] && page=wasi-tofu.1
	[ -f "$tmp/$page.txt" ] || continue
	grep -qE -- "(^|[^-[:alnum:]])$opt([^-[:alnum:]]|$)" "$tmp/$page.txt" ||
		fail "$page does not document $opt (printed by wasi-tofu $sub --help)"
done <"$tmp/help"

# --help points at the man page, not at the source tree.
top=$("$cli" --help)
grep -q 'man wasi-tofu' <<<"$top" || fail "wasi-tofu --help does not point at man wasi-tofu"
for sub in $subs; do
	out=$("$cli" "$sub" --help)
	grep -q "man wasi-tofu-$sub\b" <<<"$out" || fail "$sub --help does not point at man wasi-tofu-$sub"
	! grep -q 'docs/' <<<"$out" || fail "$sub --help names a source path: $(grep 'docs/' <<<"$out")"
done
! grep -q 'docs/' <<<"$top" || fail "wasi-tofu --help names a source path"

[ "$fails" -eq 0 ] || exit 1
echo "man_test: done ($(wc -w <<<"$pages") pages)"
