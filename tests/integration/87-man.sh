#!/bin/sh
# The man pages: every page clean under mandoc -Tlint (warnings too),
# every page rendered through groff as man(1) would, with no warning
# and no garbled JSON (an unclosed quote: `{"running, "queued, ...""}`
# from a .Brq/.Qq nesting), and the command table's checks of
# scripts/lint.sh (kbench(1) lists every command, SEE ALSO every page,
# no pointer to a page that does not exist) failing on a broken copy;
# the two default thresholds (compare 1%, run --until-verdict 3%) each
# explained in both pages.
. "$(dirname "$0")/../lib.sh"

command -v mandoc >/dev/null || { echo "mandoc not installed"; exit 77; }
command -v groff >/dev/null || { echo "groff not installed"; exit 77; }

n=0
for f in "$ROOT"/docs/man/*.1; do
	out=$(mandoc -Tlint -Wwarning "$f" 2>&1) ||
	    fail "mandoc -Tlint $f: $out"
	[ -z "$out" ] || fail "mandoc -Tlint $f: $out"
	groff -mandoc -Tutf8 -ww "$f" >"$T/page" 2>"$T/warn" ||
	    fail "groff $f failed: $(cat "$T/warn")"
	[ ! -s "$T/warn" ] || fail "groff $f: $(cat "$T/warn")"
	# Plain text: no overstrikes, no SGR.
	sed 's/.\x08//g; s/\x1b\[[0-9;]*m//g' "$T/page" >"$T/text"
	[ -s "$T/text" ] || fail "groff rendered $f empty"
	# A quote opened and never closed: `"name, "` or `""`.
	if grep -nE '"[a-z_]+, "|"[a-z_]+:? \[|""' "$T/text"; then
		fail "$f renders garbled quotes (above)"
	fi
	n=$((n + 1))
done
[ "$n" -ge 16 ] || fail "only $n man pages found"

# The JSON shapes the issue found garbled, rendered whole.
groff -mandoc -Tutf8 "$ROOT/docs/man/kbench-serve.1" 2>/dev/null |
    sed 's/.\x08//g' >"$T/serve"
grep -q '{"running": \[...\], "queued": \[...\]' "$T/serve" ||
    fail "kbench-serve(1) lacks the /api/status shape"
groff -mandoc -Tutf8 "$ROOT/docs/man/kbench-report.1" 2>/dev/null |
    sed 's/.\x08//g' >"$T/report"
grep -q '{"comparisons": \[...\], "regressions": \[...\]}' "$T/report" ||
    fail "kbench-report(1) lacks the --all JSON shape"

# Two defaults, compare's threshold (1%) and run --until-verdict's
# margin (3%): each page gives the other's and the reason.
mandoc -Tascii -Owidth=1000 "$ROOT/docs/man/kbench-compare.1" |
    sed 's/.\x08//g' | tr -s ' \n' '  ' >"$T/compare"
grep -q 'has a margin of 3% by default instead, for a reason given in kbench-run(1)' \
    "$T/compare" || fail "kbench-compare(1) does not explain run's 3%"
mandoc -Tascii -Owidth=1000 "$ROOT/docs/man/kbench-run.1" |
    sed 's/.\x08//g' | tr -s ' \n' '  ' >"$T/run"
grep -q "It is not kbench-compare(1)'s threshold (default 1)" "$T/run" ||
    fail "kbench-run(1) does not explain compare's 1%"

# The detector itself: the old nesting must be caught.
cat >"$T/bad.1" <<'EOF'
.Dd January 1, 2026
.Dt BAD 1
.Os
.Sh NAME
.Nm bad
.Nd a garbled page
.Sh DESCRIPTION
.Brq Qq running , Qq queued
EOF
groff -mandoc -Tutf8 "$T/bad.1" 2>/dev/null | sed 's/.\x08//g' >"$T/badtxt"
grep -qE '"[a-z_]+, "|""' "$T/badtxt" ||
    fail "the garbling pattern misses the old .Brq/.Qq nesting"

# scripts/lint-man.sh (make lint's command check), on a copy with one
# command and one SEE ALSO entry taken out of kbench.1, and a pointer to
# a page that does not exist.
mkdir -p "$T/tree"
(cd "$ROOT" && tar cf - harness/cmd/cmd.c harness/main.c scripts docs \
    README.md) | (cd "$T/tree" && tar xf -)
sh "$T/tree/scripts/lint-man.sh" >"$T/lint0" 2>&1 ||
    fail "lint-man.sh fails on the tree itself: $(cat "$T/lint0")"
sed -i '/^\.It Cm serve$/d; /^\.Xr kbench-try 1 ,$/d' \
    "$T/tree/docs/man/kbench.1"
echo '.Xr kbench-help 1' >>"$T/tree/docs/man/kbench-db.1"
expect_status 1 sh "$T/tree/scripts/lint-man.sh"
contains "$OUT" "command serve (harness/cmd/cmd.c) not listed"
contains "$OUT" "SEE ALSO lacks .Xr kbench-try 1"
contains "$OUT" "kbench-help(1) points to no docs/man/kbench-help.1"
echo "ok: $n pages"
