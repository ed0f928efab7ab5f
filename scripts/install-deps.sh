#!/usr/bin/env bash
# install-deps.sh: installs with apt-get the build and test tools wasi-tofu needs, only those missing.
#
# Idempotent: checks each package with dpkg first and runs `apt-get update` and `apt-get install`
# only when something is missing. Needs root (or sudo) only then. Debian 12 / Ubuntu 22.04+.
set -euo pipefail

packages=(
	build-essential # gcc, make
	cmake
	pkg-config
	clang                     # also builds the WebAssembly fixtures (--target=wasm32-wasi)
	lld                       # wasm-ld
	wasi-libc                 # the C library of the fixtures
	libclang-rt-14-dev-wasm32 # the wasm32 builtins clang links into the fixtures
	libclang-rt-14-dev        # libFuzzer and the sanitizer runtimes (tests/fuzz, -DWT_SANITIZE with clang)
	wabt                      # wat2wasm, wast2json (fixtures and the spec tests)
	libuv1-dev
	libjansson-dev
	libyajl-dev               # streaming JSON parser: reading 1M-line journals in under 2 s (jansson's DOM parser takes ~5 s)
	libyaml-dev
	libcmocka-dev
	nettle-dev                # sha256 of modules, base64 of non-UTF-8 journal strings
	libseccomp-dev            # self-confinement's system-call allow-list, built per architecture with argument checks
	clang-format
	scdoc   # renders the man pages (docs/man/*.scd) to roff; without it the build skips them
	man-db  # man -l: the man page test renders each page (tests/dist/man_test.sh)
	zsh     # the zsh completion test completes command lines in a real zsh (zpty)
	lintian # checks the Debian packages cpack builds (dist_install); brings file(1), which cpack needs
	bash-completion # its loader finds the installed bash completion in an interactive bash (dist_install)
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: everything is installed"
	exit 0
fi

echo "install-deps: missing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo=(sudo -n)
else
	echo "install-deps: run as root (or with sudo): apt-get install ${missing[*]}" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
