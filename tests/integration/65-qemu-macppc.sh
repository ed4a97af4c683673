#!/bin/sh
# kbench-test: retry 2
# kbench-test: long
# kbench-test: qemu
# The macppc QEMU worker (mac99, a G4 under OpenBIOS, one CPU, TCG,
# the PMACZILOG console ttyPZ0) for real: the cross-built 32-bit pmac
# base kernel boots the minimal BusyBox image and powers itself off,
# and a panic on that console fails its run; then `kbench try` of the CANPERSIST patch (kernel-src/patches) with
# the vm-small workload boots base and patched in turns.  The patch
# drops a program's page cache when its last mapping goes, so the
# guest's disk counters must show the programs read again, and the
# report must carry compare's verdicts.
#
# As 63-qemu-arch.inc: the base kernel and the image are built once by
# scripts/qemu-prep.sh (make test) in $KBENCH_QEMU_HOME (default ./var):
#
#   kbench kernel build --os linux --arch macppc   (cross-built)
#   kbench worker prepare macppc                   (BusyBox, cross-built)
#
# and reused here; the patched kernel is built there too (a rebuild of
# mm/mmap.c and a relink).  The samples go to this test's own database.
# When a piece is missing the test exits 77, skipped (a failure under
# CI, KBENCH_CI: tests/run.sh).
. "$(dirname "$0")/../lib.sh"

QHOME=${KBENCH_QEMU_HOME:-$ROOT/var}
skip() {
	echo "SKIP: $*"
	exit 77
}
command -v qemu-system-ppc >/dev/null 2>&1 ||
    skip "qemu-system-ppc not installed (make deps)"
[ -e "$QHOME/images/macppc/base.img" ] ||
    skip "no macppc guest image in $QHOME (run: kbench worker prepare macppc)"
[ -d "$QHOME/src/linux/.git" ] ||
    skip "no kernel tree in $QHOME (run: kbench kernel build)"
KID=$(KBENCH_HOME=$QHOME "$KBENCH" -q kernel build --arch macppc \
    --id-only 2>/dev/null) ||
    skip "cannot compute the macppc base kernel id in $QHOME"
KID12=${KID%"${KID#????????????}"}
[ -f "$QHOME/kernels/$KID/kernel.info" ] ||
    skip "macppc base kernel $KID12 not built in $QHOME (run: kbench kernel build --arch macppc)"
K=$QHOME/kernels/$KID

# The kernel is a 32-bit PowerMac one, whatever 00-kbench.config says
# (CONFIG_64BIT=y there), with the Open Firmware entry and the Zilog
# console, and it is an ELF vmlinux (what mac99's -kernel loads).
grep -q '^arch=macppc$' "$K/kernel.info" || fail "kernel.info: not macppc"
for c in CONFIG_PPC32=y CONFIG_PPC_BOOK3S_32=y CONFIG_PPC_PMAC=y \
    CONFIG_PPC_OF_BOOT_TRAMPOLINE=y CONFIG_SERIAL_PMACZILOG_CONSOLE=y \
    CONFIG_ADB_CUDA=y CONFIG_VIRTIO_BLK=y; do
	grep -qx "$c" "$K/config" || fail "kernel config lacks $c"
done
! grep -q '^CONFIG_PPC64=y' "$K/config" || fail "a 64-bit kernel"
! grep -q '^CONFIG_64BIT=y' "$K/config" || fail "CONFIG_64BIT=y"
[ "$(od -An -N5 -tx1 "$K/vmlinux" | tr -d ' ')" = 7f454c4601 ] ||
    fail "vmlinux is not a 32-bit ELF"

# A plain boot: the kernel built is the one running (-kb<kid12>), the
# userland is 32-bit PowerPC, the console ttyPZ0, and the guest powers
# off by itself (sysrq o through the CUDA), so QEMU exits 0.
mkdir -p "$KBENCH_HOME/kernels" "$KBENCH_HOME/images/macppc"
ln -s "$K" "$KBENCH_HOME/kernels/$KID"
ln -s "$(readlink -f "$QHOME/images/macppc/base.img")" \
    "$KBENCH_HOME/images/macppc/base.img"
expect_status 1 "$KBENCH" worker boot amd64 --kernel "$KID12" -- true
contains "$OUT" "built for macppc, not amd64"
t0=$(date +%s)
expect_status 0 "$KBENCH" worker boot macppc --kernel "$KID12" -n 1 \
    --rep-timeout 120 -- 'uname -m; cat /proc/cpuinfo | grep -m 1 ^cpu'
echo "$OUT"
echo "boot and one repetition: $(( $(date +%s) - t0 )) s"
contains "$OUT" "state done"
contains "$OUT" "accel tcg"
contains "$OUT" "release 6.1"
contains "$OUT" "-kb$KID12"
res=$(ls -d "$KBENCH_HOME"/qemu/runs/* | head -n 1)
grep -qx 'qemu-system-ppc' "$res/cmdline" ||
    grep -q '/qemu-system-ppc$' "$res/cmdline" || fail "not qemu-system-ppc"
grep -q '^mac99,' "$res/cmdline" || fail "not -M mac99"
grep -q "console=ttyPZ0" "$res/cmdline" || fail "console is not ttyPZ0"
grep -q "kbench-work: ppc" "$res/console.log" ||
    fail "the guest's uname -m is not ppc"
grep -q "powering off" "$res/console.log" || fail "no power off"
grep -q '^qemu_status=0$' "$res/result" ||
    fail "QEMU did not exit by itself: $(cat "$res/result")"

# The console watch reads the Zilog console too: a kernel that cannot
# start init panics, and the run fails with that line, in seconds.
expect_status 1 "$KBENCH" worker boot macppc --kernel "$KID12" \
    --append init=/nonexistent --boot-timeout 120 -- true
contains "$OUT" "reason kernel trouble: "
contains "$OUT" "Kernel panic - not syncing"

# kbench try: base and patched in turns, vm-small, 1 warm-up and 3
# counted repetitions a side in one boot each.
"$KBENCH" -q db start
DB="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"
P=$ROOT/kernel-src/patches
: >"$T/stamp"
t0=$(date +%s)
expect_status 0 env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KBENCH" try \
    "$P/canpersist-removal.patch" --worker qemu-macppc --workload vm-small \
    -n 3 --per-boot 3
echo "$OUT"
echo "try: $(( $(date +%s) - t0 )) s"
contains "$OUT" "base kernel $KID12 cached: not rebuilt"
contains "$OUT" "boot 1/2: base kernel"
contains "$OUT" "boot 2/2: patched kernel"
contains "$OUT" "verdict"
contains "$OUT" "Verdicts at 95.0% confidence"
# The mechanism, whatever the host's noise does to the times: page
# faults that read the disk, none on the base kernel.
contains "$OUT" "majflt   regression"
contains "$OUT" "guest (qemu-macppc, per counted repetition)"
lacks "$OUT" "failed:"
lacks "$OUT" "did not stick"
# Both runs done (a guest on the wrong kernel fails its run: each was
# verified by its -kb<kid12>), on two kernels, 3 counted samples each.
[ "$(sql "SELECT count(*) FROM run r JOIN worker w ON w.id = r.worker_id
    WHERE r.state = 'done' AND r.source = 'qemu' AND w.name = 'qemu-macppc'
    AND w.arch = 'macppc'")" = 2 ] ||
    fail "runs: $(sql 'SELECT id, state, reason FROM run')"
[ "$(sql "SELECT count(DISTINCT kernel_id) FROM run")" = 2 ] ||
    fail "both runs on one kernel"
for side in "= ''" "<> ''"; do
	n=$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
	    JOIN kernel k ON k.id = r.kernel_id WHERE NOT s.warmup
	    AND s.status = 0 AND s.real_us > 0 AND k.patches $side")
	[ "$n" = 3 ] || fail "samples (patches $side): $n, expected 3"
done
contains "$(sql "SELECT release FROM kernel WHERE patches = ''")" "-kb$KID12"
contains "$(sql "SELECT release FROM kernel WHERE patches <> ''")" "-kb"
[ "$(sql "SELECT count(*) FROM workload w JOIN run r ON r.workload_id = w.id
    WHERE w.name = 'vm-small'")" = 2 ] || fail "workload is not vm-small"
# The mechanism: the patched kernel reads the programs again each time.
base=$(sql "SELECT avg(s.disk_read_kib)::bigint FROM sample s
    JOIN run r ON r.id = s.run_id JOIN kernel k ON k.id = r.kernel_id
    WHERE NOT s.warmup AND k.patches = ''")
patched=$(sql "SELECT avg(s.disk_read_kib)::bigint FROM sample s
    JOIN run r ON r.id = s.run_id JOIN kernel k ON k.id = r.kernel_id
    WHERE NOT s.warmup AND k.patches <> ''")
echo "disk read per repetition: base $base KiB, patched $patched KiB"
[ "$patched" -gt $((base * 10 + 10240)) ] ||
    fail "the patched kernel did not read more: base $base, patched $patched"
# Each boot ran its own kernel (the release in the agent's START is
# that kernel's, -kb<kid12>) and powered off cleanly on the Zilog
# console.
rels=$(sql "SELECT string_agg(release, ' ' ORDER BY release) FROM kernel")
seen=""
n=0
for log in $(find "$QHOME/qemu/runs" -name console.log -newer "$T/stamp"); do
	grep -q "powering off" "$log" || fail "$log: no power off"
	r=$(sed -n 's/.*KBENCH-START .*"release":"\([^"]*\)".*/\1/p' "$log")
	case " $rels " in
	*" $r "*) ;;
	*) fail "$log: the guest ran \"$r\", not one of: $rels" ;;
	esac
	seen="$seen $r"
	n=$((n + 1))
done
[ "$n" -eq 2 ] || fail "$n console logs of the try, expected 2"
[ "$(echo $seen | tr ' ' '\n' | sort -u | wc -l)" -eq 2 ] ||
    fail "both boots ran one kernel:$seen"
echo "macppc ok"
