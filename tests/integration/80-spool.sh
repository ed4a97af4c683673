#!/bin/sh
# Spool and replay (docs/reliability.md): 100 short runs while the
# database is killed 20 times (immediate shutdown, a crash to the
# clients); every run and every sample ends up stored exactly once, the
# spool is private (0700/0600) and readable by db status with the
# database down, a torn last record is ignored, and a replay repeated
# after a crash stores nothing twice.
. "$(dirname "$0")/../lib.sh"

STREAMS=4
PER=25			# runs per stream: 100 in all
KILLS=20

"$KBENCH" -q db start
PGDATA=$KBENCH_HOME/pg/data
# Our own cluster, named so that kbench never starts it by itself.
DBURL="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"
export KBENCH_DB="$DBURL"

db_kill() {	# a crash as clients see it: SIGQUIT, immediate shutdown
	pid=$(head -n 1 "$PGDATA/postmaster.pid" 2>/dev/null) || return 0
	kill -QUIT "$pid" 2>/dev/null || true
	i=0
	while [ -e "$PGDATA/postmaster.pid" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
db_up() {
	env -u KBENCH_DB "$KBENCH" -q db start >/dev/null 2>&1 ||
	    env -u KBENCH_DB "$KBENCH" -q db start
}

# --- 1. down at the start: spooled, shown by status, private ----------
db_kill
expect_status 0 "$KBENCH" run -n 2 --kernel pre --workload spooltest -- true
contains "$OUT" "spooling"
expect_status 1 "$KBENCH" db status
contains "$OUT" "server: unreachable"
contains "$OUT" "spool: 1 files, 1 runs, 2 samples"
[ "$(stat -c %a "$KBENCH_HOME/spool")" = 700 ] || fail "spool dir not 0700"
for f in "$KBENCH_HOME"/spool/*.spool; do
	[ "$(stat -c %a "$f")" = 600 ] || fail "$f not 0600"
done
# A torn last record (a crash mid-write) is ignored, never applied.
f=$(ls "$KBENCH_HOME"/spool/*.spool)
printf '0badcafe S\t%s\t9\tf\t1' "$(basename "$f" .spool)" >>"$f"
expect_status 1 "$KBENCH" db status
contains "$OUT" "1 torn"
# Keep a copy: replaying it a second time must store nothing more.
cp "$f" "$T/again.spool"
db_up
expect_status 0 "$KBENCH" db replay
contains "$OUT" "spool: empty"
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN kernel k ON k.id = r.kernel_id WHERE k.label = 'pre'")" = 2 ] ||
    fail "pre-run samples not stored exactly"
[ "$(sql "SELECT r.state FROM run r JOIN kernel k ON k.id = r.kernel_id
    WHERE k.label = 'pre'")" = done ] || fail "pre-run not done"
cp "$T/again.spool" "$KBENCH_HOME/spool/"
expect_status 0 "$KBENCH" db replay
[ "$(sql "SELECT count(*) FROM run r JOIN kernel k ON k.id = r.kernel_id
    WHERE k.label = 'pre'") $(sql 'SELECT count(*) FROM sample')" = "1 2" ] ||
    fail "a repeated replay stored something twice"

# --- 2. 100 runs, 20 crashes -------------------------------------------
killer() {
	n=0
	while [ $n -lt $KILLS ]; do
		sleep 0.$((3 + n % 5))
		db_kill
		n=$((n + 1))
		echo "$n" >"$T/kills"
		sleep 0.$((2 + n % 4))
		db_up
	done
}
stream() {	# s: runs k-s-1 .. k-s-PER, one after the other
	i=1
	while [ $i -le $PER ]; do
		"$KBENCH" run -n 2 --kernel "k-$1-$i" --workload spooltest \
		    -- sleep 0.1 >"$T/run-$1-$i.out" 2>&1 ||
		    echo "k-$1-$i exit $?" >>"$T/bad"
		i=$((i + 1))
	done
}
killer &
kpid=$!
s=1
pids=""
while [ $s -le $STREAMS ]; do
	stream $s &
	pids="$pids $!"
	s=$((s + 1))
done
for p in $pids; do
	wait "$p"
done
wait "$kpid"
[ "$(cat "$T/kills")" = $KILLS ] || fail "the killer did not finish"
[ ! -e "$T/bad" ] || fail "runs failed: $(cat "$T/bad")"
spooled=$(grep -l "spooling" "$T"/run-*.out | wc -l)
echo "runs that spooled: $spooled of $((STREAMS * PER))"
[ "$spooled" -ge 1 ] || fail "no run ever spooled: the kills missed"

db_up
expect_status 0 "$KBENCH" db replay
contains "$OUT" "spool: empty"
[ -z "$(ls "$KBENCH_HOME/spool")" ] || fail "spool not empty"
n=$(sql "SELECT count(*) FROM run r JOIN kernel k ON k.id = r.kernel_id
    WHERE k.label LIKE 'k-%'")
[ "$n" = $((STREAMS * PER)) ] || fail "$n runs stored, expected 100"
bad=$(sql "SELECT k.label || ': ' || r.state || ' ' || count(s.id) ||
    ' samples, reps ' || coalesce(string_agg(s.rep::text, ',' ORDER BY
    s.rep), '-') FROM run r JOIN kernel k ON k.id = r.kernel_id
    LEFT JOIN sample s ON s.run_id = r.id WHERE k.label LIKE 'k-%'
    GROUP BY k.label, r.state HAVING r.state <> 'done' OR count(s.id) <> 2
    OR min(s.rep) <> 1 OR max(s.rep) <> 2")
[ -z "$bad" ] || fail "runs not stored exactly once:
$bad"
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN kernel k ON k.id = r.kernel_id WHERE k.label LIKE 'k-%'")" = 200 ] ||
    fail "not exactly 200 samples"
# The series summary agrees with the samples after all that.
[ "$(sql "SELECT sum(n) FROM series_point p JOIN kernel k ON
    k.id = p.kernel_id WHERE k.label LIKE 'k-%'")" = 200 ] ||
    fail "series_point out of step"
echo "80-spool: ok ($spooled runs spooled)"
