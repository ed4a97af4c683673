#!/bin/sh
# kbench-test: qemu
# A kernel that really panics at boot (init= names a file that does not
# exist) is recorded as failed (result file and database), with the
# panic as the reason and the console's tail, within the boot timeout,
# and QEMU is gone.
. "$(dirname "$0")/60-qemu-lib.inc"

start=$(date +%s)
expect_status 1 "$KBENCH" worker boot amd64 --kernel "$KID12" -n 1 \
    --store --boot-timeout 300 --append "init=/nonexistent" -- true
contains "$OUT" "state failed"
contains "$OUT" "Kernel panic"
contains "$OUT" "console tail"
contains "$OUT" "/nonexistent"
[ $(( $(date +%s) - start )) -lt 300 ] ||
    fail "panic not seen before the timeout"
res=$(ls -d "$KBENCH_HOME"/qemu/runs/* | head -n 1)
grep -q '^state=failed' "$res/result" || fail "result not failed"
grep -q '^reason=kernel trouble: .*Kernel panic' "$res/result" ||
    fail "reason not kept"
pgrep -f "$res/overlay" >/dev/null && fail "qemu still running"
# Recorded in the database as failed, with the reason and the tail.
[ "$(sql "SELECT state FROM run WHERE source = 'qemu'")" = failed ] ||
    fail "run not recorded as failed"
contains "$(sql "SELECT reason FROM run WHERE source = 'qemu'")" \
    "Kernel panic"
contains "$(sql "SELECT console_tail FROM run WHERE source = 'qemu'")" \
    "/nonexistent"
[ "$(sql "SELECT count(*) FROM sample")" = 0 ] || fail "samples stored"
echo "panic ok"
