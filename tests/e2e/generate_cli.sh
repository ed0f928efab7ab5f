#!/usr/bin/env bash
# generate_cli.sh: `wasi-tofu generate`'s errors and exit statuses: usage 64, malformed journal 65
# (with LINE:COLUMN), journals of different modules 65, a missing journal 66; nothing half-written.
#
# usage: generate_cli.sh WASI_TOFU FIXTURE_DIR WORK_DIR
set -euo pipefail

cli=$1
fixtures=$2
work=$3

die() { printf 'generate_cli: %s\n' "$*" >&2; exit 1; }
expect_status() { # expect_status WANT CMD...
	local want=$1 got=0
	shift
	"$@" >"$work/out.txt" 2>"$work/err.txt" || got=$?
	[ "$got" = "$want" ] || { cat "$work/out.txt" "$work/err.txt" >&2; die "$*: exit $got, expected $want"; }
}
has_line() { grep -qF -- "$2" "$1" || { cat "$1" >&2; die "$1 has no line '$2'"; }; }

rm -rf "$work"
mkdir -p "$work/p/lib" "$work/p/out" "$work/p/inputs"
cd "$work/p"
printf 'x\n' >build.cfg
printf 'in\n' >inputs/one.txt

expect_status 0 "$cli" generate --help
has_line "$work/out.txt" "--granularity"
expect_status 64 "$cli" generate -o m.yaml
expect_status 64 "$cli" generate j.jsonl
expect_status 64 "$cli" generate --bogus j.jsonl -o m.yaml
expect_status 66 "$cli" generate missing.jsonl -o m.yaml
printf '{"format":"wasi-tofu-journal","version":1\n' >bad.jsonl
expect_status 65 "$cli" generate bad.jsonl -o m.yaml
has_line "$work/err.txt" "bad.jsonl:1:"
[ ! -e m.yaml ] || die "a failed generate left m.yaml"

# Two journals of two different modules (demo exits 1 here: no project.txt): refused.
expect_status 0 "$cli" record --mount .:/src:ro --mount out:/out --cwd /src -o m.yaml \
	--journal a.jsonl "$fixtures/buildstep.wasm" -- --input inputs/one.txt --output /out/a.bin
expect_status 1 "$cli" record --mount .:/src -o m.yaml --journal b.jsonl "$fixtures/demo.wasm" -- /src /src
expect_status 65 "$cli" generate a.jsonl b.jsonl -o m.yaml
has_line "$work/err.txt" "different modules"

# A journal cut short (its end line lost) still gives a manifest, with a warning.
grep -v '"end"' a.jsonl >cut.jsonl
expect_status 0 "$cli" generate cut.jsonl -o cut.yaml
has_line "$work/err.txt" "cut short"
has_line cut.yaml "/src/build.cfg"
echo "generate_cli: ok"
