#!/bin/sh
# Concurrency (docs/reliability.md): 8 kbench run -n 5 and 4 imports at
# once, all on one worker and workload (one series, so the summary
# trigger's per-series lock is contended), lose nothing: exact counts,
# reps 1..5 once each, every run done, the series summary in step, and
# no table locks held by kbench while it ran.
. "$(dirname "$0")/../lib.sh"

"$KBENCH" -q db start
NRUN=8
NIMP=4
lines=$(grep -c '^[0-9]' "$DATA/plain.txt")

i=1
pids=""
start=$(date +%s)
while [ $i -le $NRUN ]; do
	"$KBENCH" -q run -n 5 --kernel "c-$i" --workload conc \
	    -- sh -c 'sleep 0.05' >"$T/run-$i.out" 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
i=1
while [ $i -le $NIMP ]; do
	"$KBENCH" -q import --force --kernel "imp-$i" --worker local \
	    --workload conc "$DATA/plain.txt" >"$T/imp-$i.out" 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
# While they run: nobody holds a lock on a whole table beyond what a
# row write takes (ROW EXCLUSIVE) or a read (ACCESS SHARE).
locks=$(sql "SELECT string_agg(DISTINCT mode, ',') FROM pg_locks
    WHERE locktype = 'relation' AND pid <> pg_backend_pid() AND mode NOT IN
    ('AccessShareLock', 'RowShareLock', 'RowExclusiveLock')")
[ -z "$locks" ] || fail "table locks taken: $locks"
n=0
for p in $pids; do
	wait "$p" || n=$((n + 1))
done
took=$(( $(date +%s) - start ))
[ $n -eq 0 ] || fail "$n of the concurrent commands failed:
$(cat "$T"/*.out)"
echo "12 concurrent commands in ${took}s"

[ "$(sql "SELECT count(*) FROM run WHERE source = 'agent' AND
    state = 'done'")" = $NRUN ] || fail "not $NRUN runs done"
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    WHERE r.source = 'agent'")" = $((NRUN * 5)) ] ||
    fail "not $((NRUN * 5)) run samples"
[ "$(sql "SELECT count(*) FROM (SELECT run_id FROM sample GROUP BY run_id
    HAVING count(*) <> count(DISTINCT rep)) x")" = 0 ] || fail "dup reps"
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    WHERE r.source = 'import'")" = $((NIMP * lines)) ] ||
    fail "not $((NIMP * lines)) imported samples"
[ "$(sql "SELECT count(*) FROM run")" = $((NRUN + NIMP)) ] ||
    fail "extra or missing runs"
[ "$(sql 'SELECT count(*) FROM worker') $(sql 'SELECT count(*) FROM workload')" \
    = "1 1" ] || fail "a concurrent get-or-create made a second row"
# The summary saw every writer: recomputed from scratch it is the same.
[ "$(sql "SELECT count(*) FROM series_point p JOIN (SELECT r.kernel_id,
    count(*) n FROM sample s JOIN run r ON r.id = s.run_id WHERE NOT
    s.warmup AND NOT s.timedout AND (s.status IS NULL OR s.status = 0)
    GROUP BY r.kernel_id) x ON x.kernel_id = p.kernel_id AND x.n = p.n")" \
    = $((NRUN + NIMP)) ] || fail "series_point out of step"
echo "82-concurrency: ok"
