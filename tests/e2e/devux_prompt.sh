#!/bin/bash
# devux_prompt.sh: the deviation prompt through a real pseudo-terminal (devux_pty), the summary,
# --report, allow-always and its override diff, no terminal -> 77, a changed module, record --update
# (in the manifest's cwd).
# usage: devux_prompt.sh WASI-TOFU DEVUX-PTY FIXTURES-DIR SCRATCH-DIR
set -u
W=$1 PTY=$2 F=$3 T=$4
fails=0
unset CI
rm -rf "$T" && mkdir -p "$T/proj/src" "$T/proj/out" && cd "$T" || exit 1
echo hello > proj/src/in.txt
echo more > proj/src/extra.txt
cp "$F/manifest_reader.wasm" proj/reader.wasm
cp "$F/cli_tool.wasm" proj/tool.wasm
M=proj/reader.manifest.yaml
write_manifest() { # the reader's manifest, pinned to the module's sha256 now
	cat > "$M" <<YAML
# reader.wasm: reads /src/in.txt, copies it to /out/copy.txt
version: 1
module: {name: reader.wasm, sha256: $(sha256sum proj/reader.wasm | cut -d' ' -f1)}
mounts:
  /src: {host: src, mode: ro}
  /out: {host: out, mode: rw}
files:
  - {path: /src/in.txt, allow: [read]}
  - {path: /out/copy.txt, allow: [create, write, truncate]}
stdio: [stdout, stderr]
exit_codes: [0, 1]
YAML
}
write_manifest

fail() {
	echo "FAIL $1"
	[ -f "${2:-}" ] && sed 's/^/    /' "$2"
	fails=$((fails + 1))
}
ok() { echo "ok   $1"; }
# want NAME STATUS GOT [FILE]: the status is the one expected.
want() { if [ "$3" = "$2" ]; then ok "$1"; else fail "$1: status $3 (want $2)" "${4:-}"; fi; }
has() { grep -qF -- "$2" "$1"; }

# Every key is typed once the question it answers is on the terminal (a bounded wait for its
# text): keys typed ahead are dropped, and that is tested where the module itself waits until
# they are there (terminal.sh), so no check here depends on how fast the command starts.
# unreset FILE: FILE without wasi-tofu's own terminal reset (CAN ... the move to the bottom line),
# the one sequence of control bytes the questions may hold
unreset() { perl -0777 -pe 's/\x18.*?\e\[999;1H//gs' "$1"; }

# 1. the answer h (hide, ENOENT) is the one taken. The question is asked once; the summary and
#    report say so.
"$PTY" -o t1.txt wait:'> ' type:'h\n' -- \
	"$W" run --manifest "$M" --report r1.json proj/reader.wasm extra
want hide_status 1 $? t1.txt
has t1.txt "/src/extra.txt: No such file or directory" || fail "hide: not hidden" t1.txt
[ "$(grep -c "wants to read /src/extra.txt (path_open)" t1.txt)" = 1 ] ||
	fail "hide: asked other than once" t1.txt
has t1.txt "  hidden           path_open read /src/extra.txt" || fail "summary: hidden" t1.txt
has t1.txt "them to proj/reader.override.yaml" || fail "summary: how" t1.txt
has r1.json '"verdict": "hide"' || fail "report after prompt: verdict" r1.json
[ ! -e proj/reader.override.yaml ] || fail "hide: override written"
# the question's lines fit in 80 columns
unreset t1.txt | awk '{ sub(/\r$/, "") } length($0) > 80 { bad = 1 } END { exit bad }' ||
	fail "prompt: a line over 80 columns" t1.txt

# 2. a line that is not exactly one key asks again; 'n' denies (ENOTCAPABLE)
"$PTY" -o t2.txt wait:'> ' type:'yes\n' wait:'Please type one key' type:'n\n' -- \
	"$W" run --manifest "$M" --on-deviation prompt proj/reader.wasm extra
want deny_status 1 $? t2.txt
has t2.txt "Capabilities insufficient" || fail "deny: not ENOTCAPABLE" t2.txt

# 3. allow always: the override file gains exactly the grant; the next run, without a
#    terminal, passes
printf '# overrides for reader.wasm\nversion: 1\nfiles:\n  - {path: /src/in.txt, allow: [stat]}\n' \
	> proj/reader.override.yaml
cp proj/reader.override.yaml before.yaml
"$PTY" -o t3.txt wait:'[a] allow always' wait:'> ' type:'a\n' -- \
	"$W" run --manifest "$M" proj/reader.wasm extra
want allow_always_status 0 $? t3.txt
has t3.txt "more" || fail "allow_always: extra.txt not read" t3.txt
has t3.txt "[a] allow always: add the grant to proj/reader.override.yaml" ||
	fail "allow_always: the file it writes is not named" t3.txt
diff before.yaml proj/reader.override.yaml > d3.txt
printf "4a5\\n> - {path: '\${arg}.txt', allow: [read]}\\n" > want3.txt
sed -i 's/^> *- /> - /' d3.txt
diff -u want3.txt d3.txt > /dev/null || fail "allow_always: override diff is not the grant" d3.txt
grep -qxF "  - {path: '\${arg}.txt', allow: [read]}" proj/reader.override.yaml ||
	fail "allow_always: indentation" proj/reader.override.yaml
setsid -w "$W" run --manifest "$M" proj/reader.wasm extra < /dev/null > o3.txt 2> e3.txt
want allow_always_next_run_passes 0 $? e3.txt
rm proj/reader.override.yaml

# 4. a guest path holding escape sequences and a bidi mark reaches the terminal escaped
printf 'version: 1\nmounts:\n  /src: {host: src, mode: ro}\nstdio: [stdout, stderr]\nexit_codes: [0, 1]\n' \
	> proj/tool.yaml
"$PTY" -o t4.txt wait:'> ' type:'s\n' -- \
	"$W" run --manifest proj/tool.yaml proj/tool.wasm cat $'/src/\e]0;pwned\a\e[2J\xe2\x80\xaeevil'
want escape_stop_77 77 $? t4.txt
if unreset t4.txt | LC_ALL=C grep -q $'[\x1b\x07]' || grep -qF $'\xe2\x80\xae' t4.txt; then
	fail "escape: raw control bytes reached the terminal" t4.txt
fi
has t4.txt '/src/\x1b]0;pwned\x07\x1b[2J\u202eevil' || fail "escape: escaped path missing" t4.txt
has t4.txt "stopped the run" || fail "escape: summary" t4.txt

# 5. prompt without a terminal never waits: exit 77 (stdin/stderr a pty without being the
#    controlling terminal, CI set, and no terminal at all)
"$PTY" -t 15 -o t5.txt -- setsid -w "$W" run --manifest "$M" --on-deviation prompt \
	proj/reader.wasm extra
want no_ctty_77 77 $? t5.txt
CI=1 "$PTY" -t 15 -o t5b.txt -- "$W" run --manifest "$M" proj/reader.wasm extra
want ci_set_77 77 $? t5b.txt
has t5b.txt "stopped: the module made 1 request outside" || fail "ci_set: message" t5b.txt
timeout 15 setsid -w "$W" run --manifest "$M" --on-deviation prompt proj/reader.wasm extra \
	< /dev/zero > o5.txt 2> e5.txt
want no_terminal_77 77 $? e5.txt

# 6. --report: every deviation once, with its verdict, count and the line that allows it
printf 'version: 1\nmounts:\n  /src: {host: src, mode: ro}\n  /out: {host: out, mode: rw}\nfiles:\n  - {path: /src/in.txt, allow: [read]}\n  - {path: /out/copy.txt, allow: [create, write, truncate]}\nstdio: [stdout]\n' \
	> proj/strict.yaml
"$W" run --manifest proj/strict.yaml --on-deviation deny --report r6.json proj/reader.wasm extra \
	> o6.txt 2> e6.txt
want report_deny_status 1 $? e6.txt
[ "$(grep -c '"call"' r6.json)" = 3 ] || fail "report: not 3 deviations" r6.json
[ "$(grep -c '"path": "/src/extra.txt"' r6.json)" = 1 ] || fail "report: extra.txt not once" r6.json
has r6.json '"fix": "- {path: '"'"'${arg}.txt'"'"', allow: [read]}"' || fail "report: fix line" r6.json
has r6.json '"fix": "stdio: [stdout, stderr]"' || fail "report: stdio fix" r6.json
has r6.json '"fix": "exit_codes: [1]"' || fail "report: exit fix" r6.json
has r6.json '"verdict": "deny"' || fail "report: verdict" r6.json
"$W" run --manifest proj/strict.yaml --report r6b.json proj/reader.wasm > o6.txt 2> e6.txt
want report_clean_run 0 $? e6.txt
has r6b.json '"deviations": []' || fail "report: clean run" r6b.json
"$W" run --manifest proj/strict.yaml --report no/such/dir/r.json proj/reader.wasm > o6.txt 2> e6.txt
want report_unwritable_74 74 $? e6.txt

# 7. record --update without a terminal: the capability diff, then the manifest written
cp "$M" old.yaml
setsid -w "$W" record --update "$M" proj/reader.wasm extra < /dev/null > o7.txt 2> e7.txt
want update_status 0 $? e7.txt
has e7.txt '  + ${arg}.txt [read]' || fail "update: diff line" e7.txt
has e7.txt "updated $M (1 change)" || fail "update: written" e7.txt
"$W" diff old.yaml "$M" > d7.txt
printf '+ ${arg}.txt [read]\n' | diff -u - d7.txt > /dev/null || fail "update: more than the grant" d7.txt
setsid -w "$W" run --manifest "$M" proj/reader.wasm extra < /dev/null > o7.txt 2> e7.txt
want update_then_run_passes 0 $? e7.txt
ls proj | grep -q 'recorded.tmp' && fail "update: temporary manifest left"

# 8. a changed module: without a terminal 77 saying so; at one, [r] re-records, shows the diff,
#    [w] writes it; then the next run passes
write_manifest
printf '\000\004\003abc' >> proj/reader.wasm # a custom section: same code, new sha256
setsid -w "$W" run --manifest "$M" proj/reader.wasm < /dev/null > o8.txt 2> e8.txt
want changed_no_terminal_77 77 $? e8.txt
has e8.txt "the module changed" || fail "changed: message" e8.txt
"$PTY" -o t8.txt wait:'[r] record it again' wait:'> ' type:'r\n' wait:'[w] write' wait:'> ' \
	type:'w\n' -- "$W" run --manifest "$M" proj/reader.wasm
want changed_rerecord_status 0 $? t8.txt
has t8.txt "~ module sha256" || fail "changed: diff shows the pin" t8.txt
grep -qF "$(sha256sum proj/reader.wasm | cut -d' ' -f1)" "$M" || fail "changed: new pin not written" "$M"
setsid -w "$W" run --manifest "$M" proj/reader.wasm < /dev/null > o8.txt 2> e8.txt
want changed_then_run_passes 0 $? e8.txt
# and [k] at the update question keeps the manifest as it is
write_manifest
cp "$M" old8.yaml
printf '\000\004\003xyz' >> proj/reader.wasm
"$PTY" -o t8b.txt wait:'> ' type:'r\n' wait:'[k] keep' wait:'> ' type:'k\n' -- \
	"$W" run --manifest "$M" proj/reader.wasm
want changed_keep_status 0 $? t8b.txt
cmp -s old8.yaml "$M" || fail "changed: [k] wrote the manifest" "$M"

# 9. record --update runs in the manifest's cwd (as run --manifest does); a --cwd given wins
mkdir -p proj/w && echo note > proj/w/note.txt
MC=proj/tool.manifest.yaml
cat > "$MC" <<YAML
version: 1
module: {name: tool.wasm, sha256: $(sha256sum proj/tool.wasm | cut -d' ' -f1)}
mounts:
  /src: {host: src, mode: ro}
  /w: {host: w, mode: ro}
cwd: /w
stdio: [stdout, stderr]
exit_codes: [0]
YAML
setsid -w "$W" record --update "$MC" proj/tool.wasm cat note.txt < /dev/null > o9.txt 2> e9.txt
want update_cwd_status 0 $? e9.txt
has o9.txt "note" || fail "update cwd: not read from /w" o9.txt
has e9.txt '  + ${arg} [read]' || fail "update cwd: diff line" e9.txt
has e9.txt "~ cwd" && fail "update cwd: the cwd changed" e9.txt
grep -q '^cwd: /w$' "$MC" || fail "update cwd: cwd not kept" "$MC"
setsid -w "$W" run --manifest "$MC" proj/tool.wasm cat note.txt < /dev/null > o9.txt 2> e9.txt
want update_cwd_then_run_passes 0 $? e9.txt
setsid -w "$W" record --update "$MC" --cwd /src proj/tool.wasm cat in.txt < /dev/null > o9.txt \
	2> e9.txt
want update_cwd_given_status 0 $? e9.txt
has o9.txt "hello" || fail "update --cwd: not read from /src" o9.txt
has e9.txt "  ~ cwd /w -> /src" || fail "update --cwd: the new cwd" e9.txt

[ "$fails" = 0 ] && echo "all devux prompt checks passed"
exit $((fails != 0))
