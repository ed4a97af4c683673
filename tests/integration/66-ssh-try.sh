# kbench-test: qemu
# kbench try PATCH --worker NAME on an ssh worker, for real, against a
# loopback QEMU guest running sshd (workers/qemu/mkimage-ssh.sh): real
# ssh (a private key and ssh config, the guest's host key read from its
# image into a private known_hosts, StrictHostKeyChecking=yes), the
# agent copied as source and built there with cc, both kernels built on
# the harness (configs/recipes/linux-kexec.conf; the amd64 config has
# what ssh and kexec need, so these are the kernels the QEMU tests
# boot, one build for all), installed in the
# guest's /boot, a real kexec into each, the running kernel verified
# (uname -r has -kb<kid12>) before anything is measured, and at the
# end the guest's own kernel restored by the recipe's restore steps and
# verified.  Then the same guest with a recipe whose reboot step boots
# the running kernel again, not the one installed: the patched boot
# must be reported as the wrong kernel, naming both, and nothing
# measured on it.  Last, a guest that does not come back: failed, the
# console asked, and the restore said to need a person.
#
# Needs, in $KBENCH_QEMU_HOME (default ./var), the kernel tree, the base
# kernel and the ssh image; scripts/qemu-prep.sh
# builds them (KBENCH_QEMU_SSH=1, the default).  Missing: exit 77,
# skipped (a failure under KBENCH_CI: tests/run.sh).  The samples go to this test's own database.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/66-ssh-lib.inc"

# The wrong recipe: the reboot step boots the kernel that runs now.
sed -e 's|kexec -l /boot/vmlinuz-$KB_RELEASE|kexec -l /boot/vmlinuz-$(uname -r)|' \
    "$ROOT/configs/recipes/linux-kexec.conf" >"$T/wrong.conf"
grep -q 'vmlinuz-$(uname -r)' "$T/wrong.conf" || fail "wrong recipe not made"
# The lost machine: its reboot step powers the guest off instead.
sed -e "s|sleep 1; kexec -e|sleep 1; echo o >/proc/sysrq-trigger|" \
    "$ROOT/configs/recipes/linux-kexec.conf" >"$T/gone.conf"
grep -q 'sysrq-trigger' "$T/gone.conf" || fail "gone recipe not made"
cat >"$T/kbench.conf" <<EOF
workers = (
	{ name = "loop"; transport = "ssh"; host = "kbench-loop";
	  arch = "amd64"; os = "linux"; ncpu = 1;
	  ssh_config = "$T/ssh_config"; boot_timeout = 300;
	  recipe = "\$KBENCH_ROOT/configs/recipes/linux-kexec.conf"; },
	{ name = "loop-wrong"; transport = "ssh"; host = "kbench-loop";
	  arch = "amd64"; os = "linux"; ncpu = 1;
	  ssh_config = "$T/ssh_config"; boot_timeout = 300;
	  recipe = "$T/wrong.conf"; },
	{ name = "loop-badkey"; transport = "ssh"; host = "kbench-loop";
	  arch = "amd64"; os = "linux"; ncpu = 1;
	  ssh_config = "$T/bad_ssh_config";
	  recipe = "\$KBENCH_ROOT/configs/recipes/linux-kexec.conf"; },
	{ name = "loop-gone"; transport = "ssh"; host = "kbench-loop";
	  arch = "amd64"; os = "linux"; ncpu = 1;
	  ssh_config = "$T/ssh_config"; boot_timeout = 20;
	  console = "tail -n 5 $T/console.log; cat";
	  recipe = "$T/gone.conf"; }
);
EOF
export KBENCH_CONFIG=$T/kbench.conf

# The same guest under a host key it does not have: ssh must refuse.
ssh-keygen -q -t ed25519 -N '' -C other -f "$T/other_host"
echo "kbench-loop $(cut -d' ' -f1,2 "$T/other_host.pub")" >"$T/bad_known_hosts"
sed "s|$T/known_hosts|$T/bad_known_hosts|" "$T/ssh_config" >"$T/bad_ssh_config"

# The plan for this worker: kernels built here, its boot timeout.
expect_status 0 "$KBENCH" try "$PATCH" --worker loop --dry-run --workload exec
contains "$OUT" "[harness] kbench kernel build --os linux --arch ARCH: "
contains "$OUT" "[harness] wait for ssh, at most 300 s"
contains "$OUT" "ssh -o ControlMaster=auto"

# A changed host key: refused at the first step, nothing run or stored.
expect_status 1 env KBENCH_DB="$DB" KBENCH_HOME="$QHOME" "$KBENCH" try \
    "$PATCH" --worker loop-badkey -n 2 --workload exec
contains "$OUT" "worker loop-badkey: step 1 of connect failed (exit 255, ssh: connection failed or lost)"
contains "$OUT" "Host key verification failed"
[ "$(sql "SELECT count(*) FROM run")" = 0 ] || fail "a run was made"

# 1. The try: base and patched, each installed, kexec'd, verified, run.
t0=$(date +%s)
expect_status 0 env KBENCH_DB="$DB" KBENCH_HOME="$QHOME" "$KBENCH" try \
    "$PATCH" --worker loop -n 2 --per-boot 2 --workload exec
echo "$OUT"
echo "try took $(( $(date +%s) - t0 )) s"
contains "$OUT" "agent built on loop"
contains "$OUT" "boot 1/2: base kernel $B12 on loop"
contains "$OUT" "boot 2/2: patched kernel $P12 on loop"
contains "$OUT" "verified: loop runs 6.1."
contains "$OUT" "-kb$B12"
contains "$OUT" "-kb$P12"
contains "$OUT" "Difference at 95.0% confidence"
contains "$OUT" "loop runs 6.1."
contains "$OUT" "-kb$B12 now; it is restored at the end"
contains "$OUT" "loop runs its own kernel again: 6.1."
contains "$OUT" "verdict"
lacks "$OUT" "wrong kernel"
lacks "$OUT" "PRIVATE KEY"
# Three real reboots: four boot ids in the guest's log, the base
# kernel, the patched one, then the base again (the restore).
boots=$(gssh cat /var/log/kbench-boot.log)
echo "$boots"
[ "$(echo "$boots" | awk '{ print $2 }' | sort -u | wc -l)" -eq 4 ] ||
    fail "expected 4 distinct boots in the guest: $boots"
echo "$boots" | sed -n 2p | grep -q -- "-kb$B12" || fail "boot 2 not base: $boots"
echo "$boots" | sed -n 3p | grep -q -- "-kb$P12" || fail "boot 3 not patched: $boots"
echo "$boots" | sed -n 4p | grep -q -- "-kb$B12" || fail "boot 4 not restored: $boots"
contains "$(gssh uname -r)" "-kb$B12"
[ "$(gssh 'ls /boot/vmlinuz-*-kb*' | wc -l)" -eq 1 ] ||
    fail "the patched kernel left in /boot: $(gssh 'ls /boot')"
# Stored: two runs, done, over ssh, on the two kernels, 2 counted each.
[ "$(sql "SELECT count(*) FROM run WHERE state = 'done' AND source = 'ssh'")" = 2 ] ||
    fail "runs: $(sql 'SELECT id, state, reason FROM run')"
[ "$(sql "SELECT count(DISTINCT kernel_id) FROM run")" = 2 ] ||
    fail "both runs on one kernel"
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN kernel k ON k.id = r.kernel_id
    WHERE NOT s.warmup AND k.kid LIKE '$B12%'")" = 2 ] || fail "base samples"
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN kernel k ON k.id = r.kernel_id
    WHERE NOT s.warmup AND k.kid LIKE '$P12%'")" = 2 ] || fail "patched samples"
[ "$(sql "SELECT count(*) FROM worker WHERE name = 'loop' AND transport = 'ssh'")" = 1 ] ||
    fail "worker row"
# No key material in what kbench wrote.
if grep -r -l -e "PRIVATE KEY" -e "$(sed -n 2p "$T/id")" "$QHOME"/try/ssh-loop-* \
    >/dev/null 2>&1; then
	fail "a key in the try's logs"
fi

# 2. The wrong kernel: the guest runs its own (base) kernel again, and
# this recipe reboots into whatever runs, so the patched boot comes up
# on the base kernel.  Reported, naming both; nothing measured on it.
runs=$(sql "SELECT coalesce(max(id), 0) FROM run")
samples=$(sql "SELECT count(*) FROM sample")
expect_status 1 env KBENCH_DB="$DB" KBENCH_HOME="$QHOME" "$KBENCH" try \
    "$PATCH" --worker loop-wrong -n 2 --per-boot 2 --workload exec
echo "$OUT"
contains "$OUT" "worker loop-wrong booted the wrong kernel: expected \"-kb$P12\" in the output of 'uname -r', running \"6.1."
contains "$OUT" "-kb$B12\"; boot 2/2 (patched kernel $P12) not measured"
contains "$OUT" "the patched kernel gave 0 counted samples"
[ "$(sql "SELECT count(*) FROM run WHERE id > $runs AND state = 'failed'
    AND reason LIKE 'booted the wrong kernel: expected \"-kb$P12\"%'")" = 1 ] ||
    fail "wrong-kernel run: $(sql "SELECT id, state, reason FROM run WHERE id > $runs")"
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    WHERE r.id > $runs AND r.state = 'failed'")" = 0 ] ||
    fail "samples stored from the wrong kernel"
# The base boot (the right kernel) was measured: 1 warm-up + 2.
[ "$(sql "SELECT count(*) FROM sample")" = $((samples + 3)) ] ||
    fail "samples: $(sql "SELECT run_id, rep, warmup FROM sample WHERE run_id > $runs")"

# 3. The machine that does not come back (powered off by its "reboot"):
# the try stops, the boot is stored as failed with the reason, and the
# recipe's on_panic lines go to the console command (here the guest's
# serial console's tail, then the lines echoed back), its answer kept.
runs=$(sql "SELECT coalesce(max(id), 0) FROM run")
expect_status 1 env KBENCH_DB="$DB" KBENCH_HOME="$QHOME" "$KBENCH" try \
    "$PATCH" --worker loop-gone -n 2 --per-boot 2 --workload exec
echo "$OUT"
contains "$OUT" "worker loop-gone did not come back within 20 s after the reboot (no new boot id)"
contains "$OUT" "the console's answer to on_panic is in"
clog=$(echo "$OUT" | sed -n "s/.*the console's answer to on_panic is in //p")
[ -f "$clog" ] || fail "no console log $clog"
cat "$clog"
contains "$(cat "$clog")" "dmesg"
contains "$(cat "$clog")" "Power down"
contains "$OUT" "worker loop-gone is not reachable: its own kernel was not restored"
[ "$(sql "SELECT count(*) FROM run WHERE id > $runs AND state = 'failed'
    AND reason LIKE 'worker loop-gone did not come back within 20 s%'")" = 1 ] ||
    fail "gone run: $(sql "SELECT id, state, reason FROM run WHERE id > $runs")"
i=0
while kill -0 $QPID 2>/dev/null && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
kill -0 $QPID 2>/dev/null && fail "the guest did not power off"
QPID=
echo "66-ssh-try: ok"
