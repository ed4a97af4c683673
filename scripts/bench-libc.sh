#!/bin/sh
# bench-libc.sh: kbench run --worker local --workload libc -n 3 (all of
# musl, make -j NCPU) as a new user runs it, then the same recipe with
# the timed command wrapped in /usr/bin/time, so that both clocks
# measure the very same executions: prints each repetition's real,
# user and sys from the agent and from time(1), and the largest
# relative difference (target: within 1%).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
KB=$ROOT/bin/kbench
export KBENCH_AGENT=$ROOT/bin/kbench-agent
B=$(mktemp -d "${TMPDIR:-/tmp}/kbench-bench-libc.XXXXXX")
chmod 755 "$B"
export KBENCH_HOME=$B/home
trap '"$KB" -q db stop >/dev/null 2>&1 || true; rm -rf "$B"' EXIT
unset KBENCH_DB

echo "== kbench run --worker local --workload libc -n 3"
t0=$(date +%s)
"$KB" run --worker local --workload libc -n 3 2>&1 | tail -n 6
echo "(whole run, fetch and configure included: $(( $(date +%s) - t0 )) s)"

# The same recipe, its command under /usr/bin/time.
mkdir -p "$B/wl"
sed -e 's/^name = "libc";/name = "libc-timed";/' \
    -e "s|^	command = \"make -j\\\\\"\$NCPU\\\\\"\";|	command = \"/usr/bin/time -a -o $B/time.txt -f '%e %U %S' make -j\\\\\"\$NCPU\\\\\"\";|" \
    configs/workloads/libc.conf >"$B/wl/libc-timed.conf"
grep -q /usr/bin/time "$B/wl/libc-timed.conf" ||
    { echo "bench-libc: could not wrap the command" >&2; exit 1; }
printf 'workload_dirs = [ "%s" ];\n' "$B/wl" >"$B/kbench.conf"
echo "== the same, each repetition also timed by /usr/bin/time"
"$KB" -q run --config "$B/kbench.conf" --worker local \
    --workload libc-timed -n 3 -w 0 >/dev/null
"$KB" db psql -XAtq -F ' ' -c "SELECT s.real_us / 1e6, s.user_us / 1e6,
    s.sys_us / 1e6 FROM sample s JOIN run r ON r.id = s.run_id
    JOIN workload l ON l.id = r.workload_id WHERE l.name = 'libc-timed'
    AND NOT s.warmup ORDER BY s.rep" >"$B/agent.txt"
paste -d ' ' "$B/agent.txt" "$B/time.txt" | awk '
{
	printf "rep %d: agent real %.2f user %.2f sys %.2f | time(1) " \
	    "real %.2f user %.2f sys %.2f\n", NR, $1, $2, $3, $4, $5, $6
	for (i = 1; i <= 3; i++) {
		d = ($i - $(i + 3)) / $(i + 3); if (d < 0) d = -d
		if (d > m[i]) m[i] = d
	}
}
END {
	printf "largest difference: real %.2f%%, user %.2f%%, sys %.2f%% " \
	    "(target <= 1%%)\n", m[1] * 100, m[2] * 100, m[3] * 100
}'
