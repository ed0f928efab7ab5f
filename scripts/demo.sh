#!/usr/bin/env bash
# demo.sh: project mode, the main workflow (docs/project.md), on a small project with three
# build steps written for it (fixtures/c/proj_*.c): a code generator, an asset converter and a
# third-party dependency whose version 2 starts reading a secret. init; first use in CI
# refused (77); trust each step (contained, then accepted); status; an enforced build from a
# fresh copy; the dependency's update stopped in CI (77) with the capability diff a reviewer
# sees; verify.
#
# usage: [WASI_TOFU=PATH] scripts/demo.sh [BUILD_DIR [WORK_DIR]]
#   BUILD_DIR  the CMake build folder (default: build); the modules are its fixtures/
#   WORK_DIR   where the demo project is set up (default: a fresh temporary folder)
#   WASI_TOFU  the wasi-tofu to run, e.g. an installed one (default: BUILD_DIR/cmd/wasi-tofu)
# Non-interactive (trust --yes; CI=1 for the enforced runs). Exits non-zero when any step
# does not do what it shows. scripts/demo_manifest.sh is the single-manifest cycle.
set -euo pipefail

build=${1:-build}
work=${2:-}
# shellcheck source=scripts/demo_common.sh
. "$(dirname "$0")/demo_common.sh"
fixtures=$(cd "$build" && pwd)/fixtures
# wasi-tofu ARGS...: echoes the command, runs it (stderr to stdout, so the log reads in order);
# its status is left in $status.
wasi-tofu() {
	show "wasi-tofu $*"
	status=0
	"$cli" "$@" 2>&1 || status=$?
}

for m in proj_codegen proj_assets proj_dep proj_dep_v2; do
	[ -f "$fixtures/$m.wasm" ] || die "no $fixtures/$m.wasm: build the fixtures first"
done
if [ -z "$work" ]; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/wasi-tofu-demo.XXXXXX")
	trap 'rm -rf "$work"' EXIT
fi
unset CI
rm -rf "$work/app" "$work/clone"
mkdir -p "$work/app/src/assets" "$work/app/out/gen" "$work/app/out/assets" "$work/app/tools" \
	"$work/app/vendor/dep"
cd "$work/app"
printf 'id int\nname char*\n' >src/schema.txt
printf 'logo\n' >src/assets/logo.txt
printf 'fast=1\n' >src/dep.conf
printf 'API_TOKEN=sk-live-do-not-leak\n' >src/.env
cp "$fixtures/proj_codegen.wasm" tools/codegen.wasm
cp "$fixtures/proj_assets.wasm" tools/assets.wasm
cp "$fixtures/proj_dep.wasm" vendor/dep/build.wasm
echo "wasi-tofu project demo in $work/app (wasi-tofu below is $cli)"
echo "app/ has three build steps: tools/codegen.wasm, tools/assets.wasm, vendor/dep/build.wasm;"
echo "src/ (schema.txt, assets/, dep.conf, and .env holding an API token) and out/"
mounts=(--mount src:/src:ro --mount out:/out)
codegen=(tools/codegen.wasm /src/schema.txt /out/gen/record.h)
assets=(tools/assets.wasm /src/assets /out/assets)
dep=(vendor/dep/build.wasm /src/dep.conf /out/dep.txt)

say "1. init: the project file and the folder its manifests go in"
wasi-tofu init
expect 0 "init"
[ -f wasi-tofu.yaml ] && [ -d .wasi-tofu/manifests ] || die "init made no project"

say "2. first use in CI: an unknown module is never run; the message says how to trust it"
show "CI=1 wasi-tofu run ${mounts[*]} ${codegen[*]}"
status=0
CI=1 "$cli" run "${mounts[@]}" "${codegen[@]}" 2>&1 || status=$?
expect 77 "first use in CI"
[ ! -e out/gen/record.h ] || die "the untrusted module ran"

say "3. trust each step: it runs contained, you see what it did, and only accepted is it kept"
wasi-tofu trust --yes "${mounts[@]}" --env PROTOC_PATH=/usr/bin/protoc "${codegen[@]}"
expect 0 "trust codegen"
grep -q 'struct record' out/gen/record.h || die "the accepted change was not applied"
wasi-tofu trust --yes "${mounts[@]}" "${assets[@]}"
expect 0 "trust assets"
wasi-tofu trust --yes "${mounts[@]}" "${dep[@]}"
expect 0 "trust dep"
show "cat wasi-tofu.yaml"
cat wasi-tofu.yaml
[ "$(grep -c 'sha256:' wasi-tofu.yaml)" = 3 ] || die "not every module is pinned"
show "ls .wasi-tofu/manifests   # one plain file per module: what reviewers read"
ls .wasi-tofu/manifests
grep -q 'PROTOC_PATH' .wasi-tofu/manifests/codegen.yaml || die "codegen's manifest lacks its env"

say "4. status: every module, its pin, its manifest, what it may do"
wasi-tofu status
expect 0 "status"
[ "$("$cli" status | grep -c '^trusted ')" = 3 ] || die "status: not three trusted modules"

say "5. a fresh copy (a clone, CI): each step is enforced from the project, no --manifest"
mkdir -p "$work/clone/out/gen" "$work/clone/out/assets"
cp -r wasi-tofu.yaml .wasi-tofu src tools vendor "$work/clone/"
cd "$work/clone"
show "cp -r wasi-tofu.yaml .wasi-tofu src tools vendor ../clone/ && cd ../clone"
export CI=1
wasi-tofu run --env PROTOC_PATH=/usr/bin/protoc "${codegen[@]}"
expect 0 "the enforced codegen"
wasi-tofu run "${assets[@]}"
expect 0 "the enforced assets"
wasi-tofu run "${dep[@]}"
expect 0 "the enforced dep"
[ -s out/gen/record.h ] && [ -s out/assets/logo.asset ] && [ -s out/dep.txt ] ||
	die "the enforced build did not build"

say "6. the dependency's update (v2 reads /src/.env): CI stops it before it runs"
cp "$fixtures/proj_dep_v2.wasm" vendor/dep/build.wasm
show "cp proj_dep_v2.wasm vendor/dep/build.wasm   # the update lands"
wasi-tofu run "${dep[@]}"
expect 77 "the changed dependency"
wasi-tofu verify
expect 77 "verify with the update"

say "7. the reviewer's view: the update recorded (contained) and its capability diff"
unset CI
cp .wasi-tofu/manifests/build.yaml "$work/build.v1.yaml"
wasi-tofu trust --yes "${dep[@]}"
expect 0 "re-record the update"
wasi-tofu diff "$work/build.v1.yaml" .wasi-tofu/manifests/build.yaml
expect 1 "diff"
diff_out=$("$cli" diff "$work/build.v1.yaml" .wasi-tofu/manifests/build.yaml || true)
grep -qx '+ /src/.env \[read\]' <<<"$diff_out" || die "the diff does not show the new read of /src/.env"
echo "(a reviewer who sees '+ /src/.env [read]' in the pull request does not merge it)"
cp "$fixtures/proj_dep.wasm" vendor/dep/build.wasm
cp "$work/build.v1.yaml" .wasi-tofu/manifests/build.yaml
cp ../app/wasi-tofu.yaml wasi-tofu.yaml
show "# the update is rejected: back to dep 1.0, its manifest and its pin"

say "8. verify: the CI gate, no module run"
wasi-tofu verify
expect 0 "verify"
wasi-tofu verify --json
expect 0 "verify --json"

say "done: every step behaved as shown"
