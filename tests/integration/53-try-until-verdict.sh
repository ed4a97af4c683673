#!/bin/sh
# kbench-test: retry 3
# --until-verdict beyond kbench run's default: --best-of K, and kbench
# try --until-verdict on a patched repository.
#
# Page faults are counted, not timed, so the verdicts and the counts of
# runs here hold on a noisy host too (see 52-until-verdict.sh).
#
# 1. run --best-of 2: a look is taken after whole rounds of 2 runs a
#    side, each side's value the least of its 2; a 40% minflt regression
#    ends at the first look, after 3 rounds, 6 runs stored a side.
# 2. try --repo --until-verdict: a patch that faults in 40% more pages
#    is a minflt regression after 3 runs a side (exit 3 with
#    --fail-on-regression), the report says so in text and in JSON, and
#    a neutral patch ends no-change after 3 and exits 0 with
#    --fail-on-regression: with --until-verdict only the sequential
#    verdict counts, not compare's other metrics (user time 2 ms
#    against 7 ms flagged this neutral patch once in CI).
. "$(dirname "$0")/../lib.sh"

R=$T/repo
new_repo "$R"
# tests/data/touch.c: one minor fault for each of PAGES pages.
cp "$DATA/touch.c" touch.c
git add touch.c
git commit -qm "a page toucher"
cd "$T"
cc -O1 -o "$T/touch" "$R/touch.c" || fail "cannot build the page toucher"
sed 's/PAGES 20000L/PAGES 28000L/' "$R/touch.c" >"$T/more.c"
(cd "$R" && diff -u touch.c "$T/more.c" |
    sed '1s|.*|--- a/touch.c|;2s|.*|+++ b/touch.c|') >"$T/more.diff" || true
sed 's|/\* Every page once. \*/|/* Each page once. */|' "$R/touch.c" >"$T/same.c"
(cd "$R" && diff -u touch.c "$T/same.c" |
    sed '1s|.*|--- a/touch.c|;2s|.*|+++ b/touch.c|') >"$T/same.diff" || true
grep -q '^+#define PAGES 28000L' "$T/more.diff" ||
    fail "could not make the test patch"
grep -q '^+.*Each page' "$T/same.diff" || fail "could not make the neutral patch"
cc -O1 -o "$T/more" "$T/more.c" || fail "cannot build the patched toucher"

samples_of() {
	sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
	    JOIN kernel k ON k.id = r.kernel_id WHERE k.label = '$1'
	    AND NOT s.warmup"
}

# --- 1. run --best-of 2 ------------------------------------------------
expect_status 3 "$KBENCH" run -q --variant A="$T/touch" \
    --variant B="$T/more" --until-verdict --metric minflt --best-of 2
contains "$OUT" "verdict: regression: minflt +"
contains "$OUT" "after 3 rounds of 2 runs a side (look 1 of"
[ "$(samples_of A)" = 6 ] || fail "A has $(samples_of A) samples, not 6"
[ "$(samples_of B)" = 6 ] || fail "B has $(samples_of B) samples, not 6"
# The cap counts rounds: --max-n 3 --best-of 2 plans 6 runs a side.
expect_status 0 "$KBENCH" run -q --variant C="$T/touch" \
    --variant D="$T/touch" --until-verdict --metric minflt --best-of 2 \
    --max-n 3
contains "$OUT" "verdict: no-change: minflt"
[ "$(samples_of D)" = 6 ] || fail "D has $(samples_of D) samples, not 6"
expect_status 2 "$KBENCH" run --variant A=true --variant B=true \
    --until-verdict --best-of 0
contains "$OUT" "expected a count from 1 to 10"
expect_status 2 "$KBENCH" run --variant A=true --variant B=true --best-of 3
contains "$OUT" "go with --until-verdict"

# --- 2. try --repo --until-verdict ---------------------------------------
BUILD='cc -O1 -o touch touch.c'
expect_status 3 "$KBENCH" try --repo "$R" --build "$BUILD" --until-verdict \
    --metric minflt --fail-on-regression "$T/more.diff" -- ./touch
contains "$OUT" "sequential verdict: regression: minflt +"
contains "$OUT" "after 3 runs a side (look 1 of"
echo "$OUT" | grep 'sequential verdict'
# The compare report is still there, over every metric.
contains "$OUT" "Difference at 95.0% confidence"
set +e
"$KBENCH" try --repo "$R" --build "$BUILD" --until-verdict --metric minflt \
    --format json "$T/more.diff" -- ./touch >"$T/try.json" 2>"$T/try.err"
st=$?
set -e
[ $st -eq 0 ] || fail "try --format json exited $st: $(cat "$T/try.err")"
python3 - "$T/try.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sequential"]
assert s["metric"] == "minflt" and s["verdict"] == "regression", s
assert s["n"] == 3 and s["look"] == 1 and s["best_of"] == 1, s
assert 30 < s["diff_pct"] < 50 and s["diff_pct_lo"] > 0, s
m = {x["metric"]: x for x in d["metrics"]}
assert m["minflt"]["a"]["n"] == 3 and m["minflt"]["b"]["n"] == 3, m["minflt"]
PY

# Neutral: no-change at the first look, exit 0.
expect_status 0 "$KBENCH" try --repo "$R" --build "$BUILD" --until-verdict \
    --metric minflt --fail-on-regression "$T/same.diff" -- ./touch
contains "$OUT" "sequential verdict: no-change: minflt"
contains "$OUT" "after 3 runs a side"

# Usage: the sequential options need --until-verdict; the cap is >= 3.
expect_status 2 "$KBENCH" try --repo "$R" --metric minflt "$T/same.diff" \
    -- ./touch
contains "$OUT" "go with --until-verdict"
expect_status 2 "$KBENCH" try --repo "$R" --until-verdict -n 2 \
    "$T/same.diff" -- ./touch
contains "$OUT" "at least 3"
echo ok
