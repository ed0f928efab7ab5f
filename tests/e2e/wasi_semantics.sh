#!/bin/sh
# wasi_semantics.sh: the WASI host answers as the preview1 specification and Linux do, through the
# CLI with the raw-WASI guest rawwasi.wasm (fixtures/c/rawwasi.c): `..` above a folder fd, a folder
# opened for writing, a hard link's new name with a slash, proc_raise.
# usage: wasi_semantics.sh WASI-TOFU RAWWASI.wasm SCRATCH-DIR
set -u
W=$1 G=$2 T=$3
fails=0
rm -rf "$T" && mkdir -p "$T/p/d" "$T/p/sub" && cd "$T" || exit 1
echo top > p/f

fail() {
	echo "FAIL $*"
	fails=$((fails + 1))
}

# expect STATUS LINE... -- OPERATIONS...: runs the guest on /p, checks status and lines.
expect() {
	want=$1
	shift
	lines=""
	while [ "$1" != "--" ]; do
		lines="$lines$1
"
		shift
	done
	shift
	"$W" run --mount p:/p "$G" -- "$@" > out.txt 2> err.txt
	got=$?
	[ "$got" = "$want" ] || fail "$*: status $got, want $want: $(cat err.txt)"
	printf '%s' "$lines" | while IFS= read -r l; do
		grep -qxF -- "$l" out.txt || echo "$l"
	done > missing.txt
	[ -s missing.txt ] && fail "$*: lacks $(cat missing.txt) in: $(cat out.txt)"
	return 0
}

# A folder fd is a capability for what lies below it (fd 5: the folder /p/sub opened first).
expect 0 "read @5/../f => ENOTCAPABLE" "read @5/x/../../f => ENOTCAPABLE" \
	"read @3/sub/../f => ok top." -- open /p/sub read @5/../f read @5/x/../../f read @3/sub/../f
# O_DIRECTORY with the fd_write right: a folder is not written to.
expect 0 "opendirw /p/d => EISDIR" -- opendirw /p/d
# path_link to a name with a trailing slash: ENOENT when free, EEXIST when taken, EPERM for a folder.
expect 0 "link /p/f /p/new/ => ENOENT" "link /p/f /p/d/ => EEXIST" "link /p/d /p/x/ => EPERM" -- \
	link /p/f /p/new/ link /p/f /p/d/ link /p/d /p/x/
[ -e p/new ] && fail "link made p/new"
# proc_raise: a terminating signal ends the run (128+N), one ignored by default does nothing,
# a stop signal and signal 0 are ENOSYS.
expect 0 "raise 16 => ok" "raise 22 => ok" "raise 19 => ENOSYS" "raise 0 => ENOSYS" -- \
	raise 16 raise 22 raise 19 raise 0
expect 134 -- raise 6
grep -qF "terminated by a signal: SIGABRT (proc_raise)" err.txt || fail "raise 6: $(cat err.txt)"
expect 143 -- raise 15
grep -qF "SIGTERM" err.txt || fail "raise 15: $(cat err.txt)"

[ "$fails" -eq 0 ] && echo "wasi_semantics: every answer as specified"
[ "$fails" -eq 0 ]
