#!/usr/bin/env bash
# completion_test.sh CLI COMPLETIONS-DIR [ZSH]: the generated completions offer every subcommand
# and every option `wasi-tofu SUB --help` prints (bash, driven as bash drives it: COMP_WORDS,
# COMP_CWORD, COMPREPLY), the choices an option's help spells, `journal show`, and files for
# an option's value; each name typed whole closed by TAB in an interactive bash; the zsh one the
# same command lines, completed by an interactive zsh in a pseudo-terminal
# (tests/dist/shell_complete.zsh: compinit, the TAB key, the matches as compadd gets them).
set -euo pipefail

cli=$1
dir=$(cd "$2" && pwd)
zsh=${3:-}
test=completion_test
# shellcheck source=tests/dist/help_lib.sh
source "$(dirname "$0")/help_lib.sh"
# shellcheck source=/dev/null
source "$dir/wasi-tofu.bash"
grep -q _wasi_tofu <<<"$(complete -p wasi-tofu)" || fail "the bash file does not register _wasi_tofu"
# offers WORD... -- EXPECTED: completes the command line WORD... (the last one is the word under
# the cursor) and checks EXPECTED is among the answers.
offers() {
	local words=() expected
	while [ "$1" != -- ]; do words+=("$1"); shift; done
	expected=$2
	COMP_WORDS=(wasi-tofu "${words[@]}")
	COMP_CWORD=${#words[@]}
	COMPREPLY=()
	_wasi_tofu
	local answers
	answers=$(printf '%s\n' "${COMPREPLY[@]}") # not piped into grep -q: pipefail and SIGPIPE
	grep -qxF -- "$expected" <<<"$answers" ||
		fail "wasi-tofu ${words[*]}<TAB> does not offer $expected (offers: ${COMPREPLY[*]})"
}
n=0
while IFS=$'\t' read -r kind a b _; do
	case $kind in
	command) offers "${a:0:2}" -- "$a" ;;
	word) offers "$a" "" -- "$b" ;;
	option)
		if [ "$a" = - ]; then offers "${b:0:3}" -- "$b"; else offers "$a" "${b:0:3}" -- "$b"; fi ;;
	esac
	n=$((n + 1))
done <"$tmp/help"
[ "$n" -gt 20 ] || fail "only $n subcommands, words and options in the help"
offers generate --granularity "" -- tree
offers generate x.jsonl --granularity d -- dir
mkdir "$tmp/cwd" && touch "$tmp/cwd/build.manifest.yaml"
(cd "$tmp/cwd" && fails=0 && offers run --manifest bu -- build.manifest.yaml && [ "$fails" -eq 0 ]) ||
	fail "no file offered for run --manifest"

if [ -n "$zsh" ]; then
	# An interactive bash too (tests/dist/shell_complete.zsh: readline, the TAB key, the
	# bash-completion package's loader finding the file as it finds an installed one): every
	# subcommand, word and option typed whole, TAB must add the space that closes a word it
	# knows (none where the name begins another one: --journal of --journal-max).
	mkdir -p "$tmp/share/bash-completion/completions"
	ln -s "$dir/wasi-tofu.bash" "$tmp/share/bash-completion/completions/wasi-tofu"
	blines=() bexpect=()
	while IFS=$'\t' read -r kind a b _; do
		case $kind in
		command) line="wasi-tofu $a" others=$(awk -F'\t' '$1 == "command" { print $2 }' "$tmp/help") ;;
		word) line="wasi-tofu $a $b" others=$b ;;
		option)
			line="wasi-tofu ${a#-} $b"
			line=${line/wasi-tofu  /wasi-tofu }
			others=$(awk -F'\t' -v s="$a" '$1 == "option" && $2 == s { print $3 }' "$tmp/help") ;;
		*) continue ;;
		esac
		blines+=("$line")
		if grep -q -- "^${line##* }." <<<"$others"; then bexpect+=("$line"); else bexpect+=("$line "); fi
	done <"$tmp/help"
	here=$(cd "$(dirname "$0")" && pwd)
	(cd "$tmp/cwd" && "$zsh" -f "$here/shell_complete.zsh" bash "$tmp/share" "${blines[@]}") \
		>"$tmp/bash.out" 2>"$tmp/bash.err" || { fail "shell_complete.zsh bash: $(cat "$tmp/bash.err")"; exit 1; }
	mapfile -t bout < <(grep -v '^== ' "$tmp/bash.out")
	[ "${#bout[@]}" -eq "${#blines[@]}" ] || fail "bash: ${#bout[@]} lines back for ${#blines[@]}"
	for i in "${!blines[@]}"; do
		[ "${bout[i]-}" = "${bexpect[i]}" ] ||
			fail "bash: '${blines[i]}'<TAB> gives '${bout[i]-}', not '${bexpect[i]}'"
	done
	echo "completion_test: bash: ${#blines[@]} command lines completed"

	"$zsh" -n "$dir/_wasi-tofu" || fail "the zsh completion does not parse"
	head -1 "$dir/_wasi-tofu" | grep -qx '#compdef wasi-tofu' || fail "the zsh file lacks #compdef"
	# The same command lines as bash's above, each with the match it must offer, completed in
	# one interactive zsh.
	lines=() expect=()
	zsh_offers() { lines+=("wasi-tofu $1"); expect+=("$2"); }
	while IFS=$'\t' read -r kind a b _; do
		case $kind in
		command) zsh_offers "${a:0:2}" "$a" ;;
		word) zsh_offers "$a " "$b" ;;
		option)
			if [ "$a" = - ]; then zsh_offers "${b:0:3}" "$b"; else zsh_offers "$a ${b:0:3}" "$b"; fi ;;
		esac
	done <"$tmp/help"
	zsh_offers "generate --granularity " tree
	zsh_offers "generate x.jsonl --granularity d" dir
	zsh_offers "run --manifest bu" build.manifest.yaml
	zsh_offers "record --mount src:/src:ro --env A=1 -o " build.manifest.yaml
	here=$(cd "$(dirname "$0")" && pwd)
	(cd "$tmp/cwd" && "$zsh" -f "$here/shell_complete.zsh" zsh "$dir" "${lines[@]}") >"$tmp/zsh.out" 2>"$tmp/zsh.err" ||
		{ fail "shell_complete.zsh: $(cat "$tmp/zsh.err")"; exit 1; }
	declare -A zsh_matches=()
	current=
	while IFS= read -r l; do
		if [[ $l == "== "* ]]; then current=${l#== }; zsh_matches[$current]=; else
			zsh_matches[$current]+="$l"$'\n'; fi
	done < <(sed -n '/^== /,$p' "$tmp/zsh.out")
	for i in "${!lines[@]}"; do
		grep -qxF -- "${expect[i]}" <<<"${zsh_matches[${lines[i]}]-}" ||
			fail "zsh: ${lines[i]}<TAB> does not offer ${expect[i]} (offers: $(tr '\n' ' ' <<<"${zsh_matches[${lines[i]}]-}"))"
	done
	echo "completion_test: zsh: ${#lines[@]} command lines completed"
fi

[ "$fails" -eq 0 ] || exit 1
echo "completion_test: done ($n entries)"
