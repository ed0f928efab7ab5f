#!/usr/bin/env bash
# flip_engine.sh: a deliberately wrong engine, for testing that difffuzz.sh reports mismatches.
# Usage: flip_engine.sh out|trap CMD [ARGS...]
#   out   runs CMD and changes the first byte of its stdout (x, or y when it was x)
#   trap  runs CMD and appends " (flipped)" to every "trap:" line of its stderr
# The exit status is CMD's.
mode=$1
shift
out=$(mktemp) err=$(mktemp)
"$@" >"$out" 2>"$err"
status=$?
case $mode in
out) sed '1{/^x/!s/^./x/;t;s/^x/y/}' "$out" ; cat "$err" >&2 ;;
trap) cat "$out"; sed '/trap:/s/$/ (flipped)/' "$err" >&2 ;;
esac
rm -f "$out" "$err"
exit $status
