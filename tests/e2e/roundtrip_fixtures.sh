#!/usr/bin/env bash
# roundtrip_fixtures.sh: record -> generate -> enforce gives the same run for every fixture.
# For each built fixture (C and WAT) not in the skip list below, in three fresh copies of the
# same tree: a plain `run`, a `record` (which generates the manifest), and `run --manifest`
# with that manifest. The three must have the same stdout, stderr (record's own "wrote" line
# aside, and `record:` where the others say `run:`), exit status and resulting tree, and the enforced run no deviation. The recorded run
# also traces its WASI imports at the import boundary (WASI_TOFU_TRACE_IMPORTS, before the
# gate and the journal see anything): the journal's calls, folded lines expanded, must be
# that trace, call for call. A new fixture is
# covered by default (one read-write mount /w of a small tree, no arguments); give it a recipe
# below when it needs more, or a skip with its reason when it cannot run plainly.
#
# usage: roundtrip_fixtures.sh WASI_TOFU FIXTURE_DIR WORK_DIR
set -euo pipefail

cli=$1
fixtures=$(cd "$2" && pwd)
work=$3
tool=$(cd "$(dirname "$0")" && pwd)/journal_tool.mjs
traced_calls=0

# Fixtures that are not meant to run plainly, with the reason.
skip_reason() {
	case $1 in
	cli_loop) echo "loops forever: only --fuel or --timeout ends it" ;;
	tier_spin) echo "2^62 calls: only --fuel or --timeout ends it (tests/e2e/tier_same.sh)" ;;
	limit_tables) echo "does not start under its --max-memory (tests/e2e/test_limits.c)" ;;
	timeout_*) echo "blocks until --timeout ends it (tests/e2e/test_limits.c)" ;;
	record_kill) echo "runs until killed (the record kill tests)" ;;
	wasi_race) echo "needs the host to swap a folder for a symlink while it runs" ;;
	*) return 1 ;;
	esac
}

die() { printf 'roundtrip_fixtures: %s\n' "$*" >&2; exit 1; }

# The default tree: a few files and a folder.
tree_default() {
	mkdir -p "$1/sub"
	printf 'hello\n' >"$1/in.txt"
	printf 'a\n' >"$1/sub/a.txt"
	printf 'bb\n' >"$1/sub/b.txt"
}

# Per fixture: the tree (recipe_tree DIR), the mounts and options given to the plain and the
# recorded run (rec_opts; the enforced run takes them from the manifest), the options given to
# every run (all_opts: env values, which a manifest never holds) and the module's arguments.
recipe() {
	rec_opts=(--mount tree:/w)
	all_opts=()
	args=()
	recipe_tree=tree_default
	case $1 in
	buildstep)
		recipe_tree=tree_buildstep
		rec_opts=(--mount tree/src:/src:ro --mount tree/out:/out --cwd /src --fake-random 11)
		args=(--input inputs/one.txt --output /out/one.bin) ;;
	cli_tool) args=(cat /w/in.txt) ;;
	contain_build)
		recipe_tree=tree_contain
		rec_opts=(--mount tree/src:/src:ro --mount tree/out:/out) ;;
	demo)
		recipe_tree=tree_demo
		rec_opts=(--mount tree/src:/src:ro --mount tree/out:/out)
		all_opts=(--env BUILD_MODE=release)
		args=(/src /out) ;;
	fakes_probe) rec_opts=(--fake-clocks --fake-random 7) ;;
	grants_guest)
		recipe_tree=tree_grants
		rec_opts=(--mount tree:/p) ;;
	limit_fill) all_opts=(--fuel 1000) ;;
	limit_grow) all_opts=(--max-memory 256M) ;;
	manifest_reader)
		recipe_tree=tree_reader
		rec_opts=(--mount tree/src:/src:ro --mount tree/out:/out) ;;
	record_calls)
		recipe_tree=tree_empty
		rec_opts=(--mount tree:/w --fake-clocks --fake-random 3)
		all_opts=(--env HOME=/home/x)
		args=(/w) ;;
	wasi_calls)
		recipe_tree=tree_calls
		rec_opts=(--mount tree:/w --cwd /)
		for i in $(seq 0 299); do args+=("arg-$i"); done
		for i in $(seq 0 199); do all_opts+=(--env "VAR_$i=value $i"); done ;;
	wasi_escape)
		recipe_tree=tree_escape
		rec_opts=(--mount tree:/m) ;;
	wasi_files) # the host's clocks: it checks that realtime is plausible
		recipe_tree=tree_files
		rec_opts=(--mount tree:/work --cwd /work/area)
		all_opts=(--env "GREETING=hi there" --env EXPECT_CWD=/work/area)
		args=(one "two words") ;;
	wasi_hostile) rec_opts=(--mount tree:/h --cwd /) ;;
	wasi_readonly) # as tests/unit/test_wasi_guest.c: /ro read-only, /rw writable
		recipe_tree=tree_readonly
		rec_opts=(--mount tree/ro:/ro:ro --mount tree/rw:/rw) ;;
	esac
}

tree_empty() { mkdir -p "$1"; }
tree_readonly() {
	mkdir -p "$1/ro/sub" "$1/rw"
	printf 'frozen\n' >"$1/ro/file.txt"
	printf 'mine\n' >"$1/rw/mine.txt"
}
tree_buildstep() {
	mkdir -p "$1/src/lib" "$1/src/inputs" "$1/out"
	printf 'mode = release\n' >"$1/src/build.cfg"
	for f in a b c d; do printf 'int %s;\n' "$f" >"$1/src/lib/$f.c"; done
	printf 'hello\n' >"$1/src/inputs/one.txt"
}
tree_demo() {
	mkdir -p "$1/src" "$1/out"
	printf 'name = tofu-demo\nversion = 1.0\n' >"$1/src/project.txt"
	printf 'int main(void) { return 0; }\n' >"$1/src/main.c"
	printf 'int util(void) { return 1; }\n' >"$1/src/util.c"
}
tree_reader() {
	mkdir -p "$1/src" "$1/out"
	printf 'read me\n' >"$1/src/in.txt"
}
tree_calls() {
	mkdir -p "$1/sub"
	printf hello >"$1/file.txt"
	for i in $(seq -w 0 19); do : >"$1/sub/entry-$i"; done
}
tree_files() { mkdir -p "$1/area"; }
tree_grants() {
	mkdir -p "$1"
	printf 'all:\n\techo hi\n' >"$1/Makefile"
}
tree_contain() {
	mkdir -p "$1/src" "$1/out/tmp"
	printf 'int main(void) { return 0; }\n' >"$1/src/main.c"
	printf 'int util(void) { return 1; }\n' >"$1/src/util.c"
	printf 'old\n' >"$1/out/stale.o"
	printf 'entry 1\n' >"$1/out/cache.db"
	printf 'partial' >"$1/out/tmp/part.bin"
}
tree_escape() { # links that lead out of the mount, as tests/unit/test_wasi_guest.c lays them out
	mkdir -p "$1/sub" "$1/deep"
	printf 'secret\n' >"$1/../outside.txt"
	printf 'in\n' >"$1/inside.txt"
	(cd "$1" && ln -s /etc/passwd abs && ln -s ../outside.txt up && ln -s .. parent &&
		ln -s up chain && ln -s loop2 loop1 && ln -s loop1 loop2 &&
		ln -s ../../outside.txt deep/up2)
}

# run_phase NAME PHASE CMD...: runs CMD in WORK/NAME/PHASE with a fresh tree there.
run_phase() {
	local dir=$work/$1/$2 status=0
	shift 2
	mkdir -p "$dir"
	"$recipe_tree" "$dir/tree"
	(cd "$dir" && "$@" >stdout 2>stderr) || status=$?
	echo "$status" >"$dir/status"
}

# The tree as names, kinds and contents (file times differ from copy to copy).
tree_listing() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while read -r p; do
		if [ -L "$p" ]; then echo "link $p -> $(readlink "$p")"
		elif [ -d "$p" ]; then echo "dir $p"
		else echo "file $p $(cksum <"$p")"; fi
	done)
}

# The journal's calls (folded lines expanded by their count) against the import trace of the
# same run, line by line; on a mismatch, the first index that differs.
journal_is_trace() { # journal_is_trace NAME RECORD_DIR
	local n
	node --no-warnings "$tool" calls "$2/m.journal.jsonl" >"$2/journal.calls" ||
		{ echo "$1: cannot read the journal's calls" >&2; return 1; }
	[ -f "$2/imports.txt" ] || { echo "$1: no import trace" >&2; return 1; }
	if ! cmp -s "$2/journal.calls" "$2/imports.txt"; then
		awk -v name="$1" 'NR == FNR { j[FNR] = $0; nj = FNR; next }
			{ t[FNR] = $0; nt = FNR }
			END {
				n = nj > nt ? nj : nt
				for (i = 1; i <= n; i++)
					if (!(i in j) || !(i in t) || j[i] != t[i]) break
				printf "%s: journal (%d calls) and import trace (%d calls) differ at call %d:" \
					" journal %s, trace %s\n", name, nj, nt, i - 1,
					(i in j) ? j[i] : "(end)", (i in t) ? t[i] : "(end)"
			}' "$2/journal.calls" "$2/imports.txt" >&2
		return 1
	fi
	n=$(wc -l <"$2/imports.txt")
	traced_calls=$((traced_calls + n))
}

same() { # same NAME WHAT FILE_A FILE_B
	cmp -s "$3" "$4" && return 0
	printf '%s: %s differ:\n' "$1" "$2" >&2
	diff "$3" "$4" | head -20 >&2 || true
	return 1
}

roundtrip() {
	local name=$1 module=$fixtures/$1.wasm d=$work/$1 ok=0
	recipe "$name"
	run_phase "$name" plain "$cli" run "${rec_opts[@]}" "${all_opts[@]}" "$module" -- "${args[@]}"
	run_phase "$name" record env WASI_TOFU_TRACE_IMPORTS=imports.txt \
		"$cli" record --keep-failed "${rec_opts[@]}" "${all_opts[@]}" -o m.yaml "$module" -- "${args[@]}"
	[ -f "$d/record/m.yaml" ] || { cat "$d/record/stderr" >&2; die "$name: record wrote no manifest"; }
	mkdir -p "$d/enforce"
	cp "$d/record/m.yaml" "$d/enforce/m.yaml"
	run_phase "$name" enforce "$cli" run --manifest m.yaml --on-deviation fail "${all_opts[@]}" \
		"$module" -- "${args[@]}"
	# record's own lines aside, its run's lines name the subcommand typed: record, not run
	grep -v -e '^wasi-tofu: record: wrote ' -e '^wasi-tofu: record: warning: --keep-failed' "$d/record/stderr" |
		sed 's/^wasi-tofu: record: /wasi-tofu: run: /' >"$d/record/stderr.run" || true
	for p in plain record enforce; do tree_listing "$d/$p/tree" >"$d/$p/tree.txt"; done
	for p in record enforce; do
		same "$name" "exit status (plain, $p)" "$d/plain/status" "$d/$p/status" || ok=1
		same "$name" "stdout (plain, $p)" "$d/plain/stdout" "$d/$p/stdout" || ok=1
		same "$name" "tree after (plain, $p)" "$d/plain/tree.txt" "$d/$p/tree.txt" || ok=1
	done
	same "$name" "stderr (plain, record)" "$d/plain/stderr" "$d/record/stderr.run" || ok=1
	same "$name" "stderr (plain, enforce)" "$d/plain/stderr" "$d/enforce/stderr" || ok=1
	journal_is_trace "$name" "$d/record" || ok=1
	if grep -q 'outside m.yaml\|does not grant' "$d/enforce/stderr"; then
		echo "$name: the enforced run had deviations" >&2
		ok=1
	fi
	return $ok
}

rm -rf "$work"
mkdir -p "$work"
failed=() ran=0
for wasm in "$fixtures"/*.wasm; do
	name=$(basename "$wasm" .wasm)
	if reason=$(skip_reason "$name"); then
		printf 'skip %s: %s\n' "$name" "$reason"
		continue
	fi
	ran=$((ran + 1))
	if roundtrip "$name"; then
		printf 'ok   %s (exit %s)\n' "$name" "$(cat "$work/$name/plain/status")"
	else
		failed+=("$name")
	fi
done
[ "$ran" -gt 0 ] || die "no fixture in $fixtures"
[ ${#failed[@]} -eq 0 ] || die "${#failed[@]} of $ran fixtures differ: ${failed[*]}"
echo "roundtrip_fixtures: $ran fixtures give the same run plain, recorded and enforced"
echo "roundtrip_fixtures: $ran journals match their import trace ($traced_calls calls)"
