#!/bin/sh
# Build what the QEMU tests boot, once, in $KBENCH_QEMU_HOME (default
# ./var): the base kernel (kbench kernel build) and the amd64 guest
# image (kbench worker prepare amd64).  Both are cached outside the
# clone (~/.cache/kbench: the kernel tree, ccache, images), so a second
# clone on the same machine pays a warm rebuild only.  Prints how long
# each step took.  KBENCH_NO_QEMU=1 skips it (the QEMU tests then skip,
# except under CI, where they fail: CI must boot a real kernel).
set -eu
cd "$(dirname "$0")/.."
if [ -n "${KBENCH_NO_QEMU:-}" ]; then
	echo "qemu-prep: KBENCH_NO_QEMU set: not building kernel and image"
	exit 0
fi
QHOME=${KBENCH_QEMU_HOME:-$(pwd)/var}
mkdir -p "$QHOME"
export KBENCH_HOME="$QHOME"
KB=./bin/kbench

t0=$(date +%s)
$KB -q kernel build --os linux --arch amd64 --no-db >"$QHOME/qemu-prep.log" \
    2>&1 || { tail -n 40 "$QHOME/qemu-prep.log" >&2; exit 1; }
t1=$(date +%s)
$KB -q worker prepare amd64 >>"$QHOME/qemu-prep.log" 2>&1 ||
    { tail -n 40 "$QHOME/qemu-prep.log" >&2; exit 1; }
t2=$(date +%s)
echo "qemu-prep: base kernel $((t1 - t0)) s, guest image $((t2 - t1)) s" \
    "(in $QHOME; log $QHOME/qemu-prep.log)"
