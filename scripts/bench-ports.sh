#!/bin/sh
# bench-ports.sh: the wall time of ports-small (the 6 packages of the
# package DAG, configs/ports/packages-dag-small.list) on the local
# worker: kbench run --workload ports-small -n 1 after its fetch, then
# each package's real, user and sys as stored, and what the harness
# adds per package: the run's wall less the repetition's real, over
# the packages.  Minutes of compiling: make bench-ports (bench-slow).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
KB=$ROOT/bin/kbench
export KBENCH_AGENT=$ROOT/bin/kbench-agent
B=$(mktemp -d "${TMPDIR:-/tmp}/kbench-bench-ports.XXXXXX")
chmod 755 "$B"
export KBENCH_HOME=$B/home
trap '"$KB" -q db stop >/dev/null 2>&1 || true; rm -rf "$B"' EXIT
unset KBENCH_DB

"$KB" -q db start
# The sources first (from the shared cache), so the timed run fetches
# nothing.
KBENCH_SRC=$KBENCH_HOME/src sh workers/fetch/ports.sh \
    configs/ports/packages-dag-small.list
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
t0=$(date +%s.%N)
"$KB" -q run --worker local --workload ports-small -n 1 >/dev/null
t1=$(date +%s.%N)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
"$KB" db psql -XAtq -F ' ' -c "SELECT b.package, b.status,
    b.real_us / 1e6, b.user_us / 1e6, b.sys_us / 1e6 FROM pkg_build b
    ORDER BY b.started" | awk '{
	printf "%-10s %-7s real %7.1f user %6.1f sys %6.1f\n", $1, $2, \
	    $3, $4, $5 }'
"$KB" db psql -XAtq -F ' ' -c "SELECT s.real_us / 1e6, s.user_us / 1e6,
    s.sys_us / 1e6, (SELECT count(*) FROM pkg_build) FROM sample s" |
    awk -v wall="$(echo "$t1 - $t0" | bc)" '{
	printf "ports-small: %d packages, bulk real %.1f s (user %.1f, " \
	    "sys %.1f); kbench run wall %.1f s\n", $4, $1, $2, $3, wall
	printf "harness overhead: %.2f s in all, %.3f s a package\n", \
	    wall - $1, (wall - $1) / $4
}'
