#!/bin/sh
# Lists the harness's C functions longer than a screen.
#
# A function is found by its KNF shape: the type on a line of its own,
# then "name(" at column 0, then the body from a "{" at column 0 to the
# "}" at column 0 that ends it.  Its length counts the lines from the
# "name(" line to the closing "}".  A function whose comment just above
# its type line says "cannot be split" or "long because" is let be: the
# comment is the reason it stays long.
#
# Prints "file:line: name N lines" for each and exits 1 if there is one.
# usage: funclen.sh [max-lines [file ...]]	(default 100, harness/*/*.c)
set -u
cd "$(dirname "$0")/.." || exit 1

max=${1:-100}
[ $# -gt 0 ] && shift
[ $# -eq 0 ] && set -- harness/*/*.c

awk -v max="$max" '
FNR == 1 {
	inbody = 0
	name = ""
	cmt = ""
	incmt = 0
	prev = ""
}
# Collect the comment that ends just above the type line; a blank line
# or code between them makes it someone else'"'"'s comment.
!inbody && /^\/\*/ {
	cmt = ""
	incmt = 1
}
!inbody && incmt {
	cmt = cmt " " $0
	if ($0 ~ /\*\//)
		incmt = 0
	next
}
!inbody && /^[A-Za-z_][A-Za-z0-9_]*\(/ && prev !~ /^[ \t]*$/ &&
    prev !~ /[;{}]$/ {
	name = $0
	sub(/\(.*/, "", name)
	start = FNR
	why = cmt
	next
}
!inbody && name != "" && /^\{/ {
	inbody = 1
	next
}
# A prototype: its ";" ends it before any body.
!inbody && name != "" && /;[ \t]*$/ {
	name = ""
}
inbody && /^\}/ {
	n = FNR - start + 1
	if (n > max && why !~ /cannot be split|long because/) {
		printf "%s:%d: %s %d lines\n", FILENAME, start, name, n
		found = 1
	}
	inbody = 0
	name = ""
	cmt = ""
	prev = $0
	next
}
!inbody {
	# The type line keeps the comment above it; anything else that is
	# not part of a declaration ends that comment'"'"'s reach.
	if ($0 ~ /^[ \t]*$/ || $0 ~ /;[ \t]*$/ || $0 ~ /^#/)
		cmt = ""
	prev = $0
}
END {
	exit found ? 1 : 0
}
' "$@"
