#!/bin/sh
# make demo: the main job on the built-in default.
#
# Two parts.  First (seconds) what a kernel developer does today by
# hand, done by kbench: the timing logs of a libc build on riscv64
# before and after the UVM_VNODE_CANPERSIST removal go into a private
# PostgreSQL, and kbench compares them.  Then (minutes) the same
# question asked of a real kernel: kbench try builds Linux 6.1 with the
# CANPERSIST analogue (kernel-src/patches), boots it and the base
# kernel in turns in QEMU guests, times make -j of musl in each, and
# flags the regression.  KBENCH_DEMO_QUICK=1 stops after the first.
set -eu
cd "$(dirname "$0")/.."
KB=./bin/kbench
export KBENCH_HOME="${KBENCH_HOME:-$(pwd)/var}/demo"

# A fresh store each time, so the demo's figures never pile up.
if [ -d "$KBENCH_HOME/pg" ]; then
	$KB -q db stop || true
fi
rm -rf "$KBENCH_HOME"
mkdir -p "$KBENCH_HOME"
chmod 755 "$KBENCH_HOME"

echo "== kbench db start (private cluster in $KBENCH_HOME/pg)"
$KB db start
echo
echo "== kbench import: riscv64 make -j4 libc, base and CANPERSIST removal"
$KB import --worker riscv64-unmatched --workload libc \
    --kernel 'OpenBSD-current' tests/data/riscv64-libc-base.txt
$KB import --worker riscv64-unmatched --workload libc \
    --kernel 'OpenBSD-current+canpersist-removal' \
    tests/data/riscv64-libc-canpersist.txt
echo
echo "== kbench compare (from the database)"
set +e
$KB compare --fail-on-regression --worker riscv64-unmatched \
    --workload libc 'OpenBSD-current' 'OpenBSD-current+canpersist-removal'
st=$?
set -e
$KB -q db stop
echo
if [ $st -ne 3 ]; then
	echo "demo: expected a regression verdict, got exit status $st" >&2
	exit 1
fi
echo "demo: regression flagged (exit 3 from --fail-on-regression)"
[ -n "${KBENCH_DEMO_QUICK:-}" ] && exit 0

# Part 2: kernels, image and database in the default home (./var), so
# a second demo reuses the built kernels and the guest image.
export KBENCH_HOME="${KBENCH_HOME%/demo}"
N=${KBENCH_DEMO_N:-4}
WL=libc-small
accel=$($KB -q worker accel 2>/dev/null | cut -f1)
echo
echo "== kbench try: Linux 6.1 + canpersist-removal.patch on qemu-amd64"
if [ "$accel" = kvm ]; then
	WL=libc
	echo "   KVM works here: the whole of musl (workload libc), $N samples a side"
else
	echo "   no working KVM here: TCG emulation, about 10x slower than"
	echo "   hardware, so the workload is libc-small (a fixed fifth of"
	echo "   musl, one compiler run per file as in the full build),"
	echo "   $N samples a side; the first run builds the kernels (minutes)"
fi
set +e
$KB try kernel-src/patches/canpersist-removal.patch --worker qemu-amd64 \
    --workload $WL -n "$N" --per-boot 2 --fail-on-regression
st=$?
set -e
echo
case $st in
3)	echo "demo: the CANPERSIST patch is flagged as a regression" ;;
0)	echo "demo: no regression flagged this time (see the intervals" \
	    "above; more samples: KBENCH_DEMO_N=8 make demo)" ;;
*)	echo "demo: kbench try failed (exit $st)" >&2
	exit 1 ;;
esac
