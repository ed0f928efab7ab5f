#!/usr/bin/env bash
# install_test.sh SRC WORK FIXTURES: the build as a user or a packager does it, on a machine with
# only the runtime packages (tests/dist/minimal_env.sh hides cmocka, clang, lld and wabt):
# configure with -DBUILD_TESTING=OFF, build, `cmake --install --prefix P` (the binary, the man
# pages, the docs, the completions, libwasi-tofu), the demos (scripts/demo.sh and demo_manifest.sh,
# FIXTURES/demo.wasm) with P/bin/wasi-tofu, examples/embed.c built against P with pkg-config
# and with find_package, run on the demo's project; then `cpack -G DEB`: its Depends name the
# package of every shared library the binary needs, and the package unpacked into a scratch
# root (dpkg-deb -x) passes the same checks.
# Exits non-zero at the first step that fails.
set -euo pipefail

src=$1
work=$2
fixtures=$3
die() { printf 'install_test: FAILED: %s\n' "$*" >&2; exit 1; }

mkdir -p "$work"
read -r minimal_path minimal_pc <<<"$("$src/tests/dist/minimal_env.sh" "$work/env")"
minimal() { env "$minimal_path" "$minimal_pc" "$@"; }
minimal sh -c '! command -v clang && ! command -v wat2wasm && ! pkg-config --exists cmocka' >/dev/null ||
	die "the minimal environment still has clang, wat2wasm or cmocka"

build=$work/build
rm -rf "$build"
minimal cmake -S "$src" -B "$build" -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=Release \
	-DCMAKE_INSTALL_PREFIX=/usr -DWT_MAN=ON >"$work/configure.log" 2>&1 ||
	{ cat "$work/configure.log"; die "configure with -DBUILD_TESTING=OFF"; }
! grep -qE '^(CMOCKA_FOUND|WT_CLANG|WT_WAT2WASM|WAST2JSON)' "$build/CMakeCache.txt" ||
	die "configure with -DBUILD_TESTING=OFF looked for a test tool"
minimal cmake --build "$build" -j2 >"$work/build.log" 2>&1 || { tail -50 "$work/build.log"; die "build"; }
[ -x "$build/cmd/wasi-tofu" ] || die "the build made no cmd/wasi-tofu"
grep -q '^wasi-tofu ' <<<"$("$build/cmd/wasi-tofu" --version)" || die "the built wasi-tofu --version"

# the demos (the project one, then the single-manifest one, whose project embed.c uses) with
# an installed wasi-tofu: BIN
demo() {
	local d
	for d in demo demo_manifest; do
		WASI_TOFU=$1 "$src/scripts/$d.sh" "$(dirname "$fixtures")" "$work/$d" >"$work/$d.log" 2>&1 ||
			{ tail -30 "$work/$d.log"; die "scripts/$d.sh with $1"; }
		grep -qF "wasi-tofu below is $1" "$work/$d.log" || die "scripts/$d.sh did not run $1"
	done
}
# installed ROOT PREFIX: what the install put under ROOT/PREFIX (the zsh folder is the one of
# prefix /usr, as configured).
installed() {
	local p=$1$2 page
	[ -x "$p/bin/wasi-tofu" ] || die "$p/bin/wasi-tofu not installed"
	for page in man1/wasi-tofu.1 man1/wasi-tofu-run.1 man1/wasi-tofu-record.1 \
		man1/wasi-tofu-generate.1 man1/wasi-tofu-check.1 man1/wasi-tofu-diff.1 \
		man1/wasi-tofu-journal.1 man5/wasi-tofu-manifest.5 man5/wasi-tofu-journal.5; do
		[ -s "$p/share/man/$page" ] || die "$p/share/man/$page not installed"
	done
	# (into a variable first: grep -q leaving early would make man's SIGPIPE fail the pipe)
	page=$(LC_ALL=C MANWIDTH=80 man -M "$p/share/man" wasi-tofu-run 2>&1)
	grep -q -- '--manifest MANIFEST' <<<"$page" ||
		die "man -M $p/share/man wasi-tofu-run does not show the page"
	for doc in README.md LICENSE docs/cli.md docs/manifest.md docs/journal.md docs/security.md; do
		[ -s "$p/share/doc/wasi-tofu/$doc" ] || die "$p/share/doc/wasi-tofu/$doc not installed"
	done
	[ -s "$p/share/zsh/vendor-completions/_wasi-tofu" ] || die "no zsh completion in $p"
	local bash_completion=$p/share/bash-completion/completions/wasi-tofu
	[ -s "$bash_completion" ] || die "no bash completion in $p"
	# shellcheck source=/dev/null
	answer=$(source "$bash_completion" && COMP_WORDS=(wasi-tofu rec) COMP_CWORD=1 &&
		_wasi_tofu && echo "${COMPREPLY[*]}")
	[ "$answer" = record ] || die "the installed bash completion completes rec to '$answer'"
	demo "$p/bin/wasi-tofu"
}

# library ROOT PREFIX: examples/embed.c built against the installed libwasi-tofu through
# pkg-config and through CMake's find_package, each run on the demo's project under the
# manifest the demo recorded: the step's --v2 read of /src/.env is refused and listed.
library() {
	local p=$1$2 pc libdir e
	pc=$(find "$p" -name wasi-tofu.pc)
	[ -n "$pc" ] || die "no wasi-tofu.pc in $p"
	libdir=$(dirname "$(dirname "$pc")")
	# shellcheck disable=SC2046
	cc -std=c99 -Wall -Wextra -Werror "$src/examples/embed.c" -o "$work/embed-pc" \
		$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs wasi-tofu) ||
		die "examples/embed.c does not build with pkg-config against $p"
	rm -rf "$work/embed-cmake"
	{ minimal cmake -S "$src/examples" -B "$work/embed-cmake" -DCMAKE_PREFIX_PATH="$p" &&
		minimal cmake --build "$work/embed-cmake"; } >"$work/embed-cmake.log" 2>&1 ||
		{ cat "$work/embed-cmake.log"; die "examples/ does not build with find_package against $p"; }
	for e in "$work/embed-pc" "$work/embed-cmake/embed"; do
		(cd "$work/demo_manifest/project" && LD_LIBRARY_PATH=$libdir "$e" demo.manifest.yaml demo.wasm \
			/src /out --v2) >"$work/embed.out" 2>&1 || { cat "$work/embed.out"; die "$e failed"; }
		grep -q '^  path_open /src/.env (1 call(s))$' "$work/embed.out" &&
			grep -qE 'to allow it: - \{path: .*/\.env.*allow: \[read\]\}' "$work/embed.out" ||
			{ cat "$work/embed.out"; die "$e does not list the deviation"; }
	done
}

prefix=$work/prefix
rm -rf "$prefix"
minimal cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; die "cmake --install"; }
installed "$prefix" ""
library "$prefix" ""
echo "install_test: cmake --install --prefix: the files and the demo"

# The Debian package
(cd "$build" && minimal cpack -G DEB) >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; die "cpack -G DEB"; }
deb=$(ls "$build"/wasi-tofu_*.deb)
dpkg-deb -f "$deb" Depends >"$work/depends"
echo "install_test: $(basename "$deb"): Depends: $(cat "$work/depends")"
# every shared library the binary loads (but the loader's own) comes from a package it names, or
# from a package one of those depends on (libgccjit0 brings libisl23, binutils, ...)
deps=$(tr ',' '\n' <"$work/depends" | sed 's/[(|].*//; s/ //g' | grep .)
for d in $deps; do
	dpkg-query -W -f='${Depends}\n' "$d" 2>/dev/null | tr ',' '\n' | sed 's/[(|].*//; s/ //g; s/:.*//' | grep .
done | sort -u | paste -sd, | sed 's/,/, /g' >"$work/depends.more"
printf '%s, %s\n' "$(cat "$work/depends")" "$(cat "$work/depends.more")" >"$work/depends"
ldd "$build/cmd/wasi-tofu" | awk '$3 ~ /^\// { print $3 }' | while read -r lib; do
	pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib") || die "no package holds $lib"
	pkg=${pkg%%:*}
	grep -qE "(^|, )$pkg( |,|$)" "$work/depends" || die "Depends lacks $pkg (for $lib)"
done
root=$work/root
rm -rf "$root"
dpkg-deb -x "$deb" "$root"
installed "$root" /usr
library "$root" /usr
echo "install_test: the .deb unpacked: the files and the demo"

echo "install_test: done"
