# demo_common.sh: what the demos share (sourced by demo.sh and demo_manifest.sh after `set -euo
# pipefail` and with build set): $cli, the step printers, die, and expect.
# $cli is WASI_TOFU when it is set (an installed wasi-tofu, a path or a name on PATH), else
# BUILD_DIR/cmd/wasi-tofu; the modules come from BUILD_DIR/fixtures either way.
cli=${WASI_TOFU:-$build/cmd/wasi-tofu}
case $cli in */*) ;; *) cli=$(command -v "$cli" || echo "$cli") ;; esac # a name on PATH
[ -x "$cli" ] || {
	echo "demo: no $cli: build first (cmake -S . -B $build && cmake --build $build)" >&2
	exit 1
}
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
show() { printf '%s$ %s%s\n' "$bold" "$*" "$plain"; }
die() { printf '\ndemo: FAILED: %s\n' "$*" >&2; exit 1; }
expect() { [ "$status" -eq "$1" ] || die "$2: exit status $status, expected $1"; }
