#!/bin/sh
# kbench-test: long
# kbench-test: qemu
# An arm64 QEMU guest (virt, cortex-a57, PL011 console, TCG) boots the
# cross-built base kernel over the arm64 bookworm image and runs a short
# workload through the static kbench-agent: the samples are stored and
# the guest runs the kernel that was built (-kb<kid12> in uname -r).
QARCH=arm64
. "$(dirname "$0")/63-qemu-arch.inc"
