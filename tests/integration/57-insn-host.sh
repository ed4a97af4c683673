#!/bin/sh
# --metric insn_user for a command on this host: kbench-agent -i counts
# each repetition's user instructions under valgrind (callgrind,
# following children) beside its timed run.  kbench run stores the
# counts, the same in every repetition (or within 0.01%); a bisection
# of 8 commits of a C program, one adding 5% of work, names that commit
# (-n 3 endpoint rounds, else the defaults; make bench-bisect does 16
# commits at the defaults); without valgrind run and bisect say so
# before they start.
. "$(dirname "$0")/../lib.sh"
skip() {
	echo "SKIP: $*"
	exit 77
}
command -v valgrind >/dev/null ||
    skip "no valgrind (Debian's valgrind package; make deps)"

# --- 1. run: counts stored beside the times, stable ----------------------
# "cc && ./loop" through sh: the count follows exec into the children.
R=$T/repo
new_repo "$R"
write_loop 2000000 "first"
cc -O1 -o loop loop.c || fail "cc"
expect_status 0 "$KBENCH" run --worker local -n 3 --metric insn_user \
    -- sh -c "./loop && ./loop"
contains "$OUT" "3 of 3 repetitions counted"
[ "$(sql 'SELECT count(*) FROM sample WHERE insn_user > 0 AND
    user_us IS NOT NULL AND real_us > 0')" = 3 ] ||
    fail "not 3 samples with insn_user: $(sql 'SELECT count(*) FROM sample')"
lo=$(sql 'SELECT min(insn_user) FROM sample')
hi=$(sql 'SELECT max(insn_user) FROM sample')
echo "insn_user of 3 repetitions: $lo .. $hi"
# Two loops of 2,000,000 x 8 instructions: the children were counted.
[ "$lo" -ge 32000000 ] || fail "insn_user $lo: the children not counted"
[ $(( (hi - lo) * 10000 )) -le "$lo" ] ||
    fail "insn_user moved more than 0.01%: $lo .. $hi"
# Without the metric nothing is counted (and nothing is slower).
expect_status 0 "$KBENCH" run --worker local -n 1 -- ./loop
[ "$(sql 'SELECT count(*) FROM sample WHERE insn_user IS NULL')" = 1 ] ||
    fail "a plain run counted instructions"

# --- 2. without valgrind: said before anything runs ----------------------
# git and sh, but no valgrind.
mkdir "$T/nobin"
ln -s "$(command -v git)" "$(command -v sh)" "$T/nobin/"
for c in run bisect; do
	if [ $c = run ]; then
		set -- run --worker local -n 1 --metric insn_user -- ./loop
	else
		set -- bisect --repo "$R" --good HEAD --bad HEAD \
		    --metric insn_user -- ./loop
	fi
	OUT=$(PATH=$T/nobin "$KBENCH" "$@" 2>&1) && fail "$c ran without valgrind"
	contains "$OUT" "not on \$PATH (Debian's valgrind package"
done
expect_status 2 "$KBENCH" run --worker local -n 1 --metric user -- ./loop
contains "$OUT" "go with --until-verdict"

# --- 3. bisect --repo --metric insn_user ----------------------------------
cd "$R"
rm -f loop
echo "a loop" >README
git add loop.c README && git commit -q -m "commit 1: the loop"
N=2000000
for c in 2 3 4 5 6 7 8; do
	if [ $c -eq 6 ]; then
		N=$((N + N * 5 / 100))
		write_loop $N "first"
		git commit -q -am "commit $c: 5 per cent more work"
	else
		echo "doc line $c" >>README
		git commit -q -am "commit $c: docs"
	fi
done
GOOD=$(git rev-list --reverse HEAD | head -1)
CULPRIT=$(git log --format=%H --grep="per cent more work")
cd "$T"
expect_status 0 "$KBENCH" bisect --repo "$R" --good "$GOOD" --bad HEAD \
    --build "cc -O1 -o loop loop.c" --metric insn_user -n 3 -- ./loop
echo "$OUT"
contains "$OUT" "first bad commit: $CULPRIT commit 6: 5 per cent"
steps=$(sql "SELECT count(*) FROM bisect_step WHERE kind = 'step'")
echo "revisions measured besides the endpoints: $steps"
[ "$steps" -le 5 ] || fail "$steps steps for 8 commits"
[ "$(sql "SELECT metric FROM bisection")" = insn_user ] ||
    fail "the bisection's metric: $(sql 'SELECT metric FROM bisection')"
echo ok
