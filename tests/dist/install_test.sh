#!/usr/bin/env bash
# install_test.sh SRC WORK: the build as a user or a packager does it, on a machine with only the
# runtime packages (tests/dist/minimal_env.sh hides cmocka, clang, lld and wabt): configure with
# -DBUILD_TESTING=OFF, build. Exits non-zero at the first step that fails.
set -euo pipefail

src=$1
work=$2
die() { printf 'install_test: FAILED: %s\n' "$*" >&2; exit 1; }

mkdir -p "$work"
read -r minimal_path minimal_pc <<<"$("$src/tests/dist/minimal_env.sh" "$work/env")"
minimal() { env "$minimal_path" "$minimal_pc" "$@"; }
minimal sh -c '! command -v clang && ! command -v wat2wasm && ! pkg-config --exists cmocka' >/dev/null ||
	die "the minimal environment still has clang, wat2wasm or cmocka"

build=$work/build
rm -rf "$build"
minimal cmake -S "$src" -B "$build" -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=Release \
	-DCMAKE_INSTALL_PREFIX=/usr >"$work/configure.log" 2>&1 ||
	{ cat "$work/configure.log"; die "configure with -DBUILD_TESTING=OFF"; }
! grep -qE '^(CMOCKA_FOUND|WT_CLANG|WT_WAT2WASM|WAST2JSON)' "$build/CMakeCache.txt" ||
	die "configure with -DBUILD_TESTING=OFF looked for a test tool"
minimal cmake --build "$build" -j2 >"$work/build.log" 2>&1 || { tail -50 "$work/build.log"; die "build"; }
[ -x "$build/cmd/wasi-tofu" ] || die "the build made no cmd/wasi-tofu"
"$build/cmd/wasi-tofu" --version | grep -q '^wasi-tofu ' || die "the built wasi-tofu --version"

echo "install_test: done"
