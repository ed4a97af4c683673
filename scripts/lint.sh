#!/bin/sh
# make lint: the rules of the tree that the compiler does not check.
#
#  1. The harness's layers (docs/architecture.md), lowest first:
#	lib stats format store output worker engine web cmd
#     A file may include headers of its own layer and of the layers
#     below it, never one above.  main.c sits on top.
#  2. No include cycle between files (foo.c and foo.h count as one).
#  3. SQL lives in the store layer: no SQL statement text and no
#     PQexec* call in a file outside harness/store/.
#  4. Every harness .c file has a header of its own, except main.c and
#     the command files: cmd/cmd.h, the command table, declares every
#     cmd_NAME() and nothing else calls them.
#  5. The man pages are clean under mandoc -Tlint.
#  6. The man pages and the command table agree (scripts/lint-man.sh).
#
# Prints each breach as "file:line: why" and exits 1 if there is one.
set -u
cd "$(dirname "$0")/.." || exit 1

LAYERS="lib stats format store output worker engine web cmd"
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

rank() {	# layer -> its index in LAYERS, or nothing
	i=0
	for l in $LAYERS; do
		[ "$l" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
}

# 1 and 2: one pass over the quoted includes.
for l in $LAYERS; do
	for f in harness/"$l"/*.[ch]; do
		[ -f "$f" ] || continue
		grep -n '^#include "' "$f" | sed "s|^|$f:|"
	done
done >"$tmp/incs"
grep -n '^#include "' harness/main.c | sed 's|^|harness/main.c:|' \
    >>"$tmp/incs"

while IFS=: read -r f n inc; do
	hdr=$(echo "$inc" | sed 's/^#include "\(.*\)".*/\1/')
	from=$(echo "$f" | cut -d/ -f2)
	to=${hdr%%/*}
	if [ ! -f "harness/$hdr" ]; then
		echo "$f:$n: include \"$hdr\" is not a harness/LAYER/FILE.h path"
		fail=1
		continue
	fi
	echo "${f%.[ch]} harness/${hdr%.h}" >>"$tmp/edges"
	[ "$f" = harness/main.c ] && continue
	rf=$(rank "$from")
	rt=$(rank "$to")
	if [ "$rt" -gt "$rf" ]; then
		echo "$f:$n: layer $from includes $hdr from layer $to above" \
		    "it (order: $LAYERS)"
		fail=1
	fi
done <"$tmp/incs"

# A file's own header is an edge to itself; tsort reads it as a node.
if ! tsort "$tmp/edges" >/dev/null 2>"$tmp/cycle"; then
	echo "include cycle between files:"
	sed 's/^tsort: /  /' "$tmp/cycle"
	fail=1
fi

# 3: SQL outside the store layer.  Statement openings in string
# literals, and the libpq calls that run statements.
SQL='"[^"]*\<(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE (TABLE|VIEW|INDEX|UNIQUE)|ALTER TABLE|DROP (TABLE|VIEW)|WITH [a-z_]+ AS|BEGIN|COMMIT|ROLLBACK)\>'
for f in harness/*/*.[ch] harness/main.c; do
	case $f in harness/store/*) continue ;; esac
	grep -nE "$SQL|\<PQ(exec|exec(Params|Prepared)|prepare|sendQuery[a-zA-Z]*)\(" \
	    "$f" | sed "s|^|$f:|; s|\$|  <- SQL belongs in harness/store/|"
done >"$tmp/sql"
if [ -s "$tmp/sql" ]; then
	cat "$tmp/sql"
	fail=1
fi

# 4: a header per file.
for f in harness/*/*.c; do
	case $f in harness/cmd/*) continue ;; esac
	if [ ! -f "${f%.c}.h" ]; then
		echo "$f: no header ${f%.c}.h of its own"
		fail=1
	fi
done

# 5: man pages.
for f in docs/man/*.[1-9]; do
	mandoc -Tlint -Wwarning "$f" || fail=1
done

# 6: the command table against the man pages (its own script, so
# that tests/integration/87-man.sh can run it on a broken copy).
sh scripts/lint-man.sh || fail=1

[ $fail -eq 0 ] && echo "lint: ok (layers, cycles, SQL, headers, man pages, commands)"
exit $fail
