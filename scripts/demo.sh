#!/usr/bin/env bash
# demo.sh: shows wasi-tofu on the bundled demo module (fixtures/c/demo.c), a build step in
# miniature: it reads /src (mounted read-only), reads BUILD_MODE, writes /out/build-info.txt.
#
# usage: scripts/demo.sh [BUILD_DIR [WORK_DIR]]
#   BUILD_DIR  the CMake build folder (default: build)
#   WORK_DIR   where the demo project is set up (default: a fresh temporary folder)
# Exits non-zero when any step does not do what it shows.
set -euo pipefail

build=${1:-build}
work=${2:-}
cli="$build/cmd/wasi-tofu"
module="$build/fixtures/demo.wasm"

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
show() { printf '$ %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

[ -x "$cli" ] || die "no $cli: build first (cmake -S . -B $build && cmake --build $build)"
[ -f "$module" ] || die "no $module: build the fixtures first (cmake --build $build)"
if [ -z "$work" ]; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/wasi-tofu-demo.XXXXXX")
	trap 'rm -rf "$work"' EXIT
fi

# Step 1: a project folder: sources (mounted read-only at /src) and an output folder (/out).
setup_project() {
	say "1. a demo project in $work"
	rm -rf "$work/project"
	mkdir -p "$work/project/src" "$work/project/out"
	printf 'name = tofu-demo\nversion = 1.0\n' >"$work/project/src/project.txt"
	printf 'int main(void) { return 0; }\n' >"$work/project/src/main.c"
	printf 'int util(void) { return 1; }\n' >"$work/project/src/util.c"
	printf '# tofu-demo\n' >"$work/project/src/README.md"
	(cd "$work/project" && find . -type f | sort)
}

# Step 2: run the module with exactly the folders and variables it needs.
run_build() {
	say "2. run the build step in the sandbox"
	local args=(run --mount "$work/project/src:/src:ro" --mount "$work/project/out:/out"
		--env BUILD_MODE=release "$module" /src /out)
	show "wasi-tofu ${args[*]}"
	"$cli" "${args[@]}"
	show "cat out/build-info.txt"
	cat "$work/project/out/build-info.txt"
	grep -qx 'mode: release' "$work/project/out/build-info.txt" || die "build-info.txt lacks the mode"
	grep -qx 'sources: main.c util.c' "$work/project/out/build-info.txt" ||
		die "build-info.txt lacks the sources"
}

# Step 3: the sandbox holds: with /out read-only, the same module cannot write its output.
run_readonly() {
	say "3. the same step with /out mounted read-only: the write is refused"
	local args=(run --mount "$work/project/src:/src:ro" --mount "$work/project/out:/out:ro"
		"$module" /src /out)
	rm -f "$work/project/out/build-info.txt"
	show "wasi-tofu ${args[*]}"
	local status=0
	"$cli" "${args[@]}" || status=$?
	echo "exit status $status"
	[ "$status" -ne 0 ] || die "the read-only run succeeded"
	[ ! -e "$work/project/out/build-info.txt" ] || die "the read-only run wrote its output"
}

# The trust-on-first-use steps join here as they land: record (journal + manifest), the
# manifest shown for review, an enforced run in a fresh copy, and a deviation stopped (77).
setup_project
run_build
run_readonly
say "done"
