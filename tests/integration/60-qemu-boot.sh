#!/bin/sh
# Boot the built kernel over the guest image and get two samples of a
# tiny workload out of the serial console: the guest's uname -r must
# carry the kernel id, each sample must come with the guest's disk and
# page-cache figures, and a kernel-id mismatch must be refused.
. "$(dirname "$0")/60-qemu-lib.inc"

expect_status 0 "$KBENCH" worker boot amd64 --kernel "$KID12" -n 2 \
    --rep-timeout 120 -- 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done'
contains "$OUT" "state done"
contains "$OUT" "release 6.1"
contains "$OUT" "-kb$KID12"
contains "$OUT" "rep 1 real"
contains "$OUT" "rep 2 real"
contains "$OUT" "samples 2"
lacks "$OUT" "read_kib -1 write_kib -1 cached_kib -1"

# A run dir holds the console log and the result.
res=$(ls -d "$KBENCH_HOME"/qemu/runs/* | head -n 1)
[ -s "$res/console.log" ] || fail "no console.log in $res"
grep -q '^state=done' "$res/result" || fail "result not done"
grep -q 'KBENCH-START' "$res/console.log" || fail "no START on the console"
[ ! -e "$res/overlay.qcow2" ] || fail "overlay left behind"

# The wrong kernel: pretend we built another id.  Its samples must not
# be trusted; the run is failed with the reason.
other=$KBENCH_HOME/kernels/0000000000000000000000000000000000000000000000000000000000000000
mkdir -p "$other"
sed "s/^kid=.*/kid=${other##*/}/" "$KBENCH_HOME/kernels/$KID/kernel.info" \
    >"$other/kernel.info"
ln -s "$KBENCH_HOME/kernels/$KID/bzImage" "$other/bzImage"
expect_status 1 "$KBENCH" worker boot amd64 --kernel 000000000000 -n 1 \
    -- true
contains "$OUT" "wrong kernel"
lacks "$OUT" "rep 1 real"
echo "boot ok"
