#!/bin/sh
# kbench-test: long
# kbench-test: qemu
# kbench try --workload ports-small on qemu-amd64, for real: the
# CANPERSIST patch (kernel-src/patches/canpersist-removal.patch) against
# its base under TCG, one repetition a side (-n 1: a repetition is the
# whole 6-package bulk, an hour or more under TCG).  The guest's agent
# sends kbench-bulk's rows as KBENCH-PKG lines; both boots must store a
# row per package, every one ok, in dependency order, and the try's
# report must carry the per-package section, with plain ratios (one
# repetition a side) and the packages that slowed most named first.
# Prints that section.  Two to three hours on a 2-core host.
. "$(dirname "$0")/../integration/60-qemu-lib.inc"

"$KBENCH" -q db start
DB="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"
LIST=$ROOT/configs/ports/packages-dag-small.list

set +e
env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KBENCH" try \
    "$ROOT/kernel-src/patches/canpersist-removal.patch" \
    --worker qemu-amd64 --workload ports-small -n 1 --per-boot 1 -w 0 \
    -t 5400 >"$T/try.out" 2>"$T/try.err"
st=$?
set -e
cat "$T/try.err" "$T/try.out"
# Exit 0 or 1 (1: a regression was flagged); anything else is an error.
[ $st -le 1 ] || fail "the try exited $st"
contains "$(cat "$T/try.err")" "-n 1: one repetition a side"

# Both boots: one ok row per package of the list.
npkg=$(sed -e 's/#.*//' "$LIST" | awk 'NF' | wc -l | tr -d ' ')
[ "$(sql "SELECT count(DISTINCT run_id) FROM pkg_build")" = 2 ] ||
    fail "package rows from $(sql "SELECT count(DISTINCT run_id) FROM
    pkg_build") runs, expected 2"
rows=$(sql "SELECT string_agg(n::text, ' ') FROM (SELECT count(*) AS n
    FROM pkg_build WHERE status = 'ok' GROUP BY run_id) x")
[ "$rows" = "$npkg $npkg" ] || fail "ok rows per run: '$rows', want \
'$npkg $npkg'"
# Each package started after its dependencies had finished, in both.
sed -e 's/#.*//' -e 's/ -- .*//' "$LIST" | awk 'NF {
	for (i = 2; i <= NF; i++) if ($i ~ /^deps=/) {
		n = split(substr($i, 6), d, ",")
		for (j = 1; j <= n; j++) print $1, d[j]
	} }' >"$T/edges"
[ -s "$T/edges" ] || fail "no edges in $LIST"
while read -r p d; do
	bad=$(sql "SELECT count(*) FROM pkg_build b JOIN pkg_build a
	    ON a.run_id = b.run_id AND a.rep = b.rep AND a.package = '$d'
	    WHERE b.package = '$p' AND b.started < a.started + a.real_us *
	    interval '1 microsecond'")
	[ "$bad" = 0 ] || fail "$p started before its dependency $d finished"
done <"$T/edges"

# The per-package section: all of them compared, as plain ratios.
OUT=$(cat "$T/try.out")
contains "$OUT" "Per package: $npkg built on both"
contains "$OUT" "(one repetition on a side: a plain ratio"
contains "$OUT" "Slower, most time added first"
contains "$OUT" "Critical path"
# The slowest-first list is ordered by the time added.
awk '/^Slower, most time added first/ { on = 1; next }
    on && /^[A-Z]/ { exit } on && $4 ~ /^[-+][0-9]/ { print $4 }' \
    "$T/try.out" >"$T/added"
[ -s "$T/added" ] || fail "no package in the slower list"
sort -rn "$T/added" | cmp -s - "$T/added" ||
    fail "the slower list is not ordered by time added: $(cat "$T/added")"
echo "per-package section:"
sed -n '/^Per package:/,/^Critical path/p' "$T/try.out"
echo "qemu ports try ok"
