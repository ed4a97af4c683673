#!/bin/sh
# kbench-test: long
# kbench-test: qemu
# A riscv64 QEMU guest (virt under OpenSBI, 4 harts, 8250 console, TCG)
# boots the cross-built base kernel over the riscv64 trixie image and
# runs a short workload through the static kbench-agent: the samples are
# stored and the guest runs the kernel that was built.
QARCH=riscv64
. "$(dirname "$0")/63-qemu-arch.inc"
