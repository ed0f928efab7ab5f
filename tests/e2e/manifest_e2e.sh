#!/bin/sh
# manifest_e2e.sh: `run --manifest`, `diff` end to end: a fixture passes under its manifest, one
# more file read stops it with 77, deny/hide modes, the sha256 pin, env filtering, bad manifests.
# usage: manifest_e2e.sh WASI-TOFU FIXTURES-DIR SCRATCH-DIR
set -u
W=$1 F=$2 T=$3
fails=0
rm -rf "$T" && mkdir -p "$T/proj/src" "$T/proj/out" && cd "$T" || exit 1
echo hello > proj/src/in.txt
echo more > proj/src/extra.txt
cp "$F/manifest_reader.wasm" proj/reader.wasm
SHA=$(sha256sum proj/reader.wasm | cut -d' ' -f1)
cat > proj/reader.manifest.yaml <<YAML
# Capability manifest for reader.wasm
version: 1
module: {name: reader.wasm, sha256: $SHA}
mounts:
  /src: {host: src, mode: ro}
  /out: {host: out, mode: rw}
files:
  - {path: /src/in.txt, allow: [read]}
  - {path: /out/copy.txt, allow: [create, write, truncate]}
stdio: [stdout, stderr]
YAML

# check NAME EXPECTED-STATUS STDERR-PART -- COMMAND...: runs it from $T, compares.
check() {
	name=$1 want=$2 part=$3
	shift 4
	"$@" > out.txt 2> err.txt
	got=$?
	if [ "$got" != "$want" ] || { [ -n "$part" ] && ! grep -qF -- "$part" err.txt; }; then
		echo "FAIL $name: status $got (want $want), stderr lacks '$part':"
		sed 's/^/    /' err.txt
		fails=$((fails + 1))
	else
		echo "ok   $name"
	fi
}

M=proj/reader.manifest.yaml
check passes 0 "" -- "$W" run --manifest "$M" proj/reader.wasm
grep -qx hello out.txt || { echo "FAIL passes: stdout"; fails=$((fails + 1)); }
grep -qx hello proj/out/copy.txt || { echo "FAIL passes: /out/copy.txt"; fails=$((fails + 1)); }
check one_more_file_stops_77 77 "      - {path: '\${arg}.txt', allow: [read]}" -- \
	"$W" run --manifest "$M" proj/reader.wasm extra
grep -qF "path_open /src/extra.txt wants [read], which $M does not grant" err.txt ||
	{ echo "FAIL one_more_file_stops_77: message"; fails=$((fails + 1)); }
check deny_goes_on 1 "Capabilities insufficient" -- \
	"$W" run --manifest "$M" --on-deviation deny proj/reader.wasm extra
grep -qF "refused 2 requests outside $M (2 calls):" err.txt ||
	{ echo "FAIL deny_goes_on: summary"; fails=$((fails + 1)); }
check hide_is_enoent 1 "/src/extra.txt: No such file or directory" -- \
	"$W" run --manifest "$M" --on-deviation=hide proj/reader.wasm extra
check prompt_without_terminal_acts_as_fail 77 "stopped: the module made" -- \
	setsid -w "$W" run --manifest "$M" --on-deviation prompt proj/reader.wasm extra
check bad_mode_64 64 "--on-deviation" -- \
	"$W" run --manifest "$M" --on-deviation maybe proj/reader.wasm

# the override file beside the manifest adds a grant; its deny beats the manifest's grant
printf 'files:\n  - {path: /src/extra.txt, allow: [read]}\nexit_codes: []\n' \
	> proj/reader.override.yaml
check override_not_allowed_key_65 65 "reader.override.yaml:3:1: 'exit_codes' is not allowed" -- \
	"$W" run --manifest "$M" proj/reader.wasm extra
printf 'files:\n  - {path: /src/extra.txt, allow: [read]}\n' > proj/reader.override.yaml
check override_adds 0 "" -- "$W" run --manifest "$M" proj/reader.wasm extra
printf 'deny:\n  - {path: "/src/*", allow: [read]}\n' > proj/reader.override.yaml
check override_deny_wins 77 "path_open /src/in.txt wants [read]" -- \
	"$W" run --manifest "$M" proj/reader.wasm
rm proj/reader.override.yaml

# a ceiling no manifest may exceed
printf 'version: 1\nmounts:\n  /src: {host: ., mode: ro}\n  /out: {host: ., mode: ro}\nfiles:\n  - {path: "/src/**", allow: [read]}\n  - {path: "/out/*", allow: [create, write, truncate]}\nstdio: [stdout, stderr]\n' > ceiling.yaml
check ceiling_refuses 77 "the mount /out (rw), which the ceiling ceiling.yaml does not allow" -- \
	"$W" run --manifest "$M" --ceiling ceiling.yaml proj/reader.wasm

# the sha256 pin
cp "$F/cli_return.wasm" proj/other.wasm
check pin_mismatch_77 77 "does not match the pin $SHA" -- "$W" run --manifest "$M" proj/other.wasm

# env: only the names the manifest lists reach the guest
cp "$F/cli_tool.wasm" proj/tool.wasm
printf 'version: 1\nmounts:\n  /src: {host: src, mode: ro}\nenv: [KEEP]\nstdio: [stdout]\n' > proj/tool.yaml
check env_filtered 0 "" -- "$W" run --manifest proj/tool.yaml --env KEEP=1 --env DROP=2 proj/tool.wasm env
if ! grep -q "KEEP=1" out.txt || grep -q DROP out.txt; then
	echo "FAIL env_filtered: stdout"; sed 's/^/    /' out.txt; fails=$((fails + 1))
fi

# bad manifests: line:column and 65; a missing one is 66
printf 'version: 1\nfiles:\n  - {path: src/x, allow: [read]}\n' > bad.yaml
check malformed_65 65 "bad.yaml:3:12: path: bad pattern 'src/x'" -- "$W" run --manifest bad.yaml proj/reader.wasm
printf 'version: 3\n' > v3.yaml
check unknown_version_65 65 "v3.yaml:1:10: unknown version 3" -- "$W" run --manifest v3.yaml proj/reader.wasm
check missing_66 66 "nope.yaml: cannot open" -- "$W" run --manifest nope.yaml proj/reader.wasm
printf 'version: 1\nmounts:\n  /src: {host: /, mode: ro}\nfiles:\n  - {path: /etc/x, allow: [read]}\n' > warn.yaml
check warnings 0 "warn.yaml:5:5: warning: '/etc/x' is outside every mount" -- \
	"$W" run --manifest warn.yaml "$F/cli_return.wasm"
grep -qF "is the host's root folder" err.txt || { echo "FAIL warnings: root mount"; fails=$((fails + 1)); }

# check: journals of recorded runs against the manifest, nothing run
(cd proj && "$W" record -o r.manifest.yaml --journal ok.jsonl --mount src:/src:ro --mount out:/out \
	reader.wasm >/dev/null 2>&1)
(cd proj && "$W" record -o r.manifest.yaml --journal extra.jsonl --mount src:/src:ro \
	--mount out:/out reader.wasm extra >/dev/null 2>&1)
check check_passes 0 "" -- "$W" check --manifest "$M" proj/ok.jsonl
"$W" check --manifest "$M" proj/ok.jsonl proj/extra.jsonl > out.txt 2> err.txt
got=$?
if [ "$got" != 77 ] || ! grep -qF "proj/extra.jsonl: 1 request outside $M (3 calls):" out.txt ||
	! grep -qF "      - {path: /src/extra.txt, allow: [read]}" out.txt || grep -q ok.jsonl out.txt; then
	echo "FAIL check_deviates_77: status $got"; sed 's/^/    /' out.txt err.txt; fails=$((fails + 1))
fi
printf '{"not": "a journal"}\n' > bad.jsonl
check check_bad_journal_65 65 "bad.jsonl:1:" -- "$W" check --manifest "$M" bad.jsonl
check check_usage_64 64 "missing JOURNAL" -- "$W" check --manifest "$M"

# diff
sed -e 's|/src/in.txt, allow: \[read\]|/src/in.txt, allow: [read, stat]|' -e '/copy.txt/d' \
	-e 's|^stdio: .*|stdio: [stdout, stderr]\nenv: [HOME]|' "$M" > new.yaml
check diff_differs 1 "" -- "$W" diff "$M" new.yaml
printf -- '- /out/copy.txt [write, create, truncate]\n+ /src/in.txt [stat]\n+ env HOME\n' > want.txt
if ! diff -u want.txt out.txt; then echo "FAIL diff_differs: output"; fails=$((fails + 1)); fi
check diff_same 0 "" -- "$W" diff "$M" "$M"
[ -s out.txt ] && { echo "FAIL diff_same: output"; fails=$((fails + 1)); }
# a rule a wider pattern of the old manifest covers is no change; one line per rule
printf 'version: 1\nfiles:\n  - {path: "/src/**", allow: [read, stat]}\n  - {path: "${arg:1}/**", allow: [read]}\n' > wide.yaml
printf 'version: 1\nfiles:\n  - {path: /src/a/in.txt, allow: [read]}\n  - {path: "/src/*.c", allow: [stat]}\n  - {path: "${arg:1}/x", allow: [read]}\n  - {path: "/out/*", allow: [write, create, truncate], only: new}\n' > narrow.yaml
check diff_covered 1 "" -- "$W" diff wide.yaml narrow.yaml
printf -- '- ${arg:1}/** [read]\n+ /out/* [write, create, truncate] (only new)\n- /src/** [read, stat]\n' > want.txt
if ! diff -u want.txt out.txt; then echo "FAIL diff_covered: output"; fails=$((fails + 1)); fi
check diff_usage 64 "usage: wasi-tofu diff" -- "$W" diff "$M"

[ "$fails" = 0 ] && echo "all manifest e2e checks passed"
exit $((fails != 0))
