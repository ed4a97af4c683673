#!/bin/sh
# kbench-test: qemu
# A workload that really hangs: with the agent's own timeout the
# repetition is killed and the run failed as a timeout; with no agent
# timeout the harness's per-repetition watchdog kills QEMU.
. "$(dirname "$0")/60-qemu-lib.inc"

expect_status 1 "$KBENCH" worker boot amd64 --kernel "$KID12" -n 1 \
    --timeout 5 -- sleep 100000
contains "$OUT" "state failed"
contains "$OUT" "reason timeout: the agent killed 1 repetition"
contains "$OUT" "TIMEOUT"

start=$(date +%s)
expect_status 1 "$KBENCH" worker boot amd64 --kernel "$KID12" -n 1 \
    --rep-timeout 20 -- sleep 100000
contains "$OUT" "state failed"
contains "$OUT" "reason timeout: no agent line for 20 s"
lacks "$OUT" "rep 1 real"
echo "hang ok"
