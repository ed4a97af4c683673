#!/bin/sh
# Build what the QEMU tests boot, once, in $KBENCH_QEMU_HOME (default
# ./var): for each arch the base kernel (kbench kernel build; arm64,
# riscv64 and macppc cross-built) and the guest image (kbench worker
# prepare ARCH; arm64 and riscv64 through qemu-user-static, macppc's
# BusyBox userland cross-built).  All are cached outside the
# clone (~/.cache/kbench: the kernel tree, ccache, images), so a second
# clone on the same machine pays a warm rebuild only.  Prints how long
# each step took.
#
# Usage: qemu-prep.sh [short|long|all]
#   short  what make test's QEMU tests boot: amd64, and the ssh guest
#   long   what make test-long's boot: all four arches, no ssh guest
#   all    (default) both
# KBENCH_QEMU_ARCHS: the arches (overrides the tier's).
# KBENCH_QEMU_SSH=0 or 1: without or with the ssh loopback guest (amd64;
# below), whatever the tier.
# KBENCH_NO_QEMU=1 skips it all (the QEMU tests then skip, except under
# CI, where they fail: CI must boot a real kernel).
set -eu
cd "$(dirname "$0")/.."
if [ -n "${KBENCH_NO_QEMU:-}" ]; then
	echo "qemu-prep: KBENCH_NO_QEMU set: not building kernels and images"
	exit 0
fi
case ${1:-all} in
short)	archs="amd64" ssh=1 ;;
long)	archs="amd64 arm64 riscv64 macppc" ssh=0 ;;
all)	archs="amd64 arm64 riscv64 macppc" ssh=1 ;;
*)	echo "usage: qemu-prep.sh [short|long|all]" >&2
	exit 2 ;;
esac
QHOME=${KBENCH_QEMU_HOME:-$(pwd)/var}
ARCHS=${KBENCH_QEMU_ARCHS:-$archs}
SSH=${KBENCH_QEMU_SSH:-$ssh}
mkdir -p "$QHOME"
export KBENCH_HOME="$QHOME"
KB=./bin/kbench
LOG=$QHOME/qemu-prep.log

: >"$LOG"
step() {	# what command...
	what=$1
	shift
	echo "+ $*" >>"$LOG"
	if ! "$@" >>"$LOG" 2>&1; then
		echo "qemu-prep: $what failed; the end of $LOG:" >&2
		tail -n 40 "$LOG" >&2
		exit 1
	fi
}

all0=$(date +%s)
summary=""
for arch in $ARCHS; do
	t0=$(date +%s)
	step "$arch kernel" $KB -q kernel build --os linux --arch "$arch" \
	    --no-db
	t1=$(date +%s)
	step "$arch guest image" $KB -q worker prepare "$arch"
	t2=$(date +%s)
	echo "qemu-prep: $arch: base kernel $((t1 - t0)) s, guest image" \
	    "$((t2 - t1)) s"
	summary="$summary $arch $((t2 - t0)) s,"
done
# The ssh loopback guest (tests/integration/66-ssh-try.sh): the sshd
# image; it boots the amd64 base kernel built above.
case " $ARCHS " in *" amd64 "*) if [ "$SSH" != 0 ]; then
	t0=$(date +%s)
	step "amd64 ssh image" sh workers/qemu/mkimage-ssh.sh
	echo "qemu-prep: amd64 ssh guest $(( $(date +%s) - t0 )) s"
fi ;; esac
echo "qemu-prep: total $(( $(date +%s) - all0 )) s (${summary# }" \
    "in $QHOME; log $LOG)"
