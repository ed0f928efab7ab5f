#!/bin/sh
# cli_devux.sh: what the CLI tells a team when a run fails or deviates (deviations a team can
# act on): a module's own failure (its stderr, its exit code) is not a deviation, a failed
# record keeps no manifest without --keep-failed, errors are never cut, every message names the
# subcommand typed. The raw-WASI guest rawwasi.wasm (fixtures/c/rawwasi.c) plays the tool.
# usage: cli_devux.sh WASI-TOFU FIXTURES-DIR SCRATCH-DIR [NODE]
# With NODE, the JSON outputs are checked against their schemas (docs/schemas/).
set -u
W=$1 F=$2 T=$3 NODE=${4:-}
E=$(cd "$(dirname "$0")" && pwd)
fails=0
. "$E/cases.sh"
rm -rf "$T" && mkdir -p "$T" && cd "$T" || exit 1
cp "$F/rawwasi.wasm" raw.wasm
SHA=$(sha256sum raw.wasm | cut -d' ' -f1)

# lacks PART...: no PART is in err.txt.
lacks() {
	for p in "$@"; do
		! grep -qF -- "$p" err.txt || fail "stderr has '$p'"
	done
}

# manifest FILE LINE...: a manifest of raw.wasm (pinned) mounting ./p at /p, as a successful
# run generates it (stdout only, exit code 0), with the LINEs after.
manifest() {
	f=$1
	shift
	mkdir -p p
	{
		printf 'version: 1\nmodule: {name: raw.wasm, sha256: %s}\n' "$SHA"
		printf 'mounts:\n  /p: {host: p, mode: rw}\nstdio: [stdout]\nexit_codes: [0]\n'
		for l in "$@"; do printf '%s\n' "$l"; done
	} > "$f"
}

start failing_tool_shows_its_stderr_and_exit_code
manifest m.yaml
for mode in fail deny hide prompt; do
	run 3 -- "$W" run --manifest m.yaml --on-deviation $mode raw.wasm -- \
		fdwrite 2 "config.ini: no such file" exit 3
	errs "config.ini: no such file"
	lacks "does not grant" "wasi-tofu:"
done
finish

start stdin_is_still_a_capability
manifest m.yaml
echo typed > in.txt
run 77 -- "$W" run --manifest m.yaml raw.wasm -- readstdin < in.txt
errs "stdio stdin"
finish

start record_of_a_failed_run_keeps_no_manifest
mkdir p
run 1 -- "$W" record --mount p:/p -o m.yaml raw.wasm -- read /p/missing.ini exit 1
errs "record: warning: the run failed (exit status 1)" "m.yaml was not written" "--keep-failed"
[ -e m.yaml ] && fail "a manifest was written from a failed run"
[ -s m.journal.jsonl ] || fail "the journal was not kept"
run 1 -- "$W" record -o m.yaml raw.wasm -- read /p/missing.ini exit 1
errs "no folder was mounted"
run 1 -- "$W" record --keep-failed --mount p:/p -o m.yaml raw.wasm -- read /p/missing.ini exit 1
errs "--keep-failed: m.yaml is made from a run that failed (exit status 1)"
[ -s m.yaml ] || fail "--keep-failed wrote no manifest"
# a run that exits 0 but reached for files with nothing mounted
rm -f m.yaml
run 66 -- "$W" record -o m.yaml raw.wasm -- read /p/config.ini
errs "no folder was mounted and the module's 1 path call failed: m.yaml was not written"
[ -e m.yaml ] && fail "a manifest was written from a run with nothing mounted"
run 0 -- "$W" record --keep-failed -o m.yaml raw.wasm -- read /p/config.ini
[ -s m.yaml ] || fail "--keep-failed wrote no manifest (nothing mounted)"
finish

start errors_are_never_cut
# a folder path of 3000 bytes (15 names of 200): the changed-module message names it three times
long=$(printf 'd%.0s' $(seq 200))
L=$long
for i in $(seq 14); do L=$L/$long; done
mkdir -p "$L" && cp raw.wasm "$L/raw.wasm"
printf 'version: 1\nmodule: {name: raw.wasm, sha256: %064d}\n' 0 > "$L/m.yaml"
run 77 -- "$W" run --manifest "$L/m.yaml" "$L/raw.wasm"
errs "the module changed" "and review the capability diff)"
[ "$(grep -o "$L/m.yaml" err.txt | wc -l)" = 2 ] || fail "the manifest path is not there twice"
run 66 -- "$W" run --mount "$L/nope:/x" "$L/raw.wasm"
errs "$L/nope"
finish

start no_message_repeats_its_prefix
run 66 -- "$W" journal show nope.jsonl
errs "wasi-tofu: journal: nope.jsonl: "
[ "$(grep -o "wasi-tofu:" err.txt | wc -l)" = 1 ] || fail "the tool's name is repeated"
printf 'version: 1\nbogus: 1\n' > bad.yaml
run 65 -- "$W" diff bad.yaml bad.yaml
errs "wasi-tofu: diff: bad.yaml:2:1: "
run 65 -- "$W" check --manifest bad.yaml nope.jsonl
errs "wasi-tofu: check: bad.yaml:2:1: "
finish

start run_help_mentions_the_manifest
run 0 -- "$W" run --help
grep -qF -- "--manifest M" out.txt || fail "run --help lacks --manifest"
grep -qF -- "--on-deviation MODE" out.txt || fail "run --help lacks --on-deviation"
finish

start messages_name_the_subcommand_typed
run 64 -- "$W" record
errs "wasi-tofu: record: missing MODULE" "Try 'wasi-tofu record --help'."
lacks "run"
run 64 -- "$W" record --bogus raw.wasm
errs "wasi-tofu: record: --bogus: unknown option"
run 64 -- "$W" record --mount nocolon -o m.yaml raw.wasm
errs "wasi-tofu: record: --mount: expected HOST:GUEST" "Try 'wasi-tofu record --help'."
run 64 -- "$W" record --on-deviation deny -o m.yaml raw.wasm
errs "wasi-tofu: record: --on-deviation: not an option of this subcommand"
run 64 -- "$W" check --manifest
errs "wasi-tofu: check: --manifest: missing value"
run 64 -- "$W" run --fake-clocks=1 raw.wasm
errs "wasi-tofu: run: --fake-clocks: takes no value"
run 64 -- "$W" journal
errs "wasi-tofu: journal: expected \`journal show FILE\`"
# the run's own lines too: a trap, a module that does not load, a deviation, the summary
run 134 -- "$W" run "$F/cli_divzero.wasm"
errs "wasi-tofu: run: trap: integer divide by zero"
run 134 -- "$W" record -o d.yaml "$F/cli_divzero.wasm"
errs "wasi-tofu: record: trap: integer divide by zero"
printf 'not wasm' > bad.wasm
run 65 -- "$W" run bad.wasm
errs "wasi-tofu: run: bad.wasm: 0x"
manifest m.yaml
echo secret > p/other.txt
run 77 -- "$W" run --manifest m.yaml --on-deviation fail raw.wasm -- read /p/other.txt
errs "wasi-tofu: run: stopped: the module made 1 request outside m.yaml"
run 0 -- "$W" run --manifest m.yaml --on-deviation deny raw.wasm -- read /p/other.txt
errs "wasi-tofu: run: refused 1 request outside m.yaml"
run 0 -- "$W" run --manifest m.yaml --on-deviation warn raw.wasm -- read /p/other.txt
errs "wasi-tofu: run: 1 request outside m.yaml this run:"
run 0 -- "$W" run --manifest m.yaml --env TOKEN=x raw.wasm
errs "wasi-tofu: run: --env TOKEN not passed to the module: m.yaml does not list it"
finish

start help_anywhere_in_any_subcommand
run 0 -- "$W" journal show --help
grep -q "^usage: wasi-tofu journal show" out.txt || fail "journal show --help: no usage"
run 0 -- "$W" check some.jsonl --help
grep -q "^usage: wasi-tofu check" out.txt || fail "check J --help: no usage"
run 0 -- "$W" record --update missing.yaml --help
grep -q "^usage: wasi-tofu record" out.txt || fail "record --update M --help: no usage"
finish

start module_as_first_word_runs_it
run 0 -- "$W" raw.wasm clock 1
grep -q "^clock 1 => ok" out.txt || fail "wasi-tofu MODULE.wasm ARGS did not run it"
run 0 -- "$W" --fake-clocks raw.wasm clock 1
grep -q "^clock 1 => ok" out.txt || fail "wasi-tofu --fake-clocks MODULE.wasm did not run it"
manifest m.yaml
run 3 -- "$W" --manifest m.yaml raw.wasm exit 3
run 64 -- "$W" nosuchcommand
errs "unknown command 'nosuchcommand'"
finish

start report_of_a_changed_module_says_why
printf 'version: 1\nmodule: {name: raw.wasm, sha256: %064d}\n' 0 > m.yaml
run 77 -- "$W" run --manifest m.yaml --report r.json raw.wasm
fits deviations-report.v3.schema.json r.json
is r.json 'j.version' 3
is r.json 'j.outcome.status' 77
is r.json 'j.outcome.reason' module-changed
is r.json 'j.outcome.module_sha256' "$SHA"
is r.json 'j.outcome.pin' "$(printf '%064d' 0)"
is r.json 'j.outcome.message.includes("the module changed")' true
is r.json 'j.outcome.exit_code' null
finish

start report_carries_outcome_and_rules
manifest m.yaml
echo secret > p/other.txt
run 3 -- "$W" run --manifest m.yaml --on-deviation deny --report r.json raw.wasm -- \
	read /p/other.txt clock 0 exit 3
fits deviations-report.v3.schema.json r.json
is r.json 'j.outcome.reason' exited
is r.json 'j.outcome.exit_code' 3
is r.json 'j.outcome.module_sha256' "$SHA"
is r.json 'j.deviations.length' 2
is r.json 'j.deviations[0].fix' "- {path: '\${arg}', allow: [read]}"
is r.json 'j.deviations[0].target' m.override.yaml
is r.json 'j.deviations[1].target' m.yaml
finish

start warn_is_complain_mode
manifest m.yaml
echo secret > p/other.txt
run 3 -- "$W" run --manifest m.yaml --on-deviation warn --report r.json raw.wasm -- \
	read /p/other.txt clock 0 exit 3
grep -qx "read /p/other.txt => ok secret." out.txt || fail "warn did not allow the read"
errs "2 requests outside m.yaml this run:" "allowed (warn)   path_open read /p/other.txt" \
	"allowed (warn)   clock_time_get clock realtime" "- {path: '\${arg}', allow: [read]}"
fits deviations-report.v3.schema.json r.json
is r.json 'j.deviations.map((d) => d.verdict).join()' warn,warn
is r.json 'j.outcome.exit_code' 3
# a deny rule of the override file still refuses
printf 'deny:\n  - {path: /p/other.txt, allow: [read]}\n' > m.override.yaml
run 0 -- "$W" run --manifest m.yaml --on-deviation warn raw.wasm -- read /p/other.txt
grep -qx "read /p/other.txt => ENOTCAPABLE" out.txt || fail "warn overrode a deny rule"
finish

start json_outputs_of_check_diff_and_journal
mkdir p && echo secret > p/other.txt
run 0 -- "$W" record --mount p:/p -o rec.yaml raw.wasm -- read /p/other.txt clock 0
manifest m.yaml
run 77 -- "$W" check --manifest m.yaml --json --sarif s.sarif rec.journal.jsonl
cp out.txt check.json
fits check-result.v2.schema.json check.json
is check.json 'j.status' 77
is check.json 'j.journals[0].deviations.map((d) => d.call).join()' path_open,clock_time_get
is check.json 'j.journals[0].deviations[0].fix' "- {path: '\${arg}', allow: [read]}"
is check.json 'j.journals[0].deviations[0].target' m.override.yaml
fits sarif-2.1.0-subset.schema.json s.sarif
is s.sarif 'j.runs[0].results.length' 2
is s.sarif 'j.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri' m.yaml
is s.sarif 'j.runs[0].results[1].message.text.includes("clock realtime")' true
run 1 -- "$W" diff --json m.yaml rec.yaml
cp out.txt diff.json
fits diff.v1.schema.json diff.json
is diff.json 'j.changes.some((c) => c.op === "+" && c.text === "clock realtime")' true
run 0 -- "$W" journal show --json rec.journal.jsonl
cp out.txt journal.json
fits journal-summary.v1.schema.json journal.json
is journal.json 'j.header.sha256' "$SHA"
is journal.json 'j.end.exit_code' 0
is journal.json 'j.calls.clock_time_get.count' 1
finish

[ "$fails" = 0 ] && echo "cli_devux: all passed" && exit 0
echo "cli_devux: $fails failures"
exit 1
