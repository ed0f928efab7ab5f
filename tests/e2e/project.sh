#!/bin/sh
# project.sh: project mode end to end (docs/project.md): init, a project found from a subfolder,
# first use refused without a terminal (77 naming the module, its sha256 and the trust command),
# trust --yes (contained until accepted), enforced runs, status and verify (text and --json
# against the documented schemas), a changed module in CI (77, both hashes), a moved or deleted
# module, ceilings refusing a widening trust, the project's files hidden from the module, and
# malformed project files (65 with line:column, nothing written).
# usage: project.sh WASI-TOFU FIXTURES-DIR SCRATCH-DIR [SCHEMA-CHECKER DOCS]
set -u
W=$1 F=$2 T=$3 J=${4:-} D=${5:-}
fails=0
unset CI
rm -rf "$T" && mkdir -p "$T" && cd "$T" || exit 1

fail() {
	echo "FAIL $*"
	fails=$((fails + 1))
}

# check NAME EXPECTED-STATUS STDERR-PART -- COMMAND...: runs it with no terminal (stdin from
# /dev/null, its own session), compares the status and a part of stderr.
check() {
	name=$1 want=$2 part=$3
	shift 4
	setsid -w "$@" > "$T/out.txt" 2> "$T/err.txt" < /dev/null
	got=$?
	if [ "$got" != "$want" ] || { [ -n "$part" ] && ! grep -qF -- "$part" "$T/err.txt"; }; then
		echo "FAIL $name: status $got (want $want), stderr lacks '$part':"
		sed 's/^/    /' "$T/err.txt"
		fails=$((fails + 1))
	else
		echo "ok   $name"
	fi
}

# schema NAME FILE: FILE is valid against the JSON schema NAME of docs/project.md.
schema() {
	[ -n "$J" ] || return 0
	node "$J" "$D" "$1" "$2" > "$T/schema.txt" 2>&1 && echo "ok   schema $1 $2" ||
		{ fail "schema $1 $2:"; sed 's/^/    /' "$T/schema.txt"; }
}

P=$T/p
mkdir -p "$P/src" "$P/out" "$P/tools" "$P/sub/deep"
echo hello > "$P/src/in.txt"
echo secret > "$P/src/secret.txt"
cp "$F/rawwasi.wasm" "$P/tools/raw.wasm"
cp "$F/rawwasi.wasm" "$P/tools/other.wasm"
printf '\000\004\003abc' >> "$P/tools/other.wasm" # a custom section: another sha256
SHA=$(sha256sum "$P/tools/raw.wasm" | cut -d' ' -f1)
cd "$P" || exit 1

# outside any project, run stays plain (no project file above $T)
check plain_run_outside_project 0 "" -- "$W" run --mount src:/src:ro tools/raw.wasm read /src/in.txt

# messages about finding the project name the subcommand typed
check no_project_names_status 64 "wasi-tofu: status: no project here" -- "$W" status
check no_project_names_verify 64 "wasi-tofu: verify: missing value for --project" -- "$W" verify --project
check no_project_names_trust 64 "wasi-tofu: trust: no project here" -- "$W" trust --yes tools/raw.wasm

check init 0 "made wasi-tofu.yaml" -- "$W" init
[ -f wasi-tofu.yaml ] && [ -d .wasi-tofu/manifests ] || fail "init: no project file or folder"
check init_twice_64 64 "is here already" -- "$W" init
grep -qx 'version: 1' wasi-tofu.yaml || fail "init: no version: 1"
mkdir -p "$T/other" && cd "$T/other" || exit 1
check init_manifests_outside_64 64 "--manifests ../m: a \`..\` component" -- "$W" init --manifests ../m
[ ! -e wasi-tofu.yaml ] && [ ! -e ../m ] || fail "init_manifests_outside_64: something written"
check init_manifests 0 "manifests go in policy/m/" -- "$W" init --manifests policy/m
grep -qx 'manifests: policy/m' wasi-tofu.yaml && [ -d policy/m ] || fail "init_manifests: folder"
cd "$P" || exit 1

MOUNTS="--mount src:/src:ro --mount out:/out"
# first use without a terminal: not run, 77, one message with module, sha256, command
check first_use_no_terminal_77 77 "wasi-tofu: run: tools/raw.wasm is not trusted in this project (sha256 $SHA)" -- \
	"$W" run $MOUNTS tools/raw.wasm write /out/a.txt hi
grep -qF "  wasi-tofu trust --mount src:/src:ro --mount out:/out tools/raw.wasm write /out/a.txt hi" \
	"$T/err.txt" || fail "first_use_no_terminal_77: the exact trust command"
[ ! -e out/a.txt ] || fail "first_use_no_terminal_77: the module ran"
check first_use_ci_77 77 "not trusted in this project" -- \
	env CI=true "$W" run $MOUNTS --report "$T/r.json" --on-deviation=deny tools/raw.wasm write /out/a.txt hi
grep -qF "  wasi-tofu trust --mount src:/src:ro --mount out:/out tools/raw.wasm write /out/a.txt hi" \
	"$T/err.txt" || fail "first_use_ci_77: the trust command keeps run's own options"
check trust_without_terminal_or_yes_77 77 "add --yes" -- \
	"$W" trust $MOUNTS tools/raw.wasm write /out/a.txt hi
[ ! -e .wasi-tofu/manifests/raw.yaml ] || fail "trust without --yes wrote a manifest"

# a trap while trusting: named as trust's, nothing kept, no word of --keep-failed
cp "$F/cli_divzero.wasm" tools/divzero.wasm
check trust_trap_134 134 "wasi-tofu: trust: trap: integer divide by zero" -- \
	"$W" trust --yes tools/divzero.wasm
grep -qF -- "--keep-failed" "$T/err.txt" && fail "trust_trap_134: a manifest said made"
[ ! -e .wasi-tofu/manifests/divzero.yaml ] || fail "trust_trap_134: a manifest was written"
rm tools/divzero.wasm

# an unknown option is named (not MODULE taken for its value), by the subcommand typed
check trust_unknown_option 64 "wasi-tofu: trust: --bogus: unknown option" -- "$W" trust --yes --bogus tools/raw.wasm
[ ! -e .wasi-tofu/manifests/raw.yaml ] || fail "trust_unknown_option: a manifest was written"

# (from a subfolder: the module is still tools/raw.wasm, in messages and in the journal)
check trust_yes 0 "wasi-tofu: trust: trusted tools/raw.wasm" -- sh -c "cd sub/deep && '$W' trust --yes \
	--mount ../../src:/src:ro --mount ../../out:/out ../../tools/raw.wasm write /out/a.txt hi"
grep -qF "created  /out/a.txt" "$T/err.txt" || fail "trust_yes: the held-back change not listed"
grep -qF "wasi-tofu: trust: tools/raw.wasm: the manifest it needs (.wasi-tofu/manifests/raw.yaml)" "$T/err.txt" ||
	fail "trust_yes: the manifest not shown"
[ -f .wasi-tofu/manifests/raw.yaml ] || fail "trust_yes: no manifest"
grep -qx "  sha256: $SHA" wasi-tofu.yaml || fail "trust_yes: no pin in wasi-tofu.yaml"
grep -qx hi out/a.txt || fail "trust_yes: the accepted change was not applied"

grep -qF '"module":{"path":"tools/raw.wasm"' .wasi-tofu/manifests/raw.journal.jsonl ||
	fail "trust_yes: the journal does not name the module by its project path"
# the journal trust kept passes check against the manifest it made, from any folder: check
# resolves the journal's guest paths, never against the folder it runs in
check check_trust_journal_elsewhere 0 "" -- sh -c "cd sub/deep && '$W' check --manifest \
	../../.wasi-tofu/manifests/raw.yaml ../../.wasi-tofu/manifests/raw.journal.jsonl"
rm -f out/a.txt
check enforced_run 0 "" -- "$W" run tools/raw.wasm write /out/a.txt hi
grep -qx hi out/a.txt || fail "enforced_run: no /out/a.txt"
check enforced_deviation_names_module 77 \
	"wasi-tofu: run: tools/raw.wasm: stopped: the module made 1 request outside" -- \
	"$W" run tools/raw.wasm write /out/a.txt hi read /src/secret.txt
check enforced_from_subfolder 0 "" -- sh -c "cd sub/deep && '$W' run ../../tools/raw.wasm write /out/a.txt hi"
check report_names_module 77 "" -- "$W" run --report "$T/report.json" tools/raw.wasm \
	write /out/a.txt hi read /src/secret.txt
grep -qF '"module": "tools/raw.wasm"' "$T/report.json" || fail "report: module not named by its path"

# inside a project, run --manifest is still the single-manifest workflow: that manifest, no pin
# from the project, no project messages
check run_manifest_inside_project 77 "wasi-tofu: run: stopped: the module made 1 request outside .wasi-tofu/manifests/raw.yaml" -- \
	"$W" run --manifest .wasi-tofu/manifests/raw.yaml tools/raw.wasm write /out/a.txt hi read /src/secret.txt
grep -qF "wasi-tofu: run: tools/raw.wasm: stopped" "$T/err.txt" && fail "run_manifest_inside_project: a project run"

# the manifest pins another module than the project file does: refused, both named
cp .wasi-tofu/manifests/raw.yaml "$T/raw.pinned"
sed -i "s/$SHA/$(printf '%064d' 0)/" .wasi-tofu/manifests/raw.yaml
check manifest_pin_disagrees_77 77 "tools/raw.wasm: its sha256 $SHA is the project's pin, but" -- \
	"$W" run tools/raw.wasm write /out/a.txt hi
check verify_pin_disagrees_77 77 "its manifest pins sha256 $(printf '%064d' 0), the project $SHA" -- "$W" verify
cp "$T/raw.pinned" .wasi-tofu/manifests/raw.yaml

# status and verify, from a subfolder too
check status 0 "" -- sh -c "cd sub/deep && '$W' status"
grep -qE '^trusted +tools/raw.wasm +\.wasi-tofu/manifests/raw\.yaml' "$T/out.txt" ||
	{ fail "status: row"; cat "$T/out.txt"; }
check status_json 0 "" -- "$W" status --json
cp "$T/out.txt" "$T/status.json"
schema status "$T/status.json"
grep -qF '"state": "trusted"' "$T/status.json" || fail "status_json: state"
check verify_ok 0 "" -- "$W" verify
grep -qF "verified: 1 module" "$T/out.txt" || fail "verify_ok: line"
check verify_json_ok 0 "" -- "$W" verify --json
cp "$T/out.txt" "$T/verify-ok.json"
schema verify "$T/verify-ok.json"

# a changed module: CI and no terminal refuse with both hashes and the command
cp tools/raw.wasm "$T/raw.orig"
printf '\000\004\003xyz' >> tools/raw.wasm
NEW=$(sha256sum tools/raw.wasm | cut -d' ' -f1)
check changed_ci_77 77 "wasi-tofu: run: tools/raw.wasm changed: its sha256 is $NEW, the project pins $SHA" -- \
	env CI=1 "$W" run tools/raw.wasm write /out/a.txt hi
grep -qF "  wasi-tofu trust tools/raw.wasm write /out/a.txt hi" "$T/err.txt" ||
	fail "changed_ci_77: the command"
check status_changed 0 "" -- "$W" status
grep -qE '^changed +tools/raw.wasm' "$T/out.txt" || fail "status_changed: row"
check verify_changed_77 77 "tools/raw.wasm: changed: its sha256 is $NEW" -- "$W" verify
check verify_json_changed 77 "" -- "$W" verify --json
cp "$T/out.txt" "$T/verify-changed.json"
schema verify "$T/verify-changed.json"
grep -qF '"kind": "changed"' "$T/verify-changed.json" || fail "verify_json_changed: kind"
cp "$T/raw.orig" tools/raw.wasm

# moved or deleted: missing
mv tools/raw.wasm tools/raw.moved
check status_missing 0 "" -- "$W" status
grep -qE '^missing +tools/raw.wasm' "$T/out.txt" || fail "status_missing: row"
check verify_missing_77 77 "tools/raw.wasm: the module file is missing" -- "$W" verify
check moved_module_is_untrusted 77 "tools/raw.moved is not trusted" -- \
	"$W" run tools/raw.moved write /out/a.txt hi
mv tools/raw.moved tools/raw.wasm

# a second module with a ceiling: the project may write only below /out
mkdir -p ceilings
cat > ceilings/all.yaml <<'YAML'
version: 1
mounts:
  /src: {host: src, mode: ro}
  /out: {host: out, mode: rw}
files:
  - {path: "/src/**", allow: [read, list, stat]}
  - {path: "/out/**", allow: [read, write, create, truncate, list, stat]}
stdio: [stdout, stderr]
YAML
sed -i 's|^manifests: .*|&\nceiling: ceilings/all.yaml|' wasi-tofu.yaml
check verify_within_ceiling 0 "" -- "$W" verify
mkdir -p wide
check ceiling_refuses_widening_trust 77 "does not allow" -- \
	"$W" trust --yes --mount src:/src:ro --mount out:/out --mount wide:/wide \
	tools/other.wasm write /wide/x.txt hi
grep -qF "refused:" "$T/err.txt" || fail "ceiling_refuses_widening_trust: not refused"
[ ! -e wide/x.txt ] || fail "ceiling_refuses_widening_trust: the change was applied"
[ ! -e .wasi-tofu/manifests/other.yaml ] || fail "ceiling_refuses_widening_trust: manifest saved"
grep -qF "tools/other.wasm" wasi-tofu.yaml && fail "ceiling_refuses_widening_trust: pinned"
# a manifest edited past the ceiling is refused at load, naming the rule
cp .wasi-tofu/manifests/raw.yaml "$T/raw.yaml.orig"
sed -i 's|^files:|files:\n  - {path: /src/in.txt, allow: [write]}|' .wasi-tofu/manifests/raw.yaml
check ceiling_refuses_at_load 77 "manifests/raw.yaml:11:5: grants [write] on /src/in.txt, which" -- \
	"$W" run tools/raw.wasm write /out/a.txt hi
check verify_ceiling_77 77 "which the ceiling ceilings/all.yaml does not allow" -- "$W" verify
cp "$T/raw.yaml.orig" .wasi-tofu/manifests/raw.yaml
# a module's own ceiling extends the project's: only it may read env TOKEN
cat > ceilings/raw.yaml <<'YAML'
version: 1
env: [TOKEN]
YAML
check env_outside_ceiling 77 "grants the variable TOKEN, which the ceiling ceilings/all.yaml does not allow" -- \
	"$W" trust --yes $MOUNTS --env TOKEN=1 tools/raw.wasm write /out/a.txt hi
sed -i 's|^  manifest: raw.yaml|&\n  ceiling: ceilings/raw.yaml|' wasi-tofu.yaml
check module_ceiling_extends 0 "trusted tools/raw.wasm" -- \
	"$W" trust --yes --env TOKEN=1 tools/raw.wasm write /out/a.txt hi
grep -qF 'TOKEN' .wasi-tofu/manifests/raw.yaml || fail "module_ceiling_extends: no TOKEN granted"
check module_ceiling_verify 0 "" -- "$W" verify
# an override file (human grants) must fit the ceiling too, and load
printf 'version: 1\nfiles:\n  - {path: /etc/passwd, allow: [read]}\n' > .wasi-tofu/manifests/raw.override.yaml
check verify_override_ceiling_77 77 "the override file grants [read] on /etc/passwd" -- "$W" verify
printf 'version: 1\nfiles: 3\n' > .wasi-tofu/manifests/raw.override.yaml
check verify_override_malformed_65 65 "raw.override.yaml:2:8:" -- "$W" verify
rm .wasi-tofu/manifests/raw.override.yaml

# the project's own files are hidden from the module, even with the root mounted read-write
Q=$T/q
mkdir -p "$Q/tools" && cp "$F/rawwasi.wasm" "$Q/tools/raw.wasm" && cd "$Q" || exit 1
check protected_init 0 "" -- "$W" init
mkdir -p ceilings && echo 'version: 1' > ceilings/c.yaml
check protected_trust 0 "" -- "$W" trust --yes --mount .:/p tools/raw.wasm \
	write /p/ok.txt x read /p/wasi-tofu.yaml write /p/wasi-tofu.yaml evil \
	ls /p/.wasi-tofu write /p/.wasi-tofu/manifests/raw.yaml evil unlink /p/wasi-tofu.yaml \
	rename /p/.wasi-tofu /p/moved
for line in "read /p/wasi-tofu.yaml => ENOENT" "write /p/wasi-tofu.yaml evil => EACCES" \
	"ls /p/.wasi-tofu => ok . .." "write /p/.wasi-tofu/manifests/raw.yaml evil => EACCES" \
	"unlink /p/wasi-tofu.yaml => ENOENT" "rename /p/.wasi-tofu /p/moved => EBUSY"; do
	grep -qF "$line" "$T/out.txt" || fail "protected_trust: no '$line'"
done
grep -qx evil wasi-tofu.yaml .wasi-tofu/manifests/raw.yaml && fail "protected: a policy file changed"
grep -qx x ok.txt || fail "protected_trust: the module's own write was not applied"
check protected_enforced 0 "" -- "$W" run tools/raw.wasm \
	write /p/ok.txt x read /p/wasi-tofu.yaml write /p/wasi-tofu.yaml evil \
	ls /p/.wasi-tofu write /p/.wasi-tofu/manifests/raw.yaml evil unlink /p/wasi-tofu.yaml \
	rename /p/.wasi-tofu /p/moved
grep -qF "write /p/wasi-tofu.yaml evil => EACCES" "$T/out.txt" || fail "protected_enforced: write"
grep -qx evil wasi-tofu.yaml && fail "protected_enforced: project file changed"
[ -f wasi-tofu.yaml ] && [ -d .wasi-tofu/manifests ] || fail "protected_enforced: a file went away"
cd "$P" || exit 1

# --project FILE from elsewhere
check project_option 0 "" -- sh -c "cd '$T' && '$W' status --project p/wasi-tofu.yaml"
grep -qE '^trusted +tools/raw.wasm' "$T/out.txt" || fail "project_option: row"

# bad project files: 65 with FILE:LINE:COL, nothing written
bad() {
	bname=$1 bpart=$2
	mkdir -p "$T/bad/tools" && cp "$F/rawwasi.wasm" "$T/bad/tools/raw.wasm"
	cat > "$T/bad/wasi-tofu.yaml"
	before=$(sha256sum "$T/bad/wasi-tofu.yaml")
	check "$bname" 65 "$bpart" -- sh -c "cd '$T/bad' && '$W' trust --yes tools/raw.wasm ls /"
	[ "$(sha256sum "$T/bad/wasi-tofu.yaml")" = "$before" ] || fail "$bname: project file changed"
	[ ! -e "$T/bad/.wasi-tofu" ] || fail "$bname: something written"
	check "${bname}_verify" 65 "$bpart" -- sh -c "cd '$T/bad' && '$W' verify"
	check "${bname}_status" 65 "$bpart" -- sh -c "cd '$T/bad' && '$W' status --json"
}
printf 'version: 1\nmodules: [\n' | bad malformed_yaml "wasi-tofu.yaml:3:1:"
printf 'version: 1\nmanifests: ../elsewhere\n' | bad manifests_outside "wasi-tofu.yaml:2:12: manifests '../elsewhere': a \`..\` component"
printf 'version: 1\nmodules:\n  - path: tools/raw.wasm\n    manifest: /etc/x.yaml\n' |
	bad manifest_absolute "wasi-tofu.yaml:4:15: manifest '/etc/x.yaml': an absolute path"
printf 'version: 1\nmodules:\n  - path: ../raw.wasm\n' | bad module_dotdot "wasi-tofu.yaml:3:11: path '../raw.wasm'"
printf 'version: 1\nmodules:\n  - {path: tools/raw.wasm, manifest: m.yaml}\n  - {path: tools/b.wasm, manifest: m.yaml}\n' |
	bad shared_manifest "wasi-tofu.yaml:4:5: modules: tools/b.wasm and tools/raw.wasm (line 3) share the manifest m.yaml"
printf 'version: 2\n' | bad version_2 "wasi-tofu.yaml:1:10: version: expected 1"
printf 'version: 1\nmodule: []\n' | bad unknown_key "wasi-tofu.yaml:2:1: unknown key 'module'"

[ "$fails" -eq 0 ] && echo "all project checks passed" || echo "$fails project checks failed"
exit $((fails != 0))
