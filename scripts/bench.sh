#!/bin/sh
# make bench: figures, not pass/fail.  Uses its own KBENCH_HOME.
#   - import rate of a million-line time(1) log
#   - compare on the database
#   - harness overhead: a command's real time as `kbench run` records it
#     against /usr/bin/time on the same command, interleaved
#   - the agent's own cost per repetition
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
KB=$ROOT/bin/kbench
AGENT=$ROOT/bin/kbench-agent
export KBENCH_AGENT=$AGENT
B=$(mktemp -d "${TMPDIR:-/tmp}/kbench-bench.XXXXXX")
chmod 755 "$B"
export KBENCH_HOME=$B/home
trap '"$KB" -q db stop >/dev/null 2>&1 || true; rm -rf "$B"' EXIT
unset KBENCH_DB

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | awk '{ printf "%.3f", $1 }'; }

"$KB" -q db start

echo "== import: one million plain-number lines"
awk 'BEGIN { for (i = 0; i < 1000000; i++)
    printf "%d.%02d\n", 100 + i % 7, i % 100 }' >"$B/million.txt"
t0=$(now)
"$KB" -q import --worker bench --workload big --kernel k1 "$B/million.txt" \
    >/dev/null
t1=$(now)
s=$(secs "$t0" "$t1")
echo "import: 1000000 samples in ${s} s ($(echo "1000000 / $s" | bc) samples/s)"

echo "== import: 250,000 BSD time records in a 1,000,000-line make log"
awk 'BEGIN { for (i = 0; i < 250000; i++) {
    printf "cc -O2 -c file%d.c\n", i; printf "ld -o file%d\n", i
    printf "===> done %d\n", i
    printf "  %dm%02d.%02ds real  %dm%02d.%02ds user  %dm%02d.%02ds system\n",
        16, i % 60, i % 100, 21, i % 60, i % 100, 30, i % 60, i % 100 } }' \
    >"$B/bsd.txt"
t0=$(now)
"$KB" -q import --worker bench --workload big --kernel k2 "$B/bsd.txt" \
    >/dev/null
t1=$(now)
s=$(secs "$t0" "$t1")
echo "import: 250000 records (1000000 lines) in ${s} s"

echo "== compare from the database: 1,000,000 vs 250,000 samples"
t0=$(now)
"$KB" compare --worker bench --workload big k1 k2 >/dev/null || true
t1=$(now)
echo "compare: $(secs "$t0" "$t1") s"

if "$KB" help run >/dev/null 2>&1 && [ -x "$AGENT" ]; then
	echo "== harness overhead: kbench run vs /usr/bin/time, interleaved"
	CMD='i=0; while [ $i -lt 1500000 ]; do i=$((i+1)); done'
	: >"$B/time.txt"
	for r in 1 2 3 4 5 6 7; do
		"$KB" -q run --worker local --workload overhead --kernel k \
		    -n 1 -- sh -c "$CMD" >/dev/null
		/usr/bin/time -f '%e' -a -o "$B/time.txt" sh -c "$CMD"
	done
	"$KB" db psql -XAtq -c "SELECT s.real_us / 1e6 FROM sample s
	    JOIN run r ON r.id = s.run_id JOIN workload l
	    ON l.id = r.workload_id WHERE l.name = 'overhead'" >"$B/kb.txt"
	med() { sort -n "$1" | awk '{ v[NR] = $1 } END {
	    if (NR % 2) print v[(NR + 1) / 2];
	    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
	mk=$(med "$B/kb.txt")
	mt=$(med "$B/time.txt")
	echo "median real: kbench run ${mk} s, /usr/bin/time ${mt} s"
	echo "overhead ratio: $(echo "$mk / $mt" | bc -l |
	    awk '{ printf "%.4f", $1 }') (target <= 1.005)"

	echo "== agent cost per repetition (-n 2000 of /bin/true)"
	t0=$(now)
	"$AGENT" -n 2000 -- /bin/true >/dev/null
	t1=$(now)
	t2=$(now)
	i=0
	while [ $i -lt 2000 ]; do /bin/true; i=$((i + 1)); done
	t3=$(now)
	a=$(secs "$t0" "$t1")
	p=$(secs "$t2" "$t3")
	echo "agent: ${a} s for 2000 reps; plain sh loop: ${p} s;" \
	    "agent cost $(echo "($a - $p) * 1000000 / 2000" | bc) us/rep"
fi

echo "== scale: ingest, a 10,000-point series, compare (docs/reliability.md)"
KB="$KB" sh "$ROOT/scripts/bench-scale.sh"
