#!/bin/sh
# check_locations.sh: every deviation `check` reports points at the line a reviewer must read
# (docs/cli.md, "wasi-tofu check"): a files rule on the path that lacks the rights, the deny
# rule that refuses it, the key its grant goes under (in the override file when the grant goes
# there), or line 1 when the file has no such key yet. The SARIF region, the --json location
# and the text's "at FILE:LINE:COLUMN" say the same. rawwasi.wasm (fixtures/c/rawwasi.c) makes
# the calls. --sarif also notes the files rules no checked run used, at the rule. `run --report`
# locates each deviation as check does. Every kind of grant no checked run used is noted, in
# SARIF, --json and the text.
# usage: check_locations.sh WASI-TOFU FIXTURES-DIR SCRATCH-DIR [NODE]
set -u
W=$1 F=$2 T=$3 NODE=${4:-}
E=$(cd "$(dirname "$0")" && pwd)
fails=0
. "$E/cases.sh"
rm -rf "$T" && mkdir -p "$T" && cd "$T" || exit 1
cp "$F/rawwasi.wasm" raw.wasm
SHA=$(sha256sum raw.wasm | cut -d' ' -f1)

# at N WHERE KIND: result N of s.sarif is at WHERE (FILE:LINE:COLUMN) and says KIND; the
# --json deviation N (check.json) and the text's "at" line of entry N say the same.
at() {
	is s.sarif "(l => l.artifactLocation.uri + ':' + l.region.startLine + ':' + l.region.startColumn)(j.runs[0].results[$1].locations[0].physicalLocation)" "$2"
	is s.sarif "j.runs[0].results[$1].properties.located.kind" "$3"
	is check.json "(l => l.file + ':' + l.line + ':' + l.column + ' ' + l.kind)(j.journals[0].deviations[$1].location)" "$2 $3"
	n=$(($1 + 1))
	got=$(grep '^  at ' text.txt | sed -n "${n}p" | cut -d' ' -f4)
	[ "$got" = "$2:" ] || fail "text entry $n is at '$got', want '$2:'"
}

# pinned: the first 4 lines of a manifest of raw.wasm mounting ./p at /p
pinned() {
	printf 'version: 1\nmodule: {name: raw.wasm, sha256: %s}\nmounts:\n  /p: {host: p, mode: rw}\n' \
		"$SHA"
}

# policy: the files under ./p, m.yaml and m.override.yaml with a rule of each kind of location;
# CALLS are the rawwasi arguments that deviate from them in every way.
CALLS="read /p/a.txt write /p/sub/x hi read /p/secret clock 0 random 8 read /p/other.txt read /p/o.txt"
policy() {
	mkdir -p p/sub
	for f in a.txt secret other.txt o.txt; do echo x > p/$f; done
	{ pinned && cat; } > m.yaml <<EOF
files:
  - {path: /p/a.txt, allow: [stat]}
  - {path: /p/sub/*, allow: [read]}
deny:
  - {path: /p/secret, allow: [read]}
clocks: [monotonic]
stdio: [stdout]
exit_codes: [0]
EOF
	cat > m.override.yaml <<EOF
version: 1
env: [HOME]
files:
    - {path: /p/o.txt, allow: [stat]}
EOF
}

start every_result_points_at_its_line
policy
# shellcheck disable=SC2086 # CALLS are words
run 0 -- "$W" record --mount p:/p -o rec.yaml raw.wasm -- $CALLS
run 77 -- "$W" check --manifest m.yaml --json --sarif s.sarif rec.journal.jsonl
cp out.txt check.json
fits check-result.v2.schema.json check.json
fits sarif-2.1.0-subset.schema.json s.sarif
run 77 -- "$W" check --manifest m.yaml rec.journal.jsonl
cp out.txt text.txt
# 8 deviations, 5 unused grants: 3 files rules, the clock monotonic, the override's env HOME
is s.sarif 'j.runs[0].results.length' 13
is s.sarif 'j.runs[0].results.filter((r) => r.ruleId === "deviation").length' 8
at 0 m.yaml:6:5 rule            # read /p/a.txt: the rule grants only stat
at 1 m.yaml:7:5 rule            # path_open /p/sub/x for writing: /p/sub/* grants only read
at 2 m.yaml:7:5 rule            # fd_write on it
at 3 m.yaml:9:5 deny            # read /p/secret: the deny rule
at 4 m.yaml:10:1 section        # clock realtime: the clocks: key
at 5 m.yaml:1:1 file            # random: the manifest has no random: key
at 6 m.override.yaml:3:1 section # read /p/other.txt: no rule; its grant goes in the override
at 7 m.override.yaml:4:7 rule   # read /p/o.txt: the override's rule grants only stat
is s.sarif 'j.runs[0].results[5].properties.located.text' 'line 1: the file has no random: key yet'
grep -qF 'refused by the deny rule {path: /p/secret, allow: [read]} at m.yaml:9:5' text.txt ||
	fail "the deny rule's place is not FILE:LINE:COLUMN"
finish

# run --report gives each deviation the location check gives it, in the same form as --json;
# in deny mode the write is refused at path_open, so there is no fd_write
start report_points_where_check_does
policy
# shellcheck disable=SC2086 # CALLS are words
run 0 -- "$W" run --manifest m.yaml --on-deviation deny --report r.json raw.wasm -- $CALLS
fits deviations-report.v3.schema.json r.json
is r.json 'j.version' 3
is r.json 'j.deviations.map((d) => (l => l.file + ":" + l.line + ":" + l.column + " " + l.kind + " " + l.section)(d.location)).join()' \
	'm.yaml:6:5 rule files,m.yaml:7:5 rule files,m.yaml:9:5 deny deny,m.yaml:10:1 section clocks,m.yaml:1:1 file random,m.override.yaml:3:1 section files,m.override.yaml:4:7 rule files'
finish

start without_override_the_manifests_key
mkdir p && echo x > p/b.txt
run 0 -- "$W" record --mount p:/p -o rec.yaml raw.wasm -- read /p/b.txt
printf 'version: 1\nmodule: {name: raw.wasm, sha256: %s}\nmounts:\n  /p: {host: p, mode: rw}\nstdio: [stdout]\nfiles: []\n' "$SHA" > m.yaml
run 77 -- "$W" check --manifest m.yaml --json --sarif s.sarif rec.journal.jsonl
cp out.txt check.json
run 77 -- "$W" check --manifest m.yaml rec.journal.jsonl
cp out.txt text.txt
at 0 m.yaml:6:1 section         # no override file to point at: the manifest's files: key
finish

# --sarif also notes each files rule no checked journal used, at the rule: one that names a
# path no call touched, one on a touched path whose rights no call needed; a used rule is not
# noted, and the notes do not change the status
start unused_rules_noted_at_their_line
mkdir p && echo x > p/b.txt
run 0 -- "$W" record --mount p:/p -o rec.yaml raw.wasm -- read /p/b.txt
{ pinned && cat; } > m.yaml <<EOF
files:
  - {path: /p/b.txt, allow: [read]}
  - {path: /p/c.txt, allow: [read]}
  -   {path: /p/*, allow: [write]}
stdio: [stdout]
EOF
run 0 -- "$W" check --manifest m.yaml --sarif s.sarif rec.journal.jsonl
fits sarif-2.1.0-subset.schema.json s.sarif
is s.sarif 'j.runs[0].results.map((r) => r.ruleId + " " + r.level + " " + r.locations[0].physicalLocation.region.startLine + ":" + r.locations[0].physicalLocation.region.startColumn).join()' \
	'unused-grant note 7:5,unused-grant note 8:7'
is s.sarif 'j.runs[0].results[0].properties.rule' '{path: /p/c.txt, allow: [read]}'
finish

# every kind of grant no checked run used gets its note, in SARIF, --json and the text: files
# rules at the rule, env names, clocks, random, stdin and sockets at their key; the module's
# own output and exit codes (stdout, stderr, exit_codes) grant nothing and get none
start unused_grants_of_every_kind
mkdir p && echo x > p/b.txt
run 0 -- "$W" record --mount p:/p --env HOME=/h -o rec.yaml raw.wasm -- read /p/b.txt clock 0
{ pinned && cat; } > m.yaml <<EOF
files:
  - {path: /p/b.txt, allow: [read]}
  - {path: /p/c.txt, allow: [read]}
env: [HOME, EXTRA]
clocks: [monotonic, realtime]
random: true
stdio: [stdin, stdout, stderr]
sockets: ["3"]
exit_codes: [0, 1]
EOF
printf 'version: 1\nenv: [LANG]\nfiles:\n  - {path: /p/b.txt, allow: [write]}\n' > m.override.yaml
run 0 -- "$W" check --manifest m.yaml --json --sarif s.sarif rec.journal.jsonl
cp out.txt check.json
fits check-result.v2.schema.json check.json
fits sarif-2.1.0-subset.schema.json s.sarif
want='m.yaml:7:5 {path: /p/c.txt, allow: [read]},m.yaml:8:1 env: [EXTRA],m.yaml:9:1 clocks: [monotonic],m.yaml:10:1 random: true,m.yaml:11:1 stdio: [stdin],m.yaml:12:1 sockets: ["3"],m.override.yaml:4:5 {path: /p/b.txt, allow: [write]},m.override.yaml:2:1 env: [LANG]'
is s.sarif 'j.runs[0].results.map((r) => (l => l.artifactLocation.uri + ":" + l.region.startLine + ":" + l.region.startColumn)(r.locations[0].physicalLocation) + " " + r.properties.rule).join()' "$want"
is s.sarif 'j.runs[0].results.every((r) => r.ruleId === "unused-grant" && r.level === "note")' true
is check.json 'j.unused.map((u) => u.file + ":" + u.line + ":" + u.column + " " + u.grant).join()' "$want"
is check.json 'j.unused.map((u) => u.key).join()' files,env,clocks,random,stdio,sockets,files,env
run 0 -- "$W" check --manifest m.yaml rec.journal.jsonl
grep -qxF 'm.yaml:9:1: note: clocks: [monotonic] grants what none of the checked runs used: drop it, or keep it for the runs that need it' out.txt ||
	fail "the text has no note for the unused clock: $(cat out.txt)"
[ "$(grep -c ': note: ' out.txt)" = 8 ] || fail "the text has not 8 notes: $(cat out.txt)"
finish

[ "$fails" = 0 ] && echo "check_locations: all passed" && exit 0
echo "check_locations: $fails failures"
exit 1
