#!/usr/bin/env bash
# minimal_env.sh DIR [PROGRAM...]: sets up in DIR a PATH and a pkg-config search path that hold
# what a machine with only the runtime packages has: every program of the PATH but clang, LLVM,
# lld and wabt (wat2wasm, wast2json) and the PROGRAMs, and every pkg-config module but cmocka.
# Prints the two variables, to be given to env(1): PATH=... PKG_CONFIG_LIBDIR=...
set -euo pipefail

dir=$1
shift
also_hidden=" $* "
rm -rf "$dir"
mkdir -p "$dir/bin" "$dir/pkgconfig"
hidden() {
	case "$1" in
	clang* | *-clang* | llvm* | lld* | ld.lld* | wasm-ld* | wat2wasm | wast2json | wasm2* | wasm-* | wabt*) return 0 ;;
	*) [[ $also_hidden == *" $1 "* ]] ;;
	esac
}
IFS=: read -ra path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
	[ -d "$d" ] || continue
	for f in "$d"/*; do
		name=${f##*/}
		[ -x "$f" ] && [ ! -e "$dir/bin/$name" ] && ! hidden "$name" && ln -s "$f" "$dir/bin/$name"
	done
done
IFS=: read -ra pc_dirs <<<"$(pkg-config --variable pc_path pkg-config)"
for d in "${pc_dirs[@]}"; do
	[ -d "$d" ] || continue
	for f in "$d"/*.pc; do
		name=${f##*/}
		[ "$name" != cmocka.pc ] && [ ! -e "$dir/pkgconfig/$name" ] && ln -s "$f" "$dir/pkgconfig/$name"
	done
done
printf 'PATH=%s PKG_CONFIG_LIBDIR=%s\n' "$dir/bin" "$dir/pkgconfig"
