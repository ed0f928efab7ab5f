#!/usr/bin/env bash
# confine_e2e.sh: self-confinement through the CLI. wasi-tofu-hooked (wasi-tofu with the test
# hook of confine_hook.c) does one wrong thing right after it confined itself: read a secret
# outside the mounts, write outside them or into a read-only mount, open a TCP connection, exec a
# shell, ptrace another process. Each must be stopped by the kernel (Landlock: EACCES/EPERM, or
# seccomp: the process dies of SIGSYS with a message naming --no-self-confine), and each must
# succeed with --no-self-confine, so the test shows the confinement, not a broken hook. Also:
# wasi-tofu itself runs under a seccomp filter (and not with --no-self-confine), writes inside a
# writable mount still work, and the helps name the option.
#
# usage: confine_e2e.sh WASI_TOFU WASI_TOFU_HOOKED FIXTURE_DIR WORK_DIR
set -euo pipefail

cli=$1
hooked=$2
fixtures=$3
work=$4
module=$fixtures/cli_return.wasm
sigsys=$((128 + 31))

die() { printf 'confine_e2e: %s\n' "$*" >&2; exit 1; }
abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))' 2>/dev/null || echo 0)
if [ "$abi" -lt 2 ]; then
	echo "confine_e2e: skipped: the kernel has no Landlock ABI 2 (got $abi)"
	exit 0
fi

rm -rf "$work"
mkdir -p "$work/m" "$work/ro" "$work/outside"
printf 'the secret\n' >"$work/outside/secret"
printf 'read me\n' >"$work/ro/file"

# hook WHAT [OPTIONS...]: runs the hooked binary; sets $status, stderr in $work/err.
hook() {
	local what=$1
	shift
	status=0
	WASI_TOFU_TEST_ESCAPE=$what "$hooked" run "$@" --mount "$work/m:/m" --mount "$work/ro:/ro:ro" \
		"$module" </dev/null >"$work/out" 2>"$work/err" || status=$?
}
has() { grep -qF -- "$1" "$work/err" || { cat "$work/err" >&2; die "$2: stderr lacks '$1'"; }; }
# refused WHAT: the hook's call failed, and the run went on to its end (status 0).
refused() {
	hook "$1"
	[ "$status" = 0 ] || { cat "$work/err" >&2; die "$1: exit $status, expected 0"; }
	has "confine-hook: $1: refused:" "$1 confined"
}
# killed WHAT: the kernel stopped the call and the process died of SIGSYS, saying why.
killed() {
	hook "$1"
	[ "$status" = "$sigsys" ] || { cat "$work/err" >&2; die "$1: exit $status, expected SIGSYS"; }
	has "the kernel stopped system call" "$1 confined"
	has "--no-self-confine" "$1 confined"
	! grep -qF "confine-hook: $1: done" "$work/err" || die "$1: the call went through"
}
# allowed WHAT: with --no-self-confine the same call goes through.
allowed() {
	hook "$1" --no-self-confine
	[ "$status" = 0 ] || { cat "$work/err" >&2; die "$1 --no-self-confine: exit $status"; }
	has "${2:-confine-hook: $1: done}" "$1 --no-self-confine"
}

refused "read:$work/outside/secret"
allowed "read:$work/outside/secret"

refused "write:$work/outside/new"
[ ! -e "$work/outside/new" ] || die "write outside the mounts made a file"
allowed "write:$work/outside/new"
[ "$(cat "$work/outside/new")" = escaped ] || die "the unconfined hook did not write"

refused "write:$work/ro/file"
[ "$(cat "$work/ro/file")" = "read me" ] || die "the read-only mount changed"
allowed "write:$work/ro/file"

hook "write:$work/m/made" # a writable mount stays writable
has "confine-hook: write:$work/m/made: done" "write into a writable mount"

killed "connect:9"
allowed "connect:9"

killed "exec:/bin/sh"
allowed "exec:/bin/sh" "confine-hook: exec ran"

sleep 30 &
victim=$!
trap 'kill $victim 2>/dev/null || true' EXIT
hook "ptrace:$victim"
case $status in
"$sigsys") has "the kernel stopped system call" "ptrace confined" ;;
0) has "confine-hook: ptrace:$victim: refused: Operation not permitted" "ptrace confined" ;;
*) cat "$work/err" >&2; die "ptrace: exit $status" ;;
esac
allowed "ptrace:$victim"

# record: confined the same way, and its own files (journal, manifest) are still written.
mkdir -p "$work/rec"
status=0
WASI_TOFU_TEST_ESCAPE="read:$work/outside/secret" "$hooked" record --mount "$work/m:/m" \
	-o "$work/rec/m.yaml" "$module" </dev/null >"$work/out" 2>"$work/err" || status=$?
[ "$status" = 0 ] || { cat "$work/err" >&2; die "record: exit $status"; }
has "confine-hook: read:$work/outside/secret: refused:" "record confined"
[ -s "$work/rec/m.yaml" ] && [ -s "$work/rec/m.journal.jsonl" ] || die "record wrote no manifest"

# wasi-tofu itself: a seccomp filter while the module runs. The module opens a FIFO; our open
# of its other end returns once the module's has, so it is running then.
mkdir -p "$work/f"
mkfifo "$work/f/fifo"
seccomp_of() { # seccomp_of OPTIONS...: the Seccomp: field of wasi-tofu while its module runs
	local pid
	"$cli" run "$@" --mount "$work/f:/f" "$fixtures/cli_tool.wasm" cat /f/fifo >/dev/null 2>&1 &
	pid=$!
	exec 3>"$work/f/fifo"
	awk '/^Seccomp:/ { print $2 }' "/proc/$pid/status"
	exec 3>&-
	wait "$pid"
}
[ "$(seccomp_of)" = 2 ] || die "wasi-tofu runs a module without a seccomp filter"
[ "$(seccomp_of --no-self-confine)" = 0 ] || die "--no-self-confine still loads a filter"

for sub in run record; do
	"$cli" "$sub" --help | grep -qF -- --no-self-confine || die "$sub --help does not name --no-self-confine"
done
echo "confine_e2e: every wrong call was stopped by the kernel, and went through unconfined"
