# demo_common.sh: what the demos share (sourced by demo.sh and demo_manifest.sh after `set -euo
# pipefail` and with build set): $cli, the step printers, die, and expect.
[ -x "$build/cmd/wasi-tofu" ] || {
	echo "demo: no $build/cmd/wasi-tofu: build first (cmake -S . -B $build && cmake --build $build)" >&2
	exit 1
}
cli=$(cd "$build/cmd" && pwd)/wasi-tofu

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
show() { printf '%s$ %s%s\n' "$bold" "$*" "$plain"; }
die() { printf '\ndemo: FAILED: %s\n' "$*" >&2; exit 1; }
expect() { [ "$status" -eq "$1" ] || die "$2: exit status $status, expected $1"; }
