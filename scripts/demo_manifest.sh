#!/usr/bin/env bash
# demo_manifest.sh: the single-manifest cycle, without a project, on the bundled demo module
# (fixtures/c/demo.c, a build step in miniature): record, the manifest, an enforced run in a
# fresh copy, a deviation stopped (77) or denied, and the reviewer's view (diff, check).
# scripts/demo.sh is the project demo.
#
# usage: [WASI_TOFU=PATH] scripts/demo_manifest.sh [BUILD_DIR [WORK_DIR]]
#   BUILD_DIR  the CMake build folder (default: build); the module is its fixtures/demo.wasm
#   WORK_DIR   where the demo project is set up (default: a fresh temporary folder)
#   WASI_TOFU  the wasi-tofu to run, e.g. an installed one (default: BUILD_DIR/cmd/wasi-tofu)
# Non-interactive (deviations use --on-deviation fail|deny, never the prompt). Exits non-zero
# when any step does not do what it shows.
set -euo pipefail

build=${1:-build}
work=${2:-}
# shellcheck source=scripts/demo_common.sh
. "$(dirname "$0")/demo_common.sh"
module=$(cd "$build" && pwd)/fixtures/demo.wasm
# wasi-tofu ARGS...: echoes the command, runs it; its status is left in $status.
wasi-tofu() {
	show "wasi-tofu $*"
	status=0
	"$cli" "$@" || status=$?
}

[ -f "$module" ] || die "no $module: build the fixtures first (cmake --build $build)"
if [ -z "$work" ]; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/wasi-tofu-demo.XXXXXX")
	trap 'rm -rf "$work"' EXIT
fi
rm -rf "$work/project" "$work/clone" "$work/update"
mkdir -p "$work/project/src" "$work/project/out"
printf 'name = tofu-demo\nversion = 1.0\n' >"$work/project/src/project.txt"
printf 'int main(void) { return 0; }\n' >"$work/project/src/main.c"
printf 'int util(void) { return 1; }\n' >"$work/project/src/util.c"
printf 'API_TOKEN=sk-live-do-not-leak\n' >"$work/project/src/.env"
cp "$module" "$work/project/demo.wasm"
echo "wasi-tofu demo in $work (wasi-tofu below is $cli)"
echo "project/ holds demo.wasm (a build step), src/ (project.txt main.c util.c .env) and out/"
run_args=(--env BUILD_MODE=release demo.wasm /src /out)

say "1. record: a permissive first run; every WASI call goes into a journal"
cd "$work/project"
wasi-tofu record --mount src:/src:ro --mount out:/out -o demo.manifest.yaml "${run_args[@]}"
expect 0 "record"
[ -s demo.manifest.yaml ] || die "record left no manifest"
[ -s demo.manifest.journal.jsonl ] || die "record left no journal"
show "wasi-tofu journal show demo.manifest.journal.jsonl   # (its paths section)"
"$cli" journal show demo.manifest.journal.jsonl >journal.txt || die "journal show failed"
sed -n '/^paths:/,/^$/p' journal.txt | sed '/^$/d'
grep -q '^  /src/project.txt  \[read\]' journal.txt || die "the journal lacks /src/project.txt"

say "2. the manifest: what you review and commit next to the module"
show "cat demo.manifest.yaml"
cat demo.manifest.yaml
grep -qF "{path: '\${arg}/project.txt', allow: [read]}" demo.manifest.yaml ||
	die "the manifest does not grant project.txt"
grep -qx 'env: \[BUILD_MODE\]' demo.manifest.yaml || die "the manifest does not list BUILD_MODE"
! grep -q '\.env' demo.manifest.yaml || die "the manifest grants .env, never read when recorded"

say "3. a fresh copy (a clone, CI): the manifest is enforced; the same step passes"
mkdir -p "$work/clone/out"
cp -r demo.wasm demo.manifest.yaml src "$work/clone/"
cd "$work/clone"
show "cp -r demo.wasm demo.manifest.yaml src ../clone/ && cd ../clone && mkdir out"
wasi-tofu run --manifest demo.manifest.yaml "${run_args[@]}"
expect 0 "the enforced run"
grep -qx 'sources: main.c util.c' out/build-info.txt || die "the enforced run did not build"

say "4. the step's next release (--v2) also reads /src/.env: fail (CI's default) stops it, deny refuses it"
rm -f out/build-info.txt
wasi-tofu run --manifest demo.manifest.yaml --on-deviation fail "${run_args[@]}" --v2 2>err.txt
cat err.txt
echo "exit status $status"
expect 77 "the deviation"
grep -q 'path_open /src/.env wants \[read\]' err.txt || die "the report does not name /src/.env"
[ ! -e out/build-info.txt ] || die "the stopped run wrote its output"
wasi-tofu run --manifest demo.manifest.yaml --on-deviation deny "${run_args[@]}" --v2
expect 0 "the denied run"
grep -qx 'sources: main.c util.c' out/build-info.txt || die "the denied run did not build"

say "5. the reviewer's view: record the update, diff the manifests, check the journal"
mkdir -p "$work/update/out"
cp -r demo.wasm src "$work/update/"
cd "$work/update"
show "cd ../update   # a copy of the project with the update"
update_args=(record --mount src:/src:ro --mount out:/out -o demo.manifest.yaml "${run_args[@]}" --v2)
show "wasi-tofu ${update_args[*]} >/dev/null"
status=0
"$cli" "${update_args[@]}" >/dev/null || status=$?
expect 0 "recording the update"
wasi-tofu diff ../clone/demo.manifest.yaml demo.manifest.yaml
expect 1 "diff"
[ "$("$cli" diff ../clone/demo.manifest.yaml demo.manifest.yaml)" = "+ \${arg}/.env [read]" ] ||
	die "diff shows more than the one new grant"
wasi-tofu check --manifest ../clone/demo.manifest.yaml demo.manifest.journal.jsonl
expect 77 "check of the update's journal"
"$cli" check --manifest ../clone/demo.manifest.yaml ../project/demo.manifest.journal.jsonl \
	>/dev/null || die "check of the recorded journal against its own manifest fails"

say "done: every step behaved as shown"
