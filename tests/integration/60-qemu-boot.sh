#!/bin/sh
# kbench-test: qemu
# Boot the built kernel over the guest image and get two samples of a
# tiny workload out of the serial console: the guest's uname -r must
# carry the kernel id, each sample must come with the guest's disk and
# page-cache figures, and a kernel-id mismatch must be refused.
. "$(dirname "$0")/60-qemu-lib.inc"

expect_status 0 "$KBENCH" worker boot amd64 --kernel "$KID12" -n 2 \
    --store --rep-timeout 120 -- \
    'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done'
contains "$OUT" "state done"
contains "$OUT" "release 6.1"
contains "$OUT" "-kb$KID12"
contains "$OUT" "rep 1 real"
contains "$OUT" "rep 2 real"
contains "$OUT" "samples 2"
lacks "$OUT" "read_kib -1 write_kib -1 cached_kib -1"
# Stored: the run done, two samples with the guest's figures, the
# kernel row with its release.
[ "$(sql "SELECT state FROM run WHERE source = 'qemu'")" = done ] ||
    fail "run not done in the database"
[ "$(sql "SELECT count(*) FROM sample WHERE cached_pre_kib > 0 AND
    disk_read_kib IS NOT NULL")" = 2 ] || fail "samples lack guest figures"
contains "$(sql "SELECT release FROM kernel")" "-kb$KID12"

# A run dir holds the console log and the result.
res=$(ls -d "$KBENCH_HOME"/qemu/runs/* | head -n 1)
[ -s "$res/console.log" ] || fail "no console.log in $res"
grep -q '^state=done' "$res/result" || fail "result not done"
grep -q 'KBENCH-START' "$res/console.log" || fail "no START on the console"
[ ! -e "$res/overlay.qcow2" ] || fail "overlay left behind"

# The wrong kernel: pretend we built another id.  Its samples must not
# be trusted; the run is failed with the reason.
zero=0000000000000000000000000000000000000000000000000000000000000000
other=$KBENCH_HOME/kernels/$zero
mkdir -p "$other"
sed "s/^kid=.*/kid=${other##*/}/" "$KBENCH_HOME/kernels/$KID/kernel.info" \
    >"$other/kernel.info"
ln -s "$KBENCH_HOME/kernels/$KID/bzImage" "$other/bzImage"
expect_status 1 "$KBENCH" worker boot amd64 --kernel 000000000000 -n 1 \
    -- true
contains "$OUT" "wrong kernel"
lacks "$OUT" "rep 1 real"
echo "boot ok"
