#!/bin/sh
# bench-qemu.sh: how noisy is a QEMU guest's timing, with and without
# TCG's -icount, and which detects a smaller effect per hour of machine
# time?  One boot of the base kernel each way: a warm-up and N counted
# repetitions of the libc-small workload (make -j of a fixed fifth of
# musl).  Prints mean and CV of real and sys time, seconds per
# repetition, and the smallest effect a one-hour A/B try would detect
# (two-sided 5%, power 80%: 2.8 * CV * sqrt(2 / n), n = reps a side
# that an hour of machine time buys, warm-ups and boots included).
#
# Usage: scripts/bench-qemu.sh [N] [SHIFT] [tcg|icount|both]
# (default 5, 3, both).
# Needs the base kernel and the image (make test builds both in ./var).
set -eu
cd "$(dirname "$0")/.."
KB=${KB:-./bin/kbench}
N=${1:-5}
SHIFT=${2:-3}
MODES=${3:-both}
export KBENCH_HOME="${KBENCH_QEMU_HOME:-$(pwd)/var}"
KID=$($KB -q kernel build --id-only)
KID12=$(echo "$KID" | cut -c1-12)
CMD='make -f Makefile -f "$KBENCH_ROOT/configs/workloads/libc-small.mk" -j"$NCPU" kbench-small'
out=$(mktemp)
trap 'rm -f "$out"' EXIT

one() {	# label, extra args...
	label=$1
	shift
	t0=$(date +%s)
	$KB -q worker boot amd64 --kernel "$KID12" -n "$N" --warmup 1 \
	    --dir /root/src/musl --setup 'make clean' --cleanup 'make clean' \
	    "$@" -- "$CMD" >"$out" 2>&1 || { cat "$out" >&2; exit 1; }
	# Machine time per repetition: the boot's wall time over every
	# repetition it ran (the warm-up too: a try pays for it).
	wall=$(( ($(date +%s) - t0) / (N + 1) ))
	grep '^rep ' "$out" | grep -v warm-up | awk -v l="$label" -v w="$wall" '
	{ r[NR] = $4; s[NR] = $8 }
	END {
		for (i = 1; i <= NR; i++) { mr += r[i]; ms += s[i] }
		mr /= NR; ms /= NR
		for (i = 1; i <= NR; i++) {
			vr += (r[i] - mr) ^ 2; vs += (s[i] - ms) ^ 2
		}
		cvr = sqrt(vr / (NR - 1)) / mr; cvs = sqrt(vs / (NR - 1)) / ms
		nh = 3600 / (2 * w)
		printf "%s: n %d, %d s of machine time a repetition\n" \
		    "  real %.2f s CV %.3f%%, sys %.2f s CV %.2f%%; one hour of " \
		    "A/B try finds real %.2f%%, sys %.2f%%\n", l, NR, w, mr,
		    cvr * 100, ms, cvs * 100, 280 * cvr * sqrt(2 / nh),
		    280 * cvs * sqrt(2 / nh)
	}'
	grep '^accel' "$out"
}

echo "== QEMU timing noise: base kernel $KID12, libc-small, 1 + $N reps"
[ "$MODES" = icount ] || one "tcg, 2 vCPUs"
[ "$MODES" = tcg ] || one "tcg -icount shift=$SHIFT, 1 vCPU" --icount "$SHIFT"
