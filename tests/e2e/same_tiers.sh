# same_tiers.sh: sourced by tier_same.sh and tierup.sh. Needs W (wasi-tofu), T (scratch folder),
# TIERS (two tier names), a counter n and a fail function.
# same NAME ARGS...: `run --tier` each of TIERS with ARGS; their exit status, stdout and stderr
# must be byte for byte the same.
same() {
	name=$1; shift
	n=$((n + 1))
	for t in $TIERS; do
		"$W" run --tier "$t" "$@" >"$T/$t.out" 2>"$T/$t.err"
		echo $? >"$T/$t.status"
	done
	# shellcheck disable=SC2086 # two names
	set -- $TIERS
	for k in status out err; do
		if ! cmp -s "$T/$1.$k" "$T/$2.$k"; then
			fail "$name: $k differs between $1 and $2"
			diff "$T/$1.$k" "$T/$2.$k" | head -6
		fi
	done
}
