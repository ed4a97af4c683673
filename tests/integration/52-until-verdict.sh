#!/bin/sh
# kbench-test: retry 3
# kbench run --until-verdict: interleaved repetitions until the
# group-sequential test (harness/seqtest.c) has a verdict.  A CPU loop
# against the same loop PCT% longer (default 40) is a regression after
# at most 3 runs a side; the loop against itself never ends as a
# regression.  The figures for a 15% regression and for how often A/A
# ends as no-change come from scripts/bench-verdict.sh (make bench):
# this host's noise comes and goes, and CI must not turn red on it.
# User time: on a shared 2-core host real time swings by a third with
# the neighbours' load, user time of a CPU loop by 2-3%, hence also the
# 5% no-change margin (docs/statistics.md).
. "$(dirname "$0")/../lib.sh"

cat >"$T/loop.c" <<'EOF2'
#include <stdlib.h>
int
main(int argc, char **argv)
{
	volatile unsigned long x = 0;
	long i, n = atol(argv[1]);

	for (i = 0; i < n; i++)
		x += (unsigned long)i * i;
	return 0;
}
EOF2
cc -O1 -o "$T/loop" "$T/loop.c" || fail "cannot build the loop"
N=1000000000
PCT=${PCT:-40}
N15=$((N + N * PCT / 100))

# --- 1. a PCT% regression: flagged by the third run a side, exit 3 ----
expect_status 3 "$KBENCH" run -q --variant A="$PIN $T/loop $N" \
    --variant B="$PIN $T/loop $N15" --until-verdict --metric user
contains "$OUT" "verdict: regression"
runs=$(echo "$OUT" | sed -n 's/.*after \([0-9]*\) runs a side.*/\1/p')
[ "$runs" -le 3 ] || fail "regression took $runs runs a side"
echo "$PCT% regression: verdict after $runs runs a side"
# Both runs are stored, done, with as many samples as were taken.
[ "$(sql "SELECT count(*) FROM run WHERE state = 'done'")" = 2 ] ||
    fail "runs not done: $(sql 'SELECT state, reason FROM run')"
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN kernel k ON k.id = r.kernel_id WHERE k.label = 'B'")" = "$runs" ] ||
    fail "B does not have $runs samples"

# --- 2. A/A: never a regression; no-change when the host is quiet ------
expect_status 0 "$KBENCH" run -q --variant A1="$PIN $T/loop $N" \
    --variant A2="$PIN $T/loop $N" --until-verdict --metric user \
    --threshold 5 --max-n 20
lacks "$OUT" "verdict: regression"
lacks "$OUT" "verdict: improvement"
case $OUT in
*"verdict: no-change"* | *"verdict: inconclusive"*) ;;
*) fail "no verdict line in: $OUT" ;;
esac
runs=$(echo "$OUT" | sed -n 's/.*after \([0-9]*\) runs a side.*/\1/p')
echo "A/A: $(echo "$OUT" | sed -n 's/.*verdict: \([a-z-]*\).*/\1/p') after $runs runs a side"

# --- 3. usage ------------------------------------------------------------
expect_status 2 "$KBENCH" run --until-verdict -- true
contains "$OUT" "two variants"
expect_status 2 "$KBENCH" run --variant A=true --variant B=true \
    --until-verdict --metric maxrss
expect_status 2 "$KBENCH" run --max-n 5 -- true
echo ok
