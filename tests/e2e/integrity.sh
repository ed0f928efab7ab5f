#!/bin/sh
# integrity.sh: enforcement integrity against a hostile module. The raw-WASI guest rawwasi.wasm
# (fixtures/c/rawwasi.c: one operation per argument group, one result line each) attacks real
# trees holding a secret; each case states the guest's lines and checks the host tree after.
# docs/security.md names each guarantee and its case here.
# usage: integrity.sh WASI-TOFU RAWWASI.wasm CLI_TOOL.wasm SCRATCH-DIR
set -u
W=$1 G=$2 C=$3 T=$4
fails=0
. "$(dirname "$0")/cases.sh"
rm -rf "$T" && mkdir -p "$T" && cd "$T" || exit 1
cp "$G" raw.wasm
SHA=$(sha256sum raw.wasm | cut -d' ' -f1)

# never TEXT: TEXT is in neither out.txt nor err.txt.
never() {
	! grep -qF -- "$1" out.txt err.txt || fail "the module got '$1'"
}

# same FILE TEXT: the host file holds TEXT.
same() {
	[ "$(cat "$1" 2>/dev/null)" = "$2" ] || fail "$1 changed"
}

# links_inside DIR: every symlink below DIR, read by the host, stays below DIR.
links_inside() {
	root=$(realpath "$1")
	find "$1" -type l | while read -r l; do
		case $(realpath -m "$l") in
		"$root" | "$root"/*) ;;
		*) echo "$l -> $(readlink "$l")" ;;
		esac
	done > outside.txt
	[ -s outside.txt ] && fail "links lead out: $(cat outside.txt)"
}

# manifest FILE HOST LINE...: a manifest of raw.wasm (pinned) mounting HOST at /p, writable,
# with stdout and exit code 0, and the LINEs after.
manifest() {
	file=$1 host=$2
	shift 2
	printf 'version: 1\nmodule: {name: raw.wasm, sha256: %s}\nmounts:\n  /p: {host: %s, mode: rw}\n' \
		"$SHA" "$host" > "$file"
	printf 'stdio: [stdout]\nexit_codes: [0]\n' >> "$file"
	printf '%s\n' "$@" >> "$file"
}

# A project with a read-only .git and vendor/lib inside a writable mount.
git_tree() {
	mkdir -p proj/.git proj/vendor/lib
	echo head > proj/.git/HEAD
	echo lib > proj/vendor/lib/x.c
}

start ro_nested_through_a_symlink
git_tree
run 0 -- "$W" run --mount proj:/p --mount proj/.git:/p/.git:ro raw.wasm -- \
	symlink .git /p/g write /p/g/HEAD pwned write /p/.git/HEAD pwned read /p/g/HEAD
says "write /p/g/HEAD pwned => EROFS" "write /p/.git/HEAD pwned => EROFS" "read /p/g/HEAD => ok head."
same proj/.git/HEAD head
finish

start ro_mount_point_and_its_folders_stay
git_tree
run 0 -- "$W" run --mount proj:/p --mount proj/vendor/lib:/p/vendor/lib:ro raw.wasm -- \
	rename /p/vendor /p/v2 write /p/v2/lib/x.c pwned rmdir /p/vendor/lib \
	rename /p/vendor/lib /p/l2 unlink /p/vendor/lib/x.c rename /p/v0 /p/vendor
says "rename /p/vendor /p/v2 => EBUSY" "write /p/v2/lib/x.c pwned => ENOENT" \
	"rmdir /p/vendor/lib => EBUSY" "rename /p/vendor/lib /p/l2 => EBUSY" \
	"unlink /p/vendor/lib/x.c => EROFS"
same proj/vendor/lib/x.c lib
finish

start ro_folder_reached_by_another_name
git_tree
run 0 -- "$W" run --mount proj:/p --mount proj/vendor/lib:/lib:ro raw.wasm -- \
	write /p/vendor/lib/x.c pwned symlink vendor/lib /p/vl write /p/vl/new pwned \
	rename /p/vendor /p/v3 read /p/vendor/lib/x.c
says "write /p/vendor/lib/x.c pwned => EROFS" "write /p/vl/new pwned => EROFS" \
	"rename /p/vendor /p/v3 => EBUSY" "read /p/vendor/lib/x.c => ok lib."
same proj/vendor/lib/x.c lib
[ -e proj/vendor/lib/new ] && fail "a file was made in the read-only folder"
finish

start one_folder_read_only_and_writable_is_refused
git_tree
run 64 -- "$W" run --mount proj:/a --mount proj:/b:ro raw.wasm -- write /a/x y
errs "same host folder"
finish

start contained_apply_keeps_read_only
git_tree
run 0 -- "$W" record --contain --apply -o m.yaml --mount proj:/p \
	--mount proj/.git:/p/.git:ro --mount proj/vendor/lib:/p/vendor/lib:ro raw.wasm -- \
	symlink .git /p/g write /p/g/HEAD pwned rename /p/vendor /p/v2 write /p/v2/lib/x.c pwned
says "write /p/g/HEAD pwned => EROFS" "rename /p/vendor /p/v2 => EBUSY"
same proj/.git/HEAD head
same proj/vendor/lib/x.c lib
finish

start contained_set_times_listed_and_applied
mkdir -p proj/d
echo same > proj/f
run 0 -- "$W" record --contain --discard -o m.yaml --mount proj:/p raw.wasm -- settimes /p/f
errs "set-times /p/f"
[ "$(stat -c %Y proj/f)" = 0 ] && fail "the host file's times changed without --apply"
run 0 -- "$W" record --contain --apply -o m.yaml --mount proj:/p raw.wasm -- \
	settimes /p/f settimes /p/d
errs "set-times /p/f" "set-times /p/d"
[ "$(stat -c %Y proj/f)" = 0 ] || fail "--apply did not set the times of /p/f"
[ "$(stat -c %Y proj/d)" = 0 ] || fail "--apply did not set the times of /p/d"
same proj/f same
finish

start link_texts_stay_inside_for_every_resolver
mkdir -p proj/sub/deep outside
echo secret > outside/secret.txt
ln -s "$T/$case/outside" proj/userlink
run 0 -- "$W" run --mount proj:/p raw.wasm -- \
	symlink . /p/d symlink d/../outside/secret.txt /p/e \
	symlink d/d/d/d/d/d/d/d/d/d/../../../../../../../../../../etc/passwd /p/pw \
	symlink sub/../x /p/mid symlink ../x /p/up symlink userlink/secret.txt /p/viauser \
	symlink ../../x /p/sub/deep/ok symlink ../x /p/sub/fine \
	rename /p/sub/fine /p/fine2 link /p/sub/fine /p/fine3 \
	mkdir /p/a mkdir /p/a/b symlink ../../x /p/a/b/l rename /p/a/b /p/b
says "symlink d/../outside/secret.txt /p/e => ENOTCAPABLE" \
	"symlink d/d/d/d/d/d/d/d/d/d/../../../../../../../../../../etc/passwd /p/pw => ENOTCAPABLE" \
	"symlink sub/../x /p/mid => ENOTCAPABLE" "symlink ../x /p/up => ENOTCAPABLE" \
	"symlink userlink/secret.txt /p/viauser => ENOTCAPABLE" \
	"symlink ../../x /p/sub/deep/ok => ok" "rename /p/sub/fine /p/fine2 => ENOTCAPABLE" \
	"link /p/sub/fine /p/fine3 => ENOTCAPABLE" "symlink ../../x /p/a/b/l => ok" \
	"rename /p/a/b /p/b => ENOTCAPABLE"
rm proj/userlink
links_inside proj
finish

# A build's manifest: everything readable, secrets.env and src/ denied, out/ writable.
objects_manifest() {
	mkdir -p proj/src proj/out
	echo KEY=secret > proj/secrets.env
	echo source > proj/src/a.c
	manifest m.yaml proj "files:" \
		'  - {path: "/p/**", allow: [read, stat, list]}' \
		'  - {path: "/p/out/**", allow: [create, write, truncate, symlink, link, rename, delete]}' \
		"deny:" "  - {path: /p/secrets.env, allow: [read]}" \
		'  - {path: "/p/src/**", allow: [write, create, delete, rename, link]}'
}

start manifest_decides_on_the_object_not_the_name
objects_manifest
run 77 -- "$W" run --manifest m.yaml raw.wasm -- symlink ../secrets.env /p/out/l1 read /p/out/l1
errs "/p/secrets.env wants [read]"
never KEY=secret
run 77 -- "$W" run --manifest m.yaml raw.wasm -- symlink ../src/a.c /p/out/l2 write /p/out/l2 pwned
errs "/p/src/a.c wants [write"
same proj/src/a.c source
ln -s ../secrets.env proj/out/pre
ln -s ../src proj/out/srcdir
run 77 -- "$W" run --manifest m.yaml raw.wasm -- read /p/out/pre
never KEY=secret
run 77 -- "$W" run --manifest m.yaml raw.wasm -- linkf /p/out/pre /p/out/hard read /p/out/hard
never KEY=secret
[ -e proj/out/hard ] && fail "a hard link to the secret was made"
run 77 -- "$W" run --manifest m.yaml raw.wasm -- rename /p/out/srcdir/a.c /p/out/stolen
same proj/src/a.c source
run 77 -- "$W" run --manifest m.yaml raw.wasm -- write /p/out/srcdir/b.c new
[ -e proj/src/b.c ] && fail "a file was made in src/"
run 0 -- "$W" run --manifest m.yaml raw.wasm -- write /p/out/ok.txt fine read /p/src/a.c
says "read /p/src/a.c => ok source."
finish

start stdio_rights_follow_the_open_file
mkdir proj
manifest m.yaml proj "files:" "  - {path: /p/f, allow: [read]}"
touch proj/f
# fd 5 is the run's stderr after the renumber: writing it is the module's own output
run 0 -- "$W" run --manifest m.yaml raw.wasm -- open /p/f renumber 2 5 fdwrite 5 leaked
errs "leaked"
same proj/f ""
echo typed > in.txt
run 77 -- "$W" run --manifest m.yaml raw.wasm -- open /p/f renumber 0 5 fdread 5 < in.txt
errs "stdio stdin"
never typed
finish

start poll_reveals_no_clock_not_granted
mkdir proj
manifest m.yaml proj "clocks: []"
run 77 -- "$W" run --manifest m.yaml raw.wasm -- pollabs 0 1
errs "clock realtime"
run 77 -- "$W" run --manifest m.yaml raw.wasm -- pollabs 1 1
errs "clock monotonic"
run 0 -- "$W" run --manifest m.yaml raw.wasm -- pollrel 0 1000 pollrel 1 1000
says "pollrel 0 1000 => ok events 1" "pollrel 1 1000 => ok events 1"
finish

start policy_files_out_of_the_modules_reach
mkdir -p proj/ci
echo all: > proj/Makefile
manifest proj/ci/tool.manifest.yaml .. "files:" \
	'  - {path: "/p/**", allow: [read, stat, list, create, write, truncate, delete, rename, symlink, link]}'
M=proj/ci/tool.manifest.yaml
run 0 -- "$W" run --manifest $M raw.wasm -- \
	write /p/ci/tool.override.yaml pwned write /p/ci/tool.manifest.yaml pwned \
	read /p/ci/tool.manifest.yaml ls /p/ci rename /p/ci /p/ci2 rmdir /p/ci \
	symlink ci/tool.manifest.yaml /p/l read /p/l link /p/ci/tool.manifest.yaml /p/h \
	rename /p/Makefile /p/ci/tool.override.yaml
says "write /p/ci/tool.override.yaml pwned => EACCES" \
	"write /p/ci/tool.manifest.yaml pwned => EACCES" "read /p/ci/tool.manifest.yaml => ENOENT" \
	"ls /p/ci => ok . .." "rename /p/ci /p/ci2 => EBUSY" "rmdir /p/ci => EBUSY" \
	"read /p/l => ENOENT" "link /p/ci/tool.manifest.yaml /p/h => ENOENT" \
	"rename /p/Makefile /p/ci/tool.override.yaml => EACCES"
[ -e proj/ci/tool.override.yaml ] && fail "an override file was made"
grep -q pwned $M && fail "the manifest was changed"
same proj/Makefile all:
# record: the journal, the manifest to be and its override are out of reach too
run 0 -- "$W" record --mount proj:/p -o proj/ci/r.yaml --journal proj/ci/r.jsonl raw.wasm -- \
	write /p/ci/r.jsonl forged read /p/ci/r.jsonl write /p/ci/r.yaml forged \
	write /p/ci/r.override.yaml forged ls /p/ci
says "write /p/ci/r.jsonl forged => EACCES" "read /p/ci/r.jsonl => ENOENT" \
	"write /p/ci/r.yaml forged => EACCES" "write /p/ci/r.override.yaml forged => EACCES"
[ -e proj/ci/r.override.yaml ] && fail "an override file was made"
"$W" journal show proj/ci/r.jsonl > show.txt 2>&1 || fail "journal show: $(cat show.txt)"
finish

# A wasi-libc program names /dev/urandom with only /db mounted: the synthetic root answers it,
# not the mount (db/dev/urandom is never read through the cwd preopen).
start absolute_path_outside_every_mount_reaches_none
mkdir -p db/dev
echo zeros > db/dev/urandom
cp "$C" tool.wasm
run 1 -- "$W" run --mount db:/db tool.wasm -- cat /dev/urandom
never zeros
errs "/dev/urandom: No such file or directory"
run 1 -- "$W" record -o m.yaml --mount db:/db tool.wasm -- cat /dev/urandom
never zeros
grep -q '"path":"/dev/urandom"' m.journal.jsonl || fail "the journal does not name /dev/urandom"
grep -q 'db/dev' m.journal.jsonl && fail "the journal names db/dev"
run 0 -- "$W" run --mount db:/db tool.wasm -- cat /db/dev/urandom
says zeros
finish

if [ "$fails" -ne 0 ]; then
	echo "integrity: $fails failures"
	exit 1
fi
echo "integrity: every attack was stopped"
