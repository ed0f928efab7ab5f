#!/usr/bin/env bash
# install_test.sh SRC WORK FIXTURES FULL-BUILD: the build as a user or a packager does it, on a
# machine with only the runtime packages (tests/dist/minimal_env.sh hides cmocka, clang, lld and
# wabt): configure with -DBUILD_TESTING=OFF (it must not look for a test tool: none of the cache
# entries of the test tools, which the full build FULL-BUILD has, is made; it configures without
# scdoc too, leaving the man pages out), build, `cmake --install --prefix P` (the binary, the man
# pages gzipped, the docs, the completions, libwasi-tofu), `man` finds and shows every page
# through MANPATH=P/share/man, TAB completes in an interactive bash and zsh, the demos
# (scripts/demo.sh and demo_manifest.sh, FIXTURES/demo.wasm) with P/bin/wasi-tofu,
# examples/embed.c built against P with pkg-config and with find_package, run on the demo's
# project; then `cpack -G DEB`: the packages wasi-tofu, libwasi-tofu<so> and libwasi-tofu-dev,
# their Depends name the package of every shared library the binary and the library need,
# lintian finds nothing but the tags dist/debian/lintian-tolerated lists, and the packages
# installed with dpkg into a scratch root (whose database is this machine's, so their Depends
# must be met) pass the same checks.
# Exits non-zero at the first step that fails.
set -euo pipefail

src=$1
work=$2
fixtures=$3
full_build=$4
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
# The cache entries the test tools' find steps make (every find_program of fixtures/ and tests/,
# and cmocka's pkg_check_modules): each is in the full build's cache (so the names are the real
# ones), none in this one.
entries=$( (grep -rhoE 'find_program\([A-Z0-9_]+' "$src/fixtures" "$src/tests" --include=CMakeLists.txt |
	sed 's/.*(//'; echo CMOCKA_FOUND) | sort -u)
grep -qx CMOCKA_FOUND <<<"$entries" && grep -qx WT_CLANG <<<"$entries" || die "test tools: $entries"
for entry in $entries; do
	grep -q "^$entry:" "$full_build/CMakeCache.txt" ||
		die "the full build's cache has no $entry: update this test's list of the test tools"
	! grep -q "^$entry:" "$build/CMakeCache.txt" ||
		die "configure with -DBUILD_TESTING=OFF looked for a test tool ($entry)"
done
# The command of the README, on a machine without scdoc either: it configures, the man pages
# left out with a message. (find_program also looks in the system's folders, not only in PATH:
# CMAKE_IGNORE_PATH hides them.)
read -r bare_path bare_pc <<<"$("$src/tests/dist/minimal_env.sh" "$work/env-bare" scdoc)"
rm -rf "$work/bare"
env "$bare_path" "$bare_pc" cmake -S "$src" -B "$work/bare" -DBUILD_TESTING=OFF \
	"-DCMAKE_IGNORE_PATH=/usr/local/bin;/usr/bin;/bin;/usr/sbin;/sbin" >"$work/bare.log" 2>&1 ||
	{ cat "$work/bare.log"; die "cmake -DBUILD_TESTING=OFF without scdoc"; }
grep -q 'man pages: skipped (scdoc not found' "$work/bare.log" ||
	{ cat "$work/bare.log"; die "cmake -DBUILD_TESTING=OFF without scdoc does not say the man pages are skipped"; }
minimal cmake --build "$build" -j2 >"$work/build.log" 2>&1 || { tail -50 "$work/build.log"; die "build"; }
[ -x "$build/cmd/wasi-tofu" ] || die "the build made no cmd/wasi-tofu"
grep -q '^wasi-tofu ' <<<"$("$build/cmd/wasi-tofu" --version)" || die "the built wasi-tofu --version"
echo "install_test: configured without the test tools and built (${SECONDS}s)"

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
	local p=$1$2 page pages sub path
	[ -x "$p/bin/wasi-tofu" ] || die "$p/bin/wasi-tofu not installed"
	# every page: wasi-tofu(1), one per subcommand the installed --help lists, and the two of
	# section 5, installed gzipped, found by man through MANPATH and shown without a warning
	pages="1/wasi-tofu 5/wasi-tofu-manifest 5/wasi-tofu-journal"
	for sub in $("$src/dist/help_options.sh" "$p/bin/wasi-tofu" | awk -F'\t' '$1 == "command" { print $2 }'); do
		pages="$pages 1/wasi-tofu-$sub"
	done
	[ "$(wc -w <<<"$pages")" -ge 10 ] || die "only the pages $pages"
	for page in $pages; do
		path=$p/share/man/man${page%%/*}/${page#*/}.${page%%/*}.gz
		[ -s "$path" ] && gzip -t "$path" || die "$path not installed (gzipped)"
		[ "$(MANPATH=$p/share/man man -w "${page%%/*}" "${page#*/}")" = "$path" ] ||
			die "man -w ${page%%/*} ${page#*/} with MANPATH=$p/share/man does not find $path"
		MANPATH=$p/share/man LC_ALL=C MANWIDTH=80 man --warnings "${page%%/*}" "${page#*/}" \
			>"$work/page.txt" 2>"$work/page.err" || die "man ${page#*/} failed"
		[ ! -s "$work/page.err" ] || die "man ${page#*/} warns: $(cat "$work/page.err")"
		grep -q "^NAME" "$work/page.txt" && grep -q "${page#*/}" "$work/page.txt" ||
			die "man ${page#*/} does not show the page"
	done
	grep -q -- '--manifest MANIFEST' <(MANPATH=$p/share/man man wasi-tofu-run 2>&1) ||
		die "man wasi-tofu-run does not show its options"
	for doc in README.md LICENSE docs/cli.md docs/manifest.md docs/journal.md docs/security.md \
		docs/schemas/check-result.v2.schema.json; do
		[ -s "$p/share/doc/wasi-tofu/$doc" ] || die "$p/share/doc/wasi-tofu/$doc not installed"
	done
	# the completions where they are installed: in an interactive bash whose bash-completion
	# loader looks in P/share, and in an interactive zsh whose fpath has the zsh folder
	[ -s "$p/share/bash-completion/completions/wasi-tofu" ] || die "no bash completion in $p"
	[ -s "$p/share/zsh/vendor-completions/_wasi-tofu" ] || die "no zsh completion in $p"
	local lines=("wasi-tofu rec" "wasi-tofu run --mani" "wasi-tofu record --mo"
		"wasi-tofu generate --granularity d" "wasi-tofu journal s")
	printf '== %s\n%s \n' "${lines[0]}" "wasi-tofu record" "${lines[1]}" "wasi-tofu run --manifest" \
		"${lines[2]}" "wasi-tofu record --mount" "${lines[3]}" "wasi-tofu generate --granularity dir" \
		"${lines[4]}" "wasi-tofu journal show" >"$work/completed.expected"
	zsh -f "$src/tests/dist/shell_complete.zsh" bash "$p/share" "${lines[@]}" >"$work/bash.out" 2>"$work/bash.err" ||
		{ cat "$work/bash.out" "$work/bash.err"; die "shell_complete.zsh bash"; }
	diff "$work/completed.expected" "$work/bash.out" ||
		die "an interactive bash does not complete wasi-tofu with the completion installed in $p"
	zsh -f "$src/tests/dist/shell_complete.zsh" zsh "$p/share/zsh/vendor-completions" "${lines[@]}" \
		>"$work/zsh.out" 2>"$work/zsh.err" || { cat "$work/zsh.out" "$work/zsh.err"; die "shell_complete.zsh zsh"; }
	grep -qx record "$work/zsh.out" && grep -qx -- --manifest "$work/zsh.out" &&
		grep -qx -- --mount "$work/zsh.out" && grep -qx dir "$work/zsh.out" && grep -qx show "$work/zsh.out" ||
		{ cat "$work/zsh.out"; die "an interactive zsh does not complete wasi-tofu with the completion installed in $p"; }
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
# the Debian files are the packages' only
[ ! -e "$prefix/share/doc/wasi-tofu/copyright" ] && ! ls -d "$prefix"/share/doc/libwasi-tofu* 2>/dev/null ||
	die "cmake --install installed the Debian packages' own files (share/doc/PACKAGE/copyright)"
library "$prefix" ""
echo "install_test: cmake --install --prefix: the files and the demo (${SECONDS}s)"

# The Debian packages
(cd "$build" && minimal cpack -G DEB) >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; die "cpack -G DEB"; }
echo "install_test: cpack -G DEB (${SECONDS}s)"
# the library's package is named after its soname: libwasi-tofu0.1 for libwasi-tofu.so.0.1
so=$(ls "$build"/lib/libwasi-tofu.so.*.*.*)
soname=$(objdump -p "$so" | awk '$1 == "SONAME" { print $2 }')
libpkg=$(sed -E 's/^(.*)\.so\.(.*)$/\1\2/' <<<"$soname")
packages=(wasi-tofu "$libpkg" libwasi-tofu-dev)
debs=()
for pkg in "${packages[@]}"; do
	deb=$(ls "$build/${pkg}"_*.deb) || die "cpack made no package $pkg"
	debs+=("$deb")
done
# named_in PACKAGE DEPENDS FILE: the package that holds FILE is one that DEPENDS (PACKAGE's)
# names, or one that a package it names depends on (libgccjit0 brings libisl23, binutils, ...)
named_in() {
	local pkg more
	pkg=$(dpkg -S "$(readlink -f "$3")" 2>/dev/null || dpkg -S "$3") || die "no package holds $3"
	pkg=${pkg%%:*}
	grep -qE "(^|, )$pkg( |,|$)" <<<"$2" && return 0
	more=$(tr ',' '\n' <<<"$2" | sed 's/[(|].*//; s/ //g' | grep . |
		while read -r d; do dpkg-query -W -f='${Depends}\n' "$d" 2>/dev/null; done)
	grep -qE "(^|[ ,])$pkg( |,|:|$)" <<<"$more" || die "$1: Depends lacks $pkg (for $3)"
}
# depends PACKAGE ELF: every shared library ELF loads (but the loader's own) comes from a package
# that PACKAGE's Depends names
depends() {
	local deb lib depends
	deb=$(ls "$build/$1"_*.deb)
	depends=$(dpkg-deb -f "$deb" Depends)
	echo "install_test: $(basename "$deb"): Depends: $depends"
	for lib in $(ldd "$2" | awk '$3 ~ /^\// { print $3 }'); do
		named_in "$1" "$depends" "$lib"
	done
}
depends wasi-tofu "$build/cmd/wasi-tofu"
depends "$libpkg" "$so"
# libgccjit is loaded when the compiling tier first compiles, not linked: ldd does not show it
if [[ ${WT_TEST_HAVE_JIT:-OFF} == ON ]]; then
	for pkg in wasi-tofu "$libpkg"; do
		grep -qE "(^|, )libgccjit0( |,|$)" <<<"$(dpkg-deb -f "$(ls "$build/$pkg"_*.deb)" Depends)" ||
			die "$pkg: Depends lacks libgccjit0 (the compiling tier loads it)"
	done
fi
! grep -q libwasi-tofu <<<"$(dpkg-deb -f "${debs[0]}" Depends)" ||
	die "wasi-tofu depends on the library package: the binary should not need it"
dev_depends=$(dpkg-deb -f "${debs[2]}" Depends)
grep -qF "$libpkg (= " <<<"$dev_depends" ||
	die "libwasi-tofu-dev does not depend on its library's exact version"
# and on the package of each pkg-config module its wasi-tofu.pc requires (pkg-config reads them)
for module in $(sed -n 's/^Requires.private://p' "$build/lib/wasi-tofu.pc" | tr ',' ' '); do
	named_in libwasi-tofu-dev "$dev_depends" "$(pkg-config --variable=pcfiledir "$module")/$module.pc"
done
for deb in "${debs[@]}"; do
	grep -q "/usr/share/doc/$(dpkg-deb -f "$deb" Package)/copyright$" <<<"$(dpkg-deb -c "$deb")" ||
		die "$(basename "$deb") has no copyright file"
done

# lintian runs meanwhile (it takes seconds): its verdict after the scratch root's checks
command -v lintian >/dev/null || die "lintian is not installed (scripts/install-deps.sh)"
lintian --no-cfg "${debs[@]}" >"$work/lintian.log" 2>&1 &
lintian_pid=$!
trap '[ -z "$lintian_pid" ] || kill "$lintian_pid" 2>/dev/null' EXIT

# dpkg -i into a scratch root: its database is a copy of this machine's, so dpkg checks the
# Depends against what is installed; the maintainer scripts run outside the root (chrootless),
# with an ldconfig that does nothing (the machine's cache is not the scratch root's).
root=$work/root
rm -rf "$root" "$work/fakebin"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers" \
	"$work/fakebin"
cp /var/lib/dpkg/status "$root/var/lib/dpkg/status"
printf '#!/bin/sh\nexit 0\n' >"$work/fakebin/ldconfig" && chmod +x "$work/fakebin/ldconfig"
PATH=$work/fakebin:$PATH:/usr/sbin:/sbin dpkg --instdir="$root" --admindir="$root/var/lib/dpkg" \
	--force-script-chrootless --force-not-root --path-include='/*' -i "${debs[@]}" >"$work/dpkg.log" 2>&1 ||
	{ grep -v 'files list file for package' "$work/dpkg.log"; die "dpkg -i the packages"; }
for pkg in "${packages[@]}"; do
	[ "$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' "$pkg")" = "install ok installed" ] ||
		die "dpkg did not install $pkg"
done
installed "$root" /usr
library "$root" /usr
echo "install_test: the .debs installed into a scratch root: the files and the demo (${SECONDS}s)"

# lintian: nothing but the tolerated tags (the list is checked too: each tag still shows up)
wait "$lintian_pid" || true
lintian_pid=
tolerated=$(grep -v '^#' "$src/dist/debian/lintian-tolerated" | grep .)
grep -E '^[EW]: ' "$work/lintian.log" >"$work/lintian.tags" || true
echo "install_test: lintian: $(wc -l <"$work/lintian.tags") tag(s), tolerated: $tolerated (${SECONDS}s)"
while read -r tag; do
	grep -qxF -- "$(awk '{ print $3 }' <<<"$tag")" <<<"$tolerated" || die "lintian: $tag"
done <"$work/lintian.tags"
grep -qvE '^(E|W|N|I|P|X|O|C): |^$|running with root privileges' "$work/lintian.log" &&
	{ cat "$work/lintian.log"; die "lintian failed"; }
for tag in $tolerated; do
	grep -q " $tag" "$work/lintian.tags" || die "dist/debian/lintian-tolerated lists $tag, which lintian no longer shows"
done

echo "install_test: done"
