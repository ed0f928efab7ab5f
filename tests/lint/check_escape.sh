#!/usr/bin/env bash
# check_escape.sh: no raw text reaches a terminal. Guest, journal and manifest strings are
# hostile (docs/security.md, "The person at the terminal"); the code prints them only through
# core/base/escape.h (wt_escape_fprintf, wt_escape_fwrite). So in cmd/, core/, manifest/, profiler/, lib/:
#   - a printf-family call (printf, fprintf, vfprintf, dprintf, err, warn ...) must have a
#     literal format without %s or %c: strings go through wt_escape_fprintf instead;
#   - fputs, puts, fputc, putc, putchar, perror and fwrite take literal text only;
#   - nothing is write(2)n to fd 1 or 2 directly;
#   - wt_escape_fprintf, wt_escape_vfprintf and wt_prompt_choose take a literal format (a format
#     is written as it is: one made of guest text would reach the terminal raw).
# snprintf and friends build strings and are not checked: the string is checked where it is
# printed. Known exceptions (data written to files, text escaped before) are listed below.
# usage: check_escape.sh SOURCE_DIR
set -euo pipefail
cd "$1"
mapfile -t files < <(git ls-files 'cmd/*.c' 'core/*/*.c' 'manifest/*.c' 'profiler/*.c' 'lib/*.c' 2>/dev/null ||
	find cmd core manifest profiler lib -name '*.c')
# "FILE CALL ARGUMENT-NAME": a call that writes text escaped before, or a file's bytes; or that
# passes on a format its own caller gives as a literal; or the SIGSYS handler's constant text
# and number (a signal handler may only write(2)).
allowed='
cmd/generate.c fwrite text
cmd/update.c fwrite text
manifest/prompt_format.c fputs label
manifest/prompt_format.c fwrite text
cmd/options.c wt_escape_fprintf fmt
manifest/prompt.c wt_escape_vfprintf fmt
core/run/confine_seccomp.c write STDERR_FILENO
'
ALLOWED=$allowed perl -e '
my %allowed = map { $_ => 1 } grep { /\S/ } split /\n/, $ENV{ALLOWED};
my %fmt_at = (printf => 0, vprintf => 0, warn => 0, warnx => 0, fprintf => 1, vfprintf => 1,
	dprintf => 1, vdprintf => 1, err => 1, errx => 1);
my %escaping_fmt_at = (wt_escape_fprintf => 1, wt_escape_vfprintf => 1, wt_prompt_choose => 3);
my %literal = (fputs => 1, puts => 1, fputc => 1, putc => 1, putchar => 1, perror => 1,
	fwrite => 1);
my $bad = 0;

# The text with comments blanked (newlines kept, so offsets give lines).
sub strip {
	my ($s) = @_;
	$s =~ s{("(?:\\.|[^"\\])*"|\x27(?:\\.|[^\x27\\])*\x27)|(/\*.*?\*/|//[^\n]*)}
		{ defined $1 ? $1 : ($2 =~ tr/\n//cr =~ s/[^\n]/ /gr) }gse;
	return $s;
}

# The arguments of the call whose "(" is at $pos, split at top-level commas.
sub args {
	my ($s, $pos) = @_;
	my ($depth, $cur, @args) = (0, "");
	pos($s) = $pos;
	while ($s =~ /\G("(?:\\.|[^"\\])*"|\x27(?:\\.|[^\x27\\])*\x27|[(),]|[^"\x27(),]+)/gc) {
		my $t = $1;
		if ($t eq "(") { $depth++; next if $depth == 1; }
		if ($t eq ")") { $depth--; if ($depth == 0) { push @args, $cur; return @args; } }
		if ($t eq "," && $depth == 1) { push @args, $cur; $cur = ""; next; }
		$cur .= $t;
	}
	return (@args, $cur);
}

sub trim { my ($x) = @_; $x =~ s/^\s+|\s+$//g; return $x; }

for my $file (@ARGV) {
	next if $file eq "core/base/escape.c";
	open my $fh, "<", $file or die "$file: $!";
	my $src = strip(do { local $/; <$fh> });
	while ($src =~ /(?<![\w.>])(\w+)\s*\(/g) {
		my ($name, $at, $open) = ($1, $-[0], $+[0] - 1);
		next unless exists $fmt_at{$name} || exists $escaping_fmt_at{$name} || $literal{$name} ||
			$name eq "write";
		my $before = substr($src, $at > 60 ? $at - 60 : 0, $at > 60 ? 60 : $at);
		next if $before =~ /\b([A-Za-z_]\w*)[\s*]+\z/ && $1 !~ /^(return|else|do|case)$/;
		my @a = map { trim($_) } args($src, $open);
		my $line = 1 + (substr($src, 0, $at) =~ tr/\n//);
		my $why;
		if (exists $escaping_fmt_at{$name}) {
			my $f = $a[$escaping_fmt_at{$name}] // "";
			my ($word) = $f =~ /^(\w+)/;
			$why = "a format that is not a literal"
				if $f !~ /"/ && !$allowed{"$file $name " . ($word // "")};
		} elsif (exists $fmt_at{$name}) {
			my $f = $a[$fmt_at{$name}] // "";
			my $text = join "", $f =~ /"((?:\\.|[^"\\])*)"/g;
			if ($f !~ /"/) {
				$why = "a format that is not a literal";
			} else {
				while ($text =~ /%(%|[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*)?)?(?:hh|h|ll|l|z|j|t|L)?([a-zA-Z]))/g) {
					my $conv = $2 // "";
					$why = "%$conv in the format" if $conv eq "s" || $conv eq "c";
				}
			}
		} elsif ($literal{$name}) {
			my ($word) = ($a[0] // "") =~ /^(\w+)/;
			$why = "text that is not a literal"
				if ($a[0] // "") !~ /^("|\x27)/ && !$allowed{"$file $name " . ($word // "")};
		} elsif (($a[0] // "") =~ /^(1|2|STDOUT_FILENO|STDERR_FILENO)$/ &&
			 !$allowed{"$file $name $a[0]"}) {
			$why = "a direct write to fd $a[0]";
		}
		next unless $why;
		my $fix = exists $escaping_fmt_at{$name} ? "write the text as a %s argument"
			: "print it with wt_escape_fprintf (core/base/escape.h)";
		print "$file:$line: $name with $why: $fix\n";
		$bad = 1;
	}
}
exit $bad;
' "${files[@]}" || { echo "escape: guest text could reach a terminal raw (see above)"; exit 1; }
echo "escape: ${#files[@]} files print untrusted text only through core/base/escape.h"
