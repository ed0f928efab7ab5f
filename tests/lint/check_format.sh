#!/usr/bin/env bash
# check_format.sh: the C sources follow the committed .clang-format.
# usage: check_format.sh SOURCE_DIR CLANG_FORMAT
set -euo pipefail
cd "$1"
mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find cmd core profiler manifest tests fixtures -name '*.[ch]')
if ! out=$("$2" --dry-run --Werror "${files[@]}" 2>&1); then
	printf '%s\n' "$out" | grep -E '^[^ ].*: (warning|error):' | head -20
	echo "format: some files differ from .clang-format; run: clang-format -i FILE..."
	exit 1
fi
echo "format: ${#files[@]} C files follow .clang-format"
