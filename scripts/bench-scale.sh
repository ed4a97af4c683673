#!/bin/sh
# bench-scale: the store at scale (docs/reliability.md).  Figures, not
# pass/fail, against targets: ingest >= 100,000 samples/s; a 10,000-point
# series (per-kernel medians of one worker/workload/metric across 10,000
# kernels) in <= 20 ms with >= 1,000,000 samples stored; compare on it.
#
#   SCALE_KERNELS (10000) x SCALE_PER (100) samples make the series;
#   SCALE_INGEST (1000000) lines go through kbench import (parse, COPY,
#   summary trigger).  Uses its own KBENCH_HOME; KB picks the binary.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
KB=${KB:-$ROOT/bin/kbench}
NK=${SCALE_KERNELS:-10000}
PER=${SCALE_PER:-100}
NI=${SCALE_INGEST:-1000000}
B=$(mktemp -d "${TMPDIR:-/tmp}/kbench-scale.XXXXXX")
chmod 755 "$B"
export KBENCH_HOME=$B/home
trap '"$KB" -q db stop >/dev/null 2>&1 || true; [ -n "${KEEP:-}" ] || rm -rf "$B"' EXIT
unset KBENCH_DB

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | awk '{ printf "%.3f", $1 }'; }
q() { "$KB" db psql -XAtq -c "$1"; }
# Median client-side time in ms of a query run 15 times (after 2 to warm).
timeit() {
	# printf, not echo: dash's echo would take "\t" of \timing as a tab.
	{
		printf '%s\n' '\o /dev/null'
		for i in 1 2; do printf '%s;\n' "$1"; done
		printf '%s\n' '\timing on'
		i=0
		while [ $i -lt 15 ]; do printf '%s;\n' "$1"; i=$((i + 1)); done
	} | "$KB" db psql -Xq 2>"$B/timeit.err" | awk '/^Time:/ { print $2 }' |
	    sort -n | awk '{ v[NR] = $1 }
	    END { printf "%.2f", NR ? v[int((NR + 1) / 2)] : -1 }'
}

"$KB" -q db start

echo "== ingest: $NI samples through kbench import (COPY)"
awk -v n="$NI" 'BEGIN { for (i = 0; i < n; i++)
    printf "%d.%03d\n", 100 + i % 7, i % 1000 }' >"$B/ingest.txt"
t0=$(now)
"$KB" -q import --worker scale --workload ingest --kernel ingest-k \
    "$B/ingest.txt" >/dev/null
t1=$(now)
s=$(secs "$t0" "$t1")
echo "ingest: $NI samples in ${s} s: $(echo "$NI / $s" | bc) samples/s" \
    "(target >= 100000)"

echo "== series: $NK kernels x $PER samples ($((NK * PER)) samples)"
t0=$(now)
q "INSERT INTO worker (name) VALUES ('scale') ON CONFLICT DO NOTHING;
INSERT INTO workload (name) VALUES ('series');
INSERT INTO kernel (label, revision, commit_date)
    SELECT 'sk-' || i, 'rev' || i, '2020-01-01'::timestamptz + i * interval '1 hour'
    FROM generate_series(1, $NK) i;
INSERT INTO run (ukey, kernel_id, worker_id, workload_id, source, state,
    n_planned)
    SELECT 'scale-' || k.id, k.id, w.id, l.id, 'import', 'done', $PER
    FROM kernel k, worker w, workload l
    WHERE k.label LIKE 'sk-%' AND w.name = 'scale' AND l.name = 'series';
INSERT INTO sample (run_id, rep, real_us, user_us, sys_us, status)
    SELECT r.id, g, 1000000 + (r.id * 7919 + g * 104729) % 50000
        + CASE WHEN r.kernel_id % 1000 > 500 THEN 30000 ELSE 0 END,
        800000 + g, 100000 + g, 0
    FROM run r, generate_series(1, $PER) g WHERE r.ukey LIKE 'scale-%';
ANALYZE;" >/dev/null
t1=$(now)
echo "series built (rows, summary trigger) in $(secs "$t0" "$t1") s"
echo "samples stored: $(q 'SELECT count(*) FROM sample')"
wid=$(q "SELECT id FROM worker WHERE name = 'scale'")
lid=$(q "SELECT id FROM workload WHERE name = 'series'")

RAW="SELECT k.id, k.label, percentile_cont(0.5) WITHIN GROUP (ORDER BY
    s.real_us) FROM sample s JOIN run r ON r.id = s.run_id JOIN kernel k ON
    k.id = r.kernel_id WHERE r.worker_id = $wid AND r.workload_id = $lid AND
    NOT s.warmup AND NOT s.timedout AND (s.status IS NULL OR s.status = 0)
    GROUP BY k.id ORDER BY k.commit_date, k.id"
SUM="SELECT k.id, k.label, p.real_median FROM series_point p JOIN kernel k
    ON k.id = p.kernel_id WHERE p.worker_id = $wid AND p.workload_id = $lid
    ORDER BY k.commit_date, k.id"
echo "points: raw $(q "SELECT count(*) FROM ($RAW) x"), summary $(q \
    "SELECT count(*) FROM ($SUM) x")"
echo "series query, medians from the samples (before): $(timeit "$RAW") ms"
echo "series query, from series_point (after): $(timeit "$SUM") ms" \
    "(target <= 20)"

echo "== compare on the series"
LOAD="SELECT s.real_us FROM sample s JOIN run r ON r.id = s.run_id
    JOIN worker w ON w.id = r.worker_id JOIN workload l ON l.id =
    r.workload_id JOIN kernel k ON k.id = r.kernel_id WHERE w.name = 'scale'
    AND l.name = 'series' AND k.label = 'sk-$NK' AND NOT s.warmup AND NOT
    s.timedout AND (s.status IS NULL OR s.status = 0) ORDER BY r.id, s.rep"
echo "one kernel's samples (what compare loads): $(timeit "$LOAD") ms"
t0=$(now)
n=0
while [ $n -lt 5 ]; do
	"$KB" compare --worker scale --workload series "sk-1" "sk-$NK" \
	    >"$B/cmp.out" 2>&1 || true
	n=$((n + 1))
done
t1=$(now)
echo "kbench compare sk-1 sk-$NK: $(echo "($t1 - $t0) * 200" | bc -l |
    awk '{ printf "%.1f", $1 }') ms per command (process, connect, load,"\
    "stats)"
grep -iE 'real|verdict|differ' "$B/cmp.out" | head -3 || true
