#!/bin/sh
# bench-web.sh: page times of kbench serve with 1,000,000 samples in the
# database.  Loads 2 workers x 100 kernels x 5,000 samples (time -p
# logs through kbench import) into a private cluster, starts kbench
# serve, and times every page and API call with curl: the first request
# (cold: summaries are computed and kept) and the median of 5 after.
# Usage: scripts/bench-web.sh [KBENCH_BINARY]   (default bin/kbench)
# Prints one line per page; the target is under 100 ms warm.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KBENCH=${1:-$ROOT/bin/kbench}
W=$(mktemp -d "${TMPDIR:-/tmp}/kbench-bench-web.XXXXXX")
chmod 755 "$W"
export KBENCH_HOME=$W/home
unset KBENCH_DB
SPID=
finish() {
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null
	"$KBENCH" db stop >/dev/null 2>&1 || true
	rm -rf "$W"
}
trap finish EXIT

KERNELS=${KERNELS:-100}
PER=${PER:-5000}
t0=$(date +%s)
for w in rv amd; do
	k=1
	while [ $k -le "$KERNELS" ]; do
		# A 3% step at kernel 60: something for the pages to show.
		awk -v n="$PER" -v k="$k" -v s="$w$k" 'BEGIN {
		    srand(length(s) * 7919 + k); base = (k >= 60) ? 103 : 100
		    for (i = 0; i < n; i++) {
			r = base + rand() * 2; printf "real %.2f\n", r
			printf "user %.2f\nsys %.2f\n", r * 1.3, r * 1.9 } }' \
		    >"$W/log.txt"
		"$KBENCH" -q import --worker "$w" --arch "$w" --workload libc \
		    --kernel "k$(printf %03d "$k")" \
		    --date "2024-01-01 00:00:00+00" "$W/log.txt" >/dev/null
		"$KBENCH" db psql -XAtq -c "UPDATE kernel SET commit_date =
		    '2024-01-01'::timestamptz + interval '1 day' * $k
		    WHERE label = 'k$(printf %03d "$k")'" >/dev/null
		k=$((k + 1))
	done
done
n=$("$KBENCH" db psql -XAtq -c "SELECT count(*) FROM sample")
echo "loaded $n samples in $(( $(date +%s) - t0 ))s"

. "$ROOT/scripts/serve-start.sh"
serve_start "$KBENCH" "$W/serve.err" || {
	cat "$W/serve.err"
	exit 1
}
q() { "$KBENCH" db psql -XAtq -c "$1"; }
wid=$(q "SELECT id FROM worker WHERE name = 'rv'")
lid=$(q "SELECT id FROM workload WHERE name = 'libc'")
k1=$(q "SELECT id FROM kernel WHERE label = 'k059'")
k2=$(q "SELECT id FROM kernel WHERE label = 'k060'")
run=$(q "SELECT max(id) FROM run")

ms() {		# one request's time in ms, or FAIL
	curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$URL/$1" |
	    awk '$1 != 200 { print "FAIL(" $1 ")"; exit }
		{ printf "%.1f\n", $2 * 1000 }'
}
printf '%-46s %10s %10s\n' page "cold ms" "warm ms"
# An alert (kbench detect on the step at k060), a queued try request.
"$KBENCH" -q detect --metric real >/dev/null 2>&1 || true
alert=$(q "SELECT coalesce(min(id), 0) FROM alert")
try=$(q "INSERT INTO try_request (worker, workload, n, patch)
    VALUES ('rv', 'libc', 5, 'x') RETURNING id")
for p in index.html 'index.html?arch=rv&metric=sys' \
    'index.html?from=2024-02-01&to=2024-03-01' status.html \
    regressions.html alerts.html "alert-$alert.html" "try-$try.html" \
    "series-$wid-$lid.html" "series-$wid-$lid-sys.html" \
    "series-$wid-$lid.html?from=2024-02-01&to=2024-03-01" \
    "compare-$wid-$lid-$k1-$k2.html" \
    "compare.html?w=$wid&l=$lid&a=$k1&b=$k2" "run-$run.html" \
    api/status api/runs "api/runs/$run" \
    "api/series?worker=rv&workload=libc" api/regressions \
    "plot-history-$wid-$lid-real.svg" "plot-compare-$wid-$lid-$k1-$k2.svg"; do
	cold=$(ms "$p")
	warm=$(for i in 1 2 3 4 5; do ms "$p"; done | sort -n | sed -n 3p)
	printf '%-46s %10s %10s\n' "$p" "$cold" "$warm"
done
echo "(plots: gnuplot, drawn once per change of their data, then the file)"
