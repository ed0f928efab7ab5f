#!/bin/sh
# golden.sh: every --help, usage error and deviation message of the CLI against its expected text
# (tests/e2e/golden/NAME.txt: the exit status, stdout and stderr), as wabt keeps its --help
# outputs, so that a change of wording shows in review and the docs can be checked against it.
# WT_GOLDEN_UPDATE=1 writes the files anew instead (then review `git diff tests/e2e/golden`).
# usage: golden.sh WASI-TOFU FIXTURES-DIR SCRATCH-DIR
set -u
W=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") F=$2 T=$3
G=$(cd "$(dirname "$0")" && pwd)/golden
S=$(cd "$(dirname "$0")/../.." && pwd)
fails=0 n=0
rm -rf "$T" && mkdir -p "$T/p" && cd "$T" || exit 1
cp "$F/rawwasi.wasm" raw.wasm
SHA=$(sha256sum raw.wasm | cut -d' ' -f1)
echo secret > p/other.txt
manifest() { # a pinned manifest of raw.wasm mounting ./p at /p, with the lines given
	printf 'version: 1\nmodule: {name: raw.wasm, sha256: %s}\n' "$SHA"
	printf 'mounts:\n  /p: {host: p, mode: rw}\nstdio: [stdout]\nexit_codes: [0]\n'
	for l in "$@"; do printf '%s\n' "$l"; done
}
manifest > m.yaml
printf 'version: 1\nmodule: {name: raw.wasm, sha256: %064d}\n' 0 > changed.yaml

# show FILE: FILE, and a line saying so when its last line has no newline.
show() {
	cat "$1"
	[ -s "$1" ] && [ "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' ')" != 0a ] &&
		printf '\n[no newline at the end]\n'
	return 0
}

# golden NAME COMMAND...: runs COMMAND (wasi-tofu is $W) with no terminal and CI unset, and
# compares its status, stdout and stderr (the module's sha256 written SHA) with golden/NAME.txt.
golden() {
	name=$1
	shift
	n=$((n + 1))
	{
		env -u CI "$@" < /dev/null > out.txt 2> err.txt
		echo "exit $?"
		echo "--- stdout"
		show out.txt
		echo "--- stderr"
		show err.txt
	} | sed "s/$SHA/SHA/g" > got.txt
	if [ "${WT_GOLDEN_UPDATE:-}" = 1 ]; then
		cp got.txt "$G/$name.txt"
	elif ! diff -u "$G/$name.txt" got.txt > diff.txt 2>&1; then
		echo "FAIL $name (WT_GOLDEN_UPDATE=1 rewrites it; then review the diff):"
		sed 's/^/    /' diff.txt
		fails=$((fails + 1))
	fi
}

# --help of the tool and of every subcommand
golden help_main "$W" --help
golden help_run "$W" run --help
golden help_record "$W" record --help
golden help_generate "$W" generate --help
golden help_check "$W" check --help
golden help_diff "$W" diff --help
golden help_journal "$W" journal --help
golden help_init "$W" init --help
golden help_trust "$W" trust --help
golden help_status "$W" status --help
golden help_verify "$W" verify --help

# usage errors
golden usage_no_command "$W"
golden usage_unknown_command "$W" frobnicate
golden usage_run_missing_module "$W" run
golden usage_run_unknown_option "$W" run --bogus raw.wasm
golden usage_run_missing_value "$W" run --fuel
golden usage_run_bad_value "$W" run --fuel zero raw.wasm
golden usage_run_flag_value "$W" run --fake-clocks=1 raw.wasm
golden usage_run_bad_mode "$W" run --manifest m.yaml --on-deviation maybe raw.wasm
golden usage_run_needs_manifest "$W" run --report r.json raw.wasm
golden usage_record_missing_module "$W" record
golden usage_record_missing_output "$W" record raw.wasm
golden usage_record_other_option "$W" record --ceiling c.yaml -o m2.yaml raw.wasm
golden usage_generate_no_journal "$W" generate -o x.yaml
golden usage_check_no_manifest "$W" check j.jsonl
golden usage_check_no_journal "$W" check --manifest m.yaml
golden usage_diff_one_file "$W" diff m.yaml
golden usage_journal_no_show "$W" journal
golden usage_journal_unknown_option "$W" journal show --all x.jsonl

# deviation messages
golden deviation_fail_file "$W" run --manifest m.yaml raw.wasm -- read /p/other.txt
golden deviation_fail_clock "$W" run --manifest m.yaml raw.wasm -- clock 0
golden deviation_fail_stdin "$W" run --manifest m.yaml raw.wasm -- readstdin
golden deviation_deny_summary "$W" run --manifest m.yaml --on-deviation deny raw.wasm -- \
	read /p/other.txt clock 0
golden deviation_hide_summary "$W" run --manifest m.yaml --on-deviation hide raw.wasm -- \
	read /p/other.txt
golden deviation_warn_summary "$W" run --manifest m.yaml --on-deviation warn raw.wasm -- \
	read /p/other.txt clock 0
golden deviation_prompt_without_terminal "$W" run --manifest m.yaml --on-deviation prompt \
	raw.wasm -- read /p/other.txt
golden deviation_module_changed "$W" run --manifest changed.yaml raw.wasm
golden deviation_failing_tool "$W" run --manifest m.yaml raw.wasm -- fdwrite 2 oops exit 3

# the docs agree with the binary: every option of the one table (cmd/optable.h) is in some
# --help and in docs/cli.md; every exit status of the tool's --help is in README.md
for opt in $(sed -n 's/^[[:space:]]*X(WT_OPT_[A-Z_]*, "\(--[a-z-]*\)".*/\1/p' "$S/cmd/optable.h"); do
	n=$((n + 1))
	cat "$G"/help_*.txt | grep -qe "$opt\b" || { echo "FAIL no --help shows $opt"; fails=$((fails + 1)); }
	grep -qe "$opt\b" "$S/docs/cli.md" || { echo "FAIL docs/cli.md lacks $opt"; fails=$((fails + 1)); }
done
for status in 64 65 66 70 74 75 77 134; do
	n=$((n + 1))
	grep -q "^| $status " "$S/README.md" || { echo "FAIL README.md lacks exit status $status"; fails=$((fails + 1)); }
done

[ "${WT_GOLDEN_UPDATE:-}" = 1 ] && echo "golden: wrote $n files in $G" && exit 0
[ "$fails" = 0 ] && echo "golden: all $n outputs as expected" && exit 0
echo "golden: $fails of $n outputs differ"
exit 1
