#!/bin/sh
# kbench-test: long
# kbench-test: qemu
# A kernel that panics at boot, tried on an ssh worker, for real: the
# loopback guest of tests/integration/66-ssh-try.sh (linux-kexec.conf,
# kernels built on the harness), but a reset reboots it on its own
# kernel, as a machine's firmware boots its default (panic=-1 on its
# command line, which kexec passes on).  The patched kernel
# (kernel-src/patches/panic-at-boot.patch) panics in a late initcall:
# the boot must be stored as failed with nothing measured, the worker's
# console (here its serial log) asked and kept, the guest back on its
# own kernel by that fallback and restored and verified at the end
# (uname -r); then a try of canpersist-removal.patch on the same guest
# must work.  One kernel build (ccache: a few minutes), one guest, some
# eight kexec boots: about 10 to 15 minutes under TCG.
. "$(dirname "$0")/../lib.sh"
GUEST_NOREBOOT=0
. "$ROOT/tests/integration/66-ssh-lib.inc"

PANIC=$ROOT/kernel-src/patches/panic-at-boot.patch
XKID=$(kid "$PANIC") || fail "cannot compute the panicking kernel's id"
X12=$(echo "$XKID" | cut -c1-12)
# Its console: the guest's whole serial log so far, then the lines
# typed into it echoed back (a console server's log, in effect).
cat >"$T/kbench.conf" <<EOF
workers = ({ name = "loop"; transport = "ssh"; host = "kbench-loop";
	arch = "amd64"; os = "linux"; ncpu = 1; boot_timeout = 300;
	ssh_config = "$T/ssh_config"; console = "cat $T/console.log; cat";
	recipe = "\$KBENCH_ROOT/configs/recipes/linux-kexec.conf"; });
EOF
export KBENCH_CONFIG=$T/kbench.conf
try() {		# status patch: a try of 2 boots, 2 samples each, on loop
	t0=$(date +%s)
	expect_status "$1" env KBENCH_DB="$DB" KBENCH_HOME="$QHOME" \
	    "$KBENCH" try "$2" --worker loop -n 2 --per-boot 2 --workload exec
	echo "$OUT"
	echo "try of $(basename "$2") took $(( $(date +%s) - t0 )) s"
}

# 1. The panicking kernel: built here (unless cached), kexec'd, it
# panics, the guest resets onto its own kernel.
try 1 "$PANIC"
contains "$OUT" "boot 1/2: base kernel $B12 on loop"
contains "$OUT" "boot 2/2: patched kernel $X12 on loop"
contains "$OUT" "worker loop booted the wrong kernel: expected \"-kb$X12\""
contains "$OUT" "worker loop came back on its own kernel (its default): the patched kernel $X12 panicked or hung"
contains "$OUT" "the patched kernel gave 0 counted samples"
contains "$OUT" "the console's answer to on_panic is in"
clog=$(echo "$OUT" | sed -n "s/.*the console's answer to on_panic is in //p")
[ -f "$clog" ] || fail "no console log $clog"
contains "$(cat "$clog")" "-kb$X12"
contains "$(cat "$clog")" "Kernel panic - not syncing: kbench: panic at boot"
contains "$OUT" "loop runs its own kernel again: 6.1."
[ "$(sql "SELECT count(*) FROM run WHERE state = 'failed' AND reason LIKE
    'booted the wrong kernel: expected \"-kb$X12\"%'")" = 1 ] ||
    fail "panic run: $(sql 'SELECT id, state, reason FROM run')"
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    WHERE r.state = 'failed'")" = 0 ] || fail "samples of the failed boot"
[ "$(sql "SELECT count(*) FROM run WHERE state = 'done'")" = 1 ] ||
    fail "runs: $(sql 'SELECT id, state, reason FROM run')"
# In the guest: its own kernel, no kbench kernel but it in /boot, and
# the panicking kernel never reached init (the boot log's kernels).
contains "$(gssh uname -r)" "-kb$B12"
[ "$(gssh 'ls /boot/vmlinuz-*-kb*' | wc -l)" -eq 1 ] ||
    fail "a tried kernel left in /boot: $(gssh 'ls /boot')"
boots=$(gssh cat /var/log/kbench-boot.log)
echo "$boots"
lacks "$boots" "-kb$X12"
# The first boot, the base kexec'd, the reset after the panic, the
# restore: four boots of the guest's own kernel.
[ "$(echo "$boots" | awk '{ print $2 }' | sort -u | wc -l)" -eq 4 ] ||
    fail "expected 4 distinct boots in the guest: $boots"

# 2. The next try on the same guest works: both kernels verified and
# measured, the guest's own kernel restored.
try 0 "$PATCH"
contains "$OUT" "verified: loop runs 6.1."
contains "$OUT" "-kb$P12"
contains "$OUT" "loop runs its own kernel again: 6.1."
lacks "$OUT" "wrong kernel"
[ "$(sql "SELECT count(*) FROM run WHERE state = 'done'")" = 3 ] ||
    fail "runs: $(sql 'SELECT id, state, reason FROM run')"
contains "$(gssh uname -r)" "-kb$B12"
echo "ssh-try-panic: ok"
