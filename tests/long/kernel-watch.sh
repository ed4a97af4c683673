#!/bin/sh
# kbench-test: long
# kbench-test: qemu
# kbench watch --tree over a kernel git tree, for real (make test-long;
# some 30 to 60 minutes under TCG).  The tree is a clone of kbench's
# base tree with four commits on top, as in kernel-bisect.sh: a
# comment in mm/mmap.c, the CANPERSIST patch, a documentation line and
# the neutral patch.  One pass from the base, every commit: each kernel
# is built (ccache), booted on qemu-amd64 beside the one before and
# times ten compiles of an empty file.  The step must show at the
# CANPERSIST commit only, be confirmed by measuring both sides again,
# and make one alert that names that commit.  KBENCH_WATCH_METRIC
# (default insn_kernel) picks the metric: insn_kernel counts the guest
# kernel's instructions (the TCG plugin), which a busy host moves less.
. "$(dirname "$0")/../integration/60-qemu-lib.inc"

"$KBENCH" -q db start
DB="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"
P=$ROOT/kernel-src/patches
TREE=$T/linux
W='cd /tmp && : >e.c && i=0; while [ $i -lt 10 ]; do gcc -c e.c || exit 1; i=$((i+1)); done'

git clone -q "$QHOME/src/linux" "$TREE"
cd "$TREE"
git config user.email t@example.org
git config user.name kbench-test
git checkout -q -b series base
sed -i '0,/^ \* mm\/mmap.c$/s//& (kbench test: a comment)/' mm/mmap.c
git commit -q -am "mm: a comment in mmap.c"
git am -q "$P/canpersist-removal.patch"
CULPRIT=$(git rev-parse HEAD)
echo "kbench test" >>Documentation/mm/index.rst
git commit -q -am "docs: a line in mm/index.rst"
git apply "$P/neutral.patch"
git commit -q -am "$(head -n 1 "$P/neutral.patch")"
cd "$T"

t0=$(date +%s)
expect_status 0 env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KBENCH" watch \
    --tree "$TREE" --branch series --since base --once \
    --worker qemu-amd64 --metric "${KBENCH_WATCH_METRIC:-insn_kernel}" -n 3 \
    --threshold 5 -- "$W"
t1=$(date +%s)
echo "$OUT"
echo "kernel watch: $((t1 - t0)) s"
contains "$OUT" "5 commits measured"
expect_status 0 env KBENCH_DB="$DB" "$KBENCH" alert list --format json
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d) == 1, d
assert d[0]["confirmed"] is True, d
assert d[0]["culprit"].startswith(sys.argv[1]), d
' "$CULPRIT" || fail "alert: $OUT"
echo "kernel watch ok"
