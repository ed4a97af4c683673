#!/bin/sh
# kbench-test: retry 3
# kbench-test: qemu
# kbench try PATCH on the QEMU worker, for real: the CANPERSIST patch
# (kernel-src/patches) is built against the cached base kernel, both
# boot in turns, and a small exec-heavy workload runs in each.  The
# patch drops a program's page cache when its last mapping goes, so the
# compiler is read from the (host-uncached) disk again at every exec:
# the guest's own disk counters must show it, and the report must carry
# compare's figures and verdicts.  A second try of the same patch must
# reuse both kernels.  The neutral patch must never be a regression.
#
# The kernels are built in $QHOME (its build dir holds the base build,
# so a patch rebuilds a file and relinks); the samples go to this
# test's own database (KBENCH_DB), never to $QHOME's.
. "$(dirname "$0")/60-qemu-lib.inc"

"$KBENCH" -q db start
DB="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"
P=$ROOT/kernel-src/patches
# Ten compiles of an empty file: ten execs of gcc, cc1 and as.
W='cd /tmp && : >e.c && i=0; while [ $i -lt 10 ]; do gcc -c e.c || exit 1; i=$((i+1)); done'

expect_status 0 env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KBENCH" try \
    "$P/canpersist-removal.patch" --worker qemu-amd64 -n 3 --per-boot 3 \
    -- "$W"
echo "$OUT"
contains "$OUT" "base kernel $KID12 cached: not rebuilt"
contains "$OUT" "boot 1/2: base kernel"
contains "$OUT" "boot 2/2: patched kernel"
contains "$OUT" "Difference at 95.0% confidence"
contains "$OUT" "verdict"
contains "$OUT" "guest (qemu-amd64, per counted repetition)"
# Each side: one run, done, on its own kernel; 3 counted samples each.
[ "$(sql "SELECT count(*) FROM run WHERE state = 'done' AND source = 'qemu'")" = 2 ] ||
    fail "runs: $(sql 'SELECT id, state, reason FROM run')"
[ "$(sql "SELECT count(DISTINCT kernel_id) FROM run")" = 2 ] ||
    fail "both runs on one kernel"
[ "$(sql "SELECT count(*) FROM sample WHERE NOT warmup")" = 6 ] ||
    fail "samples: $(sql 'SELECT run_id, rep, warmup FROM sample')"
# The mechanism: the patched kernel reads the compiler again each time.
base=$(sql "SELECT avg(s.disk_read_kib)::bigint FROM sample s
    JOIN run r ON r.id = s.run_id JOIN kernel k ON k.id = r.kernel_id
    WHERE NOT s.warmup AND k.patches = ''")
patched=$(sql "SELECT avg(s.disk_read_kib)::bigint FROM sample s
    JOIN run r ON r.id = s.run_id JOIN kernel k ON k.id = r.kernel_id
    WHERE NOT s.warmup AND k.patches <> ''")
echo "disk read per repetition: base $base KiB, patched $patched KiB"
[ "$patched" -gt $((base * 10 + 10240)) ] ||
    fail "the patched kernel did not read more: base $base, patched $patched"
# The guest ran the kernel built from the patch (its id in uname -r).
contains "$(sql "SELECT string_agg(release, ' ') FROM kernel")" "-kb"

# Again: both kernels cached, and it says so.  With --until-verdict on
# major faults (0 against about 220 a repetition) the sequential test
# has its verdict at its first look, after one boot a side of 3, and no
# more boots are made for the cap of 6.
set +e
env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KBENCH" try \
    "$P/canpersist-removal.patch" --worker qemu-amd64 -n 6 --per-boot 3 \
    --until-verdict --metric majflt --format json -- "$W" \
    >"$T/seq.json" 2>"$T/seq.err"
st=$?
set -e
cat "$T/seq.err"
[ $st -eq 0 ] || fail "try --until-verdict exited $st"
contains "$(cat "$T/seq.err")" "patched kernel"
contains "$(cat "$T/seq.err")" "cached: not rebuilt"
contains "$(cat "$T/seq.err")" "look 1 of"
lacks "$(cat "$T/seq.err")" "boot 3/"
python3 - "$T/seq.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sequential"]
assert s["metric"] == "majflt" and s["verdict"] == "regression", s
assert s["n"] == 3 and s["look"] == 1, s
m = {x["metric"]: x for x in d["metrics"]}
assert m["majflt"]["a"]["n"] == 3 and m["majflt"]["b"]["n"] == 3, m["majflt"]
PY

# The neutral patch: never a regression (a wide margin: n is small).
expect_status 0 env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KBENCH" try \
    "$P/neutral.patch" --worker qemu-amd64 -n 3 --per-boot 3 \
    --threshold 5 --confidence 99.5 --fail-on-regression -- "$W"
lacks "$OUT" "verdict: regression"

# Bad input: a patch that does not apply names itself; nothing is run.
printf -- '--- a/mm/nosuch.c\n+++ b/mm/nosuch.c\n@@ -1 +1 @@\n-x\n+y\n' \
    >"$T/bad.diff"
runs=$(sql "SELECT count(*) FROM run")
expect_status 1 env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KBENCH" try "$T/bad.diff" \
    --worker qemu-amd64 -n 2 -- true
contains "$OUT" "bad.diff"
[ "$(sql "SELECT count(*) FROM run")" = "$runs" ] || fail "a run was made"
expect_status 1 "$KBENCH" try "$P/neutral.patch" --worker local -n 2
contains "$OUT" "cannot boot a kernel"
echo "try ok"
