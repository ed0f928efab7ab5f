#!/usr/bin/env bash
# programs.sh: real programs end to end: the SQLite shell building and querying a database, the
# Lua interpreter running a script, and Yosys (the npm @yowasp/yosys WASI build) synthesising a
# design. Each runs natively (when a native build of the same source is possible), under node's
# WASI and under wasi-tofu (each --tier given); their outputs must agree; times are printed with
# ratios, all measured in this run, one program at a time. Each cell shows wall and CPU seconds
# (bench-timer -c): on a machine shared with other work, CPU time is the steadier of the two.
#
# Usage: tests/bench/programs.sh [BUILD_DIR] [--tier T]... [--runs N] [--only P1,P2]
#                                [--timeout S] [--quick] [--curve N] [--code-cache DIR]
#   BUILD_DIR   a CMake build folder (default build): BUILD_DIR/cmd/wasi-tofu is used, the
#               `bench` target (bench-timer) is built, downloads and builds are cached in
#               BUILD_DIR/bench/programs/
#   --tier T    run wasi-tofu with `--tier T` (repeatable; without it: one column, the default);
#               jit and auto (the default) get one untimed run first, which fills the code
#               cache of this run (the timed runs are what a repeated build step costs)
#   --runs N    runs per cell, the best is kept (default 3; a cell whose first run takes over
#               60 s runs once)
#   --only L    only these programs (comma-separated: sqlite, lua, yosys)
#   --timeout S a run taking longer is killed and reported (default 600)
#   --quick     smaller inputs (a smoke test of the pipeline, not a measurement)
#   --curve N   the auto tier's convergence: N runs in a row from an empty code cache, each one
#               printed (wall and CPU s, the tier-up line of WT_JIT_STATS=1, and what the compile
#               child made: functions and batches, and its regroup lines); its cell is the last
#               run's
#   --code-cache DIR  the jit tier's code cache (and the secret its pieces are signed with) is in
#               DIR, kept across invocations (its fill run
#               then finds it full): Yosys's whole module takes about an hour of GCC to fill,
#               which can be paid once, ahead of a measurement on a quiet machine (a cache
#               holds the code of one wasi-tofu binary: keep using the same WASI_TOFU)
# Environment: WASI_TOFU=PATH uses that binary.
#
# Sources: the SQLite and Lua sources are Debian's .orig tarballs (deb.debian.org, sha256
# checked), built with clang --target=wasm32-wasi and Debian's wasi-libc (small shims in
# programs/wasi-shim/ stand in for what WASI lacks) and natively with gcc -O2; Yosys is the npm
# package (npm pack; its data tree written out by programs/yowasp-share.mjs). Without network or
# a tool, a program prints "skipped: why" and the others go on. Nothing here is a test.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="" runs=3 only="" limit=600 quick=0 curve=0 codecache=""
tiers=()
while (($#)); do
	case $1 in
	--tier) tiers+=("$2"); shift ;;
	--runs) runs=$2; shift ;;
	--only) only=",$2,"; shift ;;
	--timeout) limit=$2; shift ;;
	--quick) quick=1 ;;
	--curve) curve=$2; shift ;;
	--code-cache) codecache=$2; shift ;;
	-h | --help) sed -n '2,34p' "$0"; exit 0 ;;
	-*) echo "programs.sh: unknown option $1" >&2; exit 64 ;;
	*) build=$1 ;;
	esac
	shift
done
build=$(cd "${build:-$root/build}" 2>/dev/null && pwd) || {
	echo "programs.sh: no build folder; configure one first: cmake -S $root -B $root/build" >&2
	exit 66
}
cache=$build/bench/programs
mkdir -p "$cache/dl"
work=$(mktemp -d /tmp/wt-programs.XXXXXX)
trap 'rm -rf "$work"' EXIT
# the compiling tier's code cache: the run's own, never the user's
export XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state
if [[ -n $codecache ]]; then
	mkdir -p -m 700 "$codecache" && codecache=$(cd "$codecache" && pwd) || exit 73
fi
shim=$here/programs/wasi-shim

if ! cmake --build "$build" --target wt_bench_timer -j2 >"$work/build.log" 2>&1; then
	tail -5 "$work/build.log"
	echo "programs.sh: could not build bench-timer" >&2
	exit 70
fi
timer=$build/bench/bench-timer
wt=${WASI_TOFU:-$build/cmd/wasi-tofu}

# ---- sources ----
SQLITE_URL=http://deb.debian.org/debian/pool/main/s/sqlite3/sqlite3_3.40.1.orig.tar.xz
SQLITE_SHA=aaa776260ab4dc976db34aa7891819484c8676b5b2783123ebc6301e2ca5d655
LUA_URL=http://deb.debian.org/debian/pool/main/l/lua5.4/lua5.4_5.4.4.orig.tar.gz
LUA_SHA=164c7849653b80ae67bec4b7473b884bf5cc8d2dca05653475ec2ed27b9ebf61
YOSYS_PKG=@yowasp/yosys@0.55.944
YOSYS_TGZ=yowasp-yosys-0.55.944.tgz
YOSYS_SHA=4a13ffd784017a076f84a3d4a4149e5c63c37ec66313ed9343a5346e1f5010e8

WASM_CC=(clang --target=wasm32-wasi -O2 -w -Wl,-z,stack-size=1048576)

# fetch URL SHA256 -> the cached file's path on stdout, or a reason on stderr (status 1).
fetch() {
	local url=$1 sha=$2 file=$cache/dl/${1##*/}
	if [[ ! -f $file ]]; then
		curl -sSfL --max-time 300 -o "$file.part" "$url" 2>"$work/curl.err" || {
			echo "cannot download $url: $(head -c 200 "$work/curl.err")" >&2
			rm -f "$file.part"
			return 1
		}
		mv "$file.part" "$file"
	fi
	if [[ $(sha256sum "$file" | cut -d' ' -f1) != "$sha" ]]; then
		echo "$file: sha256 differs from the pinned one" >&2
		rm -f "$file"
		return 1
	fi
	echo "$file"
}

need() {
	local t
	for t in "$@"; do command -v "$t" >/dev/null || { echo "needs $t" >&2; return 1; }; done
}

# build_sqlite -> $cache/sqlite/{sqlite3.wasm,sqlite3.native}
build_sqlite() {
	local d=$cache/sqlite
	[[ -f $d/sqlite3.wasm && -f $d/sqlite3.native ]] && return 0
	need clang gcc tclsh make || return 1
	local tar; tar=$(fetch "$SQLITE_URL" "$SQLITE_SHA") || return 1
	echo "== building SQLite 3.40.1 (the amalgamation, then native and wasm32-wasi; minutes)"
	rm -rf "$d" && mkdir -p "$d/src" && tar xJf "$tar" -C "$d/src" --strip-components=1 || return 1
	mkdir -p "$d/src/bld"
	(cd "$d/src/bld" && ../configure --disable-tcl && make sqlite3.c shell.c) >"$d/build.log" 2>&1 || {
		echo "the amalgamation did not build (see $d/build.log)" >&2
		return 1
	}
	local defs=(-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL
		'-DSQLITE_DEFAULT_UNIX_VFS="unix-none"')
	local wasi=(-I"$shim" -include "$shim/sqlite_wasi.h" -DSQLITE_NOHAVE_SYSTEM
		-D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_MMAN
		-D_WASI_EMULATED_GETPID)
	local s=$d/src/bld
	gcc -O2 -w "${defs[@]}" "$s/shell.c" "$s/sqlite3.c" -o "$d/sqlite3.native" -lm \
		>>"$d/build.log" 2>&1 || { echo "native build failed (see $d/build.log)" >&2; return 1; }
	"${WASM_CC[@]}" "${defs[@]}" "${wasi[@]}" "$s/shell.c" "$s/sqlite3.c" "$shim/sqlite_wasi.c" \
		-o "$d/sqlite3.wasm" -lwasi-emulated-signal -lwasi-emulated-process-clocks \
		-lwasi-emulated-mman -lwasi-emulated-getpid >>"$d/build.log" 2>&1 || {
		echo "wasm32-wasi build failed (see $d/build.log)" >&2
		return 1
	}
}

# build_lua -> $cache/lua/{lua.wasm,lua.native}. WASI has no setjmp: Lua's error throw becomes
# abort() (the benchmark script raises no error).
build_lua() {
	local d=$cache/lua
	[[ -f $d/lua.wasm && -f $d/lua.native ]] && return 0
	need clang gcc || return 1
	local tar; tar=$(fetch "$LUA_URL" "$LUA_SHA") || return 1
	echo "== building Lua 5.4.4 (native and wasm32-wasi)"
	rm -rf "$d" && mkdir -p "$d/src" && tar xzf "$tar" -C "$d/src" --strip-components=1 || return 1
	local srcs=()
	local f
	for f in "$d"/src/src/*.c; do [[ $f == */luac.c ]] || srcs+=("$f"); done
	gcc -O2 -w -DLUA_USE_POSIX "${srcs[@]}" -o "$d/lua.native" -lm >"$d/build.log" 2>&1 || {
		echo "native build failed (see $d/build.log)" >&2
		return 1
	}
	"${WASM_CC[@]}" -I"$shim" '-DLUAI_THROW(L,c)=abort()' '-DLUAI_TRY(L,c,a)=if (1) { a }' \
		-Dluai_jmpbuf=int '-Dlua_tmpnam(b,e)={ e = 1; }' -DLUA_TMPNAMBUFSIZE=32 \
		-D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_SIGNAL "${srcs[@]}" \
		"$shim/lua_wasi_stubs.c" -o "$d/lua.wasm" -lwasi-emulated-process-clocks \
		-lwasi-emulated-signal >>"$d/build.log" 2>&1 || {
		echo "wasm32-wasi build failed (see $d/build.log)" >&2
		return 1
	}
}

# get_yosys -> $cache/yosys/{yosys.wasm,root/share}
get_yosys() {
	local d=$cache/yosys
	[[ -f $d/yosys.wasm && -d $d/root/share ]] && return 0
	need npm node || return 1
	if [[ ! -f $cache/dl/$YOSYS_TGZ ]]; then
		echo "== fetching $YOSYS_PKG from npm (9 MB)"
		(cd "$cache/dl" && npm pack --silent "$YOSYS_PKG") >"$work/npm.log" 2>&1 || {
			echo "npm pack $YOSYS_PKG failed: $(tail -c 200 "$work/npm.log")" >&2
			return 1
		}
	fi
	[[ $(sha256sum "$cache/dl/$YOSYS_TGZ" | cut -d' ' -f1) == "$YOSYS_SHA" ]] || {
		echo "$YOSYS_TGZ: sha256 differs from the pinned one" >&2
		rm -f "$cache/dl/$YOSYS_TGZ"
		return 1
	}
	rm -rf "$d" && mkdir -p "$d/pkg" && tar xzf "$cache/dl/$YOSYS_TGZ" -C "$d/pkg" || return 1
	node --no-warnings "$here/programs/yowasp-share.mjs" "$d/pkg/package/gen/resources-yosys.js" \
		"$d/root" || { echo "could not write the package's data tree" >&2; return 1; }
	ln -sf pkg/package/gen/yosys.core.wasm "$d/yosys.wasm"
}

# ---- engines ----
engines=(native)
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((node_major >= 20)); then engines+=(node); else echo "node: not found or older than 20: skipped"; fi
if [[ -x $wt ]]; then
	if ((${#tiers[@]})); then
		for t in "${tiers[@]}"; do engines+=("wasi-tofu:$t"); done
	else
		engines+=(wasi-tofu)
	fi
else
	echo "wasi-tofu: not built ($wt missing): its column is skipped"
fi

# engine_cmd ENGINE MODULE NATIVE MOUNTS(name of an array of HOST:GUEST) ARGS... -> cmd=(...)
# Native runs see the host folders: each GUEST prefix in ARGS is replaced by its HOST.
engine_cmd() {
	local e=$1 wasm=$2 native=$3
	local -n mounts=$4
	shift 4
	local args=("$@") m mopts=()
	for m in "${mounts[@]}"; do mopts+=(--mount "$m"); done
	case $e in
	native)
		for m in "${mounts[@]}"; do args=("${args[@]//${m##*:}/${m%:*}}"); done
		cmd=("$native" "${args[@]}") ;;
	node) cmd=(node --no-warnings "$here/node-wasi.mjs" "${mopts[@]}" "$wasm" "${args[@]}") ;;
	wasi-tofu) cmd=("$wt" run "${mopts[@]}" "$wasm" "${args[@]}") ;;
	wasi-tofu:*) cmd=("$wt" run --tier "${e#wasi-tofu:}" "${mopts[@]}" "$wasm" "${args[@]}") ;;
	esac
}

# measure ENGINE PREP RESULT -> mres: "WALL CPU" (seconds; the best run of each), or
# "FAIL why" / "SKIP why". Uses cmd_for (a function setting cmd for the engine); PREP resets the
# data before each run; RESULT prints what must agree (stdout plus any result file).
measure() {
	local e=$1 prep=$2 result=$3 best="" bcpu="" i t r s c
	local -x XDG_CACHE_HOME=$XDG_CACHE_HOME
	local -x XDG_STATE_HOME=$XDG_STATE_HOME
	if [[ $e == wasi-tofu:jit && -n $codecache ]]; then
		XDG_CACHE_HOME=$codecache/cache XDG_STATE_HOME=$codecache/state
	fi
	skip_why=""
	cmd_for "$e" || { mres="SKIP ${skip_why:-no build}"; return; }
	if ((curve > 0)) && [[ $e == wasi-tofu:auto ]]; then
		measure_curve "$e" "$prep" "$result"
		return
	fi
	# the tiers with a code cache: one untimed run fills it (jit: the whole module; auto: what
	# turned hot), the timed runs show a later run, the one a build repeats
	case $e in
	wasi-tofu:jit | wasi-tofu:auto | wasi-tofu)
		$prep
		"$timer" -c -t "$limit" "$work/report" "${cmd[@]}" >/dev/null 2>&1 </dev/null ;;
	esac
	for ((i = 0; i < runs; i++)); do
		$prep
		"$timer" -c -t "$limit" "$work/report" "${cmd[@]}" >"$work/out" 2>"$work/err" </dev/null
		read -r t r s c <"$work/report"
		if ((s != 0)); then
			local why="exit $s"; ((s == 124)) && why="timeout ${limit}s"
			mres="FAIL $why: $(tail -c 160 "$work/err" | tr '\n' ' ')"
			return
		fi
		$result >"$work/result.$e"
		if [[ -z ${reference:-} ]]; then
			reference=$e
		elif ! cmp -s "$work/result.$reference" "$work/result.$e"; then
			mres="FAIL output differs from $reference: $(diff "$work/result.$reference" \
				"$work/result.$e" | sed -n 2p | head -c 120)"
			return
		fi
		if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
		if [[ -z $bcpu ]] || awk "BEGIN{exit !($c < $bcpu)}"; then bcpu=$c; fi
		awk "BEGIN{exit !($t > 60)}" && break
	done
	mres="$best $bcpu"
}

# measure_curve ENGINE PREP RESULT: the auto tier run $curve times from an empty code cache, each
# run printed with the tier-up line (WT_JIT_STATS=1); mres as measure's, from the last run.
measure_curve() {
	local e=$1 prep=$2 result=$3 i t r s c line made
	rm -rf "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
	echo "  $e, $curve runs from an empty code cache:"
	for ((i = 1; i <= curve; i++)); do
		$prep
		WT_JIT_STATS=1 "$timer" -c -t "$limit" "$work/report" "${cmd[@]}" >"$work/out" \
			2>"$work/err" </dev/null
		read -r t r s c <"$work/report"
		if ((s != 0)); then
			mres="FAIL exit $s: $(tail -c 160 "$work/err" | tr '\n' ' ')"
			return
		fi
		$result >"$work/result.$e"
		if [[ -n ${reference:-} ]] && ! cmp -s "$work/result.$reference" "$work/result.$e"; then
			mres="FAIL run $i: output differs from $reference"
			return
		fi
		line=$(sed -n 's/^wasi-tofu: tier-up: \([0-9].*\)/\1/p' "$work/err" | tail -1)
		made=$(awk '/^wasi-tofu: tier-up: child: /{n += $4; b++} END{printf "%d in %d", n, b}' \
			"$work/err")
		printf '    run %d %8.2f s wall %8.2f s CPU   %s; the child compiled %s batches\n' \
			"$i" "$t" "$c" "$line" "$made"
		sed -n 's/^wasi-tofu: tier-up: \(regroup: .*\)/          \1/p' "$work/err"
	done
	mres="$t $c"
}

# ratio A B -> "A/B" with two decimals
ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }

# table NAME: measures every engine for the program whose cmd_for/prep/result are set; prints
# one line per engine: wall and CPU seconds, and both ratios to native and to node.
table() {
	local name=$1 e w c nat=() nod=()
	reference=""
	echo "$name"
	for e in "${engines[@]}"; do
		measure "$e" prep result
		printf '  %-18s' "$e"
		case $mres in
		FAIL* | SKIP*) echo "$mres"; continue ;;
		esac
		read -r w c <<<"$mres"
		printf '%8.2f s wall %8.2f s CPU' "$w" "$c"
		[[ $e == native ]] && nat=("$w" "$c")
		[[ $e == node ]] && nod=("$w" "$c")
		((${#nat[@]})) && [[ $e != native ]] &&
			printf '   %sx native (CPU %sx)' "$(ratio "$w" "${nat[0]}")" "$(ratio "$c" "${nat[1]}")"
		((${#nod[@]})) && [[ $e != native && $e != node ]] &&
			printf '   %sx node (CPU %sx)' "$(ratio "$w" "${nod[0]}")" "$(ratio "$c" "${nod[1]}")"
		printf '\n'
	done
	[[ -n $reference ]] && echo "  outputs agree with $reference's ($(wc -c <"$work/result.$reference") bytes)"
}

wanted() { [[ -z $only || $only == *",$1,"* ]]; }
data=$work/data

# ---- SQLite ----
if wanted sqlite; then
	if why=$(build_sqlite 2>&1 >/dev/null); then
		rows=200000; ((quick)) && rows=5000
		mounts_sql=("$data:/data")
		prep() { rm -rf "$data"; mkdir -p "$data"; sed "s/< 200000/< $rows/" "$here/programs/bench.sql" >"$data/bench.sql"; }
		result() { cat "$work/out"; }
		cmd_for() {
			[[ $1 == native && ! -x $cache/sqlite/sqlite3.native ]] && return 1
			engine_cmd "$1" "$cache/sqlite/sqlite3.wasm" "$cache/sqlite/sqlite3.native" mounts_sql \
				/data/bench.db ".read /data/bench.sql"
		}
		table "sqlite"
	else
		echo "sqlite: skipped: $why"
	fi
fi

# ---- Lua ----
if wanted lua; then
	if why=$(build_lua 2>&1 >/dev/null); then
		n=300000; ((quick)) && n=10000
		mounts_lua=("$data:/data")
		prep() { rm -rf "$data"; mkdir -p "$data"; cp "$here/programs/bench.lua" "$data/"; }
		result() { cat "$work/out"; }
		cmd_for() {
			engine_cmd "$1" "$cache/lua/lua.wasm" "$cache/lua/lua.native" mounts_lua /data/bench.lua "$n"
		}
		table "lua"
	else
		echo "lua: skipped: $why"
	fi
fi

# ---- Yosys (no native column: Debian's yosys is another version, its output differs) ----
if wanted yosys; then
	if why=$(get_yosys 2>&1 >/dev/null); then
		mounts_ys=("$data:/data" "$cache/yosys/root/share:/share" "$work/tmp:/tmp")
		prep() {
			rm -rf "$data" "$work/tmp"; mkdir -p "$data" "$work/tmp"
			cp "$here/programs/design.v" "$data/"
		}
		result() { cat "$work/out" "$data/stat.txt"; }
		cmd_for() {
			if [[ $1 == native ]]; then skip_why="no native build of the same version"; return 1; fi
			local top=top; ((quick)) && top=alu
			engine_cmd "$1" "$cache/yosys/yosys.wasm" "" mounts_ys -q -p "synth_ice40 -top $top" \
				-p 'tee -q -o /data/stat.txt stat' /data/design.v
		}
		table "yosys"
	else
		echo "yosys: skipped: $why"
	fi
fi
