#!/usr/bin/env bash
# signal_stop.sh: a confined run stopped by SIGTERM or SIGINT ends as a stop by that signal on
# every tier (docs/cli.md, "Exit status"): `run` dies of the signal (128+N in a shell, nothing on
# stderr), `record` completes its journal with an "end":"signal" line and exits 128+N. Never the
# seccomp report meant for a hostile guest ("the kernel stopped system call ..."): a handler
# libgccjit's driver installs while --tier jit compiles in the process re-raises the signal with
# kill(), which the filter does not allow. Each case starts record_kill (it prints a line per
# round, forever), waits until a line is out (the run is confined by then), and signals it.
# Before the signal it also reads the running process's /proc/PID/maps: libgccjit is there only
# when the process compiled (--tier jit with nothing to load), never in an interpreted run, an
# auto run (its compile child compiles) or a run that loaded compiled code from the cache
# (docs/engine.md, "Start-up": the library is loaded when the tier first compiles). After it,
# nothing is left in TMPDIR: the compile child's private folder goes with the run it served.
#
# usage: signal_stop.sh WASI_TOFU FIXTURE_DIR WORK_DIR
set -uo pipefail

cli=$1
module=$2/record_kill.wasm
work=$3
failures=0 cases=0

rm -rf "$work" && mkdir -p "$work/k" "$work/tmp" || exit 1
cd "$work" || exit 1
XDG_STATE_HOME=$work/state TMPDIR=$work/tmp
export XDG_STATE_HOME TMPDIR
# the auto tier: hot at once, so its compile child is busy when the signal comes
WT_JIT_HOT=100 WT_JIT_WARM_MS=0
export WT_JIT_HOT WT_JIT_WARM_MS
unset WT_JIT_STATS

fail() {
	printf 'FAIL %s\n' "$*"
	sed 's/^/  stderr: /' err
	failures=$((failures + 1))
}

# start CMD ARGS...: runs the CLI in the background with SIGINT at its default (a background job
# of a script starts with it ignored); sets $pid.
start() {
	rm -f out err
	env --default-signal=INT,TERM "$cli" "$@" >out 2>err &
	pid=$!
}

# ready: waits (up to a minute: a compile comes first) for record_kill's first line; 1 when the
# process ended or never printed.
ready() {
	for _ in $(seq 1 1200); do
		[ -s out ] && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# finish: waits for $pid (up to a minute, then SIGKILL); sets $status.
finish() {
	for _ in $(seq 1 1200); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	status=0
	wait "$pid" 2>/dev/null || status=$?
}

# leftover: what is left in TMPDIR once every process of the case has ended: nothing, as a stopped
# run and its compile child remove their private folders (the child may outlive the run by its
# grace and the alarm behind it: up to 10 s).
leftover() {
	for _ in $(seq 1 200); do
		[ -z "$(ls -A "$TMPDIR")" ] && return 0
		sleep 0.05
	done
	ls -A "$TMPDIR" | head -3
	rm -rf "${TMPDIR:?}"/*
}

# stop SIG NUM CMD TIER [OPTIONS...]: one case; $compiles: 1 when the run compiles in its own
# process.
stop() {
	local sig=$1 num=$2 cmd=$3 tier=$4 name maps mapped=0 left
	shift 4
	name="$cmd --tier $tier${*:+ $*} SIG$sig"
	cases=$((cases + 1))
	rm -f k.journal.jsonl
	if [ "$cmd" = run ]; then
		start run --tier "$tier" "$@" --mount k:/k "$module" /k
	else
		start record --tier "$tier" "$@" --mount k:/k -o k.yaml "$module" /k
	fi
	if ! ready; then
		finish
		fail "$name: no output before the signal (status $status)"
		return
	fi
	maps=$(cat "/proc/$pid/maps" 2>/dev/null)
	grep -q libgccjit <<<"$maps" && mapped=1
	kill "-$sig" "$pid"
	finish
	left=$(leftover)
	if [ -z "$maps" ]; then
		fail "$name: its /proc/PID/maps could not be read"
	elif [ "$mapped" != "${compiles:-0}" ]; then
		fail "$name: libgccjit mapped: $mapped, expected ${compiles:-0} (1: the run compiles)"
	elif [ -n "$left" ]; then
		fail "$name: left in TMPDIR: $left"
	elif grep -q "self-confinement" err; then
		fail "$name: reported as a seccomp violation (status $status)"
	elif [ "$status" != $((128 + num)) ]; then
		fail "$name: status $status, expected $((128 + num))"
	elif [ "$cmd" = run ] && [ -s err ]; then
		fail "$name: stderr is not empty"
	elif [ "$cmd" = record ] &&
		! tail -1 k.journal.jsonl | grep -q "\"end\":\"signal\",\"message\":\"SIG$sig\""; then
		fail "$name: the journal's end line is not the signal's: $(tail -1 k.journal.jsonl)"
	fi
}

for cmd in run record; do
	for sig in TERM:15 INT:2; do
		s=${sig%:*} n=${sig#*:}
		stop "$s" "$n" "$cmd" interp
		# jit compiling in the process: without the cache, then into an empty cache
		compiles=1 stop "$s" "$n" "$cmd" jit --no-cache
		compiles=1 XDG_CACHE_HOME=$work/cache-$cmd-$s-jit stop "$s" "$n" "$cmd" jit
		# jit loading from the cache the run before filled
		XDG_CACHE_HOME=$work/cache-$cmd-$s-jit stop "$s" "$n" "$cmd" jit
		# auto: the compile child at work, then whatever it left in the cache
		XDG_CACHE_HOME=$work/cache-$cmd-$s-auto stop "$s" "$n" "$cmd" auto
		XDG_CACHE_HOME=$work/cache-$cmd-$s-auto stop "$s" "$n" "$cmd" auto
	done
done

if [ "$failures" -ne 0 ]; then
	echo "signal_stop: $failures of $cases cases failed"
	exit 1
fi
echo "signal_stop: all $cases cases stopped by their signal"
