#!/bin/sh
# bench-plot.sh: kbench serve drawing the compare plot of 1,000,000
# samples (two kernels of 500,000, real, user and sys each, imported
# from time -p logs into a private cluster).  Prints the time of the
# first request (read, summarised and drawn; the target is under 5 s),
# of the next one (the drawn file, sent again), of 20 clients at once
# after the data changed (one drawing for all), and serve's peak RSS
# over all of it (VmHWM; the target is under 200 MB; gnuplot is a
# process of its own and not in it).
# Usage: scripts/bench-plot.sh [KBENCH_BINARY]   (default bin/kbench)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KBENCH=${1:-$ROOT/bin/kbench}
W=$(mktemp -d "${TMPDIR:-/tmp}/kbench-bench-plot.XXXXXX")
chmod 755 "$W"
export KBENCH_HOME=$W/home
unset KBENCH_DB
SPID=
finish() {
	set +e
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	"$KBENCH" db stop >/dev/null 2>&1
	rm -rf "$W"
}
trap finish EXIT

PER=${PER:-500000}
t0=$(date +%s)
for k in base new; do
	awk -v n="$PER" -v k="$k" 'BEGIN { srand(length(k));
	    d = (k == "new") ? 1.03 : 1
	    for (i = 0; i < n; i++) { r = (100 + rand() * 2) * d
		printf "real %.2f\nuser %.2f\nsys %.2f\n", r, r * 1.3, r / 2 } }' \
	    >"$W/log.txt"
	"$KBENCH" -q import --worker rv --arch riscv64 --workload libc \
	    --kernel "$k" "$W/log.txt" >/dev/null
done
N=$("$KBENCH" db psql -XAtq -c "SELECT count(*) FROM sample")
echo "loaded $N samples in $(( $(date +%s) - t0 ))s"

. "$ROOT/scripts/serve-start.sh"
serve_start "$KBENCH" "$W/serve.err" || {
	cat "$W/serve.err"
	exit 1
}
q() { "$KBENCH" db psql -XAtq -c "$1"; }
PLOT=plot-compare-$(q "SELECT id FROM worker WHERE name = 'rv'")-$(q "SELECT
    id FROM workload WHERE name = 'libc'")-$(q "SELECT id FROM kernel
    WHERE label = 'base'")-$(q "SELECT id FROM kernel WHERE label = 'new'").svg
get() {		# seconds of one request, or FAIL
	curl -s -o "$W/$2" -w '%{http_code} %{time_total}\n' --max-time 120 \
	    "$URL/$1" | awk '$1 != 200 { print "FAIL(" $1 ")"; exit }
		{ printf "%.2f\n", $2 }'
}
hwm() {
	awk '/^VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$SPID/status" \
	    2>/dev/null || echo "(no /proc)"
}
echo "serve after start: peak RSS $(hwm)"
echo "compare plot of $N samples, drawn: $(get "$PLOT" a.svg) s" \
    "(target < 5 s)"
echo "the same plot again (cached): $(get "$PLOT" b.svg) s"
echo "SVG: $(wc -c <"$W/a.svg") bytes"
# New data: the next request draws again, 20 at once wait for it.
printf 'real 101\nuser 131\nsys 50\n' >"$W/one.txt"
"$KBENCH" -q import --worker rv --workload libc --kernel new \
    "$W/one.txt" >/dev/null
t0=$(date +%s.%N)
pids=
for i in $(seq 20); do
	get "$PLOT" "c$i.svg" >"$W/c$i.t" &
	pids="$pids $!"
done
wait $pids
t1=$(date +%s.%N)
bad=$(cat "$W"/c*.t | grep -c FAIL || true)
echo "20 clients at once after a change: $(echo "$t1 - $t0" |
    bc -l | awk '{ printf "%.2f", $1 }') s for all, $bad failed," \
    "$(grep -c "drew $PLOT" "$W/serve.err") drawings in all"
echo "serve's peak RSS (VmHWM): $(hwm) (target < 200 MB)"
grep "drew" "$W/serve.err" || true
