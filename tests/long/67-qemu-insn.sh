#!/bin/sh
# kbench-test: long
# kbench-test: qemu
# One qemu-amd64 boot with -smp 2 under TCG with the instruction-
# counting plugin (bin/kbench-insn.so): each of 4 repetitions of a
# small CPU loop in the guest's shell comes back with insn_kernel and
# insn_user, stored beside real/user/sys; the user count of the same
# loop moves far less than its time may (under 2% between repetitions:
# the loop's own instructions do not change, only what else the guest
# ran).  A few minutes (one boot; the image is rebuilt once when the
# agent changed).
. "$(dirname "$0")/../integration/60-qemu-lib.inc"

[ -f "$ROOT/bin/kbench-insn.so" ] ||
    skip "no $ROOT/bin/kbench-insn.so (make all builds it)"
expect_status 0 "$KBENCH" worker boot amd64 --kernel "$KID12" -n 4 \
    --warmup 1 --smp 2 --accel tcg --store --rep-timeout 300 -- \
    'i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done'
contains "$OUT" "state done"
echo "$OUT" | grep '^rep '
lacks "$OUT" "insn_user -1"
[ "$(sql "SELECT count(*) FROM sample WHERE insn_kernel > 0 AND
    insn_user > 1000000")" = 5 ] || fail "samples lack instruction counts:
$(sql "SELECT rep, insn_kernel, insn_user FROM sample ORDER BY rep")"
# The spread of insn_user over the counted repetitions, in percent of
# the mean (stddev / mean).
cv=$(sql "SELECT round((100 * stddev(insn_user) / avg(insn_user))::numeric,
    3) FROM sample WHERE NOT warmup")
echo "insn_user CV ${cv}%"
[ "$(echo "$cv < 2" | bc)" = 1 ] || fail "insn_user CV $cv% (>= 2%)"
# The metric through the one metric table: a report of the series.
res=$(ls -d "$KBENCH_HOME"/qemu/runs/* | head -n 1)
[ -s "$res/insn.log" ] || fail "no insn.log in $res"
[ "$(grep -c '^KBENCH-INSN ' "$res/insn.log")" -eq 5 ] ||
    fail "insn.log: $(cat "$res/insn.log")"
echo "insn ok"
