#!/usr/bin/env bash
# limits_cli.sh: hostile manifests and journals through the CLI: nesting past the limit, an
# alias, a key given twice (manifest, override file, ceiling), an over-long pattern or journal
# path, an env name a manifest cannot hold. Each is exit 65 with FILE:LINE:COLUMN from
# run --manifest, check, diff and generate, and generate writes nothing.
#
# usage: limits_cli.sh WASI_TOFU FIXTURE_DIR WORK_DIR
set -euo pipefail

cli=$1
fixtures=$2
work=$3

die() { printf 'limits_cli: %s\n' "$*" >&2; exit 1; }
expect_status() { # expect_status WANT CMD...
	local want=$1 got=0
	shift
	"$@" >"$work/out.txt" 2>"$work/err.txt" || got=$?
	[ "$got" = "$want" ] || { cat "$work/out.txt" "$work/err.txt" >&2; die "$*: exit $got, expected $want"; }
}
has_line() { grep -qF -- "$2" "$1" || { cat "$1" >&2; die "$1 has no line '$2'"; }; }
repeat() { head -c "$2" /dev/zero | tr '\0' "$1"; } # repeat CHAR COUNT

rm -rf "$work"
mkdir -p "$work/p"
cd "$work/p"
module=$fixtures/exit_code.wasm
header='{"format":"wasi-tofu-journal","version":1,"tool":"0.1.0","module":{"path":"m.wasm","size":8,"sha256":"0000000000000000000000000000000000000000000000000000000000000000"},"argv":["m.wasm"],"env":%s,"mounts":[],"cwd":"/","start":"x"}\n'
printf "$header" '[]' >ok.jsonl
printf 'version: 1\n' >ok.yaml
{ printf 'version: 1\nfiles: '; repeat '[' 100000; } >deep.yaml
printf 'version: 1\nfiles:\n  - &r {path: /a, allow: [read]}\n  - *r\n' >alias.yaml
printf 'version: 1\nfiles:\n  - {path: /a, path: /b, allow: [read]}\n' >dup.yaml
{ printf 'version: 1\nfiles:\n  - {path: /'; repeat a 20000; printf ', allow: [read]}\n'; } >long.yaml

# run --manifest, check and diff: 65 with the file's LINE:COLUMN, for every kind of file
expect_status 65 "$cli" run --manifest deep.yaml "$module"
has_line "$work/err.txt" "deep.yaml:2:71: nested deeper than 64 levels"
expect_status 65 "$cli" check --manifest alias.yaml ok.jsonl
has_line "$work/err.txt" "alias.yaml:4:5: alias *r: a manifest allows no aliases"
expect_status 65 "$cli" diff ok.yaml dup.yaml
has_line "$work/err.txt" "dup.yaml:3:16: rule: 'path' given twice"
expect_status 65 "$cli" check --manifest long.yaml ok.jsonl
has_line "$work/err.txt" "long.yaml:3:12: path: longer than 16384 bytes"
expect_status 65 "$cli" check --manifest ok.yaml --ceiling deep.yaml ok.jsonl
has_line "$work/err.txt" "deep.yaml:2:71: nested deeper"
printf 'version: 1\nlimits: {fuel: 1}\n' >b.manifest.yaml
printf 'files:\n  - {path: /a, allow: [read], allow: [write]}\n' >b.override.yaml
expect_status 65 "$cli" run --manifest b.manifest.yaml "$module"
has_line "$work/err.txt" "b.override.yaml:2:31: rule: 'allow' given twice"
printf 'version: 1\nlimits: {fuel: 1, fuel: 2}\n' >ceiling.yaml
expect_status 65 "$cli" check --manifest ok.yaml --ceiling ceiling.yaml ok.jsonl
has_line "$work/err.txt" "ceiling.yaml:2:19: limits: 'fuel' given twice"

# generate: a journal path longer than the engine makes, an env name with '='; nothing written
{ printf "$header" '[]'; printf '{"seq":1,"call":"path_open","path":"/'; repeat p 400000
  printf '","errno":"success","verdict":"allow"}\n'; } >longpath.jsonl
expect_status 65 "$cli" generate longpath.jsonl -o m.yaml
has_line "$work/err.txt" 'longpath.jsonl:2:1: field "path": longer than 4095 bytes'
printf "$header" '["A=1"]' >env.jsonl
expect_status 65 "$cli" generate env.jsonl -o m.yaml
has_line "$work/err.txt" "the env name 'A=1' cannot be written in a manifest"
[ ! -e m.yaml ] || die "generate wrote a manifest from a journal it refused"

echo "limits_cli: every over-limit manifest and journal is 65 with its LINE:COLUMN"
