#!/bin/sh
# kbench-test: long
# kbench-test: qemu
# kbench bisect over a kernel git tree, for real (make test-kernel-bisect;
# a long test, some 20 to 40 minutes under TCG, not part of make test).
# The tree is a clone of kbench's base tree with four commits on top:
# a comment in mm/mmap.c, the CANPERSIST patch (kernel-src/patches),
# a documentation line, and the neutral patch.  Every revision is built
# (ccache: a relink and a file or two each), booted on qemu-amd64 (TCG),
# and times ten compiles of an empty file.  The decision is on major
# page faults, the mechanism itself (every exec of the compiler reads
# it from disk again: about 220 a repetition against 0), which the
# host's load cannot blur the way it blurs system time under TCG; the
# system and real times of the same samples are printed for the
# record.  Not under -icount: there (sleep=off) a disk request that
# the loaded host serves slowly lets the guest's clock jump, and its
# hung-task watch fires.  The bisection must name the CANPERSIST commit, confirm
# it against its parent, store every step, and the guests must have run
# the kernels built from those revisions.
. "$(dirname "$0")/../integration/60-qemu-lib.inc"

"$KBENCH" -q db start
DB="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"
P=$ROOT/kernel-src/patches
TREE=$T/linux
W='cd /tmp && : >e.c && i=0; while [ $i -lt 10 ]; do gcc -c e.c || exit 1; i=$((i+1)); done'

echo "cloning $QHOME/src/linux into $TREE"
git clone -q "$QHOME/src/linux" "$TREE"
cd "$TREE"
git config user.email t@example.org
git config user.name kbench-test
git checkout -q -b series base
sed -i '0,/^ \* mm\/mmap.c$/s//& (kbench test: a comment)/' mm/mmap.c
git diff --quiet && fail "the comment did not change mm/mmap.c"
git commit -q -am "mm: a comment in mmap.c"
git am -q "$P/canpersist-removal.patch"
CULPRIT=$(git rev-parse HEAD)
echo "kbench test" >>Documentation/mm/index.rst
git commit -q -am "docs: a line in mm/index.rst"
git apply "$P/neutral.patch"
git commit -q -am "$(head -n 1 "$P/neutral.patch")"
cd "$T"

t0=$(date +%s)
expect_status 0 env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KBENCH" bisect \
    --repo "$TREE" --good base --bad series --worker qemu-amd64 \
    --metric majflt -n 3 -- "$W"
t1=$(date +%s)
echo "$OUT"
echo "kernel bisection: $((t1 - t0)) s"
contains "$OUT" "first bad commit: $CULPRIT mm: drop a file's page cache"
contains "$OUT" "confirmed"
steps=$(sql "SELECT count(*) FROM bisect_step WHERE kind = 'step'")
echo "measured revisions besides the endpoints: $steps"
[ "$steps" -le 4 ] || fail "$steps steps for four commits"
# Every counted sample ran on the kernel built for its revision.
bad=$(sql "SELECT count(*) FROM run r JOIN kernel k ON k.id = r.kernel_id
    WHERE r.source = 'bisect' AND (k.release IS NULL OR
    k.release NOT LIKE '%-kb' || substr(k.kid, 1, 12))")
[ "$bad" = 0 ] || fail "$bad runs on a kernel without its release tag"
expect_status 0 env KBENCH_DB="$DB" "$KBENCH" bisect log --format json
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["culprit"] == sys.argv[1], d["culprit"]
assert all(s["samples"] for s in d["steps"] if s["decision"] != "skip")
' "$CULPRIT" || fail "bisect log JSON"
# The figures: every counted sample of the bisection, per revision.
sql "SELECT k.label, count(*), round(avg(s.majflt)), round(avg(s.sys_us) / 1e6, 2),
    round(stddev(s.sys_us) / avg(s.sys_us) * 100, 1), round(avg(s.real_us) / 1e6, 2),
    round(stddev(s.real_us) / avg(s.real_us) * 100, 1)
    FROM sample s JOIN run r ON r.id = s.run_id JOIN kernel k ON k.id = r.kernel_id
    WHERE NOT s.warmup GROUP BY k.label ORDER BY k.label" |
    sed 's/^/label|n|majflt|sys s|sys CV%|real s|real CV%: /'
echo "kernel bisect ok"
