#!/bin/sh
# The man pages and the command table agree: kbench(1) describes every
# command of harness/cmd/cmd.c, each command but help and version has
# docs/man/kbench-NAME.1, every kbench-*.1 is a command (or the agent)
# and in kbench(1)'s SEE ALSO, and every kbench-X(1) that the pages, the
# sources, README.md or docs/*.md point to exists.  Part of make lint.
#
# Prints each breach as "file[:line]: why" and exits 1 if there is one.
set -u
cd "$(dirname "$0")/.." || exit 1

fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

sed -n 's/^[[:space:]]*{ "\([a-z]*\)", cmd_.*/\1/p' harness/cmd/cmd.c \
    >"$tmp/cmds"
[ -s "$tmp/cmds" ] || { echo "harness/cmd/cmd.c: no command table"; fail=1; }
while read -r c; do
	grep -q "^\.It Cm $c\$" docs/man/kbench.1 || {
		echo "docs/man/kbench.1: command $c (harness/cmd/cmd.c) not" \
		    "listed (.It Cm $c)"
		fail=1
	}
	case $c in help|version) continue ;; esac
	[ -f "docs/man/kbench-$c.1" ] || {
		echo "docs/man/kbench-$c.1: missing for command $c"
		fail=1
	}
done <"$tmp/cmds"
for f in docs/man/kbench-*.1; do
	p=$(basename "$f" .1)
	c=${p#kbench-}
	[ "$c" = agent ] || grep -qx "$c" "$tmp/cmds" || {
		echo "$f: no command $c in harness/cmd/cmd.c"
		fail=1
	}
	sed -n '/^\.Sh SEE ALSO/,/^\.Sh/p' docs/man/kbench.1 |
	    grep -q "^\.Xr $p 1" || {
		echo "docs/man/kbench.1: SEE ALSO lacks .Xr $p 1"
		fail=1
	}
done
{
	grep -noE '^\.Xr kbench-[a-z]+ 1' docs/man/*.[1-9] |
	    sed 's/\.Xr \(kbench-[a-z]*\) 1/\1/'
	grep -noE 'kbench-[a-z]+\(1\)' harness/*/*.[ch] harness/main.c \
	    README.md docs/*.md | sed 's/(1)$//'
} | while IFS=: read -r f n p; do
	[ -f "docs/man/$p.1" ] ||
	    echo "$f:$n: $p(1) points to no docs/man/$p.1"
done >"$tmp/xr"
if [ -s "$tmp/xr" ]; then
	cat "$tmp/xr"
	fail=1
fi

exit $fail
