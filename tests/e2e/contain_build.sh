#!/usr/bin/env bash
# contain_build.sh: record --contain on the contain_build fixture (deletes a stale output, writes
# outputs and a cache file, renames, removes a folder). A contained record leaves the host
# byte-identical and lists every change; --apply ends exactly as a direct record; both manifests
# are the same; usage errors; host files changed between the run and --apply are refused.
#
# usage: contain_build.sh WASI_TOFU CONTAIN_BUILD_WASM WORK_DIR
set -euo pipefail

cli=$1
module=$2
work=$3

die() { printf 'contain_build: %s\n' "$*" >&2; exit 1; }
expect_status() { # expect_status WANT CMD...
	local want=$1 got=0
	shift
	"$@" >"$work/out.txt" 2>"$work/err.txt" </dev/null || got=$?
	[ "$got" = "$want" ] || { cat "$work/out.txt" "$work/err.txt" >&2; die "$*: exit $got, expected $want"; }
}
has_line() { grep -qF -- "$2" "$1" || { cat "$1" >&2; die "$1 has no line '$2'"; }; }
# snapshot DIR: names, types, sizes, modes, link texts and bytes of everything below DIR.
snapshot() { (cd "$1" && find . -printf '%p %y %s %m %l\n' | sort && find . -type f -exec sha256sum {} + | sort); }

project() { # project DIR
	rm -rf "$1"
	mkdir -p "$1/src" "$1/out/tmp"
	printf 'int main;\n' >"$1/src/main.c"
	printf 'int util;\n' >"$1/src/util.c"
	printf 'stale\n' >"$1/out/stale.o"
	printf 'old cache\n' >"$1/out/cache.db"
	printf 'partial\n' >"$1/out/tmp/part.bin"
}
record() { # record DIR MANIFEST [OPTIONS...]
	local dir=$1 m=$2
	shift 2
	expect_status 0 "$cli" record "$@" --mount "$dir/src:/src:ro" --mount "$dir/out:/out" -o "$m" "$module"
}

rm -rf "$work"
mkdir -p "$work"
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"

# 1. contained, discarded: the host is byte-identical, every change is listed.
project "$work/c"
before=$(snapshot "$work/c")
record "$work/c" "$work/c.yaml" --contain
[ "$(snapshot "$work/c")" = "$before" ] || die "a contained record changed the host"
has_line "$work/out.txt" "contain_build: ok"
e="$work/err.txt"
has_line "$e" "changes held back by --contain:"
has_line "$e" "  modified /out/cache.db (10 -> 24 bytes)"
has_line "$e" "  renamed  /out/tmp/part.bin -> /out/final.bin (8 bytes)"
has_line "$e" "  created  /out/obj/"
has_line "$e" "  created  /out/obj/main.o (15 bytes)"
has_line "$e" "  created  /out/obj/util.o (10 bytes)"
has_line "$e" "  deleted  /out/stale.o (6 bytes)"
has_line "$e" "  deleted  /out/tmp/"
has_line "$e" "discarded; the host is unchanged"
[ "$(grep -c '^  [a-z]' "$e")" = 7 ] || die "not exactly 7 changes listed"
[ -z "$(ls -A "$TMPDIR")" ] || die "the private folder was left behind"

# 2. --discard says so too; --apply and --discard need --contain.
record "$work/c" "$work/c.yaml" --contain --discard
[ "$(snapshot "$work/c")" = "$before" ] || die "--discard changed the host"
expect_status 64 "$cli" record --apply --mount "$work/c/out:/out" -o "$work/x.yaml" "$module"
has_line "$work/err.txt" "--apply needs --contain"
expect_status 64 "$cli" record --contain --apply --discard --mount "$work/c/out:/out" -o "$work/x.yaml" "$module"

# 3. --apply ends exactly as a direct record, with the same manifest.
project "$work/d"
record "$work/d" "$work/d.yaml"
record "$work/c" "$work/c.yaml" --contain --apply
has_line "$work/err.txt" "applied to the host"
[ "$(snapshot "$work/c")" = "$(snapshot "$work/d")" ] || {
	diff <(snapshot "$work/c") <(snapshot "$work/d") >&2 || true
	die "--apply did not end as the direct run"
}
diff <(sed 's#host: d/#host: X/#' "$work/d.yaml") <(sed 's#host: c/#host: X/#' "$work/c.yaml") >&2 ||
	die "the contained and the direct manifests differ"

# 4. host files changed between the run and --apply, keeping size and mtime, are refused (exit 75)
#    and kept; the rest is applied. The module, given "wait", blocks opening the FIFO src/gate
#    after making every change; opening it for writing here returns only then, so the host is
#    changed after the run copied (cache.db) and deleted (stale.o) the files, and before apply.
project "$work/h"
mkfifo "$work/h/src/gate"
"$cli" record --contain --apply --mount "$work/h/src:/src:ro" --mount "$work/h/out:/out" \
	-o "$work/h.yaml" "$module" wait >"$work/out.txt" 2>"$work/err.txt" </dev/null &
run=$!
# shellcheck disable=SC2016
timeout 30 bash -c '
	exec 3>"$1/src/gate" || exit 1 # returns once the module opened the FIFO
	for f in out/cache.db:"OLD CACHE" out/stale.o:STALE; do
		p=$1/${f%%:*}
		cp -p "$p" "$1/ref" && printf "%s\n" "${f#*:}" >"$p" && touch -r "$1/ref" "$p" || exit 1
		rm "$1/ref"
	done' _ "$work/h" || { kill "$run" 2>/dev/null; die "could not change the host during the run"; }
got=0
wait "$run" || got=$?
[ "$got" = 75 ] || { cat "$work/out.txt" "$work/err.txt" >&2; die "apply over changed host files: exit $got, expected 75"; }
has_line "$work/out.txt" "contain_build: ok"
has_line "$work/err.txt" "apply: /out/cache.db: changed on the host since the run saw it; left alone"
has_line "$work/err.txt" "apply: /out/stale.o: changed on the host since the run saw it; left alone"
[ "$(cat "$work/h/out/cache.db")" = "OLD CACHE" ] || die "cache.db was overwritten"
[ "$(cat "$work/h/out/stale.o")" = "STALE" ] || die "stale.o was deleted"
[ -f "$work/h/out/obj/main.o" ] && [ -f "$work/h/out/final.bin" ] || die "the other changes were not applied"
[ -z "$(ls -A "$TMPDIR")" ] || die "the private folder was left behind"
echo "contain_build: ok"
