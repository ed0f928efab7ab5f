#!/bin/sh
# help_options.sh CLI: what the CLI's own --help says it accepts, one line each, tab-separated:
#   command  NAME  TEXT                 a subcommand and its line in the Commands section
#   word     SUB  WORD                  a literal word after SUB in its usage (journal show)
#   option   SUB  OPTION  [VALUE]       an option of SUB (or of wasi-tofu itself when SUB is
#                                       "-"), with the name of its value when it takes one
# Options come from the usage lines (`usage: wasi-tofu SUB ... [--opt VALUE]`) and the option
# lines of the help (`  -o MANIFEST   text`, `  -h, --help   text`). The completions (dist/
# completions.sh) and the man page test (tests/dist/man_test.sh) are made from this, so neither
# repeats the option table.
set -eu

cli=$1

# parse SUB: reads one --help text on stdin.
parse() {
	awk -v sub_="$1" -v OFS='\t' '
	function option(spec,   n, w, i, val) {
		n = split(spec, w, / +/)
		val = ""
		if (n >= 2 && w[2] !~ /^-/) val = w[2]
		gsub(/[][]/, "", w[1]); gsub(/[][]/, "", val)
		if (w[1] ~ /^--?[A-Za-z0-9][-A-Za-z0-9]*$/) print "option", sub_, w[1], val
	}
	# usage lines: every -x / --xx token, with the next token as its value when that is a
	# placeholder (upper case or a|b|c), and the literal words after SUB
	/^usage: wasi-tofu / || /^       wasi-tofu / {
		line = $0
		sub(/^usage: /, "", line); sub(/^ +/, "", line)
		n = split(line, t, / +/)
		first = sub_ == "-" ? 2 : 3 # the first token after `wasi-tofu SUB`
		if (sub_ == "-" ? t[2] !~ /^-/ : t[2] != sub_) next
		for (i = first; i <= n; i++) {
			tok = t[i]; gsub(/[][]/, "", tok)
			nxt = (i < n) ? t[i + 1] : ""; gsub(/[][]/, "", nxt)
			if (tok ~ /^-/ && tok != "--") {
				split(tok, alt, /\|/)
				for (k in alt) {
					v = (nxt ~ /^[A-Z]/ || nxt ~ /[a-z]\|[a-z]/) ? nxt : ""
					if (alt[k] ~ /^--?[A-Za-z0-9][-A-Za-z0-9]*$/) print "option", sub_, alt[k], v
				}
			} else if (sub_ != "-" && i == first + words && tok ~ /^[a-z]+$/) {
				print "word", sub_, tok; words++
			}
		}
		next
	}
	# option lines: "  SPEC  text" where SPEC is "-o X", "--opt X" or "-h, --help"
	/^  +-/ {
		spec = $0
		sub(/^ +/, "", spec); sub(/  .*$/, "", spec)
		n = split(spec, alias, /, /)
		for (i = 1; i <= n; i++) option(alias[i])
	}
	'
}

"$cli" --help >/dev/null # fails (set -e) when the CLI does not run
"$cli" --help | awk -v OFS='\t' '
	/^Commands/ { inside = 1; next }
	inside && /^$/ { inside = 0 }
	inside && /^  [a-z]/ { d = $0; sub(/^ +[a-z]+ +/, "", d); print "command", $1, d }'
"$cli" --help | parse - | sort -u
"$cli" --help | awk -v OFS='\t' '/^Commands/ { inside = 1; next } inside && /^$/ { exit }
	inside && /^  [a-z]/ { print $1 }' | while read -r sub; do
	"$cli" "$sub" --help | parse "$sub" | sort -u
done
