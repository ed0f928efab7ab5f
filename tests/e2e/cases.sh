# cases.sh: the case helpers of the raw-WASI e2e scripts (integrity.sh, cli_devux.sh,
# check_locations.sh), sourced after `cd "$T"`, with $T the scratch folder holding raw.wasm
# and `fails=0` set; fits and is also want NODE (may be empty) and E (tests/e2e).

fail() {
	echo "FAIL $case: $*"
	fails=$((fails + 1))
}

# start NAME: a new case in a fresh folder $T/NAME (the cwd until the next start).
start() {
	case=$1
	case_fails=$fails
	cd "$T" && rm -rf "$1" && mkdir "$1" && cd "$1" && cp ../raw.wasm . || exit 1
}

finish() {
	[ "$fails" = "$case_fails" ] && echo "ok   $case"
}

# run STATUS -- COMMAND...: runs it, keeps out.txt and err.txt, checks the status.
run() {
	want=$1
	shift 2
	"$@" > out.txt 2> err.txt
	got=$?
	if [ "$got" != "$want" ]; then
		fail "status $got, want $want: $*"
		sed 's/^/    out: /' out.txt
		sed 's/^/    err: /' err.txt
	fi
}

# says LINE...: each line is in out.txt.
says() {
	for l in "$@"; do
		grep -qxF -- "$l" out.txt || fail "stdout lacks '$l'"
	done
}

# errs PART...: each part is in err.txt.
errs() {
	for p in "$@"; do
		grep -qF -- "$p" err.txt || fail "stderr lacks '$p'"
	done
}

# fits SCHEMA FILE...: each FILE fits docs/schemas/SCHEMA (needs NODE).
fits() {
	schema=$1
	shift
	[ -n "$NODE" ] || return 0
	"$NODE" "$E/json_schema.mjs" "$E/../../docs/schemas/$schema" "$@" > fits.txt ||
		fail "not the documented schema: $(cat fits.txt)"
}

# is FILE EXPR WANT: the JavaScript EXPR on the JSON FILE (as j) gives WANT (needs NODE).
is() {
	[ -n "$NODE" ] || return 0
	got=$("$NODE" -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		console.log(eval(process.argv[2]))' "$1" "$2")
	[ "$got" = "$3" ] || fail "$1: $2 is '$got', want '$3'"
}
