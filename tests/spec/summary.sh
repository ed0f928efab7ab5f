#!/bin/sh
# summary.sh: runs the spec tests of a build folder (ctest -R ^spec_) and sums their totals.
# usage: tests/spec/summary.sh BUILD_DIR [extra ctest arguments, e.g. -j2]
set -u
build=${1:?usage: summary.sh BUILD_DIR [ctest args]}
shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
ctest --test-dir "$build" -R '^spec_' -V "$@" >"$log" 2>&1
status=$?
# Lines look like "12: i32: 374 passed, 0 failed, 0 skipped" (ctest -V prefixes the test number).
sed -n 's/^[0-9]*: \([A-Za-z0-9_.-]*\): \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3 \4/p' "$log" |
awk -v status="$status" '
	{ p += $2; f += $3; s += $4; n++; if ($3 > 0) bad = bad " " $1 "(" $3 ")" }
	END {
		if (bad != "") print "scripts with failures:" bad
		printf "spec: %d scripts: %d passed, %d failed, %d skipped (ctest status %d)\n", n, p, f, s, status
	}'
grep -E '^[0-9]+: .*(known failure|listed as known failure)' "$log" | sed 's/^[0-9]*: //'
exit $status
