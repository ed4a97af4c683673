# kbench kernel build --tree DIR: any local git tree as the base.  A
# fresh tree of a small source (a root commit of its own, not kbench's
# base) with commits on top: two revisions are two kernel ids, another
# compiler is another id, the same inputs the same id; --dry-run
# applies a patch in the scratch clone and leaves DIR's work tree,
# index, HEAD and branches as they were; a patch that does not apply
# names itself and the hunk.  No kernel is built, no database made.
. "$(dirname "$0")/../lib.sh"

D=$T/mytree
new_repo "$D"
mkdir -p mm
printf 'int\ncanpersist(void)\n{\n\treturn 1;\n}\n' >mm/filemap.c
printf 'obj-y += filemap.o\n' >mm/Makefile
git add .
git commit -qm "root: a tree of its own"
for i in 1 2 3; do
	echo "/* change $i */" >>mm/filemap.c
	git commit -qam "change $i"
done
# Work in progress the user has not committed: it must stay so.
echo "/* uncommitted */" >>mm/Makefile
echo scratch >untracked.txt
cd "$T"

# The user's checkout, as git sees it.
state() {
	git -C "$D" status --porcelain=v1
	git -C "$D" rev-parse HEAD
	git -C "$D" for-each-ref --format='%(refname) %(objectname)'
	git -C "$D" stash list
	sha256sum "$D/.git/index"
}
BEFORE=$(state)

id_of() {
	expect_status 0 "$KBENCH" kernel build --tree "$D" --id-only "$@"
	printf '%s\n' "$OUT" | tail -n 1
}
HEAD_ID=$(id_of)
PREV_ID=$(id_of --base HEAD~1)
AGAIN_ID=$(id_of --base "$(git -C "$D" rev-parse HEAD)")
for v in "$HEAD_ID" "$PREV_ID"; do
	printf '%s\n' "$v" | grep -Eqx '[0-9a-f]{64}' ||
	    fail "not a kernel id: $v"
done
[ "$HEAD_ID" != "$PREV_ID" ] || fail "two revisions, one id $HEAD_ID"
[ "$HEAD_ID" = "$AGAIN_ID" ] ||
    fail "HEAD and its commit id: $HEAD_ID, $AGAIN_ID"

# Another compiler, another kernel: clang where it is installed, else
# gcc named by a path whose --version is the same (same id).
if command -v clang >/dev/null 2>&1; then
	CLANG_ID=$(id_of --cc clang)
	[ "$CLANG_ID" != "$HEAD_ID" ] ||
	    fail "gcc and clang gave one id $HEAD_ID"
else
	echo "67-kernel-tree: no clang: the other-compiler id is only" \
	    "checked by test_kid" >&2
fi
SAME_ID=$(id_of --cc "$(command -v gcc)")
[ "$SAME_ID" = "$HEAD_ID" ] ||
    fail "gcc by its path is another id: $SAME_ID, $HEAD_ID"
expect_status 1 "$KBENCH" kernel build --tree "$D" --id-only \
    --cc "$T/no-such-cc"
contains "$OUT" "no-such-cc --version"

# A patch applies in the scratch clone, not in DIR.
cat >"$T/fix.patch" <<'P'
--- a/mm/filemap.c
+++ b/mm/filemap.c
@@ -1,5 +1,5 @@
 int
 canpersist(void)
 {
-	return 1;
+	return 0;
 }
P
expect_status 0 "$KBENCH" kernel build --tree "$D" --patch "$T/fix.patch" \
    --dry-run
contains "$OUT" "base	$(git -C "$D" rev-parse HEAD)"
contains "$OUT" "label	mytree-g$(git -C "$D" rev-parse --short=12 HEAD)+fix.patch"
KID12=$(printf '%s\n' "$OUT" | sed -n 's/^kid	\(.\{12\}\).*/\1/p')
WORK=$(printf '%s\n' "$OUT" | sed -n 's/^patched in	\([^ ]*\) .*/\1/p')
[ -n "$KID12" ] && [ -d "$WORK/.git" ] || fail "no scratch clone: $OUT"
case $WORK in "$KBENCH_HOME"/src/tree-*) ;;
*) fail "scratch clone outside KBENCH_HOME/src: $WORK" ;; esac
git -C "$WORK" show "kb/$KID12:mm/filemap.c" | grep -q 'return 0;' ||
    fail "the patch is not on kb/$KID12 in $WORK"
git -C "$WORK" show "kb/$KID12~1:mm/filemap.c" | grep -q 'change 3' ||
    fail "kb/$KID12 is not on DIR's HEAD"
AFTER=$(state)
[ "$BEFORE" = "$AFTER" ] || fail "the user's tree changed:
before:
$BEFORE
after:
$AFTER"
grep -q 'return 1;' "$D/mm/filemap.c" || fail "DIR's file was patched"

# At another base, the same patch on that revision.
expect_status 0 "$KBENCH" kernel build --tree "$D" --base HEAD~2 \
    --patch "$T/fix.patch" --dry-run
contains "$OUT" "base	$(git -C "$D" rev-parse HEAD~2)"

# A patch that does not apply: named, with git's account of the hunk.
sed 's/return 1;/return 2;/' "$T/fix.patch" >"$T/stale.patch"
expect_status 1 "$KBENCH" kernel build --tree "$D" \
    --patch "$T/stale.patch" --dry-run
contains "$OUT" "patch $T/stale.patch does not apply to the base tree"
contains "$OUT" "patch failed: mm/filemap.c:1"

# What is not a tree or a revision says so.
expect_status 1 "$KBENCH" kernel build --tree "$D" --base no-such-rev \
    --id-only
contains "$OUT" "no commit no-such-rev"
mkdir "$T/plain"
expect_status 1 "$KBENCH" kernel build --tree "$T/plain" --id-only
contains "$OUT" "is it a git tree?"
expect_status 2 "$KBENCH" kernel build --base HEAD --id-only
contains "$OUT" "--base goes with --tree"


# kbench try --tree DIR PATCH --dry-run: both kernels' real ids, the
# patch applied in the scratch clone, DIR as it was; the QEMU plan.
expect_status 0 "$KBENCH" try --tree "$D" "$T/fix.patch" --dry-run
contains "$OUT" "# the base kernel "
contains "$OUT" "# the patched kernel $KID12 (mytree-g"
contains "$OUT" "boots of qemu-amd64 a side in turns"
expect_status 0 "$KBENCH" try --tree "$D" --base HEAD~1 "$T/fix.patch" \
    --dry-run
contains "$OUT" "at $(git -C "$D" rev-parse --short=12 HEAD~1)"
lacks "$OUT" "# the patched kernel $KID12 "
expect_status 1 "$KBENCH" try --tree "$D" "$T/stale.patch" --dry-run
contains "$OUT" "patch $T/stale.patch does not apply to the base tree"
# An ssh recipe that builds on the worker has its own tree.
expect_status 1 "$KBENCH" try --tree "$D" "$T/fix.patch" --dry-run \
    --os openbsd
contains "$OUT" "needs a recipe with build_on = \"harness\""
expect_status 2 "$KBENCH" try --tree "$D" --repo "$D" "$T/fix.patch" \
    --dry-run
contains "$OUT" "not both"
# An ssh worker whose recipe builds on the harness: the plan has the
# kernels' own ids, the patch applied in the scratch clone.
cat >"$T/kbench.conf" <<EOF2
workers = (
	{ name = "local"; transport = "local"; },
	{ name = "loop"; transport = "ssh"; host = "root@loop.example.org";
	  arch = "amd64"; os = "linux"; ncpu = 1;
	  recipe = "\$KBENCH_ROOT/configs/recipes/linux-kexec.conf"; }
);
EOF2
expect_status 0 env KBENCH_CONFIG="$T/kbench.conf" "$KBENCH" try \
    --tree "$D" "$T/fix.patch" --worker loop --dry-run -- true
contains "$OUT" "patched $KID12 (the kernels' own, from --tree)"
contains "$OUT" "# at the end, also after a failure or ^C: the machine's own kernel back"
# The queue's runner has no tree of the user's: refused, not dropped.
expect_status 2 "$KBENCH" try --tree "$D" "$T/fix.patch" --queue
contains "$OUT" "--queue takes kernel patches"
# kbench bisect --tree is a kernel bisection: not on the local worker.
expect_status 2 "$KBENCH" bisect --tree "$D" --good HEAD~3 --bad HEAD \
    -- true
contains "$OUT" "is a kernel tree: give a qemu worker"

AFTER=$(state)
[ "$BEFORE" = "$AFTER" ] || fail "the user's tree changed after try"
[ ! -d "$KBENCH_HOME/pg" ] || fail "a database was made"
