#!/bin/sh
# kbench-test: long
# kbench-test: qemu
# kbench bisect --tree on a developer's own kernel tree, for real: a
# fresh git repository of the kernel source with a root commit of its
# own (not kbench's base: no tag base, another commit id) and six
# commits on top, one of them the CANPERSIST patch.  Every revision is
# the kernel's base itself, built from a scratch clone of the tree
# (ccache: the same sources as the base tree's), booted on qemu-amd64
# and timed as tests/long/kernel-bisect.sh does, on major page faults.
# The bisection must name the CANPERSIST commit; the tree's status,
# HEAD and refs must be what they were; and kbench try --tree --dry-run
# must patch a scratch clone, not the tree.  Some 30 to 60 minutes
# under TCG (a first build in the tree's own build directory).
. "$(dirname "$0")/../integration/60-qemu-lib.inc"

"$KBENCH" -q db start
DB="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"
P=$ROOT/kernel-src/patches
TREE=$T/mylinux
W='cd /tmp && : >e.c && i=0; while [ $i -lt 10 ]; do gcc -c e.c || exit 1; i=$((i+1)); done'

echo "a tree of its own from $QHOME/src/linux's files"
mkdir "$TREE"
git -C "$QHOME/src/linux" archive base | tar -x -C "$TREE"
cd "$TREE"
git init -q .
git config user.email t@example.org
git config user.name kbench-test
git config gc.auto 0
git add -A -f .
git commit -q -m "my linux: a root of its own"
ROOTC=$(git rev-parse HEAD)
[ "$ROOTC" != "$(git -C "$QHOME/src/linux" rev-parse base)" ] ||
    fail "the root is kbench's base commit"
sed -i '0,/^ \* mm\/mmap.c$/s//& (kbench test: a comment)/' mm/mmap.c
git commit -q -am "mm: a comment in mmap.c"
echo "kbench test 1" >>Documentation/mm/index.rst
git commit -q -am "docs: a line in mm/index.rst"
git am -q "$P/canpersist-removal.patch"
CULPRIT=$(git rev-parse HEAD)
echo "kbench test 2" >>Documentation/mm/index.rst
git commit -q -am "docs: another line"
git apply "$P/neutral.patch"
git commit -q -am "$(head -n 1 "$P/neutral.patch")"
echo "kbench test 3" >>Documentation/mm/index.rst
git commit -q -am "docs: a third line"
[ "$(git rev-list --count "$ROOTC"..HEAD)" = 6 ] || fail "not 6 commits"
cd "$T"
state() {
	git -C "$TREE" status --porcelain=v1 | head -n 20
	git -C "$TREE" rev-parse HEAD
	git -C "$TREE" for-each-ref --format='%(refname) %(objectname)'
}
BEFORE=$(state)

# The fast check: try --tree patches a scratch clone, not the tree.
expect_status 0 env KBENCH_HOME="$QHOME" "$KBENCH" try --tree "$TREE" \
    --base "$ROOTC" "$P/canpersist-removal.patch" --dry-run
contains "$OUT" "# the patched kernel "
[ "$BEFORE" = "$(state)" ] || fail "try --tree --dry-run changed the tree"

t0=$(date +%s)
expect_status 0 env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KBENCH" bisect \
    --tree "$TREE" --good "$ROOTC" --bad HEAD --worker qemu-amd64 \
    --metric majflt -n 3 -- "$W"
t1=$(date +%s)
echo "$OUT"
echo "kernel bisection on a tree of its own: $((t1 - t0)) s"
contains "$OUT" "first bad commit: $CULPRIT mm: drop a file's page cache"
[ "$BEFORE" = "$(state)" ] || fail "the bisection changed the tree"
bad=$(sql "SELECT count(*) FROM run r JOIN kernel k ON k.id = r.kernel_id
    WHERE r.source = 'bisect' AND (k.release IS NULL OR
    k.release NOT LIKE '%-kb' || substr(k.kid, 1, 12))")
[ "$bad" = 0 ] || fail "$bad runs on a kernel without its release tag"
labels=$(sql "SELECT count(DISTINCT k.label) FROM run r JOIN kernel k
    ON k.id = r.kernel_id WHERE r.source = 'bisect' AND
    k.label LIKE 'mylinux-g%'")
[ "$labels" -ge 3 ] || fail "$labels tree kernels measured"
echo "kernel bisect on a tree of its own ok"
