#!/usr/bin/env bash
# record_test.sh: end-to-end tests of `wasi-tofu record` and `journal show`: the journal's calls
# against node's WASI call by call, determinism, outputs, malformed journals, and kills
# (SIGINT, SIGTERM, SIGKILL) in the middle of a run.
#
# usage: tests/e2e/record_test.sh BUILD_DIR WORK_DIR
# Prints one line per check; exits 1 when any fails.
set -uo pipefail

build=$(cd "${1:?usage: record_test.sh BUILD_DIR WORK_DIR}" && pwd)
work=${2:?usage: record_test.sh BUILD_DIR WORK_DIR}
here=$(cd "$(dirname "$0")" && pwd)
cli="$build/cmd/wasi-tofu"
fx="$build/fixtures"
tool="$here/journal_tool.mjs"
failures=0

pass() { printf 'ok    %s\n' "$*"; }
fail() {
	printf 'FAIL  %s\n' "$*"
	failures=$((failures + 1))
}
check() { # check NAME COMMAND...: passes when COMMAND succeeds
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}
node_tool() { node --no-warnings "$tool" "$@"; }

rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1

# fresh_dir NAME: an empty folder, with the demo's project files when NAME is demo*.
fresh_dir() {
	rm -rf "$1" && mkdir -p "$1/src" "$1/out"
	printf 'name = demo\n' >"$1/src/project.txt"
	printf 'int main(void) { return 0; }\n' >"$1/src/main.c"
	printf 'hello\n' >"$1/src/a.txt"
}

# compare NAME MOUNTS -- MODULE ARGS...: records the module and traces it under node with the
# same mounts (and the "." preopen wasi-tofu adds for the cwd, the first mount's folder); the
# call sequences must be equal, and the exit status too.
compare() {
	local name=$1 mounts=() nmounts=() envs=() first=""
	shift
	while [ "$1" != "--" ]; do
		case $1 in
		--env) envs+=(--env "$2") && shift ;;
		*) mounts+=(--mount "W/$1") nmounts+=(--mount "N/$1") first=${first:-${1%%:*}} ;;
		esac
		shift
	done
	shift
	fresh_dir "W" && fresh_dir "N"
	local wm=("${mounts[@]}") nm=("${nmounts[@]}")
	[ -n "$first" ] && nm+=(--mount "N/$first:.")
	local ws=0 ns=0
	# stdout to a regular file for both: the guest's libc picks its buffering from it
	"$cli" record "${wm[@]}" "${envs[@]}" -o "$name.yaml" "$@" >"$name.out" 2>"$name.err" || ws=$?
	node_tool trace "$name.node" "${nm[@]}" "${envs[@]}" "$@" >"$name.nout" 2>&1 || ns=$?
	node_tool calls "$name.journal.jsonl" >"$name.calls"
	if ! diff -q "$name.node" "$name.calls" >/dev/null; then
		fail "calls equal node's: $name"
		diff "$name.node" "$name.calls" | head -10
	elif [ "$ws" != "$ns" ]; then
		fail "calls equal node's: $name (exit $ws, node $ns)"
	else
		pass "calls equal node's: $name ($(wc -l <"$name.calls") calls, exit $ws)"
	fi
}

compare calls src:/d -- "$fx/record_calls.wasm" /d
compare calls_env src:/d --env HOME=/home/x --env LANG=C -- "$fx/record_calls.wasm" /d
compare tool_args -- "$fx/cli_tool.wasm" args one "two three"
compare tool_env --env A=1 --env B=2 -- "$fx/cli_tool.wasm" env
compare tool_cat src:/s:ro -- "$fx/cli_tool.wasm" cat /s/a.txt
compare tool_cat_missing src:/s:ro -- "$fx/cli_tool.wasm" cat /s/none.txt
compare tool_write out:/o -- "$fx/cli_tool.wasm" write /o/x.txt text
compare tool_ls src:/s -- "$fx/cli_tool.wasm" ls /s
compare tool_exit -- "$fx/cli_tool.wasm" exit 7
compare tool_usage -- "$fx/cli_tool.wasm"
compare demo src:/src:ro out:/out --env BUILD_MODE=debug -- "$fx/demo.wasm" /src /out
compare patterns src:/d -- "$fx/journal_patterns.wasm" /d
for wat in exit_code cli_trap cli_divzero cli_return; do
	[ -f "$fx/$wat.wasm" ] && compare "$wat" -- "$fx/$wat.wasm"
done

# Two records of a deterministic program differ only in time fields.
fresh_dir W && "$cli" record --mount W/src:/d -o det1.yaml "$fx/record_calls.wasm" /d >/dev/null 2>&1
fresh_dir W && "$cli" record --mount W/src:/d -o det2.yaml "$fx/record_calls.wasm" /d >/dev/null 2>&1
node_tool strip det1.journal.jsonl >det1.stripped
node_tool strip det2.journal.jsonl >det2.stripped
check "two records differ only in time fields" cmp -s det1.stripped det2.stripped
check "the time fields do differ (they are journaled)" \
	bash -c '! cmp -s det1.journal.jsonl det2.journal.jsonl'

# Outputs: the journal beside the manifest by default, or where --journal says.
mkdir -p outdir
fresh_dir W
"$cli" record --mount W/src:/d -o outdir/b.manifest.yml "$fx/cli_tool.wasm" ls /d >/dev/null 2>rec.err
check "default journal beside the manifest" test -s outdir/b.manifest.journal.jsonl
check "generates the manifest from the journal" grep -q "^version: 1" outdir/b.manifest.yml
"$cli" record -o outdir/m.yaml --journal outdir/j.jsonl "$fx/cli_tool.wasm" args >/dev/null 2>&1
check "--journal FILE" test -s outdir/j.jsonl
st=0 && "$cli" record -o nofolder/m.yaml "$fx/cli_tool.wasm" args >/dev/null 2>&1 || st=$?
check "-o in a missing folder: 66" test "$st" = 66
st=0 && "$cli" record "$fx/cli_tool.wasm" args >/dev/null 2>&1 || st=$?
check "no -o: 64" test "$st" = 64
st=0 && "$cli" record -o m.yaml "$fx/absent.wasm" >/dev/null 2>&1 || st=$?
check "missing module: 66 and no journal" test "$st" = 66 -a ! -e m.journal.jsonl
st=0 && "$cli" record -o trap.yaml "$fx/cli_trap.wasm" >/dev/null 2>&1 || st=$?
check "a trap: 134 and the end line says trap" \
	bash -c "test $st = 134 && tail -1 trap.journal.jsonl | grep -q '\"end\":\"trap\"'"

# journal show.
"$cli" journal show det1.journal.jsonl >show.out 2>show.err
check "journal show: exit, calls, paths, env" \
	bash -c 'grep -q "exit 3" show.out && grep -q "path_open" show.out &&
		grep -q "/d/sub/b.txt  \[create,delete\]" show.out && grep -q "/d/missing.txt  \[read,stat\] ENOENT x2" show.out &&
		grep -q "random:   16 bytes" show.out && grep -q "monotonic x3" show.out'
head -3 det1.journal.jsonl >cut.jsonl && printf '{"seq":3,"t":1' >>cut.jsonl
st=0 && "$cli" journal show cut.jsonl >show.out 2>show.err || st=$?
check "journal show: cut short is read and said" \
	bash -c "test $st = 0 && grep -q 'cut short' show.err && grep -q 'calls: 2 in 2 lines' show.out"
{ head -2 det1.journal.jsonl && echo '{"seq":2,"call":"fd_write" "x"}' && tail -1 det1.journal.jsonl; } >bad.jsonl
st=0 && "$cli" journal show bad.jsonl >/dev/null 2>show.err || st=$?
check "journal show: malformed line is 65 with line:column" \
	bash -c "test $st = 65 && grep -q 'bad.jsonl:3:30:' show.err"
st=0 && "$cli" journal show absent.jsonl >/dev/null 2>&1 || st=$?
check "journal show: missing file is 66" test "$st" = 66

# Kills. record_kill alternates a stat (path_filestat_get) and a write of the round's number
# to stdout; the test waits for ROUNDS rounds, sends the signal, and compares the journal's
# writes with the lines on stdout.
kill_test() {
	local sig=$1 want_status=$2 rounds=60
	rm -rf kill.out kill.journal.jsonl kd && mkdir kd
	"$cli" record --mount kd:/k -o kill.yaml "$fx/record_kill.wasm" /k >kill.out 2>kill.err &
	local pid=$! n=0 st=0
	for _ in $(seq 1 200); do
		n=$(cat kill.out 2>/dev/null | wc -l)
		[ "$n" -ge "$rounds" ] && break
		sleep 0.05
	done
	kill "-$sig" "$pid"
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid"
		fail "$sig: the run did not stop"
		return
	fi
	{ wait "$pid"; } 2>/dev/null || st=$?
	local printed writes
	printed=$(wc -l <kill.out)
	"$cli" journal show kill.journal.jsonl >kill.show 2>kill.show.err || {
		fail "$sig: the reader refuses the journal"
		return
	}
	writes=$(node_tool calls kill.journal.jsonl | grep -c '^fd_write$')
	if [ "$sig" = KILL ]; then
		# All but the last buffer (WT_JOURNAL_BUFFER, 4 KiB: under 40 rounds of two lines).
		if [ "$st" = 137 ] && grep -q "cut short" kill.show.err && [ "$writes" -le "$printed" ] &&
			[ $((printed - writes)) -le 40 ]; then
			pass "SIGKILL: journal cut short, $writes of $printed writes kept"
		else
			fail "SIGKILL: status $st, $writes of $printed writes kept"
		fi
		return
	fi
	if [ "$st" = "$want_status" ] && [ "$writes" = "$printed" ] &&
		tail -1 kill.journal.jsonl | grep -q "\"end\":\"signal\",\"message\":\"SIG$sig\""; then
		pass "SIG$sig: exit $st, end line says so, all $writes writes journaled"
	else
		fail "SIG$sig: status $st (want $want_status), $writes writes for $printed lines"
		tail -1 kill.journal.jsonl
	fi
}
kill_test INT 130
kill_test TERM 143
kill_test KILL 137

if [ "$failures" -ne 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all checks passed"
