#!/bin/sh
# read_once.sh: what the CLI checks is what runs. Each policy file (the manifest, its override
# file, a project file) is read once per run, and a project's module is hashed once, from the
# bytes that run: a file that changes between two reads cannot make the run enforce, or run,
# something other than what was checked. swap_preload.c (LD_PRELOAD) plays the attacker: the first open of a
# file gets it, every later open gets another file; it says each open on stderr.
# rawwasi.wasm (fixtures/c/rawwasi.c) makes the calls. With DEVUX-PTY (tests/e2e/devux_pty.c), also
# at a terminal: run --manifest's offer to record a changed module again, whose record --update
# merges into the manifest the run read.
# usage: read_once.sh WASI-TOFU FIXTURES-DIR SCRATCH-DIR SWAP-PRELOAD.so [DEVUX-PTY]
set -u
W=$1 F=$2 T=$3 SWAP=$4 PTY=${5:-}
E=$(cd "$(dirname "$0")" && pwd)
fails=0
. "$E/cases.sh"
rm -rf "$T" && mkdir -p "$T" && cd "$T" || exit 1
cp "$F/rawwasi.wasm" raw.wasm

# swapped STATUS PATH LATER -- COMMAND...: runs COMMAND with PATH swapped for LATER from its
# second open on; checks the status and that PATH was opened once.
swapped() {
	want=$1 path=$2 later=$3
	shift 4
	# an ASan build's runtime comes after the shim: let it
	run "$want" -- env LD_PRELOAD="$SWAP" WT_SWAP_PATH="$path" WT_SWAP_LATER="$later" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}verify_asan_link_order=0" "$@"
	n=$(grep -c "^swap-preload: open [0-9]* of $path\$" err.txt)
	[ "$n" = 1 ] || fail "$path was opened $n times, want once"
}

mkdir -p p && echo secret > p/x.txt
printf 'version: 1\nmounts:\n  /p: {host: p, mode: ro}\nstdio: [stdout]\n' > none.yaml
{ cat none.yaml; printf 'files:\n  - {path: /p/x.txt, allow: [read]}\n'; } > grants.yaml
printf 'version: 1\nenv: [HOME]\n' > o_none.yaml
printf 'version: 1\nfiles:\n  - {path: /p/x.txt, allow: [read]}\n' > o_grants.yaml

start manifest_read_once
ln -s ../p p && cp ../none.yaml m.yaml
swapped 77 m.yaml ../grants.yaml -- "$W" run --manifest m.yaml --on-deviation fail raw.wasm \
	read /p/x.txt
grep -q 'secret' out.txt && fail "the run enforced a manifest read after the one checked"
finish

start override_read_once
ln -s ../p p && cp ../none.yaml m.yaml && cp ../o_none.yaml m.override.yaml
swapped 77 m.override.yaml ../o_grants.yaml -- "$W" run --manifest m.yaml --on-deviation fail \
	raw.wasm read /p/x.txt
grep -q 'secret' out.txt && fail "the run enforced an override file read after the one checked"
finish

# run --manifest finds the module changed and, at a terminal, [r] records it again: the
# record --update merges into the manifest the run read and checked the pin of, not into one
# read again (the attacker's, which adds an env grant and a mount of the whole host).
start rerecord_merges_into_the_manifest_read
if [ -n "$PTY" ]; then
	mkdir p && echo secret > p/x.txt
	run 0 -- "$W" record --mount p:/p -o m.yaml raw.wasm read /p/x.txt
	sed -i 's/sha256: [0-9a-f]*/sha256: '"$(printf '%064d' 0)"'/' m.yaml
	{ cat m.yaml; printf 'env: [EVIL]\n'; } | sed 's|^mounts:$|mounts:\n  /host: {host: /, mode: rw}|' > evil.yaml
	"$PTY" -o t.txt wait:'[r] record it again' wait:'> ' type:'r\n' wait:'[w] write' \
		wait:'> ' type:'w\n' -- env -u CI LD_PRELOAD="$SWAP" WT_SWAP_PATH=m.yaml WT_SWAP_LATER=evil.yaml \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}verify_asan_link_order=0" \
		"$W" run --manifest m.yaml raw.wasm read /p/x.txt > out.txt 2>&1 ||
		fail "the re-recording failed: $(cat out.txt t.txt)"
	n=$(grep -c "swap-preload: open [0-9]* of m.yaml" t.txt)
	[ "$n" = 1 ] || fail "m.yaml was opened $n times, want once"
	grep -q 'EVIL\|/host' m.yaml && fail "record --update merged into a manifest read later"
	grep -q "sha256: $(sha256sum raw.wasm | cut -d' ' -f1)" m.yaml || fail "the new pin is not written"
fi
finish

# a project's module: read and hashed once, and the bytes hashed are the bytes that run (or
# are recorded and pinned by trust). The attacker swaps the file for another module right
# after the first read (the hash): the module read runs, the other is never read.
start project_module_hashed_once
cp "$F/cli_tool.wasm" other.wasm && mkdir p && echo secret > p/x.txt
run 0 -- "$W" init
# trust: the module shown (and its sha256) is the one recorded and pinned
SHA=$(sha256sum raw.wasm | cut -d' ' -f1)
swapped 0 raw.wasm other.wasm -- "$W" trust --yes --mount p:/p raw.wasm read /p/x.txt
grep -qx "  sha256: $SHA" wasi-tofu.yaml || fail "trust pinned another module than the one read"
grep -qx 'read /p/x.txt => ok secret.' out.txt || fail "trust did not record the module read"
swapped 0 raw.wasm other.wasm -- "$W" run --mount p:/p raw.wasm read /p/x.txt
grep -qx 'read /p/x.txt => ok secret.' out.txt || fail "the trusted module did not run"
# the project file too is read once: one swapped after the CLI's read, naming another
# manifest that grants a clock, is never read (the run enforces the trusted manifest: 77)
sed 's/manifest: raw.yaml/manifest: evil.yaml/' wasi-tofu.yaml > evil-project.yaml
printf 'version: 1\nmounts:\n  /p: {host: ../../p, mode: ro}\nclocks: [realtime]\nstdio: [stdout]\n' \
	> .wasi-tofu/manifests/evil.yaml
swapped 77 "$PWD/wasi-tofu.yaml" "$PWD/evil-project.yaml" -- "$W" run --mount p:/p raw.wasm clock 0
grep -q 'clock 0 => ok' out.txt && fail "the run enforced a manifest of a project file read later"
# the same file changed before the run: its one hash is not the pin, nothing runs
cp other.wasm raw.wasm
run 77 -- "$W" run --mount p:/p raw.wasm read /p/x.txt
grep -q 'usage: cli_tool' out.txt err.txt && fail "a changed module ran"
finish

[ "$fails" = 0 ] && echo "read_once: all passed" && exit 0
echo "read_once: $fails failures"
exit 1
