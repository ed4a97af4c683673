#!/bin/sh
# bench-bulk.sh: the harness's cost per package of a bulk build, with
# no compiling in the way: kbench run --worker local of a workload whose
# kbench-bulk list is 100 packages that do nothing (a chain of 10
# levels, 10 packages wide, each level needing the one before), -n 3.
# Prints the repetition's real time (kbench-bulk: copying each empty
# tree, forking each shell, waiting, writing the rows), the whole
# kbench run (agent, setup, cleanup, storing 300 rows), and both per
# package.  Part of make bench (seconds).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
KB=$ROOT/bin/kbench
export KBENCH_AGENT=$ROOT/bin/kbench-agent
B=$(mktemp -d "${TMPDIR:-/tmp}/kbench-bench-bulk.XXXXXX")
chmod 755 "$B"
export KBENCH_HOME=$B/home
trap '"$KB" -q db stop >/dev/null 2>&1 || true; rm -rf "$B"' EXIT
unset KBENCH_DB

N=100
mkdir -p "$B/wl" "$B/src"
i=0
while [ $i -lt $N ]; do
	mkdir -p "$B/src/p$i"
	if [ $i -lt 10 ]; then
		echo "p$i -- true"
	else
		echo "p$i deps=p$((i - 10)) -- true"
	fi
	i=$((i + 1))
done >"$B/noop.list"
cc -O2 -o "$B/kbench-bulk" workers/bulk/kbench-bulk.c
cat >"$B/wl/bulk-noop.conf" <<CONF
name = "bulk-noop";
description = "kbench-bulk over $N packages that do nothing";
defaults: { n = 3; warmup = 0; timeout = 600; };
linux: {
	dir = "$B";
	command = "\\"$B/kbench-bulk\\" -j \\"\$JOBS\\" -S \\"$B/src\\" "
	    "-w \\"$B/work\\" -p \\"$B/stage\\" -l \\"$B/logs\\" "
	    "-o \\"\$KBENCH_RESULTS_DIR/pkgs-\$KBENCH_REP.jsonl\\" "
	    "\\"$B/noop.list\\"";
	cleanup = "rm -rf \\"$B/work\\" \\"$B/stage\\" \\"$B/logs\\"";
};
CONF
printf 'workload_dirs = [ "%s" ];\n' "$B/wl" >"$B/kbench.conf"
"$KB" -q db start
t0=$(date +%s.%N)
"$KB" -q run --config "$B/kbench.conf" --worker local --workload bulk-noop \
    -n 3 >/dev/null
t1=$(date +%s.%N)
"$KB" db psql -XAtq -F ' ' -c "SELECT avg(s.real_us) / 1e6,
    (SELECT count(*) FROM pkg_build) FROM sample s" | awk -v n=$N \
    -v wall="$(echo "$t1 - $t0" | bc)" '{
	printf "%d no-op packages, -n 3: %d rows stored\n", n, $2
	printf "kbench-bulk per repetition: %.2f s, %.1f ms a package\n", \
	    $1, $1 * 1000 / n
	printf "kbench run, whole (3 repetitions, db start excluded): " \
	    "%.2f s, %.1f ms a package and repetition\n", wall, \
	    wall * 1000 / (3 * n)
}'
