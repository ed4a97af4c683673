#!/bin/sh
# bench-qemu-insn.sh: how stable are the guest instruction counts of
# the TCG plugin (bin/kbench-insn.so), and what does the plugin cost?
# BOOTS boots of the base kernel on qemu-amd64 with -smp 2 under TCG,
# each with a warm-up and N counted repetitions, and as many boots
# without the plugin (--no-insn), in turns.  Prints, for real time,
# insn_kernel and insn_user: the CV within a boot (the mean of the
# boots' CVs) and across boots (the CV of the boots' means); and the
# slowdown, the mean real time with the plugin over that without.
#
# Usage: scripts/bench-qemu-insn.sh [BOOTS] [N] [CMD]
# (default 4, 8, and ten compiles of an empty file with the guest's gcc:
# exec, page cache, user and kernel work).  docs/statistics.md has the
# figures.  Needs the base kernel and the image (scripts/qemu-prep.sh).
set -eu
cd "$(dirname "$0")/.."
KB=${KB:-./bin/kbench}
BOOTS=${1:-4}
N=${2:-8}
CMD=${3:-'cd /tmp && : >e.c && i=0; while [ $i -lt 10 ]; do gcc -c e.c || exit 1; i=$((i+1)); done'}
export KBENCH_HOME="${KBENCH_QEMU_HOME:-$(pwd)/var}"
[ -f bin/kbench-insn.so ] || { echo "no bin/kbench-insn.so (make all)" >&2; exit 1; }
KID12=$($KB -q kernel build --id-only | cut -c1-12)
out=$(mktemp)
all=$(mktemp)
trap 'rm -f "$out" "$all"' EXIT

# boot TAG [ARGS]: one boot; "TAG BOOT real insn_kernel insn_user" per
# counted repetition into $all.
boot() {
	tag=$1
	shift
	$KB -q worker boot amd64 --kernel "$KID12" -n "$N" --warmup 1 \
	    --smp 2 --accel tcg --rep-timeout 600 "$@" -- "$CMD" \
	    >"$out" 2>&1 || { cat "$out" >&2; exit 1; }
	grep '^rep ' "$out" | grep -v warm-up | awk -v t="$tag" -v b="$b" '
	{
		for (i = 1; i < NF; i++) {
			if ($i == "real") r = $(i + 1)
			if ($i == "insn_kernel") k = $(i + 1)
			if ($i == "insn_user") u = $(i + 1)
		}
		print t, b, r, k, u
	}' >>"$all"
}

echo "== guest instruction counts: base kernel $KID12, qemu-amd64 TCG" \
    "-smp 2, $BOOTS boots x (1 + $N) reps, with and without the plugin"
b=1
while [ "$b" -le "$BOOTS" ]; do
	boot insn
	boot none --no-insn
	b=$((b + 1))
done
awk '
function cv(s, ss, n,   m) {
	if (n < 2) return 0
	m = s / n
	return sqrt((ss - n * m * m) / (n - 1)) / m * 100
}
{
	for (j = 3; j <= 5; j++) {
		key = $1 SUBSEP $2 SUBSEP j
		s[key] += $j; ss[key] += $j * $j; n[key]++
		boots[$1 SUBSEP $2] = 1
	}
}
END {
	split("real insn_kernel insn_user", name, " ")
	for (j = 3; j <= 5; j++) {
		for (t = 1; t <= 2; t++) {
			tag = t == 1 ? "insn" : "none"
			if (tag == "none" && j > 3) continue
			nb = 0; wsum = 0; bs = 0; bss = 0
			for (bt in boots) {
				split(bt, p, SUBSEP)
				if (p[1] != tag) continue
				key = tag SUBSEP p[2] SUBSEP j
				wsum += cv(s[key], ss[key], n[key])
				m = s[key] / n[key]
				bs += m; bss += m * m; nb++
			}
			if (nb == 0) continue
			mean[tag, j] = bs / nb
			printf "%-12s %-14s mean %14.3f  CV within a boot " \
			    "%6.3f%%  across boots %6.3f%%\n", name[j - 2],
			    tag == "insn" ? "(plugin)" : "(no plugin)",
			    bs / nb, wsum / nb, cv(bs, bss, nb)
		}
	}
	if (mean["none", 3] > 0)
		printf "slowdown of the plugin (real time): %.3fx\n",
		    mean["insn", 3] / mean["none", 3]
}' "$all"
