#!/bin/sh
# kbench-test: long
# kbench-test: qemu
# kbench bisect on an ssh worker, for real: the loopback guest of
# tests/integration/66-ssh-try.sh (linux-kexec.conf: kernels built on
# the harness, copied, kexec'd, verified by uname -r).  The history is
# a shared clone of kbench's base tree with one commit on base, the
# CANPERSIST patch (written with git plumbing: no work tree); the
# endpoints are timed in rounds on major page faults and the commit
# must be named and confirmed, every sample on the kernel built for
# its revision, and the guest's own kernel running again at the end.
# One kernel build (ccache), some twelve kexec boots: 10 to 20 minutes
# under TCG.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/integration/66-ssh-lib.inc"

L=$T/lin
git clone -q -s -n "$QHOME/src/linux" "$L"
export GIT_INDEX_FILE="$T/index" GIT_AUTHOR_NAME=kbench-test \
    GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=kbench-test \
    GIT_COMMITTER_EMAIL=t@example.org
git -C "$L" read-tree base
git -C "$L" apply --cached "$PATCH" || fail "the patch does not apply"
SUBJ=$(sed -n 's/^Subject: \(\[PATCH\] \)\{0,1\}//p' "$PATCH" | head -n 1)
CULPRIT=$(git -C "$L" commit-tree "$(git -C "$L" write-tree)" \
    -p "base^{commit}" -m "$SUBJ")
git -C "$L" update-ref refs/heads/series "$CULPRIT"
unset GIT_INDEX_FILE
cat >"$T/kbench.conf" <<EOF
workers = (
	{ name = "loop"; transport = "ssh"; host = "kbench-loop";
	  arch = "amd64"; os = "linux"; ncpu = 1;
	  ssh_config = "$T/ssh_config"; boot_timeout = 300;
	  recipe = "\$KBENCH_ROOT/configs/recipes/linux-kexec.conf"; }
);
EOF
export KBENCH_CONFIG=$T/kbench.conf

t0=$(date +%s)
expect_status 0 env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KBENCH" bisect \
    --repo "$L" --good base --bad series --worker loop --workload exec \
    --metric majflt -n 3
echo "$OUT"
echo "kernel bisection on the ssh worker: $(( $(date +%s) - t0 )) s"
for s in "first bad commit: $CULPRIT" confirmed \
    "loop runs its own kernel again: 6.1."; do
	contains "$OUT" "$s"
done
lacks "$OUT" "wrong kernel"
contains "$(gssh uname -r)" "-kb$B12"
# Every run on the ssh worker, on a kernel tagged with its id, and
# both endpoints measured.
[ "$(sql "SELECT count(*) FROM run r JOIN worker w ON w.id = r.worker_id
    WHERE r.source = 'bisect' AND w.name = 'loop' AND w.transport = 'ssh'
    AND r.state = 'done'")" -ge 2 ] ||
    fail "runs: $(sql 'SELECT id, state, reason FROM run')"
bad=$(sql "SELECT count(*) FROM run r JOIN kernel k ON k.id = r.kernel_id
    WHERE r.source = 'bisect' AND (k.release IS NULL OR
    k.release NOT LIKE '%-kb' || substr(k.kid, 1, 12))")
[ "$bad" = 0 ] || fail "$bad runs on a kernel without its release tag"
[ "$(sql "SELECT count(DISTINCT r.kernel_id) FROM run r
    WHERE r.source = 'bisect'")" -ge 2 ] || fail "one kernel measured"
sql "SELECT k.label, count(*), round(avg(s.majflt)), round(avg(s.real_us) / 1e6, 2)
    FROM sample s JOIN run r ON r.id = s.run_id JOIN kernel k ON k.id = r.kernel_id
    WHERE NOT s.warmup GROUP BY k.label ORDER BY k.label" |
    sed 's/^/label|n|majflt|real s: /'
echo "ssh-bisect: ok"
