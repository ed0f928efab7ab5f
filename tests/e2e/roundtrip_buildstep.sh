#!/usr/bin/env bash
# roundtrip_buildstep.sh: record -> generate -> enforce on the buildstep fixture. Recorded once in
# one project folder; enforced from a copy of the project in another folder with other arguments
# (passes); the same module made to read one more file (--extra) is stopped with 77.
#
# usage: roundtrip_buildstep.sh WASI_TOFU BUILDSTEP_WASM WORK_DIR
set -euo pipefail

cli=$1
module=$2
work=$3

die() { printf 'roundtrip_buildstep: %s\n' "$*" >&2; exit 1; }
expect_status() { # expect_status WANT CMD...
	local want=$1 got=0
	shift
	"$@" >"$work/out.txt" 2>"$work/err.txt" || got=$?
	[ "$got" = "$want" ] || { cat "$work/out.txt" "$work/err.txt" >&2; die "$*: exit $got, expected $want"; }
}
has_line() { grep -qF -- "$2" "$1" || { cat "$1" >&2; die "$1 has no line '$2'"; }; }

project() { # project DIR: a build step's project: config, sources, inputs, notes
	mkdir -p "$1/lib" "$1/inputs" "$1/out"
	printf 'mode = release\n' >"$1/build.cfg"
	for f in a b c d; do printf 'int %s;\n' "$f" >"$1/lib/$f.c"; done
	printf 'hello\n' >"$1/inputs/one.txt"
	printf 'two two\n' >"$1/inputs/two.txt"
	printf 'private notes\n' >"$1/notes.txt"
}

rm -rf "$work"
mkdir -p "$work"
project "$work/recorded"

# 1. record once: record writes the journal and generates the manifest from it.
cd "$work/recorded"
expect_status 0 "$cli" record --mount .:/src:ro --mount out:/out --cwd /src \
	-o build.manifest.yaml --journal run1.jsonl "$module" -- --input inputs/one.txt --output /out/one.bin
has_line "$work/err.txt" "record: wrote build.manifest.yaml"
m=build.manifest.yaml
has_line $m "  /src: {host: ., mode: ro}"
has_line $m "  /out: {host: out, mode: rw}"
has_line $m "  - {path: /src/build.cfg, allow: [read]}"
has_line $m "  - {path: /src/lib, allow: [list]}"
has_line $m "  - {path: /src/lib/*, allow: [read]}"
has_line $m "  - {path: /out/cache/*, allow: [write, create]}"
has_line $m "  - {path: '\${arg}', allow: [read]}"
has_line $m "  - {path: '\${arg:--output}', allow: [write, create, truncate]}"
has_line $m "  - /src/.buildsteprc"
has_line $m "random: true"
if grep -q 'one.txt\b.*allow\|one.bin.*allow\|notes' $m; then die "$m names a recorded argument or notes.txt"; fi

# 2. the same journal gives the same bytes (generate as record did, and again); exact and tree
# granularities also work.
expect_status 0 "$cli" generate run1.jsonl -o again.yaml
cmp -s $m again.yaml || die "generate and record: different bytes"
expect_status 0 "$cli" generate run1.jsonl -o again2.yaml
cmp -s again.yaml again2.yaml || die "generate twice: different bytes"
expect_status 0 "$cli" generate --granularity exact run1.jsonl -o exact.yaml
has_line exact.yaml "  - {path: /src/lib/a.c, allow: [read]}"
expect_status 64 "$cli" generate --granularity deep run1.jsonl -o x.yaml

# 3. enforce from a copy in another folder, with other arguments: passes.
project "$work/copy"
cp $m "$work/copy/"
cd "$work/copy"
expect_status 0 "$cli" run --manifest build.manifest.yaml --cwd /src "$module" -- \
	--input inputs/two.txt --output /out/two.bin
[ -f out/two.bin ] || die "the enforced run wrote no out/two.bin"
[ "$(ls out/cache | wc -l)" = 1 ] || die "the enforced run wrote no cache file"

# 4. one more file: stopped with 77, and the report names it.
expect_status 77 "$cli" run --manifest build.manifest.yaml --cwd /src "$module" -- \
	--input inputs/two.txt --output /out/three.bin --extra
has_line "$work/err.txt" "/src/notes.txt"
[ ! -f out/three.bin ] || die "the stopped run still wrote its output"

# 5. two runs merge into one manifest that names both.
cd "$work/recorded"
expect_status 0 "$cli" record --mount .:/src:ro --mount out:/out --cwd /src \
	-o build.manifest.yaml --journal run2.jsonl "$module" -- --input inputs/two.txt --output /out/two.bin --extra
expect_status 0 "$cli" generate run1.jsonl run2.jsonl -o merged.yaml
has_line merged.yaml "from 2 runs"
has_line merged.yaml "  - {path: /src/notes.txt, allow: [read]}"
echo "roundtrip_buildstep: ok"
