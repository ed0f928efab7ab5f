#!/usr/bin/env bash
# checks_compiled.sh: WT_API_CHECK and WT_ASSERT (core/base/check.h) are in the objects of a
# WT_DEBUG build and nowhere in the others: the objects of LIB that call wt_check_fail. In a
# WT_DEBUG build each OBJECT named must be one of them.
# usage: checks_compiled.sh LIB ON|OFF [OBJECT...]
set -euo pipefail
lib=$1 debug=$2
shift 2
symbols=$(nm -A "$lib") || { echo "checks_compiled: nm cannot read $lib"; exit 1; }
callers=$(grep -E ':[[:space:]]+U wt_check_fail$' <<<"$symbols" | sed -E 's/^[^:]*:([^:]+):.*/\1/' | sort -u || true)
n=$(grep -c . <<<"$callers" || true)
case $debug in
ON | on | 1 | TRUE | true)
	if [ "$n" -lt 5 ]; then
		echo "checks_compiled: a WT_DEBUG build, but only $n object(s) of $lib call wt_check_fail: $callers"
		exit 1
	fi
	for o in "$@"; do
		grep -qx -- "$o" <<<"$callers" || { echo "checks_compiled: $o of $lib does not check"; exit 1; }
	done
	echo "checks_compiled: $n objects of $lib check their preconditions and invariants"
	;;
*)
	if [ "$n" -ne 0 ]; then
		echo "checks_compiled: not a WT_DEBUG build, yet these objects of $lib call wt_check_fail:"
		echo "$callers"
		exit 1
	fi
	echo "checks_compiled: no object of $lib calls wt_check_fail: the checks are compiled out"
	;;
esac
