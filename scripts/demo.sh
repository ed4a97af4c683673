#!/bin/sh
# make demo: the main job on the built-in default.
#
# Until kbench boots patched kernels itself, the demo is what a kernel
# developer does today by hand, done by kbench: the timing logs of a
# libc build on riscv64 before and after the UVM_VNODE_CANPERSIST
# removal go into a private PostgreSQL, and kbench compares them.
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
if [ $st -eq 3 ]; then
	echo "demo: regression flagged (exit 3 from --fail-on-regression)"
	exit 0
fi
echo "demo: expected a regression verdict, got exit status $st" >&2
exit 1
