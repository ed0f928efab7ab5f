# help_lib.sh: sourced by the dist tests that check something against the CLI's --help.
# Needs $test (the test's name) and $cli; gives fail MESSAGE (counted in $fails, the test
# goes on), $tmp (a scratch folder removed at exit) and $tmp/help (dist/help_options.sh's table).
fails=0
fail() { printf '%s: FAILED: %s\n' "$test" "$*" >&2; fails=$((fails + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$(dirname "${BASH_SOURCE[0]}")/../../dist/help_options.sh" "$cli" >"$tmp/help"
