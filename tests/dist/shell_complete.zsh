#!/usr/bin/env zsh
# shell_complete.zsh SHELL DIR LINE...: completes each LINE (the cursor at its end) with the TAB
# key in an interactive SHELL running in a pseudo-terminal (zsh/zpty), as a person at a terminal
# would, and prints "== LINE" then what it gave, one LINE after the other in the same shell:
#   zsh   DIR holds _wasi-tofu (put first in fpath; compinit): the matches zsh offers, one a
#         line, caught in compadd (the builtin every completion function ends in) before any
#         of them is inserted.
#   bash  DIR is a share folder (XDG_DATA_DIRS=DIR): the bash-completion package's loader finds
#         DIR/bash-completion/completions/wasi-tofu as it finds an installed one; what is
#         printed is the command line readline leaves after the TAB.
# The results go through files, not the terminal, whose text mixes with the line editor's own.
emulate -L zsh
zmodload zsh/zpty zsh/system || exit 2
shell=$1
dir=${2:A}
shift 2
tmp=$(mktemp -d) || exit 2
# (the shell may still be exiting after zpty -d: a second try)
trap 'rm -rf -- $tmp 2>/dev/null || { sleep 0.5; rm -rf -- $tmp }' EXIT

# Each shell's setup: no prompt, no command ever run; completion N writes $tmp/out.N and then
# $tmp/end.N.
case $shell in
zsh)
	[[ -r $dir/_wasi-tofu ]] || { print -u2 "shell_complete: no $dir/_wasi-tofu"; exit 2; }
	cat >$tmp/setup <<EOF
PS1= PS2= RPS1=
fpath=(${(q)dir} \$fpath)
autoload -Uz compinit && compinit -u -D
bindkey -e
bindkey '^I' complete-word
bindkey '^U' kill-whole-line
bindkey '^M' undefined-key
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
integer __wt_n=1
# (zsh empties comppostfuncs before it calls them: the function puts itself back)
__wt_end() { comppostfuncs=(__wt_end); : >${(q)tmp}/end.\$__wt_n; __wt_n+=1 }
comppostfuncs=(__wt_end)
compadd() {
	if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then
		builtin compadd "\$@"
		return
	fi
	local -a __wt_hits
	builtin compadd -A __wt_hits "\$@"
	(( \$#__wt_hits )) && print -rl -- \$__wt_hits >>${(q)tmp}/out.\$__wt_n
	builtin compadd "\$@"
}
EOF
	command=(zsh -f -i)
	keys=($'\C-u' $'\t')
	;;
bash)
	loader=/usr/share/bash-completion/bash_completion
	[[ -r $loader ]] || { print -u2 "shell_complete: no $loader (package bash-completion)"; exit 2; }
	cat >$tmp/setup <<EOF
PS1= PS2=
unset HISTFILE
. $loader
bind 'set bell-style none'
bind '"\t": complete'
__wt_n=1
__wt_line() {
	printf '%s\n' "\$READLINE_LINE" >${(q)tmp}/out.\$__wt_n
	: >${(q)tmp}/end.\$__wt_n
	__wt_n=\$((__wt_n + 1))
}
bind -x '"\C-o": __wt_line' # (not C-x, a prefix key: readline would wait for the next)
EOF
	command=(env XDG_DATA_DIRS=$dir BASH_COMPLETION_USER_DIR=$tmp/none HOME=$tmp
		bash --norc --noprofile -i)
	keys=($'\C-a\C-k' $'\t\C-o')
	;;
*)
	print -u2 "shell_complete: SHELL is zsh or bash"
	exit 2
	;;
esac

# wait_end SECONDS: reads (and drops) what the terminal shows, never waiting more than 0.05 s
# for it (sysread on the pty's fd: zpty -r can block for good in a read), until $tmp/end.$n exists or for
# at most SECONDS.
wait_end() {
	local chunk deadline=$((SECONDS + $1))
	while [[ ! -e $tmp/end.$n ]] && ((SECONDS < deadline)); do
		sysread -t 0.05 -i $ptyfd chunk
		case $? in 0 | 4) ;; *) return 1 ;; esac # 4: nothing within the time; else EOF, error
	done
	[[ -e $tmp/end.$n ]]
}

zpty sh $command || exit 2
ptyfd=$REPLY # the master side of the pseudo-terminal
zpty -w sh "source ${(q)tmp}/setup"
integer n=0
for line in "$@"; do
	n+=1
	zpty -w -n sh "$keys[1]$line$keys[2]"
	wait_end 30 || { print -u2 "shell_complete: $shell: no completion ended for: $line"; exit 1; }
	print -r -- "== $line"
	[[ ! -e $tmp/out.$n ]] || cat -- $tmp/out.$n
done
zpty -d sh
exit 0
