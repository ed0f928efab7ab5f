#!/usr/bin/env bash
# journal_cap.sh: record's journal cap through the CLI. A module that would run (and journal)
# forever is stopped when its journal would pass --journal-max: exit 74, a message naming the
# cap and the option, the journal complete up to the cap and ended by "end":"cap" within it, no
# manifest; `journal show` says so, `generate` refuses it (65), `check` says the calls it lacks.
# Also: the option's usage errors (64), its help, a run under the cap, and a malformed cycle
# line (65, LINE:COLUMN).
#
# usage: journal_cap.sh WASI_TOFU FIXTURE_DIR WORK_DIR
set -euo pipefail

cli=$1
fixtures=$2
work=$3
tool=$(cd "$(dirname "$0")" && pwd)/journal_tool.mjs

die() { printf 'journal_cap: %s\n' "$*" >&2; exit 1; }
expect_status() { # expect_status WANT CMD...
	local want=$1 got=0
	shift
	"$@" >"$work/out.txt" 2>"$work/err.txt" || got=$?
	[ "$got" = "$want" ] || { cat "$work/out.txt" "$work/err.txt" >&2; die "$*: exit $got, expected $want"; }
}
has() { grep -qF -- "$2" "$1" || { cat "$1" >&2; die "$1 has no '$2'"; }; }

rm -rf "$work"
mkdir -p "$work/k" "$work/w"
cd "$work"

expect_status 0 "$cli" record --help
has out.txt "--journal-max SIZE"
for bad in 0 12X -5 1.5M ""; do
	expect_status 64 "$cli" record --journal-max "$bad" -o m.yaml "$fixtures/cli_tool.wasm" args
	has err.txt "--journal-max"
done
expect_status 64 "$cli" record -o m.yaml --journal-max
[ ! -e m.journal.jsonl ] || die "a usage error left a journal"

# record_kill stats a file and writes a line, round after round, until it is killed: only the
# cap stops it here (timeout is the guard against a cap that does not).
expect_status 74 timeout 120 "$cli" record --mount k:/k --journal-max 24K -o m.yaml \
	"$fixtures/record_kill.wasm" /k
has err.txt "cap of 24576 bytes (--journal-max)"
has err.txt "record again with a larger --journal-max"
[ ! -e m.yaml ] || die "record made a manifest from a capped journal"
size=$(stat -c %s m.journal.jsonl)
[ "$size" -le 24576 ] || die "the journal has $size bytes, past its cap of 24576"
[ "$(wc -l <out.txt)" -gt 10 ] || die "the module wrote only $(wc -l <out.txt) lines"
tail -1 m.journal.jsonl | grep -q '^{"end":"cap","message":"[^"]*","journal_max":24576,"unjournaled":[1-9]' ||
	die "the last line is not the cap's end line: $(tail -1 m.journal.jsonl)"
# every line is whole, and the writes journaled are the module's first lines of output
writes=$(node --no-warnings "$tool" calls m.journal.jsonl | grep -c '^fd_write$' || true)
[ "$writes" -gt 10 ] && [ "$writes" -le "$(wc -l <out.txt)" ] ||
	die "$writes writes journaled for $(wc -l <out.txt) lines written"

expect_status 0 "$cli" journal show m.journal.jsonl
has out.txt "stopped at the journal's cap of 24576 bytes (record --journal-max)"
expect_status 65 "$cli" generate m.journal.jsonl -o g.yaml
has err.txt "cap of 24576 bytes"
has err.txt "--journal-max"
[ ! -e g.yaml ] || die "generate made a manifest from a capped journal"
printf 'version: 1\nmounts:\n  /k: {host: k, mode: rw}\nfiles:\n  - {path: /k/probe, allow: [stat]}\nstdio: [stdout]\n' >k.yaml
expect_status 0 "$cli" check --manifest k.yaml m.journal.jsonl
has err.txt "stopped at the journal's cap"

# Under the cap: an ordinary record (the option also as --journal-max=SIZE).
expect_status 0 "$cli" record --mount w:/w --journal-max=1M -o w.yaml \
	"$fixtures/journal_patterns.wasm" /w
tail -1 w.journal.jsonl | grep -q '^{"end":"exit","exit_code":0,' || die "no exit end line"
has w.yaml "allow: [read, write, create, stat, truncate]"
has w.yaml "clocks: [monotonic]"

# A malformed cycle line: 65 and where.
{ head -1 w.journal.jsonl && echo '{"seq":1,"count":2,"cycle":[{"call":"fd_seek","errno":"success","verdict":"allow"}]}'; } >bad.jsonl
expect_status 65 "$cli" journal show bad.jsonl
has err.txt "bad.jsonl:2:1: field \"cycle\""
expect_status 65 "$cli" generate bad.jsonl -o bad.yaml
has err.txt "bad.jsonl:2:1:"
echo "journal_cap: ok"
