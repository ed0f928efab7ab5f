#!/bin/sh
# grants_e2e.sh: what `record` grants lets the recorded build run again and nothing more. A real
# tree /p holds a Makefile; the build (fixtures/c/grants_guest.c) reads it through a read-only
# fd and tries a write and a truncate there (refused by the host), makes and removes a
# temporary /p/tmp.XXXXXX, writes /p/out.txt and /p/gen/a.txt. Then:
#   - the manifest grants nothing that rewrites, truncates or deletes /p/Makefile;
#   - `check` passes the recorded journal;
#   - the build passes enforcement on a fresh copy and on a rerun (outputs already there);
#   - each hostile variant (rewrite, truncate, delete, rename over the Makefile) is stopped with
#     77 and the Makefile keeps its bytes.
# usage: grants_e2e.sh WASI-TOFU FIXTURES-DIR SCRATCH-DIR
set -u
W=$1 F=$2 T=$3
fails=0
rm -rf "$T" && mkdir -p "$T" && cd "$T" || exit 1
cp "$F/grants_guest.wasm" build.wasm

fresh_tree() { # fresh_tree DIR: the project as checked out
	rm -rf "$1" && mkdir -p "$1/p"
	printf 'all:\n\techo the project Makefile\n' >"$1/p/Makefile"
	printf 'int main(void) { return 0; }\n' >"$1/p/main.c"
}

bad() {
	echo "FAIL $*"
	fails=$((fails + 1))
}

# expect NAME STATUS -- COMMAND...: runs it, compares the exit status.
expect() {
	name=$1 want=$2
	shift 3
	"$@" >out.txt 2>err.txt
	got=$?
	if [ "$got" != "$want" ]; then
		bad "$name: status $got (want $want):"
		sed 's/^/    /' err.txt
	else
		echo "ok   $name"
	fi
}

fresh_tree rec
(cd rec && "$W" record --mount p:/p -o m.yaml --journal ../m.jsonl ../build.wasm -- build) \
	>out.txt 2>err.txt || { cat err.txt; bad "record"; }
cp rec/m.yaml m.yaml
[ -f rec/p/out.txt ] && [ -f rec/p/gen/a.txt ] || bad "record: the build wrote no outputs"
ls rec/p | grep -q '^tmp\.' && bad "record: the temporary is still there"

# No rule may let a later run rewrite, truncate or delete the Makefile: no plain rule on
# /p/Makefile or /p/* with such rights (a rule only for the run's own new entries is fine).
if grep -E '^  - \{path: (/p/Makefile|/p/\*|"/p/\*"|/p/\*\*|"/p/\*\*"),' m.yaml |
	grep -v 'only: new' | grep -qE 'write|truncate|delete|rename|create'; then
	bad "manifest: a rule lets a later run change /p/Makefile:"
	sed 's/^/    /' m.yaml
fi
grep -qE 'path: /p/out.txt, allow: \[[^]]*write' m.yaml || bad "manifest: no grant for /p/out.txt"
expect check_passes_the_journal 0 -- "$W" check --manifest m.yaml m.jsonl

fresh_tree fresh
cp m.yaml fresh/m.yaml
expect fresh_copy_passes 0 -- "$W" run --manifest fresh/m.yaml --on-deviation fail build.wasm build
grep -qx built fresh/p/out.txt || bad "fresh_copy_passes: /p/out.txt"
expect rerun_with_outputs_passes 0 -- \
	"$W" run --manifest fresh/m.yaml --on-deviation fail build.wasm build

for how in evil-write evil-trunc evil-delete evil-rename; do
	fresh_tree "$how"
	cp m.yaml "$how/m.yaml"
	expect "${how}_stopped_77" 77 -- \
		"$W" run --manifest "$how/m.yaml" --on-deviation fail build.wasm "$how"
	grep -q 'Makefile' err.txt || bad "$how: the report does not name the Makefile"
	printf 'all:\n\techo the project Makefile\n' | cmp -s - "$how/p/Makefile" ||
		bad "$how: the Makefile changed"
done

[ "$fails" -eq 0 ] || { echo "grants_e2e: $fails failed"; exit 1; }
echo "grants_e2e: all passed"
