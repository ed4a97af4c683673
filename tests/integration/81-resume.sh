#!/bin/sh
# Resume (docs/reliability.md): a harness killed with SIGKILL mid-run
# leaves a run that the next kbench marks stale (failed, "stale: harness
# died"); kbench run --resume finishes it with the missing repetitions,
# numbered after the stored ones, none lost or stored twice.  A live
# run is not taken over, a done one is not rerun, and a pid reused by
# another process does not pass for the harness.
. "$(dirname "$0")/../lib.sh"

"$KBENCH" -q db start

# --- 1. kill -9 the harness after 3 of 6 samples ---------------------
"$KBENCH" run -n 6 --kernel res --workload resumetest \
    -- sh -c 'sleep 0.4' >"$T/first.out" 2>&1 &
kb=$!
i=0
while [ "$(sql 'SELECT count(*) FROM sample')" -lt 3 ]; do
	sleep 0.1
	i=$((i + 1))
	[ $i -lt 300 ] || fail "no samples after 30 s: $(cat "$T/first.out")"
done
kill -KILL "$kb"
wait "$kb" 2>/dev/null || true
ukey=$(sql "SELECT ukey FROM run")
before=$(sql "SELECT string_agg(rep || ':' || real_us, ' ' ORDER BY rep)
    FROM sample")
nbefore=$(sql 'SELECT count(*) FROM sample')
[ "$(sql 'SELECT state FROM run')" = running ] || fail "not left running"
[ "$(sql 'SELECT host FROM run')" = "$(hostname)" ] || fail "host not kept"

# The next kbench sees the harness is gone.
expect_status 0 "$KBENCH" db status
contains "$OUT" "stale run"
[ "$(sql "SELECT state || ': ' || reason FROM run")" = \
    "failed: stale: harness died" ] || fail "not marked stale: $(sql \
    'SELECT state, reason FROM run')"

expect_status 0 "$KBENCH" run --resume "$ukey"
contains "$OUT" "resuming run $ukey"
# The orphaned agent stored nothing twice; every rep once, 1..N.
[ "$(sql "SELECT count(*) || ' ' || count(DISTINCT rep) || ' ' ||
    min(rep) FROM sample")" = "$(sql 'SELECT count(*) FROM sample') \
$(sql 'SELECT count(*) FROM sample') 1" ] || fail "duplicate reps"
[ "$(sql "SELECT count(*) FROM sample WHERE status = 0 AND NOT warmup")" \
    = 6 ] || fail "not 6 good samples: $(sql 'SELECT rep, status FROM sample')"
[ "$(sql 'SELECT max(rep) FROM sample')" = "$(sql 'SELECT count(*) FROM sample')" ] ||
    fail "reps not numbered after the stored ones"
[ "$(sql "SELECT string_agg(rep || ':' || real_us, ' ' ORDER BY rep)
    FROM sample WHERE rep <= $nbefore")" = "$before" ] ||
    fail "samples stored before the kill changed"
[ "$(sql 'SELECT state FROM run')" = done ] || fail "resumed run not done"
[ "$(sql 'SELECT count(*) FROM run')" = 1 ] || fail "resume made a new run"
grep -l "KBENCH_RUN=$ukey" /proc/[0-9]*/environ 2>/dev/null &&
    fail "an orphaned agent of the killed run still runs"

# --- 2. refusals --------------------------------------------------------
expect_status 1 "$KBENCH" run --resume "$ukey"
contains "$OUT" "is done"
expect_status 2 "$KBENCH" run --resume "$ukey" -- true
"$KBENCH" run -n 3 --kernel live --workload resumetest \
    -- sh -c 'sleep 0.5' >"$T/live.out" 2>&1 &
kb=$!
while [ "$(sql "SELECT count(*) FROM run r JOIN kernel k ON
    k.id = r.kernel_id WHERE k.label = 'live'")" = 0 ]; do
	sleep 0.1
done
live=$(sql "SELECT r.ukey FROM run r JOIN kernel k ON k.id = r.kernel_id
    WHERE k.label = 'live'")
expect_status 1 "$KBENCH" run --resume "$live"
contains "$OUT" "is alive"
wait "$kb" || fail "the live run failed: $(cat "$T/live.out")"

# --- 3. a reused pid: alive, but started at another time ---------------
sleep 30 &
other=$!
sql "UPDATE run SET state = 'running', finished = NULL, pid = $other,
    pid_start = 'x:1' WHERE ukey = '$live'" >/dev/null
expect_status 0 "$KBENCH" db status
[ "$(sql "SELECT state FROM run WHERE ukey = '$live'")" = failed ] ||
    fail "a reused pid passed for the harness"
kill "$other"
echo "81-resume: ok"
