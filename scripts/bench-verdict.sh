#!/bin/sh
# bench-verdict.sh: the figures for kbench run --until-verdict.  RUNS
# (default 10) comparisons of a CPU loop against the same loop 15%
# longer, and RUNS of the loop against itself, on user time with a 5%
# margin, pinned like tests/integration/52-until-verdict.sh.  Prints
# how many runs a side each verdict took (target: regression by 3) and
# the loop's own spread, measured before and after, so that a reader
# can tell a noisy hour from a slow test.  BEST_OF=K (default 1) runs
# them with --best-of K: the counts are then rounds of K runs a side.
# make bench-verdict.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export ROOT
# lib.sh: a private database for this bench, removed at the end.
. "$ROOT/tests/lib.sh"
set +eu
runs=${RUNS:-10}
k=${BEST_OF:-1}
N=1000000000
N15=$((N + N * 15 / 100))

cc -O1 -o "$T/loop" "$DATA/loop.c" || exit 1

# One comparison: "VERDICT ROUNDS" (a round: K runs a side).
verdict() {
	out=$("$KBENCH" run -q --variant "$1=$PIN $T/loop $3" \
	    --variant "$2=$PIN $T/loop $4" --until-verdict --metric user \
	    --threshold 5 --max-n 20 --best-of "$k" 2>&1)
	v=$(echo "$out" | sed -n 's/^verdict: \([a-z-]*\):.* after \([0-9]*\) r[a-z0-9 ]* a side.*/\1 \2/p')
	if [ -z "$v" ]; then
		echo "bench-verdict: no verdict from $KBENCH run:" >&2
		echo "$out" | tail -n 5 >&2
		v="error 0"
	fi
	echo "$v"
}

echo "loop before: $(sh "$ROOT/scripts/loop-spread.sh" "$T/loop" $N)"
reg=""
aa=""
regok=0
aaok=0
aafalse=0
i=1
while [ $i -le "$runs" ]; do
	set -- $(verdict R$i-A R$i-B $N $N15)
	[ "$1" = error ] && exit 1
	reg="$reg $1/$2"
	[ "$1" = regression ] && [ "$2" -le 3 ] && regok=$((regok + 1))
	set -- $(verdict Q$i-A Q$i-B $N $N)
	[ "$1" = error ] && exit 1
	aa="$aa $1/$2"
	[ "$1" = no-change ] && aaok=$((aaok + 1))
	[ "$1" = regression ] && aafalse=$((aafalse + 1))
	echo "comparison $i: 15% longer: ${reg##* }; A/A: ${aa##* }"
	i=$((i + 1))
done
echo "loop after: $(sh "$ROOT/scripts/loop-spread.sh" "$T/loop" $N)"
unit=runs
[ "$k" -gt 1 ] && unit="rounds of $k runs"
echo "15% regression: flagged by 3 $unit a side in $regok of $runs;" \
    "verdict/$unit:$reg"
echo "A/A: no-change in $aaok of $runs, false regression in $aafalse;" \
    "verdict/$unit:$aa"
